"""The events' key to their case is checked by SQLite at commit: saving a new case's row, and
deleting one, look for the case's events. Those looks must go through an index, not over every
event, or opening a case costs in proportion to the register and replaying the projection grows
with cases times events. Counted in SQLite's own steps (its progress handler), which do not
depend on the machine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from store_story import opening, save, seed, story
from trappa.history.projection import fold
from trappa.store.database import Store


def _register(path: Path, cases: int) -> Store:
    store = Store.open(path)
    parties = seed(store)
    for k in range(1, cases + 1):
        save(store, story(f"2025-{k:04d}", parties, external_id=f"AVV-{k}"))
    return store


def _steps(store: Store, work: Callable[[], object]) -> int:
    counted = [0]

    def count() -> int:
        counted[0] += 1
        return 0  # go on

    store._conn.set_progress_handler(count, 10)
    try:
        work()
    finally:
        store._conn.set_progress_handler(None, 10)
    return counted[0]


def _open_case(store: Store) -> None:
    parties = seed(store, name="Ny leverantör AB", org_nr=None)
    first = opening("2026-0001", parties)
    save(store, [first])


def test_opening_a_case_costs_the_same_in_a_small_and_a_large_register(tmp_path: Path) -> None:
    small = _register(tmp_path / "small.db", 2)
    large = _register(tmp_path / "large.db", 40)
    try:
        assert _steps(large, lambda: _open_case(large)) < 1.5 * _steps(
            small, lambda: _open_case(small)
        )
    finally:
        small.close()
        large.close()


def test_replaying_the_projection_grows_with_the_register_not_its_square(tmp_path: Path) -> None:
    stores = [_register(tmp_path / f"{n}.db", n) for n in (10, 40)]
    try:
        ten, forty = (_steps(store, store.rebuild_projection) for store in stores)
        assert forty < 6 * ten  # four times the cases and events: linear, with room
        for store in stores:  # and what it rebuilt is what the events fold to
            assert store.case_state("2025-0007") == fold(store.events("2025-0007"))
    finally:
        for store in stores:
            store.close()
