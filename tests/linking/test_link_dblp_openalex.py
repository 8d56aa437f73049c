"""``synthkg link --kind dblp`` and ``--kind openalex`` against real SPARQL servers.

Each kind runs its own query templates against ``oxigraph serve`` on loopback, loaded with
a small graph shaped like the real one (dblp's RDF schema, SemOpenAlex's ontology). What
the run writes must also meet the link shapes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, SKOS

from curation.curation_support import copy_data
from synthkg.cli import main
from synthkg.graph import data_files
from synthkg.linking.links import SSSOM
from synthkg.linking.run import link_papers
from synthkg.namespaces import LINK, PAPER, SKG
from synthkg.store import DATA_GRAPH, memory_store
from synthkg.validate import validate_files

from .conftest import LINKING_RESOURCES
from .oxigraph_server import OxigraphServer

DAY = date(2025, 1, 31)
DBLP = "https://dblp.org/rec/"
OPENALEX = "https://openalex.org/"


def _serve(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path_factory.mktemp(name) / "store")
    server.load(LINKING_RESOURCES / f"{name}.ttl")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def dblp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A dblp-shaped SPARQL server."""
    yield from _serve(tmp_path_factory, "dblp")


@pytest.fixture(scope="module")
def semopenalex(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A SemOpenAlex-shaped SPARQL server."""
    yield from _serve(tmp_path_factory, "semopenalex")


def _links(folder: Path) -> set[tuple[str, str, str]]:
    graph = Graph().parse(folder / "links.ttl")
    found = set()
    for prop, name in ((OWL.sameAs, "sameAs"), (SKOS.exactMatch, "exactMatch")):
        for paper, target in graph.subject_objects(prop):
            found.add((str(paper).removeprefix(str(PAPER)), name, str(target)))
    return found


def test_dblp_links_by_arxiv_doi_volume_and_title(dblp, data_dir, tmp_path):
    report = link_papers(
        dblp.endpoint,
        "dblp",
        data_dir=data_dir,
        batch_size=2,
        state_path=tmp_path / "s.json",
        today=DAY,
    )
    assert report.by_method == {"arxiv": 2, "doi": 1, "title": 1}
    assert _links(data_dir) == {
        # arXiv DOI 10.48550/arXiv.2401.00001 (the NeurIPS record shares only the title)
        ("arxiv-2401.00001", "sameAs", DBLP + "journals/corr/abs-2401-00001"),
        # a CoRR entry without a DOI, found by its volume abs/2302.00002
        ("arxiv-2302.00002", "sameAs", DBLP + "journals/corr/abs-2302-00002"),
        # our lower-case DOI against dblp's upper-case IEEE spelling
        ("doi-10.1109_tvcg.2025.12345", "sameAs", DBLP + "journals/tvcg/StudyCollapse25"),
        # title with a trailing full stop; the CoRR preprint of the same title is left out
        ("title-a-blog-post-nobody-catalogued", "exactMatch", DBLP + "conf/icml/BlogPost23"),
    }
    links = Graph().parse(data_dir / "links.ttl")
    record = LINK["doi-10.1109_tvcg.2025.12345/dblp-StudyCollapse25"]
    assert links.value(record, SSSOM["match_string"]) is not None
    assert links.value(record, SSSOM["mapping_provider"]) == URIRef(dblp.endpoint)


def test_openalex_links_by_doi_forms_and_title(semopenalex, data_dir, tmp_path):
    report = link_papers(
        semopenalex.endpoint,
        "openalex",
        data_dir=data_dir,
        state_path=tmp_path / "s.json",
        today=DAY,
    )
    assert report.by_method == {"arxiv": 1, "doi": 1, "title": 1}
    assert _links(data_dir) == {
        # prism:doi "https://doi.org/10.48550/arxiv.2401.00001"^^xsd:anyURI
        ("arxiv-2401.00001", "sameAs", OPENALEX + "W901"),
        # datacite:doi as a plain string
        ("doi-10.1109_tvcg.2025.12345", "sameAs", OPENALEX + "W902"),
        # no DOI in SemOpenAlex: found by its title
        ("arxiv-2302.00002", "exactMatch", OPENALEX + "W903"),
    }


def test_openalex_links_feed_the_derived_identifier(semopenalex, data_dir, tmp_path):
    link_papers(
        semopenalex.endpoint,
        "openalex",
        data_dir=data_dir,
        state_path=tmp_path / "s.json",
        today=DAY,
    )
    store = memory_store({DATA_GRAPH: data_files(data_dir)})
    rows = store.query(
        "SELECT ?id WHERE { ?paper <http://www.wikidata.org/prop/direct/P10283> ?id }",
        use_default_graph_as_union=True,
    )
    assert sorted(row["id"].value for row in rows) == ["W901", "W902"]


@pytest.mark.parametrize("kind", ["dblp", "openalex"])
def test_link_command_output_meets_the_shapes(kind, dblp, semopenalex, tmp_path):
    """``synthkg link`` on the curation fixture data plus the linking papers: the link
    records it writes raise no finding, and linking adds no finding anywhere."""
    folder = copy_data(tmp_path)
    linked = Graph().parse(LINKING_RESOURCES / "data" / "papers.ttl")
    # Give the linking fixture papers what the paper shapes ask for, so that the whole
    # folder conforms before the run.
    (folder / "linked.ttl").write_text(_complete(linked), encoding="utf-8")
    before = validate_files(data_files(folder))
    assert before.conforms, [f.message for f in before.findings]
    endpoint = {"dblp": dblp, "openalex": semopenalex}[kind].endpoint
    result = CliRunner().invoke(
        main,
        [
            "link",
            "--endpoint",
            endpoint,
            "--kind",
            kind,
            "--data",
            str(folder),
            "--state",
            str(tmp_path / "state.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    after = validate_files(data_files(folder))
    records = set(Graph().parse(folder / "links.ttl").subjects(OWL.annotatedSource, None))
    assert len(records) >= 3
    assert [f for f in after.findings if f.focus in records] == []
    assert after.findings == before.findings


def _complete(papers: Graph) -> str:
    """The linking fixture papers (incomplete records left out) with a year, a venue and a
    category each, as Turtle."""
    lines = [
        "@prefix skg: <https://w3id.org/synthkg/ontology/> .",
        "@prefix fabio: <http://purl.org/spar/fabio/> .",
        "@prefix schema: <https://schema.org/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix venue: <https://w3id.org/synthkg/venue/> .",
    ]
    stubs = set(papers.subjects(SKG["recordStatus"], None))
    for triple in papers:
        if triple[0] in stubs:
            continue
        lines.append(" ".join(term.n3() for term in triple) + " .")
    for paper in sorted(set(papers.subjects()) - stubs):
        lines.append(
            f'{paper.n3()} fabio:hasPublicationYear "2024"^^xsd:gYear ; '
            "skg:publishedIn venue:arxiv ; skg:usesMethod skg:SynthesisFromScratch ; "
            f"schema:url <https://example.org/{str(paper).rsplit('/', 1)[-1]}> ."
        )
    return "\n".join(lines) + "\n"
