"""A reviewer's check of every letter kind of both bundled ladders as an office opens it: the
Word file read back with python-docx (A4, sv-SE, header and footer with page fields, columns
sized by content, the subject without "eller motsvarande", properties set by trappa) and the PDF
read back with pypdf (its text with åäö, embedded fonts, PDF/A metadata and OutputIntent)."""

from __future__ import annotations

import io

import docx
import pypdf
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from letters_helpers import (
    ORG,
    add_plan,
    add_sanction,
    add_termination,
    new_case,
    open_session,
    resolve_ladder,
    set_org,
)
from trappa.cases import moves
from trappa.letters import correspondence
from trappa.letters.correspondence import Choice


def _kinds() -> list[tuple[str, str, int]]:
    out = []
    for ref in ("regionerna", "kalmar"):
        view = resolve_ladder(ref)
        for kind in [*view.letters, "handlingsplan", "nedtrappning"]:
            levels = [lv for lv in view.levels if kind in view.step_letters(lv)]
            if kind in view.letters and not levels:
                continue  # a letter this ladder inherits but no step of it sends
            out.append((ref, kind, levels[0] if levels else 3))
    return out


KINDS = _kinds()


def _render(ladder: str, kind: str, level: int, fmt: str) -> tuple[bytes, str, str]:
    """(content, case id, subject line) of ``kind`` on a case at ``level``."""
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, ladder=ladder, level=level)
        add_plan(s, case_id)
        add_sanction(s, case_id)
        if kind == "meddelande-om-avslut":
            add_termination(s, case_id)
        if kind == "nedtrappning":
            moves.deescalate(s, case_id, to=level - 1, reason="Åtgärderna har haft avsedd effekt")
        rendered = correspondence.render_letter(s, s.case(case_id), kind, fmt, choice=Choice())
        view = s.ladder_of(s.case(case_id))
    spec = {**correspondence.letter_kinds(view)[kind]}
    return rendered.content, case_id, spec.get("subject") or spec["title"]


@pytest.mark.parametrize(("ladder", "kind", "level"), KINDS, ids=lambda v: str(v))
def test_the_word_file_is_one_an_office_can_send(ladder: str, kind: str, level: int) -> None:
    content, case_id, subject = _render(ladder, kind, level, "docx")
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert Mm(20) <= section.left_margin <= Mm(30)
    # The document's language is Swedish, on the defaults and on the Normal style.
    languages = {lang.get(qn("w:val")) for lang in document.styles.element.iter(qn("w:lang"))}
    assert languages == {"sv-SE"}
    # The letterhead on every page, the diarienummer and the page number fields in the footer.
    assert "Region Kalmar län" in "\n".join(p.text for p in section.header.paragraphs)
    footer = section.footer.paragraphs[0]
    assert "Dnr RK 2026/1234" in footer.text and f"Ärende {case_id}" in footer.text
    fields = [text.text.strip() for text in footer._p.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert "Sida" in footer.text and " av " in footer.text
    # Tables: columns sized by what they hold, the header row repeated on every page.
    for table in document.tables:
        widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        if len(widths) > 2:
            assert len(set(widths)) > 1, widths
            assert sum(widths) <= Mm(163).twips + len(widths)
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
    # The subject line, as the recipient reads it.
    heading = next(p.text for p in document.paragraphs if p.style.name == "Heading 1")
    assert "eller motsvarande" not in heading
    assert "eller motsvarande" not in subject
    properties = document.core_properties
    assert properties.author == ORG["org.name"]
    assert "python-docx" not in (properties.author + properties.comments
                                 + properties.last_modified_by)
    assert properties.subject == f"Dnr RK 2026/1234 · Ärende {case_id}"
    assert "eller motsvarande" not in properties.title
    # The closing stays with the signature.
    paragraphs = document.paragraphs
    closing = [i for i, p in enumerate(paragraphs) if p.text == "Med vänliga hälsningar"]
    if closing:
        assert paragraphs[closing[0]].paragraph_format.keep_with_next
    # Each party's signature block stays together: its name, place and date, signature.
    for i, paragraph in enumerate(paragraphs):
        if paragraph.text.startswith("Ort och datum"):
            assert paragraphs[i - 1].text.startswith("För ")
            assert paragraphs[i - 1].paragraph_format.keep_with_next
            assert paragraph.paragraph_format.keep_with_next


@pytest.mark.parametrize(("ladder", "kind", "level"), KINDS, ids=lambda v: str(v))
def test_the_pdf_reads_back_with_its_text_and_its_fonts(ladder: str, kind: str, level: int):
    content, case_id, subject = _render(ladder, kind, level, "pdf")
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Vårdbemanning Norr AB" in text and case_id in text
    assert f"Sida 1 av {len(reader.pages)}" in text
    assert "Region Kalmar län" in text
    fonts = _fonts(reader)
    assert fonts and all(embedded for embedded in fonts.values()), fonts


def test_the_pdf_is_marked_pdf_a_2b_with_an_srgb_output_intent() -> None:
    content, case_id, subject = _render("regionerna", "meddelande-om-sanktion", 2, "pdf")
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert reader.pdf_header == "%PDF-1.7"
    root = reader.trailer["/Root"]
    intents = root["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intents[0].get_object()
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert subject in xmp and ORG["org.name"] in xmp
    assert root["/Lang"] == "sv-SE"
    assert "/Encrypt" not in reader.trailer
    # PDF/A-2: a file identifier, the metadata stream unfiltered, no Info dictionary to
    # disagree with it.
    assert "/ID" in reader.trailer and "/Info" not in reader.trailer
    assert "/Filter" not in root["/Metadata"].get_object()


def test_the_same_letter_gives_the_same_pdf_bytes() -> None:
    # A letter's sha256 is recorded: rendering it again must give the same bytes, so nothing in
    # the PDF may depend on the clock (fpdf2's own XMP stamps the current time; ours does not).
    with open_session() as s:
        set_org(s)
        state = s.case(new_case(s))
        first, second = (
            correspondence.render_letter(s, state, "avvikelsemeddelande", "pdf").content
            for _ in range(2)
        )
    assert first == second
    assert b"2026-10-01T00:00:00+00:00" in first  # the letter's date, not the time of writing


def _fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Every font the pages use, and whether its file is embedded."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found[str(font.get("/BaseFont"))] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


def test_the_pdf_renderer_takes_any_document_with_tables_and_images() -> None:
    # The module other documents reuse (the monthly report): Markdown with a chart in memory.
    import datetime as dt

    from PIL import Image

    from trappa.letters.frame import Frame
    from trappa.letters.pdf import markdown_to_pdf

    chart = io.BytesIO()
    Image.new("RGB", (400, 200), (30, 90, 160)).save(chart, format="PNG")
    rows = "\n".join(
        f"| 2026-{m:02d} | {m * 3} | Öppna ärenden i månad {m} |" for m in range(1, 13))
    markdown = (f"# Månadsrapport\n\nStycke med **fet** och *kursiv* text -- och ~~ och C:\\mapp."
                f"\n\n![Diagram](stapel.png)\n\n| Månad | Antal | Kommentar |\n| --- | --- | --- |"
                f"\n{rows}\n" + "\nÅterkommande rad.\n" * 60)
    frame = Frame(title="Månadsrapport", date=dt.date(2026, 10, 31), author="Region Kalmar län",
                  header=("Region Kalmar län",), footer="Månadsrapport oktober 2026")
    reader = pypdf.PdfReader(io.BytesIO(markdown_to_pdf(markdown, frame,
                                                        images={"stapel.png": chart.getvalue()})))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2
    assert f"Sida 2 av {len(reader.pages)}" in text
    # Text that looks like fpdf2's own markup stays literal.
    assert "text -- och ~~ och C:\\mapp." in text
    assert "Öppna ärenden i månad 12" in text
    assert any("/XObject" in (page.get("/Resources") or {}) for page in reader.pages)


def test_the_pdf_keeps_the_closing_and_each_signature_block_on_one_page() -> None:
    from trappa.letters.documents import markdown_parser
    from trappa.letters.pdf import kept_together

    markdown = ("Stycke.\n\n**För Region**\n\nOrt och datum: ...\n\nUnderskrift: ...\n\n"
                "Namnförtydligande: A\n\nSista stycket.\n\nMed vänliga hälsningar\n\nAnna\n")
    tokens = markdown_parser().parse(markdown)
    starts = {i: tokens[i + 1].content for i in kept_together(tokens)}
    assert sorted(starts.values()) == ["**För Region**", "Sista stycket."]
