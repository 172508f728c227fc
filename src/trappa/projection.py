"""A case's current state as a pure fold of its events.

Events are the record; everything else is derived. ``fold`` replays a case's events into a
``CaseState``; the store persists that state in projection tables in the same transaction as the
events, and ``trappa verify`` checks that replaying the events reproduces the tables. The rules
engine reads a ``CaseState`` too, so a suggestion is computed from the same facts whether they come
from the tables (``status`` over many cases) or from a replay.

Event types and the ``data`` each carries (dates are ``YYYY-MM-DD`` text):

* ``reported``: ``deviation`` (``n``, ``kind``, ``serious``, ``observed``, ``category``,
  ``description``, ``source``, ``reporter``, ``external_id``); on the case's first event also
  ``opened``: ``supplier`` (``id``, ``name``, ``org_nr``), ``contract`` (``id``, ``name``,
  ``criticality``) or null, ``ladder`` (``id@version``), ``ladder_sha256`` (of the resolved ladder
  the case runs under), ``reference`` (diarienummer) or null
* ``escalated`` / ``deescalated``: ``from``, ``to``, ``reason`` (null when the rules carried
  the move), ``rules`` (ids of the rules that held)
* ``activity_done``: ``activity``, ``level``, ``note``
* ``plan_established``: ``n``, ``due``, ``items``, ``owner``
* ``plan_followed_up``: ``n``, ``outcome`` (``followed``/``not_followed``/``no_effect``), ``note``
* ``sanction``: ``n``, ``kind``, ``amount``, ``reason``
* ``letter_sent``: ``kind``, ``recipient``, ``format``, ``sha256``, ``activity``
* ``resolved``: ``deviation`` (its ``n``), ``note``
* ``closed`` / ``reopened``: ``reason``
* ``note``: ``text``
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

EVENT_TYPES = (
    "reported",
    "escalated",
    "deescalated",
    "activity_done",
    "plan_established",
    "plan_followed_up",
    "sanction",
    "letter_sent",
    "resolved",
    "closed",
    "reopened",
    "note",
)

PLAN_OUTCOMES = ("followed", "not_followed", "no_effect")
DEVIATION_KINDS = ("deviation", "incident", "risk")


@dataclass(frozen=True)
class Event:
    """One recorded event of a case. ``seq`` runs 1, 2, … within the case."""

    case_id: str
    seq: int
    type: str
    date: str
    recorded_at: str
    actor: str
    data: dict[str, Any]

    def body(self) -> dict[str, Any]:
        """Everything the hash covers besides the previous hash."""
        return {
            "case": self.case_id,
            "seq": self.seq,
            "type": self.type,
            "date": self.date,
            "recorded_at": self.recorded_at,
            "actor": self.actor,
            "data": self.data,
        }


@dataclass(frozen=True)
class Deviation:
    n: int
    kind: str
    serious: bool
    observed: str
    description: str
    category: str | None = None
    source: str | None = None
    reporter: str | None = None
    external_id: str | None = None
    state: str = "open"  # open | resolved (släckt)
    resolved_on: str | None = None
    reported_seq: int = 0


@dataclass(frozen=True)
class Plan:
    n: int
    established: str
    due: str
    items: tuple[str, ...]
    owner: str | None = None
    outcome: str | None = None  # None until followed up
    followed_up: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Sanction:
    n: int
    date: str
    kind: str
    reason: str
    amount: float | None = None


@dataclass(frozen=True)
class LevelChange:
    seq: int
    date: str
    from_level: int
    to_level: int


@dataclass(frozen=True)
class ActivityDone:
    seq: int
    date: str
    level: int
    activity: str
    note: str | None = None


@dataclass(frozen=True)
class CaseState:
    """What a case is now, folded from its events."""

    id: str
    supplier_id: int
    contract_id: int | None
    ladder: str
    ladder_sha256: str
    opened: str
    reference: str | None = None
    status: str = "open"  # open | closed
    level: int = 0
    level_since: str = ""  # the date the case reached its current level
    arrived_seq: int = 0  # the event that brought it there (activities count from it)
    closed_on: str | None = None
    last_seq: int = 0
    last_date: str = ""
    deviations: tuple[Deviation, ...] = ()
    plans: tuple[Plan, ...] = ()
    sanctions: tuple[Sanction, ...] = ()
    level_changes: tuple[LevelChange, ...] = ()
    activities_done: tuple[ActivityDone, ...] = ()
    letters_sent: tuple[dict[str, Any], ...] = field(default=())

    @property
    def latest_plan(self) -> Plan | None:
        return self.plans[-1] if self.plans else None

    def done_at_current_level(self) -> set[str]:
        """Activities done since the case last arrived at its current level."""
        return {
            done.activity
            for done in self.activities_done
            if done.level == self.level and done.seq > self.arrived_seq
        }

    def deviation(self, n: int) -> Deviation | None:
        for deviation in self.deviations:
            if deviation.n == n:
                return deviation
        return None


class FoldError(ValueError):
    """The events do not make a consistent case (only a tampered or corrupt history does this)."""


def fold(events: Iterable[Event]) -> CaseState:
    """Replay a case's events, in ``seq`` order, into its state."""
    state: CaseState | None = None
    for event in events:
        state = apply(state, event)
    if state is None:
        raise FoldError("a case needs at least one event")
    return state


def apply(state: CaseState | None, event: Event) -> CaseState:
    """The state after ``event``; ``state`` is None before the case's first event."""
    data = event.data
    if state is None:
        if event.type != "reported" or "opened" not in data:
            raise FoldError(f"case {event.case_id} does not start with the report that opens it")
        opened = data["opened"]
        state = CaseState(
            id=event.case_id,
            supplier_id=opened["supplier"]["id"],
            contract_id=(opened.get("contract") or {}).get("id"),
            ladder=opened["ladder"],
            ladder_sha256=opened["ladder_sha256"],
            opened=event.date,
            reference=opened.get("reference"),
            level_since=event.date,
        )
    if event.seq != state.last_seq + 1:
        raise FoldError(f"case {event.case_id}: event {event.seq} follows {state.last_seq}")
    state = replace(state, last_seq=event.seq, last_date=event.date)
    handler = _HANDLERS.get(event.type)
    if handler is None:
        raise FoldError(f"case {event.case_id}: unknown event type {event.type!r}")
    return handler(state, event)


def _reported(state: CaseState, event: Event) -> CaseState:
    d = event.data["deviation"]
    deviation = Deviation(
        n=d["n"],
        kind=d["kind"],
        serious=bool(d["serious"]),
        observed=d["observed"],
        description=d["description"],
        category=d.get("category"),
        source=d.get("source"),
        reporter=d.get("reporter"),
        external_id=d.get("external_id"),
        reported_seq=event.seq,
    )
    return replace(state, deviations=(*state.deviations, deviation))


def _moved(state: CaseState, event: Event) -> CaseState:
    change = LevelChange(event.seq, event.date, event.data["from"], event.data["to"])
    return replace(
        state,
        level=change.to_level,
        level_since=event.date,
        arrived_seq=event.seq,
        level_changes=(*state.level_changes, change),
    )


def _activity_done(state: CaseState, event: Event) -> CaseState:
    d = event.data
    done = ActivityDone(event.seq, event.date, d["level"], d["activity"], d.get("note"))
    return replace(state, activities_done=(*state.activities_done, done))


def _plan_established(state: CaseState, event: Event) -> CaseState:
    d = event.data
    plan = Plan(d["n"], event.date, d["due"], tuple(d["items"]), d.get("owner"))
    return replace(state, plans=(*state.plans, plan))


def _plan_followed_up(state: CaseState, event: Event) -> CaseState:
    d = event.data
    plans = tuple(
        replace(plan, outcome=d["outcome"], followed_up=event.date, note=d.get("note"))
        if plan.n == d["n"]
        else plan
        for plan in state.plans
    )
    return replace(state, plans=plans)


def _sanction(state: CaseState, event: Event) -> CaseState:
    d = event.data
    sanction = Sanction(d["n"], event.date, d["kind"], d["reason"], d.get("amount"))
    return replace(state, sanctions=(*state.sanctions, sanction))


def _letter_sent(state: CaseState, event: Event) -> CaseState:
    letter = {**event.data, "date": event.date, "seq": event.seq}
    state = replace(state, letters_sent=(*state.letters_sent, letter))
    activity = event.data.get("activity")
    if activity:
        done = ActivityDone(event.seq, event.date, state.level, activity, None)
        state = replace(state, activities_done=(*state.activities_done, done))
    return state


def _resolved(state: CaseState, event: Event) -> CaseState:
    n = event.data["deviation"]
    deviations = tuple(
        replace(dev, state="resolved", resolved_on=event.date) if dev.n == n else dev
        for dev in state.deviations
    )
    return replace(state, deviations=deviations)


def _closed(state: CaseState, event: Event) -> CaseState:
    return replace(state, status="closed", closed_on=event.date)


def _reopened(state: CaseState, event: Event) -> CaseState:
    return replace(state, status="open", closed_on=None)


def _unchanged(state: CaseState, event: Event) -> CaseState:
    return state


_HANDLERS = {
    "reported": _reported,
    "escalated": _moved,
    "deescalated": _moved,
    "activity_done": _activity_done,
    "plan_established": _plan_established,
    "plan_followed_up": _plan_followed_up,
    "sanction": _sanction,
    "letter_sent": _letter_sent,
    "resolved": _resolved,
    "closed": _closed,
    "reopened": _reopened,
    "note": _unchanged,
}
