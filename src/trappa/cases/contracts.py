"""Contracts as records of their own: showing and setting a contract's facts (criticality, the
procurement's diarienummer, the claim window), each change recorded with who, when and why in
the contract's own stream of the hash chain (``trappa.history.contracts``), and the list of
contracts with their open cases.

Choices where the issue is silent:

* A contract is named by its name; ``--supplier`` says whose when several suppliers have a
  contract of that name, and is needed to register a new one (its supplier is registered by name
  when unknown, as a report does).
* Setting a fact to the value it has records nothing and says so; ``--reason`` is optional, as
  ``escalate``'s is (who and when are always recorded).
* ``report --criticality N`` for a contract that has another criticality applies it, recorded in
  the contract's stream with the case the report went to (``apply_report_criticality``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from trappa.cases.due import MAX_CLAIM_DAYS
from trappa.cases.inputs import check_criticality, check_text, optional_text
from trappa.cases.session import Session
from trappa.dates import now_utc
from trappa.errors import UserError
from trappa.history.contracts import (
    CONTRACT_CHANGED,
    FACTS,
    changed_facts,
    stream_id,
)
from trappa.history.projection import Event
from trappa.identifiers import looks_like_org_nr
from trappa.messages import say


class ContractResult(NamedTuple):
    """A contract after a command: its record, its supplier, what changed (empty: nothing)."""

    contract: dict[str, Any]
    supplier: dict[str, Any]
    changes: dict[str, dict[str, Any]]
    created: bool


def check_facts(
    criticality: int | None, procurement: str | None, claim_within: int | None
) -> dict[str, Any]:
    """The facts a user gave, checked: only those given."""
    wanted: dict[str, Any] = {}
    if criticality is not None:
        wanted["criticality"] = check_criticality(criticality)
    if procurement is not None:
        wanted["procurement"] = check_text(procurement, "--procurement")
    if claim_within is not None:
        if not 1 <= claim_within <= MAX_CLAIM_DAYS:
            raise UserError(say("contract.claim_within", value=claim_within, max=MAX_CLAIM_DAYS))
        wanted["claim_within_days"] = claim_within
    return wanted


def find_contract(session: Session, name: str, supplier: str | None) -> tuple[
    dict[str, Any] | None, dict[str, Any] | None
]:
    """(contract, supplier) named so; either may be None when unknown. Ambiguous names and
    unknown suppliers are bad input."""
    store = session.store
    if supplier is not None:
        suppliers = store.suppliers_named(supplier)
        if len(suppliers) > 1:
            raise UserError(say("contract.supplier_ambiguous", supplier=supplier))
        if not suppliers:
            return None, None
        found = store.find_contract(suppliers[0]["id"], name)
        return found, suppliers[0]
    contracts = store.contracts_named(name)
    if len(contracts) > 1:
        names = ", ".join(store.supplier(c["supplier_id"])["name"] for c in contracts)
        raise UserError(say("contract.ambiguous", contract=name, suppliers=names),
                        hint=say("contract.ambiguous.hint"))
    if not contracts:
        return None, None
    return contracts[0], store.supplier(contracts[0]["supplier_id"])


def set_contract(
    session: Session,
    name: str,
    supplier: str | None,
    wanted: dict[str, Any],
    reason: str | None,
) -> ContractResult:
    """Set a contract's facts (registering it when new), recorded in its stream."""
    name = check_text(name, "the contract's name")
    supplier_name = optional_text(supplier, "--supplier")
    reason_text = optional_text(reason, "--reason", multiline=True)
    store = session.store
    with store.transaction():
        contract, found_supplier = find_contract(session, name, supplier_name)
        created = False
        if contract is None:
            if supplier_name is None:
                raise UserError(say("contract.unknown", contract=name),
                                hint=say("contract.unknown.hint", contract=name))
            if found_supplier is None:
                if looks_like_org_nr(supplier_name):
                    # A number names a supplier the register must know; it is not a name.
                    raise UserError(say("supplier.unknown", supplier=supplier_name))
                found_supplier = store.supplier(store.add_supplier(supplier_name, None))
            contract = store.contract(store.add_contract(found_supplier["id"], name, None))
            created = True
        assert found_supplier is not None
        changes = record_contract_change(
            session, contract, found_supplier, wanted, reason_text, None, always=created
        )
        contract = store.contract(contract["id"])
    return ContractResult(contract, found_supplier, changes, created)


def record_contract_change(
    session: Session,
    contract: dict[str, Any],
    supplier: dict[str, Any],
    wanted: dict[str, Any],
    reason: str | None,
    case: str | None,
    *,
    always: bool = False,
) -> dict[str, dict[str, Any]]:
    """Record the changes ``wanted`` makes to the contract's facts as one ``contract_changed``
    event (none when nothing changes, unless ``always``: a contract registered on its own), and
    store the facts. Inside the caller's transaction. Returns the changes."""
    current = {key: contract.get(key) for key in FACTS}
    changes, after = changed_facts(current, wanted)
    if not changes and not always:
        return changes
    data = {
        "contract": {
            "id": contract["id"], "name": contract["name"],
            "supplier": {"id": supplier["id"], "name": supplier["name"],
                         "org_nr": supplier["org_nr"]},
        },
        "changes": changes,
        "facts": after,
        "reason": reason,
        "case": case,
    }
    seq = contract["last_seq"] + 1
    event = Event(stream_id(contract["id"]), seq, CONTRACT_CHANGED, session.today.isoformat(),
                  now_utc(), session.actor, data)
    store = session.store
    store.append([event])
    store.set_contract_facts(contract["id"], after, seq)
    return changes


def apply_report_criticality(
    session: Session, contract: dict[str, Any], supplier: dict[str, Any],
    criticality: int | None, case: str | None,
) -> dict[str, Any]:
    """A report's ``--criticality`` for an existing contract: applied and recorded when it
    differs (never silently ignored). The contract after it."""
    if criticality is None or criticality == contract["criticality"]:
        return contract
    record_contract_change(session, contract, supplier, {"criticality": criticality}, None, case)
    return session.store.contract(contract["id"])


def contract_view(session: Session, name: str, supplier: str | None) -> dict[str, Any]:
    """A contract's facts, its cases and the history of its changes (``trappa contract NAME``)."""
    name = check_text(name, "the contract's name")
    contract, found_supplier = find_contract(session, name, optional_text(supplier, "--supplier"))
    if contract is None or found_supplier is None:
        raise UserError(say("contract.unknown", contract=name),
                        hint=say("contract.unknown.hint", contract=name))
    return contract_json(session, contract, found_supplier)


def contract_json(
    session: Session, contract: dict[str, Any], supplier: dict[str, Any]
) -> dict[str, Any]:
    store = session.store
    cases = [
        {"case": state.id, "status": state.status, "level": state.level}
        for state in store.iter_states(status=None, supplier_ids=[supplier["id"]])
        if state.contract_id == contract["id"]
    ]
    return {
        "contract": contract["name"],
        "supplier": {"name": supplier["name"], "org_nr": supplier["org_nr"]},
        **{key: contract[key] for key in FACTS},
        "cases": cases,
        "changes": [
            {
                "seq": event.seq, "date": event.date, "recorded_at": event.recorded_at,
                "actor": event.actor, "changes": event.data["changes"],
                "reason": event.data.get("reason"), "case": event.data.get("case"),
            }
            for event in store.events(stream_id(contract["id"]))
        ],
    }


def list_contracts(session: Session, criticality: int | None) -> list[dict[str, Any]]:
    """Every contract (of that criticality) with its open cases and their highest step."""
    if criticality is not None:
        check_criticality(criticality)
    return session.store.contract_listing(criticality)
