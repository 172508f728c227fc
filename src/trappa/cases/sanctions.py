"""Sanctions under the contract: recording one by its kind's code (``vite``, ``havning``, …, as
the case's ladder declares them in ``sanction_kinds``), with its amount, if any, and the date it
takes effect, which may lie after the decision (a termination by notice ends the contract
later)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from trappa.cases.claims import check_answerable
from trappa.cases.inputs import check_text
from trappa.cases.results import ChangeResult
from trappa.cases.session import Session, record_event
from trappa.errors import UserError
from trappa.history.projection import CaseState, Event
from trappa.messages import say

MAX_AMOUNT = 1e12  # kronor: far above any contract's sanction, far below float's exact range


def sanction(session: Session, case_id: str, kind: str, reason: str, amount: float | None = None,
             date: dt.date | None = None, takes_effect: dt.date | None = None, *,
             deviations: Iterable[int] = ()) -> ChangeResult:
    """Record a sanction of kind ``kind`` (a code of the case's ladder) under the contract;
    ``deviations``: the numbers of the deviations it answers (``trappa.cases.claims``)."""
    code = check_text(kind, "--kind").strip().lower()
    reason_text = check_text(reason, "--reason", multiline=True)
    if amount is not None and not (math.isfinite(amount) and 0 <= amount <= MAX_AMOUNT):
        raise UserError(say("sanction.amount", amount=amount))
    if amount is not None:
        amount = round(amount, 2)  # kronor and öre
    answered = sorted(set(deviations))

    def build(state: CaseState, day: str) -> dict[str, Any]:
        kinds = session.ladder_of(state).sanction_kinds
        if code not in kinds:
            raise UserError(say("sanction.kind", kind=code, kinds=", ".join(kinds)))
        check_answerable(state, answered)
        data: dict[str, Any] = {
            "n": len(state.sanctions) + 1, "kind": code, "amount": amount,
            "reason": reason_text, **({"deviations": answered} if answered else {}),
        }
        if takes_effect is not None:
            if takes_effect.isoformat() < day:
                raise UserError(say("sanction.takes_effect", takes_effect=takes_effect.isoformat(),
                                    date=day))
            data["takes_effect"] = takes_effect.isoformat()
        return data

    state, data = record_event(session, case_id, "sanction", date, build)
    return ChangeResult(
        state, "sanction",
        {"sanction": data["n"], "kind": code, "amount": amount, "deviations": answered,
         "takes_effect": data.get("takes_effect") or state.last_date},
    )


def takes_effect(events: Iterable[Event]) -> dict[Any, str | None]:
    """Each sanction's number and the day its event says it takes effect (``sanction
    --takes-effect``; None: the day of the decision)."""
    return {
        event.data.get("n"): event.data.get("takes_effect")
        for event in events
        if event.type == "sanction"
    }
