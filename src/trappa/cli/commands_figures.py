"""``trappa figures``: the key figures of a period; ``trappa monthly``: the monthly report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trappa.cli import app
from trappa.cli.options import Db, Force, Json
from trappa.cli.output import print_json
from trappa.cli.session import session
from trappa.dates import parse_date, today
from trappa.messages import _


@app.command(help=_(
    "Key figures (nyckeltal) of a period, each against the previous period of the same length."
    "\n\n"
    "Open cases by step and by contract criticality, deviations by kind, category, source and "
    "seriousness, escalations and de-escalations, action plans, sanctions (vite in kronor), "
    "letters, and median days to each step and to a deviation's resolution."
))
def figures(
    start: Annotated[
        str | None,
        typer.Option("--from", help=_("First day, YYYY-MM-DD (default: the last full month).")),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(
            "--to", help=_("Last day, YYYY-MM-DD, not after today; stocks are as of it.")
        ),
    ] = None,
    supplier: Annotated[
        str | None, typer.Option(help=_("Only this supplier (name or organisation number)."))
    ] = None,
    db: Db = None,
    json: Json = False,
) -> None:
    from trappa.cases.figures import choose_period
    from trappa.cases.figures import figures as key_figures

    if supplier is not None:
        from trappa.cases.inputs import check_text

        supplier = check_text(supplier, "--supplier")
    period = choose_period(
        parse_date(start, "--from") if start is not None else None,
        parse_date(end, "--to") if end is not None else None,
        today(),
    )
    with session(db, read_only=True) as s:
        data = key_figures(s, period, supplier)
    if json:
        print_json(data)
    else:
        from trappa.cli.render_figures import figures_lines

        for line in figures_lines(data):
            typer.echo(line)


@app.command(help=_(
    "The monthly report (månadsrapport) with charts, in Swedish: md, html or xlsx.\n\n"
    "The key figures against the month before, the cases that moved, those red in status, the "
    "sanctions, the suppliers at step 3 or higher, three charts, and the register's checkpoint. "
    "md and html go to stdout unless -o; xlsx to manadsrapport-YYYY-MM.xlsx unless -o."
))
def monthly(
    month: Annotated[
        str | None,
        typer.Option("--month", help=_("YYYY-MM (default: the last full month).")),
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format", help=_("md, html or xlsx (default: from -o's suffix, else md).")
        ),
    ] = None,
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "-o", "--output", dir_okay=False,
            help=_("Write to this file (md, html or xlsx by its suffix); give it again for more"
                   " formats from one reading of the register."),
        ),
    ] = None,
    force: Force = False,
    db: Db = None,
) -> None:
    from trappa.cli.monthly_output import run_monthly

    run_monthly(month, format, list(output or []), force, db)

