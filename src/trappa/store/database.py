"""The database: ``Store``, one open trappa register, composed of one part per concern.

What is stored: suppliers and contracts; the resolved ladders cases run under; the append-only,
hash-chained events; and the cases' current state, a projection of the events written in the
same transaction as them and rebuildable from them. Each part is a class of its own module, all
on one ``Connection`` (opening, errors, transactions):

* ``trappa.store.records``: settings, suppliers, contracts and ladders;
* ``trappa.store.events``: appending to the chain, reading events back;
* ``trappa.store.projection``: saving, finding and reading cases' states, rebuilding them;
* ``trappa.store.summaries``: the light read path of ``status`` and ``review``;
* ``trappa.store.letters``: the bytes of sent letters, content-addressed;
* ``trappa.store.head``: the register's id and the head of its chain, for checkpoints;
* ``trappa.store.checks``: what ``verify`` reads (``trappa.store.verification`` judges it),
  imported only by ``verify``;
* ``trappa.store.figures``, ``trappa.store.monthly``, ``trappa.store.exports`` and
  ``trappa.store.ocds``: what ``figures``, ``monthly`` and ``export`` read, as functions of a
  store, each imported only by its command.

The store is the only package that speaks SQL; everything outside it opens a ``Store``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trappa.store.connection import BUSY_TIMEOUT, DB_FILENAME, default_db_path, resolve_db_path
from trappa.store.head import Head
from trappa.store.letters import Letters
from trappa.store.projection import Projection
from trappa.store.records import Records
from trappa.store.summaries import Summaries

if TYPE_CHECKING:
    from trappa.store.verification import VerifyReport

__all__ = ["BUSY_TIMEOUT", "DB_FILENAME", "Store", "default_db_path", "resolve_db_path"]


class Store(Records, Projection, Summaries, Letters, Head):
    """One open trappa database. Open with ``Store.open``; close with ``close`` (or ``with``)."""

    def verify(self) -> VerifyReport:
        """Check the whole register (``trappa.store.checks``, which no other command loads)."""
        from trappa.store.checks import verify

        return verify(self)
