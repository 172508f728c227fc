"""Checks that need the whole (merged) ladder: levels, cross-references, completeness, place.

They run on the ladder after ``extends`` is resolved, because a variant may refer to a base's
activity or complete a base's step; each problem points at the file and line that caused it
(``merge.Origins``), which for anything a variant states is the variant's own file. The data may
be partly invalid (schema problems are reported beside these), so every access checks its shape
and items that are not of the right shape are left to the schema's messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from trappa.errors import Problem
from trappa.ladder.merge import Duplicate, Merged
from trappa.ladder.problems import did_you_mean, name_item, with_place
from trappa.ladder.yaml_source import YamlSource
from trappa.messages import say

STEP_REQUIRED = ("event", "tier", "activities", "parties")
RULE_REQUIRED = ("title", "level", "when")

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
# A file name that reads as a version: a year or a date, as trappa's own ladders are named.
VERSION_LIKE = re.compile(r"\d[0-9A-Za-z.-]*")


def check_merged(merged: Merged) -> list[Problem]:
    """Every problem of the merged ladder: duplicates, levels, completeness, references."""
    checker = _Checker(merged)
    checker.duplicates()
    levels = checker.levels()
    checker.steps()
    checker.activities_and_letters()
    checker.rules(levels)
    return checker.problems


class _Checker:
    def __init__(self, merged: Merged) -> None:
        self.merged = merged
        self.data = merged.data
        self.problems: list[Problem] = []

    def add(self, path: Iterable[Any], message: str, *, key: bool = False) -> None:
        source, line, column = self.merged.origins.locate(tuple(path), key=key)
        self.problems.append(Problem(source.name, line, column, message))

    def add_raw(self, source: YamlSource, raw: tuple[Any, ...], message: str) -> None:
        self.problems.append(source.problem(source.position(raw), message))

    def mapping(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        return value if isinstance(value, dict) else {}

    def duplicates(self) -> None:
        for dup in self.merged.duplicates:
            key = "ladder.step.twice" if dup.what == "step" else "ladder.rule.twice"
            self.add_raw(dup.source, dup.raw_path, say(key, key=dup.key, line=dup.first_line))
            if dup.what == "step" and isinstance(dup.item, dict):
                self._duplicate_step(dup)
        for rule_id, source, raw, known in self.merged.disables_nothing:
            message = say("ladder.rule.disables_nothing")
            message = did_you_mean(message, rule_id, known)
            self.add_raw(source, raw, with_place(say("ladder.where.rule", id=rule_id), "", message))

    def levels(self) -> list[int] | None:
        """The ladder's levels, or None when they cannot be trusted (schema problems there)."""
        if not self.merged.levels_reliable:
            return None
        levels = [step["level"] for step in self.data["steps"]]
        if not levels:
            self.add(("steps",), say("ladder.steps.none"), key=True)
            return None
        missing = sorted(set(range(max(levels) + 1)) - set(levels))
        if missing:
            after = next(level for level in levels if level > missing[0])
            text = ", ".join(str(level) for level in missing)
            self.add(("steps", after, "level"), say("ladder.steps.gap", missing=text))
        return levels

    def steps(self) -> None:
        activities = self.mapping("activities")
        parties = self.mapping("parties")
        for step in self.data["steps"]:
            level = step["level"]
            where = name_item("steps", level, step)
            absent = [key for key in STEP_REQUIRED if step.get(key) is None]
            if absent and ("steps", level) not in self.merged.damaged:
                message = say("ladder.step.incomplete", keys=_quoted(absent))
                self.add(("steps", level), with_place(where, "", message))
            for name, index, message in self._step_references(step, activities, parties):
                self.add(("steps", level, name, index), with_place(where, "", message))

    def _duplicate_step(self, dup: Duplicate) -> None:
        """A step given twice is not merged, but its references are checked all the same."""
        step, (_, raw_index, _) = dup.item, dup.raw_path
        where = name_item("steps", dup.key, step)
        found = self._step_references(step, self.mapping("activities"), self.mapping("parties"))
        for name, index, message in found:
            self.add_raw(dup.source, ("steps", raw_index, name, index),
                         with_place(where, "", message))

    def _step_references(self, step: dict[str, Any], activities: dict[str, Any],
                         parties: dict[str, Any]) -> list[tuple[str, int, str]]:
        """(field, list index, message) for each unknown or repeated reference of ``step``."""
        found = [("activities", index, message) for index, message in self._references(
            step.get("activities"), activities, "ladder.ref.activity")]
        found += [("parties", index, message) for index, message in self._references(
            step.get("parties"), parties, "ladder.ref.party")]
        return found

    def _references(self, listed: Any, known: dict[str, Any],
                    message_key: str) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        if not isinstance(listed, list):
            return found
        seen: set[str] = set()
        for index, key in enumerate(listed):
            if not isinstance(key, str):
                continue
            if key in seen:
                message = say("ladder.ref.twice", key=key)
            elif key not in known:
                message = did_you_mean(say(message_key, key=key), key, known)
            else:
                seen.add(key)
                continue
            seen.add(key)
            found.append((index, message))
        return found

    def activities_and_letters(self) -> None:
        letters = self.mapping("letters")
        parties = self.mapping("parties")
        for key, activity in self.mapping("activities").items():
            letter = activity.get("letter") if isinstance(activity, dict) else None
            if isinstance(letter, str) and letter not in letters:
                message = did_you_mean(say("ladder.ref.letter", key=letter), letter, letters)
                where = name_item("activities", key, activity)
                self.add(("activities", key, "letter"), with_place(where, "letter", message))
        for key, letter in letters.items():
            to = letter.get("to") if isinstance(letter, dict) else None
            if isinstance(to, str) and to not in parties:
                message = did_you_mean(say("ladder.ref.party", key=to), to, parties)
                where = name_item("letters", key, letter)
                self.add(("letters", key, "to"), with_place(where, "to", message))

    def rules(self, levels: list[int] | None) -> None:
        for rule in self.data["rules"]:
            if rule.get("enabled", True) is False:
                continue
            rule_id = rule["id"]
            where = name_item("rules", rule_id, rule)
            absent = [key for key in RULE_REQUIRED if rule.get(key) is None]
            if absent and ("rules", rule_id) not in self.merged.damaged:
                message = say("ladder.rule.incomplete", keys=_quoted(absent))
                self.add(("rules", rule_id), with_place(where, "", message))
            if levels is None:
                continue
            self._level(("rules", rule_id, "level"), where, "level", rule.get("level"), levels)
            when = rule.get("when")
            stalled = when.get("stalled") if isinstance(when, dict) else None
            if isinstance(stalled, dict):
                self._level(("rules", rule_id, "when", "stalled", "level"), where,
                            "when.stalled.level", stalled.get("level"), levels)

    def _level(self, path: tuple[Any, ...], where: str, field: str, level: Any,
               levels: list[int]) -> None:
        if isinstance(level, int) and not isinstance(level, bool) and level not in levels:
            message = say("ladder.ref.level", level=level, top=max(levels))
            self.add(path, with_place(where, field, message))


def place_of(path: Path) -> tuple[str, str] | None:
    """The id and version that a file's place says, when it lies in a ladders folder.

    A file ``<folder>/<name>.yaml`` lies in a ladders folder when ``<folder>`` is a valid id and
    ``<name>`` reads as a version (starts with a digit: ``2024``, ``2024-04-01``). Then its
    ``id`` must be ``<folder>`` and its ``version`` must be ``<name>``. A file elsewhere
    (``my-draft.yaml``, ``drafts/kalmar.yaml``) may carry any id and version.
    """
    folder, stem = path.parent.name, path.stem
    if _ID.fullmatch(folder) and VERSION_LIKE.fullmatch(stem):
        return folder, stem
    return None


def check_place(
    source: YamlSource, data: dict[str, Any], expected: tuple[str, str]
) -> list[Problem]:
    """Problems where the file's ``id`` or ``version`` differs from what its place says."""
    folder, stem = expected
    problems = []
    ladder_id, version = data.get("id"), data.get("version")
    if isinstance(ladder_id, str) and ladder_id != folder:
        message = say("ladder.place.id", value=ladder_id, folder=folder)
        problems.append(source.problem(source.position(("id",)), message))
    if isinstance(version, str | int) and not isinstance(version, bool) and str(version) != stem:
        message = say("ladder.place.version", value=version, name=source.path.name)
        problems.append(source.problem(source.position(("version",)), message))
    return problems


def _quoted(keys: list[str]) -> str:
    return ", ".join(f"'{key}'" for key in keys)
