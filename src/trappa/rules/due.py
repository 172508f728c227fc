"""What is due on a case and by when, as of a date: ``review``'s ``due`` list and the traffic
light's red for a passed due date. Pure: it judges a case's obligations
(``trappa.history.obligations``) with the contract's claim window and a date. Each due date also
says how many Swedish working days are left until it (``working_days``: negative once passed).

* A **reply** is overdue the day after its reply-by date without a reply; soon from five working
  days before it (``SOON_WORKDAYS``).
* A **plan** is overdue the day after its due date without a follow-up; soon as a reply is.
* A **claim** window is ``claim_days`` calendar days from the deviation's observation: overdue the
  day after its last day with neither a sanction naming the deviation nor a waiver; soon within
  ``SOON_CLAIM_DAYS`` of its last day. Without a claim window (neither the contract's nor
  ``sanction.claim_within_days``) no claim is due. Its last day is not moved off a weekend: a
  region should not count on an extension its contract may not give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from trappa.history.obligations import Obligation
from trappa.workdays import add_working_days, working_days_between

SOON_WORKDAYS = 5  # a reply or a plan due within a working week is listed as soon
SOON_CLAIM_DAYS = 14  # a claim window ending within two weeks is listed as soon


class DueDate(NamedTuple):
    """An obligation's due date, and its state as of a date: ``overdue``, ``soon``, ``later``
    or ``done``."""

    what: str
    ref: int
    date: str
    state: str
    done: str | None = None
    working_days: int = 0  # from the judging date to ``date``: negative once it has passed

    def to_json(self) -> dict[str, object]:
        return {"what": self.what, "ref": self.ref, "date": self.date, "state": self.state,
                "working_days": self.working_days}


def due_date(obligation: Obligation, claim_days: int | None) -> str | None:
    """The obligation's due date: its own, or for a claim the window's last day."""
    if obligation.what != "claim":
        return obligation.due
    if claim_days is None:
        return None
    return _claim_end(obligation.start, claim_days)


@lru_cache(maxsize=4096)  # a register's deviations share a few thousand observation dates
def _claim_end(observed: str, claim_days: int) -> str:
    return (dt.date.fromisoformat(observed) + dt.timedelta(days=claim_days)).isoformat()


def judge(
    obligations: Iterable[Obligation], day: dt.date, claim_days: int | None
) -> list[DueDate]:
    """Every obligation with a due date, with its state as of ``day``, by date.

    Swedish holidays (``trappa.workdays``, which loads the ``holidays`` package) are consulted
    only for a reply or plan due within the next two weeks (is it within five working days?).
    A case whose dates are all done, passed or far off costs none of that.
    """
    today = day.isoformat()
    fortnight = (day + dt.timedelta(days=SOON_CLAIM_DAYS)).isoformat()
    soon_work: str | None = None  # the fifth working day after ``day``, found when first needed
    judged = []
    for obligation in obligations:
        date = due_date(obligation, claim_days)
        if date is None:
            continue
        if obligation.done is not None:
            state = "done"
        elif date < today:
            state = "overdue"
        elif date > fortnight:  # five working days never reach two weeks
            state = "later"
        elif obligation.what == "claim":
            state = "soon"
        else:
            if soon_work is None:
                soon_work = add_working_days(day, SOON_WORKDAYS).isoformat()
            state = "soon" if date <= soon_work else "later"
        judged.append(DueDate(obligation.what, obligation.ref, date, state, obligation.done))
    judged.sort(key=lambda due: (due.date, due.what, due.ref))
    return judged


def due_now(
    obligations: Iterable[Obligation], day: dt.date, claim_days: int | None
) -> list[DueDate]:
    """What ``review`` lists: the obligations overdue or soon due as of ``day``, by date, with
    the working days left until each (counted only for these: a listing judges every case)."""
    return [
        DueDate(due.what, due.ref, due.date, due.state, due.done,
                working_days_between(day, dt.date.fromisoformat(due.date)))
        for due in judge(obligations, day, claim_days)
        if due.state in ("overdue", "soon")
    ]


def any_overdue(due: Iterable[DueDate]) -> bool:
    """Whether a due date has passed (the traffic light turns red)."""
    return any(item.state == "overdue" for item in due)
