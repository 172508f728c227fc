"""Sent letters kept in the register (`letter CASE --sent`, `--copy N`), and no file overwritten
without --force: a letter, a copy, a preview, a rendered plan or a dossier."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import dump_db
from letters_helpers import add_plan, new_case, open_session, run_cli, set_org
from trappa.cli.output import _move_unless_there, write_file
from trappa.errors import UserError

KIND = "avvikelsemeddelande"
RECIPIENT = "Vårdbemanning Norr AB – Leverantören"


@pytest.fixture
def case_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    with open_session() as s:
        set_org(s)
        return new_case(s)


def _documents(tmp_path: Path) -> int:
    conn = sqlite3.connect(tmp_path / "trappa.db")
    try:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        conn.close()


def test_a_letter_sent_on_monday_is_copied_byte_for_byte_on_friday_after_its_file_was_deleted(
    case_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary
) -> None:
    monkeypatch.setenv("TRAPPA_TODAY", "2026-10-05")  # a Monday
    code, out, err = run_cli(capsysbinary, "letter", case_id, KIND, "--format", "docx")
    assert code == 0, err
    sent = tmp_path / f"{case_id}-{KIND}.docx"
    original = sent.read_bytes()
    sent.unlink()

    monkeypatch.setenv("TRAPPA_TODAY", "2026-10-09")  # that Friday
    code, out, err = run_cli(capsysbinary, "letter", case_id, "--copy", "1")
    assert code == 0, err
    assert sent.read_bytes() == original
    digest = hashlib.sha256(original).hexdigest()
    assert out.decode().splitlines() == [
        f"{case_id}: letter 1, {KIND} of 2026-10-05 (docx, sha256 {digest}), as it was sent",
        f"wrote {sent}",
    ]
    code, out, err = run_cli(capsysbinary, "verify")
    assert code == 0, err


def test_a_preview_never_takes_the_name_of_a_sent_letter(
    case_id: str, tmp_path: Path, capsysbinary
) -> None:
    code, out, err = run_cli(capsysbinary, "letter", case_id, KIND, "--format", "docx")
    assert code == 0, err
    sent = tmp_path / f"{case_id}-{KIND}.docx"
    original = sent.read_bytes()
    before = dump_db(tmp_path / "trappa.db")
    code, out, err = run_cli(capsysbinary, "letter", case_id, KIND, "--format", "docx",
                             "--preview")
    assert code == 0, err
    assert out.decode().splitlines()[-1] == f"wrote {tmp_path / f'{case_id}-{KIND}.preview.docx'}"
    code, out, err = run_cli(capsysbinary, "letter", case_id, KIND, "--preview", "-o", str(sent))
    assert (code, err) == (2, f"error: {sent} exists; give --force to overwrite it\n")
    assert sent.read_bytes() == original
    assert dump_db(tmp_path / "trappa.db") == before


def test_a_second_send_needs_force_or_another_file(
    case_id: str, tmp_path: Path, capsysbinary
) -> None:
    assert run_cli(capsysbinary, "letter", case_id, KIND, "--format", "docx")[0] == 0
    sent = tmp_path / f"{case_id}-{KIND}.docx"
    first = sent.read_bytes()
    before = dump_db(tmp_path / "trappa.db")
    code, out, err = run_cli(capsysbinary, "letter", case_id, KIND, "--format", "docx")
    assert (code, out) == (2, b"")
    assert err == f"error: {sent} exists; give --force to overwrite it\n"
    assert dump_db(tmp_path / "trappa.db") == before
    assert sent.read_bytes() == first

    code, out, err = run_cli(capsysbinary, "letter", case_id, KIND, "-o", "andra.docx")
    assert code == 0, err
    code, out, err = run_cli(capsysbinary, "letter", case_id, KIND, "--format", "docx",
                             "--force")
    assert code == 0, err
    code, out, err = run_cli(capsysbinary, "letter", case_id, "--sent", "--json")
    assert [letter["n"] for letter in json.loads(out)["letters"]] == [1, 2, 3]
    # Each letter states the register's head when it was written, so each send is new bytes.
    assert _documents(tmp_path) == 3


def test_sent_lists_the_letters_in_the_order_sent(case_id: str, capsysbinary) -> None:
    code, out, err = run_cli(capsysbinary, "letter", case_id, "--sent")
    assert (code, out.decode()) == (0, f"{case_id}: no letters sent\n")
    _, md, _ = run_cli(capsysbinary, "letter", case_id, KIND)
    _, html, _ = run_cli(capsysbinary, "letter", case_id, KIND, "--format", "html")
    md_sha, html_sha = hashlib.sha256(md).hexdigest(), hashlib.sha256(html).hexdigest()

    code, out, err = run_cli(capsysbinary, "letter", case_id, "--sent", "--json")
    assert code == 0, err
    assert json.loads(out) == {
        "case": case_id,
        "letters": [
            {"n": 1, "kind": KIND, "format": "md", "date": "2026-10-01",
             "recipient": RECIPIENT, "sha256": md_sha, "kept": True},
            {"n": 2, "kind": KIND, "format": "html", "date": "2026-10-01",
             "recipient": RECIPIENT, "sha256": html_sha, "kept": True},
        ],
    }
    code, out, err = run_cli(capsysbinary, "letter", case_id, "--sent")
    assert out.decode().splitlines() == [
        f"{case_id}: letters sent (2)",
        f"  1. 2026-10-01 {KIND} (md) to {RECIPIENT}, sha256 {md_sha}",
        f"  2. 2026-10-01 {KIND} (html) to {RECIPIENT}, sha256 {html_sha}",
    ]
    code, out, err = run_cli(capsysbinary, "letter", case_id, "--copy", "2")
    assert (code, out) == (0, html)
    assert err == (
        f"{case_id}: letter 2, {KIND} of 2026-10-01 (html, sha256 {html_sha}), as it was sent\n"
    )


def test_a_copy_to_a_file_needs_force_to_replace_one(
    case_id: str, tmp_path: Path, capsysbinary
) -> None:
    _, md, _ = run_cli(capsysbinary, "letter", case_id, KIND)
    target = tmp_path / "kopia.md"
    target.write_bytes(b"annat")
    code, out, err = run_cli(capsysbinary, "letter", case_id, "--copy", "1", "-o", str(target))
    assert (code, err) == (2, f"error: {target} exists; give --force to overwrite it\n")
    assert target.read_bytes() == b"annat"
    code, out, err = run_cli(capsysbinary, "letter", case_id, "--copy", "1", "-o", str(target),
                             "--force", "--json")
    assert code == 0, err
    assert target.read_bytes() == md
    assert json.loads(out)["file"] == str(target)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--copy", "2"], "case {case} has no letter 2; it has sent 1"),
        (["--copy", "0"], "case {case} has no letter 0; it has sent 1"),
        (["--copy", "1", "--format", "md"],
         "--copy writes the letter as it was sent: --format does not apply"),
        (["--copy", "1", "-o", "kopia.html"],
         "'kopia.html' names another format than the letter's, md"),
        ([KIND, "--sent"], "--sent takes no letter kind"),
        (["--sent", "-o", "lista.md"], "--sent lists the letters sent: -o does not apply"),
        (["--sent", "--copy", "1"], "give one of --list, --sent and --copy"),
    ],
)
def test_bad_sent_and_copy_input_is_exit_2(
    case_id: str, tmp_path: Path, capsysbinary, args: list[str], message: str
) -> None:
    run_cli(capsysbinary, "letter", case_id, KIND)
    before = dump_db(tmp_path / "trappa.db")
    code, out, err = run_cli(capsysbinary, "letter", case_id, *args)
    assert (code, out) == (2, b"")
    assert err.splitlines()[0] == "error: " + message.format(case=case_id)
    assert dump_db(tmp_path / "trappa.db") == before
    assert not (tmp_path / "kopia.html").exists() and not (tmp_path / "lista.md").exists()


def test_verify_finds_a_kept_letter_changed_behind_trappas_back(
    case_id: str, tmp_path: Path, capsysbinary
) -> None:
    _, md, _ = run_cli(capsysbinary, "letter", case_id, KIND)
    conn = sqlite3.connect(tmp_path / "trappa.db")
    conn.execute("DROP TRIGGER documents_no_update")
    conn.execute("UPDATE documents SET content = ?", (md + b"P.S.",))
    conn.commit()
    conn.close()
    code, out, err = run_cli(capsysbinary, "verify")
    assert code == 3
    digest = hashlib.sha256(md).hexdigest()
    assert err.splitlines()[0] == (
        f"error: the kept letter {digest} has changed: its bytes no longer hash to their sha256"
    )


def test_plan_render_and_dossier_need_force_to_replace_a_file(
    case_id: str, tmp_path: Path, capsysbinary
) -> None:
    with open_session() as s:
        add_plan(s, case_id)
    for args in (["plan", case_id, "--render"], ["dossier", "556677-8899"]):
        target = tmp_path / "fil.md"
        target.write_bytes(b"annat")
        code, out, err = run_cli(capsysbinary, *args, "-o", str(target))
        assert (code, err) == (2, f"error: {target} exists; give --force to overwrite it\n")
        assert target.read_bytes() == b"annat"
        code, out, err = run_cli(capsysbinary, *args, "-o", str(target), "--force")
        assert code == 0, err
        assert target.read_bytes() != b"annat"


def test_a_file_that_appears_while_writing_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "brev.md"
    temporary = tmp_path / ".brev.md.tmp"
    temporary.write_bytes(b"nytt")
    target.write_bytes(b"en annans")  # written between the check and the move
    with pytest.raises(UserError, match="exists; give --force to overwrite it"):
        _move_unless_there(temporary, target)
    assert target.read_bytes() == b"en annans"
    assert not temporary.exists()
    assert write_file(target, b"nytt", force=True) == str(target)
    assert target.read_bytes() == b"nytt"
    assert [p.name for p in tmp_path.iterdir()] == ["brev.md"]


def test_a_letter_sent_before_the_register_kept_letters_is_listed_but_not_copied(
    case_id: str, tmp_path: Path, capsysbinary
) -> None:
    _, md, _ = run_cli(capsysbinary, "letter", case_id, KIND)
    conn = sqlite3.connect(tmp_path / "trappa.db")  # as an upgraded register has it
    conn.execute("DROP TRIGGER documents_no_delete")
    conn.execute("DELETE FROM documents")
    conn.execute("UPDATE documents_kept_from SET position = 1000")
    conn.commit()
    conn.close()
    digest = hashlib.sha256(md).hexdigest()
    code, out, err = run_cli(capsysbinary, "letter", case_id, "--sent")
    assert out.decode().splitlines()[1] == (
        f"  1. 2026-10-01 {KIND} (md) to {RECIPIENT}, sha256 {digest}"
        " (not kept: sent before the register kept letters)"
    )
    code, out, err = run_cli(capsysbinary, "letter", case_id, "--copy", "1")
    assert (code, out) == (1, b"")
    assert err == (
        f"error: letter 1 of case {case_id} was sent before the register kept letters: only its"
        f" sha256 {digest} is recorded\n"
    )
    assert run_cli(capsysbinary, "verify")[0] == 0


def test_a_folder_is_never_written_over(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        write_file(tmp_path, b"brev", force=True)
    assert raised.value.message == f"cannot write {tmp_path}: Is a directory"
