"""What is due and by when (trappa.rules.due): the states of replies, plans and claim windows
as of a date, at the edges of each window."""

from __future__ import annotations

import datetime as dt

import pytest

from trappa.history.obligations import Obligation
from trappa.rules.due import any_overdue, due_now, judge
from trappa.workdays import working_days_between

D = dt.date.fromisoformat


def reply(due: str, done: str | None = None) -> Obligation:
    return Obligation("reply", 1, "2026-03-02", due, done)


def claim(observed: str, done: str | None = None) -> Obligation:
    return Obligation("claim", 2, observed, None, done)


@pytest.mark.parametrize(
    ("today", "state", "working_days"),
    [
        ("2026-03-06", "later", 6),  # Friday: Monday 9 to Monday 16 are six working days
        ("2026-03-09", "soon", 5),  # five working days before: soon
        ("2026-03-16", "soon", 0),  # the reply-by date itself is not late
        ("2026-03-17", "overdue", -1),  # the day after
        ("2026-03-23", "overdue", -5),
    ],
)
def test_a_reply_is_soon_within_five_working_days_and_overdue_the_day_after(
    today: str, state: str, working_days: int
) -> None:
    [due] = judge([reply("2026-03-16")], D(today), None)
    assert due.state == state
    listed = due_now([reply("2026-03-16")], D(today), None)
    if state == "later":  # review lists only what is overdue or soon
        assert listed == []
        assert working_days_between(D(today), D("2026-03-16")) == working_days
    else:
        assert [item.to_json() for item in listed] == [
            {"what": "reply", "ref": 1, "date": "2026-03-16", "state": state,
             "working_days": working_days}
        ]


def test_soon_counts_working_days_over_easter() -> None:
    # From Thursday 2 April 2026, five working days reach Monday 13 April (3 and 6 are holidays).
    assert judge([reply("2026-04-13")], D("2026-04-02"), None)[0].state == "soon"
    assert judge([reply("2026-04-14")], D("2026-04-02"), None)[0].state == "later"


def test_a_reply_received_is_done_even_when_late() -> None:
    [due] = judge([reply("2026-03-16", done="2026-03-20")], D("2026-04-01"), None)
    assert due.state == "done"
    assert due_now([reply("2026-03-16", done="2026-03-20")], D("2026-04-01"), None) == []


@pytest.mark.parametrize(
    ("today", "state"),
    [
        ("2026-02-14", "later"),  # the window of 2 January + 60 days ends on 3 March
        ("2026-02-17", "soon"),  # 14 days before its last day
        ("2026-03-03", "soon"),  # its last day
        ("2026-03-04", "overdue"),
    ],
)
def test_a_claim_window_is_calendar_days_from_the_observation(today: str, state: str) -> None:
    [due] = judge([claim("2026-01-02")], D(today), 60)
    assert (due.date, due.state) == ("2026-03-03", state)


def test_without_a_claim_window_no_claim_is_due() -> None:
    assert judge([claim("2020-01-02")], D("2026-03-04"), None) == []


def test_a_sanctioned_or_waived_deviation_is_done() -> None:
    [due] = judge([claim("2026-01-02", done="2026-01-20")], D("2026-06-01"), 60)
    assert due.state == "done" and not any_overdue([due])


def test_due_now_is_by_date_and_only_overdue_or_soon() -> None:
    obligations = [
        reply("2026-03-16"),
        claim("2026-01-02"),
        Obligation("plan", 1, "2026-02-01", "2026-06-30", None),
    ]
    due = due_now(obligations, D("2026-03-10"), 60)
    assert [(d.what, d.date, d.state) for d in due] == [
        ("claim", "2026-03-03", "overdue"),
        ("reply", "2026-03-16", "soon"),
    ]
    assert any_overdue(due)
