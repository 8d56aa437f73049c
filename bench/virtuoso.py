"""A throw-away Virtuoso (Debian ``virtuoso-opensource``) on free loopback ports.

Everything lives in one temporary directory: a ``virtuoso.ini`` written here, the database
files and the log. The SQL port is used through ``isql-vt`` for what the HTTP endpoint
cannot do: granting updates to the anonymous ``SPARQL`` user (tests only; a real
deployment loads through ``/sparql-auth`` with Digest credentials, which ``synthkg load
--user`` supports) and bulk loading N-Quads with ``ld_dir`` + ``rdf_loader_run()``.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.loopback import answers, free_ports

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
# The password of the database administrator in a fresh database.
ADMIN = ("dba", "dba")

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
DirsAllowed = ., {dir}, {data}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 1G
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = {timeout}
MaxQueryCostEstimationTime = 0
"""


def available() -> bool:
    """Whether Virtuoso and its SQL client are installed."""
    return shutil.which(VIRTUOSO) is not None and shutil.which(ISQL) is not None


@dataclass
class Virtuoso:
    """A running Virtuoso: its folder, ports and process."""

    folder: Path
    http_port: int
    sql_port: int
    process: subprocess.Popen

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query(self) -> str:
        """The SPARQL endpoint (queries; updates once ``allow_anonymous_updates``)."""
        return self.base + "/sparql"

    @property
    def auth_update(self) -> str:
        """The endpoint that takes updates from authenticated users (Digest)."""
        return self.base + "/sparql-auth"

    @property
    def graph_store(self) -> str:
        """The Graph Store Protocol endpoint (anonymous)."""
        return self.base + "/sparql-graph-crud"

    @property
    def auth_graph_store(self) -> str:
        """The Graph Store Protocol endpoint for authenticated users (Digest)."""
        return self.base + "/sparql-graph-crud-auth"

    def isql(self, statements: str, timeout: float = 600.0) -> str:
        """Run SQL statements as the administrator; their output (errors raise)."""
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", *ADMIN, f"exec={statements}"],
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout}{done.stderr}")
        return done.stdout

    def allow_anonymous_updates(self) -> None:
        """Let the anonymous ``SPARQL`` user update (a throw-away database only)."""
        self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')

    def bulk_load(self, dataset: Path, graph: str) -> None:
        """Load an N-Quads or N-Triples file with Virtuoso's bulk loader, then checkpoint.

        Quads keep their own graphs; ``graph`` is the graph of plain triples.
        """
        folder = str(dataset.resolve().parent).replace("'", "''")
        name = dataset.name.replace("'", "''")
        self.isql(
            f"ld_dir('{folder}', '{name}', '{graph}'); rdf_loader_run(); checkpoint;",
            timeout=7200.0,
        )

    def stop(self) -> None:
        """Stop the server (SIGTERM: it checkpoints and exits), then kill if it lingers."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _answers(url: str) -> bool:
    return answers(url, "ASK {}", "text/csv")


# Starts tried before giving up, when Virtuoso exits during start-up.
START_ATTEMPTS = 2


def start_virtuoso(
    folder: Path,
    data_dir: Path | None = None,
    memory_mb: int = 512,
    query_timeout: int = 120,
    limit: float = 120.0,
) -> Virtuoso:
    """Start Virtuoso with its database in ``folder``; wait until ``/sparql`` answers.

    ``data_dir`` is where bulk-loaded files may be read from; ``memory_mb`` sizes the
    buffer pool (8 KiB pages, as Virtuoso's own sizing table does).
    """
    if not available():
        raise RuntimeError("Virtuoso is not installed (Debian package virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    # A start that fails at once (a port taken meanwhile by another process) is tried once
    # more on other ports; the error gives what Virtuoso said both times.
    for _ in range(START_ATTEMPTS):
        server, failure = _launch(folder, data_dir, memory_mb, query_timeout, limit)
        if server is not None:
            return server
        failures.append(failure)
    raise RuntimeError("Virtuoso did not start:\n" + "\n---\n".join(failures))


def _launch(
    folder: Path, data_dir: Path | None, memory_mb: int, query_timeout: int, limit: float
) -> tuple[Virtuoso | None, str]:
    """One start: the server once it answers, or None and why it exited."""
    http_port, sql_port = free_ports(2)
    buffers = max(2000, memory_mb * 1024 // 8 * 2 // 3)
    ini = folder / "virtuoso.ini"
    ini.write_text(
        _INI.format(
            dir=folder.resolve(), data=(data_dir or folder).resolve(), vsp=VSP,
            sql_port=sql_port, http_port=http_port, buffers=buffers,
            dirty=buffers * 3 // 4, timeout=query_timeout,
        ),
        encoding="utf-8",
    )  # fmt: skip
    output = folder / "stdout.log"
    with output.open("w") as sink:
        process = subprocess.Popen(
            [VIRTUOSO, "+configfile", str(ini), "+foreground"],
            cwd=folder, stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = Virtuoso(folder, http_port, sql_port, process)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            # A process killed at start-up leaves its lock file behind, which would stop
            # the next attempt on the same database.
            (folder / "virtuoso.lck").unlink(missing_ok=True)
            said = output.read_text(errors="replace")[-2000:].strip() or "(no output)"
            return None, f"virtuoso-t exited with status {process.returncode}: {said}"
        if _answers(server.query):
            return server, ""
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"Virtuoso did not answer within {limit:g} s")  # not worth a retry
