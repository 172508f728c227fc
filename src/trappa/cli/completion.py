"""Shell completion: the scripts for bash, zsh, fish and PowerShell, and the values a shell
completes from the register and the ladders.

The machinery is typer's, the one its own ``add_completion`` options use (``typer.completion``:
the shells' completion classes, their scripts, and where each shell loads a script from); typer
exports no names for it, hence the ``type: ignore`` on those imports. trappa has options of its
own because typer's take no shell name: ``--show-completion zsh`` in a bash session prints zsh's
script here, bash's there.

The protocol: the script a shell sources runs ``trappa`` with
``_TRAPPA_COMPLETE=complete_<shell>`` and the words typed so far in the environment (bash:
``COMP_WORDS`` and ``COMP_CWORD``; zsh, fish and PowerShell: ``_TYPER_COMPLETE_ARGS``), and
reads the candidates from stdout. click's spelling of the instruction (``<shell>_complete``,
``<shell>_source``, as click's documentation gives it) is understood too.

The value completers below are typer ``autocompletion`` callbacks. Each reads the register that
``--db`` or ``TRAPPA_DB`` names, read-only: it never creates a register, a folder or a file, waits
for no lock, and answers nothing at all on any error, since whatever it printed would land in the
user's command line. They are imported at start-up (the options name them), so everything they
need is imported inside them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

import typer

from trappa.errors import UserError
from trappa.messages import say

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
COMPLETE_VAR = "_TRAPPA_COMPLETE"
LIMIT = 500  # candidates at most: more than anyone reads in a shell's list
WAIT = 0.2  # seconds to wait for a register another command is writing, then give up

Candidates = list[tuple[str, str]]

# What rich reads as a markup tag: typer passes the descriptions zsh, fish and PowerShell show
# through rich, which would swallow "[x]" in a supplier's name; rich.markup.escape's rule, without
# importing rich into every completion.
_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def _described(text: str) -> str:
    """``text`` as a candidate's description that reads as itself in every shell."""
    text = " ".join(text.split())  # one line
    text = _TAG.sub(lambda match: f"{match[1]}{match[1]}\\{match[2]}", text)
    return text + "\\" if text.endswith("\\") and not text.endswith("\\\\") else text


# --- the protocol ------------------------------------------------------------------------------


def respond(cli: Any, ctx_args: MutableMapping[str, Any], prog_name: str, complete_var: str,
            instruction: str) -> int:
    """Answer a shell's request (``complete_bash``, ``bash_complete``, ``source_zsh``, …) on
    stdout; the exit code for the shell."""
    from typer import completion

    first, _, second = instruction.partition("_")
    action, shell = (second, first) if first in SHELLS else (first, second)
    completion.completion_init()  # type: ignore[attr-defined]  # registers the shells' classes
    try:
        code: int = completion.shell_complete(cli, ctx_args, prog_name, complete_var,
                                              f"{action}_{shell}")
    except Exception:  # never a traceback into the user's command line
        return 1
    return code


def show(ctx: typer.Context, shell: str | None) -> None:
    """``--show-completion [SHELL]``: print the script for ``shell`` (default: this one)."""
    if shell is None or ctx.resilient_parsing:
        return
    from typer.completion import get_completion_script  # type: ignore[attr-defined]

    typer.echo(get_completion_script(prog_name=_prog_name(ctx), complete_var=COMPLETE_VAR,
                                     shell=_chosen(shell)))
    raise typer.Exit()


def install(ctx: typer.Context, shell: str | None) -> None:
    """``--install-completion [SHELL]``: install the script where ``shell`` loads it from."""
    if shell is None or ctx.resilient_parsing:
        return
    from typer.completion import install as install_script  # type: ignore[attr-defined]

    chosen, path = install_script(shell=_chosen(shell), prog_name=_prog_name(ctx),
                                  complete_var=COMPLETE_VAR)
    typer.echo(say("completion.installed", shell=chosen, path=path))
    raise typer.Exit()


def _prog_name(ctx: typer.Context) -> str:
    return ctx.find_root().info_name or "trappa"


def _chosen(shell: str) -> str:
    """``shell`` if trappa has a script for it; an empty ``shell``: the one trappa runs in."""
    shell = shell.strip().lower() or _detected()
    if shell not in SHELLS:
        raise UserError(say("completion.unknown_shell", shell=shell, shells=", ".join(SHELLS)))
    return shell


def _detected() -> str:
    """The shell trappa runs in: its parent process's, else ``SHELL``'s."""
    try:
        # typer's own dependency for this (untyped); should it be missing, SHELL tells.
        import shellingham  # type: ignore[import-untyped]

        return str(shellingham.detect_shell()[0]).lower()
    except Exception:
        name = os.path.basename(os.environ.get("SHELL", "")).lower()
        if name:
            return name
    raise UserError(say("completion.no_shell", shells=", ".join(SHELLS)))


def with_shell_values(args: list[str]) -> list[str]:
    """``args`` with a bare ``--show-completion`` or ``--install-completion`` given an empty
    value, which means the shell trappa runs in (click's options take a value or none, not
    either); ``--show-completion zsh`` is left as it is. Only the root's own options are looked
    at, before the command's name."""
    result = list(args)
    for index, arg in enumerate(result):
        if not arg.startswith("-"):
            break
        following = result[index + 1] if index + 1 < len(result) else "-"
        if arg in ("--show-completion", "--install-completion") and following.startswith("-"):
            result[index] = f"{arg}="
    return result


# --- values from the register and the ladders -----------------------------------------------


@contextmanager
def _register(ctx: typer.Context) -> Iterator[Any]:
    """The session on the register ``--db``/``TRAPPA_DB`` names, read-only; ``None`` when
    there is none (completion never creates one)."""
    from pathlib import Path

    from trappa.cases.session import Session
    from trappa.dates import today
    from trappa.store.database import Store, resolve_db_path

    path = resolve_db_path(_param(ctx, "db"), create_folder=False)
    if isinstance(path, Path) and not path.is_file():  # a server's register is read as it is
        yield None
        return
    store = Store.open(path, create=False, read_only=True, busy_timeout=WAIT)
    try:
        yield Session(store=store, actor="", today=today())
    finally:
        store.close()


def _param(ctx: typer.Context, name: str) -> Any:
    """A parameter typed before the one being completed, on this command or its parents."""
    while ctx is not None:
        if ctx.params.get(name) is not None:
            return ctx.params[name]
        ctx = ctx.parent  # type: ignore[assignment]
    return None


def cases(ctx: typer.Context, incomplete: str) -> Candidates:
    """Case ids, each with its supplier's name."""
    try:
        with _register(ctx) as session:
            if session is None:
                return []
            rows = session.store.case_ids_from(incomplete, LIMIT)
        return [(case_id, _described(supplier)) for case_id, supplier, _status in rows]
    except Exception:
        return []


def _case_ladder(ctx: typer.Context, session: Any) -> tuple[Any, Any]:
    """The ladder of the case typed before (and the case), else the register's default."""
    case = _param(ctx, "case")
    if session is not None and case:
        try:
            state = session.case(str(case))
        except UserError:
            pass
        else:
            return session.ladder_of(state), state
    from trappa.cases.reporting import DEFAULT_LADDER
    from trappa.ladder.loading import load_ladder

    ref = session.store.get_setting("default.ladder") if session is not None else None
    return load_ladder(ref or DEFAULT_LADDER).view(), None


def letter_kinds(ctx: typer.Context, incomplete: str) -> Candidates:
    """The letter kinds of the case's ladder (or the default one), and those every case has."""
    try:
        from trappa.letters.context import EXTRA_KINDS

        with _register(ctx) as session:
            ladder, _state = _case_ladder(ctx, session)
        kinds = {**ladder.letters, **EXTRA_KINDS}
        return [(kind, _described(str(spec.get("title") or ""))) for kind, spec in kinds.items()]
    except Exception:
        return []


def activities(ctx: typer.Context, incomplete: str) -> Candidates:
    """The activities of the case's current step not yet done (every activity of the default
    ladder when the case is unknown), each with its title."""
    try:
        with _register(ctx) as session:
            ladder, state = _case_ladder(ctx, session)
        if state is None:
            keys = list(ladder.activities)
        else:
            done = state.done_at_current_level()
            keys = [key for key in ladder.step(state.level).get("activities") or []
                    if key not in done]
        return [(key, _described(str(ladder.activities.get(key, {}).get("title") or "")))
                for key in keys]
    except Exception:
        return []


def deviations(ctx: typer.Context, incomplete: str) -> Candidates:
    """The numbers of the case's deviations, each with its description."""
    try:
        with _register(ctx) as session:
            case = _param(ctx, "case")
            if session is None or not case:
                return []
            state = session.case(str(case))
        return [(str(d.n), _described(f"{d.observed} {d.description}"))
                for d in state.deviations]
    except Exception:
        return []


def ladders(incomplete: str) -> Candidates:
    """Every ladder found (bundled and ``TRAPPA_LADDERS``), as ``id`` and ``id@version``; files
    are completed by the shell itself."""
    try:
        from trappa.ladder import registry

        entries = registry.entries(registry.search_dirs())
        refs = dict.fromkeys([entry.id for entry in entries] + [entry.ref for entry in entries])
        return [(ref, "") for ref in refs]
    except Exception:
        return []


def shells(incomplete: str) -> Candidates:
    return [(shell, "") for shell in SHELLS]
