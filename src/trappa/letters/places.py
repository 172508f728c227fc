"""Where a case's letters come from: the template folders searched for a ladder (the user's,
the ladder's and its bases' along ``extends``, the language defaults), the template and Word
letterhead of each kind, and the listing ``letter --templates-path`` prints."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from trappa.errors import UserError
from trappa.ladder.view import LadderView
from trappa.letters import templating
from trappa.letters.context import letter_kinds
from trappa.messages import say


def ladder_lineage(ladder: LadderView) -> list[str]:
    """The ladder's id and its bases' ids along ``extends``, nearest first.

    The resolved ladder names only its direct base; the bases further up are read from the ladder
    files when they can be found. A chain that cannot be followed stops there: its letters then
    come from the language defaults, which is what a missing override means anyway.
    """
    ids = [ladder.id]
    base = ladder.data.get("extends")
    while base:
        base_id = base.partition("@")[0]
        if base_id in ids:  # a cycle (the loader refuses them; this keeps the walk finite)
            break
        ids.append(base_id)
        base = _extends_of(base)
    return ids


_EXTENDS = re.compile(r"""^extends:[ \t]*["']?([^"'\s#]*)["']?[ \t]*(?:#.*)?$""", re.MULTILINE)


def _extends_of(ref: str) -> str | None:
    """The base that ladder ``ref``'s file names. Only the top-level ``extends:`` line is read:
    parsing the whole file for one scalar would cost a tenth of a second per letter."""
    from trappa.ladder import registry
    entry = registry.find(ref, registry.search_dirs())
    if entry is None:
        return None
    try:
        match = _EXTENDS.search(entry.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):  # an unreadable base: the chain stops here
        return None
    value = match.group(1) if match else ""
    return value if value and value not in ("null", "~") else None


def places_for(ladder: LadderView, templates: Path | None) -> list[templating.Place]:
    return templating.search_places(
        ladder.language, ladder_lineage(ladder), templating.user_templates_dir(templates)
    )


def template_for(kind: str, places: list[templating.Place]) -> Path:
    found = templating.find(kind + templating.SUFFIX, places)
    if found is None:
        folders = ", ".join(str(place.folder) for place in places)
        raise UserError(say("letters.no_template", kind=kind, places=folders))
    return found[0]


def letterhead_for(kind: str, places: list[templating.Place]) -> Path | None:
    """The user's Word letterhead ``<kind>.docx``, if their folder has one."""
    found = templating.find(kind + templating.LETTERHEAD_SUFFIX, places, user_only=True)
    return found[0] if found else None


def template_paths(ladder: LadderView, templates: Path | None = None) -> list[dict[str, Any]]:
    """For every kind (and the dossier): the template file it comes from and its origin."""
    places = places_for(ladder, templates)
    rows = []
    for kind, spec in {**letter_kinds(ladder), "dossier": {"title": "Leverantörsdossier"}}.items():
        found = templating.find(kind + templating.SUFFIX, places)
        letterhead = letterhead_for(kind, places)
        rows.append(
            {
                "kind": kind,
                "title": spec["title"],
                "template": str(found[0]) if found else None,
                "origin": found[1].origin if found else None,
                "letterhead": str(letterhead) if letterhead else None,
            }
        )
    return rows
