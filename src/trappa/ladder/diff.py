"""What differs between two resolved ladders, step by step (``trappa ladder diff``).

Works on resolved ladder data (``ResolvedLadder.data``), so a variant is compared as it runs.
The JSON form (``LadderDiff.to_json``) is stable; keys may be added, never renamed::

    {
      "a": "regionerna@2024-04-01", "b": "kalmar@2024",
      "same": false,
      "ladder": {"title": {"a": "...", "b": "..."}},          # changed top-level fields
      "steps": [Change, ...],        # key: the level (a number)
      "rules": [Change, ...],        # key: the rule id
      "terms": [...], "parties": [...], "activities": [...], "letters": [...]   # key: the key
    }

    Change = {
      "key": 3, "status": "added" | "removed" | "changed",
      "a": <the entry in a, or null>, "b": <the entry in b, or null>,
      "fields": {                    # for "changed" entries that are mappings: what changed
        "event": {"a": "...", "b": "..."},
        "activities": {"a": [...], "b": [...], "added": [...], "removed": [...]}
      }
    }

Only entries that differ are listed; steps in level order, everything else in b's order with
removed entries last. List fields get ``added``/``removed``; a list that only changed order has
both empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SECTIONS = ("steps", "rules", "terms", "parties", "activities", "letters")
LADDER_FIELDS = ("title", "publisher", "language", "extends")


@dataclass
class Change:
    key: Any
    status: str  # added | removed | changed
    a: Any = None
    b: Any = None
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "status": self.status, "a": self.a, "b": self.b,
                "fields": self.fields}


@dataclass
class LadderDiff:
    a: str
    b: str
    ladder: dict[str, dict[str, Any]] = field(default_factory=dict)
    sections: dict[str, list[Change]] = field(default_factory=dict)

    @property
    def same(self) -> bool:
        return not self.ladder and not any(self.sections.values())

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"a": self.a, "b": self.b, "same": self.same, "ladder": self.ladder}
        for name in SECTIONS:
            data[name] = [change.to_json() for change in self.sections.get(name, [])]
        return data


def diff(a_ref: str, a: dict[str, Any], b_ref: str, b: dict[str, Any]) -> LadderDiff:
    """The differences from ladder data ``a`` to ladder data ``b``."""
    result = LadderDiff(a=a_ref, b=b_ref)
    for name in LADDER_FIELDS:
        if a.get(name) != b.get(name):
            result.ladder[name] = {"a": a.get(name), "b": b.get(name)}
    steps_a = {step["level"]: step for step in a.get("steps", [])}
    steps_b = {step["level"]: step for step in b.get("steps", [])}
    result.sections["steps"] = sorted(_changes(steps_a, steps_b), key=lambda c: c.key)
    rules_a = {rule["id"]: rule for rule in a.get("rules", [])}
    rules_b = {rule["id"]: rule for rule in b.get("rules", [])}
    result.sections["rules"] = _changes(rules_a, rules_b)
    for name in ("terms", "parties", "activities", "letters"):
        result.sections[name] = _changes(a.get(name, {}), b.get(name, {}))
    return result


def _changes(a: dict[Any, Any], b: dict[Any, Any]) -> list[Change]:
    changes = []
    for key, new in b.items():
        if key not in a:
            changes.append(Change(key, "added", None, new))
        elif a[key] != new:
            changes.append(Change(key, "changed", a[key], new, _fields(a[key], new)))
    changes.extend(Change(key, "removed", old, None) for key, old in a.items() if key not in b)
    return changes


def _fields(a: Any, b: Any) -> dict[str, dict[str, Any]]:
    if not (isinstance(a, dict) and isinstance(b, dict)):
        return {}
    fields: dict[str, dict[str, Any]] = {}
    for name in [*a, *(key for key in b if key not in a)]:
        old, new = a.get(name), b.get(name)
        if old == new:
            continue
        entry: dict[str, Any] = {"a": old, "b": new}
        if isinstance(old, list) and isinstance(new, list):
            entry["added"] = [item for item in new if item not in old]
            entry["removed"] = [item for item in old if item not in new]
        fields[name] = entry
    return fields
