"""A team on one PostgreSQL register: many writers at once, a writer killed mid-command, a reader
refused, events append-only for everyone, and a register copied between the engines with the
same head (``trappa db init``, ``grant``, ``copy``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import pg
from conftest import dump_db, pg_server, run_trappa

pytestmark = pytest.mark.postgresql

PROCESSES = 8
REPORTS_EACH = 100


def ok(*args: str, env: dict[str, str] | None = None) -> dict:
    result = run_trappa(*args, "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _admin_url(pg_url: str) -> str:
    return pg_url.replace(f"//{pg.TEST_USER}@", f"//{pg.ADMIN}@")


def _as(pg_url: str, user: str) -> str:
    return pg_url.replace(f"//{pg.TEST_USER}@", f"//{user}@")


def test_eight_processes_of_a_hundred_reports_are_each_recorded_once(
    pg_url: str, tmp_path: Path
) -> None:
    """Each process makes a hundred reports, each its own command (one connection, one
    transaction): every tenth for a supplier all share, the others for ten suppliers of its
    own, so that cases are opened and joined concurrently."""
    worker = tmp_path / "worker.py"
    worker.write_text(textwrap.dedent(f"""
        import sys
        from trappa.cli import main
        w = sys.argv[1]
        for i in range({REPORTS_EACH}):
            supplier = "Delad AB" if i % 10 == 0 else f"Egen {{w}}-{{i % 10}} AB"
            try:
                main(["report", "--supplier", supplier, "--description", f"w{{w}} r{{i}}"])
            except SystemExit as exc:
                if exc.code not in (0, None):
                    sys.exit(f"report {{i}} of worker {{w}} failed")
    """))
    env = {**os.environ, "TRAPPA_DB": pg_url}
    procs = [subprocess.Popen([sys.executable, str(worker), str(w)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for w in range(PROCESSES)]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err

    rows = ok("status", "--db", pg_url)
    shared = [r for r in rows if r["supplier"] == "Delad AB"]
    assert len(shared) == 1, "all reports for one supplier join one case"
    assert shared[0]["open_deviations"] == PROCESSES * REPORTS_EACH // 10
    own = [r for r in rows if r["supplier"].startswith("Egen")]
    assert len(own) == PROCESSES * 9
    assert all(r["open_deviations"] == REPORTS_EACH // 10 for r in own)
    ids = [r["case"] for r in rows]
    assert len(ids) == len(set(ids)) == 1 + PROCESSES * 9
    shown = ok("show", shared[0]["case"], "--db", pg_url)
    expected = sorted(f"w{w} r{i}" for w in range(PROCESSES) for i in range(0, REPORTS_EACH, 10))
    assert sorted(d["description"] for d in shown["deviations"]) == expected
    assert [d["n"] for d in shown["deviations"]] == list(range(1, len(expected) + 1))
    verified = ok("verify", "--db", pg_url)
    assert verified["ok"] is True
    assert verified["head"]["events"] == PROCESSES * REPORTS_EACH


def _lock_holder(admin_url: str) -> int | None:
    import psycopg

    from trappa.store.postgres import WRITE_LOCK

    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND (classid::bigint << 32 | objid::bigint) = %s", (WRITE_LOCK,)
        ).fetchone()
    return None if row is None else int(row[0])


def test_a_client_killed_mid_command_leaves_nothing_half_written(
    pg_url: str, tmp_path: Path
) -> None:
    """An import of 6000 rows is one transaction; the client is killed while it holds the
    write lock, i.e. while its transaction is open and writing. The server rolls it back."""
    assert run_trappa("report", "--db", pg_url, "--supplier", "Före AB",
                      "--description", "before").returncode == 0
    before = dump_db(pg_url)
    rows = ["supplier;description;observed;external_id"]
    rows += [f"Bolag {i % 40} AB;Avvikelse {i};2026-09-{1 + i % 28:02d};X-{i}" for i in range(6000)]
    csv = tmp_path / "many.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "trappa", "import", str(csv), "--quiet",
                             "--db", pg_url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    admin = _admin_url(pg_url)
    deadline = time.monotonic() + 120
    while _lock_holder(admin) is None:
        assert proc.poll() is None, "the import ended before it was seen writing"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)  # at once: an import of this size is soon done
    assert proc.wait(timeout=30) == -signal.SIGKILL, "the import ended before it was killed"
    deadline = time.monotonic() + 30
    while _lock_holder(admin) is not None:  # the server notices the lost client
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert dump_db(pg_url) == before
    assert ok("verify", "--db", pg_url)["ok"] is True
    again = run_trappa("report", "--db", pg_url, "--supplier", "Efter AB",
                       "--description", "after")
    assert again.returncode == 0, again.stderr


def test_db_init_and_grant_a_writer_records_and_a_reader_is_refused(pg_url: str) -> None:
    server = pg_server()
    admin = _admin_url(pg_url)
    initialised = ok("db", "init", admin)
    assert (initialised["writer"], initialised["reader"]) == ("trappa_writer", "trappa_reader")
    assert ok("db", "grant", "anna_w", "--writer", "--db", admin)["role"] == "trappa_writer"
    assert ok("db", "grant", "bosse_r", "--reader", "--db", admin)["role"] == "trappa_reader"

    writer = _as(pg_url, "anna_w")
    recorded = run_trappa("report", "--db", writer, "--supplier", "Acme AB",
                          "--description", "x", "--json")
    assert recorded.returncode == 0, recorded.stderr
    assert "the actor is the database user anna_w" in recorded.stderr  # TRAPPA_USER=testare
    shown = ok("show", "2026-0001", "--db", writer)
    assert shown["events"][0]["actor"] == "anna_w"

    before = dump_db(admin)
    reader = _as(pg_url, "bosse_r")
    for args in (["report", "--supplier", "Acme AB", "--description", "y"],
                 ["note", "2026-0001", "hello"],
                 ["config", "set", "org.name", "Region Reader"]):
        refused = run_trappa(*args, "--db", reader)
        assert refused.returncode == 3, refused.stderr
        assert "the database user bosse_r may not change this register; nothing was written" \
            in refused.stderr
        assert "Traceback" not in refused.stderr
    assert dump_db(admin) == before
    assert [r["case"] for r in ok("status", "--db", reader)] == ["2026-0001"]
    assert ok("verify", "--db", reader)["ok"] is True

    # A writer may add events but never change or remove them; nor may the owner.
    import psycopg

    for url in (writer, admin):
        for statement in ("UPDATE events SET actor = 'x'", "DELETE FROM events"):
            with psycopg.connect(url, autocommit=True) as conn, pytest.raises(psycopg.Error):
                conn.execute(statement)  # type: ignore[arg-type]
    assert dump_db(admin) == before

    server.create_user("nobody")  # a database user without either role
    stranger = run_trappa("status", "--db", _as(pg_url, "nobody"))
    assert stranger.returncode == 3
    assert "the database user nobody may not read this register" in stranger.stderr


def test_a_reader_cannot_upgrade_and_a_mistyped_grant_is_refused(pg_url: str) -> None:
    admin = _admin_url(pg_url)
    ok("db", "init", admin)
    refused = run_trappa("db", "grant", "x y", "--writer", "--db", admin)
    assert refused.returncode == 2
    assert run_trappa("db", "grant", "anna", "--db", admin).returncode == 2
    assert run_trappa("db", "init", "/tmp/not-a-server.db").returncode == 2


def test_db_copy_moves_a_register_both_ways_with_the_same_head(
    pg_url: str, tmp_path: Path
) -> None:
    source = tmp_path / "source.db"
    for n, day in enumerate(["2026-09-01", "2026-09-10", "2026-09-20"]):
        ok("report", "--db", str(source), "--supplier", "Acme AB", "--org-nr", "556677-8899",
           "--contract", "Städ", "--description", f"avvikelse {n}", "--observed", day,
           "--reporter", "Karin")
    ok("escalate", "2026-0001", "--db", str(source))
    ok("plan", "2026-0001", "--due", "2026-11-01", "--item", "Bättre städning", "--db",
       str(source))
    assert run_trappa("config", "set", "org.name", "Region Kalmar län", "--db",
                      str(source)).returncode == 0
    head = ok("verify", "--db", str(source))["head"]

    copied = ok("db", "copy", str(source), pg_url)
    assert copied["head"] == head["hash"] and copied["events"] == head["events"]
    on_server = ok("verify", "--db", pg_url)
    assert on_server["ok"] is True and on_server["head"] == head
    assert ok("show", "2026-0001", "--db", pg_url) == ok("show", "2026-0001", "--db", str(source))
    assert run_trappa("config", "get", "org.name", "--db", pg_url).stdout.strip() == (
        "Region Kalmar län")
    # The copy goes on where the original stopped: the next case and event continue the chain.
    ok("report", "--db", pg_url, "--supplier", "Beta AB", "--description", "ny")
    assert ok("verify", "--db", pg_url)["ok"] is True

    refused = run_trappa("db", "copy", str(source), pg_url)
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr

    said = run_trappa("db", "copy", str(source), str(tmp_path / "again.db")).stdout
    assert said.startswith(f"copied 5 events in 1 case from {source} to ")

    back = tmp_path / "back.db"
    copied_back = ok("db", "copy", pg_url, str(back))
    server_head = ok("verify", "--db", pg_url)["head"]
    assert copied_back["head"] == server_head["hash"]
    assert ok("verify", "--db", str(back))["head"] == server_head
    checkpoint = run_trappa("checkpoint", "--db", str(back))
    assert checkpoint.stdout.splitlines()[0] == run_trappa(
        "checkpoint", "--db", pg_url).stdout.splitlines()[0]  # the same register id


def test_a_member_without_the_right_to_upgrade_is_told_so_and_nothing_changes(
    pg_url: str,
) -> None:
    """A register whose schema is behind this trappa (here: its last step's record removed, as
    an older trappa would have left it) is upgraded only by someone who may create tables."""
    import psycopg

    admin = _admin_url(pg_url)
    ok("db", "init", admin)
    ok("db", "grant", "cecilia", "--writer", "--db", admin)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DELETE FROM trappa_migrations WHERE name = 'step_0008_kept_letters'")
    before = dump_db(admin)
    refused = run_trappa("report", "--db", _as(pg_url, "cecilia"), "--supplier", "Acme AB",
                         "--description", "x")
    assert refused.returncode == 3
    assert "the database user cecilia may not upgrade it" in refused.stderr
    assert "trappa db init URL" in refused.stderr
    assert dump_db(admin) == before


def test_the_follow_up_cycle_by_a_writer_and_a_reader_refused_it(
    pg_url: str, tmp_path: Path
) -> None:
    """A writer records replies, waivers, risk assessments and a contract's facts (its own
    stream, ``contract:1``) with the database user as actor; a reader may read them all (check,
    calendar, contracts) and change none."""
    admin = _admin_url(pg_url)
    ok("db", "init", admin)
    ok("db", "grant", "anna_w", "--writer", "--db", admin)
    ok("db", "grant", "bosse_r", "--reader", "--db", admin)
    writer, reader = _as(pg_url, "anna_w"), _as(pg_url, "bosse_r")
    for key in ("org.name", "org.contact", "org.signatory"):
        assert run_trappa("config", "set", key, f"Värde för {key}", "--db", writer).returncode == 0
    party = ["--supplier", "Vårdbemanning Norr AB", "--contract", "Bemanning 2025"]
    ok("report", *party, "--observed", "2026-09-01", "--description", "Pass uteblev",
       "--db", writer)
    ok("report", *party, "--observed", "2026-09-20", "--description", "Fel", "--db", writer)
    ok("letter", "2026-0001", "avvikelsemeddelande", "--reply-within", "5", "--db", writer)
    answer = tmp_path / "svar.eml"
    answer.write_bytes(b"Subject: Svar\n\nVi har bemannat passen.\n")
    ok("reply", "2026-0001", "1", "--received", "2026-10-01", "--file", str(answer),
       "--db", writer)
    ok("waive", "2026-0001", "1", "--reason", "Ringa", "--db", writer)
    ok("risk", "2026-0001", "--probability", "3", "--consequence", "4", "--db", writer)
    ok("contract", "Bemanning 2025", "--claim-within", "45", "--reason", "Avtalets villkor",
       "--db", writer)
    shown = ok("show", "2026-0001", "--db", reader)
    assert {e["actor"] for e in shown["events"]} == {"anna_w"}
    assert shown["contract"]["claim_within_days"] == 45 and shown["risk"]["score"] == 12
    contract = ok("contract", "Bemanning 2025", "--db", reader)
    assert [c["actor"] for c in contract["changes"]] == ["anna_w"]

    before = dump_db(admin)
    for args in (["sanction", "2026-0001", "--kind", "vite", "--reason", "Vite", "--deviation",
                  "2"],
                 ["waive", "2026-0001", "2", "--reason", "Ringa"],
                 ["risk", "2026-0001", "--probability", "1", "--consequence", "1"],
                 ["contract", "Bemanning 2025", "--criticality", "2", "--reason", "Ny"],
                 ["close", "2026-0001", "--reason", "Klart", "--override", "Beslut"],
                 ["assign", "2026-0001", "bosse_r"]):
        refused = run_trappa(*args, "--db", reader)
        assert refused.returncode == 3, (args, refused.stderr)
        assert "the database user bosse_r may not change this register" in refused.stderr
    assert dump_db(admin) == before
    assert run_trappa("check", "Vårdbemanning Norr AB", "--db", reader).returncode == 0
    assert ok("calendar", "--db", reader)["events"]
    assert ok("contracts", "--db", reader)
    assert ok("verify", "--db", reader)["ok"] is True


def test_a_password_in_the_url_is_never_shown_but_opens_the_second_half(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Messages show the URL without a password written into it; a listing read in two halves
    opens its second half with the URL as given (the tests' server trusts any password, so the
    URL the second half is given is what is checked)."""
    import datetime as dt
    import io

    from trappa.cases import views
    from trappa.cases.session import Session
    from trappa.cli import commands_view
    from trappa.store import parallel
    from trappa.store.database import Store

    with_password = pg_url.replace(f"//{pg.TEST_USER}@", f"//{pg.TEST_USER}:hemligt@")
    ok("report", "--db", with_password, "--supplier", "Acme AB", "--description", "x")
    given = []

    class Inline:  # the second half in this process, its arguments kept
        def __init__(self, work, *args) -> None:  # type: ignore[no-untyped-def]
            given.append(args[0])
            self.rows = work(*args)

        def result(self):  # type: ignore[no-untyped-def]
            return self.rows

    monkeypatch.setattr(parallel, "InProcess", Inline)
    monkeypatch.setattr(views, "PARTS_FROM_CASES", 1)
    monkeypatch.setattr("sys.stdout", io.StringIO())
    with Store.open(with_password, read_only=True) as store:
        assert "hemligt" not in str(store.path)
        session = Session(store, pg.TEST_USER, dt.date(2026, 10, 1))
        commands_view._print_json_in_halves(session, "status", (None, True, None))
    assert given == [with_password]
