"""The schema's steps of the follow-up cycle (replies, waivers, claims; risks and contracts as
records), after those of ``trappa.store.schema`` and under the same rule: a shipped step is never
renamed, reordered or edited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trappa.store.schema import run_statements

if TYPE_CHECKING:
    from sqlite_utils import Database


def step_0011_follow_up(db: Database) -> None:
    """The follow-up cycle (``trappa reply``, ``trappa waive``, ``sanction --deviation``): a
    deviation's waiver (a decision not to sanction it, and why), and the deviations a sanction
    answers (a JSON list of their numbers). A supplier's reply lives in its letter's record
    (``letters_sent.data``), which needs no column. Existing rows are what the fold of their
    events gives: no waiver, and a sanction that names no deviation."""
    run_statements(
        db,
        "ALTER TABLE deviations ADD COLUMN waived_on TEXT",
        "ALTER TABLE deviations ADD COLUMN waiver TEXT",
        "ALTER TABLE sanctions ADD COLUMN deviations TEXT NOT NULL DEFAULT '[]'",
    )


def step_0012_follow_up_records(db: Database) -> None:
    """The follow-up cycle: a case's risk assessments (projection), and a contract's own facts
    (``trappa.history.contracts``): the procurement's diarienummer, the claim window in days,
    and the number of the contract's last event (so that ``verify`` sees one cut off the end)."""
    run_statements(
        db,
        """CREATE TABLE risks (
            case_id TEXT NOT NULL REFERENCES cases (id), n INTEGER NOT NULL,
            seq INTEGER NOT NULL, date TEXT NOT NULL,
            probability INTEGER NOT NULL, consequence INTEGER NOT NULL, score INTEGER NOT NULL,
            band TEXT NOT NULL, band_default INTEGER NOT NULL, note TEXT,
            PRIMARY KEY (case_id, n)
        ) WITHOUT ROWID""",
        "ALTER TABLE contracts ADD COLUMN procurement TEXT",
        "ALTER TABLE contracts ADD COLUMN claim_within_days INTEGER CHECK (claim_within_days >= 1)",
        "ALTER TABLE contracts ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0",
        # The kept facts (step 9) gain the risk scores; NULL (none) for every case until now.
        "ALTER TABLE cases ADD COLUMN facts_risks TEXT",  # JSON [[date, score], ...]
    )
