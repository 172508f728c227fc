"""Reading the files an office really has into rows of cells: CSV saved by Swedish Excel (``;``,
UTF-8 with or without a byte order mark, or Windows-1252), comma- or TAB-separated text, JSON
Lines, and Excel workbooks (the first sheet, or one by name; openpyxl, imported only here).

Each reader yields ``(line, header names, values)`` per row, ``line`` being where the row starts
in the file (1 is the header line, or the sheet's first row); ``trappa.cases.importing`` matches
the header names to the import's columns and checks the values.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from trappa.errors import UserError
from trappa.messages import say

# (line, header names, values) of one row; values None for a row that is not a JSON object.
RawRow = tuple[int, list[str], list[Any] | None]


def read_text(path: Path, name: str, encoding: str | None) -> str:
    """The file's text: ``encoding`` when given, else UTF-8 (a byte order mark is fine), else
    Windows-1252 (Swedish Excel's "CSV (semikolonavgränsad)" on Windows), which every file
    that is not UTF-8 and holds none of the five bytes Windows-1252 leaves undefined is."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(say("import.no_file", file=name)) from None
    except IsADirectoryError:
        raise UserError(say("import.is_folder", file=name)) from None
    except OSError as exc:
        raise UserError(say("import.unreadable", file=name, detail=exc.strerror or exc)) from None
    if encoding is not None:
        try:
            return data.decode(_codec(encoding))
        except UnicodeDecodeError as exc:
            raise UserError(say("import.not_encoding", file=name, encoding=encoding,
                                byte=exc.start)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as first:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise UserError(say("import.not_utf8", file=name, byte=first.start),
                            hint=say("import.encoding.hint")) from None


def _codec(encoding: str) -> str:
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UserError(say("import.unknown_encoding", encoding=encoding)) from None
    return "utf-8-sig" if encoding.strip().lower().replace("_", "-") in ("utf-8", "utf8") \
        else encoding


def csv_rows(text: str) -> Iterator[RawRow]:
    """The rows of CSV text separated by TAB, ``;`` or ``,``: whichever the header line has
    most of (a tab first, as no header holds one by accident)."""
    first = text.split("\n", 1)[0]
    delimiter = max(("\t", ";", ","), key=first.count)
    # The reader's line_num counts physical lines, so a quoted field over several lines still
    # gives the line where its row ends; the row's first line is where it started.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    names = next(reader, None)
    if names is None:
        return
    yield 1, names, None
    start = reader.line_num + 1
    for values in reader:
        line, start = start, reader.line_num + 1
        if "".join(values).strip():  # not a blank line, as spreadsheets leave at the end
            yield line, names, values


def jsonl_rows(text: str) -> Iterator[RawRow | tuple[int, str]]:
    """The objects of JSON Lines text, each with its own keys as header; ``(line, message)``
    for a line that is not one."""
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except ValueError as exc:
            yield line, say("import.json", detail=exc)
            continue
        if not isinstance(data, dict):
            yield line, say("import.json_object")
            continue
        yield line, list(data), list(data.values())


def xlsx_rows(path: Path, name: str, sheet: str | None) -> Iterator[RawRow]:
    """The rows of a workbook's first sheet (or ``sheet``), read as a stream: dates as dates,
    whole numbers as integers, empty cells as None."""
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise UserError(say("import.no_file", file=name)) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UserError(say("import.not_xlsx", file=name, detail=exc)) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise UserError(say("import.no_sheet", file=name, sheet=sheet,
                                sheets=", ".join(book.sheetnames)))
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        names: list[str] | None = None
        for line, row in enumerate(ws.iter_rows(values_only=True), start=1):
            values = [_cell(value) for value in row]
            if names is None:
                if not any(v is not None for v in values):
                    continue
                while values and values[-1] is None:
                    values.pop()
                names = ["" if v is None else str(v) for v in values]
                yield line, names, None
                continue
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            values = (values + [None] * len(names))[: max(len(names), len(values))]
            if len(values) > len(names) and all(v is None for v in values[len(names):]):
                values = values[: len(names)]
            yield line, names, values
    finally:
        book.close()


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
