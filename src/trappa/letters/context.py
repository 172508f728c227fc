"""What a letter template sees: the organisation, the supplier, the contract, the case, its
step, deviations, plans, sanctions and moves, and the letter itself.

Plain dicts and lists only (the sandbox lets a template read them and nothing else). Dates are
ISO text (``2026-03-14``); templates print them with ``|datum`` ("14 mars 2026"). Names who
reported a deviation are never in a letter's context: a letter goes to the supplier, and a
reporter (a whistleblower above all) must not be exposed by it.

The context keys, for template writers:

* ``org``: ``name``, ``unit``, ``contact``, ``signatory``, ``logo`` (``trappa config set org.X``;
  the logo, an image kept in the register, heads every page of a Word or PDF document); printing
  one that is not set stops the letter with the command to run; ``{% if org.unit %}`` tests one
* ``supplier``: ``name``, ``org_nr``; ``contract``: ``name``, ``criticality`` or none
* ``case``: ``id``, ``reference`` (diarienummer), ``opened``, ``status``, ``level``,
  ``level_since``
* ``ladder``: ``ref``, ``id``, ``title``, ``publisher``
* ``step``: ``level``, ``event``, ``label``, ``tier``, ``activities`` (``key``, ``title``,
  ``done``), ``parties`` (titles); ``next_step`` and ``previous_step`` likewise, or none
* ``letter``: ``kind``, ``title``, ``subject`` (the ladder's subject line, else the title),
  ``addressee`` (whom at the recipient it addresses, or none), ``to`` (``key``, ``title``,
  ``supplier``: whether the party is the supplier), ``recipient``, ``activity`` (the step's
  activity that sends it, or none); in a letter to the supplier, ``step`` and its neighbours
  list no specific or internal activity
* ``deviations`` (``n``, ``kind``, ``serious``, ``observed``, ``category``, ``description``,
  ``state``, ``resolved_on``; never the source or the reporter), ``open_deviations``
* ``plan`` (the latest: ``n``, ``established``, ``due``, ``actions``, ``owner``, ``outcome``,
  ``followed_up``, ``note``) or none, ``plans``
* ``sanction`` (the one the letter is about, default the latest: ``n``, ``date``, ``kind``
  (code), ``label``, ``amount``, ``reason``, ``takes_effect``, ``notified``) or none,
  ``sanctions``, ``earlier_sanctions`` (those before it)
* ``risk`` (the latest risk assessment: ``probability``, ``consequence``, ``score``, ``band``,
  ``band_default``, ``assessed``, ``note``) or none, ``risks`` (each: ``n``, ``date``, …)
* ``moves`` (``date``, ``from``, ``to``, ``up``, ``reason``, ``rules``: the rules' titles),
  ``deescalation`` (the latest move, when it was a move down) or none
* ``date`` (the letter's date), ``reply_by`` (the date the supplier is asked to answer by)
* ``document``: ``format`` (md, html, docx, pdf), ``paged`` (Word or PDF, whose page header
  names the organisation, so the letter need not)
* ``head``: the register's head when the document was written (``events``, ``events_text``:
  the count with a space between thousands, ``hash``, ``short``: its first 16 hex digits), so a
  filed letter anchors the hash chain as a checkpoint does (docs/checkpoints.md). A letter
  that is sent states the head *before* its own ``letter_sent`` event. The dossier has it too.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from trappa.cases.risk import risk_json
from trappa.cases.sanctions import takes_effect
from trappa.history.projection import CaseState, Event, Plan
from trappa.ladder.view import LadderView
from trappa.letters.frame import Frame
from trappa.letters.templating import Unset

if TYPE_CHECKING:
    from trappa.store.head import RegisterHead

ORG_KEYS = ("name", "unit", "contact", "signatory", "logo")

# Documents that are not letters of a ladder's activity but belong to every case: the action
# plan for the supplier to sign, and the letter confirming a move down (the way back). Their
# titles are Swedish domain content, like the ladders' own.
EXTRA_KINDS: dict[str, dict[str, str]] = {
    "handlingsplan": {"title": "Handlingsplan", "to": "leverantor"},
    "nedtrappning": {"title": "Bekräftelse av nedtrappning", "to": "leverantor",
                     "subject": "Ärendet har flyttats ned i eskaleringstrappan"},
}


# 16 hex digits (64 bits): short enough to read, too long to grind a rewritten history into
# (8 digits, 32 bits, could be matched by varying an event until its hash fits).
HEAD_PREFIX = 16


def head_context(head: RegisterHead) -> dict[str, Any]:
    """The register's head (number of events, newest hash) as a document prints it."""
    events, hash = head.events, head.hash
    return {
        "events": events,
        # A no-break space between thousands, as Swedish writes 1 234, kept on one line.
        "events_text": f"{events:,}".replace(",", "\u00a0"),
        "hash": hash,
        "short": hash[:HEAD_PREFIX],
    }


def document_frame(
    settings: dict[str, str],
    *,
    title: str,
    date: dt.date,
    subject: str,
    footer: str,
    lang: str = "sv",
    logo: bytes | None = None,
) -> Frame:
    """The header, footer and properties of a document of the organisation ``settings`` name,
    with its ``logo`` (``trappa.cases.organisation.org_logo``)."""
    name = settings.get("org.name") or None
    unit = settings.get("org.unit") or None
    return Frame(
        title=title,
        date=date,
        author=name,
        subject=subject,
        header=tuple(line for line in (name, unit) if line),
        footer=footer,
        logo=logo,
        lang=lang,
    )


def org_context(settings: dict[str, str]) -> dict[str, Any]:
    return {key: settings.get(f"org.{key}") or Unset(f"org.{key}") for key in ORG_KEYS}


def letter_kinds(ladder: LadderView) -> dict[str, dict[str, str]]:
    """Every kind a case under ``ladder`` can produce: the ladder's letters, then the extras."""
    kinds = {
        kind: {key: spec[key] for key in ("title", "to", "subject", "addressee", "decision")
               if spec.get(key)}
        for kind, spec in ladder.letters.items()
    }
    for kind, spec in EXTRA_KINDS.items():
        kinds.setdefault(kind, spec)
    return kinds


def sending_activity(ladder: LadderView, level: int, kind: str) -> str | None:
    """The activity of step ``level`` whose letter is ``kind``, if there is one."""
    for key in ladder.step(level).get("activities") or []:
        if ladder.activities.get(key, {}).get("letter") == kind:
            return key
    return None


def is_supplier_party(key: str) -> bool:
    # The ladders name the supplier's parties leverantor, leverantor-kontaktperson, … ; every
    # other party (Sveriges Regioner, the region's own functions) is not the supplier.
    return key == "leverantor" or key.startswith("leverantor-")


def recipient(ladder: LadderView, party: str, supplier_name: str) -> str:
    """Who a letter goes to, as recorded: the supplier and the party at it, or the party."""
    title = ladder.parties.get(party, party)
    return f"{supplier_name} – {title}" if is_supplier_party(party) else title


def step_context(
    ladder: LadderView, level: int, done: set[str] | None = None, *, for_supplier: bool = False
) -> dict[str, Any]:
    """Step ``level`` as a letter prints it. ``for_supplier`` leaves out the activities a
    supplier is not shown: the organisation's specific activities and its internal ones."""
    step = ladder.step(level)
    activities = []
    for key in step.get("activities") or []:
        spec = ladder.activities.get(key, {})
        if for_supplier and (spec.get("specific") or spec.get("internal")):
            continue
        activities.append({"key": key, "title": spec.get("title", key),
                           "done": key in (done or set())})
    return {
        "level": level,
        "event": step.get("event"),
        "label": step.get("label"),
        "tier": step.get("tier"),
        "activities": activities,
        "parties": [ladder.parties.get(key, key) for key in step.get("parties") or []],
    }


def moves(events: list[Event], ladder: LadderView | None = None) -> list[dict[str, Any]]:
    """Every move on the ladder, with its reason (or the titles of the rules that carried it:
    a letter names a rule as the ladder titles it, never by its id)."""
    rules = ladder.rules if ladder else []
    titles = {rule["id"]: rule.get("title") or rule["id"] for rule in rules}
    return [
        {
            "date": event.date,
            "from": event.data["from"],
            "to": event.data["to"],
            "up": event.type == "escalated",
            "reason": event.data.get("reason"),
            "rules": [titles.get(rule, rule) for rule in event.data.get("rules") or []],
        }
        for event in events
        if event.type in ("escalated", "deescalated")
    ]


def sanction_records(
    state: CaseState, ladder: LadderView, events: list[Event]
) -> list[dict[str, Any]]:
    """The case's sanctions as letters print them: ``n``, ``date``, ``kind`` (the code, or
    ``annan`` for a kind recorded as free text), ``label`` (the ladder's words, or that text),
    ``amount``, ``reason``, ``takes_effect`` (its date, else the decision's) and ``notified``
    (whether a notice of it was sent)."""
    effects = takes_effect(events)
    notified = {
        letter.get("sanction") for letter in state.letters_sent if letter.get("sanction")
    }
    kinds = ladder.sanction_kinds
    records = []
    for sanction in state.sanctions:
        known = sanction.kind in kinds
        records.append({
            "n": sanction.n,
            "date": sanction.date,
            "kind": sanction.kind if known else "annan",
            "label": kinds[sanction.kind] if known else sanction.kind,
            "amount": sanction.amount,
            "reason": sanction.reason,
            "takes_effect": effects.get(sanction.n) or sanction.date,
            "notified": sanction.n in notified,
        })
    return records


def _plan(plan: Plan) -> dict[str, Any]:
    data = plan._asdict()
    data["actions"] = list(data.pop("items"))
    return data


def case_context(
    *,
    state: CaseState,
    ladder: LadderView,
    supplier: dict[str, Any],
    contract: dict[str, Any] | None,
    events: list[Event],
    settings: dict[str, str],
    head: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything about the case a letter may print (no letter-specific parts); ``head`` is
    ``head_context``'s, or None for a document that does not state it."""
    level = state.level
    all_moves = moves(events, ladder)
    downs = [move for move in all_moves if not move["up"]]
    last_move = all_moves[-1] if all_moves else None
    # A plan's items are "actions" here: in a template, plan.items would be the dict's method.
    plans = [_plan(plan) for plan in state.plans]
    sanctions = sanction_records(state, ladder, events)
    deviations = [
        {
            "n": d.n,
            "kind": d.kind,
            "serious": d.serious,
            "observed": d.observed,
            "category": d.category,
            "description": d.description,
            "state": d.state,
            "resolved_on": d.resolved_on,
        }
        for d in state.deviations
    ]
    return {
        "org": org_context(settings),
        "supplier": {"name": supplier["name"], "org_nr": supplier.get("org_nr")},
        "contract": (
            {"name": contract["name"], "criticality": contract.get("criticality"),
             "procurement": contract.get("procurement")}
            if contract
            else None
        ),
        "case": {
            "id": state.id,
            "reference": state.reference,
            "opened": state.opened,
            "status": state.status,
            "level": level,
            "level_since": state.level_since,
        },
        "ladder": {
            "ref": ladder.ref,
            "id": ladder.id,
            "title": ladder.title,
            "publisher": ladder.data.get("publisher"),
        },
        "step": step_context(ladder, level, state.done_at_current_level()),
        "next_step": step_context(ladder, level + 1) if ladder.has_level(level + 1) else None,
        "previous_step": (
            step_context(ladder, last_move["from"])
            if last_move and ladder.has_level(last_move["from"])
            else None
        ),
        "deviations": deviations,
        "open_deviations": [d for d in deviations if d["state"] == "open"],
        "plans": plans,
        "plan": plans[-1] if plans else None,
        "sanctions": sanctions,
        "sanction": sanctions[-1] if sanctions else None,
        "risk": risk_json(state),  # show --json's risk
        "risks": [risk._asdict() for risk in state.risks],
        "earlier_sanctions": sanctions[:-1],
        "moves": all_moves,
        "deescalation": downs[-1] if downs and downs[-1] is last_move else None,
        "head": head,
    }


def letter_context(
    base: dict[str, Any],
    *,
    ladder: LadderView,
    kind: str,
    date: dt.date,
    reply_by: dt.date,
    fmt: str = "md",
) -> dict[str, Any]:
    """``base`` (from ``case_context``) with the letter's own part. A letter to the supplier
    shows none of the organisation's specific or internal activities."""
    spec = letter_kinds(ladder)[kind]
    party = spec["to"]
    supplier = is_supplier_party(party)
    context = {
        **base,
        "letter": {
            "kind": kind,
            "title": spec["title"],
            "subject": spec.get("subject") or spec["title"],
            "addressee": spec.get("addressee"),
            "to": {"key": party, "title": ladder.parties.get(party, party), "supplier": supplier},
            "recipient": recipient(ladder, party, base["supplier"]["name"]),
            "activity": sending_activity(ladder, base["case"]["level"], kind),
        },
        "date": date.isoformat(),
        "reply_by": reply_by.isoformat(),
        # Word and PDF have pages whose header names the organisation (trappa.letters.frame).
        "document": {"format": fmt, "paged": fmt in ("docx", "pdf")},
    }
    if supplier:
        for key in ("step", "next_step", "previous_step"):
            if context[key] is not None:
                context[key] = {**context[key], "activities": [
                    a for a in context[key]["activities"]
                    if not (ladder.activities.get(a["key"], {}).get("specific")
                            or ladder.activities.get(a["key"], {}).get("internal"))
                ]}
    return context
