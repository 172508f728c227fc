"""Which language trappa speaks to a person, and its catalog, loaded once and only when needed.

The choice, first that applies: ``TRAPPA_LANG`` (``sv`` or ``en``, the person's own), else the
register's ``ui.language`` (the organisation's, applied once a command has opened the register:
``prefer``), else the locale (the first set of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``: a value
beginning with ``sv`` means Swedish), else English. English is the message ids themselves:
choosing it reads no file.
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
_fixed = False  # chosen by the command itself (``--json`` speaks English): nothing overrides it


def choose(environ: Mapping[str, str] = os.environ) -> str:
    """The language for this environment: ``"sv"`` or ``"en"``."""
    person = _persons_choice(environ)
    if person is not None:
        return person
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if value:
            return "sv" if value.lower().startswith("sv") else "en"
    return "en"


def use(language: str) -> None:
    """Speak ``language`` from now on, whatever the environment chose (``--json`` uses English)."""
    global _loaded, _fixed
    _loaded, _fixed = _load(language), True


def prefer(register_choice: str | None, environ: Mapping[str, str] = os.environ) -> None:
    """Speak the register's ``ui.language`` from now on, unless the person chose with
    ``TRAPPA_LANG`` or the command chose with ``use``."""
    global _loaded
    if _fixed or register_choice not in LANGUAGES or _persons_choice(environ) is not None:
        return
    if register_choice != choose(environ):
        _loaded = _load(register_choice)


def _persons_choice(environ: Mapping[str, str]) -> str | None:
    """The language ``TRAPPA_LANG`` names, if it names one trappa speaks."""
    wanted = environ.get("TRAPPA_LANG", "").strip().lower()
    return next((language for language in LANGUAGES if wanted.startswith(language)), None)


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
