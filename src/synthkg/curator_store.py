"""Curator writes to the curated graph: validated, atomic, recorded, crash-safe.

The curated files in ``data/`` stay the source of truth; a write changes them and nothing
else, and the served store is rebuilt from them afterwards. One write:

1. takes the writers' lock (``flock``), so writes happen one at a time;
2. finishes any write a crash interrupted (see *the journal* below);
3. applies the change to a copy of the curated graph in memory (SPARQL Update on Oxigraph,
   or a whole graph for the Graph Store Protocol);
4. validates the result, merged with the ontology, against the shapes: a graph with a
   violation is refused (``WriteRefused`` with status 422 and the report), nothing written;
5. commits: the new file texts go to temporary files (fsynced), then a journal naming them
   and the audit record is moved into place (the commit point), then the audit record is
   appended (fsynced) and the files are renamed over the old ones, and the journal removed.

The journal makes a write all or nothing across the three files: a process killed before
the journal exists leaves the old state (its temporary files are removed by the next
writer); one killed after it leaves a journal that the next writer, or ``recover``, plays to
the end. Either way the files equal the state before or after each write.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from synthkg import paths
from synthkg.errors import InputError, WriteRefused
from synthkg.graph import new_graph, parse_files
from synthkg.importers.run import DATA_FILES, load_curated, render
from synthkg.validate import load_shapes, render_text, validate_graph

JOURNAL = "journal.json"
LOCK = "writes.lock"
AUDIT = "writes.jsonl"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class WriteResult:
    """What a committed write changed."""

    write_id: str
    added: int
    removed: int
    changed_files: list[str]


@dataclass(frozen=True)
class CuratedFiles:
    """The curated files and the writers' state folder (lock, journal, audit log)."""

    data_dir: Path
    state_dir: Path
    audit_log: Path

    @classmethod
    def default(cls, audit_log: str | Path | None = None) -> CuratedFiles:
        state = paths.BUILD_DIR / "curator"
        return cls(paths.DATA_DIR, state, Path(audit_log) if audit_log else state / AUDIT)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the writers' lock (one write at a time across processes)."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with (self.state_dir / LOCK).open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def recover(self) -> None:
        """Finish a write a crash interrupted after its commit point; drop uncommitted temps."""
        with self.locked():
            self._recover()

    def _recover(self) -> None:
        journal = self.state_dir / JOURNAL
        if journal.is_file():
            entry = json.loads(journal.read_text(encoding="utf-8"))
            self._append_audit(entry["audit"])
            for temp, target in entry["renames"]:
                if Path(temp).exists():
                    os.replace(temp, target)
            _fsync_dir(self.data_dir)
            journal.unlink()
        for stale in self.data_dir.glob(".*.curator-*"):
            stale.unlink(missing_ok=True)

    def graph(self) -> Graph:
        """The curated graph as the files hold it now."""
        return load_curated(self.data_dir)

    def update(self, sparql: str, curator: str) -> WriteResult:
        """Apply a SPARQL Update to the curated graph (checked with ``check_update`` first)."""
        check_update(sparql)

        def change(before: Graph) -> Graph:
            store = ox.Store()
            store.load(before.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
            try:
                store.update(sparql)
            except SyntaxError as failure:
                raise WriteRefused(400, f"update does not parse: {failure}") from None
            except (OSError, ValueError, RuntimeError) as failure:
                raise WriteRefused(400, f"update failed: {failure}") from None
            if any(True for _ in store.named_graphs()):
                raise WriteRefused(400, "updates change the curated graph only: no GRAPH")
            return _from_store(store)

        return self._write(change, curator, "update", sparql)

    def replace(self, turtle: bytes, curator: str, *, merge: bool) -> WriteResult:
        """Replace (PUT) or add to (POST) the curated graph with a Turtle document."""
        try:
            incoming = ox.parse(turtle, format=ox.RdfFormat.TURTLE)
            triples = [(q.subject, q.predicate, q.object) for q in incoming]
        except SyntaxError as failure:
            raise WriteRefused(400, f"the document does not parse as Turtle: {failure}") from None

        def change(before: Graph) -> Graph:
            store = ox.Store()
            if merge:
                data = before.serialize(format="nt", encoding="utf-8")
                store.load(data, ox.RdfFormat.N_TRIPLES)
            store.extend(ox.Quad(s, p, o) for s, p, o in triples)
            return _from_store(store)

        return self._write(change, curator, "post" if merge else "put", turtle.decode())

    def clear(self, curator: str) -> WriteResult:
        """Empty the curated graph (Graph Store Protocol DELETE)."""
        return self._write(lambda _: new_graph(), curator, "delete", "")

    def _write(self, change, curator: str, operation: str, request: str) -> WriteResult:  # type: ignore[no-untyped-def]
        with self.locked():
            self._recover()
            before = self.graph()
            after = change(before)
            _validate(after)
            try:
                texts = render(after)
            except InputError as failure:  # blank nodes
                raise WriteRefused(422, str(failure)) from None
            old = {name: _read(self.data_dir / name) for name in DATA_FILES}
            changed = [name for name in DATA_FILES if texts[name].encode() != old[name]]
            added, removed = len(after - before), len(before - after)
            write_id = uuid.uuid4().hex
            audit = {
                "id": write_id,
                "time": datetime.now(UTC).isoformat(timespec="seconds"),
                "curator": curator,
                "operation": operation,
                "request_sha256": hashlib.sha256(request.encode()).hexdigest(),
                "added": added,
                "removed": removed,
                "files": changed,
            }
            self._commit({name: texts[name] for name in changed}, audit)
            return WriteResult(write_id, added, removed, changed)

    def _commit(self, texts: dict[str, str], audit: dict[str, object]) -> None:
        renames: list[tuple[str, str]] = []
        for name, text in texts.items():
            handle, temp = tempfile.mkstemp(prefix=f".{name}.curator-", dir=self.data_dir)
            with os.fdopen(handle, "wb") as stream:
                stream.write(text.encode("utf-8"))
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp, 0o644)
            renames.append((temp, str(self.data_dir / name)))
        entry = json.dumps({"renames": renames, "audit": audit})
        _write_durably(self.state_dir / JOURNAL, entry)  # the commit point
        self._recover()  # plays the journal: audit record, renames, journal removed

    def _append_audit(self, record: dict[str, object]) -> None:
        self.audit_log.parent.mkdir(parents=True, exist_ok=True)
        if self.audit_log.is_file() and record["id"] in _tail(self.audit_log):
            return  # already recorded before a crash
        with self.audit_log.open("a", encoding="utf-8") as log:
            log.write(json.dumps(record, sort_keys=True) + "\n")
            log.flush()
            os.fsync(log.fileno())

    def audit(self) -> list[dict[str, object]]:
        """Every recorded write, oldest first."""
        if not self.audit_log.is_file():
            return []
        lines = self.audit_log.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]


def check_update(sparql: str) -> None:
    """Refuse updates that would reach outside the store (LOAD, SERVICE) or are not updates."""
    from synthkg.web.limits import MAX_NESTING, inspect_query, tokens

    words = {value.upper() for kind, value in tokens(sparql) if kind == "word"}
    if "LOAD" in words or "SERVICE" in words:
        raise WriteRefused(403, "LOAD and SERVICE are not allowed in curator updates")
    info = inspect_query(sparql)
    if info.depth > MAX_NESTING:
        raise WriteRefused(400, f"update nested too deeply: depth {info.depth}")
    if not info.update:
        raise WriteRefused(400, "not a SPARQL Update (INSERT, DELETE, ...)")


def _validate(data: Graph) -> None:
    merged = parse_files([paths.ONTOLOGY_TTL])
    for triple in data:
        merged.add(triple)
    outcome = validate_graph(merged, load_shapes())
    if not outcome.conforms:
        raise WriteRefused(422, render_text(outcome))


def _from_store(store: ox.Store) -> Graph:
    graph = new_graph()
    for quad in store:
        graph.add((_node(quad.subject), _node(quad.predicate), _node(quad.object)))
    return graph


def _node(term: object) -> URIRef | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise WriteRefused(422, "blank nodes have no place in the curated graph; give the node an IRI")


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() else b""


def _tail(path: Path, size: int = 65536) -> str:
    with path.open("rb") as log:
        log.seek(max(0, path.stat().st_size - size))
        return log.read().decode("utf-8", "replace")


def _write_durably(path: Path, text: str) -> None:
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temp, path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
