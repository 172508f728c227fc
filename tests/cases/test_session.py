"""``record_event``, the shape of every operation but report: the guard, then the date, then the
operation's own checks, and nothing written when any of them refuses."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import dump_db
from letters_helpers import TODAY, new_case, open_session
from trappa.cases import changes
from trappa.cases.session import Session, record_event, require_open
from trappa.errors import Refusal, UserError
from trappa.history.projection import CaseState


@pytest.fixture
def session() -> Iterator[Session]:
    with open_session() as s:
        yield s


@pytest.fixture
def case(session: Session) -> str:
    return new_case(session)


def _refuse(state: CaseState, day: str) -> dict[str, Any]:
    raise Refusal("the operation's own check")


def test_the_event_is_recorded_on_its_date_and_its_data_returned(
    session: Session, case: str
) -> None:
    seen: list[tuple[str, str]] = []

    def build(state: CaseState, day: str) -> dict[str, Any]:
        seen.append((state.id, day))
        return {"text": "hej"}

    state, data = record_event(session, case, "note", TODAY, build)
    assert seen == [(case, "2026-10-01")]
    assert data == {"text": "hej"}
    assert state.last_seq == 3
    assert [e.type for e in session.store.events(case)] == ["reported", "reported", "note"]


def test_the_guard_speaks_before_the_date_and_the_date_before_the_checks(
    session: Session, case: str
) -> None:
    changes.close(session, case, "Klart", override="Prövas i testet")
    before = dump_db(Path(os.environ["TRAPPA_DB"]))
    future = TODAY + dt.timedelta(days=1)
    with pytest.raises(Refusal, match="closed"):
        record_event(session, case, "note", future, _refuse, guard=require_open)
    with pytest.raises(UserError, match="future"):
        record_event(session, case, "note", future, _refuse, guard=None)
    with pytest.raises(Refusal, match="own check"):
        record_event(session, case, "note", TODAY, _refuse, guard=None)
    assert dump_db(Path(os.environ["TRAPPA_DB"])) == before


def test_an_unknown_case_is_named_before_anything_else(session: Session, case: str) -> None:
    with pytest.raises(UserError, match="unknown case 2026-0099"):
        record_event(session, "2026-0099", "note", TODAY, _refuse)
