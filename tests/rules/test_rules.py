"""The rules engine: every condition at its boundaries, the suggested level, the JSON shape.

All evaluations are as of 2026-10-01 unless a test says otherwise; the detail sentences are what
`trappa explain` prints, so they are pinned in full.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import pytest

from trappa.history.projection import CaseState, Deviation, LevelChange, Plan, Sanction
from trappa.ladder.view import LadderView
from trappa.rules.evaluation import Evaluation, RuleResult, evaluate, suggested_level

AS_OF = dt.date(2026, 10, 1)


# --- builders -----------------------------------------------------------------------------------


def dev(observed: str, *, kind: str = "deviation", serious: bool = False,
        resolved: bool = False) -> dict[str, Any]:
    return {"observed": observed, "kind": kind, "serious": serious, "resolved": resolved}


def plan(established: str, due: str, outcome: str | None = None,
         followed_up: str | None = None) -> dict[str, Any]:
    return {"established": established, "due": due, "outcome": outcome, "followed_up": followed_up}


def case(*, opened: str = "2026-01-01", deviations: Sequence[dict[str, Any]] = (),
         plans: Sequence[dict[str, Any]] = (), moves: Sequence[tuple[str, int]] = (),
         sanctions: Sequence[str] = (), closed_on: str | None = None) -> CaseState:
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


# --- rules with several conditions --------------------------------------------------------------


def test_all_conditions_must_hold_and_the_detail_joins_them() -> None:
    state = case(plans=[plan("2026-05-01", "2026-06-01", "not_followed", "2026-06-03")],
                 deviations=[dev("2026-04-01"), dev("2026-07-01")])
    result = only(state, deviations={"min": 2, "since": "action_plan"},
                  action_plan="not_followed")
    assert result.holds is False
    assert result.detail == (
        "1 deviation observed 2026-07-01 since the action plan of 2026-05-01 "
        "(at least 2 needed): does not hold; "
        "latest plan (2026-05-01) due 2026-06-01, followed up 2026-06-03: not followed: holds"
    )
    state = state._replace(deviations=(*state.deviations, *case(
        deviations=[dev("2026-08-01")]).deviations))
    assert only(state, deviations={"min": 2, "since": "action_plan"},
                action_plan="not_followed").holds is True


def test_conditions_are_explained_in_a_fixed_order() -> None:
    state = case(sanctions=["2026-07-01"], deviations=[dev("2026-07-01")])
    result = only(state, sanctions={"min": 1}, deviations={"min": 1})
    assert result.detail == (
        "1 deviation observed 2026-07-01 (at least 1 needed): holds; "
        "1 sanction recorded on 2026-07-01 (at least 1 needed): holds"
    )


# --- the evaluation -----------------------------------------------------------------------------

KALMAR_LIKE = ladder(
    rule(1, "aterkommande", deviations={"min": 2, "within_days": 180}),
    rule(2, "allvarlig", deviations={"min": 1, "serious": True, "within_days": 365}),
    rule(3, "plan-ej-foljd", action_plan="not_followed"),
    rule(4, "sanktion", sanctions={"min": 1}),
)


def test_suggested_level_is_the_highest_holding_rule_in_ladder_order() -> None:
    state = case(deviations=[dev("2026-08-01"), dev("2026-09-01", serious=True)],
                 sanctions=["2026-09-15"], moves=[("2026-08-02", 1)])
    evaluation = evaluate(KALMAR_LIKE, state, AS_OF)
    assert [(r.id, r.holds) for r in evaluation.rules] == [
        ("aterkommande", True), ("allvarlig", True), ("plan-ej-foljd", False), ("sanktion", True),
    ]
    assert [r.id for r in evaluation.holding] == ["aterkommande", "allvarlig", "sanktion"]
    assert (evaluation.level, evaluation.suggested_level) == (1, 4)
    assert suggested_level(KALMAR_LIKE, state, AS_OF) == 4


def test_suggested_level_is_0_for_an_open_case_where_no_rule_holds() -> None:
    state = case(deviations=[dev("2026-09-01", kind="risk")])
    evaluation = evaluate(KALMAR_LIKE, state, AS_OF)
    assert evaluation.holding == ()
    assert evaluation.suggested_level == 0
    assert suggested_level(KALMAR_LIKE, state, AS_OF) == 0


def test_a_closed_case_has_no_suggestion_but_its_rules_are_still_explained() -> None:
    state = case(deviations=[dev("2026-08-01"), dev("2026-09-01")], closed_on="2026-09-20")
    evaluation = evaluate(KALMAR_LIKE, state, AS_OF)
    assert evaluation.suggested_level is None
    assert suggested_level(KALMAR_LIKE, state, AS_OF) is None
    assert evaluation.rules[0].holds is True
    assert evaluation.rules[0].detail == (
        "2 deviations observed 2026-08-01..2026-09-01 within 180 days (at least 2 needed): holds"
    )


def test_a_case_closed_after_the_as_of_date_was_still_open_then() -> None:
    state = case(deviations=[dev("2026-08-01"), dev("2026-09-01")], closed_on="2026-10-02")
    assert evaluate(KALMAR_LIKE, state, AS_OF).suggested_level == 1
    assert suggested_level(KALMAR_LIKE, state, dt.date(2026, 10, 2)) is None


def test_the_level_is_the_level_on_the_as_of_date() -> None:
    state = case(moves=[("2026-03-01", 1), ("2026-06-01", 3), ("2026-09-01", 2)])
    assert evaluate(KALMAR_LIKE, state, AS_OF).level == 2
    assert evaluate(KALMAR_LIKE, state, dt.date(2026, 8, 31)).level == 3
    assert evaluate(KALMAR_LIKE, state, dt.date(2026, 3, 1)).level == 1
    assert evaluate(KALMAR_LIKE, state, dt.date(2026, 2, 28)).level == 0


def test_disabled_rules_are_not_evaluated() -> None:
    view = ladder(rule(1, "kvar", sanctions={"min": 1}),
                  {**rule(5, "avstangd", sanctions={"min": 1}), "enabled": False})
    evaluation = evaluate(view, case(sanctions=["2026-07-01"]), AS_OF)
    assert [r.id for r in evaluation.rules] == ["kvar"]
    assert evaluation.suggested_level == 1


def test_a_ladder_without_rules_suggests_0() -> None:
    evaluation = evaluate(ladder(), case(deviations=[dev("2026-09-01")]), AS_OF)
    assert (evaluation.rules, evaluation.suggested_level) == ((), 0)


def test_json_shape_is_designs_explain_shape() -> None:
    state = case(deviations=[dev("2026-08-01"), dev("2026-09-01")])
    data = evaluate(KALMAR_LIKE, state, AS_OF).to_json()
    assert list(data) == ["as_of", "level", "suggested_level", "rules"]
    assert data["as_of"] == "2026-10-01"
    assert (data["level"], data["suggested_level"]) == (0, 1)
    assert data["rules"][0] == {
        "id": "aterkommande",
        "title": "Regel aterkommande",
        "level": 1,
        "holds": True,
        "detail": "2 deviations observed 2026-08-01..2026-09-01 within 180 days "
                  "(at least 2 needed): holds",
    }
    assert all(list(r) == ["id", "title", "level", "holds", "detail"] for r in data["rules"])
    assert json.loads(json.dumps(data)) == data  # plain JSON types only


def test_closed_case_json_has_null_suggestion() -> None:
    data = evaluate(KALMAR_LIKE, case(closed_on="2026-09-01"), AS_OF).to_json()
    assert data["suggested_level"] is None
    assert '"suggested_level": null' in json.dumps(data)


def test_evaluation_is_a_value() -> None:
    # Equal inputs give equal evaluations: `review` and tests compare them directly.
    state = case(deviations=[dev("2026-09-01")])
    first = evaluate(KALMAR_LIKE, state, AS_OF)
    assert first == evaluate(KALMAR_LIKE, state, AS_OF)
    assert isinstance(first, Evaluation)
    with pytest.raises(AttributeError):
        first.level = 3  # type: ignore[misc]


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
