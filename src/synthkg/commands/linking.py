"""CLI commands: linking."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from synthkg.commands import reports_errors
from synthkg.linking.kinds import KINDS
from synthkg.linking.run import link_papers


@click.command("link")
@click.option("--endpoint", required=True, help="SPARQL endpoint URL of the other graph.")
@click.option(
    "--kind",
    type=click.Choice(list(KINDS)),
    default="wikidata",
    show_default=True,
    help="Which graph the endpoint serves (chooses the query templates).",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The data folder (default: the project's data/); links go to its links.ttl.",
)
@click.option("--batch-size", default=50, show_default=True, help="Papers per query.")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds per request.")
@click.option("--retries", default=4, show_default=True, help="Retries of a failed request.")
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="State file of finished batches (default: build/link-<kind>.state.json).",
)
@reports_errors
def link_command(
    endpoint: str,
    kind: str,
    data_dir: Path | None,
    batch_size: int,
    timeout: float,
    retries: int,
    state_path: Path | None,
) -> None:
    """Link our papers to the same works in another scholarly graph: by arXiv ID or DOI
    first (owl:sameAs), by exact normalised title second (skos:exactMatch), each link
    recorded with its method, confidence, date and endpoint in data/links.ttl. A run that
    fails writes nothing to data/; run it again to continue where it stopped."""
    with click.progressbar(length=1, label="linking", file=sys.stderr) as bar:

        def progress(done: int, total: int, skipped: bool) -> None:
            bar.length = total
            bar.update(1)

        report = link_papers(
            endpoint,
            kind,
            data_dir=data_dir,
            batch_size=batch_size,
            timeout=timeout,
            state_path=state_path,
            retries=retries,
            on_batch=progress,
        )
    methods = ", ".join(f"{n} by {m}" for m, n in (report.by_method or {}).items()) or "none"
    click.echo(
        f"{report.papers} papers in {report.batches} batches "
        f"({report.batches_skipped} already done): links {methods}; "
        f"{report.links_file} {'updated' if report.changed else 'unchanged'}",
        err=True,
    )


commands: list[click.Command] = [link_command]
