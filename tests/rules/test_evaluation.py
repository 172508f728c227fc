"""A rule of several conditions, the suggested level, the level as of a date, the JSON shape.

All evaluations are as of 2026-10-01 unless a test says otherwise; the detail sentences are what
`trappa explain` prints, so they are pinned in full.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rule_builders import AS_OF, case, dev, ladder, only, plan, rule
from trappa.rules.evaluation import Evaluation, evaluate, suggested_level

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
