"""The five conditions a rule's ``when`` can hold, each checked on a case's facts and explained
in one sentence. Pure: no I/O.

Each condition is read once per ladder (its parameters and its fixed wording) and then offers
``check`` (whether it holds, nothing else: what ``status`` and ``review`` run for every case) and
``explain`` (whether it holds and the facts behind that, for ``explain`` and ``show``). The two
must agree; tests/rules/test_conditions.py and the property tests hold them to it.

Decisions where DESIGN.md's "Rule conditions" leaves room (the facts themselves, as of a date
and after the latest de-escalation, are ``trappa.rules.facts``'):

* ``deviations: {min, within_days: D, serious, since}``: observed ``o`` is inside the window when
  ``0 <= (as_of - o).days <= D`` (calendar days back from the as-of date, inclusive: with D=180 a
  deviation 180 days old counts and one 181 days old does not). ``serious: true`` counts only
  serious ones. ``since: action_plan`` counts only those observed strictly after the latest plan
  was established (a deviation on the plan's own date may be what the plan answers); with no plan
  it counts none.
* ``action_plan: overdue``: the latest plan's due date is before ``as_of`` (a plan due today is
  not yet overdue) and no follow-up is dated on or before ``as_of``. ``not_followed`` /
  ``no_effect``: its follow-up, dated on or before ``as_of``, has that outcome.
* ``stalled: {level: L, days: D}``: ``s`` is the date the case last went from below L to L or
  above (the opening date when L is 0). It holds when the case is at L or above on ``as_of``,
  ``(as_of - s).days >= D``, and a deviation was observed strictly after ``s`` (the deviation that
  brought the case there does not show that it stalled).
* ``sanctions: {min}`` counts sanctions dated on or before ``as_of``.
* ``risk: {min_score: N}``: the latest risk assessment dated on or before ``as_of`` (the last
  recorded on that date) scored N or more; an older, higher score does not count once a newer
  assessment says otherwise.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from typing import Any

from trappa.messages import say
from trappa.rules.facts import FactsAsOf, PlanFacts


class Condition:
    """One condition of a rule, its parameters and its fixed wording read out once per ladder."""

    __slots__ = ()

    def check(self, facts: FactsAsOf) -> bool:
        """Whether it holds: ``explain``'s verdict without the sentence."""
        raise NotImplementedError

    def explain(self, facts: FactsAsOf) -> tuple[bool, str]:
        """Whether it holds, and the facts behind that (without the verdict)."""
        raise NotImplementedError


def read_conditions(when: dict[str, Any]) -> tuple[Condition, ...]:
    """The conditions of a rule's ``when``, always in one order, so that a detail reads the same
    whatever order the file had."""
    conditions: list[Condition] = []
    if when.get("deviations") is not None:
        conditions.append(Deviations(when["deviations"]))
    if when.get("action_plan") is not None:
        conditions.append(ActionPlan(when["action_plan"]))
    if when.get("stalled") is not None:
        conditions.append(Stalled(when["stalled"]))
    if when.get("sanctions") is not None:
        conditions.append(Sanctions(when["sanctions"]))
    if when.get("risk") is not None:
        conditions.append(Risk(when["risk"]))
    return tuple(conditions)


# A follow-up's outcome, as the rules explain it.
_OUTCOMES = {
    "followed": "rules.plan.outcome.followed",
    "not_followed": "rules.plan.outcome.not_followed",
    "no_effect": "rules.plan.outcome.no_effect",
}


def _days(n: int) -> str:
    return say("rules.days", n=n)


def _since_note(facts: FactsAsOf) -> list[str]:
    """The phrase that says facts are counted from the latest de-escalation, if any."""
    return [say("rules.since_deescalation", date=facts.weighed)] if facts.weighed else []


class Deviations(Condition):
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
        if self.serious:
            self._one = say("rules.deviations.what.serious_one")
            self._many = say("rules.deviations.what.serious_many")
        else:
            self._one = say("rules.deviations.what.one")
            self._many = say("rules.deviations.what.many")
        self._scope = (
            say("rules.deviations.within", days=_days(self.within_days))
            if self.within_days is not None
            else None
        )
        self._need = say("rules.deviations.needed", min=self.min)
        self._as_of: dt.date | None = None  # the as-of date ``_start`` was computed for
        self._start = ""

    def _window_start(self, as_of: dt.date, within_days: int) -> str:
        """The first day inside the window, as ISO text; remembered for the last as-of date,
        since ``status`` asks it once per case, all as of one day (``make bench``'s
        ``status --all --json`` and ``review --json``)."""
        if as_of != self._as_of:
            self._start = (as_of - dt.timedelta(days=within_days)).isoformat()
            self._as_of = as_of
        return self._start

    def _counted(self, facts: FactsAsOf) -> tuple[list[str], int, PlanFacts | None]:
        """The sorted dates, the index of the first one that counts, and the plan counted from."""
        observed = facts.observed(self.serious)
        start = 0
        plan: PlanFacts | None = None
        if self.within_days is not None:
            start = bisect_left(observed, self._window_start(facts.as_of, self.within_days))
        if self.since_plan:
            plan = facts.latest_plan()
            # Strictly after the plan's date; with no plan nothing counts.
            start = max(start, bisect_right(observed, plan.established) if plan else len(observed))
        return observed, start, plan

    def check(self, facts: FactsAsOf) -> bool:
        """``_counted`` unrolled, giving up as soon as too few are left: ``status`` runs this
        some 300k times over the large register (``make bench``'s ``status --all --json`` and
        ``review --json``)."""
        observed = facts.observed(self.serious)
        count = len(observed)
        if count < self.min:
            return False
        if self.within_days is not None:
            count -= bisect_left(observed, self._window_start(facts.as_of, self.within_days))
            if count < self.min:
                return False
        if self.since_plan:
            plan = facts.latest_plan()
            if plan is None:
                return self.min <= 0  # with no plan none counts
            count = min(count, len(observed) - bisect_right(observed, plan.established))
        return count >= self.min

    def explain(self, facts: FactsAsOf) -> tuple[bool, str]:
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
        scope += _since_note(facts)
        if plan is not None:
            scope.append(say("rules.deviations.since_plan", date=plan.established))
        if scope:
            parts.append(", ".join(scope))
        parts.append(self._need)
        return holds, " ".join(parts)


class ActionPlan(Condition):
    """``action_plan: overdue | not_followed | no_effect`` of the latest plan."""

    __slots__ = ("wanted",)

    def __init__(self, wanted: str) -> None:
        self.wanted = wanted

    def _holds(self, facts: FactsAsOf, plan: PlanFacts, outcome: str | None) -> bool:
        if self.wanted == "overdue":
            return outcome is None and plan.due < facts.today
        return outcome == self.wanted

    def check(self, facts: FactsAsOf) -> bool:
        if not facts.plans:
            return False  # most cases have no plan: decided without looking for the latest
        plan = facts.latest_plan()
        return plan is not None and self._holds(facts, plan, facts.outcome(plan))

    def explain(self, facts: FactsAsOf) -> tuple[bool, str]:
        plan = facts.latest_plan()
        if plan is None:
            return False, " ".join([say("rules.plan.none"), *_since_note(facts)])
        outcome = facts.outcome(plan)
        holds = self._holds(facts, plan, outcome)
        if outcome is not None:
            outcome_text = say(_OUTCOMES[outcome])
            follow_up = say("rules.plan.followed_up", date=plan.followed_up, outcome=outcome_text)
        elif self.wanted == "overdue":
            follow_up = say(
                "rules.plan.no_follow_up.overdue" if holds
                else "rules.plan.no_follow_up.not_overdue"
            )
        else:
            follow_up = say("rules.plan.no_follow_up")
        return holds, say(
            "rules.plan.latest", established=plan.established, due=plan.due, follow_up=follow_up
        )


class Stalled(Condition):
    """``stalled: {level, days}``: at that level or above for long, and deviations keep coming."""

    __slots__ = ("level", "days")

    def __init__(self, params: dict[str, Any]) -> None:
        self.level: int = params["level"]
        self.days: int = params["days"]

    def long_enough_from(self, facts: FactsAsOf) -> dt.date | None:
        """The first day the case has been at ``level`` or above for ``days`` (the calendar's
        date for the rule); None while it is below ``level``."""
        _, since = facts.arrival(self.level)
        return None if since is None else dt.date.fromisoformat(since) + dt.timedelta(self.days)

    def _facts(self, facts: FactsAsOf) -> tuple[int, str | None, int, str | None]:
        """(level on as_of, arrival date or None, days since, last deviation after arrival)."""
        level, since = facts.arrival(self.level)
        if since is None:
            return level, None, 0, None
        elapsed = (facts.as_of - dt.date.fromisoformat(since)).days
        observed = facts.observed(False)
        # A deviation strictly after the arrival date (and, as all facts, on or before as_of).
        last = observed[-1] if observed and observed[-1] > since else None
        return level, since, elapsed, last

    def check(self, facts: FactsAsOf) -> bool:
        """``explain``'s verdict, deciding the common cases before any replay of the moves, for
        ``status`` over the large register (``make bench``'s ``status --all --json`` and
        ``review --json``)."""
        if self.level > 0:
            # The level on as_of is the last move dated on or before it; below ``level`` there
            # is no arrival date. Most cases are low, so this decides them without a replay.
            changes = facts.changes
            if not changes:
                return False
            latest = changes[-1]
            if latest.date <= facts.today and latest.to_level < self.level:
                return False
        if not facts.observed(False):
            return False  # no deviation at all: none came after the arrival
        _, since, elapsed, last = self._facts(facts)
        return since is not None and elapsed >= self.days and last is not None

    def explain(self, facts: FactsAsOf) -> tuple[bool, str]:
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


class Sanctions(Condition):
    """``sanctions: {min}``."""

    __slots__ = ("min",)

    def __init__(self, params: dict[str, Any]) -> None:
        self.min: int = params["min"]

    def check(self, facts: FactsAsOf) -> bool:
        return len(facts.sanction_dates()) >= self.min

    def explain(self, facts: FactsAsOf) -> tuple[bool, str]:
        dates = facts.sanction_dates()
        holds = len(dates) >= self.min
        if not dates:
            return holds, " ".join([say("rules.sanctions.none", min=self.min), *_since_note(facts)])
        return holds, say(
            "rules.sanctions.recorded", n=len(dates), latest=dates[-1], min=self.min
        )


class Risk(Condition):
    """``risk: {min_score}`` of the latest risk assessment."""

    __slots__ = ("min_score",)

    def __init__(self, params: dict[str, Any]) -> None:
        self.min_score: int = params["min_score"]

    def check(self, facts: FactsAsOf) -> bool:
        if not facts.case.risk_scores:
            return False  # most cases have no assessment
        latest = facts.latest_risk()
        return latest is not None and latest[1] >= self.min_score

    def explain(self, facts: FactsAsOf) -> tuple[bool, str]:
        latest = facts.latest_risk()
        if latest is None:
            return False, " ".join(
                [say("rules.risk.none", min=self.min_score), *_since_note(facts)]
            )
        date, score = latest
        return score >= self.min_score, say(
            "rules.risk.latest", date=date, score=score, min=self.min_score
        )
