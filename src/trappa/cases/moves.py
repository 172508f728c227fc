"""Moving a case on the ladder: ``escalate`` (up, backed by the rules or a reason) and
``deescalate`` (down, the way back, always with a reason)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from trappa.cases.inputs import check_text, optional_text
from trappa.cases.results import MoveResult
from trappa.cases.session import Session, record_event
from trappa.errors import Refusal, UserError
from trappa.history.projection import CaseState
from trappa.messages import say


def escalate(session: Session, case_id: str, to: int | None = None, reason: str | None = None,
             date: dt.date | None = None) -> MoveResult:
    """Move a case up. Without a reason the rules' suggestion must reach the target level; the
    rules that carry the move are then recorded instead of a reason."""
    if reason is not None and not reason.strip():
        raise UserError(say("input.empty", what="--reason"))
    return _move(
        session, case_id, to, optional_text(reason, "--reason", multiline=True), date, up=True
    )


def deescalate(session: Session, case_id: str, to: int | None = None, reason: str | None = None,
               date: dt.date | None = None) -> MoveResult:
    """Move a case down: the way back. A reason is required."""
    return _move(session, case_id, to, check_text(reason, "--reason", multiline=True), date,
                 up=False)


def _move(session: Session, case_id: str, to: int | None, reason: str | None, date: dt.date | None,
          *, up: bool) -> MoveResult:
    def build(state: CaseState, day: str) -> dict[str, Any]:
        target = to if to is not None else state.level + (1 if up else -1)
        _check_target(session, state, target, up=up)
        rules: list[str] = []
        if up:
            evaluation = session.evaluate(state, dt.date.fromisoformat(day))
            rules = [r.id for r in evaluation.holding if r.level >= target]
            if reason is None and (evaluation.suggested_level or 0) < target:
                raise Refusal(
                    say(
                        "move.needs_reason",
                        case=state.id,
                        target=target,
                        suggested=evaluation.suggested_level or 0,
                    ),
                    hint=say("move.needs_reason.hint", case=state.id),
                )
        return {"from": state.level, "to": target, "reason": reason, "rules": rules}

    event = "escalated" if up else "deescalated"
    state, data = record_event(session, case_id, event, date, build)
    return MoveResult(state, data["from"], state.level, session.ladder_of(state),
                      tuple(data["rules"]))


def _check_target(session: Session, state: CaseState, target: int, *, up: bool) -> None:
    """Refuse a target level the ladder lacks, the case's own level, or one the other way."""
    ladder = session.ladder_of(state)
    if not ladder.has_level(target):
        key = "move.above_top" if target > state.level else "move.below_zero"
        raise Refusal(
            say(key, case=state.id, level=state.level, target=target, top=ladder.top_level)
        )
    if target == state.level:
        raise Refusal(say("move.same_level", case=state.id, level=state.level))
    if up and target < state.level:
        raise Refusal(
            say("move.escalate_down", case=state.id, level=state.level, target=target),
            hint=say("move.escalate_down.hint"),
        )
    if not up and target > state.level:
        raise Refusal(
            say("move.deescalate_up", case=state.id, level=state.level, target=target),
            hint=say("move.deescalate_up.hint"),
        )
