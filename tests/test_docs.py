"""Docs that cannot drift: every command has help text and a line in the README."""

from __future__ import annotations

import importlib

import typer
import typer.main

from conftest import REPO
from trappa.cli import COMMANDS, app


def all_commands() -> list[tuple[str, object]]:
    """(full name, click command) for every leaf command of the app."""
    root = typer.main.get_command(app)
    context = typer.Context(root)
    found = []

    def walk(prefix: str, group, ctx) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            full = f"{prefix} {name}".strip()
            if hasattr(command, "list_commands"):
                walk(full, command, typer.Context(command, parent=ctx))
            else:
                found.append((full, command))

    walk("", root, context)
    return found


def test_the_command_index_matches_the_commands() -> None:
    """`trappa --help` lists commands from COMMANDS without importing them: it must agree with
    what the modules register."""
    for module in {module for module, _ in COMMANDS.values()}:
        importlib.import_module(f"trappa.cli.{module}")
    registered = {info.name or typer.main.get_command_name(info.callback.__name__)
                  for info in app.registered_commands}
    registered |= {group.name for group in app.registered_groups}
    assert registered == set(COMMANDS)
    root = typer.main.get_command(app)
    context = typer.Context(root)
    for name, (_, short) in COMMANDS.items():
        command = root.get_command(context, name)
        first = " ".join((command.help or "").split("\n\n")[0].split())
        assert first == short, name


def test_every_command_has_help_text() -> None:
    missing = [name for name, command in all_commands() if not (command.help or "").strip()]
    assert missing == []


def test_every_option_has_help_text() -> None:
    missing = [
        f"{name} {param.opts[0]}"
        for name, command in all_commands()
        for param in command.params
        if param.param_type_name == "option" and not (getattr(param, "help", "") or "").strip()
    ]
    assert missing == []


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [name for name, _ in all_commands() if f"`trappa {name}" not in readme]
    assert missing == []


def test_readme_opens_with_the_two_setup_commands() -> None:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```sh") + 3]
    assert [line.split("#")[0].strip() for line in block] == ["make demo", "make test"]
