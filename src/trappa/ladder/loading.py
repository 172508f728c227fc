"""Loading ladders: read, validate, resolve ``extends``, and report every problem at once.

The public API the rest of trappa uses:

* ``load_ladder(ref_or_path)`` -> ``ResolvedLadder`` (raises ``ProblemsError`` / ``UserError``)
* ``validate_files(paths)`` -> ``list[ValidationResult]`` (never raises for bad files)
* ``list_ladders()`` -> ``list[LadderInfo]``
* ``diff_ladders(a, b)`` -> ``LadderDiff`` (see ``trappa.ladder.diff``)

Each file goes through the same stages, and all problems of all files of a chain are collected
before anything is reported: reading (``trappa.ladder.yaml_source``), the ``format`` key (checked
first,
so a file of another format gets one clear error, not a cascade), the schema (pydantic, mapped to
positions by ``trappa.ladder.problems``), its place (``ladders/<id>/<version>.yaml``), then the
``extends`` chain is followed (``trappa.ladder.registry``), merged (``trappa.ladder.merge``) and
checked as a
whole (``trappa.ladder.checks``). A file whose schema has problems is still merged and checked,
so that one run shows a misspelt key and a broken reference together.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trappa.errors import Problem, ProblemsError, UserError
from trappa.ladder import registry
from trappa.ladder.checks import check_merged, check_place, place_of
from trappa.ladder.merge import Layer, merge
from trappa.ladder.problems import did_you_mean, schema_problems, with_place
from trappa.ladder.view import LadderView
from trappa.ladder.yaml_source import KnownSource, YamlSource, parse_bytes, read_bytes, read_yaml
from trappa.messages import say

if TYPE_CHECKING:
    from trappa.ladder.diff import LadderDiff
    from trappa.ladder.model import Ladder

FORMAT = "trappa/ladder@1"  # the same as trappa.ladder.model.FORMAT, without importing pydantic
_REF = re.compile(r"[a-z0-9][a-z0-9-]*(@[^@\s]+)?")


@dataclass
class ResolvedLadder:
    """A validated ladder with its ``extends`` chain merged in.

    ``data`` is the merged ladder as JSON-ready data (disabled rules removed, every step
    complete, ``extends`` naming the base as ``id@version``); ``own`` is the first file's own
    content; ``sources`` are the files of the chain (absolute), the ladder's own file first.
    """

    ref: str
    data: dict[str, Any]
    own: dict[str, Any]
    sources: list[Path]
    model: Ladder

    def view(self) -> LadderView:
        return LadderView(self.data)

    @property
    def extends(self) -> str | None:
        return self.data.get("extends")

    def summary(self, name: str) -> str:
        """The one-line summary ``trappa validate`` prints for a clean file."""
        view = self.view()
        base = say("ladder.summary.extends", base=self.extends) if self.extends else ""
        return say(
            "ladder.summary",
            file=name,
            ref=self.ref,
            extends=base,
            steps=_count("steps", len(view.levels)),
            activities=_count("activities", len(view.activities)),
            rules=_count("rules", len(view.rules)),
        )


@dataclass
class ValidationResult:
    """The outcome of validating one file: its problems (with its bases'), or its summary."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    summary: str | None = None
    ladder: ResolvedLadder | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class LadderInfo:
    ref: str
    title: str | None
    extends: str | None
    path: Path
    problem: Problem | None = None  # the first problem reading the file, when it has one


def load_ladder(ref_or_path: str) -> ResolvedLadder:
    """The ladder that ``ref_or_path`` names (``id@version``, ``id``, or a file), resolved."""
    loader = _Loader()
    path = Path(ref_or_path).expanduser()
    if registry.is_file(path):
        resolved, problems = loader.resolve(path, display_name(path))
    elif _looks_like_path(ref_or_path):
        raise UserError(say("ladder.no_file", path=ref_or_path))
    else:
        entry = registry.find(ref_or_path, loader.dirs)
        if entry is None:
            raise _unknown_ladder(ref_or_path, loader.dirs)
        resolved, problems = loader.resolve(
            entry.path, display_name(entry.path), place=(entry.id, entry.version)
        )
    if problems or resolved is None:
        raise ProblemsError(problems)
    return resolved


def validate_files(paths: list[str]) -> list[ValidationResult]:
    """Validate each file with its ``extends`` chain; one result per file, in order."""
    loader = _Loader()
    results = []
    for name in paths:
        resolved, problems = loader.resolve(Path(name).expanduser(), name)
        result = ValidationResult(file=name, problems=problems, ladder=resolved)
        if resolved is not None and not problems:
            result.summary = resolved.summary(name)
        results.append(result)
    return results


def list_ladders() -> list[LadderInfo]:
    """Every ladder found (bundled, then ``TRAPPA_LADDERS``), by id and version.

    Only titles are read, not validated: a broken file is still listed, with the first
    problem met reading it (``trappa validate`` says all that is wrong with it).
    """
    infos = []
    for entry in registry.entries(registry.search_dirs()):
        source = read_yaml(entry.path, display_name(entry.path))
        data = source.data if isinstance(source.data, dict) else {}
        title, extends = data.get("title"), data.get("extends")
        infos.append(
            LadderInfo(
                ref=entry.ref,
                title=title if isinstance(title, str) else None,
                extends=extends if isinstance(extends, str) else None,
                path=entry.path,
                problem=source.problems[0] if source.problems else None,
            )
        )
    return infos


def diff_ladders(a: str, b: str) -> LadderDiff:
    """What differs between the resolved ladders ``a`` and ``b`` (refs or files)."""
    from trappa.ladder.diff import diff

    first, second = load_ladder(a), load_ladder(b)
    return diff(first.ref, first.data, second.ref, second.data)


def display_name(path: Path) -> str:
    """A file as problems name it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


# --- internals -----------------------------------------------------------------------------


@dataclass
class _File:
    """One file read and validated on its own (before merging)."""

    source: YamlSource
    data: dict[str, Any] | None  # None when unreadable or not a ladder file at all
    problems: list[Problem]
    model: Ladder | None = None  # set when the file alone matches the schema
    damaged: set[tuple[Any, ...]] = field(default_factory=set)  # see merge.Layer

    @property
    def ref(self) -> str:
        data = self.data or {}
        ladder_id, version = data.get("id"), data.get("version")
        if isinstance(ladder_id, str) and isinstance(version, str | int):
            return f"{ladder_id}@{version}"
        return self.source.name


class _Loader:
    """One loading session: files are read once even when several chains share a base."""

    def __init__(self) -> None:
        self.dirs = registry.search_dirs()
        self.files: dict[Path, _File] = {}

    def read(
        self, path: Path, name: str, place: tuple[str, str] | None = None, *, base: bool = False
    ) -> _File:
        """The file at ``path``, read once. A base (a file reached through ``extends``) may come
        from ``base_cache``; a file validated in its own right is always parsed and checked."""
        key = _real(path)
        known = self.files.get(key)
        if known is None or (not base and isinstance(known.source, KnownSource)):
            self.files[key] = self._read(path, name, place or place_of(path), base=base)
        return self.files[key]

    def _read(
        self, path: Path, name: str, place: tuple[str, str] | None, *, base: bool = False
    ) -> _File:
        source, raw = read_bytes(path, name)
        if raw is None:
            return _File(source, None, list(source.problems))
        cache_key = None
        if base:
            from trappa.ladder import base_cache

            cache_key = base_cache.key_of(raw)
            cached = base_cache.get(cache_key)
            if cached is not None:
                known = KnownSource(path=path, name=name, raw=raw)
                problems = check_place(known, cached, place) if place is not None else []
                return _File(known, cached, problems)
        source = parse_bytes(source, raw)
        problems = list(source.problems)
        data = source.data
        if data is None:
            return _File(source, None, problems)
        fmt = data.get("format")
        if fmt is None:
            problems.append(source.problem((1, 1), say("ladder.format.missing", format=FORMAT)))
            return _File(source, None, problems)
        if fmt != FORMAT:
            message = say("ladder.format.unknown", value=fmt, format=FORMAT)
            problems.append(source.problem(source.position(("format",)), message))
            return _File(source, None, problems)

        from pydantic import ValidationError

        from trappa.ladder.model import Ladder

        model = None
        damaged: set[tuple[Any, ...]] = set()
        try:
            model = Ladder.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            problems.extend(schema_problems(source, errors))
            # A misspelt key in a step or rule would be reported again as the key it lacks.
            damaged = {
                tuple(err["loc"][:2])
                for err in errors
                if err["type"] == "extra_forbidden"
                and len(err["loc"]) > 2
                and err["loc"][0] in ("steps", "rules")
            }
        else:
            # The file's values as the schema reads them (`version: 2024` is "2024"), keeping
            # only what the file states: a variant's absent field must not hide its base's.
            data = model.model_dump(exclude_unset=True)
            if cache_key is not None and not problems:
                base_cache.put(cache_key, data)
        if place is not None:
            problems.extend(check_place(source, data, place))
        return _File(source, data, problems, model, damaged)

    def resolve(
        self, path: Path, name: str, place: tuple[str, str] | None = None
    ) -> tuple[ResolvedLadder | None, list[Problem]]:
        first = self.read(path, name, place)
        chain = [first]
        problems = list(first.problems)
        complete = first.data is not None
        current = first
        while complete and current.data is not None:
            ref = current.data.get("extends")
            if not isinstance(ref, str) or not _REF.fullmatch(ref):
                # No base, or one the schema already says is malformed: then checking the
                # variant alone would only report everything it inherits as missing.
                complete = ref is None
                break
            base = self._base(chain, current, ref)
            if isinstance(base, Problem):
                problems.append(base)
                complete = False
                break
            chain.append(base)
            problems.extend(base.problems)
            current = base
        if not complete or any(item.data is None for item in chain):
            return None, _unique(problems)
        layers = [
            Layer(item.source, item.data or {}, index < len(chain) - 1, item.damaged)
            for index, item in enumerate(chain)
        ]
        merged = merge(list(reversed(layers)))
        problems.extend(check_merged(merged))
        problems = _unique(problems)
        if problems:
            return None, problems
        return _resolved(chain, merged.data), []

    def _base(self, chain: list[_File], current: _File, ref: str) -> _File | Problem:
        """The file ``ref`` names as ``current``'s base, or the problem that it has none."""
        near = _ladders_folder_of(current.source.path)
        entry = registry.find(ref, [*self.dirs, *near])
        where = current.source.position(("extends",))
        if entry is None:
            refs = " -> ".join([*(item.ref for item in chain), ref])
            message = say("ladder.extends.unknown", ref=ref, chain=refs)
            message = did_you_mean(message, ref, _known_refs([*self.dirs, *near]))
            return current.source.problem(where, with_place("", "extends", message))
        base = self.read(
            entry.path, display_name(entry.path), place=(entry.id, entry.version), base=True
        )
        if any(_real(item.source.path) == _real(entry.path) for item in chain):
            refs = " -> ".join([*(item.ref for item in chain), base.ref])
            message = say("ladder.extends.cycle", chain=refs)
            return current.source.problem(where, with_place("", "extends", message))
        return base


def _resolved(chain: list[_File], merged: dict[str, Any]) -> ResolvedLadder:
    from trappa.ladder.model import Ladder

    final = dict(merged)
    final["rules"] = [rule for rule in merged["rules"] if rule.get("enabled", True)]
    if len(chain) > 1:
        final["extends"] = chain[1].ref  # a bare `extends: regionerna` names the version used
    model = Ladder.model_validate(final)
    own_model = chain[0].model
    own = own_model.model_dump(mode="json", exclude_unset=True) if own_model else {}
    data = model.model_dump(mode="json", exclude_none=True)
    return ResolvedLadder(
        ref=f"{model.id}@{model.version}",
        data=data,
        own=own,
        sources=[item.source.path.absolute() for item in chain],
        model=model,
    )


def _unknown_ladder(ref: str, dirs: list[Path]) -> UserError:
    known = _known_refs(dirs)
    message = did_you_mean(say("ladder.unknown", ref=ref), ref, known)
    if known:
        refs = sorted({r for r in known if "@" in r})
        hint = say("ladder.unknown.hint", known=", ".join(refs))
    else:
        hint = say("ladder.unknown.none", dirs=os.pathsep.join(str(d) for d in dirs) or "-")
    return UserError(message, hint=hint)


def _known_refs(dirs: list[Path]) -> list[str]:
    found = registry.entries(dirs)
    return [entry.ref for entry in found] + sorted({entry.id for entry in found})


def _ladders_folder_of(path: Path) -> list[Path]:
    # A file at <folder>/<id>/<version>.yaml finds its bases beside it too, so a region's own
    # ladders folder works without TRAPPA_LADDERS. Searched last: it never shadows a bundled one.
    return [path.resolve().parent.parent] if place_of(path) else []


def _looks_like_path(text: str) -> bool:
    return text.endswith((".yaml", ".yml")) or "/" in text or os.sep in text


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _unique(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems))


_COUNTS = {
    "steps": "ladder.count.steps",
    "activities": "ladder.count.activities",
    "rules": "ladder.count.rules",
}


def _count(kind: str, n: int) -> str:
    return say(_COUNTS[kind], n=n)
