"""A list printed with ``--json`` (``status``, ``review``) is one JSON document whose rows are
exactly what ``json.dumps`` writes of each, however the printing is sped up."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rule_strategies import as_of_days, cases, ladders
from trappa.cases.session import Session
from trappa.cli.output import stream_json_list
from trappa.history.projection import CaseState
from trappa.ladder.view import LadderView, canonical_json
from trappa.store.database import Store

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8,
)
rows = st.lists(st.dictionaries(st.text(max_size=8), values, max_size=6), max_size=12)


@given(rows=rows)
def test_each_row_is_written_as_json_dumps_writes_it(rows: list[dict[str, Any]]) -> None:
    out = io.StringIO()
    saved = sys.stdout
    sys.stdout = out
    try:
        stream_json_list(iter(rows))
    finally:
        sys.stdout = saved
    text = out.getvalue()
    assert json.loads(text) == rows
    expected = "[" + (
        "\n  " + ",\n  ".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n"
        if rows else ""
    ) + "]\n"
    assert text == expected


def test_a_value_json_cannot_write_is_an_error_not_garbage(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(TypeError):
        stream_json_list([{"when": object()}])


# --- a large register listed in two halves at once ------------------------------------------

_registers = itertools.count()


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ladder=ladders(), states=st.lists(cases, min_size=0, max_size=7), as_of=as_of_days)
def test_a_listing_in_two_halves_is_the_listing_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ladder: LadderView,
    states: list[CaseState], as_of: dt.date,
) -> None:
    from trappa.cases import views
    from trappa.cli import commands_view

    db_path = tmp_path / f"r{next(_registers)}.db"
    with Store.open(db_path) as store:
        store.put_ladder("slump@1", ladder.sha256, canonical_json(ladder.data))
        # Characters some readers take for line breaks: the second half's rows pass through a
        # file a row per line, and must come back whole.
        supplier = store.add_supplier("Leverantör\u2028Nord\x85AB\u2029", None)
        store.save_states([
            state._replace(id=f"2026-{i + 1:04d}", supplier_id=supplier, contract_id=None,
                           ladder_sha256=ladder.sha256, owner="testare" if i % 2 else None)
            for i, state in enumerate(states)
        ])
    with Store.open(db_path, read_only=True) as store:
        session = Session(store, "testare", as_of)
        # (supplier, --all, owner) and (as_of, owner): the options each command passes on.
        for command, options in (("status", (None, True, None)), ("status", (None, False, None)),
                                 ("status", (None, True, "testare")), ("review", (as_of, None)),
                                 ("review", (as_of, "testare"))):
            printed = []
            for parts_from in (10**9, 1):  # one part; two whenever there is a case
                monkeypatch.setattr(views, "PARTS_FROM_CASES", parts_from)
                out = io.StringIO()
                monkeypatch.setattr(sys, "stdout", out)
                commands_view._print_json_in_halves(session, command, options)
                monkeypatch.undo()
                printed.append(out.getvalue())
            assert printed[0] == printed[1]
            assert json.loads(printed[0]) == list(
                commands_view._rows_of(command, session, options, views.ALL)
            )
        # The monthly report's red cases: status's red rows, less their due lists.
        assert list(views.red_rows(session)) == [
            {key: value for key, value in row.items() if key != "due"}
            for row in views.status_rows(session) if row["light"] == "red"
        ]
