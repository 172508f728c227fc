"""docs/ladders.md cannot drift: its examples load as it says, its tables match the ladders.

A newcomer writes a variant from this guide alone, so the worked example must validate, the
error output it shows must be what trappa prints, and the tables of bundled letters and default
rules must be the bundled ladder's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, run_trappa
from trappa.ladder.loading import load_ladder
from trappa.ladder.view import LadderView

GUIDE = (REPO / "docs" / "ladders.md").read_text(encoding="utf-8")

# The four mistakes the guide's section "What an error looks like" describes, as edits of the
# worked example: (correct text, mistaken text).
MISTAKES = [
    ("    activities: [bevakning, riskbedomning, dialog, registrera]",
     "    activites: [bevakning, riskbedomning, dialog, registrera]"),
    ("brev-vd, affarsmote, platsbesok]", "brev-vd, affarsmote, platbesok]"),
    ("{min: 3, within_days: 365}", "{min: 3, within_day: 365}"),
    ("    level: 3\n    when:\n      sanctions", "    level: 6\n    when:\n      sanctions"),
]


def _section(title: str) -> str:
    start = GUIDE.index(f"\n## {title}\n")
    end = GUIDE.find("\n## ", start + 1)
    return GUIDE[start : end if end != -1 else None]


def _blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def _table(text: str, header: str) -> list[list[str]]:
    """The rows of the Markdown table whose header row starts with ``header``."""
    lines = text[text.index(header) :].splitlines()
    rows = []
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("`") for cell in line.strip("|").split("|")])
    return rows


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "exempel" / "2025.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def worked_example() -> str:
    (block,) = _blocks(_section("Worked example"), "yaml")
    return block


@pytest.fixture(scope="module")
def national() -> LadderView:
    return load_ladder("regionerna@2024-04-01").view()


def test_starting_file_is_a_valid_variant(tmp_path: Path, national: LadderView) -> None:
    (block,) = _blocks(_section("A variant in five minutes"), "yaml")
    view = load_ladder(str(_write(tmp_path, block))).view()
    assert view.ref == "exempel@2025"
    assert view.data["steps"] == national.data["steps"]
    assert view.rules == national.rules


def test_worked_example_does_what_the_guide_says(
    tmp_path: Path, worked_example: str, national: LadderView
) -> None:
    view = load_ladder(str(_write(tmp_path, worked_example))).view()
    assert view.parties["avtalsansvarig"] == "Avtalsansvarig på Inköpsenheten"
    assert view.step(0)["activities"] == ["bevakning", "riskbedomning", "dialog", "registrera"]
    assert view.step(3)["activities"][-1] == "platsbesok"
    assert view.activities["platsbesok"]["specific"] is True
    for level in (0, 1, 3):
        assert view.step(level)["event"] == national.step(level)["event"]
        assert view.step(level)["parties"] == national.step(level)["parties"]
    for level in (2, 4, 5):
        assert view.step(level) == national.step(level)
    rules = {rule["id"]: rule for rule in view.rules}
    assert rules["aterkommande-avvikelser"]["title"] == "Återkommande avvikelser"
    assert rules["aterkommande-avvikelser"]["level"] == 1
    assert rules["aterkommande-avvikelser"]["when"]["deviations"]["min"] == 3
    assert "handlingsplan-forsenad" not in rules
    assert rules["upprepade-sanktioner"]["when"] == {"sanctions": {"min": 2}}


def test_shown_summary_line_is_what_validate_prints(tmp_path: Path, worked_example: str) -> None:
    _write(tmp_path, worked_example)
    console = _blocks(_section("Checking your file"), "console")[0].splitlines()
    assert console[0] == "$ trappa validate exempel/2025.yaml"
    result = run_trappa("validate", "exempel/2025.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == console[1:]


def test_shown_errors_are_what_validate_prints(tmp_path: Path, worked_example: str) -> None:
    broken = worked_example
    for correct, mistaken in MISTAKES:
        assert broken.count(correct) == 1, correct
        broken = broken.replace(correct, mistaken)
    _write(tmp_path, broken)
    (shown,) = _blocks(_section("What an error looks like"), "text")
    result = run_trappa("validate", "exempel/2025.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == shown


def test_letter_table_is_the_national_ladders(national: LadderView) -> None:
    rows = _table(GUIDE, "| letter | sent by the activity | step | to |")
    expected = []
    for kind, letter in national.letters.items():
        senders = [key for key, activity in national.activities.items()
                   if activity.get("letter") == kind]
        levels = [level for level in national.levels
                  if set(senders) & set(national.step(level)["activities"])]
        step = str(levels[0]) if len(levels) == 1 else f"{levels[0]}-{levels[-1]}"
        (sender,) = senders
        expected.append([kind, national.activities[sender]["title"], step, letter["to"]])
    assert rows == expected


def test_rules_table_is_the_national_defaults(national: LadderView) -> None:
    rows = _table(GUIDE, "| rule | level | when |")
    assert [(rule_id, int(level)) for rule_id, level, _ in rows] == [
        (rule["id"], rule["level"]) for rule in national.rules
    ]


def test_listed_national_parties_are_the_ladders(national: LadderView) -> None:
    section = _section("The format, key by key")
    listed = section[section.index("The national ladder has") : section.index("A letter is")]
    assert re.findall(r"`([a-z-]+)`", listed) == list(national.parties)
