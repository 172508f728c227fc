"""The body of a Word document, written from markdown-it's block tokens: headings, paragraphs,
bold and italic, lists, code and tables (columns sized by content, the header row repeated on
every page, a row never split across pages)."""

from __future__ import annotations

from typing import Any

from trappa.letters.columns import column_fractions


class DocxWriter:
    """Walks markdown-it's block tokens and writes them into a python-docx document."""

    def __init__(self, document: Any, text_width_mm: float) -> None:
        self.document = document
        self.text_width_mm = text_width_mm
        self.lists: list[dict[str, Any]] = []  # the open lists: kind and next number
        self.in_item_paragraphs = 0

    def write(self, tokens: list[Any]) -> None:
        index = 0
        while index < len(tokens):
            index = self._block(tokens, index)

    def _block(self, tokens: list[Any], i: int) -> int:
        token = tokens[i]
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1])
            paragraph = self.document.add_heading(level=min(level, 9))
            self._inline(paragraph, tokens[i + 1].children or [])
            return i + 3
        if kind == "paragraph_open":
            paragraph = self._paragraph_for_list_or_body()
            self._inline(paragraph, tokens[i + 1].children or [])
            return i + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1)
            self.lists.append({"ordered": kind == "ordered_list_open", "next": start})
            return i + 1
        if kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
            return i + 1
        if kind == "list_item_open":
            self.in_item_paragraphs = 0
            return i + 1
        if kind == "table_open":
            return self._table(tokens, i)
        if kind in ("fence", "code_block"):
            for line in token.content.rstrip("\n").split("\n"):
                run = self.document.add_paragraph().add_run(_xml_safe(line))
                run.font.name = "Courier New"
            return i + 1
        if kind == "hr":
            self.document.add_paragraph()
            return i + 1
        if kind == "blockquote_open":
            # Quoted paragraphs are written as paragraphs; the style marks them.
            close = matching(tokens, i, "blockquote_close")
            before = len(self.document.paragraphs)
            self.write(tokens[i + 1 : close])
            for paragraph in self.document.paragraphs[before:]:
                paragraph.style = self.document.styles["Quote"]
            return close + 1
        return i + 1  # closing tokens and anything without content of its own

    def _paragraph_for_list_or_body(self) -> Any:
        if not self.lists:
            return self.document.add_paragraph()
        current = self.lists[-1]
        depth = min(len(self.lists), 3)
        suffix = "" if depth == 1 else f" {depth}"
        self.in_item_paragraphs += 1
        if self.in_item_paragraphs > 1:  # a second paragraph of the same item
            return self.document.add_paragraph(style=f"List Continue{suffix}")
        if current["ordered"]:
            # The number is written out: Word's numbered styles continue across lists.
            paragraph = self.document.add_paragraph(style=f"List{suffix}")
            paragraph.add_run(f"{current['next']}. ")
            current["next"] += 1
            return paragraph
        return self.document.add_paragraph(style=f"List Bullet{suffix}")

    def _table(self, tokens: list[Any], i: int) -> int:
        rows: list[list[tuple[bool, list[Any]]]] = []
        close = matching(tokens, i, "table_close")
        for token_index in range(i, close):
            token = tokens[token_index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                rows[-1].append((token.type == "th_open", tokens[token_index + 1].children or []))
        if rows:
            self._write_table(rows)
        return close + 1

    def _write_table(self, rows: list[list[tuple[bool, list[Any]]]]) -> None:
        from docx.shared import Mm, Pt

        columns = max(len(row) for row in rows)
        texts = [[inline_text(children) for _, children in row] for row in rows]
        widths = [Mm(self.text_width_mm * share) for share in column_fractions(texts)]
        table = self.document.add_table(rows=len(rows), cols=columns)
        table.style = self.document.styles["Table Grid"]
        table.autofit = False
        _fixed_layout(table, widths)
        for r, row in enumerate(rows):
            header = any(is_header for is_header, _ in row)
            _row_properties(table.rows[r], header=header)
            for c in range(columns):
                cell = table.cell(r, c)
                cell.width = widths[c]
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(0)
                if c < len(row):
                    self._inline(paragraph, row[c][1], bold=row[c][0], size=Pt(9.5))
        # Space after the table, so that the next paragraph does not touch it.
        self.document.add_paragraph().paragraph_format.space_after = Pt(0)

    def _inline(self, paragraph: Any, children: list[Any], *, bold: bool = False,
                size: Any = None) -> None:
        strong = 1 if bold else 0
        emphasis = 0
        for child in children:
            kind = child.type
            run = None
            if kind in ("text", "image"):
                if child.content:
                    run = self._run(paragraph, child.content, strong > 0, emphasis > 0)
            elif kind == "code_inline":
                run = self._run(paragraph, child.content, strong > 0, emphasis > 0)
                run.font.name = "Courier New"
            elif kind == "softbreak":
                run = self._run(paragraph, " ", strong > 0, emphasis > 0)
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
            elif kind == "strong_open":
                strong += 1
            elif kind == "strong_close":
                strong -= 1
            elif kind == "em_open":
                emphasis += 1
            elif kind == "em_close":
                emphasis -= 1
            # a link's text is written; where it points is not a letter's concern
            if run is not None and size is not None:
                run.font.size = size

    @staticmethod
    def _run(paragraph: Any, text: str, bold: bool, italic: bool) -> Any:
        run = paragraph.add_run(_xml_safe(text))
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        return run


def _fixed_layout(table: Any, widths: list[Any]) -> None:
    """The table's grid and width as computed (``autofit = False`` has made the layout fixed, so
    that Word and LibreOffice keep them)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl = table._tbl
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width.twips)))
    properties = tbl.tblPr
    total = properties.find(qn("w:tblW"))
    if total is None:  # python-docx writes one; keep the schema's order if it did not
        total = OxmlElement("w:tblW")
        properties.insert(1 if properties.tblStyle is not None else 0, total)
    total.set(qn("w:w"), str(sum(int(width.twips) for width in widths)))
    total.set(qn("w:type"), "dxa")


def _row_properties(row: Any, *, header: bool) -> None:
    """A row is never split across pages; a header row is repeated on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        properties.append(repeat)


def inline_text(children: list[Any]) -> str:
    """The plain text of an inline token's children."""
    return "".join(
        " " if child.type in ("softbreak", "hardbreak") else child.content
        for child in children
        if child.type in ("text", "code_inline", "softbreak", "hardbreak")
    )


def matching(tokens: list[Any], i: int, close_type: str) -> int:
    """The index of the token that closes ``tokens[i]`` (same nesting level)."""
    level = tokens[i].level
    for j in range(i + 1, len(tokens)):
        if tokens[j].type == close_type and tokens[j].level == level:
            return j
    return len(tokens) - 1


def _xml_safe(text: str) -> str:
    from trappa.letters.documents import xml_safe

    return xml_safe(text)
