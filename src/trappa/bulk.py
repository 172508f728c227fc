"""Recording many checked reports at once (``trappa import``), in one transaction.

Each row joins a case by the same rules as ``trappa report``: the first row of each party
(supplier, contract) goes through ``cases.record_report`` itself, which finds or adds the supplier
and contract and joins the party's open case or opens one. The party's further rows then only
continue that case: their events are folded in memory and written together (``Store.append``
hash-chains and inserts a batch with ``executemany``; ``Store.save_states`` writes the
projections), so a hundred thousand rows cost a few thousand statements, not a million.

Rows are recorded in observed-date order (the file's order on a tie), so that each case's
deviations are numbered as they happened. A row whose external id is already recorded is
skipped: running the same import twice adds nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trappa.cases import Session, _ladder_ref, record_report
from trappa.dates import now_utc
from trappa.errors import Problem, ProblemsError, UserError
from trappa.importing import ImportRow, RowProblem
from trappa.ladderview import LadderView
from trappa.messages import say
from trappa.projection import CaseState, Event, apply_all


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
    parties: dict[tuple, list[ImportRow]] = {}
    for row in todo:
        report = row.report
        party = (report.org_nr or report.supplier, report.org_nr is not None, report.contract)
        parties.setdefault(party, []).append(row)

    ladder = resolve_ladder(_ladder_ref(session, todo[0].report)) if todo else None
    problems: list[Problem] = []
    opened = joined = 0
    states: list[CaseState] = []
    events: list[Event] = []
    recorded_at = now_utc()
    date = session.today.isoformat()
    current: dict[str, CaseState] = {}  # each case as the latest record_report left it
    rest: dict[str, list[ImportRow]] = {}  # the rows that only continue a case
    with store.transaction():
        for group in parties.values():
            first = group[0]
            try:
                with store.transaction():  # a savepoint: a refused party leaves nothing behind
                    state, created, _ = record_report(session, first.report, ladder, resolve_ladder)
            except UserError as exc:
                problems.append(RowProblem(file, first.line, 0, exc.message))
                continue
            opened += created
            joined += not created
            current[state.id] = state
            rest.setdefault(state.id, []).extend(group[1:])
            advance(1)
        for case_id, more in rest.items():
            state = current[case_id]
            seq, n = state.last_seq, len(state.deviations)
            new = []
            # Two parties may meet in one case (a supplier named once with and once without
            # its organisation number): their rows merge in observed-date order.
            for row in sorted(more, key=lambda r: r.observed) if len(more) > 1 else more:
                reference = row.report.reference
                # The one check report makes when a row joins a case (see cases.record_report).
                if reference and state.reference and reference != state.reference:
                    problems.append(RowProblem(file, row.line, 0, say(
                        "report.reference_conflict", case=case_id, reference=state.reference
                    )))
                    continue
                seq += 1
                n += 1
                new.append(Event(case_id, seq, "reported", date, recorded_at, session.actor,
                                 {"deviation": {"n": n, **row.report.deviation}}))
            if new:
                events.extend(new)
                states.append(apply_all(state, new))
            advance(len(more))
        if problems:
            raise ProblemsError(problems)
        store.append(events)
        store.save_states(states)
    return ImportSummary(file, len(rows), len(todo), skipped, opened, joined)
