"""What ``trappa verify`` checks of the contracts' own records (``trappa.history.contracts``):
each contract's stored facts against its events.

A contract with events has the facts of its latest event, and as many events as its
``last_seq`` says. A contract without events (most of them: registered by the report that opened
its first case) has the criticality that case recorded when it opened and no other fact; that is
compared in SQL, streaming, since a large register has as many contracts as cases (held by the
``verify`` figure of ``make bench``).
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from trappa.history.contracts import FACTS, STREAM_PREFIX, contract_id_of, fold_contract
from trappa.messages import say

if TYPE_CHECKING:
    from trappa.store.verification import VerifyReport

_COLUMNS = "id, criticality, procurement, claim_within_days, last_seq"
# The contract streams' ids (``contract:<id>``) as a range of the events' case_id index: ";"
# follows ":".
CONTRACT_STREAMS = f"case_id >= '{STREAM_PREFIX}' AND case_id < '{STREAM_PREFIX[:-1]};'"

# Contracts without events whose facts are not what their first case recorded when it opened
# (the case whose opening event comes first in the chain: numbered 1 in its contract's order).
# Written for both engines: a window, not SQLite's bare column beside min(), and the JSON number
# cast (PostgreSQL's json_extract gives text).
_UNFAITHFUL_WITHOUT_EVENTS = """
SELECT k.id FROM contracts k
LEFT JOIN (
    SELECT c.contract_id AS id,
           CAST(json_extract(e.data, '$.opened.contract.criticality') AS INTEGER) AS criticality,
           row_number() OVER (PARTITION BY c.contract_id ORDER BY e.position) AS nth
    FROM cases c JOIN events e ON e.case_id = c.id AND e.seq = 1
    WHERE c.contract_id IS NOT NULL
) o ON o.id = k.id AND o.nth = 1
WHERE k.last_seq = 0
  AND (k.criticality IS NOT o.criticality OR k.procurement IS NOT NULL
       OR k.claim_within_days IS NOT NULL)
ORDER BY k.id
"""


def check_contracts(conn: sqlite3.Connection, report: VerifyReport) -> None:
    """Report every contract whose stored facts its events do not give."""
    streams: dict[int, list[dict[str, Any]]] = {}
    last: dict[int, int] = {}
    for stream, seq, data in conn.execute(
        f"SELECT case_id, seq, data FROM events WHERE {CONTRACT_STREAMS} ORDER BY case_id, seq"
    ):
        contract_id = contract_id_of(stream)
        try:
            value = json.loads(data)
            named = value["contract"]["id"]
        except (ValueError, TypeError, KeyError):
            named = None
        if contract_id is None or named != contract_id:
            report.add(say("store.verify.contract_unreadable", stream=stream, seq=seq))
            continue
        streams.setdefault(contract_id, []).append(value)
        last[contract_id] = seq
    rows = {row[0]: row for row in conn.execute(
        f"SELECT {_COLUMNS} FROM contracts WHERE last_seq > 0"
    )}
    for contract_id in sorted(streams.keys() - rows.keys()):
        row = conn.execute(f"SELECT {_COLUMNS} FROM contracts WHERE id = ?",
                           (contract_id,)).fetchone()
        if row is None:
            report.add(say("store.verify.contract_missing", id=contract_id))
        else:
            rows[contract_id] = row
    for contract_id, *stored, last_seq in sorted(rows.values()):
        try:
            expected = fold_contract(None, streams.get(contract_id, []))
        except (KeyError, TypeError, AttributeError):
            report.add(say("store.verify.contract_unreadable", stream=contract_id, seq=last_seq))
            continue
        differing = [name for name, value in zip(FACTS, stored, strict=True)
                     if expected[name] != value]
        if last.get(contract_id, 0) != last_seq:
            differing.append("last_seq")
        if differing:
            report.add(say("store.verify.contract", id=contract_id, fields=", ".join(differing)))
    for (contract_id,) in conn.execute(_UNFAITHFUL_WITHOUT_EVENTS):
        report.add(say("store.verify.contract", id=contract_id,
                       fields=say("store.verify.contract_opening")))
