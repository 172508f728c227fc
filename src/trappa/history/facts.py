"""What the rules read of a case, derived from its folded state by one function, ``facts_of``.

The rules read these facts of a case given as a ``CaseState`` (``trappa.rules.facts``), and the
store keeps the same facts with each case's row (``trappa.store.rows``), written in the same
transaction as the events, so that ``status`` and ``review`` judge a whole register from one
scan of one table. Both come from ``facts_of`` over the fold's result, so an event the fold
learns reaches both, and ``verify`` recomputes the kept facts from a replay. Pure: no I/O.

Dates are ISO text; the date lists are sorted, so the rules' windows are slices. A fact the rules
come to need is added here (and to the columns that keep it, ``trappa.store.rows.FACTS_COLUMNS``,
with a schema step that rebuilds the projection), so that both paths read it.
"""

from __future__ import annotations

from functools import partial
from operator import itemgetter
from typing import Any, NamedTuple

from trappa.history.projection import CaseState, Deviation, LevelChange, Plan, Sanction

# What counts as a deviation for the rules: a ``risk`` is an identified risk, not a
# non-fulfilment (``trappa.rules.facts``).
COUNTED_KINDS = frozenset({"deviation", "incident"})


class ChangeFact(NamedTuple):
    """A level change as the rules read it (``LevelChange`` without its seq)."""

    date: str
    from_level: int
    to_level: int


class PlanFact(NamedTuple):
    """An action plan as the rules and ``next_due`` read it (``Plan`` without its text)."""

    n: int
    established: str
    due: str
    outcome: str | None
    followed_up: str | None


class Facts(NamedTuple):
    """Everything the rules and a row of ``status`` read of a case beyond its ``cases`` row."""

    counted: tuple[str, ...]  # observation dates of the deviations that count, sorted
    serious: tuple[str, ...]  # the same of the serious ones
    open_deviations: int  # deviations not yet resolved (släckta), of any kind
    level_changes: tuple[ChangeFact, ...]  # in event order
    plans: tuple[PlanFact, ...]  # in the order they were established
    sanction_dates: tuple[str, ...]  # sorted


# Positions in the fold's plain values (a ``CaseState`` is a tuple of the same layout, and each
# of its parts a tuple of its fields), looked up once so that fields added later keep them right.
_DEVIATIONS = CaseState._fields.index("deviations")
_PLANS = CaseState._fields.index("plans")
_SANCTIONS = CaseState._fields.index("sanctions")
_CHANGES = CaseState._fields.index("level_changes")
_KIND = Deviation._fields.index("kind")
_SERIOUS = Deviation._fields.index("serious")
_OBSERVED = Deviation._fields.index("observed")
_STATE = Deviation._fields.index("state")
_SANCTION_DATE = Sanction._fields.index("date")
# A plan's and a level change's fields the rules read, picked and made a named tuple in C:
# ``verify`` derives the facts of every case it replays (``make bench``).
_PLAN = itemgetter(*(Plan._fields.index(name) for name in PlanFact._fields))
_CHANGE = itemgetter(*(LevelChange._fields.index(name) for name in ChangeFact._fields))
_plan_fact = partial(tuple.__new__, PlanFact)
_change_fact = partial(tuple.__new__, ChangeFact)


def facts_of(state: tuple[Any, ...]) -> Facts:
    """The facts of a case: a ``CaseState`` (a tuple), or the plain values ``fold_values``
    returns (how ``verify`` replays a million events without a named tuple per case)."""
    counted: list[str] = []
    serious: list[str] = []
    open_deviations = 0
    for deviation in state[_DEVIATIONS]:
        if deviation[_STATE] == "open":
            open_deviations += 1
        if deviation[_KIND] in COUNTED_KINDS:
            counted.append(deviation[_OBSERVED])
            if deviation[_SERIOUS]:
                serious.append(deviation[_OBSERVED])
    counted.sort()
    serious.sort()
    return Facts(
        tuple(counted),
        tuple(serious),
        open_deviations,
        tuple(map(_change_fact, map(_CHANGE, state[_CHANGES]))),
        tuple(map(_plan_fact, map(_PLAN, state[_PLANS]))),
        tuple(sorted(sanction[_SANCTION_DATE] for sanction in state[_SANCTIONS])),
    )
