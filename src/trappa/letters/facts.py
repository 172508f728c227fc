"""Which facts a letter states: the case as it was at the letter's date, the action plan a
plan document shows (as it was established), the sanction a notice names, and the decision a
blocking or termination letter rests on; and the refusals when the case has not got there.

Every fact is read from the events up to the point the document speaks of, so that a letter
dated in the past, or plan 1 rendered after plan 2, says what was true then.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from trappa.errors import Refusal, UserError
from trappa.history.projection import CaseState, Event, fold
from trappa.ladder.view import TERMINATION_KINDS, LadderView
from trappa.messages import say

SANCTION_KINDS = ("meddelande-om-sanktion",)  # notices that name one sanction


def as_of(state: CaseState, events: list[Event], day: dt.date) -> tuple[CaseState, list[Event]]:
    """The case and its events as they were at the end of ``day`` (a letter dated before the
    latest event states only what was recorded by then)."""
    if not state.last_date or day.isoformat() >= state.last_date:
        return state, events
    kept = [event for event in events if event.date <= day.isoformat()]
    if not kept:  # before the case was opened: its first report is all there is to say
        kept = events[:1]
    return fold(kept), kept


def plan_as_established(
    state: CaseState, events: list[Event], n: int | None
) -> tuple[CaseState, list[Event], int]:
    """The case as it was when plan ``n`` (default: the latest) was established, its events up
    to then, and ``n``. Refused when the case has no plan; an unknown ``n`` is bad input."""
    count = len(state.plans)
    if count == 0:
        raise Refusal(say("letters.no_plan", case=state.id), hint=say("plan.none.hint",
                                                                       case=state.id))
    number = count if n is None else n
    if not 1 <= number <= count:
        raise UserError(say("letters.no_such_plan", case=state.id, n=number, count=count))
    for index, event in enumerate(events):
        if event.type == "plan_established" and event.data.get("n") == number:
            kept = events[: index + 1]
            return fold(kept), kept, number
    raise UserError(say("letters.no_such_plan", case=state.id, n=number, count=count))


def choose_sanction(
    state: CaseState,
    kind: str,
    spec: dict[str, Any],
    sanctions: list[dict[str, Any]],
    n: int | None,
) -> dict[str, Any] | None:
    """The sanction the letter ``kind`` is about, or None for a letter about none.

    A sanction notice names sanction ``n``, by default the latest not yet notified (else the
    latest); a termination letter rests on sanction ``n`` or the latest of kind havning or
    uppsagning, and is refused without one."""
    terminates = spec.get("decision") == "terminate"
    if kind not in SANCTION_KINDS and not terminates:
        if n is not None:
            raise UserError(say("letters.sanction_not_for_kind", kind=kind))
        return None
    if n is not None and not 1 <= n <= len(sanctions):
        raise UserError(say("letters.no_such_sanction", case=state.id, n=n,
                            count=len(sanctions)))
    if terminates:
        candidates = [s for s in sanctions if s["kind"] in TERMINATION_KINDS]
        if n is not None:
            candidates = [s for s in candidates if s["n"] == n]
        if not candidates:
            raise Refusal(say("letters.no_termination", case=state.id),
                          hint=say("letters.no_termination.hint", case=state.id))
        return candidates[-1]
    if not sanctions:
        raise Refusal(say("letters.no_sanction", case=state.id),
                      hint=say("letters.no_sanction.hint", case=state.id))
    if n is not None:
        return sanctions[n - 1]
    waiting = [s for s in sanctions if not s["notified"]]
    return (waiting or sanctions)[-1]


def decision_level(ladder: LadderView, kind: str, spec: dict[str, Any]) -> int | None:
    """The lowest step whose activities send ``kind``, for a letter that gives notice of a
    decision (to block, to terminate); None for any other letter."""
    if not spec.get("decision"):
        return None
    levels = [level for level in ladder.levels if kind in ladder.step_letters(level)]
    return min(levels) if levels else None


def check_step(
    ladder: LadderView, state: CaseState, kind: str, spec: dict[str, Any], override: str | None
) -> None:
    """A blocking or termination letter below the step that calls for it is refused, unless
    ``override`` gives the reason to send it now (which the letter's event records)."""
    level = decision_level(ladder, kind, spec)
    below = level is not None and state.level < level
    if below and override is None:
        raise Refusal(
            say("letters.below_step", kind=kind, level=level, case=state.id, current=state.level),
            hint=say("letters.below_step.hint"),
        )
    if override is not None and not below:
        raise UserError(say("letters.override_unneeded", kind=kind, current=state.level))
