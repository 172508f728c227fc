"""A large ``status --json`` or ``review --json`` is listed in two halves at once, the second in
another process that hands its rows back through a temporary file. That file must never outlive
the listing, however the listing ends, and a failure to write it is one line, not a crash."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_trappa

# ``trappa`` with every listing split in two halves, whatever the register's size.
SPLIT = (
    "import sys; import trappa.cases.views as v; v.PARTS_FROM_CASES = 1;"
    " from trappa.cli import main; main(sys.argv[1:])"
)


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400 cases: their rows are more than a pipe holds."""
    folder = tmp_path_factory.mktemp("halves")
    rows = ["leverantör;beskrivning;observerad"]
    rows += [f"Bolag {n} AB;Avvikelse {n} med en längre beskrivning;2026-09-01" for n in range(400)]
    (folder / "many.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = folder / "r.db"
    done = run_trappa("import", str(folder / "many.csv"), "--quiet", "--db", str(db),
                      env={"TRAPPA_TODAY": "2026-10-01"})
    assert done.returncode == 0, done.stderr
    return db


def _split(db: Path, tmp: Path, *args: str, stdout: int = subprocess.PIPE) -> subprocess.Popen:
    tmp.mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-c", SPLIT, *args, "--db", str(db)], stdout=stdout,
        stderr=subprocess.PIPE, env={**os.environ, "TMPDIR": str(tmp),
                                     "TRAPPA_TODAY": "2026-10-01"},
    )


def _left_in(tmp: Path) -> list[str]:
    # The other half may still be at work after this process ended; it removes the name.
    deadline = time.monotonic() + 30
    while (left := sorted(p.name for p in tmp.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


@pytest.mark.parametrize("command", [["status", "--all", "--json"], ["review", "--json"]])
def test_a_listing_read_whole_leaves_no_file(register: Path, tmp_path: Path,
                                             command: list[str]) -> None:
    proc = _split(register, tmp_path / "tmp", *command)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.count(b'"case": ') >= 400 if command[0] == "status" else out.startswith(b"[")
    assert _left_in(tmp_path / "tmp") == []


def test_a_listing_whose_reader_stops_leaves_no_file(register: Path, tmp_path: Path) -> None:
    proc = _split(register, tmp_path / "tmp", "status", "--all", "--json")
    assert proc.stdout is not None
    assert proc.stdout.read(1) == b"["
    proc.stdout.close()  # as `| head -c1` does: the listing ends on its next write
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err
    assert _left_in(tmp_path / "tmp") == []


def test_a_half_that_cannot_be_kept_is_one_line(
    register: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from trappa.cases import views
    from trappa.cli import main
    from trappa.cli.output import RowsHandedBack

    def full(path: Path, rows: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(views, "PARTS_FROM_CASES", 1)
    monkeypatch.setattr(RowsHandedBack, "write", staticmethod(full))  # in the other process
    with pytest.raises(SystemExit) as ended:
        main(["status", "--all", "--json", "--db", str(register)])
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert "cannot keep half of the listing in" in err
    assert os.strerror(errno.ENOSPC) in err
    assert "Traceback" not in err and "unexpected" not in err
