"""Recording many checked reports at once (``trappa import``), in one transaction.

An import records what reporting its rows one by one would (the rows in observed-date order,
the file's order on a tie), errors included: the rules are ``report``'s own
(``cases.reporting.join_case``). The first row of each party (supplier as named, contract) finds
or adds the supplier and contract, joins the party's open case or opens one, and gives a supplier
known only by name the organisation number it brings. The party's further rows then only continue
that case, checked as ``report`` checks a row that joins (``cases.reporting.check_joining``); a
party whose row was refused tries again with its next row, as a report would. Parties that meet in
one case (a supplier named once without and once with its number) number the case's deviations
in the order the rows came, as one by one.

Nothing is written row by row: the events are hash-chained and inserted in chunks
(``Store.append_rows``), each case's state is folded in memory and the projections are written
with one ``executemany`` per table (``Store.save_states``), so a hundred thousand rows cost a few
thousand statements, not a million. A row whose external id is already recorded is skipped:
running the same import twice adds nothing the second time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from trappa.cases.contracts import apply_report_criticality
from trappa.cases.importing import ImportRow, RowProblem
from trappa.cases.reporting import check_joining, join_case, ladder_ref
from trappa.cases.session import Events, Session
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

# A party of rows that go to one case as ``report`` finds it: (organisation number, the
# supplier's name, contract). With a number the name counts regardless of case, as the number
# finds the supplier and the name is only checked against it; without one, as written, as the
# name lookup prefers the exact spelling.
Party = tuple[str | None, str, str | None]

# An event of the import as ``_event_rows`` writes it: a row that continues a case as its
# deviation alone (its data spliced only when it is written: a hundred thousand rows hold no
# more than a reference each), or (type, date, data as canonical JSON) of an event
# ``join_case`` made.
_Item = dict[str, Any] | tuple[str, str, str]


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


class _Case:
    """A case the import writes to: its state as folded so far, and its new events in order.

    The rows that only continue the case are folded when its state is next needed (another
    party joining it, or the end), a case's rows at once."""

    __slots__ = ("id", "state", "start", "items", "pending", "reports")

    def __init__(self, case_id: str, state: CaseState | None) -> None:
        self.id = case_id
        self.state = state
        # The case's last event and deviation numbers before the import: its items follow them.
        self.start = (state.last_seq, len(state.deviations)) if state else (0, 0)
        self.items: list[_Item] = []
        self.pending: list[dict[str, Any]] = []  # the deviations of rows not yet in ``state``
        self.reports = 0  # the rows of the import that went to the case

    def record(self, events: Events, recorded_at: str, actor: str) -> None:
        """Add a party's first row: the events ``join_case`` made for it, against the case as
        ``folded`` left it."""
        assert not self.pending, "join_case read the case through folded()"
        seq = self.state.last_seq if self.state else 0
        new = []
        for type_, date, data in events:
            seq += 1
            new.append(Event(self.id, seq, type_, date, recorded_at, actor, data))
            self.items.append((type_, date, canonical_json(data)))
        self.state = apply_all(self.state, new)
        self.reports += 1

    def add(self, deviation: dict[str, Any]) -> None:
        """Add a row that continues the case."""
        self.items.append(deviation)
        self.pending.append(deviation)
        self.reports += 1

    def folded(self, date: str) -> CaseState:
        """The case after every event added so far (``date``: that of the rows added)."""
        assert self.state is not None, "a case gets its first events from record()"
        if self.pending:
            seq, n = self.state.last_seq, len(self.state.deviations)
            events = [
                (self.id, seq + i, "reported", date, {"deviation": {"n": n + i, **deviation}})
                for i, deviation in enumerate(self.pending, 1)
            ]
            self.state = state_from_values(fold_values(state_values(self.state), events))
            self.pending = []
        return self.state


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

    # Every row names the same --ladder: resolve each reference once, not once per row.
    resolve = functools.cache(resolve_ladder)
    ladder = resolve(ladder_ref(session, todo[0].report)) if todo else None
    problems: list[Problem] = []
    opened = joined = 0
    recorded_at = now_utc()
    actor = session.actor
    date = session.today.isoformat()
    cases: dict[str, _Case] = {}  # the cases the rows go to, in the order first reached
    parties: dict[Party, _Case] = {}
    criticalities: dict[Party, int] = {}  # the criticality a party's rows last gave its contract
    # The parties that name their supplier without a number, by the name regardless of case: a
    # supplier added under such a name (with a number no one had) may be the exact spelling a
    # later report's name lookup prefers, so those parties find their case again.
    named: dict[str, list[Party]] = {}

    def case_state(case_id: str) -> CaseState | None:
        case = cases.get(case_id)
        return case.folded(date) if case is not None else store.case_state(case_id)

    store.reserve_cache(16)  # the indexes a 100k-row import inserts into, several times over
    with store.transaction():
        for row in todo:
            report = row.report
            party = (
                report.org_nr,
                report.supplier if report.org_nr is None else report.supplier.casefold(),
                report.contract,
            )
            case = parties.get(party)
            try:
                if case is not None:
                    # No supplier, contract or case to look up again: the party's first row
                    # found them, and nothing in an import closes a case.
                    assert case.state is not None  # the first row gave it its state
                    check_joining(case.state, report, resolve)
                    if report.reference and case.state.reference is None:
                        _give_reference(case, report.reference, report.deviation, date,
                                        recorded_at, actor)
                    else:
                        case.add(report.deviation)
                    if report.criticality is not None and (
                        criticalities.get(party) != report.criticality
                    ):
                        _apply_criticality(session, case, report.contract, report.criticality)
                        criticalities[party] = report.criticality
                    continue
                # A refused row has written nothing (join_case refuses before it writes).
                joining = join_case(session, report, ladder, resolve, case_state)
            except UserError as exc:
                problems.append(RowProblem(file, row.line, 0, exc.message))
                continue
            case = cases.get(joining.case_id)
            if case is None:
                case = cases[joining.case_id] = _Case(joining.case_id, joining.state)
            case.record(joining.events, recorded_at, actor)
            if report.criticality is not None:  # join_case applied it
                criticalities[party] = report.criticality
            if joining.state is None:
                store.save_case_row(case.folded(date))  # the next party's lookups must see it
            parties[party] = case
            if report.org_nr is None:
                named.setdefault(report.supplier.casefold(), []).append(party)
            elif joining.state is None:  # perhaps a new supplier of a name parties know
                for other in named.pop(report.supplier.casefold(), ()):
                    parties.pop(other, None)
            opened += joining.state is None
            joined += joining.state is not None
        if problems:
            raise ProblemsError(problems)
        store.append_rows(_event_rows(cases.values(), date, recorded_at, actor, advance))
        store.save_states([case.folded(date) for case in cases.values()])
    return ImportSummary(file, len(rows), len(todo), skipped, opened, joined)


def _give_reference(
    case: _Case, reference: str, deviation: dict[str, Any], date: str, recorded_at: str,
    actor: str,
) -> None:
    """A row that continues a case without a diarienummer and gives one: its report records
    it, as ``report`` does (``cases.reporting.join_case``)."""
    state = case.folded(date)
    data = {"deviation": {"n": len(state.deviations) + 1, **deviation}, "reference": reference}
    case.record([("reported", date, data)], recorded_at, actor)


def _apply_criticality(
    session: Session, case: _Case, contract_name: str | None, criticality: int
) -> None:
    """A row's criticality for its case's contract, applied and recorded when it differs."""
    assert case.state is not None and contract_name is not None
    store = session.store
    contract = store.find_contract(case.state.supplier_id, contract_name)
    if contract is not None:
        apply_report_criticality(
            session, contract, store.supplier(case.state.supplier_id), criticality, case.id
        )


def _event_rows(
    cases: Iterable[_Case],
    date: str,
    recorded_at: str,
    actor: str,
    advance: Callable[[int], None],
) -> Iterator[EventRow]:
    """The rows of every event to append, case by case in seq order (``date``: that of the
    rows that continue a case)."""
    for case in cases:
        case_id = case.id
        seq, n = case.start
        for item in case.items:
            seq += 1
            if isinstance(item, dict):
                n += 1
                yield case_id, seq, "reported", date, recorded_at, actor, reported_json(n, item)
            else:
                type_, day, data = item
                n += type_ == "reported"
                yield case_id, seq, type_, day, recorded_at, actor, data
        advance(case.reports)


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
