"""``trappa monthly``: choosing the month and format, reading the register once, and writing the
report (md and html to stdout unless ``-o``; a workbook to ``manadsrapport-YYYY-MM.xlsx`` unless
``-o``). The charting library is imported here, by this command alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from trappa.cli.output import check_writable, stdout_bytes, write_file
from trappa.cli.session import session
from trappa.dates import today
from trappa.errors import UserError
from trappa.messages import say

FORMATS = ("md", "html", "xlsx")
_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".xlsx": "xlsx",
             ".pdf": "pdf"}


def choose_format(option: str | None, output: Path | None) -> str:
    if option is not None:
        fmt = option.strip().lower()
        if fmt not in FORMATS:
            raise UserError(say("monthly.format", format=option, formats=", ".join(FORMATS)))
        return fmt
    if output is None:
        return "md"
    implied = _SUFFIXES.get(output.suffix.lower())
    if implied is None or implied not in FORMATS:
        raise UserError(say("monthly.suffix", file=output.name))
    return implied


def checkpoint_text(head) -> str:
    """The register's checkpoint as ``trappa checkpoint`` writes it, signed when a key exists."""
    from trappa.cli.commands_evidence import _signing_key
    from trappa.history.checkpoint import Checkpoint, sign

    private = _signing_key()
    if head.register_id is None:
        raise UserError(say("checkpoint.no_register_id"))
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    note = Checkpoint(head.register_id, head.events, head.hash, date)
    return (sign(note, private) if private is not None else note).text()


def run_monthly(month: str | None, format: str | None, outputs: list[Path], force: bool,
                db) -> None:
    """Read the register once and write the report to each of ``outputs`` (its format from its
    suffix), or to stdout (md, html) or ``manadsrapport-YYYY-MM.xlsx`` when none is given."""
    from trappa.cases.monthly import choose_month, monthly_data

    if format is not None and len(outputs) > 1:
        raise UserError(say("monthly.format_and_outputs"))
    targets: list[tuple[str, Path | None]] = [
        (choose_format(format, output), output) for output in outputs
    ] or [(choose_format(format, None), None)]
    period = choose_month(month, today())
    targets = [
        (fmt, Path(f"manadsrapport-{period.start.isoformat()[:7]}.xlsx"))
        if fmt == "xlsx" and output is None else (fmt, output)
        for fmt, output in targets
    ]
    for _, output in targets:
        if output is not None:
            check_writable(output, force=force)  # before the register is read
    with session(db, read_only=True) as s:
        data = monthly_data(s, period)
        checkpoint = checkpoint_text(s.store.head())
        documents = [(output, _render(s, fmt, data, checkpoint)) for fmt, output in targets]
    for output, content in documents:
        if output is None:
            stdout_bytes(content)
            continue
        write_file(output, content, force=force)
        typer.echo(say("monthly.out.written", file=output, month=data["month"]), err=True)


def _render(s, fmt: str, data: dict, checkpoint: str) -> bytes:
    if fmt == "xlsx":
        from trappa.letters.context import head_context
        from trappa.letters.monthly_workbook import render_xlsx

        head = head_context(s.store.head())
        line = (f"Registrets kontrollsumma vid utskrift: {head['events_text']} händelser,"
                f" {head['hash']}")
        return render_xlsx(data, line)
    from trappa.letters.monthly import render_html, render_markdown

    markdown = render_markdown(s, data, checkpoint)
    if fmt == "md":
        return markdown.encode("utf-8")
    from trappa.letters.charts import all_svgs

    return render_html(markdown, data, all_svgs(data)).encode("utf-8")
