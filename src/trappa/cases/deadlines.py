"""Due dates as a user gives them: a date, or a number of Swedish working days counted from the
day after the event's date (``trappa.workdays``). A date that falls on a weekend, a public
holiday, midsommarafton, julafton or nyårsafton moves to the next working day, as Lag (1930:173)
om beräkning av lagstadgad tid says; the result says when it moved, so the user sees it."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from trappa.errors import UserError
from trappa.messages import say
from trappa.workdays import MAX_WORKING_DAYS, add_working_days, next_working_day


class Deadline(NamedTuple):
    """A due date given as a date (``on``) or as working days after the event (``workdays``)."""

    on: dt.date | None = None
    workdays: int | None = None
    option: str = "--due"  # the option that gave it, for messages

    def due(self, day: dt.date) -> Due:
        """The due date of an event dated ``day``."""
        if self.workdays is not None:
            try:
                return Due(add_working_days(day, self.workdays), None)
            except ValueError:
                raise UserError(
                    say("deadline.out_of_range", option=self.option, n=self.workdays)
                ) from None
        assert self.on is not None
        moved = next_working_day(self.on)
        return Due(moved, self.on if moved != self.on else None)


class Due(NamedTuple):
    """A due date, and the date it was given as when that was no working day."""

    date: dt.date
    moved_from: dt.date | None


def working_days(value: int, option: str) -> int:
    """A number of working days as an option gives it: 1 to ``MAX_WORKING_DAYS``."""
    if not 1 <= value <= MAX_WORKING_DAYS:
        raise UserError(say("deadline.working_days", option=option, value=value,
                            most=MAX_WORKING_DAYS))
    return value


def deadline(on: dt.date | None, workdays: int | None, *, date_option: str,
             days_option: str) -> Deadline | None:
    """The deadline of a date option and a working-days option, at most one of them given."""
    if on is not None and workdays is not None:
        raise UserError(say("deadline.both", date_option=date_option, days_option=days_option))
    if workdays is not None:
        return Deadline(workdays=working_days(workdays, days_option), option=days_option)
    if on is not None:
        return Deadline(on=on, option=date_option)
    return None
