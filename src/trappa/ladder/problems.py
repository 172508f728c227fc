"""Pydantic validation errors of a ladder file as positioned, readable problems.

Each error's ``loc`` is walked through the round-trip tree to a line and column: a ``missing``
key points at the mapping that lacks it, an unknown key at the key itself, anything else at the
offending value. Messages name list items by what they are ("step 3", "rule 'aterkommande'",
"activity 'brev-vd'"), never ``steps.3``, and are chosen by ``err["type"]``, never by pydantic's
message text. An unknown key gets a "did you mean" from the keys the model allows there.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from trappa.errors import Problem
from trappa.ladder.yaml_source import YamlSource
from trappa.messages import say

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

# Top-level sections whose entries are named by their key, and how to name one.
KEYED_SECTIONS = {
    "activities": "ladder.where.activity",
    "letters": "ladder.where.letter",
    "parties": "ladder.where.party",
    "terms": "ladder.where.term",
}


def name_item(section: str, index_or_key: Any, item: Any) -> str:
    """How a message names one entry of a top-level section, e.g. ``step 3``."""
    if section == "steps":
        level = item.get("level") if isinstance(item, dict) else None
        if _is_int(level):
            return say("ladder.where.step", level=level)
        return say("ladder.where.step_at", n=_nth(index_or_key))
    if section == "rules":
        rule_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(rule_id, str) and rule_id:
            return say("ladder.where.rule", id=rule_id)
        return say("ladder.where.rule_at", n=_nth(index_or_key))
    return say(KEYED_SECTIONS[section], key=index_or_key)


def describe_path(data: Any, loc: Sequence[Any]) -> tuple[str, str]:
    """Split ``loc`` into the item it lies in ("step 3") and the field path within it.

    ``("rules", 0, "when", "deviations", "min")`` becomes ``("rule 'x'", "when.deviations.min")``;
    ``("steps", 2, "activities", 1)`` becomes ``("step 2", "activities item 2")``.
    """
    loc = list(loc)
    item = ""
    rest: list[Any] = loc
    if len(loc) >= 2 and loc[0] in ("steps", "rules") and isinstance(loc[1], int):
        entries = data.get(loc[0]) if isinstance(data, dict) else None
        entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
        item, rest = name_item(loc[0], loc[1], entry), loc[2:]
    elif len(loc) >= 2 and loc[0] in KEYED_SECTIONS:
        item, rest = name_item(loc[0], loc[1], None), loc[2:]
    return item, _field_path(rest)


def _field_path(parts: Sequence[Any]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text = say("ladder.where.list_item", field=text, n=part + 1) if text else str(part)
        else:
            text = f"{text}.{part}" if text else str(part)
    return text


def with_place(item: str, field: str, message: str) -> str:
    """``step 3: tier: 'x' is not one of ...`` — the item, the field, then what is wrong."""
    return ": ".join(part for part in (item, field, message) if part)


def schema_problems(source: YamlSource, errors: Iterable[ErrorDetails]) -> list[Problem]:
    """One problem per pydantic error of ``source``'s ladder, duplicates dropped."""
    # A dict keeps the order and finds a repeat at once: a file with 60 000 misspelt keys
    # must not take a quadratic walk through the list.
    problems: dict[Problem, None] = {}
    for err in errors:
        problems.setdefault(_problem(source, err), None)
    return list(problems)


def _problem(source: YamlSource, err: ErrorDetails) -> Problem:
    loc = list(err["loc"])
    kind = err["type"]
    data = source.data
    if kind == "missing":
        parent = loc[:-1]
        item, field = describe_path(data, parent)
        message = say("ladder.schema.missing", key=loc[-1])
        return source.problem(_parent_position(source, parent), with_place(item, field, message))
    if kind == "extra_forbidden":
        parent = loc[:-1]
        item, field = describe_path(data, parent)
        message = say("ladder.schema.unknown_key", key=loc[-1])
        message = did_you_mean(message, str(loc[-1]), allowed_keys(parent))
        position = source.position(loc, key=True)
        return source.problem(position, with_place(item, field, message))
    if loc and loc[-1] == "[key]":
        # A mapping key that is not a valid key: point at the key, name its section.
        loc = loc[:-1]
        item, field = describe_path(data, loc[:-1])
        message = _value_message(kind, err)
        return source.problem(source.position(loc, key=True), with_place(item, field, message))
    if kind == "invalid_key":
        item, field = describe_path(data, loc[:-1])
        message = say("ladder.schema.key_not_text", key=_show(loc[-1]))
        return source.problem(source.position(loc, key=True), with_place(item, field, message))
    item, field = describe_path(data, loc)
    message = _value_message(kind, err, field=loc[-1] if loc else None)
    return source.problem(source.position(loc), with_place(item, field, message))


def _parent_position(source: YamlSource, parent: list[Any]) -> tuple[int, int]:
    if not parent:
        return (1, 1)
    # A mapping that is a key's value is best shown at that key; a list item at the item.
    return source.position(parent, key=not isinstance(parent[-1], int))


def _value_message(kind: str, err: ErrorDetails, *, field: Any = None) -> str:
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        if field == "extends":
            return say("ladder.schema.bad_ref", value=value)
        return say("ladder.schema.bad_key", value=value)
    if kind == "literal_error":
        return say("ladder.schema.not_one_of", value=_show(value), expected=ctx.get("expected"))
    if kind in ("string_too_short", "too_short"):
        return say("ladder.schema.empty")
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        return say("ladder.schema.too_small", limit=limit, value=_show(value))
    if kind == "value_error":
        return str(ctx.get("error") or err.get("msg", ""))
    expected = _EXPECTED.get(kind)
    if expected is not None:
        return say("ladder.schema.expected", expected=say(expected), got=_show(value))
    # A kind we have no words for: pydantic's own sentence, made to fit the house style.
    text = str(err.get("msg", kind))
    return text[:1].lower() + text[1:]


# Wrong-type errors, by pydantic error type, and what the file should have had.
_EXPECTED = {
    "string_type": "ladder.expect.text",
    "string_unicode": "ladder.expect.text",
    "int_type": "ladder.expect.whole_number",
    "int_parsing": "ladder.expect.whole_number",
    "int_from_float": "ladder.expect.whole_number",
    "bool_type": "ladder.expect.boolean",
    "bool_parsing": "ladder.expect.boolean",
    "dict_type": "ladder.expect.mapping",
    "model_type": "ladder.expect.mapping",
    "model_attributes_type": "ladder.expect.mapping",
    "list_type": "ladder.expect.list",
}


def _show(value: Any) -> str:
    """A value as a message shows it: text quoted, containers by kind."""
    if value is None:
        return say("ladder.show.nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return say("ladder.show.mapping")
    if isinstance(value, list | tuple):
        return say("ladder.show.list")
    if isinstance(value, str):
        return f"'{value if len(value) <= 40 else value[:37] + '...'}'"
    return str(value)


def did_you_mean(message: str, wrong: str, candidates: Iterable[str]) -> str:
    """``message`` with "; did you mean 'x'?" when one candidate is close to ``wrong``."""
    close = difflib.get_close_matches(wrong, list(candidates), n=1, cutoff=0.6)
    return say("ladder.did_you_mean", message=message, suggestion=close[0]) if close else message


def allowed_keys(loc: Sequence[Any]) -> list[str]:
    """The keys the model allows in the mapping at ``loc`` (empty when it is not a model)."""
    from pydantic import BaseModel

    from trappa.ladder.model import Ladder

    annotation: Any = Ladder
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return []
            annotation = field.annotation
        elif typing.get_origin(annotation) is list:
            annotation = typing.get_args(annotation)[0]
        elif typing.get_origin(annotation) is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """``X | None`` and ``Annotated[X, ...]`` as ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _nth(index: Any) -> Any:
    return index + 1 if isinstance(index, int) else index
