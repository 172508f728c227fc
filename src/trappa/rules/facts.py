"""What the rules read of a case, and that case's facts as of one date. Pure: no I/O.

``CaseFacts`` is everything the rules read of a case: a ``CaseState`` through ``StateFacts``, or
the summary ``status`` and ``review`` read of each case's row (``trappa.store.rows.CaseSummary``).
Both carry the facts ``trappa.history.facts.facts_of`` derives from the folded case, the one
place a new fact for the rules is added. ``FactsAsOf`` answers the rules' questions about one
case as of one date, each gathered at most once and only when a rule asks.

Decisions where DESIGN.md's "Rule conditions" leaves room:

* **As of a date.** Everything dated after ``as_of`` is ignored: deviations observed later, level
  changes, plans established, follow-ups and sanctions dated later, and a close dated later. So
  ``explain --as-of`` of a past date tells what the rules said on that date. The level reported is
  the level as of that date (the last level change dated on or before it, in event order).
* **What counts as a deviation.** Kinds ``deviation`` and ``incident`` count; a ``risk`` is an
  identified risk, not a non-fulfilment, so no condition counts it. Resolved deviations count: a
  resolved (släckt) deviation still happened.
* **The latest plan** is the one with the latest establishment date on or before ``as_of`` (the
  higher number on a tie). Its follow-up counts when it is dated on or before ``as_of``.
* **The way back.** A de-escalation is a person's judgement of everything known so far, so the
  rules weigh only what came after the latest de-escalation dated on or before ``as_of``:
  deviations observed and sanctions dated strictly after its date, and plans established on or
  after it (a plan agreed at the meeting that took the case down belongs to the way back).
  Without this, a case taken down with a reason would be flagged for up to a year by the very
  deviations the person already weighed. ``stalled`` needs no such rule: its arrival date already
  follows the moves.

Dates are compared as ISO text, which orders as the dates do, so nothing is parsed per case.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from trappa.history.facts import COUNTED_KINDS, facts_of
from trappa.history.projection import CaseState

__all__ = ["COUNTED_KINDS", "CaseFacts", "FactsAsOf", "StateFacts"]


class PlanFacts(Protocol):
    """What the rules read of an action plan (``trappa.history.projection.Plan`` is one)."""

    @property
    def n(self) -> int: ...
    @property
    def established(self) -> str: ...
    @property
    def due(self) -> str: ...
    @property
    def outcome(self) -> str | None: ...
    @property
    def followed_up(self) -> str | None: ...


class LevelChangeFacts(Protocol):
    """What the rules read of a level change (``trappa.history.projection.LevelChange`` is one)."""

    @property
    def date(self) -> str: ...
    @property
    def from_level(self) -> int: ...
    @property
    def to_level(self) -> int: ...


class CaseFacts(Protocol):
    """Everything the rules read of a case, and nothing more: a ``CaseState`` (through
    ``StateFacts``) or a lighter record read straight from the projection tables."""

    @property
    def status(self) -> str: ...
    @property
    def closed_on(self) -> str | None: ...
    @property
    def opened(self) -> str: ...
    @property
    def level(self) -> int: ...
    @property
    def level_changes(self) -> Sequence[LevelChangeFacts]: ...  # in event order
    @property
    def plans(self) -> Sequence[PlanFacts]: ...  # any order
    @property
    def sanction_dates(self) -> Sequence[str]: ...  # any order

    def counted_dates(self, serious: bool) -> list[str]:
        """Observation dates, in any order, of the deviations of a kind that counts
        (``COUNTED_KINDS``), only the serious ones with ``serious``; a new list each call."""
        ...


class StateFacts:
    """A ``CaseState`` as ``CaseFacts``: its scalar fields, and the rest as
    ``trappa.history.facts.facts_of`` derives it, the one derivation the facts the store keeps
    with each case (what ``status`` and ``review`` read) come from too."""

    __slots__ = ("_state", "_facts")

    def __init__(self, state: CaseState) -> None:
        self._state = state
        self._facts = facts_of(state)

    @property
    def status(self) -> str:
        return self._state.status

    @property
    def closed_on(self) -> str | None:
        return self._state.closed_on

    @property
    def opened(self) -> str:
        return self._state.opened

    @property
    def level(self) -> int:
        return self._state.level

    @property
    def level_changes(self) -> Sequence[LevelChangeFacts]:
        return self._facts.level_changes

    @property
    def plans(self) -> Sequence[PlanFacts]:
        return self._facts.plans

    @property
    def sanction_dates(self) -> Sequence[str]:
        return self._facts.sanction_dates

    def counted_dates(self, serious: bool) -> list[str]:
        return list(self._facts.serious if serious else self._facts.counted)


@lru_cache(maxsize=16)
def _iso(day: dt.date) -> str:
    # Cached: ``status`` builds one FactsAsOf per case of the register (``make bench``'s
    # ``status --all --json`` and ``review --json``), all as of the same day.
    return day.isoformat()


class FactsAsOf:
    """What the rules ask about a case as of one date, each gathered at most once."""

    __slots__ = (
        "as_of", "today", "case", "changes", "plans", "weighed", "_observed", "_serious",
        "_plan", "_plan_known", "_arrivals", "_level",
    )

    def __init__(self, case: CaseFacts, as_of: dt.date) -> None:
        self.as_of = as_of
        self.today = today = _iso(as_of)  # ISO dates order as text: compare unparsed
        self.case = case
        # Read once: a case kept by the store decodes them when asked (``status``).
        self.changes: Sequence[LevelChangeFacts] = case.level_changes
        self.plans: Sequence[PlanFacts] = case.plans
        self._observed: list[str] | None = None
        self._serious: list[str] | None = None
        self._plan: PlanFacts | None = None
        self._plan_known = False
        self._arrivals: dict[int, tuple[int, str | None]] = {}
        self._level: int | None = None
        # The date of the latest de-escalation: facts up to it have been weighed by a person.
        weighed = None
        for change in self.changes:
            if change.to_level < change.from_level and change.date <= today:
                weighed = change.date
        self.weighed: str | None = weighed

    @property
    def closed(self) -> bool:
        case = self.case
        return case.status == "closed" and (case.closed_on or "") <= self.today

    @property
    def level(self) -> int:
        """The level on as_of."""
        level = self._level
        if level is None:
            today = self.today
            if any(change.date > today for change in self.changes):
                level = self.arrival(0)[0]  # replay the moves made up to as_of
            else:
                level = self.case.level
            self._level = level
        return level

    def observed(self, serious: bool) -> list[str]:
        """Sorted observation dates (on or before as_of, after the way back began) of the
        deviations that count, only the serious ones with ``serious``."""
        if serious:
            if self._serious is None:
                self._serious = self._window(self.case.counted_dates(True))
            return self._serious
        if self._observed is None:
            self._observed = self._window(self.case.counted_dates(False))
        return self._observed

    def _window(self, dates: list[str]) -> list[str]:
        if not dates:
            return dates
        today = self.today
        after = self.weighed
        dates.sort()
        if after is None and dates[-1] <= today:
            return dates  # the common case: nothing weighed, nothing later than as_of
        # Sorted, so the window is a slice: strictly after ``after``, on or before today.
        return dates[bisect_right(dates, after) if after else 0 : bisect_right(dates, today)]

    def latest_plan(self) -> PlanFacts | None:
        """The latest plan established on or before as_of (and not before the way back)."""
        if not self._plan_known:
            today = self.today
            after = self.weighed or ""
            latest: PlanFacts | None = None
            for plan in self.plans:
                if after <= plan.established <= today and (
                    latest is None or (plan.established, plan.n) > (latest.established, latest.n)
                ):
                    latest = plan
            self._plan = latest
            self._plan_known = True
        return self._plan

    def outcome(self, plan: PlanFacts) -> str | None:
        """The plan's follow-up outcome as known on as_of (None: not followed up yet)."""
        if plan.followed_up is not None and plan.followed_up <= self.today:
            return plan.outcome
        return None

    def arrival(self, min_level: int) -> tuple[int, str | None]:
        """(level on as_of, the date it last rose to ``min_level`` or above, or None).

        The case opened at level 0 (so at level 0 it arrived on its opening date); its level
        changes dated on or before as_of are replayed in event order.
        """
        known = self._arrivals.get(min_level)
        if known is None:
            today = self.today
            level = 0
            since: str | None = self.case.opened if min_level <= 0 else None
            for change in self.changes:
                if change.date > today:
                    continue
                if change.to_level >= min_level > level:
                    since = change.date
                elif change.to_level < min_level:
                    since = None
                level = change.to_level
            known = self._arrivals[min_level] = (level, since)
        return known

    def sanction_dates(self) -> list[str]:
        """Sorted dates of the sanctions on or before as_of (after the way back began)."""
        today = self.today
        after = self.weighed or ""
        return sorted(d for d in self.case.sanction_dates if after < d <= today)
