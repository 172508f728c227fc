"""The key figures of a past day: a case's level and whether it was open then come from its
history (moves, closures, reopenings), and the monthly charts' walk back through that history
gives what ``figures`` counts on each month's last day."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_trappa
from trappa.store.database import Store
from trappa.store.figures import period_figures
from trappa.store.monthly import open_by_level_at

HISTORY: list[tuple[str, tuple[str, ...]]] = [
    ("2026-01-10", ("report", "--supplier", "A AB", "--description", "a")),
    ("2026-01-20", ("report", "--supplier", "B AB", "--description", "b")),
    ("2026-02-03", ("escalate", "2026-0001", "--to", "2", "--reason", "r")),
    ("2026-02-20", ("close", "2026-0002", "--reason", "klart")),
    ("2026-03-05", ("reopen", "2026-0002", "--reason", "igen")),
    ("2026-03-06", ("escalate", "2026-0002", "--reason", "r")),
    ("2026-03-06", ("deescalate", "2026-0002", "--reason", "åter")),
    ("2026-03-06", ("escalate", "2026-0002", "--to", "3", "--reason", "r")),
    ("2026-04-11", ("report", "--supplier", "C AB", "--description", "c")),
    ("2026-04-30", ("close", "2026-0001", "--reason", "klart")),
    ("2026-05-02", ("deescalate", "2026-0002", "--to", "1", "--reason", "bättre")),
    ("2026-05-31", ("close", "2026-0002", "--reason", "klart")),
    ("2026-06-15", ("reopen", "2026-0002", "--reason", "igen")),
]
MONTH_ENDS = ["2025-12-31", "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30",
              "2026-05-31", "2026-06-30"]


@pytest.fixture
def register(db_path: Path) -> Path:
    for day, args in HISTORY:
        done = run_trappa(*args, "--db", str(db_path), env={"TRAPPA_TODAY": day})
        assert done.returncode == 0, (args, done.stderr)
    return db_path


def test_the_state_of_each_month_end(register: Path) -> None:
    expected = {
        "2025-12-31": {},
        "2026-01-31": {0: 2},
        "2026-02-28": {2: 1},  # case 2 closed on 20 February
        "2026-03-31": {2: 1, 3: 1},  # reopened, and three moves on one day end at step 3
        "2026-04-30": {0: 1, 3: 1},  # case 1 closed on the last day
        "2026-05-31": {0: 1},
        "2026-06-30": {0: 1, 1: 1},
    }
    with Store.open(register, read_only=True) as store:
        for day, counts in expected.items():
            current, _ = period_figures(store, day[:8] + "01", day, "2025-01-01", "2025-01-31")
            found = {int(k): v for k, v in current["open_cases_by_level"].items() if v}
            assert found == counts, day
        assert open_by_level_at(store, MONTH_ENDS) == expected
