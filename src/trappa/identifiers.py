"""Swedish organisation numbers (NNNNNN-NNNN with a Luhn check digit) and case ids."""

from __future__ import annotations

import re

from trappa.errors import UserError
from trappa.messages import say

_ORG_NR = re.compile(r"([0-9]{6})-?([0-9]{4})")  # ASCII digits only: \d takes any script's
CASE_ID = re.compile(r"[0-9]{4}-[0-9]{4,}")


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit for ``digits`` (the first nine digits of an organisation number)."""
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def looks_like_org_nr(value: str) -> bool:
    """Whether ``value`` is written as an organisation number (checked digit or not): a number
    that names a supplier rather than a supplier's name."""
    return _ORG_NR.fullmatch(value.strip()) is not None


def normalise_org_nr(value: str) -> str:
    """Return ``value`` as NNNNNN-NNNN, or raise a ``UserError`` naming what is wrong."""
    match = _ORG_NR.fullmatch(value.strip())
    if not match:
        raise UserError(say("orgnr.malformed", value=value))
    digits = match.group(1) + match.group(2)
    expected = luhn_check_digit(digits[:9])
    if int(digits[9]) != expected:
        raise UserError(say("orgnr.check_digit", value=value, expected=expected))
    return f"{match.group(1)}-{match.group(2)}"


def format_case_id(year: int, number: int) -> str:
    return f"{year:04d}-{number:04d}"
