"""CLI commands: curation (``synthkg add``, ``edit``, ``remove``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from synthkg import paths
from synthkg.commands import data_dir_option, reports_errors
from synthkg.curation.operations import Edit, Outcome, add_paper, edit_paper, remove_paper
from synthkg.curation.people import parse_person
from synthkg.curation.records import curator_name


def _common(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every curation command takes."""
    options = [
        data_dir_option,
        click.option(
            "--curator",
            default=None,
            help="Who makes the change (default: $SYNTHKG_CURATOR, else git user.name).",
        ),
        click.option("--why", required=True, help="Why: kept in the curation record."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _report(outcome: Outcome) -> None:
    click.echo(outcome.message)
    click.echo(f"  record: <{outcome.record}>")
    for path in outcome.written:
        click.echo(f"  wrote {path}")


@click.command("add")
@click.argument("identifier")
@click.option(
    "--category",
    "categories",
    multiple=True,
    required=True,
    help="A taxonomy category, by local name (FederatedLearning) or label; repeatable.",
)
@click.option("--title", default=None, help="The paper's title.")
@click.option("--year", default=None, help="The publication year.")
@click.option("--venue", default=None, help="The venue (NeurIPS, ICLR, arXiv, …).")
@click.option(
    "--author",
    "authors",
    multiple=True,
    help='An author, in byline order: "Name" or "Name|ORCID"; repeatable.',
)
@_common
@reports_errors
def add_command(
    identifier: str,
    categories: tuple[str, ...],
    title: str | None,
    year: str | None,
    venue: str | None,
    authors: tuple[str, ...],
    data_dir: Path | None,
    curator: str | None,
    why: str,
) -> None:
    """Add a paper by arXiv ID, DOI or URL, under one or more categories."""
    from synthkg.curation.paper import PaperInput

    given = PaperInput(
        identifier=identifier,
        categories=list(categories),
        title=title,
        year=year,
        venue=venue,
        authors=[parse_person(a) for a in authors],
    )
    _report(add_paper(given, curator_name(curator), why, data_dir or paths.DATA_DIR))


@click.command("edit")
@click.argument("paper")
@click.option("--title", default=None, help="The corrected title.")
@click.option("--year", default=None, help="The corrected publication year.")
@click.option("--venue", default=None, help="The corrected venue.")
@click.option("--add-category", "add_categories", multiple=True, help="A category to add.")
@click.option("--remove-category", "remove_categories", multiple=True, help="A category to remove.")
@click.option(
    "--authors",
    default=None,
    help='The whole byline, in order, separated by ";": "Ada Lovelace|0000-…; Alan Turing".',
)
@click.option(
    "--add-identifier",
    "add_identifiers",
    multiple=True,
    help="An identifier to add: arXiv ID, DOI or URL (e.g. the published version's DOI).",
)
@_common
@reports_errors
def edit_command(
    paper: str,
    title: str | None,
    year: str | None,
    venue: str | None,
    add_categories: tuple[str, ...],
    remove_categories: tuple[str, ...],
    authors: str | None,
    add_identifiers: tuple[str, ...],
    data_dir: Path | None,
    curator: str | None,
    why: str,
) -> None:
    """Correct a paper (named by paper:<name>, IRI or identifier)."""
    edit = Edit(
        title=title,
        year=year,
        venue=venue,
        add_categories=list(add_categories),
        remove_categories=list(remove_categories),
        authors=None
        if authors is None
        else [parse_person(a) for a in authors.split(";") if a.strip()],
        add_identifiers=list(add_identifiers),
    )
    _report(edit_paper(paper, edit, curator_name(curator), why, data_dir or paths.DATA_DIR))


@click.command("remove")
@click.argument("paper")
@click.option("--replaced-by", default=None, help="The paper that replaces it (a duplicate).")
@_common
@reports_errors
def remove_command(
    paper: str, replaced_by: str | None, data_dir: Path | None, curator: str | None, why: str
) -> None:
    """Remove a paper, keeping a removed-paper record under its IRI."""
    outcome = remove_paper(
        paper, curator_name(curator), why, data_dir or paths.DATA_DIR, replaced_by=replaced_by
    )
    _report(outcome)


commands: list[click.Command] = [add_command, edit_command, remove_command]
