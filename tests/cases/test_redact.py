"""``trappa redact``: a reporter's name erased from the register, the erasure recorded as an
event without the name, and every event still verifying."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import dump_db, run_trappa
from letters_helpers import new_case, open_session
from trappa.cases.redact import redact
from trappa.cases.session import Session
from trappa.errors import Refusal, UserError
from trappa.history.projection import REMOVED


@pytest.fixture
def session() -> Iterator[Session]:
    with open_session() as s:
        yield s


@pytest.fixture
def case(session: Session) -> str:
    return new_case(session)  # deviation 1 by Karin Karlsson, deviation 2 anonymous


def _db() -> Path:
    return Path(os.environ["TRAPPA_DB"])


def _names() -> list[str]:
    with sqlite3.connect(_db()) as conn:
        return [value for (value,) in conn.execute(
            "SELECT value FROM personal_data WHERE role = 'reporter'")]


def test_the_name_is_gone_the_event_says_why_and_the_chain_verifies(
    session: Session, case: str
) -> None:
    assert "Karin Karlsson" in _names()
    result = redact(session, case, 1, "Gallringsbeslut RK 2026/99")

    assert result.event == "redacted" and result.detail == {"deviation": 1}
    assert result.case.deviation(1).reporter == REMOVED
    assert "Karin Karlsson" not in _names()
    with sqlite3.connect(_db()) as conn:  # the name is nowhere in the file's tables
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            assert "Karin Karlsson" not in repr(rows), table
    last = session.store.events(case)[-1]
    assert (last.type, last.data) == (
        "redacted", {"deviation": 1, "reason": "Gallringsbeslut RK 2026/99"}
    )
    reported = session.store.events(case)[0]
    assert reported.data["deviation"]["reporter"] == REMOVED
    assert session.store.case_state(case) == result.case
    report = session.store.verify()
    assert report.ok, report.problems
    assert session.store.rebuild_projection() == 1
    assert session.store.case_state(case) == result.case


def test_nothing_to_remove_is_refused_and_changes_nothing(session: Session, case: str) -> None:
    before = dump_db(_db())
    with pytest.raises(Refusal) as refused:
        redact(session, case, 2, "Gallring")  # anonymous: no name was ever stored
    assert refused.value.message == (
        f"deviation 2 of case {case} has no reporter's name to remove"
    )
    with pytest.raises(UserError) as unknown:
        redact(session, case, 9, "Gallring")
    assert unknown.value.message == f"case {case} has no deviation 9 (it has 2)"
    with pytest.raises(UserError):
        redact(session, case, 1, "  ")
    assert dump_db(_db()) == before


def test_a_second_redaction_is_refused(session: Session, case: str) -> None:
    redact(session, case, 1, "Gallring")
    with pytest.raises(Refusal):
        redact(session, case, 1, "Gallring igen")


def test_a_format_1_report_cannot_be_redacted(session: Session, case: str) -> None:
    """A report recorded before format 2 holds the name in its hashed content: erasing it would
    break the chain, so the refusal says so and nothing changes."""
    with sqlite3.connect(_db()) as conn:  # the report as format 1 wrote it: name and no body
        conn.execute("DROP TRIGGER events_no_update")
        data = json.loads(conn.execute(
            "SELECT data FROM events WHERE case_id = ? AND seq = 1", (case,)).fetchone()[0])
        data["deviation"]["reporter"] = "Karin Karlsson"
        conn.execute("UPDATE events SET body = NULL, data = ? WHERE case_id = ? AND seq = 1",
                     (json.dumps(data), case))
    before = dump_db(_db())
    with pytest.raises(Refusal) as refused:
        redact(session, case, 1, "Gallring")
    assert "recorded before event format 2" in refused.value.message
    assert dump_db(_db()) == before


def test_the_command(case: str) -> None:
    result = run_trappa("redact", case, "1", "--reason", "Begäran om radering", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["event"] == "redacted"
    again = run_trappa("redact", case, "1", "--reason", "Igen")
    assert (again.returncode, again.stdout) == (1, "")
    assert again.stderr.splitlines()[0] == (
        f"error: deviation 1 of case {case} has no reporter's name to remove"
    )
    missing = run_trappa("redact", case, "1")
    assert (missing.returncode, missing.stderr) == (2, "error: --reason must not be empty\n")
    shown = run_trappa("show", case, "--json")
    assert json.loads(shown.stdout)["deviations"][0]["reporter"] == "(borttaget)"
    verified = run_trappa("verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
