"""Commands for evidence that holds: verify (against a checkpoint too), checkpoint, key init.

A checkpoint (``trappa.history.checkpoint``) writes the register's head down outside the file,
signed with the organisation's Ed25519 key when there is one; ``verify --checkpoint`` proves the
register still extends it. The signing key lives in the user's config directory
(``TRAPPA_CONFIG_DIR`` overrides it), never in the database. ``cryptography`` and platformdirs
are imported only inside these commands.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from trappa.cli import Typer, app
from trappa.cli.options import Db, Force, Json, Output
from trappa.cli.output import check_writable, print_json, write_file
from trappa.cli.session import session
from trappa.errors import EXIT_STORE, Refusal, StoreError, UserError
from trappa.messages import _, say

if TYPE_CHECKING:
    from trappa.history.checkpoint import Checkpoint, VerifierKey

KEY_FILENAME = "checkpoint.key"
# The public key `trappa key publish` keeps in the register: the default of verify's --key. Not
# a secret, and not the only anchor: a register rewritten with another key published still
# fails against a checkpoint filed outside it, signed by the real one.
PUBLISHED_KEY = "checkpoint.public_key"



def key_path() -> Path:
    """The signing key's file: in ``TRAPPA_CONFIG_DIR``, else the user's config directory."""
    folder = os.environ.get("TRAPPA_CONFIG_DIR")
    if not folder:
        from platformdirs import user_config_dir

        folder = user_config_dir("trappa", appauthor=False)
    return Path(folder).expanduser() / KEY_FILENAME


def _read_text(path: Path, unreadable: str, not_utf8: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(say(unreadable, file=path, detail=exc.strerror or exc)) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(say(not_utf8, file=path)) from None


def _signing_key() -> str | None:
    """The signing key file's text, or None when no key is configured."""
    from trappa.history.checkpoint import parse_private_key

    path = key_path()
    if not path.exists():
        return None
    text = _read_text(path, "checkpoint.key_unreadable", "checkpoint.key_not_utf8")
    parse_private_key(text, str(path))  # a damaged key is named here, with its file
    return text


def _own_verifier() -> VerifierKey:
    """The public key of the signing key; refused (exit 1) when there is none."""
    from trappa.history.checkpoint import verifier_of

    private = _signing_key()
    if private is None:
        raise Refusal(say("checkpoint.no_key", file=key_path()),
                      hint=say("checkpoint.no_key.hint"))
    return verifier_of(private)


def _verifier_key(value: str) -> VerifierKey:
    """``--key``: the public key line itself, or a file that holds it."""
    from trappa.history.checkpoint import parse_verifier_key

    path = Path(value).expanduser()
    if path.is_file():
        value = _read_text(path, "checkpoint.unreadable", "checkpoint.not_utf8")
    return parse_verifier_key(value)


def _published_key(text: str) -> VerifierKey:
    """The public key ``trappa key publish`` kept in the register; a damaged one is the
    register's problem (exit 3), not bad input."""
    from trappa.history.checkpoint import parse_verifier_key

    try:
        return parse_verifier_key(text)
    except UserError as exc:
        raise StoreError(say("checkpoint.published_damaged", detail=exc.message),
                         hint=say("checkpoint.published_damaged.hint")) from None


def _read_checkpoint(path: Path) -> Checkpoint:
    from trappa.history.checkpoint import parse

    text = _read_text(path, "checkpoint.unreadable", "checkpoint.not_utf8")
    return parse(text, str(path))


# --- verify ----------------------------------------------------------------------------------


@app.command(help=_(
    "Check the hash chain, the projection against the events, and SQLite's integrity.\n\n"
    "Exits 3 and names the first bad event when anything does not match, or the first way the"
    " register fails to extend the checkpoint given."
))
def verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option("--checkpoint", help=_("Also prove the register extends this checkpoint:"
                     " same register, at least as many events, the same hash at its position."),
                     dir_okay=False),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option("--key", help=_("The checkpoint must be signed by this public key (the line"
                     " 'trappa key init' printed, or a file holding it); default: the key"
                     " 'trappa key publish' kept in the register, for a signed checkpoint.")),
    ] = None,
    db: Db = None,
    json: Json = False,
) -> None:
    # Every input is read before the database is opened: bad input exits 2 and touches nothing.
    if key is not None and checkpoint is None:
        raise UserError(say("checkpoint.key_without_checkpoint"))
    expected = _read_checkpoint(checkpoint) if checkpoint is not None else None
    verifier = _verifier_key(key) if key is not None else None
    with session(db, read_only=True) as s:
        head = s.store.head()  # before the checks: anything appended meanwhile comes after it
        report = s.store.verify()
        extension: str | None = None
        if expected is not None:
            from trappa.history.checkpoint import extension_problem

            at = s.store.hash_at(expected.events) if expected.events <= head.events else None
            extension = extension_problem(expected, head.register_id, head.events, at)
            if verifier is None and expected.signatures:
                published = s.store.get_setting(PUBLISHED_KEY)
                if published:
                    verifier = _published_key(published)
    signature: str | None = None
    if expected is not None and verifier is not None:
        from trappa.history.checkpoint import signature_problem

        signature = signature_problem(expected, verifier)
    failures = [problem for problem in (signature, extension) if problem is not None]
    if json:
        data: dict[str, Any] = {**report.to_json(), "head": head.to_json()}
        if expected is not None:
            data["ok"] = report.ok and not failures
            data["checkpoint"] = {
                **expected.to_json(),
                "ok": not failures,
                "key": verifier.name if verifier is not None else None,
                "problems": failures,
            }
        print_json(data)
    else:
        if report.ok:
            typer.echo(report.summary())
        else:
            for problem in report.problems:
                typer.echo(f"{say('error.prefix')}: {problem}", err=True)
            # The count, with the problems beyond those listed.
            typer.echo(f"{say('error.prefix')}: {report.summary()}", err=True)
        for problem in failures:
            typer.echo(f"{say('error.prefix')}: {problem}", err=True)
        if expected is not None and not failures:
            typer.echo(say("out.checkpoint.extends", date=expected.date,
                           events=say("count.events", n=expected.events),
                           register=expected.register_id))
            if verifier is not None:
                typer.echo(say("out.checkpoint.signed_by", name=verifier.name))
    if not report.ok or failures:
        raise typer.Exit(EXIT_STORE)


# --- checkpoint ------------------------------------------------------------------------------


@app.command(help=_(
    "Write the register's head (id, number of events, newest hash, date) as a checkpoint, "
    "signed when a key exists.\n\n"
    "The key is the organisation's, made by 'trappa key init'. File the checkpoint outside "
    "the database (e.g. monthly in the diarium); 'trappa verify --checkpoint' proves later "
    "that the register still extends it."
))
def checkpoint(output: Output = None, force: Force = False, db: Db = None,
               json: Json = False) -> None:
    from trappa.history.checkpoint import Checkpoint, sign

    if output is not None:
        check_writable(output, force=force)
    private = _signing_key()  # read (and checked) before the database is opened
    with session(db, read_only=True) as s:
        head = s.store.head()
    if head.register_id is None:
        raise UserError(say("checkpoint.no_register_id"))
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    note = Checkpoint(head.register_id, head.events, head.hash, date)
    if private is not None:
        note = sign(note, private)
    text = note.text()
    if output is not None:
        write_file(output, text.encode(), force=force)
    if json:
        print_json({**note.to_json(), "file": str(output) if output else None, "text": text})
    elif output is not None:
        typer.echo(say("out.checkpoint.written", events=say("count.events", n=note.events),
                       file=output))
    else:
        typer.echo(text, nl=False)
    if private is None and not json:
        typer.echo(say("out.checkpoint.unsigned", file=key_path()), err=True)


# --- key -------------------------------------------------------------------------------------

key_app = Typer(
    help=_("The organisation's signing key for checkpoints."), no_args_is_help=True
)
app.add_typer(key_app, name="key")


@key_app.command("init", help=_(
    "Create the Ed25519 key that signs checkpoints; print its public key and where it is."
))
def key_init(
    name: Annotated[
        str, typer.Option("--name", help=_("The key's name in signatures, one word (e.g. the"
                          " organisation: region-kalmar)."))
    ] = "trappa",
    force: Force = False,
    json: Json = False,
) -> None:
    from trappa.cases.inputs import check_text
    from trappa.history.checkpoint import check_key_name, new_key

    check_key_name(check_text(name, "--name"))  # bytes that are not UTF-8: one line, exit 2
    path = key_path()
    if path.exists() and not force:
        raise Refusal(say("checkpoint.key_exists", file=path),
                      hint=say("checkpoint.key_exists.hint"))
    private, verifier = new_key(name)
    _write_private(path, private, replace=force)
    if json:
        print_json({"file": str(path), "name": name, "public_key": verifier.text()})
    else:
        typer.echo(say("out.key.created", file=path))
        typer.echo(say("out.key.public"))
        typer.echo(verifier.text())


@key_app.command("publish", help=_(
    "Keep the signing key's public key in the register, so that every member of a team can"
    " check a signed checkpoint with 'trappa verify --checkpoint' without being given it. The"
    " private key stays where it is."
))
def key_publish(db: Db = None, json: Json = False) -> None:
    verifier = _own_verifier()
    with session(db, create=False) as s, s.store.transaction():
        s.store.set_setting(PUBLISHED_KEY, verifier.text())
    if json:
        print_json({"name": verifier.name, "public_key": verifier.text()})
    else:
        typer.echo(say("out.key.published", name=verifier.name))


@key_app.command("show", help=_(
    "Print the public key of the signing key (exit 1 when there is none): what a verifier "
    "needs, e.g. 'trappa key show > region-kalmar.pub'."
))
def key_show(json: Json = False) -> None:
    verifier = _own_verifier()
    if json:
        print_json({"file": str(key_path()), "name": verifier.name,
                    "public_key": verifier.text()})
    else:
        typer.echo(verifier.text())


def _write_private(path: Path, text: str, *, replace: bool) -> None:
    """Write the key readable only by its owner (0600), from the first byte: a new file is
    created so; a replaced one is written beside it and renamed over it."""
    target = path.with_name(path.name + ".new") if replace else path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if replace and target.exists():
            target.unlink()  # a leftover of an interrupted replace
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        if replace:
            os.replace(target, path)
    except FileExistsError as exc:  # created by another command meanwhile
        raise Refusal(say("checkpoint.key_exists", file=path),
                      hint=say("checkpoint.key_exists.hint")) from exc
    except OSError as exc:
        raise UserError(say("checkpoint.key_write", file=path,
                            detail=exc.strerror or exc)) from exc
