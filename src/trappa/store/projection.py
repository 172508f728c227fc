"""The cases' current state: a projection of the events (``trappa.history.projection.fold``)
written in the same transaction as them, read back as ``CaseState``s, and rebuildable from the
events. ``trappa.store.rows`` names the columns; this module runs the queries."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Generator, Iterator
from contextlib import closing
from typing import Any

from trappa.errors import StoreError
from trappa.history.contracts import contract_id_of, fold_contract
from trappa.history.projection import CaseState, FoldError, fold
from trappa.messages import say
from trappa.store.connection import sql
from trappa.store.events import Events, events_of
from trappa.store.migrations import KEYS_EVENTS, REBUILDS_PROJECTION
from trappa.store.records import write_contract_facts
from trappa.store.rows import CASE_COLUMNS, CHILDREN, FACTS_COLUMNS, ChildRows, case_row

# Insert or update a case's row in place (REPLACE would delete it first, which the child
# rows' foreign keys forbid), its kept facts with it.
_CASE_FIELDS = f"{CASE_COLUMNS}, {FACTS_COLUMNS}".replace(" ", "").split(",")
_UPSERT_CASE = (
    f"INSERT INTO cases ({', '.join(_CASE_FIELDS)}) VALUES ({', '.join('?' * len(_CASE_FIELDS))})"
    " ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{field} = excluded.{field}" for field in _CASE_FIELDS[1:])
)
_DELETE_CHILDREN = {table: f"DELETE FROM {table} WHERE case_id = ?" for table in CHILDREN}
_INSERT_CHILDREN = {
    table: f"INSERT INTO {table} (case_id, {child.columns})"
    f" VALUES ({', '.join('?' * (child.width + 1))})"
    for table, child in CHILDREN.items()
}

Where = tuple[str, tuple[Any, ...]]  # an SQL ``WHERE`` clause (or nothing) and its parameters


def selection(
    status: str | None, supplier_ids: list[int] | None, owner: str | None = None
) -> Where:
    """The cases (``c``) of ``status`` (any: ``None``), of ``supplier_ids`` (any: ``None``) and
    of ``owner`` (anyone's: ``None``)."""
    clauses: list[str] = []
    params: list[Any] = []
    if owner is not None:
        clauses.append("c.owner = ?")
        params.append(owner)
    if status is not None:
        clauses.append("c.status = ?")
        params.append(status)
    if supplier_ids is not None:
        ids = [int(i) for i in supplier_ids]
        clauses.append(f"c.supplier_id IN ({', '.join('?' * len(ids)) or 'NULL'})")
        params.extend(ids)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


class Projection(Events):
    """Saving, finding and reading cases' states, and rebuilding them from the events."""

    # --- finding cases ---------------------------------------------------------------------

    @sql
    def next_case_id(self, year: int) -> str:
        """The next free id of ``year`` ("2026-0007"). Call it inside the transaction that saves
        the case, and save the case before asking for another."""
        row = self._conn.execute(
            "SELECT max(CAST(substr(id, 6) AS INTEGER)) FROM cases WHERE substr(id, 1, 4) = ?",
            (f"{year:04d}",),
        ).fetchone()
        return f"{year:04d}-{(row[0] or 0) + 1:04d}"

    @sql
    def open_case_for(self, supplier_id: int, contract_id: int | None) -> str | None:
        """The open case of this supplier and contract (``None``: the case without a contract);
        the newest when, after a reopen, there are several."""
        row = self._conn.execute(
            "SELECT id FROM cases WHERE supplier_id = ? AND contract_id IS ? AND status = 'open'"
            " ORDER BY opened DESC, id DESC LIMIT 1",
            (supplier_id, contract_id),
        ).fetchone()
        case_id: str | None = row[0] if row else None
        return case_id

    @sql
    def case_ids_from(self, prefix: str, limit: int) -> list[tuple[str, str, str]]:
        """Up to ``limit`` cases whose id begins with ``prefix``, in id order, each as (id,
        supplier's name, status): what a shell offers to complete a case id. A range of the
        primary key, so a register of 100k cases answers at once."""
        rows = self._conn.execute(
            "SELECT c.id, s.name, c.status FROM cases c JOIN suppliers s ON s.id = c.supplier_id"
            " WHERE c.id >= ? AND c.id < ? ORDER BY c.id LIMIT ?",
            (prefix, prefix + "\U0010ffff", limit),
        ).fetchall()
        return [(row[0], row[1], row[2]) for row in rows]

    @sql
    def known_external_ids(self, external_ids: list[str]) -> set[str]:
        """Those of ``external_ids`` already recorded on a deviation (an import's re-run)."""
        found: set[str] = set()
        for start in range(0, len(external_ids), 500):  # well under SQLite's variable limit
            chunk = external_ids[start : start + 500]
            found.update(
                row[0]
                for row in self._conn.execute(
                    "SELECT external_id FROM deviations WHERE external_id IN"
                    f" ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )
        return found

    # --- reading states --------------------------------------------------------------------

    @sql
    def case_state(self, case_id: str) -> CaseState | None:
        """The case as its projection tables hold it."""
        with closing(self._states("WHERE c.id = ?", (case_id,))) as states:
            return next(states, None)

    def iter_states(
        self, *, status: str | None = "open", supplier_ids: list[int] | None = None,
        owner: str | None = None,
    ) -> Iterator[CaseState]:
        """Cases in id order (open ones by default, all with ``status=None``; of ``owner`` when
        given), streamed.

        Seven queries however many cases: one per table, each in case order, merged as they are
        read, all in one snapshot. Finish (or close) the iterator before writing: the snapshot
        is a read transaction until then.
        """
        where, params = selection(status, supplier_ids, owner)
        try:
            yield from self._states(where, params)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def _states(self, where: str, params: tuple[Any, ...]) -> Generator[CaseState, None, None]:
        conn = self._conn
        # Children of the selected cases, in case order: a plain scan of each table when all
        # cases are wanted; otherwise a lookup per selected case, which SQLite makes in id order
        # from the sorted IN list, so no sort is needed.
        select = f"WHERE case_id IN (SELECT c.id FROM cases c {where})" if where else ""
        with self._snapshot():
            children = {
                table: ChildRows(
                    conn.execute(
                        f"SELECT case_id, {child.columns} FROM {table} {select}"
                        f" ORDER BY case_id, {child.key}",
                        params,
                    ),
                    child.load,
                )
                for table, child in CHILDREN.items()
            }
            cases = conn.execute(f"SELECT {CASE_COLUMNS} FROM cases c {where} ORDER BY c.id",
                                 params)
            for (case_id, supplier_id, contract_id, ladder_sha256, ladder, reference, status,
                 level, level_since, arrived_seq, opened, closed_on, last_seq, last_date,
                 owner) in cases:
                yield CaseState(
                    id=case_id,
                    supplier_id=supplier_id,
                    contract_id=contract_id,
                    ladder=ladder,
                    ladder_sha256=ladder_sha256,
                    opened=opened,
                    reference=reference,
                    status=status,
                    level=level,
                    level_since=level_since,
                    arrived_seq=arrived_seq,
                    closed_on=closed_on,
                    last_seq=last_seq,
                    last_date=last_date,
                    owner=owner,
                    **{name: rows.take(case_id) for name, rows in children.items()},
                )

    # --- writing states --------------------------------------------------------------------

    @sql
    def save_case_row(self, state: CaseState) -> None:
        """The case's row alone, ahead of its events and child rows: a bulk import opens
        thousands of cases and saves their projections together (``save_states``), while
        ``next_case_id`` and ``open_case_for`` must see each case as soon as it opens. Inside
        the caller's transaction (one statement: no savepoint of its own)."""
        if not self._conn.in_transaction:
            raise StoreError(say("store.failed", path=self.path, detail="no transaction"))
        self._conn.execute(_UPSERT_CASE, case_row(state))

    @sql
    def save_state(self, state: CaseState) -> None:
        """Write the case's projection: its row inserted or updated, its child rows rewritten."""
        with self.transaction():
            self._write_states([state], replace=True)

    @sql
    def save_states(self, states: list[CaseState]) -> None:
        """``save_state`` for many cases at once (bulk import)."""
        if states:
            with self.transaction():
                self._write_states(states, replace=True)

    @sql
    def rebuild_projection(self) -> int:
        """Rewrite every case's projection from its events (recovery); return the cases."""
        with self.transaction():
            return self._rebuild_projection()

    def _after_migration(self, applied: list[str]) -> None:
        if REBUILDS_PROJECTION.intersection(applied) and self._has_events():
            self._rebuild_projection()
        elif KEYS_EVENTS in applied and self._conn.execute(
            "SELECT 1 FROM events e WHERE e.case_ref IS NOT NULL AND NOT EXISTS"
            " (SELECT 1 FROM cases c WHERE c.id = e.case_ref) LIMIT 1"
        ).fetchone():
            # Events whose case has no projection row: the key to their case would fail at
            # commit, so the projection is made whole from the events first.
            self._rebuild_projection()

    def _rebuild_projection(self) -> int:
        conn = self._conn
        for table in (*CHILDREN, "cases"):
            conn.execute(f"DELETE FROM {table}")
        count = 0
        names = self._names()
        for case_id, rows in self._event_rows_by_case():
            contract_id = contract_id_of(case_id)
            if contract_id is not None:  # a contract's own events: its facts, not a case
                facts = fold_contract(None, (json.loads(row[6]) for row in rows))
                write_contract_facts(conn, contract_id, facts, rows[-1][1])
                continue
            try:
                state = fold(events_of(rows, names))
            except (FoldError, KeyError, TypeError, ValueError) as exc:
                raise StoreError(
                    say("store.rebuild_failed", path=self.path, case=case_id, detail=exc)
                ) from exc
            self._write_states([state], replace=False)
            count += 1
        return count

    def _write_states(self, states: list[CaseState], *, replace: bool) -> None:
        """The one path that writes projections: one ``executemany`` per table however many
        cases (a bulk import saves thousands at once), their child rows first deleted when
        ``replace``."""
        conn = self._conn
        conn.executemany(_UPSERT_CASE, [case_row(state) for state in states])
        ids = [(state.id,) for state in states]
        for table, child in CHILDREN.items():
            if replace:
                conn.executemany(_DELETE_CHILDREN[table], ids)
            conn.executemany(  # rows made as they are inserted: 100k never held at once
                _INSERT_CHILDREN[table],
                (
                    (state.id, *child.dump(item))
                    for state in states
                    for item in getattr(state, table)
                ),
            )
