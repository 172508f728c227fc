"""The register's head: its identity, how many events it holds, and the newest event's hash,
read in one snapshot; and the hash of the event at a given position, to check a checkpoint."""

from __future__ import annotations

from typing import NamedTuple

from trappa.history.chain import GENESIS
from trappa.store.connection import Connection, sql


class RegisterHead(NamedTuple):
    register_id: str | None
    events: int
    hash: str  # the newest event's hash (hex); 64 zeros for an empty register

    def to_json(self) -> dict[str, object]:
        return {"events": self.events, "hash": self.hash}


class Head(Connection):
    """Reading the head of the chain (events in ``position`` order)."""

    @sql
    def head(self) -> RegisterHead:
        """The register's id, number of events and newest hash (one statement: one snapshot)."""
        register_id, count, newest = self._conn.execute(
            "SELECT (SELECT id FROM register WHERE one = 1),"
            " (SELECT count(*) FROM events),"
            " (SELECT hash FROM events ORDER BY position DESC LIMIT 1)"
        ).fetchone()
        return RegisterHead(register_id, count, newest or GENESIS)

    @sql
    def hash_at(self, n: int) -> str | None:
        """The hash of the ``n``-th event (1-based) in ``position`` order, or None when the
        register has fewer events."""
        if n < 1:
            return None
        row = self._conn.execute(
            "SELECT hash FROM events ORDER BY position LIMIT 1 OFFSET ?", (n - 1,)
        ).fetchone()
        return None if row is None else str(row[0])
