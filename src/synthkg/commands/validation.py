"""CLI commands: validation.

``synthkg validate`` exit codes: 0 the graph conforms (warnings allowed), 1 at least one
SHACL violation, 2 a file cannot be read or parsed. ``--quality`` adds the quality checks
to the output; they are informational and never change the exit code.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from synthkg import quality
from synthkg.commands import reports_errors
from synthkg.errors import ConformanceError
from synthkg.validate import as_json, render, summary_line, validate_files


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json"]),
    default="text",
    show_default=True,
    help="text: grouped by paper; turtle: the sh:ValidationReport graph; json: see below.",
)
@click.option(
    "--quality",
    "with_quality",
    is_flag=True,
    help="Also run the data-quality queries (informational: the exit code is unchanged).",
)
@reports_errors
def validate_command(files: tuple[Path, ...], fmt: str, with_quality: bool) -> None:
    """Check the graph against the SHACL shapes in shapes/.

    Validates data/*.ttl, or the given FILES, merged with the ontology. The text report
    groups results by paper (title, IRI, the source lines it came from), then a summary.
    JSON is {"conforms", "violations", "warnings", "results": [...]} with one object per
    sh:ValidationResult, plus "quality" with --quality. In Turtle, the quality rows follow
    the report graph as # comments.

    \b
    Exit codes:
      0  conforms (warnings allowed)
      1  at least one violation
      2  a file cannot be read or parsed (the message names the file and line)
    """
    outcome = validate_files(list(files) or None)
    checks = quality.run_checks(quality.quality_store(list(files) or None)) if with_quality else []
    if fmt == "json":
        document = as_json(outcome)
        if with_quality:
            document["quality"] = quality.as_json(checks)
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(render(outcome, fmt))
        if with_quality:
            text = quality.render_text(checks)
            if fmt == "turtle":
                text = "\n".join(f"# {line}".rstrip() for line in text.splitlines())
            click.echo("\n" + text)
    if not outcome.conforms:
        raise ConformanceError(summary_line(outcome))


commands: list[click.Command] = [validate_command]
