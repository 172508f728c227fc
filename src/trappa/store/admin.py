"""Setting up and moving a register: the two roles of a PostgreSQL register and their least
privileges (``trappa db init``, ``trappa db grant``), and a whole register copied from one
store to another, either engine to either (``trappa db copy``).

The roles (``PREFIX_writer``, ``PREFIX_reader``) are group roles without login; a person's own
login role is made a member of one. The writer may add events and kept documents but never
change or remove them (INSERT and SELECT only: the triggers refuse the rest even to the
tables' owner), and may change the projection and the records; the reader may only read. The
register's identity and the schema's record are read-only to both. A later schema step run by
an administrator grants its new tables the same way (``grant_privileges`` after ``migrate``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from trappa.errors import Refusal, UserError
from trappa.messages import say
from trappa.store.migrations import TABLES

if TYPE_CHECKING:
    from trappa.store.connection import Connection

DEFAULT_PREFIX = "trappa"
GENERATED = frozenset({"case_ref"})  # computed by each engine from the row, never written
INSERT_ONLY = frozenset({"events", "documents"})  # the evidence: appended, never changed
READ_ONLY = frozenset({"register", "documents_kept_from", "trappa_migrations", "trappa_roles"})
_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_USER = re.compile(r"^[A-Za-z0-9_.@-]{1,63}$")

# The order a copy fills the tables in: each after those it refers to.
COPY_ORDER = (
    "suppliers", "contracts", "ladders", "settings", "register", "personal_data", "events",
    "cases", "deviations", "plans", "sanctions", "level_changes", "activities_done",
    "letters_sent", "risks", "ladder_cache", "documents", "documents_kept_from",
)
SINGLE_ROW = frozenset({"register", "documents_kept_from"})  # made by the schema: replaced


def check_prefix(prefix: str) -> str:
    if not _PREFIX.match(prefix):
        raise UserError(say("db.grant.bad_prefix", name=prefix))
    return prefix


def check_user(name: str) -> str:
    if not _USER.match(name):
        raise UserError(say("db.grant.bad_name", name=name))
    return name


def roles(prefix: str) -> tuple[str, str]:
    return f"{prefix}_writer", f"{prefix}_reader"


def init_roles(store: Connection, prefix: str) -> tuple[str, str]:
    """Make the two roles (when missing) and give them their privileges; remember the prefix
    so that a later upgrade grants its new tables too. Inside one transaction."""
    conn = store._conn
    writer, reader = roles(check_prefix(prefix))
    with store.transaction():
        for role in (writer, reader):
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", (role,)).fetchone()
            if exists is None:
                conn.execute(f'CREATE ROLE "{role}" NOLOGIN')
        conn.execute("CREATE TABLE IF NOT EXISTS trappa_roles (prefix TEXT PRIMARY KEY)")
        conn.execute("INSERT INTO trappa_roles (prefix) VALUES (?) ON CONFLICT DO NOTHING",
                     (prefix,))
        grant_privileges(conn)
    return writer, reader


def grant_privileges(conn: Any) -> None:
    """Each remembered prefix's roles get their privileges on every table of the register
    (``conn``: the store's connection, inside its transaction)."""
    if conn.execute("SELECT to_regclass('trappa_roles')").fetchone()[0] is None:
        return
    prefixes = [row[0] for row in conn.execute("SELECT prefix FROM trappa_roles")]
    tables = [row[0] for row in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
    for prefix in prefixes:
        writer, reader = roles(prefix)
        database = conn.execute("SELECT current_database()").fetchone()[0]
        conn.execute(f'GRANT CONNECT ON DATABASE "{database}" TO "{writer}", "{reader}"')
        conn.execute(f'GRANT USAGE ON SCHEMA public TO "{writer}", "{reader}"')
        for table in tables:
            conn.execute(f'REVOKE ALL ON "{table}" FROM "{writer}", "{reader}"')
            conn.execute(f'GRANT SELECT ON "{table}" TO "{writer}", "{reader}"')
            if table in INSERT_ONLY:
                conn.execute(f'GRANT INSERT ON "{table}" TO "{writer}"')
            elif table not in READ_ONLY:
                conn.execute(f'GRANT INSERT, UPDATE, DELETE ON "{table}" TO "{writer}"')
        conn.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{writer}"')


def grant(store: Connection, user: str, prefix: str, *, writer: bool) -> str:
    """Make ``user`` (a login role, made when missing) a member of the writer or the reader
    role and of that one alone; the role's name."""
    conn = store._conn
    check_user(user)
    writer_role, reader_role = roles(check_prefix(prefix))
    role, other = (writer_role, reader_role) if writer else (reader_role, writer_role)
    with store.transaction():
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = ?", (user,)).fetchone()
        if exists is None:
            conn.execute(f'CREATE ROLE "{user}" LOGIN')
        member = conn.execute(
            "SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid"
            " JOIN pg_roles u ON u.oid = m.member WHERE r.rolname = ? AND u.rolname = ?",
            (other, user),
        ).fetchone()
        if member is not None:
            conn.execute(f'REVOKE "{other}" FROM "{user}"')
        conn.execute(f'GRANT "{role}" TO "{user}"')
    return role


# --- copying a register ----------------------------------------------------------------------


def count_rows(store: Connection) -> int:
    """How many rows the register's own tables hold (beyond what its schema made)."""
    conn = store._conn
    return sum(
        int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        for table in sorted(TABLES - SINGLE_ROW)
    )


def count_cases(store: Connection) -> int:
    return int(store._conn.execute("SELECT count(*) FROM cases").fetchone()[0])


def copy_register(src: Connection, dst: Connection) -> int:
    """Every row of ``src`` into ``dst`` (an empty register of the same schema), in one
    transaction of ``dst`` and one snapshot of ``src``; the events copied."""
    source, target = src._conn, dst._conn
    tables = [*COPY_ORDER, *sorted(TABLES - set(COPY_ORDER))]
    if count_rows(dst):
        events = target.execute("SELECT count(*) FROM events").fetchone()[0]
        # Refused by the destination's state (exit 1), as a case's state refuses a move: the
        # register is sound, it only holds a history already.
        raise Refusal(say("db.copy.not_empty", dst=dst.path,
                          events=say("count.events", n=events)))
    copied = 0
    with dst.transaction(), src._snapshot():
        for table in tables:
            cursor = source.execute(f"SELECT * FROM {table}")
            names = [column[0] for column in cursor.description]
            keep = [i for i, name in enumerate(names) if name not in GENERATED]
            columns = [names[i] for i in keep]
            if table in SINGLE_ROW:
                target.execute(f"DELETE FROM {table}")
            insert = (f"INSERT INTO {table} ({', '.join(columns)})"
                      f" VALUES ({', '.join('?' * len(columns))})")
            rows = [tuple(_plain(row[i]) for i in keep) for row in cursor]
            target.executemany(insert, rows)
            if table == "events":
                copied = len(rows)
        if dst.engine != "sqlite":
            _restart_identities(dst)
    return copied


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def _restart_identities(store: Connection) -> None:
    """Each identity column continues after the highest value copied."""
    conn = store._conn
    found = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND is_identity = 'YES'"
    ).fetchall()
    for table, column in found:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"
            f" coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
        )
