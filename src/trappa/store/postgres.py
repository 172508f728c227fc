"""The PostgreSQL engine: a psycopg 3 connection that speaks the subset of ``sqlite3``'s
connection the store's modules use, so that every query of the store runs on both engines.

The store's queries are written once, in SQLite's dialect restricted to what PostgreSQL also
understands. What differs is rewritten here, and only here (``translate``):

* ``?`` placeholders become ``%s``, ``:name`` ones ``%(name)s`` (a literal ``%`` is doubled);
* ``x IS ?`` / ``x IS y`` become ``x IS NOT DISTINCT FROM …`` and ``x IS NOT y``
  ``x IS DISTINCT FROM y`` (SQLite's null-safe comparisons; ``IS [NOT] NULL`` stays);
* ``WHERE +col`` (SQLite's "do not use an index on col") loses its ``+``;
* ``CROSS JOIN t ON`` (SQLite's "keep this join order") becomes ``JOIN t ON``;
* ``BEGIN IMMEDIATE`` (a write transaction) becomes ``BEGIN`` and the register's advisory lock,
  ``BEGIN`` (a read snapshot) a ``REPEATABLE READ`` transaction; a ``PRAGMA`` does nothing.

SQLite's functions the queries use (``group_concat``, ``json_extract``, ``sum`` of a
comparison) are created in the database by ``trappa.store.pg_schema``, text columns sort by
code point (``COLLATE "C"``) as SQLite's do, and a ``NUMERIC`` reads back as SQLite returns it
(an ``int`` when whole, else a ``float``). Failures: an integrity violation or a trigger's
refusal is raised as ``sqlite3.IntegrityError``, which the store already handles; anything
else becomes a one-line ``StoreError`` naming the register (exit 3).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from trappa.errors import StoreError
from trappa.messages import say

if TYPE_CHECKING:
    import psycopg

# The advisory lock every write transaction of a register takes (advisory locks are per
# database: two registers on one server do not wait for each other). "trappa" in ASCII.
WRITE_LOCK = 0x747261707061
LOCK_TIMEOUT_S = 120  # a writer queues behind the others this long before giving up
SCAN_BATCH = 2000  # rows a long read fetches at a time (``PgConnection.scan``)

_QUOTED = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")")
_IS_PARAM = re.compile(r"\bIS\s+\?", re.IGNORECASE)
_NOT_KEYWORD = r"(?!(?:NULL|TRUE|FALSE|UNKNOWN|DISTINCT|NOT)\b)"
_IS_NOT = re.compile(rf"\bIS\s+NOT\s+{_NOT_KEYWORD}(?=[\w(])", re.IGNORECASE)
_IS = re.compile(rf"\bIS\s+{_NOT_KEYWORD}(?=[\w(])", re.IGNORECASE)
_NO_INDEX = re.compile(r"\bWHERE\s+\+", re.IGNORECASE)
_CROSS_JOIN = re.compile(r"\bCROSS\s+JOIN(\s+\w+(?:\s+AS)?\s+\w+\s+ON)\b", re.IGNORECASE)
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_translated: dict[str, str] = {}


def translate(query: str) -> str:
    """``query`` (SQLite's dialect, ``?`` placeholders) as psycopg runs it on PostgreSQL."""
    done = _translated.get(query)
    if done is not None:
        return done
    parts = _QUOTED.split(query)
    for i in range(0, len(parts), 2):  # outside quotes only
        text = parts[i].replace("%", "%%")
        text = _IS_PARAM.sub("IS NOT DISTINCT FROM ?", text)
        text = _IS_NOT.sub("IS DISTINCT FROM ", text)
        text = _IS.sub("IS NOT DISTINCT FROM ", text)
        text = _NO_INDEX.sub("WHERE ", text)
        text = _CROSS_JOIN.sub(r"JOIN\1", text)
        text = text.replace("?", "%s")
        parts[i] = _NAMED.sub(r"%(\1)s", text)
    for i in range(1, len(parts), 2):
        parts[i] = parts[i].replace("%", "%%")
    done = _translated[query] = "".join(parts)
    return done


def _numeric(text: str) -> int | float:
    """A NUMERIC as SQLite's NUMERIC affinity returns it."""
    try:
        return int(text)
    except ValueError:
        value = float(text)
        return int(value) if value.is_integer() and "." not in text else value


class Cursor:
    """The rows of one statement, fetched by psycopg (client side), read as sqlite3's are."""

    def __init__(self, owner: PgConnection, cursor: psycopg.Cursor[Any] | None) -> None:
        self._owner = owner
        self._cursor = cursor
        self.rowcount = cursor.rowcount if cursor is not None else -1

    def __iter__(self) -> Iterator[Any]:
        return self

    @property
    def description(self) -> Any:
        return None if self._cursor is None else self._cursor.description

    def __next__(self) -> Any:
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row

    def fetchone(self) -> Any:
        if self._cursor is None or self._cursor.description is None:
            return None
        return self._cursor.fetchone()

    def fetchmany(self, size: int) -> list[Any]:
        if self._cursor is None or self._cursor.description is None:
            return []
        return self._cursor.fetchmany(size)

    def fetchall(self) -> list[Any]:
        if self._cursor is None or self._cursor.description is None:
            return []
        return self._cursor.fetchall()

    @property
    def lastrowid(self) -> int | None:
        """The id an ``INSERT`` into a table with an identity column just made."""
        row = self._owner.execute("SELECT lastval()").fetchone()
        return int(row[0]) if row else None


class _ScanRows:
    """A server-side cursor's rows, read in batches (psycopg's iteration fetches ``itersize`` at
    a time), with the connection's error handling."""

    def __init__(self, owner: PgConnection, cursor: psycopg.ServerCursor[Any]) -> None:
        self._owner = owner
        self._rows = iter(cursor)

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        with self._owner._errors():
            return next(self._rows)

    def fetchone(self) -> Any:
        return next(self, None)


class PgConnection:
    """A psycopg connection in autocommit mode, behind ``sqlite3.Connection``'s methods."""

    def __init__(self, conn: psycopg.Connection[Any], display: str, read_only: bool) -> None:
        self.raw = conn
        self.display = display
        self.read_only = read_only
        self.user = str(conn.execute("SELECT session_user").fetchone()[0])  # type: ignore[index]
        self._scans = 0
        self._open_scans: list[psycopg.ServerCursor[Any]] = []

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(
        self, query: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> Cursor:
        head = query.lstrip()[:16].upper()
        if head.startswith("PRAGMA"):
            return Cursor(self, None)
        if head.startswith("BEGIN"):
            return self._begin(head)
        if head.startswith(("COMMIT", "ROLLBACK")):
            self._close_scans()
        with self._errors():
            if params:
                values = params if isinstance(params, Mapping) else tuple(params)
                cursor = self.raw.execute(translate(query), values)
            else:
                cursor = self.raw.execute(translate(query).replace("%%", "%"))
        return Cursor(self, cursor)

    def scan(self, query: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        """The rows of a long ``SELECT``, fetched from a server-side cursor a batch at a time,
        so that reading a whole register holds one batch in memory, not every row. Only inside
        a transaction (``verify``'s snapshot), as PostgreSQL keeps such a cursor there; several
        may be read side by side."""
        self._scans += 1
        with self._errors():
            cursor = self.raw.cursor(name=f"trappa_scan_{self._scans}")
            cursor.itersize = SCAN_BATCH
            self._open_scans.append(cursor)
            cursor.execute(translate(query), tuple(params))
        return _ScanRows(self, cursor)

    def _close_scans(self) -> None:
        """Close the long reads before their transaction ends (the server would, but psycopg
        wants each cursor closed by its owner)."""
        import psycopg

        scans, self._open_scans = self._open_scans, []
        for cursor in scans:
            try:
                cursor.close()
            except psycopg.Error:
                pass  # an aborted transaction: ending it closes the cursor on the server

    def executemany(self, query: str, rows: Iterable[Sequence[Any]]) -> Cursor:
        with self._errors():
            cursor = self.raw.cursor()
            cursor.executemany(translate(query), rows)
        return Cursor(self, None)

    def _begin(self, head: str) -> Cursor:
        with self._errors():
            if head.startswith("BEGIN IMMEDIATE"):
                self.raw.execute("BEGIN")
                self.raw.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            else:
                self.raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        return Cursor(self, None)

    def close(self) -> None:
        self._close_scans()
        self.raw.close()

    def _errors(self) -> _Errors:
        return _Errors(self)


class _Errors:
    """Turns psycopg's failures into the store's (see the module's docstring)."""

    def __init__(self, conn: PgConnection) -> None:
        self._conn = conn

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: object) -> None:
        import psycopg

        if exc is None or not isinstance(exc, psycopg.Error):
            return
        raise server_error(exc, self._conn.display, self._conn.user,
                           read_only=self._conn.read_only) from exc


def server_error(
    exc: Exception, display: str, user: str | None = None, *, read_only: bool = False
) -> Exception:
    """The store's exception for one of psycopg's (``read_only``: a command that only reads)."""
    import psycopg
    from psycopg import errors

    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, errors.IntegrityError | errors.RaiseException):
        return sqlite3.IntegrityError(detail)
    if isinstance(exc, errors.InsufficientPrivilege) and read_only:
        return StoreError(say("store.pg.may_not_read", url=display, user=user or "?"),
                          hint=say("store.pg.may_not_read.hint"))
    if isinstance(exc, errors.InsufficientPrivilege | errors.ReadOnlySqlTransaction):
        return StoreError(say("store.pg.not_allowed", url=display, user=user or "?"),
                          hint=say("store.pg.not_allowed.hint", user=user or "USER"))
    if isinstance(exc, errors.LockNotAvailable):
        return StoreError(say("store.locked", path=display, seconds=LOCK_TIMEOUT_S),
                          hint=say("store.locked.hint"))
    if isinstance(exc, psycopg.OperationalError):
        return StoreError(say("store.pg.connection", url=display, detail=detail))
    return StoreError(say("store.failed", path=display, detail=detail))


def connect(url: str, display: str, *, read_only: bool) -> PgConnection:
    """Connect to the register at ``url`` (libpq's rules: ``PGPASSWORD``, ``~/.pgpass``, a
    service file); a reading command's session can write nothing."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(say("store.pg.no_driver", url=display)) from None
    from psycopg.adapt import Loader

    class NumericLoader(Loader):
        def load(self, data: Any) -> int | float:
            return _numeric(bytes(data).decode())

    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise server_error(exc, display) from exc
    raw.adapters.register_loader("numeric", NumericLoader)
    try:
        raw.execute(f"SET lock_timeout = '{LOCK_TIMEOUT_S}s'")
        raw.execute("SET client_min_messages = warning")
        if read_only:
            raw.execute("SET default_transaction_read_only = on")
        return PgConnection(raw, display, read_only)
    except psycopg.Error as exc:
        raw.close()
        raise server_error(exc, display) from exc
