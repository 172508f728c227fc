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

from collections.abc import Callable, Iterable
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
    return apply_all(None, events)


def apply(state: CaseState | None, event: Event) -> CaseState:
    """The state after ``event``; ``state`` is None before the case's first event."""
    return apply_all(state, (event,))


def apply_all(state: CaseState | None, events: Iterable[Event]) -> CaseState:
    """The state after ``events`` (in ``seq`` order); ``state`` is None before the first.

    The one place events change a state. It folds into mutable locals and builds the frozen
    ``CaseState`` once at the end: ``verify`` replays a million events, and copying the state
    per event (``dataclasses.replace``) made that several times slower.
    """
    acc = _Accumulator(state)
    for event in events:
        acc.apply(event)
    return acc.state()


class _Accumulator:
    """A case's state while events are applied to it."""

    __slots__ = (
        "base", "fields", "deviations", "plans", "sanctions", "level_changes",
        "activities_done", "letters_sent",
    )

    def __init__(self, state: CaseState | None) -> None:
        self.base = state
        self.fields: dict[str, Any] = {}
        if state is None:
            self.deviations: list[Deviation] = []
            self.plans: list[Plan] = []
            self.sanctions: list[Sanction] = []
            self.level_changes: list[LevelChange] = []
            self.activities_done: list[ActivityDone] = []
            self.letters_sent: list[dict[str, Any]] = []
        else:
            self.deviations = list(state.deviations)
            self.plans = list(state.plans)
            self.sanctions = list(state.sanctions)
            self.level_changes = list(state.level_changes)
            self.activities_done = list(state.activities_done)
            self.letters_sent = list(state.letters_sent)
            self.fields = {
                "status": state.status, "level": state.level, "level_since": state.level_since,
                "arrived_seq": state.arrived_seq, "closed_on": state.closed_on,
                "last_seq": state.last_seq, "last_date": state.last_date,
            }

    def apply(self, event: Event) -> None:
        data = event.data
        fields = self.fields
        if self.base is None and not fields:
            if event.type != "reported" or "opened" not in data:
                raise FoldError(
                    f"case {event.case_id} does not start with the report that opens it"
                )
            opened = data["opened"]
            self.base = CaseState(
                id=event.case_id,
                supplier_id=opened["supplier"]["id"],
                contract_id=(opened.get("contract") or {}).get("id"),
                ladder=opened["ladder"],
                ladder_sha256=opened["ladder_sha256"],
                opened=event.date,
                reference=opened.get("reference"),
                level_since=event.date,
            )
            fields.update(
                status="open", level=0, level_since=event.date, arrived_seq=0, closed_on=None,
                last_seq=0, last_date="",
            )
        if event.seq != fields["last_seq"] + 1:
            raise FoldError(
                f"case {event.case_id}: event {event.seq} follows {fields['last_seq']}"
            )
        fields["last_seq"] = event.seq
        fields["last_date"] = event.date
        handler = _HANDLERS.get(event.type)
        if handler is None:
            raise FoldError(f"case {event.case_id}: unknown event type {event.type!r}")
        handler(self, event)

    def state(self) -> CaseState:
        if self.base is None or not self.fields:
            if self.base is not None:
                return self.base
            raise FoldError("a case needs at least one event")
        return replace(
            self.base,
            **self.fields,
            deviations=tuple(self.deviations),
            plans=tuple(self.plans),
            sanctions=tuple(self.sanctions),
            level_changes=tuple(self.level_changes),
            activities_done=tuple(self.activities_done),
            letters_sent=tuple(self.letters_sent),
        )


def _reported(acc: _Accumulator, event: Event) -> None:
    d = event.data["deviation"]
    acc.deviations.append(Deviation(
        d["n"],
        d["kind"],
        bool(d["serious"]),
        d["observed"],
        d["description"],
        d.get("category"),
        d.get("source"),
        d.get("reporter"),
        d.get("external_id"),
        "open",
        None,
        event.seq,
    ))


def _moved(acc: _Accumulator, event: Event) -> None:
    change = LevelChange(event.seq, event.date, event.data["from"], event.data["to"])
    acc.fields.update(level=change.to_level, level_since=event.date, arrived_seq=event.seq)
    acc.level_changes.append(change)


def _activity_done(acc: _Accumulator, event: Event) -> None:
    d = event.data
    acc.activities_done.append(
        ActivityDone(event.seq, event.date, d["level"], d["activity"], d.get("note"))
    )


def _plan_established(acc: _Accumulator, event: Event) -> None:
    d = event.data
    acc.plans.append(Plan(d["n"], event.date, d["due"], tuple(d["items"]), d.get("owner")))


def _plan_followed_up(acc: _Accumulator, event: Event) -> None:
    d = event.data
    acc.plans = [
        replace(plan, outcome=d["outcome"], followed_up=event.date, note=d.get("note"))
        if plan.n == d["n"]
        else plan
        for plan in acc.plans
    ]


def _sanction(acc: _Accumulator, event: Event) -> None:
    d = event.data
    acc.sanctions.append(Sanction(d["n"], event.date, d["kind"], d["reason"], d.get("amount")))


def _letter_sent(acc: _Accumulator, event: Event) -> None:
    acc.letters_sent.append({**event.data, "date": event.date, "seq": event.seq})
    activity = event.data.get("activity")
    if activity:
        acc.activities_done.append(
            ActivityDone(event.seq, event.date, acc.fields["level"], activity, None)
        )


def _resolved(acc: _Accumulator, event: Event) -> None:
    n = event.data["deviation"]
    acc.deviations = [
        replace(dev, state="resolved", resolved_on=event.date) if dev.n == n else dev
        for dev in acc.deviations
    ]


def _closed(acc: _Accumulator, event: Event) -> None:
    acc.fields.update(status="closed", closed_on=event.date)


def _reopened(acc: _Accumulator, event: Event) -> None:
    acc.fields.update(status="open", closed_on=None)


def _unchanged(acc: _Accumulator, event: Event) -> None:
    pass


_HANDLERS: dict[str, Callable[[_Accumulator, Event], None]] = {
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
