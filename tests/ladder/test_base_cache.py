"""The cache of checked base ladders: used when the base is unchanged, never when it changed,
ignored when damaged, skipped when it cannot be written; results always as without it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from trappa.ladder import base_cache, yaml_source
from trappa.ladder.loading import load_ladder, validate_files
from trappa.resources import bundled_dir

BUNDLED = bundled_dir("ladders")
assert BUNDLED is not None


@pytest.fixture
def ladders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The national ladder and Kalmar's variant of it, copied as ``nationell`` (a bundled
    ladder of the same id would be found first) so that a test can change the base."""
    folder = tmp_path / "ladders"
    (folder / "nationell").mkdir(parents=True)
    (folder / "kalmar").mkdir()
    base = (BUNDLED / "regionerna" / "2024-04-01.yaml").read_text(encoding="utf-8")
    (folder / "nationell" / "2024-04-01.yaml").write_text(
        base.replace("id: regionerna", "id: nationell", 1), encoding="utf-8"
    )
    variant = (BUNDLED / "kalmar" / "2024.yaml").read_text(encoding="utf-8")
    (folder / "kalmar" / "2024.yaml").write_text(
        variant.replace("extends: regionerna@", "extends: nationell@", 1), encoding="utf-8"
    )
    monkeypatch.setenv("TRAPPA_LADDERS", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files parsed as YAML, in order."""
    names: list[str] = []
    real = yaml_source.parse_bytes

    def counting(source: yaml_source.YamlSource, raw: bytes) -> yaml_source.YamlSource:
        names.append(Path(source.name).as_posix())
        return real(source, raw)

    monkeypatch.setattr(yaml_source, "parse_bytes", counting)
    monkeypatch.setattr("trappa.ladder.loading.parse_bytes", counting)
    return names


KALMAR = "ladders/kalmar/2024.yaml"
BASE = "ladders/nationell/2024-04-01.yaml"


def _tampered(text: str) -> str:
    entry = json.loads(text)
    data = json.loads(entry["data"])
    data["title"] = "Ändrad i smyg"
    return json.dumps({**entry, "data": json.dumps(data)})


def _entries() -> list[Path]:
    return sorted(base_cache.folder().glob("*.json"))


def test_an_unchanged_base_is_read_from_the_cache(ladders: Path, parsed: list[str]) -> None:
    [cold] = validate_files([KALMAR])
    assert parsed == [KALMAR, BASE]
    assert len(_entries()) == 1
    parsed.clear()
    [warm] = validate_files([KALMAR])
    assert parsed == [KALMAR]  # the variant is always checked in full; its base is not parsed
    assert warm.summary == cold.summary and warm.ok
    assert warm.ladder is not None and cold.ladder is not None
    assert warm.ladder.data == cold.ladder.data
    assert warm.ladder.own == cold.ladder.own


def test_a_file_validated_in_its_own_right_is_always_parsed(
    ladders: Path, parsed: list[str]
) -> None:
    validate_files([KALMAR])
    parsed.clear()
    results = validate_files([KALMAR, BASE])
    assert parsed == [KALMAR, BASE]
    assert all(result.ok for result in results)
    assert results[1].ladder is not None and results[1].ladder.own


def test_a_changed_base_is_read_again(ladders: Path, parsed: list[str]) -> None:
    validate_files([KALMAR])
    base = ladders / "nationell" / "2024-04-01.yaml"
    text = base.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    base.write_text(text.replace(title, "title: Ändrad titel", 1), encoding="utf-8")
    parsed.clear()
    loaded = load_ladder(KALMAR)
    assert parsed == [KALMAR, BASE]
    assert len(_entries()) == 2  # the old entry is another key: it can never be served
    assert load_ladder("nationell").data["title"] == "Ändrad titel"
    assert loaded.ref == "kalmar@2024"


def test_a_base_broken_after_it_was_cached_reports_its_own_place(
    ladders: Path, parsed: list[str]
) -> None:
    validate_files([KALMAR])
    base = ladders / "nationell" / "2024-04-01.yaml"
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace("format: trappa/ladder@1", "format: trappa/ladder@9", 1),
                    encoding="utf-8")
    [result] = validate_files([KALMAR])
    [problem] = result.problems
    line = text.splitlines().index("format: trappa/ladder@1") + 1
    assert (problem.file, problem.line, problem.column) == (BASE, line, 9)


def test_a_problem_in_a_cached_base_still_has_its_line_and_column(ladders: Path) -> None:
    # The same bytes at a place that does not match their id: the cache holds the file's
    # checked data, the place is checked on every run, and its position read from the bytes.
    wrong = ladders / "nationell" / "2099-01-01.yaml"
    shutil.copy(ladders / "nationell" / "2024-04-01.yaml", wrong)
    variant = ladders / "kalmar" / "2024.yaml"
    text = variant.read_text(encoding="utf-8")
    extends = next(line for line in text.splitlines() if line.startswith("extends:"))
    variant.write_text(text.replace(extends, "extends: nationell@2099-01-01", 1),
                       encoding="utf-8")
    validate_files([BASE])  # nothing cached: BASE was validated in its own right
    validate_files([KALMAR, BASE])
    cold = [str(p) for p in validate_files([KALMAR])[0].problems]
    assert _entries()
    warm = [str(p) for p in validate_files([KALMAR])[0].problems]
    assert warm == cold
    assert warm and all(p.startswith("ladders/nationell/2099-01-01.yaml:") for p in warm)
    assert all(not p.startswith("ladders/nationell/2099-01-01.yaml:1:1:") for p in warm)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: "",
        lambda text: "[]",
        lambda text: _tampered(text),  # the payload changed, its checksum not
        lambda text: json.dumps({**json.loads(text), "format": "trappa/ladder-cache@0"}),
    ],
    ids=["truncated", "empty", "not-an-entry", "tampered", "other-format"],
)
def test_a_damaged_entry_is_ignored_and_written_afresh(
    ladders: Path, parsed: list[str], damage: object
) -> None:
    [cold] = validate_files([KALMAR])
    [entry] = _entries()
    assert callable(damage)
    entry.write_text(damage(entry.read_text(encoding="utf-8")), encoding="utf-8")
    parsed.clear()
    [again] = validate_files([KALMAR])
    assert parsed == [KALMAR, BASE]
    assert again.ok and again.ladder is not None and cold.ladder is not None
    assert again.ladder.data == cold.ladder.data
    assert base_cache.get(entry.stem) is not None  # rewritten whole


def test_an_entry_under_another_key_is_not_served(ladders: Path, parsed: list[str]) -> None:
    validate_files([KALMAR])
    [entry] = _entries()
    other = entry.with_name("0" * 64 + ".json")
    entry.rename(other)
    assert base_cache.get(other.stem) is None  # it names the key it was written for


def test_a_cache_that_cannot_be_written_is_skipped(
    ladders: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("TRAPPA_CACHE_DIR", str(blocker))
    [first] = validate_files([KALMAR])
    [second] = validate_files([KALMAR])
    assert first.ok and second.ok
    assert parsed == [KALMAR, BASE, KALMAR, BASE]
    assert not list(tmp_path.glob("**/*.tmp"))


def test_the_cache_folder_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAPPA_CACHE_DIR", str(tmp_path / "here"))
    assert base_cache.folder() == tmp_path / "here" / "ladders"
    monkeypatch.delenv("TRAPPA_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if base_cache.folder().is_relative_to(tmp_path / "xdg"):  # Linux and the BSDs
        assert base_cache.folder() == tmp_path / "xdg" / "trappa" / "ladders"


def test_the_key_depends_on_the_bytes_and_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    key = base_cache.key_of(b"format: trappa/ladder@1\n")
    assert key != base_cache.key_of(b"format: trappa/ladder@1\n\n")
    monkeypatch.setattr(base_cache, "__version__", "0.0.0-other")
    assert key != base_cache.key_of(b"format: trappa/ladder@1\n")


def test_the_key_depends_on_the_libraries_that_read_and_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = base_cache.key_of(b"format: trappa/ladder@1\n")
    monkeypatch.setattr("pydantic.version.VERSION", "0.0.1")
    assert key != base_cache.key_of(b"format: trappa/ladder@1\n")
