"""``trappa figures``: the key figures of a period agree with ``status``, ``review`` and the
recorded facts, and bad periods are refused with one line."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import run_trappa
from story_register import tell


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("figures") / "register.db"
    tell(db)
    return db


def _json(*args: str, today: str = "2026-11-05") -> object:
    done = run_trappa(*args, "--json", env={"TRAPPA_TODAY": today})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_october_by_default_in_november(register: Path) -> None:
    data = _json("figures", "--db", str(register))
    assert data["period"] == {"from": "2026-10-01", "to": "2026-10-31", "days": 31}
    assert data["previous_period"] == {"from": "2026-09-01", "to": "2026-09-30", "days": 30}
    now, before = data["current"], data["previous"]
    assert (now["deviations"], before["deviations"]) == (3, 1)
    assert now["serious_deviations"] == 1
    assert now["deviations_by_source"] == {"": 2, "visselblåsning": 1}
    assert before["deviations_by_category"] == {"leverans": 1}
    assert (now["escalations"], now["deescalations"]) == (2, 0)
    assert now["escalations_by_level"] == {"1": 1, "2": 0, "3": 1, "4": 0, "5": 0}
    assert now["sanctions"] == 2
    assert now["sanctions_by_kind"] == {"avdrag": 1, "vite": 1}
    assert now["penalties_sek"] == 40000.5  # vite only, in kronor
    assert now["sanctions_amount_sek"] == 41235.0
    assert (now["plans_established"], now["plans_overdue"]) == (1, 1)
    assert now["cases_opened"] == 2 and before["cases_opened"] == 1
    assert now["median_days_to_level"] == {"1": 26.0, "3": 36.0}  # from 9 September
    assert (now["deviations_resolved"], now["median_days_to_resolution"]) == (1, 3.0)
    # Stocks as of 31 October: the closed case is not open; case 1 at step 3 on a contract of
    # criticality 4.
    assert now["open_cases"] == 2 and before["open_cases"] == 1
    assert now["open_cases_by_criticality"]["4"]["3"] == 1
    assert now["open_cases_by_criticality"]["2"]["0"] == 1
    assert before["open_cases_by_level"]["0"] == 1


def test_the_counts_agree_with_status_and_review(register: Path) -> None:
    today = "2026-11-05"
    data = _json("figures", "--db", str(register), "--from", "2026-11-01", "--to", today,
                 today=today)
    status = _json("status", "--db", str(register), today=today)
    review = _json("review", "--db", str(register), today=today)
    now = data["current"]
    assert now["open_cases"] == len(status)
    levels = Counter(str(row["level"]) for row in status)
    assert {k: v for k, v in now["open_cases_by_level"].items() if v} == dict(levels)
    assert now["plans_overdue"] == sum(row["plan_overdue"] for row in review)


def test_one_supplier(register: Path) -> None:
    data = _json("figures", "--db", str(register), "--supplier", "556677-8899")
    assert data["current"]["deviations"] == 1 and data["current"]["open_cases"] == 1


def test_a_period_of_days_is_set_against_as_many_days_before(register: Path) -> None:
    data = _json("figures", "--db", str(register), "--from", "2026-10-05", "--to", "2026-10-14")
    assert data["previous_period"] == {"from": "2026-09-25", "to": "2026-10-04", "days": 10}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-10-10", "--to", "2026-10-01"], "is empty"),
        (["--to", "2026-12-01"], "after today"),
        (["--from", "2026-13-01"], "not a real date"),
        (["--supplier", "Ingen AB"], "no supplier named"),
    ],
)
def test_bad_periods_get_one_line_and_exit_2(
    register: Path, args: list[str], message: str
) -> None:
    today = {"TRAPPA_TODAY": "2026-11-05"}
    done = run_trappa("figures", "--db", str(register), *args, env=today)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_text_output_lists_the_matrix(register: Path) -> None:
    done = run_trappa("figures", "--db", str(register), env={"TRAPPA_TODAY": "2026-11-05"})
    assert done.returncode == 0, done.stderr
    assert "penalties (vite), kr" in done.stdout
    assert "open cases by contract criticality" in done.stdout
