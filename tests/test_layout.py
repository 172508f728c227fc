"""The package's layout: imports flow one way, modules stay small and say what they do.

The layers, from the bottom: the foundation modules at the top of the package (errors, messages,
dates, identifiers, resources), then ``ladder``, ``history``, then ``rules`` and ``store`` side by
side, ``cases``, ``letters`` and ``cli``. A module may import its own package and any package of a
lower layer, never one above it nor a sibling of its own layer: the rules engine stays pure of
the store, and nothing below the CLI knows there is one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "trappa"
FOUNDATION = {
    "__init__", "errors", "messages", "dates", "identifiers", "resources", "workdays",
}
LAYERS = {"ladder": 1, "history": 2, "rules": 3, "store": 3, "cases": 4, "letters": 5, "cli": 6}
LAYERS |= dict.fromkeys(FOUNDATION, 0) | {"__main__": 7}
# Longer than the rest, and why: the English message catalogue is data, not code.
LONG_MODULES = {"messages/__init__.py"}
MAX_LINES = 400

MODULES = sorted(SRC.rglob("*.py"))


def _part(path: Path) -> str:
    """The top-level part of trappa a file belongs to: its subpackage, or its own module name."""
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imported_parts(path: Path) -> set[str]:
    """Every part of trappa the file imports, at module level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module + "." + alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "trappa" and len(parts) > 1:
                found.add(parts[1] if parts[1] in LAYERS else "__init__")
    return found


def _name(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_imports_flow_down_the_layers(path: Path) -> None:
    own = _part(path)
    assert own in LAYERS, f"{_name(path)}: place its package in the layers of tests/test_layout.py"
    for part in _imported_parts(path) - {own}:
        both_foundation = own in FOUNDATION and part in FOUNDATION
        assert both_foundation or LAYERS[part] < LAYERS[own], (
            f"{_name(path)} ({own}, layer {LAYERS[own]}) imports {part} (layer {LAYERS[part]})"
        )


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_every_module_says_its_one_job_and_stays_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert ast.get_docstring(ast.parse(text)), f"{_name(path)} has no docstring"
    if _name(path) not in LONG_MODULES:
        assert text.count("\n") <= MAX_LINES, f"{_name(path)}: {text.count(chr(10))} lines"


def test_the_layer_test_catches_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "rules.py"
    module.write_text("def f():\n    from trappa.store.database import Store\n")
    assert _imported_parts(module) == {"store"}
