"""Commands on the records beside the cases: a contract's facts (contract), the contracts a
region watches (contracts), and whether a supplier may be used (check, for purchasing scripts)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from trappa.cli import app
from trappa.cli.options import Actor, Db, Json
from trappa.cli.output import print_json
from trappa.cli.session import session
from trappa.messages import _, say


@app.command(help=_("Show a contract's facts, or set them (recorded with who, when and why)."))
def contract(
    name: Annotated[
        str, typer.Argument(metavar=_("NAME"), help=_("The contract's name or reference."))
    ],
    supplier: Annotated[
        str | None, typer.Option(help=_("Whose contract (name or organisation number)."))
    ] = None,
    criticality: Annotated[
        int | None, typer.Option(help=_("Set its criticality, 1-4 (4 most critical)."))
    ] = None,
    procurement: Annotated[
        str | None, typer.Option(help=_("Set the procurement's own diarienummer."))
    ] = None,
    claim_within: Annotated[
        int | None,
        typer.Option(
            "--claim-within",
            help=_(
                "Set the claim window: calendar days from a deviation's observed date in which"
                " a vite must be claimed."
            ),
        ),
    ] = None,
    reason: Annotated[str | None, typer.Option(help=_("Why: recorded with the change."))] = None,
    db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    from trappa.cases import contracts
    from trappa.errors import UserError

    wanted = contracts.check_facts(criticality, procurement, claim_within)
    if not wanted:
        if reason is not None:
            raise UserError(say("contract.reason_alone"))
        with session(db, read_only=True) as s:
            data = contracts.contract_view(s, name, supplier)
        _print_contract(data, json)
        return
    with session(db, actor) as s:
        result = contracts.set_contract(s, name, supplier, wanted, reason)
        data = contracts.contract_json(s, result.contract, result.supplier)
    if json:
        print_json({**data, "created": result.created, "changed": result.changes})
        return
    if result.created:
        typer.echo(say("out.contract.created", contract=data["contract"],
                       supplier=data["supplier"]["name"]))
    if result.changes:
        for key, change in result.changes.items():
            typer.echo(say("out.contract.changed", contract=data["contract"],
                           fact=say(_FACT_KEYS[key]),
                           old=_fact(change["from"]), new=_fact(change["to"])))
    elif not result.created:
        typer.echo(say("out.contract.unchanged", contract=data["contract"]))


# A contract's facts as people read them (each key a literal, as every message key is).
_FACT_KEYS = {
    "criticality": "out.contract.criticality",
    "procurement": "out.contract.procurement",
    "claim_within_days": "out.contract.claim_within_days",
}


def _fact(value: Any) -> str:
    return "-" if value is None else str(value)


def _print_contract(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(data)
        return
    supplier = data["supplier"]
    org = f" ({supplier['org_nr']})" if supplier["org_nr"] else ""
    typer.echo(say("out.contract.head", contract=data["contract"], supplier=supplier["name"],
                   org=org))
    for key in ("criticality", "procurement", "claim_within_days"):
        typer.echo(f"  {say(_FACT_KEYS[key])}: {_fact(data[key])}")
    for case in data["cases"]:
        typer.echo(say("out.contract.case", **case))
    for change in data["changes"]:
        facts = ", ".join(
            f"{say(_FACT_KEYS[key])} {_fact(c['from'])} → {_fact(c['to'])}"
            for key, c in change["changes"].items()
        ) or say("out.contract.registered")
        why = f" ({change['reason']})" if change["reason"] else ""
        typer.echo(f"  {change['date']} {change['actor']}: {facts}{why}")


@app.command(help=_(
    "The contracts with their open cases and highest step, most critical first."
))
def contracts(
    criticality: Annotated[
        int | None, typer.Option(help=_("Only contracts of this criticality, 1-4."))
    ] = None,
    db: Db = None, json: Json = False,
) -> None:
    from trappa.cases.contracts import list_contracts
    from trappa.cli.session import new_install

    if new_install(db):
        rows: list[dict[str, Any]] = list_contracts_empty(criticality)
    else:
        with session(db, read_only=True) as s:
            rows = list_contracts(s, criticality)
    if json:
        print_json(rows)
        return
    if not rows:
        typer.echo(say("out.contracts.empty"))
    for row in rows:
        cases = ", ".join(row["open_cases"]) or "-"
        level = "-" if row["highest_level"] is None else row["highest_level"]
        typer.echo(say("out.contracts.row", criticality=_fact(row["criticality"]),
                       contract=row["contract"], supplier=row["supplier"]["name"], cases=cases,
                       level=level))


def list_contracts_empty(criticality: int | None) -> list[dict[str, Any]]:
    """No register yet: no contracts (the criticality still checked)."""
    from trappa.cases.contracts import check_facts

    if criticality is not None:
        check_facts(criticality, None, None)
    return []


@app.command(help=_(
    "May the supplier be used? Exit 0 yes, 1 blocked or its contract terminated, 2 bad input, 3"
    " the register cannot be read (a register is never created here)."
))
def check(
    supplier: Annotated[
        str,
        typer.Argument(metavar=_("SUPPLIER"), help=_("The supplier's name."), show_default=False),
    ],
    org_nr: Annotated[
        str | None, typer.Option("--org-nr", help=_("Its organisation number, NNNNNN-NNNN."))
    ] = None,
    contract: Annotated[str | None, typer.Option(help=_("For this contract."))] = None,
    db: Db = None, json: Json = False,
) -> None:
    from trappa.cases.blocks import check_input, check_supplier

    asked = check_input(supplier, org_nr, contract)
    with session(db, read_only=True) as s:
        result = check_supplier(s, asked)
    if json:
        print_json(result.to_json())
    else:
        _print_check(result)
    if not result.record:
        typer.echo(say("out.check.no_record", supplier=asked.supplier), err=True)
    if not result.may_use:
        raise typer.Exit(1)


def _print_check(result: Any) -> None:
    for block in result.blocks:
        where = f" ({block['contract']})" if block["contract"] else ""
        typer.echo(say("out.check.blocked", supplier=result.supplier, where=where,
                       case=block["case"], level=block["level"], step=block["step"] or "",
                       since=block["since"]))
    for ended in result.terminations:
        typer.echo(say("out.check.terminated", supplier=result.supplier,
                       contract=ended["contract"] or say("out.check.no_contract"),
                       kind=ended["kind"], case=ended["case"], since=ended["since"]))
    for ended in result.pending:
        typer.echo(say("out.check.terminates", supplier=result.supplier,
                       contract=ended["contract"] or say("out.check.no_contract"),
                       kind=ended["kind"], case=ended["case"], since=ended["since"]))
    if result.may_use and result.record:
        typer.echo(say("out.check.ok", supplier=result.supplier))
