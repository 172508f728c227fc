"""What frames a document on every page, whatever its format: the organisation in the header
(with its logo), the diarienummer and "Sida X av Y" in the footer, and the properties a file
carries (title, author, subject, date, language).

A ``Frame`` is built by the code that renders a letter, action plan or dossier, and handed to the
Word writer (``trappa.letters.word``) and the PDF renderer (``trappa.letters.pdf``) alike, so both
say the same thing in the same places.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The words around the page number, per document language. They are document content, like the
# templates' text, not messages of the interface.
PAGE_WORDS = {"sv": ("Sida", "av"), "en": ("Page", "of")}
# The formats laid out in pages whose header carries the logo: only these need its bytes.
PAGED_FORMATS = frozenset({"docx", "pdf"})
# The language tag Word and PDF want for a document language.
LANGUAGE_TAGS = {"sv": "sv-SE", "en": "en-GB"}


@dataclass(frozen=True)
class Frame:
    """The header, footer and properties of one document."""

    title: str
    date: dt.date
    author: str | None = None  # the organisation
    subject: str | None = None  # the case (and diarienummer) or the supplier
    header: tuple[str, ...] = ()  # lines at the top of every page: organisation, unit
    footer: str = ""  # left in the footer: diarienummer and case; the page number goes right
    logo: bytes | None = None  # a PNG, JPEG or GIF (``trappa.cases.organisation``)
    lang: str = "sv"
    keywords: tuple[str, ...] = field(default=())

    @property
    def language_tag(self) -> str:
        return LANGUAGE_TAGS.get(self.lang, self.lang)

    @property
    def page_words(self) -> tuple[str, str]:
        return PAGE_WORDS.get(self.lang, PAGE_WORDS["sv"])


def case_footer(case_id: str, reference: str | None) -> str:
    """The footer's left part for a case's document: its diarienummer first, as filed."""
    if reference:
        return f"Dnr {reference} · Ärende {case_id}"
    return f"Ärende {case_id}"
