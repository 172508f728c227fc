"""Writing an export: CSV as Swedish Excel opens it, JSON Lines, and Excel workbooks with typed
cells written in constant memory (XlsxWriter, imported only here).

CSV: ``;`` separated and UTF-8 with a byte order mark by default, which is what Swedish Excel
reads without an import dialog; with ``;`` a decimal number is written with a decimal comma
(40000,5), as Swedish Excel reads it; any other ``--delimiter`` writes a decimal point. Booleans
are ``true``/``false``, or ``ja``/``nej`` with Swedish headers (``trappa import`` reads both).

A file is written beside its place and moved there when complete, so a failure never leaves half
an export, and an existing file is replaced only with ``--force``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from trappa.errors import UserError
from trappa.messages import say

EXCEL_MAX_ROWS = 1_048_576  # rows of a sheet, the header included
EXCEL_MAX_DATA_ROWS = EXCEL_MAX_ROWS - 1

# The import's Swedish names (trappa.cases.importing.COLUMNS) for the deviations' columns, and
# names of their own for the columns the import reads past (case, number, state).
SWEDISH_HEADERS = {
    "case": "ärende", "supplier": "leverantör", "org_nr": "organisationsnummer",
    "contract": "avtal", "criticality": "kritikalitet", "n": "nr", "kind": "typ",
    "serious": "allvarlig", "observed": "observerad", "category": "kategori", "source": "källa",
    "description": "beskrivning", "reporter": "rapportör", "external_id": "externt_id",
    "reference": "diarienummer", "state": "status", "resolved_on": "släckt",
}
BOOLEAN_COLUMNS = frozenset({"serious"})


Writer = Callable[[IO[str], tuple[str, ...], Iterable[Any]], int]


def csv_writer(delimiter: str, swedish: bool) -> Writer:
    yes, no = ("ja", "nej") if swedish else ("true", "false")
    comma = delimiter == ";"

    def write(out: IO[str], columns: tuple[str, ...], rows: Iterable[Any]) -> int:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(columns)
        booleans = [i for i, name in enumerate(columns)
                    if name in BOOLEAN_COLUMNS or name == SWEDISH_HEADERS["serious"]]
        floats = comma
        count = 0
        for row in rows:
            values = list(row)
            for i in booleans:
                if values[i] is not None:
                    values[i] = yes if values[i] else no
            if floats:
                values = [str(v).replace(".", ",") if isinstance(v, float) else v for v in values]
            writer.writerow(values)
            count += 1
        return count

    return write


def write_jsonl(out: IO[str], columns: tuple[str, ...], rows: Iterable[Any]) -> int:
    encode = json.JSONEncoder(ensure_ascii=False).encode
    booleans = [i for i, name in enumerate(columns) if name in BOOLEAN_COLUMNS]
    count = 0
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        for i in booleans:
            if row[i] is not None:
                record[columns[i]] = bool(row[i])
        out.write(encode(record) + "\n")
        count += 1
    return count


def write_xlsx(path: Path, sheet: str, columns: tuple[str, ...], english: tuple[str, ...],
               rows: Iterable[Any], count: int, date_columns: frozenset[str]) -> int:
    """One sheet with typed cells: dates as dates, numbers as numbers, booleans as booleans."""
    if count > EXCEL_MAX_DATA_ROWS:
        raise UserError(say("export.too_many_rows", table=sheet, rows=count,
                            limit=EXCEL_MAX_DATA_ROWS))
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    try:
        bold = book.add_format({"bold": True})
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        money = book.add_format({"num_format": "# ##0.00"})
        ws = book.add_worksheet(sheet[:31])
        dates = {i for i, name in enumerate(english) if name in date_columns}
        amounts = {i for i, name in enumerate(english) if name.endswith("_sek")}
        booleans = {i for i, name in enumerate(english) if name in BOOLEAN_COLUMNS}
        for i, name in enumerate(columns):
            ws.set_column(i, i, 12 if i in dates else max(10, min(40, len(name) + 4)))
            ws.write_string(0, i, name, bold)
        ws.freeze_panes(1, 0)
        written = 0
        for r, row in enumerate(rows, start=1):
            for i, value in enumerate(row):
                if value is None:
                    continue
                if i in dates and isinstance(value, str) and len(value) == 10:
                    ws.write_datetime(r, i, dt.datetime.fromisoformat(value), date_format)
                elif i in booleans:
                    ws.write_boolean(r, i, bool(value))
                elif isinstance(value, int | float):
                    ws.write_number(r, i, value, money if i in amounts else None)
                else:
                    ws.write_string(r, i, str(value))
            written = r
        ws.autofilter(0, 0, max(written, 1), len(columns) - 1)
    finally:
        book.close()
    return written


def write_to(path: Path | None, force: bool, binary: bool,
             write: Callable[[Any], int], bom: bool = False) -> int:
    """Run ``write`` on stdout (``path`` None) or on a temporary file moved to ``path`` when
    complete; the number of rows it wrote."""
    from trappa.cli.output import write_atomically

    if path is None:
        import typer

        out = typer.get_text_stream("stdout")
        if bom:
            out.write("\ufeff")
        count = write(out)
        out.flush()
        return count

    def into(temporary: Path) -> int:
        if binary:
            return write(temporary)
        with temporary.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
            return write(out)

    return write_atomically(path, into, force=force, failed="export.write_failed")
