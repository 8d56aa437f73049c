"""The browsing pages over a generated graph of 10^4 papers: paging (LIMIT/OFFSET with a
separate COUNT) gives the right rows at the boundaries, sorting holds across pages, counts
equal those of the generator, and every page answers in well under a few seconds."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from frontend_support import Expected, frontend_app
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from synthkg import paths
from synthkg.namespaces import FABIO, PAPER, SKG, VENUE
from synthkg.store import DATA_GRAPH, ONTOLOGY_GRAPH, memory_store

PAPERS = 10_000
WORDS = [
    "synthetic",
    "data",
    "generation",
    "diffusion",
    "language",
    "model",
    "privacy",
    "federated",
    "distillation",
    "benchmark",
    "reasoning",
    "code",
    "robot",
    "simulation",
    "augmentation",
    "inversion",
    "instruction",
    "preference",
    "evaluation",
    "collapse",
    "tabular",
    "vision",
    "agent",
]
LEAVES = {
    "usesMethod": [
        "SynthesisFromScratch",
        "SynthesisFromSeeds",
        "DataSpaceInversion",
        "AgentBasedSimulation",
        "RuleBasedAugmentation",
        "GenerativeAugmentation",
    ],
    "hasApplication": [
        "ZeroFewShotLearning",
        "FederatedLearning",
        "DatasetDistillation",
        "Reasoning",
        "Code",
        "PrivacyPreservingLearning",
        "VisualSensing",
    ],
    "addressesChallenge": ["ModelCollapse", "SyntheticDataEvaluation"],
}
VENUES = ["arxiv", "neurips", "iclr", "cvpr", "tpami"]
PLANTED = "Quokkas generate zebrafish datasets"
DASH = "\u2013"  # as the pages write "Papers 1\u201350 of N"
BUDGET_SECONDS = 3.0  # a page that takes longer is not usable; measured figures are far lower


@dataclass
class Generated:
    path: Path
    years: dict[str, int] = field(default_factory=dict)
    categories: dict[str, set[str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)


def _iri(value: object) -> str:
    return f"<{value}>"


def generate(target: Path) -> Generated:
    """Papers with random titles, years, venues and categories, as N-Triples."""
    rng = random.Random(9)
    a, label = _iri(RDF.type), _iri(RDFS.label)
    lines = []
    for v in VENUES:
        kind = "PreprintServer" if v == "arxiv" else "Conference"
        lines += [
            f"{_iri(VENUE[v])} {a} {_iri(SKG['Venue'])} .",
            f"{_iri(VENUE[v])} {a} {_iri(SKG[kind])} .",
            f'{_iri(VENUE[v])} {label} "{v.upper()}" .',
        ]
    generated = Generated(path=target)
    for n in range(PAPERS):
        name = f"arxiv-2{n // 1000:03d}.{n % 1000:05d}"
        iri = _iri(PAPER[name])
        title = PLANTED if n == 4321 else " ".join(rng.sample(WORDS, 5)).capitalize()
        year = 2000 + rng.randrange(26)
        venue = rng.choice(VENUES)
        generated.titles[name] = title
        generated.years[name] = year
        lines += [
            f"{iri} {a} {_iri(SKG['Paper'])} .",
            f'{iri} {_iri(DCTERMS.title)} "{title}" .',
            f'{iri} {_iri(FABIO.hasPublicationYear)} "{year}"^^{_iri(XSD.gYear)} .',
            f"{iri} {_iri(SKG['publishedIn'])} {_iri(VENUE[venue])} .",
        ]
        if venue == "arxiv":
            lines.append(f"{iri} {a} {_iri(SKG['Preprint'])} .")
        chosen = set()
        for prop, leaves in LEAVES.items():
            if rng.random() < (0.15 if prop == "addressesChallenge" else 0.7):
                leaf = rng.choice(leaves)
                chosen.add(leaf)
                lines.append(f"{iri} {_iri(SKG[prop])} {_iri(SKG[leaf])} .")
        generated.categories[name] = chosen
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return generated


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FlaskClient, Generated]]:
    generated = generate(tmp_path_factory.mktemp("big") / "papers.nt")
    store = memory_store({ONTOLOGY_GRAPH: [paths.ONTOLOGY_TTL], DATA_GRAPH: [generated.path]})
    app = frontend_app(store)
    yield app.test_client(), generated
    app.extensions["synthkg"].pool.close()


@pytest.fixture(scope="module")
def taxonomy() -> Expected:
    return Expected(Graph().parse(paths.ONTOLOGY_TTL))


def timed(web: FlaskClient, path: str, timings: dict[str, float], note: str = "") -> str:
    start = time.perf_counter()
    response = web.get(path, headers={"Accept": "text/html"})
    timings[path + note] = time.perf_counter() - start
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def rows(text: str) -> list[tuple[str, str]]:
    """(paper path, year) of every row of the paper table."""
    return re.findall(
        r'<tr>\s*<td><a href="(/paper/[^"]+)">[^<]*</a></td>\s*<td>([^<]*)</td>', text
    )


@pytest.mark.slow
def test_pages_at_ten_thousand_papers(
    big: tuple[FlaskClient, Generated], taxonomy: Expected
) -> None:
    web, generated = big
    timings: dict[str, float] = {}
    home = timed(web, "/", timings)
    assert f'id="count-papers">{PAPERS}<' in home
    timed(web, "/taxonomy", timings)

    wanted = {leaf.removeprefix(str(SKG)) for leaf in taxonomy.below(SKG["Application"])}
    under = {name for name, cats in generated.categories.items() if cats & wanted}
    first = timed(web, "/taxonomy/Application", timings)
    assert f"Papers 1{DASH}50 of {len(under)}" in first
    pages = -(-len(under) // 50)
    assert f"Page 1 of {pages}" in first
    page_one, page_two = rows(first), rows(timed(web, "/taxonomy/Application?page=2", timings))
    assert len(page_one) == len(page_two) == 50
    assert not {p for p, _ in page_one} & {p for p, _ in page_two}
    years = [int(y) for _, y in page_one + page_two]
    assert years == sorted(years, reverse=True)
    assert years[0] == max(generated.years[n] for n in under)
    last = rows(timed(web, f"/taxonomy/Application?page={pages}&sort=year&order=asc", timings))
    assert len(last) == len(under) - 50 * (pages - 1)
    assert int(last[-1][1]) == max(generated.years[n] for n in under)
    beyond = timed(web, f"/taxonomy/Application?page={pages + 1}", timings)
    assert rows(beyond) == []
    by_title = rows(timed(web, "/taxonomy/SynthesisMethod?sort=title&page=3", timings))
    assert len(by_title) == 50

    found = web.get("/search.json", query_string={"q": "zebrafish QUOKKAS"}).get_json()
    assert [r["iri"] for r in found["results"]] == [str(PAPER["arxiv-2004.00321"])]
    two_words = {
        n for n, t in generated.titles.items() if {"privacy", "robot"} <= set(t.lower().split())
    }
    start = time.perf_counter()
    listed = web.get("/search.json", query_string={"q": "privacy robot"}).get_json()
    timings["/search.json?q=privacy robot"] = time.perf_counter() - start
    assert listed["total"] == len(two_words) and len(listed["results"]) == min(50, len(two_words))
    timed(web, "/search?q=privacy+robot&page=2", timings)
    timed(web, "/search?q=2004.00321", timings)

    timed(web, "/analysis", timings)
    timed(web, "/analysis/papers?method=SynthesisMethod&application=Application&page=7", timings)
    timed(web, "/paper/arxiv-2004.00321", timings)
    # Kept per data version: the second visit does not query again.
    timed(web, "/analysis", timings, " (again)")
    timed(web, "/", timings, " (again)")

    report = "\n".join(f"{seconds * 1000:8.0f} ms  {path}" for path, seconds in timings.items())
    print(f"\npage times at {PAPERS} papers:\n{report}")
    slow = {path: t for path, t in timings.items() if t > BUDGET_SECONDS}
    assert not slow, report
