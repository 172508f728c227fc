"""The fold of ``supplier_identified``: the number is the supplier's, kept with the supplier; a
case's state only moves on, and an event naming another supplier is a corrupt history."""

from __future__ import annotations

import pytest

from store_story import Parties, story
from trappa.history.projection import Event, FoldError, fold

PARTIES = Parties(supplier_id=7, contract_id=3)


def _identified(supplier_id: int, seq: int) -> Event:
    return Event("2026-0001", seq, "supplier_identified", "2026-03-10",
                 "2026-03-10T09:00:00+00:00", "Anna Avtal",
                 {"supplier": {"id": supplier_id, "name": "Bemanningsbolaget Åkeri AB",
                               "org_nr": "556677-8899"}})


def test_it_moves_the_case_on_and_changes_nothing_else() -> None:
    first = story("2026-0001", PARTIES)[:2]
    before = fold(first)
    after = fold([*first, _identified(7, 3)])
    assert after == before._replace(last_seq=3, last_date="2026-03-10")


def test_one_naming_another_supplier_is_refused() -> None:
    first = story("2026-0001", PARTIES)[:2]
    with pytest.raises(FoldError, match="event 3 identifies another supplier"):
        fold([*first, _identified(8, 3)])
