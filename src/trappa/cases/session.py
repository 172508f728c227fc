"""The session every operation runs in, and the one way an operation writes: check the case as
it is inside the write transaction, then append its events and save its projection.

Each operation checks everything it can before it writes anything, then runs as one transaction:
it re-reads the case inside the transaction (another process may have moved it meanwhile),
appends its events, and saves the case's projection folded from them. A failure anywhere leaves
the database as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from trappa.dates import now_utc
from trappa.errors import Refusal, UserError
from trappa.history.projection import CaseState, Deviation, Event, apply
from trappa.identifiers import CASE_ID
from trappa.ladder.view import LadderView
from trappa.messages import say
from trappa.rules.evaluation import Evaluation, evaluate
from trappa.store.database import Store

# The events an operation records: (type, date, data) each.
Events = list[tuple[str, str, dict[str, Any]]]


class Session:
    """Who does what, where and when: the context every operation runs in."""

    def __init__(self, store: Store, actor: str, today: dt.date) -> None:
        self.store = store
        self.actor = actor
        self.today = today
        self._ladders: dict[str, LadderView] = {}

    def ladder_of(self, state: CaseState) -> LadderView:
        """The resolved ladder the case runs under, as stored when it opened."""
        return self.ladder(state.ladder_sha256)

    def ladder(self, sha256: str) -> LadderView:
        """The resolved ladder stored under ``sha256``, read once per session."""
        view = self._ladders.get(sha256)
        if view is None:
            view = LadderView.from_json(self.store.ladder_json(sha256))
            self._ladders[sha256] = view
        return view

    def resolve_ladder(self, ref: str) -> LadderView:
        """The resolved ladder for ``ref`` (an id, ``id@version`` or a path), through the
        database's ladder cache: a ladder whose files have not changed is not read again."""
        from trappa.cases.ladder_cache import resolve

        return resolve(self.store, ref)

    def remember(self, ladder: LadderView) -> None:
        """Keep a ladder just resolved, so that ``ladder_of`` need not read it back."""
        self._ladders[ladder.sha256] = ladder

    def case(self, case_id: str) -> CaseState:
        """The case, or a UserError naming the unknown id."""
        if not CASE_ID.fullmatch(case_id):
            raise UserError(say("case.malformed_id", case=case_id))
        state = self.store.case_state(case_id)
        if state is None:
            raise UserError(say("case.unknown", case=case_id))
        return state

    def supplier_ids(self, supplier: str | None) -> list[int] | None:
        """The ids of the suppliers ``supplier`` names (a name or an organisation number), or
        None for no filter; a UserError when it names none (``--supplier`` of a listing)."""
        if supplier is None:
            return None
        found = [row["id"] for row in self.store.suppliers_named(supplier)]
        if not found:
            raise UserError(say("supplier.unknown", supplier=supplier))
        return found

    def evaluate(self, state: CaseState, as_of: dt.date | None = None) -> Evaluation:
        """The ladder's rules on the case, as of ``as_of`` (default: today)."""
        return evaluate(self.ladder_of(state), state, as_of or self.today)


def record(session: Session, state: CaseState | None, case_id: str, items: Events) -> CaseState:
    """Append events (type, date, data) to a case and save its projection. Inside a transaction."""
    recorded_at = now_utc()
    events = []
    seq = state.last_seq if state else 0
    for event_type, date, data in items:
        seq += 1
        event = Event(case_id, seq, event_type, date, recorded_at, session.actor, data)
        state = apply(state, event)
        events.append(event)
    assert state is not None
    session.store.append(events)
    session.store.save_state(state)
    return state


def effective_date(session: Session, date: dt.date | None, state: CaseState | None) -> str:
    """The date an event takes effect: today unless given; never in the future, never before
    the case's latest event (the history must read forwards)."""
    day = date or session.today
    if day > session.today:
        raise UserError(say("date.future", date=day.isoformat(), today=session.today.isoformat()))
    text = day.isoformat()
    if state is not None and text < state.last_date:
        raise UserError(say("date.before_latest", date=text, case=state.id, latest=state.last_date))
    return text


def modify(session: Session, case_id: str, check: Callable[[CaseState], Events]) -> CaseState:
    """Run ``check`` against the case as it is now, inside the write transaction, and record
    the events it returns. ``check`` raises to refuse; nothing is written then."""
    session.case(case_id)  # a clear error for an unknown case before taking the write lock
    with session.store.transaction():
        state = session.case(case_id)
        return record(session, state, case_id, check(state))


def require_open(state: CaseState) -> None:
    """Refuse to change a closed case."""
    if state.status != "open":
        raise Refusal(
            say("case.closed", case=state.id, date=state.closed_on or ""),
            hint=say("case.closed.hint", case=state.id),
        )


def require_deviation(state: CaseState, n: int) -> Deviation:
    """The case's deviation number ``n``, or bad input naming how many it has."""
    found = state.deviation(n)
    if found is None:
        raise UserError(say("deviation.unknown", case=state.id, n=n, count=len(state.deviations)))
    return found


def record_event(
    session: Session,
    case_id: str,
    event: str,
    date: dt.date | None,
    build: Callable[[CaseState, str], dict[str, Any]],
    *,
    guard: Callable[[CaseState], None] | None = require_open,
) -> tuple[CaseState, dict[str, Any]]:
    """Record one event of type ``event`` on the case, the shape of every operation but
    ``report``: ``guard`` the case's state (default: it must be open), take the event's date,
    then ``build(state, date)`` checks the rest and returns the event's data. Each of them
    raises to refuse, and nothing is written then. Returns the case after it, and the data.
    """
    recorded: list[dict[str, Any]] = []

    def check(state: CaseState) -> Events:
        if guard is not None:
            guard(state)
        day = effective_date(session, date, state)
        recorded.append(build(state, day))
        return [(event, day, recorded[-1])]

    return modify(session, case_id, check), recorded[-1]
