"""``verify``: an intact history verifies, and a change made behind trappa's back (guard triggers
dropped) is found, naming the first bad event."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store_story import Parties, drop_guards, interleaved, raw
from trappa.errors import StoreError
from trappa.ladder.view import canonical_json
from trappa.store.database import Store

BOTH_ENGINES = True  # the store tests run on SQLite and PostgreSQL (tests/conftest.py)


@pytest.fixture
def register(store: Store) -> Parties:
    """``store_story.interleaved``: positions A1=1 A2=2 A3=3 B1=4 A4=5 … A13=14 A14=15 B2=16."""
    return interleaved(store)


def test_an_untouched_history_verifies(register: Parties, store: Store) -> None:
    report = store.verify()
    assert report.ok, report.problems
    assert (report.events, report.cases, report.problems, report.first_bad) == (16, 2, [], None)
    assert report.to_json() == {
        "ok": True, "events": 16, "cases": 2, "problems": [], "more_problems": 0,
        "first_bad": None,
    }
    json.dumps(report.to_json())  # JSON-ready


def test_a_history_read_a_few_rows_at_a_time_verifies_the_same(
    register: Parties, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a server, verify reads its long queries a batch at a time (memory bounded by the
    batch, not the register); batches smaller than a case's events give the same report."""
    if store.engine == "postgresql":
        monkeypatch.setattr("trappa.store.postgres.SCAN_BATCH", 2)
    report = store.verify()
    assert (report.ok, report.events, report.cases, report.problems) == (True, 16, 2, [])


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
    conn.execute("DELETE FROM events WHERE position = 16")  # B2: no event follows it

    with Store.open(db_path) as store:
        report = store.verify()
    assert report.first_bad == {
        "case": "2026-0002", "seq": 2, "after_position": 4, "problem": "missing"
    }
    assert report.problems == [
        "event 2 of case 2026-0002 is missing",
        "case 2026-0002: the stored state differs from a replay of its events"
        " (last_seq, last_date, deviations, facts)",
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


@pytest.mark.parametrize("column, value", [
    ("facts_counted", "2026-01-01"),  # a deviation the rules would count that never happened
    ("open_deviations", 0),
    ("facts_changes", None),  # the moves the stalled rule reads, gone
    ("facts_plans", '[[1,"2026-03-01","2026-04-01",null,null]]'),
    ("facts_sanctions", "2026-05-01,2026-05-02"),
])
def test_changed_kept_facts_are_found_and_rebuilt(
    register: Parties, db_path: Path, column: str, value: object
) -> None:
    """``status`` and ``review`` judge a case by the facts kept in its row: facts that no
    longer follow from the events are found like any other part of the projection."""
    raw(db_path).execute(f"UPDATE cases SET {column} = ? WHERE id = '2026-0001'", (value,))
    with Store.open(db_path) as store:
        assert store.verify().problems == [
            "case 2026-0001: the stored state differs from a replay of its events (facts)"
        ]
        store.rebuild_projection()
        assert store.verify().ok


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
    assert report.summary() == "2 problems in 16 events and 2 cases"


def test_the_summary_of_an_intact_history(register: Parties, store: Store) -> None:
    assert store.verify().summary() == (
        "16 events in 2 cases: the chain, the case states and the database are intact"
    )


def test_gaps_are_listed_in_order_and_bounded() -> None:
    from trappa.store.verification import MAX_PROBLEMS, find_gaps

    gaps = find_gaps("2026-0001", [(1, 3), (2, 8), (5, 20)], 6)
    assert [(g.seq, g.position) for g in gaps] == [(3, 8), (4, 8), (6, 20)]
    assert find_gaps("2026-0001", [(1, 3), (2, 8)], 2) == []
    assert len(find_gaps("2026-0001", [], 10**12)) == MAX_PROBLEMS
