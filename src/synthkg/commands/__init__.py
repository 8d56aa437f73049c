"""CLI commands, one module per area; each module exposes ``commands``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from synthkg.errors import SynthKGError


def reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a ``SynthKGError`` into its message on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SynthKGError as error:
            click.echo(f"error: {error}", err=True)
            raise SystemExit(error.exit_code) from error

    return wrapper


# The option every command that reads or writes the curated graph takes.
data_dir_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the curated graph (default: the project's data/).",
)
