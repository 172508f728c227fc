"""A failure in the middle of an operation leaves the database exactly as it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import dump_db
from trappa.cases import moves, reporting
from trappa.cases.inputs import ReportInput, check_report
from trappa.cases.session import Session
from trappa.cli.session import resolve_ladder
from trappa.store.database import Store

TODAY = dt.date(2026, 10, 1)


class Boom(Exception):
    pass



@pytest.fixture
def session(tmp_path: Path):
    store = Store.open(tmp_path / "a.db")
    s = Session(store=store, actor="testare", today=TODAY)
    checked = check_report(ReportInput(supplier="Bolaget AB", description="Fel"), TODAY)
    reporting.report(s, checked, resolve_ladder)
    yield s
    store.close()


@pytest.mark.parametrize("failing", ["append", "save_state"])
def test_a_failure_mid_escalation_changes_nothing(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    before = dump_db(tmp_path / "a.db")

    def explode(*args, **kwargs):
        raise Boom

    if failing == "save_state":
        # The events are appended first; the failure comes after them, before the commit.
        monkeypatch.setattr(session.store, "save_state", explode)
    else:
        monkeypatch.setattr(session.store, "append", explode)
    with pytest.raises(Boom):
        moves.escalate(session, "2026-0001", reason="Test")
    assert dump_db(tmp_path / "a.db") == before
    monkeypatch.undo()
    assert moves.escalate(session, "2026-0001", reason="Test").to_level == 1


def test_a_failure_while_opening_a_case_leaves_no_supplier_or_case(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump_db(tmp_path / "a.db")

    def explode(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(session.store, "save_state", explode)
    checked = check_report(ReportInput(supplier="Nytt AB", contract="K", description="x"), TODAY)
    with pytest.raises(Boom):
        reporting.report(session, checked, resolve_ladder)
    assert dump_db(tmp_path / "a.db") == before
