"""Letters: render a case's correspondence in Markdown, HTML or Word, record it as sent, and say
which letters the case's step calls for.

A letter kind is one of the ladder's ``letters`` or one of two documents every case has:
``handlingsplan`` (the current action plan, for the supplier to sign) and ``nedtrappning`` (the
letter confirming a move down, the way back). A kind the current step does not call for may
still be sent — a re-sent letter, the way-back letter and a letter a person judges right are all
legitimate — and is recorded like any other; the result says it was not called for, and no
activity is marked done by it.

Sending records a ``letter_sent`` event (kind, recipient, format, sha256 of the bytes written,
and the step's activity that sends this kind, which the fold then marks done) in the same
transaction that renders and writes the letter: if writing fails nothing is recorded. The same
transaction keeps the letter's bytes in the register (``trappa.store.letters``), so that
``copy`` can write it again byte for byte.
``preview`` renders and writes without recording anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trappa.cases.deadlines import Deadline, Due
from trappa.cases.organisation import LETTERHEAD_SETTING, org_letterhead, org_logo
from trappa.cases.session import Session, effective_date, record_event
from trappa.errors import Refusal, UserError
from trappa.history.projection import CaseState
from trappa.ladder.view import LadderView
from trappa.letters import facts, templating
from trappa.letters.context import (
    EXTRA_KINDS,
    case_context,
    document_frame,
    head_context,
    letter_context,
    letter_kinds,
    recipient,
    sending_activity,
)
from trappa.letters.documents import check_format, render_document
from trappa.letters.frame import PAGED_FORMATS, case_footer
from trappa.letters.places import (  # noqa: F401 (template_paths, ladder_lineage: the API)
    ladder_lineage,
    letterhead_for,
    places_for,
    template_for,
    template_paths,
)
from trappa.letters.reply_by import printed_reply_by, reply_due
from trappa.messages import say


@dataclass(frozen=True)
class Rendered:
    """One rendered letter, ready to be written."""

    case: str
    kind: str
    title: str
    format: str
    content: bytes
    recipient: str
    activity: str | None
    called_for: bool
    template: Path
    letterhead: Path | str | None = None  # the user's file, or LETTERHEAD_SETTING: the register's
    # What the letter is about, recorded with it: plan N, sanction N, the override's reason.
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class LetterResult:
    letter: Rendered
    date: str
    recorded: bool
    file: str | None
    reply: Due | None = None  # the reply-by date followed up, if any

    def to_json(self) -> dict[str, Any]:
        letter = self.letter
        return {
            "case": letter.case,
            "kind": letter.kind,
            "title": letter.title,
            "format": letter.format,
            "date": self.date,
            "recipient": letter.recipient,
            "sha256": letter.sha256,
            "activity": letter.activity,
            "called_for": letter.called_for,
            "recorded": self.recorded,
            "file": self.file,
            "template": str(letter.template),
            "letterhead": str(letter.letterhead) if letter.letterhead else None,
            "reply_by": self.reply.date.isoformat() if self.reply else None,
            "reply_by_moved_from": (
                self.reply.moved_from.isoformat() if self.reply and self.reply.moved_from
                else None
            ),
        }


# --- rendering ----------------------------------------------------------------------------------


def check_kind(ladder: LadderView, kind: str) -> None:
    kinds = letter_kinds(ladder)
    if kind not in kinds:
        raise UserError(
            say("letters.unknown_kind", kind=kind, ladder=ladder.ref, kinds=", ".join(kinds))
        )


def _require_content(state: CaseState, kind: str, context: dict[str, Any]) -> None:
    """The way-back letter needs a move down to confirm."""
    if kind == "nedtrappning" and context["deescalation"] is None:
        raise Refusal(
            say("letters.no_deescalation", case=state.id),
            hint=say("letters.no_deescalation.hint", case=state.id),
        )


@dataclass(frozen=True)
class Choice:
    """What a letter is about, when the case has more than one: plan N, sanction N, and the
    reason to send a blocking or termination letter below its step (``--override``)."""

    plan: int | None = None
    sanction: int | None = None
    override: str | None = None


def render_letter(
    session: Session,
    state: CaseState,
    kind: str,
    fmt: str,
    *,
    templates: Path | None = None,
    date: dt.date | None = None,
    reply_by: dt.date | None = None,
    choice: Choice = Choice(),
) -> Rendered:
    """Render letter ``kind`` of the case as it was at the letter's date (``state`` is the case
    now); nothing is written or recorded."""
    check_format(fmt)
    ladder = session.ladder_of(state)
    check_kind(ladder, kind)
    spec = letter_kinds(ladder)[kind]
    day = date or session.today
    if reply_by is not None and reply_by < day:
        raise UserError(say("letters.reply_by_past", reply_by=reply_by.isoformat(),
                            date=day.isoformat()))
    reply_by = reply_by or printed_reply_by(None, day)
    store = session.store
    state, events = facts.as_of(state, store.events(state.id), day)
    facts.check_step(ladder, state, kind, spec, choice.override)
    if choice.plan is not None and kind != "handlingsplan":
        raise UserError(say("letters.plan_not_for_kind", kind=kind))
    seen, seen_events, plan_n = state, events, None
    if kind == "handlingsplan":  # the plan as it was established, with its follow-up since
        seen, seen_events, plan_n = facts.plan_as_established(state, events, choice.plan)
    places = places_for(ladder, templates)
    template = template_for(kind, places)
    supplier = store.supplier(state.supplier_id)
    contract = store.contract(state.contract_id) if state.contract_id is not None else None
    base = case_context(
        state=seen,
        ladder=ladder,
        supplier=supplier,
        contract=contract,
        events=seen_events,
        settings=store.settings(),
        head=head_context(store.head()),
    )
    if plan_n is not None:
        now = case_context(state=state, ladder=ladder, supplier=supplier, contract=contract,
                           events=events, settings={}, head=None)
        base["plan"] = now["plans"][plan_n - 1]
    sanctions = base["sanctions"]
    chosen = facts.choose_sanction(state, kind, spec, sanctions, choice.sanction)
    if chosen is not None:
        base["sanction"] = chosen
        base["earlier_sanctions"] = [s for s in sanctions if s["n"] < chosen["n"]]
    _require_content(state, kind, base)
    context = letter_context(
        base,
        ladder=ladder,
        kind=kind,
        date=day,
        reply_by=reply_by,
        fmt=fmt,
    )
    markdown = templating.render(template, places, context)
    letter = context["letter"]
    letterhead: Path | bytes | None = None
    if fmt == "docx":  # the user's own for this kind first, else the organisation's
        letterhead = letterhead_for(kind, places) or org_letterhead(session)
    frame = document_frame(
        store.settings(),
        title=f"{letter['subject']} – {state.id}",
        date=day,
        subject=case_footer(state.id, state.reference),
        footer=case_footer(state.id, state.reference),
        lang=ladder.language,
        logo=org_logo(session) if fmt in PAGED_FORMATS else None,
    )
    content = render_document(markdown, fmt, frame, letterhead=letterhead, context=context)
    return Rendered(
        case=state.id,
        kind=kind,
        title=letter["title"],
        format=fmt,
        content=content,
        recipient=letter["recipient"],
        activity=letter["activity"],
        called_for=letter["activity"] is not None,
        template=template,
        letterhead=LETTERHEAD_SETTING if isinstance(letterhead, bytes) else letterhead,
        facts={key: value for key, value in (
            ("plan", plan_n), ("sanction", chosen["n"] if chosen else None),
            ("override", choice.override)) if value is not None},
    )


def produce(
    session: Session,
    case_id: str,
    kind: str,
    fmt: str,
    write: Callable[[Rendered], str | None],
    *,
    preview: bool = False,
    templates: Path | None = None,
    date: dt.date | None = None,
    reply_by: dt.date | Deadline | None = None,
    choice: Choice = Choice(),
) -> LetterResult:
    """Render a letter, hand it to ``write`` (which returns the file it wrote, or None for
    stdout) and, unless ``preview``, record it as sent in the same transaction. ``reply_by``:
    a date or working days (``trappa.letters.reply_by``); a followed-up one is recorded."""
    check_format(fmt)

    def render(state: CaseState, day: str) -> tuple[Rendered, Due | None]:
        on = dt.date.fromisoformat(day)
        due = reply_due(session.ladder_of(state), kind, reply_by, on)
        rendered = render_letter(session, state, kind, fmt, templates=templates, date=on,
                                 reply_by=printed_reply_by(due, on), choice=choice)
        return rendered, due

    if preview:
        state = session.case(case_id)
        day = effective_date(session, date, None)
        letter, due = render(state, day)
        return LetterResult(letter, day, recorded=False, file=write(letter), reply=due)

    outcome: list[LetterResult] = []

    def build(state: CaseState, day: str) -> dict[str, Any]:
        letter, due = render(state, day)
        session.store.keep_document(letter.content)  # the register keeps the letter as sent
        file = write(letter)  # inside the transaction: a failed write records nothing
        outcome.append(LetterResult(letter, day, recorded=True, file=file, reply=due))
        return {
            "kind": letter.kind,
            "recipient": letter.recipient,
            "format": letter.format,
            "sha256": letter.sha256,
            "activity": letter.activity,
            **letter.facts,
            **({"reply_by": due.date.isoformat()} if due is not None else {}),
        }

    record_event(session, case_id, "letter_sent", date, build)
    return outcome[0]


def render_plan(
    session: Session, case_id: str, fmt: str, *, templates: Path | None = None,
    plan: int | None = None,
) -> bytes:
    """Action plan ``plan`` of the case (default: the latest) as a document for the supplier to
    sign, as it was established (what ``trappa plan CASE --render`` prints); nothing is
    recorded."""
    state = session.case(case_id)
    return render_letter(session, state, "handlingsplan", fmt, templates=templates,
                         choice=Choice(plan=plan)).content


# --- what a step calls for ----------------------------------------------------------------------


def letter_list(session: Session, case_id: str) -> dict[str, Any]:
    """The letters the case's current step calls for, each with the times it was sent, and the
    other kinds the case could produce."""
    state = session.case(case_id)
    ladder = session.ladder_of(state)
    supplier = session.store.supplier(state.supplier_id)
    kinds = letter_kinds(ladder)
    called = ladder.step_letters(state.level)

    def sent(kind: str) -> list[dict[str, Any]]:
        return [
            {
                "date": letter["date"],
                "format": letter.get("format"),
                "recipient": letter.get("recipient"),
                "sha256": letter.get("sha256"),
                "at_this_step": letter.get("seq", 0) > state.arrived_seq,
            }
            for letter in state.letters_sent
            if letter.get("kind") == kind
        ]

    def row(kind: str) -> dict[str, Any]:
        spec = kinds[kind]
        return {
            "kind": kind,
            "title": spec["title"],
            "to": recipient(ladder, spec["to"], supplier["name"]),
            "activity": sending_activity(ladder, state.level, kind),
            "sent": sent(kind),
        }

    return {
        "case": state.id,
        "level": state.level,
        "event": ladder.step(state.level).get("event"),
        "called_for": [row(kind) for kind in called],
        "other": [row(kind) for kind in kinds if kind not in called],
    }


def extra_kinds() -> tuple[str, ...]:
    return tuple(EXTRA_KINDS)
