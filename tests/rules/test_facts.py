"""The facts the rules read of a case: what a de-escalation has weighed no longer counts, and
one dated after the as-of date hides nothing then."""

from __future__ import annotations

import datetime as dt

import pytest

from rule_builders import case, dev, only, plan

# --- the way back: what a de-escalation has weighed no longer counts ---------------------------


@pytest.mark.parametrize(
    ("observed", "holds", "detail"),
    [
        # Observed on the day of the de-escalation: already weighed by the person who moved it.
        (["2026-08-01", "2026-09-01"], False,
         "1 deviation observed 2026-09-01 within 180 days, since the de-escalation of 2026-08-01 "
         "(at least 2 needed): does not hold"),
        (["2026-08-02", "2026-09-01"], True,
         "2 deviations observed 2026-08-02..2026-09-01 within 180 days, since the de-escalation "
         "of 2026-08-01 (at least 2 needed): holds"),
    ],
)
def test_deviations_count_from_the_latest_deescalation(
    observed: list[str], holds: bool, detail: str
) -> None:
    state = case(deviations=[dev("2026-03-01"), dev("2026-04-01"), *map(dev, observed)],
                 moves=[("2026-05-01", 2), ("2026-08-01", 0)])
    result = only(state, deviations={"min": 2, "within_days": 180})
    assert (result.holds, result.detail) == (holds, detail)


def test_a_plan_weighed_by_a_deescalation_no_longer_counts_but_a_new_one_does() -> None:
    old = plan("2026-05-01", "2026-06-01", "not_followed", "2026-06-15")
    state = case(plans=[old], moves=[("2026-05-01", 2), ("2026-07-01", 1)])
    result = only(state, action_plan="not_followed")
    assert (result.holds, result.detail) == (
        False, "no action plan since the de-escalation of 2026-07-01: does not hold")
    agreed = plan("2026-07-01", "2026-08-01", "not_followed", "2026-08-15")
    state = case(plans=[old, agreed], moves=[("2026-05-01", 2), ("2026-07-01", 1)])
    assert only(state, action_plan="not_followed").holds


def test_sanctions_count_from_the_latest_deescalation() -> None:
    state = case(sanctions=["2026-05-01", "2026-09-01"], moves=[("2026-04-01", 2),
                                                              ("2026-06-01", 1)])
    assert not only(state, sanctions={"min": 2}).holds
    assert only(state, sanctions={"min": 1}).holds


def test_a_deescalation_after_the_as_of_date_does_not_hide_anything_then() -> None:
    state = case(deviations=[dev("2026-03-01"), dev("2026-04-01")],
                 moves=[("2026-05-01", 2), ("2026-08-01", 0)])
    assert only(state, dt.date(2026, 7, 1), deviations={"min": 2}).holds
    assert not only(state, deviations={"min": 2}).holds
