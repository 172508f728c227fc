"""``trappa export ocds``: OCDS 1.1 releases valid against the release schema with the Performance
Failures and Contract Completion extensions, and nothing personal in them."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from conftest import FIXTURES, run_trappa
from story_register import tell

OCDS = FIXTURES / "ocds"
TODAY = {"TRAPPA_TODAY": "2026-11-05"}


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386, as OCDS applies an extension's release-schema.json to the release schema."""
    if not isinstance(patch, dict):
        return patch
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def validator() -> Draft4Validator:
    release = json.loads((OCDS / "release-schema.json").read_text())
    for extension in ("performance-failures", "contract-completion"):
        release = merge_patch(release, json.loads(
            (OCDS / f"{extension}-release-schema.json").read_text()))
    package = json.loads((OCDS / "release-package-schema.json").read_text())
    registry = Registry().with_resources([
        (release["id"], Resource(release, specification=DRAFT4)),
        (package["id"], Resource(package, specification=DRAFT4)),
    ])
    return Draft4Validator(package, registry=registry)


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ocds") / "register.db"
    tell(db)
    for args in (("config", "set", "ocds.prefix", "ocds-abc123-regionx"),
                 ("config", "set", "org.name", "Region Exempel"),
                 ("plan", "2026-0001", "--followup", "no_effect"),
                 ("sanction", "2026-0002", "--kind", "hävning", "--reason",
                  "Avtalet hävs enligt 12.3, beslut av Anna Andersson")):
        done = run_trappa(*args, "--db", str(db), env=TODAY)
        assert done.returncode == 0, done.stderr
    return db


def _package(register: Path) -> tuple[dict[str, Any], str]:
    done = run_trappa("export", "ocds", "--db", str(register), env=TODAY)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stdout


def test_a_valid_release_package(register: Path) -> None:
    package, _ = _package(register)
    errors = sorted(validator().iter_errors(package), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    assert [r["ocid"] for r in package["releases"]] == [
        "ocds-abc123-regionx-1", "ocds-abc123-regionx-2", "ocds-abc123-regionx-3"]


def test_plans_are_milestones_and_deviations_performance_failures(register: Path) -> None:
    package, _ = _package(register)
    contract = package["releases"][0]["contracts"][0]
    (milestone,) = contract["implementation"]["milestones"]
    assert (milestone["dueDate"], milestone["status"]) == ("2026-10-20T23:59:59Z", "partiallyMet")
    failures = {f["id"]: f for f in contract["implementation"]["performanceFailures"]}
    assert failures["avvikelser-2026-10-kvalitet"]["events"] == 1
    assert failures["avvikelser-2026-09-leverans"]["period"] == {
        "startDate": "2026-09-01T00:00:00Z", "endDate": "2026-09-30T23:59:59Z"}
    assert failures["sanktioner-2026-10"]["penaltyImposed"] == (
        "vite 40 000,50 kr (2026-10-07); avdrag 1 234,50 kr (2026-10-21)")


def test_a_termination_completes_the_contract(register: Path) -> None:
    package, _ = _package(register)
    release = package["releases"][1]
    assert release["tag"] == ["implementation", "contractTermination"]
    contract = release["contracts"][0]
    assert contract["status"] == "terminated"
    assert contract["implementation"]["endDate"] == "2026-11-05T00:00:00Z"


def test_nothing_personal_leaves_the_register(register: Path) -> None:
    package, text = _package(register)
    for personal in ("Anna Andersson", "testare", "Erik Enskild", "850101", "8501010006",
                     "Legitimation saknades", "Upprepade brister"):
        assert personal not in text
    sole_trader = package["releases"][2]["parties"][1]
    assert sole_trader["name"] == "Enskild näringsidkare" and "identifier" not in sole_trader
    company = package["releases"][0]["parties"][1]
    assert company["identifier"] == {"scheme": "SE-BLV", "id": "5566778899",
                                     "legalName": "Vård AB"}


def test_no_prefix_is_bad_input(register: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(register, db)
    assert run_trappa("config", "set", "ocds.prefix", "xyz", "--db", str(db)).returncode == 2
    fresh = tmp_path / "fresh.db"
    assert run_trappa("report", "--supplier", "A AB", "--description", "x", "--db",
                      str(fresh)).returncode == 0
    done = run_trappa("export", "ocds", "--db", str(fresh))
    assert done.returncode == 2 and "set the ocid prefix first" in done.stderr


def test_the_package_goes_to_a_file(register: Path, tmp_path: Path) -> None:
    out = tmp_path / "ocds.json"
    done = run_trappa("export", "ocds", "-o", str(out), "--db", str(register), env=TODAY)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(out.read_text())["releases"]) == 3
    again = run_trappa("export", "ocds", "-o", str(out), "--db", str(register), env=TODAY)
    assert again.returncode == 2 and "give --force" in again.stderr
