"""CLI commands: release (``synthkg release VERSION``)."""

from __future__ import annotations

from pathlib import Path

import click

from synthkg.commands import data_dir_option, reports_errors
from synthkg.release.build import make_release


@click.command("release")
@click.argument("version")
@click.option("--prior", default=None, help="The release to compare with (default: the latest).")
@click.option("--date", "issued", default=None, help="Release date YYYY-MM-DD (default: today).")
@data_dir_option
@click.option(
    "--build",
    "build_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Build folder; the release goes to BUILD/releases/VERSION (default: build/).",
)
@reports_errors
def release_command(
    version: str,
    prior: str | None,
    issued: str | None,
    data_dir: Path | None,
    build_dir: Path | None,
) -> None:
    """Write a versioned release: dumps, VoID/DCAT, checksums, changeset and changelog."""
    report = make_release(version, prior, issued, data_dir, build_dir)
    since = f" (changes since {report.prior})" if report.prior else " (first release)"
    click.echo(f"released {report.version} into {report.folder}{since}")
    for kind, count in report.counts.items():
        click.echo(f"  {kind:<13} {count} paper(s)")
    for name, (size, digest) in report.files.items():
        click.echo(f"  {name:<13} {size:>9} bytes  sha256 {digest}")


commands: list[click.Command] = [release_command]
