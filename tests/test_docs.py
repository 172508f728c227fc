"""Docs that cannot drift: every command has help text and a line in the README."""

from __future__ import annotations

import typer.main

from conftest import REPO
from trappa.cli import app


def all_commands() -> list[tuple[str, object]]:
    """(full name, click command) for every leaf command of the app."""
    root = typer.main.get_command(app)
    found = []

    def walk(prefix: str, group) -> None:
        for name, command in group.commands.items():
            full = f"{prefix} {name}".strip()
            if hasattr(command, "commands"):
                walk(full, command)
            else:
                found.append((full, command))

    walk("", root)
    return found


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
