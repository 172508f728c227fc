"""Letters kept as sent: the exact bytes of each letter, content-addressed by their sha256, kept
in the transaction that records the ``letter_sent`` event, read back, and checked by ``verify``.
The supplier's replies (``trappa reply --file``) are kept the same way with ``reply_received``.

The event names the letter by its sha256; the bytes live once in ``documents`` however often
they are sent. Letters sent before the register kept them (``documents_kept_from``) have their
hash only.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator

from trappa.dates import now_utc
from trappa.messages import say
from trappa.store.connection import Connection, sql

# The letter_sent events after the register began to keep letters whose bytes are not kept.
# CROSS JOIN keeps the letters the outer loop: SQLite would otherwise walk every event after the
# mark (a million in a new register) instead of looking up each letter's event.
_UNKEPT = """
    SELECT l.case_id, l.seq, json_extract(l.data, '$.sha256')
    FROM letters_sent AS l
    CROSS JOIN events AS e ON e.case_id = l.case_id AND e.seq = l.seq
    WHERE e.position > (SELECT coalesce(max(position), 0) FROM documents_kept_from)
      AND NOT EXISTS (
          SELECT 1 FROM documents AS d WHERE d.sha256 = json_extract(l.data, '$.sha256')
      )
    ORDER BY e.position
"""


class Letters(Connection):
    """Keeping the bytes of sent letters and reading them back."""

    @sql
    def keep_document(self, content: bytes) -> str:
        """Keep ``content`` under its sha256 (once: the same bytes again keep the first copy);
        return the sha256. Call it inside the transaction that records the letter."""
        digest = hashlib.sha256(content).hexdigest()
        self._conn.execute(
            "INSERT INTO documents (sha256, content, stored_at) VALUES (?, ?, ?)"
            " ON CONFLICT (sha256) DO NOTHING",
            (digest, content, now_utc()),
        )
        return digest

    @sql
    def document(self, sha256: str) -> bytes | None:
        """The kept bytes whose sha256 is ``sha256``, or None when they are not kept."""
        row = self._conn.execute(
            "SELECT content FROM documents WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return bytes(row[0]) if row else None

    @sql
    def kept_documents(self, sha256s: list[str]) -> set[str]:
        """Which of ``sha256s`` have their bytes kept."""
        if not sha256s:
            return set()
        marks = ", ".join("?" * len(sha256s))
        return {
            digest
            for (digest,) in self._conn.execute(
                f"SELECT sha256 FROM documents WHERE sha256 IN ({marks})", sha256s
            )
        }


# The supplier's replies recorded with a file whose bytes are not kept (always kept since replies
# are recorded at all).
_UNKEPT_REPLIES = """
    SELECT case_id, json_extract(data, '$.reply.seq'), json_extract(data, '$.reply.file.sha256')
    FROM letters_sent AS l
    WHERE json_extract(data, '$.reply.file.sha256') IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM documents AS d WHERE d.sha256 = json_extract(l.data, '$.reply.file.sha256')
      )
    ORDER BY case_id, seq
"""


def document_problems(conn: sqlite3.Connection) -> Iterator[str]:
    """For ``verify``: each kept document whose bytes do not hash to their key, each letter
    sent since the register keeps letters whose bytes are not kept, and each reply file not
    kept."""
    for key, content in conn.execute("SELECT sha256, content FROM documents ORDER BY sha256"):
        data = content if isinstance(content, bytes) else str(content).encode("utf-8")
        if hashlib.sha256(data).hexdigest() != key:
            yield say("store.verify.document_changed", sha256=key)
    for case_id, seq, digest in conn.execute(_UNKEPT):
        yield say("store.verify.document_missing", case=case_id, seq=seq, sha256=digest)
    for case_id, seq, digest in conn.execute(_UNKEPT_REPLIES):
        yield say("store.verify.reply_missing", case=case_id, seq=seq, sha256=digest)
