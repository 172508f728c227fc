"""Start-up budget: the commands people type all day must not import what they do not use.

Import times are measured in benchmarks/, not here; this test guards the cause of slowness
(a heavy module imported on a path that does not need it), which is deterministic.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

HEAVY = ("pydantic", "ruamel", "sqlite_utils", "jinja2", "rich", "docx", "docxtpl",
         "markdown_it", "platformdirs", "psycopg", "fpdf", "PIL", "fontTools", "matplotlib",
         "xlsxwriter", "openpyxl")
# The charting library: imported by `trappa monthly` alone.
CHARTS = "matplotlib"


def imported_after(args: list[str], env_db: str) -> set[str]:
    """Run the CLI in-process in a fresh interpreter and list the heavy modules it imported."""
    code = textwrap.dedent(f"""
        import json, sys
        from trappa.cli import main
        try:
            main({args!r})
        except SystemExit as exc:
            code = exc.code
        else:
            code = 0
        heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))
        print(json.dumps({{"code": code, "heavy": heavy}}), file=sys.stderr)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**__import__("os").environ, "TRAPPA_DB": env_db}, timeout=60)
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), result.stderr
    return set(report["heavy"])


@pytest.fixture
def db_with_a_case(tmp_path) -> str:
    db = str(tmp_path / "s.db")
    from conftest import run_trappa

    first = run_trappa("report", "--db", db, "--supplier", "A AB", "--description", "x")
    assert first.returncode == 0, first.stderr
    return db


def test_help_imports_nothing_heavy(tmp_path) -> None:
    assert imported_after(["--help"], str(tmp_path / "h.db")) == set()


def test_report_on_an_open_case_imports_nothing_heavy(db_with_a_case: str) -> None:
    # Joining an open case needs neither YAML, pydantic, sqlite-utils nor rich.
    args = ["report", "--supplier", "A AB", "--description", "y"]
    assert imported_after(args, db_with_a_case) == set()


def test_escalate_imports_nothing_heavy(db_with_a_case: str) -> None:
    args = ["escalate", "2026-0001", "--reason", "test", "--json"]
    assert imported_after(args, db_with_a_case) == set()


def test_report_opening_a_case_with_a_warm_ladder_cache_imports_nothing_heavy(
    db_with_a_case: str,
) -> None:
    # The first case filled the ladder cache; a new supplier's case opens from the cached JSON,
    # without YAML or pydantic.
    args = ["report", "--supplier", "B AB", "--description", "z", "--json"]
    assert imported_after(args, db_with_a_case) == set()


@pytest.mark.parametrize("words", ["trappa ", "trappa show ", "trappa letter 2026-0001 ",
                                   "trappa done 2026-0001 "])
def test_completing_imports_nothing_heavy(db_with_a_case: str, words: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # A shell runs trappa at every TAB: commands, case ids and the case's letter kinds and
    # activities come from the register's cached ladder, without YAML, pydantic or rich.
    monkeypatch.setenv("_TRAPPA_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split())))
    assert imported_after([], db_with_a_case) == set()
    from conftest import run_trappa

    offered = run_trappa(env={"TRAPPA_DB": db_with_a_case}).stdout.split()
    assert {"trappa ": "status", "trappa show ": "2026-0001",
            "trappa letter 2026-0001 ": "avvikelsemeddelande",
            "trappa done 2026-0001 ": "riskbedomning"}[words] in offered


def test_running_a_typer_command_imports_no_pydantic() -> None:
    """The premise of pyproject.toml's typer<0.29: from 0.29 typer converts every parameter's
    value through a pydantic TypeAdapter, which imports pydantic (~100 ms) on every run. When a
    typer release no longer does, the pin can go."""
    code = textwrap.dedent("""
        import sys
        import typer

        app = typer.Typer()

        @app.command()
        def command(count: int = 1, name: str = "a", flag: bool = False) -> None:
            pass

        app(["--count", "2", "--name", "b", "--flag"], standalone_mode=False)
        print("pydantic" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False", "typer runs commands through pydantic: keep it" \
        " below that release (pyproject.toml) or take pydantic's start-up into the budget"


def test_psycopg_is_imported_only_for_a_postgresql_register(pg_url: str) -> None:
    from conftest import run_trappa

    first = run_trappa("report", "--db", pg_url, "--supplier", "A AB", "--description", "x")
    assert first.returncode == 0, first.stderr
    args = ["report", "--supplier", "A AB", "--description", "y"]
    assert imported_after(args, pg_url) == {"psycopg"}
def test_the_charting_library_stays_out_of_every_other_command(tmp_path) -> None:
    """Every command but monthly is built (its module imported, its options parsed by typer)
    and run far enough to print its help, in one interpreter: none imports matplotlib."""
    from trappa.cli import COMMANDS

    code = textwrap.dedent(f"""
        import json, sys
        from trappa.cli import main
        seen = {{}}
        for name in {sorted(set(COMMANDS) - {"monthly"})!r}:
            try:
                main([name, "--help"])
            except SystemExit:
                pass
            seen[name] = {CHARTS!r} in sys.modules
        print(json.dumps(seen), file=sys.stderr)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    seen = json.loads(result.stderr.strip().splitlines()[-1])
    assert seen and not any(seen.values()), seen


def test_figures_and_exports_run_without_the_charting_library(db_with_a_case: str) -> None:
    for args in (["figures", "--json"], ["export", "cases"], ["export", "deviations",
                                                               "--format", "jsonl"]):
        assert CHARTS not in imported_after(args, db_with_a_case), args


def test_monthly_imports_the_charting_library_only_for_html(db_with_a_case: str) -> None:
    # Markdown needs no chart; HTML draws them.
    assert CHARTS not in imported_after(["monthly"], db_with_a_case)
    assert CHARTS in imported_after(["monthly", "--format", "html"], db_with_a_case)
