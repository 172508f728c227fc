"""Opening a database and what can be wrong with it (missing, not a database, read-only,
locked), where it is, and transactions."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from permissions import unwritable
from store_story import (
    dump,
    opening,
    seed,
)
from trappa.errors import EXIT_STORE, StoreError
from trappa.history.projection import fold
from trappa.store.database import Store, default_db_path, resolve_db_path


def test_the_connection_has_foreign_keys_on_and_waits_for_locks(store: Store) -> None:
    conn = store._conn
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
    assert conn.isolation_level is None


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
