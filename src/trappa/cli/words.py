"""click's own words ("Usage:", "Options", "Show this message and exit.", its usage errors) in the
chosen language.

typer carries its own copy of click, which writes these words as plain English strings rather
than through gettext, so no catalog can reach them where they are made. They are translated here
instead, where they are printed: help is written by ``Formatter`` (set on every command through
``Command`` and ``Group``), and a usage error's text is matched against click's English sentences
below (each a gettext message id) and said again in the chosen language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from trappa.messages import N_, _

# Section headings, help option and the parts of an option's "[...]" note, as click writes them.
HEADINGS = (N_("Options"), N_("Arguments"), N_("Commands"))
USAGE = N_("Usage:")
OPTIONS = N_("[OPTIONS]")  # the usage line's placeholders
SUBCOMMAND = N_("COMMAND [ARGS]...")
HELP = N_("Show this message and exit.")
NOTES = (N_("default: {default}"), N_("env var: {var}"), N_("required"), N_("(dynamic)"))

# click's usage errors, most specific first; a field named "message" is itself one of these.
ERRORS = (
    N_("No such option: {option} Did you mean {suggestion}?"),
    N_("No such option: {option} (Possible options: {options})"),
    N_("No such option: {option}"),
    N_("No such command {name}.. Did you mean {suggestions}?"),
    N_("No such command {name}."),
    N_("Missing command."),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing parameter {name}."),
    N_("Invalid value for {name}: {message}"),
    N_("Invalid value: {message}"),
    N_("Got unexpected extra argument(s) ({arguments})"),
    N_("Option {option} requires an argument."),
    N_("Option {option} requires {count} arguments."),
    N_("Option {option} does not take a value."),
    N_("Argument {name} takes {count} values."),
    N_("{value} is not a valid int."),
    N_("{value} is not a valid float."),
    N_("{value} is not a valid boolean. Recognized values: {values}"),
    N_("{value} is not in the range {range}."),
    N_("{value} does not match the formats {formats}."),
    N_("{value} is not one of {choices}."),
    N_("{values} values are required, but {count} given."),
)
TRY = N_("Try '{command} {option}' for help.")
ERROR = N_("Error: {message}")
ABORTED = N_("Aborted!")


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(regex, re.DOTALL)


def translate(text: str, templates: Sequence[str] = ERRORS) -> str:
    """``text``, one of click's English sentences in ``templates``, in the chosen language
    (unchanged when it is none of them)."""
    for template in templates:
        match = _pattern(template).fullmatch(text)
        if match:
            fields = match.groupdict()
            if "message" in fields:
                fields["message"] = translate(fields["message"], templates)
            return _(template).format(**fields)
    return text


_NOTE = re.compile(r"^(?P<help>.*?)\s*\[(?P<notes>[^\[\]]*)\]$", re.DOTALL)


def _notes(help_text: str) -> str:
    """An option's help with its "[default: ...; required]" note translated."""
    match = _NOTE.match(help_text)
    if not match:
        return help_text
    notes = "; ".join(translate(note, NOTES) for note in match["notes"].split("; "))
    return f"{match['help']}  [{notes}]".lstrip()


_Base = TyperCommand.context_class


class Formatter(_Base.formatter_class):  # type: ignore[name-defined]
    """click's help formatter, writing its headings in the chosen language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, f"{_(USAGE)} " if prefix is None else prefix)

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(_(name)):
            yield

    def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().write_dl([(term, _notes(text)) for term, text in rows], *args, **kwargs)


class Context(_Base):  # type: ignore[valid-type,misc]
    """click's context, formatting help with ``Formatter``."""

    formatter_class = Formatter


class _Words:
    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _(HELP)
        return option


class Command(_Words, TyperCommand):
    """A command whose help and usage errors speak the chosen language."""

    context_class = Context


class Group(_Words, TyperGroup):
    """A command group whose help and usage errors speak the chosen language."""

    context_class = Context


# How click shows a usage error, and any other of its errors (typer exports only BadParameter).
_USAGE_SHOW = typer.BadParameter.show
_ERROR_SHOW = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
).show  # type: ignore[attr-defined]


def is_click_error(error: BaseException) -> bool:
    """Whether ``error`` is one of click's errors, which it prints itself when standalone."""
    return isinstance(error, typer.TyperException) and hasattr(error, "show")


def show_error(error: Any) -> None:
    """Print click's error ``error`` as click does, in the chosen language."""
    shown = type(error).show
    if shown is not _USAGE_SHOW and shown is not _ERROR_SHOW:
        error.show()  # its own way, e.g. the help when a group is called without a command
        return
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = _(TRY).format(command=ctx.command_path, option=ctx.help_option_names[0]) + "\n"
        typer.echo(f"{ctx.get_usage()}\n{hint}", err=True)
    typer.echo(_(ERROR).format(message=translate(error.format_message())), err=True)
