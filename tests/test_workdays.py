"""Swedish working days as deadlines count them (trappa.workdays): the holidays and the three
eves, Lag (1930:173)'s move to the next working day, and counting from the day after."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappa.workdays import (
    MAX_WORKING_DAYS,
    add_working_days,
    holiday_name,
    is_working_day,
    next_working_day,
    working_days_between,
)

D = dt.date.fromisoformat
days = st.dates(min_value=D("1990-01-01"), max_value=D("2060-12-31"))
counts = st.integers(min_value=0, max_value=60)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2026-01-01", "Nyårsdagen"),
        ("2026-01-06", "Trettondedag jul"),
        ("2026-04-03", "Långfredagen"),
        ("2026-04-06", "Annandag påsk"),
        ("2026-05-01", "Första maj"),
        ("2026-05-14", "Kristi himmelsfärdsdag"),
        ("2025-06-06", "Nationaldagen"),
        ("2026-06-19", "Midsommarafton"),
        ("2026-12-24", "Julafton"),
        ("2026-12-25", "Juldagen"),
        ("2026-12-26", "Annandag jul"),
        ("2026-12-31", "Nyårsafton"),
        ("2025-12-31", "Nyårsafton"),
    ],
)
def test_holidays_and_the_three_eves_are_not_working_days(day: str, name: str) -> None:
    assert holiday_name(D(day)) == name
    assert not is_working_day(D(day))


@pytest.mark.parametrize(
    "day",
    [
        "2026-03-16",  # an ordinary Monday
        "2026-04-30",  # Valborgsmässoafton is no holiday
        "2026-04-02",  # skärtorsdagen is a working day
        "2026-01-05",  # trettondagsafton too
        "2026-06-18",  # the day before midsommarafton
    ],
)
def test_ordinary_weekdays_are_working_days(day: str) -> None:
    assert holiday_name(D(day)) is None
    assert is_working_day(D(day))


def test_saturdays_and_sundays_are_not_working_days() -> None:
    assert not is_working_day(D("2026-03-14"))
    assert not is_working_day(D("2026-03-15"))


@pytest.mark.parametrize(
    ("day", "moved"),
    [
        ("2026-03-16", "2026-03-16"),  # a working day stays
        ("2026-03-14", "2026-03-16"),  # Saturday -> Monday
        ("2026-04-03", "2026-04-07"),  # Långfredagen -> past Easter to Tuesday
        ("2026-06-19", "2026-06-22"),  # midsommarafton -> Monday after midsommardagen
        ("2026-12-24", "2026-12-28"),  # julafton -> Monday after Christmas
        ("2026-12-31", "2027-01-04"),  # nyårsafton -> past nyårsdagen and the weekend
        ("2036-12-24", "2036-12-29"),  # julafton on a Wednesday: five days off
        ("2027-01-06", "2027-01-07"),  # trettondedag jul on a Wednesday
    ],
)
def test_a_date_on_a_holiday_moves_to_the_next_working_day(day: str, moved: str) -> None:
    assert next_working_day(D(day)) == D(moved)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-03-16", 0, "2026-03-16"),
        ("2026-03-16", 1, "2026-03-17"),  # counted from the day after
        ("2026-03-13", 1, "2026-03-16"),  # a Friday: the next working day is Monday
        ("2026-03-16", 10, "2026-03-30"),  # two weeks of working days
        ("2026-03-30", 5, "2026-04-08"),  # over Easter: Fri 3 and Mon 6 April are not counted
        ("2026-06-17", 2, "2026-06-22"),  # over midsommar
        ("2026-12-21", 5, "2026-12-30"),  # julafton, juldagen and the weekend are not counted
        ("2026-12-28", 3, "2027-01-04"),  # nor nyårsafton and nyårsdagen
    ],
)
def test_working_days_are_counted_from_the_day_after(start: str, n: int, due: str) -> None:
    assert add_working_days(D(start), n) == D(due)
    assert working_days_between(D(start), D(due)) == n


def test_counts_outside_the_range_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(D("2026-03-16"), -1)
    with pytest.raises(ValueError):
        add_working_days(D("2026-03-16"), MAX_WORKING_DAYS + 1)
    with pytest.raises(ValueError):
        add_working_days(D("9000-12-30"), 5)


@given(days, counts)
def test_the_nth_working_day_is_a_working_day_after_the_start(start: dt.date, n: int) -> None:
    due = add_working_days(start, n)
    if n == 0:
        assert due == start
    else:
        assert due > start
        assert is_working_day(due)


@given(days, counts)
def test_counting_back_the_working_days_gives_n(start: dt.date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n)) == n


@given(days, counts, counts)
def test_working_days_add_up(start: dt.date, a: int, b: int) -> None:
    assert add_working_days(add_working_days(start, a), b) == add_working_days(start, a + b)


@given(days, st.integers(min_value=1, max_value=60))
def test_more_working_days_never_end_sooner(start: dt.date, n: int) -> None:
    assert add_working_days(start, n) > add_working_days(start, n - 1)


@given(days)
def test_the_next_working_day_is_the_first_one_on_or_after(day: dt.date) -> None:
    moved = next_working_day(day)
    assert moved >= day
    assert is_working_day(moved)
    assert all(not is_working_day(day + dt.timedelta(days=k)) for k in range((moved - day).days))
    # No Swedish run of days off is longer than five (julafton on a Wednesday: 24-28 December).
    assert (moved - day).days <= 5
    assert next_working_day(moved) == moved


@given(days)
def test_one_working_day_after_is_the_next_working_day_after_the_day(day: dt.date) -> None:
    assert add_working_days(day, 1) == next_working_day(day + dt.timedelta(days=1))


@given(days, st.integers(min_value=0, max_value=3 * 366))
def test_between_counts_what_a_walk_day_by_day_counts(start: dt.date, span: int) -> None:
    # The count by weeks and bisected holidays, against the plain walk it replaces.
    walked = sum(is_working_day(start + dt.timedelta(days=k)) for k in range(1, span + 1))
    assert working_days_between(start, start + dt.timedelta(days=span)) == walked


@given(days, days)
def test_between_is_antisymmetric(a: dt.date, b: dt.date) -> None:
    assert working_days_between(a, b) == -working_days_between(b, a)


@given(days)
def test_a_working_day_is_exactly_a_weekday_without_a_holiday(day: dt.date) -> None:
    assert is_working_day(day) == (day.weekday() < 5 and holiday_name(day) is None)
