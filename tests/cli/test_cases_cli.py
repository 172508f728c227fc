"""End to end: the case commands through a real subprocess on a real register, on both engines:
a SQLite file and a PostgreSQL server (the ``engine`` fixture)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import dump_db, run_trappa

SUPPLIER = ["--supplier", "Vårdbemanning Norr AB", "--org-nr", "556677-8899"]
CONTRACT = ["--contract", "Bemanning 2025", "--criticality", "4"]

pytestmark = pytest.mark.usefixtures("engine")


def ok(*args: str, env: dict[str, str] | None = None) -> dict:
    result = run_trappa(*args, "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def fails(code: int, *args: str, env: dict[str, str] | None = None) -> str:
    """Run a command that must fail with ``code``; return its one-line error."""
    result = run_trappa(*args, env=env)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr.strip()


def report(*extra: str, day: str = "2026-10-01") -> dict:
    return ok("report", *SUPPLIER, *CONTRACT, "--description", "Pass uteblev", *extra,
              env={"TRAPPA_TODAY": day})


def test_first_report_opens_a_case_at_level_0_and_the_second_joins_it() -> None:
    first = report("--observed", "2026-09-01")
    assert first == {
        "case": "2026-0001",
        "deviation": 1,
        "created_case": True,
        "level": 0,
        "suggested_level": 0,
        "rules": [],
    }
    second = report("--observed", "2026-09-20")
    assert second["case"] == "2026-0001"
    assert second["deviation"] == 2
    assert second["created_case"] is False
    assert second["suggested_level"] == 1
    assert [r["id"] for r in second["rules"]] == ["aterkommande-avvikelser"]


def test_other_contract_opens_its_own_case() -> None:
    report()
    other = ok("report", *SUPPLIER, "--contract", "Läkare 2024", "--description", "Sent besked")
    assert other["case"] == "2026-0002"
    assert other["created_case"] is True


def test_escalate_by_the_rules_records_them_and_prints_the_new_step() -> None:
    report("--observed", "2026-09-01")
    report("--observed", "2026-09-20")
    moved = ok("escalate", "2026-0001")
    assert moved["from_level"] == 0 and moved["to_level"] == 1
    assert moved["rules"] == ["aterkommande-avvikelser"]
    step = moved["step"]
    assert step["level"] == 1
    assert step["event"] == "Återkommande avvikelser"
    assert {a["key"] for a in step["activities"]} >= {"handlingsplan"}
    assert all(a["done"] is False for a in step["activities"])
    shown = ok("show", "2026-0001")
    escalation = shown["events"][-1]
    assert escalation["type"] == "escalated"
    assert escalation["actor"] == "testare"
    assert escalation["data"] == {"from": 0, "to": 1, "reason": None,
                                  "rules": ["aterkommande-avvikelser"]}


def test_escalate_without_reason_beyond_the_suggestion_is_refused_and_changes_nothing(
    tmp_path: Path,
) -> None:
    report()
    before = ok("show", "2026-0001")
    error = fails(1, "escalate", "2026-0001")
    assert error.splitlines()[0] == (
        "error: case 2026-0001: the rules suggest level 0, not 1; give --reason to escalate anyway"
    )
    assert "trappa explain 2026-0001" in error
    assert ok("show", "2026-0001") == before
    moved = ok("escalate", "2026-0001", "--reason", "Allvarlig brist i patientsäkerhet")
    assert moved["to_level"] == 1


def test_show_has_the_design_shape() -> None:
    report("--serious", "--category", "arbetsrätt", "--source", "stickprov")
    shown = ok("show", "2026-0001")
    for key in ("case", "status", "supplier", "contract", "ladder", "level", "light", "step",
                "deviations", "action_plan", "sanctions", "events", "evaluation"):
        assert key in shown
    assert shown["supplier"] == {"name": "Vårdbemanning Norr AB", "org_nr": "556677-8899"}
    assert shown["deviations"][0]["serious"] is True
    assert shown["evaluation"]["suggested_level"] == 4
    assert shown["light"] == "red"


def test_a_whole_case_up_and_back_down() -> None:
    report(day="2026-03-01")
    env = {"TRAPPA_TODAY": "2026-03-10"}
    ok("escalate", "2026-0001", "--reason", "Upprepade förseningar", env=env)
    ok("plan", "2026-0001", "--due", "2026-04-01", "--item", "Ny rutin", env=env)
    overdue = ok("review", env={"TRAPPA_TODAY": "2026-04-02"})
    assert overdue[0]["case"] == "2026-0001"
    assert overdue[0]["plan_overdue"] is True
    assert overdue[0]["light"] == "red"
    env = {"TRAPPA_TODAY": "2026-04-05"}
    ok("plan", "2026-0001", "--followup", "not_followed", env=env)
    assert ok("explain", "2026-0001", env=env)["suggested_level"] == 2
    ok("escalate", "2026-0001", env=env)
    ok("sanction", "2026-0001", "--kind", "vite", "--amount", "25000", "--reason", "Avtal 8.3",
       env=env)
    ok("done", "2026-0001", "sanktioner", env=env)
    back = ok("deescalate", "2026-0001", "--to", "0", "--reason", "Rättat",
              env={"TRAPPA_TODAY": "2026-06-01"})
    assert back["to_level"] == 0
    ok("resolve", "2026-0001", "1", env={"TRAPPA_TODAY": "2026-06-01"})
    ok("close", "2026-0001", "--reason", "Avslutat", env={"TRAPPA_TODAY": "2026-06-02"})
    rows = ok("status", "--all")
    assert rows == [{
        "case": "2026-0001", "supplier": "Vårdbemanning Norr AB", "contract": "Bemanning 2025",
        "level": 0, "suggested_level": None, "light": "green", "open_deviations": 0,
        "next_due": None, "status": "closed", "due": [],
    }]
    assert ok("status") == []
    assert ok("verify")["ok"] is True


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["escalate", "2026-0099"], 2, "error: unknown case 2026-0099"),
        (["escalate", "nonsense"], 2,
         "error: 'nonsense' is not a case id; case ids look like 2026-0001"),
        (["escalate", "２０２６-０００１"], 2,
         "error: '２０２６-０００１' is not a case id; case ids look like 2026-0001"),
        (["escalate", "2026-0001", "--reason", "x", "--date", "0001-01-01"], 2,
         "error: --date: 0001-01-01 is outside 1900-01-01..9000-12-31"),
        (["explain", "2026-0001", "--as-of", "9999-12-31"], 2,
         "error: --as-of: 9999-12-31 is outside 1900-01-01..9000-12-31"),
        (["escalate", "2026-0001", "--reason", "a\x1b[31mb"], 2,
         "error: --reason must be text, without control characters"),
        (["plan", "2026-0001", "--followup", "followed", "--owner", "x"], 2,
         "error: --followup records a follow-up; it takes no --due, --due-in, --item or --owner"),
        (["escalate", "2026-0001", "--to", "6", "--reason", "x"], 1,
         "error: case 2026-0001 is at level 0; level 6 is above the top step (5)"),
        (["deescalate", "2026-0001", "--reason", "x"], 1,
         "error: case 2026-0001 is at level 0; there is no level -1"),
        (["escalate", "2026-0001", "--to", "0", "--reason", "x"], 1,
         "error: case 2026-0001 is already at level 0"),
        (["deescalate", "2026-0001", "--to", "0"], 2, "error: --reason must not be empty"),
        (["done", "2026-0001", "brev-vd"], 1,
         "error: activity 'brev-vd' is not one of step 0's activities"),
        (["done", "2026-0001", "nope"], 2,
         "error: unknown activity 'nope' in ladder regionerna@2024-04-01"),
        (["done", "2026-0001", "Riskbedomning"], 2,
         "error: unknown activity 'Riskbedomning' in ladder regionerna@2024-04-01; "
         "did you mean 'riskbedomning'?"),
        (["escalate", "2026-0001", "--reason", "x", "--date", "2026-02-30"], 2,
         "error: --date: '2026-02-30' is not a real date (day is out of range for month)"),
        (["escalate", "2026-0001", "--reason", "x", "--date", "1/10/2026"], 2,
         "error: --date: '1/10/2026' is not a date; write it as YYYY-MM-DD"),
        (["escalate", "2026-0001", "--reason", "x", "--date", "2026-10-02"], 2,
         "error: date 2026-10-02 is in the future (today is 2026-10-01)"),
        (["plan", "2026-0001", "--followup", "followed"], 1,
         "error: case 2026-0001 has no action plan to follow up"),
        (["plan", "2026-0001", "--due", "2026-09-01", "--item", "x"], 2,
         "error: due date 2026-09-01 is before the plan's date 2026-10-01"),
        (["resolve", "2026-0001", "7"], 2, "error: case 2026-0001 has no deviation 7 (it has 1)"),
        (["reopen", "2026-0001", "--reason", "x"], 1, "error: case 2026-0001 is already open"),
        (["sanction", "2026-0001", "--kind", "vite", "--reason", "x", "--amount", "-5"], 2,
         "error: amount -5 must be a number of kronor from 0 to 1e12"),
        (["sanction", "2026-0001", "--kind", "vite", "--reason", "x", "--amount", "inf"], 2,
         "error: amount inf must be a number of kronor from 0 to 1e12"),
        (["sanction", "2026-0001", "--kind", "vite", "--reason", "x", "--amount", "nan"], 2,
         "error: amount nan must be a number of kronor from 0 to 1e12"),
        (["sanction", "2026-0001", "--kind", " ", "--reason", "x"], 2,
         "error: --kind must not be empty"),
        (["close", "2026-0001"], 2, "error: --reason must not be empty"),
        (["plan", "2026-0001", "--due", "2026-12-01"], 2,
         "error: an action plan needs --due (or --due-in) and at least one --item (or --followup"
         " for a follow-up)"),
        (["plan", "2026-0001", "--due-in", "-3", "--item", "x"], 2,
         "error: --due-in: -3 is not a number of working days from 1 to 3660"),
        (["plan", "2026-0001", "--due-in", "0", "--item", "x"], 2,
         "error: --due-in: 0 is not a number of working days from 1 to 3660"),
        (["plan", "2026-0001", "--due-in", "5", "--due", "2026-12-01", "--item", "x"], 2,
         "error: give --due or --due-in, not both"),
        (["plan", "2026-0001", "--followup", "maybe"], 2,
         "error: follow-up 'maybe' is not one of followed, not_followed, no_effect"),
    ],
)
def test_bad_input_gets_one_clear_line_and_changes_nothing(
    args: list[str], code: int, message: str, tmp_path: Path
) -> None:
    report()
    before = dump_db()
    error = fails(code, *args)
    assert error.splitlines()[0] == message
    assert dump_db() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org-nr", "556677-8898"],
         "error: organisation number '556677-8898' has a wrong check digit (expected 9)"),
        (["--org-nr", "55667788"],
         "error: organisation number '55667788' must be written NNNNNN-NNNN"),
        (["--criticality", "5", "--contract", "X"], "error: criticality 5 is outside 1-4"),
        (["--observed", "2026-10-02"],
         "error: observed date 2026-10-02 is in the future (today is 2026-10-01)"),
        (["--reporter", "Anna", "--anonymous"],
         "error: --reporter and --anonymous exclude each other: an anonymous report names nobody"),
        (["--kind", "rumour"], "error: kind 'rumour' is not one of deviation, incident, risk"),
        (["--contract", "Avtal\n2025"],
         "error: --contract must be one line of text, without control characters"),
        (["--category", "x" * 301],
         "error: --category is 301 characters long; at most 300 are allowed"),
        (["--ladder", "nowhere"], None),
    ],
)
def test_bad_reports_are_refused_and_write_nothing(
    args: list[str], message: str | None, tmp_path: Path, engine: str
) -> None:
    result = run_trappa("report", "--supplier", "Bolaget AB", "--description", "Fel", *args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    if message is not None:
        assert result.stderr.strip().splitlines()[0] == message
    if engine == "postgresql" or (tmp_path / "trappa.db").exists():
        assert dump_db().get("events", []) == []


def test_empty_description_is_refused() -> None:
    error = fails(2, "report", "--supplier", "Bolaget AB", "--description", "   ")
    assert error == "error: --description must not be empty"


def test_missing_required_value_without_a_terminal_is_an_error() -> None:
    error = fails(2, "report", "--supplier", "Bolaget AB", )
    assert error == "error: missing --description"


@pytest.mark.sqlite_only
def test_anonymous_report_stores_no_reporter(tmp_path: Path) -> None:
    report("--anonymous", "--source", "visselblåsning")
    shown = ok("show", "2026-0001")
    assert shown["deviations"][0]["reporter"] is None
    raw = (tmp_path / "trappa.db").read_bytes()
    assert b"testare" in raw  # the actor is recorded, but no reporter field carries a name
    assert shown["events"][0]["data"]["deviation"]["reporter"] is None


def test_a_closed_case_refuses_changes_and_a_new_report_opens_a_new_case() -> None:
    report()
    ok("resolve", "2026-0001", "1")
    ok("close", "2026-0001", "--reason", "Klart")
    error = fails(1, "escalate", "2026-0001", "--reason", "x")
    assert error.splitlines()[0] == "error: case 2026-0001 is closed (2026-10-01)"
    assert report()["case"] == "2026-0002"
    error = fails(1, "reopen", "2026-0001", "--reason", "x")
    assert error.splitlines()[0] == (
        "error: case 2026-0001 cannot be reopened: case 2026-0002 is open for the same supplier "
        "and contract"
    )


def test_config_set_get_list() -> None:
    result = run_trappa("config", "set", "org.name", "Region Kalmar län")
    assert result.returncode == 0, result.stderr
    assert run_trappa("config", "get", "org.name").stdout == "Region Kalmar län\n"
    unset = run_trappa("config", "get", "org.unit")
    assert unset.returncode == 1
    assert unset.stderr.strip() == "org.unit is not set"
    assert ok("config", "list")["org.name"] == "Region Kalmar län"
    assert fails(2, "config", "set", "org.nmae", "x") == (
        "error: unknown key 'org.nmae'; the keys are org.name, org.unit, org.contact, "
        "org.signatory, org.logo, org.letterhead, default.ladder, ocds.prefix,"
        " sanction.claim_within_days, ui.language"
    )


def test_default_ladder_from_config_is_used_for_new_cases() -> None:
    assert run_trappa("config", "set", "default.ladder", "kalmar").returncode == 0
    report()
    assert ok("show", "2026-0001")["ladder"]["ref"] == "kalmar@2024"


@pytest.mark.sqlite_only
def test_database_that_is_not_sqlite_exits_3(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("this is not a database\n" * 100)
    result = run_trappa("status", "--db", str(bogus))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert str(bogus) in result.stderr
    assert bogus.read_text() == "this is not a database\n" * 100


def test_plan_render_writes_the_plan_and_records_nothing(tmp_path: Path) -> None:
    report()
    for key, value in [("org.name", "Region Kalmar län"), ("org.contact", "avtal@example.se"),
                       ("org.signatory", "Karin Avtal")]:
        assert run_trappa("config", "set", key, value).returncode == 0
    assert fails(1, "plan", "2026-0001", "--render").splitlines()[0] == (
        "error: case 2026-0001 has no action plan to render")
    ok("plan", "2026-0001", "--due", "2026-11-16", "--item", "Bekräfta pass i förväg")
    before = dump_db()
    markdown = run_trappa("plan", "2026-0001", "--render")
    assert markdown.returncode == 0, markdown.stderr
    assert "Bekräfta pass i förväg" in markdown.stdout
    assert "16 november 2026" in markdown.stdout
    document = tmp_path / "plan.docx"
    written = run_trappa("plan", "2026-0001", "--render", "-o", str(document))
    assert written.returncode == 0, written.stderr
    import docx

    text = "\n".join(p.text for p in docx.Document(str(document)).paragraphs)
    assert "2026-0001" in text
    assert dump_db() == before
    assert fails(2, "plan", "2026-0001", "--render", "--item", "x") == (
        "error: --render writes the latest plan; it takes only --format, -o and --templates")


def test_user_text_that_looks_like_markup_prints_as_itself() -> None:
    ok("report", "--supplier", "Acme [/bold] AB", "--description", "[blink]pass[/blink]")
    status = run_trappa("status")
    assert status.returncode == 0, status.stderr
    assert "Acme [/bold] AB" in status.stdout
    show = run_trappa("show", "2026-0001")
    assert show.returncode == 0, show.stderr
    assert "[blink]pass[/blink]" in show.stdout


def test_an_org_nr_that_belongs_to_another_name_is_refused() -> None:
    report()
    error = fails(2, "report", "--supplier", "S1", "--org-nr", "5566778899", "--description", "d")
    assert error == (
        "error: organisation number 556677-8899 belongs to 'Vårdbemanning Norr AB', not 'S1'; "
        "check which is right"
    )


def test_a_report_cannot_be_dated_before_the_case_history() -> None:
    report(day="2026-05-01")
    error = fails(2, "report", *SUPPLIER, *CONTRACT, "--description", "x",
                  env={"TRAPPA_TODAY": "2026-01-01"})
    assert error.splitlines()[0] == (
        "error: date 2026-01-01 is before case 2026-0001's latest event (2026-05-01); "
        "the history reads forwards"
    )


def test_ladder_option_on_a_report_that_joins_a_case() -> None:
    report()
    error = fails(2, "report", *SUPPLIER, *CONTRACT, "--description", "x", "--ladder", "kalmar")
    assert error == (
        "error: case 2026-0001 runs under regionerna@2024-04-01, not kalmar; "
        "--ladder chooses the ladder of a new case"
    )
    unknown = fails(2, "report", *SUPPLIER, *CONTRACT, "--description", "x", "--ladder", "nosuch")
    assert unknown.startswith("error: ")
    joined = ok("report", *SUPPLIER, *CONTRACT, "--description", "x", "--ladder", "regionerna")
    assert joined["case"] == "2026-0001"


def test_status_for_an_unknown_supplier_prints_no_json_at_all() -> None:
    report()
    result = run_trappa("status", "--supplier", "nosuch", "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == "error: no supplier named 'nosuch'"


@pytest.mark.sqlite_only
def test_a_change_to_a_case_on_a_missing_database_creates_no_file(tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    error = fails(3, "escalate", "2026-0001", "--reason", "x", "--db", str(typo))
    assert error.startswith(f"error: no database at {typo}")
    assert not typo.exists()


def test_output_piped_into_head_ends_quietly() -> None:
    for n in range(3):
        ok("report", "--supplier", f"Bolag {n} AB", "--description", "x")
    import subprocess
    import sys

    result = subprocess.run(
        f"{sys.executable} -m trappa status --json | head -1", shell=True,
        capture_output=True, text=True, timeout=60,
    )
    assert result.stdout == "[\n"
    assert result.stderr == ""


def test_a_supplier_is_found_by_name_regardless_of_case() -> None:
    first = ok("report", "--supplier", "Acme AB", "--contract", "K1", "--description", "a")
    second = ok("report", "--supplier", "ACME AB", "--contract", "K1", "--description", "b")
    assert second["case"] == first["case"]
    assert ok("show", first["case"])["supplier"]["name"] == "Acme AB"


def test_text_that_is_not_utf8_is_refused_in_one_line() -> None:
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "trappa", "report", "--supplier", b"Caf\xe9 AB",
         "--description", "x"],
        capture_output=True, env=os.environ, timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        "error: --supplier is not UTF-8 text; check the terminal's or the file's encoding"
    )


def test_actor_and_config_values_are_checked_like_any_text(tmp_path: Path) -> None:
    report()
    before = dump_db()
    assert fails(2, "note", "2026-0001", "x", "--actor", "ev\x1bil") == (
        "error: --actor must be one line of text, without control characters")
    assert fails(2, "config", "set", "org.unit", "Enhet\x1b[2J") == (
        "error: org.unit must be one line of text, without control characters")
    assert fails(2, "report", *SUPPLIER, *CONTRACT, "--description", "x\u202eevil") == (
        "error: --description must be text, without control characters")
    assert dump_db() == before


def test_as_of_dates_that_would_mix_past_and_present_are_refused() -> None:
    report()
    assert fails(2, "review", "--as-of", "2026-09-30") == (
        "error: review --as-of 2026-09-30 is before today (2026-10-01): review judges the cases "
        "as they stand; use explain CASE --as-of for a case's past")
    ahead = ok("review", "--as-of", "2026-12-31")
    assert [row["case"] for row in ahead] == []
    assert fails(2, "explain", "2026-0001", "--as-of", "2026-01-01") == (
        "error: case 2026-0001 was opened on 2026-10-01, after that date")


def test_a_blank_reason_is_an_empty_reason_not_a_missing_one() -> None:
    report()
    assert fails(2, "escalate", "2026-0001", "--reason", "  ") == (
        "error: --reason must not be empty")


@pytest.mark.sqlite_only
def test_a_folder_as_database_is_one_line_and_exit_3(tmp_path: Path) -> None:
    folder = tmp_path / "dir.db"
    folder.mkdir()
    error = fails(3, "status", "--db", str(folder))
    assert len(error.splitlines()) <= 2
    assert error.startswith("error: ")
    assert str(folder) in error


def test_a_format_that_contradicts_the_file_name_is_refused() -> None:
    report()
    for key, value in [("org.name", "Region Kalmar län"), ("org.contact", "avtal@example.se"),
                       ("org.signatory", "Karin Avtal")]:
        assert run_trappa("config", "set", key, value).returncode == 0
    assert fails(2, "letter", "2026-0001", "avvikelsemeddelande", "-o", "x.docx",
                 "--format", "md") == "error: 'x.docx' names another format than --format md"


def test_verify_says_what_it_checked() -> None:
    report()
    result = run_trappa("verify")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "1 event in 1 case: the chain, the case states and the database are intact\n"
    )


def test_a_case_gets_an_owner_and_status_and_review_list_one_owners_cases() -> None:
    first = report("--owner", "Karin Avtal")
    assert first["case"] == "2026-0001"
    other = ok("report", "--supplier", "Annat Bolag AB", "--description", "Sent")
    assert ok("show", "2026-0001")["owner"] == "Karin Avtal"
    assert ok("show", other["case"])["owner"] is None
    assigned = ok("assign", other["case"], "testare")
    assert assigned["owner"] == "testare"
    shown = ok("show", other["case"])
    assert shown["owner"] == "testare"
    assert shown["events"][-1]["type"] == "assigned"
    assert shown["events"][-1]["data"] == {"owner": "testare"}
    assert [r["case"] for r in ok("status", "--owner", "Karin Avtal")] == ["2026-0001"]
    assert [r["case"] for r in ok("status", "--mine")] == [other["case"]]  # TRAPPA_USER=testare
    assert [r["case"] for r in ok("status", "--all", "--owner", "Nobody")] == []
    assert fails(1, "assign", other["case"], "testare") == (
        f"error: case {other['case']} already has the owner testare")
    assert fails(2, "status", "--owner", "x", "--mine") == (
        "error: give --owner NAME or --mine, not both")
    ok("assign", other["case"], "-")
    assert ok("show", other["case"])["owner"] is None
    assert run_trappa("verify").returncode == 0
    review = ok("review", "--mine")
    assert all(row["case"] != "2026-0001" for row in review)
