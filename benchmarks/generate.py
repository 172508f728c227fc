"""A deterministic trappa register for benchmarks: suppliers, contracts, cases at every level,
deviations and the other events over several years, hash-chained as trappa writes them.

Sizes: ``small`` (1,000 cases), ``medium`` (10,000), ``large`` (100,000 cases, ~1M events). The
records are written directly with ``executemany`` and the events through the store's own writer
(``Store.append_rows``, in the format trappa writes: a million events through the CLI would take
hours), with trappa's own projection, so that ``trappa verify`` checks it for real. Built
databases are kept in ``benchmarks/.cache/`` keyed by size and ``VERSION``; bump ``VERSION``
whenever what is generated changes.

Also writes the import file: ``import_csv(rows)`` gives 100,000 deviations over a few thousand
suppliers and contracts, as a register exported from a spreadsheet would hold them.

    python benchmarks/generate.py large       # build (or find) and print the path
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from pathlib import Path

from trappa.history.projection import Event, fold
from trappa.identifiers import luhn_check_digit
from trappa.ladder.view import canonical_json
from trappa.store.database import Store

VERSION = 3  # 2: events in format 2 (docs/evidence.md); 3: facts kept with each case
CACHE = Path(__file__).resolve().parent / ".cache"
SIZES = {"small": 1_000, "medium": 10_000, "large": 100_000}
SHOW_EVENTS = 200  # case 2022-0001 gets this many events: `trappa show` of a long history
ACTOR = "bench"
RECORDED = "2026-09-30T12:00:00+00:00"
START = dt.date(2022, 1, 1)
TODAY = dt.date(2026, 10, 1)  # benchmarks run with TRAPPA_TODAY set to this
CATEGORIES = ("leverans", "kvalitet", "avtal", "miljö", "arbetsrätt")
SOURCES = ("stickprov", "verksamhet", "visselblåsning", None)


def org_nr(i: int) -> str:
    digits = f"{556000000 + i:09d}"
    return f"{digits[:6]}-{digits[6:]}{luhn_check_digit(digits)}"


def database(size: str) -> Path:
    """The cached database of ``size``, built first when missing."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{size}-v{VERSION}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        for leftover in CACHE.glob(partial.name + "*"):
            leftover.unlink()
        build(partial, SIZES[size])
        partial.rename(path)
    return path


def build(path: Path, cases: int, seed: int = 5) -> None:
    from trappa.ladder.loading import load_ladder

    rng = random.Random(seed)
    ladder = load_ladder("regionerna").view()
    store = Store.open(path)
    conn = store._conn  # the benchmark writes in bulk, as no command does
    suppliers = max(cases // 5, 1)
    with store.transaction():
        conn.executemany(
            "INSERT INTO suppliers (id, name, name_key, org_nr) VALUES (?, ?, ?, ?)",
            [(i, f"Leverantör {i} AB", f"leverantör {i} ab", org_nr(i))
             for i in range(1, suppliers + 1)],
        )
        conn.executemany(
            "INSERT INTO contracts (id, supplier_id, name, criticality) VALUES (?, ?, ?, ?)",
            [(i, (i - 1) % suppliers + 1, f"Avtal {i}", i % 4 + 1) for i in range(1, cases + 1)],
        )
        store.put_ladder(ladder.ref, ladder.sha256, ladder.to_json())
        rows = []
        states = []
        span = (TODAY - START).days - 120
        numbers: dict[int, int] = {}
        for i in range(1, cases + 1):
            opened = START + dt.timedelta(days=(i * 7919) % span)
            numbers[opened.year] = numbers.get(opened.year, 0) + 1
            case_id = f"{opened.year:04d}-{numbers[opened.year]:04d}"
            events = _case_events(rng, case_id, i, suppliers, opened, ladder,
                                  SHOW_EVENTS if i == 1 else None)
            states.append(fold(events))
            # Chained and stored by trappa's own writer, in the format it writes.
            rows.extend((e.case_id, e.seq, e.type, e.date, e.recorded_at, e.actor,
                         canonical_json(e.data)) for e in events)
            if len(rows) > 50_000:
                store.append_rows(rows)
                rows = []
        store.append_rows(rows)
        store.save_states(states)
    store.close()


def _case_events(rng, case_id, i, suppliers, opened, ladder, length) -> list[Event]:
    """One case's history: deviations, moves up to its level, activities, plans, sanctions."""
    supplier = (i - 1) % suppliers + 1
    events: list[Event] = []
    day = opened
    level = 0
    n = plans = sanctions = 0
    target = i % 6
    budget = length or rng.randint(6, 14)

    def add(kind: str, data: dict) -> None:
        events.append(Event(case_id, len(events) + 1, kind, day.isoformat(), RECORDED, ACTOR,
                            data))

    def deviation() -> dict:
        nonlocal n
        n += 1
        return {
            "n": n, "kind": rng.choice(("deviation", "deviation", "incident", "risk")),
            "serious": rng.random() < 0.15, "observed": day.isoformat(),
            "category": rng.choice(CATEGORIES), "description": f"Avvikelse {n} i ärende {i}",
            "source": rng.choice(SOURCES), "reporter": None, "external_id": None,
        }

    add("reported", {
        "opened": {
            "supplier": {"id": supplier, "name": f"Leverantör {supplier} AB",
                         "org_nr": org_nr(supplier)},
            "contract": {"id": i, "name": f"Avtal {i}", "criticality": i % 4 + 1},
            "ladder": ladder.ref, "ladder_sha256": ladder.sha256, "reference": None,
        },
        "deviation": deviation(),
    })
    while len(events) < budget:
        day = min(day + dt.timedelta(days=rng.randint(1, 40)), TODAY)
        roll = rng.random()
        if level < target and roll < 0.3:
            add("escalated", {"from": level, "to": level + 1, "reason": "Bedömning",
                              "rules": []})
            level += 1
        elif roll < 0.4:
            activities = ladder.step(level).get("activities") or []
            if activities:
                add("activity_done", {"activity": rng.choice(activities), "level": level,
                                      "note": None})
        elif roll < 0.45 and level >= 2:
            plans += 1
            due = day + dt.timedelta(days=60)
            add("plan_established", {"n": plans, "due": due.isoformat(),
                                     "items": ["Åtgärda bristerna"], "owner": None})
        elif roll < 0.5 and plans and level >= 2:
            add("plan_followed_up", {"n": plans, "outcome": rng.choice(
                ("followed", "not_followed", "no_effect")), "note": None})
        elif roll < 0.53 and level >= 3:
            sanctions += 1
            add("sanction", {"n": sanctions, "kind": "vite", "amount": 10000,
                             "reason": "Avtalsbrott"})
        else:
            add("reported", {"deviation": deviation()})
    if i % 20 == 0:
        add("closed", {"reason": "Avslutat"})
    return events


def import_csv(path: Path, rows: int = 100_000, seed: int = 7) -> Path:
    """A Swedish-Excel style register (``;``, Swedish headers) of ``rows`` deviations."""
    if path.exists():
        return path
    rng = random.Random(seed)
    parties = max(rows // 50, 1)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["leverantör", "organisationsnummer", "avtal", "kritikalitet",
                         "beskrivning", "typ", "allvarlig", "observerad", "kategori", "källa",
                         "externt_id"])
        for r in range(1, rows + 1):
            p = rng.randint(1, parties)
            supplier = (p - 1) % max(parties // 3, 1) + 1
            observed = START + dt.timedelta(days=rng.randint(0, (TODAY - START).days))
            writer.writerow([
                f"Importerad {supplier} AB", org_nr(500_000 + supplier), f"Avtal I{p}",
                p % 4 + 1, f"Avvikelse {r}", rng.choice(("avvikelse", "incident", "risk")),
                "ja" if rng.random() < 0.1 else "nej", observed.isoformat(),
                rng.choice(CATEGORIES), rng.choice(("stickprov", "verksamhet")), f"REG-{r}",
            ])
    partial.rename(path)
    return path


if __name__ == "__main__":
    print(database(sys.argv[1] if len(sys.argv) > 1 else "small"))
