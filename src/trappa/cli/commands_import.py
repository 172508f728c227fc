"""``trappa import FILE``: register many deviations from a CSV or JSON Lines file."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from trappa.cli import app, completion
from trappa.cli.options import Actor, Db, Json
from trappa.cli.output import print_json
from trappa.cli.session import session
from trappa.dates import today
from trappa.messages import _, say


@app.command("import", help=_(
    "Register deviations from a file, as a migration from a spreadsheet or another register.\n\n"
    "Each row is a report (same columns as report's options, English or Swedish headers) and "
    "joins cases by the same rules. All rows are checked first; any bad row is reported with "
    "its line and nothing is written. Rows whose external_id is already recorded are skipped."
))
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            metavar=_("FILE"),
            help=_("A CSV (; , or TAB separated), Excel (.xlsx) or JSON Lines file."),
            show_default=False,
        ),
    ],
    format: Annotated[
        str | None,
        typer.Option(
            "--format", help=_("csv, xlsx or jsonl (default: from the file's extension).")
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help=_("The workbook's sheet (default: the first)."))
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", help=_("The text's encoding (default: UTF-8, else Windows-1252).")
        ),
    ] = None,
    ladder: Annotated[
        str | None,
        typer.Option(help=_("The ladder new cases run under (default: config default.ladder)."),
                     autocompletion=completion.ladders),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help=_("No progress bar."))] = False,
    db: Db = None,
    actor: Actor = None,
    json: Json = False,
) -> None:
    from trappa.cases.bulk import record_rows
    from trappa.cases.importing import format_of, read_rows

    fmt = format_of(file, format)
    if sheet is not None and fmt != "xlsx":
        from trappa.errors import UserError

        raise UserError(say("import.sheet_not_xlsx"))
    name = str(file)
    rows = read_rows(file, fmt, today(), ladder, name, encoding=encoding, sheet=sheet)
    show_progress = not (quiet or json) and sys.stderr.isatty()
    with session(db, actor) as s:
        if show_progress:
            summary = _with_progress(lambda advance: record_rows(
                s, rows, s.resolve_ladder, name, advance
            ), len(rows))
        else:
            summary = record_rows(s, rows, s.resolve_ladder, name)
    if json:
        print_json(summary.to_json())
    else:
        typer.echo(say(
            "import.out.summary", file=name, rows=say("count.rows", n=summary.rows),
            recorded=summary.recorded, skipped=summary.skipped,
            opened=say("count.cases", n=summary.cases_opened), joined=summary.cases_joined,
        ))


_T = TypeVar("_T")


def _with_progress(run: Callable[[Callable[[int], None]], _T], total: int) -> _T:
    """Run ``run(advance)`` under a rich progress bar on stderr (only ever on a terminal)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn(say("import.out.progress")), BarColumn(), MofNCompleteColumn(),
        console=Console(stderr=True), transient=True,
    ) as progress:
        task = progress.add_task("import", total=total)
        return run(lambda n: progress.advance(task, n))
