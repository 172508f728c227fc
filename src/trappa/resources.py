"""The data folders trappa ships: ``ladders/`` and ``templates/``."""

from __future__ import annotations

from pathlib import Path


def bundled_dir(name: str) -> Path | None:
    """The bundled folder ``name``: inside the wheel under ``trappa/<name>`` (hatchling's
    force-include puts it there), else at the repository root for an editable install."""
    from importlib.resources import files

    try:
        packaged = Path(str(files("trappa") / name))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - a broken installation
        packaged = None
    if packaged is not None and packaged.is_dir():
        return packaged
    # An editable install sees src/trappa; the folder lies two levels up, at the repository root.
    repository = Path(__file__).resolve().parent.parent.parent / name
    return repository if repository.is_dir() else None
