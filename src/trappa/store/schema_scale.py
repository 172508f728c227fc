"""The schema's steps that keep a large register fast, after those of ``trappa.store.schema``
and under the same rule: a shipped step is never renamed, reordered or edited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trappa.store.schema import run_statements

if TYPE_CHECKING:
    from sqlite_utils import Database


def step_0014_events_by_case(db: Database) -> None:
    """An index of the events by the key to their case (``case_ref``, step 10).

    The key is checked at commit, and to check it SQLite looks for a case's events whenever a
    case's row is deleted, and when a case's row is saved while an event is still waiting for it
    (a new case's first report). Without this index each such look is a scan of every event:
    ``report`` opening a case paid for the whole register, and replaying the projection (which
    deletes and saves every case) grew with cases times events, beyond ten minutes for 10,000
    cases and 100,000 events, where it now takes two seconds.
    """
    run_statements(db, "CREATE INDEX events_by_case ON events (case_ref)")
