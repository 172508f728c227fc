"""The register's records as rows for ``trappa export``: one query per table, one row per record,
English column names, streamed in a stable order (case, then number).

Names are resolved (a case's supplier and contract by name, an event's actor and a deviation's
reporter as the names they stand for, or empty once erased). The ``contracts`` export reads
whatever columns the table has, so contract facts added by later schema steps come along.
Amounts are in kronor, summed nowhere: a sanction's amount is as recorded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any, NamedTuple

from trappa.store.connection import Connection

TABLES = ("cases", "deviations", "events", "sanctions", "plans", "letters", "contracts")

# Columns that hold a date (YYYY-MM-DD) wherever they occur: a spreadsheet gets date cells.
DATE_COLUMNS = frozenset({
    "date", "observed", "opened", "closed_on", "resolved_on", "established", "due",
    "followed_up", "level_since", "last_date",
})

_CASE = (
    "c.id AS \"case\", s.name AS supplier, s.org_nr AS org_nr, ct.name AS contract,"
    " ct.criticality AS criticality"
)
_PARTIES = (
    "JOIN suppliers s ON s.id = c.supplier_id LEFT JOIN contracts ct ON ct.id = c.contract_id"
)

_QUERIES: dict[str, str] = {
    "cases": (
        f"SELECT {_CASE}, c.ladder AS ladder, c.reference AS reference, c.status AS status,"
        " c.level AS level, c.level_since AS level_since, c.opened AS opened,"
        " c.closed_on AS closed_on, c.last_date AS last_date,"
        " (SELECT count(*) FROM deviations d WHERE d.case_id = c.id) AS deviations,"
        " (SELECT count(*) FROM deviations d WHERE d.case_id = c.id AND d.state = 'open')"
        " AS open_deviations"
        f" FROM cases c {_PARTIES} ORDER BY c.id"
    ),
    "deviations": (
        f"SELECT {_CASE}, d.n AS n, d.kind AS kind, d.serious AS serious,"
        " d.observed AS observed, d.category AS category, d.source AS source,"
        " d.description AS description, d.reporter AS reporter,"
        " d.external_id AS external_id, c.reference AS reference, d.state AS state,"
        " d.resolved_on AS resolved_on"
        f" FROM deviations d JOIN cases c ON c.id = d.case_id {_PARTIES}"
        " ORDER BY d.case_id, d.n"
    ),
    "events": (
        "SELECT e.position AS position, e.case_id AS \"case\", e.seq AS seq, e.type AS type,"
        " e.date AS date, e.recorded_at AS recorded_at,"
        " CASE WHEN e.body IS NULL THEN e.actor ELSE p.value END AS actor,"
        " e.data AS data, e.hash AS hash"
        " FROM events e LEFT JOIN personal_data p ON p.digest = e.actor AND e.body IS NOT NULL"
        " ORDER BY e.position"
    ),
    "sanctions": (
        f"SELECT {_CASE}, x.n AS n, x.date AS date, x.kind AS kind, x.amount AS amount_sek,"
        " x.reason AS reason"
        f" FROM sanctions x JOIN cases c ON c.id = x.case_id {_PARTIES}"
        " ORDER BY x.case_id, x.n"
    ),
    "plans": (
        f"SELECT {_CASE}, p.n AS n, p.established AS established, p.due AS due,"
        " (SELECT group_concat(value, '; ') FROM json_each(p.items)) AS items,"
        " p.owner AS owner, p.outcome AS outcome, p.followed_up AS followed_up, p.note AS note"
        f" FROM plans p JOIN cases c ON c.id = p.case_id {_PARTIES}"
        " ORDER BY p.case_id, p.n"
    ),
    "letters": (
        f"SELECT {_CASE}, l.seq AS seq, l.date AS date, l.kind AS kind,"
        " json_extract(l.data, '$.recipient') AS recipient,"
        " json_extract(l.data, '$.format') AS format,"
        " json_extract(l.data, '$.sha256') AS sha256"
        f" FROM letters_sent l JOIN cases c ON c.id = l.case_id {_PARTIES}"
        " ORDER BY l.case_id, l.seq"
    ),
}

_COUNTS = {
    "cases": "cases", "deviations": "deviations", "events": "events", "sanctions": "sanctions",
    "plans": "plans", "letters": "letters_sent", "contracts": "contracts",
}


class Export(NamedTuple):
    """A table's rows: the column names, how many rows, and the rows as they stream."""

    columns: tuple[str, ...]
    total: int
    rows: Iterator[tuple[Any, ...]]


def export(store: Connection, table: str) -> Export:
    """The rows of ``table`` (one of ``TABLES``), read in one snapshot as they stream."""
    conn = store._conn
    try:
        conn.execute("BEGIN")
        (count,) = conn.execute(f"SELECT count(*) FROM {_COUNTS[table]}").fetchone()
        cursor = conn.execute(_query(conn, table))
        columns = tuple(description[0] for description in cursor.description)
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("COMMIT")
        raise store._error(exc) from exc
    return Export(columns, count, _stream(store, cursor))


# The keys, and ``last_seq`` (the number of the contract's last event, the register's own
# bookkeeping for ``verify``): no fact about the contract.
_NOT_EXPORTED = frozenset({"id", "supplier_id", "last_seq"})


def _query(conn: sqlite3.Connection, table: str) -> str:
    if table != "contracts":
        return _QUERIES[table]
    # Every column of the table, whatever its schema step added; the supplier by name beside it.
    # (Read from a query's columns, not PRAGMA table_info: the same on PostgreSQL.)
    names = [column[0] for column in conn.execute("SELECT * FROM contracts LIMIT 0").description]
    own = ", ".join(
        f'ct."{name}" AS "contract"' if name == "name" else f'ct."{name}" AS "{name}"'
        for name in names if name not in _NOT_EXPORTED
    )
    return (
        f"SELECT ct.id AS id, s.name AS supplier, s.org_nr AS org_nr, {own},"
        " (SELECT count(*) FROM cases c WHERE c.contract_id = ct.id) AS cases"
        " FROM contracts ct JOIN suppliers s ON s.id = ct.supplier_id ORDER BY s.name, ct.id"
    )


def _stream(store: Connection, cursor: sqlite3.Cursor) -> Iterator[tuple[Any, ...]]:
    conn = store._conn
    try:
        while batch := cursor.fetchmany(1000):
            yield from batch
    except sqlite3.Error as exc:
        raise store._error(exc) from exc
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")
