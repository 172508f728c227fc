"""Opening a register on a PostgreSQL server: connecting (``trappa.store.postgres``), telling
trappa's register from another program's database, and upgrading its schema when it is behind,
as opening a SQLite file does (``trappa.store.connection``)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, TypeVar, cast

from trappa.errors import StoreError
from trappa.messages import say
from trappa.store.engine import POSTGRESQL, checked_url, display_url
from trappa.store.migrations import SCHEMA_VERSION, ForeignDatabase, NewerSchema

if TYPE_CHECKING:
    from trappa.store.connection import Connection
    from trappa.store.postgres import PgConnection

C = TypeVar("C", bound="Connection")


def open_server(cls: type[C], url: str, *, read_only: bool) -> C:
    """A ``cls`` (the ``Store``) on the register at ``url``."""
    from trappa.store.postgres import LOCK_TIMEOUT_S, connect

    display = display_url(url)
    server = connect(checked_url(url), display, read_only=read_only)
    store = cls(display, cast(sqlite3.Connection, server), LOCK_TIMEOUT_S, read_only)
    store.engine = POSTGRESQL
    store.server_user = server.user
    store.reopen = url  # a password written into it too: the second half of a listing needs it
    try:
        _prepare(store, server)
    except BaseException:
        server.close()
        raise
    return store


def _prepare(store: Connection, server: PgConnection) -> None:
    """Identify the register; upgrade its schema if behind, which needs the right to create
    tables (an administrator's: ``trappa db init``). A reading command upgrades nothing."""
    from trappa.store import pg_schema

    try:
        found = pg_schema.identify(server)
    except NewerSchema as exc:
        raise StoreError(say("store.newer", path=store.path, found=exc.found,
                             known=SCHEMA_VERSION)) from None
    except ForeignDatabase:
        raise StoreError(say("store.pg.foreign", url=store.path)) from None
    if found >= SCHEMA_VERSION:
        return
    if store.read_only:
        key = "store.read_only.empty" if found == 0 else "store.read_only.behind"
        raise StoreError(say(key, path=store.path, found=found, known=SCHEMA_VERSION),
                         hint=say("store.read_only.hint"))
    may = server.execute("SELECT has_schema_privilege(current_schema(), 'CREATE')").fetchone()
    if not may[0]:
        raise StoreError(say("store.pg.upgrade_denied", url=store.path, user=server.user,
                             found=found, known=SCHEMA_VERSION),
                         hint=say("store.pg.upgrade_denied.hint"))
    try:
        pg_schema.migrate(server, after=store._after_migration)
    except NewerSchema as exc:
        raise StoreError(say("store.newer", path=store.path, found=exc.found,
                             known=SCHEMA_VERSION)) from None
    except sqlite3.Error as exc:
        raise StoreError(say("store.migration_failed", path=store.path, detail=exc)) from exc
    except ValueError as exc:  # a step that cannot be translated
        raise StoreError(say("store.migration_failed", path=store.path, detail=exc)) from exc
