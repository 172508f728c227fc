"""Commands that change a case: report, escalate, deescalate, done, plan, sanction, resolve,
close, reopen, note, redact, risk."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from trappa.cases import changes, moves, plans, reporting, sanctions
from trappa.cases.inputs import ReportInput, check_report
from trappa.cases.results import CaseResult
from trappa.cli import app, completion
from trappa.cli.options import Actor, Case, Db, Force, Format, Json, Output, Templates
from trappa.cli.output import (
    choose_format,
    print_json,
    print_result,
    stdout_bytes,
    write_file,
)
from trappa.cli.session import session
from trappa.dates import parse_date, today
from trappa.errors import UserError
from trappa.messages import _, say

DateOpt = Annotated[
    str | None,
    typer.Option("--date", help=_("The date it took effect, YYYY-MM-DD (default: today).")),
]
Reason = Annotated[str | None, typer.Option("--reason", help=_("Why: recorded in the history."))]
Deviation = Annotated[
    int,
    typer.Argument(metavar=_("DEVIATION"), help=_("The deviation's number within the case."),
                   autocompletion=completion.deviations),
]
Note = Annotated[str | None, typer.Option("--note", help=_("A note recorded with it."))]


def _date(value: str | None, option: str = "--date") -> dt.date | None:
    return parse_date(value, option) if value is not None else None


def _change(
    operation: Callable[..., CaseResult],
    case: str,
    *args: Any,
    date: str | None,
    db: Path | str | None,
    actor: str | None,
    json: bool,
    **options: Any,
) -> None:
    """The body of every command that changes an existing case: run ``operation`` on the case
    (with ``args``, the ``--date`` and ``options``) in a session on the database, and print its
    result."""
    day = _date(date)
    with session(db, actor, create=False) as s:
        result = operation(s, case, *args, day, **options)
    print_result(result, json)


def _ask(value: str | None, option: str, prompt: str) -> str:
    """A required value: prompted for when stdin is a terminal, else an error naming the option."""
    if value is not None:
        return value
    if sys.stdin.isatty():
        answer: str = typer.prompt(prompt)
        return answer
    raise UserError(say("input.missing", option=option))


@app.command(help=_(
    "Register a deviation, incident or risk (händelse) for a supplier.\n\n"
    "It joins the open case of the supplier and contract, or opens a new case at step 0, and "
    "prints the level and the step the ladder's rules suggest."
))
def report(
    supplier: Annotated[str | None, typer.Option(help=_("The supplier's name."))] = None,
    description: Annotated[str | None, typer.Option(help=_("What happened (beskrivning)."))] = None,
    org_nr: Annotated[
        str | None, typer.Option("--org-nr", help=_("Organisation number, NNNNNN-NNNN."))
    ] = None,
    contract: Annotated[
        str | None, typer.Option(help=_("The contract's name or reference."))
    ] = None,
    criticality: Annotated[
        int | None,
        typer.Option(help=_("The contract's criticality, 1-4 (4 most critical).")),
    ] = None,
    kind: Annotated[
        str, typer.Option(help=_("deviation (avvikelse), incident or risk."))
    ] = "deviation",
    serious: Annotated[
        bool, typer.Option("--serious", help=_("A serious deviation (allvarlig avvikelse)."))
    ] = False,
    observed: Annotated[
        str | None, typer.Option(help=_("When it was observed, YYYY-MM-DD (default: today)."))
    ] = None,
    category: Annotated[
        str | None, typer.Option(help=_("e.g. leverans, kvalitet, avtal, miljö, arbetsrätt."))
    ] = None,
    source: Annotated[
        str | None, typer.Option(help=_("e.g. stickprov, verksamhet, visselblåsning."))
    ] = None,
    reporter: Annotated[str | None, typer.Option(help=_("Who reported it."))] = None,
    anonymous: Annotated[
        bool, typer.Option("--anonymous", help=_("Store no reporter at all (whistleblowing)."))
    ] = False,
    reference: Annotated[
        str | None, typer.Option(help=_("The organisation's registration number (diarienummer)."))
    ] = None,
    ladder: Annotated[
        str | None,
        typer.Option(help=_("The ladder a new case runs under (default: config default.ladder)."),
                     autocompletion=completion.ladders),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(help=_("The case's owner, its avtalsansvarig (recorded when it changes).")),
    ] = None,
    db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    data = ReportInput(
        supplier=_ask(supplier, "--supplier", _("Supplier")),
        description=_ask(description, "--description", _("Description")),
        org_nr=org_nr,
        contract=contract,
        criticality=criticality,
        kind=kind,
        serious=serious,
        observed=_date(observed, "--observed"),
        category=category,
        source=source,
        reporter=reporter,
        anonymous=anonymous,
        reference=reference,
        ladder=ladder,
    )
    checked = check_report(data, today())  # before the database is opened: bad input writes nothing
    if owner is not None:
        from trappa.cases.inputs import check_text

        owner = check_text(owner, "--owner")
    with session(db, actor) as s:
        result = reporting.report(s, checked, s.resolve_ladder, owner)
    print_result(result, json)


@app.command(help=_(
    "Move a case up the ladder.\n\n"
    "The reason may be left out only when the rules' suggestion reaches the target level; the"
    " rules that hold are then recorded as the reason."
))
def escalate(
    case: Case,
    to: Annotated[
        int | None, typer.Option(help=_("The level to move to (default: one up)."))
    ] = None,
    reason: Reason = None,
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    _change(moves.escalate, case, to, reason, date=date, db=db, actor=actor, json=json)


@app.command(help=_('Move a case down the ladder: the way back. A reason is required.'))
def deescalate(
    case: Case,
    to: Annotated[
        int | None, typer.Option(help=_("The level to move to (default: one down)."))
    ] = None,
    reason: Reason = None,
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    _change(moves.deescalate, case, to, reason, date=date, db=db, actor=actor, json=json)


@app.command(help=_("Mark an activity of the case's current step done."))
def done(
    case: Case,
    activity: Annotated[
        str,
        typer.Argument(metavar=_("ACTIVITY"), help=_("The activity's key, e.g. riskbedomning."),
                       autocompletion=completion.activities),
    ],
    note: Note = None,
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    _change(changes.done, case, activity, note, date=date, db=db, actor=actor, json=json)


@app.command(help=_(
    "Establish an action plan (handlingsplan), record the follow-up of the latest one, or "
    "write it as a document (--render)."
))
def plan(
    case: Case,
    due: Annotated[
        str | None,
        typer.Option(help=_("The plan's due date, YYYY-MM-DD (a weekend or holiday moves to the"
                            " next working day).")),
    ] = None,
    due_in: Annotated[
        int | None,
        typer.Option("--due-in", help=_("The plan is due this many Swedish working days after"
                                        " its date (counted from the day after), instead of"
                                        " --due.")),
    ] = None,
    item: Annotated[
        list[str] | None, typer.Option("--item", help=_("An item of the plan (repeat for more)."))
    ] = None,
    owner: Annotated[str | None, typer.Option(help=_("Who at the supplier owns the plan."))] = None,
    followup: Annotated[
        str | None,
        typer.Option(help=_("Record the follow-up: followed, not_followed or no_effect.")),
    ] = None,
    render: Annotated[
        bool,
        typer.Option(
            "--render", help=_("Write a plan (--plan N, default the latest) as a document for"
                               " the supplier to sign, as it was established.")
        ),
    ] = False,
    number: Annotated[
        int | None,
        typer.Option("--plan", metavar="N", help=_("With --render: plan N of the case.")),
    ] = None,
    fmt: Format = None,
    output: Output = None,
    force: Force = False,
    templates: Templates = None,
    note: Note = None,
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    if render:
        if (due is not None or due_in is not None or item or followup is not None or owner
                or note or date):
            raise UserError(say("plan.render_alone"))
        _render_plan(case, choose_format(fmt, output), output, templates, db, force=force,
                     number=number, as_json=json)
        return
    if number is not None:
        raise UserError(say("plan.number_without_render"))
    if followup is not None:
        if due is not None or due_in is not None or item or owner:
            raise UserError(say("plan.followup_with_items"))
        _change(plans.follow_up_plan, case, followup, note, date=date, db=db, actor=actor,
                json=json)
        return
    from trappa.cases.deadlines import deadline

    given = deadline(_date(due, "--due"), due_in, date_option="--due", days_option="--due-in")
    if given is None or not item:
        raise UserError(say("plan.needs_due_and_items"))
    _change(plans.establish_plan, case, given, item, owner, date=date, db=db, actor=actor,
            json=json)


def _render_plan(
    case: str, fmt: str, output: Path | None, templates: Path | None, db: Path | str | None, *,
    force: bool, number: int | None, as_json: bool,
) -> None:
    """The plan as md or html on stdout, or docx and pdf (or -o) in a file; with --json, what
    was written, as JSON. Nothing is recorded (the sending is `trappa letter CASE
    handlingsplan`)."""
    import hashlib

    from trappa.cli.output import BINARY_FORMATS
    from trappa.letters.correspondence import render_plan

    with session(db, create=False, read_only=True) as s:
        state = s.case(case)
        content = render_plan(s, case, fmt, templates=templates, plan=number)
    plan_n = number if number is not None else len(state.plans)
    written = None
    if output is not None or fmt in BINARY_FORMATS:
        written = write_file(output or Path.cwd() / f"{case}-handlingsplan.{fmt}",
                             content, force=force)
    if as_json:
        print_json({"case": case, "plan": plan_n, "format": fmt, "file": written,
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "content": content.decode("utf-8") if written is None else None})
    elif written is None:
        stdout_bytes(content)
    else:
        typer.echo(say("out.written", file=written))


@app.command(help=_('Record a sanction under the contract (sanktion enligt avtal).'))
def sanction(
    case: Case,
    kind: Annotated[
        str | None,
        typer.Option(help=_("The kind's code as the case's ladder declares it: vite, avdrag,"
                            " havning, uppsagning, skadestand or annan in the bundled ladders.")),
    ] = None,
    amount: Annotated[float | None, typer.Option(help=_("The amount in SEK, if any."))] = None,
    reason: Reason = None,
    deviation: Annotated[
        list[int] | None,
        typer.Option("--deviation", metavar="N",
                     help=_("A deviation this sanction answers (repeat for more): its claim"
                            " window is then closed.")),
    ] = None,
    takes_effect: Annotated[
        str | None,
        typer.Option("--takes-effect", help=_("The date it takes effect, YYYY-MM-DD, on or"
                     " after the decision's --date (default: that date); e.g. when a contract"
                     " ends.")),
    ] = None,
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    from functools import partial

    effect = parse_date(takes_effect, "--takes-effect") if takes_effect is not None else None
    _change(partial(sanctions.sanction, deviations=deviation or ()), case, kind or "",
            reason or "", amount, date=date, db=db, actor=actor, json=json, takes_effect=effect)


@app.command(help=_('Put out (släcka) a deviation of a case.'))
def resolve(
    case: Case,
    deviation: Deviation,
    note: Note = None,
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    _change(changes.resolve, case, deviation, note, date=date, db=db, actor=actor, json=json)


@app.command(help=_(
    "Close a case.\n\n"
    "Refused while the latest action plan has no follow-up or a deviation is still open, unless "
    "--override gives the reason, which is recorded."
))
def close(
    case: Case,
    reason: Reason = None,
    override: Annotated[
        str | None,
        typer.Option(help=_(
            "Close although the latest action plan has no follow-up or a deviation is open: why"
            " (recorded)."
        )),
    ] = None,
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    _change(changes.close, case, reason or "", override, date=date, db=db, actor=actor,
            json=json)


@app.command(help=_('Reopen a closed case.'))
def reopen(
    case: Case,
    reason: Reason = None,
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    _change(changes.reopen, case, reason or "", date=date, db=db, actor=actor, json=json)


@app.command(help=_("Add a note to a case's history."))
def note(
    case: Case,
    text: Annotated[str, typer.Argument(metavar=_("TEXT"), help=_("The note."))],
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    _change(changes.note, case, text, date=date, db=db, actor=actor, json=json)


@app.command(help=_(
    "Remove a deviation's reporter's name (GDPR, gallring); the history still verifies."
))
def redact(
    case: Case,
    deviation: Deviation,
    reason: Reason = None,
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    from trappa.cases.redact import redact as erase

    _change(erase, case, deviation, reason or "", date=date, db=db, actor=actor, json=json)


@app.command(help=_("Give a case its owner (avtalsansvarig), recorded in its history."))
def assign(
    case: Case,
    owner: Annotated[str, typer.Argument(
        metavar=_("OWNER"), help=_("Who follows the case up (avtalsansvarig); '-' for nobody."))],
    date: DateOpt = None, db: Db = None, actor: Actor = None, json: Json = False,
) -> None:
    _change(changes.assign, case, owner, date=date, db=db, actor=actor, json=json)
