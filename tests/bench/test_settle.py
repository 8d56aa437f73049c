"""The benchmark measures a server once it is idle: its whole process tree's CPU time."""

from __future__ import annotations

import subprocess
import sys
import time

from bench.servers import tree_cpu_seconds, wait_until_idle

# A parent that sleeps while its child computes for a while, then both sleep.
BUSY_CHILD = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c",
    "import sys, time\\nend = time.monotonic() + float(sys.argv[1])\\n"
    "while time.monotonic() < end: pass\\ntime.sleep(60)", sys.argv[1]])
print("started", flush=True)
time.sleep(60)
"""


def _spawn(busy_seconds: float) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", BUSY_CHILD, str(busy_seconds)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "started"
    return process


def _stop(process: subprocess.Popen) -> None:
    import psutil

    for child in psutil.Process(process.pid).children(recursive=True):
        child.kill()
    process.kill()
    process.wait()


def test_a_busy_child_keeps_the_server_from_counting_as_idle() -> None:
    process = _spawn(2.5)
    try:
        began = tree_cpu_seconds((process.pid,))
        waited = wait_until_idle((process.pid,), max_seconds=20, window=0.5)
        assert 2.0 <= waited < 20  # the child's work counts; the parent alone was idle
        assert tree_cpu_seconds((process.pid,)) - began >= 1.5
    finally:
        _stop(process)


def test_waiting_is_bounded_and_an_idle_server_is_not_kept_waiting() -> None:
    process = _spawn(60)
    try:
        began = time.monotonic()
        assert 1.5 <= wait_until_idle((process.pid,), max_seconds=1.5, window=0.5) < 3
        assert time.monotonic() - began < 3
    finally:
        _stop(process)
    idle = _spawn(0)
    try:
        assert wait_until_idle((idle.pid,), max_seconds=20, window=0.5) < 2
    finally:
        _stop(idle)
