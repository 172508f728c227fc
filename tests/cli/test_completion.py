"""Shell completion as the shells run it: the real protocol in a subprocess (the environment
each shell's script sets), the scripts themselves, and the values from the register."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_trappa

SUPPLIER = "Läkarhuset Östra Stockholm Vårdcentral AB"
BIN = Path(sys.executable).parent


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """Two cases: 2026-0001 of Läkarhuset with two deviations, 2026-0002 of another supplier."""
    db = tmp_path / "register.db"
    for args in (
        ["report", "--supplier", SUPPLIER, "--description", "Uteblivet nattpass"],
        ["report", "--supplier", SUPPLIER, "--description", "Legitimation saknades"],
        ["report", "--supplier", "Vårdbemanning Norr AB", "--description", "Sen leverans"],
        ["done", "2026-0001", "bevakning"],
    ):
        result = run_trappa(*args, "--db", str(db))
        assert result.returncode == 0, result.stderr
    return db


def complete(env: dict[str, str], db: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``trappa`` run as a shell's completion script runs it."""
    extra = {} if db is None else {"TRAPPA_DB": str(db)}
    return run_trappa(env={**extra, **env})


def bash(words: str, db: Path | None = None, instruction: str = "complete_bash") -> list[str]:
    """What bash offers for ``words`` (the word under the cursor last; "" for a new word)."""
    parts = words.split(" ")
    result = complete({"_TRAPPA_COMPLETE": instruction, "COMP_WORDS": words,
                       "COMP_CWORD": str(len(parts) - 1)}, db)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if line]


def test_bash_completes_case_ids_from_the_register(register: Path) -> None:
    assert bash("trappa show ", register) == ["2026-0001", "2026-0002"]
    assert bash("trappa escalate 2026-000", register) == ["2026-0001", "2026-0002"]
    assert bash("trappa explain 2026-0002", register) == ["2026-0002"]
    # click's spelling of the instruction, as its documentation gives it, too.
    assert bash("trappa note ", register, "bash_complete") == ["2026-0001", "2026-0002"]


def test_the_db_option_typed_before_names_the_register(register: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.db"
    assert bash(f"trappa show --db {register} ", elsewhere) == ["2026-0001", "2026-0002"]
    assert not elsewhere.exists()


def test_zsh_and_fish_complete_case_ids_with_the_supplier(register: Path) -> None:
    zsh = complete({"_TRAPPA_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "trappa show "},
                   register)
    assert zsh.returncode == 0, zsh.stderr
    assert '"2026-0001":"Läkarhuset Östra Stockholm Vårdcentral AB"' in zsh.stdout
    assert '"2026-0002":"Vårdbemanning Norr AB"' in zsh.stdout
    fish = complete({"_TRAPPA_COMPLETE": "fish_complete", "_TYPER_COMPLETE_FISH_ACTION":
                     "get-args", "_TYPER_COMPLETE_ARGS": "trappa close 2026"}, register)
    assert fish.returncode == 0, fish.stderr
    assert fish.stdout.splitlines() == [f"2026-0001\t{SUPPLIER}",
                                        "2026-0002\tVårdbemanning Norr AB"]


def test_a_description_reads_as_itself(tmp_path: Path) -> None:
    # typer renders descriptions as rich markup: "[syd]" must not vanish from a name.
    db = tmp_path / "register.db"
    name = "Städ [syd] & [/b]Partner AB"
    assert run_trappa("report", "--db", str(db), "--supplier", name, "--description",
                      "x").returncode == 0
    fish = complete({"_TRAPPA_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION":
                     "get-args", "_TYPER_COMPLETE_ARGS": "trappa show "}, db)
    assert fish.stdout.splitlines() == [f"2026-0001\t{name}"]


def test_powershell_completes_case_ids(register: Path) -> None:
    result = complete({"_TRAPPA_COMPLETE": "complete_powershell",
                       "_TYPER_COMPLETE_ARGS": "trappa show 2026-0002",
                       "_TYPER_COMPLETE_WORD_TO_COMPLETE": "2026-0002"}, register)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["2026-0002:::Vårdbemanning Norr AB"]


def test_commands_and_options_complete() -> None:
    assert bash("trappa sta") == ["status"]
    assert set(bash("trappa ")) >= {"report", "status", "ladder", "letter", "verify"}
    assert "--wide" in bash("trappa status --")
    assert bash("trappa ladder s") == ["show", "schema"]


def test_letter_kinds_activities_and_deviations_come_from_the_cases_ladder(
    register: Path,
) -> None:
    kinds = bash("trappa letter 2026-0001 ", register)
    assert {"avvikelsemeddelande", "brev-vd", "handlingsplan", "nedtrappning"} <= set(kinds)
    # The step's activities not yet done: bevakning is.
    assert bash("trappa done 2026-0001 ", register) == ["riskbedomning", "dialog"]
    assert bash("trappa done 2026-0002 ", register) == ["bevakning", "riskbedomning", "dialog"]
    assert bash("trappa resolve 2026-0001 ", register) == ["1", "2"]


def test_letter_kinds_of_an_unknown_case_come_from_the_default_ladder(register: Path) -> None:
    assert "avvikelsemeddelande" in bash("trappa letter 2026-0099 ", register)
    assert "riskbedomning" in bash("trappa done 2026-0099 ", register)


def test_ladder_names_complete() -> None:
    expected = ["kalmar", "regionerna", "kalmar@2024", "regionerna@2024-04-01"]
    assert bash("trappa ladder show ") == expected
    assert bash("trappa ladder diff regionerna k") == ["kalmar", "kalmar@2024"]
    assert bash("trappa report --ladder reg") == ["regionerna", "regionerna@2024-04-01"]
    assert bash("trappa config set default.ladder ka") == ["kalmar", "kalmar@2024"]
    assert bash("trappa config get org.") == ["org.name", "org.unit", "org.contact",
                                              "org.signatory", "org.logo", "org.letterhead"]


def test_completion_never_creates_a_register(tmp_path: Path) -> None:
    db = tmp_path / "none" / "register.db"
    assert bash("trappa show ", db) == []
    assert bash("trappa letter 2026-0001 ", db)  # the default ladder's kinds, all the same
    assert not db.parent.exists()
    # And without TRAPPA_DB: the default location is only looked at.
    env = {k: v for k, v in os.environ.items() if k != "TRAPPA_DB"}
    result = subprocess.run([sys.executable, "-m", "trappa"], capture_output=True, text=True,
                            env={**env, "_TRAPPA_COMPLETE": "complete_bash",
                                 "COMP_WORDS": "trappa show ", "COMP_CWORD": "2"}, timeout=60)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")
    assert not (tmp_path / "xdg-data").exists()


def test_completion_is_silent_on_a_file_that_is_no_register(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("not a database")
    assert bash("trappa show ", db) == []
    assert bash("trappa done 2026-0001 ", db) == []
    assert db.read_text() == "not a database"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_show_completion_prints_the_shells_script(shell: str) -> None:
    result = run_trappa("--show-completion", shell)
    assert result.returncode == 0, result.stderr
    assert "_TRAPPA_COMPLETE" in result.stdout
    assert f"complete_{shell}" in result.stdout
    assert "trappa" in result.stdout
    # The same script as the shell's own request for it, in either spelling.
    for instruction in (f"source_{shell}", f"{shell}_source"):
        sourced = run_trappa(env={"_TRAPPA_COMPLETE": instruction})
        assert sourced.returncode == 0, sourced.stderr
        assert sourced.stdout.strip() == result.stdout.strip()


def test_show_completion_without_a_shell_uses_this_one() -> None:
    result = run_trappa("--show-completion", env={"SHELL": "/usr/bin/fish"})
    assert result.returncode == 0, result.stderr
    assert "complete_fish" in result.stdout or "complete_bash" in result.stdout


def test_show_completion_of_an_unknown_shell_is_bad_input() -> None:
    result = run_trappa("--show-completion", "tcsh")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == ("error: no completion for the shell 'tcsh'; choose one of bash, zsh,"
                             " fish, powershell, pwsh\n")


def test_install_completion_for_bash_writes_the_script_and_sources_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    result = run_trappa("--install-completion", "bash", env={"HOME": str(home)})
    assert result.returncode == 0, result.stderr
    script = home / ".bash_completions" / "trappa.sh"
    assert result.stdout == (f"bash completion installed in {script}; it takes effect in a new"
                             " shell\n")
    assert "_TRAPPA_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (home / ".bashrc").read_text()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_a_real_bash_completes_case_ids_with_the_script(register: Path) -> None:
    script = run_trappa("--show-completion", "bash").stdout
    program = (f"{script}\nCOMP_WORDS=(trappa show '')\nCOMP_CWORD=2\n"
               "_trappa_completion trappa\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", program],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "TRAPPA_DB": str(register),
                                 "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["2026-0001", "2026-0002"]
