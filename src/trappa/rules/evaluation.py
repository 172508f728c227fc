"""The rules engine: which step a case calls for, and why. Pure: no I/O, no pydantic.

``evaluate(ladder, state, as_of)`` reads the enabled rules of a resolved ladder (plain dicts, see
``trappa.ladder.view``) and a case's state (``trappa.history.projection.CaseState``) and returns,
for every
rule, whether it holds and the facts behind the verdict, plus the suggested level.
``suggested_level`` gives the same suggestion without the sentences, for commands that list many
cases.

Decisions where DESIGN.md's "Rule conditions" leaves room:

* **As of a date.** Everything dated after ``as_of`` is ignored: deviations observed later, level
  changes, plans established, follow-ups and sanctions dated later, and a close dated later. So
  ``explain --as-of`` of a past date tells what the rules said on that date. The level reported is
  the level as of that date (the last level change dated on or before it, in event order).
* **What counts as a deviation.** Kinds ``deviation`` and ``incident`` count; a ``risk`` is an
  identified risk, not a non-fulfilment, so no condition counts it. Resolved deviations count: a
  resolved (släckt) deviation still happened.
* ``deviations: {min, within_days: D, serious, since}``: observed ``o`` is inside the window when
  ``0 <= (as_of - o).days <= D`` (calendar days back from the as-of date, inclusive: with D=180 a
  deviation 180 days old counts and one 181 days old does not). ``serious: true`` counts only
  serious ones. ``since: action_plan`` counts only those observed strictly after the latest plan
  was established (a deviation on the plan's own date may be what the plan answers); with no plan
  it counts none.
* **The latest plan** is the one with the latest establishment date on or before ``as_of`` (the
  higher number on a tie). ``overdue``: its due date is before ``as_of`` (a plan due today is not
  yet overdue) and no follow-up is dated on or before ``as_of``. ``not_followed`` / ``no_effect``:
  its follow-up, dated on or before ``as_of``, has that outcome.
* ``stalled: {level: L, days: D}``: the case opened at level 0 and its level changes (dated on or
  before ``as_of``) are replayed in event order; ``s`` is the date it last went from below L to L
  or above (the opening date when L is 0). It holds when the case is at L or above on ``as_of``,
  ``(as_of - s).days >= D``, and a deviation was observed strictly after ``s`` (the deviation that
  brought the case there does not show that it stalled).
* ``sanctions: {min}`` counts sanctions dated on or before ``as_of``.
* A rule holds when all its conditions hold (a rule without conditions, which validation forbids,
  never holds). The suggested level is the highest level among the rules that hold, 0 when none
  holds; for a case closed on or before ``as_of`` it is ``None`` (its rules are still listed with
  their facts, for the record).
* **The way back.** A de-escalation is a person's judgement of everything known so far, so the
  rules weigh only what came after the latest de-escalation dated on or before ``as_of``:
  deviations observed and sanctions dated strictly after its date, and plans established on or
  after it (a plan agreed at the meeting that took the case down belongs to the way back).
  Without this, a case taken down with a reason would be flagged for up to a year by the very
  deviations the person already weighed. ``stalled`` needs no such rule: its arrival date already
  follows the moves.
* A rule's ``detail`` states each condition's facts and verdict, joined by "; ".

Speed: ``status`` evaluates every open case, so a ladder's rules are compiled once per
``LadderView`` into tuples, dates are compared as ISO text, a case's facts are gathered once per
evaluation and only as far as its rules need them, and the sentences are only built when asked for.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple, Protocol
from weakref import WeakKeyDictionary

from trappa.history.projection import CaseState
from trappa.ladder.view import LadderView
from trappa.messages import say

COUNTED_KINDS = frozenset({"deviation", "incident"})


class RuleResult(NamedTuple):
    """One rule's verdict. ``detail`` is one readable sentence of the facts behind it."""

    id: str
    title: str
    level: int
    holds: bool
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "level": self.level,
            "holds": self.holds,
            "detail": self.detail,
        }


class Evaluation(NamedTuple):
    """Every rule of a case's ladder judged as of one date, and the level they suggest."""

    as_of: dt.date
    level: int
    suggested_level: int | None  # None for a closed case
    rules: tuple[RuleResult, ...]

    @property
    def holding(self) -> tuple[RuleResult, ...]:
        return tuple(rule for rule in self.rules if rule.holds)

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md's ``explain`` / ``evaluation`` shape."""
        return {
            "as_of": self.as_of.isoformat(),
            "level": self.level,
            "suggested_level": self.suggested_level,
            "rules": [rule.to_json() for rule in self.rules],
        }


def evaluate(ladder: LadderView, state: CaseState, as_of: dt.date) -> Evaluation:
    """Judge every enabled rule of ``ladder`` on ``state`` as of ``as_of``."""
    return evaluate_facts(ladder, StateFacts(state), as_of)


def evaluate_facts(ladder: LadderView, case: CaseFacts, as_of: dt.date) -> Evaluation:
    """``evaluate`` of a case given as the facts the rules read (see ``CaseFacts``)."""
    facts = _Facts(case, as_of)
    results = []
    top = 0
    for rule in _compiled(ladder).in_order:
        holds, detail = rule.explain(facts)
        results.append(RuleResult(rule.id, rule.title, rule.level, holds, detail))
        if holds and rule.level > top:
            top = rule.level
    return Evaluation(as_of, facts.level, None if facts.closed else top, tuple(results))


def suggested_level(ladder: LadderView, state: CaseState, as_of: dt.date) -> int | None:
    """``evaluate(...).suggested_level`` without the sentences, for commands that list many cases.
    """
    return suggested_level_of(ladder, StateFacts(state), as_of)


def suggested_level_of(ladder: LadderView, case: CaseFacts, as_of: dt.date) -> int | None:
    """``suggested_level`` of a case given as the facts the rules read: what ``status`` and
    ``review`` use, so that listing a register builds no ``CaseState``.

    Rules are tried from the highest level down, so the first that holds is the answer.
    """
    facts = _Facts(case, as_of)
    if facts.closed:
        return None
    for level, checks in _compiled(ladder).checks:
        for check in checks:
            if not check(facts):
                break
        else:
            return level
    return 0


# --- what the rules read of a case -----------------------------------------------------------


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
        (``COUNTED_KINDS``), only the serious ones with ``serious``."""
        ...


class StateFacts:
    """A ``CaseState`` as ``CaseFacts``."""

    __slots__ = ("_state",)

    def __init__(self, state: CaseState) -> None:
        self._state = state

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
        return self._state.level_changes

    @property
    def plans(self) -> Sequence[PlanFacts]:
        return self._state.plans

    @property
    def sanction_dates(self) -> list[str]:
        return [sanction.date for sanction in self._state.sanctions]

    def counted_dates(self, serious: bool) -> list[str]:
        return [
            d.observed
            for d in self._state.deviations
            if d.kind in COUNTED_KINDS and (d.serious or not serious)
        ]


# --- the facts of one case as of a date ------------------------------------------------------


class _Facts:
    """What the rules ask about a case as of one date, each gathered at most once."""

    __slots__ = (
        "as_of", "today", "case", "weighed", "_observed", "_serious", "_plan", "_arrivals",
        "_level",
    )

    def __init__(self, case: CaseFacts, as_of: dt.date) -> None:
        self.as_of = as_of
        self.today = today = _iso(as_of)  # ISO dates order as text: compare unparsed
        self.case = case
        self._observed: list[str] | None = None
        self._serious: list[str] | None = None
        self._plan: PlanFacts | None | bool = False  # False: not looked up yet
        self._arrivals: dict[int, tuple[int, str | None]] = {}
        self._level: int | None = None
        # The date of the latest de-escalation: facts up to it have been weighed by a person.
        weighed = None
        for change in case.level_changes:
            if change.to_level < change.from_level and change.date <= today:
                weighed = change.date
        self.weighed: str | None = weighed

    @property
    def closed(self) -> bool:
        case = self.case
        return case.status == "closed" and (case.closed_on or "") <= self.today

    @property
    def level(self) -> int:
        level = self._level
        if level is None:
            today = self.today
            if any(change.date > today for change in self.case.level_changes):
                level = self.arrival(0)[0]  # replay the moves made up to as_of
            else:
                level = self.case.level
            self._level = level
        return level

    def observed(self, serious: bool) -> list[str]:
        """Sorted observation dates (on or before as_of) of the deviations that count."""
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
        if self._plan is False:
            today = self.today
            after = self.weighed or ""
            latest = None
            for plan in self.case.plans:
                if after <= plan.established <= today and (
                    latest is None or (plan.established, plan.n) > (latest.established, latest.n)
                ):
                    latest = plan
            self._plan = latest
        return self._plan  # type: ignore[return-value]

    def outcome(self, plan: PlanFacts) -> str | None:
        """The plan's follow-up outcome as known on as_of (None: not followed up yet)."""
        if plan.followed_up is not None and plan.followed_up <= self.today:
            return plan.outcome
        return None

    def arrival(self, min_level: int) -> tuple[int, str | None]:
        """(level on as_of, the date it last rose to ``min_level`` or above, or None)."""
        known = self._arrivals.get(min_level)
        if known is None:
            today = self.today
            level = 0
            since: str | None = self.case.opened if min_level <= 0 else None
            for change in self.case.level_changes:
                if change.date > today:
                    continue
                if change.to_level >= min_level > level:
                    since = change.date
                elif change.to_level < min_level:
                    since = None
                level = change.to_level
            known = self._arrivals[min_level] = (level, since)
        return known

    def sanction_count(self) -> int:
        return len(self.sanction_dates())

    def sanction_dates(self) -> list[str]:
        today = self.today
        after = self.weighed or ""
        return sorted(d for d in self.case.sanction_dates if after < d <= today)

    def since_note(self) -> list[str]:
        """The phrase that says facts are counted from the latest de-escalation, if any."""
        return [say("rules.since_deescalation", date=self.weighed)] if self.weighed else []


# --- compiled rules ----------------------------------------------------------------------------


class _Condition:
    """One condition of a rule, its parameters and its fixed wording read out once per ladder."""

    __slots__ = ()

    def check(self, facts: _Facts) -> bool:
        raise NotImplementedError

    def explain(self, facts: _Facts) -> tuple[bool, str]:
        """Whether it holds, and the facts behind that (without the verdict)."""
        raise NotImplementedError


class _Rule:
    __slots__ = ("id", "title", "level", "conditions", "_empty")

    def __init__(self, rule: dict[str, Any]) -> None:
        self.id: str = rule["id"]
        self.title: str = rule.get("title") or rule["id"]
        self.level: int = rule["level"]
        self.conditions = _conditions(rule.get("when") or {})
        self._empty = say("rules.does_not_hold", facts=say("rules.no_conditions"))

    def check(self, facts: _Facts) -> bool:
        # A rule without conditions (validation forbids one) never holds.
        if not self.conditions:
            return False
        for condition in self.conditions:
            if not condition.check(facts):
                return False
        return True

    def explain(self, facts: _Facts) -> tuple[bool, str]:
        if not self.conditions:
            return False, self._empty
        holds = True
        parts = []
        for condition in self.conditions:
            ok, sentence = condition.explain(facts)
            holds = holds and ok
            parts.append(say("rules.holds" if ok else "rules.does_not_hold", facts=sentence))
        return holds, "; ".join(parts)


class _Compiled:
    __slots__ = ("in_order", "highest_first", "checks")

    def __init__(self, ladder: LadderView) -> None:
        self.in_order = tuple(_Rule(rule) for rule in ladder.rules)
        self.highest_first = tuple(sorted(self.in_order, key=lambda rule: -rule.level))
        # What ``suggested_level`` runs: (level, the conditions' checks) highest first, only the
        # rules that can raise the level (above 0, with conditions: one without never holds).
        self.checks = tuple(
            (rule.level, tuple(condition.check for condition in rule.conditions))
            for rule in self.highest_first
            if rule.level > 0 and rule.conditions
        )


_cache: WeakKeyDictionary[LadderView, _Compiled] = WeakKeyDictionary()


def _compiled(ladder: LadderView) -> _Compiled:
    compiled = _cache.get(ladder)
    if compiled is None:
        compiled = _cache[ladder] = _Compiled(ladder)
    return compiled


def _conditions(when: dict[str, Any]) -> tuple[_Condition, ...]:
    # Always in this order, so that a detail reads the same whatever order the file had.
    conditions: list[_Condition] = []
    if when.get("deviations") is not None:
        conditions.append(_Deviations(when["deviations"]))
    if when.get("action_plan") is not None:
        conditions.append(_ActionPlan(when["action_plan"]))
    if when.get("stalled") is not None:
        conditions.append(_Stalled(when["stalled"]))
    if when.get("sanctions") is not None:
        conditions.append(_Sanctions(when["sanctions"]))
    return tuple(conditions)


# --- the four conditions -----------------------------------------------------------------------


@lru_cache(maxsize=16)
def _iso(day: dt.date) -> str:
    return day.isoformat()


@lru_cache(maxsize=256)
def _window_start(as_of: dt.date, days: int) -> str:
    return (as_of - dt.timedelta(days=days)).isoformat()


def _days(n: int) -> str:
    return say("rules.days.one") if n == 1 else say("rules.days.many", n=n)


class _Deviations(_Condition):
    """``deviations: {min, within_days, serious, since}``."""

    __slots__ = (
        "min", "within_days", "serious", "since_plan", "_one", "_many", "_scope", "_need",
        "_as_of", "_start",
    )

    def __init__(self, params: dict[str, Any]) -> None:
        self.min: int = params["min"]
        self.within_days: int | None = params.get("within_days")
        self.serious = bool(params.get("serious"))
        self.since_plan = params.get("since") == "action_plan"
        prefix = "rules.deviations.what." + ("serious_" if self.serious else "")
        self._one = say(prefix + "one")
        self._many = say(prefix + "many")
        self._scope = (
            say("rules.deviations.within", days=_days(self.within_days))
            if self.within_days is not None
            else None
        )
        self._need = say("rules.deviations.needed", min=self.min)
        self._as_of: dt.date | None = None  # the as-of date ``_start`` was computed for
        self._start = ""

    def _window_start(self, as_of: dt.date) -> str:
        if as_of != self._as_of:
            self._start = _window_start(as_of, self.within_days)  # type: ignore[arg-type]
            self._as_of = as_of
        return self._start

    def _counted(self, facts: _Facts) -> tuple[list[str], int, PlanFacts | None]:
        """The sorted dates, the index of the first one that counts, and the plan counted from."""
        observed = facts.observed(self.serious)
        start = 0
        plan: PlanFacts | None = None
        if self.within_days is not None:
            start = bisect_left(observed, self._window_start(facts.as_of))
        if self.since_plan:
            plan = facts.latest_plan()
            # Strictly after the plan's date; with no plan nothing counts.
            start = max(start, bisect_right(observed, plan.established) if plan else len(observed))
        return observed, start, plan

    def check(self, facts: _Facts) -> bool:
        # ``_counted`` unrolled, giving up as soon as too few are left: status runs this some
        # 300k times over a large register.
        observed = facts.observed(self.serious)
        count = len(observed)
        if count < self.min:
            return False
        if self.within_days is not None:
            count -= bisect_left(observed, self._window_start(facts.as_of))
            if count < self.min:
                return False
        if self.since_plan:
            plan = facts.latest_plan()
            if plan is None:
                return self.min <= 0  # with no plan none counts
            count = min(count, len(observed) - bisect_right(observed, plan.established))
        return count >= self.min

    def explain(self, facts: _Facts) -> tuple[bool, str]:
        observed, start, plan = self._counted(facts)
        count = len(observed) - start
        holds = count >= self.min
        if self.since_plan and plan is None:
            return holds, say("rules.deviations.no_plan", what=self._many, min=self.min)
        if count == 0:
            parts = [say("rules.deviations.none", what=self._many)]
        elif count == 1:
            parts = [say("rules.deviations.one", what=self._one, first=observed[start])]
        else:
            first, last = observed[start], observed[-1]
            parts = [say("rules.deviations.many", what=self._many, count=count, first=first,
                         last=last)]
        scope = [self._scope] if self._scope else []
        scope += facts.since_note()
        if plan is not None:
            scope.append(say("rules.deviations.since_plan", date=plan.established))
        if scope:
            parts.append(", ".join(scope))
        parts.append(self._need)
        return holds, " ".join(parts)


class _ActionPlan(_Condition):
    """``action_plan: overdue | not_followed | no_effect`` of the latest plan."""

    __slots__ = ("wanted",)

    def __init__(self, wanted: str) -> None:
        self.wanted = wanted

    def _holds(self, facts: _Facts, plan: PlanFacts, outcome: str | None) -> bool:
        if self.wanted == "overdue":
            return outcome is None and plan.due < facts.today
        return outcome == self.wanted

    def check(self, facts: _Facts) -> bool:
        if not facts.case.plans:
            return False
        plan = facts.latest_plan()
        return plan is not None and self._holds(facts, plan, facts.outcome(plan))

    def explain(self, facts: _Facts) -> tuple[bool, str]:
        plan = facts.latest_plan()
        if plan is None:
            return False, " ".join([say("rules.plan.none"), *facts.since_note()])
        outcome = facts.outcome(plan)
        holds = self._holds(facts, plan, outcome)
        if outcome is not None:
            outcome_text = say(f"rules.plan.outcome.{outcome}")
            follow_up = say("rules.plan.followed_up", date=plan.followed_up, outcome=outcome_text)
        elif self.wanted == "overdue":
            key = "rules.plan.no_follow_up." + ("overdue" if holds else "not_overdue")
            follow_up = say(key)
        else:
            follow_up = say("rules.plan.no_follow_up")
        return holds, say(
            "rules.plan.latest", established=plan.established, due=plan.due, follow_up=follow_up
        )


class _Stalled(_Condition):
    """``stalled: {level, days}``: at that level or above for long, and deviations keep coming."""

    __slots__ = ("level", "days")

    def __init__(self, params: dict[str, Any]) -> None:
        self.level: int = params["level"]
        self.days: int = params["days"]

    def _facts(self, facts: _Facts) -> tuple[int, str | None, int, str | None]:
        """(level on as_of, arrival date or None, days since, last deviation after arrival)."""
        level, since = facts.arrival(self.level)
        if since is None:
            return level, None, 0, None
        elapsed = (facts.as_of - dt.date.fromisoformat(since)).days
        observed = facts.observed(False)
        # A deviation strictly after the arrival date (and, as all facts, on or before as_of).
        last = observed[-1] if observed and observed[-1] > since else None
        return level, since, elapsed, last

    def check(self, facts: _Facts) -> bool:
        if self.level > 0:
            # The level on as_of is the last move dated on or before it; below ``level`` there
            # is no arrival date. Most cases are low, so this decides them without a replay.
            changes = facts.case.level_changes
            if not changes:
                return False
            last = changes[-1]
            if last.date <= facts.today and last.to_level < self.level:
                return False
        if not facts.observed(False):
            return False  # no deviation at all: none came after the arrival
        _, since, elapsed, last = self._facts(facts)
        return since is not None and elapsed >= self.days and last is not None

    def explain(self, facts: _Facts) -> tuple[bool, str]:
        level, since, elapsed, last = self._facts(facts)
        if since is None:
            return False, say("rules.stalled.below", level=level, min_level=self.level)
        holds = elapsed >= self.days and last is not None
        last_text = (
            say("rules.stalled.last_deviation", date=last)
            if last is not None
            else say("rules.stalled.no_deviation")
        )
        return holds, say(
            "rules.stalled.since",
            min_level=self.level,
            since=since,
            days=_days(elapsed),
            needed=self.days,
            last=last_text,
        )


class _Sanctions(_Condition):
    """``sanctions: {min}``."""

    __slots__ = ("min",)

    def __init__(self, params: dict[str, Any]) -> None:
        self.min: int = params["min"]

    def check(self, facts: _Facts) -> bool:
        return facts.sanction_count() >= self.min

    def explain(self, facts: _Facts) -> tuple[bool, str]:
        dates = facts.sanction_dates()
        holds = len(dates) >= self.min
        if not dates:
            return holds, " ".join([say("rules.sanctions.none", min=self.min), *facts.since_note()])
        if len(dates) == 1:
            return holds, say("rules.sanctions.one", latest=dates[0], min=self.min)
        return holds, say(
            "rules.sanctions.many", count=len(dates), latest=dates[-1], min=self.min
        )
