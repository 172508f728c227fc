"""Where ladders are found, and which file a reference like ``kalmar@2024`` or ``kalmar`` means.

Search order: the bundled ladders (inside the installed package, or the repository's top-level
``ladders/`` in an editable install), then each folder of ``TRAPPA_LADDERS`` (``os.pathsep``
separated). Each folder holds ``<id>/<version>.yaml``. When the same ``id@version`` lies in more
than one folder, the first in search order wins: a bundled ladder cannot be shadowed, so
``regionerna@2024-04-01`` means the same rules on every machine.

A bare ``id`` means its newest version. Versions compare by their numbers first (``2024`` <
``2024-04-01`` < ``2025``), then as text, so years and ISO dates sort as people expect.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from trappa import resources

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
SUFFIX = ".yaml"


@dataclass(frozen=True)
class Entry:
    id: str
    version: str
    path: Path

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


def bundled_dir() -> Path | None:
    """The bundled ladders."""
    return resources.bundled_dir("ladders")


def search_dirs(extra: list[Path] | None = None) -> list[Path]:
    """The folders searched, in order: bundled, ``TRAPPA_LADDERS``, then ``extra``."""
    dirs: list[Path] = []
    bundled = bundled_dir()
    if bundled is not None:
        dirs.append(bundled)
    for part in os.environ.get("TRAPPA_LADDERS", "").split(os.pathsep):
        if part.strip():
            dirs.append(Path(part.strip()).expanduser())
    dirs.extend(extra or [])
    unique: list[Path] = []
    for folder in dirs:
        if folder not in unique:
            unique.append(folder)
    return unique


def entries(dirs: list[Path]) -> list[Entry]:
    """Every ladder in ``dirs``; for an ``id@version`` found twice, the first folder's."""
    found: dict[tuple[str, str], Entry] = {}
    for folder in dirs:
        try:
            ids = sorted(p for p in folder.iterdir() if p.is_dir() and _ID.fullmatch(p.name))
        except OSError:  # a TRAPPA_LADDERS folder that does not exist: nothing there
            continue
        for id_dir in ids:
            for path in sorted(id_dir.glob(f"*{SUFFIX}")):
                found.setdefault((id_dir.name, path.stem), Entry(id_dir.name, path.stem, path))
    return sorted(found.values(), key=lambda e: (e.id, version_key(e.version)))


def find(ref: str, dirs: list[Path]) -> Entry | None:
    """The ladder ``ref`` (``id@version`` or a bare ``id`` for its newest version) names."""
    ladder_id, _, version = ref.partition("@")
    if not _ID.fullmatch(ladder_id) or not _safe_version(version):
        return None
    if version:
        for folder in dirs:
            path = folder / ladder_id / f"{version}{SUFFIX}"
            if is_file(path):
                return Entry(ladder_id, version, path)
        return None
    versions = [entry for entry in entries(dirs) if entry.id == ladder_id]
    return versions[-1] if versions else None


def is_file(path: Path) -> bool:
    """Whether ``path`` is a file; false too for a name no file can have (too long, say), which
    ``Path.is_file`` raises for."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _safe_version(version: str) -> bool:
    # A version names a file in the id's folder, never a path elsewhere.
    return not any(sep in version for sep in ("/", "\\", "\0")) and not version.startswith(".")


def version_key(version: str) -> tuple[tuple[tuple[int, int | str], ...], str]:
    """Sort key: runs of digits as numbers, words as text, separators ignored; then the text."""
    parts = re.findall(r"\d+|[^\W\d_]+", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts), version
