"""Applying the schema's steps (``trappa.store.schema``) in order, and telling what a database
file is: trappa's, new, or another program's.

Each step is a sqlite-utils migration: it runs once, inside the same transaction as its record in
``_sqlite_migrations``. A shipped step is never renamed, reordered or edited; a change to the
schema is a new step at the end. ``SCHEMA_VERSION`` (the number of steps) is also written to
``PRAGMA user_version`` so that every command can see with one cheap read that nothing is pending,
and only an outdated database pays for importing sqlite-utils (see ``trappa.store.connection``).

The whole upgrade runs in one ``BEGIN IMMEDIATE`` transaction: two commands that meet a fresh
database at once take turns, the second finds the work done, and a failing step leaves the
database exactly as it was before the upgrade began.

Steps that change the projection tables (derived from the events) are listed in
``REBUILDS_PROJECTION``: after them the store replays every case's events into the new tables in
the same transaction, so such a step never needs to migrate derived data by hand.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from trappa.store.schema import (
    step_0001_records,
    step_0002_case_projection,
    step_0003_append_only_events,
    step_0004_lookup_indexes,
    step_0005_ladder_cache,
    step_0006_register_id,
    step_0007_event_format,
    step_0008_kept_letters,
    step_0009_case_facts,
    step_0010_browsing,
    step_0013_case_owner,
)
from trappa.store.schema_follow_up import step_0011_follow_up, step_0012_follow_up_records
from trappa.store.schema_scale import step_0014_events_by_case

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "trappa"


# The order is the schema's history: append only.
STEPS: tuple[Callable[[Database], None], ...] = (
    step_0001_records,
    step_0002_case_projection,
    step_0003_append_only_events,
    step_0004_lookup_indexes,
    step_0005_ladder_cache,
    step_0006_register_id,
    step_0007_event_format,
    step_0008_kept_letters,
    step_0009_case_facts,
    step_0010_browsing,
    step_0011_follow_up,
    step_0012_follow_up_records,
    step_0013_case_owner,
    step_0014_events_by_case,
)
SCHEMA_VERSION = len(STEPS)
REBUILDS_PROJECTION = frozenset({"step_0002_case_projection", "step_0009_case_facts"})
# The step that keys each event to its case: a register whose projection lacks a case the events
# name gets it rebuilt in the same transaction, before the key is checked at commit.
KEYS_EVENTS = "step_0010_browsing"
TABLES = frozenset(
    {
        "suppliers", "contracts", "ladders", "settings", "events", "cases", "deviations", "plans",
        "sanctions", "level_changes", "activities_done", "letters_sent", "ladder_cache",
        "register", "personal_data", "documents", "documents_kept_from", "risks",
    }
)


def migrations() -> Migrations:
    """The steps as a sqlite-utils migration set (imports sqlite-utils)."""
    from sqlite_utils.migrations import Migrations

    steps = Migrations(MIGRATION_SET)
    for step in STEPS:
        steps()(step)
    return steps


def user_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


class NewerSchema(Exception):
    """The database was written by a newer trappa."""

    def __init__(self, found: int) -> None:
        super().__init__(found)
        self.found = found


class ForeignDatabase(Exception):
    """An SQLite database that trappa did not create."""


def migrate(
    conn: sqlite3.Connection,
    *,
    stop_before: str | None = None,
    after: Callable[[list[str]], None] | None = None,
) -> list[str]:
    """Apply the pending steps in one write transaction; return the names of those applied.

    ``conn`` must be in autocommit mode (``isolation_level=None``). ``after`` runs inside the
    transaction with the applied names (the store rebuilds the projection there).
    ``stop_before`` leaves a step and those after it pending (tests build old databases with it).
    """
    from sqlite_utils import Database

    # No plugins: they could change the connection, and their scan costs start-up time.
    db = Database(conn, execute_plugins=False, recursive_triggers=False)
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the write lock: another command may have upgraded meanwhile.
        found = user_version(conn)
        if found > SCHEMA_VERSION:
            raise NewerSchema(found)
        steps = migrations()
        if found == 0 and not steps.applied(db) and _has_tables(conn):
            raise ForeignDatabase()
        pending = [m.name for m in steps.pending(db)]
        steps.apply(db, stop_before=stop_before)
        applied = pending if stop_before is None else pending[: _index(pending, stop_before)]
        if after is not None:
            after(applied)
        version = SCHEMA_VERSION if stop_before is None else len(steps.applied(db))
        conn.execute(f"PRAGMA user_version = {int(version)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return applied


# trappa's own tables: both are in every trappa database, whatever its version. One short
# statement, so that every command's opening stays as cheap as it was.
_MARKS = (
    "SELECT count(*) FROM sqlite_master"
    " WHERE type = 'table' AND name IN ('events', '_sqlite_migrations')"
)


def identify(conn: sqlite3.Connection) -> int:
    """The trappa schema version of the database on ``conn``, found by reading alone: nothing is
    written, not even the journal mode, so another program's database is refused as it was.

    A trappa database has ``PRAGMA user_version`` above 0 and both the ``events`` table and
    sqlite-utils' ``_sqlite_migrations`` table. 0 is an empty database (a new file: trappa
    creates its schema) or one whose ``_sqlite_migrations`` records trappa's set but no version.
    Any other database with tables raises ``ForeignDatabase``, whatever its ``user_version`` (other
    programs set it too); a trappa database newer than ``SCHEMA_VERSION`` raises ``NewerSchema``.
    """
    found = user_version(conn)
    if found == 0:
        if not _has_tables(conn) or _has_trappa_steps(conn):
            return 0
        raise ForeignDatabase()
    if conn.execute(_MARKS).fetchone()[0] != 2:
        raise ForeignDatabase()
    if found > SCHEMA_VERSION:
        raise NewerSchema(found)
    return found


def _has_trappa_steps(conn: sqlite3.Connection) -> bool:
    try:
        row = conn.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1", (MIGRATION_SET,)
        ).fetchone()
    except sqlite3.OperationalError:  # no such table, or one of that name not sqlite-utils' own
        return False
    return row is not None


def _has_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1"
    ).fetchone()
    return row is not None


def _index(names: list[str], name: str) -> int:
    return names.index(name) if name in names else len(names)
