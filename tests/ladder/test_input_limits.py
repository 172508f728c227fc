"""No ladder file makes trappa hang: anchors and aliases, and files past the size limit, are
refused before they are expanded or parsed, with a positioned message and exit 2."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, run_trappa
from trappa.cli import app
from trappa.errors import ProblemsError
from trappa.ladder.loading import list_ladders, load_ladder, validate_files
from trappa.ladder.yaml_source import MAX_BYTES

LAUGHS = FIXTURES / "ladders" / "invalid" / "billion-laughs.yaml"
ANCHOR = "anchor '&a0' is not allowed in a ladder file; write the value out where it is used"
TOO_LARGE = "the file is larger than 256 KiB; a ladder file is far smaller"
runner = CliRunner()


def laughs(levels: int = 9) -> str:
    """A ladder whose aliases nest ``levels`` deep: 10**levels values when expanded."""
    lines = ["format: trappa/ladder@1", "id: skratt", 'version: "1"', 'title: &a0 "ha"']
    for n in range(1, levels + 1):
        lines.append(f"l{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    lines.append(f"steps: *a{levels}")
    return "\n".join(lines) + "\n"


def test_the_fixture_is_a_nine_level_billion_laughs() -> None:
    assert LAUGHS.read_text(encoding="utf-8") == laughs().replace("id: skratt",
                                                                  "id: billion-laughs")


def test_billion_laughs_is_refused_at_once_in_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "skratt.yaml"
    path.write_text(laughs(), encoding="utf-8")
    validate_files([str(path)])  # the first read imports ruamel and pydantic
    tracemalloc.start()
    try:
        start = time.process_time()  # CPU time: other work on the machine does not count
        [result] = validate_files([str(path)])
        elapsed = time.process_time() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [str(p) for p in result.problems] == [f"{path}:4:8: {ANCHOR}"]
    assert elapsed < 0.5  # it takes milliseconds; expanded, it takes minutes
    assert peak < 16 * 1024 * 1024  # the file read plus the parser; expanded, gigabytes


def test_an_alias_is_refused_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "alias.yaml"
    path.write_text("format: trappa/ladder@1\nid: alias\ntitle: *namn\n", encoding="utf-8")
    [result] = validate_files([str(path)])
    assert [str(p) for p in result.problems] == [
        f"{path}:3:8: alias '*namn' is not allowed in a ladder file; "
        "write the value out where it is used"
    ]


def test_an_anchor_deep_in_the_file_is_refused_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "ankare.yaml"
    path.write_text(
        "format: trappa/ladder@1\nid: ankare\nsteps:\n  - level: 0\n"
        "    parties: &p [leverantor]\n",
        encoding="utf-8",
    )
    with pytest.raises(ProblemsError) as caught:
        load_ladder(str(path))
    assert caught.value.message == (
        f"{path}:5:14: anchor '&p' is not allowed in a ladder file; "
        "write the value out where it is used"
    )
    assert caught.value.exit_code == 2


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "stor.yaml"
    # Past the limit by one byte, and not even YAML: it is never parsed.
    path.write_bytes(b"format: trappa/ladder@1\n" + b"[" * (MAX_BYTES - 23))
    [result] = validate_files([str(path)])
    assert [str(p) for p in result.problems] == [f"{path}:1:1: {TOO_LARGE}"]
    at_limit = tmp_path / "precis.yaml"  # exactly at the limit: read and checked as usual
    at_limit.write_bytes(b"format: trappa/ladder@1\n#" + b"#" * (MAX_BYTES - 25))
    assert at_limit.stat().st_size == MAX_BYTES
    [result] = validate_files([str(at_limit)])
    assert result.problems and all(p.message != TOO_LARGE for p in result.problems)


def test_validate_refuses_billion_laughs_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "skratt.yaml"
    path.write_text(laughs(), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"{path}:4:8: {ANCHOR}\n"


def test_ladder_show_refuses_billion_laughs_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "skratt.yaml"
    path.write_text(laughs(), encoding="utf-8")
    result = run_trappa("ladder", "show", str(path))
    assert result.returncode == 2
    assert result.stderr == f"{path}:4:8: {ANCHOR}\n"


def test_ladder_list_lists_the_good_ladders_and_reports_the_bad_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "skratt").mkdir()
    (tmp_path / "skratt" / "1.yaml").write_text(laughs(), encoding="utf-8")
    (tmp_path / "stor").mkdir()
    (tmp_path / "stor" / "1.yaml").write_bytes(b"#" * (MAX_BYTES + 1))
    monkeypatch.setenv("TRAPPA_LADDERS", str(tmp_path))
    infos = {info.ref: info for info in list_ladders()}
    assert infos["regionerna@2024-04-01"].problem is None
    assert infos["regionerna@2024-04-01"].title
    assert str(infos["skratt@1"].problem) == f"{tmp_path / 'skratt' / '1.yaml'}:4:8: {ANCHOR}"
    assert str(infos["stor@1"].problem) == f"{tmp_path / 'stor' / '1.yaml'}:1:1: {TOO_LARGE}"
    result = runner.invoke(app, ["ladder", "list", "--json"])
    assert result.exit_code == 0
    assert "regionerna@2024-04-01" in result.stdout and "skratt@1" in result.stdout
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'skratt' / '1.yaml'}:4:8: {ANCHOR}",
        f"{tmp_path / 'stor' / '1.yaml'}:1:1: {TOO_LARGE}",
    ]
