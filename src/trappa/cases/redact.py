"""Erasing a deviation's reporter (GDPR, gallring): the name is deleted from the register's
personal data and an event ``redacted`` records that, and why, without the name. The hash chain
holds only the name's salted digest (``trappa.history.chain``), so every event still verifies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from trappa.cases.inputs import check_text
from trappa.cases.results import ChangeResult
from trappa.cases.session import Session, record_event, require_deviation
from trappa.errors import Refusal
from trappa.history.projection import REMOVED, CaseState
from trappa.messages import say


def redact(session: Session, case_id: str, deviation: int, reason: str,
           date: dt.date | None = None) -> ChangeResult:
    """Remove the name of the reporter of ``deviation`` of the case, recording why."""
    reason_text = check_text(reason, "--reason", multiline=True)

    def build(state: CaseState, day: str) -> dict[str, Any]:
        found = require_deviation(state, deviation)
        if found.reporter is None or found.reporter == REMOVED:
            raise Refusal(say("redact.no_reporter", case=state.id, n=deviation))
        # Inside the write transaction: the name goes with the event that records it, or not.
        erased = session.store.erase_reporter(state.id, found.reported_seq)
        if erased == "format1":
            raise Refusal(say("redact.format1", case=state.id, n=deviation),
                          hint=say("redact.format1.hint"))
        if erased != "erased":
            raise Refusal(say("redact.no_reporter", case=state.id, n=deviation))
        return {"deviation": deviation, "reason": reason_text}

    # No guard: a closed case's reporter may be erased too (gallring comes after closing).
    state, _ = record_event(session, case_id, "redacted", date, build, guard=None)
    return ChangeResult(state, "redacted", {"deviation": deviation})
