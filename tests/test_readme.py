"""The shell examples of the README and of docs/*.md run as written, on a fresh database, today.

Every fenced block tagged ``sh`` (or ``bash``, ``shell``) is run, one shell per block so that an
``export`` carries to the commands after it, in a fresh folder with a fresh ``TRAPPA_DB`` and
without the ``TRAPPA_TODAY`` the other tests fix: an example that needs a date says so itself.
Each command must exit 0, and one that asks for ``--json`` must print JSON. A block that is not
meant to run (``make test`` would run this very test) says why on the line above its fence:
``<!-- not run: REASON -->``. Output belongs in ``console`` or ``text`` blocks, which are not run.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SHELLS = {"sh", "bash", "shell"}
NOT_RUN = re.compile(r"^<!--\s*not run:(?P<reason>.*?)-->$")
FENCE = re.compile(r"^(?P<fence>```+|~~~+)(?P<lang>[^`\s]*)")
# What an example may start a command with. A block of other commands (make, pip) is marked
# not run, so that this test never starts the test suite again or installs anything.
RUNNABLE = {"trappa", "export"}
TRAPPA_BIN = Path(sys.executable).parent  # where the venv's `trappa` lives


@dataclass(frozen=True)
class Block:
    """A fenced code block: where it starts, its language tag, its text, and why it is not run
    (``None`` when it is)."""

    path: Path
    line: int
    lang: str
    text: str
    not_run: str | None

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(REPO).as_posix()}:{self.line}"


@dataclass(frozen=True)
class Ran:
    """One command of an example and what it did."""

    command: str
    returncode: int
    stdout: str
    stderr: str


def fenced_blocks(path: Path, text: str | None = None) -> list[Block]:
    """Every fenced code block of a Markdown file, in order."""
    lines = (path.read_text(encoding="utf-8") if text is None else text).splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence = opening["fence"]
        end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith(fence)), None)
        assert end is not None, f"{path}:{i + 1}: a code block that never closes"
        above = lines[i - 1].strip() if i > 0 else ""
        marker = NOT_RUN.match(above)
        blocks.append(Block(
            path=path, line=i + 1, lang=opening["lang"], text="\n".join(lines[i + 1 : end]),
            not_run=marker["reason"].strip() if marker else None,
        ))
        i = end + 1
    return blocks


def commands(block: Block) -> list[str]:
    """The block's commands: a line and the lines it continues onto with a trailing backslash;
    blank lines and comment lines are left out."""
    found: list[str] = []
    current: list[str] = []
    for line in block.text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current.append(line)
        if not line.endswith("\\"):
            found.append("\n".join(current))
            current = []
    assert not current, f"{block.where}: the last command ends in a backslash"
    return found


def run_example(block: Block, folder: Path) -> list[Ran]:
    """Run the block's commands in one shell in ``folder``, each with its own output, stopping
    after the first that fails."""
    assert (TRAPPA_BIN / "trappa").is_file(), f"no trappa beside {sys.executable}: pip install -e ."
    folder.mkdir(parents=True, exist_ok=True)
    script = ["set -u"]
    for n, command in enumerate(commands(block)):
        # The command in a group of its own lines, so that a trailing comment ends at its line.
        script += ["{", command, f"}} >{n}.out 2>{n}.err", f"echo $? >{n}.rc",
                   f'[ "$(cat {n}.rc)" = 0 ] || exit 0']
    env = {key: value for key, value in os.environ.items() if key != "TRAPPA_TODAY"}
    env["TRAPPA_DB"] = str(folder / "trappa.db")
    env["PATH"] = f"{TRAPPA_BIN}{os.pathsep}{env.get('PATH', '')}"
    subprocess.run(["bash", "-c", "\n".join(script)], cwd=folder, env=env, check=True,
                   timeout=300)
    ran = []
    for n, command in enumerate(commands(block)):
        if not (folder / f"{n}.rc").exists():
            break
        ran.append(Ran(command, int((folder / f"{n}.rc").read_text()),
                       (folder / f"{n}.out").read_text(encoding="utf-8"),
                       (folder / f"{n}.err").read_text(encoding="utf-8")))
    return ran


def problems(block: Block, folder: Path) -> list[str]:
    """What is wrong with an example, as messages naming the block and the command."""
    found = []
    for command in commands(block):
        first = shlex.split(command, comments=True)[:1]
        if first and first[0] not in RUNNABLE:
            found.append(f"{block.where}: `{first[0]}` is not a trappa command; "
                         "mark the block `<!-- not run: REASON -->` or show it as `console`")
    if found:
        return found
    ran = run_example(block, folder)
    for result in ran:
        if result.returncode != 0:
            found.append(f"{block.where}: exit {result.returncode} from\n{result.command}\n"
                         f"{result.stderr}")
        elif "--json" in shlex.split(result.command, comments=True) and "|" not in result.command:
            try:
                json.loads(result.stdout)
            except ValueError:
                found.append(f"{block.where}: `--json` printed no JSON:\n{result.command}\n"
                             f"{result.stdout[:500]}")
    if not found and len(ran) != len(commands(block)):
        found.append(f"{block.where}: the shell stopped after {len(ran)} commands")
    return found


ALL_BLOCKS = [block for path in DOCUMENTS for block in fenced_blocks(path)]
EXAMPLES = [block for block in ALL_BLOCKS if block.lang in SHELLS and block.not_run is None]


@pytest.mark.parametrize("block", EXAMPLES, ids=lambda block: block.where)
def test_the_example_runs_as_written(block: Block, tmp_path: Path) -> None:
    found = problems(block, tmp_path / "work")
    assert not found, "\n\n".join(found)


def test_the_readme_has_examples_to_run() -> None:
    assert [block.where for block in EXAMPLES if block.path.name == "README.md"]


def test_every_block_has_a_language_and_every_not_run_a_reason() -> None:
    untagged = [block.where for block in ALL_BLOCKS if not block.lang]
    assert untagged == [], "tag each block: sh (run), console or text (output), yaml, ..."
    silent = [block.where for block in ALL_BLOCKS if block.not_run == ""]
    assert silent == [], "say why the block is not run"
    marked_output = [block.where for block in ALL_BLOCKS
                     if block.not_run is not None and block.lang not in SHELLS]
    assert marked_output == [], "only shell blocks are run; the others need no marker"


# --- the test itself catches a broken example --------------------------------------------------


def example(text: str) -> Block:
    return fenced_blocks(REPO / "README.md", f"```sh\n{text}\n```")[0]


def test_a_refused_command_fails_the_example(tmp_path: Path) -> None:
    block = example('trappa report --supplier "A AB" --description "x"\n'
                    "trappa escalate 2026-0001   # one deviation does not call for step 1\n"
                    "trappa status")
    [message] = problems(block, tmp_path)
    assert "exit 1 from\ntrappa escalate 2026-0001" in message
    assert not (tmp_path / "2.rc").exists(), "the commands after a failure are not run"


def test_a_date_in_the_past_fails_unless_the_example_fixes_today(tmp_path: Path) -> None:
    plan = 'trappa plan {case} --due 2026-03-01 --item "Bekräfta pass"'
    fixed = ("export TRAPPA_TODAY=2026-02-15\n"
             'trappa report --supplier "A AB" --description "x" --observed 2026-02-01\n'
             + plan.format(case="2026-0001"))
    assert problems(example(fixed), tmp_path / "fixed") == []
    # At the real date (after 2026-03-01) the same plan's due date lies in the past.
    today = 'trappa report --supplier "A AB" --description "x"\n' + plan.format(
        case='"$(date +%Y)-0001"')
    [message] = problems(example(today), tmp_path / "today")
    assert "exit 2 from\ntrappa plan" in message


def test_a_json_example_must_print_json(tmp_path: Path) -> None:
    [message] = problems(example("trappa ladder list --json --help"), tmp_path)
    assert "`--json` printed no JSON" in message


def test_a_command_other_than_trappa_must_be_marked(tmp_path: Path) -> None:
    [message] = problems(example("make test"), tmp_path)
    assert "`make` is not a trappa command" in message
    blocks = fenced_blocks(REPO / "README.md",
                           "<!-- not run: it runs the tests -->\n```sh\nmake test\n```\n")
    assert [block.not_run for block in blocks] == ["it runs the tests"]
