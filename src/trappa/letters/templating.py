"""Finding letter templates and rendering them in Jinja's sandbox.

Where a template comes from, first match wins (DESIGN.md, "Letters and action plans"):

1. the user's folder (``--templates DIR`` or ``TRAPPA_TEMPLATES``), laid out like the bundled
   ``templates/``: ``<lang>/<ladder-id>/<name>`` before ``<lang>/<name>``;
2. the bundled ladder override ``templates/<lang>/<ladder-id>/<name>``, for the case's ladder and
   then each base along its ``extends`` chain (a variant's letters fall back to its base's);
3. the bundled language default ``templates/<lang>/<name>``.

The same search path is the Jinja loader's, so ``{% include %}`` and ``{% extends %}`` find a
user's shared parts (``_brev.md.j2``) before the bundled ones.

Escaping: a template writes Markdown, so every ``{{ value }}`` is escaped *for Markdown* when it
is printed (a supplier called ``*Bolaget* <script>`` stays literal text in every format). Turning
Markdown into HTML is markdown-it's job with raw HTML off (``trappa.letters.documents``), and the
HTML page
around it is rendered with HTML autoescape. Escaping for HTML here as well would be wrong: the
same Markdown also becomes the ``.md`` file and the Word document, and markdown-it would show the
entities of a doubly escaped value as text.

No template runs for ever or writes without end (``trappa.letters.template_bounds``): passing a
bound is a template error at the line that passed it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from trappa import resources
from trappa.errors import Problem, ProblemsError, UserError
from trappa.letters.template_bounds import (
    TemplateLimit,
    bounded_environment_class,
    bounded_render,
    render_budget,
)
from trappa.messages import say

SUFFIX = ".md.j2"
LETTERHEAD_SUFFIX = ".docx"


MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


# --- where templates are -----------------------------------------------------------------------


def bundled_templates_dir() -> Path | None:
    """The bundled templates."""
    return resources.bundled_dir("templates")


def user_templates_dir(option: Path | None) -> Path | None:
    """``--templates DIR``, else ``TRAPPA_TEMPLATES``; a folder that does not exist is an error
    (a misspelt path would otherwise silently give the bundled letters)."""
    if option is not None:
        folder, name = Path(option).expanduser(), "--templates"
    else:
        value = os.environ.get("TRAPPA_TEMPLATES", "").strip()
        if not value:
            return None
        folder, name = Path(value).expanduser(), "TRAPPA_TEMPLATES"
    if not folder.is_dir():
        raise UserError(say("letters.templates_dir", option=name, path=folder))
    return folder.resolve()


@dataclass(frozen=True)
class Place:
    """One folder of the search path and what it is, for ``--templates-path``."""

    folder: Path
    origin: str  # "user", "user <ladder-id>", "ladder <ladder-id>" or "default"


def search_places(language: str, ladder_ids: Iterable[str], user_dir: Path | None) -> list[Place]:
    ids = list(ladder_ids)
    places: list[Place] = []
    if user_dir is not None:
        places += [Place(user_dir / language / i, f"user {i}") for i in ids]
        places.append(Place(user_dir / language, "user"))
    bundled = bundled_templates_dir()
    if bundled is not None:
        places += [Place(bundled / language / i, f"ladder {i}") for i in ids]
        places.append(Place(bundled / language, "default"))
    return places


def find(name: str, places: list[Place], *, user_only: bool = False) -> tuple[Path, Place] | None:
    """The first file called ``name`` along ``places``."""
    for place in places:
        if user_only and not place.origin.startswith("user"):
            continue
        path = place.folder / name
        if path.is_file():
            return path, place
    return None


# --- values in Markdown -----------------------------------------------------------------------


class MissingSetting(Exception):
    """A template printed an organisation setting that is not configured."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class Unset:
    """An organisation setting that is not configured: false in ``{% if %}``, an error when
    printed, so a letter can use ``org.unit`` optionally but never prints an empty signatory."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        raise MissingSetting(self.key)

    def __repr__(self) -> str:
        return f"Unset({self.key!r})"


# Characters that XML 1.0 (and so Word) cannot hold, and other controls that have no place in a
# letter. Tabs and line breaks are folded into spaces below.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Line breaks and ASCII blanks fold into one space; a no-break space stays (amounts use it).
_WHITESPACE = re.compile("[ \t\r\n\f\v\x85\u2028\u2029]+")
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What makes a line into something else when a value starts it: a heading, a quote, a list item,
# a thematic break or a setext underline.
_LINE_START = re.compile(r"^(?:#{1,6}(?=\s|$)|>|[-+](?=\s|$)|=|-(?=-))")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def clean_text(text: str) -> str:
    """Text without control characters, its runs of blanks and line breaks as one space."""
    return _WHITESPACE.sub(" ", _CONTROL.sub("", text)).strip()


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown inline text: it can start no block, open no emphasis, link,
    code span or HTML tag, and break no table row."""
    text = clean_text(text)
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _LINE_START.sub(lambda m: "\\" + m.group(0), text)
    return _ORDERED.sub(r"\1\\\2", text)


def markdown_value(value: Any) -> Any:
    """Jinja's ``finalize``: how each ``{{ value }}`` is printed."""
    if isinstance(value, Unset):
        raise MissingSetting(value.key)
    if value is None:
        return ""  # not recorded: print nothing rather than "None"
    return escape_markdown(str(value))


def swedish_date(value: Any) -> str:
    """``2026-03-14`` → ``14 mars 2026``; empty for no date."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def kronor(value: Any) -> str:
    """``12500`` → ``12 500 kr``, ``99.5`` → ``99,50 kr`` (no-break spaces, as Swedish prints)."""
    if value is None or value == "":
        return ""
    amount = float(value)
    whole = amount == int(amount)
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    text = text.replace(",", "\u00a0").replace(".", ",")
    return f"{text}\u00a0kr"


# Myndigheternas skrivregler: numbers up to twelve in words in running text.
NUMBER_WORDS = (
    "noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv",
)  # fmt: skip


def swedish_number(value: Any, genus: str = "en") -> str:
    """``2`` → ``två``, ``1`` → ``en`` (``ett`` with ``genus="ett"``), ``13`` → ``13``."""
    number = int(value)
    if not 0 <= number <= 12:
        return f"{number:,}".replace(",", "\u00a0")
    if number == 1 and genus == "ett":
        return "ett"
    return NUMBER_WORDS[number]


def swedish_count(value: Any, singular: str, plural: str, genus: str = "en") -> str:
    """``2, "händelse", "händelser"`` → ``två händelser``; one takes the singular."""
    number = int(value)
    return f"{swedish_number(number, genus)} {singular if number == 1 else plural}"


# --- rendering --------------------------------------------------------------------------------


def environment(places: list[Place]) -> Any:
    """A sandboxed Jinja environment over ``places`` that writes Markdown."""
    return _environment(tuple(str(p.folder) for p in places if p.folder.is_dir()))


@lru_cache(maxsize=8)
def _environment(folders: tuple[str, ...]) -> Any:
    # Kept per search path, so that rendering many letters in one process (the tests, a batch)
    # compiles each template once.
    from jinja2 import FileSystemLoader, StrictUndefined

    env = bounded_environment_class()(
        loader=FileSystemLoader(list(folders)),
        undefined=StrictUndefined,
        autoescape=False,  # Markdown, not HTML: see the module's docstring
        finalize=markdown_value,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,  # a template edited between two renders in one process is re-read
    )
    env.filters["datum"] = swedish_date
    env.filters["belopp"] = kronor
    env.filters["ord"] = swedish_number
    env.filters["antal"] = swedish_count
    return env


def render(path: Path, places: list[Place], context: Mapping[str, Any]) -> str:
    """Render the template at ``path``, found along ``places``, with ``context``.

    A template's mistakes (syntax, an undefined name, a sandbox violation, a failing expression)
    become a ``ProblemsError`` at the template's line; an unset organisation setting becomes a
    ``UserError`` naming the ``trappa config set`` to run.
    """
    env = environment(places)
    with render_budget():
        return _render(env, path, context)


def _render(env: Any, path: Path, context: Mapping[str, Any]) -> str:
    from jinja2 import TemplateError

    try:
        # The loader searches the same places in the same order, so it loads this very file.
        text = bounded_render(env.get_template(path.name), context)
    except TemplateLimit as exc:
        file, line = _template_line(exc, path)
        raise ProblemsError([Problem(file, line, 1, exc.message)]) from None
    except MissingSetting as exc:
        raise UserError(say("letters.org_missing", key=exc.key)) from None
    except TemplateError as exc:
        raise ProblemsError([_problem(exc, path)]) from None
    except RecursionError as exc:  # a macro that calls itself without end
        file, line = _template_line(exc, path)
        raise ProblemsError([Problem(file, line, 1, say("letters.template.recursion"))]) from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as exc:
        # An expression that fails at run time, e.g. {{ 1 / 0 }} or {{ "a" + 1 }}.
        file, line = _template_line(exc, path)
        detail = say("letters.template.failed", detail=f"{type(exc).__name__}: {exc}")
        raise ProblemsError([Problem(file, line, 1, detail)]) from None
    return tidy(text)


def tidy(markdown: str) -> str:
    """At most one blank line in a row, and one newline at the end: the block tags of a template
    leave uneven gaps, which mean nothing in Markdown but show in the ``.md`` file."""
    return _BLANK_LINES.sub("\n\n", markdown).strip("\n") + "\n"


def _problem(exc: Exception, path: Path) -> Problem:
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    message = str(getattr(exc, "message", None) or exc).strip().rstrip(".")
    if isinstance(exc, TemplateSyntaxError):
        file = exc.filename or str(path)
        return Problem(file, exc.lineno or 1, 1, say("letters.template.syntax", detail=message))
    file, line = _template_line(exc, path)
    if isinstance(exc, SecurityError):
        return Problem(file, line, 1, say("letters.template.unsafe", detail=message))
    if isinstance(exc, UndefinedError):
        unsafe = "unsafe" in message  # the sandbox reports a blocked attribute as undefined
        key = "letters.template.unsafe" if unsafe else "letters.template.undefined"
        return Problem(file, line, 1, say(key, detail=message))
    if isinstance(exc, TemplateNotFound):
        return Problem(file, line, 1, say("letters.template.not_found", name=exc.name))
    return Problem(file, line, 1, say("letters.template.failed", detail=message))


def _template_line(exc: BaseException, path: Path) -> tuple[str, int]:
    """The deepest template file and line in ``exc``'s traceback (Jinja rewrites the traceback
    so that its frames name the template and its line)."""
    found = (str(path), 1)
    for frame, line in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith(SUFFIX):
            found = (filename, line)
    return found
