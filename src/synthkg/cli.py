"""The ``synthkg`` command. Each command is a thin wrapper over a plain function.

Commands live in ``synthkg.commands.<area>`` modules, each exposing ``commands``.
"""

from __future__ import annotations

import importlib

import click

from synthkg import __version__

COMMAND_MODULES = (
    "ontology",
    "importing",
    "validation",
    "serving",
    "exporting",
    "linking",
    "curation",
    "release",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="synthkg")
def main() -> None:
    """SynthKG: the knowledge graph of synthetic data generation research."""


for _name in COMMAND_MODULES:
    for _command in importlib.import_module(f"synthkg.commands.{_name}").commands:
        main.add_command(_command)


if __name__ == "__main__":
    main()
