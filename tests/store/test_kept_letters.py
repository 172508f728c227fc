"""Letters kept as sent: content-addressed, kept once, never changed or removed, and checked by
``verify`` against their sha256 and the events that record them."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from store_story import (
    LADDER_JSON,
    LADDER_REF,
    LADDER_SHA256,
    LETTER,
    LETTER_SHA256,
    Parties,
    _event,
    raw,
    save,
    seed,
    story,
)
from trappa.history.projection import fold
from trappa.store.database import Store

BOTH_ENGINES = True  # the store tests run on SQLite and PostgreSQL (tests/conftest.py)


def test_the_same_bytes_are_kept_once_under_their_sha256(store: Store, db_path: Path) -> None:
    with store.transaction():
        first = store.keep_document(b"Brev\n")
        second = store.keep_document(b"Brev\n")
    assert first == second == hashlib.sha256(b"Brev\n").hexdigest()
    assert store.document(first) == b"Brev\n"
    assert store.document("00" * 32) is None
    assert store.kept_documents([first, "00" * 32]) == {first}
    assert raw(db_path).execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_a_kept_letter_is_never_changed_removed_or_replaced(store: Store, db_path: Path) -> None:
    with store.transaction():
        key = store.keep_document(b"Brev\n")
    conn = raw(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="kept documents are never changed"):
        conn.execute("UPDATE documents SET content = x'00'")
    with pytest.raises(sqlite3.IntegrityError, match="kept documents are never removed"):
        conn.execute("DELETE FROM documents")
    conn.execute("INSERT OR REPLACE INTO documents VALUES (?, x'00', 'nu')", (key,))
    assert store.document(key) == b"Brev\n"


def test_a_register_with_its_letters_kept_verifies(store: Store) -> None:
    save(store, story("2026-0001", seed(store)))
    report = store.verify()
    assert report.ok, report.problems


def _without_guards(db_path: Path) -> sqlite3.Connection:
    conn = raw(db_path)
    for trigger in ("documents_no_update", "documents_no_delete"):
        conn.execute(f"DROP TRIGGER {trigger}")
    return conn


def test_a_changed_letter_is_found(store: Store, db_path: Path) -> None:
    save(store, story("2026-0001", seed(store)))
    _without_guards(db_path).execute("UPDATE documents SET content = ?", (LETTER + b"P.S.\n",))
    assert store.verify().problems == [
        f"the kept letter {LETTER_SHA256} has changed: its bytes no longer hash to their sha256"
    ]


def test_a_removed_letter_is_found(store: Store, db_path: Path) -> None:
    save(store, story("2026-0001", seed(store)))
    _without_guards(db_path).execute("DELETE FROM documents")
    assert store.verify().problems == [
        f"event 8 of case 2026-0001: the letter it records as sent ({LETTER_SHA256}) is not kept"
    ]


def test_letters_sent_before_the_register_kept_them_need_no_bytes(db_path: Path) -> None:
    """A register from before this schema step: its letters have their hash only, and verify
    passes; a letter recorded after the upgrade without its bytes is found."""
    with Store.open(db_path) as old:
        with old.transaction():
            supplier_id = old.add_supplier("Bemanningsbolaget Åkeri AB", "556677-8899")
            contract_id = old.add_contract(supplier_id, "Sjuksköterskor 2025", 3)
            old.put_ladder(LADDER_REF, LADDER_SHA256, LADDER_JSON)
        events = story("2026-0001", Parties(supplier_id, contract_id))
        save(old, events)
    # What the kept-letters step records when it upgrades a register that has these events:
    # the letters up to here were sent before it (written so, since later steps change how a
    # case is written).
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("UPDATE documents_kept_from SET position = (SELECT max(position) FROM events)")
    conn.close()
    with Store.open(db_path) as store:
        assert store.verify().ok, store.verify().problems
        seq = len(events) + 1
        later = _event("2026-0001", seq, "letter_sent", "2026-10-01", {
            "kind": "brev-vd", "recipient": "leverantor-ledning", "format": "md",
            "sha256": "cd" * 32, "activity": None,
        })
        save(store, [later], [*events, later])
        assert fold([*events, later]).letters_sent[-1]["sha256"] == "cd" * 32
        assert store.verify().problems == [
            f"event {seq} of case 2026-0001: the letter it records as sent ({'cd' * 32}) is not"
            " kept"
        ]
