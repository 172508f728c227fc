"""Letters: every kind of both bundled ladders in every format, recording `letter_sent`, the
preview, `--list`, `--templates-path`, the template lookup order and Word letterheads."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import docx
import pytest

from conftest import dump_db
from letters_helpers import (
    ORG,
    add_plan,
    add_sanction,
    add_termination,
    events_of,
    new_case,
    open_session,
    resolve_ladder,
    run_cli,
    set_org,
)
from trappa.cases import changes, moves, views
from trappa.errors import Refusal, UserError
from trappa.letters import correspondence
from trappa.letters.documents import docx_text

XHTML = "{http://www.w3.org/1999/xhtml}"


def _kinds(ladder_ref: str) -> list[tuple[str, str, int | None]]:
    """(ladder, kind, the first level whose step calls for it or None) for every kind."""
    view = resolve_ladder(ladder_ref)
    out = []
    for kind in [*view.letters, "handlingsplan", "nedtrappning"]:
        level = next((lv for lv in view.levels if kind in view.step_letters(lv)), None)
        out.append((ladder_ref, kind, level))
    return out


ALL_KINDS = _kinds("regionerna") + _kinds("kalmar")


def _case_for(session, ladder: str, kind: str, level: int | None) -> str:
    """A case at the step that calls for ``kind``, with what the kind is about recorded."""
    if kind == "nedtrappning":
        case_id = new_case(session, ladder=ladder, level=3)
        moves.deescalate(
            session, case_id, to=2, reason="Handlingsplanen har haft avsedd effekt"
        )
        return case_id
    case_id = new_case(session, ladder=ladder, level=level or 0)
    if kind == "handlingsplan" or (level or 0) >= 1:
        add_plan(session, case_id)
    if kind == "meddelande-om-sanktion":
        add_sanction(session, case_id)
    if kind == "meddelande-om-avslut":
        add_termination(session, case_id)
    return case_id


def test_the_bundled_ladders_have_the_kinds_the_issue_names() -> None:
    kinds = {(ladder, kind) for ladder, kind, _ in ALL_KINDS}
    for kind in (
        "avvikelsemeddelande", "begaran-om-handlingsplan", "brev-forsaljningschef",
        "meddelande-om-sanktion", "information-sveriges-regioner", "brev-vd",
        "meddelande-om-sparr", "meddelande-om-avslut",
    ):  # fmt: skip
        assert ("regionerna", kind) in kinds
    assert ("kalmar", "information-kontaktperson") in kinds
    assert ("kalmar", "information-nationellt") in kinds


@pytest.mark.parametrize(("ladder", "kind", "level"), ALL_KINDS, ids=lambda v: str(v))
def test_every_letter_kind_renders_in_every_format(ladder: str, kind: str, level: int | None):
    with open_session() as s:
        set_org(s)
        case_id = _case_for(s, ladder, kind, level)
        state = s.case(case_id)
        rendered = {
            fmt: correspondence.render_letter(s, state, kind, fmt) for fmt in ("md", "html", "docx")
        }
    if level is not None:  # the ladder's own step calls for it: its activity is named
        assert rendered["md"].called_for and rendered["md"].activity is not None

    md = rendered["md"].content.decode("utf-8")
    # Dates in running text as "1 oktober 2026", in tables as 2026-03-14 (skrivregler).
    for text in ("Vårdbemanning Norr AB", case_id, "2026-03-14", "1 oktober 2026"):
        assert text in md, (kind, text)
    assert "Karin Karlsson" not in md  # a letter never names who reported a deviation

    page = ET.fromstring(rendered["html"].content)  # strict XML: well-formed or it raises
    assert page.tag == f"{XHTML}html"
    body = "".join(page.find(f"{XHTML}body").itertext())
    for text in ("Vårdbemanning Norr AB", case_id, "2026-03-14"):
        assert text in body, (kind, text)

    document = docx.Document(io.BytesIO(rendered["docx"].content))
    word = "\n".join(p.text for p in document.paragraphs)
    word += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for text in ("Vårdbemanning Norr AB", case_id, "2026-03-14", "1 oktober 2026"):
        assert text in word, (kind, text)


def test_a_letter_holds_the_org_the_recipient_the_contract_and_the_next_step() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=1)
        text = correspondence.render_letter(s, s.case(case_id), "begaran-om-handlingsplan", "md")
        head = s.store.head()
    md = text.content.decode()
    assert md.startswith("**Region Kalmar län**\\\nUpphandlingsenheten\n")
    assert "**Att:** Kontaktpersonen för avtalet" in md
    assert "(kontaktperson)" not in md  # the ladder's name for the party is the region's word
    assert "**Diarienummer:** RK 2026/1234" in md
    assert "**Avtal:** Bemanning 2025" in md
    assert "# Begäran om handlingsplan\n" in md
    assert "senast 15 oktober 2026" in md  # reply by: two weeks after the letter's date
    assert "flyttas till steg 2, *Handlingsplan utan avsedd effekt*" in md
    assert "## Vägen tillbaka" in md
    # The signature, then the register's head at writing (docs/checkpoints.md).
    assert md.endswith(
        "Anna Andersson, avtalsansvarig\\\nRegion Kalmar län, Upphandlingsenheten\n\n"
        f"*Registrets kontrollsumma vid utskrift: {head.events} händelser, {head.hash[:16]}…*\n"
    )
    assert text.recipient == "Vårdbemanning Norr AB – Leverantören (kontaktperson)"


# --- recording ----------------------------------------------------------------------------------


def test_sending_records_letter_sent_with_the_sha256_of_the_file_and_marks_the_activity_done(
    tmp_path: Path, capsysbinary
) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=1)
    target = tmp_path / "brev.docx"
    code, out, err = run_cli(capsysbinary, "letter", case_id, "begaran-om-handlingsplan",
                             "-o", str(target))
    assert code == 0, err
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    assert out.decode().splitlines() == [
        f"{case_id}: begaran-om-handlingsplan recorded as sent to Vårdbemanning Norr AB –"
        f" Leverantören (kontaktperson) (docx, sha256 {digest})",
        f"wrote {target}",
    ]
    with open_session() as s:
        last = events_of(s, case_id)[-1]
        state = s.case(case_id)
        step = views.step_json(s.ladder_of(state), state)
    assert last.type == "letter_sent"
    assert last.data == {
        "kind": "begaran-om-handlingsplan",
        "recipient": "Vårdbemanning Norr AB – Leverantören (kontaktperson)",
        "format": "docx",
        "sha256": digest,
        "activity": "handlingsplan",
    }
    assert {a["key"]: a["done"] for a in step["activities"]}["handlingsplan"] is True


def test_a_letter_on_stdout_records_the_sha256_of_the_bytes_printed(capsysbinary) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s)
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande",
                             "--format", "html")
    assert code == 0, err
    assert out.startswith(b"<!DOCTYPE html>")
    digest = hashlib.sha256(out).hexdigest()
    assert err == (
        f"{case_id}: avvikelsemeddelande recorded as sent to Vårdbemanning Norr AB – Leverantören"
        f" (html, sha256 {digest})\n"
    )
    with open_session() as s:
        assert events_of(s, case_id)[-1].data["sha256"] == digest


def test_the_same_letter_renders_to_the_same_bytes(tmp_path: Path) -> None:
    # Word files are zips stamped with the time; trappa fixes the stamps so hashes are stable.
    with open_session() as s:
        set_org(s)
        state = s.case(new_case(s))
        first = correspondence.render_letter(s, state, "avvikelsemeddelande", "docx")
        second = correspondence.render_letter(s, state, "avvikelsemeddelande", "docx")
    assert first.sha256 == second.sha256


def test_preview_writes_the_letter_and_records_nothing(tmp_path: Path, capsysbinary) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s)
    db = tmp_path / "trappa.db"
    before = dump_db(db)
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande", "--preview")
    assert code == 0, err
    assert b"# Meddelande om avvikelser i leveransen" in out
    assert err == f"{case_id}: preview of avvikelsemeddelande; nothing recorded\n"
    assert dump_db(db) == before


def test_docx_without_o_goes_to_a_file_named_after_case_and_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary
) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande",
                             "--format", "docx", "--json")
    assert code == 0, err
    result = json.loads(out)
    path = tmp_path / f"{case_id}-avvikelsemeddelande.docx"
    assert result["file"] == str(path)
    assert result["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result["recorded"] is True and result["content"] is None
    assert "Vårdbemanning Norr AB" in docx_text(path.read_bytes())


def test_a_failed_write_records_nothing(tmp_path: Path, capsysbinary) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s)
    before = dump_db(tmp_path / "trappa.db")
    target = tmp_path / "no-such-folder" / "brev.md"
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande",
                             "-o", str(target))
    assert code == 2
    assert err == f"error: cannot write {target}: No such file or directory\n"
    assert dump_db(tmp_path / "trappa.db") == before


def test_a_missing_org_setting_names_the_config_command(tmp_path: Path, capsysbinary) -> None:
    with open_session() as s:
        set_org(s, **{"org.signatory": None})
        case_id = new_case(s)
    before = dump_db(tmp_path / "trappa.db")
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande")
    assert code == 2
    assert err == (
        "error: org.signatory is not set, and the letter needs it: run trappa config set"
        " org.signatory VALUE\n"
    )
    assert out == b""
    assert dump_db(tmp_path / "trappa.db") == before


def test_an_optional_org_setting_may_be_unset() -> None:
    with open_session() as s:
        set_org(s, **{"org.unit": None})
        state = s.case(new_case(s))
        md = correspondence.render_letter(s, state, "avvikelsemeddelande", "md").content.decode()
    assert md.startswith("**Region Kalmar län**\n\n1 oktober 2026\n")


def test_an_unknown_kind_is_bad_input_listing_the_kinds(capsysbinary) -> None:
    with open_session() as s:
        case_id = new_case(s)
    code, out, err = run_cli(capsysbinary, "letter", case_id, "brev-till-tomten")
    assert code == 2
    assert err == (
        "error: ladder regionerna@2024-04-01 has no letter kind 'brev-till-tomten'; the kinds are"
        " avvikelsemeddelande, begaran-om-handlingsplan, brev-forsaljningschef, brev-vd,"
        " information-sveriges-regioner, meddelande-om-avslut, meddelande-om-sanktion,"
        " meddelande-om-sparr, handlingsplan, nedtrappning\n"
    )


def test_a_kind_the_step_does_not_call_for_is_sent_with_a_note(capsysbinary) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=1)
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["called_for"], result["activity"], result["recorded"]) == (False, None, True)
    assert err == ""  # with --json, the note is the called_for field
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande")
    assert err.splitlines()[-1] == (
        "note: step 1 does not call for avvikelsemeddelande; sending it marks no activity done"
    )
    with open_session() as s:
        state = s.case(case_id)
        assert state.done_at_current_level() == set()
        assert [letter["kind"] for letter in state.letters_sent] == ["avvikelsemeddelande"] * 2


def test_documents_about_a_fact_need_the_fact() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=2)
        state = s.case(case_id)
        with pytest.raises(Refusal) as plan:
            correspondence.render_letter(s, state, "handlingsplan", "md")
        with pytest.raises(Refusal) as sanction:
            correspondence.render_letter(s, state, "meddelande-om-sanktion", "md")
        with pytest.raises(Refusal) as down:
            correspondence.render_letter(s, state, "nedtrappning", "md")
    assert plan.value.message == f"case {case_id} has no action plan to render"
    assert sanction.value.message == f"case {case_id} has no sanction recorded to give notice of"
    assert sanction.value.hint == (
        f"record it first: trappa sanction {case_id} --kind KIND --reason TEXT"
    )
    assert down.value.message == (
        f"case {case_id} was not last moved down; there is no de-escalation to confirm"
    )


def test_a_closed_case_gets_previews_but_records_no_letter(capsysbinary) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s)
        changes.close(s, case_id, "Avslutat")
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande")
    assert code == 1
    assert err.splitlines()[0] == f"error: case {case_id} is closed (2026-10-01)"
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande", "--preview")
    assert code == 0 and b"# Meddelande om avvikelser i leveransen" in out


def test_date_and_reply_by_options(capsysbinary) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s)
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande", "--preview",
                             "--date", "2026-10-01", "--reply-by", "2026-10-09")
    assert code == 0, err
    assert "senast 9 oktober 2026 skriftligen" in out.decode()
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande",
                             "--reply-by", "9 oktober")
    assert (code, err) == (2, "error: --reply-by: '9 oktober' is not a date; write it as"
                              " YYYY-MM-DD\n")


def test_render_plan_is_the_action_plan_document() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=1)
        add_plan(s, case_id)
        before = len(events_of(s, case_id))
        md = correspondence.render_plan(s, case_id, "md").decode()
        assert len(events_of(s, case_id)) == before  # rendering records nothing
    assert md.startswith("# Handlingsplan\n")
    assert "| 1 | Bekräfta varje pass 48 timmar i förväg | Per Persson | 2026-11-30 |" in md
    # Room to sign, for both parties, each with the name written out.
    assert md.count("Underskrift: ....") == 2
    assert "**För Region Kalmar län**" in md and "**För Vårdbemanning Norr AB**" in md
    assert "Namnförtydligande: Anna Andersson, avtalsansvarig" in md
    assert "Namnförtydligande: Per Persson" in md


# --- --list and --templates-path ----------------------------------------------------------------


def test_list_shows_what_the_step_calls_for_and_what_was_sent(capsysbinary) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=2)
        add_sanction(s, case_id)
    run_cli(capsysbinary, "letter", case_id, "meddelande-om-sanktion", "--format", "html")
    code, out, err = run_cli(capsysbinary, "letter", case_id, "--list", "--json")
    assert code == 0, err
    listing = json.loads(out)
    assert [row["kind"] for row in listing["called_for"]] == [
        "brev-forsaljningschef", "meddelande-om-sanktion"
    ]
    sent = listing["called_for"][1]["sent"]
    assert [(x["date"], x["format"], x["at_this_step"]) for x in sent] == [
        ("2026-10-01", "html", True)
    ]
    assert "handlingsplan" in [row["kind"] for row in listing["other"]]
    code, out, err = run_cli(capsysbinary, "letter", case_id, "--list")
    lines = out.decode().splitlines()
    assert lines[0] == f"{case_id} at step 2: Handlingsplan utan avsedd effekt"
    assert lines[3] == (
        "  meddelande-om-sanktion: Meddelande om sanktion enligt avtal → Vårdbemanning Norr AB –"
        " Leverantören (sent 2026-10-01)"
    )


def test_a_letter_without_a_kind_says_what_the_step_calls_for(capsysbinary) -> None:
    with open_session() as s:
        case_id = new_case(s, level=3)
    code, out, err = run_cli(capsysbinary, "letter", case_id)
    assert code == 2
    assert err == (
        "error: give a letter kind, or --list to see them\n"
        f"hint: step 3 of {case_id} calls for: information-sveriges-regioner, brev-vd\n"
    )


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_templates_path_shows_where_each_kind_comes_from(tmp_path: Path, capsysbinary) -> None:
    user = tmp_path / "mallar"
    own = _write(user / "sv" / "brev-vd.md.j2", "Eget brev till {{ supplier.name }}\n")
    with open_session() as s:
        case_id = new_case(s, ladder="kalmar")
    code, out, err = run_cli(capsysbinary, "letter", "--templates-path", case_id,
                             "--templates", str(user), "--json")
    assert code == 0, err
    rows = {row["kind"]: row for row in json.loads(out)["kinds"]}
    assert (rows["brev-vd"]["template"], rows["brev-vd"]["origin"]) == (str(own), "user")
    assert rows["information-nationellt"]["origin"] == "ladder kalmar"
    assert rows["information-nationellt"]["template"].endswith(
        "templates/sv/kalmar/information-nationellt.md.j2"
    )
    assert rows["avvikelsemeddelande"]["origin"] == "default"
    assert rows["dossier"]["origin"] == "default"


def test_templates_path_without_a_case_uses_the_default_ladder(capsysbinary) -> None:
    code, out, err = run_cli(capsysbinary, "letter", "--templates-path")
    assert code == 0, err
    first = out.decode().splitlines()[0].split()
    assert first[0] == "avvikelsemeddelande"
    assert first[1].endswith("templates/sv/avvikelsemeddelande.md.j2") and first[2] == "(default)"


def test_lookup_order_user_ladder_folder_then_user_then_ladder_override_then_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = tmp_path / "mallar"
    monkeypatch.setenv("TRAPPA_TEMPLATES", str(user))
    _write(user / "sv" / "kalmar" / "brev-vd.md.j2", "kalmar-mapp {{ case.id }}\n")
    _write(user / "sv" / "brev-vd.md.j2", "användarens {{ case.id }}\n")
    _write(user / "sv" / "information-nationellt.md.j2", "användarens nationella\n")
    with open_session() as s:
        set_org(s)
        kalmar = s.case(new_case(s, ladder="kalmar", level=3))
        national = s.case(new_case(s, ladder="regionerna", supplier="Annat AB", org_nr=None))

        def md(state, kind: str) -> str:
            return correspondence.render_letter(s, state, kind, "md").content.decode()

        assert md(kalmar, "brev-vd") == f"kalmar-mapp {kalmar.id}\n"
        assert md(national, "brev-vd") == f"användarens {national.id}\n"
        assert md(kalmar, "information-nationellt") == "användarens nationella\n"
        monkeypatch.delenv("TRAPPA_TEMPLATES")
        assert "# Information om ett leverantörsärende i eskaleringstrappan" in md(
            kalmar, "information-nationellt")


def test_a_variant_of_a_variant_finds_its_bases_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # kalmar-norr extends kalmar, which extends regionerna: Kalmar's own letters still apply.
    _write(
        tmp_path / "ladders" / "kalmar-norr" / "2025.yaml",
        'format: trappa/ladder@1\nid: kalmar-norr\nversion: "2025"\n'
        "title: Kalmar norra länsdelen\nextends: kalmar@2024\n",
    )
    monkeypatch.setenv("TRAPPA_LADDERS", str(tmp_path / "ladders"))
    with open_session() as s:
        set_org(s)
        state = s.case(new_case(s, ladder="kalmar-norr", level=2))
        ladder = s.ladder_of(state)
        assert correspondence.ladder_lineage(ladder) == ["kalmar-norr", "kalmar", "regionerna"]
        letter = correspondence.render_letter(s, state, "information-kontaktperson", "md")
    assert letter.template.parts[-3:] == ("sv", "kalmar", "information-kontaktperson.md.j2")
    assert "# Information om ärendet i eskaleringstrappan" in (
        letter.content.decode()
    )


def test_a_templates_folder_that_does_not_exist_is_an_error(tmp_path: Path, capsysbinary):
    with open_session() as s:
        case_id = new_case(s)
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande",
                             "--templates", str(tmp_path / "saknas"), "--preview")
    assert code == 2
    assert "saknas" in err and "Traceback" not in err


# --- Word letterheads ---------------------------------------------------------------------------


def test_a_docx_letterhead_in_the_user_folder_is_filled_in_with_docxtpl(tmp_path: Path) -> None:
    user = tmp_path / "mallar" / "sv"
    user.mkdir(parents=True)
    head = docx.Document()
    head.add_paragraph("BREVHUVUD {{ org.name }}")
    head.add_paragraph("Till {{ supplier.name }}, ärende {{ case.id }}, {{ date|datum }}")
    head.add_paragraph("{%p for p in paragraphs %}")
    head.add_paragraph("{{ p }}")
    head.add_paragraph("{%p endfor %}")
    head.save(user / "avvikelsemeddelande.docx")
    with open_session() as s:
        set_org(s)
        state = s.case(new_case(s, supplier="Bygg & Co <AB>", org_nr=None))
        letter = correspondence.render_letter(
            s, state, "avvikelsemeddelande", "docx", templates=tmp_path / "mallar"
        )
    assert letter.letterhead == user / "avvikelsemeddelande.docx"
    text = docx_text(letter.content).splitlines()
    assert text[:2] == [
        "BREVHUVUD Region Kalmar län",
        f"Till Bygg & Co <AB>, ärende {state.id}, 1 oktober 2026",
    ]
    assert "Meddelande om avvikelser i leveransen" in text  # the text, paragraph by paragraph
    assert "Med vänliga hälsningar" in text


def test_the_letter_date_is_the_recorded_date() -> None:
    with open_session(today=dt.date(2026, 10, 1)) as s:
        set_org(s)
        case_id = new_case(s)
    with open_session(today=dt.date(2026, 10, 5)) as s:
        result = correspondence.produce(
            s, case_id, "avvikelsemeddelande", "md", lambda letter: None,
            date=dt.date(2026, 10, 3),
        )
        assert events_of(s, case_id)[-1].date == "2026-10-03"
    assert result.date == "2026-10-03"
    assert "\n3 oktober 2026\n" in result.letter.content.decode()
    assert ORG["org.name"] in result.letter.content.decode()


def test_a_bad_format_is_bad_input() -> None:
    with open_session() as s:
        case_id = new_case(s)
        with pytest.raises(UserError) as error:
            correspondence.produce(s, case_id, "avvikelsemeddelande", "rtf", lambda letter: None)
    assert error.value.message == "format 'rtf' is not one of md, html, docx, pdf"
