"""Importing what offices really have: Excel workbooks, CSV from Swedish Excel in Windows-1252,
TAB-separated text, and bad rows told by the file's own column names."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import run_trappa

HEADER = "leverantör;avtal;kritikalitet;beskrivning;observerad;kategori;källa"
ROW = "Vård Åkeri AB;Bemanning;3;Sjuksköterska uteblev från passet;2026-09-01;leverans;stickprov"


def _descriptions(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute(
            "SELECT s.name, d.description FROM deviations d JOIN cases c ON c.id = d.case_id"
            " JOIN suppliers s ON s.id = c.supplier_id"))
    finally:
        conn.close()


def test_csv_from_swedish_excel_in_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(f"{HEADER}\r\n{ROW}\r\n".encode("cp1252"))
    done = run_trappa("import", str(path))
    assert done.returncode == 0, done.stderr
    assert _descriptions(tmp_path / "trappa.db") == [
        ("Vård Åkeri AB", "Sjuksköterska uteblev från passet")]


def test_an_encoding_given(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(f"{HEADER}\n{ROW}\n".encode("cp1252"))
    done = run_trappa("import", str(path), "--encoding", "utf-8")
    assert done.returncode == 2 and "not utf-8 text" in done.stderr


def test_tab_separated(tmp_path: Path) -> None:
    path = tmp_path / "register.tsv"
    path.write_text(HEADER.replace(";", "\t") + "\n" + ROW.replace(";", "\t") + "\n")
    done = run_trappa("import", str(path))
    assert done.returncode == 0, done.stderr
    assert len(_descriptions(tmp_path / "trappa.db")) == 1


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def test_an_excel_workbook_first_sheet_or_by_name(tmp_path: Path) -> None:
    import datetime as dt

    path = tmp_path / "register.xlsx"
    header = HEADER.split(";")
    _workbook(path, {
        "Avvikelser": [header, ["Första AB", "A", 2, "Ett", dt.datetime(2026, 9, 1), None, None]],
        "Annat": [header, ["Andra AB", "B", 4, "Två", dt.date(2026, 9, 2), "miljö", None]],
    })
    first = run_trappa("import", str(path))
    assert first.returncode == 0, first.stderr
    named = run_trappa("import", str(path), "--sheet", "Annat")
    assert named.returncode == 0, named.stderr
    assert sorted(_descriptions(tmp_path / "trappa.db")) == [
        ("Andra AB", "Två"), ("Första AB", "Ett")]
    missing = run_trappa("import", str(path), "--sheet", "Saknas")
    assert missing.returncode == 2
    assert "no sheet named 'Saknas'; the sheets are Avvikelser, Annat" in missing.stderr


def test_a_bad_row_names_the_files_columns_and_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER};allvarlig\nVård AB;;9;;2026-13-01;;;kanske\n")
    done = run_trappa("import", str(path))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"{path}:2: allvarlig: 'kanske' is not ja/nej, yes/no, true/false or 1/0",
        f"{path}:2: beskrivning must not be empty",
        f"{path}:2: kritikalitet needs a contract in avtal",
        f"{path}:2: kritikalitet: criticality 9 is outside 1-4",
        f"{path}:2: observerad: '2026-13-01' is not a real date (month must be in 1..12)",
    ]
