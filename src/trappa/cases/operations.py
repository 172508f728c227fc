"""The operations on cases: report, escalate, deescalate, done, plan, sanction, resolve, close,
reopen and note.

Each operation checks everything it can before it writes anything, then runs as one transaction:
it re-reads the case inside the transaction (another process may have moved it meanwhile),
appends its events, and saves the case's projection folded from them. A failure anywhere leaves
the database as it was. Operations return plain result objects; the CLI prints them.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from difflib import get_close_matches
from typing import Any, NamedTuple

from trappa.dates import now_utc
from trappa.errors import Refusal, UserError
from trappa.history.projection import (
    DEVIATION_KINDS,
    PLAN_OUTCOMES,
    CaseState,
    Event,
    apply,
)
from trappa.identifiers import CASE_ID, normalise_org_nr
from trappa.ladder.view import LadderView
from trappa.messages import say
from trappa.rules.evaluation import Evaluation, evaluate
from trappa.store.database import Store

DEFAULT_LADDER = "regionerna"


class Session:
    """Who does what, where and when: the context every operation runs in."""

    def __init__(self, store: Store, actor: str, today: dt.date) -> None:
        self.store = store
        self.actor = actor
        self.today = today
        self._ladders: dict[str, LadderView] = {}

    def ladder_of(self, state: CaseState) -> LadderView:
        """The resolved ladder the case runs under, as stored when it opened."""
        view = self._ladders.get(state.ladder_sha256)
        if view is None:
            view = LadderView.from_json(self.store.ladder_json(state.ladder_sha256))
            self._ladders[state.ladder_sha256] = view
        return view

    def resolve_ladder(self, ref: str) -> LadderView:
        """The resolved ladder for ``ref`` (an id, ``id@version`` or a path), through the
        database's ladder cache: a ladder whose files have not changed is not read again."""
        from trappa.cases.ladder_cache import resolve

        return resolve(self.store, ref)

    def remember(self, ladder: LadderView) -> None:
        """Keep a ladder just resolved, so that ``ladder_of`` need not read it back."""
        self._ladders[ladder.sha256] = ladder

    def case(self, case_id: str) -> CaseState:
        """The case, or a UserError naming the unknown id."""
        if not CASE_ID.fullmatch(case_id):
            raise UserError(say("case.malformed_id", case=case_id))
        state = self.store.case_state(case_id)
        if state is None:
            raise UserError(say("case.unknown", case=case_id))
        return state

    def evaluate(self, state: CaseState, as_of: dt.date | None = None) -> Evaluation:
        return evaluate(self.ladder_of(state), state, as_of or self.today)


# --- results ------------------------------------------------------------------------------------
# Value types here and in projection are NamedTuples rather than dataclasses: defining a frozen
# dataclass costs about a millisecond at import, and every command imports these.


class ReportResult(NamedTuple):
    case: CaseState
    deviation: int
    created_case: bool
    evaluation: Evaluation

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case.id,
            "deviation": self.deviation,
            "created_case": self.created_case,
            "level": self.case.level,
            "suggested_level": self.evaluation.suggested_level,
            "rules": [
                {"id": r.id, "title": r.title, "level": r.level} for r in self.evaluation.holding
            ],
        }


class MoveResult(NamedTuple):
    case: CaseState
    from_level: int
    to_level: int
    ladder: LadderView
    rules: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case.id,
            "from_level": self.from_level,
            "to_level": self.to_level,
            "rules": list(self.rules),
            "step": step_json(self.ladder, self.case),
        }


class ChangeResult(NamedTuple):
    """The outcome of a smaller operation: the case after it, and what was recorded."""

    case: CaseState
    event: str
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"case": self.case.id, "event": self.event, **self.detail}


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


# --- writing ------------------------------------------------------------------------------------


def _record(
    session: Session,
    state: CaseState | None,
    case_id: str,
    items: list[tuple[str, str, dict[str, Any]]],
) -> CaseState:
    """Append events (type, date, data) to a case and save its projection. Inside a transaction."""
    recorded_at = now_utc()
    events = []
    seq = state.last_seq if state else 0
    for event_type, date, data in items:
        seq += 1
        event = Event(case_id, seq, event_type, date, recorded_at, session.actor, data)
        state = apply(state, event)
        events.append(event)
    assert state is not None
    session.store.append(events)
    session.store.save_state(state)
    return state


def effective_date(session: Session, date: dt.date | None, state: CaseState | None) -> str:
    """The date an event takes effect: today unless given; never in the future, never before
    the case's latest event (the history must read forwards)."""
    day = date or session.today
    if day > session.today:
        raise UserError(say("date.future", date=day.isoformat(), today=session.today.isoformat()))
    text = day.isoformat()
    if state is not None and text < state.last_date:
        raise UserError(say("date.before_latest", date=text, case=state.id, latest=state.last_date))
    return text


def modify(
    session: Session,
    case_id: str,
    check: Callable[[CaseState], list[tuple[str, str, dict[str, Any]]]],
) -> CaseState:
    """Run ``check`` against the case as it is now, inside the write transaction, and record
    the events it returns. ``check`` raises to refuse; nothing is written then."""
    session.case(case_id)  # a clear error for an unknown case before taking the write lock
    with session.store.transaction():
        state = session.case(case_id)
        return _record(session, state, case_id, check(state))


def require_open(state: CaseState) -> None:
    if state.status != "open":
        raise Refusal(
            say("case.closed", case=state.id, date=state.closed_on or ""),
            hint=say("case.closed.hint", case=state.id),
        )


# What a user may type into a field: a name or a label is one line; a description, reason or
# note may run over several. Control characters (a terminal's escape codes among them) never
# belong in the record, and a limit keeps a pasted file out of it.
NAME_LIMIT = 300
TEXT_LIMIT = 10_000


def _text(value: str | None, what: str, *, multiline: bool = False) -> str:
    text = _optional_text(value, what, multiline=multiline)
    if text is None:
        raise UserError(say("input.empty", what=what))
    return text


# The control characters (C0, DEL, C1); a multi-line text may hold newlines and tabs. A regex,
# because a bulk import checks a million fields.
# Bidirectional overrides (U+202A-202E, U+2066-2069) are refused too: they make a record read
# differently from what it holds.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Bytes that were not UTF-8 on the command line arrive as lone surrogates.
_NOT_UTF8 = re.compile("[\ud800-\udfff]")


def check_text(value: str, what: str) -> str:
    """``value`` as one line of text fit for the record, or a UserError naming ``what``."""
    return _text(value, what)


def _optional_text(value: str | None, what: str, *, multiline: bool = False) -> str | None:
    text = value.strip() if value else ""
    if not text:
        return None
    if _NOT_UTF8.search(text):
        raise UserError(say("input.not_utf8", what=what))
    if (_CONTROL_MULTILINE if multiline else _CONTROL).search(text):
        key = "input.control_multiline" if multiline else "input.control"
        raise UserError(say(key, what=what))
    limit = TEXT_LIMIT if multiline else NAME_LIMIT
    if len(text) > limit:
        raise UserError(say("input.too_long", what=what, limit=limit, length=len(text)))
    return text


# --- report -------------------------------------------------------------------------------------


class ReportInput(NamedTuple):
    supplier: str
    description: str
    org_nr: str | None = None
    contract: str | None = None
    criticality: int | None = None
    kind: str = "deviation"
    serious: bool = False
    observed: dt.date | None = None
    category: str | None = None
    source: str | None = None
    reporter: str | None = None
    anonymous: bool = False
    reference: str | None = None
    ladder: str | None = None
    external_id: str | None = None


class CheckedReport(NamedTuple):
    """A report whose every field has been checked, ready to record."""

    supplier: str
    org_nr: str | None
    contract: str | None
    criticality: int | None
    deviation: dict[str, Any]
    reference: str | None
    ladder: str | None


# A register names each supplier on many rows: its organisation number is checked once.
_org_nr = functools.lru_cache(maxsize=4096)(normalise_org_nr)


def check_report(data: ReportInput, today: dt.date) -> CheckedReport:
    """Check a report's fields; raise UserError for the first bad one."""
    supplier = _text(data.supplier, "--supplier")
    description = _text(data.description, "--description", multiline=True)
    org_nr = _org_nr(data.org_nr) if data.org_nr and data.org_nr.strip() else None
    contract = _optional_text(data.contract, "--contract")
    if data.criticality is not None:
        if not 1 <= data.criticality <= 4:
            raise UserError(say("report.criticality", value=data.criticality))
        if contract is None:
            raise UserError(say("report.criticality_without_contract"))
    if data.kind not in DEVIATION_KINDS:
        raise UserError(say("report.kind", kind=data.kind, kinds=", ".join(DEVIATION_KINDS)))
    if data.reporter and data.anonymous:
        raise UserError(say("report.reporter_and_anonymous"))
    observed = data.observed or today
    if observed > today:
        raise UserError(
            say("report.observed_future", date=observed.isoformat(), today=today.isoformat())
        )
    deviation = {
        "kind": data.kind,
        "serious": bool(data.serious),
        "observed": observed.isoformat(),
        "category": _optional_text(data.category, "--category"),
        "description": description,
        "source": _optional_text(data.source, "--source"),
        # An anonymous report stores no reporter at all: a whistleblower must stay unknown.
        "reporter": None if data.anonymous else _optional_text(data.reporter, "--reporter"),
        "external_id": _optional_text(data.external_id, "external id"),
    }
    return CheckedReport(
        supplier=supplier,
        org_nr=org_nr,
        contract=contract,
        criticality=data.criticality,
        deviation=deviation,
        reference=_optional_text(data.reference, "--reference"),
        ladder=_optional_text(data.ladder, "--ladder"),
    )


def report(
    session: Session,
    checked: CheckedReport,
    resolve_ladder: Callable[[str], LadderView],
) -> ReportResult:
    """Register a checked händelse: join the supplier's (and contract's) open case, or open one.

    ``resolve_ladder`` turns a ladder reference into a resolved ladder; it is called only when a
    case opens or ``--ladder`` is given, so joining an open case reads no ladder file.
    """
    with session.store.transaction():
        state, created, deviation = record_report(session, checked, None, resolve_ladder)
    return ReportResult(state, deviation, created, session.evaluate(state))


def ladder_ref(session: Session, checked: CheckedReport) -> str:
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
    joined, case_id, date, data = join_case(session, checked, ladder, resolve_ladder)
    state = _record(session, joined, case_id, [("reported", date, data)])
    return state, joined is None, data["deviation"]["n"]


def join_case(
    session: Session,
    checked: CheckedReport,
    ladder: LadderView | None,
    resolve_ladder: Callable[[str], LadderView],
    case_state: Callable[[str], CaseState | None] | None = None,
) -> tuple[CaseState | None, str, str, dict[str, Any]]:
    """The rules by which a report joins a case, without recording it: (the open case it joins,
    or None when it opens one; the case id; the date and data of its ``reported`` event).

    Adds the supplier, contract and ladder the report needs, inside the caller's transaction.
    A new case's id is taken from the store, so the caller saves the case before the next call.
    ``case_state`` reads an open case (the store's projection unless given: ``trappa import``
    passes the cases it has joined and not yet saved).
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
    if checked.contract is not None:
        contract = store.find_contract(supplier["id"], checked.contract)
        if contract is None:
            contract = store.contract(
                store.add_contract(supplier["id"], checked.contract, checked.criticality)
            )
    date = session.today.isoformat()
    case_id = store.open_case_for(supplier["id"], contract["id"] if contract else None)
    if case_id is not None:
        state = (case_state or store.case_state)(case_id)
        assert state is not None
        check_joining(state, checked, resolve_ladder)
        date = effective_date(session, None, state)
        return state, case_id, date, {
            "deviation": {"n": len(state.deviations) + 1, **checked.deviation}
        }
    if ladder is None:
        ladder = resolve_ladder(ladder_ref(session, checked))
    store.put_ladder(ladder.ref, ladder.sha256, ladder.to_json())
    session.remember(ladder)
    case_id = store.next_case_id(session.today.year)
    opened = {
        "supplier": {"id": supplier["id"], "name": supplier["name"], "org_nr": supplier["org_nr"]},
        "contract": (
            {"id": contract["id"], "name": contract["name"], "criticality": contract["criticality"]}
            if contract
            else None
        ),
        "ladder": ladder.ref,
        "ladder_sha256": ladder.sha256,
        "reference": checked.reference,
    }
    return None, case_id, date, {"opened": opened, "deviation": {"n": 1, **checked.deviation}}


def check_joining(
    state: CaseState, checked: CheckedReport, resolve_ladder: Callable[[str], LadderView]
) -> None:
    """Refuse a report that contradicts the open case it would join."""
    if checked.reference and state.reference and checked.reference != state.reference:
        raise UserError(say("report.reference_conflict", case=state.id, reference=state.reference))
    if checked.ladder and resolve_ladder(checked.ladder).ref != state.ladder:
        raise UserError(say("report.ladder_differs", case=state.id, ladder=state.ladder,
                            given=checked.ladder))


# --- moving on the ladder -----------------------------------------------------------------------


def escalate(
    session: Session,
    case_id: str,
    to: int | None = None,
    reason: str | None = None,
    date: dt.date | None = None,
) -> MoveResult:
    """Move a case up. Without a reason the rules' suggestion must reach the target level; the
    rules that carry the move are then recorded instead of a reason."""
    if reason is not None and not reason.strip():
        raise UserError(say("input.empty", what="--reason"))
    return _move(
        session, case_id, to, _optional_text(reason, "--reason", multiline=True), date, up=True
    )


def deescalate(
    session: Session,
    case_id: str,
    to: int | None = None,
    reason: str | None = None,
    date: dt.date | None = None,
) -> MoveResult:
    """Move a case down: the way back. A reason is required."""
    return _move(session, case_id, to, _text(reason, "--reason", multiline=True), date, up=False)


def _move(
    session: Session,
    case_id: str,
    to: int | None,
    reason: str | None,
    date: dt.date | None,
    *,
    up: bool,
) -> MoveResult:
    holding: list[str] = []
    before: list[int] = []

    def check(state: CaseState) -> list[tuple[str, str, dict[str, Any]]]:
        require_open(state)
        ladder = session.ladder_of(state)
        day = effective_date(session, date, state)
        target = to if to is not None else state.level + (1 if up else -1)
        if not ladder.has_level(target):
            key = "move.above_top" if target > state.level else "move.below_zero"
            raise Refusal(
                say(key, case=state.id, level=state.level, target=target, top=ladder.top_level)
            )
        if target == state.level:
            raise Refusal(say("move.same_level", case=state.id, level=state.level))
        if up and target < state.level:
            raise Refusal(
                say("move.escalate_down", case=state.id, level=state.level, target=target),
                hint=say("move.escalate_down.hint"),
            )
        if not up and target > state.level:
            raise Refusal(
                say("move.deescalate_up", case=state.id, level=state.level, target=target),
                hint=say("move.deescalate_up.hint"),
            )
        rules = []
        if up:
            evaluation = session.evaluate(state, dt.date.fromisoformat(day))
            rules = [r.id for r in evaluation.holding if r.level >= target]
            if reason is None and (evaluation.suggested_level or 0) < target:
                raise Refusal(
                    say(
                        "move.needs_reason",
                        case=state.id,
                        target=target,
                        suggested=evaluation.suggested_level or 0,
                    ),
                    hint=say("move.needs_reason.hint", case=state.id),
                )
        holding.extend(rules)
        before.append(state.level)
        event = "escalated" if up else "deescalated"
        return [(event, day, {"from": state.level, "to": target, "reason": reason, "rules": rules})]

    state = modify(session, case_id, check)
    return MoveResult(state, before[0], state.level, session.ladder_of(state), tuple(holding))


# --- activities, plans, sanctions ---------------------------------------------------------------


def done(
    session: Session,
    case_id: str,
    activity: str,
    note: str | None = None,
    date: dt.date | None = None,
) -> ChangeResult:
    """Mark an activity of the case's current step done."""
    note_text = _optional_text(note, "--note", multiline=True)

    def check(state: CaseState) -> list[tuple[str, str, dict[str, Any]]]:
        require_open(state)
        ladder = session.ladder_of(state)
        day = effective_date(session, date, state)
        step_activities = ladder.step(state.level).get("activities") or []
        if activity not in ladder.activities:
            close = get_close_matches(activity.lower(), step_activities, n=1)
            close = close or get_close_matches(activity.lower(), list(ladder.activities), n=1)
            raise UserError(
                say("activity.unknown", activity=activity, ladder=ladder.ref)
                + (say("activity.did_you_mean", key=close[0]) if close else ""),
                hint=say(
                    "activity.step_list", level=state.level, activities=", ".join(step_activities)
                ),
            )
        if activity not in step_activities:
            raise Refusal(
                say("activity.not_in_step", activity=activity, level=state.level),
                hint=say(
                    "activity.step_list", level=state.level, activities=", ".join(step_activities)
                ),
            )
        if activity in state.done_at_current_level():
            raise Refusal(say("activity.already_done", activity=activity, level=state.level))
        return [
            (
                "activity_done",
                day,
                {"activity": activity, "level": state.level, "note": note_text},
            )
        ]

    state = modify(session, case_id, check)
    return ChangeResult(state, "activity_done", {"activity": activity, "level": state.level})


def establish_plan(
    session: Session,
    case_id: str,
    due: dt.date,
    items: list[str],
    owner: str | None = None,
    date: dt.date | None = None,
) -> ChangeResult:
    """Establish an action plan (handlingsplan) with its items and due date."""
    cleaned = [_text(item, "--item", multiline=True) for item in items if item and item.strip()]
    owner_text = _optional_text(owner, "--owner")
    if not cleaned:
        raise UserError(say("plan.no_items"))
    numbers: list[int] = []

    def check(state: CaseState) -> list[tuple[str, str, dict[str, Any]]]:
        require_open(state)
        day = effective_date(session, date, state)
        if due.isoformat() < day:
            raise UserError(say("plan.due_before", due=due.isoformat(), date=day))
        n = len(state.plans) + 1
        numbers.append(n)
        return [
            (
                "plan_established",
                day,
                {"n": n, "due": due.isoformat(), "items": cleaned, "owner": owner_text},
            )
        ]

    state = modify(session, case_id, check)
    return ChangeResult(
        state, "plan_established", {"plan": numbers[0], "due": due.isoformat(), "items": cleaned}
    )


def follow_up_plan(
    session: Session,
    case_id: str,
    outcome: str,
    note: str | None = None,
    date: dt.date | None = None,
) -> ChangeResult:
    """Record the follow-up of the case's latest action plan."""
    if outcome not in PLAN_OUTCOMES:
        raise UserError(say("plan.outcome", outcome=outcome, outcomes=", ".join(PLAN_OUTCOMES)))
    note_text = _optional_text(note, "--note", multiline=True)
    numbers: list[int] = []

    def check(state: CaseState) -> list[tuple[str, str, dict[str, Any]]]:
        require_open(state)
        day = effective_date(session, date, state)
        plan = state.latest_plan
        if plan is None:
            raise Refusal(
                say("plan.none", case=state.id), hint=say("plan.none.hint", case=state.id)
            )
        if plan.outcome is not None:
            raise Refusal(
                say("plan.already_followed", n=plan.n, date=plan.followed_up, outcome=plan.outcome)
            )
        numbers.append(plan.n)
        return [
            (
                "plan_followed_up",
                day,
                {"n": plan.n, "outcome": outcome, "note": note_text},
            )
        ]

    state = modify(session, case_id, check)
    return ChangeResult(state, "plan_followed_up", {"plan": numbers[0], "outcome": outcome})


MAX_AMOUNT = 1e12  # kronor: far above any contract's sanction, far below float's exact range


def sanction(
    session: Session,
    case_id: str,
    kind: str,
    reason: str,
    amount: float | None = None,
    date: dt.date | None = None,
) -> ChangeResult:
    """Record a sanction under the contract (vite, hävning, …)."""
    kind_text = _text(kind, "--kind")
    reason_text = _text(reason, "--reason", multiline=True)
    if amount is not None and not (math.isfinite(amount) and 0 <= amount <= MAX_AMOUNT):
        raise UserError(say("sanction.amount", amount=amount))
    if amount is not None:
        amount = round(amount, 2)  # kronor and öre
    numbers: list[int] = []

    def check(state: CaseState) -> list[tuple[str, str, dict[str, Any]]]:
        require_open(state)
        day = effective_date(session, date, state)
        n = len(state.sanctions) + 1
        numbers.append(n)
        return [
            ("sanction", day, {"n": n, "kind": kind_text, "amount": amount, "reason": reason_text})
        ]

    state = modify(session, case_id, check)
    return ChangeResult(
        state, "sanction", {"sanction": numbers[0], "kind": kind_text, "amount": amount}
    )


# --- deviations and the case's life -------------------------------------------------------------


def resolve(
    session: Session,
    case_id: str,
    deviation: int,
    note: str | None = None,
    date: dt.date | None = None,
) -> ChangeResult:
    """Put out (släcka) a deviation of the case."""
    note_text = _optional_text(note, "--note", multiline=True)

    def check(state: CaseState) -> list[tuple[str, str, dict[str, Any]]]:
        day = effective_date(session, date, state)
        found = state.deviation(deviation)
        if found is None:
            raise UserError(
                say("deviation.unknown", case=state.id, n=deviation, count=len(state.deviations))
            )
        if found.state == "resolved":
            raise Refusal(
                say(
                    "deviation.already_resolved", case=state.id, n=deviation, date=found.resolved_on
                )
            )
        return [("resolved", day, {"deviation": deviation, "note": note_text})]

    state = modify(session, case_id, check)
    return ChangeResult(state, "resolved", {"deviation": deviation})


def close(session: Session, case_id: str, reason: str, date: dt.date | None = None) -> ChangeResult:
    reason_text = _text(reason, "--reason", multiline=True)

    def check(state: CaseState) -> list[tuple[str, str, dict[str, Any]]]:
        require_open(state)
        return [("closed", effective_date(session, date, state), {"reason": reason_text})]

    state = modify(session, case_id, check)
    return ChangeResult(state, "closed", {"status": state.status})


def reopen(
    session: Session, case_id: str, reason: str, date: dt.date | None = None
) -> ChangeResult:
    reason_text = _text(reason, "--reason", multiline=True)

    def check(state: CaseState) -> list[tuple[str, str, dict[str, Any]]]:
        if state.status == "open":
            raise Refusal(say("case.already_open", case=state.id))
        other = session.store.open_case_for(state.supplier_id, state.contract_id)
        if other is not None:
            raise Refusal(say("case.other_open", case=state.id, other=other))
        return [("reopened", effective_date(session, date, state), {"reason": reason_text})]

    state = modify(session, case_id, check)
    return ChangeResult(state, "reopened", {"status": state.status})


def note(session: Session, case_id: str, text: str, date: dt.date | None = None) -> ChangeResult:
    """Add a free-text note to the case's history."""
    body = _text(text, "the note", multiline=True)

    def check(state: CaseState) -> list[tuple[str, str, dict[str, Any]]]:
        return [("note", effective_date(session, date, state), {"text": body})]

    state = modify(session, case_id, check)
    return ChangeResult(state, "note", {})
