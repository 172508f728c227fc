"""The hash chain over all events. Pure: no SQL.

One global chain in recording order: each event's hash is the sha256 (hex) of the previous
event's hash followed by the canonical JSON of ``Event.body()``; the first event follows 64 zeros.
Changing an event breaks its own hash; removing or moving one breaks the link of the event after
it. (A chain cannot show that its newest events were cut off; the case projection can, because it
remembers each case's last event, and ``verify`` compares the two: see
``trappa.store.verification``.)
"""

from __future__ import annotations

import hashlib
from json.encoder import encode_basestring

from trappa.history.projection import Event
from trappa.ladder.view import canonical_json

GENESIS = "0" * 64


def event_hash(prev_hash: str, event: Event) -> str:
    """The hash of ``event`` following ``prev_hash``: the definition."""
    return link_hash(prev_hash, canonical_json(event.body()))


# What json.dumps(text, ensure_ascii=False) writes for a string, without the encoder's set-up.
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
    """The hash of an event whose canonical body is ``body_json``, following ``prev_hash``."""
    return hashlib.sha256((prev_hash + body_json).encode()).hexdigest()
