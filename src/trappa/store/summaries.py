"""The light read path of a list of cases: each case as a ``CaseSummary`` (``trappa.store.rows``),
the little that ``status`` and ``review`` read, instead of a whole ``CaseState``.

A speed shortcut, a second way of reading the projection: it is held by the ``status --all
--json`` and ``review --json`` figures of ``make bench``: a register of 100k cases streams in
about a second.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from trappa.store.connection import Connection
from trappa.store.projection import selection
from trappa.store.rows import SUMMARY_COLUMNS, CaseSummary, ChangeRow, Dealer, PlanRow


class Summaries(Connection):
    """Cases streamed as ``CaseSummary``s."""

    def iter_summaries(
        self,
        *,
        counted_kinds: Iterable[str],
        status: str | None = "open",
        supplier_ids: list[int] | None = None,
        owner: str | None = None,
    ) -> Iterator[CaseSummary]:
        """``iter_states`` for a list of cases: each case as a ``CaseSummary``.

        Five queries however many cases, each in case order, merged as they are read, in one
        snapshot. The deviations come aggregated by SQL: per case the observation dates of those
        of ``counted_kinds`` (all, and the serious ones) and the number still open. ``owner``
        keeps the cases of one owner.
        """
        if supplier_ids is None and owner is None:
            # Most of a register is wanted (all cases, or the open ones): scanning each table
            # whole is cheaper than looking each case up, and the merge skips the rows of cases
            # not wanted. The ``+`` keeps SQLite from reaching the cases through the status
            # index, a lookup per case.
            where, params = ("WHERE +c.status = ?", (status,)) if status is not None else ("", ())
            select = ""
        else:
            where, params = selection(status, supplier_ids, owner)
            select = f"WHERE case_id IN (SELECT c.id FROM cases c {where})"
        try:
            yield from self._summaries(where, params, select, tuple(counted_kinds))
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def _summaries(
        self, where: str, params: tuple[Any, ...], select: str, counted_kinds: tuple[str, ...]
    ) -> Iterator[CaseSummary]:
        """The cases ``where`` selects; the child tables' rows ``select`` keeps (``params``
        are for both when ``select`` is not empty)."""
        conn = self._conn
        child_params = params if select else ()
        counted = f"kind IN ({', '.join('?' * len(counted_kinds)) or 'NULL'})"
        with self._snapshot():
            deviations = conn.execute(
                # group_concat's default separator (DATE_SEPARATOR): a separator argument
                # costs a fifth of this query, the biggest part of the listing.
                f"SELECT case_id, group_concat(CASE WHEN {counted} THEN observed END),"
                f" group_concat(CASE WHEN serious <> 0 AND {counted} THEN observed END),"
                f" sum(state = 'open') FROM deviations {select}"
                " GROUP BY case_id ORDER BY case_id",
                (*counted_kinds, *counted_kinds, *child_params),
            )
            changes = Dealer(
                conn.execute(
                    "SELECT case_id, date, from_level, to_level FROM level_changes"
                    f" {select} ORDER BY case_id, seq",
                    child_params,
                ),
                lambda row: ChangeRow(row[1], row[2], row[3]),
            ).take
            plans = Dealer(
                conn.execute(
                    "SELECT case_id, n, established, due, outcome, followed_up FROM plans"
                    f" {select} ORDER BY case_id, n",
                    child_params,
                ),
                lambda row: PlanRow(row[1], row[2], row[3], row[4], row[5]),
            ).take
            sanctions = Dealer(
                conn.execute(f"SELECT case_id, date FROM sanctions {select} ORDER BY case_id, n",
                             child_params),
                itemgetter(1),
            ).take
            cases = conn.execute(
                f"SELECT {SUMMARY_COLUMNS} FROM cases c {where} ORDER BY c.id", params
            )
            no_deviations = (None, None, 0)
            devs = next(deviations, None)
            new = tuple.__new__
            for row in cases:
                case_id = row[0]
                # Deviations: one aggregated row per case that has any.
                while devs is not None and devs[0] < case_id:
                    devs = next(deviations, None)
                if devs is not None and devs[0] == case_id:
                    aggregates = devs[1:]
                    devs = next(deviations, None)
                else:
                    aggregates = no_deviations
                yield new(
                    CaseSummary,
                    (*row, *aggregates, changes(case_id), plans(case_id), sanctions(case_id)),
                )
