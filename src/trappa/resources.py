"""The data folders trappa ships: ``ladders/`` and ``templates/``."""

from __future__ import annotations

from pathlib import Path


def bundled_dir(name: str) -> Path | None:
    """The bundled folder ``name``: inside the wheel under ``trappa/<name>`` (hatchling's
    force-include puts it there), else at the repository root for an editable install."""
    # Beside this module is where ``importlib.resources.files("trappa")`` finds it in an
    # installed wheel; looked at directly, because importing importlib.resources costs every
    # command that reads a ladder a few milliseconds. Only a zipped installation needs it.
    here = Path(__file__).resolve().parent
    if (here / name).is_dir():
        return here / name
    # An editable install sees src/trappa; the folder lies two levels up, at the repository root.
    repository = here.parent.parent / name
    if repository.is_dir():
        return repository
    from importlib.resources import files

    try:
        packaged = Path(str(files("trappa") / name))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - a broken installation
        return None
    return packaged if packaged.is_dir() else None
