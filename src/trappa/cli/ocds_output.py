"""``trappa export ocds``: the register as an OCDS release package, streamed release by release
to stdout or into a file written whole (``trappa.cases.ocds`` says what is in it)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from trappa.cli.export_files import write_to
from trappa.cli.session import session
from trappa.messages import say


def export_ocds(output: Path | None, force: bool, db) -> None:
    from trappa.cases.ocds import package

    if output is not None:
        from trappa.cli.output import check_writable

        check_writable(output, force=force)
    published = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with session(db, read_only=True) as s:
        head, releases = package(s, published)

        def write(out) -> int:
            encode = json.JSONEncoder(ensure_ascii=False, indent=None).encode
            text = encode(head)
            out.write(text[:-1] + ', "releases": [')
            count = 0
            for release in releases:
                out.write(("\n  " if count == 0 else ",\n  ") + encode(release))
                count += 1
            out.write("\n]}\n")
            return count

        count = write_to(output, force, False, write)
    if output is not None:
        typer.echo(say("export.out.written", file=output, rows=count, table="ocds"), err=True)
