"""The three kinds of failure a user can meet, each with its exit code.

Core modules raise these; the CLI boundary (``trappa.cli.main``) prints them as one line on stderr
and exits with ``exit_code``. Nothing else should reach a user.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2
EXIT_STORE = 3


class TrappaError(Exception):
    """Base of every error meant for a user. ``message`` is one line; ``hint`` is optional."""

    exit_code = EXIT_STORE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UserError(TrappaError):
    """Bad input: usage, validation, an unknown case or activity. Exit 2."""

    exit_code = EXIT_BAD_INPUT


class Refusal(TrappaError):
    """The ladder or the case's state says no. Exit 1."""

    exit_code = EXIT_REFUSED


class StoreError(TrappaError):
    """The database failed, or its integrity check failed. Exit 3."""

    exit_code = EXIT_STORE


def one_line(message: str) -> str:
    """``message`` on one line: a line break in a value it quotes is shown as ``\\n``."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


class Problem(NamedTuple):
    """One positioned problem in a file, printed as ``FILE:LINE:COLUMN: message``.

    Lines and columns are 1-based, as editors show them. Problems sort by file, line and column.
    (A named tuple, not a dataclass: every command imports this module, and defining a
    dataclass costs a millisecond at each start.)
    """

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {one_line(self.message)}"


class ProblemsError(UserError):
    """One or more positioned problems in input files (ladders, templates, imports). Exit 2."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))
