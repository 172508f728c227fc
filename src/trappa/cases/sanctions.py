"""Sanctions under the contract (vite, hävning, …): recording one with its amount, if any."""

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
from trappa.history.projection import CaseState
from trappa.messages import say

MAX_AMOUNT = 1e12  # kronor: far above any contract's sanction, far below float's exact range


def sanction(session: Session, case_id: str, kind: str, reason: str, amount: float | None = None,
             date: dt.date | None = None, *, deviations: Iterable[int] = ()) -> ChangeResult:
    """Record a sanction under the contract (vite, hävning, …); ``deviations``: the numbers of
    the deviations it answers (``trappa.cases.claims``)."""
    kind_text = check_text(kind, "--kind")
    reason_text = check_text(reason, "--reason", multiline=True)
    if amount is not None and not (math.isfinite(amount) and 0 <= amount <= MAX_AMOUNT):
        raise UserError(say("sanction.amount", amount=amount))
    if amount is not None:
        amount = round(amount, 2)  # kronor and öre
    answered = sorted(set(deviations))

    def build(state: CaseState, day: str) -> dict[str, Any]:
        check_answerable(state, answered)
        return {
            "n": len(state.sanctions) + 1, "kind": kind_text, "amount": amount,
            "reason": reason_text, **({"deviations": answered} if answered else {}),
        }

    state, data = record_event(session, case_id, "sanction", date, build)
    return ChangeResult(
        state, "sanction",
        {"sanction": data["n"], "kind": kind_text, "amount": amount, "deviations": answered},
    )
