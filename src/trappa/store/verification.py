"""What ``trappa verify`` checks beyond SQLite's own integrity check, and its report. Pure: the
store reads the rows and hands them over (``trappa.store.checks``).

* **The chain**: every event's link to the one before it and its own hash
  (``trappa.history.chain``): a format 2 event's stored bytes as hashed, and that its columns
  (which every command reads) say what those bytes say.
* **Gaps**: each case's events numbered 1, 2, … up to the last one its projection remembers, so
  a removed event is found even at the end of the chain, where no link breaks.
* **The first bad event** in chain order, which is what a person investigates first.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple

from trappa.history.chain import (
    GENESIS,
    body_v2,
    event_hash,
    link_hash,
    link_hash_v2,
    readable_data,
    stored_body_json,
)
from trappa.history.facts import facts_of
from trappa.history.projection import CaseState, Event, FoldError, fold_values
from trappa.messages import say
from trappa.store.rows import FACTS_COLUMNS, ChildRows, Row, facts_values

MAX_PROBLEMS = 100  # enough to act on; the count says how many more there are

HASH_MISMATCH = "hash mismatch"
BROKEN_LINK = "broken link"
MISSING = "missing"


class ChainRow(NamedTuple):
    """An event as stored, in chain order."""

    position: int
    case_id: str
    seq: int
    type: str
    date: str
    recorded_at: str
    actor: str
    data: str
    prev_hash: str
    hash: str
    body: bytes | None = None  # format 2: the bytes as hashed

    def event(self) -> Event:
        return Event(
            self.case_id, self.seq, self.type, self.date, self.recorded_at, self.actor,
            json.loads(self.data),
        )


def row_hash_ok(row: ChainRow) -> bool:
    if row.body is not None:
        return link_hash_v2(row.prev_hash, row.body) == row.hash and body_agrees(row)
    body = stored_body_json(
        row.case_id, row.seq, row.type, row.date, row.recorded_at, row.actor, row.data
    )
    if link_hash(row.prev_hash, body) == row.hash:
        return True
    try:  # data not stored canonically: the exact way decides
        return event_hash(row.prev_hash, row.event()) == row.hash
    except (ValueError, TypeError):
        return False


def body_agrees(row: ChainRow) -> bool:
    """Whether a format 2 event's columns say what its hashed bytes say, checked from scratch:
    the bytes are RFC 8785 JSON and each column equals its field. (The store writes them so that
    the columns splice into the bytes, which ``check_chain`` tries first.)"""
    import rfc8785  # only here: verifying a body that does not splice is rare

    try:
        body = json.loads(row.body or b"")
        return bool(
            rfc8785.dumps(body) == row.body
            and body.get("v") == 2
            and body.keys() == {"v", "case", "seq", "type", "date", "recorded_at", "actor", "data"}
            and (body["case"], body["seq"], body["type"], body["date"], body["recorded_at"],
                 body["actor"]) == (row.case_id, row.seq, row.type, row.date, row.recorded_at,
                                    row.actor)
            and body["data"] == json.loads(row.data)
        )
    except (ValueError, TypeError):  # rfc8785.CanonicalizationError is a ValueError
        return False


@dataclass(frozen=True)
class Finding:
    """One bad event: which, what is wrong, and where in the chain.

    ``position`` is the event's place in the chain; for a missing event, the place of its case's
    event before it (0 when it was the case's first), after which it stood.
    """

    case: str
    seq: int
    position: int
    problem: str  # HASH_MISMATCH | BROKEN_LINK | MISSING

    def as_dict(self) -> dict[str, Any]:
        where = "after_position" if self.problem == MISSING else "position"
        return {"case": self.case, "seq": self.seq, where: self.position, "problem": self.problem}

    def message(self) -> str:
        if self.problem == MISSING:
            return say("store.verify.missing", case=self.case, seq=self.seq)
        key = {HASH_MISMATCH: "store.verify.hash_mismatch", BROKEN_LINK: "store.verify.broken_link"}
        return say(key[self.problem], case=self.case, seq=self.seq, position=self.position)


@dataclass
class ChainResult:
    events: int = 0
    findings: list[Finding] = field(default_factory=list)
    # case id -> [events of the case in the chain, its highest seq]: enough to see a gap
    extents: dict[str, list[int]] = field(default_factory=dict)


def check_chain(rows: Iterable[Row], expected_prev: str = GENESIS) -> ChainResult:
    """Walk the events in chain order: every link, every hash, and each case's extent.

    ``rows`` are plain tuples in ``ChainRow``'s field order (a million of them are read for a
    large register, so nothing is built per row unless it is bad). The walk goes on from each
    event's stored hash, so one tampered event is reported once rather than poisoning every event
    after it; for the same reason a part of the chain can be walked on its own, from the stored
    hash of the event before it (``expected_prev``), and ``joined`` to the part before.
    """
    result = ChainResult()
    findings = result.findings
    extents = result.extents
    count = 0
    for row in rows:
        count += 1
        (position, case_id, seq, type_, date, recorded_at, actor, data, prev_hash, digest,
         hashed) = row
        if prev_hash != expected_prev:
            findings.append(Finding(case_id, seq, position, BROKEN_LINK))
        if hashed is None:  # format 1: the body is spliced from the columns
            ok = link_hash(prev_hash, stored_body_json(
                case_id, seq, type_, date, recorded_at, actor, data)) == digest
        else:  # format 2: the stored bytes are hashed, and the columns must splice into them
            ok = (link_hash_v2(prev_hash, hashed) == digest
                  and body_v2(case_id, seq, type_, date, recorded_at, actor, data) == hashed)
        if not ok and not row_hash_ok(ChainRow(*row)):
            findings.append(Finding(case_id, seq, position, HASH_MISMATCH))
        expected_prev = digest
        extent = extents.get(case_id)
        if extent is None:
            extents[case_id] = [1, seq]
        else:
            extent[0] += 1
            if seq > extent[1]:
                extent[1] = seq
    result.events = count
    return result


def joined(first: ChainResult, second: ChainResult) -> ChainResult:
    """What one walk over ``first``'s part of the chain and then ``second``'s finds."""
    extents = {case_id: list(extent) for case_id, extent in first.extents.items()}
    for case_id, (count, max_seq) in second.extents.items():
        extent = extents.get(case_id)
        if extent is None:
            extents[case_id] = [count, max_seq]
        else:
            extent[0] += count
            extent[1] = max(extent[1], max_seq)
    return ChainResult(first.events + second.events, first.findings + second.findings, extents)


def find_gaps(case: str, seq_positions: list[tuple[int, int]], last_seq: int) -> list[Finding]:
    """The events of ``case`` that are missing: numbers absent from 1..``last_seq``.

    ``seq_positions`` are the case's stored (seq, position) pairs in seq order; ``last_seq`` is
    the highest number the case is known to have reached (from its projection, which remembers
    events cut off the end). A missing event's ``position`` is where it would have stood: just
    after the case's previous event, sorted as that position plus a half by ``first_bad``.
    At most ``MAX_PROBLEMS`` are listed, however large a tampered ``last_seq`` is.
    """
    top = max(last_seq, seq_positions[-1][0] if seq_positions else 0)
    gaps: list[Finding] = []
    expected, after = 1, 0
    for seq, position in [*seq_positions, (top + 1, 0)]:  # the sentinel closes the last gap
        while expected < seq and len(gaps) < MAX_PROBLEMS:
            gaps.append(Finding(case, expected, after, MISSING))
            expected += 1
        expected, after = seq + 1, position
    return gaps


def first_bad(findings: list[Finding]) -> Finding | None:
    """The earliest bad event in chain order.

    A removed event also shows as a broken link at the event that came after it; its gap sorts
    just before that link (at its case's previous event plus a half), so the removed event is
    named rather than its innocent successor.
    """

    def order(finding: Finding) -> float:
        return finding.position + 0.5 if finding.problem == MISSING else finding.position

    return min(findings, key=order, default=None)


# --- the projection against a replay ---------------------------------------------------------

# The child tables in the order of CaseState's tuple fields, each with what turns a stored row
# (case id first) into the plain values of its item (see ``trappa.history.projection.fold_values``),
# as ``trappa.store.rows`` loads it: a second reading of the projection, kept for the ``verify``
# figure of ``make bench`` (a million events replayed without a dataclass per row). A
# deviation's ``serious`` is left as stored (0 or 1): it equals the replay's bool, and
# ``_differing_fields`` applies the exact conversion.
PROJECTION_TABLES = (
    "deviations", "plans", "sanctions", "level_changes", "activities_done", "letters_sent",
    "risks",
)
# CaseState's fields in order; the scalar ones are the columns of the cases table.
_CASE_FIELDS = CaseState._fields
_HEAD_WIDTH = len(_CASE_FIELDS) - len(PROJECTION_TABLES)
# The scalar fields, then the facts kept with the case (checked against ``facts_of`` a replay).
CASE_HEAD_COLUMNS = ", ".join(_CASE_FIELDS[:_HEAD_WIDTH]) + ", " + FACTS_COLUMNS
_DEVIATIONS = _CASE_FIELDS.index("deviations")


def _load_plan(row: Row) -> Row:
    return (*row[1:4], tuple(json.loads(row[4])), *row[5:])


_LOADERS: dict[str, Any] = {
    "plans": _load_plan,
    "sanctions": lambda row: (*row[1:6], tuple(json.loads(row[6]))),
    "letters_sent": lambda row: json.loads(row[4]),
}


_ITEM = itemgetter(slice(1, None))  # a row without its case id, in C rather than bytecode


def _child_stream(table: str, rows: Iterable[Row]) -> ChildRows:
    """One child table's rows in case order, dealt out case by case as plain values."""
    return ChildRows(rows, _LOADERS.get(table, _ITEM))


# Events other than reports carry a few distinct payloads each (an escalation's reason, an
# activity done): parsed once and shared, which is safe because the fold only reads them.
_CACHED_PAYLOADS = 4096
_scan_json: Callable[[str, int], tuple[Any, int]] = (
    json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # set in __init__; typeshed omits it
)


def _parse(text: Any) -> Any:
    """``json.loads(text)`` by the decoder's C scanner, skipping ``loads``' Python wrapping.

    Anything the plain scan does not take whole (whitespace around it, bytes, an error) goes to
    ``json.loads``, so the result and every error are exactly its.
    """
    try:
        value, end = _scan_json(text, 0)
    except Exception:  # noqa: BLE001 - json.loads raises the precise error below
        return json.loads(text)
    if end != len(text):
        return json.loads(text)
    return value


def check_projection(
    cases: Iterable[Row],
    children: Mapping[str, Iterable[Row]],
    events: Iterable[Row],
    report: VerifyReport,
    names: Mapping[str, str] | None = None,
) -> int:
    """Replay each case's events and compare with its stored state; return the cases.

    ``cases`` are rows of ``CASE_HEAD_COLUMNS`` (the scalar fields, then the kept facts) by
    id; ``children`` the rows of each of ``PROJECTION_TABLES`` (case id first, then its
    columns) in case order; ``events`` rows of
    (case_id, seq, type, date, data, format 2?) by case and seq; ``names`` the reporters' names
    by digest (format 2 data is read as ``trappa.store.events`` reads it). Everything is
    compared as plain tuples, with no dataclass built per row.
    """
    streams = [_child_stream(table, children[table]) for table in PROJECTION_TABLES]
    stored_rows = iter(cases)
    replays = itertools.groupby(events, key=itemgetter(0))
    parse = _parse
    cache: dict[Any, Any] = {}
    names = names or {}
    head = next(stored_rows, None)
    replay = next(replays, None)
    count = 0
    while head is not None or replay is not None:
        count += 1
        if replay is None or (head is not None and head[0] < replay[0]):
            assert head is not None  # the loop runs while either is left
            report.add(say("store.verify.no_events", case=head[0]))
            head = next(stored_rows, None)
            continue
        case_id, rows = replay
        if head is None or case_id < head[0]:
            report.add(say("store.verify.no_state", case=case_id))
            replay = next(replays, None)
            continue
        stored = (*head[:_HEAD_WIDTH], *[stream.take(case_id) for stream in streams])
        try:
            # All parsed before any is folded, so a row that is not JSON is what gets reported.
            parsed = []
            for c, seq, type_, date, data, v2 in rows:
                if type_ == "reported":
                    value = parse(data)
                    if v2:
                        value = readable_data(type_, value, names)
                else:
                    value = cache.get(data)
                    if value is None:
                        value = parse(data)
                        if len(cache) >= _CACHED_PAYLOADS:
                            cache.clear()
                        cache[data] = value
                    if v2 and type_ == "sanction":
                        value = readable_data(type_, value, names)  # a new dict: cache intact
                parsed.append((c, seq, type_, date, value))
            replayed = fold_values(None, parsed)
        except (FoldError, KeyError, TypeError, ValueError) as exc:
            report.add(say("store.verify.unreplayable", case=case_id, detail=exc))
        else:
            differing = _differing_fields(replayed, stored) if replayed != stored else []
            if facts_values(facts_of(replayed)) != head[_HEAD_WIDTH:]:
                differing.append("facts")
            if differing:
                report.add(
                    say("store.verify.projection", case=case_id, fields=", ".join(differing))
                )
        head = next(stored_rows, None)
        replay = next(replays, None)
    return count


def _differing_fields(replayed: Row, stored: Row) -> list[str]:
    """The fields of CaseState in which two states differ, compared as the store loads them."""
    stored = (
        *stored[:_DEVIATIONS],
        tuple((*d[:2], bool(d[2]), *d[3:]) for d in stored[_DEVIATIONS]),
        *stored[_DEVIATIONS + 1 :],
    )
    return [name for name, a, b in zip(_CASE_FIELDS, replayed, stored, strict=True) if a != b]


@dataclass
class VerifyReport:
    """What ``trappa verify`` found. ``ok`` when nothing is wrong."""

    events: int = 0
    cases: int = 0
    problems: list[str] = field(default_factory=list)
    first_bad: dict[str, Any] | None = None
    more_problems: int = 0  # problems beyond the first MAX_PROBLEMS, counted but not listed

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(message)
        else:
            self.more_problems += 1

    def summary(self) -> str:
        """One line for people: all intact, or how many problems."""
        if self.ok:
            return say("store.verify.ok", events=say("count.events", n=self.events),
                       cases=say("count.cases", n=self.cases))
        count = len(self.problems) + self.more_problems
        return say("store.verify.failed", problems=say("count.problems", n=count),
                   events=say("count.events", n=self.events),
                   cases=say("count.cases", n=self.cases))

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (what ``trappa verify --json`` prints)."""
        return {
            "ok": self.ok,
            "events": self.events,
            "cases": self.cases,
            "problems": self.problems,
            "more_problems": self.more_problems,
            "first_bad": self.first_bad,
        }
