"""What the monthly report lists beside the key figures (``trappa.store.figures``): the moves and
sanctions of a month, the cases at a high step at its end, and the series its charts draw (open
cases per step at each month's end, deviations per month by category), each one SQL query.
"""

from __future__ import annotations

from typing import Any

from trappa.store.connection import Connection, sql
from trappa.store.figures import STATE_AT, level_at, open_at

_NAMES = (
    "JOIN suppliers s ON s.id = c.supplier_id LEFT JOIN contracts ct ON ct.id = c.contract_id"
)


def _dicts(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


@sql
def moves(store: Connection, start: str, end: str) -> list[dict[str, Any]]:
    """Every escalation and de-escalation dated ``start``..``end``, with its reason."""
    return _dicts(store._conn.execute(
        "SELECT l.case_id AS \"case\", s.name AS supplier, ct.name AS contract,"
        " ct.criticality AS criticality, l.date AS date, l.from_level AS from_level,"
        " l.to_level AS to_level, json_extract(e.data, '$.reason') AS reason"
        " FROM level_changes l JOIN cases c ON c.id = l.case_id"
        " JOIN events e ON e.case_id = l.case_id AND e.seq = l.seq"
        f" {_NAMES} WHERE l.date BETWEEN ? AND ? ORDER BY l.date, l.case_id, l.seq",
        (start, end),
    ))


@sql
def sanctions(store: Connection, start: str, end: str) -> list[dict[str, Any]]:
    """Every sanction dated ``start``..``end``; the amount in kronor."""
    return _dicts(store._conn.execute(
        "SELECT x.case_id AS \"case\", s.name AS supplier, ct.name AS contract, x.date AS date,"
        " x.kind AS kind, x.amount AS amount, x.reason AS reason"
        f" FROM sanctions x JOIN cases c ON c.id = x.case_id {_NAMES}"
        " WHERE x.date BETWEEN ? AND ? ORDER BY x.date, x.case_id, x.n",
        (start, end),
    ))


@sql
def cases_from_level(store: Connection, at: str, level: int) -> list[dict[str, Any]]:
    """The cases open at ``level`` or higher as of ``at``, highest first."""
    state_at = STATE_AT.format(suppliers="")
    return _dicts(store._conn.execute(
        f"SELECT a.id AS \"case\", s.name AS supplier, s.org_nr AS org_nr, ct.name AS contract,"
        f" a.criticality AS criticality, a.level AS level FROM ({state_at}) a"
        " JOIN suppliers s ON s.id = a.supplier_id LEFT JOIN contracts ct ON ct.id = a.contract_id"
        " WHERE a.is_open AND a.level >= :level ORDER BY a.level DESC, s.name, a.id",
        {"at": at, "level": level},
    ))


@sql
def open_by_level_at(store: Connection, dates: list[str]) -> dict[str, dict[int, int]]:
    """The open cases per level as of each of ``dates``: date -> level -> count."""
    values = ", ".join("(?)" for _ in dates)
    series: dict[str, dict[int, int]] = {day: {} for day in dates}
    for day, level, count in store._conn.execute(
        f"WITH days(at) AS (VALUES {values})"
        f" SELECT d.at, {level_at('d.at')} AS level, count(*) FROM days d"
        f" JOIN cases c ON c.opened <= d.at WHERE {open_at('d.at')} GROUP BY 1, 2",
        dates,
    ):
        series[day][level] = count
    return series


@sql
def deviations_by_month(store: Connection, start: str, end: str) -> list[tuple[str, str, int]]:
    """(YYYY-MM, category or "", count) of the deviations observed ``start``..``end``."""
    rows = store._conn.execute(
        "SELECT substr(observed, 1, 7), coalesce(category, ''), count(*) FROM deviations"
        " WHERE observed BETWEEN ? AND ? GROUP BY 1, 2 ORDER BY 1, 2",
        (start, end),
    )
    return [(month, category, count) for month, category, count in rows]
