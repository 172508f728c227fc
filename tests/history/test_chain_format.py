"""Format 2 of the chain (``trappa.history.chain``): money as whole öre, and bytes that are
RFC 8785's, checked against the ``rfc8785`` package."""

from __future__ import annotations

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from trappa.history.chain import (
    body_v2,
    canonical_data,
    from_ore,
    personal_digest,
    readable_data,
    stored_data,
    to_ore,
)
from trappa.history.projection import REMOVED


@pytest.mark.parametrize(("kronor", "ore"), [
    (40000.0, 4000000), (40000, 4000000), (1234.50, 123450), (0.01, 1), (0.1 + 0.2, None),
    (1e12, 100000000000000), (0.0, 0), (None, None),
])
def test_kronor_are_stored_as_whole_ore(kronor: float | None, ore: int | None) -> None:
    if kronor is not None and ore is None:  # 0.30000000000000004 kr is not whole öre
        with pytest.raises(ValueError):
            to_ore(kronor)
        return
    assert to_ore(kronor) == ore
    assert from_ore(ore) == (None if kronor is None else float(kronor))


def test_a_sanction_is_hashed_in_ore_and_read_back_in_kronor() -> None:
    data = {"n": 1, "kind": "vite", "amount": 40000.0, "reason": "Avtalat vite"}
    stored = stored_data("sanction", data, None)
    assert stored == {"n": 1, "kind": "vite", "amount_ore": 4000000, "reason": "Avtalat vite"}
    assert canonical_data(stored) == (
        '{"amount_ore":4000000,"kind":"vite","n":1,"reason":"Avtalat vite"}'
    )
    back = readable_data("sanction", stored, {})
    assert back == data and list(back) == sorted(data)  # as format 1 data reads back
    assert stored_data("sanction", {**data, "amount": None}, None)["amount_ore"] is None


def test_a_reporter_is_a_digest_read_back_by_name_or_as_removed() -> None:
    salt = bytes(range(16))
    digest = personal_digest(salt, "Karin Ek")
    assert digest == __import__("hashlib").sha256(salt + b"Karin Ek").hexdigest()
    data = {"deviation": {"n": 1, "reporter": "Karin Ek", "description": "Sent"}}
    stored = stored_data("reported", data, digest)
    assert stored["deviation"]["reporter"] == digest
    assert readable_data("reported", stored, {digest: "Karin Ek"}) == data
    assert readable_data("reported", stored, {})["deviation"]["reporter"] == REMOVED


def test_a_float_is_never_written_in_format_2() -> None:
    with pytest.raises(ValueError):
        canonical_data({"x": [1, {"y": 2.5}]})


text = st.text(max_size=12)
ascii_keys = st.text(st.characters(max_codepoint=127), max_size=8)
values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ascii_keys, inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(data=st.dictionaries(ascii_keys, values, max_size=4))
def test_stored_data_is_rfc_8785(data: dict) -> None:
    assert canonical_data(data).encode() == rfc8785.dumps(data)


@settings(max_examples=150, deadline=None)
@given(case_id=text, seq=st.integers(1, 10**6), type_=text, date=text, recorded_at=text,
       actor=text, data=st.dictionaries(ascii_keys, values, max_size=4))
def test_the_spliced_body_is_rfc_8785(
    case_id: str, seq: int, type_: str, date: str, recorded_at: str, actor: str, data: dict
) -> None:
    body = {"v": 2, "case": case_id, "seq": seq, "type": type_, "date": date,
            "recorded_at": recorded_at, "actor": actor, "data": data}
    spliced = body_v2(case_id, seq, type_, date, recorded_at, actor, canonical_data(data))
    assert spliced == rfc8785.dumps(body)
