"""Provenance of hand edits: one ``skg:CurationActivity`` per add, edit or remove.

Each record says who (``prov:wasAssociatedWith`` a curator), when (``prov:endedAtTime``),
why (``skg:reason``), which paper (``skg:editedPaper``) and, for a correction, every field
that changed with its old and new values (``skg:fieldChange`` nodes).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, PROV, RDF, RDFS, XSD

from synthkg.errors import InputError
from synthkg.importers.titles import title_slug
from synthkg.namespaces import CHANGE, CURATOR, PAPER, SKG

ADDITION = SKG["PaperAddition"]
CORRECTION = SKG["PaperCorrection"]
REMOVAL = SKG["PaperRemoval"]
CURATOR_VARIABLE = "SYNTHKG_CURATOR"


def curator_name(given: str | None) -> str:
    """Who is making the change: ``--curator``, else ``$SYNTHKG_CURATOR``, else git's
    ``user.name``."""
    for candidate in (given, os.environ.get(CURATOR_VARIABLE)):
        if candidate and candidate.strip():
            return " ".join(candidate.split())
    try:
        found = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        found = ""
    if not found:
        raise InputError(
            f"who is making this change? give --curator NAME or set ${CURATOR_VARIABLE}"
        )
    return found


def now() -> datetime:
    """The current time in UTC, to the second (records are named by it)."""
    return datetime.now(UTC).replace(microsecond=0)


def paper_local(paper: URIRef) -> str:
    return str(paper).removeprefix(str(PAPER))


def start_record(
    graph: Graph, kind: URIRef, paper: URIRef, curator: str, why: str, when: datetime
) -> URIRef:
    """A new curation record, named by its time and paper."""
    if not why.strip():
        raise InputError("say why with --why (it is kept in the curation record)")
    stamp = when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    base, number = f"{stamp}-{paper_local(paper)}", 1
    record = CHANGE[base]
    while (record, None, None) in graph:
        number += 1
        record = CHANGE[f"{base}-{number}"]
    agent = CURATOR[title_slug(curator, limit=60)]
    graph.add((agent, RDF.type, PROV.Agent))
    graph.add((agent, RDF.type, FOAF.Person))
    graph.set((agent, RDFS.label, Literal(curator)))
    graph.add((record, RDF.type, kind))
    graph.add((record, RDF.type, PROV.Activity))
    graph.add((record, PROV.wasAssociatedWith, agent))
    iso = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    graph.add((record, PROV.endedAtTime, Literal(iso, datatype=XSD.dateTime)))
    graph.add((record, SKG["reason"], Literal(" ".join(why.split()))))
    graph.add((record, SKG["editedPaper"], paper))
    return record


def record_field(
    graph: Graph,
    owner: URIRef,
    paper: URIRef,
    prop: URIRef,
    old: Iterable,
    new: Iterable,
    node: URIRef | None = None,
) -> URIRef | None:
    """A ``skg:FieldChange`` under ``owner`` (a record or changeset) when the values of
    ``prop`` differ; only the values that went and came are listed."""
    old_set, new_set = set(old), set(new)
    if old_set == new_set:
        return None
    local = str(prop).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    change = node or URIRef(f"{owner}/{local}")
    graph.add((owner, SKG["fieldChange"], change))
    graph.add((change, RDF.type, SKG["FieldChange"]))
    graph.add((change, SKG["changedPaper"], paper))
    graph.add((change, SKG["changedProperty"], prop))
    for value in old_set - new_set:
        graph.add((change, SKG["oldValue"], value))
    for value in new_set - old_set:
        graph.add((change, SKG["newValue"], value))
    return change
