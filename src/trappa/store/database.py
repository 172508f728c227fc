"""The database: the only module that speaks SQL.

Every command talks to SQLite through the stdlib ``sqlite3`` module: opening costs a connection,
three pragmas and a read of ``PRAGMA user_version``. Only a database whose schema is behind this
trappa imports sqlite-utils, to apply the pending steps of ``trappa.store.migrations``.

What is stored: suppliers and contracts; the resolved ladders cases run under (canonical JSON
beside its sha256, so running a case needs neither YAML nor pydantic); the append-only,
hash-chained events (``trappa.history.chain``); and the cases' current state, a projection of the
events
(``trappa.history.projection.fold``) written in the same transaction as them and rebuildable from
them.

Transactions: ``with store.transaction():`` is ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on
any exception, so a command is one transaction and a failure leaves nothing behind. The write
lock is taken at the start, so concurrent commands queue (up to the busy timeout) rather than
fail halfway. Reads outside a transaction are fine; reads made of several queries run in one
snapshot so they never mix two versions of the database.

Every ``sqlite3`` failure becomes a one-line ``StoreError`` naming the file (exit 3).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from trappa.dates import now_utc
from trappa.errors import StoreError
from trappa.history.chain import GENESIS, link_hash, stored_body_json
from trappa.history.projection import CaseState, Event, FoldError, fold
from trappa.ladder.view import canonical_json
from trappa.messages import say
from trappa.store.migrations import SCHEMA_VERSION, user_version
from trappa.store.rows import (
    CASE_COLUMNS,
    CHILDREN,
    SUMMARY_COLUMNS,
    CaseSummary,
    ChangeRow,
    ChildRows,
    Dealer,
    PlanRow,
    case_values,
)

if TYPE_CHECKING:
    from trappa.store.verification import ChainResult, VerifyReport

# Insert or update a case's row in place (REPLACE would delete it first, which the child
# rows' foreign keys forbid).
_CASE_FIELDS = CASE_COLUMNS.replace(" ", "").split(",")
_UPSERT_CASE = (
    f"INSERT INTO cases ({CASE_COLUMNS}) VALUES ({', '.join('?' * len(_CASE_FIELDS))})"
    " ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{field} = excluded.{field}" for field in _CASE_FIELDS[1:])
)
_INSERT_EVENT = (
    "INSERT INTO events (case_id, seq, type, date, recorded_at, actor, data, prev_hash, hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_CHUNK = 2000  # events hashed, then inserted with one executemany
BUSY_TIMEOUT = 10.0  # seconds a command waits for another one's write lock
DB_FILENAME = "trappa.db"

F = TypeVar("F", bound=Callable[..., Any])


# --- where the database is -------------------------------------------------------------------


def default_db_path() -> Path:
    """``trappa.db`` in the user's data directory (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("trappa", appauthor=False)) / DB_FILENAME


def resolve_db_path(option: Path | None) -> Path:
    """``--db``, else ``TRAPPA_DB``, else the default location (whose folder is created here).

    An explicit path gets no folders created: a mistyped folder is an error, not a new place.
    """
    if option is not None:
        return Path(option).expanduser()
    env = os.environ.get("TRAPPA_DB")
    if env:
        return Path(env).expanduser()
    path = default_db_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            say("store.create_folder", folder=path.parent, detail=exc.strerror or exc)
        ) from exc
    return path


# --- errors ----------------------------------------------------------------------------------


# Failures of reaching the file, as opposed to failures of what was asked of it.
_ACCESS_PROBLEMS = (
    "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_READONLY", "SQLITE_NOTADB", "SQLITE_CANTOPEN",
    "SQLITE_FULL", "SQLITE_CORRUPT", "SQLITE_IOERR",
)


def _sqlite_code(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", None) or ""


def _store_error(path: Path, exc: sqlite3.Error, busy_timeout: float) -> StoreError:
    """One line naming the file, chosen by SQLite's error code rather than its message text."""
    name = _sqlite_code(exc)
    if name.startswith("SQLITE_NOTADB"):
        return StoreError(say("store.not_database", path=path))
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreError(
            say("store.locked", path=path, seconds=busy_timeout), hint=say("store.locked.hint")
        )
    if name.startswith("SQLITE_READONLY"):
        return StoreError(say("store.read_only", path=path))
    if name.startswith("SQLITE_CANTOPEN"):
        if not path.parent.is_dir():
            return StoreError(say("store.no_folder", path=path, folder=path.parent))
        return StoreError(say("store.cannot_open", path=path))
    if name.startswith("SQLITE_CORRUPT"):
        return StoreError(say("store.corrupt", path=path, detail=exc))
    if name.startswith("SQLITE_FULL"):
        return StoreError(say("store.full", path=path))
    return StoreError(say("store.failed", path=path, detail=exc))


def _sql(method: F) -> F:
    """Turn the ``sqlite3`` errors of a method into ``StoreError``."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    return wrapper  # type: ignore[return-value]


# --- the store -------------------------------------------------------------------------------


class Store:
    """One open trappa database. Open with ``Store.open``; close with ``close`` (or ``with``)."""

    path: Path

    def __init__(self, path: Path, conn: sqlite3.Connection, busy_timeout: float) -> None:
        self.path = path
        self._conn = conn
        self._busy_timeout = busy_timeout
        self._savepoints = 0
        # Writes a command defers to its own transaction (see ``before_commit``).
        self._before_commit: list[Callable[[], None]] = []

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path, *, create: bool = True, busy_timeout: float = BUSY_TIMEOUT
    ) -> Store:
        """Open the database at ``path``, creating and migrating it as needed.

        ``create=False`` (read-only commands) refuses a missing file instead of creating one.
        The file's folder is never created here (see ``resolve_db_path``).
        """
        path = Path(path)
        if path.is_dir():
            raise StoreError(say("store.is_folder", path=path))
        if not path.exists():
            if not create:
                raise StoreError(say("store.missing", path=path), hint=say("store.missing.hint"))
            if not path.parent.is_dir():
                raise StoreError(say("store.no_folder", path=path, folder=path.parent))
        try:
            conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise _store_error(path, exc, busy_timeout) from exc
        store = cls(path, conn, busy_timeout)
        try:
            store._prepare()
        except BaseException:
            conn.close()
            raise
        return store

    @_sql
    def _prepare(self) -> None:
        conn = self._conn
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        found = user_version(conn)
        if found > SCHEMA_VERSION:
            raise self._newer(found)
        if found < SCHEMA_VERSION:
            self._migrate()

    def _newer(self, found: int) -> StoreError:
        return StoreError(say("store.newer", path=self.path, found=found, known=SCHEMA_VERSION))

    def _migrate(self) -> list[str]:
        from trappa.store.migrations import (
            REBUILDS_PROJECTION,
            ForeignDatabase,
            NewerSchema,
            migrate,
        )

        def after(applied: list[str]) -> None:
            if REBUILDS_PROJECTION.intersection(applied) and self._has_events():
                self._rebuild_projection()

        try:
            return migrate(self._conn, after=after)
        except NewerSchema as exc:
            raise self._newer(exc.found) from None
        except ForeignDatabase:
            raise StoreError(say("store.foreign", path=self.path)) from None
        except sqlite3.Error as exc:
            if _sqlite_code(exc).startswith(_ACCESS_PROBLEMS):
                raise  # not the upgrade's fault: reported as what it is (locked, read-only, …)
            raise StoreError(say("store.migration_failed", path=self.path, detail=exc)) from exc
        except Exception as exc:  # a step or the replay failed; the transaction is undone
            raise StoreError(say("store.migration_failed", path=self.path, detail=exc)) from exc

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _error(self, exc: sqlite3.Error) -> StoreError:
        return _store_error(self.path, exc, self._busy_timeout)

    # --- transactions ----------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; a nested block is a savepoint inside the enclosing one.

        Any exception rolls back everything the block wrote, then propagates.
        """
        conn = self._conn
        if conn.in_transaction:
            yield from self._savepoint()
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        try:
            yield
            while self._before_commit:
                self._before_commit.pop(0)()
        except BaseException:
            self._before_commit.clear()
            self._rollback()
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise self._error(exc) from exc

    def before_commit(self, write: Callable[[], None]) -> None:
        """Run ``write`` inside the next transaction, just before it commits (at once when
        one is open): a write that belongs to the command's transaction, made by code that runs
        before the transaction begins (the ladder cache). A rolled back transaction drops it."""
        self._before_commit.append(write)

    def _savepoint(self) -> Iterator[None]:
        conn = self._conn
        # Named by depth, not by a running count: the same few statements each time, so that
        # sqlite3's statement cache keeps them (a bulk import makes thousands of savepoints).
        self._savepoints += 1
        name = f"trappa_{self._savepoints}"
        try:
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
                raise
            conn.execute(f"RELEASE {name}")
        finally:
            self._savepoints -= 1

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:  # the original failure is the one to report
                pass

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Several reads that must see one version of the database (WAL gives each statement
        outside a transaction its own)."""
        conn = self._conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    # --- settings --------------------------------------------------------------------------

    @_sql
    def get_setting(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @_sql
    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @_sql
    def settings(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT key, value FROM settings ORDER BY key"))

    # --- suppliers and contracts -----------------------------------------------------------

    _SUPPLIER = "SELECT id, name, org_nr FROM suppliers"
    _CONTRACT = "SELECT id, supplier_id, name, criticality FROM contracts"

    @staticmethod
    def _supplier_dict(row: tuple | None) -> dict[str, Any] | None:
        return None if row is None else {"id": row[0], "name": row[1], "org_nr": row[2]}

    @staticmethod
    def _contract_dict(row: tuple | None) -> dict[str, Any] | None:
        if row is None:
            return None
        return {"id": row[0], "supplier_id": row[1], "name": row[2], "criticality": row[3]}

    @_sql
    def find_supplier(self, *, org_nr: str | None, name: str) -> dict[str, Any] | None:
        """By organisation number when one is given, else by name regardless of case ("ACME AB"
        and "Acme AB" are one supplier, not two parallel cases): the exact spelling first, then
        the oldest."""
        if org_nr:
            row = self._conn.execute(self._SUPPLIER + " WHERE org_nr = ?", (org_nr,)).fetchone()
        else:
            row = self._conn.execute(
                self._SUPPLIER + " WHERE name_key = ? ORDER BY name = ? DESC, id LIMIT 1",
                (name.casefold(), name),
            ).fetchone()
        return self._supplier_dict(row)

    @_sql
    def add_supplier(self, name: str, org_nr: str | None) -> int:
        with self.transaction():
            cursor = self._conn.execute(
                "INSERT INTO suppliers (name, name_key, org_nr) VALUES (?, ?, ?)",
                (name, name.casefold(), org_nr or None),
            )
        return cursor.lastrowid

    @_sql
    def supplier(self, supplier_id: int) -> dict[str, Any]:
        row = self._conn.execute(self._SUPPLIER + " WHERE id = ?", (supplier_id,)).fetchone()
        if row is None:
            raise StoreError(say("store.unknown_supplier", path=self.path, id=supplier_id))
        return self._supplier_dict(row)

    @_sql
    def suppliers_named(self, text: str) -> list[dict[str, Any]]:
        """Suppliers whose organisation number is ``text`` (with or without its hyphen) or
        whose name equals it regardless of case (also å, ä, ö), by name."""
        text = text.strip()
        org_nr = f"{text[:6]}-{text[6:]}" if len(text) == 10 and text.isdigit() else text
        rows = self._conn.execute(
            self._SUPPLIER + " WHERE org_nr = ? OR name_key = ? ORDER BY name, id",
            (org_nr, text.casefold()),
        )
        return [self._supplier_dict(row) for row in rows]

    @_sql
    def find_contract(self, supplier_id: int, name: str) -> dict[str, Any] | None:
        row = self._conn.execute(
            self._CONTRACT + " WHERE supplier_id = ? AND name = ?", (supplier_id, name)
        ).fetchone()
        return self._contract_dict(row)

    @_sql
    def add_contract(self, supplier_id: int, name: str, criticality: int | None) -> int:
        with self.transaction():
            cursor = self._conn.execute(
                "INSERT INTO contracts (supplier_id, name, criticality) VALUES (?, ?, ?)",
                (supplier_id, name, criticality),
            )
        return cursor.lastrowid

    @_sql
    def contract(self, contract_id: int) -> dict[str, Any]:
        row = self._conn.execute(self._CONTRACT + " WHERE id = ?", (contract_id,)).fetchone()
        if row is None:
            raise StoreError(say("store.unknown_contract", path=self.path, id=contract_id))
        return self._contract_dict(row)

    def name_maps(self) -> tuple[dict[int, str], dict[int | None, str | None]]:
        """Supplier names and contract names by id, as plain dicts: what a list of cases
        prints, without a record per contract (a large register has 100k of them). The contract
        map answers ``None`` for a case without a contract."""
        with self._snapshot():
            suppliers = dict(self._conn.execute("SELECT id, name FROM suppliers"))
            contracts: dict[int | None, str | None] = dict(
                self._conn.execute("SELECT id, name FROM contracts")
            )
        contracts[None] = None
        return suppliers, contracts

    # --- ladders ---------------------------------------------------------------------------

    @_sql
    def put_ladder(self, ref: str, sha256: str, resolved_json: str) -> None:
        """Keep the resolved ladder a case runs under; storing the same one again does nothing.

        The text must hash to ``sha256``: that is what ties a case to its rules for good.
        """
        if hashlib.sha256(resolved_json.encode()).hexdigest() != sha256:
            raise StoreError(say("store.ladder_sha256", ref=ref, sha256=sha256))
        with self.transaction():
            self._conn.execute(
                "INSERT INTO ladders (sha256, ref, resolved, stored_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (sha256) DO NOTHING",
                (sha256, ref, resolved_json, now_utc()),
            )

    @_sql
    def ladder_json(self, sha256: str) -> str:
        row = self._conn.execute(
            "SELECT resolved FROM ladders WHERE sha256 = ?", (sha256,)
        ).fetchone()
        if row is None:
            raise StoreError(say("store.unknown_ladder", path=self.path, sha256=sha256))
        return row[0]

    @_sql
    def cached_ladder(self, key: str) -> tuple[str, str, str] | None:
        """The ladder cache's entry for a reference: (signature, sha256, resolved JSON)."""
        row = self._conn.execute(
            "SELECT c.signature, c.sha256, l.resolved FROM ladder_cache c"
            " JOIN ladders l ON l.sha256 = c.sha256 WHERE c.ref = ?",
            (key,),
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    @_sql
    def cache_ladder(
        self, key: str, ref: str, sha256: str, resolved_json: str, signature: str
    ) -> None:
        """Keep the resolved ladder and remember it as what ``key`` resolves to while the
        files behind it match ``signature`` (see ``trappa.cases.ladder_cache``)."""
        with self.transaction():
            self.put_ladder(ref, sha256, resolved_json)
            self._conn.execute(
                "INSERT INTO ladder_cache (ref, sha256, signature, cached_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (ref) DO UPDATE SET sha256 = excluded.sha256,"
                " signature = excluded.signature, cached_at = excluded.cached_at",
                (key, sha256, signature, now_utc()),
            )

    # --- cases -----------------------------------------------------------------------------

    @_sql
    def next_case_id(self, year: int) -> str:
        """The next free id of ``year`` ("2026-0007"). Call it inside the transaction that saves
        the case, and save the case before asking for another."""
        row = self._conn.execute(
            "SELECT max(CAST(substr(id, 6) AS INTEGER)) FROM cases WHERE substr(id, 1, 4) = ?",
            (f"{year:04d}",),
        ).fetchone()
        return f"{year:04d}-{(row[0] or 0) + 1:04d}"

    @_sql
    def open_case_for(self, supplier_id: int, contract_id: int | None) -> str | None:
        """The open case of this supplier and contract (``None``: the case without a contract);
        the newest when, after a reopen, there are several."""
        row = self._conn.execute(
            "SELECT id FROM cases WHERE supplier_id = ? AND contract_id IS ? AND status = 'open'"
            " ORDER BY opened DESC, id DESC LIMIT 1",
            (supplier_id, contract_id),
        ).fetchone()
        return row[0] if row else None

    @_sql
    def case_state(self, case_id: str) -> CaseState | None:
        """The case as its projection tables hold it."""
        with closing(self._states("WHERE c.id = ?", (case_id,))) as states:
            return next(states, None)

    @_sql
    def events(self, case_id: str) -> list[Event]:
        rows = self._conn.execute(
            "SELECT case_id, seq, type, date, recorded_at, actor, data FROM events"
            " WHERE case_id = ? ORDER BY seq",
            (case_id,),
        )
        return _events(rows)

    @_sql
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

    def iter_states(
        self, *, status: str | None = "open", supplier_ids: list[int] | None = None
    ) -> Iterator[CaseState]:
        """Cases in id order (open ones by default, all with ``status=None``), streamed.

        Seven queries however many cases: one per table, each in case order, merged as they are
        read, all in one snapshot. Finish (or close) the iterator before writing: the snapshot
        is a read transaction until then.
        """
        where, params = self._selection(status, supplier_ids)
        try:
            yield from self._states(where, params)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def iter_summaries(
        self,
        *,
        counted_kinds: Iterable[str],
        status: str | None = "open",
        supplier_ids: list[int] | None = None,
    ) -> Iterator[CaseSummary]:
        """``iter_states`` for a list of cases: each case as a ``CaseSummary``, the little that
        ``status`` and ``review`` read, so that a register of 100k cases streams in a second.

        Five queries however many cases, each in case order, merged as they are read, in one
        snapshot. The deviations come aggregated by SQL: per case the observation dates of those
        of ``counted_kinds`` (all, and the serious ones) and the number still open.
        """
        if supplier_ids is None:
            # Most of a register is wanted (all cases, or the open ones): scanning each table
            # whole is cheaper than looking each case up, and the merge skips the rows of cases
            # not wanted. The ``+`` keeps SQLite from reaching the cases through the status
            # index, a lookup per case.
            where, params = ("WHERE +c.status = ?", (status,)) if status is not None else ("", ())
            select = ""
        else:
            where, params = self._selection(status, supplier_ids)
            select = f"WHERE case_id IN (SELECT c.id FROM cases c {where})"
        try:
            yield from self._summaries(where, params, select, tuple(counted_kinds))
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def _summaries(
        self, where: str, params: tuple, select: str, counted_kinds: tuple[str, ...]
    ) -> Iterator[CaseSummary]:
        """The cases ``where`` selects; the child tables' rows ``select`` keeps (``params``
        are for both when ``select`` is not empty)."""
        conn = self._conn
        child_params = params if select else ()
        counted = f"kind IN ({', '.join('?' * len(counted_kinds)) or 'NULL'})"
        with self._snapshot():
            deviations = conn.execute(
                # group_concat's default separator (DATE_SEPARATOR): a separator argument
                # costs a fifth of this query, the biggest part of the listing.
                f"SELECT case_id, group_concat(CASE WHEN {counted} THEN observed END),"
                f" group_concat(CASE WHEN serious AND {counted} THEN observed END),"
                f" sum(state = 'open') FROM deviations {select}"
                " GROUP BY case_id ORDER BY case_id",
                (*counted_kinds, *counted_kinds, *child_params),
            )
            changes = Dealer(
                conn.execute(
                    "SELECT case_id, date, from_level, to_level FROM level_changes"
                    f" {select} ORDER BY case_id, seq",
                    child_params,
                ),
                lambda row: ChangeRow(row[1], row[2], row[3]),
            ).take
            plans = Dealer(
                conn.execute(
                    "SELECT case_id, n, established, due, outcome, followed_up FROM plans"
                    f" {select} ORDER BY case_id, n",
                    child_params,
                ),
                lambda row: PlanRow(row[1], row[2], row[3], row[4], row[5]),
            ).take
            sanctions = Dealer(
                conn.execute(f"SELECT case_id, date FROM sanctions {select} ORDER BY case_id",
                             child_params),
                itemgetter(1),
            ).take
            cases = conn.execute(
                f"SELECT {SUMMARY_COLUMNS} FROM cases c {where} ORDER BY c.id", params
            )
            no_deviations = (None, None, 0)
            devs = next(deviations, None)
            new = tuple.__new__
            for row in cases:
                case_id = row[0]
                # Deviations: one aggregated row per case that has any.
                while devs is not None and devs[0] < case_id:
                    devs = next(deviations, None)
                if devs is not None and devs[0] == case_id:
                    aggregates = devs[1:]
                    devs = next(deviations, None)
                else:
                    aggregates = no_deviations
                yield new(
                    CaseSummary,
                    (*row, *aggregates, changes(case_id), plans(case_id), sanctions(case_id)),
                )

    @staticmethod
    def _selection(status: str | None, supplier_ids: list[int] | None) -> tuple[str, tuple]:
        clauses, params = [], []
        if status is not None:
            clauses.append("c.status = ?")
            params.append(status)
        if supplier_ids is not None:
            ids = [int(i) for i in supplier_ids]
            clauses.append(f"c.supplier_id IN ({', '.join('?' * len(ids)) or 'NULL'})")
            params.extend(ids)
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)

    def _states(self, where: str, params: tuple) -> Iterator[CaseState]:
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
                        " ORDER BY case_id",
                        params,
                    ),
                    child.load,
                )
                for table, child in CHILDREN.items()
            }
            cases = conn.execute(f"SELECT {CASE_COLUMNS} FROM cases c {where} ORDER BY c.id",
                                 params)
            for (case_id, supplier_id, contract_id, ladder_sha256, ladder, reference, status,
                 level, level_since, arrived_seq, opened, closed_on, last_seq, last_date) in cases:
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
                    **{name: rows.take(case_id) for name, rows in children.items()},
                )

    # --- writing events and state ------------------------------------------------------------

    @_sql
    def append(self, events: list[Event]) -> None:
        """Hash-chain ``events`` onto the history and insert them, in order.

        Each case's events must continue it (seq 1, 2, …): an event that is already recorded
        (another command got there first) or one that leaves a gap is refused and nothing of
        the transaction is saved.
        """
        if events:
            self.append_rows(
                (e.case_id, e.seq, e.type, e.date, e.recorded_at, e.actor, canonical_json(e.data))
                for e in events
            )

    @_sql
    def append_rows(self, rows: Iterable[tuple[str, int, str, str, str, str, str]]) -> int:
        """``append`` for events given as rows: (case_id, seq, type, date, recorded_at, actor,
        data as canonical JSON); return how many. The rows are consumed as they are inserted, a
        chunk at a time, so a bulk import neither builds nor keeps an ``Event`` per row."""
        count = 0
        with self.transaction():
            conn = self._conn
            # Read inside the write transaction: no other command can append in between.
            row = conn.execute("SELECT hash FROM events ORDER BY position DESC LIMIT 1").fetchone()
            prev = row[0] if row else GENESIS
            last_seq: dict[str, int] = {}
            rows = iter(rows)
            while chunk := list(itertools.islice(rows, _CHUNK)):
                chained = []
                for case_id, seq, type_, date, recorded_at, actor, data in chunk:
                    last = last_seq.get(case_id)
                    if last is None:
                        last = conn.execute(
                            "SELECT coalesce(max(seq), 0) FROM events WHERE case_id = ?",
                            (case_id,),
                        ).fetchone()[0]
                    if seq != last + 1:
                        key = "store.duplicate_event" if seq <= last else "store.event_gap"
                        raise StoreError(
                            say(key, path=self.path, case=case_id, seq=seq, last=last)
                        )
                    last_seq[case_id] = seq
                    body = stored_body_json(case_id, seq, type_, date, recorded_at, actor, data)
                    digest = link_hash(prev, body)
                    chained.append(
                        (case_id, seq, type_, date, recorded_at, actor, data, prev, digest)
                    )
                    prev = digest
                try:
                    conn.executemany(_INSERT_EVENT, chained)
                except sqlite3.IntegrityError as exc:  # the schema's guards, should a race slip by
                    raise StoreError(
                        say("store.duplicate_event", path=self.path, case=chunk[0][0],
                            seq=chunk[0][1])
                    ) from exc
                count += len(chained)
        return count

    @_sql
    def reserve_cache(self, mebibytes: int) -> None:
        """Let SQLite keep up to ``mebibytes`` of pages in memory (the default is 2): a bulk write
        inserts into several indexes in no useful order, and pages evicted mid-transaction are
        written and read back again."""
        self._conn.execute(f"PRAGMA cache_size = {-1024 * int(mebibytes)}")

    @_sql
    def save_case_row(self, state: CaseState) -> None:
        """The case's row alone, ahead of its events and child rows: a bulk import opens
        thousands of cases and saves their projections together (``save_states``), while
        ``next_case_id`` and ``open_case_for`` must see each case as soon as it opens. Inside
        the caller's transaction (one statement: no savepoint of its own)."""
        if not self._conn.in_transaction:
            raise StoreError(say("store.failed", path=self.path, detail="no transaction"))
        self._conn.execute(_UPSERT_CASE, case_values(state))

    @_sql
    def save_state(self, state: CaseState) -> None:
        """Write the case's projection: its row inserted or updated, its child rows rewritten."""
        with self.transaction():
            self._write_state(state, replace=True)

    @_sql
    def save_states(self, states: list[CaseState]) -> None:
        """``save_state`` for many cases at once: one ``executemany`` per table (bulk import)."""
        if not states:
            return
        with self.transaction():
            conn = self._conn
            conn.executemany(_UPSERT_CASE, [case_values(state) for state in states])
            ids = [(state.id,) for state in states]
            for table, child in CHILDREN.items():
                conn.executemany(f"DELETE FROM {table} WHERE case_id = ?", ids)
                conn.executemany(  # rows made as they are inserted: 100k never held at once
                    f"INSERT INTO {table} (case_id, {child.columns})"
                    f" VALUES ({', '.join('?' * (child.width + 1))})",
                    (
                        (state.id, *child.dump(item))
                        for state in states
                        for item in getattr(state, table)
                    ),
                )

    @_sql
    def rebuild_projection(self) -> int:
        """Rewrite every case's projection from its events (recovery); return the cases."""
        with self.transaction():
            return self._rebuild_projection()

    def _rebuild_projection(self) -> int:
        conn = self._conn
        for table in (*CHILDREN, "cases"):
            conn.execute(f"DELETE FROM {table}")
        count = 0
        for case_id, rows in self._event_rows_by_case():
            try:
                state = fold(_events(rows))
            except (FoldError, KeyError, TypeError, ValueError) as exc:
                raise StoreError(
                    say("store.rebuild_failed", path=self.path, case=case_id, detail=exc)
                ) from exc
            self._write_state(state, replace=False)
            count += 1
        return count

    def _event_rows_by_case(self) -> Iterator[tuple[str, list[tuple]]]:
        """Every case's stored events in seq order, unparsed (a tampered row may not parse)."""
        rows = self._conn.execute(
            "SELECT case_id, seq, type, date, recorded_at, actor, data FROM events"
            " ORDER BY case_id, seq"
        )
        for case_id, group in itertools.groupby(rows, key=itemgetter(0)):
            yield case_id, list(group)

    def _has_events(self) -> bool:
        return self._conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None

    def _write_state(self, state: CaseState, *, replace: bool) -> None:
        """The one path that writes a projection (``save_state`` and ``rebuild_projection``)."""
        conn = self._conn
        conn.execute(_UPSERT_CASE, case_values(state))
        for table, child in CHILDREN.items():
            if replace:
                conn.execute(f"DELETE FROM {table} WHERE case_id = ?", (state.id,))
            items = getattr(state, table)
            if items:
                conn.executemany(
                    f"INSERT INTO {table} (case_id, {child.columns})"
                    f" VALUES ({', '.join('?' * (child.width + 1))})",
                    [(state.id, *child.dump(item)) for item in items],
                )

    # --- verify ------------------------------------------------------------------------------

    @_sql
    def verify(self) -> VerifyReport:
        """SQLite's integrity check, the hash chain, and the projection against a replay.

        A large register is checked by three processes at once (the chain; each half of the
        cases) with SQLite's own checks in a thread beside them: a million events took half a
        minute in one. Each part reads one snapshot: the chain up to the last event this
        snapshot holds (events are append-only, so that is this snapshot's chain), each case's
        projection and events together.
        """
        from trappa.store.verification import VerifyReport

        report = VerifyReport()
        conn = self._conn
        with self._snapshot():
            last_position, cases = conn.execute(
                "SELECT (SELECT coalesce(max(position), 0) FROM events),"
                " (SELECT count(*) FROM cases)"
            ).fetchone()
            split = None
            if last_position >= PARALLEL_VERIFY_EVENTS:
                split = conn.execute(
                    "SELECT id FROM cases ORDER BY id LIMIT 1 OFFSET ?", (cases // 2,)
                ).fetchone()
            if split is None:  # small: everything here, in this snapshot
                integrity = _check_integrity(conn)
                chain = _check_chain(conn, last_position)
                projection = _check_projection(conn, None, None)
                self._report_verification(report, integrity, chain, projection)
                return report
            # Processes before the thread: a process forked beside a running thread may
            # inherit a lock that thread held.
            chain_part = _Part(_chain_part, self.path, last_position)
            half_part = _Part(_projection_part, self.path, split[0], None)
            integrity_part = _Thread(_integrity_part, self.path)
            first_half = _check_projection(conn, None, split[0])
            integrity = integrity_part.result()
            chain = chain_part.result()
            second_half = half_part.result()
            self._report_verification(
                report, integrity, chain,
                (first_half[0] + second_half[0], first_half[1] + second_half[1],
                 first_half[2] + second_half[2]),
            )
        return report

    def _report_verification(
        self,
        report: VerifyReport,
        integrity: list[str],
        chain: ChainResult,
        projection: tuple[list[str], int, int],
    ) -> None:
        """Put the parts' findings into ``report`` in the order a single pass finds them: the
        database file, the chain (with each case's gaps), then the projection."""
        from trappa.store.verification import MISSING, find_gaps, first_bad

        conn = self._conn
        for message in integrity:
            report.add(message)
        report.events = chain.events
        findings = list(chain.findings)
        recorded = dict(conn.execute("SELECT id, last_seq FROM cases"))
        for case_id, (count, max_seq) in chain.extents.items():
            known = recorded.get(case_id, 0)
            if count < max(max_seq, known):
                pairs = conn.execute(
                    "SELECT seq, position FROM events WHERE case_id = ? ORDER BY seq",
                    (case_id,),
                ).fetchall()
                findings.extend(find_gaps(case_id, pairs, known))
        for case_id in recorded.keys() - chain.extents.keys():  # every event of it is gone
            findings.extend(find_gaps(case_id, [], recorded[case_id]))
        findings.sort(key=lambda f: (f.position, f.problem != MISSING))
        for finding in findings:
            report.add(finding.message())
        bad = first_bad(findings)
        report.first_bad = bad.as_dict() if bad else None
        problems, more, report.cases = projection
        for message in problems:
            report.add(message)
        report.more_problems += more


# --- verify's parts, each on its own connection when run beside the others ----------------------

PARALLEL_VERIFY_EVENTS = 50_000  # below this, starting processes costs more than it saves


def _check_integrity(conn: sqlite3.Connection) -> list[str]:
    problems = [
        say("store.verify.integrity", detail=line)
        for (line,) in conn.execute("PRAGMA integrity_check")
        if line != "ok"
    ]
    problems.extend(
        say("store.verify.foreign_key", table=table, parent=parent)
        for table, _, parent, _ in conn.execute("PRAGMA foreign_key_check")
    )
    return problems


def _check_chain(conn: sqlite3.Connection, last_position: int) -> ChainResult:
    from trappa.store.verification import check_chain

    return check_chain(
        conn.execute(
            "SELECT position, case_id, seq, type, date, recorded_at, actor, data, prev_hash, hash"
            " FROM events WHERE position <= ? ORDER BY position",
            (last_position,),
        )
    )


def _check_projection(
    conn: sqlite3.Connection, low: str | None, high: str | None
) -> tuple[list[str], int, int]:
    """Replay the cases with ids from ``low`` (inclusive) to ``high`` (exclusive; None: no
    bound) and compare; the problems (at most MAX_PROBLEMS), how many more, and the cases."""
    from trappa.store.verification import (
        CASE_HEAD_COLUMNS,
        PROJECTION_TABLES,
        VerifyReport,
        check_projection,
    )

    def where(column: str) -> tuple[str, tuple]:
        clauses, params = [], []
        if low is not None:
            clauses.append(f"{column} >= ?")
            params.append(low)
        if high is not None:
            clauses.append(f"{column} < ?")
            params.append(high)
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)

    by_case, params = where("case_id")
    # Each table read once in case order (WITHOUT ROWID: a sequential scan), as _states does.
    children = {
        table: conn.execute(
            f"SELECT case_id, {CHILDREN[table].columns} FROM {table} {by_case} ORDER BY case_id",
            params,
        )
        for table in PROJECTION_TABLES
    }
    by_id, _ = where("id")
    cases = conn.execute(f"SELECT {CASE_HEAD_COLUMNS} FROM cases {by_id} ORDER BY id", params)
    events = conn.execute(
        f"SELECT case_id, seq, type, date, data FROM events {by_case} ORDER BY case_id, seq",
        params,
    )
    report = VerifyReport()
    count = check_projection(cases, children, events, report)
    return report.problems, report.more_problems, count


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)


def _integrity_part(path: Path) -> list[str]:
    with closing(_connect(path)) as conn:
        return _check_integrity(conn)


def _chain_part(path: Path, last_position: int) -> ChainResult:
    with closing(_connect(path)) as conn:
        return _check_chain(conn, last_position)


def _projection_part(path: Path, low: str | None, high: str | None) -> tuple:
    with closing(_connect(path)) as conn:
        conn.execute("BEGIN")  # one snapshot for the half
        try:
            return _check_projection(conn, low, high)
        finally:
            conn.execute("COMMIT")


class _Part:
    """``work(*args)`` in another process; ``result()`` returns what it returned or raises
    what it raised."""

    def __init__(self, work: Callable[..., Any], *args: Any) -> None:
        import multiprocessing

        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_part, args=(send, work, args), daemon=True)
        self._process.start()
        send.close()

    def result(self) -> Any:
        try:
            outcome = self._receive.recv()
        except EOFError:  # it died without a word
            outcome = sqlite3.OperationalError(
                f"a verification process ended with exit code {self._process.exitcode}"
            )
        finally:
            self._receive.close()
            self._process.join()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def _run_part(send: Any, work: Callable[..., Any], args: tuple) -> None:
    try:
        outcome = work(*args)
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        outcome = exc
    send.send(outcome)
    send.close()


class _Thread:
    """``work(*args)`` in a thread (SQLite releases the GIL while it works)."""

    def __init__(self, work: Callable[..., Any], *args: Any) -> None:
        import threading

        self._outcome: Any = None
        self._thread = threading.Thread(target=self._run, args=(work, args), daemon=True)
        self._thread.start()

    def _run(self, work: Callable[..., Any], args: tuple) -> None:
        try:
            self._outcome = work(*args)
        except Exception as exc:  # noqa: BLE001 - raised by result()
            self._outcome = exc

    def result(self) -> Any:
        self._thread.join()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome


def _events(rows: Iterable[tuple]) -> list[Event]:
    """Events from stored rows (case_id, seq, type, date, recorded_at, actor, data)."""
    return [Event(*row[:6], json.loads(row[6])) for row in rows]
