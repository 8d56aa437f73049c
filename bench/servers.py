"""Starting and stopping the servers compared, each on its own loopback port.

Every kind reports its load time (building its persistent store, or parsing the data when
it has none) and its start-up time (from launch to the first answered query, with the store
already built). Memory is the proportional set size (PSS) of the server's whole process
tree, so pages shared by forked workers count once.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.request import Request, urlopen

import psutil

from bench.loopback import answers, free_port
from bench.virtuoso import Virtuoso, start_virtuoso

BIN = Path(sys.executable).parent
PROJECT = Path(__file__).resolve().parents[1]
KINDS = (
    "synthkg",
    "synthkg-memory",
    "oxigraph",
    "oxigraph-memory",
    "rdflib-endpoint",
    "virtuoso",
    "synthkg-virtuoso",
    "synthkg-virtuoso-union",
)


def tree_processes(pid: int) -> list[psutil.Process]:
    """A process and its descendants; none when it has ended."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


class MemoryWatch:
    """Samples the PSS of process trees in the background; keeps the peak of their sum."""

    def __init__(self, pid: int, every: float = 0.25, others: tuple[int, ...] = ()) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self.others = others
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def sample(self) -> int:
        return sum(self._tree(pid) for pid in (self.pid, *self.others))

    @staticmethod
    def _tree(pid: int) -> int:
        total = 0
        for proc in tree_processes(pid):
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                total += proc.memory_full_info().pss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.sample())
            self._stop.wait(self.every)

    def stop(self) -> int:
        """Stop sampling; the peak, including one last sample taken now (a run shorter than
        the interval would otherwise be known only by a sample from before it started)."""
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.sample())
        return self.peak


# A server counts as idle once its processes use less than this share of one CPU over
# ``IDLE_WINDOW`` seconds; it is given at most ``SETTLE_SECONDS`` to get there.
IDLE_SHARE = 0.05
IDLE_WINDOW = 1.0
SETTLE_SECONDS = 60.0


def cpu_seconds(processes: Iterable[psutil.Process]) -> float:
    """CPU time (user and system) used so far by these processes (ended ones count 0)."""
    total = 0.0
    for proc in processes:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


def tree_cpu_seconds(pids: tuple[int, ...]) -> float:
    """CPU time (user and system) used so far by these processes and their descendants."""
    return sum(cpu_seconds(tree_processes(pid)) for pid in pids)


def wait_until_idle(
    pids: tuple[int, ...], max_seconds: float = SETTLE_SECONDS, window: float = IDLE_WINDOW
) -> float:
    """Wait until the process trees use under ``IDLE_SHARE`` of a CPU over one window, or
    ``max_seconds`` have passed; the seconds waited."""
    began = time.monotonic()
    used = tree_cpu_seconds(pids)
    while time.monotonic() - began < max_seconds:
        time.sleep(window)
        now = tree_cpu_seconds(pids)
        if now - used < IDLE_SHARE * window:
            break
        used = now
    return time.monotonic() - began


@dataclass
class Running:
    """A started server: its query URL and what its start cost."""

    kind: str
    url: str
    process: subprocess.Popen
    load_seconds: float
    start_seconds: float
    memory: MemoryWatch
    extra: list[subprocess.Popen] = field(default_factory=list)
    virtuoso: Virtuoso | None = None

    def settle(self, max_seconds: float = SETTLE_SECONDS) -> float:
        """Wait until the server is idle; the seconds waited.

        A server may go on working after its first answer (SynthKG's workers draw their
        pages in the background; a native store may compact or warm its caches). Latency is
        measured once that work is over, for every kind alike.
        """
        return wait_until_idle((self.memory.pid, *self.memory.others), max_seconds)

    def stop(self) -> int:
        """Stop the server (and its helpers); the peak PSS in bytes."""
        peak = self.memory.stop()
        for proc in [self.process, *self.extra]:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        if self.virtuoso is not None:
            self.virtuoso.stop()
        return peak


def _answers(url: str) -> bool:
    return answers(url, "ASK { ?s ?p ?o }", "application/sparql-results+json")


class CutOff(RuntimeError):
    """A server passed the documented cut-off (time or memory) before it answered."""


# The cut-offs of the benchmark: a server that needs more to load is recorded as cut off.
CUTOFF_SECONDS = 600.0
CUTOFF_BYTES = 8 * 2**30


def _wait(
    process: subprocess.Popen,
    url: str,
    log: Path,
    limit: float,
    watch: MemoryWatch | None = None,
    max_bytes: int = CUTOFF_BYTES,
) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited: {log.read_text(errors='replace')}")
        if watch is not None and watch.peak > max_bytes:
            _kill_tree(process)
            raise CutOff(f"used more than {max_bytes / 2**30:g} GiB before answering")
        if _answers(url):
            return
        time.sleep(0.05)
    _kill_tree(process)
    raise CutOff(f"did not answer within {limit:g} s")


def _kill_tree(process: subprocess.Popen) -> None:
    with contextlib.suppress(psutil.NoSuchProcess):
        for child in psutil.Process(process.pid).children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
    process.kill()
    process.wait()


def _spawn(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    with log.open("a") as sink:
        return subprocess.Popen(args, stdout=sink, stderr=subprocess.STDOUT, env=env)


def synthkg_env(home: Path) -> dict[str, str]:
    """The environment that makes ``synthkg`` serve a generated graph.

    The per-client query-time budget is off: the load client is one client asking on
    purpose for far more query time than a fair share, and the other servers have no such
    budget.
    """
    return {
        **os.environ,
        "SYNTHKG_HOME": str(home),
        "SYNTHKG_NODE_MODULES": str(PROJECT / "node_modules"),
        "SYNTHKG_CLIENT_BUDGET": "0",
    }


def start(
    kind: str, home: Path, work: Path, limit: float = CUTOFF_SECONDS, **options: str
) -> Running:
    """Start one server kind over the generated graph in ``home``."""
    work.mkdir(parents=True, exist_ok=True)
    log = work / f"{kind}.log"
    port = free_port()
    dataset = home / "dataset.nq"
    load = 0.0
    if kind in ("synthkg", "synthkg-memory"):
        env = synthkg_env(home)
        store = work / "store-synthkg"
        if store.exists():  # built from nothing, as Oxigraph's store is: a true load time
            shutil.rmtree(store)
        began = time.perf_counter()
        subprocess.run(
            [str(BIN / "synthkg"), "store", "build", "--store", str(store)],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        load = time.perf_counter() - began
        args = [str(BIN / "synthkg"), "serve", "--port", str(port), "--store", str(store)]
        if "workers" in options:  # otherwise the command's default, as a user gets it
            args += ["--workers", options["workers"]]
        args += ["--timeout", options.get("query_timeout", "120")]
        if kind == "synthkg-memory":
            args.append("--in-memory")
        url = f"http://127.0.0.1:{port}/sparql"
        began = time.perf_counter()
        process = _spawn(args, log, {**env, "SYNTHKG_MAX_RESULT_ROWS": "10000000"})
    elif kind == "oxigraph":
        store = work / "store-oxigraph"
        if store.exists():
            shutil.rmtree(store)
        began = time.perf_counter()
        subprocess.run(
            [str(BIN / "oxigraph"), "load", "--location", str(store), "--file", str(dataset)],
            check=True, capture_output=True,
        )  # fmt: skip
        load = time.perf_counter() - began
        args = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(store)]
        args += ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
        url = f"http://127.0.0.1:{port}/query"
        began = time.perf_counter()
        process = _spawn(args, log)
    elif kind == "oxigraph-memory":
        args = [str(BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}"]
        args.append("--union-default-graph")
        url = f"http://127.0.0.1:{port}/query"
        began = time.perf_counter()
        process = _spawn(args, log)
        _wait(process, url, log, limit)
        loading = time.perf_counter()
        request = Request(
            f"http://127.0.0.1:{port}/store",
            data=dataset.read_bytes(),
            headers={"Content-Type": "application/n-quads"},
            method="POST",
        )
        with urlopen(request, timeout=limit) as response:
            assert response.status in (200, 201, 204)
        load = time.perf_counter() - loading
    elif kind == "rdflib-endpoint":
        # No persistent store: the data is parsed at every start, so load is start-up.
        args = [str(BIN / "rdflib-endpoint"), "serve", str(dataset)]
        args += ["--host", "127.0.0.1", "--port", str(port)]
        url = f"http://127.0.0.1:{port}/"
        began = time.perf_counter()
        process = _spawn(args, log)
    elif kind.startswith(("virtuoso", "synthkg-virtuoso")):
        return _start_virtuoso(kind, home, work, port, log, limit, options)
    else:
        raise ValueError(f"unknown server kind {kind!r}; one of {', '.join(KINDS)}")
    watch = _watch_until_answered(
        process, url, log, limit, int(options.get("max_bytes", CUTOFF_BYTES))
    )
    started = time.perf_counter() - began
    if kind == "rdflib-endpoint":
        load = started
    return Running(kind, url, process, load, started, watch)


def launch(
    kind: str,
    args: list[str],
    url: str,
    log: Path,
    env: dict[str, str] | None = None,
    limit: float = CUTOFF_SECONDS,
) -> Running:
    """Run a server command that has nothing to load; return once it answers at ``url``."""
    began = time.perf_counter()
    process = _spawn(args, log, env)
    watch = _watch_until_answered(process, url, log, limit)
    return Running(kind, url, process, 0.0, time.perf_counter() - began, watch)


def _watch_until_answered(
    process: subprocess.Popen, url: str, log: Path, limit: float, max_bytes: int = CUTOFF_BYTES
) -> MemoryWatch:
    """Watch a started server's memory from now on; return once it answers (see ``_wait``)."""
    watch = MemoryWatch(process.pid)
    try:
        _wait(process, url, log, limit, watch, max_bytes)
    finally:
        if process.poll() is not None:
            watch.stop()
    return watch


def _start_virtuoso(
    kind: str, home: Path, work: Path, port: int, log: Path, limit: float, options: dict
) -> Running:
    """Virtuoso with the dataset bulk-loaded; for ``synthkg-virtuoso*`` SynthKG in front
    (``-union``: queries sent without a dataset, on Virtuoso's default graph)."""
    folder = work / "virtuoso"
    if folder.exists():
        shutil.rmtree(folder)
    began = time.perf_counter()
    memory = int(options.get("virtuoso_mb", "2048"))
    deadline = int(float(options.get("query_timeout", "120")))
    virtuoso = start_virtuoso(
        folder, data_dir=home, memory_mb=memory, query_timeout=deadline, limit=limit
    )
    started = time.perf_counter() - began
    began = time.perf_counter()
    virtuoso.bulk_load(home / "dataset.nq", "https://w3id.org/synthkg/graph/data")
    load = time.perf_counter() - began
    if kind == "virtuoso":
        watch = MemoryWatch(virtuoso.process.pid)
        return Running(kind, virtuoso.query, virtuoso.process, load, started, watch,
                       virtuoso=virtuoso)  # fmt: skip
    args = [str(BIN / "synthkg"), "serve", "--port", str(port), "--store-url", virtuoso.query]
    if "workers" in options:
        args += ["--workers", options["workers"]]
    args += ["--timeout", options.get("query_timeout", "120")]
    url = f"http://127.0.0.1:{port}/sparql"
    began = time.perf_counter()
    env = {**synthkg_env(home), "SYNTHKG_MAX_RESULT_ROWS": "10000000"}
    if kind == "synthkg-virtuoso-union":
        env["SYNTHKG_STORE_DATASET"] = "store"  # Virtuoso's default graph, as its endpoint
    process = _spawn(args, log, env)
    watch = MemoryWatch(process.pid, others=(virtuoso.process.pid,))
    try:
        _wait(process, url, log, limit)
    except BaseException:
        virtuoso.stop()
        raise
    started = time.perf_counter() - began
    return Running(kind, url, process, load, started, watch, virtuoso=virtuoso)
