"""The append-only history: events hash-chained onto the newest one (``trappa.history.chain``)
and inserted in order in format 2, with the personal data they name kept beside them where it
can be erased; and read back by case, in the shapes ``trappa.history.projection`` describes."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from operator import itemgetter
from typing import Any

from trappa.errors import StoreError
from trappa.history.chain import (
    GENESIS,
    body_v2,
    canonical_data,
    link_hash_v2,
    personal_digest,
    readable_data,
    stored_data,
)
from trappa.history.projection import REMOVED, Event
from trappa.ladder.view import canonical_json
from trappa.messages import say
from trappa.store.connection import Connection, sql

# An event as given to the store: (case_id, seq, type, date, recorded_at, actor's name, data as
# canonical JSON in the shapes of ``trappa.history.projection``).
EventRow = tuple[str, int, str, str, str, str, str]

_INSERT_EVENT = (
    "INSERT INTO events"
    " (case_id, seq, type, date, recorded_at, actor, data, prev_hash, hash, body)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_PERSONAL = "INSERT INTO personal_data (digest, salt, value, role) VALUES (?, ?, ?, ?)"
# The columns an ``Event`` is read from; the last is true for an event of format 2.
_EVENT_COLUMNS = "case_id, seq, type, date, recorded_at, actor, data, body IS NOT NULL"
_CHUNK = 2000  # events hashed, then inserted with one executemany
_REPORTER = '"reporter":"'  # only ever a key: a quote inside a JSON string is escaped
_SALT_BYTES = 16
_decode_at = json.JSONDecoder().raw_decode  # a JSON value starting at an index


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
            actors: dict[str, str] = {}  # name -> digest, this append's
            rows = iter(rows)
            while chunk := list(itertools.islice(rows, _CHUNK)):
                chained = []
                personal: list[tuple[str, bytes, str, str]] = []
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
                    who = actors.get(actor)
                    if who is None:
                        who = actors[actor] = self._actor_digest(actor, personal)
                    stored = _stored_json(type_, data, personal)
                    body = body_v2(case_id, seq, type_, date, recorded_at, who, stored)
                    digest = link_hash_v2(prev, body)
                    chained.append(
                        (case_id, seq, type_, date, recorded_at, who, stored, prev, digest, body)
                    )
                    prev = digest
                try:
                    conn.executemany(_INSERT_PERSONAL, personal)
                    conn.executemany(_INSERT_EVENT, chained)
                except sqlite3.IntegrityError as exc:  # the schema's guards, should a race slip by
                    raise StoreError(
                        say("store.duplicate_event", path=self.path, case=chunk[0][0],
                            seq=chunk[0][1])
                    ) from exc
                count += len(chained)
        return count

    def _actor_digest(self, name: str, personal: list[tuple[str, bytes, str, str]]) -> str:
        """The digest that stands for ``name`` as an actor: the register's one for that name,
        made (into ``personal``, to be inserted) the first time it acts."""
        for digest, _, value, role in personal:
            if role == "actor" and value == name:
                return digest
        row = self._conn.execute(
            "SELECT digest FROM personal_data WHERE role = 'actor' AND value = ?", (name,)
        ).fetchone()
        if row is not None:
            found: str = row[0]
            return found
        return _new_personal(name, "actor", personal)

    @sql
    def events(self, case_id: str) -> list[Event]:
        rows = self._conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE case_id = ? ORDER BY seq", (case_id,)
        ).fetchall()
        return events_of(rows, self._names_of(rows))

    @sql
    def erase_reporter(self, case_id: str, reported_seq: int) -> str:
        """Delete the name of the reporter of the deviation reported by event ``reported_seq``
        of the case. Returns ``"erased"``, ``"none"`` when it has no reporter (anonymous, or
        erased already), or ``"format1"`` when its event holds the name itself (written before
        format 2: erasing it would break the chain). Inside the caller's transaction."""
        row = self._conn.execute(
            "SELECT data, body IS NOT NULL FROM events WHERE case_id = ? AND seq = ?",
            (case_id, reported_seq),
        ).fetchone()
        if row is None:
            return "none"
        data = json.loads(row[0]).get("deviation") or {}
        if data.get("reporter") is None:
            return "none"
        if not row[1]:
            return "format1"
        cursor = self._conn.execute(
            "DELETE FROM personal_data WHERE digest = ? AND role = 'reporter'",
            (data["reporter"],),
        )
        return "erased" if cursor.rowcount else "none"

    def _names_of(self, rows: list[tuple[Any, ...]]) -> dict[str, str]:
        """The names behind the digests in format 2 ``rows`` (erased ones are absent)."""
        digests = {row[5] for row in rows if row[7]}
        digests.update(
            reporter for row in rows if row[7] and row[2] == "reported"
            for reporter in [(json.loads(row[6]).get("deviation") or {}).get("reporter")]
            if reporter is not None
        )
        return self._names(digests)

    def _names(self, digests: Iterable[str] | None = None) -> dict[str, str]:
        """Digest -> name of ``digests`` (all when None)."""
        conn = self._conn
        if digests is None:
            return dict(conn.execute("SELECT digest, value FROM personal_data"))
        wanted = sorted(digests)
        names: dict[str, str] = {}
        for start in range(0, len(wanted), 500):  # well under SQLite's variable limit
            chunk = wanted[start : start + 500]
            names.update(conn.execute(
                "SELECT digest, value FROM personal_data"
                f" WHERE digest IN ({', '.join('?' * len(chunk))})",
                chunk,
            ))
        return names

    def _event_rows_by_case(self) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
        """Every case's stored events in seq order, unparsed (a tampered row may not parse)."""
        rows = self._conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY case_id, seq")
        for case_id, group in itertools.groupby(rows, key=itemgetter(0)):
            yield case_id, list(group)

    def _has_events(self) -> bool:
        return self._conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None


def events_of(rows: Iterable[tuple[Any, ...]], names: Mapping[str, str]) -> list[Event]:
    """Events from stored rows (``_EVENT_COLUMNS``: the data still JSON). An event of format 2
    reads as format 1 would: its actor and reporter by name (``REMOVED`` once erased, from
    ``names``: digest -> name), its amount in kronor."""
    events = []
    for case_id, seq, type_, date, recorded_at, actor, data, v2 in rows:
        value = json.loads(data)
        if v2:
            actor = names.get(actor, REMOVED)
            value = readable_data(type_, value, names)
        events.append(Event(case_id, seq, type_, date, recorded_at, actor, value))
    return events


def _new_personal(value: str, role: str, personal: list[tuple[str, bytes, str, str]]) -> str:
    salt = os.urandom(_SALT_BYTES)
    digest = personal_digest(salt, value)
    personal.append((digest, salt, value, role))
    return digest


def _stored_json(type_: str, data: str, personal: list[tuple[str, bytes, str, str]]) -> str:
    """An event's data (canonical JSON) as format 2 stores it. A report's reporter gets a
    digest of its own (so that erasing it touches no other deviation), spliced in place: an
    import of 100k reports parses none of them. A sanction is converted whole."""
    if type_ == "reported":
        start = data.find(_REPORTER)
        if start < 0:  # no reporter (null): nothing personal, and no float in a report
            return data
        quote = start + len(_REPORTER) - 1  # the name's opening quote
        name, end = _decode_at(data, quote)
        digest = _new_personal(name, "reporter", personal)
        return f"{data[:quote]}\"{digest}\"{data[end:]}"
    if type_ == "sanction":
        return canonical_data(stored_data(type_, json.loads(data), None))
    return data
