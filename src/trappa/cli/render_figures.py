"""Key figures as plain text for people: one line per figure with this period, the previous one
and the change, then the criticality × step matrix."""

from __future__ import annotations

from typing import Any

from trappa.cases.figures import SCALARS
from trappa.messages import say

# Each figure's message, by the figure's key (the keys written out, so each is found in the code).
LABELS = {
    "open_cases": "figures.label.open_cases",
    "plans_overdue": "figures.label.plans_overdue",
    "cases_opened": "figures.label.cases_opened",
    "deviations": "figures.label.deviations",
    "serious_deviations": "figures.label.serious_deviations",
    "deviations_resolved": "figures.label.deviations_resolved",
    "median_days_to_resolution": "figures.label.median_days_to_resolution",
    "escalations": "figures.label.escalations",
    "deescalations": "figures.label.deescalations",
    "plans_established": "figures.label.plans_established",
    "plans_followed_up": "figures.label.plans_followed_up",
    "sanctions": "figures.label.sanctions",
    "penalties_sek": "figures.label.penalties_sek",
    "sanctions_amount_sek": "figures.label.sanctions_amount_sek",
    "letters_sent": "figures.label.letters_sent",
}
BREAKDOWNS = {
    "open_cases_by_level": "figures.label.open_cases_by_level",
    "escalations_by_level": "figures.label.escalations_by_level",
    "median_days_to_level": "figures.label.median_days_to_level",
    "deviations_by_kind": "figures.label.deviations_by_kind",
    "deviations_by_category": "figures.label.deviations_by_category",
    "deviations_by_source": "figures.label.deviations_by_source",
    "plans_by_outcome": "figures.label.plans_by_outcome",
    "sanctions_by_kind": "figures.label.sanctions_by_kind",
    "letters_by_kind": "figures.label.letters_by_kind",
}


def figure_rows(data: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(label, this period, previous period) for every figure, scalars first."""
    current, previous = data["current"], data["previous"]
    rows = [(say(LABELS[key]), current[key], previous[key]) for key in SCALARS]
    for key, message in BREAKDOWNS.items():
        keys = list(dict.fromkeys([*current[key], *previous[key]]))
        for item in keys:
            label = say(message, key=item or say("figures.label.none"))
            rows.append((label, current[key].get(item), previous[key].get(item)))
    return rows


def change(value: Any, previous: Any) -> str:
    if not isinstance(value, int | float) or not isinstance(previous, int | float):
        return ""
    delta = value - previous
    text = f"{delta:+.2f}".rstrip("0").rstrip(".") if isinstance(delta, float) else f"{delta:+d}"
    return "" if delta == 0 else text


def number(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def figures_lines(data: dict[str, Any]) -> list[str]:
    period, before = data["period"], data["previous_period"]
    lines = [say("figures.title", start=period["from"], end=period["to"],
                 prev_start=before["from"], prev_end=before["to"])]
    if data.get("supplier"):
        lines.append(say("figures.title.supplier", supplier=data["supplier"]))
    rows = figure_rows(data)
    head = (say("figures.column.figure"), say("figures.column.value"),
            say("figures.column.previous"), say("figures.column.change"))
    table = [head] + [(label, number(v), number(p), change(v, p)) for label, v, p in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    lines.append("")
    for label, value, prev, delta in table:
        lines.append(f"{label:<{widths[0]}}  {value:>{widths[1]}}  {prev:>{widths[2]}}"
                     f"  {delta:>{widths[3]}}".rstrip())
    lines += ["", say("figures.matrix", date=period["to"])]
    matrix = data["current"]["open_cases_by_criticality"]
    levels = list(next(iter(matrix.values())))
    lines.append(" " * 12 + "".join(f"{level:>6}" for level in levels))
    for criticality, counts in matrix.items():
        name = criticality or say("figures.matrix.none")
        lines.append(f"{name:<12}" + "".join(f"{counts[level]:>6}" for level in levels))
    return lines
