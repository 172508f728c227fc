"""The records cases point at: settings, suppliers, contracts and ladders."""

from __future__ import annotations

from pathlib import Path

import pytest

from store_story import (
    LADDER_JSON,
    LADDER_REF,
    LADDER_SHA256,
)
from trappa.errors import StoreError
from trappa.store.database import Store

BOTH_ENGINES = True  # the store tests run on SQLite and PostgreSQL (tests/conftest.py)


def test_settings_are_kept_and_replaced(store: Store) -> None:
    assert store.get_setting("org.name") is None
    store.set_setting("org.name", "Region Kalmar län")
    store.set_setting("default.ladder", "kalmar")
    store.set_setting("org.name", "Region Kalmar län, Hälsoval")
    assert store.get_setting("org.name") == "Region Kalmar län, Hälsoval"
    assert store.settings() == {
        "default.ladder": "kalmar", "org.name": "Region Kalmar län, Hälsoval"
    }


def test_suppliers_are_found_by_org_nr_else_by_name_regardless_of_case(store: Store) -> None:
    acme = store.add_supplier("Acme Bemanning AB", "556677-8899")
    other = store.add_supplier("Acme Bemanning AB", None)
    shouting = store.add_supplier("ÅKERI NORR AB", None)
    quiet = store.add_supplier("Åkeri Norr AB", None)
    assert store.find_supplier(org_nr="556677-8899", name="whatever") == {
        "id": acme, "name": "Acme Bemanning AB", "org_nr": "556677-8899"
    }
    assert store.find_supplier(org_nr=None, name="Acme Bemanning AB")["id"] == acme  # oldest
    assert store.find_supplier(org_nr=None, name="acme bemanning ab")["id"] == acme
    # The exact spelling wins over an older one that differs in case.
    assert store.find_supplier(org_nr=None, name="Åkeri Norr AB")["id"] == quiet
    assert store.find_supplier(org_nr=None, name="åkeri norr ab")["id"] == shouting
    assert store.find_supplier(org_nr=None, name="Åkeri Syd AB") is None
    # A number no supplier has: the supplier of that name registered without a number, which
    # the report then gives the number; never one registered with another number.
    assert store.find_supplier(org_nr="212000-0142", name="acme bemanning ab") == {
        "id": other, "name": "Acme Bemanning AB", "org_nr": None
    }
    assert store.find_supplier(org_nr="212000-0142", name="Åkeri Syd AB") is None
    assert store.supplier(other) == {"id": other, "name": "Acme Bemanning AB", "org_nr": None}


def test_suppliers_named_matches_org_nr_or_name_regardless_of_case(store: Store) -> None:
    akeri = store.add_supplier("Östra Åkeriet AB", "556677-8899")
    store.add_supplier("Västra Åkeriet AB", None)
    assert [s["id"] for s in store.suppliers_named("ÖSTRA åkeriet ab")] == [akeri]
    assert [s["id"] for s in store.suppliers_named("556677-8899")] == [akeri]
    assert [s["id"] for s in store.suppliers_named(" 5566778899 ")] == [akeri]
    assert store.suppliers_named("Åkeriet") == []


def test_an_org_nr_belongs_to_one_supplier(store: Store, db_path: Path) -> None:
    store.add_supplier("Acme AB", "556677-8899")
    with pytest.raises(StoreError) as raised:
        store.add_supplier("Acme Sverige AB", "556677-8899")
    assert raised.value.message == (
        f"{db_path}: database error: UNIQUE constraint failed: suppliers.org_nr"
    )


def test_contracts_belong_to_a_supplier_and_have_a_criticality_of_1_to_4(
    store: Store, db_path: Path
) -> None:
    supplier = store.add_supplier("Acme AB", None)
    contract = store.add_contract(supplier, "Bemanning 2025", 4)
    unclassified = store.add_contract(supplier, "Tolktjänster", None)
    assert store.find_contract(supplier, "Bemanning 2025") == {
        "id": contract, "supplier_id": supplier, "name": "Bemanning 2025", "criticality": 4,
        "procurement": None, "claim_within_days": None, "last_seq": 0,
    }
    assert store.contract(unclassified)["criticality"] is None
    assert store.find_contract(supplier, "bemanning 2025") is None
    with pytest.raises(StoreError) as raised:
        store.add_contract(supplier, "Städ", 5)
    assert raised.value.message == (
        f"{db_path}: database error: CHECK constraint failed: criticality BETWEEN 1 AND 4"
    )
    with pytest.raises(StoreError) as raised:
        store.add_contract(999, "Städ", 1)
    assert raised.value.message == f"{db_path}: database error: FOREIGN KEY constraint failed"


def test_unknown_ids_are_store_errors(store: Store, db_path: Path) -> None:
    with pytest.raises(StoreError, match="no supplier with id 7$"):
        store.supplier(7)
    with pytest.raises(StoreError, match="no contract with id 8$"):
        store.contract(8)
    with pytest.raises(StoreError) as raised:
        store.ladder_json("f" * 64)
    assert raised.value.message == (
        f"{db_path}: the ladder {'f' * 64} a case runs under is not in the database"
    )


def test_a_ladder_is_stored_once_and_must_match_its_sha256(store: Store) -> None:
    store.put_ladder(LADDER_REF, LADDER_SHA256, LADDER_JSON)
    store.put_ladder(LADDER_REF, LADDER_SHA256, LADDER_JSON)
    assert store.ladder_json(LADDER_SHA256) == LADDER_JSON
    with pytest.raises(StoreError) as raised:
        store.put_ladder(LADDER_REF, "0" * 64, LADDER_JSON)
    assert raised.value.message == (
        f"the resolved ladder {LADDER_REF} does not match its sha256 {'0' * 64}"
    )
