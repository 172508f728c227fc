"""The follow-up cycle's records through the command line (in this process): risk assessments,
contracts as records of their own, closing only once the effect is checked, and moving a case
to the current ladder file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, dump_db
from letters_helpers import run_cli

SUPPLIER = ["--supplier", "Vårdbemanning Norr AB", "--org-nr", "556677-8899"]


@pytest.fixture
def cli(capsysbinary):
    def run(*args: str) -> tuple[int, str, str]:
        code, out, err = run_cli(capsysbinary, *args)
        assert "Traceback" not in err
        return code, out.decode("utf-8"), err

    return run


@pytest.fixture
def ok(cli):
    def run(*args: str) -> Any:
        code, out, err = cli(*args, "--json")
        assert code == 0, err
        return json.loads(out)

    return run


@pytest.fixture
def case(ok) -> str:
    opened = ok("report", *SUPPLIER, "--contract", "Bemanning 2025", "--criticality", "3",
                "--description", "Pass uteblev", "--observed", "2026-09-30")
    return str(opened["case"])


def _db() -> Path:
    return Path(os.environ["TRAPPA_DB"])


def _refused(cli, code: int, *args: str) -> str:
    """Run a command that must fail with ``code`` and change nothing; its one error line."""
    before = dump_db(_db())
    got, out, err = cli(*args)
    assert got == code, err
    assert dump_db(_db()) == before
    return err.splitlines()[0]


# --- risk assessment -------------------------------------------------------------------------


def test_a_risk_assessment_is_scored_banded_and_marks_riskbedomning_done(ok, case) -> None:
    recorded = ok("risk", case, "--probability", "3", "--consequence", "4", "--note", "Akut")
    assert recorded == {
        "case": case, "event": "risk_assessed", "risk": 1, "probability": 3, "consequence": 4,
        "score": 12, "band": "Mycket hög", "band_default": True, "activity": "riskbedomning",
    }
    shown = ok("show", case)
    assert shown["risk"] == {
        "n": 1, "probability": 3, "consequence": 4, "score": 12, "band": "Mycket hög",
        "band_default": True, "assessed": "2026-10-01", "note": "Akut",
    }
    done = {a["key"]: a["done"] for a in shown["step"]["activities"]}
    assert done["riskbedomning"] is True
    # A second assessment is the latest; the activity is already done, so none is marked.
    again = ok("risk", case, "--probability", "1", "--consequence", "2")
    assert (again["score"], again["band"], again["activity"]) == (2, "Låg", None)
    assert ok("show", case)["risk"]["score"] == 2
    assert ok("verify")["ok"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--probability", "5", "--consequence", "2"],
         "error: --probability must be 1-4 (1 low, 4 high), not 5"),
        (["--probability", "2", "--consequence", "0"],
         "error: --consequence must be 1-4 (1 low, 4 high), not 0"),
    ],
)
def test_a_score_outside_1_to_4_is_refused_and_records_nothing(
    cli, case, args: list[str], message: str
) -> None:
    assert _refused(cli, 2, "risk", case, *args) == message


def test_a_closed_case_takes_no_risk_assessment(cli, ok, case) -> None:
    ok("close", case, "--reason", "Klart", "--override", "Prov")
    assert _refused(cli, 1, "risk", case, "--probability", "2", "--consequence", "2") == (
        f"error: case {case} is closed (2026-10-01)"
    )


def test_a_ladders_own_risk_matrix_and_risk_rule(
    ok, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ladders" / "riskregion"
    folder.mkdir(parents=True)
    (folder / "1.yaml").write_text(
        "format: trappa/ladder@1\nid: riskregion\nversion: '1'\n"
        "extends: regionerna@2024-04-01\n"
        "risk_matrix:\n  bands:\n    - {max: 4, label: Låg}\n    - {max: 8, label: Medel}\n"
        "    - {max: 16, label: Hög}\n"
        "rules:\n  - id: hog-risk\n    title: Hög risk\n    level: 2\n"
        "    when:\n      risk: {min_score: 9}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("TRAPPA_LADDERS", str(tmp_path / "ladders"))
    case = ok("report", *SUPPLIER, "--description", "Risk för utebliven leverans",
              "--kind", "risk", "--ladder", "riskregion")["case"]
    assert ok("risk", case, "--probability", "2", "--consequence", "4")["band"] == "Medel"
    assert ok("explain", case)["suggested_level"] == 0
    assert ok("risk", case, "--probability", "3", "--consequence", "3")["band"] == "Hög"
    explained = ok("explain", case)
    assert explained["suggested_level"] == 2
    rule = next(r for r in explained["rules"] if r["id"] == "hog-risk")
    assert rule["detail"] == (
        "the latest risk assessment, on 2026-10-01, scored 9 (at least 9 needed): holds"
    )
    assert [row["case"] for row in ok("review")] == [case]


def test_a_risk_matrix_must_cover_every_score(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    source = (REPO / "ladders" / "regionerna" / "2024-04-01.yaml").read_text(encoding="utf-8")
    bad.write_text(source.replace("    - {max: 16, label: Mycket hög}\n", ""), encoding="utf-8")
    code, _, err = cli("validate", str(bad))
    assert code == 2
    assert "the last band must end at 16, the highest score" in err


# --- contracts -------------------------------------------------------------------------------


def test_a_contracts_facts_are_set_with_who_when_and_why_and_verify(ok, case) -> None:
    changed = ok("contract", "Bemanning 2025", "--criticality", "4", "--procurement",
                 "UH 2024/77", "--claim-within", "60", "--reason", "Avtalsgenomgång")
    assert changed["changed"] == {
        "criticality": {"from": 3, "to": 4},
        "procurement": {"from": None, "to": "UH 2024/77"},
        "claim_within_days": {"from": None, "to": 60},
    }
    shown = ok("contract", "Bemanning 2025")
    assert {k: shown[k] for k in ("criticality", "procurement", "claim_within_days")} == {
        "criticality": 4, "procurement": "UH 2024/77", "claim_within_days": 60,
    }
    assert shown["cases"] == [{"case": case, "status": "open", "level": 0}]
    assert [(c["actor"], c["reason"]) for c in shown["changes"]] == [
        ("testare", "Avtalsgenomgång")
    ]
    assert ok("show", case)["contract"] == {
        "name": "Bemanning 2025", "criticality": 4, "procurement": "UH 2024/77",
        "claim_within_days": 60,
    }
    assert ok("verify")["ok"] is True
    # Setting what it already is records nothing.
    assert ok("contract", "Bemanning 2025", "--criticality", "4")["changed"] == {}
    assert len(ok("contract", "Bemanning 2025")["changes"]) == 1


def test_a_new_contract_is_registered_before_any_case(ok) -> None:
    made = ok("contract", "Tolktjänster 2026", "--supplier", "Tolkbyrån AB",
              "--criticality", "2")
    assert made["created"] is True and made["supplier"]["name"] == "Tolkbyrån AB"
    listed = ok("contracts")
    assert [(r["contract"], r["criticality"], r["open_cases"]) for r in listed] == [
        ("Tolktjänster 2026", 2, [])
    ]
    assert ok("verify")["ok"] is True


def test_the_contract_list_puts_the_most_critical_first(ok, case) -> None:
    ok("contract", "Tolktjänster 2026", "--supplier", "Tolkbyrån AB", "--criticality", "2")
    ok("escalate", case, "--to", "2", "--reason", "Upprepade avvikelser")
    rows = ok("contracts")
    assert [(r["contract"], r["criticality"], r["open_cases"], r["highest_level"])
            for r in rows] == [
        ("Bemanning 2025", 3, [case], 2), ("Tolktjänster 2026", 2, [], None),
    ]
    assert [r["contract"] for r in ok("contracts", "--criticality", "2")] == ["Tolktjänster 2026"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["Bemanning 2025", "--claim-within", "0"], 2,
         "error: --claim-within must be 1-3650 days, not 0"),
        (["Bemanning 2025", "--criticality", "5"], 2, None),
        (["Okänt avtal", "--criticality", "2"], 2, "error: no contract named 'Okänt avtal'"),
        (["Bemanning 2025", "--reason", "Varför"], 2,
         "error: --reason goes with a change (--criticality, --procurement, --claim-within)"),
    ],
)
def test_bad_contract_input_is_one_line_and_changes_nothing(
    cli, case, args: list[str], code: int, message: str | None
) -> None:
    line = _refused(cli, code, "contract", *args)
    if message is not None:
        assert line == message


def test_a_contract_name_two_suppliers_share_needs_the_supplier(cli, ok, case) -> None:
    ok("contract", "Bemanning 2025", "--supplier", "Annan Bemanning AB", "--criticality", "1")
    line = _refused(cli, 2, "contract", "Bemanning 2025")
    assert line == (
        "error: several suppliers have a contract named 'Bemanning 2025':"
        " Vårdbemanning Norr AB, Annan Bemanning AB"
    )
    assert ok("contract", "Bemanning 2025", "--supplier", "5566778899")["criticality"] == 3


def test_a_later_reports_criticality_and_reference_are_applied_and_recorded(ok, case) -> None:
    joined = ok("report", *SUPPLIER, "--contract", "Bemanning 2025", "--criticality", "4",
                "--reference", "RS 2026/88", "--description", "Igen")
    assert joined["case"] == case
    contract = ok("contract", "Bemanning 2025")
    assert contract["criticality"] == 4
    assert [(c["changes"], c["case"]) for c in contract["changes"]] == [
        ({"criticality": {"from": 3, "to": 4}}, case)
    ]
    shown = ok("show", case)
    assert shown["reference"] == "RS 2026/88"
    assert shown["events"][1]["data"]["reference"] == "RS 2026/88"
    assert ok("verify")["ok"] is True


def test_a_later_report_with_another_reference_is_refused(cli, ok, case) -> None:
    ok("report", *SUPPLIER, "--contract", "Bemanning 2025", "--reference", "RS 2026/88",
       "--description", "Igen")
    line = _refused(cli, 2, "report", *SUPPLIER, "--contract", "Bemanning 2025",
                    "--reference", "RS 2026/99", "--description", "Tredje")
    assert "RS 2026/88" in line


def test_verify_finds_a_contract_changed_behind_its_events(ok, case) -> None:
    import sqlite3

    ok("contract", "Bemanning 2025", "--claim-within", "30")
    conn = sqlite3.connect(_db())
    conn.execute("UPDATE contracts SET claim_within_days = 365")
    conn.commit()
    conn.close()
    from trappa.store.database import Store

    with Store.open(_db()) as store:
        report = store.verify()
        assert report.problems == [
            "contract 1: its stored facts differ from its events in: claim_within_days"
        ]
        store.rebuild_projection()
        assert store.verify().ok
        assert store.contract(1)["claim_within_days"] == 30


# --- closing only once the effect is checked -------------------------------------------------


def test_close_is_refused_while_a_deviation_is_open_or_the_plan_not_followed_up(
    cli, ok, case
) -> None:
    assert _refused(cli, 1, "close", case, "--reason", "Klart") == (
        f"error: case {case} cannot close while the effect is unchecked: deviation 1 is open"
    )
    ok("report", *SUPPLIER, "--contract", "Bemanning 2025", "--description", "Fel legitimation")
    assert _refused(cli, 1, "close", case, "--reason", "Klart").endswith(
        "deviations 1, 2 are open")
    ok("resolve", case, "1")
    ok("resolve", case, "2")
    ok("plan", case, "--due", "2026-11-01", "--item", "Bemanna alla pass")
    assert _refused(cli, 1, "close", case, "--reason", "Klart") == (
        f"error: case {case} cannot close while the effect is unchecked:"
        " action plan 1 has no follow-up"
    )
    ok("plan", case, "--followup", "followed")
    assert ok("close", case, "--reason", "Klart") == {
        "case": case, "event": "closed", "status": "closed"
    }


def test_close_override_records_the_reason_and_what_was_outstanding(ok, case) -> None:
    closed = ok("close", case, "--reason", "Avtalet upphör", "--override", "Avtalet löper ut")
    assert closed["override"] == "Avtalet löper ut"
    event = ok("show", case)["events"][-1]
    assert event["data"] == {
        "reason": "Avtalet upphör", "override": "Avtalet löper ut",
        "outstanding": {"plan": None, "deviations": [1]},
    }
    assert "--force" not in event["data"]


# --- moving a case to the current ladder file ------------------------------------------------


@pytest.fixture
def own_ladder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the national ladder as a region's own file, before ``blocks`` existed."""
    folder = tmp_path / "ladders" / "egen"
    folder.mkdir(parents=True)
    source = (REPO / "ladders" / "regionerna" / "2024-04-01.yaml").read_text(encoding="utf-8")
    text = source.replace("id: regionerna", "id: egen").replace(
        'version: "2024-04-01"', 'version: "1"'
    ).replace("    blocks: true\n", "")
    path = folder / "1.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("TRAPPA_LADDERS", str(tmp_path / "ladders"))
    return path


def test_review_notes_a_changed_ladder_file_and_adopt_moves_the_case(
    cli, ok, own_ladder: Path
) -> None:
    case = ok("report", *SUPPLIER, "--description", "Pass uteblev", "--ladder", "egen")["case"]
    old = ok("show", case)["ladder"]["sha256"]
    ok("escalate", case, "--to", "4", "--reason", "Allvarligt")
    ok("done", case, "sparra")
    assert cli("check", "Vårdbemanning Norr AB")[0] == 0  # its ladder has no blocks: true
    # Listed (the rules do not call for step 4), its ladder as current as its file.
    assert [(r["case"], r["ladder_outdated"]) for r in ok("review")] == [(case, False)]
    text = own_ladder.read_text(encoding="utf-8")
    own_ladder.write_text(text.replace(
        "    letter: meddelande-om-sparr\n", "    letter: meddelande-om-sparr\n    blocks: true\n"
    ), encoding="utf-8")
    rows = ok("review")
    assert [(r["case"], r["ladder_outdated"]) for r in rows] == [(case, True)]
    adopted = ok("ladder", "adopt", case, "--reason", "Spärren ska gälla")
    assert adopted["from"] == adopted["to"] == "egen@1"
    assert adopted["from_sha256"] == old and adopted["to_sha256"] != old
    assert ok("show", case)["ladder"]["sha256"] == adopted["to_sha256"]
    assert [(r["case"], r["ladder_outdated"]) for r in ok("review")] == [(case, False)]
    assert cli("check", "Vårdbemanning Norr AB")[0] == 1  # the new key reaches the case
    assert ok("verify")["ok"] is True
    event = ok("show", case)["events"][-1]
    assert (event["type"], event["data"]["reason"]) == ("ladder_adopted", "Spärren ska gälla")


def test_adopt_is_refused_for_the_same_ladder_or_a_missing_level(
    cli, ok, own_ladder: Path, tmp_path: Path
) -> None:
    case = ok("report", *SUPPLIER, "--description", "Pass uteblev", "--ladder", "egen")["case"]
    assert _refused(cli, 1, "ladder", "adopt", case, "--reason", "x") == (
        f"error: case {case} already runs under the current egen@1"
    )
    ok("escalate", case, "--to", "5", "--reason", "Allvarligt")
    short = tmp_path / "kort.yaml"
    source = own_ladder.read_text(encoding="utf-8")
    cut = source.index("  - level: 5")
    short.write_text(source[:cut] + source[source.index("rules:", cut):]
                     .replace("level: 5", "level: 4"), encoding="utf-8")
    assert cli("validate", str(short))[0] == 0
    assert _refused(cli, 1, "ladder", "adopt", case, str(short), "--reason", "x") == (
        f"error: case {case} is at level 5, which egen@1 does not have"
    )
    assert _refused(cli, 2, "ladder", "adopt", case) == "error: --reason must not be empty"


def test_the_dossier_lists_risks_contract_changes_and_an_overridden_close(
    cli, ok, case, tmp_path: Path
) -> None:
    ok("risk", case, "--probability", "2", "--consequence", "3", "--note", "Bedömd på möte")
    ok("contract", "Bemanning 2025", "--claim-within", "45", "--reason", "Vitesklausul 8.3")
    ok("close", case, "--reason", "Klart", "--override", "Leverantören har bytts ut")
    code, out, err = cli("dossier", "Vårdbemanning Norr AB")
    assert code == 0, err
    assert "**Riskbedömning 1:** sannolikhet 2 × konsekvens 3 = 6 (Medel" in out
    assert "**Avtalet Bemanning 2025:** tid för att kräva vite (dagar) – → 45." in out
    assert "Avslutat trots att effekten inte var kontrollerad" in out


def test_verify_finds_a_contract_without_events_changed_and_a_contract_event_cut_off(
    ok, case
) -> None:
    import sqlite3

    from trappa.store.database import Store

    conn = sqlite3.connect(_db())
    conn.execute("UPDATE contracts SET criticality = 1")
    conn.commit()
    with Store.open(_db()) as store:
        assert store.verify().problems == [
            "contract 1: its stored facts differ from its events in: the facts its first case"
            " recorded when it opened (it has no events of its own)"
        ]
    conn.execute("UPDATE contracts SET criticality = 3")
    conn.commit()
    ok("contract", "Bemanning 2025", "--criticality", "4")
    ok("contract", "Bemanning 2025", "--claim-within", "30")
    for trigger in ("events_no_update", "events_no_delete", "events_no_replace"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("DELETE FROM events WHERE case_id = 'contract:1' AND seq = 2")
    conn.commit()
    conn.close()
    with Store.open(_db()) as store:
        problems = store.verify().problems
    assert "event 2 of case contract:1 is missing" in problems
    assert "contract 1: its stored facts differ from its events in: claim_within_days, last_seq" \
        in problems


def test_a_new_contract_of_an_unknown_organisation_number_is_refused(cli, case) -> None:
    assert _refused(cli, 2, "contract", "Nytt avtal", "--supplier", "559999-9999",
                    "--criticality", "2") == "error: no supplier named '559999-9999'"


def test_the_new_commands_speak_to_people_too(cli, ok, case) -> None:
    code, out, err = cli("risk", case, "--probability", "2", "--consequence", "2")
    assert (code, err) == (0, "")
    assert out == (
        f"{case}: risk assessment 1: probability 2 × consequence 2 = 4 (Medel)\n"
    )
    code, out, _ = cli("contract", "Bemanning 2025", "--claim-within", "30")
    assert out == "contract Bemanning 2025: claim window (days) - → 30\n"
    code, out, _ = cli("contracts")
    assert out == (
        f"[3] Bemanning 2025 – Vårdbemanning Norr AB: open cases {case}, highest level 0\n"
    )
    code, out, _ = cli("close", case, "--reason", "Klart", "--override", "Prov")
    assert (code, out) == (0, f"{case}: closed\n")
