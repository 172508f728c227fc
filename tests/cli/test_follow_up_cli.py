"""The follow-up cycle's commands one by one: working-day deadlines, replies, waivers, the
deviations a sanction answers, the calendar, and bad input refused with one line and nothing
changed. On both engines: each test's register is a copy of one made once, on PostgreSQL copied
there by ``trappa db copy``."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import dump_db, run_trappa

CASE = "2026-0001"
PARTY = ["--supplier", "Vårdbemanning Norr AB", "--contract", "Bemanning 2025"]

pytestmark = pytest.mark.usefixtures("engine")


def ok(*args: str, day: str = "2026-10-01") -> dict:
    result = run_trappa(*args, "--json", env={"TRAPPA_TODAY": day})
    assert result.returncode == 0, result.stderr
    found: dict = json.loads(result.stdout)
    return found


def text(*args: str, day: str = "2026-10-01") -> str:
    result = run_trappa(*args, env={"TRAPPA_TODAY": day})
    assert result.returncode == 0, result.stderr
    return result.stdout


def fails(code: int, *args: str) -> str:
    result = run_trappa(*args)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr.strip()


@pytest.fixture(scope="module")
def _register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case with two deviations, a letter with a reply-by date, and a sanction for 2, made
    once; each test gets a copy."""
    db = tmp_path_factory.mktemp("follow-up") / "trappa.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRAPPA_DB", str(db))
        patch.setenv("TRAPPA_USER", "testare")
        for key in ("org.name", "org.contact", "org.signatory"):
            text("config", "set", key, f"Värde för {key}")
        ok("report", *PARTY, "--observed", "2026-09-01", "--description", "Pass uteblev")
        ok("report", *PARTY, "--observed", "2026-09-20", "--description", "Fel legitimation")
        ok("letter", CASE, "avvikelsemeddelande", "--reply-within", "5")
        ok("sanction", CASE, "--kind", "vite", "--reason", "Avtalat vite", "--deviation", "2")
    return db


@pytest.fixture
def case(_register: Path, tmp_path: Path, engine: str) -> None:
    """The test's own copy of the register (at the TRAPPA_DB of conftest or of ``engine``)."""
    if engine == "postgresql":
        copied = run_trappa("db", "copy", str(_register), os.environ["TRAPPA_DB"])
        assert copied.returncode == 0, copied.stderr
    else:
        shutil.copyfile(_register, tmp_path / "trappa.db")


def test_plan_due_in_counts_working_days_and_a_date_on_a_holiday_moves(case: None) -> None:
    # Friday 18 December: seven working days pass over Christmas and New Year (21-23, 28-30
    # December, then 4 January: julafton, nyårsafton and nyårsdagen are no working days).
    plan = ok("plan", CASE, "--due-in", "7", "--item", "Bemanna passen", day="2026-12-18")
    assert (plan["due"], plan["due_moved_from"]) == ("2027-01-04", None)
    printed = text("plan", CASE, "--due", "2027-01-06", "--item", "Ny plan", day="2026-12-18")
    assert printed.splitlines() == [
        f"{CASE}: action plan 2 established, due 2027-01-07",
        "  2027-01-06 is no working day (weekend or holiday): moved to 2027-01-07,"
        " Lag (1930:173)",
    ]


def test_letter_reply_by_on_a_saturday_moves_to_monday(case: None) -> None:
    sent = ok("letter", CASE, "begaran-om-handlingsplan", "--reply-by", "2026-10-10")
    assert (sent["reply_by"], sent["reply_by_moved_from"]) == ("2026-10-12", "2026-10-10")
    letters = ok("show", CASE)["letters"]
    # Thursday 1 October + five working days is Thursday 8 October.
    assert [letter.get("reply_by") for letter in letters] == ["2026-10-08", "2026-10-12"]


def test_a_reply_is_recorded_with_its_file_kept_and_verified(case: None, tmp_path: Path) -> None:
    content = b"Subject: Svar\n\nVi har bemannat passen.\n"
    (tmp_path / "svar.eml").write_bytes(content)
    done = ok("reply", CASE, "1", "--received", "2026-10-01", "--file",
              str(tmp_path / "svar.eml"), "--note", "Svar via e-post")
    assert done["late"] is False and done["sha256"]
    letter = ok("show", CASE)["letters"][0]
    assert letter["reply"] == {
        "received": "2026-10-01", "note": "Svar via e-post", "date": "2026-10-01", "seq": 5,
        "file": {"name": "svar.eml", "sha256": done["sha256"], "size": len(content)},
    }
    assert "intact" in text("verify")
    copy = tmp_path / "kopia.eml"
    assert text("reply", CASE, "1", "--copy", "-o", str(copy)) == f"wrote {copy}\n"
    assert copy.read_bytes() == content  # the reply as the register keeps it
    shown = text("show", CASE)
    assert "received 2026-10-01, svar.eml" in shown
    assert "reply to letter 1 received 2026-10-01" in shown


def test_a_waiver_and_a_sanction_answer_a_deviation_one_way_only(case: None) -> None:
    assert ok("waive", CASE, "1", "--reason", "Ringa")["deviation"] == 1
    assert fails(1, "sanction", CASE, "--kind", "vite", "--reason", "x", "--deviation", "1") == (
        f"error: deviation 1 of case {CASE} was waived on 2026-10-01: a sanction cannot"
        " answer it")
    assert fails(1, "waive", CASE, "1", "--reason", "igen") == (
        f"error: deviation 1 of case {CASE} was already waived on 2026-10-01")
    assert ok("show", CASE)["deviations"][0]["waiver"] == "Ringa"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["reply", CASE, "3", "--received", "2026-10-01"], 2,
         f"error: case {CASE} has no letter 3 (it has sent 1)"),
        (["reply", CASE, "0", "--received", "2026-10-01"], 2,
         f"error: case {CASE} has no letter 0 (it has sent 1)"),
        (["reply", CASE, "1", "--received", "2026-09-30"], 2,
         "error: the reply received 2026-09-30 is dated before letter 1 (2026-10-01)"),
        (["reply", CASE, "1", "--received", "2026-10-02"], 2,
         "error: the reply received 2026-10-02 is dated after the day it is recorded"
         " (2026-10-01)"),
        (["reply", CASE, "1"], 2, "error: missing --received"),
        (["reply", CASE, "1", "--received", "2026-10-01", "--file", "/nonexistent/svar.pdf"], 2,
         "error: --file /nonexistent/svar.pdf: No such file or directory"),
        (["waive", CASE, "2", "--reason", "x"], 1,
         f"error: deviation 2 of case {CASE} is answered by sanction 1: it cannot be waived"),
        (["waive", CASE, "7", "--reason", "x"], 2,
         f"error: case {CASE} has no deviation 7 (it has 2)"),
        (["waive", CASE, "1"], 2, "error: --reason must not be empty"),
        (["sanction", CASE, "--kind", "vite", "--reason", "x", "--deviation", "9"], 2,
         f"error: case {CASE} has no deviation 9 (it has 2)"),
        (["plan", CASE, "--due-in", "-1", "--item", "x"], 2,
         "error: --due-in: -1 is not a number of working days from 1 to 3660"),
        (["letter", CASE, "avvikelsemeddelande", "--reply-within", "0"], 2,
         "error: --reply-within: 0 is not a number of working days from 1 to 3660"),
        (["letter", CASE, "avvikelsemeddelande", "--reply-within", "3", "--reply-by",
          "2026-10-20"], 2, "error: give --reply-by or --reply-within, not both"),
        (["config", "set", "sanction.claim_within_days", "0"], 2,
         "error: sanction.claim_within_days: '0' is not a number of days from 1 to 3650"),
        (["config", "set", "sanction.claim_within_days", "sextio"], 2,
         "error: sanction.claim_within_days: 'sextio' is not a number of days from 1 to 3650"),
        (["calendar", "--supplier", "Okänd AB"], 2, "error: no supplier named 'Okänd AB'"),
        (["reply", CASE, "1", "--copy"], 1,
         f"error: letter 1 of case {CASE} has no reply recorded"),
        (["reply", CASE, "1", "--copy", "--note", "x"], 2,
         "error: --copy writes the kept reply; it takes only -o and --force"),
    ],
)
def test_bad_input_gets_one_line_and_changes_nothing(
    case: None, args: list[str], code: int, message: str, tmp_path: Path
) -> None:
    before = dump_db()
    assert fails(code, *args).splitlines()[0] == message
    assert dump_db() == before


def test_a_second_reply_is_refused_with_a_hint(case: None) -> None:
    ok("reply", CASE, "1", "--received", "2026-10-01")
    assert fails(1, "reply", CASE, "1", "--received", "2026-10-01").splitlines() == [
        f"error: letter 1 of case {CASE} already has its reply, received 2026-10-01",
        f"hint: add what came later as a note: trappa note {CASE} TEXT",
    ]


def test_the_calendar_keeps_its_uids_and_updates_by_sequence(case: None, tmp_path: Path) -> None:
    from icalendar import Calendar

    def events(path: Path) -> dict[str, dict]:
        return {
            str(e["UID"]): {"status": str(e["STATUS"]), "sequence": int(e["SEQUENCE"]),
                            "date": e["DTSTART"].dt.isoformat(), "title": str(e["SUMMARY"])}
            for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        }

    ics = tmp_path / "due.ics"
    text("calendar", "-o", str(ics))
    first = events(ics)
    [reply_uid] = [uid for uid in first if uid.startswith(f"{CASE}-reply-1@")]
    assert first[reply_uid] == {
        "status": "CONFIRMED", "sequence": 4, "date": "2026-10-08",
        "title": f"{CASE} Vårdbemanning Norr AB: reply to letter 1 due",
    }
    assert fails(2, "calendar", "-o", str(ics)) == (
        f"error: {ics} exists; give --force to overwrite it")
    ok("reply", CASE, "1", "--received", "2026-10-01")
    assert text("calendar", "-o", str(ics), "--force") == f"wrote {ics} (1 due dates)\n"
    again = events(ics)
    assert set(again) == set(first)  # the same events, updated in place
    assert again[reply_uid]["status"] == "CANCELLED" and again[reply_uid]["sequence"] == 5
    listed = ok("calendar", "--supplier", "Vårdbemanning Norr AB")
    assert [e["uid"] for e in listed["events"]] == [reply_uid]


def test_the_calendar_has_the_day_a_stalled_rule_can_hold() -> None:
    ok("report", *PARTY, "--observed", "2026-09-01", "--description", "Pass uteblev")
    ok("escalate", CASE, "--to", "3", "--reason", "Allvarlig brist i patientsäkerheten")
    events = ok("calendar")["events"]
    assert [(e["what"], e["ref"], e["date"], e["status"]) for e in events] == [
        # 90 days at step 3 from 1 October: the national rule can call for step 4.
        ("stalled", "fortsatta-avvikelser-steg-3", "2026-12-30", "TENTATIVE"),
    ]


def test_status_says_what_is_due_and_turns_red_when_a_reply_is_late(case: None) -> None:
    # Letter 1 of 1 October asked for a reply within five working days: by Thursday 8 October.
    [row] = ok("status", day="2026-10-12")
    assert (row["light"], row["due"]) == ("red", [{
        "what": "reply", "ref": 1, "date": "2026-10-08", "state": "overdue", "working_days": -2,
    }])
    shown = text("status", day="2026-10-12")
    assert f"{CASE}: reply to letter 1 by 2026-10-08: overdue, 2 working days ago" in shown
    ok("reply", CASE, "1", "--received", "2026-10-09", day="2026-10-12")
    [row] = ok("status", day="2026-10-12")
    assert row["due"] == []
    assert f"{CASE}: reply" not in text("status", day="2026-10-12")


def test_the_calendar_and_review_keep_one_owners_due_dates(case: None) -> None:
    ok("assign", CASE, "Karin Avtal")
    other = ok("report", "--supplier", "Tolkbolaget AB", "--observed", "2026-09-25",
               "--description", "Tolken kom inte")["case"]
    ok("plan", other, "--due", "2026-10-05", "--item", "Reservtolk", "--owner", "x")
    ok("assign", other, "testare")  # TRAPPA_USER: --mine
    everyone = {e["case"] for e in ok("calendar")["events"]}
    assert everyone == {CASE, other}
    karin = ok("calendar", "--owner", "Karin Avtal")["events"]
    assert karin and {e["case"] for e in karin} == {CASE}
    mine = ok("calendar", "--mine")["events"]
    assert [(e["case"], e["what"], e["date"]) for e in mine] == [(other, "plan", "2026-10-05")]
    assert ok("calendar", "--owner", "Ingen Alls")["events"] == []
    assert fails(2, "calendar", "--owner", "x", "--mine") == (
        "error: give --owner NAME or --mine, not both")
    assert [row["case"] for row in ok("review", "--owner", "Karin Avtal")] == [CASE]
    assert [row["case"] for row in ok("review", "--mine")] == [other]
