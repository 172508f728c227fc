"""What an Open Contracting (OCDS) export reads: per contract with cases, its supplier, its
deviations counted per category and month, its sanctions and its action plans. Four queries in
contract order, merged as they stream, in one snapshot; no free text and no personal name is
read (``trappa.cases.ocds`` decides what is published).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

from trappa.store.connection import Connection

_CONTRACTS = (
    "SELECT ct.id, ct.name, ct.criticality, s.id, s.name, s.org_nr,"
    " (SELECT max(c.last_date) FROM cases c WHERE c.contract_id = ct.id)"
    " FROM contracts ct JOIN suppliers s ON s.id = ct.supplier_id"
    " WHERE EXISTS (SELECT 1 FROM cases c WHERE c.contract_id = ct.id) ORDER BY ct.id"
)
_FAILURES = (
    "SELECT c.contract_id, coalesce(d.category, ''), substr(d.observed, 1, 7), count(*)"
    " FROM deviations d JOIN cases c ON c.id = d.case_id WHERE c.contract_id IS NOT NULL"
    " AND d.kind IN ('deviation', 'incident') GROUP BY 1, 2, 3 ORDER BY 1, 3, 2"
)
_SANCTIONS = (
    "SELECT c.contract_id, x.case_id, x.n, x.date, x.kind, x.amount FROM sanctions x"
    " JOIN cases c ON c.id = x.case_id WHERE c.contract_id IS NOT NULL"
    " ORDER BY 1, x.date, x.case_id, x.n"
)
_PLANS = (
    "SELECT c.contract_id, p.case_id, p.n, p.established, p.due, p.outcome, p.followed_up,"
    " json_array_length(p.items) FROM plans p JOIN cases c ON c.id = p.case_id"
    " WHERE c.contract_id IS NOT NULL ORDER BY 1, p.case_id, p.n"
)


def contracts_for_ocds(store: Connection) -> Iterator[dict[str, Any]]:
    """Each contract that has a case, with what its OCDS release shows."""
    conn = store._conn
    with store._snapshot():
        failures = _by_contract(conn.execute(_FAILURES))
        sanctions = _by_contract(conn.execute(_SANCTIONS))
        plans = _by_contract(conn.execute(_PLANS))
        for row in conn.execute(_CONTRACTS):
            contract_id = row[0]
            yield {
                "contract": {"id": row[0], "name": row[1], "criticality": row[2]},
                "supplier": {"id": row[3], "name": row[4], "org_nr": row[5]},
                "last_date": row[6],
                "failures": [
                    {"category": r[1], "month": r[2], "events": r[3]}
                    for r in failures(contract_id)
                ],
                "sanctions": [
                    {"case": r[1], "n": r[2], "date": r[3], "kind": r[4], "amount": r[5]}
                    for r in sanctions(contract_id)
                ],
                "plans": [
                    {"case": r[1], "n": r[2], "established": r[3], "due": r[4], "outcome": r[5],
                     "followed_up": r[6], "items": r[7]}
                    for r in plans(contract_id)
                ],
            }


def _by_contract(rows: Any) -> Any:
    """A function giving the rows of one contract at a time, contracts asked in order."""
    groups = groupby(rows, key=itemgetter(0))
    pending: list[Any] = [next(groups, None)]

    def take(contract_id: int) -> list[Any]:
        while pending[0] is not None and pending[0][0] < contract_id:
            pending[0] = next(groups, None)
        if pending[0] is not None and pending[0][0] == contract_id:
            found = list(pending[0][1])
            pending[0] = next(groups, None)
            return found
        return []

    return take
