"""Rich renderings for people: a case with its timeline, the status table, the rule explanation.

Every function takes the same plain data that ``--json`` prints, so what people see and what
scripts read cannot drift apart. rich is imported here, and this module only by the commands
that print tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.text import Text

from trappa.cli.tables import Column, print_table
from trappa.messages import say

LIGHT_STYLE = {"red": "bold red", "yellow": "yellow", "green": "green"}


def console() -> Console:
    # No markup: every string printed here may hold a user's text, and "[/bold]" in a
    # supplier's name must print as itself, not break the table or vanish.
    return Console(highlight=False, soft_wrap=False, markup=False, emoji=False)


# Values of the data, in words for people; a value missing here is shown as it is.
VALUES = {
    "red": "value.red", "yellow": "value.yellow", "green": "value.green",
    "open": "value.open", "closed": "value.closed", "resolved": "value.resolved",
    "deviation": "value.deviation", "incident": "value.incident", "risk": "value.risk",
    "followed": "rules.plan.outcome.followed", "not_followed": "rules.plan.outcome.not_followed",
    "no_effect": "rules.plan.outcome.no_effect",
}
EVENTS = {
    "reported": "event.reported", "escalated": "event.escalated",
    "deescalated": "event.deescalated", "activity_done": "event.activity_done",
    "plan_established": "event.plan_established", "plan_followed_up": "event.plan_followed_up",
    "sanction": "event.sanction", "letter_sent": "event.letter_sent",
    "resolved": "event.resolved", "closed": "event.closed", "reopened": "event.reopened",
    "note": "event.note", "redacted": "event.redacted",
    "supplier_identified": "event.supplier_identified",
    "reply_received": "event.reply_received", "waived": "event.waived",
}

_HEADS = {"open": "out.show.head.open", "closed": "out.show.head.closed"}


def word(value: str, words: dict[str, str] = VALUES) -> str:
    """``value`` of the data in the chosen language (as it is when it has no word)."""
    key = words.get(value)
    return say(key) if key else value


def _light(light: str) -> Text:
    return Text(f"● {word(light)}", style=LIGHT_STYLE[light])


def kronor(amount: float) -> str:
    """An amount as Swedes write it: 25 000 kr, 1 250,50 kr."""
    whole = f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"
    return whole.replace(",", " ").replace(".", ",") + " kr"


def _level(level: int | None) -> str:
    return "-" if level is None else str(level)


def status_table(rows: Iterable[dict[str, Any]], *, title: str, wide: bool = False) -> int:
    """Print the status (or review) table; return the number of rows.

    At a narrow width the least important columns are left out first: the count of open
    deviations, then the contract, the suggested level, the next due date and the level; the
    case, the supplier and the light always show.
    """
    columns = [
        Column(say("col.case"), wrap=False),
        Column(say("col.supplier"), weight=2),
        Column(say("col.contract"), weight=2, drop=5),
        Column(say("col.level"), wrap=False, drop=2),
        Column(say("col.suggested"), wrap=False, drop=4),
        Column(say("col.light"), wrap=False),
        Column(say("col.open"), wrap=False, drop=6),
        Column(say("col.due"), wrap=False, drop=3),
    ]
    cells = []
    due_lines: list[str] = []  # review's due dates, each on a line under the table
    for row in rows:
        cells.append((
            row["case"],
            row["supplier"],
            row["contract"] or "",
            str(row["level"]),
            _level(row["suggested_level"]),
            _light(row["light"]),
            str(row["open_deviations"]),
            row["next_due"] or "",
        ))
        if row.get("due"):
            from trappa.cli.render_followup import due_lines as lines_of

            due_lines.extend(lines_of(row["case"], row["due"]))
    out = console()
    if cells:
        print_table(out, columns, cells, wide=wide, title=title)
        for line in due_lines:
            out.print(line, highlight=False)
    else:
        out.print(say("out.status.empty"))
    return len(cells)


def explain(evaluation: dict[str, Any], case: str, *, wide: bool = False) -> None:
    out = console()
    out.print(
        say(
            "out.explain.head",
            case=case,
            as_of=evaluation["as_of"],
            level=evaluation["level"],
            suggested=_level(evaluation["suggested_level"]),
        )
    )
    # The "why" takes most of the width; a rule's id is kept whole, its title wraps.
    columns = [
        Column(say("col.rule")),
        Column(say("col.level"), wrap=False, justify="right"),
        Column(say("col.holds"), wrap=False),
        Column(say("col.why"), weight=4),
    ]
    rows: list[tuple[Any, ...]] = [
        (
            f"{rule['id']}\n{rule['title']}",
            str(rule["level"]),
            Text(say("out.yes"), style="bold") if rule["holds"] else Text(say("out.no")),
            rule["detail"],
        )
        for rule in evaluation["rules"]
    ]
    print_table(out, columns, rows, wide=wide)


def show(case: dict[str, Any], *, wide: bool = False) -> None:
    out = console()
    supplier = case["supplier"]
    org = f" ({supplier['org_nr']})" if supplier["org_nr"] else ""
    contract = case["contract"]
    head = _HEADS.get(case["status"])
    out.print(Text(say(head, case=case["case"]) if head else
                   say("out.show.head", case=case["case"], status=case["status"]), style="bold"))
    out.print(say("out.show.supplier", name=supplier["name"], org=org))
    if contract:
        crit = contract["criticality"]
        out.print(
            say(
                "out.show.contract",
                name=contract["name"],
                criticality=crit if crit is not None else "-",
            )
        )
    if contract and (contract.get("procurement") or contract.get("claim_within_days")):
        out.print(say("out.show.contract_facts", procurement=contract.get("procurement") or "-",
                      days=contract.get("claim_within_days") or "-"))
    if case["reference"]:
        out.print(say("out.show.reference", reference=case["reference"]))
    risk = case.get("risk")
    if risk:
        default = say("out.show.risk_default") if risk["band_default"] else ""
        out.print(say("out.show.risk", probability=risk["probability"],
                      consequence=risk["consequence"], score=risk["score"], band=risk["band"],
                      default=default, date=risk["assessed"]))
    out.print(say("out.show.ladder", ladder=case["ladder"]["title"], ref=case["ladder"]["ref"]))
    step = case["step"]
    label = f" – {step['label']}" if step.get("label") else ""
    out.print(
        Text.assemble(
            say(
                "out.show.level",
                level=case["level"],
                event=step["event"],
                label=label,
                since=case["level_since"],
            ),
            "  ",
            _light(case["light"]),
        )
    )
    evaluation = case["evaluation"]
    if evaluation["suggested_level"] not in (None, case["level"]):
        out.print(say("out.show.suggested", level=evaluation["suggested_level"], case=case["case"]))

    out.print()
    out.print(Text(say("out.show.activities"), style="bold"))
    for activity in step["activities"]:
        mark = "✔" if activity["done"] else "☐"
        out.print(f"  {mark} {activity['key']}: {activity['title']}")
    if step["parties"]:
        out.print(say("out.step.parties", parties="; ".join(p["title"] for p in step["parties"])))

    plan = case["action_plan"]
    if plan:
        out.print()
        outcome = word(plan["outcome"]) if plan["outcome"] else say("out.show.plan.open")
        out.print(
            Text(
                say(
                    "out.show.plan",
                    n=plan["n"],
                    established=plan["established"],
                    due=plan["due"],
                    outcome=outcome,
                ),
                style="bold",
            )
        )
        for item in plan["items"]:
            out.print(f"  – {item}")

    out.print()
    columns = [
        Column(say("col.n"), wrap=False),
        Column(say("col.observed"), wrap=False),
        Column(say("col.kind"), drop=2),
        Column(say("col.category"), drop=3),
        Column(say("col.description"), weight=4),
        Column(say("col.state"), wrap=False, drop=1),
    ]
    rows: list[tuple[Any, ...]] = [
        (str(d["n"]), d["observed"], word(d["kind"]) + (" !" if d["serious"] else ""),
         d["category"] or "", d["description"], word(d["state"]))
        for d in case["deviations"]
    ]
    print_table(out, columns, rows, wide=wide, title=say("out.show.deviations"))

    if case["sanctions"]:
        columns = [
            Column(say("col.date"), wrap=False),
            Column(say("col.kind")),
            Column(say("col.amount"), wrap=False, justify="right"),
            Column(say("col.reason"), weight=4),
        ]
        rows = [
            (s["date"], s["kind_label"], "" if s["amount"] is None else kronor(s["amount"]),
             s["reason"])
            for s in case["sanctions"]
        ]
        print_table(out, columns, rows, wide=wide, title=say("out.show.sanctions"))

    from trappa.cli.render_followup import show_followup

    show_followup(out, case)

    columns = [
        Column(say("col.date"), wrap=False),
        Column(say("col.event")),
        Column(say("col.actor"), drop=1),
        Column(say("col.detail"), weight=4),
    ]
    rows = [
        (event["date"], word(event["type"], EVENTS), event["actor"], timeline_detail(event))
        for event in case["events"]
    ]
    print_table(out, columns, rows, wide=wide, title=say("out.show.timeline"))


def timeline_detail(event: dict[str, Any]) -> str:
    """One line describing an event, for the timeline."""
    data = event["data"]
    kind = event["type"]
    if kind == "reported":
        d = data["deviation"]
        serious = say("out.serious") if d["serious"] else ""
        return f"#{d['n']} {word(d['kind'])}{serious} {d['observed']}: {d['description']}"
    if kind in ("escalated", "deescalated"):
        why = data["reason"] or say("out.by_rules", rules=", ".join(data.get("rules") or []))
        return f"{data['from']} → {data['to']}: {why}"
    if kind == "activity_done":
        return data["activity"] + (f": {data['note']}" if data.get("note") else "")
    if kind == "plan_established":
        return say("out.timeline.plan", n=data["n"], due=data["due"],
                   items=say("count.items", n=len(data["items"])))
    if kind == "plan_followed_up":
        return f"#{data['n']}: {word(data['outcome'])}" + (
            f" ({data['note']})" if data.get("note") else ""
        )
    if kind == "sanction":
        amount = f" {kronor(data['amount'])}" if data.get("amount") is not None else ""
        answers = say("out.timeline.answers", deviations=", ".join(
            f"#{n}" for n in data["deviations"])) if data.get("deviations") else ""
        effect = (" " + say("out.timeline.takes_effect", date=data["takes_effect"])
                  if data.get("takes_effect") else "")
        return f"{data['kind']}{amount}{effect}{answers}: {data['reason']}"
    if kind == "letter_sent":
        about = f" #{data['sanction']}" if data.get("sanction") else ""
        override = (" " + say("out.timeline.override", reason=data["override"])
                    if data.get("override") else "")
        reply_by = say("out.timeline.reply_by", date=data["reply_by"]) if data.get(
            "reply_by") else ""
        return (f"{data['kind']}{about} → {data['recipient']} ({data['format']},"
                f" {data['sha256'][:12]}){reply_by}{override}")
    if kind == "resolved":
        return f"#{data['deviation']}" + (f": {data['note']}" if data.get("note") else "")
    if kind == "closed" and data.get("override"):
        return say("out.timeline.closed_override", reason=data["reason"],
                   override=data["override"])
    if kind in ("closed", "reopened"):
        return data["reason"]
    if kind == "risk_assessed":
        return say("out.timeline.risk", probability=data["probability"],
                   consequence=data["consequence"], score=data["score"], band=data["band"]) + (
            f": {data['note']}" if data.get("note") else ""
        )
    if kind == "ladder_adopted":
        return say("out.timeline.ladder_adopted", old=data["from"]["ladder"],
                   old_sha=data["from"]["ladder_sha256"][:12], new=data["to"]["ladder"],
                   new_sha=data["to"]["ladder_sha256"][:12], reason=data["reason"])
    if kind == "note":
        return data["text"]
    if kind in ("reply_received", "waived"):
        from trappa.cli.render_followup import timeline_detail as followup_detail

        return followup_detail(kind, data) or ""
    if kind == "supplier_identified":
        supplier = data["supplier"]
        return say("out.timeline.supplier_identified", org_nr=supplier["org_nr"],
                   name=supplier["name"])
    return ""
