"""Checkpoints: the register's head written down outside the file, signed, and checked. Pure.

A checkpoint is a C2SP ``tlog-checkpoint`` body inside a C2SP ``signed-note``
(docs/checkpoints.md is the specification)::

    trappa/<register id>           origin: the register's identity
    <number of events>             decimal, the tree size
    <head hash>                    base64 (standard, padded) of the 32 bytes of the newest
                                   event's sha256 (trappa prints it as hex elsewhere)
    date <YYYY-MM-DDTHH:MM:SSZ>    an extension line: when the head was read
                                   (blank line)
    — <key name> <base64(4-byte key id + 64-byte Ed25519 signature)>

Signatures cover the body (every line before the blank one, each with its newline) as signed-note
defines for Ed25519: the key id is the first 4 bytes of SHA-256(name, "\\n", 0x01, public key).
A checkpoint without a key has the blank line and no signature lines.

No file or database access here; ``cryptography`` is imported only by the functions that sign or
check a signature, so a command that never signs does not pay for it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field

from trappa.errors import Problem, ProblemsError, UserError
from trappa.messages import say

ORIGIN_PREFIX = "trappa/"
SIGNATURE_DASH = "\u2014 "  # an em dash and a space start every signature line
ED25519 = 1  # signed-note's signature type byte for Ed25519
_NAME = re.compile(r"[^\s+]+")  # a key name: no spaces (signed-note) and no "+" (the key line)
_SIZE = re.compile(r"0|[1-9][0-9]*")
_DATE = re.compile(r"date \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes


@dataclass(frozen=True)
class Checkpoint:
    """A register's head: its identity, number of events and newest hash (hex), and when."""

    register_id: str
    events: int
    hash: str
    date: str  # ISO 8601 UTC, seconds, "Z"
    signatures: tuple[Signature, ...] = field(default=())

    def body(self) -> str:
        """The signed text: origin, size, hash, the date line; each line ends with a newline."""
        root = base64.b64encode(bytes.fromhex(self.hash)).decode("ascii")
        return (f"{ORIGIN_PREFIX}{self.register_id}\n{self.events}\n{root}\n"
                f"date {self.date}\n")

    def text(self) -> str:
        """The whole note: the body, a blank line, one line per signature."""
        lines = [
            f"{SIGNATURE_DASH}{s.name} {base64.b64encode(s.key_id + s.signature).decode()}\n"
            for s in self.signatures
        ]
        return self.body() + "\n" + "".join(lines)

    def to_json(self) -> dict[str, object]:
        return {
            "register": self.register_id,
            "events": self.events,
            "hash": self.hash,
            "date": self.date,
            "signed_by": [s.name for s in self.signatures],
        }


# --- keys ------------------------------------------------------------------------------------


def key_id(name: str, public: bytes) -> bytes:
    """signed-note's key id: the first 4 bytes of SHA-256(name, newline, type byte, key)."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public).digest()[:4]


def check_key_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise UserError(say("checkpoint.key_name", name=name))
    return name


@dataclass(frozen=True)
class VerifierKey:
    """A public key as signed-note writes it: ``<name>+<hex key id>+<base64(0x01 + key)>``."""

    name: str
    public: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public)

    def text(self) -> str:
        encoded = base64.b64encode(bytes([ED25519]) + self.public).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"


def parse_verifier_key(text: str) -> VerifierKey:
    """A verifier key line; a ``UserError`` (exit 2) naming what is wrong otherwise."""
    parts = text.strip().split("+", 2)  # base64 may hold "+" too
    if len(parts) != 3 or not _NAME.fullmatch(parts[0]):
        raise UserError(say("checkpoint.key_malformed"))
    name, hex_id, encoded = parts
    raw = _b64(encoded)
    if raw is None or len(raw) != 33 or raw[0] != ED25519:
        raise UserError(say("checkpoint.key_malformed"))
    key = VerifierKey(name, raw[1:])
    if hex_id.lower() != key.key_id.hex():
        raise UserError(say("checkpoint.key_id_mismatch", name=name))
    return key


def private_key_text(name: str, seed: bytes, public: bytes) -> str:
    """The signing key as the Go ``note`` package writes it (PRIVATE+KEY+name+id+key)."""
    encoded = base64.b64encode(bytes([ED25519]) + seed).decode()
    return f"PRIVATE+KEY+{name}+{key_id(name, public).hex()}+{encoded}\n"


def parse_private_key(text: str, source: str = "signing key") -> tuple[str, bytes]:
    """The name and 32-byte Ed25519 seed of a signing key file's text (``UserError`` naming
    ``source`` if not)."""
    parts = text.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"] or not _NAME.fullmatch(parts[2]):
        raise UserError(say("checkpoint.private_key_malformed", source=source))
    raw = _b64(parts[4])
    if raw is None or len(raw) != 33 or raw[0] != ED25519:
        raise UserError(say("checkpoint.private_key_malformed", source=source))
    return parts[2], raw[1:]


def new_key(name: str) -> tuple[str, VerifierKey]:
    """A fresh Ed25519 key: the signing key's text and the verifier key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return private_key_text(name, seed, public), VerifierKey(name, public)


def verifier_of(private_text: str) -> VerifierKey:
    """The verifier key of a signing key file's text."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    name, seed = parse_private_key(private_text)
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return VerifierKey(name, public)


def note_signature(text: str, private_text: str) -> Signature:
    """signed-note's Ed25519 signature of ``text`` by the key ``private_text``."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    name, seed = parse_private_key(private_text)
    signature = Ed25519PrivateKey.from_private_bytes(seed).sign(text.encode())
    return Signature(name, verifier_of(private_text).key_id, signature)


def sign(checkpoint: Checkpoint, private_text: str) -> Checkpoint:
    """``checkpoint`` with a signature of its body by the key ``private_text`` added."""
    added = note_signature(checkpoint.body(), private_text)
    return Checkpoint(checkpoint.register_id, checkpoint.events, checkpoint.hash,
                      checkpoint.date, (*checkpoint.signatures, added))


def signature_problem(checkpoint: Checkpoint, key: VerifierKey) -> str | None:
    """Why ``checkpoint`` is not signed by ``key``, or None when it is."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not checkpoint.signatures:
        return say("checkpoint.unsigned", name=key.name)
    mine = [s for s in checkpoint.signatures if s.name == key.name and s.key_id == key.key_id]
    if not mine:
        # Name and key id, as the public key line starts: two keys of one name differ by id.
        names = ", ".join(f"{s.name}+{s.key_id.hex()}" for s in checkpoint.signatures)
        return say("checkpoint.other_key", name=f"{key.name}+{key.key_id.hex()}", names=names)
    public = Ed25519PublicKey.from_public_bytes(key.public)
    for found in mine:
        try:
            public.verify(found.signature, checkpoint.body().encode())
        except InvalidSignature:
            continue
        return None
    return say("checkpoint.bad_signature", name=key.name)


# --- reading a checkpoint file ---------------------------------------------------------------


def parse(text: str, file: str) -> Checkpoint:
    """The checkpoint in ``text``; a ``ProblemsError`` at the first malformed line otherwise.

    Each line is checked in order, so that the first wrong (or missing) one is named.
    """

    def bad(line: int, key: str, **fields: object) -> ProblemsError:
        return ProblemsError([Problem(file, line, 1, say(key, **fields))])

    if not text:
        raise bad(1, "checkpoint.empty")
    if not text.endswith("\n"):
        raise bad(text.count("\n") + 1, "checkpoint.no_final_newline")
    lines = text[:-1].split("\n")
    origin, size, root, date, blank = (lines + [""] * 5)[:5]  # a missing line reads as empty
    register_id = origin[len(ORIGIN_PREFIX):]
    if not origin.startswith(ORIGIN_PREFIX) or not _NAME.fullmatch(register_id):
        raise bad(1, "checkpoint.origin", prefix=ORIGIN_PREFIX)
    if not _SIZE.fullmatch(size):
        raise bad(2, "checkpoint.size")
    digest = _b64(root)
    if digest is None or len(digest) != 32:
        raise bad(3, "checkpoint.root")
    # One extension line, the date, then the blank line: other extensions are not ours.
    if not date.startswith("date "):
        raise bad(4, "checkpoint.no_date")
    if not _DATE.fullmatch(date):
        raise bad(4, "checkpoint.date")
    if blank != "" or len(lines) < 5:
        raise bad(5, "checkpoint.no_blank_line")
    signatures = []
    for n in range(5, len(lines)):
        signature = _signature(lines[n])
        if signature is None:
            raise bad(n + 1, "checkpoint.signature_line")
        signatures.append(signature)
    return Checkpoint(register_id, int(size), digest.hex(), date[len("date "):],
                      tuple(signatures))


def _signature(line: str) -> Signature | None:
    if not line.startswith(SIGNATURE_DASH):
        return None
    name, _, encoded = line[len(SIGNATURE_DASH):].partition(" ")
    raw = _b64(encoded)
    if not _NAME.fullmatch(name) or raw is None or len(raw) != 4 + 64:
        return None
    return Signature(name, raw[:4], raw[4:])


def _b64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None


# --- checking a register against a checkpoint -------------------------------------------------


def extension_problem(
    checkpoint: Checkpoint, register_id: str | None, events: int, hash_at: str | None
) -> str | None:
    """The first way a register (its id, number of events, and the hash of its event at the
    checkpoint's position) fails to extend ``checkpoint``; None when it extends it."""
    if register_id != checkpoint.register_id:
        return say("checkpoint.register_differs", found=register_id or "-",
                   expected=checkpoint.register_id)
    if events < checkpoint.events:
        return say("checkpoint.truncated", events=say("count.events", n=events),
                   expected=checkpoint.events)
    if checkpoint.events == 0:
        return None
    if hash_at != checkpoint.hash:
        return say("checkpoint.rewritten", position=checkpoint.events, found=hash_at or "-",
                   expected=checkpoint.hash)
    return None
