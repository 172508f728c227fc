"""Opening the database and the session a command runs in."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from trappa.dates import today
from trappa.messages import language

LANGUAGE_SETTING = "ui.language"


def actor_name(option: str | None) -> str:
    """``--actor``, else ``TRAPPA_USER`` (typer reads it into the option), else the login name."""
    if option and option.strip():
        from trappa.cases.inputs import check_text

        return check_text(option, "--actor")  # it goes into every event, for good
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers and services
        return "unknown"


def new_install(db: Path | str | None) -> bool:
    """Whether the chosen database does not exist yet (``trappa status`` on a new install),
    found without creating the default folder. A server's register is never new here."""
    from trappa.store.database import resolve_db_path

    path = resolve_db_path(db, create_folder=False)
    try:
        return isinstance(path, Path) and not path.exists()
    except OSError:  # a name too long, say: opening it says so, as bad input
        return False


def check_owner_options(owner: str | None, mine: bool) -> None:
    """--owner and --mine: at most one of them."""
    if owner is not None and mine:
        from trappa.errors import UserError
        from trappa.messages import say

        raise UserError(say("owner.both"))


def owner_of(s, owner: str | None, mine: bool) -> str | None:
    """The owner whose cases to list: --owner, or with --mine the one acting (on PostgreSQL
    the database user; else --actor, TRAPPA_USER or the login name)."""
    check_owner_options(owner, mine)
    if mine:
        import os

        return s.store.server_user or actor_name(os.environ.get("TRAPPA_USER"))
    if owner is not None:
        from trappa.cases.inputs import check_text

        return check_text(owner, "--owner")
    return None


@contextmanager
def session(
    db: Path | str | None, actor: str | None = None, *, create: bool = True,
    read_only: bool = False,
) -> Iterator:
    """A ``trappa.cases.session.Session`` on the chosen database, closed afterwards.

    ``read_only=True`` (commands that only read) changes nothing, creates no folder or file, and
    works where the user may not write (``trappa.store.connection``).

    On a PostgreSQL register the actor is the database user, whom the server knows: ``--actor``
    and ``TRAPPA_USER`` are not used there, and a note on stderr says so when one is given."""
    from trappa.cases.session import Session
    from trappa.store.database import Store, resolve_db_path

    who = actor_name(actor)  # checked before the database is opened: bad input writes nothing
    path = resolve_db_path(db, create_folder=not read_only)
    store = Store.open(path, create=create, read_only=read_only)
    try:
        # The organisation's language, below the person's TRAPPA_LANG and above the locale.
        language.prefer(store.get_setting(LANGUAGE_SETTING))
    except BaseException:
        store.close()
        raise
    if store.server_user is not None:
        if actor and actor.strip() and actor.strip() != store.server_user and not read_only:
            import sys

            from trappa.messages import say

            print(say("store.pg.actor_ignored", user=store.server_user), file=sys.stderr)
        who = store.server_user
    try:
        yield Session(store=store, actor=who, today=today())
    finally:
        store.close()


def resolve_ladder(ref: str):
    """The resolved ladder for ``ref`` (a bundled id, ``id@version`` or a path), read from its
    files. Within a session, ``Session.resolve_ladder`` goes through the database's cache."""
    from trappa.ladder.loading import load_ladder

    return load_ladder(ref).view()
