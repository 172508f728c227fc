"""Opening without writing: another program's database is refused exactly as it was, and a
read-only opening reads a register it may not write and leaves no file beside it."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from permissions import unwritable
from trappa.errors import EXIT_STORE, StoreError
from trappa.store.database import Store
from trappa.store.migrations import SCHEMA_VERSION, migrate


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def journal_mode(path: Path) -> str:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        mode: str = conn.execute("PRAGMA journal_mode").fetchone()[0]
        return mode
    finally:
        conn.close()


def foreign_database(path: Path, version: int) -> None:
    """Another program's database, in SQLite's default rollback-journal mode."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('kanelbullar')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def register(folder: Path) -> Path:
    path = folder / "register.db"
    with Store.open(path) as store, store.transaction():
        store.set_setting("org.name", "Region Kalmar län")
    return path


# Versions another program may have set: none, one below trappa's, trappa's own, one above.
@pytest.mark.parametrize("version", [0, 1, SCHEMA_VERSION, SCHEMA_VERSION + 1])
@pytest.mark.parametrize("read_only", [False, True], ids=["writing", "reading"])
def test_another_programs_database_is_refused_before_anything_is_written(
    tmp_path: Path, version: int, read_only: bool
) -> None:
    path = tmp_path / "recipes.db"
    foreign_database(path, version)
    before = sha256(path)
    with pytest.raises(StoreError) as raised:
        Store.open(path, read_only=read_only)
    assert raised.value.message == f"{path}: an SQLite database, but not one of trappa's"
    assert raised.value.exit_code == EXIT_STORE
    assert sha256(path) == before
    assert os.listdir(tmp_path) == ["recipes.db"]  # no -wal, -shm or -journal
    assert journal_mode(path) == "delete"


def test_a_table_named_like_sqlite_utils_one_does_not_make_a_database_trappa_s(
    tmp_path: Path,
) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE _sqlite_migrations (step TEXT)")
    conn.commit()
    conn.close()
    before = sha256(path)
    with pytest.raises(StoreError, match="not one of trappa's"):
        Store.open(path)
    assert (sha256(path), os.listdir(tmp_path)) == (before, ["other.db"])


def test_an_empty_file_becomes_a_register(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    path.touch()
    with Store.open(path) as store:
        assert store.settings() == {}
    assert journal_mode(path) == "wal"


def test_reading_only_writes_nothing_and_leaves_no_file(tmp_path: Path) -> None:
    path = register(tmp_path)
    before = sha256(path)
    with Store.open(path, read_only=True) as store:
        assert store.get_setting("org.name") == "Region Kalmar län"
        with pytest.raises(StoreError), store.transaction():
            store.set_setting("org.name", "Region Jämtland Härjedalen")
    assert sha256(path) == before
    assert os.listdir(tmp_path) == ["register.db"]


@pytest.mark.parametrize("locked", ["folder", "file"])
def test_a_register_the_user_may_not_write_is_read_and_nothing_is_left(
    tmp_path: Path, locked: str
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = register(folder)
    before = sha256(path)
    with unwritable(folder if locked == "folder" else path):
        with Store.open(path, read_only=True) as store:
            assert store.settings() == {"org.name": "Region Kalmar län"}
        assert os.listdir(folder) == ["register.db"]
    assert sha256(path) == before


def test_a_reader_sees_what_a_writer_with_the_register_open_has_committed(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = register(folder)
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")  # the change stays in the -wal file
        writer.execute("UPDATE settings SET value = 'Region Gävleborg' WHERE key = 'org.name'")
        siblings = sorted(os.listdir(folder))
        with unwritable(folder), Store.open(path, read_only=True) as store:
            assert store.get_setting("org.name") == "Region Gävleborg"
        assert sorted(os.listdir(folder)) == siblings
    finally:
        writer.close()


def test_a_schema_behind_is_not_upgraded_by_reading(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, stop_before="step_0002_case_projection")
    conn.close()
    before = sha256(path)
    with pytest.raises(StoreError) as raised:
        Store.open(path, read_only=True)
    assert raised.value.message == (
        f"{path}: the database's schema (version 1) is older than this trappa's"
        f" ({SCHEMA_VERSION}), and a command that only reads does not upgrade it"
    )
    assert raised.value.hint == (
        "run a command that records something, or ask the register's owner"
    )
    assert raised.value.exit_code == EXIT_STORE
    assert (sha256(path), os.listdir(tmp_path)) == (before, ["old.db"])


def test_an_empty_file_is_not_set_up_by_reading(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(StoreError) as raised:
        Store.open(path, read_only=True)
    assert raised.value.message == (
        f"{path}: the database is empty, and a command that only reads does not set it up"
    )
    assert (path.read_bytes(), os.listdir(tmp_path)) == (b"", ["empty.db"])


def test_a_missing_database_is_not_created_by_reading(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    with pytest.raises(StoreError, match="no database at"):
        Store.open(path, read_only=True)
    assert os.listdir(tmp_path) == []


def test_a_register_that_cannot_be_read_without_writing_says_so(tmp_path: Path) -> None:
    """A -wal file left without its index (a crash) needs the index created to be read."""
    folder = tmp_path / "shared"
    folder.mkdir()
    path = register(folder)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE settings SET value = 'Region Gävleborg' WHERE key = 'org.name'")
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("register.db", "register.db-wal"):
        (copy / name).write_bytes((folder / name).read_bytes())
    writer.close()
    with unwritable(copy), pytest.raises(StoreError) as raised:
        Store.open(copy / "register.db", read_only=True)
    assert raised.value.message.startswith(f"{copy / 'register.db'}: cannot read the database (")
    assert raised.value.exit_code == EXIT_STORE
    assert sorted(os.listdir(copy)) == ["register.db", "register.db-wal"]
