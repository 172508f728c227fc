"""Recording many checked reports at once (``trappa import``), in one transaction.

Each row joins a case by the same rules as ``trappa report`` (``cases.reporting.join_case``):
the first row of each party (supplier, contract) finds or adds the supplier and contract and
joins the party's open case or opens one. The party's further rows then only continue that case,
checked as ``report`` checks a row that joins (``cases.reporting.check_joining``). Nothing is
written row by row: the events are hash-chained and inserted in chunks (``Store.append_rows``),
each case's state is folded in memory and the projections are written with one ``executemany``
per table (``Store.save_states``), so a hundred thousand rows cost a few thousand statements,
not a million.

Rows are recorded in observed-date order (the file's order on a tie), so that each case's
deviations are numbered as they happened. A row whose external id is already recorded is
skipped: running the same import twice adds nothing the second time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from trappa.cases.importing import ImportRow, RowProblem
from trappa.cases.reporting import check_joining, join_case, ladder_ref
from trappa.cases.session import Session
from trappa.dates import now_utc
from trappa.errors import Problem, ProblemsError, UserError
from trappa.history.projection import (
    CaseState,
    Event,
    apply_all,
    fold_values,
    state_from_values,
    state_values,
)
from trappa.ladder.view import LadderView, canonical_json
from trappa.store.events import EventRow

# A party of rows that share one case: (org number or name, whether it is a number, contract).
Party = tuple[str, bool, str | None]


@dataclass(frozen=True)
class ImportSummary:
    file: str
    rows: int
    recorded: int
    skipped: int
    cases_opened: int
    cases_joined: int

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "recorded": self.recorded,
            "skipped": self.skipped,
            "cases_opened": self.cases_opened,
            "cases_joined": self.cases_joined,
        }


def record_rows(
    session: Session,
    rows: list[ImportRow],
    resolve_ladder: Callable[[str], LadderView],
    file: str,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Record ``rows`` in one transaction; all or nothing. ``progress`` is told of rows done."""
    store = session.store
    advance = progress or (lambda n: None)
    known = store.known_external_ids([r.external_id for r in rows if r.external_id])
    todo = sorted(
        (r for r in rows if r.external_id not in known or r.external_id is None),
        key=lambda r: r.observed,
    )
    skipped = len(rows) - len(todo)
    advance(skipped)
    parties: dict[Party, list[ImportRow]] = {}
    for row in todo:
        report = row.report
        party = (report.org_nr or report.supplier, report.org_nr is not None, report.contract)
        parties.setdefault(party, []).append(row)

    # Every row names the same --ladder: resolve each reference once, not once per row.
    resolve = functools.cache(resolve_ladder)
    ladder = resolve(ladder_ref(session, todo[0].report)) if todo else None
    problems: list[Problem] = []
    opened = joined = 0
    recorded_at = now_utc()
    actor = session.actor
    current: dict[str, CaseState] = {}  # each case as the parties' first rows leave it
    firsts: list[EventRow] = []  # the event rows of those first rows, in the order they came
    rest: dict[str, list[ImportRow]] = {}  # the rows that only continue a case

    def case_state(case_id: str) -> CaseState | None:
        state = current.get(case_id)
        return state if state is not None else store.case_state(case_id)

    store.reserve_cache(16)  # the indexes a 100k-row import inserts into, several times over
    with store.transaction():
        for group in parties.values():
            first = group[0]
            # A refused party has written nothing: join_case refuses before it adds anything,
            # or when it joins an open case, whose supplier and contract exist already.
            try:
                state, case_id, date, data = join_case(
                    session, first.report, ladder, resolve, case_state
                )
            except UserError as exc:
                problems.append(RowProblem(file, first.line, 0, exc.message))
                continue
            seq = state.last_seq + 1 if state else 1
            current[case_id] = apply_all(
                state, (Event(case_id, seq, "reported", date, recorded_at, actor, data),)
            )
            if state is None:
                store.save_case_row(current[case_id])  # the next party's lookups must see it
            firsts.append((case_id, seq, "reported", date, recorded_at, actor,
                           canonical_json(data)))
            opened += state is None
            joined += state is not None
            rest.setdefault(case_id, []).extend(group[1:])
            advance(1)
        continuing: dict[str, list[ImportRow]] = {}
        for case_id, more in rest.items():
            state = current[case_id]
            # Two parties may meet in one case (a supplier named once with and once without
            # its organisation number): their rows merge in observed-date order.
            ordered = sorted(more, key=lambda r: r.observed) if len(more) > 1 else more
            continuing[case_id] = accepted = []
            for row in ordered:
                try:
                    check_joining(state, row.report, resolve)
                except UserError as exc:
                    problems.append(RowProblem(file, row.line, 0, exc.message))
                else:
                    accepted.append(row)
        if problems:
            raise ProblemsError(problems)
        date = session.today.isoformat()
        states: list[CaseState] = []
        store.append_rows(_event_rows(firsts, continuing, current, states, date, recorded_at,
                                      actor, advance))
        store.save_states(states)
    return ImportSummary(file, len(rows), len(todo), skipped, opened, joined)


def _event_rows(
    firsts: list[EventRow],
    continuing: dict[str, list[ImportRow]],
    current: dict[str, CaseState],
    states: list[CaseState],
    date: str,
    recorded_at: str,
    actor: str,
    advance: Callable[[int], None],
) -> Iterator[EventRow]:
    """The rows of every event to append: the parties' first rows, then case by case the rows
    that continue it. Each case's state is folded as its rows are made, into ``states``."""
    yield from firsts
    for case_id, rows in continuing.items():
        state = current[case_id]
        seq, n = state.last_seq, len(state.deviations)
        events = []  # as the fold takes them: (case_id, seq, type, date, data)
        for row in rows:
            seq += 1
            n += 1
            deviation = row.report.deviation
            events.append((case_id, seq, "reported", date, {"deviation": {"n": n, **deviation}}))
            yield case_id, seq, "reported", date, recorded_at, actor, reported_json(n, deviation)
        if events:
            state = state_from_values(fold_values(state_values(state), events))
        states.append(state)
        advance(len(rows))


# --- the data of a reported event as canonical JSON ------------------------------------------

# A deviation's keys as cases.check_report makes them, and with "n" in the sorted order
# canonical JSON writes them.
_DEVIATION_KEYS = frozenset(
    ("kind", "serious", "observed", "category", "description", "source", "reporter",
     "external_id")
)


class _NotFlat(Exception):
    """A value ``reported_json`` does not splice: the general encoder takes over."""


def _value(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is str:
        return encode_basestring(value)
    raise _NotFlat


def reported_json(n: int, deviation: dict[str, Any]) -> str:
    """``canonical_json({"deviation": {"n": n, **deviation}})``, spliced: the encoder's set-up
    and key sorting cost more than the hashing and inserting of a row. Equal to it by
    construction for a deviation of text, flags and nulls; anything else is encoded in full."""
    d = deviation
    if type(n) is int and d.keys() == _DEVIATION_KEYS:
        try:
            return (
                f'{{"deviation":{{"category":{_value(d["category"])},'
                f'"description":{_value(d["description"])},'
                f'"external_id":{_value(d["external_id"])},"kind":{_value(d["kind"])},'
                f'"n":{n},"observed":{_value(d["observed"])},'
                f'"reporter":{_value(d["reporter"])},"serious":{_value(d["serious"])},'
                f'"source":{_value(d["source"])}}}}}'
            )
        except _NotFlat:
            pass
    return canonical_json({"deviation": {"n": n, **deviation}})
