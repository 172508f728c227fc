"""A contract's own history: the changes of its facts, recorded outside any case.

A contract (avtal) is a record of its own: its criticality, the procurement's diarienummer and
the claim window (the days after a deviation in which a vite must be claimed). Each change is an
event ``contract_changed`` in the same hash chain as the cases' events, in a stream of its own
named ``contract:<id>`` where a case's id would stand, numbered 1, 2, … like a case's. Pure: no
SQL.

``contract_changed`` data: ``contract`` (``id``, ``name``, ``supplier``: ``id``, ``name``,
``org_nr``), ``changes`` (each changed fact: ``{"from", "to"}``), ``facts`` (all of
``FACTS`` after the change), ``reason`` (or null) and ``case`` (the case whose report made the
change, or null). So the contract's facts are its latest event's ``facts``; a contract without
events has the criticality its first case recorded when it opened (``opened.contract``), and no
other fact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

STREAM_PREFIX = "contract:"
CONTRACT_CHANGED = "contract_changed"
FACTS = ("criticality", "procurement", "claim_within_days")


def stream_id(contract_id: int) -> str:
    """The stream a contract's events are recorded in: ``contract:17``."""
    return f"{STREAM_PREFIX}{int(contract_id)}"


def is_contract_stream(stream: str) -> bool:
    return stream.startswith(STREAM_PREFIX)


def contract_id_of(stream: str) -> int | None:
    """The contract a stream belongs to, or None for a case's."""
    if not is_contract_stream(stream):
        return None
    try:
        return int(stream[len(STREAM_PREFIX):])
    except ValueError:
        return None


def empty_facts(criticality: int | None = None) -> dict[str, Any]:
    return {"criticality": criticality, "procurement": None, "claim_within_days": None}


def changed_facts(
    current: Mapping[str, Any], wanted: Mapping[str, Any]
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The changes ``wanted`` makes to ``current`` (facts given and different), and the facts
    after them."""
    changes = {
        key: {"from": current.get(key), "to": value}
        for key, value in wanted.items()
        if key in FACTS and current.get(key) != value
    }
    after = {key: current.get(key) for key in FACTS}
    after.update({key: change["to"] for key, change in changes.items()})
    return changes, after


def fold_contract(initial: Mapping[str, Any] | None, events: Iterable[Mapping[str, Any]]) -> dict[
    str, Any
]:
    """A contract's facts: ``initial`` (or none) after the data of its events, in order."""
    facts = dict(initial or empty_facts())
    for data in events:
        facts = {key: data["facts"].get(key) for key in FACTS}
    return facts
