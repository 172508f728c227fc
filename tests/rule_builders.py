"""Builders for the rules engine's example tests: a case as the projection folds it, a ladder of
given rules, and the verdict of a single rule, all as of 2026-10-01 unless told otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from trappa.history.projection import (
    CaseState,
    Deviation,
    LevelChange,
    Plan,
    RiskAssessment,
    Sanction,
)
from trappa.ladder.view import LadderView
from trappa.rules.evaluation import RuleResult, evaluate, suggested_level

AS_OF = dt.date(2026, 10, 1)


def dev(observed: str, *, kind: str = "deviation", serious: bool = False,
        resolved: bool = False) -> dict[str, Any]:
    return {"observed": observed, "kind": kind, "serious": serious, "resolved": resolved}


def plan(established: str, due: str, outcome: str | None = None,
         followed_up: str | None = None) -> dict[str, Any]:
    return {"established": established, "due": due, "outcome": outcome, "followed_up": followed_up}


def case(*, opened: str = "2026-01-01", deviations: Sequence[dict[str, Any]] = (),
         plans: Sequence[dict[str, Any]] = (), moves: Sequence[tuple[str, int]] = (),
         sanctions: Sequence[str] = (), closed_on: str | None = None,
         risks: Sequence[tuple[str, int]] = ()) -> CaseState:
    """A case as the projection would fold it; ``moves`` are (date, to_level) in event order."""
    seq = 1
    devs = []
    for n, d in enumerate(deviations, 1):
        devs.append(Deviation(
            n=n, kind=d["kind"], serious=d["serious"], observed=d["observed"],
            description=f"avvikelse {n}", state="resolved" if d["resolved"] else "open",
            resolved_on="2026-09-30" if d["resolved"] else None, reported_seq=seq,
        ))
        seq += 1
    changes = []
    level, since = 0, opened
    for date, to_level in moves:
        changes.append(LevelChange(seq, date, level, to_level))
        level, since = to_level, date
        seq += 1
    return CaseState(
        id="2026-0001", supplier_id=1, contract_id=None, ladder="test@1", ladder_sha256="0" * 64,
        opened=opened, status="closed" if closed_on else "open", closed_on=closed_on,
        level=level, level_since=since, last_seq=seq,
        deviations=tuple(devs),
        plans=tuple(
            Plan(n, p["established"], p["due"], ("Åtgärda bemanningen",), outcome=p["outcome"],
                 followed_up=p["followed_up"])
            for n, p in enumerate(plans, 1)
        ),
        sanctions=tuple(Sanction(n, date, "vite", "försenad leverans")
                        for n, date in enumerate(sanctions, 1)),
        level_changes=tuple(changes),
        risks=tuple(RiskAssessment(n, 100 + n, date, 1, score, score, "band")
                    for n, (date, score) in enumerate(risks, 1)),
    )


def ladder(*rules: dict[str, Any]) -> LadderView:
    return LadderView({
        "id": "test", "version": "1", "title": "Testtrappa",
        "steps": [{"level": level, "event": f"steg {level}"} for level in range(6)],
        "rules": list(rules),
    })


def rule(level: int = 1, rule_id: str = "r", **when: Any) -> dict[str, Any]:
    return {"id": rule_id, "title": f"Regel {rule_id}", "level": level, "when": when}


def only(state: CaseState, as_of: dt.date = AS_OF, **when: Any) -> RuleResult:
    """The verdict of a single level-1 rule with conditions ``when``.

    It also checks that the fast path that `status` uses (no sentences) agrees.
    """
    view = ladder(rule(**when))
    [result] = evaluate(view, state, as_of).rules
    assert suggested_level(view, state, as_of) == (1 if result.holds else 0)
    return result
