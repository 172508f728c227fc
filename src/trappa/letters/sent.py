"""The letters a case has sent, as the register keeps them: listed by number (1, 2, … per case,
in the order sent) and written back byte for byte.

Letters and replies are public documents kept as sent: ``letter_sent`` names a letter by the
sha256 of its bytes, and the register keeps those bytes (``trappa.store.letters``). A letter
recorded before the register kept letters has its sha256 only, and cannot be written back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trappa.cases.session import Session
from trappa.errors import Refusal, UserError
from trappa.messages import say


@dataclass(frozen=True)
class SentLetter:
    """Letter ``n`` of a case, as its ``letter_sent`` event records it."""

    case: str
    n: int
    kind: str
    format: str
    date: str
    recipient: str
    sha256: str
    kept: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "kind": self.kind,
            "format": self.format,
            "date": self.date,
            "recipient": self.recipient,
            "sha256": self.sha256,
            "kept": self.kept,
        }


def sent_letters(session: Session, case_id: str) -> list[SentLetter]:
    """The case's letters in the order sent, numbered from 1."""
    state = session.case(case_id)
    records = list(state.letters_sent)
    kept = session.store.kept_documents([str(r.get("sha256")) for r in records])
    return [
        SentLetter(
            case=state.id,
            n=n,
            kind=str(record.get("kind")),
            format=str(record.get("format")),
            date=str(record.get("date")),
            recipient=str(record.get("recipient")),
            sha256=str(record.get("sha256")),
            kept=record.get("sha256") in kept,
        )
        for n, record in enumerate(records, 1)
    ]


def copy_of(session: Session, case_id: str, n: int) -> tuple[SentLetter, bytes]:
    """Letter ``n`` of the case and its bytes exactly as sent. An unknown ``n`` is bad input;
    a letter whose bytes the register does not keep is refused."""
    letters = sent_letters(session, case_id)
    if not 1 <= n <= len(letters):
        raise UserError(say("letters.copy.unknown", case=case_id, n=n, count=len(letters)),
                        hint=say("letters.copy.unknown.hint", case=case_id))
    letter = letters[n - 1]
    content = session.store.document(letter.sha256)
    if content is None:
        raise Refusal(say("letters.copy.not_kept", case=case_id, n=n, sha256=letter.sha256))
    return letter, content
