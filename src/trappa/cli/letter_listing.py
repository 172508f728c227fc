"""What ``letter --list`` and ``letter --templates-path`` print: the letters a case's step calls
for and which were sent, and the template file each kind comes from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from trappa.cli.output import print_json
from trappa.cli.session import session
from trappa.messages import say

if TYPE_CHECKING:
    from trappa.ladder.view import LadderView


def print_list(case: str, db: Path | str | None, as_json: bool) -> None:
    from trappa.letters import correspondence
    with session(db, read_only=True) as s:
        listing = correspondence.letter_list(s, case)
    if as_json:
        print_json(listing)
        return
    typer.echo(
        say(
            "letters.out.list.head",
            case=listing["case"],
            level=listing["level"],
            event=listing["event"],
        )
    )
    if listing["called_for"]:
        typer.echo(say("letters.out.list.called"))
        for row in listing["called_for"]:
            typer.echo(_list_line(row))
    else:
        typer.echo(say("letters.out.list.none"))
    typer.echo(say("letters.out.list.other"))
    for row in listing["other"]:
        typer.echo(_list_line(row))


def _list_line(row: dict[str, Any]) -> str:
    now = [s for s in row["sent"] if s["at_this_step"]]
    before = [s for s in row["sent"] if not s["at_this_step"]]
    if now:
        state = say("letters.out.list.sent", dates=", ".join(s["date"] for s in now))
    elif before:
        state = say("letters.out.list.sent_before", dates=", ".join(s["date"] for s in before))
    else:
        state = say("letters.out.list.not_sent")
    return f"  {row['kind']}: {row['title']} → {row['to']} ({state})"


def templates_path(
    case: str | None, templates: Path | None, db: Path | str | None, as_json: bool
) -> None:
    from trappa.letters import correspondence
    if case is not None:
        with session(db, read_only=True) as s:
            ladder = s.ladder_of(s.case(case))
    else:
        ladder = default_ladder(db)
    rows = correspondence.template_paths(ladder, templates)
    if as_json:
        print_json({"ladder": ladder.ref, "kinds": rows})
        return
    width = max(len(row["kind"]) for row in rows)
    for row in rows:
        where = (
            f"{row['template']} ({row['origin']})"
            if row["template"]
            else say("letters.out.paths.none")
        )
        typer.echo(f"{row['kind']:<{width}}  {where}")
        if row["letterhead"]:
            typer.echo(f"{'':<{width}}  {row['letterhead']}")


def default_ladder(db: Path | str | None) -> LadderView:
    """The ladder new cases get: ``default.ladder`` of the database if there is one, else the
    bundled national ladder."""
    from trappa.cases.reporting import DEFAULT_LADDER
    from trappa.cli.session import new_install, resolve_ladder

    ref = None
    if not new_install(db):
        with session(db, read_only=True) as s:
            ref = s.store.get_setting("default.ladder")
    return resolve_ladder(ref or DEFAULT_LADDER)
