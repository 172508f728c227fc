"""Swedish working days (arbetsdagar), as deadlines count them. Pure: no I/O, no "today".

A working day is a day from Monday to Friday that is neither a Swedish public holiday (allmän
helgdag, lag 1989:253) nor midsommarafton, julafton or nyårsafton: the three days that Lag
(1930:173) om beräkning av lagstadgad tid treats like a holiday. The holidays come from the
``holidays`` package (its categories ``public`` and ``de_facto``: the latter are exactly those
three eves), imported the first time a year is asked for, so commands that count no deadline
never load it.

* ``add_working_days(start, n)``: a time limit of ``n`` working days counted from the day after
  ``start`` (``plan --due-in``, ``letter --reply-within``);
* ``next_working_day(day)``: the day a deadline given as a date really falls on; a date on a
  weekend or holiday moves to the next working day, as Lag (1930:173) says;
* ``working_days_between(start, end)``: how many working days there are after ``start`` up to
  and including ``end`` (how far off a due date is, in working days).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from functools import lru_cache

from trappa.dates import EARLIEST, LATEST

_DAY = dt.timedelta(days=1)
_SATURDAY = 5  # date.weekday(): Monday is 0
_CATEGORIES = ("public", "de_facto")  # de_facto: midsommarafton, julafton, nyårsafton
MAX_WORKING_DAYS = 3660  # far beyond any contract's time limit; keeps every count inside LATEST


@lru_cache(maxsize=64)
def _holidays(year: int) -> dict[dt.date, str]:
    """The days of ``year`` that are holidays for deadlines, with their Swedish names."""
    import holidays

    found = holidays.country_holidays(
        "SE", years=year, categories=_CATEGORIES, language="sv"
    )
    return {day: str(name) for day, name in found.items()}


@lru_cache(maxsize=64)
def _weekday_holidays(year: int) -> tuple[dt.date, ...]:
    """The holidays of ``year`` that fall from Monday to Friday, in order: those a count of
    weekdays must take off."""
    return tuple(sorted(day for day in _holidays(year) if day.weekday() < _SATURDAY))


def holiday_name(day: dt.date) -> str | None:
    """The Swedish name of the holiday ``day`` is (e.g. "Långfredagen", "Julafton"), if any."""
    return _holidays(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, and neither a public holiday nor midsommarafton, julafton, nyårsafton."""
    return day.weekday() < _SATURDAY and day not in _holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += _DAY
    return day


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (counted from the day after it); ``start`` when
    ``n`` is 0. ``n`` must be 0 to ``MAX_WORKING_DAYS``, and the result stay within the dates a
    case can have (``trappa.dates``): a ValueError otherwise."""
    if not 0 <= n <= MAX_WORKING_DAYS:
        raise ValueError(f"working days must be 0 to {MAX_WORKING_DAYS}, not {n}")
    if not EARLIEST <= start <= LATEST:
        raise ValueError(f"{start} is outside {EARLIEST}..{LATEST}")
    day = start
    left = n
    while left:
        day += _DAY
        if is_working_day(day):
            left -= 1
    if day > LATEST:
        raise ValueError(f"{n} working days after {start} is past {LATEST}")
    return day


@lru_cache(maxsize=4096)  # a listing asks of the same few hundred due dates again and again
def working_days_between(start: dt.date, end: dt.date) -> int:
    """The working days after ``start`` up to and including ``end``; negative when ``end`` is
    before ``start`` (the working days from the day after ``end`` up to and including
    ``start``, counted backwards), 0 when they are the same day.

    Counted by whole weeks, less the weekday holidays found by bisection in each year between,
    not day by day: ``status`` and ``review`` ask it of every overdue date in a register, some
    of them years old."""
    if end < start:
        return -working_days_between(end, start)
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5
    day = start + dt.timedelta(days=weeks * 7)
    for _ in range(rest):
        day += _DAY
        if day.weekday() < _SATURDAY:
            count += 1
    for year in range(start.year, end.year + 1):
        holidays = _weekday_holidays(year)
        count -= bisect_right(holidays, end) - bisect_right(holidays, start)
    return count
