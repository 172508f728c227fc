"""A hand-built case history for the store tests: every event type, in the data shapes of
``trappa.history.projection``'s docstring, on records the store knows (supplier, contract,
ladder); a register of two cases whose events interleave in the chain; and ways to look at or
tamper with the database file behind the store's back."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trappa.history.chain import GENESIS, event_hash
from trappa.history.event_types import EVENT_TYPES
from trappa.history.projection import Event, fold
from trappa.ladder.view import canonical_json
from trappa.store.database import Store

LADDER_JSON = canonical_json(
    {
        "id": "prov",
        "version": "1",
        "title": "Provtrappa",
        "steps": [
            {"level": 0, "event": "Risk/Enstaka avvikelser", "activities": ["dialog"]},
            {"level": 1, "event": "Återkommande avvikelser", "activities": ["brev-vd"]},
        ],
    }
)
LADDER_SHA256 = hashlib.sha256(LADDER_JSON.encode()).hexdigest()
LADDER_REF = "prov@1"
LETTER = "# Till leverantörens VD\n\nVi har noterat upprepade avvikelser.\n".encode()
LETTER_SHA256 = hashlib.sha256(LETTER).hexdigest()


@dataclass(frozen=True)
class Parties:
    supplier_id: int
    contract_id: int


def seed(store: Store, name: str = "Bemanningsbolaget Åkeri AB",
         org_nr: str | None = "556677-8899") -> Parties:
    """A supplier, one of its contracts, the ladder its cases run under, and the letter the
    story sends."""
    with store.transaction():
        supplier_id = store.add_supplier(name, org_nr)
        contract_id = store.add_contract(supplier_id, "Sjuksköterskor 2025", 3)
        store.put_ladder(LADDER_REF, LADDER_SHA256, LADDER_JSON)
        store.keep_document(LETTER)  # the story's letter, kept as sent
    return Parties(supplier_id, contract_id)


def _event(case_id: str, seq: int, type_: str, date: str, data: dict[str, Any]) -> Event:
    return Event(case_id, seq, type_, date, f"{date}T09:{seq:02d}:00+00:00", "Anna Avtal", data)


def story(case_id: str, parties: Parties, external_id: str = "AVV-2026-17") -> list[Event]:
    """A case from its first report through every kind of event to its reopening."""
    items: list[tuple[str, str, dict[str, Any]]] = [
        ("reported", "2026-02-02", {
            "opened": {
                "supplier": {"id": parties.supplier_id, "name": "Bemanningsbolaget Åkeri AB",
                             "org_nr": "556677-8899"},
                "contract": {"id": parties.contract_id, "name": "Sjuksköterskor 2025",
                             "criticality": 3},
                "ladder": LADDER_REF,
                "ladder_sha256": LADDER_SHA256,
                "reference": "RS 2026/117",
            },
            "deviation": {"n": 1, "kind": "deviation", "serious": False,
                          "observed": "2026-02-01", "category": "leverans",
                          "description": "Passet bemannades inte", "source": "verksamhet",
                          "reporter": "Karin Ek", "external_id": None},
        }),
        ("reported", "2026-03-10", {
            "deviation": {"n": 2, "kind": "incident", "serious": True, "observed": "2026-03-09",
                          "category": "arbetsrätt", "description": "Pension saknas vid stickprov",
                          "source": "stickprov", "reporter": None, "external_id": external_id},
        }),
        ("escalated", "2026-03-12", {"from": 0, "to": 1, "reason": "Upprepade avvikelser",
                                     "rules": ["aterkommande"]}),
        ("activity_done", "2026-03-13", {"activity": "dialog", "level": 1, "note": "Möte hölls"}),
        ("plan_established", "2026-03-14", {"n": 1, "due": "2026-04-14",
                                            "items": ["Bemanna alla pass", "Redovisa pension"],
                                            "owner": "Leverantörens VD"}),
        ("plan_followed_up", "2026-04-15", {"n": 1, "outcome": "not_followed",
                                            "note": "Pass obemannade i april"}),
        ("sanction", "2026-04-20", {"n": 1, "kind": "vite", "amount": 25000,
                                    "reason": "Avtalat vite för obemannade pass"}),
        ("letter_sent", "2026-04-21", {"kind": "brev-vd", "recipient": "leverantor-ledning",
                                       "format": "md", "sha256": LETTER_SHA256,
                                       "activity": "brev-vd", "reply_by": "2026-05-05"}),
        ("reply_received", "2026-04-28", {"letter": 1, "received": "2026-04-27",
                                          "note": "VD svarar med åtgärder", "file": None}),
        ("resolved", "2026-05-02", {"deviation": 1, "note": "Bemanningen fungerar igen"}),
        ("waived", "2026-05-04", {"deviation": 1, "reason": "Vitet för april täcker avvikelsen"}),
        ("deescalated", "2026-06-01", {"from": 1, "to": 0, "reason": "Vägen tillbaka",
                                       "rules": []}),
        ("note", "2026-06-02", {"text": "Uppföljningsmöte bokat"}),
        ("closed", "2026-09-01", {"reason": "Avtalet följs"}),
        ("reopened", "2026-09-20", {"reason": "Ny avvikelse befaras"}),
        ("redacted", "2026-09-21", {"deviation": 1, "reason": "Gallringsbeslut 2026-09"}),
        ("supplier_identified", "2026-09-21", {
            "supplier": {"id": parties.supplier_id, "name": "Bemanningsbolaget Åkeri AB",
                         "org_nr": "556677-8899"},
        }),
        ("risk_assessed", "2026-09-22", {"n": 1, "probability": 3, "consequence": 4,
                                         "score": 12, "band": "Mycket hög", "band_default": True,
                                         "note": "Bemanningen är verksamhetskritisk",
                                         "activity": "dialog"}),
        ("ladder_adopted", "2026-09-23", {
            "from": {"ladder": LADDER_REF, "ladder_sha256": LADDER_SHA256},
            "to": {"ladder": LADDER_REF, "ladder_sha256": LADDER_SHA256},
            "reason": "Trappans fil uppdaterad",
        }),
        ("assigned", "2026-09-24", {"owner": "Anna Avtalsson"}),
    ]
    events = [_event(case_id, seq, t, d, data) for seq, (t, d, data) in enumerate(items, 1)]
    assert {e.type for e in events} == set(EVENT_TYPES)  # the story covers every type
    return events


def opening(case_id: str, parties: Parties, date: str = "2026-02-02",
            external_id: str | None = None) -> Event:
    """Just the report that opens a case."""
    first = story(case_id, parties)[0]
    data = {**first.data, "deviation": {**first.data["deviation"], "external_id": external_id}}
    return _event(case_id, 1, "reported", date, data)


def dump(path: Path) -> list[str]:
    """Every table's schema and rows, as SQL: equal dumps are the same database content."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def save(store: Store, events: list[Event], state_events: list[Event] | None = None) -> None:
    """Append ``events`` and save the state their case folds to (from ``state_events`` when
    given: the case's whole history), in one transaction."""
    with store.transaction():
        store.append(events)
        store.save_state(fold(state_events or events))


def interleaved(store: Store) -> Parties:
    """Two cases whose events interleave in the chain: A1-A3, B1, A4-A14, B2.

    Positions: A1=1 A2=2 A3=3 B1=4 A4=5 … A13=14 A14=15 B2=16.
    """
    parties = seed(store)
    a = story("2026-0001", parties)[:14]  # its first fourteen events: the positions above
    b = story("2026-0002", parties, external_id="AVV-2026-99")[:2]
    save(store, a[:3])
    save(store, b[:1])
    save(store, a[3:], a)
    save(store, b[1:], b)
    return parties


def raw(db_path: Path) -> sqlite3.Connection:
    """A plain connection to the file, without the store's pragmas (foreign keys are off)."""
    return sqlite3.connect(db_path, isolation_level=None)


def drop_guards(db_path: Path) -> sqlite3.Connection:
    """What someone editing the file with another tool could do first."""
    conn = raw(db_path)
    for trigger in ("events_no_update", "events_no_delete", "events_no_replace"):
        conn.execute(f"DROP TRIGGER {trigger}")
    return conn


OLD_PARTIES = Parties(supplier_id=1, contract_id=1)


def seed_old(conn: sqlite3.Connection) -> list[Event]:
    """The supplier, contract and ladder of ``story`` written straight into a register of an
    older schema (its first step's tables); the story's events, not yet written."""
    conn.execute("INSERT INTO suppliers (id, name, name_key, org_nr) VALUES"
                 " (1, 'Bemanningsbolaget Åkeri AB', 'bemanningsbolaget åkeri ab', '556677-8899')")
    conn.execute("INSERT INTO contracts VALUES (1, 1, 'Sjuksköterskor 2025', 3)")
    conn.execute("INSERT INTO ladders VALUES (?, ?, ?, '2026-01-01T00:00:00+00:00')",
                 (LADDER_SHA256, LADDER_REF, LADDER_JSON))
    return story("2026-0001", OLD_PARTIES)


def insert_format_1(conn: sqlite3.Connection, events: list[Event]) -> None:
    """Write ``events`` as rows of format 1 wrote them (no body, the chain over their canonical
    JSON), straight into the table: a register from before format 2."""
    prev = GENESIS
    for event in events:
        digest = event_hash(prev, event)
        conn.execute(
            "INSERT INTO events (case_id, seq, type, date, recorded_at, actor, data, prev_hash,"
            " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (event.case_id, event.seq, event.type, event.date, event.recorded_at, event.actor,
             canonical_json(event.data), prev, digest),
        )
        prev = digest
