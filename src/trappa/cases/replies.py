"""The supplier's reply to a sent letter (``trappa reply``): when it came, a note, and the reply
itself as a file kept in the register like a sent letter (content-addressed by its sha256, in the
same transaction as the event). A letter is named by its number in the case: 1, 2, … in the
order sent (``trappa letter CASE --sent``). A letter takes one reply: what the supplier sends
later goes into a note.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from trappa.cases.inputs import check_text, optional_text
from trappa.cases.results import ChangeResult
from trappa.cases.session import Session, record_event
from trappa.errors import Refusal, UserError
from trappa.history.projection import CaseState
from trappa.messages import say

MAX_FILE_BYTES = 64 * 1024 * 1024  # a reply with its attachments, not an archive


class ReplyFile(NamedTuple):
    """A file holding the reply: its name (without folders) and its bytes."""

    name: str
    content: bytes


def sent_letter(state: CaseState, n: int) -> dict[str, Any]:
    """Letter ``n`` of the case (1, 2, … in the order sent), or bad input naming how many."""
    if not 1 <= n <= len(state.letters_sent):
        raise UserError(say("reply.unknown_letter", case=state.id, n=n,
                            count=len(state.letters_sent)))
    return state.letters_sent[n - 1]


def reply(session: Session, case_id: str, letter: int, received: dt.date,
          note: str | None = None, file: ReplyFile | None = None,
          date: dt.date | None = None) -> ChangeResult:
    """Record the supplier's reply to letter ``letter`` of the case, received on ``received``."""
    note_text = optional_text(note, "--note", multiline=True)
    if file is not None:
        check_text(file.name, "--file")
        if len(file.content) > MAX_FILE_BYTES:
            raise UserError(say("reply.file_too_large", file=file.name,
                                most=MAX_FILE_BYTES // (1024 * 1024)))
    got = received.isoformat()
    facts: dict[str, Any] = {}

    def build(state: CaseState, day: str) -> dict[str, Any]:
        sent = sent_letter(state, letter)
        if got < sent["date"]:
            raise UserError(say("reply.before_letter", received=got, n=letter, date=sent["date"]))
        if got > day:
            raise UserError(say("reply.after_recording", received=got, date=day))
        if sent.get("reply") is not None:
            raise Refusal(say("reply.already", case=state.id, n=letter,
                              received=sent["reply"]["received"]),
                          hint=say("reply.already.hint", case=state.id))
        kept = None
        if file is not None:  # kept inside the transaction: the event and the bytes, or neither
            digest = session.store.keep_document(file.content)
            kept = {"name": file.name, "sha256": digest, "size": len(file.content)}
        facts.update(kind=sent.get("kind"), reply_by=sent.get("reply_by"), file=kept)
        return {"letter": letter, "received": got, "note": note_text, "file": kept}

    state, _ = record_event(session, case_id, "reply_received", date, build, guard=None)
    reply_by = facts["reply_by"]
    return ChangeResult(state, "reply_received", {
        "letter": letter, "kind": facts["kind"], "received": got, "reply_by": reply_by,
        "late": reply_by is not None and got > reply_by,
        "sha256": facts["file"]["sha256"] if facts["file"] else None,
    })


def reply_file(session: Session, case_id: str, letter: int) -> ReplyFile:
    """The file of the reply to letter ``letter``, byte for byte as the register keeps it."""
    state = session.case(case_id)
    sent = sent_letter(state, letter)
    reply = sent.get("reply")
    if reply is None:
        raise Refusal(say("reply.none", case=state.id, n=letter))
    file = reply.get("file")
    if not file:
        raise Refusal(say("reply.no_file", case=state.id, n=letter))
    content = session.store.document(file["sha256"])
    if content is None:  # verify reports it too
        raise Refusal(say("reply.not_kept", case=state.id, n=letter, sha256=file["sha256"]))
    return ReplyFile(file["name"], content)
