"""ladders/schema.json: up to date with the models, and right by an independent validator.

Editors check ladder files against this file (the ``yaml-language-server`` comment), so it must
accept what trappa accepts and reject an unknown key as trappa does. The files are read with
ruamel's plain safe loader and checked with ``jsonschema``, not with trappa's own code.
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from ruamel.yaml import YAML

from conftest import FIXTURES, LADDERS, REPO
from trappa.cli.commands_ladder import schema_text

SCHEMA_FILE = LADDERS / "schema.json"
BUNDLED = sorted(LADDERS.glob("*/*.yaml"))
VALID_FIXTURES = sorted((FIXTURES / "ladders" / "registry").rglob("*.yaml")) + sorted(
    (FIXTURES / "ladders" / "valid").glob("*.yaml")
)


def read(path) -> dict:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_json_is_up_to_date() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "ladders/schema.json is stale: run `trappa ladder schema > ladders/schema.json`"
    )


def test_both_bundled_ladders_are_there() -> None:
    assert [p.relative_to(LADDERS).as_posix() for p in BUNDLED] == [
        "kalmar/2024.yaml", "regionerna/2024-04-01.yaml"
    ]


@pytest.mark.parametrize("path", BUNDLED + VALID_FIXTURES,
                         ids=[p.relative_to(REPO).as_posix() for p in BUNDLED + VALID_FIXTURES])
def test_the_schema_accepts_valid_ladders(validator, path) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(read(path))]
    assert errors == []


def test_bundled_ladders_point_editors_at_the_schema() -> None:
    for path in BUNDLED:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema.json", path


@pytest.mark.parametrize(
    ("where", "expected_path"),
    [
        (lambda d: d, []),
        (lambda d: d["steps"][0], ["steps", 0]),
        (lambda d: d["rules"][0]["when"], ["rules", 0, "when"]),
        (lambda d: next(iter(d["activities"].values())), ["activities"]),
    ],
    ids=["top", "step", "conditions", "activity"],
)
def test_the_schema_rejects_an_unknown_key(validator, where, expected_path) -> None:
    data = read(LADDERS / "regionerna" / "2024-04-01.yaml")
    where(data)["okand-nyckel"] = 1
    errors = list(validator.iter_errors(data))
    assert len(errors) == 1
    # Inside an optional value the error is an anyOf's; best_match finds the reason within.
    best = jsonschema.exceptions.best_match(errors)
    assert best.message == "Additional properties are not allowed ('okand-nyckel' was unexpected)"
    assert list(best.absolute_path)[: len(expected_path)] == expected_path


def test_the_schema_rejects_a_wrong_format_and_tier(validator) -> None:
    data = read(LADDERS / "regionerna" / "2024-04-01.yaml")
    data["format"] = "trappa/ladder@2"
    data["steps"][0]["tier"] = "lokal"
    paths = sorted(list(e.absolute_path) for e in validator.iter_errors(data))
    assert paths == [["format"], ["steps", 0, "tier"]]
