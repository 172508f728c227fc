"""The ladder cache: opening a case reuses the resolved ladder while its files are unchanged, and
reads them again (with their positioned problems) as soon as anything they depend on changes."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import LADDERS, run_trappa
from trappa.cases import ladder_cache
from trappa.errors import ProblemsError
from trappa.store.database import Store


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A TRAPPA_LADDERS folder with a variant of the national ladder, ``lokal@1``."""
    root = tmp_path / "ladders"
    (root / "lokal").mkdir(parents=True)
    text = (LADDERS / "kalmar" / "2024.yaml").read_text(encoding="utf-8")
    text = text.replace("id: kalmar", "id: lokal").replace('version: "2024"', 'version: "1"')
    (root / "lokal" / "1.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("TRAPPA_LADDERS", str(root))
    return root


def loads_from_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every time the cache falls back to reading ladder files."""
    calls: list[str] = []
    import trappa.ladder.loading

    real = trappa.ladder.loading.load_ladder

    def spy(ref: str):
        calls.append(ref)
        return real(ref)

    monkeypatch.setattr(trappa.ladder.loading, "load_ladder", spy)
    return calls


def resolve_committed(store: Store, ref: str):
    with store.transaction():
        return ladder_cache.resolve(store, ref)


def test_a_second_resolve_reads_no_files(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = loads_from_files(monkeypatch)
    with Store.open(tmp_path / "c.db") as store:
        first = resolve_committed(store, "lokal")
        second = resolve_committed(store, "lokal")
    assert calls == ["lokal"]
    assert second.data == first.data
    assert second.sha256 == first.sha256
    assert second.ref == "lokal@1"


def test_an_edited_file_is_read_again(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = loads_from_files(monkeypatch)
    path = folder / "lokal" / "1.yaml"
    with Store.open(tmp_path / "c.db") as store:
        resolve_committed(store, "lokal@1")
        path.write_text(
            path.read_text(encoding="utf-8").replace("title:", "title: Ny", 1), encoding="utf-8"
        )
        again = resolve_committed(store, "lokal@1")
    assert calls == ["lokal@1", "lokal@1"]
    assert again.title.startswith("Ny")


def test_a_touched_file_is_read_again(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = loads_from_files(monkeypatch)
    path = folder / "lokal" / "1.yaml"
    with Store.open(tmp_path / "c.db") as store:
        resolve_committed(store, "lokal")
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
        resolve_committed(store, "lokal")
    assert calls == ["lokal", "lokal"]


def test_a_broken_file_gives_its_problems_not_the_cached_ladder(
    tmp_path: Path, folder: Path
) -> None:
    path = folder / "lokal" / "1.yaml"
    with Store.open(tmp_path / "c.db") as store:
        resolve_committed(store, "lokal")
        path.write_text("format: trappa/ladder@1\nid: lokal\nid: x\n", encoding="utf-8")
        with pytest.raises(ProblemsError) as caught:
            resolve_committed(store, "lokal")
    assert f"{path}:3:1: duplicate key 'id' (first given at line 2)" in caught.value.message


def test_a_new_version_file_changes_what_a_bare_id_means(
    tmp_path: Path, folder: Path
) -> None:
    with Store.open(tmp_path / "c.db") as store:
        assert resolve_committed(store, "lokal").ref == "lokal@1"
        text = (folder / "lokal" / "1.yaml").read_text(encoding="utf-8")
        (folder / "lokal" / "2.yaml").write_text(
            text.replace('version: "1"', 'version: "2"'), encoding="utf-8"
        )
        assert resolve_committed(store, "lokal").ref == "lokal@2"
        assert resolve_committed(store, "lokal@1").ref == "lokal@1"


def test_an_edited_base_is_read_again(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = loads_from_files(monkeypatch)
    # The variant's base comes from a copy of the bundled folder given first in the search
    # order of a fresh TRAPPA_LADDERS (the bundled one is still searched first, so copy it as
    # a base of another id).
    base_dir = folder / "bas"
    base_dir.mkdir()
    shutil.copy(LADDERS / "regionerna" / "2024-04-01.yaml", base_dir / "1.yaml")
    base = base_dir / "1.yaml"
    base.write_text(
        base.read_text(encoding="utf-8")
        .replace("id: regionerna", "id: bas")
        .replace('version: "2024-04-01"', 'version: "1"'),
        encoding="utf-8",
    )
    variant = folder / "lokal" / "1.yaml"
    variant.write_text(
        variant.read_text(encoding="utf-8").replace(
            "extends: regionerna@2024-04-01", "extends: bas@1"
        ),
        encoding="utf-8",
    )
    with Store.open(tmp_path / "c.db") as store:
        before = resolve_committed(store, "lokal")
        assert before.data["extends"] == "bas@1"
        base.write_text(
            base.read_text(encoding="utf-8") + "# ändrad\n", encoding="utf-8"
        )
        resolve_committed(store, "lokal")
    assert calls == ["lokal", "lokal"]


def test_a_failed_command_leaves_no_cache_entry(tmp_path: Path, folder: Path) -> None:
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        with pytest.raises(RuntimeError), store.transaction():
            ladder_cache.resolve(store, "lokal")
            raise RuntimeError("the command failed")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM ladder_cache").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM ladders").fetchone()[0] == 0
    conn.close()


def test_report_opening_cases_fills_and_uses_the_cache(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    for supplier in ("A AB", "B AB"):
        result = run_trappa("report", "--db", db, "--supplier", supplier, "--description", "x",
                            "--ladder", "kalmar")
        assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT ref, sha256 FROM ladder_cache").fetchall()
    cases = conn.execute("SELECT DISTINCT ladder_sha256 FROM cases").fetchall()
    conn.close()
    # The bare id, and the cases' own id@version (what review resolves), the same ladder.
    assert [ref for ref, _ in rows] == ["kalmar", "kalmar@2024"]
    assert rows[0][1] == rows[1][1]
    assert cases == [(rows[0][1],)]
