"""docs/evidence.md is enough to verify a register: ``standalone_verifier.py``, written from it
with nothing of trappa, agrees with ``trappa verify`` on registers with every event type, in
format 2 and in format 1 followed by format 2, and finds a changed byte."""

from __future__ import annotations

import ast
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from store_story import (
    LETTER,
    Parties,
    drop_guards,
    insert_format_1,
    interleaved,
    raw,
    save,
    seed_old,
    story,
)
from trappa.history.event_types import EVENT_TYPES
from trappa.history.projection import fold
from trappa.store.database import Store
from trappa.store.migrations import migrate

VERIFIER = Path(__file__).with_name("standalone_verifier.py")


def _standalone(db_path: Path) -> dict:
    result = subprocess.run([sys.executable, str(VERIFIER), str(db_path)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode in (0, 1), result.stderr
    found: dict = json.loads(result.stdout)
    assert result.returncode == (1 if found["problems"] else 0)
    return found


def _agree(db_path: Path) -> dict:
    """Both verifiers over the register: the same verdict, event count and head."""
    found = _standalone(db_path)
    with Store.open(db_path) as store:
        report = store.verify()
    head = raw(db_path).execute(
        "SELECT hash FROM events ORDER BY position DESC LIMIT 1").fetchone()[0]
    assert (bool(found["problems"]), found["events"]) == (not report.ok, report.events), (
        report.problems)
    assert found["head"] == head
    return found


def _types(db_path: Path) -> set[str]:
    return {t for (t,) in raw(db_path).execute("SELECT DISTINCT type FROM events")}


@pytest.fixture
def format_2(tmp_path: Path) -> Path:
    db_path = tmp_path / "format2.db"
    with Store.open(db_path) as store:
        parties = interleaved(store)
        whole = story("2026-0001", parties)
        save(store, whole[14:], whole)  # the rest of the story: every event type
    return db_path


@pytest.fixture
def format_1_then_2(tmp_path: Path) -> Path:
    """A register of format 1's time (rows written as format 1 wrote them), upgraded, and then
    continued in format 2."""
    db_path = tmp_path / "format1.db"
    conn = sqlite3.connect(db_path, isolation_level=None)
    migrate(conn, stop_before="step_0007_event_format")
    events = seed_old(conn)
    old = [e._replace(data={**e.data, "amount": 25000.0}) if e.type == "sanction" else e
           for e in events]  # format 1 hashed the kronor as the float sanction took
    insert_format_1(conn, old)
    conn.close()
    with Store.open(db_path) as store:  # upgraded to format 2
        second = story("2026-0002", Parties(supplier_id=1, contract_id=1), "AVV-2026-99")
        with store.transaction():
            store.keep_document(LETTER)  # the story's letter, kept as sent
            store.save_state(fold(store.events("2026-0001")))
            store.append(second)
            store.save_state(fold(second))
    return db_path


def test_the_verifier_needs_nothing_of_trappa() -> None:
    tree = ast.parse(VERIFIER.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "hashlib", "json", "sqlite3", "sys", "rfc8785"}


@pytest.mark.parametrize("register", ["format_2", "format_1_then_2"])
def test_it_agrees_with_trappa_on_every_event_type(
    register: str, request: pytest.FixtureRequest
) -> None:
    db_path: Path = request.getfixturevalue(register)
    assert _types(db_path) == set(EVENT_TYPES)
    found = _agree(db_path)
    assert found["problems"] == []
    assert found["events"] == (22 if register == "format_2" else 40)


@pytest.mark.parametrize("register", ["format_2", "format_1_then_2"])
@pytest.mark.parametrize("position", [1, 7, 13])
def test_a_changed_byte_is_found_by_both(
    register: str, position: int, request: pytest.FixtureRequest
) -> None:
    db_path: Path = request.getfixturevalue(register)
    conn = drop_guards(db_path)
    body, data = conn.execute(
        "SELECT body, data FROM events WHERE position = ?", (position,)).fetchone()
    if body is not None:  # one byte of the hashed bytes, within a text value
        at = body.index(b'"date":"') + 9
        changed = body[:at] + bytes([body[at] ^ 1]) + body[at + 1:]
        conn.execute("UPDATE events SET body = ? WHERE position = ?", (changed, position))
    else:
        at = data.index('":"') + 3
        changed_data = data[:at] + chr(ord(data[at]) ^ 1) + data[at + 1:]
        conn.execute("UPDATE events SET data = ? WHERE position = ?", (changed_data, position))
    conn.close()
    found = _agree(db_path)
    assert any(p.startswith(f"event {position} ") for p in found["problems"])


def test_a_column_that_differs_from_its_body_is_found_by_both(format_2: Path) -> None:
    """The body is intact, but the data every command reads says another amount."""
    conn = drop_guards(format_2)
    data = conn.execute("SELECT data FROM events WHERE type = 'sanction'"
                        " AND case_id = '2026-0001'").fetchone()[0]
    assert json.loads(data)["amount_ore"] == 2500000
    conn.execute("UPDATE events SET data = ? WHERE type = 'sanction' AND case_id = '2026-0001'",
                 (data.replace("2500000", "250"),))
    conn.close()
    found = _agree(format_2)
    assert found["problems"] == ["event 8 (2026-0001 #7): columns differ from the body"]


def test_an_erased_name_leaves_both_satisfied(format_2: Path) -> None:
    raw(format_2).execute("DELETE FROM personal_data WHERE role = 'actor'")
    assert _agree(format_2)["problems"] == []
    with Store.open(format_2) as store:
        assert {e.actor for e in store.events("2026-0001")} == {"(borttaget)"}
