"""A new install (no database yet): `status` and `review` show an empty register and create
nothing; commands about a case say there is no database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_trappa


@pytest.fixture
def new_install(tmp_path: Path) -> dict[str, str]:
    """No TRAPPA_DB: the default location, in a home folder that has nothing yet."""
    home = tmp_path / "new-home"
    home.mkdir()
    return {"HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share"), "TRAPPA_DB": ""}


def _empty_database(tmp_path: Path) -> str:
    db = tmp_path / "empty.db"
    first = run_trappa("report", "--db", str(db), "--supplier", "A AB", "--description", "x")
    assert first.returncode == 0, first.stderr
    resolved = run_trappa("resolve", "2026-0001", "1", "--db", str(db))
    assert resolved.returncode == 0, resolved.stderr
    closed = run_trappa("close", "2026-0001", "--db", str(db), "--reason", "test")
    assert closed.returncode == 0, closed.stderr
    return str(db)


@pytest.mark.parametrize("command", ["status", "review"])
@pytest.mark.parametrize("json", [[], ["--json"]], ids=["text", "json"])
def test_an_empty_register_as_an_empty_database_shows_it(
    command: str, json: list[str], new_install: dict[str, str], tmp_path: Path
) -> None:
    result = run_trappa(command, *json, env=new_install)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    empty = run_trappa(command, *json, "--db", _empty_database(tmp_path))
    assert result.stdout == empty.stdout
    if json:
        assert result.stdout.strip() == "[]"
    # Nothing created: neither the file nor its folder.
    assert os.listdir(new_install["HOME"]) == []


def test_an_explicit_db_that_does_not_exist_is_a_new_install_too(tmp_path: Path) -> None:
    db = tmp_path / "not-yet" / "t.db"
    result = run_trappa("status", "--json", "--db", str(db))
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr
    assert not db.parent.exists()


def test_an_unknown_supplier_is_unknown_on_a_new_install_too(new_install: dict[str, str]) -> None:
    result = run_trappa("status", "--supplier", "Nobody AB", env=new_install)
    assert result.returncode == 2
    assert result.stderr == "error: no supplier named 'Nobody AB'\n"


def test_review_of_a_past_date_is_refused_on_a_new_install_too(
    new_install: dict[str, str],
) -> None:
    result = run_trappa("review", "--as-of", "2026-01-01", env=new_install)
    assert result.returncode == 2
    assert result.stderr.startswith("error: review --as-of 2026-01-01 is before today")


def test_a_case_on_a_new_install_says_there_is_no_database(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    result = run_trappa("show", "2026-0001", "--db", str(db))
    assert result.returncode == 3
    assert result.stderr.splitlines()[0] == f"error: no database at {db}"
    assert not db.exists()
