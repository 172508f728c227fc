"""What the follow-up cycle reads in bulk: each contract's claim window, and every listed case's
obligations (``trappa.history.obligations``) for ``review`` and ``status``, without a whole
``CaseState`` per case.

A second reading of the projection beside ``trappa.history.obligations.obligations``, which reads
a ``CaseState``: the suite checks that both give the same tuples.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from trappa.history.obligations import CLAIMABLE_KINDS, Obligation
from trappa.store.connection import Connection, sql
from trappa.store.projection import selection

OBLIGATIONS_CHUNK = 5000  # cases whose obligations are read at once

_LETTERS = """
    SELECT case_id, n, date, reply_by, received FROM (
        SELECT case_id, row_number() OVER (PARTITION BY case_id ORDER BY seq) AS n, date,
               json_extract(data, '$.reply_by') AS reply_by,
               json_extract(data, '$.reply.received') AS received
        FROM letters_sent {select}
    ) AS l WHERE reply_by IS NOT NULL ORDER BY case_id, n
"""
_SANCTIONED = """
    SELECT s.case_id, j.value, min(s.date) FROM sanctions AS s, json_each(s.deviations) AS j
    {select_s} GROUP BY s.case_id, j.value
"""
_CLAIMS = """
    SELECT case_id, n, observed, waived_on FROM deviations
    WHERE kind IN ({kinds}) {and_select} ORDER BY case_id, n
"""
# The latest plan of each case: plans are numbered 1, 2, … so the highest number is the latest.
_PLANS = """
    SELECT case_id, n, established, due, followed_up FROM plans AS p {select_p}
    {and_or_where} n = (SELECT max(n) FROM plans AS q WHERE q.case_id = p.case_id)
    ORDER BY case_id
"""


class FollowUp(Connection):
    """Claim windows and obligations, read for many cases at once."""

    @sql
    def contract_claim_days(self) -> dict[int, int]:
        """Each contract's own claim window in days (``trappa contract NAME --claim-within``),
        for those that set one."""
        return dict(self._conn.execute(
            "SELECT id, claim_within_days FROM contracts WHERE claim_within_days IS NOT NULL"
        ))

    def iter_obligations(
        self, *, status: str | None = "open", supplier_ids: list[int] | None = None,
        claims: bool = True, owner: str | None = None,
        ids: tuple[str | None, str | None] = (None, None),
    ) -> Iterator[tuple[str, tuple[Obligation, ...]]]:
        """The obligations of each selected case (of ``owner`` when given; ids from ``ids[0]``
        inclusive to ``ids[1]`` exclusive when given) that has any, in case-id order; claims
        only when ``claims`` (no claim window anywhere: none is due, and the deviations are not
        read).

        Read ``OBLIGATIONS_CHUNK`` cases at a time, each chunk in one snapshot: a register's
        claims can number several per case, and a listing of 100k cases must not hold them all.
        """
        where, params = selection(status, supplier_ids, owner)
        low, high = ids
        try:
            while True:
                upper = self._chunk_end(low, high)
                yield from self._obligations(where, params, claims, (low, upper))
                if upper is None or upper == high:
                    return
                low = upper
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def _chunk_end(self, low: str | None, high: str | None) -> str | None:
        """The id ``OBLIGATIONS_CHUNK`` cases after ``low`` (from the first case when None),
        or ``high`` when that comes first (None: the end of the register)."""
        row = self._conn.execute(
            "SELECT id FROM cases WHERE id >= ? ORDER BY id LIMIT 1 OFFSET ?",
            (low or "", OBLIGATIONS_CHUNK),
        ).fetchone()
        if row is None or (high is not None and row[0] >= high):
            return high
        end: str = row[0]
        return end

    def _obligations(
        self, where: str, params: tuple[Any, ...], claims: bool,
        ids: tuple[str | None, str | None],
    ) -> Iterator[tuple[str, tuple[Obligation, ...]]]:
        conn = self._conn
        # The id range both on the selected cases and on each table itself, so that each
        # statement reads only its chunk's key range, not every selected case for every chunk.
        in_range, range_params = [], []
        for bound, op in zip(ids, (">=", "<"), strict=True):
            if bound is not None:
                in_range.append(f"{{column}} {op} ?")
                range_params.append(bound)
        cases = " AND ".join(part.format(column="c.id") for part in in_range)
        if where:
            cases = f"{where} AND {cases}" if cases else where
            clauses = [f"case_id IN (SELECT c.id FROM cases c {cases})"]
            params = (*params, *range_params, *range_params)
        else:
            clauses = []
            params = tuple(range_params)
        clauses += [part.format(column="case_id") for part in in_range]
        inside = " AND ".join(clauses)
        with self._snapshot():
            found: dict[str, list[Obligation]] = {}
            for case_id, n, date, reply_by, received in conn.execute(
                _LETTERS.format(select=f"WHERE {inside}" if inside else ""), params
            ):
                found.setdefault(case_id, []).append(
                    Obligation("reply", n, date, reply_by, received)
                )
            if claims:
                sanctioned = {
                    (case_id, int(n)): date
                    for case_id, n, date in conn.execute(
                        _SANCTIONED.format(
                            select_s=f"WHERE s.{inside}" if inside else ""
                        ),
                        params,
                    )
                }
                kinds = ", ".join(f"'{kind}'" for kind in CLAIMABLE_KINDS)
                for case_id, n, observed, waived_on in conn.execute(
                    _CLAIMS.format(kinds=kinds, and_select=f"AND {inside}" if inside else ""),
                    params,
                ):
                    done = sanctioned.get((case_id, n)) or waived_on
                    found.setdefault(case_id, []).append(
                        Obligation("claim", n, observed, None, done)
                    )
            for case_id, n, established, due, followed_up in conn.execute(
                _PLANS.format(
                    select_p=f"WHERE p.{inside}" if inside else "",
                    and_or_where="AND" if inside else "WHERE",
                ),
                params,
            ):
                found.setdefault(case_id, []).append(
                    Obligation("plan", n, established, due, followed_up)
                )
        for case_id in sorted(found):
            yield case_id, tuple(found[case_id])
