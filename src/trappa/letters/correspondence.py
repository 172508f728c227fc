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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from trappa.letters.frame import case_footer
from trappa.messages import say

REPLY_DAYS = 14  # the supplier is asked to answer within two weeks unless told otherwise


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
    letterhead: Path | None = None
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
        }


# --- templates ----------------------------------------------------------------------------------


def ladder_lineage(ladder: LadderView) -> list[str]:
    """The ladder's id and its bases' ids along ``extends``, nearest first.

    The resolved ladder names only its direct base; the bases further up are read from the ladder
    files when they can be found. A chain that cannot be followed stops there: its letters then
    come from the language defaults, which is what a missing override means anyway.
    """
    ids = [ladder.id]
    base = ladder.data.get("extends")
    while base:
        base_id = base.partition("@")[0]
        if base_id in ids:  # a cycle (the loader refuses them; this keeps the walk finite)
            break
        ids.append(base_id)
        base = _extends_of(base)
    return ids


_EXTENDS = re.compile(r"""^extends:[ \t]*["']?([^"'\s#]*)["']?[ \t]*(?:#.*)?$""", re.MULTILINE)


def _extends_of(ref: str) -> str | None:
    """The base that ladder ``ref``'s file names. Only the top-level ``extends:`` line is read:
    parsing the whole file for one scalar would cost a tenth of a second per letter."""
    from trappa.ladder import registry
    entry = registry.find(ref, registry.search_dirs())
    if entry is None:
        return None
    try:
        match = _EXTENDS.search(entry.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):  # an unreadable base: the chain stops here
        return None
    value = match.group(1) if match else ""
    return value if value and value not in ("null", "~") else None


def places_for(ladder: LadderView, templates: Path | None) -> list[templating.Place]:
    return templating.search_places(
        ladder.language, ladder_lineage(ladder), templating.user_templates_dir(templates)
    )


def template_for(kind: str, places: list[templating.Place]) -> Path:
    found = templating.find(kind + templating.SUFFIX, places)
    if found is None:
        folders = ", ".join(str(place.folder) for place in places)
        raise UserError(say("letters.no_template", kind=kind, places=folders))
    return found[0]


def letterhead_for(kind: str, places: list[templating.Place]) -> Path | None:
    """The user's Word letterhead ``<kind>.docx``, if their folder has one."""
    found = templating.find(kind + templating.LETTERHEAD_SUFFIX, places, user_only=True)
    return found[0] if found else None


def template_paths(ladder: LadderView, templates: Path | None = None) -> list[dict[str, Any]]:
    """For every kind (and the dossier): the template file it comes from and its origin."""
    places = places_for(ladder, templates)
    rows = []
    for kind, spec in {**letter_kinds(ladder), "dossier": {"title": "Leverantörsdossier"}}.items():
        found = templating.find(kind + templating.SUFFIX, places)
        letterhead = letterhead_for(kind, places)
        rows.append(
            {
                "kind": kind,
                "title": spec["title"],
                "template": str(found[0]) if found else None,
                "origin": found[1].origin if found else None,
                "letterhead": str(letterhead) if letterhead else None,
            }
        )
    return rows


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
        reply_by=reply_by or day + dt.timedelta(days=REPLY_DAYS),
        fmt=fmt,
    )
    markdown = templating.render(template, places, context)
    letter = context["letter"]
    letterhead = letterhead_for(kind, places) if fmt == "docx" else None
    frame = document_frame(
        store.settings(),
        title=f"{letter['subject']} – {state.id}",
        date=day,
        subject=case_footer(state.id, state.reference),
        footer=case_footer(state.id, state.reference),
        lang=ladder.language,
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
        letterhead=letterhead,
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
    reply_by: dt.date | None = None,
    choice: Choice = Choice(),
) -> LetterResult:
    """Render a letter, hand it to ``write`` (which returns the file it wrote, or None for
    stdout) and, unless ``preview``, record it as sent in the same transaction."""
    check_format(fmt)

    def render(state: CaseState, day: str) -> Rendered:
        return render_letter(session, state, kind, fmt, templates=templates,
                             date=dt.date.fromisoformat(day), reply_by=reply_by, choice=choice)

    if preview:
        state = session.case(case_id)
        day = effective_date(session, date, None)
        letter = render(state, day)
        return LetterResult(letter, day, recorded=False, file=write(letter))

    outcome: list[LetterResult] = []

    def build(state: CaseState, day: str) -> dict[str, Any]:
        letter = render(state, day)
        session.store.keep_document(letter.content)  # the register keeps the letter as sent
        file = write(letter)  # inside the transaction: a failed write records nothing
        outcome.append(LetterResult(letter, day, recorded=True, file=file))
        return {
            "kind": letter.kind,
            "recipient": letter.recipient,
            "format": letter.format,
            "sha256": letter.sha256,
            "activity": letter.activity,
            **letter.facts,
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
