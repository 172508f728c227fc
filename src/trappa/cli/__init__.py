"""The ``trappa`` command line: parsing and printing only, over the core modules.

Each command module registers its commands on ``app``. Modules here import typer and the light
core at module level; anything heavy (pydantic, ruamel, sqlite_utils, jinja2, rich tables) is
imported inside the command that needs it, so that start-up stays fast.
"""

from __future__ import annotations

import os
import signal
import sys

import typer

from trappa import __version__
from trappa.errors import EXIT_STORE, ProblemsError, TrappaError
from trappa.messages import say

app = typer.Typer(
    name="trappa",
    help="Run the escalation ladder (eskaleringstrappan) for supplier deviations.",
    no_args_is_help=True,
    add_completion=False,
    # Plain help text: rich markup costs ~100 ms on every `--help` and adds nothing here.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"trappa {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Run the escalation ladder (eskaleringstrappan) for supplier deviations."""


def _register() -> None:
    # Imported for their side effect of adding commands to `app`.
    from trappa.cli import (  # noqa: F401
        commands_case,
        commands_import,
        commands_ladder,
        commands_letter,
        commands_view,
    )


_register()


def _print_error(message: str, hint: str | None = None) -> None:
    typer.echo(f"{say('error.prefix')}: {message}", err=True)
    if hint:
        typer.echo(f"{say('error.hint')}: {hint}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app and turn every failure into one line on stderr and an exit code.

    Usage errors are click's (standalone mode prints them with the usage line and exits 2); ours
    are ``TrappaError``; anything else is unexpected and exits 3 with a hint, never a traceback.
    """
    if hasattr(signal, "SIGPIPE"):
        # `trappa status | head`: end quietly when the reader goes away, as Unix tools do. A
        # command killed so mid-transaction leaves nothing half-written: SQLite rolls it back.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        app(args=argv, prog_name="trappa")
    except ProblemsError as exc:
        # Positioned problems already carry their FILE:LINE:COLUMN prefix.
        typer.echo(exc.message, err=True)
        sys.exit(exc.exit_code)
    except TrappaError as exc:
        if os.environ.get("TRAPPA_DEBUG"):
            raise
        _print_error(exc.message, exc.hint)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _print_error(say("error.interrupted"))
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`trappa status | head`): not an error of ours.
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:  # the unexpected: one line and a hint, never a traceback
        if os.environ.get("TRAPPA_DEBUG"):
            raise
        _print_error(
            say("error.unexpected", detail=f"{type(exc).__name__}: {exc}"),
            say("error.unexpected.hint"),
        )
        sys.exit(EXIT_STORE)
