"""A deviation's claim window: the contract's own (``trappa contract NAME --claim-within``), else
``sanction.claim_within_days``, else none; judged the same way for one case (its fold) and for a
listing (the store's bulk reading), on both engines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from letters_helpers import new_case, open_session
from trappa.cases import views
from trappa.cases.claims import waive
from trappa.cases.contracts import set_contract
from trappa.cases.due import case_due
from trappa.cases.sanctions import sanction
from trappa.cases.session import Session
from trappa.history.obligations import obligations

pytestmark = pytest.mark.usefixtures("engine")  # a SQLite file and a PostgreSQL server


@pytest.fixture
def session() -> Iterator[Session]:
    with open_session(dt.date(2026, 4, 20)) as s:
        yield s


def _claims(session: Session, case_id: str) -> list[tuple[int, str, str]]:
    return [(d.ref, d.date, d.state) for d in case_due(session, session.case(case_id))
            if d.what == "claim"]


def test_no_window_no_claim(session: Session) -> None:
    case_id = new_case(session)  # deviations observed 14 March and 2 April 2026
    assert _claims(session, case_id) == []
    assert session.store.contract_claim_days() == {}


def test_the_organisations_default_window(session: Session) -> None:
    case_id = new_case(session, level=1)  # where the rules put it: yellow unless overdue
    with session.store.transaction():
        session.store.set_setting("sanction.claim_within_days", "30")
    assert _claims(session, case_id) == [
        (1, "2026-04-13", "overdue"), (2, "2026-05-02", "soon"),
    ]
    [row] = views.status_rows(session)
    assert row["light"] == "red"
    sanction(session, case_id, "vite", "Uteblivet pass", 5000, deviations=[1])
    waive(session, case_id, 2, "Rättat samma dag")
    assert [d.state for d in case_due(session, session.case(case_id))
            if d.what == "claim"] == ["done", "done"]
    [row] = views.status_rows(session)
    assert row["light"] == "yellow"


def test_a_contracts_own_window_wins(session: Session) -> None:
    case_id = new_case(session, level=1)  # where the rules put it: yellow unless overdue
    with session.store.transaction():
        session.store.set_setting("sanction.claim_within_days", "30")
    contract_id = session.case(case_id).contract_id
    name = session.store.contract(contract_id)["name"]
    set_contract(session, name, None, {"claim_within_days": 90}, "Avtalets villkor")
    assert session.store.contract_claim_days() == {contract_id: 90}
    assert _claims(session, case_id) == [
        (1, "2026-06-12", "later"), (2, "2026-07-01", "later"),
    ]
    assert list(views.review_rows(session)) == []


def test_the_bulk_reading_gives_what_the_fold_gives(session: Session) -> None:
    case_id = new_case(session, level=1)  # where the rules put it: yellow unless overdue
    sanction(session, case_id, "vite", "Uteblivet pass", None, deviations=[2])
    waive(session, case_id, 1, "Ringa")
    state = session.case(case_id)
    assert dict(session.store.iter_obligations()) == {case_id: obligations(state)}
    assert [o.done for o in obligations(state)] == ["2026-04-20", "2026-04-20"]
