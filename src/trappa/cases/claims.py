"""No sanction lost by passivity: which deviations a sanction answers (``sanction
--deviation N``), and the decision not to sanction one (``trappa waive``).

A deviation is *answered* once a sanction names it or a waiver is recorded for it; until then its
claim window (``trappa.rules.due``) runs. A deviation answered one way is refused the other: a
sanctioned deviation is not waived, and a waived one is not named by a later sanction (record the
change of mind in a note, then a sanction without ``--deviation``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from trappa.cases.inputs import check_text
from trappa.cases.results import ChangeResult
from trappa.cases.session import Session, record_event, require_deviation
from trappa.errors import Refusal
from trappa.history.projection import CaseState
from trappa.messages import say


def sanctions_of(state: CaseState, n: int) -> list[int]:
    """The sanctions that answer deviation ``n``."""
    return [sanction.n for sanction in state.sanctions if n in sanction.deviations]


def check_answerable(state: CaseState, deviations: list[int]) -> None:
    """Each of ``deviations`` exists (bad input otherwise) and was not waived (a refusal)."""
    for n in deviations:
        found = require_deviation(state, n)
        if found.waived_on is not None:
            raise Refusal(say("claims.sanction_waived", case=state.id, n=n,
                              date=found.waived_on))


def waive(session: Session, case_id: str, deviation: int, reason: str,
          date: dt.date | None = None) -> ChangeResult:
    """Record a decision not to sanction ``deviation``, and why."""
    reason_text = check_text(reason, "--reason", multiline=True)

    def build(state: CaseState, day: str) -> dict[str, Any]:
        found = require_deviation(state, deviation)
        sanctioned = sanctions_of(state, deviation)
        if sanctioned:
            raise Refusal(
                say("claims.waive_sanctioned", case=state.id, n=deviation,
                    sanctions=", ".join(map(str, sanctioned))),
            )
        if found.waived_on is not None:
            raise Refusal(say("claims.already_waived", case=state.id, n=deviation,
                              date=found.waived_on))
        return {"deviation": deviation, "reason": reason_text}

    # No guard: deciding not to sanction is bookkeeping a closed case still takes.
    state, _ = record_event(session, case_id, "waived", date, build, guard=None)
    return ChangeResult(state, "waived", {"deviation": deviation})
