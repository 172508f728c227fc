"""``trappa monthly``: October's report as Markdown, HTML with vector charts and a workbook with
Excel's own charts, its numbers those of ``figures``, ``status`` and the exports, ending with the
register's checkpoint."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from conftest import run_trappa
from story_register import tell

TODAY = {"TRAPPA_TODAY": "2026-11-05"}


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("monthly") / "register.db"
    tell(db)
    return db


def _run(register: Path, *args: str) -> str:
    done = run_trappa("monthly", "--month", "2026-10", *args, "--db", str(register), env=TODAY)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _json(register: Path, *args: str) -> object:
    done = run_trappa(*args, "--json", "--db", str(register), env=TODAY)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_markdown_report_in_swedish(register: Path) -> None:
    text = _run(register)
    assert text.startswith("# Månadsrapport oktober 2026: leverantörsuppföljning\n")
    for line in (
        "| Öppna ärenden vid periodens slut | 2 | 1 | +1 |",
        "| Vite | 40\u00a0000,50\u00a0kr | 0\u00a0kr | +40\u00a0000,50\u00a0kr |",
        "| 2026-10-15 | 2026-0001 | Vård AB | Bemanning | 1 | 3 | Upprepade brister |",
        "| Vård AB | 556677-8899 | Bemanning | 4 | 2026-0001 | 3 |",
        "| 2026-0001 | Vård AB | Bemanning | 3 | 4 | 2026-10-20 |",  # red in status today
    ):
        assert line in text.splitlines(), line


def test_the_numbers_are_those_of_figures_status_and_the_exports(register: Path) -> None:
    text = _run(register).splitlines()
    figures = _json(register, "figures", "--from", "2026-10-01", "--to", "2026-10-31")
    now = figures["current"]
    assert f"| Registrerade avvikelser och händelser | {now['deviations']} | 1 | +2 |" in text
    assert f"| Eskaleringar | {now['escalations']} | 0 | +2 |" in text
    red = [row for row in _json(register, "status") if row["light"] == "red"]
    assert f"- **Röda ärenden i dag:** {len(red)}" in text
    exported = run_trappa("export", "sanctions", "--format", "jsonl", "--db", str(register))
    amounts = [json.loads(line)["amount_sek"] for line in exported.stdout.splitlines()]
    assert sum(amounts) == now["sanctions_amount_sek"] == 41235.0


def test_it_ends_with_the_registers_checkpoint(register: Path) -> None:
    text = _run(register)
    checkpoint = run_trappa("checkpoint", "--db", str(register)).stdout.splitlines()
    events, root = checkpoint[1], checkpoint[2]
    assert f"händelser, {_hash(register)}*" in text
    tail = text.rstrip("\n").splitlines()[-4:]
    assert tail[:3] == [checkpoint[0] + "\\", events + "\\", root + "\\"]
    assert tail[3].startswith("date ")


def _hash(register: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(register)
    try:
        return conn.execute("SELECT hash FROM events ORDER BY position DESC LIMIT 1").fetchone()[0]
    finally:
        conn.close()


def test_html_embeds_three_vector_charts(register: Path) -> None:
    page = _run(register, "--format", "html")
    assert page.count("<svg") == 3 and page.count('<figure class="chart">') == 3
    assert "<image" not in page  # vector, no raster inside
    assert "Diagram 3. Öppna ärenden per avtalets kritikalitet och steg" in page
    import xml.etree.ElementTree as ET

    svgs = ET.fromstring(page).findall(".//{http://www.w3.org/2000/svg}svg")
    assert len(svgs) == 3  # the page is well-formed XHTML with the charts inside


def test_the_workbook_has_typed_cells_and_excels_own_charts(
    register: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "oktober.xlsx"
    _run(register, "-o", str(out))
    with zipfile.ZipFile(out) as book:
        charts = [name for name in book.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 3
    workbook = load_workbook(out)
    assert workbook.sheetnames[:4] == ["Nyckeltal", "Ärenden per steg", "Avvikelser per månad",
                                       "Kritikalitet och steg"]
    sheet = workbook["Nyckeltal"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    assert rows["Öppna ärenden vid periodens slut"] == (2, 1)
    assert rows["Vite"] == (40000.5, 0)
    assert any(str(key).startswith("Registrets kontrollsumma vid utskrift: 11") for key in rows)
    moves = workbook["Förflyttningar"]
    assert moves["A2"].value.date().isoformat() == "2026-10-05"


def test_one_command_writes_several_formats(register: Path, tmp_path: Path) -> None:
    html, xlsx = tmp_path / "oktober.html", tmp_path / "oktober.xlsx"
    done = run_trappa("monthly", "--month", "2026-10", "-o", str(html), "-o", str(xlsx),
                      "--db", str(register), env=TODAY)
    assert done.returncode == 0, done.stderr
    assert html.read_text().startswith("<!DOCTYPE html>")
    assert zipfile.is_zipfile(xlsx)
    assert done.stderr.count("the monthly report for 2026-10") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "a.md", "-o", "b.html", "--format", "md"], "--format is for one output"),
        (["--month", "2026-13"], "is not a month"),
        (["--month", "2026-12"], "lies in the future"),
        (["--format", "docx"], "is not one of md, html, xlsx"),
        (["-o", "rapport.txt"], "cannot tell the format"),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(register: Path, args: list[str], message: str) -> None:
    done = run_trappa("monthly", *args, "--db", str(register), env=TODAY)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_an_existing_file_needs_force(register: Path, tmp_path: Path) -> None:
    out = tmp_path / "rapport.html"
    out.write_text("keep")
    done = run_trappa("monthly", "-o", str(out), "--db", str(register), env=TODAY)
    assert done.returncode == 2 and "give --force" in done.stderr
    assert out.read_text() == "keep"
    forced = run_trappa("monthly", "-o", str(out), "--force", "--db", str(register), env=TODAY)
    assert forced.returncode == 0 and out.read_text().startswith("<!DOCTYPE html>")
