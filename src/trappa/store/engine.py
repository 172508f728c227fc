"""Which engine a register lives on: a file path is embedded SQLite (the default, one person), a
``postgresql://`` URL is a PostgreSQL server (a team). Light on purpose: nothing here imports a
driver, so telling the two apart costs a command nothing."""

from __future__ import annotations

import re
from pathlib import Path

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
_URL = re.compile(r"^postgres(?:ql)?://", re.IGNORECASE)
_PASSWORD = re.compile(r"^(postgres(?:ql)?://[^/@:]*):[^/@]*@", re.IGNORECASE)


def is_server_url(location: object) -> bool:
    """Whether ``location`` (a ``--db`` value) names a PostgreSQL register."""
    return isinstance(location, str) and bool(_URL.match(location))


def engine_of(location: Path | str) -> str:
    return POSTGRESQL if is_server_url(location) else SQLITE


def display_url(url: str) -> str:
    """The URL as messages show it: a password written into it (which libpq allows, and the
    README advises against) is left out."""
    return _PASSWORD.sub(r"\1@", url)
