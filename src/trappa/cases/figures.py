"""Key figures (nyckeltal) of a period: which period, which previous period it is set against, and
the figures in plain data (``trappa figures``, and the monthly report built on them).

The period defaults to the last full calendar month. A period of whole calendar months is set
against as many whole months before it (October against September); any other period against as
many days before it. Stocks (open cases, overdue plans) are counted as of the period's last day,
which is why that day may not lie after today. The counting itself is SQL in
``trappa.store.figures``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from typing import Any, NamedTuple

from trappa.cases.session import Session
from trappa.errors import UserError
from trappa.messages import say
from trappa.store.figures import period_figures

LEVELS = tuple(range(6))  # the steps every figure lists, even at 0 (a ladder may have more)
CRITICALITIES = ("4", "3", "2", "1", "")  # most critical first; "" for no contract/criticality


class Period(NamedTuple):
    """A period of whole days, both ends included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def to_json(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "days": self.days}


def month_period(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(dt.date(year, month, 1), dt.date(year, month, last))


def last_full_month(today: dt.date) -> Period:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return month_period(first.year, first.month)


def choose_period(start: dt.date | None, end: dt.date | None, today: dt.date) -> Period:
    """``--from``/``--to`` as given: neither is the last full month, ``--from`` alone runs to
    today, ``--to`` alone starts on the first of its month. An empty period, or one that ends
    after today, is bad input."""
    if start is None and end is None:
        return last_full_month(today)
    end = end or today
    start = start or end.replace(day=1)
    if start > end:
        raise UserError(say("figures.empty_period", start=start.isoformat(),
                            end=end.isoformat()))
    if end > today:
        raise UserError(say("figures.future", end=end.isoformat(), today=today.isoformat()))
    return Period(start, end)


def previous_period(period: Period) -> Period:
    """The period of the same length just before ``period``: whole months for whole months."""
    start, end = period.start, period.end
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if whole_months:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        index = start.year * 12 + start.month - 1 - months
        first = dt.date(index // 12, index % 12 + 1, 1)
        return Period(first, start - dt.timedelta(days=1))
    return Period(start - dt.timedelta(days=period.days), start - dt.timedelta(days=1))


def figures(session: Session, period: Period, supplier: str | None = None) -> dict[str, Any]:
    """The key figures of ``period`` and of the previous period, for all cases or one
    supplier's (by name or organisation number, as ``status --supplier``)."""
    supplier_ids = session.supplier_ids(supplier)
    before = previous_period(period)
    current, previous = period_figures(
        session.store, period.start.isoformat(), period.end.isoformat(),
        before.start.isoformat(), before.end.isoformat(), supplier_ids,
    )
    return {
        "period": period.to_json(),
        "previous_period": before.to_json(),
        "supplier": supplier,
        "current": _plain(current),
        "previous": _plain(previous),
    }


def _plain(raw: dict[str, Any]) -> dict[str, Any]:
    """The store's figures as JSON: every step listed, breakdowns sorted, money rounded."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "open_cases_by_level":
            out[key] = _levels(value)
        elif key == "escalations_by_level":
            out[key] = _levels(value, first=1)
        elif key == "open_cases_by_criticality":
            out[key] = {c: _levels(value.get(c, Counter())) for c in CRITICALITIES}
        elif isinstance(value, Counter):
            out[key] = dict(sorted(value.items(), key=lambda item: (-item[1], item[0])))
        elif key.endswith("_sek"):
            out[key] = round(value, 2)
        elif key == "median_days_to_level":
            out[key] = {level: _days(days) for level, days in value.items()}
        elif key == "median_days_to_resolution":
            out[key] = _days(value)
        else:
            out[key] = value
    return out


def _levels(counts: Counter[str], first: int = 0) -> dict[str, int]:
    keys = sorted({*(str(level) for level in LEVELS if level >= first), *counts}, key=int)
    return {key: counts.get(key, 0) for key in keys}


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# The scalar figures, in the order people read them; the breakdowns follow each.
SCALARS = (
    "open_cases", "plans_overdue", "cases_opened", "deviations", "serious_deviations",
    "deviations_resolved", "median_days_to_resolution", "escalations", "deescalations",
    "plans_established", "plans_followed_up", "sanctions", "penalties_sek",
    "sanctions_amount_sek", "letters_sent",
)
