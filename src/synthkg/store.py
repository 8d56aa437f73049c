"""Loading the graph into Oxigraph, the engine every query runs on.

The ontology goes into one named graph and the data into another; queries see their union
as the default graph.

A persistent store directory keeps the loaded graph between runs. It holds the Oxigraph
database (``oxigraph/``) and a data-version stamp (``data-version``): the SHA-256 over the
graph names, file names and contents of every source file. A directory whose stamp matches
the files is opened as is; otherwise it is rebuilt in a fresh temporary directory beside it
and renamed into place, so a reader never sees a half-built store.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from synthkg import paths
from synthkg.errors import InputError
from synthkg.graph import data_files
from synthkg.namespaces import GRAPH

ONTOLOGY_GRAPH = ox.NamedNode(str(GRAPH["ontology"]))
DATA_GRAPH = ox.NamedNode(str(GRAPH["data"]))

STAMP_FILE = "data-version"
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
    return digest.hexdigest()


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
    version = data_version(sources)
    if not rebuild and stored_version(target) == version:
        return PreparedStore(target, version, False, time.perf_counter() - started)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Several processes (web workers started without a master, a concurrent `store build`)
    # may find the store stale at once: one builds, the others wait and then reuse it.
    with (target.parent / f".{target.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not rebuild and stored_version(target) == version:
            return PreparedStore(target, version, False, time.perf_counter() - started)
        build_store(target, sources, version)
    return PreparedStore(target, version, True, time.perf_counter() - started)


def build_store(target: Path, sources: Sources | None, version: str) -> None:
    """Bulk-load the files into a fresh directory beside ``target``, then swap it in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        fresh.chmod(0o755)
        store = ox.Store(str(fresh / DATABASE_DIR))
        for graph, files in (sources or default_sources()).items():
            load_files(store, files, graph)
        store.flush()
        store.optimize()
        del store  # closes the database before the folder moves
        (fresh / STAMP_FILE).write_text(version + "\n", encoding="ascii")
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
    disk = ox.Store.read_only(str(prepared.database))
    if not in_memory:
        return disk
    memory = ox.Store()
    memory.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    return memory


def graph_sizes(store: ox.Store) -> dict[ox.NamedNode | ox.BlankNode, int]:
    """The number of triples in each named graph of the store."""
    return {
        graph: sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        for graph in sorted(store.named_graphs(), key=str)
    }
