"""A resolved, validated ladder as plain data, for the commands that run cases.

The loader validates a ladder with pydantic and resolves its ``extends`` chain; what it hands on is
the resolved ladder as a JSON-ready dict (disabled rules dropped). Case commands read that dict
(cached in the database beside its sha256) through this view, so they never parse YAML or import
pydantic.
"""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from typing import Any, cast

# The kinds of sanction of the bundled ladders, for a ladder that declares none (Swedish domain
# content, as the ladders' own): the codes issue their meaning to other commands (havning and
# uppsagning end a contract).
DEFAULT_SANCTION_KINDS = (
    ("vite", "Vite"),
    ("avdrag", "Prisavdrag"),
    ("havning", "Hävning av avtalet"),
    ("uppsagning", "Uppsägning av avtalet"),
    ("skadestand", "Skadestånd"),
    ("annan", "Annan sanktion enligt avtalet"),
)
# The codes that end the contract: a termination letter needs a sanction of one of them.
TERMINATION_KINDS = ("havning", "uppsagning")


def canonical_json(data: Any) -> str:
    """JSON with sorted keys and no insignificant whitespace: the form that is hashed."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class LadderView:
    """Read-only access to a resolved ladder dict.

    The dict's shape was checked by the ladder model (``trappa.ladder.model``) when the ladder
    was loaded, so the ``cast``s below state types that hold rather than check them again.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @classmethod
    def from_json(cls, text: str) -> LadderView:
        return cls(json.loads(text))

    def to_json(self) -> str:
        return self._json

    @cached_property
    def _json(self) -> str:
        # Once per view, as ``sha256``: opening each of an import's thousand cases stores the
        # ladder it runs under, and the view is read-only.
        return canonical_json(self.data)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    @property
    def id(self) -> str:
        return cast(str, self.data["id"])

    @property
    def version(self) -> str:
        return cast(str, self.data["version"])

    @property
    def ref(self) -> str:
        """``id@version``, the way cases and users name a ladder."""
        return f"{self.id}@{self.version}"

    @property
    def title(self) -> str:
        return self.data.get("title") or self.ref

    @property
    def language(self) -> str:
        return self.data.get("language") or "sv"

    @cached_property
    def _steps(self) -> dict[int, dict[str, Any]]:
        return {step["level"]: step for step in self.data["steps"]}

    @property
    def levels(self) -> list[int]:
        return sorted(self._steps)

    @property
    def top_level(self) -> int:
        return max(self._steps)

    def step(self, level: int) -> dict[str, Any]:
        return self._steps[level]

    def has_level(self, level: int) -> bool:
        return level in self._steps

    @property
    def activities(self) -> dict[str, dict[str, Any]]:
        return cast("dict[str, dict[str, Any]]", self.data.get("activities", {}))

    @property
    def letters(self) -> dict[str, dict[str, Any]]:
        return cast("dict[str, dict[str, Any]]", self.data.get("letters", {}))

    @property
    def parties(self) -> dict[str, str]:
        return cast("dict[str, str]", self.data.get("parties", {}))

    @property
    def terms(self) -> dict[str, str]:
        return cast("dict[str, str]", self.data.get("terms", {}))

    @property
    def rules(self) -> list[dict[str, Any]]:
        return [rule for rule in self.data.get("rules", []) if rule.get("enabled", True)]

    @property
    def risk_matrix(self) -> dict[str, Any]:
        """The ladder's risk matrix, or trappa's default (marked ``default: true``)."""
        from trappa.ladder.risk import DEFAULT_RISK_MATRIX

        return cast("dict[str, Any]", self.data.get("risk_matrix") or DEFAULT_RISK_MATRIX)

    def flagged_activities(self, flag: str) -> list[str]:
        """The keys of the activities marked ``flag: true`` (``assesses_risk``, ``blocks``)."""
        return [key for key, activity in self.activities.items() if activity.get(flag)]

    @property
    def sanction_kinds(self) -> dict[str, str]:
        """The sanction kinds cases under this ladder record: code -> label. A ladder that
        declares none has the bundled ladders' six."""
        declared = cast("dict[str, str]", self.data.get("sanction_kinds") or {})
        return declared or dict(DEFAULT_SANCTION_KINDS)

    def sanction_label(self, kind: str) -> str:
        """How a letter names a recorded sanction kind: the ladder's label for a code, else (a
        kind recorded as free text before kinds were codes) the text itself."""
        return self.sanction_kinds.get(kind, kind)

    def step_letters(self, level: int) -> list[str]:
        """The letter kinds that the activities of step ``level`` send, in activity order."""
        kinds = []
        for key in self.step(level).get("activities") or []:
            kind = self.activities[key].get("letter")
            if kind and kind not in kinds:
                kinds.append(kind)
        return kinds
