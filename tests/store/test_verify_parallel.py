"""``verify`` splits a large register between processes (each half of the chain and of the cases)
and a thread (SQLite's checks). What it reports must not depend on that: here the split is forced
on a small register, intact and tampered, and compared with the single pass, word for word."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from store_story import seed, story
from trappa.errors import StoreError
from trappa.history.projection import fold
from trappa.ladder.view import canonical_json
from trappa.store import checks
from trappa.store.database import Store


def _register(db_path: Path) -> None:
    """Three cases whose events interleave in the chain, so each half has cases."""
    with Store.open(db_path) as store:
        parties = seed(store)
        cases = [story(f"2026-000{n}", parties, external_id=f"AVV-{n}") for n in (1, 2, 3)]
        for chunk in (slice(0, 3), slice(3, 8), slice(8, None)):
            for events in cases:
                with store.transaction():
                    store.append(events[chunk])
                    store.save_state(fold(events[: chunk.stop]))


def _tamper(db_path: Path, *statements: str) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    for trigger in ("events_no_update", "events_no_delete", "events_no_replace"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for statement in statements:
        conn.execute(statement)
    conn.close()


def _change_data(db_path: Path) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    data = json.loads(conn.execute("SELECT data FROM events WHERE position = 20").fetchone()[0])
    data["tampered"] = True
    conn.close()
    _tamper(db_path, f"UPDATE events SET data = '{canonical_json(data)}' WHERE position = 20")


TAMPERINGS: dict[str, Callable[[Path], None]] = {
    "intact": lambda path: None,
    "changed data": _change_data,
    "removed event": lambda path: _tamper(path, "DELETE FROM events WHERE position = 11"),
    "removed newest": lambda path: _tamper(
        path, "DELETE FROM events WHERE position = (SELECT max(position) FROM events)"
    ),
    "changed projection": lambda path: _tamper(
        path, "UPDATE cases SET level = 5 WHERE id = '2026-0003'",
        "UPDATE deviations SET serious = 2 WHERE case_id = '2026-0001'",
    ),
    "unparsable": lambda path: _tamper(
        path, "UPDATE events SET data = '{\"x\": ' WHERE position = 25"
    ),
    "missing ladder": lambda path: _tamper(path, "DELETE FROM ladders"),
    # Where the chain is split in two: the first half's last event, and the second half's first.
    "removed at the split": lambda path: _tamper(
        path, "DELETE FROM events WHERE position = (SELECT max(position) / 2 FROM events)"
    ),
    "relinked after the split": lambda path: _tamper(
        path, "UPDATE events SET prev_hash = hash"
        " WHERE position = (SELECT max(position) / 2 + 1 FROM events)"
    ),
}


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_the_split_reports_exactly_what_one_pass_reports(
    tampering: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "register.db"
    _register(db_path)
    TAMPERINGS[tampering](db_path)

    with Store.open(db_path) as store:
        single = store.verify().to_json()
    monkeypatch.setattr(checks, "PARALLEL_VERIFY_EVENTS", 1)
    with Store.open(db_path) as store:
        split = store.verify().to_json()

    assert split == single
    assert split["ok"] is (tampering == "intact")
    assert split["cases"] == 3


def test_a_failing_part_is_a_store_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "register.db"
    _register(db_path)
    monkeypatch.setattr(checks, "PARALLEL_VERIFY_EVENTS", 1)

    def broken(path: Path, after: int, last_position: int) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(checks, "_chain_part", broken)
    with Store.open(db_path) as store, pytest.raises(StoreError) as raised:
        store.verify()
    assert raised.value.message == f"{db_path}: database error: disk I/O error"
