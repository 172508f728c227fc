"""The monthly report (månadsrapport) as a document: Markdown from the template
``sv/manadsrapport.md.j2`` (a user's templates folder may override it), and a printable HTML page
with the charts embedded as vector SVG where the text names them ("Diagram 1. …").

The figures' Swedish names are here, beside the template that prints them; the numbers are
written as Swedish writes them (decimal comma, kronor with no-break spaces).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from trappa.cases.figures import SCALARS
from trappa.cases.session import Session
from trappa.dates import today
from trappa.errors import UserError
from trappa.letters import templating
from trappa.letters.context import head_context, org_context
from trappa.letters.documents import markdown_to_html
from trappa.letters.templating import MONTHS, kronor
from trappa.messages import say

KIND = "manadsrapport"
# Rows a list of the document shows; the workbook has them all. A manager reads the first fifty
# of 40 000 red cases, and markdown-it would spend seconds on the rest.
LIST_LIMIT = 50

LABELS = {
    "open_cases": "Öppna ärenden vid periodens slut",
    "plans_overdue": "Handlingsplaner vars sista dag har passerat",
    "cases_opened": "Nya ärenden",
    "deviations": "Registrerade avvikelser och händelser",
    "serious_deviations": "– varav allvarliga",
    "deviations_resolved": "Släckta avvikelser",
    "median_days_to_resolution": "Mediantid från avvikelse till släckt (dagar)",
    "escalations": "Eskaleringar",
    "deescalations": "Nedtrappningar",
    "plans_established": "Upprättade handlingsplaner",
    "plans_followed_up": "Uppföljda handlingsplaner",
    "sanctions": "Sanktioner",
    "penalties_sek": "Vite",
    "sanctions_amount_sek": "Sanktioners belopp sammanlagt",
    "letters_sent": "Skickade skrivelser",
}
BREAKDOWNS = {
    "open_cases_by_level": "Öppna ärenden på steg {key}",
    "median_days_to_level": "Mediantid från första avvikelse till steg {key} (dagar)",
    "deviations_by_source": "Avvikelser från källa: {key}",
    "deviations_by_category": "Avvikelser i kategori: {key}",
}


def number(value: Any, key: str = "") -> str:
    """A figure as Swedish prints it: kronor for money, a decimal comma, – for none."""
    if value is None:
        return "–"
    if key.endswith("_sek"):
        return kronor(value)
    if isinstance(value, float):
        text = f"{value:,.1f}".replace(",", "\u00a0").replace(".", ",")
        return text[:-2] if text.endswith(",0") else text
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")  # 12 500: a no-break space
    return str(value)


def change(value: Any, previous: Any, key: str = "") -> str:
    if not isinstance(value, int | float) or not isinstance(previous, int | float):
        return ""
    delta = value - previous
    if delta == 0:
        return "±0"
    sign = "+" if delta > 0 else "−"
    return sign + number(abs(delta), key)


def figure_rows(figures: dict[str, Any]) -> list[dict[str, str]]:
    """Every figure with its Swedish name, this period, the previous one and the change."""
    now, before = figures["current"], figures["previous"]
    rows = [
        {"label": LABELS[key], "value": number(now[key], key),
         "previous": number(before[key], key), "change": change(now[key], before[key], key)}
        for key in SCALARS
    ]
    for key, label in BREAKDOWNS.items():
        for item in dict.fromkeys([*now[key], *before[key]]):
            value, prev = now[key].get(item), before[key].get(item)
            rows.append({"label": label.format(key=item or "ej angiven"),
                         "value": number(value), "previous": number(prev),
                         "change": change(value, prev)})
    return rows


def month_title(month: str) -> str:
    """``2026-10`` → ``oktober 2026``."""
    return f"{MONTHS[int(month[5:7]) - 1]} {month[:4]}"


def report_context(session: Session, data: dict[str, Any], checkpoint: str) -> dict[str, Any]:
    figures = data["figures"]
    charts = data["charts"]
    previous = figures["previous_period"]["from"][:7]
    now = figures["current"]
    levels = charts["levels"]
    matrix = now["open_cases_by_criticality"]
    return {
        "org": org_context(session.store.settings()),
        "head": head_context(session.store.head()),
        "checkpoint_lines": [line for line in checkpoint.splitlines() if line.strip()],
        "month_title": month_title(data["month"]),
        "month_short": month_title(data["month"]),
        "previous_title": month_title(previous),
        "previous_short": month_title(previous),
        "period": data["period"],
        "today": data["today"],
        "summary": {
            "open_cases": now["open_cases"], "high": len(data["high"]),
            "deviations": now["deviations"], "serious": now["serious_deviations"],
            "escalations": now["escalations"], "deescalations": now["deescalations"],
            "sanctions": now["sanctions"], "penalties": now["penalties_sek"],
            "red": data["red_count"],
        },
        "figure_rows": figure_rows(figures),
        "levels": levels,
        "open_by_level": [
            {**row, "total": sum(row["counts"])} for row in charts["open_by_level"]
        ],
        "categories": [c or "övriga" for c in charts["deviations_by_month"]["categories"]],
        "deviations_by_month": charts["deviations_by_month"]["months"],
        "matrix": [
            {"name": f"{c}" if c else "utan", "counts": [counts.get(str(lv), 0) for lv in levels]}
            for c, counts in matrix.items()
        ],
        **_listed("moves", data["moves"]),
        **_listed("red", data["red"], data["red_count"]),
        **_listed("sanctions", data["sanctions"]),
        **_listed("high", data["high"]),
    }


def _listed(name: str, rows: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    """The first ``LIST_LIMIT`` rows of a list of ``total`` (default: all of ``rows``), and how
    many more there are."""
    total = len(rows) if total is None else total
    return {name: rows[:LIST_LIMIT], f"{name}_more": max(0, total - LIST_LIMIT)}


def render_markdown(session: Session, data: dict[str, Any], checkpoint: str,
                    templates: Path | None = None) -> str:
    places = templating.search_places("sv", [], templating.user_templates_dir(templates))
    found = templating.find(KIND + templating.SUFFIX, places)
    if found is None:
        folders = ", ".join(str(place.folder) for place in places)
        raise UserError(say("letters.no_template", kind=KIND, places=folders))
    return templating.render(found[0], places, report_context(session, data, checkpoint))


_CAPTION = re.compile(r"<p><em>Diagram (\d+)\. (.*?)</em></p>")


def render_html(markdown: str, data: dict[str, Any], svgs: list[str]) -> str:
    """The page, each chart's SVG in a figure where its caption stands."""
    page = markdown_to_html(markdown, title=f"Månadsrapport {month_title(data['month'])}")

    def figure(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        if not 0 <= index < len(svgs):
            return match.group(0)
        return (f'<figure class="chart">{svgs[index]}'
                f"<figcaption>Diagram {match.group(1)}. {match.group(2)}</figcaption></figure>")

    page = _CAPTION.sub(figure, page)
    style = "figure.chart { margin: 1em 0; } figure.chart svg { max-width: 100%; height: auto; }"
    return page.replace("</style>", style + "\n</style>", 1)


_METADATA = re.compile(r"<metadata>.*?</metadata>", re.DOTALL)
_CAPTION_MD = re.compile(r"^\*Diagram (\d+)\. (.*?)\*$", re.MULTILINE)


def render_pdf(markdown: str, data: dict[str, Any], svgs: list[str],
               settings: dict[str, str], logo: bytes | None = None) -> bytes:
    """The report as PDF/A: each chart drawn as vector graphics above its caption."""
    from trappa.letters.context import document_frame
    from trappa.letters.pdf import markdown_to_pdf

    # The PDF library reads no <metadata> and would say so on stderr for every chart.
    images = {f"diagram-{n}.svg": _METADATA.sub("", svg).encode("utf-8")
              for n, svg in enumerate(svgs, start=1)}

    def figure(match: re.Match[str]) -> str:
        name = f"diagram-{match.group(1)}.svg"
        return f"![Diagram {match.group(1)}]({name})\n\n{match.group(0)}" if name in images \
            else match.group(0)

    title = f"Månadsrapport {month_title(data['month'])}"
    frame = document_frame(settings, title=title, date=today(), subject=title,
                           footer=title, logo=logo)
    return markdown_to_pdf(_CAPTION_MD.sub(figure, markdown), frame, images=images)
