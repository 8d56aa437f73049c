"""CLI commands: importing awesome lists and keeping the data files canonical."""

from __future__ import annotations

from pathlib import Path

import click

from synthkg import paths
from synthkg.commands import data_dir_option, reports_errors
from synthkg.graph import data_files
from synthkg.importers.build import ImportReport
from synthkg.importers.run import import_list
from synthkg.turtle import format_files, iri_term


def summary(source: Path, folder: Path, report: ImportReport) -> str:
    """The text ``synthkg import`` prints."""
    lines = [
        f"Imported {source.name} as <{report.document}> into {folder}",
        f"  rows read:             {report.rows_read}",
        f"  papers added:          {report.papers_added}"
        f" ({report.incomplete_added} incomplete, known only by a short name)",
        f"  papers merged:         {report.rows_merged}"
        " (rows that joined an existing or earlier paper)",
        f"  classifications added: {report.classifications_added}",
        f"  conflicts:             {len(report.conflicts)} (year/venue disagreements,"
        " kept in the rows' stated values)",
    ]
    for conflict in report.conflicts:
        where = ", ".join(f"line {n}" for n in conflict.lines)
        values = " / ".join(conflict.values)
        paper = iri_term(str(conflict.paper))
        lines.append(f"    {paper}: {conflict.field} {values} ({where})")
    lines.append(f"  rows skipped:          {len(report.skipped)}")
    lines.extend(f"    line {s.line}: {s.reason}" for s in report.skipped)
    lines.extend(f"  warning: {w}" for w in report.warnings)
    return "\n".join(lines)


@click.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@data_dir_option
@reports_errors
def import_command(source: Path, data_dir: Path | None) -> None:
    """Import an awesome-list Markdown file into the curated graph."""
    folder = data_dir or paths.DATA_DIR
    report = import_list(source, folder)
    click.echo(summary(source, folder, report))


@click.command("format")
@data_dir_option
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file is not canonical.")
@reports_errors
def format_command(data_dir: Path | None, check: bool) -> None:
    """Rewrite the curated Turtle files in canonical form."""
    files = data_files(data_dir or paths.DATA_DIR)
    stale = format_files(files, check=check)
    for path in stale:
        verb = "not canonical" if check else "reformatted"
        click.echo(f"{path}: {verb}")
    if check and stale:
        click.echo(f"run `synthkg format` to rewrite {len(stale)} file(s)", err=True)
        raise SystemExit(1)
    if not stale:
        click.echo(f"{len(files)} file(s) already canonical")


commands: list[click.Command] = [import_command, format_command]
