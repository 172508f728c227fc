"""Shared test set-up: every test runs isolated from the user's home and real database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import pg

if TYPE_CHECKING:
    from trappa.store.database import Store

REPO = Path(__file__).resolve().parent.parent
LADDERS = REPO / "ladders"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every location trappa reads from or writes to at the test's own folder."""
    monkeypatch.setenv("TRAPPA_DB", str(tmp_path / "trappa.db"))
    monkeypatch.setenv("TRAPPA_USER", "testare")
    monkeypatch.setenv("TRAPPA_TODAY", "2026-10-01")
    monkeypatch.delenv("TRAPPA_LADDERS", raising=False)
    monkeypatch.delenv("TRAPPA_TEMPLATES", raising=False)
    monkeypatch.delenv("TRAPPA_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "120")  # stable rich output
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TRAPPA_LANG", "en")  # tests in Swedish set TRAPPA_LANG=sv themselves
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("TRAPPA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def run_trappa(*args: str, env: dict[str, str] | None = None, input: str | None = None,
               cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `trappa` in a subprocess with the test's environment."""
    return subprocess.run(
        [sys.executable, "-m", "trappa", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=input,
        cwd=cwd,
        timeout=120,
    )


def dump_db(db: Path | str | None = None) -> dict[str, list]:
    """Every row of every table, to show that a failed command changed nothing (the register
    TRAPPA_DB names when ``db`` is not given: a file or a PostgreSQL register)."""
    import sqlite3

    db = db if db is not None else os.environ["TRAPPA_DB"]
    if str(db).startswith("postgresql://"):
        return pg.dump(str(db))

    conn = sqlite3.connect(db)
    try:
        tables = [row[0] for row in conn.execute(
            "select name from sqlite_master where type = 'table' order by name")]
        return {t: sorted(conn.execute(f'select * from "{t}"').fetchall(), key=repr)
                for t in tables}
    finally:
        conn.close()


# --- golden files (letters) ---------------------------------------------------------------------
# Golden files live in tests/letters/golden/ and are compared byte for byte (Word files by
# their text).
# They change only when asked: `pytest --update-golden` rewrites them from what trappa renders now.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files in tests/letters/golden/ from the current output",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# --- a register of the test's own (the store's tests) -------------------------------------------


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "register.db"


@pytest.fixture
def store(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Store]:
    """A new register: a SQLite file, or (parametrized by ``pytest_generate_tests``) a
    PostgreSQL register."""
    from trappa.store.database import Store

    location: Path | str = db_path
    if getattr(request, "param", "sqlite") == "postgresql":
        location = request.getfixturevalue("pg_url")
    with Store.open(location) as opened:
        yield opened


# --- both engines: SQLite and a PostgreSQL server -------------------------------------------------
# One server per test session (per xdist worker), started on first use and stopped at the end;
# each test gets a fresh database of its own. Without a server the PostgreSQL half of a test is
# skipped with the reason, except under CI=true, where it fails.

_SERVER: list[pg.Server | str] = []


def pg_server() -> pg.Server:
    if not _SERVER:
        _SERVER.append(pg.start())
    server = _SERVER[0]
    if isinstance(server, str):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and no PostgreSQL server: {server}")
        pytest.skip(f"no PostgreSQL server: {server}")
    return server


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A module that sets ``BOTH_ENGINES = True`` runs its tests of the ``store`` fixture on
    both engines, except those about the SQLite file itself: those that take ``db_path`` (to
    read or tamper with the file) or are marked ``sqlite_only``."""
    if "store" not in metafunc.fixturenames:
        return
    import inspect

    both = (
        getattr(metafunc.module, "BOTH_ENGINES", False)
        and "db_path" not in inspect.signature(metafunc.function).parameters
        and metafunc.definition.get_closest_marker("sqlite_only") is None
    )
    metafunc.parametrize("store", ["sqlite", "postgresql"] if both else ["sqlite"],
                         indirect=True)


def pytest_sessionfinish(session: pytest.Session) -> None:
    for server in _SERVER:
        if not isinstance(server, str):
            server.stop()
    _SERVER.clear()


@pytest.fixture
def pg_url() -> str:
    """A fresh, empty PostgreSQL database owned by the test user (``testare``, the actor the
    tests expect): its URL."""
    server = pg_server()
    return server.url(server.fresh_database(), pg.TEST_USER)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test on both engines: TRAPPA_DB is a file, then a PostgreSQL register. A test
    marked ``sqlite_only`` is about the file itself and runs on SQLite alone."""
    if request.param == "postgresql":
        if request.node.get_closest_marker("sqlite_only"):
            pytest.skip("about the SQLite file itself")
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("TRAPPA_DB", url)
    return str(request.param)
