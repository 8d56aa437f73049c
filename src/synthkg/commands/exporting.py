"""CLI commands: exporting."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from synthkg.commands import reports_errors
from synthkg.export import FORMATS, export, write_bytes_atomic


@click.command("export")
@click.option(
    "--format",
    "-f",
    "format_name",
    type=click.Choice(list(FORMATS)),
    default="ttl",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of standard output.",
)
@click.option(
    "--data-only",
    is_flag=True,
    help="RDF formats: leave the ontology out (data and derived triples only).",
)
@reports_errors
def export_command(format_name: str, output: Path | None, data_only: bool) -> None:
    """Export the graph: ontology, data and derived triples as RDF (ttl, nt, rdfxml,
    jsonld, trig, nq; TriG and N-Quads keep the named graphs), or the papers as BibTeX,
    CSV or awesome-list Markdown. Output is sorted: the same graph gives the same bytes."""
    result = export(format_name, data_only=data_only)
    if output is None:
        sys.stdout.buffer.write(result.body)
        sys.stdout.buffer.flush()
        return
    write_bytes_atomic(output, result.body)
    click.echo(
        f"wrote {output} ({len(result.body)} bytes, {result.count} {_unit(result)})", err=True
    )


def _unit(result) -> str:  # type: ignore[no-untyped-def]
    return "statements" if result.format.rdf else "papers"


commands: list[click.Command] = [export_command]
