"""A cache of base ladders already checked: a variant's ``extends`` need not parse them again.

Reading the national ladder with ruamel's round-trip parser and checking it against the schema
costs more than reading the region's own variant, yet the base seldom changes. So a base file
that read without a single problem is kept as its checked data (what the schema made of it),
one JSON file per entry, in the user's cache folder: ``TRAPPA_CACHE_DIR``, else platformdirs'
``user_cache_dir("trappa")`` (``$XDG_CACHE_HOME/trappa`` on Linux) under ``ladders/``. Not next
to a register: ``trappa validate`` runs without one, and the entry depends on the file alone.

An entry is found by the SHA-256 of everything that decides its content: the cache's format,
trappa's version, the source of the modules that read and check a ladder file (so that an edited
checkout never reads an entry an older schema wrote), the versions of pydantic and ruamel.yaml,
and the file's bytes as read for this run.
A changed byte is another key, so a stale entry is never served. An entry holds its key and the
SHA-256 of its payload; one that does not match, cannot be read or is not what an entry looks
like is ignored (and written afresh). Entries are written to a temporary file and renamed into
place, so a reader never sees half of one; a cache folder that cannot be written is skipped
silently. The cache is an optimisation only: deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from trappa import __version__

FORMAT = "trappa/ladder-cache@1"
# The modules whose code decides what a base file's checked data is.
_MODULES = ("yaml_source.py", "model.py", "loading.py", "problems.py", "checks.py")
_code_digest: str | None = None


def folder() -> Path:
    """Where entries live: ``TRAPPA_CACHE_DIR``, else the user's cache folder, ``ladders/``."""
    env = os.environ.get("TRAPPA_CACHE_DIR")
    if env:
        return Path(env).expanduser() / "ladders"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("trappa", appauthor=False)) / "ladders"


def key_of(raw: bytes) -> str:
    """The key of a base file whose bytes are ``raw``, under this trappa."""
    digest = hashlib.sha256()
    for part in (FORMAT, __version__, _code(), _libraries()):
        digest.update(part.encode() + b"\0")
    digest.update(raw)
    return digest.hexdigest()


def _libraries() -> str:
    # What the schema makes of a file is pydantic's work, and how YAML reads is ruamel's: an
    # upgrade of either is another key. Both are imported to check the variant anyway.
    from pydantic.version import VERSION as pydantic_version
    from ruamel.yaml import __version__ as ruamel_version

    return f"pydantic {pydantic_version}, ruamel.yaml {ruamel_version}"


def get(key: str) -> dict[str, Any] | None:
    """The checked data kept under ``key``, or None (absent, unreadable, damaged, foreign)."""
    try:
        text = (folder() / f"{key}.json").read_text(encoding="utf-8")
        entry = json.loads(text)
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
        return None
    payload = entry.get("data")
    if not isinstance(payload, str) or entry.get("sha256") != _sha(payload):
        return None
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def put(key: str, data: dict[str, Any]) -> None:
    """Keep ``data`` under ``key``, atomically; silently nothing when it cannot be written or
    would not read back exactly as it is."""
    try:
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):
        return
    if repr(json.loads(payload)) != repr(_sorted(data)):  # a tuple, say, would come back a list
        return
    entry = {"format": FORMAT, "key": key, "sha256": _sha(payload), "data": payload}
    where = folder()
    tmp: str | None = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}-", suffix=".tmp", dir=where)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(entry, file, ensure_ascii=False)
        os.replace(tmp, where / f"{key}.json")
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def _code() -> str:
    global _code_digest
    if _code_digest is None:
        digest = hashlib.sha256()
        here = Path(__file__).parent
        for name in _MODULES:
            try:
                digest.update(name.encode() + b"\0" + (here / name).read_bytes())
            except OSError:  # a zipped or stripped installation: the version alone decides
                digest.update(name.encode() + b"\0-")
        _code_digest = digest.hexdigest()
    return _code_digest
