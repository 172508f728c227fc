"""The crash log: what an unexpected error (a bug) leaves behind for whoever fixes it.

One file per crash in the user's log folder (``TRAPPA_LOG_DIR``, else platformdirs'
``user_log_dir``), holding the traceback, trappa's and Python's versions, the platform and the
command line with every value elided: descriptions and notes may hold personal data, and the
log is meant to be sent on. Imported only when something has already gone wrong.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import traceback
from collections.abc import Sequence
from pathlib import Path

from trappa import __version__

ELIDED = "…"


def log_folder() -> Path:
    """``TRAPPA_LOG_DIR``, else the user's log folder (platformdirs)."""
    env = os.environ.get("TRAPPA_LOG_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_log_dir

    return Path(user_log_dir("trappa", appauthor=False))


def elide(args: Sequence[str]) -> list[str]:
    """The command line with every value and argument replaced by ``…``.

    Kept: option names (``--description``, ``--db`` of ``--db=…``, ``-o`` of ``-oFILE``) and the
    names of the command and subcommand. Whether a word after an option is its value or an
    argument does not matter: both are elided.
    """
    from trappa.cli import COMMANDS

    shown: list[str] = []
    words: list[str] = []  # the positional words seen so far, as given
    options_end = False
    for arg in args:
        if not options_end and arg == "--":
            options_end = True
            shown.append(arg)
        elif not options_end and arg.startswith("--"):
            name, sep, _ = arg.partition("=")
            shown.append(f"{name}={ELIDED}" if sep else name)
        elif not options_end and arg.startswith("-") and len(arg) > 1:
            shown.append(arg[:2] + (ELIDED if len(arg) > 2 else ""))  # -o, or -oVALUE
        else:
            keep = (not words and arg in COMMANDS) or (
                len(words) == 1 and words[0] in COMMANDS and arg in _subcommands(words[0])
            )
            words.append(arg)
            shown.append(arg if keep else ELIDED)
    return shown


def _subcommands(name: str) -> set[str]:
    """The names of a command group's commands (``ladder list``), none for a plain command."""
    from trappa.cli import build_command

    try:
        commands = getattr(build_command(name), "commands", None)
    except Exception:  # a crash log must not crash: when in doubt, elide
        return set()
    return set(commands) if commands else set()


def write(exc: BaseException, args: Sequence[str]) -> Path:
    """Write the crash log of ``exc`` raised by ``trappa ARGS``; its path.

    Raises ``OSError`` when the folder or the file cannot be written.
    """
    now = dt.datetime.now(dt.UTC)
    folder = log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join([
        f"trappa {__version__} crashed at {now.isoformat(timespec='seconds')}\n",
        f"command: {' '.join(['trappa', *elide(args)])}\n",
        f"python: {platform.python_version()} ({platform.python_implementation()})\n",
        f"platform: {platform.platform()}\n",
        "\n",
        *traceback.format_exception(type(exc), exc, exc.__traceback__),
    ])
    stamp = now.strftime("%Y%m%dT%H%M%S.%fZ")
    for attempt in range(100):
        path = folder / f"crash-{stamp}{f'-{attempt}' if attempt else ''}.log"
        try:
            with path.open("x", encoding="utf-8") as file:  # never overwrite an earlier crash
                file.write(text)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(folder / f"crash-{stamp}.log")
