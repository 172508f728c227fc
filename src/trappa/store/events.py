"""The append-only history: events hash-chained onto the newest one (``trappa.history.chain``)
and inserted in order, and read back by case."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from trappa.errors import StoreError
from trappa.history.chain import GENESIS, link_hash, stored_body_json
from trappa.history.projection import Event
from trappa.ladder.view import canonical_json
from trappa.messages import say
from trappa.store.connection import Connection, sql

# An event as stored: (case_id, seq, type, date, recorded_at, actor, data as canonical JSON).
EventRow = tuple[str, int, str, str, str, str, str]

_INSERT_EVENT = (
    "INSERT INTO events (case_id, seq, type, date, recorded_at, actor, data, prev_hash, hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_CHUNK = 2000  # events hashed, then inserted with one executemany


class Events(Connection):
    """Appending events to the chain and reading them back."""

    @sql
    def append(self, events: list[Event]) -> None:
        """Hash-chain ``events`` onto the history and insert them, in order.

        Each case's events must continue it (seq 1, 2, …): an event that is already recorded
        (another command got there first) or one that leaves a gap is refused and nothing of
        the transaction is saved.
        """
        if events:
            self.append_rows(
                (e.case_id, e.seq, e.type, e.date, e.recorded_at, e.actor, canonical_json(e.data))
                for e in events
            )

    @sql
    def append_rows(self, rows: Iterable[EventRow]) -> int:
        """``append`` for events given as rows (``EventRow``); return how many. The rows are
        consumed as they are inserted, a chunk at a time, so a bulk import neither builds nor
        keeps an ``Event`` per row (held by the ``import`` figure of ``make bench``)."""
        count = 0
        with self.transaction():
            conn = self._conn
            # Read inside the write transaction: no other command can append in between.
            row = conn.execute("SELECT hash FROM events ORDER BY position DESC LIMIT 1").fetchone()
            prev: str = row[0] if row else GENESIS
            last_seq: dict[str, int] = {}
            rows = iter(rows)
            while chunk := list(itertools.islice(rows, _CHUNK)):
                chained = []
                for case_id, seq, type_, date, recorded_at, actor, data in chunk:
                    last = last_seq.get(case_id)
                    if last is None:
                        last = conn.execute(
                            "SELECT coalesce(max(seq), 0) FROM events WHERE case_id = ?",
                            (case_id,),
                        ).fetchone()[0]
                    if seq != last + 1:
                        key = "store.duplicate_event" if seq <= last else "store.event_gap"
                        raise StoreError(
                            say(key, path=self.path, case=case_id, seq=seq, last=last)
                        )
                    last_seq[case_id] = seq
                    body = stored_body_json(case_id, seq, type_, date, recorded_at, actor, data)
                    digest = link_hash(prev, body)
                    chained.append(
                        (case_id, seq, type_, date, recorded_at, actor, data, prev, digest)
                    )
                    prev = digest
                try:
                    conn.executemany(_INSERT_EVENT, chained)
                except sqlite3.IntegrityError as exc:  # the schema's guards, should a race slip by
                    raise StoreError(
                        say("store.duplicate_event", path=self.path, case=chunk[0][0],
                            seq=chunk[0][1])
                    ) from exc
                count += len(chained)
        return count

    @sql
    def events(self, case_id: str) -> list[Event]:
        rows = self._conn.execute(
            "SELECT case_id, seq, type, date, recorded_at, actor, data FROM events"
            " WHERE case_id = ? ORDER BY seq",
            (case_id,),
        )
        return events_of(rows)

    def _event_rows_by_case(self) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
        """Every case's stored events in seq order, unparsed (a tampered row may not parse)."""
        rows = self._conn.execute(
            "SELECT case_id, seq, type, date, recorded_at, actor, data FROM events"
            " ORDER BY case_id, seq"
        )
        for case_id, group in itertools.groupby(rows, key=itemgetter(0)):
            yield case_id, list(group)

    def _has_events(self) -> bool:
        return self._conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None


def events_of(rows: Iterable[tuple[Any, ...]]) -> list[Event]:
    """Events from stored rows (``EventRow``: the data still JSON)."""
    return [
        Event(case_id, seq, type_, date, recorded_at, actor, json.loads(data))
        for case_id, seq, type_, date, recorded_at, actor, data in rows
    ]
