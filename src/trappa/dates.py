"""Dates as users type them, and "today" as trappa sees it.

Today is the calendar date in Europe/Stockholm, because that is where the cases are run;
``TRAPPA_TODAY=YYYY-MM-DD`` fixes it for demos, tests and backdated work.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from trappa.errors import UserError
from trappa.messages import say

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only
# Dates a case can have: far enough back for any contract, and clear of the calendar's ends so
# that counting days back or ahead never leaves the range Python's dates can hold.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(9000, 12, 31)


def parse_date(value: str, option: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` strictly; ``option`` names the input in the error message."""
    text = value.strip()
    if not _ISO_DATE.fullmatch(text):
        raise UserError(say("date.malformed", option=option, value=value))
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise UserError(say("date.impossible", option=option, value=value, detail=exc)) from None
    if not EARLIEST <= day <= LATEST:
        raise UserError(say("date.out_of_range", option=option, value=value,
                            earliest=EARLIEST.isoformat(), latest=LATEST.isoformat()))
    return day


def today() -> dt.date:
    """Today's date in Europe/Stockholm, or ``TRAPPA_TODAY`` when it is set."""
    fixed = os.environ.get("TRAPPA_TODAY")
    if fixed:
        try:
            return parse_date(fixed, "TRAPPA_TODAY")
        except UserError:
            raise UserError(say("date.today_env", value=fixed)) from None
    return dt.datetime.now(_stockholm()).date()


def now_utc() -> str:
    """The recording time of an event: UTC, ISO 8601 with seconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _stockholm() -> dt.tzinfo | None:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Stockholm")
    except Exception:  # no time-zone database on this machine: the local zone is the best guess
        return None
