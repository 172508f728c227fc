"""Reading deviations to import: CSV or JSON Lines, headers in English or Swedish, every row
checked before anything is written.

The columns are ``report``'s options. Header names are matched without regard to case, spaces,
hyphens or a byte order mark (Excel writes one); CSV may be separated by ``;`` (Swedish Excel) or
``,``, found by sniffing the header line. Only ``supplier`` and ``description`` are required.

Every bad row is collected as ``FILE:LINE: message`` (the line in the file, 1 being the CSV
header), so one run shows all of them; ``trappa.cases.bulk`` records the rows only when there is
none.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from trappa.cases.inputs import CheckedReport, ReportInput, check_report, optional_text
from trappa.dates import parse_date
from trappa.errors import Problem, ProblemsError, UserError, one_line
from trappa.messages import say

FORMATS = ("csv", "jsonl", "xlsx")

# The column a header names, in ReportInput's terms: English names, then Swedish ones.
COLUMNS: dict[str, str] = {
    "supplier": "supplier",
    "org_nr": "org_nr",
    "contract": "contract",
    "criticality": "criticality",
    "description": "description",
    "kind": "kind",
    "serious": "serious",
    "observed": "observed",
    "category": "category",
    "source": "source",
    "reporter": "reporter",
    "anonymous": "anonymous",
    "reference": "reference",
    "external_id": "external_id",
    "leverantör": "supplier",
    "organisationsnummer": "org_nr",
    "avtal": "contract",
    "kritikalitet": "criticality",
    "beskrivning": "description",
    "typ": "kind",
    "allvarlig": "serious",
    "observerad": "observed",
    "kategori": "category",
    "källa": "source",
    "rapportör": "reporter",
    "anonym": "anonymous",
    "diarienummer": "reference",
    "externt_id": "external_id",
}
# The columns of ``trappa export deviations`` that say where a deviation was, not what it is:
# read past, so that an export imports into another register (where the case ids differ).
IGNORED: dict[str, str] = {
    "case": "_case", "ärende": "_case", "n": "_n", "nr": "_n", "state": "_state",
    "status": "_state", "resolved_on": "_resolved_on", "släckt": "_resolved_on",
}
REQUIRED = ("supplier", "description")
_TRUE = frozenset({"ja", "yes", "true", "1", "j", "y", "sant"})
_FALSE = frozenset({"nej", "no", "false", "0", "n", "falskt", ""})
# The kinds in Swedish as a register exported from a Swedish system names them.
_KINDS = {"avvikelse": "deviation", "händelse": "incident", "incident": "incident",
          "risk": "risk", "deviation": "deviation"}


class RowProblem(Problem):
    """A problem of one row: ``FILE:LINE: message`` (a row has no single column)."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {one_line(self.message)}"


class ImportRow(NamedTuple):
    """One checked row: its line in the file and the report it makes."""

    line: int
    report: CheckedReport

    @property
    def external_id(self) -> str | None:
        external_id: str | None = self.report.deviation["external_id"]
        return external_id

    @property
    def observed(self) -> str:
        observed: str = self.report.deviation["observed"]
        return observed


def format_of(path: Path, given: str | None) -> str:
    """``--format``, else the file's extension (``.csv``; ``.jsonl``, ``.ndjson``)."""
    if given is not None:
        fmt = given.strip().lower()
        if fmt not in FORMATS:
            raise UserError(say("import.format", format=given, formats=", ".join(FORMATS)))
        return fmt
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv", ".tab"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise UserError(say("import.format_unknown", file=path.name), hint=say("import.format.hint"))


def read_rows(
    path: Path, fmt: str, today: dt.date, ladder: str | None, name: str | None = None,
    *, encoding: str | None = None, sheet: str | None = None,
) -> list[ImportRow]:
    """Every row of the file, checked; raise ``ProblemsError`` with all the bad ones."""
    from trappa.cases import import_files
    from trappa.cases.row_check import quick_check

    name = name or str(path)
    try:  # the --ladder every row names, checked once for the rows checked at once
        quick, checked_ladder = True, optional_text(ladder, "--ladder")
    except UserError:
        quick, checked_ladder = False, None
    raw: Iterator[Any]
    if fmt == "xlsx":
        raw = import_files.xlsx_rows(path, name, sheet)
    else:
        text = import_files.read_text(path, name, encoding)
        raw = import_files.csv_rows(text) if fmt == "csv" else import_files.jsonl_rows(text)
    problems: list[Problem] = []
    rows: list[ImportRow] = []
    first_line: dict[str, int] = {}
    headers: dict[tuple[str, ...], list[str]] = {}
    same: dict[str, str] = {}  # one copy of each text many rows repeat
    for item in raw:
        if len(item) == 2:  # a line that is no JSON object
            problems.append(RowProblem(name, item[0], 0, item[1]))
            continue
        line, names, values = item
        key = tuple(names)
        columns = headers.get(key)
        if columns is None:
            try:
                columns = headers[key] = _header(names, name, line)
            except ProblemsError as exc:
                if fmt == "jsonl":
                    problems.extend(exc.problems)
                    continue
                raise
        if values is None:
            continue  # the header row
        if len(values) != len(columns):
            problems.append(RowProblem(name, line, 0, say(
                "import.field_count", found=len(values), expected=len(columns)
            )))
            continue
        record = dict(zip(columns, values, strict=True))
        report = quick_check(record, today, checked_ladder, same) if quick else None
        try:
            row = ImportRow(
                line, report if report is not None else _shared(_check(record, today, ladder), same)
            )
        except UserError as exc:
            from trappa.cases.import_checks import row_problems

            named = dict(zip(columns, names, strict=True))
            found = row_problems(record, named, today) or [exc.message]
            problems.extend(RowProblem(name, line, 0, message) for message in found)
            continue
        external_id = row.external_id
        if external_id is not None:
            if external_id in first_line:
                problems.append(RowProblem(name, line, 0, say(
                    "import.duplicate_external_id", id=external_id, line=first_line[external_id]
                )))
                continue
            first_line[external_id] = line
        rows.append(row)
    if problems:
        raise ProblemsError(problems)
    if not rows:
        raise UserError(say("import.empty", file=name))
    return rows


def _shared(report: CheckedReport, same: dict[str, str]) -> CheckedReport:
    """``report`` with the texts that many rows repeat (the supplier, contract, date, category
    and source) as one shared copy each, so that an import of 100k rows holds a few thousand
    strings rather than half a million while it waits for its one transaction."""
    def one(text: str | None) -> str | None:
        return None if text is None else same.setdefault(text, text)

    deviation = report.deviation
    for key in ("observed", "category", "source"):
        deviation[key] = one(deviation[key])
    return report._replace(
        supplier=same.setdefault(report.supplier, report.supplier), org_nr=one(report.org_nr),
        contract=one(report.contract),
        reference=one(report.reference), ladder=one(report.ladder),
    )


# --- the header ------------------------------------------------------------------------------


def _header(names: list[str], file: str, line: int) -> list[str]:
    """The columns the headers name; a problem for an unknown or repeated one."""
    columns, problems = [], []
    for raw in names:
        key = raw.strip().lstrip("\ufeff").lower().replace("-", "_").replace(" ", "_")
        column = COLUMNS.get(key) or IGNORED.get(key)
        if column is None:
            problems.append(RowProblem(file, line, 0, say(
                "import.unknown_column", column=raw, known=", ".join(_ENGLISH)
            )))
        elif column in columns:
            problems.append(RowProblem(file, line, 0, say("import.repeated_column", column=raw)))
        columns.append(column or "")
    for required in REQUIRED:
        if required not in columns:
            message = say("import.missing_column", column=required)
            problems.append(RowProblem(file, line, 0, message))
    if problems:
        raise ProblemsError(problems)
    return columns


_ENGLISH = [key for key, value in COLUMNS.items() if key == value]


# --- one row ---------------------------------------------------------------------------------


def _check(record: dict[str, Any], today: dt.date, ladder: str | None) -> CheckedReport:
    """The row as ``report`` would check it; a UserError names the column that is wrong."""
    # A hundred thousand rows pass through here: one lookup per column, no keyword arguments.
    get = record.get
    if _text(get("supplier")) is None:
        raise UserError(say("import.required", column="supplier"))
    if _text(get("description")) is None:
        raise UserError(say("import.required", column="description"))
    contract = _text(get("contract"))
    criticality = _integer(get("criticality"), "criticality")
    if criticality is not None and contract is None:
        raise UserError(say("import.criticality_without_contract"))
    observed = _text(get("observed"))
    kind = (_text(get("kind")) or "deviation").lower()
    data = ReportInput(  # the fields in order, checked in that order as keywords would be
        str(record["supplier"]),
        str(record["description"]),
        _text(get("org_nr")),
        contract,
        criticality,
        _KINDS.get(kind, kind),
        _boolean(get("serious"), "serious"),
        _observed(observed) if observed else None,
        _text(get("category")),
        _text(get("source")),
        _text(get("reporter")),
        _boolean(get("anonymous"), "anonymous"),
        _text(get("reference")),
        ladder,
        _text(get("external_id")),
    )
    return check_report(data, today)


# A register has a few thousand distinct dates over a hundred thousand rows.
_observed = functools.lru_cache(maxsize=8192)(lambda text: parse_date(text, "observed"))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = (value if value.__class__ is str else str(value)).strip()
    return text or None


def _boolean(value: Any, column: str) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise UserError(say("import.boolean", column=column, value=value))


def _integer(value: Any, column: str) -> int | None:
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise UserError(say("import.integer", column=column, value=value))
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise UserError(say("import.integer", column=column, value=value)) from None
