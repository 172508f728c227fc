"""Commands that write correspondence: letter (and its --list, --sent, --copy and
--templates-path) and dossier.

A letter or dossier in md or html goes to stdout unless ``-o`` names a file; docx and pdf always
go to a file (``<case>-<kind>.docx`` or ``<supplier>-dossier.pdf`` in the current folder by
default; a preview's is ``<case>-<kind>.preview.docx``, so that a preview never takes the name of
a letter sent). No file is overwritten without ``--force``. When the document is on stdout, what
the command has to say goes to stderr, so that ``trappa letter ... > brev.md`` holds the letter
only.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from trappa.cli import app, completion, letter_listing
from trappa.cli.options import Actor, Db, Force, Format, Json, Output, Templates
from trappa.cli.output import BINARY_FORMATS, choose_format, print_json, stdout_bytes, write_file
from trappa.cli.session import session
from trappa.dates import parse_date
from trappa.errors import UserError
from trappa.messages import _, say

CaseArg = Annotated[
    str | None,
    typer.Argument(metavar=_("CASE"), help=_("The case id, e.g. 2026-0001."), show_default=False,
                   autocompletion=completion.cases),
]
KindArg = Annotated[
    str | None,
    typer.Argument(
        metavar=_("KIND"),
        help=_("The letter kind, e.g. avvikelsemeddelande (see --list); every case also has"
        " handlingsplan and nedtrappning."),
        show_default=False,
        autocompletion=completion.letter_kinds,
    ),
]

def _safe_name(text: str) -> str:
    # A file name from a supplier's name: letters, digits and dashes only.
    return re.sub(r"[^\w-]+", "-", text, flags=re.UNICODE).strip("-") or "leverantor"


@app.command(help=_(
    "Write a letter of a case (or its action plan) and record it as sent.\n\n"
    "The letter is rendered from its template in Markdown, HTML or Word; unless --preview, a "
    "letter_sent event records its kind, recipient, format and the sha256 of the bytes "
    "written, and marks done the step's activity that sends it; the register keeps the bytes."
    " --sent lists the letters sent and --copy N writes one again exactly as sent. No file is"
    " overwritten without --force."
))
def letter(
    case: CaseArg = None,
    kind: KindArg = None,
    fmt: Format = None,
    output: Output = None,
    preview: Annotated[
        bool, typer.Option(
            "--preview",
            help=_("Render only: record nothing (Word goes to CASE-KIND.preview.docx unless -o)."),
        )
    ] = False,
    list_kinds: Annotated[
        bool,
        typer.Option(
            "--list", help=_("The letters the case's step calls for, and which were sent.")
        ),
    ] = False,
    sent: Annotated[
        bool,
        typer.Option("--sent", help=_("The letters sent, numbered 1, 2, … in the order sent.")),
    ] = False,
    copy: Annotated[
        int | None,
        typer.Option(
            "--copy",
            metavar="N",
            help=_("Write letter N (see --sent) again, byte for byte as it was sent."),
        ),
    ] = None,
    force: Force = False,
    templates_path: Annotated[
        bool,
        typer.Option(
            "--templates-path",
            help=_("Show which template file each letter kind comes from (for CASE's ladder, or"
            " the default ladder)."),
        ),
    ] = False,
    templates: Templates = None,
    reply_by: Annotated[str | None, typer.Option("--reply-by", help=_(
        "The date the supplier is asked to answer by, followed up by review (a day off moves to"
        " the next working day; default: the kind's reply_within_workdays, else 14 days on, not"
        " followed up)."))] = None,
    reply_within: Annotated[int | None, typer.Option("--reply-within", metavar="N", help=_(
        "The supplier is asked to answer within N Swedish working days after the letter's date,"
        " instead of --reply-by."))] = None,
    date: Annotated[str | None, typer.Option("--date", help=_(
        "The letter's date, YYYY-MM-DD (default: today)."))] = None,
    plan: Annotated[int | None, typer.Option("--plan", metavar="N", help=_("handlingsplan: plan N"
                                             " of the case (default: the latest)."))] = None,
    sanction: Annotated[
        int | None,
        typer.Option("--sanction", metavar="N", help=_("The sanction the notice names (default:"
                     " the latest not yet notified; for meddelande-om-avslut the latest"
                     " havning or uppsagning).")),
    ] = None,
    override: Annotated[
        str | None,
        typer.Option("--override", metavar="TEXT", help=_("Send a blocking or termination"
                     " letter below the step that calls for it; the reason is recorded.")),
    ] = None,
    db: Db = None,
    actor: Actor = None,
    json: Json = False,
) -> None:
    if templates_path:
        if kind is not None:
            raise UserError(say("letters.paths_with_kind"))
        letter_listing.templates_path(case, templates, db, json)
        return
    if case is None:
        raise UserError(say("letters.needs_case"))
    if list_kinds + sent + (copy is not None) > 1:
        raise UserError(say("letters.one_view"))
    if list_kinds:
        if kind is not None:
            raise UserError(say("letters.list_with_kind"))
        letter_listing.print_list(case, db, json)
        return
    if sent or copy is not None:
        _sent(case, kind, copy, output, force=force, db=db, as_json=json,
              ignored={"--format": fmt, "--preview": preview, "--templates": templates,
                       "--reply-by": reply_by, "--reply-within": reply_within, "--date": date,
                       "--plan": plan, "--sanction": sanction, "--override": override})
        return
    if kind is None:
        raise _needs_kind(case, db)
    from trappa.cases.deadlines import deadline
    _send(
        case,
        kind,
        choose_format(fmt, output),
        output,
        preview=preview,
        force=force,
        templates=templates,
        reply_by=deadline(
            parse_date(reply_by, "--reply-by") if reply_by is not None else None, reply_within,
            date_option="--reply-by", days_option="--reply-within",
        ),
        date=parse_date(date, "--date") if date is not None else None,
        choice=_choice(plan, sanction, override),
        db=db,
        actor=actor,
        as_json=json,
    )


def _choice(plan: int | None, sanction: int | None, override: str | None) -> Any:
    from trappa.cases.inputs import check_text
    from trappa.letters.correspondence import Choice
    reason = check_text(override, "--override", multiline=True) if override is not None else None
    return Choice(plan=plan, sanction=sanction, override=reason)


def _send(
    case: str,
    kind: str,
    fmt: str,
    output: Path | None,
    *,
    preview: bool,
    force: bool,
    templates: Path | None,
    reply_by: Any,
    date: Any,
    choice: Any,
    db: Path | str | None,
    actor: str | None,
    as_json: bool,
) -> None:
    from trappa.letters import correspondence
    content: list[bytes] = []

    def write(rendered: correspondence.Rendered) -> str | None:
        if output is not None:
            return write_file(output, rendered.content, force=force)
        if fmt in BINARY_FORMATS:  # a preview never takes the name the letter gets when sent
            name = f"{case}-{kind}.preview.{fmt}" if preview else f"{case}-{kind}.{fmt}"
            return write_file(Path.cwd() / name, rendered.content, force=force)
        if as_json:
            content.append(rendered.content)  # goes into the JSON
        else:
            stdout_bytes(rendered.content)
        return None

    with session(db, actor, create=False, read_only=preview) as s:
        result = correspondence.produce(
            s,
            case,
            kind,
            fmt,
            write,
            preview=preview,
            templates=templates,
            date=date,
            reply_by=reply_by,
            choice=choice,
        )
        level = s.case(case).level
    if as_json:
        data = result.to_json()
        data["content"] = content[0].decode("utf-8") if content else None
        print_json(data)
        return
    err = result.file is None  # the letter itself is on stdout: talk on stderr
    letter = result.letter
    if preview:
        typer.echo(say("letters.out.preview", case=letter.case, kind=letter.kind), err=err)
    else:
        typer.echo(
            say(
                "letters.out.recorded",
                case=letter.case,
                kind=letter.kind,
                recipient=letter.recipient,
                format=letter.format,
                sha256=letter.sha256,
            ),
            err=err,
        )
    if result.reply is not None and not preview:
        from trappa.cli.render_followup import reply_by_lines

        for line in reply_by_lines(result.reply):
            typer.echo(line, err=err)
    if result.file is not None:
        typer.echo(say("letters.out.wrote", file=result.file))
    if not letter.called_for:
        typer.echo(say("letters.out.not_called_for", level=level, kind=letter.kind), err=True)


def _sent(
    case: str,
    kind: str | None,
    copy: int | None,
    output: Path | None,
    *,
    force: bool,
    db: Path | str | None,
    as_json: bool,
    ignored: dict[str, Any],
) -> None:
    """--sent, or --copy N: what the register keeps of the letters sent."""
    from trappa.cli import sent_letters

    option = "--sent" if copy is None else "--copy"
    if kind is not None:
        raise UserError(say("letters.view_with_kind", option=option))
    given = [name for name, value in ignored.items() if value not in (None, False)]
    if copy is None:
        if output is not None:
            given.append("-o")
        if given:
            raise UserError(say("letters.sent.alone", option=given[0]))
        sent_letters.list_sent(case, db, as_json)
        return
    if given:
        raise UserError(say("letters.copy.as_sent", option=given[0]))
    sent_letters.copy(case, copy, output, force=force, db=db, as_json=as_json)


def _needs_kind(case: str, db: Path | str | None) -> UserError:
    from trappa.letters import correspondence
    with session(db, read_only=True) as s:
        listing = correspondence.letter_list(s, case)
    kinds = ", ".join(row["kind"] for row in listing["called_for"]) or "-"
    return UserError(
        say("letters.needs_kind"),
        hint=say("letters.needs_kind.hint", level=listing["level"], case=case, kinds=kinds),
    )


@app.command(help=_(
    "The supplier's whole recorded history across its cases, in date order, as evidence.\n\n"
    "A summary table, then every deviation, activity, action plan and follow-up, sanction, "
    "move on the ladder (with its reason) and letter (with its sha256). Facts and dates only."
))
def dossier(
    supplier: Annotated[
        str,
        typer.Argument(metavar=_("SUPPLIER"), help=_("The supplier's name or organisation number."),
                       show_default=False),
    ],
    fmt: Format = None,
    output: Output = None,
    templates: Templates = None,
    force: Force = False,
    db: Db = None,
    json: Json = False,
) -> None:
    from trappa.cases.inputs import check_text
    from trappa.letters.dossier import render_dossier

    supplier = check_text(supplier, "SUPPLIER")
    chosen = choose_format(fmt, output)
    with session(db, read_only=True) as s:
        result = render_dossier(s, supplier, chosen, templates=templates)
    file = None
    if output is not None:
        file = write_file(output, result.content, force=force)
    elif chosen in BINARY_FORMATS:
        name = _safe_name(result.data["supplier"]["name"])
        file = write_file(Path.cwd() / f"{name}-dossier.{chosen}", result.content, force=force)
    if json:
        print_json(
            {
                **result.data,
                "format": chosen,
                "file": file,
                "sha256": result.sha256,
                "content": result.content.decode("utf-8") if file is None else None,
            }
        )
    elif file is None:
        stdout_bytes(result.content)
    else:
        typer.echo(say("letters.out.wrote", file=file))

