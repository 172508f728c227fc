"""Commands of the follow-up cycle: reply (a supplier's reply to a sent letter), waive (a
decision not to sanction a deviation), risk (a risk assessment) and calendar (every future due
date as iCalendar)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trappa.cli import app
from trappa.cli.commands_case import DateOpt, Note, Reason, _change, _date
from trappa.cli.options import Actor, Case, Db, Force, Json, Mine, Owner
from trappa.dates import parse_date
from trappa.errors import UserError
from trappa.messages import _, say


@app.command(help=_(
    "Record the supplier's reply to a sent letter, with the reply kept in the register.\n\n"
    "The letter's reply-by date, if it has one, is then met (or met late): review and the"
    " calendar stop waiting for it. --copy writes the kept file back."
))
def reply(
    case: Case,
    letter: Annotated[
        int, typer.Argument(
            metavar="LETTER_N",
            help=_("The letter's number in the case: 1, 2, … in the order sent."),
        ),
    ],
    received: Annotated[
        str | None, typer.Option(help=_("When the reply came, YYYY-MM-DD (required)."))
    ] = None,
    note: Note = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help=_("The reply itself (a PDF, an e-mail saved as a file, …):"
                     " kept in the register byte for byte."), dir_okay=False),
    ] = None,
    copy: Annotated[
        bool,
        typer.Option("--copy", help=_("Write the kept file of the reply to letter LETTER_N again,"
                     " byte for byte (to -o FILE, else stdout); records nothing.")),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help=_("With --copy: write to this file."), dir_okay=False),
    ] = None,
    force: Force = False,
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    from trappa.cases.replies import ReplyFile
    from trappa.cases.replies import reply as record_reply

    if copy or output is not None:
        if not copy or received is not None or note is not None or file is not None or date:
            raise UserError(say("reply.copy_alone"))
        _copy_reply(case, letter, output, force=force, db=db, as_json=json)
        return

    if received is None:
        raise UserError(say("input.missing", option="--received"))
    got = parse_date(received, "--received")
    kept = None
    if file is not None:
        try:
            kept = ReplyFile(file.name, file.read_bytes())
        except OSError as exc:
            raise UserError(
                say("reply.file_unreadable", file=file, detail=exc.strerror or exc)
            ) from None
    _change(record_reply, case, letter, got, note, kept, date=date, db=db, actor=actor,
            json=json)


def _copy_reply(case: str, letter: int, output: Path | None, *, force: bool,
                db: Path | str | None, as_json: bool) -> None:
    from trappa.cases.replies import reply_file
    from trappa.cli.output import (
        check_writable,
        print_json,
        shown_name,
        stdout_bytes,
        write_file,
    )
    from trappa.cli.session import session

    if output is not None:
        check_writable(output, force=force)
    with session(db, create=False, read_only=True) as s:
        kept = reply_file(s, case, letter)
    if output is None:
        stdout_bytes(kept.content)
        return
    written = shown_name(write_file(output, kept.content, force=force))
    if as_json:
        print_json({"case": case, "letter": letter, "name": kept.name, "file": written})
    else:
        typer.echo(say("letters.out.wrote", file=written))


@app.command(help=_(
    "Record a decision not to sanction a deviation (avstå från sanktion), and why.\n\n"
    "Its claim window no longer counts as running; a deviation a sanction answers (sanction"
    " --deviation N) cannot be waived."
))
def waive(
    case: Case,
    deviation: Annotated[int, typer.Argument(help=_("The deviation's number within the case."))],
    reason: Reason = None,
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    from trappa.cases.claims import waive as record_waiver

    _change(record_waiver, case, deviation, reason or "", date=date, db=db, actor=actor,
            json=json)


@app.command(help=_(
    "Every future due date as an iCalendar file, for Outlook and other calendars.\n\n"
    "One event per due date (action plans' due dates, letters' reply-by dates, claim windows'"
    " ends, and the dates a stalled rule can hold from) with the case in its title. Each event"
    " keeps its UID from one run to the next and its SEQUENCE grows as the case changes, so a"
    " subscribed or re-imported calendar updates its events instead of doubling them; what is"
    " done comes as CANCELLED."
))
def calendar(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help=_("Write the calendar to this file (.ics) instead of"
                     " stdout."), dir_okay=False),
    ] = None,
    supplier: Annotated[
        str | None,
        typer.Option(help=_("Only this supplier's cases (name or organisation number).")),
    ] = None,
    owner: Owner = None,
    mine: Mine = False,
    force: Force = False,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help=_("Count the future from this date (default: today).")),
    ] = None,
    db: Db = None, json: Json = False,
) -> None:
    from trappa.cli.output import (
        check_writable,
        print_json,
        shown_name,
        stdout_bytes,
        write_file,
    )
    from trappa.cli.session import check_owner_options, new_install, owner_of, session
    from trappa.letters.calendar import calendar_items, to_ics

    day = _date(as_of, "--as-of")
    if output is not None:
        check_writable(output, force=force)  # before any work
    if new_install(db):  # no register yet: an empty calendar, as status shows an empty list
        if supplier is not None:
            raise UserError(say("supplier.unknown", supplier=supplier))
        check_owner_options(owner, mine)
        items, content = [], to_ics([], None)
    else:
        with session(db, create=False, read_only=True) as s:
            items = calendar_items(s, supplier=supplier, as_of=day,
                                   owner=owner_of(s, owner, mine))
            content = to_ics(items, s.store.head().register_id)
    if output is not None:
        written = shown_name(write_file(output, content, force=force))
        if json:
            print_json({"file": written, "events": [item.to_json() for item in items]})
        else:
            typer.echo(say("calendar.written", file=written, count=len(items)))
        return
    if json:
        print_json({"file": None, "events": [item.to_json() for item in items]})
        return
    stdout_bytes(content)


@app.command(help=_(
    "Record a risk assessment (risk- och konsekvensanalys): score = probability × consequence."
    "\n\n"
    "It also marks done the current step's risk assessment activity (riskbedomning) when the "
    "step has one not yet done."
))
def risk(
    case: Case,
    probability: Annotated[
        int, typer.Option(help=_("Probability (sannolikhet), 1-4."), show_default=False)
    ],
    consequence: Annotated[
        int, typer.Option(help=_("Consequence (konsekvens), 1-4."), show_default=False)
    ],
    note: Note = None,
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    from trappa.cases.risk import assess_risk

    _change(assess_risk, case, probability, consequence, note, date=date, db=db, actor=actor,
            json=json)
