"""Which engine a register lives on: a file path is embedded SQLite (the default, one person), a
``postgresql://`` URL is a PostgreSQL server (a team). Light on purpose: nothing here imports a
driver, so telling the two apart costs a command nothing."""

from __future__ import annotations

import os
import re
from pathlib import Path

from trappa.errors import UserError
from trappa.messages import say

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


def os_name(path: Path) -> bytes:
    """A database file's name as the operating system holds it, for SQLite: a name that was not
    UTF-8 on the command line (its bytes arrive as lone surrogates) reaches the file system as
    those bytes. One that no bytes can give is bad input."""
    try:
        return os.fsencode(path)
    except UnicodeEncodeError:
        raise UserError(say("input.not_utf8", what=path)) from None


def checked_url(url: str) -> str:
    """``url`` as libpq can take it: a URL that is not UTF-8 text is bad input."""
    try:
        url.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(say("input.not_utf8", what=display_url(url))) from None
    return url
