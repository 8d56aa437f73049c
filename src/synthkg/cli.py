"""The ``synthkg`` command. Each command is a thin wrapper over a plain function.

Commands live in ``synthkg.commands.<area>`` modules, each exposing ``commands``. A module
is imported only when one of its commands runs (or help lists them all): ``synthkg serve``
then carries neither the SHACL validator nor the importers into the server's processes.
"""

from __future__ import annotations

import importlib

import click

from synthkg import __version__

# Each command's name, and the module under ``synthkg.commands`` that defines it.
COMMAND_MODULES: dict[str, str] = {
    "ontology": "ontology",
    "docs": "ontology",
    "import": "importing",
    "format": "importing",
    "validate": "validation",
    "serve": "serving",
    "query": "serving",
    "store": "serving",
    "load": "serving",
    "export": "exporting",
    "link": "linking",
    "add": "curation",
    "edit": "curation",
    "remove": "curation",
    "release": "release",
}


def command_named(name: str) -> click.Command | None:
    """The command called ``name``, importing only the module that defines it."""
    area = COMMAND_MODULES.get(name)
    if area is None:
        return None
    module = importlib.import_module(f"synthkg.commands.{area}")
    return next((command for command in module.commands if command.name == name), None)


class LazyCommands(click.Group):
    """A group whose commands are imported when they are asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return command_named(cmd_name)


@click.group(cls=LazyCommands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="synthkg")
def main() -> None:
    """SynthKG: the knowledge graph of synthetic data generation research."""


if __name__ == "__main__":
    main()
