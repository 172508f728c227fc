"""The risk matrix (risk- och konsekvensanalys): probability 1-4 × consequence 1-4 gives a score
of 1-16, which a ladder's ``risk_matrix`` names in bands. Pure: no I/O.

A ladder without a ``risk_matrix`` (every case opened before the key existed, and a ladder whose
publisher set none) uses ``DEFAULT_RISK_MATRIX``, trappa's own 4×4 reading, marked as a default
wherever it is shown: Låg 1-3, Medel 4-6, Hög 8-9, Mycket hög 12-16 (the scores a 4×4 matrix can
give are 1, 2, 3, 4, 6, 8, 9, 12 and 16).
"""

from __future__ import annotations

from typing import Any, NamedTuple

SCALE = range(1, 5)  # probability and consequence: 1 (low) .. 4 (high)

DEFAULT_RISK_MATRIX: dict[str, Any] = {
    "default": True,
    "bands": [
        {"max": 3, "label": "Låg"},
        {"max": 6, "label": "Medel"},
        {"max": 9, "label": "Hög"},
        {"max": 16, "label": "Mycket hög"},
    ],
}


class Band(NamedTuple):
    """A score's band: its label, and whether the bands are trappa's default."""

    label: str
    default: bool


def band_of(matrix: dict[str, Any] | None, score: int) -> Band:
    """The band a score falls in under ``matrix`` (the default when None)."""
    matrix = matrix or DEFAULT_RISK_MATRIX
    bands = matrix["bands"]
    for band in bands:
        if score <= band["max"]:
            return Band(band["label"], bool(matrix.get("default")))
    return Band(bands[-1]["label"], bool(matrix.get("default")))
