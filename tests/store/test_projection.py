"""Cases' states: saved with their events, read back equal to the fold of them, found by
number, party and external id, streamed, and rebuilt from the events."""

from __future__ import annotations

from pathlib import Path

import pytest

from store_story import (
    dump,
    opening,
    save,
    seed,
    story,
)
from trappa.errors import StoreError
from trappa.history.projection import fold
from trappa.store.database import Store

BOTH_ENGINES = True  # the store tests run on SQLite and PostgreSQL (tests/conftest.py)


def test_case_ids_run_per_year_past_9999(store: Store) -> None:
    parties = seed(store)
    assert store.next_case_id(2026) == "2026-0001"
    save(store, [opening("2026-0001", parties)])
    save(store, [opening("2025-0041", parties)])
    assert store.next_case_id(2026) == "2026-0002"
    assert store.next_case_id(2025) == "2025-0042"
    assert store.next_case_id(2027) == "2027-0001"
    save(store, [opening("2026-9999", parties)])
    assert store.next_case_id(2026) == "2026-10000"
    save(store, [opening("2026-10000", parties)])
    assert store.next_case_id(2026) == "2026-10001"


def test_the_state_read_back_equals_the_fold_of_its_events(store: Store) -> None:
    parties = seed(store)
    events = story("2026-0001", parties)
    for end in range(1, len(events) + 1):  # every stage of the case, each saved over the last
        with store.transaction():
            store.append(events[end - 1 : end])
            store.save_state(fold(events[:end]))
        assert store.case_state("2026-0001") == fold(events[:end])
    state = store.case_state("2026-0001")
    assert state is not None
    # Every part of the state is really there, not trivially empty on both sides.
    assert [len(getattr(state, f)) for f in (
        "deviations", "plans", "sanctions", "level_changes", "activities_done", "letters_sent",
        "risks",
    )] == [2, 1, 1, 2, 3, 1, 1]
    assert state.deviations[1].serious is True and state.plans[0].items == (
        "Bemanna alla pass", "Redovisa pension"
    )
    assert store.events("2026-0001") == events
    assert fold(store.events("2026-0001")) == state
    assert store.case_state("2026-0002") is None


def test_rebuilding_the_projection_gives_the_same_states(store: Store, db_path: Path) -> None:
    parties = seed(store)
    save(store, story("2026-0001", parties))
    save(store, [opening("2026-0002", parties, external_id="AVV-9")])
    before = dump(db_path)
    assert store.rebuild_projection() == 2
    assert dump(db_path) == before


def test_open_case_for_matches_supplier_contract_and_status(store: Store) -> None:
    parties = seed(store)
    without_contract = fold([opening("2026-0002", parties)])
    without_contract = without_contract._replace(contract_id=None)
    save(store, [opening("2026-0001", parties)])
    with store.transaction():
        store.append([opening("2026-0002", parties)])
        store.save_state(without_contract)
    assert store.open_case_for(parties.supplier_id, parties.contract_id) == "2026-0001"
    assert store.open_case_for(parties.supplier_id, None) == "2026-0002"
    assert store.open_case_for(parties.supplier_id + 1, None) is None
    closed = store.case_state("2026-0001")._replace(status="closed")
    store.save_state(closed)
    assert store.open_case_for(parties.supplier_id, parties.contract_id) is None


def test_a_deviation_is_found_by_its_external_id_and_the_id_is_unique(
    store: Store, db_path: Path
) -> None:
    parties = seed(store)
    save(store, story("2026-0001", parties))
    assert store.known_external_ids(["AVV-2026-17", "AVV-2026-18"]) == {"AVV-2026-17"}
    with pytest.raises(StoreError) as raised:
        save(store, [opening("2026-0002", parties, external_id="AVV-2026-17")])
    assert raised.value.message == (
        f"{db_path}: database error: UNIQUE constraint failed: deviations.external_id"
    )
    assert store.case_state("2026-0002") is None and store.events("2026-0002") == []


def test_iter_states_streams_cases_in_id_order_by_status_and_supplier(store: Store) -> None:
    parties = seed(store)
    other = seed(store, name="Städbolaget AB", org_nr=None)
    save(store, story("2026-0003", parties))  # reopened: open
    save(store, [opening("2026-0001", other)])
    closed = story("2026-0002", parties, external_id="AVV-2026-18")[:14]  # ends with "closed"
    save(store, closed)
    assert [s.id for s in store.iter_states()] == ["2026-0001", "2026-0003"]
    assert [s.id for s in store.iter_states(status=None)] == [
        "2026-0001", "2026-0002", "2026-0003"
    ]
    assert [s.id for s in store.iter_states(status="closed")] == ["2026-0002"]
    assert [s.id for s in store.iter_states(supplier_ids=[parties.supplier_id])] == ["2026-0003"]
    assert list(store.iter_states(supplier_ids=[])) == []
    states = {s.id: s for s in store.iter_states(status=None)}
    assert states["2026-0002"] == fold(closed)
    assert states["2026-0003"] == store.case_state("2026-0003")
