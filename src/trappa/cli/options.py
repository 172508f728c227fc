"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Json = Annotated[bool, typer.Option("--json", help="Print only JSON on stdout.")]
Db = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="TRAPPA_DB",
        help="The database file (default: trappa.db in the user's data directory).",
        show_envvar=True,
        dir_okay=False,
    ),
]
Actor = Annotated[
    str | None,
    typer.Option("--actor", envvar="TRAPPA_USER", help="Who does this (default: the login name)."),
]
