"""How a ``CaseState`` lies in the projection tables, and how it is read back: part of the
store (``trappa.store.projection`` and ``trappa.store.summaries`` run the queries; this module only
names the columns and converts rows).

A case is one row of ``cases`` plus rows in one child table per tuple field of ``CaseState``
(``deviations``, ``plans``, …), each keyed by the case id. Reading many cases fetches each table
once, in case order, and ``ChildRows`` deals its rows out case by case: a merge join in Python,
so the number of queries does not grow with the number of cases.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any, NamedTuple

from trappa.history.projection import (
    ActivityDone,
    CaseState,
    Deviation,
    LevelChange,
    Plan,
    Sanction,
)
from trappa.ladder.view import canonical_json

Row = tuple[Any, ...]  # a row as sqlite3 returns it, or the values of one to insert

# The separator of dates joined in SQL: ``group_concat``'s default. Observation dates are
# stored as ISO text (``date.isoformat()``), which never holds a comma.
DATE_SEPARATOR = ","

CASE_COLUMNS = (
    "id, supplier_id, contract_id, ladder_sha256, ladder, reference, status, level, level_since,"
    " arrived_seq, opened, closed_on, last_seq, last_date, owner"
)


def case_values(state: CaseState) -> Row:
    """The ``cases`` row of a state, in ``CASE_COLUMNS`` order."""
    return (
        state.id, state.supplier_id, state.contract_id, state.ladder_sha256, state.ladder,
        state.reference, state.status, state.level, state.level_since, state.arrived_seq,
        state.opened, state.closed_on, state.last_seq, state.last_date, state.owner,
    )


class Child(NamedTuple):
    """One child table: its columns after ``case_id``, and the conversions both ways."""

    columns: str
    load: Callable[[Row], Any]  # a row (case_id first) -> the object in CaseState
    dump: Callable[[Any], Row]  # the object -> the values of ``columns``

    @property
    def width(self) -> int:
        return self.columns.count(",") + 1

    @property
    def key(self) -> str:
        """The column after ``case_id`` in the primary key (the first of ``columns``): rows
        are read in key order, which SQLite gives by itself and PostgreSQL only when asked."""
        return self.columns.split(",", 1)[0].strip()


def _load_deviation(row: Row) -> Deviation:
    (_, n, kind, serious, observed, description, category, source, reporter, external_id,
     state, resolved_on, reported_seq) = row
    return Deviation(
        n, kind, bool(serious), observed, description, category, source, reporter, external_id,
        state, resolved_on, reported_seq,
    )


def _load_plan(row: Row) -> Plan:
    _, n, established, due, items, owner, outcome, followed_up, note = row
    return Plan(n, established, due, tuple(json.loads(items)), owner, outcome, followed_up, note)


# Keyed by the CaseState field each table holds (the table has the same name).
CHILDREN: dict[str, Child] = {
    "deviations": Child(
        "n, kind, serious, observed, description, category, source, reporter, external_id,"
        " state, resolved_on, reported_seq",
        _load_deviation,
        lambda d: (
            d.n, d.kind, int(d.serious), d.observed, d.description, d.category, d.source,
            d.reporter, d.external_id, d.state, d.resolved_on, d.reported_seq,
        ),
    ),
    "plans": Child(
        "n, established, due, items, owner, outcome, followed_up, note",
        _load_plan,
        lambda p: (
            p.n, p.established, p.due, json.dumps(list(p.items), ensure_ascii=False), p.owner,
            p.outcome, p.followed_up, p.note,
        ),
    ),
    "sanctions": Child(
        "n, date, kind, reason, amount",
        lambda row: Sanction(*row[1:]),
        lambda s: (s.n, s.date, s.kind, s.reason, s.amount),
    ),
    "level_changes": Child(
        "seq, date, from_level, to_level",
        lambda row: LevelChange(*row[1:]),
        lambda c: (c.seq, c.date, c.from_level, c.to_level),
    ),
    "activities_done": Child(
        "seq, date, level, activity, note",
        lambda row: ActivityDone(*row[1:]),
        lambda a: (a.seq, a.date, a.level, a.activity, a.note),
    ),
    # A letter record is a dict whose keys follow the letters feature; it is kept whole as JSON
    # (seq, date and kind beside it for lookups), so nothing it carries is lost.
    "letters_sent": Child(
        "seq, date, kind, data",
        lambda row: json.loads(row[4]),
        lambda letter: (
            letter.get("seq"), letter.get("date"), letter.get("kind"), canonical_json(letter)
        ),
    ),
}


_NO_GROUP: tuple[None, Iterator[Row]] = (None, iter(()))  # after the last case: no rows


class ChildRows:
    """Rows of one child table in case order, handed out case by case."""

    def __init__(self, rows: Iterable[Row], load: Callable[[Row], Any]) -> None:
        self._groups: Iterator[tuple[Any, Iterator[Row]]] = itertools.groupby(
            rows, key=itemgetter(0)
        )
        self._load = load
        self._case: str | None = None
        self._rows: Iterator[Row] = iter(())
        self._advance()

    def _advance(self) -> None:
        self._case, self._rows = next(self._groups, _NO_GROUP)

    def take(self, case_id: str) -> tuple[Any, ...]:
        """The objects of ``case_id``; cases must be asked for in ascending id order."""
        # Rows of cases outside the selection (never expected) are skipped, not misassigned.
        while self._case is not None and self._case < case_id:
            self._advance()
        if self._case != case_id:
            return ()
        taken = tuple(map(self._load, self._rows))
        self._advance()
        return taken


# --- the light read path of ``status`` and ``review`` ------------------------------------------

# What a list of cases reads of each case: the ``cases`` columns, then per table only what the
# rules and the row need (``trappa.store.summaries`` runs the queries).
SUMMARY_COLUMNS = "id, supplier_id, contract_id, ladder_sha256, status, level, opened, closed_on"


class ChangeRow(NamedTuple):
    """A level change as the rules read it (``LevelChange`` without its seq)."""

    date: str
    from_level: int
    to_level: int


class PlanRow(NamedTuple):
    """An action plan as the rules and ``next_due`` read it (``Plan`` without its text)."""

    n: int
    established: str
    due: str
    outcome: str | None
    followed_up: str | None


class CaseSummary(NamedTuple):
    """A case as ``status`` and ``review`` read it: what the rules read
    (``trappa.rules.facts.CaseFacts``) and what a row prints, and nothing else. A tuple, so that
    100k of them cost little to build; the deviations are kept as the joined dates SQL returns,
    split only when the rules ask."""

    id: str
    supplier_id: int
    contract_id: int | None
    ladder_sha256: str
    status: str
    level: int
    opened: str
    closed_on: str | None
    joined_counted: str | None  # observation dates of the deviations that count, joined
    joined_serious: str | None  # the same of the serious ones
    open_deviations: int
    level_changes: tuple[ChangeRow, ...]  # in event order
    plans: tuple[PlanRow, ...]  # in number order
    sanction_dates: tuple[str, ...]

    @property
    def latest_plan(self) -> PlanRow | None:
        return self.plans[-1] if self.plans else None

    def counted_dates(self, serious: bool) -> list[str]:
        """The observation dates of the deviations that count, unsorted; a new list each call."""
        joined = self.joined_serious if serious else self.joined_counted
        return joined.split(DATE_SEPARATOR) if joined else []


class Dealer:
    """Rows of one table in case order (case id first), dealt out case by case as ``take``
    converts them: like ``ChildRows``, and cheaper for a case that has none, which is most
    cases of a sparse table (plans, sanctions). A speed shortcut kept for the ``status`` and
    ``review`` figures of ``make bench``: over the 100k-case register it deals the plans,
    sanctions and level changes in about three quarters of ``ChildRows``' time."""

    __slots__ = ("_rows", "_next", "_convert")

    def __init__(self, rows: Iterable[Row], convert: Callable[[Row], Any]) -> None:
        self._rows = iter(rows)
        self._next: Row | None = next(self._rows, None)
        self._convert = convert

    def take(self, case_id: str) -> tuple[Any, ...]:
        """The converted rows of ``case_id``; cases must be asked for in ascending id order."""
        row = self._next
        if row is None or row[0] > case_id:
            return ()
        rows, convert, taken = self._rows, self._convert, []
        while row is not None and row[0] < case_id:  # a case outside the selection: skipped
            row = next(rows, None)
        while row is not None and row[0] == case_id:
            taken.append(convert(row))
            row = next(rows, None)
        self._next = row
        return tuple(taken)
