"""Hypothesis strategies for random ladders and random case histories: shared by the rules'
property tests and the equivalence tests of the status fast path."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from trappa.history.projection import (
    DEVIATION_KINDS,
    PLAN_OUTCOMES,
    CaseState,
    Deviation,
    LevelChange,
    Plan,
    RiskAssessment,
    Sanction,
)
from trappa.ladder.view import LadderView

FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 12, 31)  # a narrow span: facts overlap
OPENED = "2026-01-01"
TOP = 5

days = st.dates(min_value=FIRST, max_value=LAST)
# Mostly after the facts, so that rules see many of them; sometimes in their midst.
as_of_days = st.dates(min_value=dt.date(2026, 7, 1), max_value=dt.date(2027, 3, 31)) | days
later_by = st.integers(min_value=1, max_value=400)

# --- random ladders: any rules drawn from the four conditions ----------------------------------

deviations_condition = st.fixed_dictionaries(
    {"min": st.integers(1, 4)},
    optional={
        "within_days": st.integers(1, 400),
        "serious": st.booleans(),
        "since": st.just("action_plan"),
    },
)
conditions = st.fixed_dictionaries(
    {},
    optional={
        "deviations": deviations_condition,
        "action_plan": st.sampled_from(["overdue", "not_followed", "no_effect"]),
        "stalled": st.fixed_dictionaries(
            {"level": st.integers(0, TOP), "days": st.integers(1, 200)}
        ),
        "sanctions": st.fixed_dictionaries({"min": st.integers(1, 3)}),
        "risk": st.fixed_dictionaries({"min_score": st.integers(1, 16)}),
    },
).filter(bool)


@st.composite
def ladders(draw: st.DrawFn) -> LadderView:
    whens = draw(st.lists(conditions, max_size=6))
    rules = [
        {"id": f"r{i}", "title": f"Regel {i}", "level": draw(st.integers(0, TOP)), "when": when}
        for i, when in enumerate(whens)
    ]
    return LadderView({
        "id": "slump", "version": "1",
        "steps": [{"level": level, "event": f"steg {level}"} for level in range(TOP + 1)],
        "rules": rules,
    })


# --- random cases, built the way the projection folds them ---------------------------------------

deviations = st.tuples(st.sampled_from(DEVIATION_KINDS), st.booleans(), days)


@st.composite
def plans(draw: st.DrawFn) -> list[tuple[dt.date, dt.date, str | None, dt.date | None]]:
    drawn = []
    for established in sorted(draw(st.lists(days, max_size=3))):
        due = established + dt.timedelta(days=draw(st.integers(0, 120)))
        outcome = draw(st.none() | st.sampled_from(PLAN_OUTCOMES))
        followed = established + dt.timedelta(days=draw(st.integers(0, 200))) if outcome else None
        drawn.append((established, due, outcome, followed))
    return drawn


@st.composite
def moves(draw: st.DrawFn) -> list[tuple[dt.date, int]]:
    drawn, level = [], 0
    for date in sorted(draw(st.lists(days, max_size=5))):
        to_level = (level + draw(st.integers(1, TOP))) % (TOP + 1)  # any other level
        drawn.append((date, to_level))
        level = to_level
    return drawn


def build(devs: list[tuple[str, bool, dt.date]], plan_list: list[Any],
          move_list: list[tuple[dt.date, int]], sanction_dates: list[dt.date],
          closed_on: dt.date | None,
          risk_list: tuple[tuple[dt.date, int, int], ...] = ()) -> CaseState:
    changes, level = [], 0
    for seq, (date, to_level) in enumerate(move_list, 1):
        changes.append(LevelChange(seq, date.isoformat(), level, to_level))
        level = to_level
    return CaseState(
        id="2026-0001", supplier_id=1, contract_id=None, ladder="slump@1", ladder_sha256="0" * 64,
        opened=OPENED, level=level,
        level_since=changes[-1].date if changes else OPENED,
        status="closed" if closed_on else "open",
        closed_on=closed_on.isoformat() if closed_on else None,
        deviations=tuple(
            Deviation(n, kind, serious, observed.isoformat(), f"avvikelse {n}")
            for n, (kind, serious, observed) in enumerate(devs, 1)
        ),
        plans=tuple(
            Plan(n, established.isoformat(), due.isoformat(), ("Åtgärda",), outcome=outcome,
                 followed_up=followed.isoformat() if followed else None)
            for n, (established, due, outcome, followed) in enumerate(plan_list, 1)
        ),
        sanctions=tuple(
            Sanction(n, date.isoformat(), "vite", "skäl")
            for n, date in enumerate(sanction_dates, 1)
        ),
        level_changes=tuple(changes),
        risks=tuple(
            RiskAssessment(n, 100 + n, date.isoformat(), p, c, p * c, "band")
            for n, (date, p, c) in enumerate(risk_list, 1)
        ),
    )


cases = st.builds(
    build,
    st.lists(deviations, max_size=12),
    plans(),
    moves(),
    st.lists(days, max_size=3).map(sorted),
    st.none() | days,
    st.lists(st.tuples(days, st.integers(1, 4), st.integers(1, 4)), max_size=3).map(
        lambda drawn: tuple(sorted(drawn))
    ),
)


# --- the properties -----------------------------------------------------------------------------
