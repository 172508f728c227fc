"""The smaller changes to a case: an activity done, a deviation resolved, the case closed or
reopened, a note added. Each records one event through ``record_event``."""

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


def close(session: Session, case_id: str, reason: str, override: str | None = None,
          date: dt.date | None = None) -> ChangeResult:
    """Close a case: only once the effect is checked (the latest action plan followed up, no
    deviation open), unless ``override`` gives the reason it closes anyway, which is recorded
    with what was still outstanding."""
    reason_text = check_text(reason, "--reason", multiline=True)
    override_text = None if override is None else check_text(
        override, "--override", multiline=True
    )

    def build(state: CaseState, day: str) -> dict[str, Any]:
        outstanding = outstanding_for_close(state)
        data: dict[str, Any] = {"reason": reason_text}
        if outstanding["plan"] is None and not outstanding["deviations"]:
            return data
        if override_text is None:
            raise Refusal(
                say("close.outstanding", case=state.id, what=_outstanding_text(outstanding)),
                hint=say("close.outstanding.hint", case=state.id),
            )
        return {**data, "override": override_text, "outstanding": outstanding}

    state, data = record_event(session, case_id, "closed", date, build)
    detail = {"status": state.status}
    if "override" in data:
        detail["override"] = data["override"]
    return ChangeResult(state, "closed", detail)


def outstanding_for_close(state: CaseState) -> dict[str, Any]:
    """What keeps a case from closing: its latest plan without a follow-up (its number) and
    its open deviations (their numbers)."""
    plan = state.latest_plan
    return {
        "plan": plan.n if plan is not None and plan.outcome is None else None,
        "deviations": [d.n for d in state.deviations if d.state == "open"],
    }


def _outstanding_text(outstanding: dict[str, Any]) -> str:
    parts = []
    if outstanding["plan"] is not None:
        parts.append(say("close.outstanding.plan", plan=outstanding["plan"]))
    deviations = outstanding["deviations"]
    if len(deviations) == 1:
        parts.append(say("close.outstanding.deviation", deviation=deviations[0]))
    elif deviations:
        listed = ", ".join(map(str, deviations))
        parts.append(say("close.outstanding.deviations", deviations=listed))
    return "; ".join(parts)


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
