"""A process making 100 curator writes is killed with SIGKILL at a random moment; afterwards
the files hold exactly the state after some number k of writes (each write changes two
files), and the audit log records exactly those k writes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from curator_support import make_home, retitle

from synthkg.curator_store import CuratedFiles, _from_store
from synthkg.importers.run import DATA_FILES, render

WRITER = """
import sys
from curator_support import retitle
from synthkg.curator_store import CuratedFiles
files = CuratedFiles.default()
for number in range(1, 101):
    files.update(retitle(number), "crash-test")
    print(number, flush=True)
"""


def state_after(original: dict[str, bytes], writes: int) -> dict[str, str]:
    """The canonical files after ``writes`` writes (each sets the titles to its number)."""
    store = ox.Store()
    for text in original.values():
        store.load(text, ox.RdfFormat.TURTLE)
    if writes:
        store.update(retitle(writes))
    return render(_from_store(store))


@pytest.mark.slow
def test_sigkill_leaves_the_state_before_or_after_each_write(tmp_path: Path) -> None:
    rng = random.Random(8)
    committed = []
    for round_number in range(3):
        home = make_home(tmp_path / f"home{round_number}")
        original = {name: (home / "data" / name).read_bytes() for name in DATA_FILES}
        env = {**os.environ, "SYNTHKG_HOME": str(home)}
        env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parent), env.get("PYTHONPATH", "")])
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER], stdout=subprocess.PIPE, text=True, env=env
        )
        # Imports take about a second; then a write every few tenths of a second.
        time.sleep(1.5 + rng.uniform(0.0, 3.0))
        os.kill(writer.pid, signal.SIGKILL)
        output, _ = writer.communicate()
        assert writer.returncode == -signal.SIGKILL
        reported = [int(line) for line in output.split()]
        last = reported[-1] if reported else 0

        files = CuratedFiles(
            home / "data", home / "build" / "curator", home / "build" / "curator" / "writes.jsonl"
        )
        files.recover()
        current = {name: (home / "data" / name).read_text(encoding="utf-8") for name in DATA_FILES}
        # The write under way when the process died either happened whole or not at all.
        matches = [k for k in (last, last + 1) if current == state_after(original, k)]
        assert matches, f"round {round_number}: files match neither {last} nor {last + 1} writes"
        done = matches[0]
        committed.append(done)
        assert len(files.audit()) == done
        assert len({record["id"] for record in files.audit()}) == done
        assert not list((home / "data").glob(".*"))  # no temporary file left behind
        files.graph()  # and the files parse
    assert max(committed) > 0, "the writer was killed before any write: nothing was tested"
