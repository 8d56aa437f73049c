"""The generated RDF/XML copy: faithful, deterministic, and checked for freshness."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from synthkg import paths
from synthkg.cli import main
from synthkg.errors import ConformanceError, InputError
from synthkg.graph import parse_files
from synthkg.ontology import BUILD_COMMAND, build_rdfxml, check_fresh, serialize_rdfxml


def test_project_rdfxml_is_fresh() -> None:
    try:
        check_fresh(paths.ONTOLOGY_TTL, paths.ONTOLOGY_RDFXML)
    except ConformanceError as error:
        pytest.fail(f"{error} (the ontology changed: run `{BUILD_COMMAND}`)")


def test_rdfxml_round_trips_awkward_triples(resources: Path, tmp_path: Path) -> None:
    source = parse_files([resources / "ontology" / "awkward.ttl"])
    target = build_rdfxml(resources / "ontology" / "awkward.ttl", tmp_path / "awkward.owl")
    copy = Graph().parse(target, format="xml")
    assert len(copy) == len(source)
    assert isomorphic(source, copy)
    text = target.read_text(encoding="utf-8")
    assert '<owl:Class rdf:about="https://w3id.org/synthkg/ontology/Empty"/>' in text
    assert "&lt;than&gt; &amp;" in text


def test_rdfxml_is_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    """rdflib's own RDF/XML writer reorders with Python's hash seed; ours must not."""
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"seed-{seed}.owl"
        subprocess.run(
            [sys.executable, "-m", "synthkg.cli", "ontology", "build", "--owl", str(target)],
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
        )
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] == serialize_rdfxml(parse_files([paths.ONTOLOGY_TTL])).encode("utf-8")


@pytest.fixture
def ontology_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the ontology and a freshly built RDF/XML copy of it, in a tmp dir."""
    ttl = tmp_path / "synthkg.ttl"
    shutil.copyfile(paths.ONTOLOGY_TTL, ttl)
    owl = build_rdfxml(ttl, tmp_path / "synthkg.owl")
    return ttl, owl


def test_check_passes_then_fails_once_the_source_changes(ontology_copy: tuple[Path, Path]) -> None:
    ttl, owl = ontology_copy
    check_fresh(ttl, owl)
    with ttl.open("a", encoding="utf-8") as stream:
        stream.write('\nskg:Paper skos:editorialNote "A new note."@en .\n')
    with pytest.raises(ConformanceError, match="synthkg ontology build"):
        check_fresh(ttl, owl)


def test_check_ignores_formatting(ontology_copy: tuple[Path, Path]) -> None:
    ttl, owl = ontology_copy
    # Same graph, other layout: rdflib's own RDF/XML.
    parse_files([ttl]).serialize(owl, format="xml")
    check_fresh(ttl, owl)


def test_cli_check_exit_codes(runner: CliRunner, ontology_copy: tuple[Path, Path]) -> None:
    ttl, owl = ontology_copy
    options = ["--ttl", str(ttl), "--owl", str(owl)]
    fresh = runner.invoke(main, ["ontology", "check", *options])
    assert fresh.exit_code == 0, fresh.output
    assert "up to date" in fresh.output

    ttl.write_text(
        ttl.read_text(encoding="utf-8").replace("Synthesis from scratch", "From scratch"),
        encoding="utf-8",
    )
    stale = runner.invoke(main, ["ontology", "check", *options])
    assert stale.exit_code == 1
    assert "stale" in stale.output and "synthkg ontology build" in stale.output

    rebuilt = runner.invoke(main, ["ontology", "build", *options])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert runner.invoke(main, ["ontology", "check", *options]).exit_code == 0

    owl.unlink()
    missing = runner.invoke(main, ["ontology", "check", *options])
    assert missing.exit_code == 1
    assert "missing" in missing.output and "synthkg ontology build" in missing.output


def test_build_of_broken_turtle_exits_2_and_writes_nothing(
    runner: CliRunner, resources: Path, tmp_path: Path
) -> None:
    broken = resources / "ontology" / "broken.ttl"
    owl = tmp_path / "broken.owl"
    result = runner.invoke(main, ["ontology", "build", "--ttl", str(broken), "--owl", str(owl)])
    assert result.exit_code == 2
    assert "broken.ttl" in result.output
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InputError, match=r"broken\.ttl"):
        build_rdfxml(broken, owl)
