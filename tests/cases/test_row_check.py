"""An import's rows checked at once (``cases.row_check``) give what the plain check gives, or
leave the row to it: never a row accepted that the plain way refuses, never another value."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from trappa.cases.importing import _check, _shared, read_rows
from trappa.cases.inputs import CheckedReport, optional_text
from trappa.cases.row_check import quick_check
from trappa.errors import UserError

TODAY = dt.date(2026, 10, 1)

_ODD = ["", " ", "a\tb", "a\nb", "\tx", "x\x00", "\u202eabc", "\ud800", "\x85x", "\xa0y\xa0",
        "x" * 300, "x" * 301, " " + "y" * 300]


def _cells(*usual: str) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from([*usual, *_ODD]), st.text(max_size=8), st.none(), st.integers(0, 5),
        st.booleans(),
    )


def _usual(*usual: str) -> st.SearchStrategy[Any]:
    """Cells of a CSV file as offices write them: mostly usual, now and then odd."""
    return st.sampled_from([*usual, ""] * 12 + _ODD)


def _columns(cells: Any) -> dict[str, st.SearchStrategy[Any]]:
    return {
        "supplier": cells("Städ AB", " Vård AB ", "BETA AB"),
        "description": cells("Sen leverans", "Två\nrader", "tab\there", "x" * 10_001, "c\rr"),
        "org_nr": cells("556016-0680", "5560160680", "556016-0681", "212000-0142", "x"),
        "contract": cells("Städ 2025", "K1"),
        "criticality": cells("1", "2", "3", "4", "5", "0", " 3 ", "03", "+3", "٣", "3.0", "x"),
        "kind": cells("avvikelse", "Risk", "händelse", "incident", "deviation", "Avvikelse", "foo"),
        "serious": cells("ja", "JA", "nej", "yes", "0", "1", "sant", "kanske"),
        "observed": cells("2026-01-01", "2026-10-01", "2026-10-02", "2026-13-01", "1/2/2026",
                          " 2025-05-05 ", "20260101"),
        "category": cells("leverans", "kvalitet"),
        "source": cells("stickprov"),
        "reporter": cells("Anna", "Bo"),
        "anonymous": cells("ja", "nej", "true", "n"),
        "reference": cells("D-1", "D-2"),
        "external_id": cells("S1", "REG-2"),
        "_case": cells("2026-0001"),
    }


def _records(cells: Any) -> st.SearchStrategy[dict[str, Any]]:
    columns = _columns(cells)
    return st.fixed_dictionaries(
        {"supplier": columns["supplier"], "description": columns["description"]},
        optional={k: v for k, v in columns.items() if k not in ("supplier", "description")},
    )


# Any cells (JSON Lines gives numbers, flags and nulls), and cells as a CSV file has them.
RECORDS = st.one_of(_records(_cells), _records(_usual))
LADDERS = st.sampled_from([None, "regionerna", " kalmar ", "", "a\x01b", "x" * 301])


def _plain(record: dict[str, Any], ladder: str | None) -> CheckedReport | None:
    try:
        return _shared(_check(record, TODAY, ladder), {})
    except UserError:
        return None


@settings(max_examples=1500)
@given(record=RECORDS, ladder=LADDERS)
@example(
    record={"supplier": "Städ AB", "description": "Sen", "org_nr": "556016-0680",
            "contract": "Städ 2025", "criticality": "3", "kind": "avvikelse", "serious": "nej",
            "observed": "2026-03-01", "category": "leverans", "source": "stickprov",
            "reporter": "Anna", "anonymous": "nej", "reference": "", "external_id": "S1"},
    ladder=None,
)
def test_a_row_checked_at_once_is_the_row_checked_the_plain_way(
    record: dict[str, Any], ladder: str | None
) -> None:
    try:
        checked_ladder = optional_text(ladder, "--ladder")
    except UserError:
        return  # read_rows then checks every row the plain way
    quick = quick_check(dict(record), TODAY, checked_ladder, {})
    if quick is not None:
        assert quick == _plain(record, ladder)


def test_the_usual_rows_are_checked_at_once() -> None:
    rows = [
        {"supplier": "Städ AB", "description": "Sen leverans", "org_nr": "556016-0680",
         "contract": "Städ 2025", "criticality": "3", "kind": "avvikelse", "serious": "nej",
         "observed": "2026-03-01", "category": "leverans", "source": "stickprov",
         "reporter": "Anna", "anonymous": "nej", "reference": "", "external_id": "S1"},
        {"supplier": "Vård AB", "description": "Två\nrader", "kind": "", "serious": "JA",
         "observed": "", "anonymous": "ja", "reporter": ""},
    ]
    for record in rows:
        quick = quick_check(record, TODAY, None, {})
        assert quick is not None
        assert quick == _plain(record, None)


def test_an_import_reads_the_same_rows_either_way(tmp_path: Any, monkeypatch: Any) -> None:
    text = (
        "supplier;org_nr;contract;criticality;description;kind;serious;observed;reporter;"
        "anonymous;external_id\n"
        "Städ AB;556016-0680;Städ 2025;3;Sen;avvikelse;nej;2026-03-01;Anna;nej;S1\n"
        "Städ AB;556016-0680;Städ 2025;03;\"Två\nrader\";risk;JA;2026-02-01;;ja;S2\n"
        "Vård AB;;;;Saknad\tpension;incident;1;;;;S3\n"
    )
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    quick = read_rows(path, "csv", TODAY, "regionerna")
    monkeypatch.setattr("trappa.cases.row_check.quick_check", lambda *args: None)
    plain = read_rows(path, "csv", TODAY, "regionerna")
    assert quick == plain
