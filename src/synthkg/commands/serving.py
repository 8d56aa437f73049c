"""CLI commands: serving the graph (``serve``), querying it (``query``), the store (``store``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from synthkg import paths
from synthkg.commands import reports_errors
from synthkg.store import prepare_store, prepare_store_apart

STORE_OPTION = click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Persistent store directory (default: {paths.STORE_DIR}).",
)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Web worker processes (default: one per two CPUs, at least one).",
)
@STORE_OPTION
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Query time limit in seconds (default: SYNTHKG_QUERY_TIMEOUT or 30).",
)
@click.option(
    "--in-memory",
    is_flag=True,
    help="Serve from memory: each worker's query process copies the store into memory once "
    "and answers on several threads (faster scans, more memory).",
)
@click.option(
    "--store-url",
    default=None,
    metavar="URL",
    help="Serve in front of this SPARQL 1.1 query endpoint instead of the local store.",
)
@reports_errors
def serve(
    host: str,
    port: int,
    workers: int | None,
    store_dir: Path | None,
    timeout: float | None,
    in_memory: bool,
    store_url: str | None,
) -> None:
    """Serve the SPARQL endpoint and the pages with gunicorn."""
    from synthkg.web.server import serve as run_server

    if store_url:
        from synthkg.backends.remote import check_endpoint

        click.echo(f"store: {store_url} ({check_endpoint(store_url)})", err=True)
        run_server(host, port, workers, None, timeout, False, store_url)
        return
    prepared = prepare_store_apart(store_dir)  # the server forks: see prepare_store_apart
    action = "built" if prepared.built else "up to date, reused"
    click.echo(
        f"store {prepared.path}: {action} ({prepared.seconds:.2f} s, "
        f"data version {prepared.version[:12]})",
        err=True,
    )
    run_server(host, port, workers, prepared.path, timeout, in_memory)


@click.command()
@click.argument("sparql")
@click.option(
    "--format",
    "fmt",
    default=None,
    help="json, xml, csv, tsv (SELECT/ASK); turtle, ntriples, rdfxml, jsonld, nquads, "
    "trig (CONSTRUCT/DESCRIBE); or a media type. Default: csv or turtle.",
)
@STORE_OPTION
@click.option("--max-rows", default=1_000_000, show_default=True, type=click.IntRange(1))
@reports_errors
def query(sparql: str, fmt: str | None, store_dir: Path | None, max_rows: int) -> None:
    """Run a SPARQL query (text, or @FILE, or - for stdin) on the local store."""
    from synthkg.web.local_query import query_store

    if sparql == "-":
        sparql = sys.stdin.read()
    elif sparql.startswith("@"):
        source = Path(sparql[1:])
        try:
            sparql = source.read_text(encoding="utf-8")
        except OSError as error:
            raise click.BadParameter(f"{source}: {error.strerror}") from None
    answer = query_store(sparql, fmt, store_dir, max_rows)
    sys.stdout.buffer.write(answer.body)
    sys.stdout.buffer.flush()
    if answer.truncated:
        click.echo(f"warning: answer cut to {max_rows} rows", err=True)


@click.group("store")
def store_group() -> None:
    """The persistent Oxigraph store the server and `query` read."""


@store_group.command("build")
@STORE_OPTION
@click.option("--force", is_flag=True, help="Rebuild even when the stamp matches.")
@reports_errors
def build(store_dir: Path | None, force: bool) -> None:
    """Build the store from the ontology and data files (only when they changed)."""
    prepared = prepare_store(store_dir, rebuild=force)
    action = "built" if prepared.built else "up to date"
    click.echo(f"{prepared.path}: {action} (data version {prepared.version[:12]})")


@click.command("load")
@click.option(
    "--store-url",
    required=True,
    metavar="URL",
    help="The store's SPARQL Update endpoint (used unless --graph-store-url is given).",
)
@click.option(
    "--graph-store-url",
    default=None,
    metavar="URL",
    help="The store's Graph Store Protocol endpoint: each graph is replaced by one PUT.",
)
@click.option("--batch", default=5_000, show_default=True, type=click.IntRange(1))
@click.option(
    "--user", default=None, help="User name for a guarded endpoint (HTTP Basic or Digest)."
)
@click.option(
    "--password",
    envvar="SYNTHKG_STORE_PASSWORD",
    default=None,
    help="Its password (better: the SYNTHKG_STORE_PASSWORD environment variable).",
)
@reports_errors
def load(
    store_url: str,
    graph_store_url: str | None,
    batch: int,
    user: str | None,
    password: str | None,
) -> None:
    """Push the ontology and data into a remote SPARQL store (replacing its graphs)."""
    from synthkg.backends.auth import credentials_from
    from synthkg.backends.loader import load_remote

    credentials = credentials_from(user, password)
    report = load_remote(store_url, graph_store_url, batch=batch, credentials=credentials)
    for graph, count in report.triples.items():
        click.echo(f"{graph}: {count} triples")
    click.echo(f"loaded by {report.method} in {report.seconds:.2f} s")


commands: list[click.Command] = [serve, query, store_group, load]
