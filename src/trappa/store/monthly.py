"""What the monthly report lists beside the key figures (``trappa.store.figures``): the moves and
sanctions of a month, the cases at a high step at its end, and the series its charts draw (open
cases per step at each month's end, deviations per month by category), each one SQL query.
"""

from __future__ import annotations

from typing import Any

from trappa.store.connection import Connection, sql
from trappa.store.figures import STATE_AT

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
        " WHERE a.is_open AND a.level >= :level"
        " ORDER BY a.level DESC, coalesce(a.criticality, 0) DESC, s.name, a.id",
        {"at": at, "level": level},
    ))


@sql
def open_by_level_at(store: Connection, dates: list[str]) -> dict[str, dict[int, int]]:
    """The open cases per level as of each of ``dates`` (ascending): date -> level -> count.

    The state as of the last date is counted as ``figures`` counts it; the earlier dates are
    reached by walking back through what happened since, undoing it: each move, closure,
    reopening and opening after the first date, newest first. So the work is the register's
    recent history, not the number of cases times the number of dates.
    """
    conn = store._conn
    last, first = dates[-1], dates[0]
    with store._snapshot():
        level: dict[str, int] = {}
        is_open: dict[str, bool] = {}
        for case_id, at_level, open_then in conn.execute(
            f"SELECT id, level, is_open FROM ({STATE_AT.format(suppliers='')}) AS state_at",
            {"at": last},
        ):
            level[case_id], is_open[case_id] = at_level, bool(open_then)
        undo: list[tuple[str, str, int, str, int]] = [
            (date, case_id, seq, "move", from_level)
            for case_id, seq, date, from_level in conn.execute(
                "SELECT case_id, seq, date, from_level FROM level_changes"
                " WHERE date > ? AND date <= ?", (first, last))
        ]
        undo += [
            (date, case_id, seq, kind, 0) for case_id, seq, date, kind in conn.execute(
                "SELECT case_id, seq, date, type FROM events WHERE type IN ('closed', 'reopened')"
                " AND date > ? AND date <= ?", (first, last))
        ]
        undo += [
            (opened, case_id, 0, "opened", 0) for case_id, opened in conn.execute(
                "SELECT id, opened FROM cases WHERE opened > ? AND opened <= ?", (first, last))
        ]
    counts: dict[int, int] = {}
    for case_id, open_then in is_open.items():
        if open_then:
            counts[level[case_id]] = counts.get(level[case_id], 0) + 1
    series = {last: dict(counts)}
    undo.sort(reverse=True)
    i = 0
    for day in reversed(dates[:-1]):
        while i < len(undo) and undo[i][0] > day:
            _undo(undo[i], level, is_open, counts)
            i += 1
        series[day] = {lv: n for lv, n in counts.items() if n}
    return {day: series[day] for day in dates}


def _undo(item: tuple[str, str, int, str, int], level: dict[str, int],
          is_open: dict[str, bool], counts: dict[int, int]) -> None:
    """Take one event back: the state just before it happened."""
    _, case_id, _, kind, before = item
    here = level.get(case_id, 0)
    if kind == "move":
        if is_open.get(case_id):
            counts[here] -= 1
            counts[before] = counts.get(before, 0) + 1
        level[case_id] = before
    elif kind == "closed":  # open before it
        is_open[case_id] = True
        counts[here] = counts.get(here, 0) + 1
    elif kind == "reopened":  # closed before it
        if is_open.get(case_id):
            counts[here] -= 1
        is_open[case_id] = False
    elif is_open.pop(case_id, False):  # opened: it did not exist before
        counts[here] -= 1


@sql
def deviations_by_month(store: Connection, start: str, end: str) -> list[tuple[str, str, int]]:
    """(YYYY-MM, category or "", count) of the deviations observed ``start``..``end``."""
    rows = store._conn.execute(
        "SELECT substr(observed, 1, 7), coalesce(category, ''), count(*) FROM deviations"
        " WHERE observed BETWEEN ? AND ? GROUP BY 1, 2 ORDER BY 1, 2",
        (start, end),
    )
    return [(month, category, count) for month, category, count in rows]
