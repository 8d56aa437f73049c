"""The benchmark's memory watch reports the peak of a server that ran between samples."""

from __future__ import annotations

import subprocess
import sys

from bench.servers import MemoryWatch

GROW_THEN_WAIT = """
import sys, time
time.sleep(0.5)
block = bytearray(96 * 2**20)  # zero-filled, so every page is touched
print("grown", flush=True)
time.sleep(60)
"""


def test_the_peak_includes_a_last_sample_at_stop() -> None:
    # A run shorter than the sampling interval (the tiny graph's whole mix on a native
    # server) used to be known only by the sample taken as the process started.
    child = subprocess.Popen(
        [sys.executable, "-c", GROW_THEN_WAIT], stdout=subprocess.PIPE, text=True
    )
    try:
        watch = MemoryWatch(child.pid, every=300)
        assert child.stdout is not None and child.stdout.readline().strip() == "grown"
        peak = watch.stop()
        assert peak >= 96 * 2**20
    finally:
        child.kill()
        child.wait()
