"""Commands that read work on a register the user may not write, change nothing and leave no
file beside it; no command changes another program's SQLite database."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run_trappa
from permissions import unwritable

READS = [
    ["status"],
    ["status", "--all", "--json"],
    ["show", "2026-0001"],
    ["explain", "2026-0001", "--json"],
    ["review"],
    ["dossier", "Städbolaget AB"],
    ["letter", "2026-0001", "avvikelsemeddelande", "--preview"],
    ["letter", "2026-0001", "--list"],
    ["letter", "2026-0001", "--templates-path"],
    ["config", "get", "org.name"],
    ["config", "list", "--json"],
]


# The module's fixture runs outside conftest's per-test environment: the same settings here.
ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TRAPPA_TODAY": "2026-10-01", "TRAPPA_USER": "testare",
       "TRAPPA_LADDERS": "", "TRAPPA_TEMPLATES": ""}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _register(path: Path, env: dict[str, str] = ENV) -> None:
    for args in (
        ["report", "--supplier", "Städbolaget AB", "--description", "Sen leverans"],
        ["config", "set", "org.name", "Region Kalmar län"],
        ["config", "set", "org.unit", "Avtalsenheten"],
        ["config", "set", "org.contact", "avtal@example.se"],
        ["config", "set", "org.signatory", "Anna Andersson"],
    ):
        result = run_trappa(*args, "--db", str(path), env=env)
        assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One register, copied for each test: letters and dossiers state its head, which differs
    between two registers made alike (salts, recording times)."""
    folder = tmp_path_factory.mktemp("original")
    env = {**ENV, "HOME": str(folder), "XDG_DATA_HOME": str(folder)}
    path = folder / "register.db"
    _register(path, env)
    return path


@pytest.fixture(scope="module")
def answers(
    original: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[str, str]]:
    """What each reading command says on a register it may write."""
    folder = tmp_path_factory.mktemp("writable")
    env = {**ENV, "HOME": str(folder), "XDG_DATA_HOME": str(folder)}
    path = folder / "register.db"
    shutil.copyfile(original, path)
    return {" ".join(args): _read(args, path, env) for args in READS}


def _read(args: list[str], path: Path, env: dict[str, str] = ENV) -> tuple[str, str]:
    result = run_trappa(*args, "--db", str(path), env=env)
    assert result.returncode == 0, (args, result.stderr)
    return result.stdout, result.stderr


@pytest.fixture
def shared(original: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    shutil.copyfile(original, folder / "register.db")
    return folder


@pytest.mark.parametrize("locked", ["folder", "file"])
def test_reading_commands_read_a_register_the_user_may_not_write(
    shared: Path, locked: str, answers: dict[str, tuple[str, str]], tmp_path: Path
) -> None:
    path = shared / "register.db"
    before = sha256(path)
    with unwritable(shared if locked == "folder" else path):
        for args in READS:
            assert _read(args, path) == answers[" ".join(args)], args
            assert os.listdir(shared) == ["register.db"], args
    assert sha256(path) == before


def test_a_reading_command_on_an_old_register_says_what_to_do(tmp_path: Path) -> None:
    from trappa.store.migrations import SCHEMA_VERSION, migrate

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, stop_before="step_0002_case_projection")
    conn.close()
    result = run_trappa("status", "--db", str(path))
    assert result.returncode == 3
    assert result.stderr == (
        f"error: {path}: the database's schema (version 1) is older than this trappa's"
        f" ({SCHEMA_VERSION}), and a command that only reads does not upgrade it\n"
        "hint: run a command that records something, or ask the register's owner\n"
    )
    assert os.listdir(tmp_path) == ["old.db"]


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["show", "2026-0001"],
        ["config", "set", "org.name", "Region Kalmar län"],
        ["report", "--supplier", "Städbolaget AB", "--description", "Sen leverans"],
    ],
    ids=lambda args: args[0],
)
def test_another_programs_database_is_refused_and_left_exactly_as_it_was(
    tmp_path: Path, args: list[str]
) -> None:
    path = tmp_path / "recipes.db"
    conn = sqlite3.connect(path)  # SQLite's default: a rollback journal, not WAL
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    before = sha256(path)
    result = run_trappa(*args, "--db", str(path))
    assert result.returncode == 3
    assert result.stderr == f"error: {path}: an SQLite database, but not one of trappa's\n"
    assert sha256(path) == before
    assert os.listdir(tmp_path) == ["recipes.db"]
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    finally:
        conn.close()


# --- as another user, where the folder's permissions really stop the reader ---------------------


@pytest.fixture
def world_readable() -> Iterator[Path]:
    """A folder outside the test's own (which only its owner may enter)."""
    folder = Path(tempfile.mkdtemp(prefix="trappa-read-only-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in (folder, *folder.rglob("*")):
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(folder)


def _as_nobody() -> list[str]:
    runuser = shutil.which("runuser")
    if os.geteuid() != 0 or runuser is None:
        pytest.skip("needs root and runuser to run a command as another user")
    command = [runuser, "-u", "nobody", "--", sys.executable]
    if subprocess.run([*command, "-c", "import trappa"], capture_output=True).returncode != 0:
        pytest.skip("the user nobody cannot run this Python and trappa (e.g. both under /root)")
    return command


def test_another_user_reads_a_register_in_a_folder_they_may_not_write(
    world_readable: Path, answers: dict[str, tuple[str, str]]
) -> None:
    command = _as_nobody()
    folder = world_readable / "shared"
    folder.mkdir()
    path = folder / "register.db"
    _register(path)
    path.chmod(0o444)
    folder.chmod(0o555)
    env = {**os.environ, "HOME": str(world_readable), "XDG_DATA_HOME": str(world_readable)}
    result = subprocess.run(
        [*command, "-m", "trappa", "status", "--db", str(path)],
        capture_output=True, text=True, env=env, cwd=world_readable, timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout == answers["status"][0]
    assert os.listdir(folder) == ["register.db"]
