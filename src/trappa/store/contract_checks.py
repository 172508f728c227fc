"""What ``trappa verify`` checks of the contracts' own records (``trappa.history.contracts``):
each contract's stored facts against its events. Pure: ``trappa.store.checks`` reads the rows."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from trappa.history.contracts import FACTS, contract_id_of, empty_facts, fold_contract
from trappa.messages import say
from trappa.store.rows import Row

if TYPE_CHECKING:
    from trappa.store.verification import VerifyReport


def check_contracts(
    contracts: Iterable[Row],
    openings: Iterable[Row],
    events: Iterable[Row],
    report: VerifyReport,
) -> None:
    """Each contract's facts against its events (``trappa.history.contracts``).

    ``contracts`` are rows (id, criticality, procurement, claim_within_days, last_seq);
    ``openings`` (contract id, criticality) as the cases that named it recorded them when they
    opened, in chain order (the first one counts); ``events`` (stream, seq, data) of the
    contract streams by stream and seq.
    """
    first_opening: dict[int, Any] = {}
    for contract_id, criticality in openings:
        first_opening.setdefault(contract_id, criticality)
    streams: dict[int, list[dict[str, Any]]] = {}
    last: dict[int, int] = {}
    for stream, seq, data in events:
        contract_id = contract_id_of(stream)
        try:
            value = json.loads(data)
            named = value["contract"]["id"]
        except (ValueError, TypeError, KeyError):
            report.add(say("store.verify.contract_unreadable", stream=stream, seq=seq))
            continue
        if contract_id is None or named != contract_id:
            report.add(say("store.verify.contract_unreadable", stream=stream, seq=seq))
            continue
        streams.setdefault(contract_id, []).append(value)
        last[contract_id] = seq
    known = set()
    for contract_id, *stored_facts, last_seq in contracts:
        known.add(contract_id)
        own = streams.get(contract_id, [])
        initial = None if own else empty_facts(first_opening.get(contract_id))
        try:
            expected = fold_contract(initial, own)
        except (KeyError, TypeError, AttributeError):
            report.add(say("store.verify.contract_unreadable", stream=contract_id, seq=last_seq))
            continue
        differing = [
            name for name, value in zip(FACTS, stored_facts, strict=True)
            if expected[name] != value
        ]
        if last.get(contract_id, 0) != last_seq:
            differing.append("last_seq")
        if differing:
            report.add(say("store.verify.contract", id=contract_id, fields=", ".join(differing)))
    for contract_id in sorted(streams.keys() - known):
        report.add(say("store.verify.contract_missing", id=contract_id))
