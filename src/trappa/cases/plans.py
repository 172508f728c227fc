"""Action plans (handlingsplaner): establishing one with its items and due date, and recording
the follow-up of the latest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from trappa.cases.deadlines import Deadline
from trappa.cases.inputs import check_text, optional_text
from trappa.cases.results import ChangeResult
from trappa.cases.session import Session, record_event
from trappa.errors import Refusal, UserError
from trappa.history.projection import PLAN_OUTCOMES, CaseState
from trappa.messages import say


def establish_plan(session: Session, case_id: str, due: dt.date | Deadline, items: list[str],
                   owner: str | None = None, date: dt.date | None = None) -> ChangeResult:
    """Establish an action plan (handlingsplan) with its items and due date: a date (moved to
    the next working day when it is none) or working days after the plan's date."""
    deadline = due if isinstance(due, Deadline) else Deadline(on=due)
    cleaned = [
        check_text(item, "--item", multiline=True) for item in items if item and item.strip()
    ]
    owner_text = optional_text(owner, "--owner")
    if not cleaned:
        raise UserError(say("plan.no_items"))

    moved: list[str | None] = []

    def build(state: CaseState, day: str) -> dict[str, Any]:
        given = deadline.due(dt.date.fromisoformat(day))
        if given.date.isoformat() < day:
            raise UserError(say("plan.due_before", due=given.date.isoformat(), date=day))
        moved.append(given.moved_from.isoformat() if given.moved_from else None)
        n = len(state.plans) + 1
        return {"n": n, "due": given.date.isoformat(), "items": cleaned, "owner": owner_text}

    state, data = record_event(session, case_id, "plan_established", date, build)
    return ChangeResult(
        state, "plan_established",
        {"plan": data["n"], "due": data["due"], "items": cleaned, "due_moved_from": moved[-1]},
    )


def follow_up_plan(session: Session, case_id: str, outcome: str, note: str | None = None,
                   date: dt.date | None = None) -> ChangeResult:
    """Record the follow-up of the case's latest action plan."""
    if outcome not in PLAN_OUTCOMES:
        raise UserError(say("plan.outcome", outcome=outcome, outcomes=", ".join(PLAN_OUTCOMES)))
    note_text = optional_text(note, "--note", multiline=True)

    def build(state: CaseState, day: str) -> dict[str, Any]:
        plan = state.latest_plan
        if plan is None:
            raise Refusal(
                say("plan.none", case=state.id), hint=say("plan.none.hint", case=state.id)
            )
        if plan.outcome is not None:
            raise Refusal(
                say("plan.already_followed", n=plan.n, date=plan.followed_up, outcome=plan.outcome)
            )
        return {"n": plan.n, "outcome": outcome, "note": note_text}

    state, data = record_event(session, case_id, "plan_followed_up", date, build)
    return ChangeResult(state, "plan_followed_up", {"plan": data["n"], "outcome": outcome})
