"""What a case waits for, as facts of its state: the supplier's replies to letters that carry a
reply-by date, the claim a deviation may warrant (a vite claimed in time or lost), and the latest
action plan's due date. Pure: ``obligations(state)`` reads a ``CaseState``, and the store's light
read path (``trappa.store.followup``) builds the same tuples for a list of cases;
``trappa.rules.due`` judges them as of a date.
"""

from __future__ import annotations

from typing import NamedTuple

from trappa.history.projection import CaseState

# Kinds of händelse that can warrant a sanction: a risk has not (yet) broken the contract.
CLAIMABLE_KINDS = ("deviation", "incident")


class Obligation(NamedTuple):
    """One thing a case waits for.

    ``what`` is ``reply`` (``ref``: the letter's number), ``claim`` (``ref``: the deviation's)
    or ``plan`` (``ref``: the plan's). ``start`` is the date it runs from (the letter's date, the
    deviation's observation, the plan's establishment); ``due`` its due date (a claim's depends on
    the contract's claim window, so it is None here); ``done`` the date it was met (the reply
    received, the first sanction naming the deviation or its waiver, the plan's follow-up), or
    None while it runs.
    """

    what: str
    ref: int
    start: str
    due: str | None
    done: str | None


def obligations(state: CaseState) -> tuple[Obligation, ...]:
    """The case's obligations: replies in letter order, claims in deviation order, the plan."""
    found: list[Obligation] = []
    for n, letter in enumerate(state.letters_sent, 1):
        if letter.get("reply_by"):
            reply = letter.get("reply") or {}
            found.append(
                Obligation("reply", n, letter["date"], letter["reply_by"], reply.get("received"))
            )
    sanctioned: dict[int, str] = {}
    for sanction in state.sanctions:
        for n in sanction.deviations:
            sanctioned.setdefault(n, sanction.date)
    for deviation in state.deviations:
        if deviation.kind in CLAIMABLE_KINDS:
            done = sanctioned.get(deviation.n) or deviation.waived_on
            found.append(Obligation("claim", deviation.n, deviation.observed, None, done))
    plan = state.latest_plan
    if plan is not None:
        found.append(Obligation("plan", plan.n, plan.established, plan.due, plan.followed_up))
    return tuple(found)
