"""Reading a YAML file with the position of every key and value.

A ladder file is read with ruamel.yaml's round-trip loader, which keeps the line and column of
each key, value and list item (``.lc``), so that every later problem — schema, cross-reference,
merge — can point at its place in the file. Reading never raises for bad input: a file that
cannot be read, decoded or parsed becomes a positioned ``Problem``.

Scalars load as YAML 1.2 says, with one deliberate exception: implicit timestamps are off, so that
``version: 2024-04-01`` stays the text ``"2024-04-01"`` and dates are read explicitly where they
are meant (check-jsonschema does the same). Duplicate keys are problems, all of them (ruamel stops
at the first); the first value is kept so that the rest of the file is still checked.

No file makes reading hang: anchors and aliases are refused as the parser meets them, before
anything is composed or expanded (nine nested aliases, "billion laughs", would otherwise expand
to 10^9 values), and a file larger than ``MAX_BYTES`` is refused before it is parsed.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trappa.errors import Problem
from trappa.messages import say

# The bundled ladders are under 10 KiB; a region's ladder with long texts a few times that.
# ruamel's round-trip parser reads only some 100-200 KiB a second, so 256 KiB leaves ample room
# yet parses in a second or two at worst: no file in a ladders folder can stall a command that
# reads them all (`ladder list`).
MAX_BYTES = 256 * 1024


@dataclass
class YamlSource:
    """One YAML file: its text, its round-trip tree (``root``), and the problems met reading it.

    ``root`` is None when the file could not be read or parsed; then ``problems`` says why.
    ``data`` is the same tree as plain dicts, lists and scalars, for validation.
    """

    path: Path
    name: str
    text: str = ""
    root: Any = None
    data: Any = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, position: tuple[int, int], message: str) -> Problem:
        return Problem(self.name, position[0], position[1], message)

    def position(self, path: Sequence[Any], *, key: bool = False) -> tuple[int, int]:
        """The 1-based line and column of the value at ``path`` (keys and list indices).

        With ``key``, the position of the last key itself rather than its value. A path that
        leaves the tree stops at the deepest node that exists, so a position is always found.
        """
        return position_in(self.root, path, key=key)


def position_in(root: Any, path: Sequence[Any], *, key: bool = False) -> tuple[int, int]:
    """See ``YamlSource.position``; works on any ruamel round-trip tree."""
    line, column = _start_of(root)
    node = root
    for index, part in enumerate(path):
        last = index == len(path) - 1
        located = _located_child(node, part)
        if located is None:
            break
        (key_line, key_col), (value_line, value_col), child = located
        if (last and key) or child is None:
            # A key's own place; also for an empty value, which ruamel places after the key
            # (often on the next line), where no one would look for it.
            line, column = key_line, key_col
        else:
            line, column = value_line, value_col
        node = child
    return line + 1, column + 1


def _start_of(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is not None and lc.line is not None:
        return lc.line, lc.col
    return 0, 0


def _located_child(node: Any, part: Any) -> tuple[tuple[int, int], tuple[int, int], Any] | None:
    """The key position, value position and value of ``part`` in ``node``, if it is there."""
    lc = getattr(node, "lc", None)
    if isinstance(node, dict):
        try:
            if part not in node:
                return None
        except TypeError:  # an unhashable part can name nothing in a mapping
            return None
        data = lc.data.get(part) if lc is not None else None
        if data is None:  # a key that came in through a `<<:` merge: no place of its own
            here = _start_of(node)
            return here, here, node[part]
        return (data[0], data[1]), (data[2], data[3]), node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        data = lc.data.get(part) if lc is not None else None
        here = (data[0], data[1]) if data is not None else _start_of(node)
        return here, here, node[part]
    return None


@dataclass
class KnownSource(YamlSource):
    """A file whose checked data is already known (``trappa.ladder.base_cache``): its bytes are
    parsed only if a position in it is asked for, and then exactly these bytes, so a problem
    found later still points at its line and column."""

    raw: bytes = b""

    def position(self, path: Sequence[Any], *, key: bool = False) -> tuple[int, int]:
        if self.root is None and self.raw:
            self.root = parse_bytes(YamlSource(path=self.path, name=self.name), self.raw).root
        return super().position(path, key=key)


def read_yaml(path: Path, name: str) -> YamlSource:
    """Read ``path`` (shown as ``name`` in problems) into a ``YamlSource``; never raises."""
    source, raw = read_bytes(path, name)
    return source if raw is None else parse_bytes(source, raw)


def read_bytes(path: Path, name: str) -> tuple[YamlSource, bytes | None]:
    """The file's bytes (None when they cannot be read; then the source says why)."""
    source = YamlSource(path=path, name=name)
    return source, _read_bytes(source)


def parse_bytes(source: YamlSource, raw: bytes) -> YamlSource:
    """Decode and parse ``raw``, the bytes of ``source``'s file, into ``source``."""
    text = _decode(source, raw)
    if text is None:
        return source
    source.text = text
    root = _parse(source, text)
    if source.problems and root is None:
        return source
    if root is None:
        source.problems.append(source.problem((1, 1), say("ladder.yaml.empty")))
        return source
    if not isinstance(root, dict):
        message = say("ladder.yaml.not_mapping", kind=_kind(root))
        source.problems.append(source.problem(position_in(root, []), message))
        return source
    source.root = root
    source.data = to_plain(root)
    return source


def _read_bytes(source: YamlSource) -> bytes | None:
    try:
        with source.path.open("rb") as file:
            # At most one byte past the limit: a huge file (or /dev/zero) is never read whole.
            raw = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        detail = say("ladder.file.missing")
    except IsADirectoryError:
        detail = say("ladder.file.directory")
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
    else:
        if len(raw) <= MAX_BYTES:
            return raw
        message = say("ladder.file.too_large", limit=f"{MAX_BYTES // 1024} KiB")
        source.problems.append(source.problem((1, 1), message))
        return None
    source.problems.append(source.problem((1, 1), say("ladder.file.unreadable", detail=detail)))
    return None


def _decode(source: YamlSource, raw: bytes) -> str | None:
    try:
        # utf-8-sig: a byte order mark, as some Windows editors write, is not an error.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = raw.rfind(b"\n", 0, start) + 1
        line = raw.count(b"\n", 0, start) + 1
        column = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1
        message = say("ladder.file.not_utf8", byte=f"0x{raw[start]:02x}")
        source.problems.append(source.problem((line, column), message))
        return None


def _parse(source: YamlSource, text: str) -> Any:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    yaml = _yaml()
    try:
        with warnings.catch_warnings():
            # ruamel warns about legal but odd YAML; a ladder need not care.
            warnings.simplefilter("ignore")
            root = yaml.load(text)
    except _AnchorRefused as exc:
        source.problems.append(source.problem(exc.where, exc.message))
        return None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        detail = exc.problem or exc.context or type(exc).__name__
        if exc.context and exc.problem:
            detail = f"{exc.problem} ({exc.context})"
        if _char_at(text, where) == "\t":
            detail = say("ladder.yaml.tab", detail=detail)
        source.problems.append(source.problem(where, say("ladder.yaml.syntax", detail=detail)))
        return None
    except ReaderError as exc:
        where = _line_column(text, exc.position)
        source.problems.append(source.problem(where, say("ladder.yaml.syntax", detail=exc.reason)))
        return None
    except (YAMLError, RecursionError, ValueError, TypeError, LookupError) as exc:
        # ruamel's constructors let a few exotic inputs through as plain Python errors
        # (e.g. a malformed !!binary, or an empty !!int: an IndexError); name them rather
        # than crash.
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        source.problems.append(source.problem((1, 1), say("ladder.yaml.syntax", detail=detail)))
        return None
    for key, line, column, first_line in yaml.constructor.duplicates:
        message = say("ladder.yaml.duplicate_key", key=key, line=first_line)
        source.problems.append(source.problem((line, column), message))
    return root


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Constructor = _constructor_class()
    yaml.Composer = _composer_class()
    return yaml


class _AnchorRefused(Exception):
    def __init__(self, where: tuple[int, int], message: str) -> None:
        super().__init__(message)
        self.where, self.message = where, message


_COMPOSER: Any = None


def _composer_class() -> Any:
    """A composer that refuses the first anchor or alias, from the parser's event, before it
    composes (let alone expands) anything: ladders do not need them, and nested aliases can
    make a small file expand beyond any memory."""
    global _COMPOSER
    if _COMPOSER is not None:
        return _COMPOSER
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.events import AliasEvent

    class RefusingComposer(Composer):
        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.parser.peek_event()
            if event.anchor is not None:
                mark = event.start_mark
                key = "ladder.yaml.alias" if isinstance(event, AliasEvent) else "ladder.yaml.anchor"
                raise _AnchorRefused((mark.line + 1, mark.column + 1), say(key, name=event.anchor))
            return super().compose_node(parent, index)

    _COMPOSER = RefusingComposer
    return RefusingComposer


_CONSTRUCTOR: Any = None


def _constructor_class() -> Any:
    """A round-trip constructor without implicit timestamps that collects duplicate keys."""
    global _CONSTRUCTOR
    if _CONSTRUCTOR is not None:
        return _CONSTRUCTOR
    from ruamel.yaml.constructor import RoundTripConstructor

    class Constructor(RoundTripConstructor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.duplicates: list[tuple[str, int, int, int]] = []

        def check_mapping_key(
            self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any
        ) -> bool:
            if key not in mapping:
                return True
            first = getattr(mapping, "lc", None)
            first_at = first.data.get(key) if first is not None else None
            first_line = first_at[0] + 1 if first_at else node.start_mark.line + 1
            mark = key_node.start_mark
            self.duplicates.append((str(key), mark.line + 1, mark.column + 1, first_line))
            return False  # keep the first value and go on, so the rest is checked too

        def construct_plain_timestamp(self, node: Any, values: Any = None) -> Any:
            return self.construct_scalar(node)

    Constructor.add_constructor(
        "tag:yaml.org,2002:timestamp", Constructor.construct_plain_timestamp
    )
    _CONSTRUCTOR = Constructor
    return Constructor


def to_plain(node: Any) -> Any:
    """The round-trip tree as plain dicts, lists, str, int, float, bool and None.

    ruamel's scalar subclasses (ScalarInt for ``0o17``, ScalarBoolean, quoted strings) and tagged
    values become their plain values, so validation sees what the YAML means.
    """
    from ruamel.yaml.comments import TaggedScalar

    # No node is shared (anchors are refused), so this walk is as long as the file.
    if isinstance(node, dict):
        return {to_plain(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(item) for item in node]
    if isinstance(node, TaggedScalar):
        return str(node.value)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        # ScalarBoolean subclasses int: a YAML `true` with an anchor must stay a boolean.
        return bool(node) if type(node).__name__ == "ScalarBoolean" else int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, tuple):  # a complex key such as `? [a, b]`
        return tuple(to_plain(item) for item in node)
    return node


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return say("ladder.yaml.kind.list")
    return say("ladder.yaml.kind.scalar", value=str(value)[:40])


def _line_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _char_at(text: str, where: tuple[int, int]) -> str:
    lines = text.split("\n")
    line, column = where
    if 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]):
        return lines[line - 1][column - 1]
    return ""
