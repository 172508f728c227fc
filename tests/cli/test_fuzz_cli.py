"""Any command line at all ends in a clear line and an exit code, never a traceback.

Argument lists are built from the real commands (their click parameters, read from
``build_command``): a random choice of each command's options and arguments, filled with
hostile text (control characters, NUL, lone surrogates, right-to-left marks, very long
strings) or with values trappa knows (a case id, a letter kind, a date). Each runs in-process
through ``trappa.cli.main`` against a register holding one case. It must exit 0, 1 or 2 (3 only
when the command line names a database of its own), print no traceback and write no crash log.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import LADDERS
from fuzz_helpers import TEXT, run_main
from trappa.cli import COMMANDS, build_command

pytestmark = [pytest.mark.fuzz]

KNOWN = ["2026-0001", "2026-0002", "avvikelsemeddelande", "handlingsplan", "nedtrappning",
         "docx", "md", "html", "regionerna", "kalmar", "regionerna@2024-04-01", "org.name",
         "default.ladder", "followed", "no_effect", "deviation", "incident", "vite",
         "2026-10-01", "2026-12-31", "1", "2", "Städbolaget AB", "dialog-okad-frekvens"]
DATES = ["2026-10-01", "2026-11-30", "2026-01-05", "2025-12-31", "2027-01-01"]
# Values that fit a parameter (by its name): most command lines should get past parsing.
HINTS = {
    "case": ["2026-0001", "2026-0001", "2026-0002"], "date": DATES, "due": DATES,
    "observed": DATES, "as_of": DATES, "reply_by": DATES,
    "kind": ["avvikelsemeddelande", "handlingsplan", "nedtrappning", "deviation", "incident",
             "risk", "vite"],
    "format": ["docx", "md", "html", "csv", "jsonl"], "followup": ["followed", "no_effect"],
    "key": ["org.name", "default.ladder", "org.contact"], "ladder": ["regionerna", "kalmar"],
    "supplier": ["Städbolaget AB"], "activity": ["dialog-okad-frekvens", "faktainsamling"],
    "to": ["0", "1", "2", "5"], "deviation": ["1", "2"], "amount": ["12500", "0", "-1"],
}
NUMBERS = st.one_of(st.integers(-5, 12).map(str), st.sampled_from(["1e3", "-0", "0x10", "1_0"]))


def _commands() -> list[tuple[list[str], Any]]:
    """Every runnable command: its words (``ladder show``) and its click command."""
    found = []
    for name in COMMANDS:
        command = build_command(name)
        subcommands = getattr(command, "commands", None)
        if subcommands:
            found += [([name, sub], subcommand) for sub, subcommand in subcommands.items()]
        else:
            found.append(([name], command))
    return found


COMMAND_LINES = _commands()


def _value(kind: str, folder: Path, name: str = "") -> st.SearchStrategy[str]:
    text = st.one_of(TEXT, st.sampled_from(KNOWN))
    if name in HINTS:
        text = st.one_of(st.sampled_from(HINTS[name]), text)
    if kind in ("int", "float", "integer"):
        return st.one_of(NUMBERS, text)
    if kind in ("path", "file", "directory"):
        # Inside the test's folder, whatever the text: the fuzz writes letters and databases.
        existing = [str(folder), str(folder / "rader.csv"), str(LADDERS / "kalmar" / "2024.yaml"),
                    str(folder / "ny.docx"), str(folder / "ny.md"), "-"]
        return st.one_of(st.sampled_from(existing), TEXT.map(lambda t: f"./{t}"))
    return text


@st.composite
def command_lines(draw: st.DrawFn, folder: Path, db: Path) -> tuple[list[str], bool]:
    """A command line, and whether it names a database other than the prepared one."""
    words, command = draw(st.sampled_from(COMMAND_LINES))
    args = list(words)
    own_db = words[0] == "db"  # db copy SRC DST, db init URL: databases of their own
    positional: list[str] = []
    for param in command.params:
        if param.param_type_name == "argument":
            if draw(st.integers(0, 19)) > 0:  # now and then a required argument is left out
                count = draw(st.integers(1, 3)) if param.nargs == -1 else 1
                value = _value(param.type.name, folder, param.name)
                positional += [draw(value) for _ in range(count)]
            continue
        if draw(st.integers(0, 2)) > 0:
            continue
        option = draw(st.sampled_from(param.opts))
        if param.is_flag:
            args.append(option)
        elif option == "--db":
            own_db = draw(st.integers(0, 3)) == 0
            args += [option, draw(_value("path", folder)) if own_db else str(db)]
        else:
            for _ in range(draw(st.integers(1, 3)) if param.multiple else 1):
                args += [option, draw(_value(param.type.name, folder, param.name))]
    if positional and draw(st.booleans()):
        args.append("--")  # the end of options: arguments that start with "-" are arguments
    args += positional
    if draw(st.integers(0, 19)) == 0:
        args.insert(draw(st.integers(0, len(args))), draw(st.sampled_from(["--nope", "-x", "--"])))
    return args, own_db


@pytest.fixture
def register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The test's folder (the working directory) and its register: one case, the org's details."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRAPPA_LOG_DIR", str(tmp_path / "logs"))
    db = tmp_path / "trappa.db"
    monkeypatch.setenv("TRAPPA_DB", str(db))
    (tmp_path / "rader.csv").write_text(
        "supplier;description;external_id\nStädbolaget AB;Sen leverans;R1\n", encoding="utf-8")
    for key in ("org.name", "org.unit", "org.contact", "org.signatory"):
        assert run_main("config", "set", key, f"Värde för {key}") == 0
    assert run_main("report", "--supplier", "Städbolaget AB", "--description", "Sen") == 0
    return tmp_path, db


# Crashes the fuzz found, each kept as a case below so that it stays fixed.
LONG = "x" * 10_000
NOT_UTF8 = b"Bolag \xe5 AB".decode("utf-8", "surrogateescape")  # as Python hands over argv


def _run(args: list[str]) -> tuple[int, str, str]:
    """``trappa ARGS`` in-process, with stdout and stderr as a real process has them (UTF-8;
    stderr escapes what it cannot encode, stdout refuses it): exit code, stdout, stderr."""
    raw_out, raw_err = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(raw_out, encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(raw_err, encoding="utf-8", errors="backslashreplace",
                           write_through=True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_main(*args)
    return (code, raw_out.getvalue().decode("utf-8", "replace"),
            raw_err.getvalue().decode("utf-8", "replace"))


@settings(max_examples=200, deadline=None, derandomize=True,
          database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_any_command_line_ends_in_an_exit_code_and_no_traceback(
    register: tuple[Path, Path], data: st.DataObject
) -> None:
    folder, db = register
    args, own_db = data.draw(command_lines(folder, db), label="command line")
    logs = folder / "logs"
    before = set(logs.iterdir()) if logs.exists() else set()
    code, out, err = _run(args)
    crashed = (set(logs.iterdir()) if logs.exists() else set()) - before
    assert "Traceback" not in out + err, err
    assert not crashed, err
    assert code in ((0, 1, 2, 3) if own_db else (0, 1, 2)), (code, err)


@pytest.mark.parametrize("args", [
    ["ladder", "show", LONG],  # a name longer than a file's may be: ENAMETOOLONG
    ["ladder", "diff", LONG, "regionerna"],
    ["status", "--supplier", NOT_UTF8],  # text that is not UTF-8 must not reach SQLite
    ["dossier", NOT_UTF8],
    ["report", "--supplier", "A", "--description", "x", "--db", "./\ud800"],  # no bytes give it
    ["db", "copy", "trappa.db", "postgresql://\ud800@/trappa"],
    ["db", "copy", "trappa.db", LONG],
    ["report", "--supplier", "A", "--description", "x", "--db", LONG],
    ["status", "--db", LONG],  # a new install is looked for before the register is opened
    ["calendar", "--db", LONG],
])
def test_a_found_crash_is_a_clear_error(register: tuple[Path, Path], args: list[str]) -> None:
    folder, _ = register
    code, out, err = _run(args)
    assert not (folder / "logs").exists(), err
    assert code in (1, 2), (code, err)
    assert "unexpected error" not in err and len(err.splitlines()) <= 2, err


def test_a_register_copied_to_a_file_whose_name_is_not_utf8_gets_that_name(
    register: tuple[Path, Path]
) -> None:
    folder, _ = register
    code, out, err = _run(["db", "copy", "trappa.db", f"./{NOT_UTF8}.db"])
    assert code == 0, err
    assert (folder / "Bolag \ufffd AB.db").name in out
    assert (folder / f"{NOT_UTF8}.db").exists()  # the file has the bytes it was given
    assert run_main("verify", "--db", f"./{NOT_UTF8}.db") == 0
