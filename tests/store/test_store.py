"""The store: its schema and migrations, opening a database and what can go wrong with it,
transactions, and the records and case states it keeps."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlite_utils

from store_story import (
    LADDER_JSON,
    LADDER_REF,
    LADDER_SHA256,
    Parties,
    opening,
    seed,
    story,
)
from trappa.errors import EXIT_STORE, StoreError
from trappa.history.chain import event_hash
from trappa.history.projection import fold
from trappa.ladder.view import canonical_json
from trappa.store import connection, migrations
from trappa.store.database import Store, default_db_path, resolve_db_path
from trappa.store.migrations import SCHEMA_VERSION, migrate, user_version

EXPECTED_COLUMNS = {
    "suppliers": {"id": int, "name": str, "name_key": str, "org_nr": str},
    "contracts": {"id": int, "supplier_id": int, "name": str, "criticality": int},
    "ladders": {"sha256": str, "ref": str, "resolved": str, "stored_at": str},
    "settings": {"key": str, "value": str},
    "ladder_cache": {"ref": str, "sha256": str, "signature": str, "cached_at": str},
    "events": {
        "position": int, "case_id": str, "seq": int, "type": str, "date": str,
        "recorded_at": str, "actor": str, "data": str, "prev_hash": str, "hash": str,
    },
    "cases": {
        "id": str, "supplier_id": int, "contract_id": int, "ladder_sha256": str, "ladder": str,
        "reference": str, "status": str, "level": int, "level_since": str, "arrived_seq": int,
        "opened": str, "closed_on": str, "last_seq": int, "last_date": str,
    },
    "deviations": {
        "case_id": str, "n": int, "kind": str, "serious": int, "observed": str,
        "description": str, "category": str, "source": str, "reporter": str,
        "external_id": str, "state": str, "resolved_on": str, "reported_seq": int,
    },
    "plans": {
        "case_id": str, "n": int, "established": str, "due": str, "items": str, "owner": str,
        "outcome": str, "followed_up": str, "note": str,
    },
    "sanctions": {
        "case_id": str, "n": int, "date": str, "kind": str, "reason": str, "amount": float,
    },
    "level_changes": {
        "case_id": str, "seq": int, "date": str, "from_level": int, "to_level": int,
    },
    "activities_done": {
        "case_id": str, "seq": int, "date": str, "level": int, "activity": str, "note": str,
    },
    "letters_sent": {"case_id": str, "seq": int, "date": str, "kind": str, "data": str},
    "_sqlite_migrations": {"id": int, "migration_set": str, "name": str, "applied_at": str},
}
EXPECTED_INDEXES = {
    "suppliers_org_nr", "suppliers_by_name", "suppliers_by_name_key", "deviations_external_id",
    "cases_by_party", "cases_by_status", "cases_by_number",
}
STEP_NAMES = [
    "step_0001_records",
    "step_0002_case_projection",
    "step_0003_append_only_events",
    "step_0004_lookup_indexes",
    "step_0005_ladder_cache",
]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "register.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        yield opened


def dump(path: Path) -> list[str]:
    """Every table's schema and rows, as SQL: equal dumps are the same database content."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def table_rows(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    finally:
        conn.close()


# --- schema and migrations --------------------------------------------------------------------


def test_a_new_database_has_the_current_schema(store: Store, db_path: Path) -> None:
    db = sqlite_utils.Database(db_path)
    assert {name: db[name].columns_dict for name in db.table_names()} == EXPECTED_COLUMNS
    assert set(db.triggers_dict) == {"events_no_update", "events_no_delete", "events_no_replace"}
    named_indexes = {
        index.name for table in db.table_names() for index in db[table].indexes
        if not index.name.startswith(("sqlite_autoindex", "idx__sqlite_migrations"))
    }
    assert named_indexes == EXPECTED_INDEXES
    assert [m.name for m in migrations.migrations().applied(db)] == STEP_NAMES
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(STEP_NAMES)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_connection_has_foreign_keys_on_and_waits_for_locks(store: Store) -> None:
    conn = store._conn
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
    assert conn.isolation_level is None


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


def _insert_chained(conn: sqlite3.Connection, events: list) -> None:
    prev = "0" * 64
    for event in events:
        digest = event_hash(prev, event)
        conn.execute(
            "INSERT INTO events (case_id, seq, type, date, recorded_at, actor, data, prev_hash,"
            " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (event.case_id, event.seq, event.type, event.date, event.recorded_at, event.actor,
             canonical_json(event.data), prev, digest),
        )
        prev = digest


def test_an_old_schema_is_upgraded_without_loss(db_path: Path) -> None:
    conn = _old_database(db_path)
    assert user_version(conn) == 1
    assert "cases" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.execute("INSERT INTO suppliers (id, name, name_key, org_nr) VALUES"
                 " (1, 'Bemanningsbolaget Åkeri AB', 'bemanningsbolaget åkeri ab', '556677-8899')")
    conn.execute("INSERT INTO contracts VALUES (1, 1, 'Sjuksköterskor 2025', 3)")
    conn.execute("INSERT INTO ladders VALUES (?, ?, ?, '2026-01-01T00:00:00+00:00')",
                 (LADDER_SHA256, LADDER_REF, LADDER_JSON))
    conn.execute("INSERT INTO settings VALUES ('org.name', 'Region Kalmar län')")
    events = story("2026-0001", Parties(supplier_id=1, contract_id=1))
    _insert_chained(conn, events)
    conn.close()
    kept = ("suppliers", "contracts", "ladders", "settings", "events")
    before = {table: table_rows(db_path, table) for table in kept}

    with Store.open(db_path) as store:
        assert user_version(store._conn) == SCHEMA_VERSION
        # The projection did not exist: the upgrade builds it from the events.
        assert store.case_state("2026-0001") == fold(events)
        assert store.verify().ok
    assert {table: table_rows(db_path, table) for table in kept} == before
    db = sqlite_utils.Database(db_path)
    assert {name: db[name].columns_dict for name in db.table_names()} == EXPECTED_COLUMNS
    assert [m.name for m in migrations.migrations().applied(db)] == STEP_NAMES


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


# --- where the database is, and what can be wrong with it ---------------------------------------


def test_a_file_that_is_not_a_database_is_refused(db_path: Path) -> None:
    db_path.write_text("Leverantör;Avvikelse\nAcme;Sen leverans\n" * 100, encoding="utf-8")
    with pytest.raises(StoreError) as raised:
        Store.open(db_path)
    assert raised.value.message == f"{db_path}: not an SQLite database"
    assert raised.value.exit_code == EXIT_STORE


def test_a_missing_folder_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "trappa.db"
    with pytest.raises(StoreError) as raised:
        Store.open(path)
    assert raised.value.message == (
        f"{path}: the folder {tmp_path / 'no-such-folder'} does not exist"
    )
    assert not path.parent.exists()


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as raised:
        Store.open(tmp_path)
    assert raised.value.message == f"{tmp_path}: is a folder, not a database file"


def test_reading_commands_do_not_create_a_database(db_path: Path) -> None:
    with pytest.raises(StoreError) as raised:
        Store.open(db_path, create=False)
    assert raised.value.message == f"no database at {db_path}"
    assert raised.value.hint == (
        "'trappa report' creates one; or point --db or TRAPPA_DB at an existing database"
    )
    assert not db_path.exists()


@contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """Make ``path`` (a file or folder) unwritable, even for root, or skip the test.

    Root ignores permission bits, so as root the immutable attribute is used where the file
    system allows it; it is always cleared again.
    """
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(path)],
                                            capture_output=True).returncode != 0:
            pytest.skip("cannot make a file read-only for root here")
        try:
            yield
        finally:
            subprocess.run([chattr, "-i", str(path)], check=True)
        return
    mode = path.stat().st_mode
    path.chmod(mode & ~0o222)
    try:
        yield
    finally:
        path.chmod(mode)


def test_a_read_only_file_can_be_read_but_not_written(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.set_setting("org.name", "Region Kalmar län")
    with unwritable(db_path), Store.open(db_path) as store:
        assert store.get_setting("org.name") == "Region Kalmar län"
        with pytest.raises(StoreError) as raised:
            store.set_setting("org.name", "Region Jämtland Härjedalen")
        assert raised.value.message == (
            f"{db_path}: the database is read-only; check the permissions of the file and its"
            " folder"
        )
    with Store.open(db_path) as store:
        assert store.get_setting("org.name") == "Region Kalmar län"


def test_a_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    path = folder / "trappa.db"
    Store.open(path).close()
    with unwritable(folder), pytest.raises(StoreError) as raised:
        Store.open(path)
    assert raised.value.message == (
        f"{path}: cannot open the database; check that the file and its folder can be read and"
        " written"
    )


def test_a_locked_database_is_a_clear_error_after_the_busy_timeout(db_path: Path) -> None:
    Store.open(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another command is writing
    try:
        with Store.open(db_path, busy_timeout=0.1) as store:
            assert store.settings() == {}  # readers are not blocked (WAL)
            with pytest.raises(StoreError) as raised, store.transaction():
                pass
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert raised.value.message == (
        f"{db_path}: the database is locked by another process (waited 0.1 s)"
    )
    assert raised.value.hint == "try again when the other command has finished"


def test_resolve_db_path_prefers_the_option_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAPPA_DB", str(tmp_path / "env.db"))
    assert resolve_db_path(tmp_path / "option.db") == tmp_path / "option.db"
    assert resolve_db_path(None) == tmp_path / "env.db"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TRAPPA_DB", "~/trappa/register.db")
    assert resolve_db_path(None) == tmp_path / "home" / "trappa" / "register.db"


def test_the_default_location_is_in_the_user_data_folder_which_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRAPPA_DB")
    path = resolve_db_path(None)
    assert path == default_db_path()
    if sys.platform.startswith("linux"):  # conftest points XDG_DATA_HOME at the test folder
        assert path == tmp_path / "xdg-data" / "trappa" / "trappa.db"
    assert path.parent.is_dir()
    assert not path.exists()


# --- transactions -----------------------------------------------------------------------------


def test_a_transaction_that_raises_midway_leaves_every_table_as_it_was(
    store: Store, db_path: Path
) -> None:
    parties = seed(store)
    store.set_setting("org.name", "Region Kalmar län")
    before = dump(db_path)

    with pytest.raises(RuntimeError, match="power cut"), store.transaction():
        store.set_setting("org.name", "Region Jämtland Härjedalen")
        supplier = store.add_supplier("Städbolaget AB", None)
        store.add_contract(supplier, "Lokalvård", 2)
        case_id = store.next_case_id(2026)
        events = [opening(case_id, parties, external_id="X-1")]
        store.append(events)
        store.save_state(fold(events))
        raise RuntimeError("power cut")

    assert dump(db_path) == before
    assert store.next_case_id(2026) == "2026-0001"


def test_a_nested_block_that_fails_is_undone_alone(store: Store) -> None:
    with store.transaction():
        store.set_setting("org.unit", "Avtalsenheten")
        with pytest.raises(ValueError), store.transaction():
            store.set_setting("org.contact", "avtal@example.se")
            raise ValueError("refused")
    assert store.settings() == {"org.unit": "Avtalsenheten"}


# --- records ----------------------------------------------------------------------------------


def test_settings_are_kept_and_replaced(store: Store) -> None:
    assert store.get_setting("org.name") is None
    store.set_setting("org.name", "Region Kalmar län")
    store.set_setting("default.ladder", "kalmar")
    store.set_setting("org.name", "Region Kalmar län, Hälsoval")
    assert store.get_setting("org.name") == "Region Kalmar län, Hälsoval"
    assert store.settings() == {
        "default.ladder": "kalmar", "org.name": "Region Kalmar län, Hälsoval"
    }


def test_suppliers_are_found_by_org_nr_else_by_name_regardless_of_case(store: Store) -> None:
    acme = store.add_supplier("Acme Bemanning AB", "556677-8899")
    other = store.add_supplier("Acme Bemanning AB", None)
    shouting = store.add_supplier("ÅKERI NORR AB", None)
    quiet = store.add_supplier("Åkeri Norr AB", None)
    assert store.find_supplier(org_nr="556677-8899", name="whatever") == {
        "id": acme, "name": "Acme Bemanning AB", "org_nr": "556677-8899"
    }
    assert store.find_supplier(org_nr=None, name="Acme Bemanning AB")["id"] == acme  # oldest
    assert store.find_supplier(org_nr=None, name="acme bemanning ab")["id"] == acme
    # The exact spelling wins over an older one that differs in case.
    assert store.find_supplier(org_nr=None, name="Åkeri Norr AB")["id"] == quiet
    assert store.find_supplier(org_nr=None, name="åkeri norr ab")["id"] == shouting
    assert store.find_supplier(org_nr=None, name="Åkeri Syd AB") is None
    assert store.find_supplier(org_nr="212000-0142", name="Acme Bemanning AB") is None
    assert store.supplier(other) == {"id": other, "name": "Acme Bemanning AB", "org_nr": None}


def test_suppliers_named_matches_org_nr_or_name_regardless_of_case(store: Store) -> None:
    akeri = store.add_supplier("Östra Åkeriet AB", "556677-8899")
    store.add_supplier("Västra Åkeriet AB", None)
    assert [s["id"] for s in store.suppliers_named("ÖSTRA åkeriet ab")] == [akeri]
    assert [s["id"] for s in store.suppliers_named("556677-8899")] == [akeri]
    assert [s["id"] for s in store.suppliers_named(" 5566778899 ")] == [akeri]
    assert store.suppliers_named("Åkeriet") == []


def test_an_org_nr_belongs_to_one_supplier(store: Store, db_path: Path) -> None:
    store.add_supplier("Acme AB", "556677-8899")
    with pytest.raises(StoreError) as raised:
        store.add_supplier("Acme Sverige AB", "556677-8899")
    assert raised.value.message == (
        f"{db_path}: database error: UNIQUE constraint failed: suppliers.org_nr"
    )


def test_contracts_belong_to_a_supplier_and_have_a_criticality_of_1_to_4(
    store: Store, db_path: Path
) -> None:
    supplier = store.add_supplier("Acme AB", None)
    contract = store.add_contract(supplier, "Bemanning 2025", 4)
    unclassified = store.add_contract(supplier, "Tolktjänster", None)
    assert store.find_contract(supplier, "Bemanning 2025") == {
        "id": contract, "supplier_id": supplier, "name": "Bemanning 2025", "criticality": 4
    }
    assert store.contract(unclassified)["criticality"] is None
    assert store.find_contract(supplier, "bemanning 2025") is None
    with pytest.raises(StoreError) as raised:
        store.add_contract(supplier, "Städ", 5)
    assert raised.value.message == (
        f"{db_path}: database error: CHECK constraint failed: criticality BETWEEN 1 AND 4"
    )
    with pytest.raises(StoreError) as raised:
        store.add_contract(999, "Städ", 1)
    assert raised.value.message == f"{db_path}: database error: FOREIGN KEY constraint failed"


def test_unknown_ids_are_store_errors(store: Store, db_path: Path) -> None:
    with pytest.raises(StoreError, match="no supplier with id 7$"):
        store.supplier(7)
    with pytest.raises(StoreError, match="no contract with id 8$"):
        store.contract(8)
    with pytest.raises(StoreError) as raised:
        store.ladder_json("f" * 64)
    assert raised.value.message == (
        f"{db_path}: the ladder {'f' * 64} a case runs under is not in the database"
    )


def test_a_ladder_is_stored_once_and_must_match_its_sha256(store: Store) -> None:
    store.put_ladder(LADDER_REF, LADDER_SHA256, LADDER_JSON)
    store.put_ladder(LADDER_REF, LADDER_SHA256, LADDER_JSON)
    assert store.ladder_json(LADDER_SHA256) == LADDER_JSON
    with pytest.raises(StoreError) as raised:
        store.put_ladder(LADDER_REF, "0" * 64, LADDER_JSON)
    assert raised.value.message == (
        f"the resolved ladder {LADDER_REF} does not match its sha256 {'0' * 64}"
    )


# --- cases ------------------------------------------------------------------------------------


def _save(store: Store, events: list) -> None:
    with store.transaction():
        store.append(events)
        store.save_state(fold(events))


def test_case_ids_run_per_year_past_9999(store: Store) -> None:
    parties = seed(store)
    assert store.next_case_id(2026) == "2026-0001"
    _save(store, [opening("2026-0001", parties)])
    _save(store, [opening("2025-0041", parties)])
    assert store.next_case_id(2026) == "2026-0002"
    assert store.next_case_id(2025) == "2025-0042"
    assert store.next_case_id(2027) == "2027-0001"
    _save(store, [opening("2026-9999", parties)])
    assert store.next_case_id(2026) == "2026-10000"
    _save(store, [opening("2026-10000", parties)])
    assert store.next_case_id(2026) == "2026-10001"


def test_the_state_read_back_equals_the_fold_of_its_events(store: Store) -> None:
    parties = seed(store)
    events = story("2026-0001", parties)
    for end in range(1, len(events) + 1):  # every stage of the case, each saved over the last
        with store.transaction():
            store.append(events[end - 1 : end])
            store.save_state(fold(events[:end]))
        assert store.case_state("2026-0001") == fold(events[:end])
    state = store.case_state("2026-0001")
    assert state is not None
    # Every part of the state is really there, not trivially empty on both sides.
    assert [len(getattr(state, f)) for f in (
        "deviations", "plans", "sanctions", "level_changes", "activities_done", "letters_sent"
    )] == [2, 1, 1, 2, 2, 1]
    assert state.deviations[1].serious is True and state.plans[0].items == (
        "Bemanna alla pass", "Redovisa pension"
    )
    assert store.events("2026-0001") == events
    assert fold(store.events("2026-0001")) == state
    assert store.case_state("2026-0002") is None


def test_rebuilding_the_projection_gives_the_same_states(store: Store, db_path: Path) -> None:
    parties = seed(store)
    _save(store, story("2026-0001", parties))
    _save(store, [opening("2026-0002", parties, external_id="AVV-9")])
    before = dump(db_path)
    assert store.rebuild_projection() == 2
    assert dump(db_path) == before


def test_open_case_for_matches_supplier_contract_and_status(store: Store) -> None:
    parties = seed(store)
    without_contract = fold([opening("2026-0002", parties)])
    without_contract = without_contract._replace(contract_id=None)
    _save(store, [opening("2026-0001", parties)])
    with store.transaction():
        store.append([opening("2026-0002", parties)])
        store.save_state(without_contract)
    assert store.open_case_for(parties.supplier_id, parties.contract_id) == "2026-0001"
    assert store.open_case_for(parties.supplier_id, None) == "2026-0002"
    assert store.open_case_for(parties.supplier_id + 1, None) is None
    closed = store.case_state("2026-0001")._replace(status="closed")
    store.save_state(closed)
    assert store.open_case_for(parties.supplier_id, parties.contract_id) is None


def test_a_deviation_is_found_by_its_external_id_and_the_id_is_unique(
    store: Store, db_path: Path
) -> None:
    parties = seed(store)
    _save(store, story("2026-0001", parties))
    assert store.known_external_ids(["AVV-2026-17", "AVV-2026-18"]) == {"AVV-2026-17"}
    with pytest.raises(StoreError) as raised:
        _save(store, [opening("2026-0002", parties, external_id="AVV-2026-17")])
    assert raised.value.message == (
        f"{db_path}: database error: UNIQUE constraint failed: deviations.external_id"
    )
    assert store.case_state("2026-0002") is None and store.events("2026-0002") == []


def test_iter_states_streams_cases_in_id_order_by_status_and_supplier(store: Store) -> None:
    parties = seed(store)
    other = seed(store, name="Städbolaget AB", org_nr=None)
    _save(store, story("2026-0003", parties))  # reopened: open
    _save(store, [opening("2026-0001", other)])
    closed = story("2026-0002", parties, external_id="AVV-2026-18")[:12]  # ends with "closed"
    _save(store, closed)
    assert [s.id for s in store.iter_states()] == ["2026-0001", "2026-0003"]
    assert [s.id for s in store.iter_states(status=None)] == [
        "2026-0001", "2026-0002", "2026-0003"
    ]
    assert [s.id for s in store.iter_states(status="closed")] == ["2026-0002"]
    assert [s.id for s in store.iter_states(supplier_ids=[parties.supplier_id])] == ["2026-0003"]
    assert list(store.iter_states(supplier_ids=[])) == []
    states = {s.id: s for s in store.iter_states(status=None)}
    assert states["2026-0002"] == fold(closed)
    assert states["2026-0003"] == store.case_state("2026-0003")


