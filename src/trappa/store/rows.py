"""How a ``CaseState`` lies in the projection tables, and how it is read back: part of the
store (``trappa.store.projection`` and ``trappa.store.summaries`` run the queries; this module only
names the columns and converts rows).

A case is one row of ``cases`` plus rows in one child table per tuple field of ``CaseState``
(``deviations``, ``plans``, …), each keyed by the case id. Reading many cases fetches each table
once, in case order, and ``ChildRows`` deals its rows out case by case: a merge join in Python,
so the number of queries does not grow with the number of cases. The ``cases`` row also keeps
the case's facts for the rules (``FACTS_COLUMNS``), which is all ``status`` and ``review`` read.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any, NamedTuple

from trappa.history.facts import ChangeFact, Facts, PlanFact, facts_of
from trappa.history.projection import (
    ActivityDone,
    CaseState,
    Deviation,
    LevelChange,
    Plan,
    RiskAssessment,
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
     state, resolved_on, reported_seq, waived_on, waiver) = row
    return Deviation(
        n, kind, bool(serious), observed, description, category, source, reporter, external_id,
        state, resolved_on, reported_seq, waived_on, waiver,
    )


def _load_plan(row: Row) -> Plan:
    _, n, established, due, items, owner, outcome, followed_up, note = row
    return Plan(n, established, due, tuple(json.loads(items)), owner, outcome, followed_up, note)


# Keyed by the CaseState field each table holds (the table has the same name).
CHILDREN: dict[str, Child] = {
    "deviations": Child(
        "n, kind, serious, observed, description, category, source, reporter, external_id,"
        " state, resolved_on, reported_seq, waived_on, waiver",
        _load_deviation,
        lambda d: (
            d.n, d.kind, int(d.serious), d.observed, d.description, d.category, d.source,
            d.reporter, d.external_id, d.state, d.resolved_on, d.reported_seq, d.waived_on,
            d.waiver,
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
        "n, date, kind, reason, amount, deviations",
        lambda row: Sanction(row[1], row[2], row[3], row[4], row[5], tuple(json.loads(row[6]))),
        lambda s: (s.n, s.date, s.kind, s.reason, s.amount, json.dumps(list(s.deviations))),
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
    "risks": Child(
        "n, seq, date, probability, consequence, score, band, band_default, note",
        lambda row: RiskAssessment(
            row[1], row[2], row[3], row[4], row[5], row[6], row[7], bool(row[8]), row[9]
        ),
        lambda r: (
            r.n, r.seq, r.date, r.probability, r.consequence, r.score, r.band,
            int(r.band_default), r.note,
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


# --- the facts kept with each case: the light read path of ``status`` and ``review`` ---------

# What ``trappa.history.facts.facts_of`` derives from a case's state, kept in its ``cases`` row
# (written by the same statement as the rest of the row), so that a list of cases reads one
# table: date lists joined with ``DATE_SEPARATOR`` (observation dates are ISO text, which never
# holds a comma), level changes and plans as JSON lists of their fields; NULL when empty.
FACTS_COLUMNS = (
    "facts_counted, facts_serious, open_deviations, facts_changes, facts_plans, facts_sanctions,"
    " facts_risks"
)


def _joined(dates: tuple[str, ...]) -> str | None:
    return DATE_SEPARATOR.join(dates) if dates else None


def _list_encoder() -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``, by a C encoder made
    once: ``verify`` writes every case's facts again to compare them (``make bench``)."""
    from json import encoder

    c_make_encoder = getattr(encoder, "c_make_encoder", None)
    if c_make_encoder is None:
        return json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def unknown(value: Any) -> Any:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    make = c_make_encoder(
        None, unknown, encoder.encode_basestring, None, ":", ",", False, False, True
    )
    return lambda value: "".join(make(value, 0))


_encode_list = _list_encoder()


def _listed(items: tuple[tuple[Any, ...], ...]) -> str | None:
    return _encode_list(items) if items else None


def facts_values(facts: Facts) -> Row:
    """The ``FACTS_COLUMNS`` of a case's facts."""
    return (
        _joined(facts.counted), _joined(facts.serious), facts.open_deviations,
        _listed(facts.level_changes), _listed(facts.plans), _joined(facts.sanction_dates),
        _listed(facts.risk_scores),
    )


def case_row(state: CaseState) -> Row:
    """The whole ``cases`` row of a state: ``CASE_COLUMNS`` then ``FACTS_COLUMNS``."""
    return (*case_values(state), *facts_values(facts_of(state)))


# What a list of cases reads of each case: a few ``cases`` columns and the kept facts.
SUMMARY_COLUMNS = (
    "id, supplier_id, contract_id, ladder_sha256, status, level, opened, closed_on, "
    + FACTS_COLUMNS
)

_EMPTY: tuple[Any, ...] = ()
_scan: Callable[[str, int], tuple[Any, int]] = (
    json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # set in __init__; typeshed omits it
)
# Named tuples made from each decoded list in C: ``_make`` is a Python call per item, and
# nearly every case has level changes (``make bench``'s ``status --all --json``).
_change = functools.partial(tuple.__new__, ChangeFact)
_plan = functools.partial(tuple.__new__, PlanFact)


def _decode(listed: str) -> list[Any]:
    """A kept JSON list, by the decoder's C scanner; anything it does not take whole goes to
    ``json.loads``, so the result and every error are exactly its."""
    try:
        value, end = _scan(listed, 0)
    except Exception:  # noqa: BLE001 - json.loads raises the precise error below
        return list(json.loads(listed))
    if end != len(listed) or not isinstance(value, list):
        return list(json.loads(listed))
    return value


class CaseSummary(NamedTuple):
    """A case as ``status`` and ``review`` read it: what the rules read
    (``trappa.rules.facts.CaseFacts``) and what a row prints, and nothing else: a ``cases`` row
    of ``SUMMARY_COLUMNS`` as SQLite returns it, so that 100k of them cost nothing to build; the
    kept facts are decoded only when the rules ask."""

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
    listed_changes: str | None  # the level changes as JSON
    listed_plans: str | None  # the plans as JSON
    joined_sanctions: str | None  # the sanctions' dates, joined
    listed_risks: str | None  # the risk assessments' (date, score) as JSON

    @property
    def level_changes(self) -> tuple[ChangeFact, ...]:
        listed = self.listed_changes
        return tuple(map(_change, _decode(listed))) if listed else _EMPTY

    @property
    def plans(self) -> tuple[PlanFact, ...]:
        listed = self.listed_plans
        return tuple(map(_plan, _decode(listed))) if listed else _EMPTY

    @property
    def sanction_dates(self) -> tuple[str, ...]:
        joined = self.joined_sanctions
        return tuple(joined.split(DATE_SEPARATOR)) if joined else _EMPTY

    @property
    def risk_scores(self) -> tuple[tuple[str, int], ...]:
        listed = self.listed_risks
        return tuple(map(tuple, _decode(listed))) if listed else _EMPTY

    @property
    def latest_plan(self) -> PlanFact | None:
        plans = self.plans
        return plans[-1] if plans else None

    def counted_dates(self, serious: bool) -> list[str]:
        """The observation dates of the deviations that count, sorted; a new list each call."""
        joined = self.joined_serious if serious else self.joined_counted
        return joined.split(DATE_SEPARATOR) if joined else []

    def facts(self) -> Facts:
        """The kept facts, decoded (what ``facts_of`` gave when the row was written)."""
        return Facts(
            tuple(self.counted_dates(False)), tuple(self.counted_dates(True)),
            self.open_deviations, self.level_changes, self.plans, self.sanction_dates,
            self.risk_scores,
        )
