"""In Swedish, trappa says nothing in English: the demo story and every command's --help.

The story is scripts/demo.sh's own commands, read from the script, run with TRAPPA_LANG=sv. A
line fails the check when it holds a piece of an English message id (a run of words between its
fields that its Swedish translation does not also hold) or a common English word.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import REPO, run_trappa
from trappa.cli import COMMANDS

LOCALE = REPO / "src" / "trappa" / "locale"
SV = {"TRAPPA_LANG": "sv"}

# Words that are English and not Swedish: none of them belongs in a Swedish line.
ENGLISH_WORDS = {
    "the", "of", "is", "are", "and", "not", "with", "has", "was", "by", "for", "this", "that",
    "which", "from", "case", "cases", "level", "rule", "rules", "deviation", "deviations",
    "supplier", "contract", "letter", "letters", "due", "sent", "recorded", "holds", "yes",
    "show", "print", "write", "missing", "error", "usage", "options", "commands", "arguments",
    "default", "required", "none", "no", "must", "give", "events", "problems", "open", "closed",
    "red", "yellow", "green", "reported", "escalated",
}


def _pieces() -> set[str]:
    """Runs of English words from the message ids, that their Swedish translations lack."""
    with (LOCALE / "sv" / "LC_MESSAGES" / "trappa.po").open("rb") as f:
        catalog = read_po(f)
    pieces = set()
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for text in ids:
            for piece in re.split(r"\{[^}]*\}", text):
                piece = piece.strip(" :;,.()'\"")
                if len(re.findall(r"[a-z]{2,}", piece)) >= 2 and not any(
                    piece in s for s in strings
                ):
                    pieces.add(piece)
    return pieces


# Names that stay English in every language: commands and JSON keys (quoted in help texts).
NAMES = {*COMMANDS, "list", "show", "diff", "schema", "init", "set", "get"}


# Values a person types (--kind deviation), which help texts name as they are typed.
VALUES = {"deviation", "incident", "risk", "followed", "not_followed", "no_effect",
          # the tables `trappa export TABLE` takes
          "cases", "deviations", "events", "sanctions", "plans", "letters", "contracts", "ocds"}


def _english(text: str, pieces: set[str], names: set[str] = NAMES) -> list[str]:
    found = []
    for line in text.splitlines():
        bare = re.sub(r'"[^"]*"', "", line)
        words = {w.lower() for w in re.findall(r"(?<![-\w.])[A-Za-z]+(?![-\w.])", bare)}
        if (words - names) & ENGLISH_WORDS or any(piece in line for piece in pieces):
            found.append(line)
    return found


def _story(workdir: Path) -> list[tuple[str | None, list[str]]]:
    """scripts/demo.sh's trappa commands, each with the TRAPPA_TODAY it runs on."""
    script = (REPO / "scripts" / "demo.sh").read_text(encoding="utf-8")
    script = re.sub(r"\\\n\s*", " ", script)
    today: str | None = None
    supplier: list[str] = []
    story = []
    for line in script.splitlines():
        line = line.strip().split(" | ")[0].replace('"$workdir', f'"{workdir}')
        if line.startswith("on "):
            today = line.split()[1]
        elif line.startswith("S=("):
            supplier = shlex.split(line[3:line.rindex(")")])
        elif line.startswith("for n in "):
            numbers, command = re.fullmatch(r"for n in ([\d ]+); do (.*); done", line).groups()
            for n in numbers.split():
                story.append((today, shlex.split(command.replace('"$n"', n))[1:]))
        elif line.startswith("trappa "):
            args = shlex.split(line)[1:]
            at = args.index("${S[@]}") if "${S[@]}" in args else None
            if at is not None:
                args[at:at + 1] = supplier
            story.append((today, args))
    return story


def test_the_demo_story_in_swedish_says_nothing_in_english(tmp_path: Path) -> None:
    pieces = _pieces()
    story = _story(tmp_path)
    assert len(story) > 30  # the script's shape still read right
    env = {**SV, "TRAPPA_DB": str(tmp_path / "demo.db"), "TRAPPA_USER": "karin.avtal"}
    english = []
    for today, args in story:
        result = run_trappa(*args, env={**env, "TRAPPA_TODAY": today or "2026-02-01"})
        assert result.returncode == 0, (args, result.stderr)
        if args[0] == "letter" and "--list" not in args:
            continue  # the letter itself: its template's words (Swedish), not the interface's
        output = result.stdout + result.stderr
        if args[:2] == ["ladder", "diff"]:
            # Its "field" column names keys of the ladder file, the same in every language.
            output = "\n".join("│".join(cell for i, cell in enumerate(line.split("│")) if i != 3)
                               for line in output.splitlines())
        english += [f"{' '.join(args[:2])}: {line}" for line in _english(output, pieces)]
    assert english == []


def test_the_check_finds_english(tmp_path: Path) -> None:
    """The check above is not blind: the same commands in English fail it."""
    pieces = _pieces()
    result = run_trappa("review", env={"TRAPPA_LANG": "en"})
    assert _english(result.stdout + result.stderr, pieces)
    result = run_trappa("show", "2026-0001", env={"TRAPPA_LANG": "en"})
    assert _english(result.stderr, pieces)


def _commands() -> list[list[str]]:
    groups = {"ladder": ["list", "show", "diff", "schema"], "key": ["init", "show"],
              "config": ["set", "get", "list"]}
    commands: list[list[str]] = [[]]
    for name in COMMANDS:
        commands.append([name])
        commands += [[name, sub] for sub in groups.get(name, [])]
    return commands


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "trappa")
def test_help_in_swedish(command: list[str]) -> None:
    result = run_trappa(*command, "--help", env=SV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Användning: trappa")
    assert "Flaggor:" in result.stdout
    assert _english(result.stdout, _pieces(), NAMES | VALUES) == []


@pytest.mark.parametrize("args", [["show"], ["report", "--bogus"], ["escalate", "x", "--to", "y"]])
def test_usage_errors_in_swedish(args: list[str]) -> None:
    result = run_trappa(*args, env=SV)
    assert result.returncode == 2
    assert "Fel: " in result.stderr and "Användning: trappa" in result.stderr
    assert _english(result.stderr, _pieces()) == []
