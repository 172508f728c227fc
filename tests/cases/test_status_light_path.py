"""`status` and `review` read a register through a light path (``Store.iter_summaries`` and
``rules.suggested_level_of``) instead of building every ``CaseState``. It must give exactly what
the full path gives: the same suggested level and evaluation for every case and date, and the
same rows."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rule_strategies import as_of_days, cases, ladders
from trappa.cases import views
from trappa.cases.due import case_due, case_due_now
from trappa.cases.session import Session
from trappa.history.facts import facts_of
from trappa.history.obligations import obligations
from trappa.history.projection import CaseState
from trappa.ladder.view import LadderView, canonical_json
from trappa.rules.evaluation import (
    evaluate,
    evaluate_facts,
    suggested_level,
    suggested_level_of,
)
from trappa.store.database import Store

_ids = itertools.count(1)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with Store.open(tmp_path_factory.mktemp("light") / "trappa.db") as opened:
        yield opened


def _save(store: Store, ladder: LadderView, states: list[CaseState]) -> tuple[int, list]:
    """The states under a new supplier, with new ids, run under ``ladder``."""
    text = canonical_json(ladder.data)
    sha = ladder.sha256
    store.put_ladder("slump@1", sha, text)
    supplier = store.add_supplier(f"Leverantör {next(_ids)} AB", None)
    contract = store.add_contract(supplier, "Avtal", 2)
    saved = [
        state._replace(id=f"2026-{next(_ids):04d}", supplier_id=supplier,
                contract_id=contract if i % 2 else None, ladder_sha256=sha)
        for i, state in enumerate(states)
    ]
    store.save_states(saved)
    return supplier, saved


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ladder=ladders(), states=st.lists(cases, min_size=1, max_size=4), as_of=as_of_days)
def test_the_light_path_agrees_with_the_full_path(
    store: Store, ladder: LadderView, states: list[CaseState], as_of: dt.date
) -> None:
    supplier, saved = _save(store, ladder, states)
    full = list(store.iter_states(status=None, supplier_ids=[supplier]))
    light = list(
        store.iter_summaries(status=None, supplier_ids=[supplier])
    )
    assert full == saved  # what was saved reads back whole
    assert [case.id for case in light] == [state.id for state in full]
    for state, case in zip(full, light, strict=True):
        assert suggested_level_of(ladder, case, as_of) == suggested_level(ladder, state, as_of)
        assert evaluate_facts(ladder, case, as_of) == evaluate(ladder, state, as_of)
        assert case.facts() == facts_of(state)  # the kept facts: the plain path's own
        assert case.open_deviations == sum(1 for d in state.deviations if d.state == "open")
        assert dict(store.iter_obligations(status=None, supplier_ids=[supplier])).get(
            state.id, ()
        ) == obligations(state)
        assert case.latest_plan == (
            None if state.latest_plan is None
            else (state.latest_plan.n, state.latest_plan.established, state.latest_plan.due,
                  state.latest_plan.outcome, state.latest_plan.followed_up)
        )


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ladder=ladders(), states=st.lists(cases, min_size=1, max_size=6),
    chunk=st.integers(min_value=1, max_value=4), split=st.integers(min_value=0, max_value=6),
)
def test_obligations_read_in_chunks_and_halves_are_those_read_at_once(
    store: Store, monkeypatch: pytest.MonkeyPatch, ladder: LadderView, states: list[CaseState],
    chunk: int, split: int,
) -> None:
    from trappa.store import followup

    supplier, saved = _save(store, ladder, states)
    middle = saved[min(split, len(saved) - 1)].id
    for status, owner in ((None, None), ("open", None), ("open", "testare")):
        whole = list(store.iter_obligations(status=status, owner=owner))
        assert [case for case, _ in whole] == sorted(case for case, _ in whole)
        with monkeypatch.context() as patch:
            patch.setattr(followup, "OBLIGATIONS_CHUNK", chunk)
            assert list(store.iter_obligations(status=status, owner=owner)) == whole
            # Two halves of a listing, split at one of the saved cases, read all between them.
            halves = [*store.iter_obligations(status=status, owner=owner, ids=(None, middle)),
                      *store.iter_obligations(status=status, owner=owner, ids=(middle, None))]
            assert halves == whole


def _old_row(session: Session, state: CaseState, day: dt.date) -> dict[str, Any]:
    """A row as status built it from a full CaseState before the light path."""
    store = session.store
    suggested = suggested_level(session.ladder_of(state), state, day)
    contract = store.contract(state.contract_id)["name"] if state.contract_id else None
    return {
        "case": state.id,
        "supplier": store.supplier(state.supplier_id)["name"],
        "contract": contract,
        "level": state.level,
        "suggested_level": suggested,
        # Red also for an overdue reply, claim or plan, judged through the ordinary path.
        "light": views._light_with_due(
            views.traffic_light(state, suggested, day), case_due(session, state, day)
        ),
        "open_deviations": sum(1 for d in state.deviations if d.state == "open"),
        "next_due": views.next_due(state),
        "status": state.status,
        # What is overdue or soon due, judged through the ordinary path; none on a closed case.
        "due": [item.to_json() for item in case_due_now(session, state, day)]
        if state.status == "open" else [],
    }


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ladder=ladders(), states=st.lists(cases, min_size=1, max_size=6), as_of=as_of_days,
       claim_days=st.sampled_from([None, 30, 120]))
def test_status_and_review_rows_are_what_the_full_states_give(
    tmp_path: Path, ladder: LadderView, states: list[CaseState], as_of: dt.date,
    claim_days: int | None,
) -> None:
    with Store.open(tmp_path / f"r{next(_ids)}.db") as store:
        _save(store, ladder, states)
        if claim_days is not None:  # claim windows: overdue and soon claims in the rows
            store.set_setting("sanction.claim_within_days", str(claim_days))
        session = Session(store, "testare", as_of)
        full = list(store.iter_states(status=None))
        expected = [_old_row(session, state, as_of) for state in full]
        assert list(views.status_rows(session, include_closed=True)) == expected
        assert list(views.status_rows(session)) == [
            row for row in expected if row["status"] == "open"
        ]
        expected_review = []
        for state, row in zip(full, expected, strict=True):
            if state.status != "open" or state.opened > as_of.isoformat():
                continue
            due = row["next_due"]
            overdue = due is not None and due < as_of.isoformat()
            if row["suggested_level"] != state.level or overdue or row["due"]:
                expected_review.append({**row, "plan_overdue": overdue, "ladder_outdated": False})
        assert list(views.review_rows(session, as_of)) == expected_review
