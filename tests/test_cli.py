"""The ``synthkg`` command group: every command is found, by name, in the module that
defines it."""

from __future__ import annotations

import importlib

from click.testing import CliRunner

from synthkg.cli import COMMAND_MODULES, command_named, main


def test_every_command_of_every_module_is_listed_under_its_module() -> None:
    for area in set(COMMAND_MODULES.values()):
        module = importlib.import_module(f"synthkg.commands.{area}")
        for command in module.commands:
            assert COMMAND_MODULES.get(command.name) == area, command.name


def test_every_listed_command_exists() -> None:
    for name in COMMAND_MODULES:
        command = command_named(name)
        assert command is not None and command.name == name


def test_help_lists_every_command_and_an_unknown_one_is_refused() -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["--help"])
    assert listed.exit_code == 0
    for name in COMMAND_MODULES:
        assert f"  {name} " in listed.output
    unknown = runner.invoke(main, ["serv"])
    assert unknown.exit_code == 2
    assert "No such command 'serv'" in unknown.output
