"""``trappa db``: setting up a team's register on PostgreSQL (init, grant) and moving a whole
register between engines (copy)."""

from __future__ import annotations

from typing import Annotated

import typer

from trappa.cli import Typer, app
from trappa.cli.options import Db, Json
from trappa.cli.output import print_json, shown_name
from trappa.errors import UserError
from trappa.messages import _, say

db_app = Typer(
    help=_("A team's register on PostgreSQL: set it up (init), give people access (grant), copy"
           " a register between engines (copy)."),
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")

Prefix = Annotated[
    str,
    typer.Option("--role-prefix", metavar="P",
                 help=_("The roles' prefix: P_writer and P_reader (another register on the same"
                        " server takes another prefix).")),
]


def _server_url(location: str | None, command: str) -> str:
    from trappa.store.database import resolve_db_path
    from trappa.store.engine import is_server_url

    url = resolve_db_path(location, create_folder=False)
    if not is_server_url(url):
        raise UserError(say("db.not_server", url=url, command=command))
    return str(url)


@db_app.command("init", help=_(
    "Create the register's schema (or upgrade it) and its two roles, P_writer and P_reader, with"
    " the least privileges each needs. Run once, by an administrator."))
def db_init(
    url: Annotated[str, typer.Argument(metavar="URL",
                                       help="postgresql://admin@host/database")],
    role_prefix: Prefix = "trappa",
    json: Json = False,
) -> None:
    from trappa.store.admin import check_prefix, init_roles
    from trappa.store.database import Store
    from trappa.store.migrations import SCHEMA_VERSION

    check_prefix(role_prefix)
    with Store.open(_server_url(url, "init")) as store:
        writer, reader = init_roles(store, role_prefix)
        shown = store.path
    if json:
        print_json({"register": shown, "schema_version": SCHEMA_VERSION,
                    "writer": writer, "reader": reader})
    else:
        typer.echo(say("db.init.done", url=shown, version=SCHEMA_VERSION, writer=writer,
                       reader=reader))


@db_app.command("grant", help=_(
    "Give a database user the writer's or the reader's role (and not the other one); the user is"
    " created, without a password, when missing."))
def db_grant(
    user: Annotated[str, typer.Argument(metavar=_("USER"), help=_("The person's database user."))],
    writer: Annotated[bool, typer.Option("--writer", help=_("May record (P_writer)."))] = False,
    reader: Annotated[bool, typer.Option("--reader", help=_("May only read (P_reader)."))] = False,
    role_prefix: Prefix = "trappa",
    db: Db = None,
    json: Json = False,
) -> None:
    from trappa.store.admin import check_prefix, check_user, grant
    from trappa.store.database import Store

    if writer == reader:
        raise UserError(say("db.grant.choose"))
    check_prefix(role_prefix)
    check_user(user)
    with Store.open(_server_url(db, "grant")) as store:
        role = grant(store, user, role_prefix, writer=writer)
    if json:
        print_json({"user": user, "role": role})
    else:
        typer.echo(say("db.grant.done", user=user, role=role))


@db_app.command("copy", help=_(
    "Copy a whole register, SQLite to PostgreSQL or back; the destination must be empty. verify"
    " then shows the same head on both."))
def db_copy(
    src: Annotated[str, typer.Argument(
        metavar="SRC", help=_("The register to copy (file or URL)."))],
    dst: Annotated[str, typer.Argument(metavar="DST",
                                       help=_("An empty register to copy it into (file or URL)."))],
    json: Json = False,
) -> None:
    from pathlib import Path

    from trappa.store.admin import copy_register, count_cases
    from trappa.store.database import Store, resolve_db_path

    source, target = resolve_db_path(src), resolve_db_path(dst)
    same = (isinstance(source, Path) and isinstance(target, Path)
            and source.absolute() == target.absolute()) or source == target
    if same:
        raise UserError(say("db.copy.same"))
    with Store.open(source, read_only=True) as origin, Store.open(target) as destination:
        events = copy_register(origin, destination)
        head = destination.head()
        cases = count_cases(destination)
        shown_src, shown_dst = (shown_name(store.path) for store in (origin, destination))
    if json:
        print_json({"from": str(shown_src), "to": str(shown_dst), "events": events,
                    "cases": cases, "head": head.hash, "register": head.register_id})
    else:
        typer.echo(say("db.copy.done", events=say("count.events", n=events),
                       cases=say("count.cases", n=cases), src=shown_src, dst=shown_dst,
                       head=head.hash))
