"""``trappa import``: CSV and JSON Lines, Swedish and English headers, all-or-nothing, every bad
row with its line, idempotent by external id, joining cases as ``report`` does."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import dump_db, run_trappa

SWEDISH_CSV = (
    "\ufeffLeverantör;Organisationsnummer;Avtal;Kritikalitet;Beskrivning;Typ;Allvarlig;"
    "Observerad;Källa;Externt_ID\n"
    "Städbolaget AB;556016-0680;Städ 2025;3;Sen leverans;avvikelse;nej;2026-03-01;stickprov;S1\n"
    "Städbolaget AB;556016-0680;Städ 2025;3;Fel material;avvikelse;ja;2026-02-01;verksamhet;S2\n"
    "Vårdbemanning AB;;;;Saknad pension;incident;JA;2026-01-05;stickprov;S3\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def trappa_json(*args: str) -> dict:
    result = run_trappa(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_swedish_excel_csv_opens_cases_in_observed_order(tmp_path: Path) -> None:
    path = write(tmp_path, "register.csv", SWEDISH_CSV)
    result = run_trappa("import", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"{path}: 3 rows, 3 recorded, 0 skipped (already imported); 2 cases opened, 0 joined\n"
    )
    assert result.stderr == ""  # piped: no progress bar
    db = tmp_path / "trappa.db"
    # The earliest observation opened the first case; the cleaning contract's deviations are
    # numbered as they happened, not as the file lists them.
    assert rows(db, "SELECT c.id, s.name FROM cases c JOIN suppliers s ON s.id = c.supplier_id"
                    " ORDER BY c.id") == [
        ("2026-0001", "Vårdbemanning AB"), ("2026-0002", "Städbolaget AB")
    ]
    assert rows(db, "SELECT case_id, n, kind, serious, observed, source, external_id"
                    " FROM deviations ORDER BY case_id, n") == [
        ("2026-0001", 1, "incident", 1, "2026-01-05", "stickprov", "S3"),
        ("2026-0002", 1, "deviation", 1, "2026-02-01", "verksamhet", "S2"),
        ("2026-0002", 2, "deviation", 0, "2026-03-01", "stickprov", "S1"),
    ]
    assert rows(db, "SELECT name, criticality FROM contracts") == [("Städ 2025", 3)]
    verify = run_trappa("verify")
    assert verify.returncode == 0, verify.stderr


def test_jsonl_with_english_keys_joins_an_open_case(tmp_path: Path) -> None:
    first = run_trappa("report", "--supplier", "Bolaget AB", "--description", "Först")
    assert first.returncode == 0, first.stderr
    lines = [
        {"supplier": "Bolaget AB", "description": "Andra", "observed": "2026-09-01",
         "serious": True, "external_id": "J1"},
        {"Supplier": "Nya AB", "Description": "Tredje", "observed": "2026-09-02",
         "anonymous": "yes", "external_id": "J2"},
    ]
    path = write(tmp_path, "rows.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n")
    summary = trappa_json("import", str(path))
    assert summary == {"file": str(path), "rows": 2, "recorded": 2, "skipped": 0,
                       "cases_opened": 1, "cases_joined": 1}
    case = trappa_json("show", "2026-0001")
    assert [d["description"] for d in case["deviations"]] == ["Först", "Andra"]
    assert [e["seq"] for e in case["events"]] == [1, 2]
    assert trappa_json("show", "2026-0002")["deviations"][0]["reporter"] is None
    assert run_trappa("verify").returncode == 0


def test_a_rerun_adds_nothing_twice(tmp_path: Path) -> None:
    path = write(tmp_path, "register.csv", SWEDISH_CSV)
    assert run_trappa("import", str(path)).returncode == 0
    before = dump_db(tmp_path / "trappa.db")
    again = trappa_json("import", str(path))
    assert again["recorded"] == 0 and again["skipped"] == 3
    assert dump_db(tmp_path / "trappa.db") == before
    # A file that adds one row to the same register records only that one.
    more = write(tmp_path, "more.csv", SWEDISH_CSV + "Städbolaget AB;556016-0680;Städ 2025;3;"
                 "Igen;avvikelse;nej;2026-04-01;stickprov;S4\n")
    summary = trappa_json("import", str(more))
    assert (summary["recorded"], summary["skipped"], summary["cases_joined"]) == (1, 3, 1)
    assert run_trappa("verify").returncode == 0


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(tmp_path: Path) -> None:
    assert run_trappa("report", "--supplier", "Kvar AB", "--description", "x").returncode == 0
    db = tmp_path / "trappa.db"
    before = dump_db(db)
    path = write(tmp_path, "bad.csv", (
        "supplier,description,observed,serious,org_nr,criticality,external_id\n"
        "Bra AB,Fel,2026-01-01,no,,,E1\n"
        ",Fel,2026-01-01,no,,,E2\n"
        "Bra AB,Fel,2026-13-01,no,,,E3\n"
        "Bra AB,Fel,2027-01-01,kanske,,,E4\n"
        "Bra AB,Fel,2026-01-01,no,556016-0681,,E5\n"
        "Bra AB,Fel,2026-01-01,no,,2,E6\n"
        "Bra AB,Fel,2026-01-01,no,,,E1\n"
        "Bra AB,Fel\n"
    ))
    result = run_trappa("import", str(path))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{path}:3: supplier must not be empty",
        f"{path}:4: observed: '2026-13-01' is not a real date (month must be in 1..12)",
        # Every problem of a row, each naming the file's column.
        f"{path}:5: observed: observed date 2027-01-01 is in the future (today is 2026-10-01)",
        f"{path}:5: serious: 'kanske' is not ja/nej, yes/no, true/false or 1/0",
        f"{path}:6: org_nr: organisation number '556016-0681' has a wrong check digit"
        " (expected 0)",
        f"{path}:7: criticality needs a contract in contract",
        f"{path}:8: external id 'E1' is also given at line 2",
        f"{path}:9: 2 fields where the header has 7",
    ]
    assert dump_db(db) == before


def test_a_future_observation_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", "supplier;description;observed\nA AB;x;2026-10-02\n")
    result = run_trappa("import", str(path))
    assert result.returncode == 2
    assert result.stderr == (
        f"{path}:2: observed: observed date 2026-10-02 is in the future (today is 2026-10-01)\n"
    )


def test_unknown_and_missing_columns_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, "h.csv", "leverantör;beskrivnig\nA AB;x\n")
    result = run_trappa("import", str(path))
    assert result.returncode == 2
    assert result.stderr.splitlines()[1] == (
        f"{path}:1: unknown column 'beskrivnig'; the columns are supplier, org_nr, contract,"
        " criticality, description, kind, serious, observed, category, source, reporter,"
        " anonymous, reference, external_id"
    )
    assert result.stderr.splitlines()[0] == f"{path}:1: missing column 'description'"


def test_the_format_comes_from_the_extension_or_the_option(tmp_path: Path) -> None:
    path = write(tmp_path, "rows.txt.data", '{"supplier": "A AB", "description": "x"}\n')
    unknown = run_trappa("import", str(path))
    assert unknown.returncode == 2
    assert unknown.stderr.splitlines() == [
        "error: cannot tell the format of rows.txt.data from its extension",
        "hint: name it .csv or .jsonl, or give --format csv|jsonl",
    ]
    assert trappa_json("import", str(path), "--format", "jsonl")["recorded"] == 1


def test_a_reference_conflict_with_an_open_case_is_a_row_problem(tmp_path: Path) -> None:
    opened = run_trappa("report", "--supplier", "A AB", "--description", "x",
                        "--reference", "DNR-1")
    assert opened.returncode == 0, opened.stderr
    path = write(tmp_path, "r.csv", "supplier;description;reference\nA AB;y;DNR-2\nA AB;z;DNR-1\n")
    result = run_trappa("import", str(path))
    assert result.returncode == 2
    # Both rows join 2026-0001; only the one naming another diarienummer is wrong.
    assert result.stderr == (
        f"{path}:2: case 2026-0001 already has the registration number DNR-1\n"
    )
