"""The HTML documentation written by ``synthkg docs``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from synthkg.cli import main


def test_docs_writes_html_with_the_terms(runner: CliRunner, tmp_path: Path) -> None:
    out_dir = tmp_path / "docs"
    result = runner.invoke(main, ["docs", "-o", str(out_dir)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out_dir.iterdir()] == ["ontology.html"]
    html = (out_dir / "ontology.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "<title>SynthKG ontology</title>" in html
    for label in ("Data-free knowledge distillation", "Source row", "classified under"):
        assert label in html
    assert "https://w3id.org/synthkg/ontology/Paper" in html


def test_docs_of_broken_turtle_exits_2(runner: CliRunner, resources: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "docs"
    broken = resources / "ontology" / "broken.ttl"
    result = runner.invoke(main, ["docs", "-o", str(out_dir), "--ttl", str(broken)])
    assert result.exit_code == 2
    assert "broken.ttl" in result.output
    assert not out_dir.exists()
