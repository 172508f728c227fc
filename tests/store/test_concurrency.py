"""Several processes reporting onto one database at once: nothing lost, nothing twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import run_trappa

WORKERS = 6
REPORTS_EACH = 4


def test_concurrent_reports_are_each_recorded_once(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    # Every worker reports for two suppliers of its own and one that all share, so cases are
    # opened and joined concurrently.
    script = tmp_path / "worker.sh"
    script.write_text(
        "set -e\n"
        f"for i in $(seq 1 {REPORTS_EACH}); do\n"
        '  "$PY" -m trappa report --db "$DB" --supplier "Delad AB" --description "w$W r$i" --json\n'
        '  "$PY" -m trappa report --db "$DB" --supplier "Egen $W AB" --description "w$W r$i" '
        '--contract "K$((i % 2))" --json\n'
        "done\n"
    )
    procs = [
        subprocess.Popen(
            ["bash", str(script)],
            env={**os.environ, "PY": sys.executable, "DB": str(db), "W": str(w)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WORKERS)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err

    rows = json.loads(run_trappa("status", "--db", str(db), "--json").stdout)
    shared = [r for r in rows if r["supplier"] == "Delad AB"]
    assert len(shared) == 1, "all reports for one supplier and contract join one case"
    assert shared[0]["open_deviations"] == WORKERS * REPORTS_EACH
    own = [r for r in rows if r["supplier"].startswith("Egen")]
    assert len(own) == WORKERS * 2
    assert sum(r["open_deviations"] for r in own) == WORKERS * REPORTS_EACH
    ids = [r["case"] for r in rows]
    assert len(ids) == len(set(ids)) == 1 + WORKERS * 2

    shown = json.loads(run_trappa("show", shared[0]["case"], "--db", str(db), "--json").stdout)
    descriptions = sorted(d["description"] for d in shown["deviations"])
    expected = sorted(f"w{w} r{i}" for w in range(WORKERS) for i in range(1, REPORTS_EACH + 1))
    assert descriptions == expected
    assert [d["n"] for d in shown["deviations"]] == list(range(1, len(expected) + 1))

    verify = run_trappa("verify", "--db", str(db))
    assert verify.returncode == 0, verify.stderr
