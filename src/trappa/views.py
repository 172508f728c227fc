"""What the read commands show: a case in full (`show`), the register (`status`), what needs
action (`review`). Plain data in DESIGN.md's JSON shapes; the CLI prints them for people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from trappa.cases import Session, step_json
from trappa.errors import UserError
from trappa.messages import say
from trappa.projection import CaseState
from trappa.rules import suggested_level
from trappa.store import Names


def next_due(state: CaseState) -> str | None:
    """The due date of the latest action plan that has not been followed up."""
    plan = state.latest_plan
    return plan.due if plan is not None and plan.outcome is None else None


def traffic_light(state: CaseState, suggested: int | None, today: dt.date) -> str:
    """red: a due date has passed or the rules call for a higher step; yellow: any other open
    case; green: closed."""
    if state.status != "open":
        return "green"
    due = next_due(state)
    if due is not None and due < today.isoformat():
        return "red"
    if (suggested or 0) > state.level:
        return "red"
    return "yellow"


def status_rows(
    session: Session, *, supplier: str | None = None, include_closed: bool = False
) -> Iterator[dict[str, Any]]:
    """One row per case, in case-id order: open cases, or all with ``include_closed``.

    The supplier is looked up before the first row is produced, so that a caller streaming the
    rows has printed nothing when the lookup fails.
    """
    store = session.store
    supplier_ids = None
    if supplier is not None:
        supplier_ids = [row["id"] for row in store.suppliers_named(supplier)]
        if not supplier_ids:
            raise UserError(say("supplier.unknown", supplier=supplier))
    status = None if include_closed else "open"
    return _rows(session, store.iter_states(status=status, supplier_ids=supplier_ids))


def _rows(session: Session, states: Iterator[CaseState]) -> Iterator[dict[str, Any]]:
    day = session.today
    names = session.store.names()
    for state in states:
        yield _row(state, suggested_level(session.ladder_of(state), state, day), day, names)


def review_rows(session: Session, as_of: dt.date | None = None) -> Iterator[dict[str, Any]]:
    """Open cases whose suggested level differs from their level, or whose plan is overdue."""
    day = as_of or session.today
    names = session.store.names()
    for state in session.store.iter_states(status="open"):
        if state.opened > day.isoformat():
            continue  # it did not exist yet
        suggested = suggested_level(session.ladder_of(state), state, day)
        due = next_due(state)
        overdue = due is not None and due < day.isoformat()
        if suggested != state.level or overdue:
            row = _row(state, suggested, day, names)
            row["plan_overdue"] = overdue
            yield row


def _row(state: CaseState, suggested: int | None, day: dt.date, names: Names) -> dict[str, Any]:
    return {
        "case": state.id,
        "supplier": names.supplier(state.supplier_id),
        "contract": names.contract(state.contract_id),
        "level": state.level,
        "suggested_level": suggested,
        "light": traffic_light(state, suggested, day),
        "open_deviations": sum(1 for d in state.deviations if d.state == "open"),
        "next_due": next_due(state),
        "status": state.status,
    }


def show(session: Session, case_id: str) -> dict[str, Any]:
    """Everything about one case, in DESIGN.md's `show` shape."""
    state = session.case(case_id)
    store = session.store
    ladder = session.ladder_of(state)
    evaluation = session.evaluate(state)
    supplier = store.supplier(state.supplier_id)
    contract = store.contract(state.contract_id) if state.contract_id is not None else None
    plan = state.latest_plan
    return {
        "case": state.id,
        "status": state.status,
        "reference": state.reference,
        "opened": state.opened,
        "closed_on": state.closed_on,
        "supplier": {"name": supplier["name"], "org_nr": supplier["org_nr"]},
        "contract": (
            {"name": contract["name"], "criticality": contract["criticality"]} if contract else None
        ),
        "ladder": {"ref": ladder.ref, "title": ladder.title, "sha256": ladder.sha256},
        "level": state.level,
        "level_since": state.level_since,
        "light": traffic_light(state, evaluation.suggested_level, session.today),
        "step": step_json(ladder, state),
        "deviations": [asdict(d) for d in state.deviations],
        "action_plan": ({**asdict(plan), "items": list(plan.items)} if plan is not None else None),
        "plans": [{**asdict(p), "items": list(p.items)} for p in state.plans],
        "sanctions": [asdict(s) for s in state.sanctions],
        "letters": list(state.letters_sent),
        "events": [
            {
                "seq": e.seq,
                "type": e.type,
                "date": e.date,
                "recorded_at": e.recorded_at,
                "actor": e.actor,
                "data": e.data,
            }
            for e in store.events(state.id)
        ],
        "evaluation": evaluation.to_json(),
    }
