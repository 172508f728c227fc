"""The resolved ladder of a reference, cached in the database so that opening a case neither
parses YAML nor builds pydantic models when nothing has changed.

Parsing and validating a ladder costs ~25 ms plus ~200 ms of imports (ruamel, pydantic); the same
resolved ladder read back as JSON costs a fraction of a millisecond. The cache keeps, per ladder
reference as the user gave it (``kalmar``, ``kalmar@2024``, or a file's absolute path), the sha256
of the resolved ladder (its text lies in the ``ladders`` table, as for every case) and the
**signature** of everything the resolution read:

* every file of the ``extends`` chain: path, ``mtime_ns`` and size, so an edit is seen;
* the folders searched (bundled, ``TRAPPA_LADDERS``, the chain's own ladders folders) and each
  ``<folder>/<id>`` of the chain's ids: a new version file changes its folder's ``mtime_ns``, so
  a bare ``kalmar`` that now means a newer version is resolved again;
* the list of search folders itself, so a changed ``TRAPPA_LADDERS`` misses.

Any difference is a miss: the ladder is loaded from its files as if there were no cache (a file
that is now broken gives its positioned problems, never a stale ladder). A miss's new entry is
written inside the command's own transaction (``Store.before_commit``), so a command that fails
leaves no trace of it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from trappa.ladder import registry
from trappa.ladder.view import LadderView

if TYPE_CHECKING:
    from trappa.store.database import Store

# A stat that fails (the path is gone) is recorded as this, so its reappearance is a change too.
_ABSENT = (None, None)


def resolve(store: Store, ref: str) -> LadderView:
    """The resolved ladder ``ref`` names: from the cache when its sources are unchanged, else
    loaded from its files (and the cache entry renewed in the command's transaction)."""
    key = cache_key(ref)
    dirs = [str(d) for d in registry.search_dirs()]
    hit = store.cached_ladder(key)
    if hit is not None:
        signature_json, sha256, resolved = hit
        if _still_valid(signature_json, dirs):
            view = LadderView.from_json(resolved)
            view.__dict__["sha256"] = sha256  # known already: no need to hash the text again
            return view

    from trappa.ladder.loading import load_ladder

    loaded = load_ladder(ref)
    view = loaded.view()
    signature_json = signature(dirs, _watched(loaded.sources, dirs))
    text, sha256 = view.to_json(), view.sha256
    store.before_commit(lambda: store.cache_ladder(key, view.ref, sha256, text, signature_json))
    if key == ref and "@" not in ref:
        # A bare id read the same files as its ``id@version``: the case's own reference, which
        # ``review`` resolves to see whether a case's ladder file has changed, is cached too.
        store.before_commit(
            lambda: store.cache_ladder(view.ref, view.ref, sha256, text, signature_json)
        )
    return view


def cache_key(ref: str) -> str:
    """The reference as the cache keys it: a file by its absolute path (the same test as
    ``loading.load_ladder``, which reads a file before it looks a reference up)."""
    path = Path(ref).expanduser()
    if path.is_file():
        return str(path.resolve())
    return ref


def signature(dirs: list[str], paths: Iterable[str]) -> str:
    """The JSON that records the search folders and the state of every watched path."""
    return json.dumps(
        {"dirs": dirs, "paths": [[path, *_stat(path)] for path in sorted(set(paths))]},
        separators=(",", ":"),
    )


def _watched(sources: list[Path], dirs: list[str]) -> list[str]:
    ids = {source.parent.name for source in sources}
    folders = {*dirs, *(str(source.parent.parent) for source in sources)}
    watched = {str(source) for source in sources}
    watched.update(folders)
    watched.update(os.path.join(folder, ladder_id) for folder in folders for ladder_id in ids)
    return sorted(watched)


def _still_valid(signature_json: str, dirs: list[str]) -> bool:
    try:
        recorded = json.loads(signature_json)
        if recorded["dirs"] != dirs:
            return False
        return all(tuple(_stat(path)) == (mtime, size) for path, mtime, size in recorded["paths"])
    except (ValueError, KeyError, TypeError):  # an entry we cannot read is a miss, not an error
        return False


def _stat(path: str) -> tuple[int | None, int | None]:
    try:
        info = os.stat(path)
    except OSError:
        return _ABSENT
    return info.st_mtime_ns, info.st_size
