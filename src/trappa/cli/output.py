"""Printing results: JSON for scripts, short plain lines for people.

The commands that change a case print a few plain lines, without rich, so they start fast;
the read commands (show, status, explain, …) use ``trappa.cli.render`` for tables.
"""

from __future__ import annotations

import json as jsonlib
import os
from pathlib import Path
from typing import Any

import typer

from trappa.errors import UserError
from trappa.messages import say


def print_json(data: Any) -> None:
    typer.echo(jsonlib.dumps(data, ensure_ascii=False, indent=2))


def emit(data: dict[str, Any], as_json: bool, kind: str) -> None:
    """Print a command's result: ``data`` as JSON, or as lines for people."""
    if as_json:
        print_json(data)
        return
    for line in _LINES[kind](data):
        typer.echo(line)


def _report_lines(data: dict[str, Any]) -> list[str]:
    key = "out.report.new" if data["created_case"] else "out.report.joined"
    lines = [say(key, case=data["case"], n=data["deviation"], level=data["level"])]
    suggested = data["suggested_level"]
    if suggested is not None and suggested != data["level"]:
        rules = ", ".join(
            f"{r['id']} ({r['title']})" for r in data["rules"] if r["level"] == suggested
        )
        if rules:
            lines.append(say("out.report.suggests", level=suggested, rules=rules))
        else:
            lines.append(say("out.report.suggests_none", level=suggested))
        lines.append(say("out.explain.hint", case=data["case"]))
    return lines


def _move_lines(data: dict[str, Any]) -> list[str]:
    step = data["step"]
    title = step["event"] + (f" ({step['label']})" if step.get("label") else "")
    lines = [
        say("out.move", case=data["case"], frm=data["from_level"], to=data["to_level"], title=title)
    ]
    for activity in step["activities"]:
        mark = "x" if activity["done"] else " "
        lines.append(f"  [{mark}] {activity['key']}: {activity['title']}")
    if step["parties"]:
        lines.append(
            say("out.step.parties", parties="; ".join(p["title"] for p in step["parties"]))
        )
    if step["letters"]:
        lines.append(
            say("out.step.letters", letters=", ".join(letter["kind"] for letter in step["letters"]))
        )
    return lines


def _change_lines(data: dict[str, Any]) -> list[str]:
    return [say(f"out.change.{data['event']}", **data)]


_LINES = {"report": _report_lines, "move": _move_lines, "change": _change_lines}


def stream_json_list(rows: Any) -> None:
    """Print an iterable of rows as one JSON list, row by row, so a large register streams."""
    out = typer.get_text_stream("stdout")
    # One encoder for all rows (json.dumps builds one per call), and rows written a batch at
    # a time: 100k rows cost a fraction of a second, not one.
    encode = jsonlib.JSONEncoder(ensure_ascii=False).encode
    batch: list[str] = []
    first = True
    out.write("[")
    for row in rows:
        batch.append(encode(row))
        if len(batch) == 500:
            out.write(("\n  " if first else ",\n  ") + ",\n  ".join(batch))
            batch.clear()
            first = False
    if batch:
        out.write(("\n  " if first else ",\n  ") + ",\n  ".join(batch))
        first = False
    out.write("\n]\n" if not first else "]\n")
    out.flush()


_SUFFIX_FORMAT = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx"}


def choose_format(option: str | None, output: Path | None) -> str:
    """The document format: ``--format``, else the ``-o`` file's suffix, else Markdown."""
    from trappa.letters.documents import check_format

    if option is not None:
        chosen = check_format(option.strip().lower())
        implied = _SUFFIX_FORMAT.get(output.suffix.lower()) if output is not None else None
        if implied is not None and implied != chosen:
            raise UserError(say("output.suffix_disagrees", file=output.name, format=chosen))
        return chosen
    if output is not None:
        chosen = _SUFFIX_FORMAT.get(output.suffix.lower())
        if chosen is None:
            raise UserError(say("output.unknown_suffix", file=output.name))
        return chosen
    return "md"


def write_file(path: Path, content: bytes) -> str:
    """Write ``content`` whole or not at all: into a temporary file beside ``path``, then
    renamed over it, so that a failure or a kill never leaves half a letter."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UserError(
            say("letters.write_failed", file=path, detail=exc.strerror or exc)
        ) from None
    return str(path)


def stdout_bytes(content: bytes) -> None:
    out = typer.get_binary_stream("stdout")
    out.write(content)
    out.flush()
