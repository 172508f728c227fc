"""The smaller changes to a case: an activity done, a deviation resolved, the case closed or
reopened, a note added, an owner assigned. Each records one event through ``record_event``."""

from __future__ import annotations

import datetime as dt
from difflib import get_close_matches
from typing import Any

from trappa.cases.inputs import check_text, optional_text
from trappa.cases.results import ChangeResult
from trappa.cases.session import Session, record_event, require_deviation
from trappa.errors import Refusal, UserError
from trappa.history.projection import CaseState
from trappa.messages import say


def done(session: Session, case_id: str, activity: str, note: str | None = None,
         date: dt.date | None = None) -> ChangeResult:
    """Mark an activity of the case's current step done."""
    note_text = optional_text(note, "--note", multiline=True)

    def build(state: CaseState, day: str) -> dict[str, Any]:
        ladder = session.ladder_of(state)
        step_activities = ladder.step(state.level).get("activities") or []
        step_list = say(
            "activity.step_list", level=state.level, activities=", ".join(step_activities)
        )
        if activity not in ladder.activities:
            close = get_close_matches(activity.lower(), step_activities, n=1)
            close = close or get_close_matches(activity.lower(), list(ladder.activities), n=1)
            raise UserError(
                say("activity.unknown", activity=activity, ladder=ladder.ref)
                + (say("activity.did_you_mean", key=close[0]) if close else ""),
                hint=step_list,
            )
        if activity not in step_activities:
            raise Refusal(
                say("activity.not_in_step", activity=activity, level=state.level), hint=step_list
            )
        if activity in state.done_at_current_level():
            raise Refusal(say("activity.already_done", activity=activity, level=state.level))
        return {"activity": activity, "level": state.level, "note": note_text}

    state, _ = record_event(session, case_id, "activity_done", date, build)
    return ChangeResult(state, "activity_done", {"activity": activity, "level": state.level})


def resolve(session: Session, case_id: str, deviation: int, note: str | None = None,
            date: dt.date | None = None) -> ChangeResult:
    """Put out (släcka) a deviation of the case."""
    note_text = optional_text(note, "--note", multiline=True)

    def build(state: CaseState, day: str) -> dict[str, Any]:
        found = require_deviation(state, deviation)
        if found.state == "resolved":
            raise Refusal(
                say(
                    "deviation.already_resolved", case=state.id, n=deviation, date=found.resolved_on
                )
            )
        return {"deviation": deviation, "note": note_text}

    # No guard: a deviation of a closed case may still be put out.
    state, _ = record_event(session, case_id, "resolved", date, build, guard=None)
    return ChangeResult(state, "resolved", {"deviation": deviation})


def close(session: Session, case_id: str, reason: str, date: dt.date | None = None) -> ChangeResult:
    """Close a case."""
    reason_text = check_text(reason, "--reason", multiline=True)
    state, _ = record_event(session, case_id, "closed", date, lambda _, __: {"reason": reason_text})
    return ChangeResult(state, "closed", {"status": state.status})


def reopen(
    session: Session, case_id: str, reason: str, date: dt.date | None = None
) -> ChangeResult:
    """Reopen a closed case, unless its supplier (and contract) has another case open."""
    reason_text = check_text(reason, "--reason", multiline=True)

    def require_reopenable(state: CaseState) -> None:
        if state.status == "open":
            raise Refusal(say("case.already_open", case=state.id))
        other = session.store.open_case_for(state.supplier_id, state.contract_id)
        if other is not None:
            raise Refusal(say("case.other_open", case=state.id, other=other))

    state, _ = record_event(
        session, case_id, "reopened", date, lambda _, __: {"reason": reason_text},
        guard=require_reopenable,
    )
    return ChangeResult(state, "reopened", {"status": state.status})


def note(session: Session, case_id: str, text: str, date: dt.date | None = None) -> ChangeResult:
    """Add a free-text note to the case's history."""
    body = check_text(text, "the note", multiline=True)
    state, _ = record_event(session, case_id, "note", date, lambda _, __: {"text": body},
                            guard=None)
    return ChangeResult(state, "note", {})


def assign(session: Session, case_id: str, owner: str, date: dt.date | None = None
           ) -> ChangeResult:
    """Make ``owner`` the case's owner, its avtalsansvarig ("" or "-": nobody). Refused when
    the case already has that owner: the history records changes, not repetitions."""
    name = None if owner.strip() in ("", "-") else check_text(owner, "OWNER")

    def build(state: CaseState, _: str) -> dict[str, Any]:
        if state.owner == name:
            raise Refusal(say("assign.same", case=state.id, owner=name or "-"))
        return {"owner": name}

    state, data = record_event(session, case_id, "assigned", date, build)
    return ChangeResult(state, "assigned", {"owner": data["owner"] or "-"})
