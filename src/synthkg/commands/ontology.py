"""CLI commands: the ontology's RDF/XML copy, its checks, and its HTML documentation."""

from __future__ import annotations

from pathlib import Path

import click

from synthkg import ontology, paths
from synthkg.commands import reports_errors
from synthkg.errors import ConformanceError

_TTL_OPTION = click.option(
    "--ttl",
    "ttl_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=paths.ONTOLOGY_TTL,
    show_default=True,
    help="The Turtle source of the ontology.",
)
_OWL_OPTION = click.option(
    "--owl",
    "owl_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=paths.ONTOLOGY_RDFXML,
    show_default=True,
    help="The generated RDF/XML copy.",
)


@click.group(name="ontology")
def ontology_group() -> None:
    """The OWL ontology: generate its RDF/XML copy and check it."""


@ontology_group.command(name="build")
@_TTL_OPTION
@_OWL_OPTION
@reports_errors
def build_command(ttl_path: Path, owl_path: Path) -> None:
    """Write the RDF/XML copy (for Protégé and owlready2) from the Turtle source."""
    written = ontology.build_rdfxml(ttl_path, owl_path)
    click.echo(f"wrote {written}")


@ontology_group.command(name="check")
@_TTL_OPTION
@_OWL_OPTION
@reports_errors
def check_command(ttl_path: Path, owl_path: Path) -> None:
    """Exit 1 when the RDF/XML copy is missing or differs from the Turtle source."""
    ontology.check_fresh(ttl_path, owl_path)
    click.echo(f"{owl_path} is up to date")


@ontology_group.command(name="reason")
@_OWL_OPTION
@reports_errors
def reason_command(owl_path: Path) -> None:
    """Classify the RDF/XML copy with HermiT; exit 1 if it is inconsistent or has
    unsatisfiable classes."""
    report = ontology.reason(owl_path)
    if report.unsatisfiable:
        raise ConformanceError(
            f"{owl_path}: unsatisfiable classes: {', '.join(report.unsatisfiable)}"
        )
    click.echo(
        f"{owl_path}: consistent, {report.classes} classes, none unsatisfiable "
        f"(HermiT, {report.seconds:.1f} s)"
    )


@click.command(name="docs")
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=paths.DOCS_BUILD_DIR,
    show_default=True,
    help="Folder for the HTML documentation.",
)
@_TTL_OPTION
@reports_errors
def docs_command(out_dir: Path, ttl_path: Path) -> None:
    """Write the HTML documentation of the ontology (pyLODE)."""
    written = ontology.build_docs(out_dir, ttl_path)
    click.echo(f"wrote {written}")


commands: list[click.Command] = [ontology_group, docs_command]
