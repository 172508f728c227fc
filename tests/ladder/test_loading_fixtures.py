"""Every kind of ladder mistake, one fixture each, with its messages pinned in full.

``tests/fixtures/ladders/invalid/**/<name>.yaml`` is checked against ``<name>.expected`` beside
it: the exact lines ``trappa validate`` prints (``FILE:LINE:COLUMN: message``), all of them,
in order. ``valid/`` and ``registry/`` hold ladders that must load cleanly. Paths are relative to
``tests/fixtures/ladders``, and ``registry/`` is the ``TRAPPA_LADDERS`` folder the variants use.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from trappa.errors import ProblemsError
from trappa.ladder.loading import load_ladder, validate_files

HERE = FIXTURES / "ladders"
INVALID = sorted(p.relative_to(HERE) for p in (HERE / "invalid").rglob("*.yaml"))
VALID = sorted(p.relative_to(HERE) for p in (HERE / "valid").glob("*.yaml"))
REGISTRY = sorted(p.relative_to(HERE) for p in (HERE / "registry").rglob("*.yaml"))


@pytest.fixture(autouse=True)
def _in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)
    monkeypatch.setenv("TRAPPA_LADDERS", "registry")


def test_there_is_a_fixture_for_every_kind_of_mistake() -> None:
    names = {path.stem if path.parent.name == "invalid" else path.parent.as_posix()
             for path in INVALID}
    assert {
        "yaml-syntax", "duplicate-key", "empty", "not-utf8", "list", "scalar", "tab",
        "format-unknown", "format-missing", "unknown-key", "missing-key", "wrong-types",
        "bad-keys", "levels-gap", "levels-duplicate", "levels-duplicate-parties", "no-steps",
        "billion-laughs", "unknown-references", "incomplete", "rules-duplicate",
        "extends-missing", "variant-problems",
        "invalid/wrong-place", "invalid/cycle/a", "invalid/self", "invalid/chain/gren",
    } <= names


@pytest.mark.parametrize("path", INVALID, ids=[p.as_posix() for p in INVALID])
def test_invalid_fixture_reports_exactly_its_expected_problems(path: Path) -> None:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert expected, f"{path}: an invalid fixture needs at least one expected problem"
    [result] = validate_files([path.as_posix()])
    assert [str(problem) for problem in result.problems] == expected
    assert result.summary is None and not result.ok


@pytest.mark.parametrize("path", INVALID, ids=[p.as_posix() for p in INVALID])
def test_an_invalid_fixture_reports_the_same_problems_with_its_bases_cached(path: Path) -> None:
    # The first run keeps every clean base in the cache; the second reads them from it, and
    # must still place every problem (a base's too) at its line and column.
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    validate_files([path.as_posix()])
    [result] = validate_files([path.as_posix()])
    assert [str(problem) for problem in result.problems] == expected


@pytest.mark.parametrize("path", INVALID, ids=[p.as_posix() for p in INVALID])
def test_loading_an_invalid_fixture_raises_the_same_problems(path: Path) -> None:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    with pytest.raises(ProblemsError) as caught:
        load_ladder(path.as_posix())
    assert caught.value.message.splitlines() == expected
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("path", VALID + REGISTRY, ids=[p.as_posix() for p in VALID + REGISTRY])
def test_valid_fixture_loads_and_summarises(path: Path) -> None:
    [result] = validate_files([path.as_posix()])
    assert result.problems == []
    assert result.summary is not None and result.summary.startswith(f"{path.as_posix()}: ok — ")


def test_summary_names_the_base_and_counts_the_resolved_ladder() -> None:
    [result] = validate_files(["registry/region/2024.yaml"])
    assert result.summary == (
        "registry/region/2024.yaml: ok — region@2024 (extends bas@2024-01-01), "
        "5 steps, 6 activities, 3 rules"
    )


def test_summary_uses_singular_for_one() -> None:
    [result] = validate_files(["valid/complete.yaml"])
    assert result.summary == "valid/complete.yaml: ok — fristaende@1, 2 steps, 1 activity, 1 rule"


def test_problems_of_several_files_come_in_one_run() -> None:
    results = validate_files(["invalid/levels-gap.yaml", "valid/complete.yaml",
                              "invalid/empty.yaml"])
    assert [r.ok for r in results] == [False, True, False]
    assert [str(p) for p in results[0].problems] == [
        "invalid/levels-gap.yaml:15:12: levels must run 0, 1, 2, ... without gaps; missing: 1, 2"
    ]
    assert [str(p) for p in results[2].problems] == [
        "invalid/empty.yaml:1:1: the file is empty; a ladder file starts with "
        "'format: trappa/ladder@1'"
    ]


def test_a_missing_file_is_a_positioned_problem() -> None:
    [result] = validate_files(["invalid/no-such-file.yaml"])
    assert [str(p) for p in result.problems] == [
        "invalid/no-such-file.yaml:1:1: cannot read the file: no such file"
    ]


def test_a_folder_is_a_positioned_problem() -> None:
    [result] = validate_files(["invalid"])
    assert [str(p) for p in result.problems] == [
        "invalid:1:1: cannot read the file: it is a folder, not a file"
    ]
