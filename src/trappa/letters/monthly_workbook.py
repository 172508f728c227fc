"""The monthly report as an Excel workbook (XlsxWriter): a sheet per part of the report, typed
cells (dates as dates, kronor as numbers), and the three charts as Excel's own charts over the
sheets' data, so a controller can restyle or extend them. The first sheet ends with the
register's checkpoint line, as the other formats do.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from trappa.cases.monthly import SHEET_ROWS
from trappa.letters.charts import month_label
from trappa.letters.monthly import LABELS, figure_rows, month_title

LEVEL_COLOURS = ("#009E73", "#56B4E9", "#F0E442", "#E69F00", "#D55E00", "#CC79A7")
# Rows a list sheet holds; a last row says how many more there are and where they are. A
# register of 100k cases has tens of thousands red: writing them all would double the report's
# time, and `trappa status` and `trappa export` give them whole.
WORKBOOK_LIMIT = SHEET_ROWS


class _Book:
    def __init__(self) -> None:
        import xlsxwriter

        self.out = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.out, {
            "in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False,
        })
        self.bold = self.book.add_format({"bold": True})
        self.title = self.book.add_format({"bold": True, "font_size": 14})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.money = self.book.add_format({"num_format": '# ##0.00" kr"'})

    def table(self, name: str, header: list[str], rows: list[list[Any]],
              widths: list[int] | None = None, first_row: int = 0) -> Any:
        ws = self.book.add_worksheet(name)
        for c, text in enumerate(header):
            ws.write_string(first_row, c, text, self.bold)
            ws.set_column(c, c, (widths or [])[c] if widths and c < len(widths) else 14)
        for r, row in enumerate(rows, start=first_row + 1):
            for c, value in enumerate(row):
                self.cell(ws, r, c, value)
        ws.freeze_panes(first_row + 1, 0)
        return ws

    def listing(self, name: str, header: list[str], rows: list[list[Any]], widths: list[int],
                more: str, total: int | None = None) -> Any:
        """A list sheet of at most ``WORKBOOK_LIMIT`` rows of ``total`` (default: all of
        ``rows``), then the number of those left out."""
        total = len(rows) if total is None else total
        ws = self.table(name, header, rows[:WORKBOOK_LIMIT], widths)
        if total > WORKBOOK_LIMIT:
            ws.write_string(WORKBOOK_LIMIT + 2, 0,
                            f"Ytterligare {total - WORKBOOK_LIMIT} rader: {more}")
        return ws

    def cell(self, ws: Any, r: int, c: int, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, dt.date):
            ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), self.date)
        elif isinstance(value, _Money):
            ws.write_number(r, c, value.amount, self.money)
        elif isinstance(value, int | float):
            ws.write_number(r, c, value)
        else:
            ws.write_string(r, c, str(value))


class _Money:
    def __init__(self, amount: float) -> None:
        self.amount = amount


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _money(value: Any) -> Any:
    return _Money(float(value)) if value is not None else None


def render_xlsx(data: dict[str, Any], checkpoint_line: str) -> bytes:
    """The workbook's bytes."""
    b = _Book()
    figures, charts = data["figures"], data["charts"]
    now, before = figures["current"], figures["previous"]
    month = month_title(data["month"])
    previous = month_title(figures["previous_period"]["from"][:7])
    # Key figures: numbers as numbers (the Markdown's text is for reading, this for counting).
    numeric = [[LABELS[k], now[k], before[k]] for k in LABELS]
    rows = [[r["label"], r["value"], r["previous"]] for r in figure_rows(figures)[len(LABELS):]]
    summary = b.table("Nyckeltal", ["Nyckeltal", month, previous], [
        [label, _money(v) if k.endswith("_sek") else v, _money(p) if k.endswith("_sek") else p]
        for (label, v, p), k in zip(numeric, LABELS, strict=True)
    ] + rows, widths=[52, 16, 16], first_row=2)
    summary.write_string(0, 0, f"Månadsrapport {month}: leverantörsuppföljning", b.title)
    summary.write_string(1, 0, f"Period {data['period']['from']}–{data['period']['to']},"
                         f" upprättad {data['today']}")
    end = 3 + len(numeric) + len(rows) + 1
    summary.write_string(end, 0, checkpoint_line)

    levels = charts["levels"]
    steps = b.table("Ärenden per steg", ["Månadens slut", *[f"Steg {lv}" for lv in levels]], [
        [_day(row["date"]), *row["counts"]] for row in charts["open_by_level"]
    ])
    months = len(charts["open_by_level"])
    _chart(b, steps, "Öppna ärenden per steg vid månadens slut", levels, months, "H2",
           colours=LEVEL_COLOURS)

    by_month = charts["deviations_by_month"]
    names = [c or "övriga" for c in by_month["categories"]]
    deviations = b.table("Avvikelser per månad", ["Månad", *names], [
        [month_label(row["month"]), *row["counts"]] for row in by_month["months"]
    ])
    _chart(b, deviations, "Avvikelser per månad och kategori", names, len(by_month["months"]),
           "H2")

    matrix = now["open_cases_by_criticality"]
    critical = b.table("Kritikalitet och steg", ["Kritikalitet", *[f"Steg {lv}" for lv in levels]],
                       [[f"{c}" if c else "utan", *[counts.get(str(lv), 0) for lv in levels]]
                        for c, counts in matrix.items()])
    _chart(b, critical, "Öppna ärenden per kritikalitet och steg", levels, len(matrix), "H2",
           colours=LEVEL_COLOURS)

    b.listing("Förflyttningar", ["Datum", "Ärende", "Leverantör", "Avtal", "Från steg",
                                 "Till steg", "Skäl"],
              [[_day(m["date"]), m["case"], m["supplier"], m["contract"], m["from_level"],
                m["to_level"], m["reason"] or "enligt reglerna"] for m in data["moves"]],
              [12, 12, 28, 24, 10, 10, 40], "trappa export events")
    b.listing("Röda ärenden", ["Ärende", "Leverantör", "Avtal", "Steg", "Föreslaget steg",
                               "Handlingsplan senast"],
              [[r["case"], r["supplier"], r["contract"], r["level"], r["suggested_level"],
                _day(r["next_due"])] for r in data["red"]], [12, 28, 24, 8, 16, 20],
              "trappa status", data["red_count"])
    b.listing("Sanktioner", ["Datum", "Ärende", "Leverantör", "Avtal", "Sanktion", "Belopp",
                             "Skäl"],
              [[_day(s["date"]), s["case"], s["supplier"], s["contract"], s["kind"],
                _money(s["amount"]), s["reason"]] for s in data["sanctions"]],
              [12, 12, 28, 24, 12, 16, 40], "trappa export sanctions")
    b.listing("Steg 3 och högre", ["Leverantör", "Organisationsnummer", "Avtal",
                                   "Kritikalitet", "Ärende", "Steg"],
              [[h["supplier"], h["org_nr"], h["contract"], h["criticality"], h["case"],
                h["level"]] for h in data["high"]], [28, 20, 24, 12, 12, 8],
              "trappa status")
    b.book.close()
    return b.out.getvalue()


def _chart(b: _Book, ws: Any, title: str, series: list[Any], rows: int, at: str,
           colours: tuple[str, ...] | None = None) -> None:
    """A stacked column chart of the sheet's columns 1.. over its rows 1..``rows``."""
    chart = b.book.add_chart({"type": "column", "subtype": "stacked"})
    for i, _ in enumerate(series, start=1):
        options: dict[str, Any] = {
            "name": [ws.name, 0, i],
            "categories": [ws.name, 1, 0, rows, 0],
            "values": [ws.name, 1, i, rows, i],
            "gap": 60,
        }
        if colours is not None:
            options["fill"] = {"color": colours[(i - 1) % len(colours)]}
        chart.add_series(options)
    chart.set_title({"name": title})
    chart.set_legend({"position": "right"})
    chart.set_size({"width": 720, "height": 360})
    ws.insert_chart(at, chart)
