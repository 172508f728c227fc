"""The records cases point at: settings, suppliers and contracts, and the resolved ladders cases
run under (canonical JSON beside its sha256, so running a case needs neither YAML nor pydantic)
with the ladder cache's entries."""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Any

from trappa.dates import now_utc
from trappa.errors import StoreError
from trappa.messages import say
from trappa.store.connection import Connection, sql

_SUPPLIER = "SELECT id, name, org_nr FROM suppliers"
_CONTRACT = (
    "SELECT id, supplier_id, name, criticality, procurement, claim_within_days, last_seq"
    " FROM contracts"
)


def _supplier_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    return {"id": row[0], "name": row[1], "org_nr": row[2]}


def _contract_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    return {
        "id": row[0], "supplier_id": row[1], "name": row[2], "criticality": row[3],
        "procurement": row[4], "claim_within_days": row[5], "last_seq": row[6],
    }


def write_contract_facts(
    conn: sqlite3.Connection, contract_id: int, facts: dict[str, Any], last_seq: int
) -> None:
    """The ``contracts`` row's facts and the number of its last event: after a
    ``contract_changed`` event, and when the projection is rebuilt from the events."""
    conn.execute(
        "UPDATE contracts SET criticality = ?, procurement = ?, claim_within_days = ?,"
        " last_seq = ? WHERE id = ?",
        (facts["criticality"], facts["procurement"], facts["claim_within_days"], last_seq,
         contract_id),
    )


class Records(Connection):
    """Settings, suppliers, contracts and ladders."""

    # --- settings --------------------------------------------------------------------------

    @sql
    def get_setting(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        value: str | None = row[0] if row else None
        return value

    @sql
    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @sql
    def settings(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT key, value FROM settings ORDER BY key"))

    # --- suppliers and contracts -----------------------------------------------------------

    @sql
    def find_supplier(self, *, org_nr: str | None, name: str) -> dict[str, Any] | None:
        """By organisation number when one is given, else by name regardless of case ("ACME AB"
        and "Acme AB" are one supplier, not two parallel cases): the exact spelling first, then
        the oldest.

        With a number that no supplier has, a supplier of that name registered *without* a
        number is the answer (its number is then ``None``: the caller attaches it, see
        ``identify_supplier``), so that reporting a company first by name and later with its
        number keeps one supplier. A supplier of that name with another number is not: one
        query either way."""
        if org_nr:
            row = self._conn.execute(
                _SUPPLIER + " WHERE org_nr = ? OR (name_key = ? AND org_nr IS NULL)"
                " ORDER BY org_nr IS NULL, name = ? DESC, id LIMIT 1",
                (org_nr, name.casefold(), name),
            ).fetchone()
        else:
            row = self._conn.execute(
                _SUPPLIER + " WHERE name_key = ? ORDER BY name = ? DESC, id LIMIT 1",
                (name.casefold(), name),
            ).fetchone()
        return None if row is None else _supplier_dict(row)

    @sql
    def add_supplier(self, name: str, org_nr: str | None) -> int:
        with self.transaction():
            cursor = self._conn.execute(
                "INSERT INTO suppliers (name, name_key, org_nr) VALUES (?, ?, ?)",
                (name, name.casefold(), org_nr or None),
            )
        return _inserted(cursor.lastrowid)

    @sql
    def identify_supplier(self, supplier_id: int, org_nr: str) -> dict[str, Any]:
        """Give a supplier registered without an organisation number its number; the supplier
        after it. Inside the caller's transaction, which records the event that says so."""
        with self.transaction():
            cursor = self._conn.execute(
                "UPDATE suppliers SET org_nr = ? WHERE id = ? AND org_nr IS NULL",
                (org_nr, supplier_id),
            )
        if cursor.rowcount != 1:  # another process gave it a number meanwhile: not expected
            raise StoreError(say("store.supplier_identified", path=self.path, id=supplier_id))
        return self.supplier(supplier_id)

    @sql
    def supplier(self, supplier_id: int) -> dict[str, Any]:
        row = self._conn.execute(_SUPPLIER + " WHERE id = ?", (supplier_id,)).fetchone()
        if row is None:
            raise StoreError(say("store.unknown_supplier", path=self.path, id=supplier_id))
        return _supplier_dict(row)

    @sql
    def suppliers_named(self, text: str) -> list[dict[str, Any]]:
        """Suppliers whose organisation number is ``text`` (with or without its hyphen) or
        whose name equals it regardless of case (also å, ä, ö), by name."""
        text = text.strip()
        org_nr = f"{text[:6]}-{text[6:]}" if len(text) == 10 and text.isdigit() else text
        rows = self._conn.execute(
            _SUPPLIER + " WHERE org_nr = ? OR name_key = ? ORDER BY name, id",
            (org_nr, text.casefold()),
        )
        return [_supplier_dict(row) for row in rows]

    @sql
    def find_contract(self, supplier_id: int, name: str) -> dict[str, Any] | None:
        row = self._conn.execute(
            _CONTRACT + " WHERE supplier_id = ? AND name = ?", (supplier_id, name)
        ).fetchone()
        return None if row is None else _contract_dict(row)

    @sql
    def add_contract(self, supplier_id: int, name: str, criticality: int | None) -> int:
        with self.transaction():
            cursor = self._conn.execute(
                "INSERT INTO contracts (supplier_id, name, criticality) VALUES (?, ?, ?)",
                (supplier_id, name, criticality),
            )
        return _inserted(cursor.lastrowid)

    @sql
    def contract(self, contract_id: int) -> dict[str, Any]:
        row = self._conn.execute(_CONTRACT + " WHERE id = ?", (contract_id,)).fetchone()
        if row is None:
            raise StoreError(say("store.unknown_contract", path=self.path, id=contract_id))
        return _contract_dict(row)

    @sql
    def set_contract_facts(self, contract_id: int, facts: dict[str, Any], last_seq: int) -> None:
        """Write a contract's facts (``trappa.history.contracts.FACTS``) and the number of its
        last event, inside the caller's transaction, which records that event."""
        with self.transaction():
            write_contract_facts(self._conn, contract_id, facts, last_seq)

    @sql
    def contracts_named(self, name: str) -> list[dict[str, Any]]:
        """The contracts of this name (any supplier), by id."""
        rows = self._conn.execute(_CONTRACT + " WHERE name = ? ORDER BY id", (name,))
        return [_contract_dict(row) for row in rows]

    @sql
    def contracts_of(self, supplier_id: int) -> list[dict[str, Any]]:
        rows = self._conn.execute(
            _CONTRACT + " WHERE supplier_id = ? ORDER BY name, id", (supplier_id,)
        )
        return [_contract_dict(row) for row in rows]

    @sql
    def contract_listing(self, criticality: int | None) -> list[dict[str, Any]]:
        """Every contract (of ``criticality`` when given) with its supplier, its open cases and
        their highest level: the business-critical suppliers a region watches. Most critical
        first, then by supplier and name."""
        where = "WHERE k.criticality = ?" if criticality is not None else ""
        rows = self._conn.execute(
            "SELECT k.id, k.name, k.criticality, k.procurement, k.claim_within_days,"
            " s.name, s.org_nr,"
            " (SELECT group_concat(c.id) FROM cases c"
            "   WHERE c.contract_id = k.id AND c.status = 'open'),"
            " (SELECT max(c.level) FROM cases c WHERE c.contract_id = k.id AND c.status = 'open'),"
            " (SELECT count(*) FROM cases c WHERE c.contract_id = k.id)"
            " FROM contracts k JOIN suppliers s ON s.id = k.supplier_id"
            f" {where} ORDER BY k.criticality IS NULL, k.criticality DESC, s.name, k.name, k.id",
            (criticality,) if criticality is not None else (),
        )
        return [
            {
                "contract": row[1], "supplier": {"name": row[5], "org_nr": row[6]},
                "criticality": row[2], "procurement": row[3], "claim_within_days": row[4],
                "open_cases": sorted(row[7].split(",")) if row[7] else [],
                "highest_level": row[8], "cases": row[9],
            }
            for row in rows
        ]

    def name_maps(self) -> tuple[dict[int, str], dict[int | None, str | None]]:
        """Supplier names and contract names by id, as plain dicts: what a list of cases
        prints, without a record per contract (a large register has 100k of them; held by
        the ``status`` and ``review`` figures of ``make bench``). The contract map answers
        ``None`` for a case without a contract."""
        with self._snapshot():
            suppliers: dict[int, str] = dict(self._conn.execute("SELECT id, name FROM suppliers"))
            contracts: dict[int | None, str | None] = dict(
                self._conn.execute("SELECT id, name FROM contracts")
            )
        contracts[None] = None
        return suppliers, contracts

    # --- ladders ---------------------------------------------------------------------------

    @sql
    def put_ladder(self, ref: str, sha256: str, resolved_json: str) -> None:
        """Keep the resolved ladder a case runs under; storing the same one again does nothing.

        The text must hash to ``sha256``: that is what ties a case to its rules for good.
        """
        if hashlib.sha256(resolved_json.encode()).hexdigest() != sha256:
            raise StoreError(say("store.ladder_sha256", ref=ref, sha256=sha256))
        with self.transaction():
            self._conn.execute(
                "INSERT INTO ladders (sha256, ref, resolved, stored_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (sha256) DO NOTHING",
                (sha256, ref, resolved_json, now_utc()),
            )

    @sql
    def ladder_json(self, sha256: str) -> str:
        row = self._conn.execute(
            "SELECT resolved FROM ladders WHERE sha256 = ?", (sha256,)
        ).fetchone()
        if row is None:
            raise StoreError(say("store.unknown_ladder", path=self.path, sha256=sha256))
        resolved: str = row[0]
        return resolved

    @sql
    def cached_ladder(self, key: str) -> tuple[str, str, str] | None:
        """The ladder cache's entry for a reference: (signature, sha256, resolved JSON)."""
        row = self._conn.execute(
            "SELECT c.signature, c.sha256, l.resolved FROM ladder_cache c"
            " JOIN ladders l ON l.sha256 = c.sha256 WHERE c.ref = ?",
            (key,),
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    @sql
    def cache_ladder(
        self, key: str, ref: str, sha256: str, resolved_json: str, signature: str
    ) -> None:
        """Keep the resolved ladder and remember it as what ``key`` resolves to while the
        files behind it match ``signature`` (see ``trappa.cases.ladder_cache``)."""
        with self.transaction():
            self.put_ladder(ref, sha256, resolved_json)
            self._conn.execute(
                "INSERT INTO ladder_cache (ref, sha256, signature, cached_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (ref) DO UPDATE SET sha256 = excluded.sha256,"
                " signature = excluded.signature, cached_at = excluded.cached_at",
                (key, sha256, signature, now_utc()),
            )


def _inserted(rowid: int | None) -> int:
    """The id of the row an ``INSERT`` just made (sqlite3 types ``lastrowid`` as optional)."""
    assert rowid is not None, "an INSERT sets lastrowid"
    return rowid
