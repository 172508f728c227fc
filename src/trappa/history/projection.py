"""A case's current state as a pure fold of its events.

Events are the record; everything else is derived. ``fold`` replays a case's events into a
``CaseState``; the store persists that state in projection tables in the same transaction as the
events, and ``trappa verify`` checks that replaying the events reproduces the tables. The rules
engine reads a ``CaseState`` too, so a suggestion is computed from the same facts whether they come
from the tables (``status`` over many cases) or from a replay.

The event types and the ``data`` each carries: ``trappa.history.event_types``.

Format 2 stores some of this differently (money in öre, personal data as digests;
``trappa.history.chain``); the store turns it back into these shapes when it reads events.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple, TypeAlias

# What a reporter or actor whose name was erased reads as (a value kept in the projection, so
# fixed text rather than a translated message).
REMOVED = "(borttaget)"

PLAN_OUTCOMES = ("followed", "not_followed", "no_effect")
DEVIATION_KINDS = ("deviation", "incident", "risk")


class Event(NamedTuple):
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


class Deviation(NamedTuple):
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
    waived_on: str | None = None  # the date a decision not to sanction it was recorded
    waiver: str | None = None  # that decision's reason


class Plan(NamedTuple):
    n: int
    established: str
    due: str
    items: tuple[str, ...]
    owner: str | None = None
    outcome: str | None = None  # None until followed up
    followed_up: str | None = None
    note: str | None = None


class Sanction(NamedTuple):
    n: int
    date: str
    kind: str
    reason: str
    amount: float | None = None
    deviations: tuple[int, ...] = ()  # the deviations it answers


class LevelChange(NamedTuple):
    seq: int
    date: str
    from_level: int
    to_level: int


class ActivityDone(NamedTuple):
    seq: int
    date: str
    level: int
    activity: str
    note: str | None = None


class RiskAssessment(NamedTuple):
    n: int
    seq: int
    date: str
    probability: int
    consequence: int
    score: int
    band: str
    band_default: bool = False
    note: str | None = None


class CaseState(NamedTuple):
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
    owner: str | None = None  # the avtalsansvarig following the case (``assigned``)
    deviations: tuple[Deviation, ...] = ()
    plans: tuple[Plan, ...] = ()
    sanctions: tuple[Sanction, ...] = ()
    level_changes: tuple[LevelChange, ...] = ()
    activities_done: tuple[ActivityDone, ...] = ()
    letters_sent: tuple[dict[str, Any], ...] = ()
    risks: tuple[RiskAssessment, ...] = ()

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
    """The state after ``events`` (in ``seq`` order); ``state`` is None before the first."""
    values = fold_values(
        None if state is None else state_values(state),
        ((e.case_id, e.seq, e.type, e.date, e.data) for e in events),
    )
    return state_from_values(values)


# --- the fold itself, on plain values ---------------------------------------------------------
#
# ``verify`` replays a million events, so the fold works on plain tuples: a case's *values* are
# the fields of ``CaseState`` in order, each item of its tuple fields being the fields of its
# part in order (a letter record stays a dict). Two states are equal exactly when their values
# are, which is how ``verify`` compares a replay with the stored tables without building a
# named tuple per row.

CaseValues: TypeAlias = tuple[Any, ...]  # the fields of CaseState in declaration order
PartValues: TypeAlias = tuple[Any, ...]  # the fields of a Deviation, Plan, ... in order

_HEAD = 15  # the scalar fields of CaseState, before its seven tuples


def state_values(state: CaseState) -> CaseValues:
    """``state`` as plain values (see ``fold_values``): a ``CaseState`` is already a tuple of its
    fields, and each of its parts a tuple of theirs."""
    return state


def state_from_values(values: CaseValues) -> CaseState:
    """The ``CaseState`` whose plain values are ``values``."""
    (deviations, plans, sanctions, level_changes, activities_done, letters_sent,
     risks) = values[_HEAD:]
    return CaseState._make((
        *values[:_HEAD],
        tuple(Deviation(*d) for d in deviations),
        tuple(Plan(*p) for p in plans),
        tuple(Sanction(*s) for s in sanctions),
        tuple(LevelChange(*c) for c in level_changes),
        tuple(ActivityDone(*a) for a in activities_done),
        letters_sent,
        tuple(RiskAssessment(*r) for r in risks),
    ))


def fold_values(
    start: CaseValues | None, events: Iterable[tuple[str, int, str, str, Any]]
) -> CaseValues:
    """The one place events change a state: the values after ``events`` (in ``seq`` order).

    ``start`` is the values before them (None before the case's first event); each event is
    ``(case_id, seq, type, date, data)``. Mutable locals, one branch per type, and the result
    built once: copying a state per event made ``verify`` several times slower.
    """
    if start is None:
        head: list[Any] | None = None
        deviations: list[PartValues] = []
        plans: list[PartValues] = []
        sanctions: list[PartValues] = []
        level_changes: list[PartValues] = []
        activities: list[PartValues] = []
        letters: list[dict[str, Any]] = []
        risks: list[PartValues] = []
    else:
        head = list(start[:_HEAD])
        deviations, plans, sanctions, level_changes, activities, letters, risks = (
            list(items) for items in start[_HEAD:]
        )
    for case_id, seq, type_, date, data in events:
        if head is None:
            if type_ != "reported" or "opened" not in data:
                raise FoldError(f"case {case_id} does not start with the report that opens it")
            opened = data["opened"]
            head = [
                case_id, opened["supplier"]["id"], (opened.get("contract") or {}).get("id"),
                opened["ladder"], opened["ladder_sha256"], date, opened.get("reference"),
                "open", 0, date, 0, None, 0, "", None,
            ]
        if seq != head[12] + 1:
            raise FoldError(f"case {case_id}: event {seq} follows {head[12]}")
        head[12] = seq
        head[13] = date
        if type_ == "reported":
            if "reference" in data and "opened" not in data:
                head[6] = data["reference"]
            d = data["deviation"]
            deviations.append((
                d["n"], d["kind"], bool(d["serious"]), d["observed"], d["description"],
                d.get("category"), d.get("source"), d.get("reporter"), d.get("external_id"),
                "open", None, seq, None, None,
            ))
        elif type_ == "activity_done":
            activities.append((seq, date, data["level"], data["activity"], data.get("note")))
        elif type_ == "escalated" or type_ == "deescalated":
            change = (seq, date, data["from"], data["to"])
            head[8], head[9], head[10] = change[3], date, seq
            level_changes.append(change)
        elif type_ == "plan_established":
            plans.append(
                (data["n"], date, data["due"], tuple(data["items"]), data.get("owner"),
                 None, None, None)
            )
        elif type_ == "plan_followed_up":
            plans = [
                (*plan[:5], data["outcome"], date, data.get("note"))
                if plan[0] == data["n"] else plan
                for plan in plans
            ]
        elif type_ == "sanction":
            sanctions.append(
                (data["n"], date, data["kind"], data["reason"], data.get("amount"),
                 tuple(data.get("deviations") or ()))
            )
        elif type_ == "letter_sent":
            letters.append({**data, "date": date, "seq": seq})
            activity = data.get("activity")
            if activity:
                activities.append((seq, date, head[8], activity, None))
        elif type_ == "resolved":
            n = data["deviation"]
            deviations = [
                (*dev[:9], "resolved", date, *dev[11:]) if dev[0] == n else dev
                for dev in deviations
            ]
        elif type_ == "risk_assessed":
            risks.append((
                data["n"], seq, date, data["probability"], data["consequence"], data["score"],
                data["band"], bool(data.get("band_default")), data.get("note"),
            ))
            activity = data.get("activity")
            if activity:
                activities.append((seq, date, head[8], activity, None))
        elif type_ == "ladder_adopted":
            head[3], head[4] = data["to"]["ladder"], data["to"]["ladder_sha256"]
        elif type_ == "closed":
            head[7], head[11] = "closed", date
        elif type_ == "reopened":
            head[7], head[11] = "open", None
        elif type_ == "redacted":
            n = data["deviation"]
            deviations = [
                (*dev[:7], REMOVED, *dev[8:]) if dev[0] == n else dev for dev in deviations
            ]
        elif type_ == "reply_received":
            n = data["letter"]
            if not 1 <= n <= len(letters):
                raise FoldError(f"case {case_id}: event {seq} answers no letter {n}")
            reply = {"received": data["received"], "note": data.get("note"),
                     "file": data.get("file"), "date": date, "seq": seq}
            letters[n - 1] = {**letters[n - 1], "reply": reply}
        elif type_ == "waived":
            n = data["deviation"]
            deviations = [
                (*dev[:12], date, data["reason"]) if dev[0] == n else dev for dev in deviations
            ]
        elif type_ == "supplier_identified":
            # The number lives with the supplier, not the case: the fold checks only that the
            # event names the case's own supplier.
            if data["supplier"]["id"] != head[1]:
                raise FoldError(f"case {case_id}: event {seq} identifies another supplier")
        elif type_ == "assigned":
            head[14] = data.get("owner")
        elif type_ != "note":
            raise FoldError(f"case {case_id}: unknown event type {type_!r}")
    if head is None:
        raise FoldError("a case needs at least one event")
    return (
        *head, tuple(deviations), tuple(plans), tuple(sanctions), tuple(level_changes),
        tuple(activities), tuple(letters), tuple(risks),
    )
