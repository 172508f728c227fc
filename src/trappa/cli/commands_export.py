"""``trappa export TABLE``: a table of the register as CSV, Excel or JSON Lines; ``trappa export
ocds``: the register as Open Contracting (OCDS) releases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trappa.cli import app
from trappa.cli.options import Db, Force, Output
from trappa.cli.session import session
from trappa.errors import UserError
from trappa.messages import _, say

FORMATS = ("csv", "xlsx", "jsonl")
_SUFFIXES = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl",
             ".ndjson": "jsonl", ".json": "jsonl"}


@app.command(help=_(
    "Export a table of the register as csv, xlsx or jsonl, or the register as OCDS releases."
    "\n\n"
    "One row per record, English headers (--swedish-headers for deviations, which then "
    "re-import with trappa import). CSV is ';' separated UTF-8 with a byte order mark, as "
    "Swedish Excel opens it. csv and jsonl go to stdout unless -o; xlsx to TABLE.xlsx unless -o."
))
def export(
    table: Annotated[
        str,
        typer.Argument(
            metavar=_("TABLE"),
            help=_("cases, deviations, events, sanctions, plans, letters, contracts, or ocds."),
            show_default=False,
        ),
    ],
    format: Annotated[
        str | None,
        typer.Option(
            "--format", help=_("csv, xlsx or jsonl (default: from -o's suffix, else csv).")
        ),
    ] = None,
    output: Output = None,
    delimiter: Annotated[
        str,
        typer.Option("--delimiter", help=_("The CSV separator (default ';', as Swedish Excel).")),
    ] = ";",
    swedish_headers: Annotated[
        bool,
        typer.Option("--swedish-headers",
                     help=_("Deviations with trappa import's Swedish column names.")),
    ] = False,
    force: Force = False,
    db: Db = None,
) -> None:
    from trappa.store.exports import TABLES

    name = table.strip().lower()
    if name == "ocds":
        from trappa.cli.ocds_output import export_ocds

        export_ocds(output, force, db)
        return
    if name not in TABLES:
        raise UserError(say("export.table", table=table, tables=", ".join((*TABLES, "ocds"))))
    fmt = _format(format, output)
    if len(delimiter) != 1 or delimiter in "\r\n\"":
        raise UserError(say("export.delimiter", value=delimiter))
    if swedish_headers and name != "deviations":
        raise UserError(say("export.swedish_headers"))
    if fmt == "xlsx" and output is None:
        output = Path(f"{name}.xlsx")
    if output is not None:
        from trappa.cli.output import check_writable

        check_writable(output, force=force)  # before the register is read
    _export(name, fmt, output, delimiter, swedish_headers, force, db)


def _format(option: str | None, output: Path | None) -> str:
    if option is not None:
        fmt = option.strip().lower()
        if fmt not in FORMATS:
            raise UserError(say("export.format", format=option, formats=", ".join(FORMATS)))
        return fmt
    if output is not None and _SUFFIXES.get(output.suffix.lower()) in FORMATS:
        return _SUFFIXES[output.suffix.lower()]
    return "csv"


def _export(name, fmt, output, delimiter, swedish, force, db) -> None:
    from trappa.cli import export_files as files
    from trappa.store.exports import DATE_COLUMNS, export

    with session(db, read_only=True) as s:
        found = export(s.store, name)
        english = found.columns
        columns = tuple(files.SWEDISH_HEADERS.get(c, c) for c in english) if swedish else english
        if fmt == "xlsx":
            rows = files.write_to(output, force, True, lambda path: files.write_xlsx(
                path, name, columns, english, found.rows, found.total, DATE_COLUMNS))
        elif fmt == "csv":
            write = files.csv_writer(delimiter, swedish)
            rows = files.write_to(output, force, False,
                                  lambda out: write(out, columns, found.rows), bom=True)
        else:
            rows = files.write_to(output, force, False,
                                  lambda out: files.write_jsonl(out, columns, found.rows))
    if output is not None:
        typer.echo(say("export.out.written", file=output, rows=rows, table=name), err=True)
