"""``trappa export``: each table one row per record, CSV as Swedish Excel opens it, typed Excel
cells, and deviations that re-import into an empty register as they were."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import run_trappa
from story_register import tell
from trappa.errors import UserError

TODAY = {"TRAPPA_TODAY": "2026-11-05"}


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("export") / "register.db"
    tell(db)
    return db


def _export(register: Path, *args: str) -> str:
    done = run_trappa("export", *args, "--db", str(register), env=TODAY)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_csv_opens_in_swedish_excel(register: Path) -> None:
    text = _export(register, "sanctions")
    assert text.startswith("\ufeffcase;supplier;org_nr;contract;criticality;n;date;kind;")
    lines = text.lstrip("\ufeff").splitlines()
    assert len(lines) == 3  # the header and one row per sanction
    assert lines[1].endswith(";vite;40000,5;Avtalet 7.3")  # a decimal comma under ';'


def test_another_delimiter_writes_a_decimal_point(register: Path) -> None:
    lines = _export(register, "sanctions", "--delimiter", ",").lstrip("\ufeff").splitlines()
    assert lines[1].endswith(",vite,40000.5,Avtalet 7.3")


@pytest.mark.parametrize(
    ("table", "rows"),
    [("cases", 3), ("deviations", 4), ("events", 11), ("sanctions", 2), ("plans", 1),
     ("letters", 0), ("contracts", 3)],
)
def test_one_row_per_record(register: Path, table: str, rows: int) -> None:
    lines = _export(register, table, "--format", "jsonl").splitlines()
    assert len(lines) == rows
    assert all(isinstance(json.loads(line), dict) for line in lines)


def test_the_contracts_export_reads_every_column_of_the_table(register: Path) -> None:
    row = json.loads(_export(register, "contracts", "--format", "jsonl").splitlines()[-1])
    assert row == {"id": 1, "supplier": "Vård AB", "org_nr": "556677-8899",
                   "contract": "Bemanning", "criticality": 4, "cases": 1}


def test_events_name_the_actor(register: Path) -> None:
    first = json.loads(_export(register, "events", "--format", "jsonl").splitlines()[0])
    assert first["actor"] == "testare" and first["type"] == "reported"


def test_xlsx_has_typed_cells(register: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "sanktioner.xlsx"
    _export(register, "sanctions", "-o", str(out))
    sheet = load_workbook(out).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["date"] == dt.datetime(2026, 10, 7)
    assert row["amount_sek"] == 40000.5 and row["criticality"] == 4


def test_xlsx_refuses_more_rows_than_a_sheet_holds(tmp_path: Path) -> None:
    from trappa.cli.export_files import EXCEL_MAX_DATA_ROWS, write_xlsx

    with pytest.raises(UserError, match="more than an Excel sheet holds"):
        write_xlsx(tmp_path / "x.xlsx", "events", ("a",), ("a",), iter([]),
                   EXCEL_MAX_DATA_ROWS + 1, frozenset())
    assert not (tmp_path / "x.xlsx").exists()


def _register(db: Path) -> tuple[list, list, list]:
    conn = sqlite3.connect(db)
    try:
        suppliers = sorted(conn.execute("SELECT name, org_nr FROM suppliers"))
        contracts = sorted(conn.execute(
            "SELECT s.name, c.name, c.criticality FROM contracts c JOIN suppliers s"
            " ON s.id = c.supplier_id"))
        deviations = sorted(conn.execute(
            "SELECT s.name, ct.name, d.kind, d.serious, d.observed, d.category, d.source,"
            " d.description, d.external_id, d.reporter FROM deviations d"
            " JOIN cases c ON c.id = d.case_id JOIN suppliers s ON s.id = c.supplier_id"
            " LEFT JOIN contracts ct ON ct.id = c.contract_id"), key=repr)
    finally:
        conn.close()
    return suppliers, contracts, deviations


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_deviations_re_import_into_an_empty_register(
    register: Path, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"avvikelser.{suffix}"
    _export(register, "deviations", "--swedish-headers", "-o", str(out))
    empty = tmp_path / "empty.db"
    done = run_trappa("import", str(out), "--db", str(empty), env=TODAY)
    assert done.returncode == 0, done.stderr
    assert _register(empty) == _register(register)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ärenden"], "unknown table 'ärenden'"),
        (["cases", "--format", "pdf"], "is not one of csv, xlsx, jsonl"),
        (["cases", "--delimiter", ";;"], "one character"),
        (["cases", "--swedish-headers"], "deviations table only"),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(register: Path, args: list[str], message: str) -> None:
    done = run_trappa("export", *args, "--db", str(register), env=TODAY)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_an_existing_file_needs_force(register: Path, tmp_path: Path) -> None:
    out = tmp_path / "cases.csv"
    out.write_text("keep")
    done = run_trappa("export", "cases", "-o", str(out), "--db", str(register), env=TODAY)
    assert done.returncode == 2 and "give --force" in done.stderr
    assert out.read_text() == "keep"
    forced = run_trappa("export", "cases", "-o", str(out), "--force", "--db", str(register),
                        env=TODAY)
    assert forced.returncode == 0 and out.read_text(encoding="utf-8-sig").startswith("case;")
