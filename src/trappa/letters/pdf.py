"""Markdown to PDF/A-2b, for letters, action plans, the dossier and any other document trappa
writes (the monthly report reuses it).

The entry point is ``markdown_to_pdf(markdown, frame, images=None)``: headings, paragraphs with
bold and italic, bulleted and numbered lists, tables (columns sized by content, the header row
repeated on every page, no row split) and images (``![text](name)``, looked up in ``images``, a
mapping of names to PNG/JPEG bytes, or as a file), on A4 with the ``Frame``'s header (the
organisation and its logo) and footer (its text and "Sida X av Y") on every page.

It uses fpdf2 (pure Python, from PyPI alone), imported only here, and embeds the bundled
Liberation fonts (``fonts/``), so åäö print everywhere. fpdf2's PDF/A-2B mode writes the XMP
metadata with ``pdfaid``, an sRGB OutputIntent and no Info dictionary, and refuses what PDF/A
forbids (unembedded fonts, encryption). The XMP is written here rather than by fpdf2, whose
own stamps the current time: a document's bytes depend only on its content and its date.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from trappa.letters.columns import column_fractions
from trappa.letters.frame import Frame
from trappa.letters.word_body import inline_text, matching

# Millimetres and points, as the Word documents have them (trappa.letters.word).
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 25, 22, 25, 22
HEADER_TOP, FOOTER_FROM_BOTTOM = 10, 12
BODY_SIZE, TABLE_SIZE, SMALL_SIZE = 11, 9.5, 8.5
HEADING_SIZES = {1: 15, 2: 12.5, 3: 11.5}
LINE = 1.35  # line height as a multiple of the font size
LOGO_HEIGHT = 14
CLOSINGS = ("Med vänliga hälsningar", "Med vänlig hälsning", "Vänliga hälsningar")
SIGNATURE_LINES = ("Ort och datum", "Underskrift", "Namnförtydligande")

FONTS = {
    ("Serif", ""): "LiberationSerif-Regular.ttf",
    ("Serif", "B"): "LiberationSerif-Bold.ttf",
    ("Serif", "I"): "LiberationSerif-Italic.ttf",
    ("Serif", "BI"): "LiberationSerif-BoldItalic.ttf",
    ("Sans", ""): "LiberationSans-Regular.ttf",
    ("Sans", "B"): "LiberationSans-Bold.ttf",
}


def fonts_dir() -> Path:
    return Path(__file__).resolve().parent / "fonts"


def markdown_to_pdf(
    markdown: str, frame: Frame, *, images: Mapping[str, bytes] | None = None
) -> bytes:
    """A PDF/A-2b document of ``markdown`` in ``frame``."""
    from trappa.letters.documents import markdown_parser

    pdf = _new_pdf(frame)
    _Writer(pdf, images or {}).write(markdown_parser().parse(markdown))
    return bytes(pdf.output())


def _new_pdf(frame: Frame) -> Any:
    from fpdf import FPDF

    page, of = frame.page_words

    class _Document(FPDF):
        def header(self) -> None:
            self.set_y(HEADER_TOP)
            if frame.logo is not None:
                self.image(str(frame.logo), x=MARGIN_LEFT, y=HEADER_TOP, h=LOGO_HEIGHT)
                self.set_y(HEADER_TOP + LOGO_HEIGHT + 1)
            for index, line in enumerate(frame.header):
                self.set_font("Sans", "B" if index == 0 else "", 10 if index == 0 else 9)
                self.cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
            self.set_y(max(self.y + 4, MARGIN_TOP))  # get_y() refuses inside unbreakable()

        def footer(self) -> None:
            self.set_y(-FOOTER_FROM_BOTTOM)
            self.set_font("Sans", "", SMALL_SIZE)
            self.cell(0, 4, frame.footer, align="L")
            self.set_x(MARGIN_LEFT)
            self.cell(0, 4, f"{page} {self.page_no()} {of} {{nb}}", align="R")

    pdf = _Document(format="A4", unit="mm", enforce_compliance="PDF/A-2B")
    pdf.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
    pdf.set_auto_page_break(True, margin=MARGIN_BOTTOM)
    for (family, style), name in FONTS.items():
        pdf.add_font(family, style, str(fonts_dir() / name))
    when = dt.datetime(frame.date.year, frame.date.month, frame.date.day, tzinfo=dt.UTC)
    pdf.creation_date = when
    pdf.set_title(frame.title)
    pdf.set_author(frame.author or "")
    pdf.set_subject(frame.subject or "")
    pdf.set_lang(frame.language_tag)
    pdf.set_creator("trappa")
    pdf.set_producer("trappa")
    pdf.set_xmp_metadata(_xmp(frame, when))
    pdf.alias_nb_pages()
    pdf.add_page()
    return pdf


def _xmp(frame: Frame, when: dt.datetime) -> str:
    """The XMP packet PDF/A requires: part and conformance, title, author, subject, dates."""
    stamp = when.isoformat(timespec="seconds")

    def alt(tag: str, value: str | None) -> str:
        if not value:
            return ""
        return (f'<dc:{tag}><rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}'
                f"</rdf:li></rdf:Alt></dc:{tag}>")

    creator = (f"<dc:creator><rdf:Seq><rdf:li>{escape(frame.author)}</rdf:li></rdf:Seq>"
               "</dc:creator>") if frame.author else ""
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"'
        f' xmp:CreatorTool="trappa" xmp:CreateDate="{stamp}" xmp:ModifyDate="{stamp}"'
        f' xmp:MetadataDate="{stamp}" pdf:Producer="trappa">'
        "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
        f"{alt('title', frame.title)}{alt('description', frame.subject)}{creator}"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )


def _escape(text: str) -> str:
    """``text`` with fpdf2's own markup (``**``, ``__``, ``--``, ``~~``) kept literal."""
    text = text.replace("\\", "\\\\")
    for marker in ("**", "__", "--", "~~"):
        text = text.replace(marker, "\\" + marker)  # fpdf2 reads a backslash before a marker
    return text


def rich_text(children: list[Any]) -> str:
    """An inline token's children as fpdf2 markdown: bold, italic, and the rest literal."""
    out: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "image"):
            out.append(_escape(child.content))
        elif kind in ("softbreak",):
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind in ("strong_open", "strong_close"):
            out.append("**")
        elif kind in ("em_open", "em_close"):
            out.append("__")
    return "".join(out)


class _Writer:
    """Walks markdown-it's block tokens and draws them with fpdf2."""

    def __init__(self, pdf: Any, images: Mapping[str, bytes]) -> None:
        self.pdf = pdf
        self.images = images
        self.lists: list[dict[str, Any]] = []

    def write(self, tokens: list[Any]) -> None:
        groups = kept_together(tokens)
        i = 0
        while i < len(tokens):
            end = groups.get(i)
            if end is None:
                i = self._block(tokens, i)
                continue
            # A closing with its signature, a party's signature block: on one page.
            with self.pdf.unbreakable() as recorder:
                real, self.pdf = self.pdf, recorder
                while i < end:
                    i = self._block(tokens, i)
                self.pdf = real

    def _block(self, tokens: list[Any], i: int) -> int:
        token = tokens[i]
        kind = token.type
        pdf = self.pdf
        if kind == "heading_open":
            level = min(int(token.tag[1]), 3)
            size = HEADING_SIZES[level]
            # A heading keeps with what follows: no heading alone at the foot of a page.
            if pdf.get_y() + size * 0.35 * 5 > pdf.page_break_trigger:
                pdf.add_page()
            pdf.ln(size * 0.35 * (1.0 if level == 1 else 0.7))
            pdf.set_font("Sans", "B", size)
            text = rich_text(tokens[i + 1].children or []).replace("**", "")
            pdf.multi_cell(0, size * 0.35 * 1.25, text, markdown=True, align="L",
                           new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
            return i + 3
        if kind == "paragraph_open":
            children = tokens[i + 1].children or []
            pictures = [child for child in children if child.type == "image"]
            if pictures and not inline_text(children).strip(" " + "".join(
                    child.content for child in pictures)):
                for picture in pictures:  # a paragraph of images only: a chart, a figure
                    self.image(picture.attrGet("src") or "")
            else:
                self._paragraph(rich_text(children))
            return i + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1)
            self.lists.append({"ordered": kind == "ordered_list_open", "next": start})
            return i + 1
        if kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
            if not self.lists:
                pdf.ln(1.5)
            return i + 1
        if kind == "table_open":
            return self._table(tokens, i)
        if kind in ("fence", "code_block"):
            pdf.set_font("Sans", "", TABLE_SIZE)
            pdf.multi_cell(0, TABLE_SIZE * 0.35 * LINE, token.content.rstrip("\n"),
                           new_x="LMARGIN", new_y="NEXT")
            return i + 1
        if kind == "hr":
            pdf.ln(3)
            return i + 1
        if kind == "blockquote_open":
            return i + 1
        return i + 1

    def _paragraph(self, text: str) -> None:
        pdf = self.pdf
        height = BODY_SIZE * 0.35 * LINE
        pdf.set_font("Serif", "", BODY_SIZE)
        if self.lists:
            current = self.lists[-1]
            indent = 6 * len(self.lists)
            if current["ordered"]:
                marker = f"{current['next']}."
                current["next"] += 1
            else:
                marker = "–"
            pdf.set_x(MARGIN_LEFT + indent - 5)
            pdf.cell(5, height, marker)
            pdf.set_x(MARGIN_LEFT + indent)
            pdf.multi_cell(pdf.epw - indent, height, text, markdown=True, align="L",
                           new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.6)
            return
        if text.startswith("\\_\\_") or text.startswith("__"):  # an italic line: a note
            pdf.set_font("Serif", "", SMALL_SIZE + 1)
        pdf.multi_cell(0, height, text, markdown=True, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.2)

    def _table(self, tokens: list[Any], i: int) -> int:
        from fpdf.fonts import FontFace

        close = matching(tokens, i, "table_close")
        rows: list[list[tuple[bool, list[Any]]]] = []
        for index in range(i, close):
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                rows[-1].append((token.type == "th_open", tokens[index + 1].children or []))
        if not rows:
            return close + 1
        columns = max(len(row) for row in rows)
        texts = [[inline_text(children) for _, children in row] for row in rows]
        fractions = column_fractions(texts)
        pdf = self.pdf
        pdf.set_font("Serif", "", TABLE_SIZE)
        heading = any(is_header for is_header, _ in rows[0])
        with pdf.table(
            width=pdf.epw,
            col_widths=tuple(fraction * 100 for fraction in fractions),
            first_row_as_headings=heading,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            line_height=TABLE_SIZE * 0.35 * 1.3,
            text_align="LEFT",
            v_align="TOP",
            markdown=True,
            padding=(1, 1.5),
            repeat_headings=1,
        ) as table:
            for row in rows:
                out = table.row()
                for c in range(columns):
                    out.cell(rich_text(row[c][1]) if c < len(row) else "")
        pdf.ln(3)
        return close + 1

    def image(self, name: str) -> None:
        """Image ``name`` from ``images``, else the file it names, across the text width."""
        data = self.images.get(name)
        source: Any = io.BytesIO(data) if data is not None else name
        self.pdf.image(source, w=self.pdf.epw)
        self.pdf.ln(2)


def kept_together(tokens: list[Any]) -> dict[int, int]:
    """Token ranges (start -> end) to keep on one page: the paragraph before the closing words
    through the end of the letter, and each signature block ("För X", "Ort och datum",
    "Underskrift", "Namnförtydligande")."""
    paragraphs = [i for i, token in enumerate(tokens) if token.type == "paragraph_open"]
    texts = [inline_text(tokens[i + 1].children or []).strip() for i in paragraphs]
    groups: dict[int, int] = {}
    for position, text in enumerate(texts):
        if text.startswith(SIGNATURE_LINES[0]) and position > 0:
            last = position
            while last + 1 < len(texts) and texts[last + 1].startswith(SIGNATURE_LINES):
                last += 1
            groups[paragraphs[position - 1]] = paragraphs[last] + 3
        if text.rstrip(",") in CLOSINGS:
            groups[paragraphs[max(position - 1, 0)]] = len(tokens)
            break
    return groups
