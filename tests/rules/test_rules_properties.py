"""Invariants of the rules engine over random cases and random ladders.

* More deviations never lower the suggested level, nor make a rule that held stop holding (a
  supplier cannot improve its standing by having more things go wrong).
* Facts dated after the as-of date never change an evaluation (so `explain --as-of` of a past
  date tells what the rules said then, whatever happened since).
* The fast path that `status` uses agrees with the full evaluation.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from rule_strategies import LAST, TOP, as_of_days, cases, deviations, ladders, later_by
from trappa.history.projection import (
    PLAN_OUTCOMES,
    CaseState,
    Deviation,
    LevelChange,
    Plan,
    Sanction,
)
from trappa.ladder.view import LadderView
from trappa.rules.evaluation import evaluate, suggested_level


@settings(max_examples=120, deadline=None)
@given(ladders(), cases, st.lists(deviations, min_size=1, max_size=3), as_of_days)
def test_adding_deviations_never_lowers_the_suggested_level(
    ladder: LadderView, state: CaseState, extra: list[tuple[str, bool, dt.date]], as_of: dt.date
) -> None:
    n = len(state.deviations)
    more = state._replace(deviations=state.deviations + tuple(
        Deviation(n + i, kind, serious, observed.isoformat(), "en till")
        for i, (kind, serious, observed) in enumerate(extra, 1)
    ))
    first, then = evaluate(ladder, state, as_of), evaluate(ladder, more, as_of)
    # Stronger than the suggestion: every condition is monotone in deviations, so no rule that
    # held stops holding.
    assert {r.id for r in first.holding} <= {r.id for r in then.holding}
    before, after = first.suggested_level, then.suggested_level
    assert suggested_level(ladder, more, as_of) == after
    if before is None:  # a closed case suggests nothing, whatever is added
        assert after is None
    else:
        assert after is not None and after >= before


@settings(max_examples=120, deadline=None)
@given(ladders(), cases, as_of_days)
def test_the_suggestion_is_the_highest_holding_rule_and_the_fast_path_agrees(
    ladder: LadderView, state: CaseState, as_of: dt.date
) -> None:
    evaluation = evaluate(ladder, state, as_of)
    closed = state.closed_on is not None and state.closed_on <= as_of.isoformat()
    expected = None if closed else max((r.level for r in evaluation.holding), default=0)
    assert evaluation.suggested_level == expected
    assert suggested_level(ladder, state, as_of) == expected
    assert [r.id for r in evaluation.rules] == [r["id"] for r in ladder.rules]


@st.composite
def later_facts(draw: st.DrawFn) -> tuple[CaseState, CaseState, dt.date]:
    """A case, the same case with facts added that are all dated after as_of, and as_of."""
    state = draw(cases)
    as_of = draw(as_of_days)

    def after(floor: dt.date = as_of) -> str:
        return (floor + dt.timedelta(days=draw(later_by))).isoformat()

    n = len(state.deviations)
    added_devs = tuple(
        Deviation(n + i, kind, serious, after(), "senare")
        for i, (kind, serious, _) in enumerate(draw(st.lists(deviations, max_size=3)), 1)
    )
    # Follow-ups recorded later for plans that had none, then new plans established later.
    plan_list = [
        p._replace(outcome=outcome, followed_up=after())
        if p.outcome is None and (outcome := draw(st.none() | st.sampled_from(PLAN_OUTCOMES)))
        else p
        for p in state.plans
    ]
    for _ in range(draw(st.integers(0, 2))):
        established = after()
        plan_list.append(Plan(len(plan_list) + 1, established, after(LAST), ("Senare",)))
    changes, level = list(state.level_changes), state.level
    last_move = max([as_of, *(dt.date.fromisoformat(c.date) for c in changes)])
    for _ in range(draw(st.integers(0, 2))):
        to_level = (level + draw(st.integers(1, TOP))) % (TOP + 1)
        last_move = dt.date.fromisoformat(after(last_move))
        changes.append(LevelChange(len(changes) + 1, last_move.isoformat(), level, to_level))
        level = to_level
    sanctions = state.sanctions + tuple(
        Sanction(len(state.sanctions) + i, after(), "vite", "senare")
        for i in range(1, draw(st.integers(0, 2)) + 1)
    )
    closed = state.status == "closed" or not draw(st.booleans())
    later = state._replace(
        deviations=state.deviations + added_devs,
        plans=tuple(plan_list),
        level_changes=tuple(changes),
        level=level,
        sanctions=sanctions,
        status="closed" if closed else "open",
        closed_on=state.closed_on if state.status == "closed" else (after() if closed else None),
    )
    return state, later, as_of


@settings(max_examples=120, deadline=None)
@given(ladders(), later_facts())
def test_facts_dated_after_the_as_of_date_change_nothing(
    ladder: LadderView, states: tuple[CaseState, CaseState, dt.date]
) -> None:
    state, later, as_of = states
    assert evaluate(ladder, later, as_of) == evaluate(ladder, state, as_of)
    assert suggested_level(ladder, later, as_of) == suggested_level(ladder, state, as_of)
