"""One letter in three formats: the Markdown a template wrote, as a printable HTML page, and as
a Word document.

HTML goes through markdown-it-py with raw HTML off, so nothing in the Markdown can become a tag,
and with XHTML output so that the page is also well-formed XML. Word goes through python-docx
from the same markdown-it tokens (headings, paragraphs, bold and italic, lists, tables), or
through docxtpl when the user supplies a ``<kind>.docx`` letterhead. Both Word paths strip the
characters XML cannot hold, and write the zip with fixed timestamps so that the same letter gives
the same bytes (and the same sha256) whenever it is rendered.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from trappa.errors import Problem, ProblemsError, UserError
from trappa.letters.templating import MissingSetting, Unset, clean_text, kronor, swedish_date
from trappa.messages import say

FORMATS = ("md", "html", "docx")

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

PAGE = """<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="{{ lang }}" xml:lang="{{ lang }}">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{{ title }}</title>
<style>
@page { size: A4; margin: 25mm 22mm; }
body { font-family: Georgia, "Times New Roman", serif; font-size: 11.5pt; line-height: 1.45;
       color: #111; max-width: 42em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.45em; margin: 1.4em 0 0.6em; }
h2 { font-size: 1.15em; margin: 1.3em 0 0.4em; }
h3 { font-size: 1.0em; margin: 1.1em 0 0.3em; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1em; font-size: 0.95em; }
th, td { border: 1px solid #888; padding: 0.25em 0.45em; text-align: left; vertical-align: top; }
th { background: #eee; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; word-break: break-all; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; }
               tr, li { page-break-inside: avoid; } }
</style>
</head>
<body>
<main>
{{ body }}
</main>
</body>
</html>
"""


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UserError(say("letters.format", format=fmt, formats=", ".join(FORMATS)))
    return fmt


def _markdown_it() -> Any:
    from markdown_it import MarkdownIt

    # commonmark with raw HTML off: "<script>" in the Markdown prints as text. Tables on.
    return MarkdownIt("commonmark", {"html": False, "xhtmlOut": True}).enable("table")


def markdown_to_html(markdown: str, *, title: str, lang: str = "sv") -> str:
    """A complete, printable XHTML page of ``markdown``."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from markupsafe import Markup

    body = _markdown_it().render(markdown)
    env = ImmutableSandboxedEnvironment(autoescape=True)  # the page's own values are escaped
    return env.from_string(PAGE).render(
        lang=lang, title=clean_text(title), body=Markup(body.strip())
    )


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML document (and so Word) cannot hold. ``&`` and ``<``
    are escaped by lxml when the text is written."""
    return _XML_INVALID.sub("", text)


# --- Word from Markdown -------------------------------------------------------------------------


def markdown_to_docx(
    markdown: str, *, title: str, date: dt.date, author: str | None = None
) -> bytes:
    """A Word document with the content of ``markdown``."""
    import docx

    document = docx.Document()
    _DocxWriter(document).write(_markdown_it().parse(markdown))
    _set_properties(document, title=title, date=date, author=author)
    return _save(document, date)


class _DocxWriter:
    """Walks markdown-it's block tokens and writes them into a python-docx document."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.lists: list[dict[str, Any]] = []  # the open lists: kind and next number
        self.in_item_paragraphs = 0
        self.table: list[list[tuple[bool, list[Any]]]] | None = None

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
                run = self.document.add_paragraph().add_run(xml_safe(line))
                run.font.name = "Courier New"
            return i + 1
        if kind == "hr":
            self.document.add_paragraph()
            return i + 1
        if kind == "blockquote_open":
            # Quoted paragraphs are written as paragraphs; the style marks them.
            close = _matching(tokens, i, "blockquote_close")
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
        close = _matching(tokens, i, "table_close")
        for token_index in range(i, close):
            token = tokens[token_index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                rows[-1].append((token.type == "th_open", tokens[token_index + 1].children or []))
        if rows:
            columns = max(len(row) for row in rows)
            table = self.document.add_table(rows=len(rows), cols=columns)
            table.style = self.document.styles["Table Grid"]
            for r, row in enumerate(rows):
                for c, (header, children) in enumerate(row):
                    paragraph = table.cell(r, c).paragraphs[0]
                    self._inline(paragraph, children, bold=header)
        return close + 1

    def _inline(self, paragraph: Any, children: list[Any], *, bold: bool = False) -> None:
        strong = 1 if bold else 0
        emphasis = 0
        for child in children:
            kind = child.type
            if kind == "text":
                if child.content:
                    self._run(paragraph, child.content, strong > 0, emphasis > 0)
            elif kind == "code_inline":
                run = self._run(paragraph, child.content, strong > 0, emphasis > 0)
                run.font.name = "Courier New"
            elif kind == "softbreak":
                self._run(paragraph, " ", strong > 0, emphasis > 0)
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
            elif kind == "image":
                self._run(paragraph, child.content, strong > 0, emphasis > 0)
            elif kind == "link_close":
                continue  # a link's text is written; where it points is not a letter's concern

    @staticmethod
    def _run(paragraph: Any, text: str, bold: bool, italic: bool) -> Any:
        run = paragraph.add_run(xml_safe(text))
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        return run


def _matching(tokens: list[Any], i: int, close_type: str) -> int:
    """The index of the token that closes ``tokens[i]`` (same nesting level)."""
    level = tokens[i].level
    for j in range(i + 1, len(tokens)):
        if tokens[j].type == close_type and tokens[j].level == level:
            return j
    return len(tokens) - 1


def _set_properties(document: Any, *, title: str, date: dt.date, author: str | None) -> None:
    # Fixed, meaningful properties instead of python-docx's defaults (its own name, 2013).
    when = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    properties = document.core_properties
    properties.title = xml_safe(clean_text(title))
    properties.author = xml_safe(author or "")
    properties.last_modified_by = xml_safe(author or "")
    properties.created = when
    properties.modified = when
    properties.revision = 1


def _save(document: Any, date: dt.date) -> bytes:
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


# --- Word from the user's letterhead ------------------------------------------------------------


def letterhead_to_docx(
    letterhead: Path, context: dict[str, Any], markdown: str, *, date: dt.date
) -> bytes:
    """Render the user's ``<kind>.docx`` with docxtpl, in Jinja's sandbox.

    Besides the letter's context the template gets ``paragraphs``: the letter's text, one
    paragraph (or heading, list item, table row) a string, to place with
    ``{%p for p in paragraphs %}{{ p }}{%p endfor %}``.
    """
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=True, finalize=_docx_value
    )
    env.filters["datum"] = swedish_date
    env.filters["belopp"] = kronor
    values = {**context, "paragraphs": plain_paragraphs(markdown)}
    try:
        template = DocxTemplate(str(letterhead))
        template.render(values, env, autoescape=True)
        buffer = io.BytesIO()
        template.save(buffer)
    except MissingSetting as exc:
        raise UserError(say("letters.org_missing", key=exc.key)) from None
    except TemplateError as exc:
        detail = str(getattr(exc, "message", None) or exc).strip().rstrip(".")
        raise ProblemsError(
            [Problem(str(letterhead), 1, 1, say("letters.template.letterhead", detail=detail))]
        ) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ProblemsError(
            [Problem(str(letterhead), 1, 1, say("letters.template.not_docx", detail=exc))]
        ) from None
    return normalise_zip(buffer.getvalue(), date)


def _docx_value(value: Any) -> Any:
    if isinstance(value, Unset):
        raise MissingSetting(value.key)
    if value is None:
        return ""
    if isinstance(value, str):
        return xml_safe(value)
    return value


def plain_paragraphs(markdown: str) -> list[str]:
    """The text of ``markdown``, one string per paragraph, heading, list item or table row."""
    out: list[str] = []
    row: list[str] | None = None
    for token in _markdown_it().parse(markdown):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            out.append(" | ".join(row))
            row = None
        elif token.type == "inline":
            text = "".join(
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or []
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            )
            text = xml_safe(text).strip()
            if row is not None:
                row.append(text)
            elif text:
                out.append(text)
    return out


def docx_text(data: bytes) -> str:
    """The text of a Word document, paragraph by paragraph and table row by table row (cells
    joined by " | ", line breaks as new lines), for comparisons in golden files and tests."""
    import docx

    body = docx.Document(io.BytesIO(data)).element.body
    lines: list[str] = []
    for child in body.iterchildren():
        tag = _local(child.tag)
        if tag == "p":
            lines.append(_element_text(child))
        elif tag == "tbl":
            for row in child.iter():
                if _local(row.tag) == "tr":
                    cells = [_element_text(c) for c in row.iterchildren() if _local(c.tag) == "tc"]
                    lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _element_text(element: Any) -> str:
    parts = []
    for node in element.iter():
        tag = _local(node.tag)
        if tag == "t":
            parts.append(node.text or "")
        elif tag == "br":
            parts.append("\n")
        elif tag == "tab":
            parts.append("\t")
    return "".join(parts)
