"""The supplier dossier: everything recorded about one supplier, across its cases and contracts,
in date order, with a summary at the top — the factual record a region hands to a colleague or a
lawyer, or shows the supplier that asks how it can affect its step.

It states facts and dates, never conclusions. Every event names who recorded it, as ``show``
does: for a report that is the official who registered it, who is not its reporter. Who reported
a deviation is shown only as recorded: an anonymous report's reporter stays unknown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trappa.cases.organisation import org_logo
from trappa.cases.risk import risk_json
from trappa.cases.session import Session
from trappa.errors import UserError
from trappa.history.contracts import stream_id
from trappa.history.projection import CaseState, Event
from trappa.ladder.view import LadderView
from trappa.letters import templating
from trappa.letters.context import (
    EXTRA_KINDS,
    document_frame,
    head_context,
    org_context,
)
from trappa.letters.documents import check_format, render_document
from trappa.letters.frame import PAGED_FORMATS
from trappa.messages import say

KIND = "dossier"


@dataclass(frozen=True)
class DossierResult:
    data: dict[str, Any]
    format: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def find_supplier(session: Session, text: str) -> dict[str, Any]:
    """The one supplier ``text`` names (organisation number or name, any case)."""
    matches = session.store.suppliers_named(text)
    if not matches:
        raise UserError(say("supplier.unknown", supplier=text))
    if len(matches) > 1:
        names = ", ".join(f"{m['name']} ({m['org_nr'] or '-'})" for m in matches)
        raise UserError(
            say("letters.supplier_ambiguous", supplier=text, count=len(matches), names=names)
        )
    return matches[0]


def dossier_data(session: Session, supplier_text: str) -> dict[str, Any]:
    """The dossier as plain data: supplier, per-case summary, totals and the timeline."""
    store = session.store
    supplier = find_supplier(session, supplier_text)
    states = list(store.iter_states(status=None, supplier_ids=[supplier["id"]]))
    cases: list[dict[str, Any]] = []
    timeline: list[dict[str, Any]] = []
    for state in states:
        ladder = session.ladder_of(state)
        contract = store.contract(state.contract_id) if state.contract_id is not None else None
        events = store.events(state.id)
        cases.append(_case_summary(state, ladder, contract, events))
        timeline.extend(_entry(event, ladder) for event in events)
    for contract in store.contracts_of(supplier["id"]):  # each contract's own changes
        timeline.extend(_contract_entry(event) for event in store.events(stream_id(contract["id"])))
    timeline.sort(key=lambda e: (e["date"], e["recorded_at"], e["case"], e["seq"]))
    return {
        "supplier": {"name": supplier["name"], "org_nr": supplier["org_nr"]},
        "generated": session.today.isoformat(),
        "cases": cases,
        "totals": {
            "cases": len(cases),
            "open_cases": sum(1 for c in cases if c["status"] == "open"),
            "deviations": sum(c["deviations"] for c in cases),
            "serious": sum(c["serious"] for c in cases),
            "plans": sum(c["plans"] for c in cases),
            "sanctions": sum(c["sanctions"] for c in cases),
            "letters": sum(c["letters"] for c in cases),
            "risk_assessments": sum(c["risk_assessments"] for c in cases),
            "highest_level": max((c["highest_level"] for c in cases), default=0),
        },
        "timeline": timeline,
    }


def _case_summary(
    state: CaseState, ladder: LadderView, contract: dict[str, Any] | None, events: list[Event]
) -> dict[str, Any]:
    levels = [0] + [change.to_level for change in state.level_changes]
    return {
        "case": state.id,
        "reference": state.reference,
        "contract": contract["name"] if contract else None,
        "criticality": contract["criticality"] if contract else None,
        "ladder": ladder.ref,
        "ladder_title": ladder.title,
        "opened": state.opened,
        "status": state.status,
        "closed_on": state.closed_on,
        "level": state.level,
        "highest_level": max(levels),
        "deviations": len(state.deviations),
        "serious": sum(1 for d in state.deviations if d.serious),
        "open_deviations": sum(1 for d in state.deviations if d.state == "open"),
        "plans": len(state.plans),
        "sanctions": len(state.sanctions),
        "letters": len(state.letters_sent),
        "risk_assessments": len(state.risks),
        "latest_risk": risk_json(state),
        "events": len(events),
    }


def _entry(event: Event, ladder: LadderView) -> dict[str, Any]:
    """One event of the timeline, with the ladder's titles for the keys it names."""
    data = {key: value for key, value in event.data.items() if key != "opened"}
    entry: dict[str, Any] = {
        "date": event.date,
        "case": event.case_id,
        "seq": event.seq,
        "type": event.type,
        "recorded_at": event.recorded_at,
        "actor": event.actor,
        "data": data,
    }
    if event.type == "reported":
        entry["opens_case"] = "opened" in event.data
        entry["ladder"] = ladder.title
    elif event.type in ("escalated", "deescalated"):
        entry["from_event"] = _step_event(ladder, data.get("from"))
        entry["to_event"] = _step_event(ladder, data.get("to"))
        titles = {rule["id"]: rule["title"] for rule in ladder.rules}
        entry["rule_titles"] = [titles.get(rule, rule) for rule in data.get("rules") or []]
    elif event.type == "sanction":
        entry["sanction_label"] = ladder.sanction_label(str(data.get("kind")))
    elif event.type == "activity_done":
        entry["activity_title"] = _activity_title(ladder, data.get("activity"))
    elif event.type == "letter_sent":
        kind = data.get("kind")
        spec: dict[str, Any] = {}
        if isinstance(kind, str):
            spec = ladder.letters.get(kind) or EXTRA_KINDS.get(kind) or {}
        entry["letter_title"] = spec.get("title", kind)
        entry["activity_title"] = _activity_title(ladder, data.get("activity"))
    return entry


def _contract_entry(event: Event) -> dict[str, Any]:
    """A change of one of the supplier's contracts (``trappa.history.contracts``), in the
    timeline under the contract's name rather than a case."""
    return {
        "date": event.date, "case": event.data["contract"]["name"], "seq": event.seq,
        "type": event.type, "recorded_at": event.recorded_at, "actor": event.actor,
        "data": event.data,
    }


def _step_event(ladder: LadderView, level: Any) -> str | None:
    return (
        ladder.step(level).get("event")
        if isinstance(level, int) and ladder.has_level(level)
        else None
    )


def _activity_title(ladder: LadderView, key: Any) -> str | None:
    if not key:
        return None
    return ladder.activities.get(key, {}).get("title", key)


def render_dossier(
    session: Session, supplier_text: str, fmt: str, *, templates: Path | None = None
) -> DossierResult:
    """The dossier of the supplier ``supplier_text`` names, as a document in ``fmt``."""
    check_format(fmt)
    data = dossier_data(session, supplier_text)
    places = templating.search_places("sv", [], templating.user_templates_dir(templates))
    found = templating.find(KIND + templating.SUFFIX, places)
    if found is None:
        folders = ", ".join(str(place.folder) for place in places)
        raise UserError(say("letters.no_template", kind=KIND, places=folders))
    context = {**data, "org": org_context(session.store.settings()),
               "head": head_context(session.store.head())}
    markdown = templating.render(found[0], places, context)
    title = f"Leverantörsdossier – {data['supplier']['name']}"
    org_nr = data["supplier"]["org_nr"]
    footer = f"{title}{f' ({org_nr})' if org_nr else ''}"
    frame = document_frame(session.store.settings(), title=title, date=session.today,
                           subject=data["supplier"]["name"], footer=footer,
                           logo=org_logo(session) if fmt in PAGED_FORMATS else None)
    letterhead = None
    if fmt == "docx":
        found_letterhead = templating.find(KIND + templating.LETTERHEAD_SUFFIX, places,
                                           user_only=True)
        letterhead = found_letterhead[0] if found_letterhead else None
    content = render_document(markdown, fmt, frame, letterhead=letterhead, context=context)
    return DossierResult(data=data, format=fmt, content=content)
