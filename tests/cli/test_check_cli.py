"""``trappa check``, end to end: every exit code a purchasing script relies on, and that it
never creates a register. On both engines (a SQLite file, a PostgreSQL server), except what is
about a file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import dump_db, run_trappa

pytestmark = pytest.mark.usefixtures("engine")

SUPPLIER = ["--supplier", "Vårdbemanning Norr AB", "--org-nr", "556677-8899"]


def ok(*args: str, env: dict[str, str] | None = None) -> dict:
    result = run_trappa(*args, "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def check(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict, str]:
    result = run_trappa("check", *args, "--json", env=env)
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.returncode, data, result.stderr


def report(contract: str = "Bemanning 2025", *extra: str) -> dict:
    return ok("report", *SUPPLIER, "--contract", contract, "--description", "Pass uteblev",
              *extra)


def blocked_case(ladder: str = "regionerna") -> str:
    case = report("Bemanning 2025", "--ladder", ladder)["case"]
    ok("escalate", case, "--to", "4", "--reason", "Allvarliga avvikelser")
    ok("done", case, "sparra", "--note", "Spärr beslutad")
    return case


def test_a_supplier_with_no_record_may_be_used_and_stderr_says_so() -> None:
    report()  # a register exists, without this supplier
    code, data, err = check("Okänd Leverantör AB")
    assert code == 0
    assert data["may_use"] is True and data["record"] is False
    assert err.strip() == "no record of Okänd Leverantör AB in the register: not blocked"


def test_a_known_supplier_without_a_block_may_be_used() -> None:
    report()
    code, data, err = check("Vårdbemanning Norr AB")
    assert (code, data["may_use"], data["record"], err) == (0, True, True, "")
    result = run_trappa("check", "Vårdbemanning Norr AB")
    assert result.stdout.strip() == "Vårdbemanning Norr AB may be used"


def test_the_blocking_activity_blocks_from_the_day_it_is_done_naming_case_step_and_date() -> None:
    case = blocked_case()
    code, data, _ = check("Vårdbemanning Norr AB")
    assert code == 1 and data["may_use"] is False
    assert data["blocks"] == [{
        "case": case, "level": 4, "step": "Allvarlig avvikelse", "label": "Business on hold",
        "activity": "sparra", "since": "2026-10-01", "contract": "Bemanning 2025",
    }]
    text = run_trappa("check", "Vårdbemanning Norr AB", "--org-nr", "5566778899")
    assert text.returncode == 1
    assert text.stdout.strip() == (
        f"Vårdbemanning Norr AB (Bemanning 2025) is blocked by case {case} at level 4"
        " (Allvarlig avvikelse) since 2026-10-01"
    )


def test_kalmars_ladder_blocks_through_its_inherited_sparra() -> None:
    blocked_case("kalmar")
    assert check("Vårdbemanning Norr AB")[0] == 1


def test_a_block_holds_above_its_step_and_ends_below_it_or_when_the_case_closes() -> None:
    case = blocked_case()
    ok("escalate", case, "--to", "5", "--reason", "Ingen lösning")
    assert check("Vårdbemanning Norr AB")[0] == 1
    ok("deescalate", case, "--to", "3", "--reason", "Leveranserna fungerar igen")
    assert check("Vårdbemanning Norr AB")[0] == 0
    ok("escalate", case, "--to", "4", "--reason", "Nya avvikelser")
    assert check("Vårdbemanning Norr AB")[0] == 0  # back at step 4, but not blocked again yet
    ok("done", case, "sparra")
    assert check("Vårdbemanning Norr AB")[0] == 1
    ok("close", case, "--reason", "Avslutat", "--override", "Avtalet löper ut")
    assert check("Vårdbemanning Norr AB")[0] == 0


def test_a_terminated_contract_stays_refused_after_the_case_closes() -> None:
    case = report()["case"]
    ok("sanction", case, "--kind", "havning", "--reason", "Väsentligt avtalsbrott")
    ok("close", case, "--reason", "Avtalet hävt", "--override", "Hävt; ingen uppföljning")
    code, data, _ = check("Vårdbemanning Norr AB", "--contract", "Bemanning 2025")
    assert code == 1
    assert data["terminations"] == [{
        "case": case, "sanction": 1, "kind": "havning", "since": "2026-10-01",
        "contract": "Bemanning 2025",
    }]
    # Another contract of the supplier is not terminated by it.
    assert check("Vårdbemanning Norr AB", "--contract", "Tolktjänster 2026")[0] == 0
    # A script that names no contract is refused: one of the supplier's contracts is.
    assert check("Vårdbemanning Norr AB")[0] == 1


def test_uppsagning_terminates_too_and_a_vite_does_not() -> None:
    case = report()["case"]
    ok("sanction", case, "--kind", "vite", "--amount", "5000", "--reason", "Försenad leverans")
    assert check("Vårdbemanning Norr AB")[0] == 0
    ok("sanction", case, "--kind", "uppsagning", "--reason", "Uppsägning enligt 12.4")
    assert check("Vårdbemanning Norr AB")[0] == 1


def test_a_termination_refuses_from_the_day_it_takes_effect() -> None:
    case = report()["case"]
    ok("sanction", case, "--kind", "uppsagning", "--reason", "Uppsägning enligt 12.4",
       "--takes-effect", "2027-01-01")
    code, data, _ = check("Vårdbemanning Norr AB")
    assert code == 0 and data["terminations"] == []
    assert data["terminations_pending"] == [{
        "case": case, "sanction": 1, "kind": "uppsagning", "since": "2027-01-01",
        "contract": "Bemanning 2025",
    }]


def test_a_block_of_one_contract_does_not_refuse_another_named_one() -> None:
    blocked_case()
    assert check("Vårdbemanning Norr AB", "--contract", "Bemanning 2025")[0] == 1
    assert check("Vårdbemanning Norr AB", "--contract", "Tolktjänster 2026")[0] == 0


def test_bad_input_exits_2_and_changes_nothing(tmp_path: Path) -> None:
    report()
    db = os.environ["TRAPPA_DB"]
    before = dump_db(db)
    for args in (["Vårdbemanning Norr AB", "--org-nr", "556677-8898"],
                 ["Vårdbemanning Norr AB", "--org-nr", "12"],
                 ["  "],
                 ["Vårdbemanning Norr AB", "--contract", " "]):
        result = run_trappa("check", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
    assert dump_db(db) == before


@pytest.mark.sqlite_only
def test_a_mistyped_register_exits_3_and_creates_no_file(tmp_path: Path) -> None:
    report()
    mistyped = tmp_path / "trapa.db"
    result = run_trappa("check", "Vårdbemanning Norr AB", env={"TRAPPA_DB": str(mistyped)})
    assert result.returncode == 3
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == f"error: no database at {mistyped}"
    assert not mistyped.exists()
    assert list(tmp_path.glob("trapa.db*")) == []
    # Bad input is still bad input, whatever the register.
    bad = run_trappa("check", "X", "--org-nr", "12", env={"TRAPPA_DB": str(mistyped)})
    assert bad.returncode == 2 and not mistyped.exists()


@pytest.mark.sqlite_only
def test_a_file_that_is_not_a_register_exits_3(tmp_path: Path) -> None:
    other = tmp_path / "inköp.db"
    other.write_bytes(b"not a database at all, just text " * 10)
    result = run_trappa("check", "Vårdbemanning Norr AB", env={"TRAPPA_DB": str(other)})
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
