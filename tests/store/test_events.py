"""The history is append-only and hash-chained: SQLite refuses to change a stored event, each
hash covers the previous hash and the canonical event, and writers at once take turns or fail
loudly rather than record anything twice."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from store_story import Parties, drop_guards, interleaved, raw, save, seed
from trappa.errors import StoreError
from trappa.history.chain import GENESIS, stored_body_json
from trappa.history.projection import Event
from trappa.ladder.view import canonical_json
from trappa.store.database import Store
from trappa.store.migrations import SCHEMA_VERSION


@pytest.fixture
def register(store: Store) -> Parties:
    """``store_story.interleaved``: positions A1=1 A2=2 A3=3 B1=4 A4=5 … A13=14 A14=15 B2=16."""
    return interleaved(store)


# --- append-only ------------------------------------------------------------------------------


def test_an_event_cannot_be_updated(register: Parties, db_path: Path) -> None:
    conn = raw(db_path)
    with pytest.raises(sqlite3.IntegrityError,
                       match="^events are append-only: an event cannot be changed$"):
        conn.execute("UPDATE events SET actor = 'någon annan' WHERE position = 2")


def test_an_event_cannot_be_deleted(register: Parties, db_path: Path) -> None:
    conn = raw(db_path)
    with pytest.raises(sqlite3.IntegrityError,
                       match="^events are append-only: an event cannot be deleted$"):
        conn.execute("DELETE FROM events WHERE case_id = '2026-0002'")


def test_an_event_cannot_be_replaced(register: Parties, db_path: Path) -> None:
    conn = raw(db_path)
    with pytest.raises(sqlite3.IntegrityError,
                       match="^events are append-only: this event is already recorded$"):
        conn.execute(
            "INSERT OR REPLACE INTO events (case_id, seq, type, date, recorded_at, actor, data,"
            " prev_hash, hash) SELECT case_id, seq, type, date, recorded_at, 'x', data,"
            " prev_hash, hash FROM events WHERE position = 1"
        )
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 16


# --- the hash chain ---------------------------------------------------------------------------


def test_each_hash_covers_the_previous_hash_and_the_canonical_event(
    register: Parties, db_path: Path, store: Store
) -> None:
    rows = raw(db_path).execute(
        "SELECT case_id, seq, type, date, recorded_at, actor, data, prev_hash, hash, body"
        " FROM events ORDER BY position"
    ).fetchall()
    assert [(r[0], r[1]) for r in rows[:5]] == [
        ("2026-0001", 1), ("2026-0001", 2), ("2026-0001", 3), ("2026-0002", 1), ("2026-0001", 4)
    ]
    names = dict(raw(db_path).execute("SELECT digest, value FROM personal_data"))
    events = {(e.case_id, e.seq): e for c in ("2026-0001", "2026-0002") for e in store.events(c)}
    prev = "0" * 64
    for case_id, seq, type_, date, recorded_at, actor, data, prev_hash, digest, body in rows:
        event = events[(case_id, seq)]
        assert prev_hash == prev
        # Format 2: the stored bytes are RFC 8785 of the body the columns hold, and are hashed.
        assert body == rfc8785.dumps({
            "v": 2, "case": case_id, "seq": seq, "type": type_, "date": date,
            "recorded_at": recorded_at, "actor": actor, "data": json.loads(data),
        })
        assert digest == hashlib.sha256(prev.encode() + body).hexdigest()
        assert names[actor] == event.actor == "Anna Avtal"  # the actor is a digest of the name
        assert (case_id, seq, type_, date, recorded_at) == event[:5]
        prev = digest


text = st.text(max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None)
@given(case_id=text, seq=st.integers(1, 10**6), type_=text, date=text, recorded_at=text,
       actor=text, data=st.dictionaries(text, json_values, max_size=4))
def test_the_spliced_body_is_exactly_the_canonical_json(
    case_id: str, seq: int, type_: str, date: str, recorded_at: str, actor: str, data: dict
) -> None:
    event = Event(case_id, seq, type_, date, recorded_at, actor, data)
    spliced = stored_body_json(case_id, seq, type_, date, recorded_at, actor,
                               canonical_json(data))
    assert spliced == canonical_json(event.body())


# --- concurrent writers -----------------------------------------------------------------------


def test_a_concurrent_duplicate_append_fails_loudly(register: Parties, db_path: Path) -> None:
    first, second = Store.open(db_path), Store.open(db_path)
    try:
        # Both commands read the case as it was and decide on event 3 of case B.
        state = second.case_state("2026-0002")
        assert state is not None and state.last_seq == 2
        note = Event("2026-0002", 3, "note", "2026-03-11", "2026-03-11T10:00:00+00:00",
                     "Anna Avtal", {"text": "Först"})
        late = Event("2026-0002", 3, "note", "2026-03-11", "2026-03-11T10:00:01+00:00",
                     "Bo Bygg", {"text": "Sist"})
        save(first, [note], [*first.events("2026-0002"), note])
        with pytest.raises(StoreError) as raised:
            save(second, [late], [*second.events("2026-0002")[:2], late])
        assert raised.value.message == (
            f"{db_path}: event 3 of case 2026-0002 is already recorded (another command wrote"
            " it first); nothing was saved"
        )
        assert [e.actor for e in second.events("2026-0002")] == [
            "Anna Avtal", "Anna Avtal", "Anna Avtal"
        ]
        assert second.verify().ok
    finally:
        first.close()
        second.close()


def test_the_unique_key_stops_a_duplicate_even_without_the_guards(
    register: Parties, db_path: Path
) -> None:
    conn = drop_guards(db_path)
    with pytest.raises(sqlite3.IntegrityError,
                       match="UNIQUE constraint failed: events.case_id, events.seq"):
        conn.execute(
            "INSERT INTO events (case_id, seq, type, date, recorded_at, actor, data, prev_hash,"
            " hash) VALUES ('2026-0001', 2, 'note', '2026-03-01', 'x', 'x', '{}', ?, ?)",
            (GENESIS, GENESIS),
        )


def test_an_event_that_leaves_a_gap_is_refused(register: Parties, store: Store,
                                               db_path: Path) -> None:
    gap = Event("2026-0002", 5, "note", "2026-03-11", "2026-03-11T10:00:00+00:00", "Anna Avtal",
                {"text": "Hoppar över"})
    with pytest.raises(StoreError) as raised:
        store.append([gap])
    assert raised.value.message == (
        f"{db_path}: event 5 of case 2026-0002 cannot follow event 2; nothing was saved"
    )


WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from store_story import Parties, opening
from trappa.history.projection import fold
from trappa.store.database import Store

BOTH_ENGINES = True  # the store tests run on SQLite and PostgreSQL (tests/conftest.py)

with Store.open(Path({path!r})) as store:
    for _ in range(8):
        with store.transaction():
            case_id = store.next_case_id(2026)
            events = [opening(case_id, Parties(1, 1))]
            store.append(events)
            store.save_state(fold(events))
"""


def test_processes_writing_at_once_take_turns(db_path: Path) -> None:
    with Store.open(db_path) as store:
        seed(store)
    code = WRITER.format(tests=str(Path(__file__).parent.parent), path=str(db_path))
    writers = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
               for _ in range(4)]
    for writer in writers:
        _, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
    with Store.open(db_path) as store:
        ids = [state.id for state in store.iter_states()]
        assert ids == [f"2026-{n:04d}" for n in range(1, 33)]
        report = store.verify()
        assert report.ok, report.problems
        assert report.events == 32


def test_processes_meeting_a_new_database_migrate_it_once(db_path: Path) -> None:
    code = (
        "from pathlib import Path; from trappa.store.database import Store; "
        f"Store.open(Path({str(db_path)!r})).close()"
    )
    openers = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
               for _ in range(3)]
    for opener in openers:
        _, err = opener.communicate(timeout=60)
        assert opener.returncode == 0, err
    conn = raw(db_path)
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == SCHEMA_VERSION
