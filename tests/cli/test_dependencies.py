"""The dependencies pyproject.toml declares are the ones trappa uses."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import tomllib

from conftest import REPO

# The module each distribution is imported as, where the two names differ.
MODULE = {"ruamel.yaml": "ruamel", "sqlite-utils": "sqlite_utils", "python-docx": "docx",
          "markdown-it-py": "markdown_it", "fpdf2": "fpdf", "XlsxWriter": "xlsxwriter"}
# Used without an import of its own: zoneinfo falls back to it.
NOT_IMPORTED = {"tzdata"}


def _runtime_dependencies() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0] for spec in project["dependencies"]]


def test_every_runtime_dependency_is_imported() -> None:
    sources = "\n".join(path.read_text(encoding="utf-8")
                        for path in (REPO / "src" / "trappa").rglob("*.py"))
    unused = [
        name for name in _runtime_dependencies()
        if name not in NOT_IMPORTED and not re.search(
            rf"^\s*(import|from) {re.escape(MODULE.get(name, name))}\b", sources, re.MULTILINE)
    ]
    assert unused == []


def test_stockholm_time_needs_no_time_zone_database_on_the_machine() -> None:
    """Windows has no system time-zone database: the tzdata package stands in for it."""
    code = textwrap.dedent("""
        import zoneinfo
        zoneinfo.reset_tzpath(to=[])  # as on a machine without a system database
        print(zoneinfo.ZoneInfo("Europe/Stockholm").key)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "Europe/Stockholm", result.stderr
