"""Reaching the database: where it is, opening it (pragmas, migration of an older schema),
transactions, and every ``sqlite3`` failure turned into a one-line ``StoreError``.

Every command talks to SQLite through the stdlib ``sqlite3`` module: opening costs a connection,
two pragmas, a read of ``PRAGMA user_version`` and one look for trappa's tables, which tells a
trappa database from another program's before anything is written (``migrations.identify``).
Only a database whose schema is behind this trappa imports sqlite-utils, to apply the pending
steps of ``trappa.store.migrations``.

Read-only opening (``read_only=True``, ``_connect_read_only``) writes nothing and leaves no file
behind: no journal mode, no migration, no ``-wal``/``-shm`` left beside the database.

Transactions: ``with store.transaction():`` is ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on
any exception: a command is one transaction, and a failure leaves nothing behind. The write lock
is taken at the start: concurrent commands queue (up to the busy timeout), never fail halfway.
Reads of several queries run in one snapshot (``_snapshot``), never mixing two versions.

Every ``sqlite3`` failure becomes a one-line ``StoreError`` naming the file (exit 3): methods
that run SQL are wrapped in ``sql``.

A ``postgresql://`` URL opens the register on a PostgreSQL server instead (``trappa.store.server``,
``trappa.store.postgres``: psycopg behind the same methods, imported only then); ``engine`` says
which one is open.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Concatenate, ParamSpec, Self, TypeVar

from trappa.errors import StoreError, UserError
from trappa.messages import say
from trappa.store.engine import SQLITE, is_server_url, os_name
from trappa.store.migrations import SCHEMA_VERSION, ForeignDatabase, NewerSchema, identify

BUSY_TIMEOUT = 10.0  # seconds a command waits for another one's write lock
DB_FILENAME = "trappa.db"


# --- where the database is -------------------------------------------------------------------


def default_db_path() -> Path:
    """``trappa.db`` in the user's data directory (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("trappa", appauthor=False)) / DB_FILENAME


def resolve_db_path(option: Path | str | None, *, create_folder: bool = True) -> Path | str:
    """``--db``, else ``TRAPPA_DB``, else the default location (whose folder is created here
    unless ``create_folder`` is false: a command that only looks leaves no trace). A
    ``postgresql://`` URL is returned as it is.

    An explicit path gets no folders created: a mistyped folder is an error, not a new place.
    """
    if option is not None and str(option):
        return str(option) if is_server_url(str(option)) else Path(option).expanduser()
    env = os.environ.get("TRAPPA_DB")
    if env:
        return env if is_server_url(env) else Path(env).expanduser()
    path = default_db_path()
    if not create_folder:
        return path
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
    name: str | None = getattr(exc, "sqlite_errorname", None)
    return name or ""


def _store_error(
    path: Path, exc: sqlite3.Error, busy_timeout: float, read_only: bool = False
) -> StoreError:
    """One line naming the file, chosen by SQLite's error code rather than its message text."""
    name = _sqlite_code(exc)
    if read_only and name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
        if path.parent.is_dir():
            # A reader that cannot read: SQLite needed to create or write a file beside the
            # database (the WAL index) and may not.
            return StoreError(say("store.cannot_read", path=path, detail=exc))
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


C = TypeVar("C", bound="Connection")
P = ParamSpec("P")
R = TypeVar("R")


def sql(method: Callable[Concatenate[C, P], R]) -> Callable[Concatenate[C, P], R]:
    """Turn the ``sqlite3`` errors of a method into ``StoreError``."""

    @functools.wraps(method)
    def wrapper(self: C, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    return wrapper


# --- opening for reading only ----------------------------------------------------------------


def _connect_read_only(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A connection that reads ``path`` and leaves nothing behind it.

    A reader of a WAL database needs the WAL index (``-shm``) and the ``-wal`` file. SQLite
    creates them when they are missing, and only a connection that can write the database
    removes them when it closes: a ``mode=ro`` connection leaves them behind. So:

    * file and folder writable: an ordinary connection, made read-only by ``PRAGMA query_only``
      (``_prepare``). It takes SQLite's locks as every command does and removes the files it
      created when it closes, as today's commands do.
    * otherwise ``mode=ro``, which uses the ``-wal``/``-shm`` of a writer that has the database
      open (SQLite reads a ``-shm`` it may not write since 3.22). With neither file beside a WAL
      database, everything committed is in the database file itself, and ``mode=ro`` would
      have to create them (impossible in a folder the user may not write, and left behind
      where it can): it is read as ``immutable=1`` instead, which takes no locks and opens no
      WAL. The price: a writer that starts and checkpoints while this command reads is not
      seen, and could change pages under it; a reading command is short, and it is the only
      way to read such a database at all.
    """
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return sqlite3.connect(os_name(path), timeout=busy_timeout, isolation_level=None)
    uri = f"{path.absolute().as_uri()}?mode=ro"
    wal, shm = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))
    if not wal.exists() and not shm.exists() and _in_wal_mode(path):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None)


def _in_wal_mode(path: Path) -> bool:
    """Whether the database file's header says WAL (its read and write versions are 2)."""
    try:
        with path.open("rb") as file:
            header = file.read(20)
    except OSError:  # SQLite says what is wrong when it opens the file
        return False
    return len(header) == 20 and header[18] == 2 and header[19] == 2


# --- the connection --------------------------------------------------------------------------


class Connection:
    """One open connection to a trappa database and its transactions: what every part of
    ``trappa.store.database.Store`` builds on. Open with ``open``; close with ``close`` (or
    ``with``)."""

    path: Path | str  # the file, or the server's URL (without a password) as messages show it
    reopen: Path | str  # opens it again: the file, or the URL as given (never shown: a password)
    engine: str = SQLITE
    server_user: str | None = None  # on PostgreSQL: the database user, who acts

    def __init__(
        self, path: Path | str, conn: sqlite3.Connection, busy_timeout: float,
        read_only: bool = False,
    ) -> None:
        self.path = self.reopen = path
        self.read_only = read_only
        self._conn = conn
        self._busy_timeout = busy_timeout
        self._savepoints = 0
        self._before_commit: list[Callable[[], None]] = []  # see ``before_commit``

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        create: bool = True,
        read_only: bool = False,
        busy_timeout: float = BUSY_TIMEOUT,
    ) -> Self:
        """Open the database at ``path``, creating and migrating it as needed.

        ``create=False`` refuses a missing file instead of creating one. ``read_only=True`` (the
        commands that only read) implies it, and writes nothing: a database whose schema is
        behind is refused rather than migrated. The file's folder is never created here (see
        ``resolve_db_path``). Another program's database is refused before anything is written.
        A ``postgresql://`` URL opens a register on a server (``trappa.store.server``).
        """
        if is_server_url(path):
            from trappa.store.server import open_server

            return open_server(cls, str(path), read_only=read_only)
        path = Path(path)
        try:  # a name too long for the file system, say, is bad input
            is_folder, exists = path.is_dir(), path.exists()
            parent_is_folder = exists or path.parent.is_dir()
        except OSError as exc:
            detail = exc.strerror or str(exc)
            raise UserError(say("store.unusable_path", path=path, detail=detail)) from None
        if is_folder:
            raise StoreError(say("store.is_folder", path=path))
        if not exists:
            if not create or read_only:
                raise StoreError(say("store.missing", path=path), hint=say("store.missing.hint"))
            if not parent_is_folder:
                raise StoreError(say("store.no_folder", path=path, folder=path.parent))
        try:
            if read_only:
                conn = _connect_read_only(path, busy_timeout)
            else:
                conn = sqlite3.connect(os_name(path), timeout=busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise _store_error(path, exc, busy_timeout, read_only) from exc
        store = cls(path, conn, busy_timeout, read_only)
        try:
            store._prepare()
        except BaseException:
            conn.close()
            raise
        return store

    @sql
    def _prepare(self) -> None:
        conn = self._conn
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            found = identify(conn)  # before anything is written, even the journal mode
        except NewerSchema as exc:
            raise self._newer(exc.found) from None
        except ForeignDatabase:
            raise StoreError(say("store.foreign", path=self.path)) from None
        if self.read_only:
            conn.execute("PRAGMA query_only = ON")  # a reader's connection may be writable
            if found < SCHEMA_VERSION:
                key = "store.read_only.empty" if found == 0 else "store.read_only.behind"
                raise StoreError(
                    say(key, path=self.path, found=found, known=SCHEMA_VERSION),
                    hint=say("store.read_only.hint"),
                )
            return
        conn.execute("PRAGMA journal_mode = WAL")
        if found < SCHEMA_VERSION:
            self._migrate()

    def _newer(self, found: int) -> StoreError:
        return StoreError(say("store.newer", path=self.path, found=found, known=SCHEMA_VERSION))

    def _migrate(self) -> list[str]:
        from trappa.store.migrations import ForeignDatabase, NewerSchema, migrate

        try:
            return migrate(self._conn, after=self._after_migration)
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

    def _after_migration(self, applied: list[str]) -> None:
        """Called inside the migration's transaction with the steps it applied: a part whose
        tables a step rebuilt fills them again here (``Projection``)."""

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _error(self, exc: sqlite3.Error) -> StoreError:
        if not isinstance(self.path, Path):  # the server's failures, already in its words
            return StoreError(say("store.failed", path=self.path, detail=exc))
        return _store_error(self.path, exc, self._busy_timeout, self.read_only)

    @sql
    def reserve_cache(self, mebibytes: int) -> None:
        """Let SQLite keep up to ``mebibytes`` of pages in memory (the default is 2): a bulk write
        inserts into several indexes in no useful order, and pages evicted mid-transaction are
        written and read back again."""
        self._conn.execute(f"PRAGMA cache_size = {-1024 * int(mebibytes)}")

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
