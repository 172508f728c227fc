"""A command killed at any moment leaves the register whole: its whole effect or none of it.

``report``, ``escalate``, ``plan``, ``letter`` (Word, to a file) and ``import`` (a CSV of a few
hundred rows) run as subprocesses (``python -m trappa``) and are killed with SIGKILL at seeded
random moments spread uniformly over the command's run time (measured first, by a run left to
finish). After each kill ``trappa verify`` passes, the event count is the count before or the
count after the whole command, and a letter's file is absent or complete (its sha256 is the one
recorded, when one is). One database per test worker, reused across runs.

The default suite kills 100 runs (20 per command), in batches of 10 that xdist spreads over the
cores, to keep CI's time in bounds; ``TRAPPA_KILL_RUNS=200 make test`` runs the issue's 200 (any
total is rounded down to whole batches, at least one per command).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fuzz_helpers import event_count, run_main

pytestmark = [pytest.mark.faults]

COMMANDS = ["report", "escalate", "plan", "letter", "import"]
RUNS = int(os.environ.get("TRAPPA_KILL_RUNS", "100"))
BATCH = 10
BATCHES = max(1, RUNS // (len(COMMANDS) * BATCH))
ORG = {
    "org.name": "Region Kalmar län",
    "org.unit": "Upphandlingsenheten",
    "org.contact": "Anna Andersson, 010-123 45 67",
    "org.signatory": "Anna Andersson, avtalsansvarig",
}
IMPORT_ROWS = 300
SUPPLIERS = ["Städbolaget AB", "Vårdbemanning Norr AB", "Transport Syd AB", "Labbet AB"]


@dataclass
class Register:
    """The worker's database and a folder for its letters and import files."""

    db: Path
    folder: Path
    runs: int = 0

    def next_run(self) -> int:
        self.runs += 1
        return self.runs

    def cli(self, *args: str) -> None:
        """Set-up through the real command line, in-process (it must succeed)."""
        assert run_main(*args, "--db", str(self.db)) == 0, args


@pytest.fixture(scope="session")
def register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Register]:
    folder = tmp_path_factory.mktemp("kill")
    reg = Register(db=folder / "trappa.db", folder=folder)
    saved = dict(os.environ)
    os.environ.update(TRAPPA_USER="testare", TRAPPA_TODAY="2026-10-01")
    try:
        for key, value in ORG.items():
            reg.cli("config", "set", key, value)
        yield reg
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _new_case(reg: Register, run: int) -> str:
    """A case of its own for one run, opened in-process; its id."""
    reg.cli("report", "--supplier", f"Leverantör {run} AB", "--description", "Sen leverans",
            "--contract", "Avtal 2026", "--criticality", "3")
    # The id is read back from the register: the newest case.
    conn = sqlite3.connect(f"{reg.db.as_uri()}?mode=ro", uri=True)
    try:
        (case_id,) = conn.execute("select max(id) from cases").fetchone()
    finally:
        conn.close()
    return str(case_id)


def _csv(reg: Register, run: int) -> Path:
    path = reg.folder / f"import-{run}.csv"
    lines = ["supplier;description;observed;external_id"]
    lines += [f"{SUPPLIERS[i % len(SUPPLIERS)]};Avvikelse {i} i leverans {run};2026-0{1 + i % 9}-1"
              f"{i % 10};K{run}-{i}" for i in range(IMPORT_ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _arguments(reg: Register, command: str, run: int) -> tuple[list[str], Path | None]:
    """The command line of one run (after any set-up it needs) and the letter file it writes."""
    if command == "report":
        return ["report", "--supplier", "Städbolaget AB", "--description", f"Avvikelse {run}",
                "--category", "leverans", "--reporter", "Karin Karlsson"], None
    if command == "import":
        return ["import", str(_csv(reg, run)), "--quiet"], None
    case_id = _new_case(reg, run)
    if command == "escalate":
        return ["escalate", case_id, "--reason", f"Avvikelserna består ({run})"], None
    if command == "plan":
        return ["plan", case_id, "--due", "2026-11-30", "--item", "Bekräfta varje pass",
                "--item", "Håll en reservlista", "--owner", "Per Persson"], None
    letter = reg.folder / f"brev-{run}.docx"
    return ["letter", case_id, "avvikelsemeddelande", "--format", "docx", "-o", str(letter)], letter


def _start(reg: Register, args: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TRAPPA_DB": str(reg.db), "TRAPPA_LOG_DIR": str(reg.folder / "logs")}
    return subprocess.Popen([sys.executable, "-m", "trappa", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _verify(reg: Register) -> None:
    """``trappa verify --json``, in-process (a fresh interpreter per run would double the time)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run_main("verify", "--json", "--db", str(reg.db))
    assert code == 0, out.getvalue()
    assert json.loads(out.getvalue())["ok"] is True, out.getvalue()


def _recorded_letters(db: Path) -> set[str]:
    """Every sha256 a letter_sent event records."""
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute("select data from events where type = 'letter_sent'").fetchall()
    finally:
        conn.close()
    return {json.loads(data).get("sha256") for (data,) in rows}


def _once(reg: Register, command: str, kill_after: float | None) -> tuple[int, int, float]:
    """One run, killed after ``kill_after`` seconds (None: left to finish); the events it
    added, its exit code and how long it ran. Checks the register and the letter file."""
    run = reg.next_run()
    args, letter = _arguments(reg, command, run)
    before = event_count(reg.db)
    started = time.monotonic()
    process = _start(reg, args)
    if kill_after is not None:
        try:
            process.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
    _, stderr = process.communicate(timeout=120)
    took = time.monotonic() - started
    code = process.returncode
    if kill_after is None or code != -signal.SIGKILL:
        assert code == 0, stderr.decode(errors="replace")
    _verify(reg)
    added = event_count(reg.db) - before
    if letter is not None and letter.exists():
        # Written whole (by rename), and the very bytes recorded when the letter was recorded.
        content = letter.read_bytes()
        with zipfile.ZipFile(io.BytesIO(content)) as docx:
            assert docx.testzip() is None and "word/document.xml" in docx.namelist(), letter
        if added:
            assert hashlib.sha256(content).hexdigest() in _recorded_letters(reg.db), letter
    return added, code, took


@pytest.mark.parametrize("batch", range(BATCHES))
@pytest.mark.parametrize("command", COMMANDS)
def test_a_killed_command_leaves_its_whole_effect_or_none(
    register: Register, command: str, batch: int
) -> None:
    effect, _, took = _once(register, command, None)
    assert effect >= 1, f"{command} recorded nothing when left to finish"
    draw: Callable[[], float] = random.Random(f"{command}-{batch}").random
    for _ in range(BATCH):
        added, code, _ = _once(register, command, draw() * took)
        assert added in (0, effect), (command, added, effect, code)
    assert not (register.folder / "logs").exists(), "a killed command left a crash log"
