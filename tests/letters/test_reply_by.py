"""The date a letter asks the supplier to answer by (trappa.letters.reply_by): given as a date,
as working days, or by the ladder's letter kind; a date before the letter's is refused, also when
a day off would move it onto the letter's date or past it."""

from __future__ import annotations

import datetime as dt

import pytest

from trappa.cases.deadlines import Deadline, Due
from trappa.errors import UserError
from trappa.ladder.loading import load_ladder
from trappa.letters.reply_by import reply_due

D = dt.date.fromisoformat
MONDAY = D("2026-03-09")
LADDER = load_ladder("regionerna").view()


@pytest.mark.parametrize("before", ["2026-03-07", "2026-03-08", "2026-03-06"])
def test_a_date_before_the_letters_is_refused_even_when_it_would_move(before: str) -> None:
    # Saturday and Sunday would move to Monday, the letter's own date; Friday would not move.
    for given in (D(before), Deadline(on=D(before), option="--reply-by")):
        with pytest.raises(UserError) as refused:
            reply_due(LADDER, "avvikelsemeddelande", given, MONDAY)
        assert refused.value.message == (
            f"--reply-by {before} is before the letter's date 2026-03-09"
        )


def test_a_date_on_a_day_off_moves_to_the_next_working_day() -> None:
    assert reply_due(LADDER, "avvikelsemeddelande", D("2026-03-14"), MONDAY) == Due(
        D("2026-03-16"), D("2026-03-14")
    )
    assert reply_due(LADDER, "avvikelsemeddelande", MONDAY, MONDAY) == Due(MONDAY, None)


def test_working_days_given_or_set_by_the_ladder_count_from_the_day_after() -> None:
    given = Deadline(workdays=5, option="--reply-within")
    assert reply_due(LADDER, "avvikelsemeddelande", given, MONDAY) == Due(D("2026-03-16"), None)
    # The bundled ladders ask for ten working days in a letter to the supplier.
    assert reply_due(LADDER, "avvikelsemeddelande", None, MONDAY) == Due(D("2026-03-23"), None)
