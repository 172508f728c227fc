"""The history cannot be changed through SQLite, and a change made behind trappa's back (guard
triggers dropped) is found by ``verify``, which names the first bad event."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store_story import Parties, seed, story
from trappa.errors import StoreError
from trappa.history.chain import GENESIS, stored_body_json
from trappa.history.projection import Event, fold
from trappa.ladder.view import canonical_json
from trappa.store.database import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "register.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        yield opened


def _save(store: Store, events: list[Event], state_events: list[Event] | None = None) -> None:
    with store.transaction():
        store.append(events)
        store.save_state(fold(state_events or events))


@pytest.fixture
def register(store: Store) -> Parties:
    """Two cases whose events interleave in the chain: A1-A3, B1, A4-A13, B2.

    Positions: A1=1 A2=2 A3=3 B1=4 A4=5 … A13=14 B2=15.
    """
    parties = seed(store)
    a = story("2026-0001", parties)
    b = story("2026-0002", parties, external_id="AVV-2026-99")[:2]
    _save(store, a[:3])
    _save(store, b[:1])
    _save(store, a[3:], a)
    _save(store, b[1:], b)
    return parties


def raw(db_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(db_path, isolation_level=None)


def drop_guards(db_path: Path) -> sqlite3.Connection:
    """What someone editing the file with another tool could do first."""
    conn = raw(db_path)
    for trigger in ("events_no_update", "events_no_delete", "events_no_replace"):
        conn.execute(f"DROP TRIGGER {trigger}")
    return conn


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
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 15


# --- the hash chain ---------------------------------------------------------------------------


def test_each_hash_covers_the_previous_hash_and_the_canonical_event(
    register: Parties, db_path: Path, store: Store
) -> None:
    rows = raw(db_path).execute(
        "SELECT case_id, seq, data, prev_hash, hash FROM events ORDER BY position"
    ).fetchall()
    assert [(r[0], r[1]) for r in rows[:5]] == [
        ("2026-0001", 1), ("2026-0001", 2), ("2026-0001", 3), ("2026-0002", 1), ("2026-0001", 4)
    ]
    events = {(e.case_id, e.seq): e for c in ("2026-0001", "2026-0002") for e in store.events(c)}
    prev = "0" * 64
    for case_id, seq, data, prev_hash, digest in rows:
        event = events[(case_id, seq)]
        assert prev_hash == prev
        assert data == canonical_json(event.data)
        expected = hashlib.sha256((prev + canonical_json(event.body())).encode()).hexdigest()
        assert digest == expected
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


# --- verify -----------------------------------------------------------------------------------


def test_an_untouched_history_verifies(register: Parties, store: Store) -> None:
    report = store.verify()
    assert report.ok, report.problems
    assert (report.events, report.cases, report.problems, report.first_bad) == (15, 2, [], None)
    assert report.to_json() == {
        "ok": True, "events": 15, "cases": 2, "problems": [], "more_problems": 0,
        "first_bad": None,
    }
    json.dumps(report.to_json())  # JSON-ready


def test_an_empty_database_verifies(store: Store) -> None:
    report = store.verify()
    assert report.ok and report.events == 0 and report.cases == 0


def test_altered_event_data_is_a_hash_mismatch(register: Parties, db_path: Path) -> None:
    conn = drop_guards(db_path)
    data = json.loads(conn.execute("SELECT data FROM events WHERE position = 7").fetchone()[0])
    assert data["outcome"] == "not_followed"  # A6: the follow-up of the action plan
    data["outcome"] = "followed"  # rewriting the evidence
    conn.execute("UPDATE events SET data = ? WHERE position = 7", (canonical_json(data),))

    with Store.open(db_path) as store:
        report = store.verify()
    assert not report.ok
    assert report.first_bad == {
        "case": "2026-0001", "seq": 6, "position": 7, "problem": "hash mismatch"
    }
    assert report.problems[0] == (
        "event 6 of case 2026-0001 (position 7): hash mismatch: it was changed after it was"
        " recorded"
    )


def test_deleted_event_is_named_as_missing(register: Parties, db_path: Path) -> None:
    conn = drop_guards(db_path)
    conn.execute("DELETE FROM events WHERE position = 6")  # A5

    with Store.open(db_path) as store:
        report = store.verify()
    assert not report.ok
    assert report.first_bad == {
        "case": "2026-0001", "seq": 5, "after_position": 5, "problem": "missing"
    }
    assert report.problems[:2] == [
        "event 5 of case 2026-0001 is missing",
        "event 6 of case 2026-0001 (position 7): broken link: the event before it in the chain"
        " was removed or moved",
    ]
    assert "case 2026-0001: its events cannot be replayed (case 2026-0001: event 6 follows 4)" in (
        report.problems
    )


def test_deleted_newest_event_is_found_through_the_projection(
    register: Parties, db_path: Path
) -> None:
    conn = drop_guards(db_path)
    conn.execute("DELETE FROM events WHERE position = 15")  # B2: no event follows it

    with Store.open(db_path) as store:
        report = store.verify()
    assert report.first_bad == {
        "case": "2026-0002", "seq": 2, "after_position": 4, "problem": "missing"
    }
    assert report.problems == [
        "event 2 of case 2026-0002 is missing",
        "case 2026-0002: the stored state differs from a replay of its events"
        " (last_seq, last_date, deviations)",
    ]


def test_swapped_events_are_a_broken_link(register: Parties, db_path: Path) -> None:
    conn = drop_guards(db_path)
    # B1 (position 4) and A4 (position 5) change places in the chain.
    conn.execute("UPDATE events SET position = -1 WHERE position = 4")
    conn.execute("UPDATE events SET position = 4 WHERE position = 5")
    conn.execute("UPDATE events SET position = 5 WHERE position = -1")

    with Store.open(db_path) as store:
        report = store.verify()
    assert report.first_bad == {
        "case": "2026-0001", "seq": 4, "position": 4, "problem": "broken link"
    }
    assert report.problems[0] == (
        "event 4 of case 2026-0001 (position 4): broken link: the event before it in the chain"
        " was removed or moved"
    )


def test_a_changed_projection_is_found_and_rebuilt(register: Parties, db_path: Path) -> None:
    raw(db_path).execute("UPDATE cases SET level = 5 WHERE id = '2026-0001'")
    with Store.open(db_path) as store:
        report = store.verify()
        assert report.problems == [
            "case 2026-0001: the stored state differs from a replay of its events (level)"
        ]
        assert report.first_bad is None  # the history itself is intact
        assert store.rebuild_projection() == 2
        assert store.verify().ok
        assert store.case_state("2026-0001").level == 0


def test_a_case_row_without_events_and_events_without_a_case_row(
    register: Parties, db_path: Path
) -> None:
    conn = drop_guards(db_path)
    for table in ("deviations", "plans", "sanctions", "level_changes", "activities_done",
                  "letters_sent"):
        conn.execute(f"DELETE FROM {table} WHERE case_id = '2026-0001'")
    conn.execute("DELETE FROM cases WHERE id = '2026-0001'")
    conn.execute("DELETE FROM events WHERE case_id = '2026-0002'")

    with Store.open(db_path) as store:
        report = store.verify()
    assert "case 2026-0001: events but no stored state" in report.problems
    assert "case 2026-0002: a stored state but no events" in report.problems
    assert report.first_bad == {
        "case": "2026-0002", "seq": 1, "after_position": 0, "problem": "missing"
    }


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
        _save(first, [note], [*first.events("2026-0002"), note])
        with pytest.raises(StoreError) as raised:
            _save(second, [late], [*second.events("2026-0002")[:2], late])
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
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == 5


def test_event_data_that_is_no_longer_json_is_reported_not_a_crash(
    register: Parties, db_path: Path
) -> None:
    drop_guards(db_path).execute("UPDATE events SET data = '{\"text\": ' WHERE position = 14")

    with Store.open(db_path) as store:
        report = store.verify()
        assert report.first_bad == {
            "case": "2026-0001", "seq": 13, "position": 14, "problem": "hash mismatch"
        }
        assert report.problems[1].startswith(
            "case 2026-0001: its events cannot be replayed (Expecting value"
        )
        with pytest.raises(StoreError) as raised:
            store.rebuild_projection()
        assert raised.value.message.startswith(
            f"{db_path}: cannot rebuild the state of case 2026-0001 from its events (Expecting"
        )
        assert store.case_state("2026-0001") is not None  # the failed rebuild changed nothing


def test_a_row_pointing_at_a_missing_record_is_reported(register: Parties, db_path: Path) -> None:
    conn = raw(db_path)  # foreign keys are off unless a connection turns them on
    conn.execute("DELETE FROM ladders")

    with Store.open(db_path) as store:
        report = store.verify()
    assert report.problems == [
        "a row of cases refers to a missing row of ladders",
        "a row of cases refers to a missing row of ladders",
    ]
    assert report.first_bad is None
    assert report.summary() == "2 problems in 15 events and 2 cases"


def test_the_summary_of_an_intact_history(register: Parties, store: Store) -> None:
    assert store.verify().summary() == (
        "15 events in 2 cases: the chain, the case states and the database file are intact"
    )


def test_gaps_are_listed_in_order_and_bounded() -> None:
    from trappa.store.verification import MAX_PROBLEMS, find_gaps

    gaps = find_gaps("2026-0001", [(1, 3), (2, 8), (5, 20)], 6)
    assert [(g.seq, g.position) for g in gaps] == [(3, 8), (4, 8), (6, 20)]
    assert find_gaps("2026-0001", [(1, 3), (2, 8)], 2) == []
    assert len(find_gaps("2026-0001", [], 10**12)) == MAX_PROBLEMS
