"""The schema's steps: each builds one part of the database, in the order ``STEPS`` of
``trappa.store.migrations`` lists them. A shipped step is never renamed, reordered or edited; a
change to the schema is a new step at the end (the follow-up cycle's steps 11 and 12 are in
``trappa.store.schema_follow_up``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def run_statements(db: Database, *statements: str) -> None:
    # One statement at a time: executescript() would commit the surrounding transaction.
    for statement in statements:
        db.execute(statement)


def step_0001_records(db: Database) -> None:
    """The records the events refer to, and the events themselves."""
    run_statements(
        db,
        """CREATE TABLE suppliers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (name <> ''),
            name_key TEXT NOT NULL,  -- casefold(name): case-insensitive lookups beyond ASCII
            org_nr TEXT
        )""",
        "CREATE UNIQUE INDEX suppliers_org_nr ON suppliers (org_nr) WHERE org_nr IS NOT NULL",
        """CREATE TABLE contracts (
            id INTEGER PRIMARY KEY,
            supplier_id INTEGER NOT NULL REFERENCES suppliers (id),
            name TEXT NOT NULL CHECK (name <> ''),
            criticality INTEGER CHECK (criticality BETWEEN 1 AND 4),
            UNIQUE (supplier_id, name)
        )""",
        """CREATE TABLE ladders (
            sha256 TEXT PRIMARY KEY,
            ref TEXT NOT NULL,
            resolved TEXT NOT NULL,  -- the resolved ladder as canonical JSON
            stored_at TEXT NOT NULL
        )""",
        """CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        # `position` is the rowid under its own name: the order of the global hash chain. A named
        # INTEGER PRIMARY KEY keeps its values through VACUUM, which may renumber a bare rowid.
        # UNIQUE (case_id, seq) makes a second writer of the same event fail instead of forking
        # the case's history.
        """CREATE TABLE events (
            position INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL,
            seq INTEGER NOT NULL CHECK (seq >= 1),
            type TEXT NOT NULL,
            date TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            data TEXT NOT NULL,  -- canonical JSON
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (case_id, seq)
        )""",
    )


def step_0002_case_projection(db: Database) -> None:
    """Cases' current state, derived from the events (``trappa.history.projection.fold``).

    WITHOUT ROWID tables are stored in primary-key order, so reading every case with its children
    in case order is a sequential scan of each table.
    """
    run_statements(
        db,
        """CREATE TABLE cases (
            id TEXT PRIMARY KEY,
            supplier_id INTEGER NOT NULL REFERENCES suppliers (id),
            contract_id INTEGER REFERENCES contracts (id),
            ladder_sha256 TEXT NOT NULL REFERENCES ladders (sha256),
            ladder TEXT NOT NULL,
            reference TEXT,
            status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
            level INTEGER NOT NULL,
            level_since TEXT NOT NULL,
            arrived_seq INTEGER NOT NULL,
            opened TEXT NOT NULL,
            closed_on TEXT,
            last_seq INTEGER NOT NULL,
            last_date TEXT NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE deviations (
            case_id TEXT NOT NULL REFERENCES cases (id),
            n INTEGER NOT NULL,
            kind TEXT NOT NULL,
            serious INTEGER NOT NULL,
            observed TEXT NOT NULL,
            description TEXT NOT NULL,
            category TEXT,
            source TEXT,
            reporter TEXT,
            external_id TEXT,
            state TEXT NOT NULL,
            resolved_on TEXT,
            reported_seq INTEGER NOT NULL,
            PRIMARY KEY (case_id, n)
        ) WITHOUT ROWID""",
        # An external id names one deviation in the whole register, so a re-run import adds
        # nothing twice.
        """CREATE UNIQUE INDEX deviations_external_id ON deviations (external_id)
            WHERE external_id IS NOT NULL""",
        """CREATE TABLE plans (
            case_id TEXT NOT NULL REFERENCES cases (id),
            n INTEGER NOT NULL,
            established TEXT NOT NULL,
            due TEXT NOT NULL,
            items TEXT NOT NULL,  -- JSON list of text
            owner TEXT,
            outcome TEXT,
            followed_up TEXT,
            note TEXT,
            PRIMARY KEY (case_id, n)
        ) WITHOUT ROWID""",
        """CREATE TABLE sanctions (
            case_id TEXT NOT NULL REFERENCES cases (id),
            n INTEGER NOT NULL,
            date TEXT NOT NULL,
            kind TEXT NOT NULL,
            reason TEXT NOT NULL,
            amount NUMERIC,
            PRIMARY KEY (case_id, n)
        ) WITHOUT ROWID""",
        """CREATE TABLE level_changes (
            case_id TEXT NOT NULL REFERENCES cases (id),
            seq INTEGER NOT NULL,
            date TEXT NOT NULL,
            from_level INTEGER NOT NULL,
            to_level INTEGER NOT NULL,
            PRIMARY KEY (case_id, seq)
        ) WITHOUT ROWID""",
        """CREATE TABLE activities_done (
            case_id TEXT NOT NULL REFERENCES cases (id),
            seq INTEGER NOT NULL,
            date TEXT NOT NULL,
            level INTEGER NOT NULL,
            activity TEXT NOT NULL,
            note TEXT,
            PRIMARY KEY (case_id, seq)
        ) WITHOUT ROWID""",
        """CREATE TABLE letters_sent (
            case_id TEXT NOT NULL REFERENCES cases (id),
            seq INTEGER NOT NULL,
            date TEXT NOT NULL,
            kind TEXT,
            data TEXT NOT NULL,  -- the whole letter record as JSON, so nothing is lost
            PRIMARY KEY (case_id, seq)
        ) WITHOUT ROWID""",
    )


def step_0003_append_only_events(db: Database) -> None:
    """Events are never changed or removed, and a recorded event is never replaced.

    The INSERT guard matters because ``INSERT OR REPLACE`` removes the conflicting row without
    firing DELETE triggers (unless recursive_triggers is on).
    """
    run_statements(
        db,
        """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN
            SELECT RAISE(ABORT, 'events are append-only: an event cannot be changed');
        END""",
        """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN
            SELECT RAISE(ABORT, 'events are append-only: an event cannot be deleted');
        END""",
        """CREATE TRIGGER events_no_replace BEFORE INSERT ON events
        WHEN EXISTS (SELECT 1 FROM events WHERE case_id = NEW.case_id AND seq = NEW.seq)
        BEGIN
            SELECT RAISE(ABORT, 'events are append-only: this event is already recorded');
        END""",
    )


def step_0004_lookup_indexes(db: Database) -> None:
    """What the commands look up: a party's open case, cases by status, suppliers by name."""
    run_statements(
        db,
        "CREATE INDEX cases_by_party ON cases (supplier_id, contract_id, status)",
        "CREATE INDEX cases_by_status ON cases (status)",
        # next_case_id: the highest running number of a year, even past 9999 where text order
        # and number order part.
        """CREATE INDEX cases_by_number
            ON cases (substr(id, 1, 4), CAST(substr(id, 6) AS INTEGER))""",
        "CREATE INDEX suppliers_by_name ON suppliers (name)",
        "CREATE INDEX suppliers_by_name_key ON suppliers (name_key)",
        # Contracts by supplier: UNIQUE (supplier_id, name) already indexes them.
    )


def step_0005_ladder_cache(db: Database) -> None:
    """What each ladder reference resolved to, and the state of the files it was read from
    (``trappa.cases.ladder_cache``), so that opening a case reads no YAML while they are
    unchanged."""
    run_statements(
        db,
        """CREATE TABLE ladder_cache (
            ref TEXT PRIMARY KEY,  -- as the user gave it, or a file's absolute path
            sha256 TEXT NOT NULL REFERENCES ladders (sha256),
            signature TEXT NOT NULL,  -- JSON: the folders searched, each path's mtime and size
            cached_at TEXT NOT NULL
        )""",
    )


def step_0006_register_id(db: Database) -> None:
    """The register's identity: a random UUID in a one-row table, made once, for new and
    existing registers alike. A checkpoint names it, so that a register swapped for another
    shows as such (``trappa.history.checkpoint``)."""
    import uuid

    run_statements(
        db,
        """CREATE TABLE register (
            one INTEGER PRIMARY KEY CHECK (one = 1),  -- one row: this register
            id TEXT NOT NULL CHECK (id <> '')
        )""",
    )
    db.execute("INSERT INTO register (one, id) VALUES (1, ?)", [str(uuid.uuid4())])


def step_0007_event_format(db: Database) -> None:
    """Event format 2 (``trappa.history.chain``, ``docs/evidence.md``): each new event's bytes
    as hashed, and the personal data its digests stand for, kept apart so that it can be erased.

    Events of format 1 keep a NULL body and verify as they were written.
    """
    run_statements(
        db,
        "ALTER TABLE events ADD COLUMN body BLOB",  # RFC 8785 bytes as hashed; NULL: format 1
        # One row per digest in the chain. Deleting a row erases the name (GDPR, gallring)
        # and leaves every hash intact: the chain holds only sha256(salt || value).
        """CREATE TABLE personal_data (
            digest TEXT PRIMARY KEY,  -- sha256(salt || value), hex: what the events hold
            salt BLOB NOT NULL,  -- 16 random bytes of this value alone
            value TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('actor', 'reporter'))
        ) WITHOUT ROWID""",
        # An actor's one digest is found by name; a reporter's is its deviation's own.
        "CREATE INDEX personal_data_actors ON personal_data (value) WHERE role = 'actor'",
    )


def step_0008_kept_letters(db: Database) -> None:
    """The exact bytes of every letter sent, content-addressed (``trappa.store.letters``): a
    letter can be written again byte for byte from the register, and ``verify`` checks each
    against its sha256.

    Like the events, a kept document is never changed or removed, and keeping the same bytes
    again keeps the first copy (``RAISE(IGNORE)`` skips the insert, ``REPLACE`` included).
    ``documents_kept_from`` holds the position of the newest event when this step ran: the
    letters sent after it must have their bytes here, those sent before never had.
    """
    run_statements(
        db,
        """CREATE TABLE documents (
            sha256 TEXT PRIMARY KEY,  -- of content: the key is the content's address
            content BLOB NOT NULL,
            stored_at TEXT NOT NULL
        )""",
        """CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
        BEGIN
            SELECT RAISE(ABORT, 'kept documents are never changed');
        END""",
        """CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
        BEGIN
            SELECT RAISE(ABORT, 'kept documents are never removed');
        END""",
        """CREATE TRIGGER documents_keep_first BEFORE INSERT ON documents
        WHEN EXISTS (SELECT 1 FROM documents WHERE sha256 = NEW.sha256)
        BEGIN
            SELECT RAISE(IGNORE);
        END""",
        "CREATE TABLE documents_kept_from (position INTEGER NOT NULL)",
        "INSERT INTO documents_kept_from SELECT coalesce(max(position), 0) FROM events",
    )


def step_0009_case_facts(db: Database) -> None:
    """The facts the rules read of a case (``trappa.history.facts``), kept in its row so that
    ``status`` and ``review`` read one table; filled in by the projection's rebuild after this
    step (``REBUILDS_PROJECTION``) and kept by every write of the case's row after it."""
    run_statements(
        db,
        "ALTER TABLE cases ADD COLUMN facts_counted TEXT",  # observation dates, joined by ","
        "ALTER TABLE cases ADD COLUMN facts_serious TEXT",
        "ALTER TABLE cases ADD COLUMN open_deviations INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE cases ADD COLUMN facts_changes TEXT",  # JSON [[date, from, to], ...]
        "ALTER TABLE cases ADD COLUMN facts_plans TEXT",  # JSON [[n, established, due, ...]]
        "ALTER TABLE cases ADD COLUMN facts_sanctions TEXT",  # dates, joined by ","
    )


# The index and the views of step 10 (PostgreSQL runs them too, ``trappa.store.pg_schema``).
BROWSING = (
    # Whether a case was open on a past day: its closures and reopenings, a few events of
    # the million, found without reading the rest (``trappa.store.figures``).
    """CREATE INDEX events_closures ON events (case_id, seq, date, type)
        WHERE type IN ('closed', 'reopened')""",
    """CREATE VIEW cases_overview AS
    SELECT c.id AS "case", s.name AS supplier, s.org_nr AS org_nr, ct.name AS contract,
        ct.criticality AS criticality, c.status AS status, c.level AS level,
        c.level_since AS level_since, c.opened AS opened, c.closed_on AS closed_on,
        (SELECT count(*) FROM deviations d WHERE d.case_id = c.id) AS deviations,
        (SELECT count(*) FROM deviations d WHERE d.case_id = c.id AND d.state = 'open')
            AS open_deviations,
        (SELECT p.due FROM plans p WHERE p.case_id = c.id AND p.outcome IS NULL
            ORDER BY p.n DESC LIMIT 1) AS plan_due,
        (SELECT count(*) FROM sanctions x WHERE x.case_id = c.id) AS sanctions,
        c.reference AS reference, c.ladder AS ladder, c.last_date AS last_event
    FROM cases c JOIN suppliers s ON s.id = c.supplier_id
    LEFT JOIN contracts ct ON ct.id = c.contract_id""",
    # No reporter: a name is personal data, kept out of what a browser shows at a glance.
    """CREATE VIEW deviations_overview AS
    SELECT d.case_id AS "case", d.n AS n, s.name AS supplier, ct.name AS contract,
        ct.criticality AS criticality, d.kind AS kind, d.serious AS serious,
        d.observed AS observed, d.category AS category, d.source AS source,
        d.description AS description, d.state AS state, d.resolved_on AS resolved_on,
        d.external_id AS external_id, c.level AS case_level, c.status AS case_status
    FROM deviations d JOIN cases c ON c.id = d.case_id
    JOIN suppliers s ON s.id = c.supplier_id
    LEFT JOIN contracts ct ON ct.id = c.contract_id""",
)


def step_0010_browsing(db: Database) -> None:
    """A register a person can read in Datasette or any SQLite browser: the events refer to
    their case by a foreign key, and two views give the cases and deviations with names; and
    an index of the closures and reopenings, for the key figures of a past day.

    The key is the column ``case_ref``, computed from ``case_id``: the case's id for an event of
    a case, NULL for an event of a stream that is no case (a name with a colon, such as
    ``contract:17``: a case id is ``YYYY-NNNN``), which SQLite's key then leaves alone. It is a
    virtual column: nothing is stored twice and nothing hashed changes.

    SQLite adds a foreign key only by building the table anew: the events are copied row for
    row, ``position`` included, so the hash chain and its global order are the same bytes as
    before; the append-only triggers, dropped with the old table, are made again first thing,
    before any other statement could touch the new one. The key is checked at commit
    (``DEFERRABLE INITIALLY DEFERRED``): a command appends a case's first event before it saves
    the case's row, and rebuilding the projection empties ``cases`` for a moment.
    """
    run_statements(
        db,
        """CREATE TABLE events_keyed (
            position INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL,
            seq INTEGER NOT NULL CHECK (seq >= 1),
            type TEXT NOT NULL,
            date TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            data TEXT NOT NULL,  -- canonical JSON
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            body BLOB,  -- RFC 8785 bytes as hashed; NULL: format 1
            case_ref TEXT GENERATED ALWAYS AS (
                CASE WHEN instr(case_id, ':') = 0 THEN case_id END
            ) VIRTUAL REFERENCES cases (id) DEFERRABLE INITIALLY DEFERRED,
            UNIQUE (case_id, seq)
        )""",
        """INSERT INTO events_keyed (position, case_id, seq, type, date, recorded_at, actor,
            data, prev_hash, hash, body)
        SELECT position, case_id, seq, type, date, recorded_at, actor, data, prev_hash, hash,
            body FROM events ORDER BY position""",
        "DROP TRIGGER events_no_update",
        "DROP TRIGGER events_no_delete",
        "DROP TRIGGER events_no_replace",
        "DROP TABLE events",
        "ALTER TABLE events_keyed RENAME TO events",
    )
    step_0003_append_only_events(db)
    run_statements(db, *BROWSING)


def step_0013_case_owner(db: Database) -> None:
    """A case's owner, its avtalsansvarig (the ``assigned`` event), for ``status --owner`` and
    ``--mine``. Cases recorded before have none: no event assigned one."""
    run_statements(
        db,
        "ALTER TABLE cases ADD COLUMN owner TEXT",
        "CREATE INDEX cases_by_owner ON cases (owner)",
    )
