"""The key figures of a period (``trappa figures``, ``trappa monthly``) as SQL aggregates over the
projection tables: a handful of grouped queries however large the register, in one snapshot.

Two kinds of figure: stocks, counted as of a date (the open cases by step and by contract
criticality, the overdue action plans), and flows, counted over a period (deviations observed,
moves, plans, sanctions, letters, resolutions). Each flow query reads the current and the previous
period in one pass (``date BETWEEN previous start AND end``, split by ``date >= start``).

A case's state as of a date comes from its row when nothing happened to it after that date
(``last_date``); otherwise its level is the last move on or before the date (``level_changes``)
and whether it was open the last ``closed``/``reopened`` event on or before it, read through the
events' ``(case_id, seq)`` index for those cases alone.

Money: the projection keeps a sanction's amount in kronor as the events give it back (the events
hold whole öre, ``trappa.history.chain``); sums are taken in whole öre and returned in kronor, so
no float error adds up over many sanctions.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from trappa.store.connection import Connection, sql

PENALTY_KIND = "vite"  # the sanction kind whose amounts are summed as penalties (vite)

_LEVEL_AT = (
    "coalesce((SELECT l.to_level FROM level_changes l WHERE l.case_id = c.id AND l.date <= {at}"
    " ORDER BY l.seq DESC LIMIT 1), 0)"
)
_OPEN_AT = (
    "coalesce((SELECT e.type FROM events e WHERE e.case_id = c.id AND e.date <= {at}"
    " AND e.type IN ('closed', 'reopened') ORDER BY e.seq DESC LIMIT 1), 'reopened') = 'reopened'"
)


def level_at(at: str) -> str:
    """SQL: the level of case ``c`` as of the date ``at`` (an SQL expression)."""
    return f"CASE WHEN c.last_date <= {at} THEN c.level ELSE {_LEVEL_AT.format(at=at)} END"


def open_at(at: str) -> str:
    """SQL: whether case ``c`` was open as of the date ``at`` (an SQL expression)."""
    return f"CASE WHEN c.last_date <= {at} THEN c.status = 'open' ELSE {_OPEN_AT.format(at=at)} END"

# Every case opened on or before :at with its contract's criticality, its level then and
# whether it was open then.
STATE_AT = f"""
    SELECT c.id AS id, c.supplier_id AS supplier_id, c.contract_id AS contract_id,
        ct.criticality AS criticality, {level_at(":at")} AS level, {open_at(":at")} AS is_open
    FROM cases c LEFT JOIN contracts ct ON ct.id = c.contract_id
    WHERE c.opened <= :at {{suppliers}}"""


def suppliers_only(supplier_ids: list[int] | None, column: str) -> str:
    """The SQL that keeps the rows of the given suppliers' cases (ids are integers)."""
    if supplier_ids is None:
        return ""
    ids = ", ".join(str(int(i)) for i in supplier_ids) or "NULL"
    if column == "c.supplier_id":
        return f" AND c.supplier_id IN ({ids})"
    return f" AND {column} IN (SELECT id FROM cases WHERE supplier_id IN ({ids}))"


def _empty_period() -> dict[str, Any]:
    return {
        "open_cases": 0,
        "open_cases_by_level": {},
        "open_cases_by_criticality": {},
        "plans_overdue": 0,
        "cases_opened": 0,
        "deviations": 0,
        "serious_deviations": 0,
        "deviations_by_kind": Counter(),
        "deviations_by_category": Counter(),
        "deviations_by_source": Counter(),
        "escalations": 0,
        "deescalations": 0,
        "escalations_by_level": Counter(),
        "plans_established": 0,
        "plans_followed_up": 0,
        "plans_by_outcome": Counter(),
        "sanctions": 0,
        "sanctions_by_kind": Counter(),
        "penalties_sek": 0.0,
        "sanctions_amount_sek": 0.0,
        "letters_sent": 0,
        "letters_by_kind": Counter(),
        "deviations_resolved": 0,
        "median_days_to_resolution": None,
        "median_days_to_level": {},
    }


@sql
def period_figures(
    store: Connection,
    start: str,
    end: str,
    previous_start: str,
    previous_end: str,
    supplier_ids: list[int] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The figures of ``start``..``end`` and of ``previous_start``..``previous_end`` (ISO dates,
    inclusive; the previous period ends the day before ``start``), for all cases or those of
    ``supplier_ids``. Breakdowns are ``Counter``s keyed by the value ("" for none)."""
    current, previous = _empty_period(), _empty_period()
    periods = (previous, current)  # indexed by "is in the current period"
    with store._snapshot():
        _stock(store, current, end, supplier_ids)
        _stock(store, previous, previous_end, supplier_ids)
        span = {"a": start, "p": previous_start, "b": end}
        _flows(store, periods, span, supplier_ids)
        _medians(store, periods, span, supplier_ids)
    return current, previous


def _stock(
    store: Connection, into: dict[str, Any], at: str, supplier_ids: list[int] | None
) -> None:
    """The open cases as of ``at`` by criticality and step, and the overdue action plans."""
    conn = store._conn
    state_at = STATE_AT.format(suppliers=suppliers_only(supplier_ids, "c.supplier_id"))
    matrix: dict[str, Counter[str]] = {}
    by_level: Counter[str] = Counter()
    total = 0
    for criticality, level, count in conn.execute(
        f"SELECT criticality, level, count(*) FROM ({state_at}) AS state_at WHERE is_open"
        " GROUP BY 1, 2",
        {"at": at},
    ):
        key = "" if criticality is None else str(criticality)
        matrix.setdefault(key, Counter())[str(level)] += count
        by_level[str(level)] += count
        total += count
    into["open_cases"] = total
    into["open_cases_by_level"] = by_level
    into["open_cases_by_criticality"] = matrix
    # review's "plan overdue": the latest plan of an open case, past its due date, not followed
    # up by then.
    (overdue,) = conn.execute(
        f"""WITH open_at AS (SELECT id FROM ({state_at}) AS state_at WHERE is_open),
            latest AS (SELECT case_id, max(n) AS n FROM plans WHERE established <= :at
                       AND case_id IN (SELECT id FROM open_at) GROUP BY case_id)
        SELECT count(*) FROM plans p JOIN latest USING (case_id, n)
        WHERE p.due < :at AND (p.outcome IS NULL OR p.followed_up > :at)""",
        {"at": at},
    ).fetchone()
    into["plans_overdue"] = overdue


def _flows(
    store: Connection,
    periods: tuple[dict[str, Any], dict[str, Any]],
    span: dict[str, str],
    supplier_ids: list[int] | None,
) -> None:
    """What happened in each period: one grouped query per table."""
    conn = store._conn
    within = "BETWEEN :p AND :b"
    only = suppliers_only(supplier_ids, "case_id")
    for current, count in conn.execute(
        f"SELECT opened >= :a, count(*) FROM cases c WHERE opened {within}"
        f" {suppliers_only(supplier_ids, 'c.supplier_id')} GROUP BY 1",
        span,
    ):
        periods[current]["cases_opened"] = count
    for current, kind, category, source, serious, count in conn.execute(
        f"SELECT observed >= :a, kind, category, source, serious, count(*) FROM deviations"
        f" WHERE observed {within} {only} GROUP BY 1, 2, 3, 4, 5",
        span,
    ):
        into = periods[current]
        into["deviations"] += count
        into["serious_deviations"] += count if serious else 0
        into["deviations_by_kind"][kind] += count
        into["deviations_by_category"][category or ""] += count
        into["deviations_by_source"][source or ""] += count
    for current, up, to_level, count in conn.execute(
        f"SELECT date >= :a, to_level > from_level, to_level, count(*) FROM level_changes"
        f" WHERE date {within} {only} GROUP BY 1, 2, 3",
        span,
    ):
        into = periods[current]
        if up:
            into["escalations"] += count
            into["escalations_by_level"][str(to_level)] += count
        else:
            into["deescalations"] += count
    for current, count in conn.execute(
        f"SELECT established >= :a, count(*) FROM plans WHERE established {within} {only}"
        " GROUP BY 1",
        span,
    ):
        periods[current]["plans_established"] = count
    for current, outcome, count in conn.execute(
        f"SELECT followed_up >= :a, outcome, count(*) FROM plans WHERE followed_up {within}"
        f" {only} GROUP BY 1, 2",
        span,
    ):
        periods[current]["plans_followed_up"] += count
        periods[current]["plans_by_outcome"][outcome] += count
    for current, kind, count, ore in conn.execute(
        f"SELECT date >= :a, kind, count(*), sum(CAST(round(amount * 100) AS INTEGER))"
        f" FROM sanctions WHERE date {within} {only} GROUP BY 1, 2",
        span,
    ):
        into = periods[current]
        into["sanctions"] += count
        into["sanctions_by_kind"][kind] += count
        kronor = (ore or 0) / 100
        into["sanctions_amount_sek"] += kronor
        if kind.casefold() == PENALTY_KIND:
            into["penalties_sek"] += kronor
    for current, kind, count in conn.execute(
        f"SELECT date >= :a, kind, count(*) FROM letters_sent WHERE date {within} {only}"
        " GROUP BY 1, 2",
        span,
    ):
        periods[current]["letters_sent"] += count
        periods[current]["letters_by_kind"][kind or ""] += count


def _medians(
    store: Connection,
    periods: tuple[dict[str, Any], dict[str, Any]],
    span: dict[str, str],
    supplier_ids: list[int] | None,
) -> None:
    """Median days from a case's first deviation to each step it was escalated to in the
    period, and from a deviation to its resolution for those resolved in the period."""
    conn = store._conn
    only = suppliers_only(supplier_ids, "case_id")
    days: tuple[dict[str, list[float]], dict[str, list[float]]] = ({}, {})
    for current, to_level, elapsed in conn.execute(
        "SELECT date >= :a, to_level, julianday(date) - julianday("
        "(SELECT min(d.observed) FROM deviations d WHERE d.case_id = l.case_id))"
        f" FROM level_changes l WHERE to_level > from_level AND date BETWEEN :p AND :b {only}",
        span,
    ):
        if elapsed is not None:
            days[current].setdefault(str(to_level), []).append(elapsed)
    for current, per_level in enumerate(days):
        periods[current]["median_days_to_level"] = {
            level: statistics.median(values) for level, values in sorted(per_level.items())
        }
    resolved: tuple[list[float], list[float]] = ([], [])
    for current, elapsed in conn.execute(
        "SELECT resolved_on >= :a, julianday(resolved_on) - julianday(observed) FROM deviations"
        f" WHERE resolved_on BETWEEN :p AND :b {only}",
        span,
    ):
        resolved[current].append(elapsed)
    for current, values in enumerate(resolved):
        periods[current]["deviations_resolved"] = len(values)
        periods[current]["median_days_to_resolution"] = (
            statistics.median(values) if values else None
        )
