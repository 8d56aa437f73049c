"""How ``synthkg serve`` sizes and sets up its processes: workers per CPU, recycling, the
C allocator's settings, and what the server's processes import."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from synthkg.web.capacity import MAX_REQUESTS, default_workers, gunicorn_options


@pytest.mark.parametrize(("cpus", "workers"), [(1, 1), (2, 1), (3, 1), (4, 2), (16, 8)])
def test_one_query_process_per_cpu_by_default(cpus: int, workers: int) -> None:
    assert default_workers(cpus) == workers


def test_workers_are_recycled_only_when_another_can_answer_meanwhile() -> None:
    assert gunicorn_options(30, workers=1)["max_requests"] == 0
    assert gunicorn_options(30, workers=2)["max_requests"] == MAX_REQUESTS


# After a 4 MiB block is freed, where does glibc put a 1 MiB one? With its default dynamic
# threshold, in the heap (where it stays once freed); with the server's fixed threshold, in
# a mapping of its own, returned to the system when freed.
ALLOCATION_PROBE = textwrap.dedent(
    """
    import ctypes, sys
    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    if sys.argv[1] == "tuned":
        from synthkg.web.allocator import tune_allocator
        assert tune_allocator()
    libc.free(libc.malloc(4 << 20))
    block = libc.malloc(1 << 20)
    for line in open("/proc/self/maps"):
        fields = line.split()
        start, end = (int(part, 16) for part in fields[0].split("-"))
        if start <= block < end:
            print(fields[5] if len(fields) > 5 else "anonymous")
    """
)


def _where_a_large_block_goes(mode: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", ALLOCATION_PROBE, mode], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_the_allocator_settings_keep_large_blocks_out_of_the_heap() -> None:
    assert _where_a_large_block_goes("plain") == "[heap]"  # the probe can tell
    assert _where_a_large_block_goes("tuned") == "anonymous"


# Modules a read-only server has no use for: the validator, the importers, the editor of
# the curated files. Loaded into the master, every process of the server would carry them.
WRITE_SIDE = ("pyshacl", "ftfy", "synthkg.curator_store", "synthkg.importers", "synthkg.validate")


def test_the_serve_command_and_the_app_leave_the_write_side_unloaded() -> None:
    probe = textwrap.dedent(
        """
        import sys
        from synthkg.cli import command_named
        assert command_named("serve") is not None
        import synthkg.web.server, synthkg.web.app, synthkg.web.writes
        print(" ".join(sorted(sys.modules)))
        """
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "synthkg.web.writes" in loaded
    assert [name for name in WRITE_SIDE if name in loaded] == []
