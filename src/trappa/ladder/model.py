"""The ladder file format ``trappa/ladder@1`` as pydantic models.

One set of models serves both a complete ladder and a variant (``extends``): a variant states only
what differs, so fields that a complete ladder must have (a step's ``event`` and ``tier``, a rule's
``title``, ``level`` and ``when``) are optional here, and the loader checks them once the variant
is merged with its bases. Cross-references (activities, parties, letters, levels) are checked by
the loader too, where positions are known. The models exist for validation and the JSON Schema;
commands that run cases work on the resolved ladder as plain data (``trappa.ladder.view``) so that
they need not import pydantic.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from trappa.messages import say

FORMAT = "trappa/ladder@1"

Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="a lower-case key")]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    # Strict, as the JSON Schema is: `level: "3"` and `level: true` are not numbers.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Activity(_Strict):
    """Something to do at a step (aktivitet)."""

    title: Text
    letter: Key | None = Field(None, description="the letter kind that doing this activity sends")
    specific: bool = Field(
        False, description="an organisation-specific activity (specifika aktiviteter): never"
        " shown in a letter to the supplier"
    )
    internal: bool = Field(
        False, description="an internal routine of the organisation: never shown in a letter to"
        " the supplier"
    )
    description: Text | None = None


class Letter(_Strict):
    """A kind of correspondence the ladder calls for."""

    title: Text
    to: Key = Field(description="the party the letter is addressed to")
    subject: Text | None = Field(
        None, description="the letter's subject line, in the ladder's language, as the recipient"
        " reads it (default: the title)"
    )
    addressee: Text | None = Field(
        None, description="whom at the recipient the letter addresses, as it is addressed"
        " (e.g. Verkställande direktören)"
    )
    decision: Literal["block", "terminate"] | None = Field(
        None, description="the letter gives notice of a decision to block or to terminate: it is"
        " refused below the step that calls for it, and a termination needs a recorded sanction"
        " of kind havning or uppsagning"
    )


class Step(_Strict):
    """One step of the ladder. ``event`` and ``tier`` may be left out only in a variant."""

    level: int = Field(ge=0)
    event: Text | None = Field(None, description="the HÄNDELSE column: what leads to this step")
    label: Text | None = Field(None, description="an optional short name of the step")
    tier: Literal["regional", "national"] | None = Field(
        None, description="regional: steps 0-2 (aktiviteter); national: 3-5 (nationell samverkan)"
    )
    activities: list[Key] | None = None
    parties: list[Key] | None = None


class DeviationsCondition(_Strict):
    """At least ``min`` deviations observed in the last ``within_days`` days."""

    min: int = Field(ge=1)
    within_days: int | None = Field(None, ge=1)
    serious: bool = False
    since: Literal["action_plan"] | None = None


class StalledCondition(_Strict):
    """At level ≥ ``level`` for at least ``days`` days, with a deviation observed since."""

    level: int = Field(ge=0)
    days: int = Field(ge=1)


class SanctionsCondition(_Strict):
    min: int = Field(ge=1)


class Conditions(_Strict):
    """All given conditions must hold for the rule to hold."""

    deviations: DeviationsCondition | None = None
    action_plan: Literal["overdue", "not_followed", "no_effect"] | None = None
    stalled: StalledCondition | None = None
    sanctions: SanctionsCondition | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> Conditions:
        if not any(getattr(self, name) is not None for name in type(self).model_fields):
            raise ValueError(say("ladder.rule.no_conditions"))
        return self


class Rule(_Strict):
    """A rule suggests ``level`` when all its conditions hold."""

    id: Key
    title: Text | None = None
    level: int | None = Field(None, ge=0)
    when: Conditions | None = None
    enabled: bool = True


class Ladder(_Strict):
    """A ladder file: the national ladder or a regional variant of it."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,  # as the JSON Schema says: `level: "3"` is text, not a number
        json_schema_extra={"$id": "https://trappa.invalid/schema/ladder-1.json"},
    )

    format: Literal["trappa/ladder@1"]
    id: Key
    version: Text
    title: Text | None = None
    publisher: Text | None = None
    language: Text | None = None
    extends: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*(@[^@\s]+)?$")] | None = None
    terms: dict[str, Text] = {}
    parties: dict[Key, Text] = {}
    activities: dict[Key, Activity] = {}
    letters: dict[Key, Letter] = {}
    sanction_kinds: dict[Key, Text] = Field(
        {}, description="the kinds of sanction a case may record (sanction --kind): code ->"
        " the label letters print"
    )
    steps: list[Step] = []
    rules: list[Rule] = []

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        # `version: 2024` is an integer in YAML; the file name is text, so accept it as text.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a ladder file, for editors (``ladders/schema.json``)."""
    schema = Ladder.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "trappa ladder (format trappa/ladder@1)"
    return schema
