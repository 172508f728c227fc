"""One supplier, one case: a report that brings the organisation number of a supplier known so
far only by name gives that supplier the number (``supplier_identified``) and goes where a
report by name would, instead of opening a second supplier and a second case."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from conftest import dump_db, run_trappa

ORG_NR = "556016-0680"
OTHER_ORG_NR = "212000-0142"


def ok(*args: str) -> Any:
    result = run_trappa(*args, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def fails(code: int, *args: str) -> str:
    result = run_trappa(*args)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr.strip()


def report(supplier: str, *extra: str, description: str = "Pass uteblev") -> Any:
    return ok("report", "--supplier", supplier, "--description", description, *extra)


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _events(db: Path) -> list[tuple[str, int, str, dict[str, Any]]]:
    return [(case, seq, type_, json.loads(data)) for case, seq, type_, data in _rows(
        db, "SELECT case_id, seq, type, data FROM events ORDER BY position")]


def test_a_number_given_later_joins_the_case_and_is_recorded(tmp_path: Path) -> None:
    db = tmp_path / "trappa.db"
    assert report("Beta AB")["case"] == "2026-0001"
    joined = report("beta ab", "--org-nr", "5560160680")  # as typed: any case, no hyphen
    assert (joined["case"], joined["deviation"], joined["created_case"]) == ("2026-0001", 2, False)
    # "Återkommande": the second deviation counts towards the one case.
    assert joined["suggested_level"] == 1
    assert _rows(db, "SELECT id, name, org_nr FROM suppliers") == [(1, "Beta AB", ORG_NR)]
    events = _events(db)
    assert [(case, seq, type_) for case, seq, type_, _ in events] == [
        ("2026-0001", 1, "reported"), ("2026-0001", 2, "reported"),
        ("2026-0001", 3, "supplier_identified"),
    ]
    assert events[2][3] == {"supplier": {"id": 1, "name": "Beta AB", "org_nr": ORG_NR}}
    # Reported by number or by name from now on, it is the same supplier and case.
    assert report("Beta AB", "--org-nr", ORG_NR)["deviation"] == 3
    assert report("Beta AB")["deviation"] == 4
    assert len(_rows(db, "SELECT id FROM suppliers")) == 1

    show = ok("show", "2026-0001")
    assert show["supplier"] == {"name": "Beta AB", "org_nr": ORG_NR}
    assert [e["type"] for e in show["events"]][2] == "supplier_identified"
    text = run_trappa("show", "2026-0001")
    assert f"organisation number {ORG_NR} registered for Beta AB" in text.stdout
    assert [case["case"] for case in ok("status", "--supplier", ORG_NR)] == ["2026-0001"]
    dossier = run_trappa("dossier", ORG_NR, "-o", str(tmp_path / "d.md"))
    assert dossier.returncode == 0, dossier.stderr
    written = (tmp_path / "d.md").read_text(encoding="utf-8")
    assert f"**Organisationsnummer:** {ORG_NR}" in written
    # Who recorded the number is the official who recorded the report, named as for it.
    assert f"| Organisationsnummer {ORG_NR} registrerat för leverantören. | testare |" in written
    verify = run_trappa("verify")
    assert verify.returncode == 0, verify.stderr


def test_a_supplier_without_an_open_case_gets_its_number_on_the_case_the_report_opens(
    tmp_path: Path,
) -> None:
    db = tmp_path / "trappa.db"
    report("Beta AB")
    ok("close", "2026-0001", "--reason", "Åtgärdat")
    opened = report("Beta AB", "--org-nr", ORG_NR)
    assert (opened["case"], opened["created_case"]) == ("2026-0002", True)
    events = [e for e in _events(db) if e[0] == "2026-0002"]
    assert [(seq, type_) for _, seq, type_, _ in events] == [
        (1, "reported"), (2, "supplier_identified"),
    ]
    # The case opened for the supplier as it was; the next event gives it its number.
    assert events[0][3]["opened"]["supplier"] == {"id": 1, "name": "Beta AB", "org_nr": None}
    assert _rows(db, "SELECT org_nr FROM suppliers") == [(ORG_NR,)]
    assert ok("show", "2026-0001")["supplier"]["org_nr"] == ORG_NR  # the closed case too
    assert run_trappa("verify").returncode == 0


def test_with_several_contracts_the_number_is_recorded_on_the_case_of_the_report(
    tmp_path: Path,
) -> None:
    db = tmp_path / "trappa.db"
    report("Beta AB", "--contract", "Städ")
    report("Beta AB", "--contract", "Tvätt")
    joined = report("Beta AB", "--org-nr", ORG_NR, "--contract", "Tvätt")
    assert (joined["case"], joined["deviation"]) == ("2026-0002", 2)
    identified = [(case, seq) for case, seq, type_, _ in _events(db)
                  if type_ == "supplier_identified"]
    assert identified == [("2026-0002", 3)]
    # The number is the supplier's: the other contract's case shows it without an event.
    assert ok("show", "2026-0001")["supplier"]["org_nr"] == ORG_NR
    assert report("Beta AB", "--org-nr", ORG_NR, "--contract", "Städ")["case"] == "2026-0001"
    assert run_trappa("verify").returncode == 0


def test_a_name_registered_with_another_number_is_another_supplier_as_before(
    tmp_path: Path,
) -> None:
    db = tmp_path / "trappa.db"
    report("Beta AB", "--org-nr", ORG_NR)
    other = report("Beta AB", "--org-nr", OTHER_ORG_NR)
    assert (other["case"], other["created_case"]) == ("2026-0002", True)
    assert _rows(db, "SELECT name, org_nr FROM suppliers ORDER BY id") == [
        ("Beta AB", ORG_NR), ("Beta AB", OTHER_ORG_NR),
    ]
    assert "supplier_identified" not in {type_ for _, _, type_, _ in _events(db)}


def test_a_number_that_belongs_to_another_name_is_refused_and_nothing_changes(
    tmp_path: Path,
) -> None:
    db = tmp_path / "trappa.db"
    report("Beta AB")
    report("Gamma AB", "--org-nr", ORG_NR)
    before = dump_db(db)
    error = fails(2, "report", "--supplier", "Beta AB", "--org-nr", ORG_NR,
                  "--description", "d")
    assert error == (
        f"error: organisation number {ORG_NR} belongs to 'Gamma AB', not 'Beta AB'; "
        "check which is right"
    )
    assert dump_db(db) == before


def test_a_refused_report_gives_no_number(tmp_path: Path) -> None:
    db = tmp_path / "trappa.db"
    report("Beta AB", "--reference", "RS 2026/1")
    before = dump_db(db)
    error = fails(2, "report", "--supplier", "Beta AB", "--org-nr", ORG_NR,
                  "--reference", "RS 2026/2", "--description", "d")
    assert error == "error: case 2026-0001 already has the registration number RS 2026/1"
    assert dump_db(db) == before
