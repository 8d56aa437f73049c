"""``synthkg link``: find our papers in another scholarly graph and record the links.

The papers (incomplete records left out) are sorted by IRI and cut into batches. For each
batch the endpoint is asked first for entities with the same arXiv ID or DOI (one query
with VALUES), then, for the papers still unmatched, for entities with the same title: an
exact match after normalisation only (case, punctuation and spacing ignored; the title is
sent in a few spellings so the endpoint can use its index, and a candidate is kept only when
its title normalises to the paper's and it is the only such candidate). Each finished
batch is saved to the state file; only when every batch is done is ``links.ttl`` written,
atomically, so a run that fails half-way leaves ``data/`` as it was and the next run skips
the batches already done.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from synthkg import paths
from synthkg.errors import InputError
from synthkg.graph import data_files
from synthkg.importers.titles import title_key
from synthkg.linking.client import SparqlClient
from synthkg.linking.kinds import Kind, kind_named
from synthkg.linking.links import LINKS_FILE, links_text, write_links
from synthkg.linking.state import Match, RunState, batch_key
from synthkg.store import DATA_GRAPH, memory_store


@dataclass(frozen=True)
class PaperKeys:
    iri: str
    title: str
    arxiv: str | None
    doi: str | None

    def as_tuple(self) -> tuple[str, ...]:
        return (self.iri, self.title, self.arxiv or "", self.doi or "")


@dataclass
class LinkReport:
    papers: int = 0
    batches: int = 0
    batches_skipped: int = 0
    by_method: dict[str, int] | None = None
    links_file: Path | None = None
    changed: bool = False
    requests: int = 0


def papers_to_link(data_dir: Path) -> list[PaperKeys]:
    """The papers of ``data_dir`` with the keys other graphs can match."""
    files = [f for f in data_files(data_dir) if f.name != LINKS_FILE]
    if not files:
        raise InputError(f"{data_dir}: no data files (*.ttl) to link")
    store = memory_store({DATA_GRAPH: files})
    text = (paths.QUERIES_DIR / "linking" / "papers.rq").read_text(encoding="utf-8")
    found = []
    for row in store.query(text, use_default_graph_as_union=True):
        assert isinstance(row, ox.QuerySolution)
        found.append(
            PaperKeys(
                iri=row["paper"].value,
                title=row["title"].value if row["title"] else "",
                arxiv=row["arxiv"].value if row["arxiv"] else None,
                doi=row["doi"].value if row["doi"] else None,
            )
        )
    return found


def match_batch(client: SparqlClient, kind: Kind, batch: list[PaperKeys]) -> list[Match]:
    """Identifier matches first, then title matches for the rest."""
    matches: list[Match] = []
    by_arxiv = {p.arxiv: p for p in batch if p.arxiv}
    by_doi = {kind.doi_case(p.doi): p for p in batch if p.doi}
    if by_arxiv or by_doi:
        query = kind.identifier_query(sorted(by_arxiv), sorted(p.doi for p in by_doi.values()))
        for row in client.select(query):
            index = by_arxiv if row.get("scheme") == "arxiv" else by_doi
            paper = index.get(row.get("key", ""))
            if paper is not None and row.get("item"):
                matches.append(Match(paper.iri, row["item"], row["scheme"], row["key"]))
    matched = {m.paper for m in matches}
    rest = [p for p in batch if p.iri not in matched and title_key(p.title)]
    if rest:
        by_title = {title_key(p.title): p for p in rest}
        candidates: dict[str, set[str]] = defaultdict(set)
        for row in client.select(kind.title_query(p.title for p in rest)):
            key = title_key(row.get("label") or row.get("key", ""))
            if key in by_title and row.get("item"):
                candidates[key].add(row["item"])
        for key, items in sorted(candidates.items()):
            if len(items) == 1:  # an ambiguous title links nothing
                paper = by_title[key]
                matches.append(Match(paper.iri, next(iter(items)), "title", paper.title))
    return sorted(set(matches), key=lambda m: (m.paper, m.target, m.method))


def link_papers(
    endpoint: str,
    kind_name: str = "wikidata",
    *,
    data_dir: Path | None = None,
    batch_size: int = 50,
    timeout: float = 30.0,
    state_path: Path | None = None,
    retries: int = 4,
    backoff: float = 0.5,
    today: date | None = None,
    on_batch: Callable[[int, int, bool], None] | None = None,
) -> LinkReport:
    """Link every paper of ``data_dir`` (the project's ``data/``) to ``endpoint``.

    ``on_batch(done, total, skipped)`` is called after each batch (for a progress bar).
    Raises ``EndpointError`` when a batch fails after its retries; the batches finished
    before stay in the state file and nothing is written to ``data_dir``.
    """
    if batch_size < 1:
        raise InputError("--batch-size must be at least 1")
    kind = kind_named(kind_name)
    folder = Path(data_dir or paths.DATA_DIR)
    state = RunState.load(state_path or paths.BUILD_DIR / f"link-{kind.name}.state.json")
    client = SparqlClient(endpoint, timeout=timeout, retries=retries, backoff=backoff)
    papers = papers_to_link(folder)
    batches = [papers[i : i + batch_size] for i in range(0, len(papers), batch_size)]
    report = LinkReport(papers=len(papers), batches=len(batches))
    matches: list[Match] = []
    for number, batch in enumerate(batches, start=1):
        key = batch_key(endpoint, kind.name, [p.as_tuple() for p in batch])
        skipped = key in state.batches
        if not skipped:
            state.finish(key, match_batch(client, kind, batch))
        else:
            report.batches_skipped += 1
        matches.extend(state.batches[key])
        if on_batch is not None:
            on_batch(number, len(batches), skipped)
    counts: dict[str, int] = defaultdict(int)
    for match in matches:
        counts[match.method] += 1
    report.by_method = dict(sorted(counts.items()))
    report.requests = client.requests
    report.links_file = folder / LINKS_FILE
    text = links_text(report.links_file, matches, kind.name, endpoint, today or date.today())
    report.changed = write_links(report.links_file, text)
    return report
