"""The facts of a monthly report (månadsrapport): the month's key figures against the month
before, the cases that moved, those red in ``status`` today, the month's sanctions, the cases at
step 3 or higher at the month's end, and the series of its charts over the last twelve months.

A month not yet over is reported up to today; a month after the current one is bad input.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Iterator
from typing import Any

from trappa.cases.figures import Period, figures, month_period
from trappa.cases.session import Session
from trappa.cases.views import red_rows
from trappa.errors import UserError
from trappa.messages import say
from trappa.store import monthly as queries

HIGH_LEVEL = 3  # "the suppliers at step 3 or higher": the national steps
# Rows a list of the report's workbook holds (``trappa.letters.monthly_workbook``); the rest are
# counted, and `trappa status` and `trappa export` give them whole.
SHEET_ROWS = 5000
# The red cases a report holds: as many as its longest list shows.
RED_KEPT = SHEET_ROWS
CHART_MONTHS = 12
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def choose_month(text: str | None, today: dt.date) -> Period:
    """``--month YYYY-MM`` (default: the last full month) as the period to report; the current
    month runs to today."""
    if text is None:
        last = today.replace(day=1) - dt.timedelta(days=1)
        return month_period(last.year, last.month)
    match = _MONTH.fullmatch(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise UserError(say("monthly.month", value=text))
    year, month = int(match.group(1)), int(match.group(2))
    if (year, month) > (today.year, today.month):
        raise UserError(say("monthly.future", month=text.strip(), today=today.isoformat()))
    period = month_period(year, month)
    return Period(period.start, min(period.end, today))


def month_ends(period: Period, count: int = CHART_MONTHS) -> list[str]:
    """The last day of each of the ``count`` months up to ``period``'s (that one as reported)."""
    days = []
    year, month = period.start.year, period.start.month
    for back in range(count - 1, 0, -1):
        index = year * 12 + month - 1 - back
        days.append(month_period(index // 12, index % 12 + 1).end.isoformat())
    return [*days, period.end.isoformat()]


def _first_red(session: Session) -> tuple[list[dict[str, Any]], int]:
    """The first ``RED_KEPT`` cases red in ``status`` today, the highest steps first, then the
    longest overdue; and how many are red. Only the first are held: with a claim window most
    open cases of a large register can be red."""
    count = 0

    def red() -> Iterator[dict[str, Any]]:
        nonlocal count
        for row in red_rows(session):
            count += 1
            yield row

    first = heapq.nsmallest(
        RED_KEPT, red(), key=lambda r: (-r["level"], r["next_due"] or "9999", r["case"])
    )
    return first, count


def monthly_data(session: Session, period: Period) -> dict[str, Any]:
    """Everything the report shows, as plain data."""
    store = session.store
    start, end = period.start.isoformat(), period.end.isoformat()
    key_figures = figures(session, period)
    ends = month_ends(period)
    first = ends[0][:8] + "01"
    series = queries.open_by_level_at(store, ends)
    levels = sorted({0, 1, 2, 3, 4, 5, *(lv for per in series.values() for lv in per)})
    red, red_count = _first_red(session)
    return {
        "month": start[:7],
        "period": period.to_json(),
        "figures": key_figures,
        "moves": queries.moves(store, start, end),
        "sanctions": queries.sanctions(store, start, end),
        "high": queries.cases_from_level(store, end, HIGH_LEVEL),
        "red": red,
        "red_count": red_count,
        "today": session.today.isoformat(),
        "charts": {
            "levels": levels,
            "open_by_level": [
                {"date": day, "counts": [series[day].get(lv, 0) for lv in levels]}
                for day in ends
            ],
            "deviations_by_month": _by_month(
                queries.deviations_by_month(store, first, end), [d[:7] for d in ends]
            ),
        },
    }


def _by_month(rows: list[tuple[str, str, int]], months: list[str]) -> dict[str, Any]:
    """Deviations per month by category: the five most frequent categories, and the rest with
    those of no category together as "" (övriga)."""
    totals: dict[str, int] = {}
    for _, category, count in rows:
        totals[category] = totals.get(category, 0) + count
    top = [c for c, _ in sorted(totals.items(), key=lambda x: (-x[1], x[0])) if c][:5]
    other = [c for c in totals if c not in top]
    categories = top + ([""] if other else [])
    counts = {m: dict.fromkeys(categories, 0) for m in months}
    for month, category, count in rows:
        if month in counts:
            counts[month][category if category in top else ""] += count
    return {"categories": categories,
            "months": [{"month": m, "counts": list(counts[m].values())} for m in months]}
