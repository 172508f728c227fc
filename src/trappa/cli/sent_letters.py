"""``trappa letter CASE --sent`` and ``--copy N``: the letters a case has sent, and one of them
written back exactly as sent (``trappa.letters.sent``).

A copy in md or html goes to stdout unless ``-o`` names a file; docx goes to ``CASE-KIND.docx``
unless ``-o``. No file is overwritten without ``--force``. With the copy on stdout, what the
command has to say goes to stderr.
"""

from __future__ import annotations

from pathlib import Path

import typer

from trappa.cli.output import BINARY_FORMATS, SUFFIX_FORMAT, print_json, stdout_bytes, write_file
from trappa.cli.session import session
from trappa.errors import UserError
from trappa.messages import say


def list_sent(case: str, db: Path | str | None, as_json: bool) -> None:
    from trappa.letters.sent import sent_letters

    with session(db, create=False) as s:
        letters = sent_letters(s, case)
        case_id = s.case(case).id
    if as_json:
        print_json({"case": case_id, "letters": [letter.to_json() for letter in letters]})
        return
    if not letters:
        typer.echo(say("letters.out.sent.none", case=case_id))
        return
    typer.echo(say("letters.out.sent.head", case=case_id, count=len(letters)))
    for letter in letters:
        line = say("letters.out.sent.line", **letter.to_json())
        typer.echo(line if letter.kept else line + say("letters.out.sent.not_kept"))


def copy(
    case: str, n: int, output: Path | None, *, force: bool, db: Path | str | None, as_json: bool
) -> None:
    from trappa.letters.sent import copy_of

    with session(db, create=False) as s:
        letter, content = copy_of(s, case, n)
    if output is not None:
        implied = SUFFIX_FORMAT.get(output.suffix.lower())
        if implied is not None and implied != letter.format:
            raise UserError(say("letters.copy.suffix", file=output.name, format=letter.format))
    elif letter.format in BINARY_FORMATS:
        output = Path.cwd() / f"{letter.case}-{letter.kind}.{letter.format}"
    file = write_file(output, content, force=force) if output is not None else None
    if as_json:
        text = content.decode("utf-8") if file is None else None
        print_json({"case": letter.case, **letter.to_json(), "file": file, "content": text})
        return
    if file is None:
        stdout_bytes(content)
    typer.echo(say("letters.out.copy", case=letter.case, **letter.to_json()), err=file is None)
    if file is not None:
        typer.echo(say("letters.out.wrote", file=file))
