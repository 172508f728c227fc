"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trappa.cli import completion
from trappa.messages import _, language

Case = Annotated[
    str,
    typer.Argument(metavar=_("CASE"), help=_("The case id, e.g. 2026-0001."), show_default=False,
                   autocompletion=completion.cases),
]


def _json(value: bool) -> bool:
    # --json is for scripts: the texts inside it (a rule's "detail", a problem's "message") are
    # English in every language, and so is what the command says on stderr.
    if value:
        language.use("en")
    return value


Json = Annotated[
    bool,
    typer.Option("--json", help=_("Print only JSON on stdout."), callback=_json, is_eager=True),
]
Wide = Annotated[
    bool,
    typer.Option("--wide", help=_("Keep every column of the tables, however narrow the terminal.")),
]
Db = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="TRAPPA_DB",
        metavar="PATH|URL",
        help=_(
            "The database file (default: trappa.db in the user's data directory), or a team's"
            " register on PostgreSQL: postgresql://user@host/database."
        ),
        show_envvar=True,
    ),
]
Actor = Annotated[
    str | None,
    typer.Option(
        "--actor", envvar="TRAPPA_USER", help=_("Who does this (default: the login name).")
    ),
]

Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        help=_("md, html, docx or pdf (default: from the -o file's suffix, else md)."),
    ),
]

Output = Annotated[
    Path | None,
    typer.Option("-o", "--output", help=_("Write to this file instead of stdout."), dir_okay=False),
]

Templates = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help=_("A folder of your own templates, laid out like the bundled templates/ (<lang>/"
        "<kind>.md.j2, <lang>/<ladder-id>/<kind>.md.j2, <lang>/<kind>.docx letterheads);"
        " default TRAPPA_TEMPLATES."),
        file_okay=False,
    ),
]

Force = Annotated[
    bool,
    typer.Option(
        "--force",
        help=_("Overwrite the output file if it exists (nothing else: it only means that)."),
    ),
]

# Whose cases a listing keeps (status, review, calendar).
Owner = Annotated[
    str | None,
    typer.Option("--owner", help=_("Only the cases of this owner (avtalsansvarig).")),
]
Mine = Annotated[bool, typer.Option("--mine", help=_("Only my cases (--owner me)."))]
