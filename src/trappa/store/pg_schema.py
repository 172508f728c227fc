"""The schema on PostgreSQL: the same steps as on SQLite (``trappa.store.schema``, in the order of
``trappa.store.migrations.STEPS``), each run once and recorded in ``trappa_migrations``, in one
transaction under the register's write lock.

A step's statements are SQLite's DDL; ``translate_ddl`` rewrites the few differences (an
``INTEGER PRIMARY KEY`` is an identity column, ``WITHOUT ROWID`` goes, ``BLOB`` is ``BYTEA``,
text sorts by code point, an expression in an index gets its parentheses). Triggers cannot be
translated: a step that creates any has its PostgreSQL version in ``OVERRIDES``. A new step
that needs one and has none fails loudly in the PostgreSQL tests, never silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from trappa.store.migrations import MIGRATION_SET, STEPS, NewerSchema
from trappa.store.postgres import WRITE_LOCK, PgConnection
from trappa.store.schema import BROWSING

# SQLite's functions the store's queries use, in PostgreSQL (see ``trappa.store.postgres``).
FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION trappa_concat(acc text, value text) RETURNS text
        LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN value IS NULL THEN acc
        WHEN acc IS NULL THEN value ELSE acc || ',' || value END $$""",
    "CREATE OR REPLACE AGGREGATE group_concat(text) (SFUNC = trappa_concat, STYPE = text)",
    """CREATE OR REPLACE FUNCTION trappa_concat_by(acc text, value text, sep text) RETURNS text
        LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN value IS NULL THEN acc
        WHEN acc IS NULL THEN value ELSE acc || sep || value END $$""",
    "CREATE OR REPLACE AGGREGATE group_concat(text, text) (SFUNC = trappa_concat_by, STYPE = text)",
    # An array's items or an object's members, as SQLite's json_each gives key and value.
    """CREATE OR REPLACE FUNCTION json_each(doc text) RETURNS TABLE (key text, value text)
        LANGUAGE sql IMMUTABLE AS $$
        SELECT (n - 1)::text, v FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(doc::jsonb)
            = 'array' THEN doc::jsonb ELSE '[]'::jsonb END) WITH ORDINALITY AS t (v, n)
        UNION ALL SELECT k, v FROM jsonb_each_text(CASE WHEN jsonb_typeof(doc::jsonb) = 'object'
            THEN doc::jsonb ELSE '{}'::jsonb END) AS o (k, v) $$""",
    """CREATE OR REPLACE FUNCTION json_array_length(doc text) RETURNS integer
        LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT jsonb_array_length(doc::jsonb) $$""",
    """CREATE OR REPLACE FUNCTION trappa_count_true(acc bigint, value boolean) RETURNS bigint
        LANGUAGE sql IMMUTABLE AS $$ SELECT acc + CASE WHEN value THEN 1 ELSE 0 END $$""",
    """CREATE OR REPLACE AGGREGATE sum(boolean)
        (SFUNC = trappa_count_true, STYPE = bigint, INITCOND = '0')""",
    """CREATE OR REPLACE FUNCTION julianday(day text) RETURNS double precision
        LANGUAGE sql IMMUTABLE STRICT AS $$
        SELECT extract(epoch FROM day::timestamp)::double precision / 86400 + 2440587.5 $$""",
    """CREATE OR REPLACE FUNCTION json_extract(doc text, path text) RETURNS text
        LANGUAGE sql IMMUTABLE AS $$ SELECT (doc::jsonb) #>> string_to_array(substr(path, 3), '.')
        $$""",
)

_APPEND_ONLY = """CREATE OR REPLACE FUNCTION trappa_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$"""


def _step_0003(db: PgDatabase) -> None:
    """Events append-only: PostgreSQL's form of the step's triggers (``INSERT OR REPLACE`` does
    not exist here; the UNIQUE constraint refuses a second event of a case's number)."""
    db.native(_APPEND_ONLY)
    for action, message in (("UPDATE", "an event cannot be changed"),
                            ("DELETE", "an event cannot be deleted")):
        db.native(
            f"CREATE TRIGGER events_no_{action.lower()} BEFORE {action} ON events"
            f" FOR EACH ROW EXECUTE FUNCTION trappa_refuse('events are append-only: {message}')"
        )
    db.native(
        "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT"
        " EXECUTE FUNCTION trappa_refuse('events are append-only: they cannot be truncated')"
    )


def _step_0008(db: PgDatabase) -> None:
    """Kept documents never change; keeping the same bytes again keeps the first copy (the
    store inserts with ``ON CONFLICT DO NOTHING``)."""
    statements = [
        """CREATE TABLE documents (
            sha256 TEXT PRIMARY KEY,
            content BLOB NOT NULL,
            stored_at TEXT NOT NULL
        )""",
        "CREATE TABLE documents_kept_from (position INTEGER NOT NULL)",
        "INSERT INTO documents_kept_from SELECT coalesce(max(position), 0) FROM events",
    ]
    for statement in statements:
        db.execute(statement)
    for action, message in (("UPDATE", "kept documents are never changed"),
                            ("DELETE", "kept documents are never removed")):
        db.native(
            f"CREATE TRIGGER documents_no_{action.lower()} BEFORE {action} ON documents"
            f" FOR EACH ROW EXECUTE FUNCTION trappa_refuse('{message}')"
        )


def _step_0010(db: PgDatabase) -> None:
    """The events' key to their case: PostgreSQL adds the column in place (stored: it has no
    virtual one before version 18), nothing hashed changes and the triggers stay. The key is
    checked for the rows written from now on and at commit (``NOT VALID`` for the rows there:
    ``_after_migration`` makes the projection whole first); the index and the views as on
    SQLite."""
    db.native(
        'ALTER TABLE events ADD COLUMN case_ref TEXT COLLATE "C" GENERATED ALWAYS AS'
        " (CASE WHEN strpos(case_id, ':') = 0 THEN case_id END) STORED"
    )
    db.native(
        "ALTER TABLE events ADD CONSTRAINT events_case_ref_fkey FOREIGN KEY (case_ref)"
        " REFERENCES cases (id) DEFERRABLE INITIALLY DEFERRED NOT VALID"
    )
    for statement in BROWSING:
        db.execute(statement)


OVERRIDES: dict[str, Callable[[PgDatabase], None]] = {
    "step_0003_append_only_events": _step_0003,
    "step_0008_kept_letters": _step_0008,
    "step_0010_browsing": _step_0010,
}

_ROWID_KEY = re.compile(r"\b(\w+) INTEGER PRIMARY KEY\b(?! CHECK)")
_INDEX = re.compile(
    r"^(\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+\w+\s+ON\s+\w+\s*)\((.*?)\)(\s*(?:WHERE\s.*)?)$",
    re.IGNORECASE | re.DOTALL,
)
_NAME = re.compile(r"^\s*\w+\s*$")


def translate_ddl(statement: str) -> str:
    """One of a step's SQLite statements as PostgreSQL runs it."""
    if re.match(r"\s*CREATE\s+TRIGGER\b", statement, re.IGNORECASE):
        raise ValueError("a trigger needs a PostgreSQL version in trappa.store.pg_schema")
    text = _ROWID_KEY.sub(r"\1 BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", statement)
    text = re.sub(r"\)\s*WITHOUT\s+ROWID\s*$", ")", text, flags=re.IGNORECASE)
    text = re.sub(r"\bBLOB\b", "BYTEA", text)
    text = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', text)
    index = _INDEX.match(text)
    if index:
        items = _split_top_level(index.group(2))
        wrapped = [item.strip() if _NAME.match(item) else f"({item.strip()})" for item in items]
        text = f"{index.group(1)}({', '.join(wrapped)}){index.group(3)}"
    return text


def _split_top_level(text: str) -> list[str]:
    items, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return items


class PgDatabase:
    """What a step is given on PostgreSQL: ``execute`` of SQLite's DDL, translated."""

    def __init__(self, conn: PgConnection) -> None:
        self.conn = conn

    def execute(self, statement: str, params: Sequence[Any] | None = None) -> None:
        self.conn.execute(translate_ddl(statement), params)

    def native(self, statement: str) -> None:
        """A statement written for PostgreSQL (an override's trigger, a function)."""
        self.conn.execute(statement)


def identify(conn: PgConnection) -> int:
    """The schema version of the register on ``conn``, by reading alone: 0 for an empty
    database; ``ForeignDatabase`` for one with tables but none of trappa's;
    ``NewerSchema`` for one written by a newer trappa."""
    from trappa.store.migrations import ForeignDatabase

    row = conn.execute(
        "SELECT to_regclass('trappa_migrations') IS NOT NULL,"
        " EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema())"
    ).fetchone()
    if not row[0]:
        if row[1]:
            raise ForeignDatabase()
        return 0
    names = {name for (name,) in conn.execute(
        "SELECT name FROM trappa_migrations WHERE migration_set = ?", (MIGRATION_SET,))}
    known = {step.__name__ for step in STEPS}
    if names - known:
        raise NewerSchema(len(names))
    return len(names)


def migrate(conn: PgConnection, *, after: Callable[[list[str]], None] | None = None) -> list[str]:
    """Apply the pending steps in one transaction under the write lock; return their names."""
    from trappa.dates import now_utc

    conn.execute("BEGIN IMMEDIATE")  # the advisory lock: two first commands take turns
    try:
        found = identify(conn)  # again under the lock
        db = PgDatabase(conn)
        if found == 0:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS trappa_migrations (migration_set TEXT NOT NULL,"
                " name TEXT NOT NULL, applied TEXT NOT NULL, PRIMARY KEY (migration_set, name))"
            )
        for statement in FUNCTIONS:
            db.native(statement)
        done = {name for (name,) in conn.execute("SELECT name FROM trappa_migrations")}
        applied = []
        for step in STEPS:
            if step.__name__ in done:
                continue
            OVERRIDES.get(step.__name__, step)(db)  # type: ignore[arg-type]
            conn.execute(
                "INSERT INTO trappa_migrations (migration_set, name, applied) VALUES (?, ?, ?)",
                (MIGRATION_SET, step.__name__, now_utc()),
            )
            applied.append(step.__name__)
        if after is not None:
            after(applied)
        if applied:
            from trappa.store.admin import grant_privileges

            grant_privileges(conn)  # the roles of ``trappa db init`` on the new tables too
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return applied


__all__ = ["WRITE_LOCK", "identify", "migrate", "translate_ddl"]
