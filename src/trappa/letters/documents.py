"""One letter in four formats: the Markdown a template wrote, as a printable HTML page, as a
Word document and as PDF (``render_document`` chooses).

HTML goes through markdown-it-py with raw HTML off, so nothing in the Markdown can become a tag,
and with XHTML output so that the page is also well-formed XML. Word goes through python-docx
from the same markdown-it tokens (``trappa.letters.word``), or through docxtpl when the user
supplies a ``<kind>.docx`` letterhead; PDF through ``trappa.letters.pdf``. Both Word paths strip
the characters XML cannot hold, and write the zip with fixed timestamps so that the same letter
gives the same bytes (and the same sha256) whenever it is rendered.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from trappa.errors import Problem, ProblemsError, UserError
from trappa.letters.frame import Frame
from trappa.letters.templating import (
    MissingSetting,
    Unset,
    clean_text,
    kronor,
    swedish_count,
    swedish_date,
    swedish_number,
)
from trappa.messages import say

FORMATS = ("md", "html", "docx", "pdf")

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


def render_document(
    markdown: str,
    fmt: str,
    frame: Frame,
    *,
    letterhead: Path | bytes | None = None,
    context: dict[str, Any] | None = None,
) -> bytes:
    """``markdown`` as a document in ``fmt``: the Markdown itself, an HTML page, Word (the
    ``letterhead`` when there is one, the user's file or the register's bytes, rendered with
    ``context``) or PDF."""
    if fmt == "md":
        return markdown.encode("utf-8")
    if fmt == "html":
        return markdown_to_html(markdown, title=frame.title, lang=frame.lang).encode("utf-8")
    if fmt == "pdf":
        from trappa.letters.pdf import markdown_to_pdf

        return markdown_to_pdf(markdown, frame)
    if letterhead is not None:
        return letterhead_to_docx(letterhead, context or {}, markdown, date=frame.date)
    from trappa.letters.word import markdown_to_docx

    return markdown_to_docx(markdown, frame)


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UserError(say("letters.format", format=fmt, formats=", ".join(FORMATS)))
    return fmt


def markdown_parser() -> Any:
    from markdown_it import MarkdownIt

    # commonmark with raw HTML off: "<script>" in the Markdown prints as text. Tables on.
    return MarkdownIt("commonmark", {"html": False, "xhtmlOut": True}).enable("table")


def markdown_to_html(markdown: str, *, title: str, lang: str = "sv") -> str:
    """A complete, printable XHTML page of ``markdown``."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from markupsafe import Markup

    body = markdown_parser().render(markdown)
    env = ImmutableSandboxedEnvironment(autoescape=True)  # the page's own values are escaped
    return env.from_string(PAGE).render(
        lang=lang, title=clean_text(title), body=Markup(body.strip())
    )


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML document (and so Word) cannot hold. ``&`` and ``<``
    are escaped by lxml when the text is written."""
    return _XML_INVALID.sub("", text)


# --- Word from the user's letterhead ------------------------------------------------------------


def letterhead_to_docx(
    letterhead: Path | bytes, context: dict[str, Any], markdown: str, *, date: dt.date
) -> bytes:
    """Render a Word letterhead with docxtpl, in Jinja's sandbox: the user's ``<kind>.docx``, or
    the organisation's kept in the register (``org.letterhead``, its bytes).

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
    env.filters["ord"] = swedish_number
    env.filters["antal"] = swedish_count
    values = {**context, "paragraphs": plain_paragraphs(markdown)}
    # Problems name the file, or the setting the register's letterhead comes from.
    from trappa.cases.organisation import LETTERHEAD_SETTING

    name = LETTERHEAD_SETTING if isinstance(letterhead, bytes) else str(letterhead)
    source = io.BytesIO(letterhead) if isinstance(letterhead, bytes) else str(letterhead)
    try:
        template = DocxTemplate(source)
        template.render(values, env, autoescape=True)
        buffer = io.BytesIO()
        template.save(buffer)
    except MissingSetting as exc:
        raise UserError(say("letters.org_missing", key=exc.key)) from None
    except TemplateError as exc:
        detail = str(getattr(exc, "message", None) or exc).strip().rstrip(".")
        raise ProblemsError(
            [Problem(name, 1, 1, say("letters.template.letterhead", detail=detail))]
        ) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ProblemsError(
            [Problem(name, 1, 1, say("letters.template.not_docx", detail=exc))]
        ) from None
    from trappa.letters.word import normalise_zip

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
    for token in markdown_parser().parse(markdown):
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
