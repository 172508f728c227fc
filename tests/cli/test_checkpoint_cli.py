"""End to end: checkpoints, signing keys and ``verify --checkpoint`` through a real subprocess.

The attacks of issue "evidence that holds": a register rewritten from its first event (every
hash recomputed, so the chain alone still looks intact), one cut back to fewer events, and one
swapped for another register. Each passes plain ``verify`` and fails against a checkpoint.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from conftest import dump_db, run_trappa
from trappa.history.chain import GENESIS, body_v2, link_hash_v2


@pytest.fixture(autouse=True)
def _config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The signing key goes to the test's own folder, never the user's config directory."""
    folder = tmp_path / "config"
    monkeypatch.setenv("TRAPPA_CONFIG_DIR", str(folder))
    return folder


def db() -> Path:
    return Path(os.environ["TRAPPA_DB"])


def run_ok(*args: str, env: dict[str, str] | None = None) -> str:
    result = run_trappa(*args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def fails(code: int, *args: str, env: dict[str, str] | None = None) -> str:
    result = run_trappa(*args, env=env)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr.strip()


def report(description: str, env: dict[str, str] | None = None) -> None:
    run_ok("report", "--supplier", "Vårdbemanning Norr AB", "--description", description,
           env=env)


def key_init(name: str = "region-kalmar") -> str:
    """A new signing key; its public key line."""
    data = json.loads(run_ok("key", "init", "--name", name, "--force", "--json"))
    return str(data["public_key"])


def _named(public_key: str) -> str:
    """A public key line's name and key id (``region-kalmar+5f0c67d9``), as messages name it."""
    return "+".join(public_key.split("+")[:2])  # the key itself, in base64, may hold a "+"


def copy_register(source: Path, target: Path) -> None:
    """A consistent copy, as a backup would take it (WAL included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


# --- key init -----------------------------------------------------------------------------------


def test_key_init_writes_a_private_key_and_prints_the_public_one(_config_dir: Path) -> None:
    out = run_ok("key", "init", "--name", "region-kalmar")
    path = _config_dir / "checkpoint.key"
    lines = out.splitlines()
    assert lines[0] == f"signing key written to {path} (readable only by you)"
    assert lines[1] == "public key, for whoever verifies your checkpoints:"
    assert lines[2].startswith("region-kalmar+") and len(lines) == 3
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("PRIVATE+KEY+region-kalmar+")


def test_key_init_refuses_to_overwrite_a_key_unless_forced(_config_dir: Path) -> None:
    run_ok("key", "init")
    path = _config_dir / "checkpoint.key"
    before = path.read_bytes()
    assert fails(1, "key", "init", "--name", "other") == (
        f"error: a signing key already exists: {path}\nhint: keep it: checkpoints signed with"
        " it verify only under its public key; --force replaces the file"
    )
    assert path.read_bytes() == before
    run_ok("key", "init", "--force")
    assert path.read_bytes() != before
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_key_init_refuses_a_name_with_a_space(_config_dir: Path) -> None:
    assert fails(2, "key", "init", "--name", "Region Kalmar") == (
        "error: key name 'Region Kalmar' must be one word without spaces or '+'"
        " (e.g. region-kalmar)"
    )
    assert not _config_dir.exists()


# --- checkpoint ---------------------------------------------------------------------------------


def test_an_unsigned_checkpoint_goes_to_stdout_and_says_it_is_unsigned(
    _config_dir: Path,
) -> None:
    report("Pass uteblev")
    result = run_trappa("checkpoint")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0].startswith("trappa/") and lines[1] == "1"
    assert lines[3].startswith("date ") and lines[4:] == ["", ""]
    assert result.stderr == (
        f"not signed: no signing key ({_config_dir / 'checkpoint.key'}); 'trappa key init'"
        " makes one\n"
    )
    data = json.loads(run_ok("checkpoint", "--json"))
    head = json.loads(run_ok("verify", "--json"))["head"]
    assert (data["events"], data["hash"]) == (head["events"], head["hash"]) == (1, data["hash"])
    assert data["signed_by"] == [] and data["file"] is None


def test_checkpoint_does_not_overwrite_a_file_unless_forced(tmp_path: Path) -> None:
    report("Pass uteblev")
    target = tmp_path / "checkpoint.txt"
    target.write_text("kept\n")
    assert fails(2, "checkpoint", "-o", str(target)) == (
        f"error: {target} exists; give --force to overwrite it"
    )
    assert target.read_text() == "kept\n"
    assert run_ok("checkpoint", "-o", str(target), "--force") == (
        f"checkpoint of 1 event written to {target}\n"
    )
    assert target.read_text().startswith("trappa/")


# --- verify --checkpoint ------------------------------------------------------------------------


def test_a_register_that_grew_extends_its_signed_checkpoint(tmp_path: Path) -> None:
    public = key_init()
    report("Pass uteblev")
    report("Pass uteblev igen")
    target = tmp_path / "cp.txt"
    run_ok("checkpoint", "-o", str(target))
    assert "\n\n\u2014 region-kalmar " in target.read_text()
    report("Tredje gången")
    out = run_ok("verify", "--checkpoint", str(target), "--key", public)
    register = target.read_text().split("\n")[0].removeprefix("trappa/")
    assert out.splitlines()[1:] == [
        f"checkpoint of {target.read_text().split(chr(10))[3][5:]} (2 events, {register}):"
        " this register extends it",
        "signed by region-kalmar: the signature verifies",
    ]
    key_file = tmp_path / "public.key"
    key_file.write_text(public + "\n")
    data = json.loads(run_ok("verify", "--checkpoint", str(target), "--key", str(key_file),
                             "--json"))
    assert data["ok"] is True and data["head"]["events"] == 3
    assert data["checkpoint"]["ok"] is True and data["checkpoint"]["events"] == 2
    assert data["checkpoint"]["key"] == "region-kalmar" and data["checkpoint"]["problems"] == []


def test_a_register_rewritten_from_its_first_event_fails_at_the_checkpoints_position(
    tmp_path: Path,
) -> None:
    report("Pass uteblev")
    report("Pass uteblev igen")
    target = tmp_path / "cp.txt"
    run_ok("checkpoint", "-o", str(target))
    checkpoint_hash = json.loads(run_ok("verify", "--json"))["head"]["hash"]
    # Drop the guards, change the first event, recompute every hash from it.
    conn = sqlite3.connect(db())
    for trigger in ("events_no_update", "events_no_delete", "events_no_replace"):
        conn.execute(f"DROP TRIGGER {trigger}")
    rows = conn.execute("SELECT position, case_id, seq, type, date, recorded_at, actor, data"
                        " FROM events ORDER BY position").fetchall()
    prev = GENESIS
    for position, case_id, seq, type_, date, recorded_at, actor, data in rows:
        if position == rows[0][0]:
            actor = "0" * 64  # another actor's digest: the columns and the body agree again
        body = body_v2(case_id, seq, type_, date, recorded_at, actor, data)
        digest = link_hash_v2(prev, body)
        conn.execute(
            "UPDATE events SET actor = ?, body = ?, prev_hash = ?, hash = ? WHERE position = ?",
            (actor, body, prev, digest, position),
        )
        prev = digest
    conn.commit()
    conn.close()
    assert run_ok("verify").endswith("intact\n")  # the chain alone cannot tell
    before = dump_db(db())
    assert fails(3, "verify", "--checkpoint", str(target)) == (
        f"error: the event at position 2 has hash {prev}, the checkpoint says"
        f" {checkpoint_hash}: the history up to it was rewritten"
    )
    assert dump_db(db()) == before


def test_a_register_cut_back_to_fewer_events_fails(tmp_path: Path) -> None:
    report("Pass uteblev")
    old = tmp_path / "old.db"
    copy_register(db(), old)  # the register as it was, put back later
    report("Pass uteblev igen")
    target = tmp_path / "cp.txt"
    run_ok("checkpoint", "-o", str(target))
    assert fails(3, "verify", "--checkpoint", str(target), "--db", str(old)) == (
        "error: the register has 1 event, the checkpoint 2: events were removed"
    )


def test_a_register_swapped_for_another_fails(tmp_path: Path) -> None:
    report("Pass uteblev")
    target = tmp_path / "cp.txt"
    run_ok("checkpoint", "-o", str(target))
    other = tmp_path / "other.db"
    report("Pass uteblev", env={"TRAPPA_DB": str(other)})
    message = fails(3, "verify", "--checkpoint", str(target), "--db", str(other))
    assert message.startswith("error: register id differs: this register is ")
    register = target.read_text().split("\n")[0].removeprefix("trappa/")
    assert message.endswith(f", the checkpoint's is {register}")


def test_a_checkpoint_signed_with_one_key_fails_under_another(tmp_path: Path) -> None:
    first = key_init()
    report("Pass uteblev")
    target = tmp_path / "cp.txt"
    run_ok("checkpoint", "-o", str(target))
    run_ok("verify", "--checkpoint", str(target), "--key", first)
    second = key_init()
    assert fails(3, "verify", "--checkpoint", str(target), "--key", second) == (
        f"error: the checkpoint is not signed by key '{_named(second)}' (signed by"
        f" {_named(first)})"
    )
    edited = target.read_text().replace("\n1\n", "\n2\n")
    target.write_text(edited)
    problems = fails(3, "verify", "--checkpoint", str(target), "--key", first).splitlines()
    assert problems[0] == (
        "error: the signature by key 'region-kalmar' does not verify: the text changed"
    )


def test_an_unsigned_checkpoint_given_a_key_fails(tmp_path: Path) -> None:
    report("Pass uteblev")
    target = tmp_path / "cp.txt"
    run_ok("checkpoint", "-o", str(target))
    public = key_init()
    assert fails(3, "verify", "--checkpoint", str(target), "--key", public) == (
        "error: the checkpoint is not signed; --key region-kalmar needs a signed one"
    )


def test_bad_checkpoint_input_is_exit_2_with_its_position(tmp_path: Path) -> None:
    report("Pass uteblev")
    target = tmp_path / "cp.txt"
    run_ok("checkpoint", "-o", str(target))
    lines = target.read_text().split("\n")
    broken = tmp_path / "broken.txt"
    broken.write_text("\n".join([lines[0], "tusen", *lines[2:]]))
    assert fails(2, "verify", "--checkpoint", str(broken)) == (
        f"{broken}:2:1: the second line must be the number of events, a whole number"
    )
    missing = tmp_path / "missing.txt"
    assert fails(2, "verify", "--checkpoint", str(missing)) == (
        f"error: {missing}: cannot read the checkpoint: No such file or directory"
    )
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe")
    assert fails(2, "verify", "--checkpoint", str(binary)) == (
        f"error: {binary}: not UTF-8 text; a checkpoint is plain text"
    )
    assert fails(2, "verify", "--checkpoint", str(target), "--key", "nyckel") == (
        "error: --key: not a public key; give the line 'key init' printed"
        " (<name>+<key id>+<key>) or a file holding it"
    )
    assert fails(2, "verify", "--key", "a+b+c") == (
        "error: --key checks a checkpoint's signature: give --checkpoint"
    )


def test_verify_json_states_the_head() -> None:
    report("Pass uteblev")
    data = json.loads(run_ok("verify", "--json"))
    conn = sqlite3.connect(db())
    (newest,) = conn.execute("SELECT hash FROM events ORDER BY position DESC LIMIT 1").fetchone()
    conn.close()
    assert data["head"] == {"events": 1, "hash": newest}
    assert "checkpoint" not in data


def test_key_show_prints_the_public_key_a_verifier_needs(_config_dir: Path) -> None:
    assert fails(1, "key", "show") == (
        f"error: no signing key: {_config_dir / 'checkpoint.key'} does not exist\n"
        "hint: 'trappa key init --name NAME' makes one"
    )
    public = key_init()
    assert run_ok("key", "show") == public + "\n"


# --- the head in documents ----------------------------------------------------------------------


def _head_line(events: int, hash: str) -> str:
    return f"*Registrets kontrollsumma vid utskrift: {events} händelser, {hash[:16]}…*"


def test_letters_plans_and_dossiers_end_with_the_head_they_were_written_at() -> None:
    for key, value in (("org.name", "Region Kalmar län"), ("org.contact", "Anna Andersson"),
                       ("org.signatory", "Anna Andersson")):
        run_ok("config", "set", key, value)
    report("Pass uteblev")
    run_ok("plan", "2026-0001", "--due", "2026-11-01", "--item", "Bemanna passen")
    head = json.loads(run_ok("verify", "--json"))["head"]
    assert run_ok("plan", "2026-0001", "--render").endswith(
        "\n\n" + _head_line(2, head["hash"]) + "\n")
    assert run_ok("dossier", "Vårdbemanning Norr AB").endswith(
        "\n\n" + _head_line(2, head["hash"]) + "\n")
    # A sent letter states the head before its own letter_sent event.
    letter = run_ok("letter", "2026-0001", "avvikelsemeddelande")
    assert letter.endswith("\n\n" + _head_line(2, head["hash"]) + "\n")
    assert json.loads(run_ok("verify", "--json"))["head"]["events"] == 3


def test_the_head_line_groups_thousands_as_swedish_does() -> None:
    from trappa.letters.context import head_context
    from trappa.store.head import RegisterHead

    head = head_context(RegisterHead("id", 1234567, "ab" * 32))
    assert head == {"events": 1234567, "events_text": "1\u00a0234\u00a0567", "hash": "ab" * 32,
                    "short": "ab" * 8}


def test_a_damaged_signing_key_is_named_and_nothing_is_written(
    _config_dir: Path, tmp_path: Path
) -> None:
    report("Pass uteblev")
    _config_dir.mkdir()
    (_config_dir / "checkpoint.key").write_text("skräp\n")
    target = tmp_path / "cp.txt"
    message = f"error: {_config_dir / 'checkpoint.key'}: not a trappa signing key"
    assert fails(2, "checkpoint", "-o", str(target)) == (
        message + " (PRIVATE+KEY+<name>+<key id>+<key>)"
    )
    assert fails(2, "key", "show").startswith(message)
    assert not target.exists()
    (_config_dir / "checkpoint.key").write_bytes(b"\xff")
    assert fails(2, "checkpoint") == message + " (not UTF-8 text)"


def test_a_published_key_checks_a_signed_checkpoint_without_being_given(tmp_path: Path) -> None:
    """`key publish` keeps the public key in the register for a team's members; a register
    rewritten with another key published still fails against the checkpoint filed outside."""
    public = key_init()
    report("Pass uteblev")
    assert "kept in the register" in run_ok("key", "publish")
    target = tmp_path / "cp.txt"
    run_ok("checkpoint", "-o", str(target))
    assert run_ok("verify", "--checkpoint", str(target)).splitlines()[-1] == (
        "signed by region-kalmar: the signature verifies")
    forged = key_init()  # someone who can write the register publishes a key of their own
    run_ok("key", "publish")
    assert fails(3, "verify", "--checkpoint", str(target)) == (
        f"error: the checkpoint is not signed by key '{_named(forged)}' (signed by"
        f" {_named(public)})")


def test_publish_without_a_key_is_refused_and_writes_nothing() -> None:
    report("Pass uteblev")
    before = dump_db(db())
    assert fails(1, "key", "publish").startswith("error: no signing key: ")
    assert dump_db(db()) == before


def test_publish_never_creates_a_register(tmp_path: Path) -> None:
    key_init()
    typo = tmp_path / "registret.db"
    assert fails(3, "key", "publish", "--db", str(typo)).startswith(f"error: no database at {typo}")
    assert not typo.exists()


def test_a_damaged_published_key_is_the_registers_problem(tmp_path: Path) -> None:
    key_init()
    report("Pass uteblev")
    target = tmp_path / "cp.txt"
    run_ok("checkpoint", "-o", str(target))
    with sqlite3.connect(db()) as conn:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES"
                     " ('checkpoint.public_key', 'inte en nyckel')")
    said = fails(3, "verify", "--checkpoint", str(target)).splitlines()
    assert said[0].startswith("error: the public key kept in the register"
                              " (checkpoint.public_key) is damaged: ")
    assert said[1] == "hint: give the key with --key, and keep it again with trappa key publish"
