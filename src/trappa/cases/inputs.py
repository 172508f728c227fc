"""Checking what a user types before anything is recorded: the text of a field, and a report's
every field (``check_report``)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any, NamedTuple

from trappa.errors import UserError
from trappa.history.projection import DEVIATION_KINDS
from trappa.identifiers import normalise_org_nr
from trappa.messages import say

# What a user may type into a field: a name or a label is one line; a description, reason or
# note may run over several. Control characters (a terminal's escape codes among them) never
# belong in the record, and a limit keeps a pasted file out of it.
NAME_LIMIT = 300
TEXT_LIMIT = 10_000

# The control characters (C0, DEL, C1); a multi-line text may hold newlines and tabs. A regex,
# because a bulk import checks a million fields.
# Bidirectional overrides (U+202A-202E, U+2066-2069) are refused too: they make a record read
# differently from what it holds.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Bytes that were not UTF-8 on the command line arrive as lone surrogates.
_NOT_UTF8 = re.compile("[\ud800-\udfff]")


def check_text(value: str | None, what: str, *, multiline: bool = False) -> str:
    """``value`` as text fit for the record (one line unless ``multiline``), or a UserError
    naming ``what``; an empty or blank value is refused."""
    text = optional_text(value, what, multiline=multiline)
    if text is None:
        raise UserError(say("input.empty", what=what))
    return text


def optional_text(value: str | None, what: str, *, multiline: bool = False) -> str | None:
    """``value`` as text fit for the record, None when it is empty or blank, or a UserError
    naming ``what``."""
    text = value.strip() if value else ""
    if not text:
        return None
    if _NOT_UTF8.search(text):
        raise UserError(say("input.not_utf8", what=what))
    if (_CONTROL_MULTILINE if multiline else _CONTROL).search(text):
        key = "input.control_multiline" if multiline else "input.control"
        raise UserError(say(key, what=what))
    limit = TEXT_LIMIT if multiline else NAME_LIMIT
    if len(text) > limit:
        raise UserError(say("input.too_long", what=what, limit=limit, length=len(text)))
    return text


class ReportInput(NamedTuple):
    """A report as typed: on the command line or in a row of an imported file."""

    supplier: str
    description: str
    org_nr: str | None = None
    contract: str | None = None
    criticality: int | None = None
    kind: str = "deviation"
    serious: bool = False
    observed: dt.date | None = None
    category: str | None = None
    source: str | None = None
    reporter: str | None = None
    anonymous: bool = False
    reference: str | None = None
    ladder: str | None = None
    external_id: str | None = None


class CheckedReport(NamedTuple):
    """A report whose every field has been checked, ready to record."""

    supplier: str
    org_nr: str | None
    contract: str | None
    criticality: int | None
    deviation: dict[str, Any]
    reference: str | None
    ladder: str | None


# A register names each supplier on many rows: its organisation number is checked once.
_org_nr = functools.lru_cache(maxsize=4096)(normalise_org_nr)


def check_criticality(value: int) -> int:
    """A contract's criticality as a user gives it: 1 (low) to 4 (business-critical)."""
    if not 1 <= value <= 4:
        raise UserError(say("report.criticality", value=value))
    return value


def check_report(data: ReportInput, today: dt.date) -> CheckedReport:
    """Check a report's fields; raise UserError for the first bad one."""
    supplier = check_text(data.supplier, "--supplier")
    description = check_text(data.description, "--description", multiline=True)
    org_nr = _org_nr(data.org_nr) if data.org_nr and data.org_nr.strip() else None
    contract = optional_text(data.contract, "--contract")
    if data.criticality is not None:
        check_criticality(data.criticality)
        if contract is None:
            raise UserError(say("report.criticality_without_contract"))
    if data.kind not in DEVIATION_KINDS:
        raise UserError(say("report.kind", kind=data.kind, kinds=", ".join(DEVIATION_KINDS)))
    if data.reporter and data.anonymous:
        raise UserError(say("report.reporter_and_anonymous"))
    observed = data.observed or today
    if observed > today:
        raise UserError(
            say("report.observed_future", date=observed.isoformat(), today=today.isoformat())
        )
    deviation = {
        "kind": data.kind,
        "serious": bool(data.serious),
        "observed": observed.isoformat(),
        "category": optional_text(data.category, "--category"),
        "description": description,
        "source": optional_text(data.source, "--source"),
        # An anonymous report stores no reporter at all: a whistleblower must stay unknown.
        "reporter": None if data.anonymous else optional_text(data.reporter, "--reporter"),
        "external_id": optional_text(data.external_id, "external id"),
    }
    return CheckedReport(
        supplier=supplier,
        org_nr=org_nr,
        contract=contract,
        criticality=data.criticality,
        deviation=deviation,
        reference=optional_text(data.reference, "--reference"),
        ladder=optional_text(data.ladder, "--ladder"),
    )
