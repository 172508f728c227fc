"""The schema: a new database gets the current one, an older one is upgraded without loss or
not at all, and a newer one or another program's database is refused untouched."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlite_utils

from store_story import (
    LADDER_SHA256,
    LETTER,
    dump,
    insert_format_1,
    raw,
    seed,
    seed_old,
    story,
)
from trappa.errors import EXIT_STORE, StoreError
from trappa.history.facts import facts_of
from trappa.history.projection import fold
from trappa.store import connection, migrations
from trappa.store.database import Store
from trappa.store.migrations import SCHEMA_VERSION, migrate, user_version

EXPECTED_COLUMNS = {
    "suppliers": {"id": int, "name": str, "name_key": str, "org_nr": str},
    "contracts": {
        "id": int, "supplier_id": int, "name": str, "criticality": int, "procurement": str,
        "claim_within_days": int, "last_seq": int,
    },
    "ladders": {"sha256": str, "ref": str, "resolved": str, "stored_at": str},
    "settings": {"key": str, "value": str},
    "ladder_cache": {"ref": str, "sha256": str, "signature": str, "cached_at": str},
    "events": {
        "position": int, "case_id": str, "seq": int, "type": str, "date": str,
        "recorded_at": str, "actor": str, "data": str, "prev_hash": str, "hash": str,
        "body": bytes,
    },
    "personal_data": {"digest": str, "salt": bytes, "value": str, "role": str},
    "cases": {
        "id": str, "supplier_id": int, "contract_id": int, "ladder_sha256": str, "ladder": str,
        "reference": str, "status": str, "level": int, "level_since": str, "arrived_seq": int,
        "opened": str, "closed_on": str, "last_seq": int, "last_date": str,
        "facts_counted": str, "facts_serious": str, "open_deviations": int,
        "facts_changes": str, "facts_plans": str, "facts_sanctions": str, "facts_risks": str,
        "owner": str,
    },
    "deviations": {
        "case_id": str, "n": int, "kind": str, "serious": int, "observed": str,
        "description": str, "category": str, "source": str, "reporter": str,
        "external_id": str, "state": str, "resolved_on": str, "reported_seq": int,
        "waived_on": str, "waiver": str,
    },
    "plans": {
        "case_id": str, "n": int, "established": str, "due": str, "items": str, "owner": str,
        "outcome": str, "followed_up": str, "note": str,
    },
    "sanctions": {
        "case_id": str, "n": int, "date": str, "kind": str, "reason": str, "amount": float,
        "deviations": str,
    },
    "level_changes": {
        "case_id": str, "seq": int, "date": str, "from_level": int, "to_level": int,
    },
    "activities_done": {
        "case_id": str, "seq": int, "date": str, "level": int, "activity": str, "note": str,
    },
    "letters_sent": {"case_id": str, "seq": int, "date": str, "kind": str, "data": str},
    "risks": {
        "case_id": str, "n": int, "seq": int, "date": str, "probability": int,
        "consequence": int, "score": int, "band": str, "band_default": int, "note": str,
    },
    "register": {"one": int, "id": str},
    "documents": {"sha256": str, "content": bytes, "stored_at": str},
    "documents_kept_from": {"position": int},
    "_sqlite_migrations": {"id": int, "migration_set": str, "name": str, "applied_at": str},
}
EXPECTED_INDEXES = {
    "suppliers_org_nr", "suppliers_by_name", "suppliers_by_name_key", "deviations_external_id",
    "cases_by_party", "cases_by_status", "cases_by_owner", "cases_by_number",
    "personal_data_actors", "events_closures", "events_by_case",
}
STEP_NAMES = [
    "step_0001_records",
    "step_0002_case_projection",
    "step_0003_append_only_events",
    "step_0004_lookup_indexes",
    "step_0005_ladder_cache",
    "step_0006_register_id",
    "step_0007_event_format",
    "step_0008_kept_letters",
    "step_0009_case_facts",
    "step_0010_browsing",
    "step_0011_follow_up",
    "step_0012_follow_up_records",
    "step_0013_case_owner",
    "step_0014_events_by_case",
]


def table_rows(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    finally:
        conn.close()


def test_a_new_database_has_the_current_schema(store: Store, db_path: Path) -> None:
    db = sqlite_utils.Database(db_path)
    assert {name: db[name].columns_dict for name in db.table_names()} == EXPECTED_COLUMNS
    assert set(db.triggers_dict) == {
        "events_no_update", "events_no_delete", "events_no_replace",
        "documents_no_update", "documents_no_delete", "documents_keep_first",
    }
    named_indexes = {
        index.name for table in db.table_names() for index in db[table].indexes
        if not index.name.startswith(("sqlite_autoindex", "idx__sqlite_migrations"))
    }
    assert named_indexes == EXPECTED_INDEXES
    assert [m.name for m in migrations.migrations().applied(db)] == STEP_NAMES
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(STEP_NAMES)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_opening_a_current_database_does_not_import_sqlite_utils(db_path: Path) -> None:
    Store.open(db_path).close()  # created and migrated here
    code = (
        "import sys; from pathlib import Path; from trappa.store.database import Store; "
        f"Store.open(Path({str(db_path)!r})).close(); "
        "print('sqlite_utils' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def _old_database(path: Path) -> sqlite3.Connection:
    """A database as the first schema step left it: records and events, no projection."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, stop_before="step_0002_case_projection")
    return conn


def test_an_old_schema_is_upgraded_without_loss(db_path: Path) -> None:
    conn = _old_database(db_path)
    assert user_version(conn) == 1
    assert "cases" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    events = seed_old(conn)
    conn.execute("INSERT INTO settings VALUES ('org.name', 'Region Kalmar län')")
    insert_format_1(conn, events)
    conn.close()
    kept = ("suppliers", "contracts", "ladders", "settings", "events")
    before = {table: table_rows(db_path, table) for table in kept}

    with Store.open(db_path) as store:
        assert user_version(store._conn) == SCHEMA_VERSION
        # The projection did not exist: the upgrade builds it from the events.
        assert store.case_state("2026-0001") == fold(events)
        assert store.verify().ok
        assert store.events("2026-0001") == events  # format 1 reads back as it was written
    # Every row kept as it was; the events gain an empty body (format 1: spliced when verified)
    # and, computed, the case their key refers to.
    before["events"] = [(*row, None, row[1]) for row in before["events"]]
    # Step 0011 gave the contracts their own facts, none yet, and no events of their own.
    before["contracts"] = [(*row, None, None, 0) for row in before["contracts"]]
    assert {table: table_rows(db_path, table) for table in kept} == before
    # Step 0006 gave the existing register its id.
    ((one, register_id),) = table_rows(db_path, "register")
    assert one == 1 and str(uuid.UUID(register_id)) == register_id
    db = sqlite_utils.Database(db_path)
    assert {name: db[name].columns_dict for name in db.table_names()} == EXPECTED_COLUMNS
    assert [m.name for m in migrations.migrations().applied(db)] == STEP_NAMES


def test_a_register_from_before_the_kept_facts_gets_them_from_its_events(db_path: Path) -> None:
    """A register whose cases were written without the facts (the schema before
    step_0009): the upgrade fills them in from the events, and status reads what the rules read
    of a replay."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    migrate(conn, stop_before="step_0009_case_facts")
    events = seed_old(conn)
    insert_format_1(conn, events)
    # Its letters were sent before the register kept letters' bytes (step_0008 came after).
    conn.execute("UPDATE documents_kept_from SET position = (SELECT max(position) FROM events)")
    state = fold(events)
    # The case's row as that schema held it: no facts.
    conn.execute(
        "INSERT INTO cases VALUES (?, 1, 1, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
        (state.id, LADDER_SHA256, state.ladder, state.status, state.level, state.level_since,
         state.arrived_seq, state.opened, state.closed_on, state.last_seq, state.last_date),
    )
    conn.close()

    with Store.open(db_path) as store:
        (summary,) = store.iter_summaries(status=None)
        assert summary.facts() == facts_of(state)
        assert summary.facts().counted  # the story's deviations, now kept with the case
        assert store.verify().ok


def _install_failing_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fifth schema step that creates a table, writes a row, and then fails."""

    def step_0005_fails(db: sqlite_utils.Database) -> None:
        db.execute("CREATE TABLE half_done (x INTEGER)")
        db.execute("INSERT INTO suppliers (name, name_key) VALUES ('Halvvägs AB', 'halvvägs ab')")
        raise sqlite3.OperationalError("step 5 broke")

    monkeypatch.setattr(migrations, "STEPS", (*migrations.STEPS, step_0005_fails))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(connection, "SCHEMA_VERSION", SCHEMA_VERSION + 1)


def test_a_failing_step_rolls_back_and_leaves_the_database_as_it_was(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(db_path) as store:
        seed(store)
    before = dump(db_path)
    _install_failing_step(monkeypatch)

    with pytest.raises(StoreError) as raised:
        Store.open(db_path)
    assert raised.value.message == (
        f"{db_path}: upgrading the database failed (step 5 broke); it is unchanged"
    )
    assert raised.value.exit_code == EXIT_STORE
    assert dump(db_path) == before
    conn = sqlite3.connect(db_path)
    assert user_version(conn) == SCHEMA_VERSION
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")] == STEP_NAMES
    conn.close()


def test_a_failing_step_on_a_new_database_leaves_no_schema_at_all(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install_failing_step(monkeypatch)
    with pytest.raises(StoreError):
        Store.open(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
    assert user_version(conn) == 0
    conn.close()


def test_a_newer_schema_is_refused(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = dump(db_path)
    with pytest.raises(StoreError) as raised:
        Store.open(db_path)
    assert raised.value.message == (
        f"{db_path}: database schema version {SCHEMA_VERSION + 1} is newer than this trappa"
        f" ({SCHEMA_VERSION}); upgrade trappa"
    )
    assert dump(db_path) == before


def test_an_sqlite_database_of_another_program_is_refused_untouched(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = dump(db_path)
    with pytest.raises(StoreError) as raised:
        Store.open(db_path)
    assert raised.value.message == f"{db_path}: an SQLite database, but not one of trappa's"
    assert dump(db_path) == before


def test_every_register_gets_its_own_id_once(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as first, Store.open(tmp_path / "b.db") as second:
        ids = (first.head().register_id, second.head().register_id)
    assert ids[0] and ids[1] and ids[0] != ids[1]
    with Store.open(tmp_path / "a.db") as again:
        assert again.head().register_id == ids[0]
def test_a_format_1_register_goes_on_in_format_2_and_verifies(db_path: Path) -> None:
    """A register written before format 2: its events keep verifying under the rule they were
    written with, and the events after them are written (and verified) in format 2."""
    conn = _old_database(db_path)
    events = seed_old(conn)
    insert_format_1(conn, events[:6])
    conn.close()

    with Store.open(db_path) as store:
        with store.transaction():
            store.keep_document(LETTER)  # the story's letter is sent after the upgrade
            store.append(events[6:])
            store.save_state(fold(events))
        report = store.verify()
        assert (report.ok, report.events) == (True, len(events)), report.problems
        assert store.events("2026-0001") == [
            # Format 2 gives the amount back in kronor as a float, as `sanction` takes it.
            e._replace(data={**e.data, "amount": 25000.0}) if e.type == "sanction" else e
            for e in events
        ]
    formats = [body is not None for (body,) in raw(db_path).execute(
        "SELECT body FROM events ORDER BY position")]
    assert formats == [False] * 6 + [True] * (len(events) - 6)
    stored = raw(db_path).execute(
        "SELECT data FROM events WHERE type = 'sanction'").fetchone()[0]
    assert json.loads(stored)["amount_ore"] == 2500000 and "amount" not in json.loads(stored)


def test_a_register_before_the_browsing_step_keeps_its_chain_and_guards(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Step 10 builds the events table anew with a foreign key to its case: every event stays
    the same row at the same position, the chain verifies, and the table is append-only still.
    The old register holds the events only: the upgrade rebuilds the cases they name before the
    key is checked (the later steps' columns did not exist when such a register was written)."""
    with monkeypatch.context() as patch:
        older = [step.__name__ for step in migrations.STEPS].index(migrations.KEYS_EVENTS)
        patch.setattr(migrations, "STEPS", migrations.STEPS[:older])
        patch.setattr(migrations, "SCHEMA_VERSION", older)
        patch.setattr(connection, "SCHEMA_VERSION", older)
        with Store.open(db_path) as old:
            parties = seed(old)
            events = story("2026-0001", parties)
            with old.transaction():
                old.keep_document(LETTER)
                old.append(events)
    before = table_rows(db_path, "events")
    with Store.open(db_path) as store:
        assert user_version(store._conn) == SCHEMA_VERSION
        report = store.verify()
        assert report.ok and report.events == len(events), report.problems
    assert table_rows(db_path, "events") == [(*row, row[1]) for row in before]
    db = sqlite_utils.Database(db_path)
    assert [(fk.column, fk.other_table, fk.other_column) for fk in db["events"].foreign_keys] == [
        ("case_ref", "cases", "id")
    ]
    # The key's column is the case's id, computed: nothing more is stored.
    assert raw(db_path).execute(
        "SELECT count(*) FROM events WHERE case_ref IS NOT case_id").fetchone() == (0,)
    assert {"events_no_update", "events_no_delete", "events_no_replace"} <= set(db.triggers_dict)
    conn = raw(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET actor = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events")
    assert conn.execute('SELECT "case", supplier, level FROM cases_overview').fetchall() == [
        ("2026-0001", "Bemanningsbolaget Åkeri AB", fold(events).level)
    ]
    (deviations,) = conn.execute("SELECT count(*) FROM deviations_overview").fetchone()
    assert deviations == len(fold(events).deviations)


def test_an_event_of_no_case_is_refused_at_commit(store: Store) -> None:
    """The foreign key holds for new events: one whose case is never saved does not commit."""
    parties = seed(store)
    events = story("2026-0001", parties)
    with pytest.raises(StoreError), store.transaction():
        store.append(events[:1])
    assert store.events("2026-0001") == []


def save_all(store: Store, events: list) -> None:
    with store.transaction():
        store.append(events)
        store.save_state(fold(events))


def test_only_a_cases_events_are_keyed_to_a_case(store: Store, db_path: Path) -> None:
    """A stream that is no case (its name has a colon, as ``contract:17``) refers to no case."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    row = "INSERT INTO events (case_id, seq, type, date, recorded_at, actor, data, prev_hash," \
          " hash) VALUES (?, 1, 'note', '2026-01-01', 'x', 'x', '{}', 'x', 'x')"
    conn.execute("BEGIN")
    conn.execute(row, ("contract:17",))
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    conn.execute(row, ("2026-0099",))
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute("COMMIT")
    conn.execute("ROLLBACK")
    assert [r[0] for r in conn.execute("SELECT case_ref FROM events")] == [None]
