"""Every future due date of the register as an iCalendar file (RFC 5545, through the
``icalendar`` package), for Outlook and other calendars to import or subscribe to.

One all-day VEVENT per due date: an action plan's due date, a letter's reply-by date, the last
day of a deviation's claim window, and the day a ``stalled`` rule can hold from (TENTATIVE: it
holds only if a deviation is observed after the case reached its step). The case is in each
title. The UID names the case, the kind of date and its number (and the register), so it is the
same in every run; SEQUENCE is the case's number of events, so it grows whenever the case
changes and a calendar replaces its copy instead of adding a second. What is done (a reply
received, a sanction or waiver, a plan followed up, a closed case's dates) comes as CANCELLED,
so a subscribed calendar strikes it out.

"Future" is the date and after: a date that has passed is for ``review``, not a calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from trappa import __version__
from trappa.cases.due import ClaimWindows
from trappa.cases.session import Session
from trappa.history.obligations import obligations
from trappa.history.projection import CaseState
from trappa.ladder.view import LadderView
from trappa.messages import say
from trappa.rules.conditions import Stalled
from trappa.rules.due import judge
from trappa.rules.facts import FactsAsOf, StateFacts

_TITLES = {"plan": "calendar.plan", "reply": "calendar.reply", "claim": "calendar.claim"}


class CalendarItem(NamedTuple):
    """One due date as a calendar event."""

    case: str
    supplier: str
    contract: str | None
    what: str  # plan | reply | claim | stalled
    ref: str  # the plan's, letter's or deviation's number; the rule's id
    date: str
    status: str  # CONFIRMED | TENTATIVE | CANCELLED
    sequence: int
    title: str
    uid: str

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid, "case": self.case, "supplier": self.supplier,
            "contract": self.contract, "what": self.what, "ref": self.ref, "date": self.date,
            "status": self.status, "sequence": self.sequence, "title": self.title,
        }


def calendar_items(
    session: Session, *, supplier: str | None = None, as_of: dt.date | None = None,
    owner: str | None = None,
) -> list[CalendarItem]:
    """The due dates on or after ``as_of`` (default today) of every case (of ``supplier``, of
    ``owner``), by date and case."""
    store = session.store
    supplier_ids = session.supplier_ids(supplier)
    day = as_of or session.today
    window = ClaimWindows(session)
    register = store.head().register_id or "trappa"
    suppliers, contracts = store.name_maps()
    items: list[CalendarItem] = []
    for state in store.iter_states(status=None, supplier_ids=supplier_ids, owner=owner):
        names = (suppliers[state.supplier_id], contracts[state.contract_id])
        items.extend(_case_items(session, state, day, window(state.contract_id), names, register))
    items.sort(key=lambda item: (item.date, item.case, item.what, item.ref))
    return items


def _case_items(
    session: Session, state: CaseState, day: dt.date, claim_days: int | None,
    names: tuple[str, str | None], register: str,
) -> Iterable[CalendarItem]:
    supplier, contract = names
    today = day.isoformat()
    closed = state.status != "open"

    def item(what: str, ref: str, date: str, status: str, title: str) -> CalendarItem:
        uid = f"{state.id}-{what}-{ref}@{register}.trappa"
        return CalendarItem(state.id, supplier, contract, what, ref, date, status,
                            state.last_seq, title, uid)

    for due in judge(obligations(state), day, claim_days):
        if due.date < today:
            continue
        status = "CANCELLED" if closed or due.state == "done" else "CONFIRMED"
        title = say(_TITLES[due.what], case=state.id, supplier=supplier, ref=due.ref)
        yield item(due.what, str(due.ref), due.date, status, title)
    if not closed:
        yield from (
            item("stalled", rule_id, date, "TENTATIVE",
                 say("calendar.stalled", case=state.id, supplier=supplier, rule=rule_id,
                     level=level))
            for rule_id, level, date in stalled_dates(session.ladder_of(state), state, day)
        )


def stalled_dates(
    ladder: LadderView, state: CaseState, day: dt.date
) -> list[tuple[str, int, str]]:
    """(rule id, its level, the date) for each ``stalled`` rule of the ladder that can come to
    hold on or after ``day``: the case is at the rule's level or above, and ``days`` after it
    got there falls on or after ``day``. Rules whose level the case has reached are left out."""
    facts = FactsAsOf(StateFacts(state), day)
    found = []
    for rule in ladder.rules:
        stalled = (rule.get("when") or {}).get("stalled")
        if not stalled or rule["level"] <= state.level:
            continue
        date = Stalled(stalled).long_enough_from(facts)
        if date is not None and date >= day:
            found.append((rule["id"], int(rule["level"]), date.isoformat()))
    return found


def to_ics(items: Iterable[CalendarItem], register_id: str | None) -> bytes:
    """The items as one iCalendar file (CRLF lines, UTF-8)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//trappa//trappa {__version__}//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", say("calendar.name"))
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        start = dt.date.fromisoformat(item.date)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(days=1))
        event.add("summary", item.title)
        event.add("description", say("calendar.description", case=item.case,
                                     supplier=item.supplier, contract=item.contract or "-"))
        event.add("status", item.status)
        event.add("sequence", item.sequence)
        event.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
        event.add("categories", ["trappa", item.what])
        calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content
