"""Key figures, the monthly report, the exports and the follow-up cycle's readings on PostgreSQL:
the same register copied to a server (``trappa db copy``) gives the same figures, report, rows,
due lists, calendar and contract records as the SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_trappa
from story_register import tell

TODAY = {"TRAPPA_TODAY": "2026-11-05"}


@pytest.fixture
def registers(tmp_path: Path, pg_url: str) -> tuple[str, str]:
    db = tmp_path / "register.db"
    tell(db)
    for args in (("config", "set", "ocds.prefix", "ocds-abc123-regionx"),
                 ("config", "set", "org.name", "Region Exempel"),
                 ("plan", "2026-0001", "--followup", "no_effect"),
                 # The follow-up cycle: a contract's own facts (its stream), a risk assessment,
                 # a waiver, a reply-by date and its reply, an owner.
                 ("config", "set", "sanction.claim_within_days", "60"),
                 ("contract", "Bemanning", "--procurement", "RS 2025/12", "--claim-within",
                  "90", "--reason", "Avtalets villkor"),
                 ("risk", "2026-0001", "--probability", "3", "--consequence", "4"),
                 ("waive", "2026-0001", "2", "--reason", "Ringa"),
                 ("config", "set", "org.contact", "avtal@region.se"),
                 ("config", "set", "org.signatory", "Karin Avtal"),
                 ("letter", "2026-0002", "avvikelsemeddelande", "--reply-within", "10"),
                 ("reply", "2026-0002", "1", "--received", "2026-11-05"),
                 ("letter", "2026-0001", "begaran-om-handlingsplan", "--reply-within", "5"),
                 ("assign", "2026-0001", "Karin Avtal")):
        done = run_trappa(*args, "--db", str(db), env=TODAY)
        assert done.returncode == 0, done.stderr
    copied = run_trappa("db", "copy", str(db), pg_url)
    assert copied.returncode == 0, copied.stderr
    return str(db), pg_url


@pytest.mark.parametrize("args", [
    ("figures", "--json", "--from", "2026-01-01", "--to", "2026-10-31"),
    ("monthly", "--month", "2026-10"),
    *[("export", table, "--format", "jsonl") for table in
      ("cases", "deviations", "events", "sanctions", "plans", "letters", "contracts")],
    ("export", "ocds"),
    ("status", "--all", "--json"), ("review", "--json"), ("review", "--owner", "Karin Avtal"),
    ("show", "2026-0001", "--json"), ("show", "2026-0002"), ("explain", "2026-0001", "--json"),
    ("calendar", "--json"), ("calendar", "--mine", "--json"),
    ("contract", "Bemanning", "--json"), ("contracts", "--json"),
    ("check", "Vård AB", "--json"), ("dossier", "Vård AB", "--format", "md"),
])
def test_a_register_on_postgresql_reads_as_its_sqlite_file(
    registers: tuple[str, str], args: tuple[str, ...]
) -> None:
    sqlite, postgresql = (run_trappa(*args, "--db", db, env=TODAY) for db in registers)
    assert sqlite.returncode == 0, sqlite.stderr
    assert postgresql.returncode == 0, postgresql.stderr
    # The monthly report ends with its register's checkpoint, whose id names the register.
    assert postgresql.stdout.splitlines()[:-6] == sqlite.stdout.splitlines()[:-6]
