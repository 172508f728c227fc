"""The four conditions, each at its boundaries, through a single rule: its verdict and the
sentence `trappa explain` prints, pinned in full, and the fast check that `status` runs agreeing.

All evaluations are as of 2026-10-01 unless a test says otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest

from rule_builders import case, dev, only, plan

# --- deviations ---------------------------------------------------------------------------------

DEVIATIONS = [
    pytest.param(
        {"min": 2, "within_days": 180}, [dev("2026-04-04"), dev("2026-09-21")], True,
        "2 deviations observed 2026-04-04..2026-09-21 within 180 days (at least 2 needed): holds",
        id="day 180 counts",
    ),
    pytest.param(
        {"min": 2, "within_days": 180}, [dev("2026-04-03"), dev("2026-09-21")], False,
        "1 deviation observed 2026-09-21 within 180 days (at least 2 needed): does not hold",
        id="day 181 does not",
    ),
    pytest.param(
        {"min": 1, "within_days": 1}, [dev("2026-09-30")], True,
        "1 deviation observed 2026-09-30 within 1 day (at least 1 needed): holds",
        id="within 1 day",
    ),
    pytest.param(
        {"min": 1, "within_days": 30}, [dev("2026-10-01")], True,
        "1 deviation observed 2026-10-01 within 30 days (at least 1 needed): holds",
        id="observed on the as-of date",
    ),
    pytest.param(
        {"min": 1, "within_days": 30}, [dev("2026-10-02")], False,
        "no deviations observed within 30 days (at least 1 needed): does not hold",
        id="observed after the as-of date",
    ),
    pytest.param(
        {"min": 3}, [dev("2026-03-02"), dev("2026-09-14")], False,
        "2 deviations observed 2026-03-02..2026-09-14 (at least 3 needed): does not hold",
        id="min-1",
    ),
    pytest.param(
        {"min": 3}, [dev("2026-09-14"), dev("2026-03-02"), dev("2026-06-01")], True,
        "3 deviations observed 2026-03-02..2026-09-14 (at least 3 needed): holds",
        id="min, reported out of date order",
    ),
    pytest.param(
        {"min": 1, "serious": True}, [dev("2026-09-01")], False,
        "no serious deviations observed (at least 1 needed): does not hold",
        id="serious filter: not serious",
    ),
    pytest.param(
        {"min": 1, "serious": True, "within_days": 90},
        [dev("2026-09-01", serious=True), dev("2026-09-02")], True,
        "1 serious deviation observed 2026-09-01 within 90 days (at least 1 needed): holds",
        id="serious filter: serious",
    ),
    pytest.param(
        {"min": 1}, [dev("2026-09-01", kind="risk", serious=True)], False,
        "no deviations observed (at least 1 needed): does not hold",
        id="a risk is not counted",
    ),
    pytest.param(
        {"min": 2}, [dev("2026-09-01", kind="incident"), dev("2026-09-02", resolved=True)], True,
        "2 deviations observed 2026-09-01..2026-09-02 (at least 2 needed): holds",
        id="incidents and resolved deviations count",
    ),
]


@pytest.mark.parametrize(("condition", "deviations", "holds", "detail"), DEVIATIONS)
def test_deviations_condition(condition: dict[str, Any], deviations: list[dict[str, Any]],
                              holds: bool, detail: str) -> None:
    result = only(case(deviations=deviations), deviations=condition)
    assert (result.holds, result.detail) == (holds, detail)


SINCE_PLAN = [
    pytest.param(
        [plan("2026-05-01", "2026-06-01")], [dev("2026-04-20"), dev("2026-05-01")], False,
        "no deviations observed since the action plan of 2026-05-01 (at least 1 needed): "
        "does not hold",
        id="on the plan's date does not count",
    ),
    pytest.param(
        [plan("2026-05-01", "2026-06-01")], [dev("2026-05-01"), dev("2026-05-02")], True,
        "1 deviation observed 2026-05-02 since the action plan of 2026-05-01 "
        "(at least 1 needed): holds",
        id="the day after counts",
    ),
    pytest.param(
        [], [dev("2026-05-02")], False,
        "no action plan to count deviations from (at least 1 needed): does not hold",
        id="no plan counts none",
    ),
    pytest.param(
        [plan("2026-10-02", "2026-11-01")], [dev("2026-05-02")], False,
        "no action plan to count deviations from (at least 1 needed): does not hold",
        id="a plan established after the as-of date is not there yet",
    ),
    pytest.param(
        [plan("2026-03-01", "2026-04-01"), plan("2026-06-01", "2026-07-01")],
        [dev("2026-04-01"), dev("2026-06-02")], True,
        "1 deviation observed 2026-06-02 since the action plan of 2026-06-01 "
        "(at least 1 needed): holds",
        id="counts from the latest plan",
    ),
]


@pytest.mark.parametrize(("plans", "deviations", "holds", "detail"), SINCE_PLAN)
def test_deviations_since_action_plan(plans: list[dict[str, Any]],
                                      deviations: list[dict[str, Any]], holds: bool,
                                      detail: str) -> None:
    result = only(case(plans=plans, deviations=deviations),
                  deviations={"min": 1, "since": "action_plan"})
    assert (result.holds, result.detail) == (holds, detail)


def test_deviations_within_days_and_since_plan_both_narrow_the_count() -> None:
    state = case(plans=[plan("2026-03-01", "2026-04-01")],
                 deviations=[dev("2026-02-01"), dev("2026-03-15"), dev("2026-09-01")])
    result = only(state, deviations={"min": 2, "within_days": 180, "since": "action_plan"})
    assert result.detail == (
        "1 deviation observed 2026-09-01 within 180 days, since the action plan of 2026-03-01 "
        "(at least 2 needed): does not hold"
    )


# --- action plans -------------------------------------------------------------------------------

ACTION_PLAN = [
    pytest.param("overdue", [], False, "no action plan: does not hold", id="no plan"),
    pytest.param(
        "overdue", [plan("2026-09-01", "2026-10-01")], False,
        "latest plan (2026-09-01) due 2026-10-01, no follow-up: not overdue: does not hold",
        id="due on the as-of date is not overdue",
    ),
    pytest.param(
        "overdue", [plan("2026-09-01", "2026-09-30")], True,
        "latest plan (2026-09-01) due 2026-09-30, no follow-up: overdue: holds",
        id="due the day before is overdue",
    ),
    pytest.param(
        "overdue", [plan("2026-09-01", "2026-09-15", "followed", "2026-10-01")], False,
        "latest plan (2026-09-01) due 2026-09-15, followed up 2026-10-01: followed: does not hold",
        id="followed up on the as-of date",
    ),
    pytest.param(
        "overdue", [plan("2026-09-01", "2026-09-15", "followed", "2026-10-02")], True,
        "latest plan (2026-09-01) due 2026-09-15, no follow-up: overdue: holds",
        id="a follow-up dated after the as-of date is not known yet",
    ),
    pytest.param(
        "overdue", [plan("2026-05-01", "2026-06-01"), plan("2026-09-01", "2026-11-01")], False,
        "latest plan (2026-09-01) due 2026-11-01, no follow-up: not overdue: does not hold",
        id="only the latest plan counts",
    ),
    pytest.param(
        "overdue", [plan("2026-05-01", "2026-06-01"), plan("2026-10-02", "2026-11-01")], True,
        "latest plan (2026-05-01) due 2026-06-01, no follow-up: overdue: holds",
        id="a plan established after the as-of date is not there yet",
    ),
    pytest.param(
        "not_followed", [plan("2026-05-01", "2026-06-01", "not_followed", "2026-06-03")], True,
        "latest plan (2026-05-01) due 2026-06-01, followed up 2026-06-03: not followed: holds",
        id="not followed",
    ),
    pytest.param(
        "not_followed", [plan("2026-05-01", "2026-06-01", "not_followed", "2026-10-02")], False,
        "latest plan (2026-05-01) due 2026-06-01, no follow-up: does not hold",
        id="not followed, recorded after the as-of date",
    ),
    pytest.param(
        "not_followed", [plan("2026-05-01", "2026-06-01", "no_effect", "2026-06-03")], False,
        "latest plan (2026-05-01) due 2026-06-01, followed up 2026-06-03: "
        "followed without the intended effect: does not hold",
        id="not followed, but the outcome was no effect",
    ),
    pytest.param(
        "no_effect", [plan("2026-05-01", "2026-06-01", "no_effect", "2026-06-03")], True,
        "latest plan (2026-05-01) due 2026-06-01, followed up 2026-06-03: "
        "followed without the intended effect: holds",
        id="no effect",
    ),
    pytest.param(
        "no_effect", [plan("2026-05-01", "2026-06-01", "followed", "2026-06-03")], False,
        "latest plan (2026-05-01) due 2026-06-01, followed up 2026-06-03: followed: does not hold",
        id="no effect, but it was followed",
    ),
]


@pytest.mark.parametrize(("wanted", "plans", "holds", "detail"), ACTION_PLAN)
def test_action_plan_condition(wanted: str, plans: list[dict[str, Any]], holds: bool,
                               detail: str) -> None:
    result = only(case(plans=plans), action_plan=wanted)
    assert (result.holds, result.detail) == (holds, detail)


# --- stalled ------------------------------------------------------------------------------------

STALLED = [
    pytest.param(
        [("2026-07-03", 3)], [dev("2026-09-01")], True,
        "at level ≥ 3 since 2026-07-03 (90 days, 90 needed), last deviation 2026-09-01: holds",
        id="day D",
    ),
    pytest.param(
        [("2026-07-04", 3)], [dev("2026-09-01")], False,
        "at level ≥ 3 since 2026-07-04 (89 days, 90 needed), last deviation 2026-09-01: "
        "does not hold",
        id="day D-1",
    ),
    pytest.param(
        [("2026-04-01", 3)], [dev("2026-04-01")], False,
        "at level ≥ 3 since 2026-04-01 (183 days, 90 needed), no deviation observed since: "
        "does not hold",
        id="a deviation on the day it got there does not count",
    ),
    pytest.param(
        [("2026-04-01", 3)], [dev("2026-04-01"), dev("2026-04-02")], True,
        "at level ≥ 3 since 2026-04-01 (183 days, 90 needed), last deviation 2026-04-02: holds",
        id="a deviation the day after counts",
    ),
    pytest.param(
        [("2026-04-01", 3)], [dev("2026-10-02")], False,
        "at level ≥ 3 since 2026-04-01 (183 days, 90 needed), no deviation observed since: "
        "does not hold",
        id="a deviation after the as-of date does not count",
    ),
    pytest.param(
        [("2026-04-01", 3)], [dev("2026-08-01", kind="risk")], False,
        "at level ≥ 3 since 2026-04-01 (183 days, 90 needed), no deviation observed since: "
        "does not hold",
        id="a risk does not count",
    ),
    pytest.param(
        [("2026-02-01", 2)], [dev("2026-09-01")], False,
        "at level 2, below 3: does not hold",
        id="below the level",
    ),
    pytest.param(
        [("2026-04-01", 3), ("2026-08-01", 4)], [dev("2026-09-01")], True,
        "at level ≥ 3 since 2026-04-01 (183 days, 90 needed), last deviation 2026-09-01: holds",
        id="moving further up keeps the arrival date",
    ),
    pytest.param(
        [("2026-03-01", 3), ("2026-05-01", 2), ("2026-07-04", 3)], [dev("2026-09-01")], False,
        "at level ≥ 3 since 2026-07-04 (89 days, 90 needed), last deviation 2026-09-01: "
        "does not hold",
        id="the way back down resets the arrival date",
    ),
    pytest.param(
        [("2026-04-01", 3), ("2026-10-02", 1)], [dev("2026-09-01")], True,
        "at level ≥ 3 since 2026-04-01 (183 days, 90 needed), last deviation 2026-09-01: holds",
        id="a move after the as-of date has not happened yet",
    ),
    pytest.param(
        [("2026-10-01", 3)], [dev("2026-09-01")], False,
        "at level ≥ 3 since 2026-10-01 (0 days, 90 needed), no deviation observed since: "
        "does not hold",
        id="moved on the as-of date",
    ),
]


@pytest.mark.parametrize(("moves", "deviations", "holds", "detail"), STALLED)
def test_stalled_condition(moves: list[tuple[str, int]], deviations: list[dict[str, Any]],
                           holds: bool, detail: str) -> None:
    result = only(case(moves=moves, deviations=deviations), stalled={"level": 3, "days": 90})
    assert (result.holds, result.detail) == (holds, detail)


def test_stalled_at_level_0_counts_from_the_opening_date() -> None:
    state = case(opened="2026-09-30", deviations=[dev("2026-10-01")])
    result = only(state, stalled={"level": 0, "days": 1})
    assert result.detail == (
        "at level ≥ 0 since 2026-09-30 (1 day, 1 needed), last deviation 2026-10-01: holds"
    )


# --- sanctions ----------------------------------------------------------------------------------

SANCTIONS = [
    pytest.param([], False, "no sanctions recorded (at least 2 needed): does not hold",
                 id="none"),
    pytest.param(["2026-07-01"], False,
                 "1 sanction recorded on 2026-07-01 (at least 2 needed): does not hold",
                 id="min-1"),
    pytest.param(["2026-07-01", "2026-09-01"], True,
                 "2 sanctions recorded, the latest 2026-09-01 (at least 2 needed): holds",
                 id="min"),
    pytest.param(["2026-07-01", "2026-10-02"], False,
                 "1 sanction recorded on 2026-07-01 (at least 2 needed): does not hold",
                 id="dated after the as-of date"),
]


@pytest.mark.parametrize(("sanctions", "holds", "detail"), SANCTIONS)
def test_sanctions_condition(sanctions: list[str], holds: bool, detail: str) -> None:
    result = only(case(sanctions=sanctions), sanctions={"min": 2})
    assert (result.holds, result.detail) == (holds, detail)


# --- risk ---------------------------------------------------------------------------------------

RISKS = [
    pytest.param([], False,
                 "no risk assessment recorded (a score of at least 9 needed): does not hold",
                 id="none"),
    pytest.param([("2026-09-01", 12)], True,
                 "the latest risk assessment, on 2026-09-01, scored 12 (at least 9 needed): holds",
                 id="high"),
    pytest.param([("2026-08-01", 12), ("2026-09-01", 4)], False,
                 "the latest risk assessment, on 2026-09-01, scored 4 (at least 9 needed):"
                 " does not hold",
                 id="a newer lower score replaces a higher one"),
    pytest.param([("2026-09-01", 4), ("2026-10-02", 16)], False,
                 "the latest risk assessment, on 2026-09-01, scored 4 (at least 9 needed):"
                 " does not hold",
                 id="dated after the as-of date"),
]


@pytest.mark.parametrize(("risks", "holds", "detail"), RISKS)
def test_risk_condition(risks: list[tuple[str, int]], holds: bool, detail: str) -> None:
    result = only(case(risks=risks), risk={"min_score": 9})
    assert (result.holds, result.detail) == (holds, detail)


def test_a_risk_weighed_when_the_case_came_down_counts_no_more() -> None:
    state = case(risks=[("2026-05-01", 16)], moves=[("2026-04-01", 2), ("2026-06-01", 0)])
    result = only(state, risk={"min_score": 9})
    assert result.holds is False
    assert result.detail.startswith("no risk assessment recorded")
