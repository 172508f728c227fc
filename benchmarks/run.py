"""Time whole trappa processes against baselines measured in the same run, and check the
targets of issues 5 and 13.

Each benchmark is a process started afresh (what a user or a script pays); the benchmarks run
round-robin, one of each per round, so that a noisy machine slows all of them alike. For each:
median, min and max wall time, peak memory (the child's ``ru_maxrss``), and the ratio of its
median to its baseline's median. See benchmarks/README.md.

    python benchmarks/run.py            # large register: 100k cases, 1M events (built once)
    python benchmarks/run.py --quick    # small register, fewer rounds: a smoke test
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
_script = Path(PYTHON).with_name("trappa")
TRAPPA = [str(_script)] if _script.exists() else [PYTHON, "-m", "trappa"]
_sqlite_utils = Path(PYTHON).with_name("sqlite-utils")
SIZES = {"small": 1_000, "medium": 10_000, "large": 100_000}  # as generate.SIZES
TODAY = "2026-10-01"  # generate.TODAY: the register's dates are relative to it
ORG_NR_2 = "556000-0027"  # generate.org_nr(2): supplier 2, whose contract 2 has an open case
KALMAR = HERE.parent / "ladders" / "kalmar" / "2024.yaml"
CACHE = HERE / ".cache"  # as generate.CACHE
CLAIM_DAYS = "90"  # sanction.claim_within_days of the timed registers

FLOOR = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode = WAL")
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO t (x) VALUES (1)")
c.execute("COMMIT")
"""

# A migrated trappa database without cases whose ladder cache knows the default ladder, as a
# register in use has it.
EMPTY_REGISTER = """
import sys
from pathlib import Path
from trappa.cases import ladder_cache
from trappa.store.database import Store
with Store.open(Path(sys.argv[1])) as store, store.transaction():
    ladder_cache.resolve(store, "regionerna")
"""

EXECUTEMANY = """
import csv, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode = WAL")
with open(sys.argv[2], encoding="utf-8-sig", newline="") as f:
    rows = csv.reader(f, delimiter=";")
    header = next(rows)
    c.execute("BEGIN IMMEDIATE")
    c.executemany(f"INSERT INTO rows VALUES ({', '.join('?' * len(header))})", rows)
    c.execute("COMMIT")
"""


@dataclass
class Bench:
    name: str
    argv: list[str]
    setup: Callable[[], None] | None = None  # untimed, before each run
    exit_code: int = 0  # what the command must exit with (a refusal exits 2)
    times: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)  # KiB
    failures: list[str] = field(default_factory=list)

    def run(self, env: dict[str, str]) -> None:
        if self.setup is not None:
            self.setup()
        start = time.perf_counter()
        proc = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        proc.stderr.close() if proc.stderr else None
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != self.exit_code:
            self.failures.append(f"exit {proc.returncode}: {err.strip()[:300]}")
        self.times.append(elapsed)
        self.rss.append(usage.ru_maxrss)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small register, 3 rounds")
    parser.add_argument("--size", choices=sorted(SIZES), help="register size")
    parser.add_argument("--rounds", type=int, help="rounds (default 7; 3 with --quick)")
    parser.add_argument("--import-rows", type=int, help="rows in the import file")
    parser.add_argument("--no-postgres", action="store_true",
                        help="skip the PostgreSQL block (report, status, verify on a server)")
    parser.add_argument("--no-profile", action="store_true",
                        help="skip the profile of where each whole-register command spends time")
    args = parser.parse_args()
    size = args.size or ("small" if args.quick else "large")
    cases = SIZES[size]
    # The scaling row: the whole-register commands also at a tenth of the size.
    scale = {"large": "medium", "medium": "small"}.get(size)
    rounds = args.rounds or (3 if args.quick else 7)
    import_rows = args.import_rows or (10_000 if args.quick else 100_000)

    print(f"building or finding the {size} register ...", file=sys.stderr, flush=True)
    # The generator runs in its own process: this one stays small, because a child's peak
    # memory (ru_maxrss) counts the copy of its parent it starts as.
    source, csv_file = _prepare(size, import_rows)
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "trappa-bench"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    big = work / "register.db"
    shutil.copy(source, big)
    show_case = _longest_case(big)
    tenth = work / "tenth.db"
    if scale is not None:
        shutil.copy(_prepare(scale, import_rows)[0], tenth)

    env = {**os.environ, "TRAPPA_TODAY": TODAY, "TRAPPA_USER": "bench",
           "NO_COLOR": "1"}
    env.pop("TRAPPA_LADDERS", None)
    env.pop("TRAPPA_DB", None)
    # The cache of checked base ladders in the work folder, warmed once below, untimed, as a
    # region's machine has it after its first validate: `validate kalmar` parses Kalmar's file,
    # not the national ladder it extends.
    env["TRAPPA_CACHE_DIR"] = str(work / "cache")
    # An installed trappa runs from bytecode compiled at install time; with
    # PYTHONDONTWRITEBYTECODE set (as some shells and CI have) every run would recompile every
    # module and the benchmark would time the compiler. Compile once, untimed, and allow caching.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(HERE.parent / "src"),
                    sysconfig.get_path("purelib")], env=env, check=False,
                   stdout=subprocess.DEVNULL)

    # A region that follows up its sanctions sets a claim window (issue 11), and every listing
    # then judges each open case's claims: set on the copies, untimed. Being a write, it also
    # brings a register cached by an older trappa to this one's schema.
    for db in (big, tenth) if scale is not None else (big,):
        subprocess.run([*TRAPPA, "config", "set", "sanction.claim_within_days", CLAIM_DAYS,
                        "--db", str(db)], env=env, check=True, stdout=subprocess.DEVNULL)

    floor_db = work / "floor.db"
    empty_template = work / "empty.db"
    subprocess.run([PYTHON, "-c", EMPTY_REGISTER, str(empty_template)], env=env, check=True)
    subprocess.run([*TRAPPA, "validate", str(KALMAR)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    raw_db, utils_db, import_db = work / "raw.db", work / "utils.db", work / "import.db"

    def fresh_floor() -> None:
        _remove(floor_db)
        conn = sqlite3.connect(floor_db)
        conn.execute("CREATE TABLE t (x INTEGER)")
        conn.close()

    def fresh_raw() -> None:
        _remove(raw_db)
        conn = sqlite3.connect(raw_db)
        conn.execute("CREATE TABLE rows (" + ", ".join(f"c{i}" for i in range(11)) + ")")
        conn.close()

    def fresh_import() -> None:
        _remove(import_db)
        shutil.copy(empty_template, import_db)

    # A report that joins an open case of the large register, as most reports do.
    report = [*TRAPPA, "report", "--db", str(big), "--supplier", "Leverantör 2 AB",
              "--org-nr", ORG_NR_2, "--contract", "Avtal 2", "--description", "Sen",
              "--json"]
    benches = [
        Bench("floor", [PYTHON, "-c", FLOOR, str(floor_db)], fresh_floor),
        Bench("report", report),
        Bench("--help", [*TRAPPA, "--help"]),
        Bench("status --all --json", [*TRAPPA, "status", "--all", "--json", "--db", str(big)]),
        Bench("review --json", [*TRAPPA, "review", "--json", "--db", str(big)]),
        Bench("show", [*TRAPPA, "show", show_case, "--json", "--db", str(big)]),
        Bench("validate kalmar", [*TRAPPA, "validate", str(KALMAR)]),
        Bench("validate billion laughs", [*TRAPPA, "validate", str(_billion_laughs())],
              exit_code=2),
        Bench("executemany", [PYTHON, "-c", EXECUTEMANY, str(raw_db), str(csv_file)], fresh_raw),
        Bench("import", [*TRAPPA, "import", str(csv_file), "--db", str(import_db), "--quiet"],
              fresh_import),
        Bench("verify", [*TRAPPA, "verify", "--db", str(big)]),
    ]
    benches += _figure_benches(big)
    if _sqlite_utils.exists():
        after_executemany = [b.name for b in benches].index("executemany") + 1
        benches.insert(after_executemany, Bench(
            "sqlite-utils insert --csv",
            [str(_sqlite_utils), "insert", str(utils_db), "rows", str(csv_file), "--csv",
             "--delimiter", ";"],
            lambda: _remove(utils_db),
        ))
    if scale is not None:
        for name in WHOLE_REGISTER:
            bench = next(b for b in benches if b.name == name)
            benches.append(Bench(f"{name} @{SIZES[scale]:,}",
                                 [str(tenth) if arg == str(big) else arg for arg in bench.argv]))
    for round_ in range(rounds):
        print(f"round {round_ + 1}/{rounds}", file=sys.stderr, flush=True)
        for bench in benches:
            bench.run(env)
    by_name = {b.name: b for b in benches}
    _print_table(benches, by_name)
    _print_targets(by_name, cases, import_rows)
    if scale is not None:
        _print_scaling(by_name, SIZES[scale], cases)
    if not args.no_profile:
        _print_profiles(by_name, env, fresh_import)
    failed = [b for b in benches if b.failures]
    for bench in failed:
        print(f"{bench.name} failed: {bench.failures[0]}", file=sys.stderr)

    # --- PostgreSQL: the same register on a server, beside SQLite (benchmarks/postgres.py) ---
    pg_ok = True
    if not args.no_postgres:
        from postgres import run_block

        pg_ok = run_block(big, report, TRAPPA, rounds, env, Bench, by_name)
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failed or not pg_ok else 0


# The commands that read or write the whole register: profiled, and timed at two sizes.
WHOLE_REGISTER = ("status --all --json", "review --json", "verify")


def _print_scaling(by_name: dict[str, Bench], small: int, large: int) -> None:
    """The same command at a tenth of the register and at all of it: linear growth shows as a
    time ratio near the size ratio, with the fixed start-up cost making it a little less."""
    print(f"\n{'scaling':28} {f'{small:,} cases':>12} {f'{large:,} cases':>14}  ratio"
          f" (sizes {large / small:.0f}x)")
    for name in WHOLE_REGISTER:
        low, high = by_name[f"{name} @{small:,}"].median, by_name[name].median
        print(f"{name:28} {low:11.3f}s {high:13.3f}s  {high / low:5.1f}x")


def _print_profiles(
    by_name: dict[str, Bench], env: dict[str, str], fresh_import: Callable[[], None]
) -> None:
    """Where each whole-register command spends its time: one profiled run each (profile_split)."""
    print("\nwhere the time goes (one profiled run each; shares of its own time)")
    for name in (*WHOLE_REGISTER, "import"):
        bench = by_name[name]
        if name == "import":
            fresh_import()
        argv = bench.argv[bench.argv.index("-m") + 2:] if "-m" in bench.argv else bench.argv[1:]
        out = subprocess.run([PYTHON, str(HERE / "profile_split.py"), *argv], env=env,
                             capture_output=True, text=True, check=False)
        print(f"{name:22} {out.stdout.strip() or out.stderr.strip()[-200:]}")


BASELINE = {
    "report": "floor", "--help": "floor", "show": "floor", "validate kalmar": "floor",
    "validate billion laughs": "validate kalmar",
    "import": "executemany", "sqlite-utils insert --csv": "executemany",
}


def _print_table(benches: list[Bench], by_name: dict[str, Bench]) -> None:
    print(f"\n{'benchmark':28} {'median':>8} {'min':>8} {'max':>8} {'peak MB':>8}  ratio")
    for b in benches:
        base = BASELINE.get(b.name)
        ratio = f"{b.median / by_name[base].median:5.2f}x {base}" if base in by_name else ""
        print(f"{b.name:28} {b.median:8.3f} {min(b.times):8.3f} {max(b.times):8.3f}"
              f" {max(b.rss) / 1024:8.1f}  {ratio}")


def _print_targets(by_name: dict[str, Bench], cases: int, import_rows: int) -> None:
    def ratio(name: str) -> float:
        return by_name[name].median / by_name[BASELINE[name]].median

    def mb(name: str) -> float:
        return max(by_name[name].rss) / 1024

    rows = [
        ("report <= 3x floor", f"{ratio('report'):.2f}x", ratio("report") <= 3),
        ("--help <= 4x floor", f"{ratio('--help'):.2f}x", ratio("--help") <= 4),
        (f"status over {cases:,} cases <= 1 s, <= 150 MB",
         f"{by_name['status --all --json'].median:.2f} s, {mb('status --all --json'):.0f} MB",
         by_name["status --all --json"].median <= 1 and mb("status --all --json") <= 150),
        (f"review over {cases:,} cases <= 1 s, <= 150 MB",
         f"{by_name['review --json'].median:.2f} s, {mb('review --json'):.0f} MB",
         by_name["review --json"].median <= 1 and mb("review --json") <= 150),
        ("show (200 events) <= 4x floor", f"{ratio('show'):.2f}x", ratio("show") <= 4),
        ("validate kalmar <= 5x floor", f"{ratio('validate kalmar'):.2f}x",
         ratio("validate kalmar") <= 5),
        (f"import {import_rows:,} rows <= 3x executemany", f"{ratio('import'):.2f}x",
         ratio("import") <= 3),
        (f"verify ({cases:,} cases) <= 5 s", f"{by_name['verify'].median:.2f} s",
         by_name["verify"].median <= 5),
        # Refused from the parser's first anchor: no slower than validating a real ladder.
        ("billion laughs refused <= 1.5x validate kalmar",
         f"{ratio('validate billion laughs'):.2f}x, {mb('validate billion laughs'):.0f} MB",
         ratio("validate billion laughs") <= 1.5),
    ]
    rows += _figure_targets(by_name, cases)
    print(f"\n{'target':48} {'measured':>18}  result")
    for target, measured, met in rows:
        print(f"{target:48} {measured:>18}  {'met' if met else 'NOT MET'}")


# --- key figures and the monthly report (issue 14) ------------------------------------------
# The register's dates end at TODAY (2026-10-01): both read September 2026, its default month,
# and monthly's twelve months of charts reach back to October 2025.


def _figure_benches(big: Path) -> list[Bench]:
    return [
        Bench("figures --json", [*TRAPPA, "figures", "--json", "--db", str(big)]),
        Bench("monthly html", [*TRAPPA, "monthly", "--format", "html", "--db", str(big)]),
        Bench("monthly xlsx", [*TRAPPA, "monthly", "--format", "xlsx", "--force", "-o",
                               str(big.parent / "monthly.xlsx"), "--db", str(big)]),
    ]


def _figure_targets(by_name: dict[str, Bench], cases: int) -> list[tuple[str, str, bool]]:
    figures = by_name["figures --json"].median
    monthly = max(by_name["monthly html"].median, by_name["monthly xlsx"].median)
    return [
        (f"figures over {cases:,} cases < 2 s", f"{figures:.2f} s", figures < 2),
        (f"monthly (html, xlsx) over {cases:,} cases < 5 s", f"{monthly:.2f} s", monthly < 5),
    ]


def _prepare(size: str, import_rows: int) -> tuple[Path, Path]:
    """The cached register of ``size`` and the import file, built by generate.py if missing."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import generate as g;"
        "print(g.database(sys.argv[2]));"
        "n = int(sys.argv[3]);"
        "print(g.import_csv(g.CACHE / f'import-{n}-v{g.VERSION}.csv', n))"
    )
    out = subprocess.run([PYTHON, "-c", code, str(HERE), size, str(import_rows)], check=True,
                         capture_output=True, text=True).stdout.split()
    return Path(out[0]), Path(out[1])


def _billion_laughs() -> Path:
    """A nine-level "billion laughs" ladder file (10**9 values if its aliases were expanded),
    which trappa must refuse at once."""
    lines = ["format: trappa/ladder@1", "id: skratt", 'version: "1"', 'title: &a0 "ha"']
    for n in range(1, 10):
        lines.append(f"l{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    lines.append("steps: *a9")
    path = CACHE / "billion-laughs.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _longest_case(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT id FROM cases ORDER BY last_seq DESC, id LIMIT 1"
        ).fetchone()[0]
    finally:
        conn.close()


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
