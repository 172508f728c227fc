"""What is due on cases and by when (``trappa.rules.due``), with each case's claim window: the
contract's own (``trappa contract NAME --claim-within DAYS``), else the
organisation's default ``sanction.claim_within_days``, else none.

``case_due`` judges one case through the ordinary path (its ``CaseState`` folded from the events);
``DueLists`` judges a list of cases through the store's bulk reading of the same facts, for
``review`` and ``status``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from trappa.cases.session import Session
from trappa.errors import UserError
from trappa.history.obligations import Obligation, obligations
from trappa.history.projection import CaseState
from trappa.messages import say
from trappa.rules.due import DueDate, any_overdue, due_now, judge

CLAIM_SETTING = "sanction.claim_within_days"
MAX_CLAIM_DAYS = 3650  # ten years: beyond any contract's window


def check_claim_days(value: str, option: str) -> int:
    """A claim window in days as a user gives it: a whole number from 1 to ``MAX_CLAIM_DAYS``."""
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_CLAIM_DAYS:
        raise UserError(say("claims.days", option=option, value=value, most=MAX_CLAIM_DAYS))
    return int(text)


class ClaimWindows:
    """The claim window in days of a case's contract (its id, or None for no contract), read
    once for all the cases a command judges."""

    def __init__(self, session: Session) -> None:
        default_text = session.store.get_setting(CLAIM_SETTING)
        self._default = int(default_text) if default_text and default_text.isdigit() else None
        self._own = session.store.contract_claim_days()

    def __call__(self, contract_id: int | None) -> int | None:
        if contract_id is None:
            return self._default
        return self._own.get(contract_id, self._default)

    @property
    def anywhere(self) -> bool:
        """Whether any case can have a claim window: else no claim is due, nor read."""
        return self._default is not None or bool(self._own)


def case_due(session: Session, state: CaseState, day: dt.date | None = None) -> list[DueDate]:
    """Every due date of the case with its state as of ``day`` (default today), by date."""
    window = ClaimWindows(session)(state.contract_id)
    return judge(obligations(state), day or session.today, window)


def case_due_now(session: Session, state: CaseState, day: dt.date | None = None) -> list[DueDate]:
    """What ``review`` lists of the case: overdue or soon due as of ``day``, with working days."""
    window = ClaimWindows(session)(state.contract_id)
    return due_now(obligations(state), day or session.today, window)


class DueLists:
    """The due lists of the cases of a listing, asked for in case-id order (``take``)."""

    def __init__(self, session: Session, *, status: str | None,
                 supplier_ids: list[int] | None, day: dt.date, owner: str | None = None,
                 ids: tuple[str | None, str | None] = (None, None)) -> None:
        self._window = ClaimWindows(session)
        self._rows: Iterator[tuple[str, tuple[Obligation, ...]]] = session.store.iter_obligations(
            status=status, supplier_ids=supplier_ids, claims=self._window.anywhere, owner=owner,
            ids=ids,
        )
        self._next = next(self._rows, None)
        self._day = day

    def _obligations(self, case_id: str) -> tuple[Obligation, ...]:
        while self._next is not None and self._next[0] < case_id:
            self._next = next(self._rows, None)
        if self._next is None or self._next[0] != case_id:
            return ()
        found = self._next[1]
        self._next = next(self._rows, None)
        return found

    def overdue(self, case_id: str, contract_id: int | None) -> bool:
        """Whether something on ``case_id`` is overdue (cases in ascending id order): ``take``'s
        verdict on the light, without counting working days."""
        found = self._obligations(case_id)
        return bool(found) and any_overdue(judge(found, self._day, self._window(contract_id)))

    def take(self, case_id: str, contract_id: int | None) -> list[DueDate]:
        """What is overdue or soon due on ``case_id`` (cases in ascending id order)."""
        found = self._obligations(case_id)
        return due_now(found, self._day, self._window(contract_id)) if found else []

