"""The loader's public API: load_ladder, ResolvedLadder, the registry, reading YAML.

Mistakes in ladder files are pinned fixture by fixture in test_loading_fixtures.py; merging in
test_loading_merge.py; here is what the rest of trappa relies on when a ladder loads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, LADDERS
from trappa.errors import ProblemsError, UserError
from trappa.ladder import registry
from trappa.ladder.checks import place_of
from trappa.ladder.loading import list_ladders, load_ladder, validate_files
from trappa.ladder.model import Ladder
from trappa.ladder.view import LadderView

FIXTURE_REGISTRY = FIXTURES / "ladders" / "registry"

COMPLETE = """\
format: trappa/ladder@1
id: {id}
version: "{version}"
title: {title}
parties:
  leverantor: Leverantören
activities:
  dialog:
    title: Dialog med leverantör
steps:
  - level: 0
    event: Enstaka avvikelser
    tier: regional
    activities: [dialog]
    parties: [leverantor]
"""


def write(folder: Path, ladder_id: str, version: str, text: str | None = None,
          title: str = "En trappa") -> Path:
    path = folder / ladder_id / f"{version}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = text if text is not None else COMPLETE.format(id=ladder_id, version=version,
                                                         title=title)
    path.write_text(body, encoding="utf-8")
    return path


# --- load_ladder and ResolvedLadder ---------------------------------------------------------


def test_load_by_ref_gives_the_resolved_ladder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAPPA_LADDERS", str(FIXTURE_REGISTRY))
    ladder = load_ladder("region@2024")
    assert ladder.ref == "region@2024"
    assert ladder.extends == "bas@2024-01-01"
    assert ladder.sources == [FIXTURE_REGISTRY / "region" / "2024.yaml",
                              FIXTURE_REGISTRY / "bas" / "2024-01-01.yaml"]
    assert isinstance(ladder.model, Ladder)
    assert ladder.model.id == "region" and ladder.model.version == "2024"
    # JSON-ready: it round-trips through JSON unchanged, and has no nulls.
    assert json.loads(json.dumps(ladder.data)) == ladder.data
    assert "null" not in json.dumps(ladder.data)
    assert [step["level"] for step in ladder.data["steps"]] == [0, 1, 2, 3, 4]


def test_resolved_data_has_every_step_complete_and_no_disabled_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRAPPA_LADDERS", str(FIXTURE_REGISTRY))
    data = load_ladder("region").data
    for step in data["steps"]:
        assert {"event", "tier", "activities", "parties"} <= set(step)
    assert [rule["id"] for rule in data["rules"]] == ["aterkommande", "utan-effekt", "allvarlig"]
    assert all(rule["enabled"] for rule in data["rules"])


def test_view_reads_the_resolved_ladder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAPPA_LADDERS", str(FIXTURE_REGISTRY))
    view = load_ladder("region@2024").view()
    assert isinstance(view, LadderView)
    assert view.ref == "region@2024"
    assert view.levels == [0, 1, 2, 3, 4]
    assert view.step_letters(3) == ["brev-vd"]
    assert view.step(4)["label"] == "Avslut"


def test_own_is_only_the_variants_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAPPA_LADDERS", str(FIXTURE_REGISTRY))
    own = load_ladder("region@2024").own
    assert own["steps"][0] == {"level": 1, "event": "Återkommande avvikelser/allvarlig avvikelse"}
    assert own["rules"][0] == {"id": "plan-ej-foljd", "enabled": False}
    assert "terms" not in own


def test_load_by_path_checks_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "egen", "2025")
    ladder = load_ladder(str(path))
    assert ladder.ref == "egen@2025" and ladder.sources == [path]


@pytest.mark.parametrize("text", ["!!int", "steps: !!int\n", "id: !!float\n"])
def test_an_empty_tagged_number_is_a_problem_not_a_crash(tmp_path: Path, text: str) -> None:
    path = tmp_path / "trasig.yaml"
    path.write_text(text, encoding="utf-8")
    (result,) = validate_files([str(path)])  # no IndexError from the YAML library
    assert result.problems and result.ladder is None


def test_a_path_that_does_not_exist_is_a_user_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(UserError) as caught:
        load_ladder(str(missing))
    assert caught.value.message == f"no such ladder file: {missing}"
    assert not isinstance(caught.value, ProblemsError)


def test_an_unknown_ladder_lists_the_known_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAPPA_LADDERS", str(FIXTURE_REGISTRY))
    with pytest.raises(UserError) as caught:
        load_ladder("regin@2024")
    assert caught.value.message == "unknown ladder 'regin@2024'; did you mean 'region@2024'?"
    assert caught.value.exit_code == 2
    assert caught.value.hint == (
        "known ladders: bas@2023, bas@2024-01-01, kalmar@2024, region@2024, "
        "regionerna@2024-04-01"
    )


def test_an_unknown_version_of_a_known_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAPPA_LADDERS", str(FIXTURE_REGISTRY))
    with pytest.raises(UserError) as caught:
        load_ladder("bas@1999")
    assert caught.value.message.startswith("unknown ladder 'bas@1999'")


def test_no_ladder_can_be_named_by_a_path_inside_a_version() -> None:
    with pytest.raises(UserError):
        load_ladder("regionerna@../kalmar/2024")


# --- the registry ---------------------------------------------------------------------------


def test_the_bundled_ladders_are_found_without_configuration() -> None:
    assert registry.bundled_dir() == LADDERS
    refs = [info.ref for info in list_ladders()]
    assert refs == ["kalmar@2024", "regionerna@2024-04-01"]


def test_bundled_ladders_resolve_by_bare_id() -> None:
    assert load_ladder("regionerna").ref == "regionerna@2024-04-01"
    assert load_ladder("kalmar").extends == "regionerna@2024-04-01"


def test_trappa_ladders_folders_are_searched_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    write(first, "egen", "2025", title="Den första")
    write(second, "egen", "2025", title="Den andra")
    write(second, "annan", "1")
    monkeypatch.setenv("TRAPPA_LADDERS", f"{first}:{tmp_path / 'missing'}:{second}")
    infos = {info.ref: info for info in list_ladders()}
    assert infos["egen@2025"].title == "Den första"
    assert infos["egen@2025"].path == first / "egen" / "2025.yaml"
    assert "annan@1" in infos
    assert load_ladder("egen@2025").data["title"] == "Den första"


def test_a_bundled_ladder_cannot_be_shadowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "regionerna", "2024-04-01", title="En kopia")
    monkeypatch.setenv("TRAPPA_LADDERS", str(tmp_path))
    assert load_ladder("regionerna@2024-04-01").sources == [
        LADDERS / "regionerna" / "2024-04-01.yaml"
    ]


def test_a_bare_id_means_the_newest_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for version in ("2024", "2023-12-31", "2024-04-01", "2025", "2024-10-01"):
        write(tmp_path, "egen", version)
    monkeypatch.setenv("TRAPPA_LADDERS", str(tmp_path))
    assert load_ladder("egen").ref == "egen@2025"


def test_versions_sort_by_their_numbers() -> None:
    versions = ["2025", "2024-04-01", "2024", "2023-12-31", "2024-10-01", "10", "9", "2024-4-2"]
    assert sorted(versions, key=registry.version_key) == [
        "9", "10", "2023-12-31", "2024", "2024-04-01", "2024-4-2", "2024-10-01", "2025",
    ]


def test_list_ladders_reads_titles_and_bases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAPPA_LADDERS", str(FIXTURE_REGISTRY))
    infos = {info.ref: info for info in list_ladders()}
    assert infos["region@2024"].title == "Regionens testtrappa"
    assert infos["region@2024"].extends == "bas@2024-01-01"
    assert infos["bas@2023"].extends is None


def test_list_ladders_lists_a_broken_file_without_failing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "trasig", "1", text="format: [\n")
    monkeypatch.setenv("TRAPPA_LADDERS", str(tmp_path))
    infos = {info.ref: info for info in list_ladders()}
    assert infos["trasig@1"].title is None


def test_a_variant_finds_its_base_beside_it(tmp_path: Path) -> None:
    # No TRAPPA_LADDERS: a region's own ladders folder works as it lies.
    write(tmp_path, "bas", "1")
    variant = write(tmp_path, "gren", "1", text=(
        "format: trappa/ladder@1\nid: gren\nversion: '1'\nextends: bas@1\n"
    ))
    assert load_ladder(str(variant)).extends == "bas@1"


# --- a file's place -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("ladders/kalmar/2024.yaml", ("kalmar", "2024")),
        ("x/regionerna/2024-04-01.yaml", ("regionerna", "2024-04-01")),
        ("drafts/kalmar.yaml", None),           # the name is not a version
        ("Kalmar/2024.yaml", None),             # the folder is not an id
        ("my_ladders/2024.yaml", None),         # nor is this
        ("utkast.yaml", None),
    ],
)
def test_place_of(path: str, expected: tuple[str, str] | None) -> None:
    assert place_of(Path(path)) == expected


def test_a_file_outside_a_ladders_folder_may_have_any_id(tmp_path: Path) -> None:
    path = tmp_path / "utkast.yaml"
    path.write_text(COMPLETE.format(id="nagot-annat", version="9", title="T"), encoding="utf-8")
    assert load_ladder(str(path)).ref == "nagot-annat@9"


# --- reading YAML ---------------------------------------------------------------------------


def test_unquoted_dates_and_years_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "datum" / "2024-04-01.yaml"
    path.parent.mkdir()
    path.write_text(COMPLETE.format(id="datum", version="x", title="T").replace(
        'version: "x"', "version: 2024-04-01"), encoding="utf-8")
    assert load_ladder(str(path)).data["version"] == "2024-04-01"
    year = write(tmp_path, "ar", "2024", text=COMPLETE.format(
        id="ar", version="x", title="T").replace('version: "x"', "version: 2024"))
    assert load_ladder(str(year)).ref == "ar@2024"


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    text = COMPLETE.format(id="bom", version="1", title="Med BOM")
    path.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    assert load_ladder(str(path)).data["title"] == "Med BOM"


def test_merge_keys_work_without_anchors(tmp_path: Path) -> None:
    path = tmp_path / "sammanfogad.yaml"
    path.write_text(
        COMPLETE.format(id="sammanfogad", version="1", title="T")
        + "  - level: 1\n    <<: {tier: regional, activities: [dialog]}\n"
        + "    event: Återkommande\n    parties: [leverantor]\n",
        encoding="utf-8",
    )
    step = load_ladder(str(path)).view().step(1)
    assert step["tier"] == "regional" and step["activities"] == ["dialog"]


def test_several_files_sharing_a_base_report_its_problem_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(FIXTURES / "ladders")
    monkeypatch.setenv("TRAPPA_LADDERS", "registry")
    results = validate_files(["invalid/chain/gren/1.yaml", "invalid/chain/trasig/1.yaml"])
    assert [str(p) for p in results[0].problems] == [str(p) for p in results[1].problems] == [
        "invalid/chain/trasig/1.yaml:6:1: unknown key 'parter'; did you mean 'parties'?"
    ]


def test_a_missing_base_names_the_chain_from_the_file_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(FIXTURES / "ladders")  # no TRAPPA_LADDERS: bas@2024-01-01 is unknown
    [result] = validate_files(["invalid/chain/gren/1.yaml"])
    assert [str(p) for p in result.problems] == [
        "invalid/chain/trasig/1.yaml:5:10: extends: unknown ladder 'bas@2024-01-01' "
        "(gren@1 -> trasig@1 -> bas@2024-01-01); did you mean 'regionerna@2024-04-01'?",
        "invalid/chain/trasig/1.yaml:6:1: unknown key 'parter'; did you mean 'parties'?",
    ]
