"""What the read commands show: a case in full (`show`), the register (`status`), what needs
action (`review`). Plain data in DESIGN.md's JSON shapes; the CLI prints them for people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from trappa.cases.due import DueLists, case_due
from trappa.cases.risk import risk_json
from trappa.cases.session import Session
from trappa.history.projection import CaseState
from trappa.ladder.view import LadderView
from trappa.rules.due import DueDate, any_overdue
from trappa.rules.evaluation import suggested_level_of
from trappa.store.rows import CaseSummary


def next_due(state: CaseState | CaseSummary) -> str | None:
    """The due date of the latest action plan that has not been followed up."""
    plan = state.latest_plan
    return plan.due if plan is not None and plan.outcome is None else None


def traffic_light(state: CaseState | CaseSummary, suggested: int | None, today: dt.date) -> str:
    """red: a due date has passed or the rules call for a higher step; yellow: any other open
    case; green: closed."""
    if state.status != "open":
        return "green"
    due = next_due(state)
    if due is not None and due < today.isoformat():
        return "red"
    if (suggested or 0) > state.level:
        return "red"
    return "yellow"


# Ids from the first (inclusive) to the second (exclusive); None: no bound. A register listed
# in two parts at once (``halfway``) gives each part its range.
Ids = tuple[str | None, str | None]
ALL: Ids = (None, None)
PARTS_FROM_CASES = 20_000  # below this, a second process costs more than it saves


def halfway(session: Session) -> str | None:
    """The case id that splits a large register in halves for ``status_rows`` and
    ``review_rows`` to read side by side (each half its own snapshot); None for a small one."""
    return session.store.halfway_case(PARTS_FROM_CASES)


def status_rows(
    session: Session,
    *,
    supplier: str | None = None,
    include_closed: bool = False,
    ids: Ids = ALL,
    owner: str | None = None,
) -> Iterator[dict[str, Any]]:
    """One row per case, in case-id order: open cases, or all with ``include_closed``.

    The supplier is looked up before the first row is produced, so that a caller streaming the
    rows has printed nothing when the lookup fails.
    """
    supplier_ids = session.supplier_ids(supplier)
    status = None if include_closed else "open"
    # Only open cases have anything due: a closed one's row gets an empty list.
    dues = DueLists(
        session, status="open", supplier_ids=supplier_ids, day=session.today, owner=owner,
        ids=ids,
    )
    return _with_due(
        session,
        _summaries(session, status=status, supplier_ids=supplier_ids, ids=ids, owner=owner),
        dues,
    )


def _summaries(
    session: Session, *, status: str | None, supplier_ids: list[int] | None = None,
    ids: Ids = ALL,
    owner: str | None = None,
) -> Iterator[CaseSummary]:
    # The light read path: a list of cases needs neither a CaseState nor the deviations' text.
    return session.store.iter_summaries(status=status, supplier_ids=supplier_ids, ids=ids,
                                        owner=owner)


def _rows(
    session: Session, cases: Iterator[CaseSummary]
) -> Iterator[tuple[dict[str, Any], int | None]]:
    """Each case's row, with its contract's id (whose claim window its due list needs)."""
    day = session.today
    row = _RowMaker(*session.store.name_maps(), day)
    ladders: dict[str, LadderView] = {}
    for case in cases:
        ladder = ladders.get(case.ladder_sha256) or _ladder(session, ladders, case)
        yield row(case, suggested_level_of(ladder, case, day)), case.contract_id


def _ladder(session: Session, ladders: dict[str, LadderView], case: CaseSummary) -> LadderView:
    """The case's ladder, read once per listing (a register runs under a few)."""
    view = ladders[case.ladder_sha256] = session.ladder(case.ladder_sha256)
    return view


def review_rows(
    session: Session, as_of: dt.date | None = None, ids: Ids = ALL, owner: str | None = None
) -> Iterator[dict[str, Any]]:
    """Open cases whose suggested level differs from their level, whose plan is overdue, or
    whose ladder file has changed since the case opened (``ladder_outdated``: the current file
    of the same ``id@version`` resolves to another ladder; ``trappa ladder adopt`` moves it).

    ``as_of`` (today or later) judges the cases as they stand now as of that date: which plans
    will be overdue by then, and what the rules will say.
    """
    from trappa.cases.adopt import current_ladders

    day = as_of or session.today
    today = day.isoformat()
    row = _RowMaker(*session.store.name_maps(), day)
    ladders: dict[str, LadderView] = {}
    dues = DueLists(session, status="open", supplier_ids=None, day=day, owner=owner, ids=ids)
    current = current_ladders(session)
    outdated: dict[str, bool] = {}  # by the case's ladder sha256
    for case in _summaries(session, status="open", ids=ids, owner=owner):
        ladder = ladders.get(case.ladder_sha256) or _ladder(session, ladders, case)
        suggested = suggested_level_of(ladder, case, day)
        due = next_due(case)
        overdue = due is not None and due < today
        due_list = dues.take(case.id, case.contract_id)
        stale = outdated.get(case.ladder_sha256)
        if stale is None:
            now = current(ladder.ref)
            stale = outdated[case.ladder_sha256] = now is not None and now != ladder.sha256
        if suggested != case.level or overdue or stale or due_list:
            made = row(case, suggested)
            made["plan_overdue"] = overdue
            made["ladder_outdated"] = stale
            _add_due(made, due_list)
            yield made


# --- the follow-up cycle's part of a listing: what is due, and red for what is overdue --------


def _add_due(row: dict[str, Any], due: list[DueDate]) -> None:
    """A listed case's ``due`` list; red when a due date has passed."""
    row["due"] = [item.to_json() for item in due]
    row["light"] = _light_with_due(row["light"], due)


def _with_due(
    session: Session, cases: Iterator[CaseSummary], dues: DueLists
) -> Iterator[dict[str, Any]]:
    """Status rows with what is overdue or soon due on each open case (review's ``due``), red
    when a reply, a claim window or a plan is overdue."""
    for row, contract_id in _rows(session, cases):
        open_ = row["status"] == "open"
        _add_due(row, dues.take(row["case"], contract_id) if open_ else [])
        yield row


def red_rows(session: Session) -> Iterator[dict[str, Any]]:
    """The open cases red in ``status`` today, in case-id order, as its rows less their due
    lists (the monthly report's list): a case red by its step or plan needs no due list, and
    one that is not needs only to know whether something is overdue."""
    dues = DueLists(session, status="open", supplier_ids=None, day=session.today)
    for row, contract_id in _rows(session, _summaries(session, status="open")):
        if row["light"] == "red" or dues.overdue(row["case"], contract_id):
            row["light"] = "red"
            yield row


class _RowMaker:
    """A case's row of ``status`` and ``review``; the names looked up in plain dicts and the
    date formatted once, as it runs 100k times over a large register."""

    __slots__ = ("_suppliers", "_contracts", "_today")

    def __init__(
        self, suppliers: dict[int, str], contracts: dict[int | None, str | None], day: dt.date
    ) -> None:
        self._suppliers = suppliers
        self._contracts = contracts
        self._today = day.isoformat()

    def __call__(self, case: CaseSummary, suggested: int | None) -> dict[str, Any]:
        plan = case.latest_plan
        due = plan.due if plan is not None and plan.outcome is None else None  # next_due
        status = case.status
        # traffic_light, with the due date and the day at hand
        if status != "open":
            light = "green"
        elif (due is not None and due < self._today) or (suggested or 0) > case.level:
            light = "red"
        else:
            light = "yellow"
        return {
            "case": case.id,
            "supplier": self._suppliers[case.supplier_id],
            "contract": self._contracts[case.contract_id],
            "level": case.level,
            "suggested_level": suggested,
            "light": light,
            "open_deviations": case.open_deviations,
            "next_due": due,
            "status": status,
        }


def show(session: Session, case_id: str) -> dict[str, Any]:
    """Everything about one case, in DESIGN.md's `show` shape."""
    state = session.case(case_id)
    store = session.store
    ladder = session.ladder_of(state)
    evaluation = session.evaluate(state)
    supplier = store.supplier(state.supplier_id)
    contract = store.contract(state.contract_id) if state.contract_id is not None else None
    plan = state.latest_plan
    due = case_due(session, state)
    return {
        "case": state.id,
        "status": state.status,
        "reference": state.reference,
        "opened": state.opened,
        "closed_on": state.closed_on,
        "owner": state.owner,
        "supplier": {"name": supplier["name"], "org_nr": supplier["org_nr"]},
        "contract": (
            {
                "name": contract["name"], "criticality": contract["criticality"],
                "procurement": contract["procurement"],
                "claim_within_days": contract["claim_within_days"],
            }
            if contract else None
        ),
        "ladder": {"ref": ladder.ref, "title": ladder.title, "sha256": ladder.sha256},
        "level": state.level,
        "level_since": state.level_since,
        "light": _light_with_due(
            traffic_light(state, evaluation.suggested_level, session.today), due
        ),
        "step": step_json(ladder, state),
        "deviations": [d._asdict() for d in state.deviations],
        "action_plan": (
            {**plan._asdict(), "items": list(plan.items)} if plan is not None else None
        ),
        "plans": [{**p._asdict(), "items": list(p.items)} for p in state.plans],
        "sanctions": [
            {**s._asdict(), "kind_label": ladder.sanction_label(s.kind)} for s in state.sanctions
        ],
        "risk": risk_json(state),
        "risks": [r._asdict() for r in state.risks],
        "letters": list(state.letters_sent),
        "events": [
            {
                "seq": e.seq,
                "type": e.type,
                "date": e.date,
                "recorded_at": e.recorded_at,
                "actor": e.actor,
                "data": e.data,
            }
            for e in store.events(state.id)
        ],
        "evaluation": evaluation.to_json(),
        # Every due date of the case and its state (working days are review's: counting them
        # loads the calendar of holidays, which show does not need).
        "due": [
            {"what": item.what, "ref": item.ref, "date": item.date, "state": item.state,
             "done": item.done}
            for item in due
        ],
    }


def _light_with_due(light: str, due: list[DueDate]) -> str:
    """The traffic light of an open case, red also when one of its due dates has passed."""
    return "red" if light == "yellow" and any_overdue(due) else light


def step_json(ladder: LadderView, state: CaseState) -> dict[str, Any]:
    """The case's current step: its activities (done or not), parties and letters."""
    step = ladder.step(state.level)
    done = state.done_at_current_level()
    return {
        "level": step["level"],
        "event": step.get("event"),
        "label": step.get("label"),
        "tier": step.get("tier"),
        "activities": [
            {
                "key": key,
                "title": ladder.activities[key]["title"],
                "done": key in done,
                **(
                    {"letter": ladder.activities[key]["letter"]}
                    if ladder.activities[key].get("letter")
                    else {}
                ),
            }
            for key in step.get("activities") or []
        ],
        "parties": [
            {"key": key, "title": ladder.parties.get(key, key)} for key in step.get("parties") or []
        ],
        "letters": [
            {"kind": kind, "title": ladder.letters[kind]["title"], "to": ladder.letters[kind]["to"]}
            for kind in ladder.step_letters(state.level)
        ],
    }
