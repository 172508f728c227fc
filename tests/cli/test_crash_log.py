"""An unexpected error (a bug) leaves a crash log and one line naming it; exit 3.

The failure is injected where every command that records passes: choosing who acts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from trappa import __version__
from trappa.cli import main
from trappa.cli.crash import elide

SECRET = "Patientuppgifter läckte hos Anna Andersson"
REPORT = ["report", "--supplier", "Vårdbolaget AB", "--description", SECRET, "--json"]
ELIDED_REPORT = "trappa report --supplier … --description … --json"


def _boom(option: str | None) -> str:
    raise RuntimeError("injected failure")


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setenv("TRAPPA_LOG_DIR", str(folder))
    return folder


def _the_log(folder: Path) -> Path:
    logs = sorted(folder.glob("crash-*.log"))
    assert len(logs) == 1, logs
    return logs[0]


def _check_log(log: Path) -> None:
    text = log.read_text(encoding="utf-8")
    assert text.startswith(f"trappa {__version__} crashed at ")
    assert f"command: {ELIDED_REPORT}\n" in text
    assert "python: " in text and "platform: " in text
    assert "Traceback (most recent call last):" in text
    assert "RuntimeError: injected failure" in text
    assert SECRET not in text and "Vårdbolaget" not in text


def _check_stderr(stderr: str, log: Path) -> None:
    assert stderr.splitlines() == [
        "error: unexpected error: RuntimeError: injected failure",
        f"hint: its traceback and details are in {log}; please send that file with a bug report",
    ]
    assert "rerun" not in stderr and "TRAPPA_DEBUG" not in stderr


def test_a_bug_in_process_writes_a_crash_log_and_exits_3(
    log_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("trappa.cli.session.actor_name", _boom)
    with pytest.raises(SystemExit) as exit_:
        main(REPORT)
    assert exit_.value.code == 3
    log = _the_log(log_dir)
    _check_log(log)
    captured = capsys.readouterr()
    assert captured.out == ""
    _check_stderr(captured.err, log)


CRASHING = textwrap.dedent("""
    import sys
    import trappa.cli.session

    def boom(option):
        raise RuntimeError("injected failure")

    trappa.cli.session.actor_name = boom
    from trappa.cli import main
    sys.argv = ["trappa", *sys.argv[1:]]
    main()
""")


def _run_crashing(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CRASHING, *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_a_bug_in_a_subprocess_writes_a_crash_log_and_exits_3(log_dir: Path) -> None:
    result = _run_crashing(*REPORT)
    assert result.returncode == 3, result.stderr
    assert result.stdout == ""
    log = _the_log(log_dir)
    _check_log(log)
    _check_stderr(result.stderr, log)


def test_each_crash_has_its_own_log(log_dir: Path) -> None:
    for _ in range(2):
        assert _run_crashing(*REPORT).returncode == 3
    assert len(list(log_dir.glob("crash-*.log"))) == 2


def test_a_crash_log_that_cannot_be_written_is_said_in_the_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = _run_crashing(*REPORT, env={"TRAPPA_LOG_DIR": str(blocker / "logs")})
    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: unexpected error: RuntimeError: injected failure (its crash"
                               " log could not be written: ")
    assert str(blocker) in lines[0]


def test_trappa_debug_also_prints_the_traceback(log_dir: Path) -> None:
    result = _run_crashing(*REPORT, env={"TRAPPA_DEBUG": "1"})
    assert result.returncode == 3
    assert "Traceback (most recent call last):" in result.stderr
    assert result.stderr.splitlines()[-2:][0] == (
        "error: unexpected error: RuntimeError: injected failure"
    )
    _the_log(log_dir)


def test_without_a_log_folder_set_the_log_goes_to_the_users_log_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TRAPPA_LOG_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # where Linux keeps logs
    monkeypatch.setattr("trappa.cli.session.actor_name", _boom)
    with pytest.raises(SystemExit):
        main(REPORT)
    from platformdirs import user_log_dir

    folder = Path(user_log_dir("trappa", appauthor=False))
    assert folder.is_relative_to(tmp_path)  # the test's own HOME or state folder
    _the_log(folder)


@pytest.mark.parametrize(("args", "shown"), [
    (REPORT, ELIDED_REPORT.split()[1:]),
    (["note", "2026-0001", "--text=Ring Anna", "--db", "/home/anna/t.db"],
     ["note", "…", "--text=…", "--db", "…"]),
    (["ladder", "show", "kalmar@2024", "--resolved"], ["ladder", "show", "…", "--resolved"]),
    (["config", "set", "org.name", "Region Kalmar"], ["config", "set", "…", "…"]),
    (["letter", "2026-0001", "vd", "-obrev-till-anna.md", "-h"],
     ["letter", "…", "…", "-o…", "-h"]),
    (["status", "--", "--supplier"], ["status", "--", "…"]),
    (["report", "status"], ["report", "…"]),  # a command's name as a value is still a value
    (["Anna"], ["…"]),
])
def test_the_command_line_keeps_only_names(args: list[str], shown: list[str]) -> None:
    assert elide(args) == shown
