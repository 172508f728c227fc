"""The ``trappa`` command line: parsing and printing only, over the core modules.

Each command module registers its commands on ``app`` and is imported only when one of its
commands runs: ``COMMANDS`` names each command's module and one-line help, so that
``trappa --help`` lists them all without importing any, and ``trappa report`` builds the one
command it runs instead of all of them (typer turns every function's signature into a click
command, a few milliseconds each). Modules here import typer and the light core at module level;
anything heavy (pydantic, ruamel, sqlite_utils, jinja2, rich) is imported inside the command that
needs it.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from difflib import get_close_matches

import typer
import typer.main
from typer.core import TyperGroup

from trappa import __version__
from trappa.errors import EXIT_STORE, ProblemsError, TrappaError
from trappa.messages import say

# Every command: its module under trappa.cli and its one-line help, in `trappa --help` order.
# tests/test_docs.py checks this against the commands themselves.
COMMANDS: dict[str, tuple[str, str]] = {
    "report": (
        "commands_case", "Register a deviation, incident or risk (händelse) for a supplier."
    ),
    "escalate": ("commands_case", "Move a case up the ladder."),
    "deescalate": (
        "commands_case", "Move a case down the ladder: the way back. A reason is required."
    ),
    "done": ("commands_case", "Mark an activity of the case's current step done."),
    "plan": ("commands_case", "Establish an action plan (handlingsplan), record the follow-up of"
             " the latest one, or write it as a document (--render)."),
    "sanction": ("commands_case", "Record a sanction under the contract (sanktion enligt avtal)."),
    "resolve": ("commands_case", "Put out (släcka) a deviation of a case."),
    "close": ("commands_case", "Close a case."),
    "reopen": ("commands_case", "Reopen a closed case."),
    "note": ("commands_case", "Add a note to a case's history."),
    "show": ("commands_view", "Show a case: supplier, contract, ladder, step, activities, plan,"
             " deviations, timeline."),
    "explain": ("commands_view", "Every rule of the case's ladder: whether it holds, and why"
                " (counts and dates)."),
    "status": ("commands_view", "Open cases, one row each, with a traffic light (red: act now)."),
    "review": ("commands_view", "Cases whose suggested level differs from their level, and"
               " overdue action plans."),
    "letter": ("commands_letter", "Write a letter of a case (or its action plan) and record it"
               " as sent."),
    "dossier": ("commands_letter", "The supplier's whole recorded history across its cases, in"
                " date order, as evidence."),
    "import": ("commands_import", "Register deviations from a file, as a migration from a"
               " spreadsheet or another register."),
    "verify": ("commands_view", "Check the hash chain, the projection against the events, and"
               " SQLite's integrity."),
    "validate": ("commands_ladder", "Validate ladder files: print one line per clean file, every"
                 " problem as FILE:LINE:COLUMN."),
    "ladder": ("commands_ladder", "Browse ladders: list them, show one, compare two, print the"
               " JSON Schema."),
    "config": ("commands_view", "The organisation's details for letters, and defaults."),
}


class _LazyGroup(TyperGroup):
    """The root command: builds a subcommand only when it is asked for.

    It leans on typer 0.28's internals (``get_command_from_info``, ``_click_resolve_command``,
    the vendored click): typer is pinned below 0.29 in pyproject.toml, and tests/test_docs.py
    builds every command through this class, so an upgrade that breaks it fails the suite.
    """

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: typer.Context, cmd_name: str):  # type: ignore[override]
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        importlib.import_module(f"trappa.cli.{entry[0]}")
        return build_command(cmd_name)

    def resolve_command(self, ctx: typer.Context, args: list[str]):  # type: ignore[override]
        try:
            return self._click_resolve_command(ctx, args)
        except typer.main._click.exceptions.UsageError as exc:
            # typer suggests from the commands already built; here none are until asked for.
            matches = get_close_matches(args[0], list(COMMANDS)) if args else []
            if matches:
                names = ", ".join(repr(name) for name in matches)
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {names}?"
            raise

    def format_commands(self, ctx: typer.Context, formatter) -> None:  # type: ignore[override]
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, short) in COMMANDS.items()])


def build_command(name: str):
    """The click command for ``name`` from what its module registered on ``app``."""
    for info in app.registered_commands:
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            return typer.main.get_command_from_info(
                info, pretty_exceptions_short=False, rich_markup_mode=None
            )
    for group in app.registered_groups:
        if group.name == name:
            return typer.main.get_group_from_info(
                group, pretty_exceptions_short=False, rich_markup_mode=None,
                suggest_commands=True,
            )
    return None


app = typer.Typer(
    name="trappa",
    cls=_LazyGroup,
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
        if os.environ.get("TRAPPA_DEBUG", "").strip().lower() in ("1", "true", "yes"):
            raise
        _print_error(
            say("error.unexpected", detail=f"{type(exc).__name__}: {exc}"),
            say("error.unexpected.hint"),
        )
        sys.exit(EXIT_STORE)
