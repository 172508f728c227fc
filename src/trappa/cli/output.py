"""Printing results: JSON for scripts, short plain lines for people, and files written whole.

The commands that change a case print their result through one text and one JSON reporter, in a
few plain lines without rich, so they start fast; the read commands (show, status, explain, …)
use ``trappa.cli.render`` for tables.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json as jsonlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from trappa.errors import UserError
from trappa.messages import say

if TYPE_CHECKING:
    from trappa.cases.results import CaseResult, MoveResult, ReportResult

T = TypeVar("T")


def print_json(data: Any) -> None:
    """``data`` as indented JSON, non-ASCII as itself."""
    typer.echo(jsonlib.dumps(data, ensure_ascii=False, indent=2))


# What a change to a case says, by the change's kind.
_CHANGES = {
    "activity_done": "out.change.activity_done",
    "plan_established": "out.change.plan_established",
    "plan_followed_up": "out.change.plan_followed_up",
    "sanction": "out.change.sanction",
    "resolved": "out.change.resolved",
    "closed": "out.change.closed",
    "reopened": "out.change.reopened",
    "note": "out.change.note",
    "redacted": "out.change.redacted",
    "reply_received": "out.change.reply_received",
    "waived": "out.change.waived",
    "risk_assessed": "out.change.risk_assessed",
    "ladder_adopted": "out.change.ladder_adopted",
    "assigned": "out.change.assigned",
}

_OUTCOMES = {
    "followed": "rules.plan.outcome.followed",
    "not_followed": "rules.plan.outcome.not_followed",
    "no_effect": "rules.plan.outcome.no_effect",
}


class TextReporter:
    """A case command's result as a few plain lines for people."""

    def report(self, result: CaseResult) -> None:
        for line in self.lines(result):
            typer.echo(line)

    def lines(self, result: CaseResult) -> list[str]:
        # Imported here: the view commands print through this module too, and need no case.
        from trappa.cases.results import MoveResult, ReportResult

        if isinstance(result, ReportResult):
            return self._report(result)
        if isinstance(result, MoveResult):
            return self._move(result)
        detail = dict(result.detail)
        if "outcome" in detail:
            detail["outcome"] = say(_OUTCOMES[detail["outcome"]])
        lines = [say(_CHANGES[result.event], case=result.case.id, event=result.event, **detail)]
        moved = detail.get("due_moved_from")
        if moved:
            lines.append(say("out.due_moved", moved_from=moved, due=detail.get("due")))
        if result.event == "reply_received":
            if detail.get("late"):
                lines.append(say("out.reply.late", reply_by=detail["reply_by"]))
            if detail.get("sha256"):
                lines.append(say("out.reply.kept", sha256=detail["sha256"]))
        return lines

    def _report(self, result: ReportResult) -> list[str]:
        case, level = result.case.id, result.case.level
        key = "out.report.new" if result.created_case else "out.report.joined"
        lines = [say(key, case=case, n=result.deviation, level=level)]
        suggested = result.evaluation.suggested_level
        if suggested is not None and suggested != level:
            rules = ", ".join(
                f"{r.id} ({r.title})" for r in result.evaluation.holding if r.level == suggested
            )
            if rules:
                lines.append(say("out.report.suggests", level=suggested, rules=rules))
            else:
                lines.append(say("out.report.suggests_none", level=suggested))
            lines.append(say("out.explain.hint", case=case))
        return lines

    def _move(self, result: MoveResult) -> list[str]:
        from trappa.cases.views import step_json

        step = step_json(result.ladder, result.case)
        title = step["event"] + (f" ({step['label']})" if step.get("label") else "")
        lines = [
            say("out.move", case=result.case.id, frm=result.from_level, to=result.to_level,
                title=title)
        ]
        for activity in step["activities"]:
            mark = "x" if activity["done"] else " "
            lines.append(f"  [{mark}] {activity['key']}: {activity['title']}")
        if step["parties"]:
            lines.append(
                say("out.step.parties", parties="; ".join(p["title"] for p in step["parties"]))
            )
        if step["letters"]:
            kinds = ", ".join(letter["kind"] for letter in step["letters"])
            lines.append(say("out.step.letters", letters=kinds))
        return lines


class JsonReporter:
    """A case command's result as JSON for scripts, in DESIGN.md's shapes."""

    def report(self, result: CaseResult) -> None:
        print_json(self.data(result))

    def data(self, result: CaseResult) -> dict[str, Any]:
        from trappa.cases.results import MoveResult, ReportResult
        from trappa.cases.views import step_json

        case = result.case
        if isinstance(result, ReportResult):
            return {
                "case": case.id,
                "deviation": result.deviation,
                "created_case": result.created_case,
                "level": case.level,
                "suggested_level": result.evaluation.suggested_level,
                "rules": [
                    {"id": r.id, "title": r.title, "level": r.level}
                    for r in result.evaluation.holding
                ],
            }
        if isinstance(result, MoveResult):
            return {
                "case": case.id,
                "from_level": result.from_level,
                "to_level": result.to_level,
                "rules": list(result.rules),
                "step": step_json(result.ladder, case),
            }
        return {"case": case.id, "event": result.event, **result.detail}


def print_result(result: CaseResult, as_json: bool) -> None:
    """Print a case command's result: as JSON with ``--json``, else as lines for people."""
    (JsonReporter() if as_json else TextReporter()).report(result)


def stream_json_list(rows: Any, more: Callable[[], Iterable[str]] | None = None) -> None:
    """Print an iterable of rows as one JSON list, row by row, so a large register streams;
    then the rows ``more`` gives, already encoded (``RowsHandedBack``), asked for only once
    ``rows`` are printed."""
    out = typer.get_text_stream("stdout")
    encoded: Iterable[str] = map(_row_encoder(), rows)
    if more is not None:
        encoded = itertools.chain(encoded, _afterwards(more))
    first = True
    out.write("[")
    # Written 500 rows at a time: one write per row costs more.
    while batch := list(itertools.islice(encoded, 500)):
        out.write(("\n  " if first else ",\n  ") + ",\n  ".join(batch))
        first = False
    out.write("\n]\n" if not first else "]\n")
    out.flush()


def _afterwards(more: Callable[[], Iterable[str]]) -> Iterator[str]:
    yield from more()


class RowsHandedBack:
    """The rows a part of a listing computes in another process, handed back through a
    temporary file, one encoded row per line (the encoding escapes every line break within a
    row), so that they wait in neither process's memory.

    This process opens the file before the other starts; the other writes it by name and then
    removes the name. Whatever becomes of this process (``trappa status --json | head`` ends it
    at once), no file is left behind once the other has started; the name is removed here too.
    """

    def __init__(self) -> None:
        import tempfile

        try:
            handle, name = tempfile.mkstemp(prefix="trappa-", suffix=".jsonl")
        except OSError as exc:
            raise UserError(say("output.part_failed", folder=tempfile.gettempdir(),
                                detail=exc.strerror or exc)) from None
        self.path = Path(name)
        self._file = os.fdopen(handle, encoding="utf-8", newline="\n")

    def __enter__(self) -> RowsHandedBack:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)

    def rows(self, finished: Callable[[], object]) -> Iterator[str]:
        """The rows, once ``finished`` (the other process's result) has returned."""
        try:
            finished()
        except OSError as exc:  # the other could not write them: a full disk, say
            raise UserError(say("output.part_failed", folder=self.path.parent,
                                detail=exc.strerror or exc)) from None
        yield from (line[:-1] for line in self._file)

    @staticmethod
    def write(path: Path, rows: Any) -> None:
        """Write ``rows`` as ``stream_json_list`` prints each (in the other process)."""
        encode = _row_encoder()
        with path.open("w", encoding="utf-8", newline="\n") as file:
            with contextlib.suppress(OSError):  # Windows keeps the name of an open file
                path.unlink()
            for row in rows:
                file.write(encode(row))
                file.write("\n")


def _row_encoder() -> Any:
    """``json.dumps(row, ensure_ascii=False)`` for 100k rows: the C encoder made once for all
    (``JSONEncoder.encode`` makes one per call, a third of its cost for a small row), and
    ``encode`` itself where the C encoder is missing."""
    from json import encoder

    c_make_encoder = getattr(encoder, "c_make_encoder", None)
    if c_make_encoder is None:
        return jsonlib.JSONEncoder(ensure_ascii=False).encode

    def unknown(value: Any) -> Any:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    make = c_make_encoder(
        None, unknown, encoder.encode_basestring, None, ": ", ", ", False, False, True
    )
    join = "".join

    def encode(row: Any) -> str:
        return join(make(row, 0))

    return encode


SUFFIX_FORMAT = {
    ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf",
}
# The formats that are files, never printed on a terminal: written to a file by default.
BINARY_FORMATS = ("docx", "pdf")


def choose_format(option: str | None, output: Path | None) -> str:
    """The document format: ``--format``, else the ``-o`` file's suffix, else Markdown."""
    from trappa.letters.documents import check_format

    implied = SUFFIX_FORMAT.get(output.suffix.lower()) if output is not None else None
    if option is not None:
        chosen = check_format(option.strip().lower())
        if output is not None and implied is not None and implied != chosen:
            raise UserError(say("output.suffix_disagrees", file=output.name, format=chosen))
        return chosen
    if output is not None:
        if implied is None:
            raise UserError(say("output.unknown_suffix", file=output.name))
        return implied
    return "md"


def shown_name(name: str | Path) -> str:
    """A file's name as a message shows it: one that is not UTF-8 (its bytes arrive as lone
    surrogates) shows U+FFFD where they stand, rather than failing to print."""
    return str(name).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse, before any work, an output file that exists (unless ``force``) or is a folder."""
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except OSError as exc:  # a name the system refuses (too long, …): nothing can be written
        raise UserError(
            say("letters.write_failed", file=path, detail=exc.strerror or exc)
        ) from None
    if is_dir:  # --force replaces a file, never a folder
        raise UserError(say("letters.write_failed", file=path, detail=os.strerror(errno.EISDIR)))
    if not force and exists:
        raise _exists(path)


def write_file(path: Path, content: bytes, *, force: bool = False) -> str:
    """Write ``content`` whole or not at all (``write_atomically``): a failure or a kill never
    leaves half a letter, and a file already written, a sent letter above all, is never
    replaced by surprise."""
    write_atomically(path, lambda temporary: temporary.write_bytes(content), force=force,
                     failed="letters.write_failed")
    return str(path)


def write_atomically(
    path: Path, write: Callable[[Path], T], *, force: bool, failed: str
) -> T:
    """Run ``write`` on a temporary file beside ``path``, then move it into place; what
    ``write`` returned. An existing ``path`` is refused (bad input) unless ``force``. A failure
    to write is bad input with the message ``failed`` (``file``, ``detail``); on any failure the
    temporary file is removed."""
    check_writable(path, force=force)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        result = write(temporary)
        if force:
            os.replace(temporary, path)
        else:
            _move_unless_there(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UserError(say(failed, file=path, detail=exc.strerror or exc)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return result


def _move_unless_there(temporary: Path, path: Path) -> None:
    """Move ``temporary`` to ``path`` unless a file appeared there meanwhile: a hard link
    fails on an existing name, so no other writer's file is replaced; where links cannot be
    made (some network and FAT drives) the check above is the guard."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        temporary.unlink(missing_ok=True)
        raise _exists(path) from None
    except OSError:
        if path.exists():
            temporary.unlink(missing_ok=True)
            raise _exists(path) from None
        os.replace(temporary, path)
        return
    temporary.unlink()


def _exists(path: Path) -> UserError:
    return UserError(say("output.exists", file=path))


def stdout_bytes(content: bytes) -> None:
    out = typer.get_binary_stream("stdout")
    out.write(content)
    out.flush()
