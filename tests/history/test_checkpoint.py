"""The checkpoint format (``trappa.history.checkpoint``): written, read back, signed, checked.

The file format is C2SP's tlog-checkpoint in a signed-note; these tests pin its exact text and
the positioned message for each malformed line.
"""

from __future__ import annotations

import base64

import pytest

from trappa.errors import ProblemsError, UserError
from trappa.history import checkpoint as cp

HASH = "ab" * 32
CHECKPOINT = cp.Checkpoint("0b6f7a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", 1234, HASH,
                           "2026-10-01T08:00:00Z")


def test_the_text_is_origin_size_hash_date_then_a_blank_line() -> None:
    root = base64.b64encode(bytes.fromhex(HASH)).decode()
    assert CHECKPOINT.text() == (
        "trappa/0b6f7a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b\n1234\n" + root + "\n"
        "date 2026-10-01T08:00:00Z\n\n"
    )
    assert cp.parse(CHECKPOINT.text(), "c.txt") == CHECKPOINT


def test_a_signed_checkpoint_verifies_under_its_key_only() -> None:
    private, public = cp.new_key("region-kalmar")
    signed = cp.sign(CHECKPOINT, private)
    text = signed.text()
    assert text.startswith(CHECKPOINT.body() + "\n\u2014 region-kalmar ")
    read = cp.parse(text, "c.txt")
    assert read == signed
    assert cp.signature_problem(read, public) is None
    assert cp.verifier_of(private) == public

    _, other = cp.new_key("region-kalmar")  # the same name, another key
    assert cp.signature_problem(read, other) == (  # told apart by their key ids
        f"the checkpoint is not signed by key 'region-kalmar+{other.key_id.hex()}'"
        f" (signed by region-kalmar+{public.key_id.hex()})"
    )
    assert cp.signature_problem(CHECKPOINT, public) == (
        "the checkpoint is not signed; --key region-kalmar needs a signed one"
    )


def test_a_changed_body_breaks_the_signature() -> None:
    private, public = cp.new_key("k")
    text = cp.sign(CHECKPOINT, private).text().replace("\n1234\n", "\n1235\n")
    assert cp.signature_problem(cp.parse(text, "c.txt"), public) == (
        "the signature by key 'k' does not verify: the text changed"
    )


def test_keys_and_signatures_match_go_sumdb_notes_own_example() -> None:
    # golang.org/x/mod/sumdb/note's package example: Ed25519 is deterministic, so the same key
    # and text give the same signature line, and tools of the signed-note family read ours.
    skey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    text = ("If you think cryptography is the answer to your problem,\n"
            "then you don't know what your problem is.\n")
    assert cp.verifier_of(skey).text() == vkey
    assert cp.parse_verifier_key(vkey) == cp.verifier_of(skey)
    signature = cp.note_signature(text, skey)
    assert signature.name == "PeterNeumann"
    assert base64.b64encode(signature.key_id + signature.signature).decode() == (
        "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
    )


def test_key_lines_follow_signed_note() -> None:
    private, public = cp.new_key("region-kalmar")
    line = public.text()
    name, key_id, key = line.split("+", 2)  # base64 may hold "+" too
    assert name == "region-kalmar" and len(key_id) == 8
    assert base64.b64decode(key)[0] == 1 and len(base64.b64decode(key)) == 33
    assert cp.parse_verifier_key(line) == public
    assert private.startswith("PRIVATE+KEY+region-kalmar+" + key_id + "+")
    tampered = f"{name}+00000000+{key}"
    with pytest.raises(UserError, match="key id of 'region-kalmar' does not match"):
        cp.parse_verifier_key(tampered)
    with pytest.raises(UserError, match="not a public key"):
        cp.parse_verifier_key("region-kalmar")
    with pytest.raises(UserError, match="must be one word"):
        cp.check_key_name("Region Kalmar")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "c.txt:1:1: the file is empty; a checkpoint starts with its origin line"
             " 'trappa/<id>'"),
        ("trappa/x\n1", "c.txt:2:1: the last line has no newline; a checkpoint ends with one"),
        ("x\n", "c.txt:1:1: the first line must be the origin 'trappa/<register id>'"),
        ("trappa/x\n01\n", "c.txt:2:1: the second line must be the number of events,"
                           " a whole number"),
        ("trappa/x\n1\nabc\n", "c.txt:3:1: the third line must be the head hash: 32 bytes in"
                               " base64"),
        ("trappa/x\n1\n" + base64.b64encode(bytes(32)).decode() + "\n",
         "c.txt:4:1: the fourth line must be the date line 'date YYYY-MM-DDTHH:MM:SSZ'"),
        ("trappa/x\n1\n" + base64.b64encode(bytes(32)).decode() + "\ndate 1 oktober\n",
         "c.txt:4:1: the date line must read 'date YYYY-MM-DDTHH:MM:SSZ'"),
        ("trappa/x\n1\n" + base64.b64encode(bytes(32)).decode()
         + "\ndate 2026-10-01T08:00:00Z\n",
         "c.txt:5:1: a blank line must follow the date line"),
        ("trappa/x\n1\n" + base64.b64encode(bytes(32)).decode()
         + "\ndate 2026-10-01T08:00:00Z\nmore\n\n",
         "c.txt:5:1: a blank line must follow the date line"),
        ("trappa/x\n1\n" + base64.b64encode(bytes(32)).decode()
         + "\ndate 2026-10-01T08:00:00Z\n\n- k abc\n",
         "c.txt:6:1: not a signature line: '\u2014 <key name> <base64 key id and signature>'"),
    ],
)
def test_a_malformed_checkpoint_is_named_at_its_line(text: str, expected: str) -> None:
    with pytest.raises(ProblemsError) as raised:
        cp.parse(text, "c.txt")
    assert raised.value.message == expected


def test_a_register_extends_a_checkpoint_or_the_first_difference_is_named() -> None:
    rid = CHECKPOINT.register_id
    assert cp.extension_problem(CHECKPOINT, rid, 1234, HASH) is None
    assert cp.extension_problem(CHECKPOINT, rid, 2000, HASH) is None
    assert cp.extension_problem(CHECKPOINT, "other", 2000, HASH) == (
        f"register id differs: this register is other, the checkpoint's is {rid}"
    )
    assert cp.extension_problem(CHECKPOINT, rid, 1233, None) == (
        "the register has 1233 events, the checkpoint 1234: events were removed"
    )
    assert cp.extension_problem(CHECKPOINT, rid, 1234, "cd" * 32) == (
        f"the event at position 1234 has hash {'cd' * 32}, the checkpoint says {HASH}:"
        " the history up to it was rewritten"
    )
