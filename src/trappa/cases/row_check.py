"""The common row of an import checked at once: a row of text cells with nothing unusual in it.

``trappa.cases.importing`` checks each row as ``report`` checks its options (``_check``, then
``cases.inputs.check_report``): every cell stripped and searched for control characters twice,
two tuples built, the texts shared afterwards. For a hundred thousand rows that is a quarter of
an import's time. ``quick_check`` makes the same ``CheckedReport`` from a row whose cells are
all text with one search over the row, and gives up (None) on anything it does not take in its
stride: a cell that is not text, a control character or lone surrogate anywhere (even where
stripping would remove it), a text over its limit, an unusual number, flag, kind or date, a
date after today, a reporter on an anonymous row, a bad organisation number. The row then goes
the plain way, which accepts it or names its error exactly as before: this path never refuses
a row and never accepts one the plain path would refuse (``tests/cases/test_row_check.py``
holds the two equal, property-based).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from trappa.cases.importing import _FALSE, _KINDS, _TRUE, _observed
from trappa.cases.inputs import NAME_LIMIT, TEXT_LIMIT, CheckedReport, _org_nr
from trappa.errors import UserError
from trappa.history.projection import DEVIATION_KINDS

# What the plain path refuses in a one-line text (control characters, bidirectional
# overrides, lone surrogates), and in a description, which may hold newlines and tabs.
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CRITICALITIES = {"1": 1, "2": 2, "3": 3, "4": 4}
_ISO: dict[dt.date, str] = {}


class _Plain(Exception):
    """The row needs the plain check."""


def quick_check(
    record: dict[str, Any], today: dt.date, ladder: str | None, same: dict[str, str]
) -> CheckedReport | None:
    """``record`` (column -> cell) checked, its repeated texts shared through ``same``; None
    when the row needs the plain check. ``ladder`` must be the checked ``--ladder``."""
    try:
        return _checked(record, today, ladder, same)
    except (_Plain, UserError, TypeError):  # TypeError: a cell that is not text
        return None


def _checked(
    record: dict[str, Any], today: dt.date, ladder: str | None, same: dict[str, str]
) -> CheckedReport:
    rest = record.copy()
    description = rest.pop("description", None)
    if _NOT_ONE_LINE.search(" ".join(rest.values())):
        raise _Plain
    if description.__class__ is not str or _NOT_TEXT.search(description):
        raise _Plain
    description = description.strip()
    if not description or len(description) > TEXT_LIMIT:
        raise _Plain
    get = rest.get
    supplier = _cell(get("supplier"))
    if supplier is None:
        raise _Plain
    contract = _cell(get("contract"))
    text = (get("criticality") or "").strip()
    criticality = _CRITICALITIES.get(text) if text else None
    if (text and criticality is None) or (criticality is not None and contract is None):
        raise _Plain
    kind = (get("kind") or "").strip().lower() or "deviation"
    kind = _KINDS.get(kind, kind)
    if kind not in DEVIATION_KINDS:
        raise _Plain
    reporter, anonymous = _cell(get("reporter")), _flag(get("anonymous"))
    if reporter is not None and anonymous:
        raise _Plain
    text = (get("observed") or "").strip()
    observed = _observed(text) if text else today  # a UserError: the plain way
    if observed > today:
        raise _Plain
    iso = _ISO.get(observed)
    if iso is None:
        iso = _ISO[observed] = observed.isoformat()
    org_nr = get("org_nr")
    org_nr = _org_nr(org_nr.strip()) if org_nr and org_nr.strip() else None
    one = same.setdefault
    category, source = _cell(get("category")), _cell(get("source"))
    reference = _cell(get("reference"))
    deviation = {
        "kind": kind,
        "serious": _flag(get("serious")),
        "observed": iso,
        "category": None if category is None else one(category, category),
        "description": description,
        "source": None if source is None else one(source, source),
        "reporter": None if anonymous else reporter,
        "external_id": _cell(get("external_id")),
    }
    return CheckedReport(
        one(supplier, supplier),
        None if org_nr is None else one(org_nr, org_nr),
        None if contract is None else one(contract, contract),
        criticality,
        deviation,
        None if reference is None else one(reference, reference),
        None if ladder is None else one(ladder, ladder),
    )


def _cell(value: str | None) -> str | None:
    """A one-line cell stripped, None when blank; too long for a name: the plain way."""
    if not value:
        return None
    text = value.strip()
    if len(text) > NAME_LIMIT:
        raise _Plain
    return text or None


def _flag(value: str | None) -> bool:
    text = (value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Plain
