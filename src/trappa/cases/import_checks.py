"""Every problem of a bad import row, each naming the file's own column (``beskrivning``, say,
when the file's headers are Swedish), so that one run shows all that is wrong with a row.

Only rows that the fast check of ``trappa.cases.importing`` refused come here: a hundred thousand
good rows pay nothing for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from trappa.cases.importing import _KINDS, _boolean, _integer, _text
from trappa.cases.inputs import optional_text
from trappa.dates import parse_date
from trappa.errors import UserError
from trappa.history.projection import DEVIATION_KINDS
from trappa.identifiers import normalise_org_nr
from trappa.messages import say

_LINES = ("contract", "category", "source", "reporter", "reference", "external_id")


def row_problems(record: dict[str, Any], names: dict[str, str], today: dt.date) -> list[str]:
    """Each problem of the row as one message that names its column as the file does."""
    problems: list[str] = []

    def name(column: str) -> str:
        return names.get(column, column)

    def check(column: str, run: Callable[[], Any], prefix: bool = True) -> Any:
        try:
            return run()
        except UserError as exc:
            problems.append(f"{name(column)}: {exc.message}" if prefix else exc.message)
            return None

    get = record.get
    for column, multiline in (("supplier", False), ("description", True)):
        if _text(get(column)) is None:
            problems.append(say("import.required", column=name(column)))
        else:
            _text_of(check, str(get(column)), name(column), column, multiline)
    org_nr = _text(get("org_nr"))
    if org_nr is not None:
        check("org_nr", lambda: normalise_org_nr(org_nr))
    for column in _LINES:
        value = _text(get(column))
        if value is not None:
            _text_of(check, value, name(column), column, False)
    criticality = check("criticality", lambda: _integer(get("criticality"), name("criticality")),
                        prefix=False)
    if criticality is not None:
        if not 1 <= criticality <= 4:
            problems.append(f"{name('criticality')}: "
                            + say("report.criticality", value=criticality))
        if _text(get("contract")) is None:
            problems.append(say("import.criticality_needs_contract",
                                column=name("criticality"), contract=name("contract")))
    kind = (_text(get("kind")) or "deviation").lower()
    if _KINDS.get(kind, kind) not in DEVIATION_KINDS:
        problems.append(f"{name('kind')}: "
                        + say("report.kind", kind=kind, kinds=", ".join(DEVIATION_KINDS)))
    check("serious", lambda: _boolean(get("serious"), name("serious")), prefix=False)
    anonymous = check("anonymous", lambda: _boolean(get("anonymous"), name("anonymous")),
                      prefix=False)
    if anonymous and _text(get("reporter")) is not None:
        problems.append(f"{name('reporter')}: " + say("report.reporter_and_anonymous"))
    observed = _text(get("observed"))
    if observed is not None:
        day = check("observed", lambda: parse_date(observed, name("observed")), prefix=False)
        if day is not None and day > today:
            problems.append(f"{name('observed')}: " + say(
                "report.observed_future", date=day.isoformat(), today=today.isoformat()))
    return problems


def _text_of(
    check: Callable[..., Any], value: str, what: str, column: str, multiline: bool
) -> None:
    check(column, lambda: optional_text(value, what, multiline=multiline), prefix=False)
