"""The supplier dossier: the whole recorded history across cases, in date order, with a summary;
facts only, and no trace of an anonymous reporter."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from letters_helpers import open_session, resolve_ladder, run_cli, set_org
from trappa.cases import changes, moves, plans, reporting, sanctions
from trappa.cases.inputs import ReportInput, check_report
from trappa.letters import correspondence
from trappa.letters.documents import docx_text
from trappa.letters.dossier import render_dossier

SUPPLIER = "Vårdbemanning Norr AB"
ORG_NR = "556677-8899"


def _report(day: dt.date, **fields) -> str:
    with open_session(day) as s:
        data = ReportInput(supplier=SUPPLIER, org_nr=ORG_NR, **fields)
        return reporting.report(s, check_report(data, day), resolve_ladder).case.id


def _on(day: str):
    return open_session(dt.date.fromisoformat(day))


@pytest.fixture
def story() -> dict[str, str]:
    """Two cases of one supplier over half a year; returns the ids and the letter's sha256."""
    with _on("2026-03-16") as s:
        set_org(s)
    first = _report(
        dt.date(2026, 3, 16), contract="Bemanning 2025", criticality=4,
        description="Beställd sjuksköterska uteblev från nattpass", category="leverans",
        source="verksamhet", reporter="Karin Karlsson", observed=dt.date(2026, 3, 14),
        reference="RK 2026/1234",
    )
    with _on("2026-03-20") as s:
        changes.done(s, first, "riskbedomning", note="Låg risk för patienterna")
    _report(
        dt.date(2026, 4, 3), contract="Bemanning 2025", description="Pass bekräftades inte i tid",
        source="visselblåsning", anonymous=True, observed=dt.date(2026, 4, 1),
    )
    with _on("2026-04-10") as s:
        moves.escalate(s, first, to=1, reason="Återkommande avvikelser")
    with _on("2026-04-12") as s:
        changes.done(s, first, "faktainsamling")
    with _on("2026-04-15") as s:
        plans.establish_plan(s, first, dt.date(2026, 5, 31), ["Bekräfta pass i förväg"],
                                  owner="Per Persson")
        sent = correspondence.produce(
            s, first, "begaran-om-handlingsplan", "md", lambda letter: None
        )
    second = _report(
        dt.date(2026, 5, 5), contract="Städ 2024", description="Operationssal ej städad",
        serious=True, category="kvalitet",
    )
    with _on("2026-06-02") as s:
        plans.follow_up_plan(s, first, "not_followed", note="Inga bekräftelser skickade")
    with _on("2026-06-05") as s:
        moves.escalate(s, first, to=2, reason="Handlingsplanen följs inte")
    with _on("2026-06-10") as s:
        sanctions.sanction(s, first, "vite", "Uteblivna pass", 12500)
    with _on("2026-08-01") as s:
        moves.deescalate(s, first, to=1, reason="Bekräftelser skickas nu varje vecka")
    return {"first": first, "second": second, "sha256": sent.letter.sha256}


def _dossier(fmt: str = "md", supplier: str = SUPPLIER) -> bytes:
    with _on("2026-10-01") as s:
        return render_dossier(s, supplier, fmt).content


def _timeline(md: str) -> list[list[str]]:
    section = md.split("## Händelseförlopp\n", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("| ")][2:]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def test_the_dossier_summarises_and_then_tells_everything_in_date_order(story) -> None:
    md = _dossier().decode()
    first, second = story["first"], story["second"]
    assert md.startswith(f"# Leverantörsdossier: {SUPPLIER}\n")
    for line in (
        "- **Organisationsnummer:** 556677-8899",
        "- **Ärenden:** 2 (2 öppna)",
        "- **Registrerade händelser:** 3 (1 allvarlig)",
        "- **Högsta steg i trappan:** 2",
        "- **Sanktioner:** 1",
        "- **Skickade skrivelser:** 1",
        # Six columns, to fit A4 portrait: the counts in words a reader need not decode.
        f"| {first}, dnr RK 2026/1234 | Bemanning 2025 (kritikalitet 4) | Öppnat 2026-03-16 |"
        " 1 (2) | 2 | 1 plan, 1 sanktion, 1 skrivelse |",
        f"| {second} | Städ 2024 | Öppnat 2026-05-05 | 0 (0) | 1, varav 1 allvarlig |"
        " 0 planer, 0 sanktioner, 0 skrivelser |",
        "Trappa: Regionernas gemensamma eskaleringstrappa.",
    ):
        assert line in md.splitlines(), line
    assert "13 kap. 3 § första stycket 5 LOU" in md

    rows = _timeline(md)
    assert [row[0] for row in rows] == [
        "2026-03-16", "2026-03-20", "2026-04-03", "2026-04-10", "2026-04-12", "2026-04-15",
        "2026-04-15", "2026-05-05", "2026-06-02", "2026-06-05", "2026-06-10", "2026-08-01",
    ]
    what = [row[2] for row in rows]
    assert what[0] == (
        "Ärendet öppnas (Regionernas gemensamma eskaleringstrappa). Avvikelse nr 1: Beställd"
        " sjuksköterska uteblev från nattpass (observerad 14 mars 2026; kategori leverans; källa"
        " verksamhet; rapporterad av Karin Karlsson)"
    )
    assert what[1] == "Aktivitet utförd på steg 0: Riskbedömning. Låg risk för patienterna"
    assert what[3] == (
        "**Upp i trappan** från steg 0 till steg 1 (Återkommande avvikelser). Skäl: Återkommande"
        " avvikelser"
    )
    assert what[4] == "Aktivitet utförd på steg 1: Faktainsamling."
    assert what[6] == (
        "Skrivelse skickad: Begäran om handlingsplan till Vårdbemanning Norr AB – Leverantören"
        " (kontaktperson) (md; aktivitet Upprätta handlingsplan), sha256 " + story["sha256"]
    )
    assert what[7].startswith("Ärendet öppnas (Regionernas gemensamma eskaleringstrappa).")
    assert "**Allvarlig** avvikelse nr 1: Operationssal ej städad" in what[7]
    assert what[8] == "Handlingsplan 1 uppföljd: inte följd. Inga bekräftelser skickade"
    assert what[10] == "**Sanktion 1:** Vite, 12\u00a0500\u00a0kr. Skäl: Uteblivna pass"
    assert what[11] == (
        "**Ned i trappan** från steg 2 till steg 1 (Återkommande avvikelser). Skäl: Bekräftelser"
        " skickas nu varje vecka"
    )


def test_an_anonymous_report_names_its_recorder_and_no_reporter(story) -> None:
    rows = _timeline(_dossier().decode())
    anonymous = rows[2]
    assert anonymous[2] == (
        "Avvikelse nr 2: Pass bekräftades inte i tid (observerad 1 april 2026; källa"
        " visselblåsning)"
    )
    # The official who registered the tip is named, as show names them; the whistleblower,
    # who is not that official, stays unknown.
    assert anonymous[3] == "testare"
    assert {row[3] for row in rows} == {"testare"}


def test_the_dossier_as_html_and_word(story) -> None:
    page = ET.fromstring(_dossier("html"))
    text = "".join(page.itertext())
    assert f"Leverantörsdossier: {SUPPLIER}" in text
    assert story["sha256"] in text
    word = docx_text(_dossier("docx"))
    assert f"Leverantörsdossier: {SUPPLIER}" in word
    assert story["first"] in word and story["sha256"] in word
    assert "2026-08-01" in word


def test_dossier_command_json_and_a_word_file_by_default(
    story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary
) -> None:
    code, out, err = run_cli(capsysbinary, "dossier", "vårdbemanning norr ab", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["supplier"] == {"name": SUPPLIER, "org_nr": ORG_NR}
    assert [c["case"] for c in data["cases"]] == [story["first"], story["second"]]
    assert data["totals"]["serious"] == 1
    assert len(data["timeline"]) == 12
    assert data["content"].startswith(f"# Leverantörsdossier: {SUPPLIER}\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsysbinary, "dossier", "5566778899", "--format", "docx")
    assert code == 0, err
    path = tmp_path / "Vårdbemanning-Norr-AB-dossier.docx"
    assert out.decode() == f"wrote {path}\n"
    assert story["sha256"] in docx_text(path.read_bytes())


def test_an_unknown_or_ambiguous_supplier_is_bad_input(capsysbinary) -> None:
    _report(dt.date(2026, 10, 1), description="x")
    with open_session() as s:
        data = ReportInput(supplier=SUPPLIER, org_nr="556036-0793", description="y")
        reporting.report(s, check_report(data, s.today), resolve_ladder)
    code, out, err = run_cli(capsysbinary, "dossier", "Okänt AB")
    assert (code, err) == (2, "error: no supplier named 'Okänt AB'\n")
    code, out, err = run_cli(capsysbinary, "dossier", SUPPLIER)
    assert code == 2
    assert err == (
        f"error: '{SUPPLIER}' matches 2 suppliers: {SUPPLIER} (556677-8899), {SUPPLIER}"
        " (556036-0793); give the organisation number\n"
    )
    code, out, err = run_cli(capsysbinary, "dossier", "556036-0793")
    assert code == 0, err
