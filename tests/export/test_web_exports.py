"""The web app's export routes: the JSON-LD context, extra dumps, per-resource exports."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph
from rdflib.namespace import DCAT, VOID

from synthkg.export import export
from synthkg.export.jsonld import CONTEXT_FILE
from synthkg.web import create_app
from synthkg.web.exports import extra_dumps

from .export_support import parse_bibtex


@pytest.fixture
def client(export_store):
    app = create_app({"TESTING": True}, export_store)
    yield app.test_client()
    app.extensions["synthkg"].pool.close()


def test_context_is_served_as_json_ld(client):
    response = client.get("/context.jsonld")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    assert response.get_json() == json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


def test_extra_dumps_are_the_exports(client, export_store):
    expected = {
        "synthkg-compact.jsonld": "jsonld",
        "synthkg.rdf": "rdfxml",
        "synthkg.bib": "bibtex",
        "synthkg.csv": "csv",
        "synthkg.md": "markdown",
    }
    for filename, name in expected.items():
        response = client.get(f"/dumps/{filename}")
        assert response.status_code == 200, filename
        assert response.data == export(name, export_store).body, filename
        assert filename in response.headers["Content-Disposition"]
    rdf = Graph().parse(data=client.get("/dumps/synthkg.rdf").data, format="xml")
    assert len(rdf) == export("nt", export_store).count
    assert len(parse_bibtex(client.get("/dumps/synthkg.bib").data)) == 5


def test_dumps_of_the_pages_blueprint_still_answer(client):
    assert client.get("/dumps/synthkg.ttl").status_code == 200
    assert client.get("/dumps/synthkg.nope").status_code == 404


def test_extra_dumps_report_sizes_and_triples(export_store):
    dumps = {d.filename: d for d in extra_dumps(export_store, "v1")}
    assert dumps["synthkg.rdf"].triples == export("nt", export_store).count
    assert dumps["synthkg.bib"].triples is None
    assert all(len(d.body) > 0 for d in dumps.values())


def test_one_paper_as_bibtex(client):
    response = client.get("/export/paper/arxiv-2401.00001.bib")
    assert response.status_code == 200
    entries = parse_bibtex(response.data)
    assert list(entries) == ["arxiv-2401.00001"]
    assert entries["arxiv-2401.00001"]["ENTRYTYPE"] == "misc"
    assert client.get("/export/paper/arxiv-0000.00000.bib").status_code == 404
    assert client.get("/export/paper/arxiv-2401.00001.txt").status_code == 404


def test_category_csv_includes_subcategories(client):
    response = client.get("/export/category/SynthesisMethod.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert sorted(r["iri"].rsplit("/", 1)[-1] for r in rows) == [
        "arxiv-2302.00002",
        "arxiv-2401.00001",
        "doi-10.1109_tvcg.2025.12345",
        "title-tinygen",
    ]
    leaf = client.get("/export/category/ModelCollapse.csv").get_data(as_text=True)
    assert leaf.count("\r\n") == 2  # header and one paper
    assert client.get("/export/category/NoSuchCategory.csv").status_code == 404


def test_void_describes_the_extra_dumps_with_size_and_triples(client, export_store):
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format="turtle")
    sizes = {}
    for dist, url in graph.subject_objects(predicate=DCAT.downloadURL):
        triples = graph.value(dist, VOID.triples)
        size = int(graph.value(dist, DCAT.byteSize))
        sizes[str(url).rsplit("/", 1)[-1]] = (size, None if triples is None else int(triples))
    dumps = {d.filename: d for d in extra_dumps(export_store, "any")}
    for filename, item in dumps.items():
        assert sizes[filename] == (len(item.body), item.triples), filename
