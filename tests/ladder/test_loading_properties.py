"""Loading never crashes: any mutation of a valid ladder loads, or fails with positioned problems.

A valid ladder (the fixture base, and a variant of it) is mutated at random — keys deleted or
renamed, scalars swapped for values of other types, list items shuffled or duplicated — and its
YAML text is then sometimes corrupted byte by byte. Whatever comes out, ``validate_files``
returns problems that each name the file, a line inside it (or just past its end) and a column,
with a one-line message, or a clean result, and then ``load_ladder`` loads it. (That both report
the same problems is pinned in test_loading_fixtures.py.) A longer run, max_examples=3000, found
nothing either.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import FIXTURES
from trappa.ladder.loading import load_ladder, validate_files
from trappa.ladder.yaml_source import read_yaml

REGISTRY = FIXTURES / "ladders" / "registry"
SEEDS = {
    "base": read_yaml(REGISTRY / "bas" / "2024-01-01.yaml", "bas").data,
    "variant": read_yaml(REGISTRY / "region" / "2024.yaml", "region").data,
}

KEYS = ["title", "titel", "level", "event", "tier", "activities", "parties", "letter", "to",
        "when", "min", "enabled", "id", "version", "format", "extends", "steps", "rules", "x"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 10), st.floats(allow_nan=False, width=16),
    st.sampled_from(["", "regional", "national", "dialog", "brev-vd", "bas", "bas@2023",
                     "trappa/ladder@1", "2024", "Ökad dialog", "leverantor", "0"]),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3),
                   st.dictionaries(st.sampled_from(KEYS), SCALARS, max_size=2))


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _parent(data: Any, path: tuple) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated(draw: st.DrawFn) -> dict:
    data = _copy(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _parent(data, path), path[-1]
        operation = draw(st.sampled_from(["delete", "rename", "replace", "shuffle", "duplicate"]))
        if operation == "delete":
            del parent[last]
        elif operation == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = parent.pop(last)
        elif operation == "replace":
            parent[last] = draw(VALUES)
        elif operation in ("shuffle", "duplicate") and isinstance(parent, list):
            if operation == "shuffle":
                parent[:] = draw(st.permutations(parent))
            else:
                parent.insert(draw(st.integers(0, len(parent))), _copy(parent[last]))
    return data


def _copy(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _copy(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_copy(value) for value in node]
    return node


def _dump(data: dict) -> bytes:
    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, stream)
    return stream.getvalue().encode("utf-8")


@st.composite
def corrupted(draw: st.DrawFn, raw: bytes) -> bytes:
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(raw)))
        how = draw(st.sampled_from(["insert", "delete", "truncate"]))
        if how == "insert":
            junk = draw(st.sampled_from([b":", b"-", b"[", b"{", b"\t", b"  ", b"\n", b"&a",
                                         b"*a", b"'", b"\"", b"#", b"!!int", b"\xe5", b"\x00",
                                         b"<<: *a", b"---\n", b"? "]))
            raw = raw[:at] + junk + raw[at:]
        elif how == "delete":
            raw = raw[:at] + raw[at + draw(st.integers(1, 5)):]
        else:
            raw = raw[:at]
    return raw


@pytest.fixture(autouse=True)
def _registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAPPA_LADDERS", str(REGISTRY))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_ladder_loads_or_reports_positioned_problems(data: st.DataObject) -> None:
    raw = _dump(data.draw(mutated(), label="ladder"))
    if data.draw(st.booleans(), label="corrupt the text"):
        raw = data.draw(corrupted(raw), label="text")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutant.yaml"
        path.write_bytes(raw)
        lines = raw.count(b"\n") + 2  # a problem at the end of the text may lie just past it
        [result] = validate_files([str(path)])
        assert result.ok == (result.summary is not None)
        for problem in result.problems:
            # The fixture bases are valid: every problem is the mutant's own.
            assert problem.file == str(path), problem
            assert 1 <= problem.line <= lines, problem
            assert problem.column >= 1, problem
            assert problem.message and "\n" not in problem.message, problem
        if result.ok:
            ladder = load_ladder(str(path))
            assert ladder.view().levels == list(range(len(ladder.data["steps"])))
