"""The canonical Turtle writer, atomic writes and ``synthkg format``."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from synthkg.cli import main
from synthkg.errors import InputError
from synthkg.namespaces import PAPER, PROV, SKG, SOURCE
from synthkg.turtle import serialize, write_atomic

PAPER_A = PAPER["arxiv-2505.03335"]
ROW = SOURCE["list/abcdef012345/L62"]


def sample() -> list[tuple]:
    return [
        (PAPER_A, ns.RDF.type, SKG["Paper"]),
        (PAPER_A, ns.RDF.type, SKG["Preprint"]),
        (PAPER_A, PROV.wasDerivedFrom, ROW),
        (PAPER_A, ns.DCTERMS.title, Literal('A "quoted" title\\ with\nnewline and é ✓')),
        (PAPER_A, SKG["usesMethod"], SKG["SynthesisFromScratch"]),
        (PAPER_A, SKG["usesMethod"], SKG["SynthesisFromSeeds"]),
        (
            PAPER_A,
            URIRef("http://purl.org/spar/fabio/hasPublicationYear"),
            Literal("2025", datatype=ns.XSD.gYear),
        ),
        (ROW, SKG["lineNumber"], Literal(62)),
        (ROW, ns.RDF.type, SKG["SourceRow"]),
        (ROW, SKG["statedLink"], URIRef("https://example.org/a?b=c&d=e")),
        (SKG["x"], ns.SKOS.prefLabel, Literal("Label", lang="en")),
    ]


def test_output_is_independent_of_insertion_order() -> None:
    triples = sample()
    first = serialize(triples)
    random.Random(7).shuffle(triples)
    assert serialize(triples) == first


def test_output_round_trips() -> None:
    graph = Graph()
    for triple in sample():
        graph.add(triple)
    text = serialize(graph)
    parsed = Graph().parse(data=text, format="turtle")
    assert isomorphic(parsed, graph)
    assert serialize(parsed) == text


def test_layout() -> None:
    text = serialize(sample())
    assert text.startswith("@prefix skg: <https://w3id.org/synthkg/ontology/> .\n")
    block = text[text.index("paper:arxiv-2505.03335\n") :]
    lines = block.split("\n")
    assert lines[1] == "    a skg:Paper, skg:Preprint ;"
    assert lines[2].startswith("    dcterms:title ")
    assert lines[3] == '    fabio:hasPublicationYear "2025"^^xsd:gYear ;'
    assert (
        "    skg:usesMethod\n        skg:SynthesisFromScratch,\n        skg:SynthesisFromSeeds ;"
        in block
    )
    # a local name with '/' is written as a full IRI; integers are bare
    assert "<https://w3id.org/synthkg/source/list/abcdef012345/L62>\n" in text
    assert "    skg:lineNumber 62 ;" in text
    assert '"Label"@en' in text
    assert text.index("\npaper:arxiv") < text.index("\n<https://w3id.org/synthkg/source/list")


def test_blank_nodes_are_refused() -> None:
    with pytest.raises(InputError, match="blank node"):
        serialize([(PAPER_A, SKG["x"], BNode())])


def test_atomic_write_is_all_or_nothing(tmp_path: Path) -> None:
    first = tmp_path / "a.ttl"
    first.write_text("old\n", encoding="utf-8")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OSError):
        write_atomic({first: "new\n", blocker / "b.ttl": "new\n"})
    assert first.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ttl", "not-a-folder"]
    changed = write_atomic({first: "new\n", tmp_path / "c.ttl": "c\n"})
    assert changed == [first, tmp_path / "c.ttl"]
    assert write_atomic({first: "new\n"}) == []  # unchanged files are not rewritten


def test_format_check_and_rewrite(tmp_path: Path) -> None:
    graph = Graph()
    for triple in sample():
        graph.add(triple)
    target = tmp_path / "papers.ttl"
    target.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    runner = CliRunner()
    check = runner.invoke(main, ["format", "--data", str(tmp_path), "--check"])
    assert check.exit_code == 1
    assert "synthkg format" in check.output
    assert "papers.ttl" in check.output
    rewrite = runner.invoke(main, ["format", "--data", str(tmp_path)])
    assert rewrite.exit_code == 0, rewrite.output
    assert target.read_text(encoding="utf-8") == serialize(graph)
    again = runner.invoke(main, ["format", "--data", str(tmp_path), "--check"])
    assert again.exit_code == 0, again.output


def test_format_reports_broken_turtle(tmp_path: Path) -> None:
    (tmp_path / "broken.ttl").write_text("this is not turtle", encoding="utf-8")
    result = CliRunner().invoke(main, ["format", "--data", str(tmp_path), "--check"])
    assert result.exit_code == 2
    assert "broken.ttl" in result.output
