"""The date a letter asks the supplier to answer by, and whether the register follows it up.

A letter carries a reply-by date the register follows up (``review``, ``calendar``) when the user
gave one (``--reply-by DATE``, moved to the next working day when it is none, or
``--reply-within N`` working days after the letter's date) or the ladder's letter kind sets
``reply_within_workdays``. Otherwise the template still prints a date two weeks on, as it always
did, and nothing is followed up: a letter that asks for no answer (a notice to Sveriges Regioner,
the way-back letter) is not waited for.
"""

from __future__ import annotations

import datetime as dt

from trappa.cases.deadlines import Deadline, Due
from trappa.errors import UserError
from trappa.ladder.view import LadderView
from trappa.messages import say

REPLY_DAYS = 14  # what the template prints when the letter's reply is not followed up


def reply_due(
    ladder: LadderView, kind: str, given: dt.date | Deadline | None, day: dt.date
) -> Due | None:
    """The reply-by date of letter ``kind`` dated ``day``, when the register follows it up. A
    date given before the letter's is bad input, even when a day off moves it onto or past it."""
    if isinstance(given, dt.date):
        given = Deadline(on=given, option="--reply-by")
    if given is not None and given.on is not None and given.on < day:
        raise UserError(say("letters.reply_by_past", reply_by=given.on.isoformat(),
                            date=day.isoformat()))
    if given is None:
        workdays = (ladder.letters.get(kind) or {}).get("reply_within_workdays")
        if not workdays:
            return None
        given = Deadline(workdays=int(workdays), option="reply_within_workdays")
    return given.due(day)


def printed_reply_by(due: Due | None, day: dt.date) -> dt.date:
    """The date the letter prints: the followed-up one, else two weeks on."""
    return due.date if due is not None else day + dt.timedelta(days=REPLY_DAYS)
