"""The browsing pages over a small fixture: home, taxonomy, category, paper, analysis and
search pages, each checked against counts worked out without SPARQL."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from itertools import pairwise

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from frontend_support import FRONTEND_DATA, Expected, frontend_app
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from synthkg import paths
from synthkg.namespaces import PAPER, SKG

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SELF_INSTRUCT = "/paper/arxiv-2212.10560"
DASH = "\u2013"  # the pages write "Papers 1\u20137 of 7"


@pytest.fixture(scope="module")
def web() -> Iterator[FlaskClient]:
    app = frontend_app()
    yield app.test_client()
    app.extensions["synthkg"].pool.close()


@pytest.fixture(scope="module")
def expected() -> Expected:
    return Expected.of_files([paths.ONTOLOGY_TTL, FRONTEND_DATA])


def page(web: FlaskClient, path: str) -> str:
    response = web.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200, path
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def plain(text: str) -> str:
    """The page's text, tags dropped and spacing folded."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))


def counts_shown(text: str) -> dict[str, int]:
    """Category name -> the count shown next to its link."""
    found = re.findall(
        r'href="/taxonomy/(\w+)">[^<]*</a>\s*<span class="n"[^>]*>(\d+)</span>', text
    )
    return {name: int(n) for name, n in found}


def paper_titles(text: str) -> list[str]:
    body = text.split('<table class="papers">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr>\s*<td><a href="[^"]+">(.*?)</a></td>\s*<td>(.*?)</td>', body, re.S)
    return [html.unescape(title) for title, _ in rows]


def paper_years(text: str) -> list[str]:
    body = text.split('<table class="papers">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"</a></td>\s*<td>(.*?)</td>", body)


def test_home_counts_and_provenance(web: FlaskClient, expected: Expected) -> None:
    text = page(web, "/")
    shown = {k: int(v) for k, v in re.findall(r'id="count-(\w+)">(\d+)<', text)}
    assert shown["papers"] == len(expected.papers) == 10
    assert shown["categories"] == len(expected.categories)
    assert shown["identifiers"] == expected.identifiers()
    venues = set(expected.graph.subjects(RDF.type, SKG["Venue"]))
    assert shown["venues"] == len(venues)
    store = web.application.extensions["synthkg"].store
    in_named_graphs = [q for q in store if isinstance(q.graph_name, ox.NamedNode)]
    assert shown["statements"] == len(in_named_graphs) > 0
    words = plain(text)
    assert "Release 0.3.0" in words
    assert "current-list.md (sha256 aaaaaaaaaaaa , 3 rows)" in words
    assert "draft-list.md (sha256 bbbbbbbbbbbb , 1 row)" in words
    counts = counts_shown(text)
    for root in ("SynthesisMethod", "Application", "Challenge"):
        assert counts[root] == len(expected.papers_under(SKG[root])), root
    for target in ("/sparql", "/dumps/synthkg.ttl", "/ontology", "/taxonomy", "/analysis"):
        assert f'href="{target}' in text, target


def test_taxonomy_tree_counts_include_subcategories(web: FlaskClient, expected: Expected) -> None:
    text = page(web, "/taxonomy")
    assert text.count("<details") >= 3 and "<summary>" in text
    counts = counts_shown(text)
    assert len(counts) == len(expected.categories)
    for name, n in counts.items():
        assert n == len(expected.papers_under(SKG[name])), name
    # A parent counts each paper once, however many of its subcategories hold it (one
    # fixture paper is under both Code and Instruction following).
    children = ("Reasoning", "Code", "InstructionFollowing", "Preference")
    assert counts["DomainModelEnhancement"] < sum(counts[c] for c in children)
    # The survey's order: categories named by the lists come first, in list order.
    assert text.index("/taxonomy/SynthesisFromScratch") < text.index("/taxonomy/SynthesisFromSeeds")


def test_category_page(web: FlaskClient, expected: Expected) -> None:
    text = page(web, "/taxonomy/GenerationBasedSynthesis")
    under = expected.papers_under(SKG["GenerationBasedSynthesis"])
    assert f"Papers 1{DASH}{len(under)} of {len(under)}" in text
    titles = paper_titles(text)
    assert sorted(titles) == sorted(str(expected.graph.value(p, DCTERMS.title)) for p in under)
    # Default order: newest first.
    years = paper_years(text)
    assert years == sorted(years, reverse=True)
    # Subcategories with counts, a breadcrumb, the chart and its numbers.
    counts = counts_shown(text)
    assert counts["SynthesisFromScratch"] == len(expected.papers_under(SKG["SynthesisFromScratch"]))
    assert 'href="/taxonomy/SynthesisMethod"' in text
    assert '<svg class="chart"' in text and 'class="bar"' in text
    # The SPARQL that produced the page, with this category in it.
    assert "skos:broader*" in html.unescape(text)
    assert f"&lt;{SKG['GenerationBasedSynthesis']}&gt;" in text
    assert 'href="/export/category/GenerationBasedSynthesis.csv"' in text


def test_category_sorting(web: FlaskClient, expected: Expected) -> None:
    by_title = paper_titles(page(web, "/taxonomy/Application?sort=title&order=asc"))
    assert by_title == sorted(by_title, key=str.casefold)
    assert len(by_title) == len(expected.papers_under(SKG["Application"]))
    desc = paper_titles(page(web, "/taxonomy/Application?sort=title&order=desc"))
    assert desc == list(reversed(by_title))
    old_first = paper_years(page(web, "/taxonomy/Application?sort=year&order=asc"))
    dated = [y for y in old_first if y != "—"]
    assert dated == sorted(dated)
    venue_text = page(web, "/taxonomy/Application?sort=venue&order=asc")
    venues = re.findall(r'<td><a href="/venue/[^"]+">([^<]+)</a></td>', venue_text)
    assert venues == sorted(venues, key=str.casefold)
    assert 'aria-sort="ascending"' in venue_text
    # Bad values fall back to the defaults instead of failing.
    assert paper_titles(page(web, "/taxonomy/Application?sort=x&order=y&page=z"))


def test_unknown_category_is_404(web: FlaskClient) -> None:
    assert web.get("/taxonomy/NoSuchCategory").status_code == 404


def test_paper_page(web: FlaskClient) -> None:
    text = page(web, SELF_INSTRUCT)
    assert "<h1>Self-instruct: Aligning language models" in text
    assert 'href="https://arxiv.org/abs/2212.10560"' in text
    assert 'href="/venue/arxiv"' in text
    assert 'href="/taxonomy/SynthesisFromScratch"' in text
    assert 'href="/taxonomy/InstructionFollowing"' in text
    words = plain(text)
    assert "current-list.md:67" in words and "draft-list.md:12" in words
    assert "1. Methodologies > 1.1 Generation-Based Synthesis > Synthesis from scratch" in words
    assert "@misc{arxiv-2212.10560," in words
    assert "author = {Yizhong Wang and Noah A. Smith}" in words
    assert 'href="/export/paper/arxiv-2212.10560.bib"' in text
    assert 'href="http://www.wikidata.org/entity/Q117000000"' in text
    assert "haswbstatement" in html.unescape(text)  # the derived wdt:P818 as a search link
    assert 'data-copy="bibtex"' in text


def test_paper_page_identifiers_and_kinds(web: FlaskClient) -> None:
    both = page(web, "/paper/arxiv-2101.00002")
    assert 'href="https://arxiv.org/abs/2101.00002"' in both
    assert 'href="https://doi.org/10.1109/tpami.2021.0000002"' in both
    assert "@article{arxiv-2101.00002" in plain(both) and "journal = {TPAMI}" in plain(both)
    conference = plain(page(web, "/paper/arxiv-2406.04412"))
    assert "booktitle = {International Conference on Learning Representations}" in conference
    assert "skos:exactMatch" in conference
    mystery = plain(page(web, "/paper/title-mystery"))
    assert "incomplete record" in mystery and "No imported list names this paper" in mystery
    web_page = page(web, "/paper/url-0123456789ab")
    assert 'href="https://example.org/notes/private-tables"' in web_page


def test_paper_iri_still_gives_rdf(web: FlaskClient) -> None:
    response = web.get(SELF_INSTRUCT, headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert (PAPER["arxiv-2212.10560"], DCTERMS.title, None) in graph


def test_everything_is_escaped(web: FlaskClient) -> None:
    for path in (
        "/paper/title-a-script-title",
        "/taxonomy/ModelInversionAttack",
        "/search?q=script+friends",
        "/analysis/papers?method=InversionBasedSynthesis&application=Privacy",
    ):
        text = page(web, path)
        assert "<script>alert" not in text, path
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; friends" in text, path
    text = page(web, "/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in text


def test_analysis_heatmap_matches_the_graph(web: FlaskClient, expected: Expected) -> None:
    text = page(web, "/analysis")
    cells = re.findall(r"method=(\w+)&amp;application=(\w+)\" aria-label=\"(\d+) papers", text)
    assert cells, "no filled cell"
    for method, application, n in cells:
        assert int(n) == len(expected.cell(SKG[method], SKG[application])), (method, application)
    # Every other cell of the table is a gap, and no gap hides papers.
    rows = re.findall(r'<tr class="(?:group|leaf)">(.*?)</tr>', text, re.S)
    columns = (
        text.split('<table class="heatmap">', 1)[1].split("</thead>", 1)[0].count('scope="col"')
    )
    gaps = text.count('<td class="gap">')
    assert gaps + len(cells) == len(rows) * columns
    assert f"{gaps} of {len(rows) * columns} cells" in plain(text)
    # The fixture's one crossing of inversion with privacy (a model inversion attack).
    assert ("LatentSpaceInversion", "Privacy", "1") in cells


def test_analysis_trend_and_shares(web: FlaskClient, expected: Expected) -> None:
    text = page(web, "/analysis")
    assert text.count('<svg class="chart"') == 2
    trend = text.split('id="trend"', 1)[1].split("</table>", 1)[0]
    row_2024 = re.search(r'<th scope="row">2024</th>((?:<td>\d+</td>)+)', trend)
    assert row_2024 is not None
    values = [int(v) for v in re.findall(r"<td>(\d+)</td>", row_2024.group(1))]
    wanted = [
        sum(1 for p in expected.papers_under(SKG[root]) if expected.year(p) == "2024")
        for root in ("SynthesisMethod", "Application", "Challenge")
    ]
    assert values == wanted
    shares = text.split('id="shares"', 1)[1]
    row = re.search(r'/taxonomy/Application">Application</a></th>\s*((?:<td>[^<]+</td>)+)', shares)
    assert row is not None
    peer, preprint, unknown = (int(v) for v in re.findall(r"<td>(\d+)</td>", row.group(1)))
    under = expected.papers_under(SKG["Application"])
    preprints = {p for p in under if (p, None, SKG["Preprint"]) in expected.graph}
    assert preprint == len(preprints)
    assert peer + preprint + unknown == len(under)


def test_heatmap_cell_lists_its_papers(web: FlaskClient, expected: Expected) -> None:
    text = page(web, "/analysis/papers?method=GenerationBasedSynthesis&application=ModelCentricAI")
    wanted = expected.cell(SKG["GenerationBasedSynthesis"], SKG["ModelCentricAI"])
    titles = paper_titles(text)
    assert sorted(titles) == sorted(str(expected.graph.value(p, DCTERMS.title)) for p in wanted)
    assert web.get("/analysis/papers?method=Nope&application=Code").status_code == 404


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("self instruct", {"arxiv-2212.10560"}),
        ("INSTRUCTIONS code", {"arxiv-2305.00001"}),
        ("Self-Instruct", {"arxiv-2212.10560"}),
        ("2212.10560", {"arxiv-2212.10560"}),
        ("arXiv:2212.10560v3", {"arxiv-2212.10560"}),
        ("https://arxiv.org/abs/2212.10560v2", {"arxiv-2212.10560"}),
        ("https://arxiv.org/pdf/2101.00002v1.pdf", {"arxiv-2101.00002"}),
        ("10.1109/CVPR52733.2024.00705", {"doi-10.1109_cvpr52733.2024.00705"}),
        ("https://doi.org/10.1109/TPAMI.2021.0000002", {"arxiv-2101.00002"}),
        ("doi:10.1109/cvpr52733.2024.00705", {"doi-10.1109_cvpr52733.2024.00705"}),
        ("synthetic", {"arxiv-2402.00004", "url-0123456789ab", "doi-10.1109_cvpr52733.2024.00705"}),
        ("synthetic nothing-like-this", set()),
        ('") } DROP ALL #', set()),
    ],
)
def test_search_json(web: FlaskClient, query: str, wanted: set[str]) -> None:
    response = web.get("/search.json", query_string={"q": query})
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    found = {r["iri"].removeprefix(str(PAPER)) for r in body["results"]}
    assert found == wanted
    assert body["total"] == len(wanted)
    for result in body["results"]:
        assert result["url"] == "/paper/" + result["iri"].removeprefix(str(PAPER))


def test_search_page_without_javascript(web: FlaskClient) -> None:
    text = page(web, "/search?q=self+instruct")
    assert '<label for="q">' in text and 'name="q"' in text
    assert paper_titles(text) == [
        "Self-instruct: Aligning language models with self-generated instructions"
    ]
    assert f"Papers 1{DASH}1 of 1" in text
    empty = page(web, "/search")
    assert "<table" not in empty
    none = page(web, "/search?q=zzzzqqq")
    assert "No papers" in none


def test_pages_are_accessible_and_local(web: FlaskClient) -> None:
    for path in (
        "/",
        "/taxonomy",
        "/taxonomy/Application",
        SELF_INSTRUCT,
        "/analysis",
        "/search?q=synthetic",
    ):
        text = page(web, path)
        assert 'class="skip" href="#main"' in text and '<main id="main"' in text, path
        assert text.count("<h1") == 1, path
        # Headings do not skip a level.
        levels = [int(n) for n in re.findall(r"<h([1-6])", text)]
        assert all(b - a <= 1 for a, b in pairwise(levels)), path
        # Every input has a label.
        for input_id in re.findall(r'<input id="([^"]+)"', text):
            assert f'for="{input_id}"' in text, (path, input_id)
        # Scripts and styles come from this server.
        assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', text), path
