"""Moving a case to the current ladder file (``trappa ladder adopt``), and finding the cases
whose ladder file has changed since they opened (``review``).

A case keeps the resolved ladder it opened under, so that its rules never change behind its back;
new ladder keys (``blocks``, ``risk_matrix``, …) and corrected rules reach it only when a person
adopts the current file, with a reason, recorded as ``ladder_adopted`` with both sha256s.
Adoption is refused when the case's level, or an activity recorded done on it, does not exist in
the new ladder: its history must still read under the ladder it runs under.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trappa.cases.inputs import check_text, optional_text
from trappa.cases.results import ChangeResult
from trappa.cases.session import Session, record_event
from trappa.errors import Refusal, TrappaError
from trappa.history.projection import CaseState
from trappa.ladder.view import LadderView
from trappa.messages import say


def adopt_ladder(
    session: Session, case_id: str, ladder: str | None, reason: str | None
) -> ChangeResult:
    """Re-resolve the case's ladder from the current files (``ladder``, default the case's own
    ``id@version``) and record the move."""
    reason_text = check_text(reason, "--reason", multiline=True)
    wanted = optional_text(ladder, "LADDER")
    state = session.case(case_id)
    new = session.resolve_ladder(wanted or state.ladder)

    def build(state: CaseState, day: str) -> dict[str, Any]:
        if new.sha256 == state.ladder_sha256:
            raise Refusal(say("adopt.same", case=state.id, ladder=new.ref))
        if not new.has_level(state.level):
            raise Refusal(say("adopt.no_level", case=state.id, ladder=new.ref, level=state.level))
        missing = sorted({d.activity for d in state.activities_done} - set(new.activities))
        if missing:
            raise Refusal(say("adopt.no_activity", case=state.id, ladder=new.ref,
                              activities=", ".join(missing)))
        session.store.put_ladder(new.ref, new.sha256, new.to_json())
        session.remember(new)
        return {
            "from": {"ladder": state.ladder, "ladder_sha256": state.ladder_sha256},
            "to": {"ladder": new.ref, "ladder_sha256": new.sha256},
            "reason": reason_text,
        }

    # No guard: a closed case may be moved too (its block and termination are read under it).
    after, data = record_event(session, case_id, "ladder_adopted", None, build, guard=None)
    return ChangeResult(after, "ladder_adopted", {
        "from": data["from"]["ladder"], "from_sha256": data["from"]["ladder_sha256"],
        "to": data["to"]["ladder"], "to_sha256": data["to"]["ladder_sha256"],
    })


def current_ladders(
    session: Session, resolve: Callable[[str], LadderView] | None = None
) -> Callable[[str], str | None]:
    """A lookup: a case's ladder ``id@version`` -> the sha256 its current file resolves to
    (None when it no longer loads), each reference resolved once."""
    known: dict[str, str | None] = {}
    resolver = resolve or session.resolve_ladder

    def current(ref: str) -> str | None:
        if ref not in known:
            try:
                known[ref] = resolver(ref).sha256
            except TrappaError:
                known[ref] = None
        return known[ref]

    return current
