"""The monthly report's red cases: a large register can have tens of thousands, so the report
holds only the first it can show (``RED_KEPT``) and counts the rest. What it shows and says must
be what sorting all of them would give."""

from __future__ import annotations

import random
from typing import Any

import pytest

from trappa.cases import monthly
from trappa.letters.monthly import LIST_LIMIT, _listed


def _row(n: int, rng: random.Random) -> dict[str, Any]:
    return {"case": f"2026-{n:04d}", "level": rng.randint(0, 5),
            "next_due": rng.choice([None, f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"]),
            "light": "red"}


def test_the_first_red_cases_are_those_of_the_whole_sorted_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(3)
    red = [_row(n, rng) for n in range(1, 400)]  # red_rows's rows, in case-id order
    monkeypatch.setattr(monthly, "red_rows", lambda session: iter(red))
    monkeypatch.setattr(monthly, "RED_KEPT", 25)
    every_red = sorted(red, key=lambda r: (-r["level"], r["next_due"] or "9999", r["case"]))

    first, count = monthly._first_red(session=None)  # type: ignore[arg-type]

    assert count == len(every_red) > 25
    assert first == every_red[:25]


def test_a_list_says_how_many_more_there_are_of_the_whole_count() -> None:
    kept = [{"case": str(n)} for n in range(LIST_LIMIT + 10)]
    listed = _listed("red", kept, total=LIST_LIMIT + 1000)
    assert listed["red"] == kept[:LIST_LIMIT]
    assert listed["red_more"] == 1000
    assert _listed("red", kept)["red_more"] == 10
