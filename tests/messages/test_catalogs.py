"""The committed catalogs are current: every message id the code uses is in them, nothing else is,
Swedish translates every one of them with the same fields, and the .mo is the compiled .po.

When one of these fails: `make catalogs`, translate what it leaves empty or fuzzy in
src/trappa/locale/sv/LC_MESSAGES/trappa.po, `make catalogs` again (see README, "Language").
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from conftest import REPO
from trappa.messages import EN, Plural

SRC = REPO / "src" / "trappa"
LOCALE = SRC / "locale"
PO = LOCALE / "sv" / "LC_MESSAGES" / "trappa.po"
MO = LOCALE / "sv" / "LC_MESSAGES" / "trappa.mo"
KEYWORDS = {"_": None, "N_": None, "P_": (1, 2)}  # as `make catalogs` extracts (babel.cfg)


def _ids(messages) -> set[str | tuple[str, ...]]:
    return {m if isinstance(m, str) else tuple(m) for m in messages if m}


def _extracted() -> set[str | tuple[str, ...]]:
    found = extract_from_dir(
        str(SRC), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    )
    return _ids(message for _file, _line, message, _comments, _context in found)


def _catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def test_the_template_holds_exactly_the_ids_the_code_uses() -> None:
    extracted = _extracted()
    template = _ids(m.id for m in _catalog(LOCALE / "trappa.pot"))
    assert sorted(map(str, extracted - template)) == [], "not in trappa.pot: run make catalogs"
    assert sorted(map(str, template - extracted)) == [], "unused in trappa.pot: make catalogs"


def test_swedish_holds_exactly_the_ids_the_code_uses() -> None:
    extracted = _extracted()
    swedish = _ids(m.id for m in _catalog(PO))
    assert sorted(map(str, extracted - swedish)) == [], "not in the sv catalog: make catalogs"
    assert sorted(map(str, swedish - extracted)) == [], "unused in the sv catalog: make catalogs"


def _fields(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}", text))


def test_swedish_translates_every_message_with_the_same_fields() -> None:
    problems = []
    for message in _catalog(PO):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated or fuzzy: {message.id!r}")
            continue
        for text in strings:
            if _fields(text) != _fields(ids[-1]) and _fields(text) != _fields(ids[0]):
                problems.append(f"fields differ: {message.id!r} -> {text!r}")
    assert problems == []


def test_the_compiled_catalog_is_the_po_compiled() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(PO))
    assert MO.read_bytes() == compiled.getvalue(), "trappa.mo is stale: run make catalogs"


def _string_literals() -> dict[str, set[str]]:
    """Every string literal of the code outside the messages, by module, and the first
    arguments of its ``say`` calls."""
    literals: set[str] = set()
    said: set[str] = set()
    for path in SRC.rglob("*.py"):
        if path == SRC / "messages" / "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "say" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                said.add(node.args[0].value)
    return {"literals": literals, "said": said}


def test_every_key_said_is_a_message_and_every_message_is_used() -> None:
    code = _string_literals()
    assert sorted(code["said"] - set(EN)) == [], "say() of a key EN does not have"
    # Keys are literal strings in the code (no key is built at run time), so an unused one shows.
    assert sorted(set(EN) - code["literals"]) == [], "messages no code uses"


def test_plural_messages_are_said_with_n() -> None:
    for key, entry in EN.items():
        if isinstance(entry, Plural):
            assert "{n}" in entry.singular or "{n}" in entry.plural, key
