"""Which language trappa speaks to a person, and its catalog, loaded once and only when needed.

The choice, first that applies: ``TRAPPA_LANG`` (``sv`` or ``en``), else the locale (the first set
of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``: a value beginning with ``sv`` means Swedish), else
English. It is a person's choice, read from their environment, never from the shared register.
English is the message ids themselves: choosing it reads no file.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "trappa"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("en", "sv")

_loaded: gettext.NullTranslations | None = None


def choose(environ: Mapping[str, str] = os.environ) -> str:
    """The language for this environment: ``"sv"`` or ``"en"``."""
    wanted = environ.get("TRAPPA_LANG", "").strip().lower()
    for language in LANGUAGES:
        if wanted.startswith(language):
            return language
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if value:
            return "sv" if value.lower().startswith("sv") else "en"
    return "en"


def use(language: str) -> None:
    """Speak ``language`` from now on, whatever the environment chose (``--json`` uses English)."""
    global _loaded
    _loaded = _load(language)


def _load(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


def translations() -> gettext.NullTranslations:
    """The catalog of the chosen language, read on first use and kept for the process."""
    global _loaded
    if _loaded is None:
        _loaded = _load(choose())
    return _loaded
