"""Loading the graph into Oxigraph, the engine every query runs on.

The ontology goes into one named graph and the data into another; queries see their union
as the default graph.

A persistent store directory keeps the loaded graph between runs. It holds the Oxigraph
database (``oxigraph/``) and a data-version stamp (``data-version``): the SHA-256 over the
graph names, file names and contents of every source file. A directory whose stamp matches
the files is opened as is; otherwise it is rebuilt in a fresh temporary directory beside it
and renamed into place, so a reader never sees a half-built store.

Hashing every file on every start would cost seconds on a large graph (SHA-256 reads
about 1 GB/s here; 10^7 triples of Turtle are about 1 GB), so the store also records the
size and modification time of each file it was built from (``data-files``). When they are
all unchanged the stamp is trusted without reading the files; when any changed, the files
are hashed and the store is rebuilt only if the hash differs too. (An edit that keeps
both a file's size and its modification time to the nanosecond goes unseen:
``synthkg store build --force`` rebuilds regardless.)
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from synthkg import paths
from synthkg.derived import add_derived, derived_queries
from synthkg.errors import InputError
from synthkg.graph import data_files
from synthkg.namespaces import GRAPH

ONTOLOGY_GRAPH = ox.NamedNode(str(GRAPH["ontology"]))
DATA_GRAPH = ox.NamedNode(str(GRAPH["data"]))
# Facts computed from the others at build time (see synthkg.derived).
DERIVED_GRAPH = ox.NamedNode(str(GRAPH["derived"]))

STAMP_FILE = "data-version"
SIGNATURE_FILE = "data-files"
# Triples per named graph, counted once at build time: the server needs them for every
# query (FROM checks, the service description), and counting 10^7 triples at each start
# took longer than the rest of the start-up.
SIZES_FILE = "graph-sizes.json"
DATABASE_DIR = "oxigraph"

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".owl": ox.RdfFormat.RDF_XML,
    ".rdf": ox.RdfFormat.RDF_XML,
}

Sources = dict[ox.NamedNode, list[Path]]


def default_sources() -> Sources:
    """The project's files, by the named graph they load into."""
    return {ONTOLOGY_GRAPH: [paths.ONTOLOGY_TTL], DATA_GRAPH: data_files()}


def load_files(
    store: ox.Store, files: Iterable[Path], graph: ox.NamedNode | ox.DefaultGraph
) -> None:
    """Bulk-load RDF files into one graph of the store; a bad file raises ``InputError``."""
    for path in files:
        fmt = _FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise InputError(f"{path}: unknown RDF file type {path.suffix!r}")
        try:
            store.bulk_load(path=str(path), format=fmt, to_graph=graph)
        except (SyntaxError, ValueError, OSError) as error:
            raise InputError(f"{path}: cannot load: {error}") from error


def memory_store(sources: Sources | None = None) -> ox.Store:
    """A new in-memory store holding the given files (the project's by default)."""
    store = ox.Store()
    for graph, files in (sources or default_sources()).items():
        load_files(store, files, graph)
    add_derived(store, DERIVED_GRAPH)
    return store


def data_version(sources: Sources | None = None) -> str:
    """The SHA-256 (hex) over every source file, named by graph and file name.

    It changes whenever a file is added, removed, renamed or edited, and only then.
    """
    digest = hashlib.sha256()
    chosen = sources or default_sources()
    for graph in sorted(chosen, key=lambda node: node.value):
        for path in sorted(chosen[graph]):
            try:
                content = path.read_bytes()
            except OSError as error:
                raise InputError(f"{path}: cannot read: {error}") from error
            for part in (graph.value.encode(), path.name.encode(), content):
                digest.update(len(part).to_bytes(8, "big"))
                digest.update(part)
    for query in derived_queries():  # the derived graph changes with its queries too
        for part in (query.name.encode(), query.read_bytes()):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return digest.hexdigest()


def file_signature(sources: Sources | None = None) -> str:
    """Name, size and modification time of every source file (and derived query), as JSON.

    Cheap (no file is read): when it matches the one recorded at build time, the files
    are taken to be the ones the store was built from.
    """
    chosen = sources or default_sources()
    entries: list[list[object]] = []
    named = [(graph.value, path) for graph in chosen for path in chosen[graph]]
    named += [("derived-query", path) for path in derived_queries()]
    for label, path in sorted(named, key=lambda item: (item[0], str(item[1]))):
        try:
            info = path.stat()
        except OSError as error:
            raise InputError(f"{path}: cannot read: {error}") from error
        entries.append([label, str(Path(path).resolve()), info.st_size, info.st_mtime_ns])
    return json.dumps(entries, separators=(",", ":"))


def _recorded_signature(store_dir: Path) -> str | None:
    try:
        return (store_dir / SIGNATURE_FILE).read_text(encoding="utf-8")
    except OSError:
        return None


def _version_if_untouched(store_dir: Path, signature: str) -> str | None:
    """The store's data version when its source files are the ones it was built from (by
    name, size and modification time: nothing is read)."""
    recorded = stored_version(store_dir)
    return recorded if recorded and _recorded_signature(store_dir) == signature else None


@dataclass(frozen=True)
class PreparedStore:
    """An on-disk store that matches the source files."""

    path: Path
    version: str
    built: bool
    seconds: float

    @property
    def database(self) -> Path:
        """The Oxigraph database folder inside the store directory."""
        return self.path / DATABASE_DIR


def stored_version(store_dir: Path) -> str | None:
    """The data version a store directory was built from, if it has a complete one."""
    stamp = store_dir / STAMP_FILE
    if not (store_dir / DATABASE_DIR).is_dir() or not stamp.is_file():
        return None
    return stamp.read_text(encoding="ascii").strip() or None


def prepare_store(
    store_dir: Path | None = None, sources: Sources | None = None, *, rebuild: bool = False
) -> PreparedStore:
    """Make sure ``store_dir`` holds the current graph; build it only when it is stale."""
    target = Path(store_dir or paths.STORE_DIR)
    started = time.perf_counter()
    # Taken before the files are read, so an edit made meanwhile shows as a change later.
    signature = file_signature(sources)
    untouched = None if rebuild else _version_if_untouched(target, signature)
    if untouched:
        _record_sizes(target)
        _record_page_data(target, untouched)
        return PreparedStore(target, untouched, False, time.perf_counter() - started)
    recorded = stored_version(target)
    version = data_version(sources)
    if not rebuild and recorded == version:
        _write_signature(target, signature)  # the files were touched, not changed
        return PreparedStore(target, version, False, time.perf_counter() - started)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Several processes (web workers started without a master, a concurrent `store build`)
    # may find the store stale at once: one builds, the others wait and then reuse it.
    with (target.parent / f".{target.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not rebuild and stored_version(target) == version:
            return PreparedStore(target, version, False, time.perf_counter() - started)
        build_store(target, sources, version, signature)
    return PreparedStore(target, version, True, time.perf_counter() - started)


def prepare_store_apart(store_dir: Path | None = None) -> PreparedStore:
    """``prepare_store`` for a process that forks afterwards (a server's master, a worker).

    Building or opening a store starts the storage engine's background threads (RocksDB,
    inside pyoxigraph), and a process forked from one that has them inherits their locks in
    whatever state they were: a query process forked from there could hang for good on
    opening the store. So anything beyond the quick up-to-date check runs in a separate
    Python process (a plain one: no helper process stays behind).
    """
    target = Path(store_dir or paths.STORE_DIR)
    started = time.perf_counter()
    untouched = _version_if_untouched(target, file_signature(None))
    if untouched and (target / SIZES_FILE).is_file() and _page_data_current(target, untouched):
        return PreparedStore(target, untouched, False, time.perf_counter() - started)
    recorded = stored_version(target)
    builder = subprocess.run(
        [sys.executable, "-c", _BUILD_APART, str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    version = stored_version(target)
    if builder.returncode == _BAD_INPUT:
        raise InputError(builder.stderr.strip())  # the files' own error, as prepare_store's
    if builder.returncode != 0 or version is None:
        detail = builder.stderr.strip().splitlines()[-1:] or [f"exit code {builder.returncode}"]
        raise InputError(f"the store {target} could not be built: {detail[0]}")
    built = version != recorded or not (target / SIZES_FILE).is_file()
    return PreparedStore(target, version, built, time.perf_counter() - started)


_BAD_INPUT = 3
_BUILD_APART = f"""
import sys
from synthkg.errors import InputError
from synthkg.store import prepare_store
try:
    prepare_store(sys.argv[1])
except InputError as failure:
    print(failure, file=sys.stderr)
    sys.exit({_BAD_INPUT})
"""


def _record_sizes(store_dir: Path) -> None:
    # A store built before sizes were recorded gets them once, here (in the server's
    # master process), rather than in every worker at its first query.
    if (store_dir / SIZES_FILE).is_file():
        return
    try:
        sizes = count_graphs(ox.Store.read_only(str(store_dir / DATABASE_DIR)))
        tmp = store_dir / f".{SIZES_FILE}.{os.getpid()}"
        tmp.write_text(json.dumps(sizes, sort_keys=True), encoding="utf-8")
        os.replace(tmp, store_dir / SIZES_FILE)
    except OSError:
        pass


def _page_data_current(store_dir: Path, version: str) -> bool:
    from synthkg.web.page_data import page_data_current

    return page_data_current(store_dir, version)


def _record_page_data(store_dir: Path, version: str, store: ox.Store | None = None) -> None:
    # The reader pages' data, computed once here rather than by every web worker at its
    # start (see synthkg.web.page_data). A store built by other code gets it on its first
    # check. Best effort: without it the workers compute it themselves.
    from synthkg.web.page_data import page_data_current, store_page_data

    if store is None and page_data_current(store_dir, version):
        return
    try:
        opened = store or ox.Store.read_only(str(store_dir / DATABASE_DIR))
        sizes = stored_graph_sizes(store_dir) or count_graphs(opened)
        store_page_data(opened, store_dir, version, sizes)
    except Exception as failure:  # the store itself is fine without it
        print(f"warning: the pages' data was not saved: {failure}", file=sys.stderr)


def _write_signature(store_dir: Path, signature: str) -> None:
    # Best effort: without it the next start hashes the files again, nothing worse.
    try:
        tmp = store_dir / f".{SIGNATURE_FILE}.{os.getpid()}"
        tmp.write_text(signature, encoding="utf-8")
        os.replace(tmp, store_dir / SIGNATURE_FILE)
    except OSError:
        pass


def build_store(
    target: Path, sources: Sources | None, version: str, signature: str | None = None
) -> None:
    """Bulk-load the files into a fresh directory beside ``target``, then swap it in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        fresh.chmod(0o755)
        store = ox.Store(str(fresh / DATABASE_DIR))
        for graph, files in (sources or default_sources()).items():
            load_files(store, files, graph)
        add_derived(store, DERIVED_GRAPH)
        store.flush()
        store.optimize()
        sizes = count_graphs(store)
        (fresh / SIZES_FILE).write_text(json.dumps(sizes, sort_keys=True), encoding="utf-8")
        _record_page_data(fresh, version, store)
        del store  # closes the database before the folder moves
        (fresh / STAMP_FILE).write_text(version + "\n", encoding="ascii")
        if signature is not None:
            (fresh / SIGNATURE_FILE).write_text(signature, encoding="utf-8")
        _swap_in(fresh, target)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def _swap_in(fresh: Path, target: Path) -> None:
    # A directory cannot be replaced atomically while it is non-empty, so the old one is
    # first renamed aside (readers holding it open keep working) and removed afterwards.
    old: Path | None = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        os.replace(target, old / target.name)
    os.replace(fresh, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def open_store(prepared: PreparedStore, *, in_memory: bool = True) -> ox.Store:
    """The prepared store opened read-only, or copied into memory (see ``synthkg.web.server``)."""
    if not in_memory:
        return ox.Store.read_only(str(prepared.database))
    return memory_copy(ox.Store.read_only(str(prepared.database)))


# Quads copied per call into the engine: each call holds Python's lock throughout.
COPY_BATCH = 2_000


def memory_copy(store: ox.Store, batch: int = COPY_BATCH) -> ox.Store:
    """A store's quads copied into a new in-memory store, ``batch`` at a time, so that the
    other threads of the process get their turn between batches (one call over all the
    quads held Python's lock for the whole copy: 8 s at 10^6 triples)."""
    memory = ox.Store()
    quads = store.quads_for_pattern(None, None, None, None)
    while chunk := list(itertools.islice(quads, batch)):
        memory.bulk_extend(chunk)
    return memory


def count_graphs(store: ox.Store) -> dict[str, int]:
    """Triples per named graph (by IRI), counted by the engine in one query."""
    rows = store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?g)) } GROUP BY ?g"
    )
    return {row["g"].value: int(row["n"].value) for row in rows}


def stored_graph_sizes(store_dir: Path) -> dict[str, int] | None:
    """The graph sizes recorded when the store was built (None for an older store)."""
    try:
        sizes = json.loads((store_dir / SIZES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return {str(k): int(v) for k, v in sizes.items()} if isinstance(sizes, dict) else None


def graph_sizes(store: ox.Store) -> dict[ox.NamedNode | ox.BlankNode, int]:
    """The number of triples in each named graph of the store."""
    return {
        graph: sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        for graph in sorted(store.named_graphs(), key=str)
    }
