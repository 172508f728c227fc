"""Merging a variant with its bases (``extends``), remembering where every value came from.

The merge rules (DESIGN.md, "Variants"), with the choices the design leaves open:

* Scalars (``title``, ``publisher``, ``language``, …) are replaced when the variant gives them;
  ``id``, ``version`` and ``extends`` are always the variant's own.
* ``terms``, ``parties`` and ``sanction_kinds`` merge by key; the variant's text wins.
* ``activities`` and ``letters`` merge by key, **field by field** like steps: a variant that
  gives ``brev-vd: {title: ..., letter: null}`` keeps the base's other fields and removes the
  letter. (A whole-entry replacement would silently drop fields a region did not mean to touch.)
* ``steps`` merge by ``level``, field by field; a list field (``activities``, ``parties``) given
  in the variant replaces the base's list whole, so a region states its list as it applies it.
  A variant may add new levels.
* ``rules`` merge by ``id``, field by field; ``when`` is one field and is replaced whole (merging
  conditions would make it impossible to drop one). ``enabled: false`` drops an inherited rule;
  a later variant may enable it again. Disabled rules are removed only from the final result.

The inputs may be partly invalid (a file with schema problems is still merged, so that its
cross-references are checked in the same run): anything not of the expected shape is skipped,
and the result records what could not be merged so that checks do not report its consequences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from trappa.ladder.yaml_source import YamlSource

KEYED_TEXT = ("terms", "parties", "sanction_kinds")
KEYED_ENTRIES = ("activities", "letters")


@dataclass
class Layer:
    """One file of an ``extends`` chain: its source and its (normalised where valid) data."""

    source: YamlSource
    data: dict[str, Any]
    has_base: bool = False
    # Raw paths of steps and rules with a misspelt (unknown) key, e.g. ("steps", 2).
    damaged: set[tuple[Any, ...]] = field(default_factory=set)


@dataclass
class Duplicate:
    """A step level or rule id given twice in one file."""

    source: YamlSource
    raw_path: tuple[Any, ...]
    what: str  # "step" or "rule"
    key: Any
    first_line: int
    item: Any = None  # the duplicate entry itself, whose other fields are still checked


@dataclass
class Origins:
    """Where each part of the merged ladder came from: semantic path -> (file, path in it).

    Semantic paths name steps by level and rules by id (``("steps", 3, "event")``,
    ``("rules", "aterkommande", "when")``), so they stay valid across files whose lists differ.
    """

    places: dict[tuple[Any, ...], tuple[YamlSource, tuple[Any, ...]]] = field(
        default_factory=dict
    )

    def set(self, path: tuple[Any, ...], source: YamlSource, raw: tuple[Any, ...]) -> None:
        self.places[path] = (source, raw)

    def locate(self, path: Sequence[Any], *, key: bool = False) -> tuple[YamlSource, int, int]:
        """The file, line and column of the merged value at ``path``."""
        path = tuple(path)
        for length in range(len(path), 0, -1):
            found = self.places.get(path[:length])
            if found is not None:
                source, raw = found
                line, column = source.position(raw + path[length:], key=key)
                return source, line, column
        source, _ = next(iter(self.places.values()))
        return source, 1, 1

    def source_of(self, path: Sequence[Any]) -> YamlSource | None:
        found = self.places.get(tuple(path))
        return found[0] if found else None


@dataclass
class Merged:
    data: dict[str, Any]
    origins: Origins
    duplicates: list[Duplicate] = field(default_factory=list)
    # Some step had no usable level: level checks would only repeat the schema's complaint.
    levels_reliable: bool = True
    # Steps and rules (semantic paths) with a misspelt key: it is reported once, as unknown,
    # not again as the key that is then missing.
    damaged: set[tuple[Any, ...]] = field(default_factory=set)
    # Rules a variant disables though no base defines them: (rule id, file, raw path, known ids).
    disables_nothing: list[tuple[str, YamlSource, tuple[Any, ...], list[str]]] = field(
        default_factory=list
    )


def merge(layers: Sequence[Layer]) -> Merged:
    """Merge ``layers``, base first, variant last."""
    result = Merged(data={}, origins=Origins())
    steps: dict[int, dict[str, Any]] = {}
    rules: dict[str, dict[str, Any]] = {}
    for layer in layers:
        source, data = layer.source, layer.data
        result.origins.set((), source, ())
        for name, value in data.items():
            if name in KEYED_TEXT:
                _merge_keyed(result, source, name, value, by_field=False)
            elif name in KEYED_ENTRIES:
                _merge_keyed(result, source, name, value, by_field=True)
            elif name == "steps":
                _merge_steps(result, layer, value, steps)
            elif name == "rules":
                _merge_rules(result, layer, value, rules)
            else:
                result.data[name] = value
                result.origins.set((name,), source, (name,))
    result.data["steps"] = [steps[level] for level in sorted(steps)]
    result.data["rules"] = list(rules.values())
    return result


def _merge_keyed(
    result: Merged, source: YamlSource, name: str, value: Any, *, by_field: bool
) -> None:
    if not isinstance(value, dict):
        return
    target = result.data.setdefault(name, {})
    result.origins.set((name,), source, (name,))
    for key, entry in value.items():
        if not isinstance(key, str):
            continue
        if by_field and isinstance(entry, dict):
            previous = target.get(key)
            target[key] = {**previous, **entry} if isinstance(previous, dict) else dict(entry)
            for field_name in entry:
                result.origins.set((name, key, field_name), source, (name, key, field_name))
        else:
            target[key] = entry
        result.origins.set((name, key), source, (name, key))


def _merge_steps(
    result: Merged, layer: Layer, value: Any, steps: dict[int, dict[str, Any]]
) -> None:
    source = layer.source
    if not isinstance(value, list):
        result.origins.set(("steps",), source, ("steps",))
        return
    result.origins.set(("steps",), source, ("steps",))
    seen: dict[int, int] = {}
    for index, step in enumerate(value):
        level = step.get("level") if isinstance(step, dict) else None
        if not _is_level(level):
            result.levels_reliable = False
            continue
        if level in seen:
            first_line = source.position(("steps", seen[level]))[0]
            raw = ("steps", index, "level")
            result.duplicates.append(Duplicate(source, raw, "step", level, first_line, step))
            continue
        seen[level] = index
        if ("steps", index) in layer.damaged:
            result.damaged.add(("steps", level))
        steps[level] = {**steps.get(level, {}), **step}
        result.origins.set(("steps", level), source, ("steps", index))
        for field_name in step:
            result.origins.set(("steps", level, field_name), source, ("steps", index, field_name))


def _merge_rules(
    result: Merged, layer: Layer, value: Any, rules: dict[str, dict[str, Any]]
) -> None:
    source = layer.source
    result.origins.set(("rules",), source, ("rules",))
    if not isinstance(value, list):
        return
    inherited_ids = list(rules)
    seen: dict[str, int] = {}
    for index, rule in enumerate(value):
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        if not isinstance(rule_id, str):
            continue
        if rule_id in seen:
            first_line = source.position(("rules", seen[rule_id]))[0]
            raw = ("rules", index, "id")
            result.duplicates.append(Duplicate(source, raw, "rule", rule_id, first_line))
            continue
        seen[rule_id] = index
        if ("rules", index) in layer.damaged:
            result.damaged.add(("rules", rule_id))
        inherited = rules.get(rule_id)
        if inherited is None and layer.has_base and _only_disables(rule):
            raw = ("rules", index, "id")
            result.disables_nothing.append((rule_id, source, raw, inherited_ids))
        rules[rule_id] = {**(inherited or {}), **rule}
        result.origins.set(("rules", rule_id), source, ("rules", index))
        for field_name in rule:
            result.origins.set(("rules", rule_id, field_name), source, ("rules", index, field_name))


def _only_disables(rule: dict[str, Any]) -> bool:
    return rule.get("enabled") is False and not ({"title", "level", "when"} & set(rule))


def _is_level(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
