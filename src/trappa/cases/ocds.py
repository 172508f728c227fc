"""The register as Open Contracting Data Standard (OCDS 1.1) releases: one release per contract
that has a case, in a release package.

* the buyer (``org.name``) and the supplier as parties, the supplier through an award;
* ``contracts[].implementation.milestones``: the action plans (due date, the date a followed
  plan was met, ``met``/``partiallyMet``/``notMet`` from the follow-up, ``scheduled`` before one);
* ``implementation.performanceFailures`` (the Performance Failures extension): one entry per
  deviation category and calendar month with the number of deviations and incidents, and one
  entry per month with sanctions, whose ``penaltyImposed`` lists them (kind and amount in
  kronor) and whose category is null, as it spans the categories;
* a termination (a sanction of kind hävning or uppsägning) as the Contract Completion
  extension's ``implementation.endDate`` with the contract ``terminated`` and the release tagged
  ``contractTermination``.

Nothing personal leaves the register: no reporter, no actor, no free text (descriptions,
reasons and plan items may name people); a sole trader (an organisation number whose third
digit is 0 or 1 is a personnummer) is published without its number and under a neutral name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from trappa.cases.session import Session
from trappa.errors import UserError
from trappa.messages import say
from trappa.store.ocds import contracts_for_ocds

OCDS_VERSION = "1.1"
EXTENSIONS = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_performance_failures/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_contract_completion_extension/master/extension.json",
)
PREFIX = re.compile(r"ocds-[a-z0-9]{6}(-[A-Za-z0-9.]+)*")
TERMINATIONS = frozenset({"hävning", "havning", "uppsägning", "uppsagning"})
SOLE_TRADER = "Enskild näringsidkare"
_STATUS = {"followed": "met", "no_effect": "partiallyMet", "not_followed": "notMet"}
_KINDS = {"hävning": "hävning", "havning": "hävning", "uppsägning": "uppsägning",
          "uppsagning": "uppsägning"}


def check_prefix(prefix: str | None) -> str:
    """The ocid prefix set with ``trappa config set ocds.prefix`` (``ocds-`` and six letters or
    digits, as registered with the Open Contracting Partnership, optionally a suffix)."""
    if prefix is None:
        raise UserError(say("ocds.prefix"))
    if not PREFIX.fullmatch(prefix):
        raise UserError(say("ocds.prefix_format", prefix=prefix))
    return prefix


def is_sole_trader(org_nr: str | None) -> bool:
    """A personnummer as organisation number: its third digit is 0 or 1."""
    return bool(org_nr) and org_nr[2] in "01"  # type: ignore[index]


def package(session: Session, published: str) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """The release package's fields and its releases (streamed: a large register has many)."""
    settings = session.store.settings()
    prefix = check_prefix(settings.get("ocds.prefix"))
    buyer_name = settings.get("org.name")
    if not buyer_name:
        raise UserError(say("letters.org_missing", key="org.name"))
    head = {
        "uri": f"urn:{prefix}:trappa:{published[:10]}",
        "version": OCDS_VERSION,
        "extensions": list(EXTENSIONS),
        "publishedDate": published,
        "publisher": {"name": buyer_name},
    }
    buyer = {"id": f"{prefix}-buyer", "name": buyer_name}
    releases = (
        release(prefix, buyer, item) for item in contracts_for_ocds(session.store)
    )
    return head, releases


def _datetime(day: str, end: bool = False) -> str:
    return f"{day}T23:59:59Z" if end else f"{day}T00:00:00Z"


def _kronor(amount: float | None) -> str:
    if amount is None:
        return "utan belopp"
    whole = amount == int(amount)
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    return text.replace(",", " ").replace(".", ",") + " kr"


def _month_end(month: str) -> str:
    import calendar

    year, number = int(month[:4]), int(month[5:7])
    return f"{month}-{calendar.monthrange(year, number)[1]:02d}"


def release(prefix: str, buyer: dict[str, str], item: dict[str, Any]) -> dict[str, Any]:
    contract, supplier = item["contract"], item["supplier"]
    ocid = f"{prefix}-{contract['id']}"
    supplier_party = _supplier(prefix, supplier)
    contract_id = str(contract["id"])
    termination = next((s for s in item["sanctions"] if s["kind"].casefold() in TERMINATIONS),
                       None)
    implementation: dict[str, Any] = {}
    milestones = [_milestone(plan) for plan in item["plans"]]
    if milestones:
        implementation["milestones"] = milestones
    failures = _failures(item)
    if failures:
        implementation["performanceFailures"] = failures
    if termination is not None:
        implementation["endDate"] = _datetime(termination["date"])
        kind = _KINDS[termination["kind"].casefold()]
        implementation["endDateDetails"] = f"Avtalet avslutat genom {kind} {termination['date']}"
    tag = ["implementation"] + (["contractTermination"] if termination is not None else [])
    return {
        "ocid": ocid,
        "id": f"{ocid}-{item['last_date']}",
        "date": _datetime(item["last_date"]),
        "tag": tag,
        "initiationType": "tender",
        "language": "sv",
        "parties": [
            {**buyer, "roles": ["buyer"]},
            {**supplier_party, "roles": ["supplier"]},
        ],
        "buyer": buyer,
        "awards": [{
            "id": contract_id,
            "status": "active",
            "suppliers": [{"id": supplier_party["id"], "name": supplier_party["name"]}],
        }],
        "contracts": [{
            "id": contract_id,
            "awardID": contract_id,
            "title": contract["name"],
            "status": "terminated" if termination is not None else "active",
            **({"implementation": implementation} if implementation else {}),
        }],
    }


def _supplier(prefix: str, supplier: dict[str, Any]) -> dict[str, Any]:
    org_nr = supplier["org_nr"]
    if is_sole_trader(org_nr):
        return {"id": f"{prefix}-supplier-{supplier['id']}", "name": SOLE_TRADER}
    party: dict[str, Any] = {"id": f"{prefix}-supplier-{supplier['id']}",
                             "name": supplier["name"]}
    if org_nr:
        digits = org_nr.replace("-", "")
        party["id"] = f"SE-BLV-{digits}"
        party["identifier"] = {"scheme": "SE-BLV", "id": digits, "legalName": supplier["name"]}
    return party


def _milestone(plan: dict[str, Any]) -> dict[str, Any]:
    outcome = plan["outcome"]
    milestone: dict[str, Any] = {
        "id": f"handlingsplan-{plan['case']}-{plan['n']}",
        "title": f"Handlingsplan {plan['n']} i ärende {plan['case']}",
        "type": "delivery",
        "description": f"Handlingsplan med {plan['items']} åtgärder",
        "dueDate": _datetime(plan["due"], end=True),
        "status": _STATUS.get(outcome, "scheduled"),
        "dateModified": _datetime(plan["followed_up"] or plan["established"]),
    }
    if outcome == "followed" and plan["followed_up"]:
        milestone["dateMet"] = _datetime(plan["followed_up"])
    return milestone


def _failures(item: dict[str, Any]) -> list[dict[str, Any]]:
    entries = [
        {
            "id": f"avvikelser-{f['month']}-{f['category'] or 'utan-kategori'}",
            "period": {"startDate": _datetime(f["month"] + "-01"),
                       "endDate": _datetime(_month_end(f["month"]), end=True)},
            "category": f["category"] or None,
            "events": f["events"],
        }
        for f in item["failures"]
    ]
    by_month: dict[str, list[dict[str, Any]]] = {}
    for sanction in item["sanctions"]:
        by_month.setdefault(sanction["date"][:7], []).append(sanction)
    for month, sanctions in sorted(by_month.items()):
        imposed = "; ".join(
            f"{s['kind']} {_kronor(s['amount'])} ({s['date']})" for s in sanctions
        )
        entries.append({
            "id": f"sanktioner-{month}",
            "period": {"startDate": _datetime(month + "-01"),
                       "endDate": _datetime(_month_end(month), end=True)},
            "category": None,
            "events": None,
            "penaltyImposed": imposed,
        })
    return entries
