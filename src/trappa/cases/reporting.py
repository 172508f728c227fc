"""``report``: a checked händelse joins the supplier's (and contract's) open case, or opens one.

The joining rules (``join_case``, ``check_joining``) are shared with ``trappa import``, which
records many reports in one transaction (``trappa.cases.bulk``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from trappa.cases.contracts import apply_report_criticality
from trappa.cases.inputs import CheckedReport
from trappa.cases.results import ReportResult
from trappa.cases.session import Events, Session, effective_date, record
from trappa.errors import UserError
from trappa.history.projection import CaseState
from trappa.ladder.view import LadderView
from trappa.messages import say

DEFAULT_LADDER = "regionerna"


def report(
    session: Session,
    checked: CheckedReport,
    resolve_ladder: Callable[[str], LadderView],
    owner: str | None = None,
) -> ReportResult:
    """Register a checked händelse: join the supplier's (and contract's) open case, or open one.

    ``resolve_ladder`` turns a ladder reference into a resolved ladder; it is called only when a
    case opens or ``--ladder`` is given, so joining an open case reads no ladder file.

    The whole answer (the case, its level, the rules' evaluation) is made inside the transaction:
    a failure anywhere records nothing, and once it commits nothing is left to fail, so an
    error never leaves the händelse recorded behind advice to report it again.
    """
    with session.store.transaction():
        state, created, deviation = record_report(session, checked, None, resolve_ladder)
        if owner is not None and owner != state.owner:  # ``report --owner``: same transaction
            state = record(session, state, state.id,
                           [("assigned", state.last_date, {"owner": owner})])
        result = ReportResult(state, deviation, created, session.evaluate(state))
    return result


def ladder_ref(session: Session, checked: CheckedReport) -> str:
    """The ladder a new case runs under: ``--ladder``, else the configured default."""
    return checked.ladder or session.store.get_setting("default.ladder") or DEFAULT_LADDER


def record_report(
    session: Session,
    checked: CheckedReport,
    ladder: LadderView | None,
    resolve_ladder: Callable[[str], LadderView],
) -> tuple[CaseState, bool, int]:
    """Record a checked report inside the caller's transaction: (case, created, deviation n).

    ``ladder`` is the resolved ladder for a new case when the caller has it already.
    """
    joining = join_case(session, checked, ladder, resolve_ladder)
    state = record(session, joining.state, joining.case_id, joining.events)
    return state, joining.state is None, joining.events[0][2]["deviation"]["n"]


class Joining(NamedTuple):
    """Where a report goes and what it records there (see ``join_case``)."""

    state: CaseState | None  # the open case it joins; None when it opens one
    case_id: str
    events: Events  # its ``reported`` event, then ``supplier_identified`` when it gave a number


def join_case(
    session: Session,
    checked: CheckedReport,
    ladder: LadderView | None,
    resolve_ladder: Callable[[str], LadderView],
    case_state: Callable[[str], CaseState | None] | None = None,
) -> Joining:
    """The rules by which a report joins a case, without recording its events.

    Adds the supplier, contract and ladder the report needs, inside the caller's transaction;
    a refusal comes before anything is written. A new case's id is taken from the store, so the
    caller saves the case before the next call. ``case_state`` reads an open case (the store's
    projection unless given: ``trappa import`` passes the cases it has joined and not yet saved).

    One supplier, one case: a report whose organisation number no supplier has, naming a
    supplier registered without a number, gives that supplier the number and goes where a report
    by name would: the open case of the supplier and contract, else a new one. The case it goes
    to records the number (``supplier_identified``, after the report that brought it), so the
    history says when and by whom the number was registered; the supplier's other cases (of its
    other contracts) show the number too, from the supplier's record, without an event.

    Nothing a report gives is silently ignored: a diarienummer (``--reference``) for an open case
    without one is recorded in its ``reported`` event and becomes the case's; another one is
    refused (``check_joining``). A criticality other than the contract's is applied and recorded
    in the contract's stream (``trappa.cases.contracts``).
    """
    store = session.store
    supplier = store.find_supplier(org_nr=checked.org_nr, name=checked.supplier)
    if supplier is not None and supplier["name"].casefold() != checked.supplier.casefold():
        # An organisation number names one company: a different name is a typing mistake in
        # one of the two, and filing the report under either could put it on the wrong case.
        raise UserError(say("report.org_nr_other_name", org_nr=checked.org_nr,
                            name=supplier["name"], given=checked.supplier))
    if supplier is None:
        supplier = store.supplier(store.add_supplier(checked.supplier, checked.org_nr))
    contract = None
    criticality_changes = False
    if checked.contract is not None:
        contract = store.find_contract(supplier["id"], checked.contract)
        if contract is None:
            contract = store.contract(
                store.add_contract(supplier["id"], checked.contract, checked.criticality)
            )
        else:
            criticality_changes = checked.criticality not in (None, contract["criticality"])
    date = session.today.isoformat()
    case_id = store.open_case_for(supplier["id"], contract["id"] if contract else None)
    state = None
    if case_id is not None:
        state = (case_state or store.case_state)(case_id)
        assert state is not None
        check_joining(state, checked, resolve_ladder)
        date = effective_date(session, None, state)
        data: dict[str, Any] = {"deviation": {"n": len(state.deviations) + 1, **checked.deviation}}
        if checked.reference and not state.reference:
            data["reference"] = checked.reference  # the case gets its diarienummer now
    else:
        if ladder is None:
            ladder = resolve_ladder(ladder_ref(session, checked))
        store.put_ladder(ladder.ref, ladder.sha256, ladder.to_json())
        session.remember(ladder)
        case_id = store.next_case_id(session.today.year)
        opened = {
            "supplier": _supplier_data(supplier),
            "contract": (
                {"id": contract["id"], "name": contract["name"],
                 "criticality": contract["criticality"]}
                if contract
                else None
            ),
            "ladder": ladder.ref,
            "ladder_sha256": ladder.sha256,
            "reference": checked.reference,
        }
        data = {"opened": opened, "deviation": {"n": 1, **checked.deviation}}
    if criticality_changes:
        assert contract is not None
        # Applied and recorded in the contract's own stream, never silently ignored.
        contract = apply_report_criticality(
            session, contract, supplier, checked.criticality, case_id
        )
        if state is None:
            data["opened"]["contract"]["criticality"] = contract["criticality"]
    events: Events = [("reported", date, data)]
    if checked.org_nr is not None and supplier["org_nr"] is None:
        supplier = store.identify_supplier(supplier["id"], checked.org_nr)
        events.append(("supplier_identified", date, {"supplier": _supplier_data(supplier)}))
    return Joining(state, case_id, events)


def _supplier_data(supplier: dict[str, Any]) -> dict[str, Any]:
    """A supplier as an event records it."""
    return {"id": supplier["id"], "name": supplier["name"], "org_nr": supplier["org_nr"]}


def check_joining(
    state: CaseState, checked: CheckedReport, resolve_ladder: Callable[[str], LadderView]
) -> None:
    """Refuse a report that contradicts the open case it would join."""
    if checked.reference and state.reference and checked.reference != state.reference:
        raise UserError(say("report.reference_conflict", case=state.id, reference=state.reference))
    if checked.ladder and resolve_ladder(checked.ladder).ref != state.ladder:
        raise UserError(say("report.ladder_differs", case=state.id, ladder=state.ladder,
                            given=checked.ladder))
