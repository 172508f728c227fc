"""Commands that read: show, explain, status, review, and config."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trappa.cli import Typer, app, completion
from trappa.cli.options import Case, Db, Json, Mine, Owner, Wide
from trappa.cli.output import print_json
from trappa.cli.session import new_install, owner_of, session
from trappa.dates import parse_date, today
from trappa.errors import UserError
from trappa.messages import _, language, say

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help=_("Evaluate the rules as of this date, YYYY-MM-DD (default: today).")
    ),
]


def _as_of(value: str | None):
    return parse_date(value, "--as-of") if value is not None else None


@app.command(help=_(
    "Show a case: supplier, contract, ladder, step, activities, plan, deviations, timeline."
))
def show(case: Case, db: Db = None, json: Json = False, wide: Wide = False) -> None:
    from trappa.cases import views
    with session(db, read_only=True) as s:
        data = views.show(s, case)
    if json:
        print_json(data)
    else:
        from trappa.cli import render
        render.show(data, wide=wide)


@app.command(help=_(
    "Every rule of the case's ladder: whether it holds, and why (counts and dates)."
))
def explain(
    case: Case, as_of: AsOf = None, db: Db = None, json: Json = False, wide: Wide = False
) -> None:
    with session(db, read_only=True) as s:
        state = s.case(case)
        day = _as_of(as_of)
        if day is not None and day.isoformat() < state.opened:
            raise UserError(say("explain.before_opened", case=case, opened=state.opened))
        evaluation = s.evaluate(state, day).to_json()
    if json:
        print_json(evaluation)
    else:
        from trappa.cli import render
        render.explain(evaluation, case, wide=wide)


@app.command(help=_('Open cases, one row each, with a traffic light (red: act now).'))
def status(
    supplier: Annotated[
        str | None, typer.Option(help=_("Only this supplier (name or organisation number)."))
    ] = None,
    all_cases: Annotated[bool, typer.Option("--all", help=_("Closed cases too."))] = False,
    owner: Owner = None,
    mine: Mine = False,
    db: Db = None,
    json: Json = False,
    wide: Wide = False,
) -> None:
    if supplier is not None:
        from trappa.cases.inputs import check_text

        supplier = check_text(supplier, "--supplier")
    if new_install(db):
        # No database yet: an empty register, as an empty database shows it.
        if supplier is not None:
            raise UserError(say("supplier.unknown", supplier=supplier))
        _print_rows([], json, say("out.status.title"), wide)
        return
    from trappa.cases import views
    with session(db, read_only=True) as s:
        who = owner_of(s, owner, mine)
        if json:
            _print_json_in_halves(s, "status", (supplier, all_cases, who))
            return
        rows = views.status_rows(s, supplier=supplier, include_closed=all_cases, owner=who)
        _print_rows(rows, json, say("out.status.title"), wide)


@app.command(help=_(
    "Cases whose suggested level differs from their level, and overdue action plans.\n\n"
    "With --as-of (today or later), the open cases as they stand are judged as of that date: "
    "which plans will be overdue by then. For a case's past, use explain --as-of."
))
def review(
    as_of: AsOf = None, owner: Owner = None, mine: Mine = False, db: Db = None,
    json: Json = False, wide: Wide = False,
) -> None:
    day = _as_of(as_of)
    current = today()
    if day is not None and day < current:
        # The register holds today's state; judging it as of a past date would mix the two.
        raise UserError(say("review.as_of_past", as_of=day.isoformat(),
                            today=current.isoformat()))
    if new_install(db):
        _print_rows([], json, say("out.review.title"), wide)  # no database yet: nothing to review
        return
    from trappa.cases import views
    outdated: list[str] = []

    def noting(rows):
        for row in rows:
            if row.get("ladder_outdated"):
                outdated.append(row["case"])
            yield row

    with session(db, read_only=True) as s:
        who = owner_of(s, owner, mine)
        if json:
            _print_json_in_halves(s, "review", (day, who))
            return
        _print_rows(noting(views.review_rows(s, day, owner=who)), json, say("out.review.title"),
                    wide)
    for case in outdated:  # after the table: the ladder file changed since the case opened
        typer.echo(say("out.review.ladder_outdated", case=case))


def _rows_of(command: str, s, options: tuple, ids):
    from trappa.cases import views

    if command == "status":
        supplier, all_cases, owner = options
        return views.status_rows(s, supplier=supplier, include_closed=all_cases, ids=ids,
                                 owner=owner)
    return views.review_rows(s, options[0], ids, owner=options[1])


def _print_json_in_halves(s, command: str, options: tuple) -> None:
    """``status --json`` or ``review --json``: a large register is listed in two halves at
    once, the second in another process (each half reads its own snapshot), so that both cores
    work; the rows come out in the same order as from one."""
    from trappa.cases import views
    from trappa.cli.output import stream_json_list

    split = views.halfway(s)
    if split is None:
        stream_json_list(_rows_of(command, s, options, views.ALL))
        return
    from trappa.cli.output import RowsHandedBack
    from trappa.store.parallel import InProcess

    with RowsHandedBack() as part:
        second = InProcess(_second_half, s.store.reopen, s.actor, s.today, command, options,
                           split, part.path)
        stream_json_list(_rows_of(command, s, options, (None, split)),
                         more=lambda: part.rows(second.result))


def _second_half(
    path, actor: str, day, command: str, options: tuple, split: str, part: Path
) -> None:
    from trappa.cases.session import Session
    from trappa.cli.output import RowsHandedBack
    from trappa.store.database import Store

    with Store.open(path, read_only=True) as store:
        RowsHandedBack.write(
            part, _rows_of(command, Session(store, actor, day), options, (split, None))
        )


def _print_rows(rows, as_json: bool, title: str, wide: bool) -> None:
    if as_json:
        from trappa.cli.output import stream_json_list

        stream_json_list(rows)
    else:
        from trappa.cli import render
        render.status_table(rows, title=title, wide=wide)


config_app = Typer(
    help=_("The organisation's details for letters, and defaults."), no_args_is_help=True
)
app.add_typer(config_app, name="config")

CONFIG_KEYS = (
    "org.name", "org.unit", "org.contact", "org.signatory", "org.logo", "org.letterhead",
    "default.ladder",
    "ocds.prefix", "sanction.claim_within_days", "ui.language",
)


def _check_key(key: str) -> str:
    if key not in CONFIG_KEYS:
        raise UserError(say("config.unknown_key", key=key, keys=", ".join(CONFIG_KEYS)))
    return key


def _config_values(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    # The keys whose values trappa knows: the ladders, and the languages it speaks.
    if ctx.params.get("key") == "default.ladder":
        return completion.ladders(incomplete)
    if ctx.params.get("key") == "ui.language":
        return [(code, "") for code in language.LANGUAGES if code.startswith(incomplete)]
    return []


@config_app.command("set", help=_('Set a configuration value.'))
def config_set(
    key: Annotated[
        str,
        typer.Argument(
            metavar=_("KEY"), help=_("One of {keys}.").format(keys=", ".join(CONFIG_KEYS)),
            autocompletion=lambda: list(CONFIG_KEYS),
        ),
    ],
    value: Annotated[str, typer.Argument(metavar=_("VALUE"), help=_("The value."),
                                         autocompletion=_config_values)],
    db: Db = None,
) -> None:
    from trappa.cases.inputs import check_text

    _check_key(key)
    text = check_text(value, key)
    if key == "sanction.claim_within_days":
        from trappa.cases.due import check_claim_days

        text = str(check_claim_days(text, key))
    if key == "ui.language":
        if text.lower() not in language.LANGUAGES:
            raise UserError(say("config.language", value=text,
                                languages=", ".join(language.LANGUAGES)))
        text = text.lower()
    kept = None
    if key in ("org.logo", "org.letterhead"):
        from trappa.cases import organisation

        # Read before the register is opened: bad input writes nothing.
        read = organisation.read_logo if key == "org.logo" else organisation.read_letterhead
        kept = read(text)
    with session(db) as s:
        if kept is not None:
            typer.echo(say("out.config.set", key=key,
                           value=organisation.keep_file(s, key, kept)))
            return
        if key == "default.ladder":
            text = s.resolve_ladder(text).ref  # refuse a ladder that does not load
        if key == "ocds.prefix":
            from trappa.cases.ocds import check_prefix

            text = check_prefix(text)
        with s.store.transaction():
            s.store.set_setting(key, text)
    typer.echo(say("out.config.set", key=key, value=text))


@config_app.command("get", help=_('Print a configuration value (exit 1 when it is not set).'))
def config_get(
    key: Annotated[str, typer.Argument(metavar=_("KEY"), help=_("The key."),
                                       autocompletion=lambda: list(CONFIG_KEYS))],
    db: Db = None,
    json: Json = False,
) -> None:
    _check_key(key)
    with session(db, read_only=True) as s:
        value = s.store.get_setting(key)
    if json:
        print_json({"key": key, "value": value})
    elif value is not None:
        typer.echo(value)
    if value is None:
        if not json:
            typer.echo(say("config.not_set", key=key), err=True)
        raise typer.Exit(1)


@config_app.command("list", help=_('Print every configuration value.'))
def config_list(db: Db = None, json: Json = False) -> None:
    with session(db, read_only=True) as s:
        settings = s.store.settings()
    values = {key: settings.get(key) for key in CONFIG_KEYS}
    if json:
        print_json(values)
    else:
        for key, value in values.items():
            typer.echo(f"{key} = {value if value is not None else ''}")
