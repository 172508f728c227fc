"""The hash chain over all events and the two formats its events are hashed in. Pure: no SQL.

One global chain in recording order: each event's hash is the sha256 (hex) of the previous
event's hash followed by the event's hashed bytes; the first event follows ``GENESIS``. Changing
an event breaks its own hash; removing or moving one breaks the link of the event after it. (A
chain cannot show that its newest events were cut off; the case projection can, because it
remembers each case's last event, and ``verify`` compares the two: see
``trappa.store.verification``.) ``docs/evidence.md`` is the specification.

* **Format 1** (events written before format 2): the hashed bytes are Python's
  ``json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` of ``Event.body()``,
  recomputed from the stored columns (``stored_body_json``).
* **Format 2**: the hashed bytes are RFC 8785 (JSON Canonicalization Scheme) of the body with
  ``"v": 2``, stored as they were hashed. Money is whole öre (``amount_ore``, an integer), and
  personal data (the actor, a deviation's reporter) is a salted digest (``personal_digest``)
  whose name lives outside the chain, so that it can be erased.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

from trappa.history.projection import REMOVED, Event
from trappa.ladder.view import canonical_json

GENESIS = "0" * 64
FORMAT = 2  # the format new events are written in


def event_hash(prev_hash: str, event: Event) -> str:
    """The hash of a format 1 ``event`` following ``prev_hash``: the definition."""
    return link_hash(prev_hash, canonical_json(event.body()))


# What json.dumps(text, ensure_ascii=False) writes for a string, without the encoder's set-up.
# RFC 8785 escapes strings the same way (", \\, and control characters: \b \t \n \f \r, the
# rest as \u00xx in lower case), so it serves both formats.
_dumps = encode_basestring


def stored_body_json(
    case_id: str, seq: int, type: str, date: str, recorded_at: str, actor: str, data_json: str
) -> str:
    """``canonical_json(event.body())`` spliced from stored columns, without parsing ``data``.

    Equal to the canonical form whenever ``data_json`` is canonical, as the store writes it
    (the keys of ``body()`` in sorted order). Verifying a million events this way saves a JSON
    parse and a sorted dump per event; a mismatch is rechecked the exact way.
    """
    return (
        f'{{"actor":{_dumps(actor)},"case":{_dumps(case_id)},"data":{data_json},'
        f'"date":{_dumps(date)},"recorded_at":{_dumps(recorded_at)},"seq":{int(seq)},'
        f'"type":{_dumps(type)}}}'
    )


def link_hash(prev_hash: str, body_json: str) -> str:
    """The hash of a format 1 event whose canonical body is ``body_json``, after ``prev_hash``."""
    return hashlib.sha256((prev_hash + body_json).encode()).hexdigest()


# --- format 2 ---------------------------------------------------------------------------------


def body_v2(
    case_id: str, seq: int, type: str, date: str, recorded_at: str, actor: str, data_json: str
) -> bytes:
    """The hashed bytes of a format 2 event, spliced from its stored columns.

    ``actor`` is the actor's digest and ``data_json`` the stored data in RFC 8785 form (as
    ``canonical_data`` writes it); the body's keys are ASCII, so sorted by code point they are in
    RFC 8785's order. ``verify`` compares this with the stored body, which binds the columns
    every command reads to the hashed bytes without re-serialising anything.
    """
    return (
        f'{{"actor":{_dumps(actor)},"case":{_dumps(case_id)},"data":{data_json},'
        f'"date":{_dumps(date)},"recorded_at":{_dumps(recorded_at)},"seq":{int(seq)},'
        f'"type":{_dumps(type)},"v":2}}'
    ).encode()


def link_hash_v2(prev_hash: str, body: bytes) -> str:
    """The hash of a format 2 event whose hashed bytes are ``body``, after ``prev_hash``."""
    return hashlib.sha256(prev_hash.encode() + body).hexdigest()


def canonical_data(data: Mapping[str, Any]) -> str:
    """Stored format 2 data as RFC 8785 text.

    The data of format 2 holds text, integers, booleans, null, lists and objects with ASCII
    keys, never a float (money is in öre): for those values ``canonical_json`` writes exactly
    RFC 8785's bytes (the suite checks this against the ``rfc8785`` package), at a quarter of
    its cost. A float is refused rather than written in a form another verifier cannot redo.
    """
    _no_floats(data)
    return canonical_json(data)


def _no_floats(value: Any) -> None:
    if isinstance(value, float):
        raise ValueError(f"format 2 data holds no floats: {value!r}")
    if isinstance(value, dict):
        for item in value.values():
            _no_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _no_floats(item)


def personal_digest(salt: bytes, value: str) -> str:
    """The digest that stands for a piece of personal data in the chain: sha256 of the salt's
    bytes followed by the value's UTF-8 bytes, hex. Without the salt the name cannot be guessed
    from the digest; with the salt and the name deleted, the digest says nothing."""
    return hashlib.sha256(salt + value.encode()).hexdigest()


def to_ore(amount: float | int | None) -> int | None:
    """Kronor (at most two decimals, as ``sanction`` rounds them) as whole öre:
    40 000 kr -> 4 000 000, 1 234,50 kr -> 123 450."""
    if amount is None:
        return None
    ore = Decimal(repr(amount)) * 100 if isinstance(amount, float) else Decimal(amount) * 100
    if ore != ore.to_integral_value():
        raise ValueError(f"{amount} kr is not a whole number of öre")
    return int(ore)


def from_ore(ore: int | None) -> float | None:
    """Whole öre as the kronor the projection and every output carry (a float, as ``sanction``
    takes it): 4 000 000 -> 40000.0."""
    return None if ore is None else ore / 100


def stored_data(type_: str, data: dict[str, Any], reporter_digest: str | None) -> dict[str, Any]:
    """An event's data as format 2 stores and hashes it: a sanction's amount in öre, a
    deviation's reporter as ``reporter_digest``."""
    if type_ == "sanction" and "amount" in data:
        rest = {k: v for k, v in data.items() if k != "amount"}
        return {**rest, "amount_ore": to_ore(data["amount"])}
    if type_ == "reported" and "deviation" in data:
        return {**data, "deviation": {**data["deviation"], "reporter": reporter_digest}}
    return data


def readable_data(type_: str, data: dict[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """Stored format 2 data as every reader takes it (the inverse of ``stored_data``): the
    amount in kronor, the reporter's name from ``names`` (digest -> name), or ``REMOVED`` once
    the name is erased."""
    if type_ == "sanction" and "amount_ore" in data:
        rest = {k: v for k, v in data.items() if k != "amount_ore"}
        # In sorted key order, as format 1 data reads back: the JSON output stays the same.
        return dict(sorted({**rest, "amount": from_ore(data["amount_ore"])}.items()))
    if type_ == "reported":
        deviation = data.get("deviation")
        if isinstance(deviation, dict) and deviation.get("reporter") is not None:
            name = names.get(deviation["reporter"], REMOVED)
            return {**data, "deviation": {**deviation, "reporter": name}}
    return data
