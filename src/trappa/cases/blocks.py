"""``trappa check``: may a supplier (for a contract) be used? For purchasing scripts.

A supplier is **blocked** by a case from the day the case's blocking activity (an activity its
ladder marks ``blocks: true``: ``sparra`` in the bundled ladders) was recorded done, until the
case goes below the step it was done at, or closes. A contract is **terminated** when a sanction
that ends it (hävning or uppsägning) is recorded on one of its cases, from the day it takes
effect, and it stays so after the case closes.

Choices where the issue is silent:

* Without ``--contract`` every case of the supplier counts: a block or a termination of any of its
  contracts refuses it (a script that names no contract cannot be told which one is fine).
  With ``--contract`` the cases of that contract count, and the supplier's cases without a
  contract (about the supplier as a whole).
* Several suppliers of the name and no ``--org-nr``: all of them are checked.
* A termination whose effective date is later than today does not refuse yet; it is listed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from trappa.cases.inputs import check_text
from trappa.cases.sanctions import takes_effect
from trappa.cases.session import Session
from trappa.history.projection import CaseState
from trappa.identifiers import normalise_org_nr
from trappa.ladder.view import TERMINATION_KINDS, LadderView

if TYPE_CHECKING:
    from trappa.store.database import Store


class CheckResult(NamedTuple):
    supplier: str
    org_nr: str | None
    contract: str | None
    record: bool  # whether the register knows the supplier at all
    blocks: list[dict[str, Any]]
    terminations: list[dict[str, Any]]  # in effect today
    pending: list[dict[str, Any]]  # terminations that take effect later

    @property
    def may_use(self) -> bool:
        return not self.blocks and not self.terminations

    def to_json(self) -> dict[str, Any]:
        return {
            "supplier": self.supplier, "org_nr": self.org_nr, "contract": self.contract,
            "may_use": self.may_use, "record": self.record, "blocks": self.blocks,
            "terminations": self.terminations, "terminations_pending": self.pending,
        }


def block_of(state: CaseState, ladder: LadderView) -> dict[str, Any] | None:
    """The case's block in force, or None: the earliest blocking activity done whose step the
    case has not gone below since, while the case is open."""
    if state.status != "open":
        return None
    blocking = set(ladder.flagged_activities("blocks"))
    for done in state.activities_done:
        if done.activity not in blocking:
            continue
        if any(c.seq > done.seq and c.to_level < done.level for c in state.level_changes):
            continue  # the case went below that step: lifted
        step = ladder.step(done.level) if ladder.has_level(done.level) else {}
        return {
            "case": state.id, "level": done.level, "step": step.get("event"),
            "label": step.get("label"), "activity": done.activity, "since": done.date,
        }
    return None


def terminations_of(state: CaseState, store: Store) -> list[dict[str, Any]]:
    """The sanctions of the case that end its contract (a kind of ``TERMINATION_KINDS``:
    hävning, uppsägning), with the day each takes effect: the ``takes_effect`` its event
    records, else the day of the decision."""
    ending = [sanction for sanction in state.sanctions if sanction.kind in TERMINATION_KINDS]
    if not ending:
        return []
    effects = takes_effect(store.events(state.id))
    return [
        {"case": state.id, "sanction": sanction.n, "kind": sanction.kind,
         "since": effects.get(sanction.n) or sanction.date}
        for sanction in ending
    ]


class CheckInput(NamedTuple):
    supplier: str
    org_nr: str | None
    contract: str | None


def check_input(supplier: str, org_nr: str | None, contract: str | None) -> CheckInput:
    """The question checked before the register is opened: bad input is exit 2 whatever the
    register's state."""
    return CheckInput(
        check_text(supplier, "SUPPLIER"),
        normalise_org_nr(org_nr) if org_nr is not None else None,
        check_text(contract, "--contract") if contract is not None else None,
    )


def check_supplier(session: Session, asked: CheckInput) -> CheckResult:
    """Whether the supplier (for the contract when given) may be used today."""
    name, number, contract_name = asked
    store = session.store
    if number is not None:
        found = store.find_supplier(org_nr=number, name=name)
        suppliers = [found] if found is not None else []
    else:
        suppliers = store.suppliers_named(name)
    today = session.today.isoformat()
    blocks: list[dict[str, Any]] = []
    terminations: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    if suppliers:
        contract_ids: dict[int, str] = {}
        for found in suppliers:
            contract_ids.update((c["id"], c["name"]) for c in store.contracts_of(found["id"]))
        wanted = {
            cid for cid, cname in contract_ids.items() if cname == contract_name
        } if contract_name is not None else None
        states = list(store.iter_states(status=None, supplier_ids=[s["id"] for s in suppliers]))
        for state in states:
            if wanted is not None and state.contract_id is not None and (
                state.contract_id not in wanted
            ):
                continue
            where = {"contract": contract_ids.get(state.contract_id)
                     if state.contract_id is not None else None}
            block = block_of(state, session.ladder_of(state))
            if block is not None:
                blocks.append({**block, **where})
            for ended in terminations_of(state, store):
                (terminations if ended["since"] <= today else pending).append({**ended, **where})
    return CheckResult(
        supplier=suppliers[0]["name"] if len(suppliers) == 1 else name,
        org_nr=suppliers[0]["org_nr"] if len(suppliers) == 1 else number,
        contract=contract_name, record=bool(suppliers), blocks=blocks,
        terminations=terminations, pending=pending,
    )
