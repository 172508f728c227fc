"""The ``trappa`` command line: parsing and printing only, over the core modules.

Each command module registers its commands on ``app`` and is imported only when one of its
commands runs: ``COMMANDS`` (``command_index``) names each command's module and one-line help,
so that
``trappa --help`` lists them all without importing any, and ``trappa report`` builds the one
command it runs instead of all of them (typer turns every function's signature into a click
command, a few milliseconds each). Modules here import typer and the light core at module level;
anything heavy (pydantic, ruamel, sqlite_utils, jinja2, rich) is imported inside the command that
needs it.

Only typer's public names are used: ``typer.Typer`` and its ``cls`` (a ``TyperGroup`` subclass,
as typer documents for ``cls``), ``Typer.command``/``add_typer``, and ``typer.main.get_command``
(what ``typer.testing.CliRunner`` and ``Typer.__call__`` build a command with), so that the
typer range in pyproject.toml is the range the suite passes on. Shell completion is the one
exception: the root's ``_main_shell_completion`` (the hook click and typer answer a shell's
request from) and the helpers of ``typer.completion`` have no public names; tests/cli/
test_completion.py runs each shell's protocol, so that a typer release that moves them fails.
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
from trappa.cli import words
from trappa.cli.command_index import COMMANDS
from trappa.errors import EXIT_STORE, ProblemsError, TrappaError
from trappa.messages import _, say


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


class _LazyGroup(words.Group):
    """The root command: builds a subcommand only when it is asked for (see ``_Commands``)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands(self.commands)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if "--show-completion" in args or "--install-completion" in args:
            from trappa.cli.completion import with_shell_values

            args = with_shell_values(args)
        return super().parse_args(ctx, args)

    def _main_shell_completion(self, ctx_args: Any, prog_name: str,
                               complete_var: str | None = None) -> None:
        # A shell asking for completions (the scripts of --show-completion set this variable):
        # answered in trappa.cli.completion, and nothing else runs.
        instruction = os.environ.get(complete_var or "_TRAPPA_COMPLETE")
        if instruction:
            from trappa.cli.completion import respond

            sys.exit(respond(self, ctx_args, prog_name, complete_var or "_TRAPPA_COMPLETE",
                             instruction))

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # From the index: listing the commands must not build (nor import) any of them.
        with formatter.section(_("Commands")):
            formatter.write_dl([(name, _(short)) for name, (_module, short) in COMMANDS.items()])


class Typer(typer.Typer):
    """``typer.Typer`` whose commands and groups speak the chosen language (``words``)."""

    def __init__(self, **settings: Any) -> None:
        settings.setdefault("cls", words.Group)
        settings.setdefault("options_metavar", _(words.OPTIONS))
        settings.setdefault("subcommand_metavar", _(words.SUBCOMMAND))
        super().__init__(**settings)

    def command(self, name: str | None = None, **kwargs: Any) -> Callable[[Any], Any]:
        kwargs.setdefault("cls", words.Command)
        kwargs.setdefault("options_metavar", _(words.OPTIONS))
        return super().command(name, **kwargs)


class _App(Typer):
    """``Typer`` that also keeps, by command name, how each command was registered, so
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
    alone = Typer(**_SETTINGS)
    register(alone)
    built = typer.main.get_command(alone)
    # A lone command comes back as itself; a command group, inside a group of one.
    return built.commands[name] if isinstance(built, TyperGroup) else built


app = _App(
    name="trappa",
    cls=_LazyGroup,
    help=_("Run the escalation ladder (eskaleringstrappan) for supplier deviations."),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    **_SETTINGS,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"trappa {__version__}")
        raise typer.Exit()


def _show_completion(ctx: typer.Context, value: str | None) -> None:
    from trappa.cli.completion import show

    show(ctx, value)


def _install_completion(ctx: typer.Context, value: str | None) -> None:
    from trappa.cli.completion import install

    install(ctx, value)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help=_("Print the version and exit.")
    ),
    install_completion: str | None = typer.Option(
        None, "--install-completion", metavar=_("[SHELL]"), callback=_install_completion,
        is_eager=True, expose_value=False,
        help=_("Install tab completion for SHELL (bash, zsh, fish, powershell; default: this"
               " shell)."),
    ),
    show_completion: str | None = typer.Option(
        None, "--show-completion", metavar=_("[SHELL]"), callback=_show_completion,
        is_eager=True, expose_value=False,
        help=_("Print the tab completion script for SHELL (default: this shell), to install it"
               " by hand."),
    ),
) -> None:
    # The root's help is the app's (above); its only option is --version.
    return None


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
        # Not standalone: click's own errors come back here, to be printed in the chosen language.
        code = app(args=argv, prog_name="trappa", standalone_mode=False)
    except typer.Abort:
        typer.echo(_(words.ABORTED), err=True)
        sys.exit(1)
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
        if words.is_click_error(exc):
            words.show_error(exc)
            sys.exit(getattr(exc, "exit_code", 1))
        _crashed(exc, sys.argv[1:] if argv is None else argv)
    if isinstance(code, int) and code:
        sys.exit(code)  # typer.Exit(code), e.g. `config get` of a key not set


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
