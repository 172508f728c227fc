"""Shared test set-up: every test runs isolated from the user's home and real database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

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


def dump_db(db: Path) -> dict[str, list]:
    """Every row of every table, to show that a failed command changed nothing."""
    import sqlite3

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
def store(db_path: Path) -> Iterator[Store]:
    from trappa.store.database import Store

    with Store.open(db_path) as opened:
        yield opened
