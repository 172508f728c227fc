"""What the operations that change a case return: plain values, printed by the CLI's text and
JSON reporters (``trappa.cli.output``)."""

from __future__ import annotations

from typing import Any, NamedTuple

from trappa.history.projection import CaseState
from trappa.ladder.view import LadderView
from trappa.rules.evaluation import Evaluation

# Value types here and in projection are NamedTuples rather than dataclasses: defining a frozen
# dataclass costs about a millisecond at import, and every command imports these.


class ReportResult(NamedTuple):
    """A händelse recorded: the case it joined or opened, and what the rules say of it now."""

    case: CaseState
    deviation: int
    created_case: bool
    evaluation: Evaluation


class MoveResult(NamedTuple):
    """A move on the ladder: the case after it, from where to where, and the rules behind it."""

    case: CaseState
    from_level: int
    to_level: int
    ladder: LadderView
    rules: tuple[str, ...]


class ChangeResult(NamedTuple):
    """The outcome of a smaller operation: the case after it, and what was recorded."""

    case: CaseState
    event: str
    detail: dict[str, Any]


# What an operation on a case returns.
CaseResult = ReportResult | MoveResult | ChangeResult
