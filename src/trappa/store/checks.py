"""The reading side of ``trappa verify``: which rows the checks of ``trappa.store.verification``
read, in which snapshot, and, for a large register, in parts at once.

A large register is checked by four processes at once (each half of the chain; each half of the
cases) with SQLite's own checks in a thread beside them: a million events took half a minute in
one (held by the ``verify`` figure of ``make bench``). Each half of the cases reads one snapshot,
each case's projection and events together. Each half of the chain reads the events up to the
last one the caller's snapshot holds, the second from the stored hash before it, which the first
half checks: events are append-only, so those reads see the chain of that snapshot.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trappa.history.chain import personal_digest
from trappa.history.contracts import stream_id
from trappa.messages import say
from trappa.store.connection import BUSY_TIMEOUT, Connection, sql
from trappa.store.contract_checks import CONTRACT_STREAMS, check_contracts
from trappa.store.engine import os_name
from trappa.store.letters import document_problems
from trappa.store.parallel import InProcess, InThread
from trappa.store.rows import CHILDREN

if TYPE_CHECKING:
    from trappa.store.verification import ChainResult, VerifyReport

PARALLEL_VERIFY_EVENTS = 50_000  # below this, starting processes costs more than it saves

# The projection's problems (at most MAX_PROBLEMS), how many more there are, and the cases.
ProjectionFindings = tuple[list[str], int, int]


@sql
def verify(store: Connection) -> VerifyReport:
    """``verify``: SQLite's integrity check, the hash chain, and the projection against a
    replay; see the module's docstring for how."""
    from trappa.store.verification import VerifyReport, joined

    report = VerifyReport()
    conn = store._conn
    with store._snapshot():
        last_position, cases = conn.execute(
            "SELECT (SELECT coalesce(max(position), 0) FROM events),"
            " (SELECT count(*) FROM cases)"
        ).fetchone()
        split = None
        # In parts only on SQLite: the parts open the file again. A server checks its own
        # pages, and one snapshot there reads the whole register.
        if last_position >= PARALLEL_VERIFY_EVENTS and store.engine == "sqlite":
            split = conn.execute(
                "SELECT id FROM cases ORDER BY id LIMIT 1 OFFSET ?", (cases // 2,)
            ).fetchone()
        if split is None:  # small: everything here, in this snapshot
            integrity = _check_integrity(conn)
            chain = _check_chain(conn, 0, last_position)
            projection = _check_projection(conn, None, None)
            _report_verification(store, report, integrity, chain, projection)
            return report
        # Processes before the thread: a process forked beside a running thread may
        # inherit a lock that thread held.
        middle = last_position // 2
        chain_parts = [InProcess(_chain_part, store.path, 0, middle),
                       InProcess(_chain_part, store.path, middle, last_position)]
        half_part = InProcess(_projection_part, store.path, split[0], None)
        integrity_part = InThread(_integrity_part, store.path)
        first_half = _check_projection(conn, None, split[0])
        integrity = integrity_part.result()
        chain = joined(*(part.result() for part in chain_parts))
        second_half = half_part.result()
        _report_verification(
            store, report, integrity, chain,
            (first_half[0] + second_half[0], first_half[1] + second_half[1],
             first_half[2] + second_half[2]),
        )
    return report


def _report_verification(
    store: Connection,
    report: VerifyReport,
    integrity: list[str],
    chain: ChainResult,
    projection: ProjectionFindings,
) -> None:
    """Put the parts' findings into ``report`` in the order a single pass finds them: the
    database file, the chain (with each case's gaps), then the projection."""
    from trappa.store.verification import MISSING, find_gaps, first_bad

    conn = store._conn
    for message in integrity:
        report.add(message)
    report.events = chain.events
    findings = list(chain.findings)
    recorded: dict[str, int] = dict(conn.execute("SELECT id, last_seq FROM cases"))
    recorded.update(  # the contracts that have events of their own: few
        (stream_id(contract_id), last_seq)
        for contract_id, last_seq in conn.execute(
            "SELECT id, last_seq FROM contracts WHERE last_seq > 0"
        )
    )
    for case_id, (count, max_seq) in chain.extents.items():
        known = recorded.get(case_id, 0)
        if count < max(max_seq, known):
            pairs = conn.execute(
                "SELECT seq, position FROM events WHERE case_id = ? ORDER BY seq",
                (case_id,),
            ).fetchall()
            findings.extend(find_gaps(case_id, pairs, known))
    for case_id in recorded.keys() - chain.extents.keys():  # every event of it is gone
        findings.extend(find_gaps(case_id, [], recorded[case_id]))
    findings.sort(key=lambda f: (f.position, f.problem != MISSING))
    for finding in findings:
        report.add(finding.message())
    bad = first_bad(findings)
    report.first_bad = bad.as_dict() if bad else None
    problems, more, report.cases = projection
    for message in problems:
        report.add(message)
    report.more_problems += more
    check_contracts(conn, report)
    for message in document_problems(conn):  # the letters kept as sent
        report.add(message)


# --- the parts, each on its own connection when run beside the others -------------------------


def _check_integrity(conn: sqlite3.Connection) -> list[str]:
    problems = [
        say("store.verify.integrity", detail=line)
        for (line,) in conn.execute("PRAGMA integrity_check")
        if line != "ok"
    ]
    problems.extend(
        say("store.verify.foreign_key", table=table, parent=parent)
        for table, _, parent, _ in conn.execute("PRAGMA foreign_key_check")
    )
    # A name kept for a digest must be the one the digest was made of (trappa.history.chain).
    problems.extend(
        say("store.verify.personal_data", digest=digest)
        for digest, salt, value in conn.execute("SELECT digest, salt, value FROM personal_data")
        if personal_digest(bytes(salt), value) != digest
    )
    return problems


def _check_chain(conn: sqlite3.Connection, after: int, last_position: int) -> ChainResult:
    """Walk the chain's events after position ``after`` up to ``last_position``."""
    from trappa.history.chain import GENESIS
    from trappa.store.verification import check_chain

    before = conn.execute(
        "SELECT hash FROM events WHERE position <= ? ORDER BY position DESC LIMIT 1", (after,)
    ).fetchone()
    return check_chain(
        _scan(conn)(
            "SELECT position, case_id, seq, type, date, recorded_at, actor, data, prev_hash, hash,"
            " body FROM events WHERE position > ? AND position <= ? ORDER BY position",
            (after, last_position),
        ),
        before[0] if before else GENESIS,
    )


def _check_projection(
    conn: sqlite3.Connection, low: str | None, high: str | None
) -> ProjectionFindings:
    """Replay the cases with ids from ``low`` (inclusive) to ``high`` (exclusive; None: no
    bound) and compare."""
    from trappa.store.verification import (
        CASE_HEAD_COLUMNS,
        PROJECTION_TABLES,
        VerifyReport,
        check_projection,
    )

    def where(column: str) -> tuple[str, tuple[str, ...]]:
        clauses, params = [], []
        if low is not None:
            clauses.append(f"{column} >= ?")
            params.append(low)
        if high is not None:
            clauses.append(f"{column} < ?")
            params.append(high)
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)

    by_case, params = where("case_id")
    # A contract's own events are no case's (checked by ``check_contracts``).
    events_by_case = (by_case + " AND" if by_case else "WHERE") + f" NOT ({CONTRACT_STREAMS})"
    # Each table read once in case order (WITHOUT ROWID: a sequential scan), as the projection's
    # own reading does.
    scan = _scan(conn)
    children = {
        table: scan(
            f"SELECT case_id, {CHILDREN[table].columns} FROM {table} {by_case}"
            f" ORDER BY case_id, {CHILDREN[table].key}",
            params,
        )
        for table in PROJECTION_TABLES
    }
    by_id, _ = where("id")
    cases = scan(f"SELECT {CASE_HEAD_COLUMNS} FROM cases {by_id} ORDER BY id", params)
    events = scan(
        f"SELECT case_id, seq, type, date, data, body IS NOT NULL FROM events {events_by_case}"
        " ORDER BY case_id, seq",
        params,
    )
    # Only reporters' names enter the projection (an actor's does not).
    names = dict(conn.execute("SELECT digest, value FROM personal_data WHERE role = 'reporter'"))
    report = VerifyReport()
    count = check_projection(cases, children, events, report, names)
    return report.problems, report.more_problems, count


def _scan(conn: sqlite3.Connection) -> Callable[..., Iterator[Any]]:
    """How to read a whole table: on a server a batch at a time (``PgConnection.scan``); SQLite
    steps through its own file, holding no more than a row."""
    scan: Callable[..., Iterator[Any]] = getattr(conn, "scan", conn.execute)
    return scan


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(os_name(path), timeout=BUSY_TIMEOUT, isolation_level=None)


def _integrity_part(path: Path) -> list[str]:
    with closing(_connect(path)) as conn:
        return _check_integrity(conn)


def _chain_part(path: Path, after: int, last_position: int) -> ChainResult:
    with closing(_connect(path)) as conn:
        return _check_chain(conn, after, last_position)


def _projection_part(path: Path, low: str | None, high: str | None) -> ProjectionFindings:
    with closing(_connect(path)) as conn:
        conn.execute("BEGIN")  # one snapshot for the half
        try:
            return _check_projection(conn, low, high)
        finally:
            conn.execute("COMMIT")
