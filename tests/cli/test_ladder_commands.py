"""`trappa validate` and `trappa ladder list|show|diff|schema`, as users and scripts see them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, LADDERS, run_trappa
from trappa.cli import app
from trappa.errors import UserError
from trappa.ladder.loading import load_ladder

HERE = FIXTURES / "ladders"
runner = CliRunner()


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)
    monkeypatch.setenv("TRAPPA_LADDERS", "registry")


# --- validate -------------------------------------------------------------------------------


def test_validate_prints_a_summary_per_clean_file() -> None:
    result = runner.invoke(app, ["validate", str(LADDERS / "regionerna" / "2024-04-01.yaml"),
                                 str(LADDERS / "kalmar" / "2024.yaml")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("regionerna/2024-04-01.yaml: ok — regionerna@2024-04-01, "
                             "6 steps, 17 activities, 9 rules")
    assert lines[1].endswith("kalmar/2024.yaml: ok — kalmar@2024 (extends "
                             "regionerna@2024-04-01), 6 steps, 24 activities, 9 rules")
    assert result.stderr == ""


@pytest.mark.usefixtures("in_fixtures")
def test_validate_prints_every_problem_on_stderr_and_exits_2() -> None:
    result = runner.invoke(app, ["validate", "valid/complete.yaml", "invalid/levels-gap.yaml",
                                 "invalid/duplicate-key.yaml"])
    assert result.exit_code == 2
    assert result.stdout == (
        "valid/complete.yaml: ok — fristaende@1, 2 steps, 1 activity, 1 rule\n"
    )
    assert result.stderr.splitlines() == [
        "invalid/levels-gap.yaml:15:12: levels must run 0, 1, 2, ... without gaps; missing: 1, 2",
        "invalid/duplicate-key.yaml:6:3: duplicate key 'leverantor' (first given at line 5)",
        "invalid/duplicate-key.yaml:11:5: duplicate key 'tier' (first given at line 10)",
    ]


@pytest.mark.usefixtures("in_fixtures")
def test_validate_prints_a_shared_bases_problem_once() -> None:
    result = runner.invoke(app, ["validate", "invalid/chain/gren/1.yaml",
                                 "invalid/chain/trasig/1.yaml"])
    assert result.exit_code == 2
    assert result.stderr == (
        "invalid/chain/trasig/1.yaml:6:1: unknown key 'parter'; did you mean 'parties'?\n"
    )


@pytest.mark.usefixtures("in_fixtures")
def test_validate_json() -> None:
    result = runner.invoke(app, ["validate", "--json", "registry/region/2024.yaml",
                                 "invalid/no-steps.yaml"])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == [
        {
            "file": "registry/region/2024.yaml",
            "ok": True,
            "ref": "region@2024",
            "extends": "bas@2024-01-01",
            "summary": "registry/region/2024.yaml: ok — region@2024 (extends bas@2024-01-01), "
                       "5 steps, 6 activities, 3 rules",
            "problems": [],
        },
        {
            "file": "invalid/no-steps.yaml",
            "ok": False,
            "ref": None,
            "extends": None,
            "summary": None,
            "problems": [{"file": "invalid/no-steps.yaml", "line": 4, "column": 1,
                          "message": "the ladder has no steps"}],
        },
    ]
    assert result.stderr == ""


def test_validate_needs_a_file() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 2
    assert "Missing argument 'FILE...'" in result.stderr


# --- ladder list ----------------------------------------------------------------------------


@pytest.mark.usefixtures("in_fixtures")
def test_ladder_list_json() -> None:
    result = runner.invoke(app, ["ladder", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["ref"] for row in rows] == [
        "bas@2023", "bas@2024-01-01", "kalmar@2024", "region@2024", "regionerna@2024-04-01"
    ]
    assert rows[3] == {"ref": "region@2024", "title": "Regionens testtrappa",
                       "extends": "bas@2024-01-01", "path": "registry/region/2024.yaml"}


def test_ladder_list_table() -> None:
    result = runner.invoke(app, ["ladder", "list"])
    assert result.exit_code == 0, result.output
    assert "regionerna@2024-04-01" in result.stdout
    assert "kalmar@2024" in result.stdout
    assert "Regionernas gemensamma" in result.stdout


# --- ladder show ----------------------------------------------------------------------------


def test_ladder_show_renders_steps_letters_and_rules() -> None:
    result = runner.invoke(app, ["ladder", "show", "regionerna"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(
        "Regionernas gemensamma eskaleringstrappa\nladder: regionerna@2024-04-01\n"
    )
    for text in ("Business on hold", "Avslut affärssamarbete", "Riskbedömning",
                 "✉ brev-vd", "Leverantören (företagsledning)",
                 "aterkommande-avvikelser", "at least 2 deviations within 180 days",
                 "the action plan is not followed"):
        assert text in out, text
    assert "(inherited)" not in out


def test_ladder_show_of_a_variant_shows_its_own_file_unless_resolved() -> None:
    own = runner.invoke(app, ["ladder", "show", "kalmar@2024"])
    assert own.exit_code == 0, own.output
    assert "extends regionerna@2024-04-01; only this file's own content is shown" in own.stdout
    assert "(inherited)" in own.stdout  # tiers come from the national ladder
    resolved = runner.invoke(app, ["ladder", "show", "kalmar@2024", "--resolved"])
    assert resolved.exit_code == 0, resolved.output
    assert "extends regionerna@2024-04-01; shown merged with it" in resolved.stdout
    assert "(inherited)" not in resolved.stdout


def test_ladder_show_json_is_the_resolved_or_own_data() -> None:
    kalmar = load_ladder("kalmar@2024")
    resolved = runner.invoke(app, ["ladder", "show", "kalmar", "--resolved", "--json"])
    assert json.loads(resolved.stdout) == kalmar.data
    own = runner.invoke(app, ["ladder", "show", "kalmar", "--json"])
    assert json.loads(own.stdout) == kalmar.own
    assert own.stdout != resolved.stdout


def test_ladder_show_accepts_a_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)
    result = runner.invoke(app, ["ladder", "show", "valid/complete.yaml", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "fristaende"


def test_ladder_show_of_an_unknown_ladder_is_a_user_error() -> None:
    result = runner.invoke(app, ["ladder", "show", "kalmr"])
    assert isinstance(result.exception, UserError)
    assert result.exception.message == "unknown ladder 'kalmr'; did you mean 'kalmar'?"


# --- ladder diff ----------------------------------------------------------------------------


def test_ladder_diff_json_national_to_kalmar() -> None:
    result = runner.invoke(app, ["ladder", "diff", "regionerna", "kalmar", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"a", "b", "same", "ladder", "steps", "rules", "terms", "parties",
                         "activities", "letters"}
    assert (data["a"], data["b"], data["same"]) == ("regionerna@2024-04-01", "kalmar@2024", False)
    step5 = next(change for change in data["steps"] if change["key"] == 5)
    assert step5["status"] == "changed"
    assert step5["fields"]["event"] == {
        "a": "Allvarlig avvikelse",
        "b": "Fortsatta avvikelser. Ingen lösning på problemet – samarbetet fungerar inte",
    }
    assert "interna-avstamningsmoten" in step5["fields"]["activities"]["added"]
    added = {c["key"] for c in data["activities"] if c["status"] == "added"}
    assert {"registrera-avvikelse", "informera-avtalsansvarig", "pa-plats-besok"} <= added
    for section in ("steps", "rules", "terms", "parties", "activities", "letters"):
        for change in data[section]:
            assert set(change) == {"key", "status", "a", "b", "fields"}
            assert change["status"] in ("added", "removed", "changed")


@pytest.mark.usefixtures("in_fixtures")
def test_ladder_diff_of_base_and_variant_fixture() -> None:
    data = json.loads(runner.invoke(app, ["ladder", "diff", "bas@2024-01-01", "region",
                                          "--json"]).stdout)
    assert data["ladder"] == {
        "title": {"a": "Testtrappa", "b": "Regionens testtrappa"},
        "extends": {"a": None, "b": "bas@2024-01-01"},
    }
    assert [(c["key"], c["status"]) for c in data["steps"]] == [
        (1, "changed"), (3, "changed"), (4, "added")
    ]
    assert data["steps"][1]["fields"] == {"parties": {
        "a": ["leverantor-ledning", "avtalsansvarig"], "b": ["leverantor-ledning", "enhetschef"],
        "added": ["enhetschef"], "removed": ["avtalsansvarig"],
    }}
    assert [(c["key"], c["status"]) for c in data["rules"]] == [
        ("utan-effekt", "changed"), ("allvarlig", "added"), ("plan-ej-foljd", "removed")
    ]
    assert data["rules"][0]["fields"] == {"level": {"a": 3, "b": 4}}


@pytest.mark.usefixtures("in_fixtures")
def test_ladder_diff_table() -> None:
    result = runner.invoke(app, ["ladder", "diff", "bas@2024-01-01", "region"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "bas@2024-01-01 → region@2024" in out
    assert "+ enhetschef" in out and "- avtalsansvarig" in out
    assert "rule allvarlig" in out and "added" in out


def test_ladder_diff_of_a_ladder_with_itself() -> None:
    result = runner.invoke(app, ["ladder", "diff", "kalmar", "kalmar@2024"])
    assert result.stdout == "kalmar@2024 and kalmar@2024 do not differ\n"
    data = json.loads(runner.invoke(app, ["ladder", "diff", "kalmar", "kalmar", "--json"]).stdout)
    assert data["same"] is True and data["steps"] == []


# --- ladder schema --------------------------------------------------------------------------


def test_ladder_schema_prints_the_checked_in_schema() -> None:
    result = runner.invoke(app, ["ladder", "schema"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (LADDERS / "schema.json").read_text(encoding="utf-8")
    assert json.loads(result.stdout)["properties"]["format"]["const"] == "trappa/ladder@1"


# --- the real program -----------------------------------------------------------------------


def test_validate_in_a_subprocess_reports_problems_and_exits_2() -> None:
    result = run_trappa("validate", "invalid/unknown-key.yaml", "invalid/not-utf8.yaml",
                        cwd=HERE)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "invalid/unknown-key.yaml:4:1: unknown key 'titel'; did you mean 'title'?",
        "invalid/unknown-key.yaml:10:5: activity 'dialog': unknown key 'specifik'; "
        "did you mean 'specific'?",
        "invalid/unknown-key.yaml:15:5: step 0: unknown key 'activites'; "
        "did you mean 'activities'?",
        "invalid/unknown-key.yaml:22:7: rule 'aterkommande': when.deviations: missing key 'min'",
        "invalid/unknown-key.yaml:22:20: rule 'aterkommande': when.deviations: unknown key "
        "'mni'; did you mean 'min'?",
        "invalid/not-utf8.yaml:4:16: the file is not UTF-8 text (byte 0xe4 here); "
        "save it as UTF-8",
    ]


def test_show_of_an_invalid_file_prints_positions_not_a_traceback() -> None:
    result = run_trappa("ladder", "show", "invalid/yaml-syntax.yaml", cwd=HERE)
    assert result.returncode == 2
    assert result.stderr == (
        "invalid/yaml-syntax.yaml:7:12: invalid YAML: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence)\n"
    )


def test_an_unknown_ladder_in_a_subprocess() -> None:
    result = run_trappa("ladder", "diff", "regionerna", "kalmr")
    assert result.returncode == 2
    assert result.stderr == (
        "error: unknown ladder 'kalmr'; did you mean 'kalmar'?\n"
        "hint: known ladders: kalmar@2024, regionerna@2024-04-01\n"
    )


def test_validate_and_ladder_help_import_no_rich() -> None:
    # `validate` needs pydantic and ruamel, never rich; `ladder --help` needs nothing heavy.
    code = textwrap.dedent(f"""
        import sys
        from trappa.cli import main
        for args in (["ladder", "--help"], ["validate", {str(LADDERS / "kalmar" / "2024.yaml")!r}]):
            try:
                main(args)
            except SystemExit:
                pass
            heavy = sorted(m for m in ("rich", "pydantic", "ruamel") if m in sys.modules)
            print(args[0], heavy, file=sys.stderr)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stderr.splitlines() == ["ladder []", "validate ['pydantic', 'ruamel']"]
