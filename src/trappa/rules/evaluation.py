"""Which step a case calls for, and why: every rule of its ladder judged as of a date. Pure: no
I/O, no pydantic.

``evaluate(ladder, state, as_of)`` reads the enabled rules of a resolved ladder (plain dicts, see
``trappa.ladder.view``) and a case's state (``trappa.history.projection.CaseState``) and returns,
for every rule, whether it holds and the facts behind the verdict, plus the suggested level.
``suggested_level`` gives the same suggestion without the sentences. Both have a twin that takes
the case as the facts the rules read (``trappa.rules.facts.CaseFacts``), which is how ``status``
and ``review`` pass the light summaries of a whole register.

* A rule holds when all its conditions hold (``trappa.rules.conditions``; a rule without
  conditions, which validation forbids, never holds). The suggested level is the highest level
  among the rules that hold, 0 when none holds; for a case closed on or before ``as_of`` it is
  ``None`` (its rules are still listed with their facts, for the record).
* A rule's ``detail`` states each condition's facts and verdict, joined by "; ".

Speed: ``status`` evaluates every open case, so a ladder's rules are compiled once per
``LadderView``, a case's facts are gathered once per evaluation and only as far as its rules need
them, and the sentences are only built when asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from trappa.history.projection import CaseState
from trappa.ladder.view import LadderView
from trappa.messages import say
from trappa.rules.conditions import read_conditions
from trappa.rules.facts import CaseFacts, FactsAsOf, StateFacts


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
    """``evaluate`` of a case given as the facts the rules read."""
    facts = FactsAsOf(case, as_of)
    results = []
    top = 0
    for rule in _compiled(ladder).in_order:
        holds, detail = rule.explain(facts)
        results.append(RuleResult(rule.id, rule.title, rule.level, holds, detail))
        if holds and rule.level > top:
            top = rule.level
    return Evaluation(as_of, facts.level, None if facts.closed else top, tuple(results))


def suggested_level(ladder: LadderView, state: CaseState, as_of: dt.date) -> int | None:
    """``evaluate(...).suggested_level`` without the sentences."""
    return suggested_level_of(ladder, StateFacts(state), as_of)


def suggested_level_of(ladder: LadderView, case: CaseFacts, as_of: dt.date) -> int | None:
    """``suggested_level`` of a case given as the facts the rules read: what ``status`` and
    ``review`` use, so that listing a register builds no ``CaseState`` and no sentence (``make
    bench``'s ``status --all --json`` and ``review --json`` hold it).

    Rules are tried from the highest level down, so the first that holds is the answer, and a
    rule's checks stop at the first condition that fails.
    """
    facts = FactsAsOf(case, as_of)
    if facts.closed:
        return None
    for level, checks in _compiled(ladder).checks:
        for check in checks:
            if not check(facts):
                break
        else:
            return level
    return 0


class _Rule:
    """One enabled rule of a ladder, its conditions read out."""

    __slots__ = ("id", "title", "level", "conditions", "_empty")

    def __init__(self, rule: dict[str, Any]) -> None:
        self.id: str = rule["id"]
        self.title: str = rule.get("title") or rule["id"]
        self.level: int = rule["level"]
        self.conditions = read_conditions(rule.get("when") or {})
        self._empty = say("rules.does_not_hold", facts=say("rules.no_conditions"))

    def explain(self, facts: FactsAsOf) -> tuple[bool, str]:
        # A rule without conditions (validation forbids one) never holds.
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
    """A ladder's rules read out once: in ladder order for ``evaluate``, and as ``checks`` for
    ``suggested_level_of``."""

    __slots__ = ("in_order", "checks")

    def __init__(self, ladder: LadderView) -> None:
        self.in_order = tuple(_Rule(rule) for rule in ladder.rules)
        # (level, the conditions' checks) highest level first, only the rules that can raise the
        # level (above 0, with conditions: one without never holds).
        self.checks: tuple[tuple[int, tuple[Callable[[FactsAsOf], bool], ...]], ...] = tuple(
            (rule.level, tuple(condition.check for condition in rule.conditions))
            for rule in sorted(self.in_order, key=lambda rule: -rule.level)
            if rule.level > 0 and rule.conditions
        )


# Compiled once per ladder view: ``status`` asks for the same few ladders for every case.
_cache: WeakKeyDictionary[LadderView, _Compiled] = WeakKeyDictionary()


def _compiled(ladder: LadderView) -> _Compiled:
    compiled = _cache.get(ladder)
    if compiled is None:
        compiled = _cache[ladder] = _Compiled(ladder)
    return compiled
