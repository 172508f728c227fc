"""The PostgreSQL block of ``make bench``: ``report``, ``status --all --json`` and ``verify`` on
the same register copied onto a throwaway local server (``tests/pg.py`` starts it from the
machine's initdb/pg_ctl), each beside its SQLite figure as a ratio.

The server runs on this machine over a unix socket, with ``fsync`` off like the tests' server:
the figures compare the engines' query paths, not a network or a disk's flush.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import pg  # noqa: E402  (the tests' throwaway server)


def run_block(big: Path, report: list[str], trappa: list[str], rounds: int,
              env: dict[str, str], make_bench: Callable[..., Any],
              sqlite: dict[str, Any]) -> bool:
    """Time the three commands on PostgreSQL and print them beside SQLite's; False when a
    command failed. No server (no binaries): say so and return True."""
    server = pg.start()
    if isinstance(server, str):
        print(f"\nPostgreSQL block skipped: {server}")
        return True
    try:
        url = server.url(server.fresh_database(pg.ADMIN), pg.ADMIN)
        print("copying the register onto PostgreSQL ...", file=sys.stderr, flush=True)
        subprocess.run([*trappa, "db", "copy", str(big), url], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        pg_env = {**env, "TRAPPA_USER": pg.ADMIN}  # the actor there is the database user
        db_at = report.index("--db") + 1
        benches = [
            make_bench("report", [*report[:db_at], url, *report[db_at + 1:]]),
            make_bench("status --all --json", [*trappa, "status", "--all", "--json", "--db", url]),
            make_bench("verify", [*trappa, "verify", "--db", url]),
        ]
        for round_ in range(rounds):
            print(f"PostgreSQL round {round_ + 1}/{rounds}", file=sys.stderr, flush=True)
            for bench in benches:
                bench.run(pg_env)
    finally:
        server.stop()
    print("\n--- PostgreSQL (the same register, a local server) "
          "-------------------------------------")
    print(f"{'benchmark':28} {'median':>8} {'min':>8} {'max':>8}  {'SQLite':>8}  ratio")
    for bench in benches:
        base = sqlite[bench.name].median
        print(f"{bench.name:28} {bench.median:8.3f} {min(bench.times):8.3f}"
              f" {max(bench.times):8.3f}  {base:8.3f}  {bench.median / base:5.2f}x SQLite")
    for bench in benches:
        for failure in bench.failures[:1]:
            print(f"PostgreSQL {bench.name} failed: {failure}", file=sys.stderr)
    return not any(bench.failures for bench in benches)
