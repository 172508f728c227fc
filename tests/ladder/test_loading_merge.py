"""How a variant merges with its base (``extends``): the rules a region's file relies on.

Each test writes a base and a variant into a ladders folder of its own and reads the resolved
ladder, so the rule under test is visible in a few lines of YAML.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trappa.errors import ProblemsError
from trappa.ladder.loading import load_ladder

BASE = """\
format: trappa/ladder@1
id: bas
version: "1"
title: Bastrappan
publisher: Nätverket
language: sv
terms:
  avvikelse: Icke uppfyllande av ett krav.
parties:
  leverantor: Leverantören
  ledning: Leverantörens ledning
activities:
  dialog:
    title: Dialog med leverantör
  brev-vd:
    title: Brev till VD eller motsvarande
    letter: brev-vd
    description: Skickas av avtalsansvarig.
letters:
  brev-vd:
    title: Brev till VD
    to: ledning
steps:
  - level: 0
    event: Enstaka avvikelser
    tier: regional
    activities: [dialog]
    parties: [leverantor]
  - level: 1
    event: Återkommande avvikelser
    label: Dialog
    tier: regional
    activities: [dialog, brev-vd]
    parties: [leverantor, ledning]
rules:
  - id: aterkommande
    title: Återkommande avvikelser
    level: 1
    when:
      deviations: {min: 2, within_days: 180}
  - id: sanktion
    title: Sanktion
    level: 1
    when:
      sanctions: {min: 1}
"""

HEADER = "format: trappa/ladder@1\nid: {id}\nversion: \"1\"\nextends: {extends}\n"


@pytest.fixture
def ladders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "ladders"
    (folder / "bas").mkdir(parents=True)
    (folder / "bas" / "1.yaml").write_text(BASE, encoding="utf-8")
    monkeypatch.setenv("TRAPPA_LADDERS", str(folder))
    return folder


def variant(folder: Path, body: str, *, ladder_id: str = "gren", extends: str = "bas@1") -> dict:
    path = folder / ladder_id / "1.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(id=ladder_id, extends=extends) + body, encoding="utf-8")
    return load_ladder(f"{ladder_id}@1").data


def steps(data: dict) -> dict[int, dict]:
    return {step["level"]: step for step in data["steps"]}


def test_a_variant_with_nothing_of_its_own_is_its_base(ladders: Path) -> None:
    data = variant(ladders, "")
    base = load_ladder("bas@1").data
    assert {k: v for k, v in data.items() if k not in ("id", "extends")} == {
        k: v for k, v in base.items() if k != "id"
    }
    assert data["id"] == "gren" and data["extends"] == "bas@1"


def test_scalars_are_replaced_when_given(ladders: Path) -> None:
    data = variant(ladders, "title: Grenens trappa\n")
    assert data["title"] == "Grenens trappa"
    assert data["publisher"] == "Nätverket"  # not given: inherited


def test_steps_merge_field_by_field(ladders: Path) -> None:
    data = variant(ladders, "steps:\n  - level: 1\n    event: Allvarlig avvikelse\n")
    step = steps(data)[1]
    assert step == {
        "level": 1,
        "event": "Allvarlig avvikelse",          # the variant's
        "label": "Dialog",                        # the base's
        "tier": "regional",
        "activities": ["dialog", "brev-vd"],
        "parties": ["leverantor", "ledning"],
    }
    assert steps(data)[0]["event"] == "Enstaka avvikelser"


def test_a_list_given_in_a_variant_replaces_the_bases_list(ladders: Path) -> None:
    data = variant(ladders, "steps:\n  - level: 1\n    activities: [brev-vd]\n")
    assert steps(data)[1]["activities"] == ["brev-vd"]
    assert steps(data)[1]["parties"] == ["leverantor", "ledning"]


def test_a_variant_may_add_a_level(ladders: Path) -> None:
    data = variant(ladders, (
        "steps:\n"
        "  - level: 2\n    event: Allvarlig avvikelse\n    tier: national\n"
        "    activities: [brev-vd]\n    parties: [ledning]\n"
    ))
    assert [step["level"] for step in data["steps"]] == [0, 1, 2]
    assert steps(data)[2]["tier"] == "national"


def test_terms_and_parties_merge_by_key(ladders: Path) -> None:
    data = variant(ladders, (
        "terms:\n  handlingsplan: En plan.\n"
        "parties:\n  ledning: Företagsledningen\n  enhetschef: Enhetschefen\n"
    ))
    assert data["terms"] == {"avvikelse": "Icke uppfyllande av ett krav.",
                             "handlingsplan": "En plan."}
    assert data["parties"] == {"leverantor": "Leverantören", "ledning": "Företagsledningen",
                               "enhetschef": "Enhetschefen"}


def test_an_activity_is_overridden_field_by_field(ladders: Path) -> None:
    data = variant(ladders, "activities:\n  brev-vd:\n    title: Brev till VD\n")
    assert data["activities"]["brev-vd"] == {
        "title": "Brev till VD",                     # the variant's
        "letter": "brev-vd",                         # the base's, kept
        "description": "Skickas av avtalsansvarig.",
        "specific": False,
        "internal": False,
    }


def test_a_variant_removes_an_optional_field_with_null(ladders: Path) -> None:
    data = variant(ladders, "activities:\n  brev-vd:\n    title: Brev\n    letter: null\n")
    assert "letter" not in data["activities"]["brev-vd"]


def test_a_letter_is_overridden_field_by_field(ladders: Path) -> None:
    data = variant(ladders, "letters:\n  brev-vd:\n    title: Brev till VD\n    to: leverantor\n")
    assert data["letters"]["brev-vd"] == {"title": "Brev till VD", "to": "leverantor"}


def test_rules_merge_by_id_field_by_field(ladders: Path) -> None:
    data = variant(ladders, "rules:\n  - id: aterkommande\n    level: 0\n")
    rule = data["rules"][0]
    assert rule["id"] == "aterkommande" and rule["level"] == 0
    assert rule["title"] == "Återkommande avvikelser"
    assert rule["when"] == {"deviations": {"min": 2, "within_days": 180, "serious": False}}


def test_a_rules_conditions_are_replaced_whole(ladders: Path) -> None:
    data = variant(ladders, "rules:\n  - id: aterkommande\n    when:\n      sanctions: {min: 2}\n")
    assert data["rules"][0]["when"] == {"sanctions": {"min": 2}}


def test_enabled_false_drops_an_inherited_rule(ladders: Path) -> None:
    data = variant(ladders, "rules:\n  - id: sanktion\n    enabled: false\n")
    assert [rule["id"] for rule in data["rules"]] == ["aterkommande"]


def test_a_new_rule_is_added_after_the_inherited_ones(ladders: Path) -> None:
    data = variant(ladders, (
        "rules:\n  - id: ny\n    title: Ny\n    level: 1\n    when:\n      action_plan: overdue\n"
    ))
    assert [rule["id"] for rule in data["rules"]] == ["aterkommande", "sanktion", "ny"]


def test_chains_are_followed_and_a_later_variant_may_enable_a_rule_again(ladders: Path) -> None:
    variant(ladders, "rules:\n  - id: sanktion\n    enabled: false\n", ladder_id="mellan")
    data = variant(ladders, (
        "title: Längst ut\nrules:\n  - id: sanktion\n    enabled: true\n"
    ), ladder_id="yttre", extends="mellan@1")
    assert [rule["id"] for rule in data["rules"]] == ["aterkommande", "sanktion"]
    assert data["extends"] == "mellan@1"
    assert load_ladder("yttre@1").sources == [
        ladders / "yttre" / "1.yaml", ladders / "mellan" / "1.yaml", ladders / "bas" / "1.yaml"
    ]


def test_a_bare_extends_names_the_newest_version(ladders: Path) -> None:
    (ladders / "bas" / "2.yaml").write_text(
        BASE.replace('version: "1"', 'version: "2"').replace("Bastrappan", "Bastrappan 2"),
        encoding="utf-8",
    )
    data = variant(ladders, "", extends="bas")
    assert data["extends"] == "bas@2" and data["title"] == "Bastrappan 2"


def test_a_variant_may_refer_to_what_it_inherits(ladders: Path) -> None:
    # A step of the variant lists the base's activity; a letter names the base's party.
    data = variant(ladders, (
        "letters:\n  nytt-brev:\n    title: Nytt brev\n    to: ledning\n"
        "activities:\n  nytt:\n    title: Nytt\n    letter: nytt-brev\n"
        "steps:\n  - level: 0\n    activities: [dialog, nytt]\n"
    ))
    assert steps(data)[0]["activities"] == ["dialog", "nytt"]


def test_a_variants_mistake_is_pointed_at_in_the_variant(ladders: Path) -> None:
    with pytest.raises(ProblemsError) as caught:
        variant(ladders, "steps:\n  - level: 1\n    parties: [leverantor, ledningen]\n")
    [problem] = caught.value.problems
    assert problem.file.endswith("gren/1.yaml")
    assert (problem.line, problem.column) == (7, 27)
    assert problem.message == "step 1: unknown party 'ledningen'; did you mean 'ledning'?"


def test_an_incomplete_inherited_step_is_pointed_at_the_variant_that_touched_it(
    ladders: Path,
) -> None:
    with pytest.raises(ProblemsError) as caught:
        variant(ladders, "steps:\n  - level: 1\n    event: null\n")
    [problem] = caught.value.problems
    assert problem.file.endswith("gren/1.yaml") and problem.line == 6
    assert problem.message == (
        "step 1: missing 'event'; every step needs event, tier, activities and parties"
    )
