"""Markdown to a Word document as a Swedish office sends it.

A4 with margins for filing, the document language on every style (Word spell-checks Swedish as
Swedish), a header with the organisation and its logo, a footer with the diarienummer and
"Sida X av Y" as Word fields, tables with their columns sized by content and their header row
repeated on every page, the closing and signature kept on the page of the last paragraph, and
the file's properties set by trappa (title, author = the organisation, subject = the case).

The content comes from markdown-it's block tokens (headings, paragraphs, bold and italic, lists,
tables). The zip is written with fixed timestamps so that the same letter gives the same bytes
(and the same sha256) whenever it is rendered.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from trappa.letters.frame import Frame
from trappa.letters.word_body import DocxWriter

# Millimetres: A4, and margins a binder and a letter-opener both leave alone.
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 25, 22, 25, 22
HEADER_DISTANCE, FOOTER_DISTANCE = 10, 10
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
LOGO_HEIGHT = 14

BODY_FONT, HEADING_FONT = "Times New Roman", "Arial"
# The words a letter closes with: the paragraph before them, they and the signature stay together.
CLOSINGS = ("Med vänliga hälsningar", "Med vänlig hälsning", "Vänliga hälsningar")
# The lines of a signature block, kept with the party's name above them.
SIGNATURE_LINES = ("Ort och datum", "Underskrift", "Namnförtydligande")


def markdown_to_docx(markdown: str, frame: Frame) -> bytes:
    """A Word document with the content of ``markdown`` in ``frame``."""
    import docx

    from trappa.letters.documents import markdown_parser

    document = docx.Document()
    _page(document)
    _styles(document, frame.language_tag)
    _header(document, frame)
    _footer(document, frame)
    DocxWriter(document, TEXT_WIDTH).write(markdown_parser().parse(markdown))
    _keep_closing_together(document)
    _set_properties(document, frame)
    return save(document, frame.date)


def _page(document: Any) -> None:
    from docx.shared import Mm

    for section in document.sections:
        section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
        section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
        section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
        section.header_distance, section.footer_distance = Mm(HEADER_DISTANCE), Mm(FOOTER_DISTANCE)


def _styles(document: Any, language: str) -> None:
    """The document language on the defaults and every style; fonts and sizes of an office
    letter; headings in black, kept with what follows."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    styles_element = document.styles.element
    for lang in styles_element.iter(qn("w:lang")):
        lang.set(qn("w:val"), language)
        lang.set(qn("w:eastAsia"), language)
    settings = document.settings.element
    for theme_lang in settings.iter(qn("w:themeFontLang")):
        theme_lang.set(qn("w:val"), language)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(11)
    _language(normal.element, language)
    normal.paragraph_format.space_after = Pt(6)
    sizes = {1: 15, 2: 12.5, 3: 11.5}
    for level, size in sizes.items():
        style = document.styles[f"Heading {level}"]
        style.font.name = HEADING_FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
        _language(style.element, language)
        # The theme's heading font would win over the name set above.
        fonts = style.element.rPr.find(qn("w:rFonts"))
        if fonts is not None:
            for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attribute), None)
    for style in document.styles:
        element = getattr(style, "element", None)
        if element is not None and element.find(qn("w:rPr")) is not None:
            _language(element, language)


def _language(style_element: Any, language: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style_element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def _header(document: Any, frame: Frame) -> None:
    from docx.shared import Mm, Pt

    header = document.sections[0].header
    paragraph = header.paragraphs[0]
    if frame.logo is not None:
        paragraph.add_run().add_picture(str(frame.logo), height=Mm(LOGO_HEIGHT))
        paragraph = header.add_paragraph()
    for index, line in enumerate(frame.header):
        if index:
            paragraph.add_run().add_break()
        run = paragraph.add_run(xml_safe(line))
        run.font.name = HEADING_FONT
        run.font.size = Pt(10 if index == 0 else 9)
        run.bold = index == 0


def _footer(document: Any, frame: Frame) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    style = document.styles["Footer"]
    style.paragraph_format.tab_stops.clear_all()  # the template's are for US Letter
    style.font.name = HEADING_FONT
    style.font.size = Pt(8.5)
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
    page, of = frame.page_words
    parts: list[tuple[str, str]] = [("text", frame.footer), ("text", f"\t{page} "),
                                    ("field", "PAGE"), ("text", f" {of} "),
                                    ("field", "NUMPAGES")]
    for kind, value in parts:
        run = paragraph.add_run() if kind == "field" else paragraph.add_run(xml_safe(value))
        if kind == "field":
            _field(run, value)


def _field(run: Any, instruction: str) -> None:
    """A complex field (PAGE, NUMPAGES) that Word and LibreOffice update as they lay out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    shown = OxmlElement("w:t")
    shown.text = "1"
    for element in (char("begin"), text, char("separate"), shown, char("end")):
        run._r.append(element)


def _keep_closing_together(document: Any) -> None:
    """The paragraph before the closing, the closing and the signature on one page; and each
    signature block of a document to sign ("För X", "Ort och datum", "Underskrift",
    "Namnförtydligande")."""
    paragraphs = document.paragraphs
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text.strip()
        if text.rstrip(",") in CLOSINGS:
            for earlier in paragraphs[max(index - 2, 0) : index + 1]:
                earlier.paragraph_format.keep_with_next = True
                earlier.paragraph_format.keep_together = True
        if text.startswith(SIGNATURE_LINES[:2]) and index > 0:
            # "För X" and the lines after it, up to the last, keep with the next.
            paragraphs[index - 1].paragraph_format.keep_with_next = True
            paragraph.paragraph_format.keep_with_next = True


def _set_properties(document: Any, frame: Frame) -> None:
    # Meaningful properties instead of python-docx's defaults (its own name, 2013, "generated by
    # python-docx"); the date is the document's, so the bytes do not change with the clock.
    from trappa.letters.templating import clean_text

    when = dt.datetime(frame.date.year, frame.date.month, frame.date.day, tzinfo=dt.UTC)
    properties = document.core_properties
    properties.title = xml_safe(clean_text(frame.title))
    properties.author = xml_safe(frame.author or "")
    properties.last_modified_by = xml_safe(frame.author or "")
    properties.subject = xml_safe(frame.subject or "")
    properties.keywords = xml_safe(", ".join(frame.keywords))
    properties.comments = ""
    properties.category = ""
    properties.language = frame.language_tag
    properties.created = when
    properties.modified = when
    properties.revision = 1


def xml_safe(text: str) -> str:
    from trappa.letters.documents import xml_safe as strip

    return strip(text)


def save(document: Any, date: dt.date) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue(), date)


def normalise_zip(data: bytes, date: dt.date) -> bytes:
    """The same zip with every entry dated ``date``: python's zipfile stamps entries with the
    current time, which would give the same letter a new sha256 every minute."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
