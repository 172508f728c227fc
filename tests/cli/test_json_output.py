"""A list printed with ``--json`` (``status``, ``review``) is one JSON document whose rows are
exactly what ``json.dumps`` writes of each, however the printing is sped up."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappa.cli.output import stream_json_list

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
    import io
    import sys

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
