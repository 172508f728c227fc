"""The sanction kinds a ladder declares (`sanction --kind`, `--takes-effect`), and the options a
letter takes for the facts it states (`--sanction N`, `--override TEXT`, `plan --render --plan
N`, PDF files), through the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest

from letters_helpers import add_plan, new_case, open_session, run_cli, set_org


@pytest.fixture
def case_id() -> str:
    with open_session() as s:
        set_org(s)
        case = new_case(s, level=5)
        add_plan(s, case)
        return case


def test_sanction_kind_is_a_code_of_the_ladder(case_id: str, capsysbinary) -> None:
    code, out, err = run_cli(capsysbinary, "sanction", case_id, "--kind", "böter",
                             "--reason", "x")
    # (in the stored ladder's order: its keys sorted, as it is hashed)
    assert (code, err) == (2, "error: sanction kind 'böter' is not one of the ladder's: annan,"
                              " avdrag, havning, skadestand, uppsagning, vite\n")
    code, out, err = run_cli(capsysbinary, "sanction", case_id, "--kind", "uppsagning",
                             "--reason", "Avtalets punkt 12", "--takes-effect", "2027-01-31",
                             "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["kind"] == "uppsagning" and data["takes_effect"] == "2027-01-31"


def test_takes_effect_before_the_decision_is_bad_input(case_id: str, capsysbinary) -> None:
    code, out, err = run_cli(capsysbinary, "sanction", case_id, "--kind", "havning",
                             "--reason", "x", "--takes-effect", "2026-09-30")
    assert (code, err) == (2, "error: --takes-effect 2026-09-30 lies before the decision's date"
                              " 2026-10-01\n")


def test_the_termination_letter_is_refused_until_the_decision_is_recorded(
    case_id: str, capsysbinary
) -> None:
    code, out, err = run_cli(capsysbinary, "letter", case_id, "meddelande-om-avslut", "--preview")
    assert code == 1
    assert err.startswith(f"error: case {case_id} has no termination recorded")
    run_cli(capsysbinary, "sanction", case_id, "--kind", "havning", "--reason", "Punkt 12",
            "--takes-effect", "2026-10-31")
    code, out, err = run_cli(capsysbinary, "letter", case_id, "meddelande-om-avslut", "--preview")
    assert code == 0, err
    assert "från och med 31 oktober 2026" in out.decode()


def test_plan_render_json_is_json_and_pdf_is_a_file(
    case_id: str, capsysbinary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run_cli(capsysbinary, "plan", case_id, "--render", "--plan", "1", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["plan"] == 1 and data["format"] == "md" and data["file"] is None
    assert data["content"].startswith("# Handlingsplan\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsysbinary, "plan", case_id, "--render", "--format", "pdf")
    assert code == 0, err
    written = tmp_path / f"{case_id}-handlingsplan.pdf"
    text = pypdf.PdfReader(io.BytesIO(written.read_bytes())).pages[0].extract_text()
    assert "Handlingsplan" in text and "Vårdbemanning Norr AB" in text
    code, out, err = run_cli(capsysbinary, "plan", case_id, "--plan", "1")
    assert (code, err) == (2, "error: --plan N chooses the plan to render: use it with"
                              " --render\n")


def test_a_letter_as_pdf_is_recorded_and_kept(
    case_id: str, capsysbinary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsysbinary, "letter", case_id, "information-sveriges-regioner",
                             "--format", "pdf", "--json")
    assert code == 0, err
    data = json.loads(out)
    written = Path(data["file"])
    assert written.name == f"{case_id}-information-sveriges-regioner.pdf"
    assert data["format"] == "pdf" and data["recorded"] is True
    code, out, err = run_cli(capsysbinary, "letter", case_id, "--copy", "1", "-o",
                             str(tmp_path / "copy.pdf"))
    assert code == 0, err
    assert (tmp_path / "copy.pdf").read_bytes() == written.read_bytes()
