"""The ``trappa`` command line: parsing and printing only, over the core modules.

Each command module registers its commands on ``app`` and is imported only when one of its
commands runs: ``COMMANDS`` names each command's module and one-line help, so that
``trappa --help`` lists them all without importing any, and ``trappa report`` builds the one
command it runs instead of all of them (typer turns every function's signature into a click
command, a few milliseconds each). Modules here import typer and the light core at module level;
anything heavy (pydantic, ruamel, sqlite_utils, jinja2, rich) is imported inside the command that
needs it.

Only typer's public names are used: ``typer.Typer`` and its ``cls`` (a ``TyperGroup`` subclass,
as typer documents for ``cls``), ``Typer.command``/``add_typer``, and ``typer.main.get_command``
(what ``typer.testing.CliRunner`` and ``Typer.__call__`` build a command with), so that the
typer range in pyproject.toml is the range the suite passes on.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, NoReturn

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
    "assign": ("commands_case", "Give a case its owner (avtalsansvarig), recorded in its"
               " history."),
    # The event format and personal data.
    "redact": ("commands_case", "Remove a deviation's reporter's name (GDPR, gallring); the"
               " history still verifies."),
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
    # Evidence that holds: verify, and the checkpoints it checks against.
    "verify": ("commands_evidence", "Check the hash chain, the projection against the events, and"
               " SQLite's integrity."),
    "checkpoint": ("commands_evidence", "Write the register's head (id, number of events, newest"
                   " hash, date) as a checkpoint, signed when a key exists."),
    "key": ("commands_evidence", "The organisation's signing key for checkpoints."),
    "validate": ("commands_ladder", "Validate ladder files: print one line per clean file, every"
                 " problem as FILE:LINE:COLUMN."),
    "ladder": ("commands_ladder", "Browse ladders: list them, show one, compare two, print the"
               " JSON Schema."),
    "config": ("commands_view", "The organisation's details for letters, and defaults."),
    # A team's register on PostgreSQL.
    "db": ("commands_db", "A team's register on PostgreSQL: set it up (init), give people access"
           " (grant), copy a register between engines (copy)."),
}


class _Commands(MutableMapping[str, Any]):
    """The root's commands by name, every name in ``COMMANDS``, each built when first looked up.

    click's documented hooks for a lazy group (``get_command``, ``list_commands``) read this
    mapping, and so does typer's "Did you mean" suggestion for a mistyped command, which thus
    suggests from every command without building any.
    """

    def __init__(self, built: MutableMapping[str, Any]) -> None:
        self._built = dict(built)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = build_command(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COMMANDS, *self._built]))

    def __len__(self) -> int:
        return len(set(COMMANDS) | set(self._built))


class _LazyGroup(TyperGroup):
    """The root command: builds a subcommand only when it is asked for (see ``_Commands``)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands(self.commands)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # From the index: listing the commands must not build (nor import) any of them.
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, short) in COMMANDS.items()])


class _App(typer.Typer):
    """``typer.Typer`` that also keeps, by command name, how each command was registered, so
    that one command can be built without the others of its module."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.registrations: dict[str, Callable[[typer.Typer], None]] = {}

    def command(self, name: str | None = None, **kwargs: Any) -> Callable[[Any], Any]:
        register = super().command(name, **kwargs)

        def decorator(function: Any) -> Any:
            # typer's documented default name: the function's, lower case, "_" as "-".
            key = name or function.__name__.lower().replace("_", "-")
            self.registrations[key] = lambda on: on.command(name, **kwargs)(function)
            return register(function)

        return decorator

    def add_typer(self, typer_instance: typer.Typer, *, name: str | None = None,
                  **kwargs: Any) -> None:
        super().add_typer(typer_instance, name=name, **kwargs)
        if name is not None:
            self.registrations[name] = lambda on: on.add_typer(typer_instance, name=name, **kwargs)


# How every command is built: plain help text (rich markup costs ~100 ms on every `--help` and
# adds nothing here), and exceptions left to ``main`` below.
_SETTINGS: dict[str, Any] = {
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
    "add_completion": False,
}


def build_command(name: str) -> Any:
    """The click command for ``name``, built alone from what its module registered on ``app``.

    ``None`` for a name no command has.
    """
    entry = COMMANDS.get(name)
    if entry is None:
        return None
    importlib.import_module(f"trappa.cli.{entry[0]}")
    register = app.registrations.get(name)
    if register is None:
        return None
    alone = typer.Typer(**_SETTINGS)
    register(alone)
    built = typer.main.get_command(alone)
    # A lone command comes back as itself; a command group, inside a group of one.
    return built.commands[name] if isinstance(built, TyperGroup) else built


app = _App(
    name="trappa",
    cls=_LazyGroup,
    help="Run the escalation ladder (eskaleringstrappan) for supplier deviations.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    **_SETTINGS,
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
    are ``TrappaError``; anything else is a bug: its traceback goes to a crash log, and one line
    names the log's file (exit 3).
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
    except Exception as exc:
        _crashed(exc, sys.argv[1:] if argv is None else argv)


def _crashed(exc: Exception, args: list[str]) -> NoReturn:
    """An unexpected error: its crash log, one line naming it, exit 3.

    The hint never suggests running the command again: it may have recorded something already.
    """
    import traceback

    from trappa.cli import crash

    detail = f"{type(exc).__name__}: {exc}"
    if os.environ.get("TRAPPA_DEBUG", "").strip().lower() in ("1", "true", "yes"):
        traceback.print_exception(type(exc), exc, exc.__traceback__)
    try:
        path = crash.write(exc, args)
    except Exception as problem:  # no log, but still the one line and exit 3
        where = (f"{problem.strerror}: {problem.filename}"
                 if isinstance(problem, OSError) and problem.filename else f"{problem}")
        _print_error(say("error.unexpected.unlogged", detail=detail, problem=where))
    else:
        _print_error(say("error.unexpected", detail=detail),
                     say("error.unexpected.logged", path=path))
    sys.exit(EXIT_STORE)
