"""Settings of the C allocator for the server's processes (glibc; elsewhere nothing is done).

The master applies them before it forks, so its workers and their query processes inherit
them:

* at most two malloc arenas: otherwise each of a worker's request threads may get an arena
  of its own, and every arena keeps the memory of the largest answer it once held;
* a fixed mmap threshold: glibc otherwise raises the threshold each time it frees a large
  block, after which large answers are carved from the heap and their memory stays there;
* a low trim threshold, so that free memory at the top of the heap goes back at once.

Measured with ``bench/`` on the 2-core machine of ``docs/benchmarks.md`` (10^5 triples, the
query mix at concurrency 8): the peak of a 2-worker server fell from 191-195 to 175-181 MiB,
its workers from 21-28 to 18-19 MiB each, with the same throughput.
"""

from __future__ import annotations

import ctypes
import ctypes.util

# mallopt parameters, from glibc's <malloc.h>.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8

ARENA_MAX = 2
MMAP_THRESHOLD = 128 * 1024
TRIM_THRESHOLD = 256 * 1024


def tune_allocator() -> bool:
    """Apply the settings to this process (and the ones it forks later); whether it could."""
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):
        return False  # not glibc
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    settings = ((M_ARENA_MAX, ARENA_MAX), (M_MMAP_THRESHOLD, MMAP_THRESHOLD),
                (M_TRIM_THRESHOLD, TRIM_THRESHOLD))  # fmt: skip
    return all(mallopt(parameter, value) == 1 for parameter, value in settings)
