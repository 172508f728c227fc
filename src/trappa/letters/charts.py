"""The monthly report's three charts as vector SVG, drawn with matplotlib (imported here only,
and only ``trappa monthly`` imports this module): open cases per step at each month's end over
twelve months, deviations per month by category, and the contract criticality × step matrix.

Text stays text in the SVG (``svg.fonttype: none``), so the charts are small, sharp at any size
and searchable in a browser; for a PDF (``text_as_paths``) the letters are drawn as outlines,
so the PDF needs none of matplotlib's fonts. Ids are salted with a fixed string and no date is
written, so the same figures give the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

# The steps from calm to alarming, one colour each (colour-blind safe, Okabe–Ito order).
LEVEL_COLOURS = ("#009E73", "#56B4E9", "#F0E442", "#E69F00", "#D55E00", "#CC79A7")
CATEGORY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#999999")
MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def month_label(month: str) -> str:
    """``2026-10`` → ``okt 2026``."""
    return f"{MONTHS[int(month[5:7]) - 1]} {month[:4]}"


_TEXT = {"fonttype": "none"}  # how the next charts draw text: set by ``all_svgs``


def _figure(width: float, height: float) -> tuple[Any, Any]:
    """A figure and its axes, without pyplot: no backend, no display, less to import."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update({
        "svg.fonttype": _TEXT["fonttype"], "svg.hashsalt": "trappa", "font.size": 9,
        "font.family": "DejaVu Sans", "axes.spines.top": False, "axes.spines.right": False,
    })
    figure = Figure(figsize=(width, height))
    return figure, figure.subplots()


def _count(value: float, _position: object = None) -> str:
    """A count as Swedish writes it: 12 500, a no-break space between the thousands."""
    return f"{int(value):,}".replace(",", "\u00a0")


def _svg(figure: Any) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": "trappa"},
                   bbox_inches="tight")
    text = out.getvalue()
    return text[text.index("<svg"):]  # the element alone, to embed in a page


def _stacked(ax: Any, labels: list[str], series: list[list[int]], names: list[str],
             colours: tuple[str, ...]) -> None:
    bottoms = [0] * len(labels)
    for i, (values, name) in enumerate(zip(series, names, strict=True)):
        ax.bar(labels, values, bottom=bottoms, label=name, color=colours[i % len(colours)],
               width=0.7)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.yaxis.set_major_formatter(_count)
    ax.tick_params(axis="x", labelrotation=45)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def open_by_level_svg(chart: dict[str, Any]) -> str:
    figure, ax = _figure(7.5, 3.2)
    levels = chart["levels"]
    rows = chart["open_by_level"]
    labels = [month_label(row["date"][:7]) for row in rows]
    series = [[row["counts"][i] for row in rows] for i in range(len(levels))]
    _stacked(ax, labels, series, [f"Steg {lv}" for lv in levels], LEVEL_COLOURS)
    ax.set_ylabel("Öppna ärenden vid månadens slut")
    return _svg(figure)


def deviations_svg(chart: dict[str, Any]) -> str:
    figure, ax = _figure(7.5, 3.2)
    data = chart["deviations_by_month"]
    labels = [month_label(row["month"]) for row in data["months"]]
    names = [c or "övriga" for c in data["categories"]]
    series = [[row["counts"][i] for row in data["months"]] for i in range(len(names))]
    _stacked(ax, labels, series, names, CATEGORY_COLOURS)
    ax.set_ylabel("Avvikelser")
    return _svg(figure)


def matrix_svg(matrix: dict[str, dict[str, int]]) -> str:
    """Criticality (rows, most critical on top) × step (columns), each cell shaded by its count
    and labelled with it: drawn as rectangles, so it stays vector."""
    from matplotlib.patches import Rectangle

    rows = list(matrix)
    levels = list(next(iter(matrix.values())))
    highest = max([1, *(n for counts in matrix.values() for n in counts.values())])
    figure, ax = _figure(6, 2.8)
    for r, criticality in enumerate(rows):
        for c, level in enumerate(levels):
            count = matrix[criticality][level]
            shade = count / highest
            ax.add_patch(Rectangle((c, len(rows) - 1 - r), 0.95, 0.95,
                                       color=(0.84, 0.37, 0.0, 0.08 + 0.85 * shade)))
            ax.text(c + 0.475, len(rows) - 1 - r + 0.475, _count(count), ha="center",
                    va="center", color="white" if shade > 0.6 else "black")
    ax.set_xlim(0, len(levels))
    ax.set_ylim(0, len(rows))
    ax.set_xticks([c + 0.475 for c in range(len(levels))], [f"Steg {lv}" for lv in levels])
    ax.set_yticks([len(rows) - 1 - r + 0.475 for r in range(len(rows))],
                  [f"Kritikalitet {c}" if c else "Utan kritikalitet" for c in rows])
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    return _svg(figure)


def all_svgs(data: dict[str, Any], *, text_as_paths: bool = False) -> list[str]:
    """The report's charts in the order its text numbers them; ``text_as_paths`` for a PDF."""
    charts = data["charts"]
    _TEXT["fonttype"] = "path" if text_as_paths else "none"
    try:
        return [
            open_by_level_svg(charts),
            deviations_svg(charts),
            matrix_svg(data["figures"]["current"]["open_cases_by_criticality"]),
        ]
    finally:
        _TEXT["fonttype"] = "none"
