"""The organisation's logo and Word letterhead are kept in the register (`trappa config set
org.logo FILE`, `org.letterhead FILE.docx`): every letter carries them whoever prints it and
whether or not the files are still there; a file that is neither is refused and changes
nothing."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from PIL import Image

from conftest import dump_db
from letters_helpers import new_case, open_session, run_cli, set_org


def _png(path: Path, colour: str = "navy") -> bytes:
    Image.new("RGB", (120, 40), colour).save(path, format="PNG")
    return path.read_bytes()


def _large_png(path: Path) -> None:
    """A PNG's signature, then 3 MiB (sparse): too large for a letterhead's logo."""
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    os.truncate(path, 3 * 1024 * 1024)


@pytest.fixture
def case_id() -> str:
    with open_session() as s:
        set_org(s)
        return new_case(s, level=1)


def _header_images(docx: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return [archive.read(name) for name in archive.namelist()
                if name.startswith("word/media/")]


def _pdf_image_count(pdf: bytes) -> int:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    return len(page.images)


def test_a_kept_logo_heads_every_letter_after_its_file_is_gone(
    case_id: str, capsysbinary, tmp_path: Path
) -> None:
    logo = tmp_path / "region.png"
    content = _png(logo)
    code, out, err = run_cli(capsysbinary, "config", "set", "org.logo", str(logo))
    assert code == 0, err
    assert out.decode().startswith("org.logo = sha256:")
    logo.unlink()  # another member of the team, on another machine, has no such file
    docx, pdf = tmp_path / "brev.docx", tmp_path / "brev.pdf"
    for target in (docx, pdf):
        code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande",
                                 "--format", target.suffix[1:], "-o", str(target), "--preview")
        assert code == 0, err
    assert _header_images(docx.read_bytes()) == [content]
    assert _pdf_image_count(pdf.read_bytes()) == 1


def test_no_logo_no_image(case_id: str, capsysbinary, tmp_path: Path) -> None:
    docx = tmp_path / "brev.docx"
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande",
                             "--format", "docx", "-o", str(docx), "--preview")
    assert code == 0, err
    assert _header_images(docx.read_bytes()) == []


def test_a_logo_set_as_a_path_before_is_still_read(
    case_id: str, capsysbinary, tmp_path: Path
) -> None:
    logo = tmp_path / "gammal.png"
    content = _png(logo, "darkgreen")
    with open_session() as s:
        set_org(s, **{"org.logo": str(logo)})
    docx = tmp_path / "brev.docx"
    run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande", "--format", "docx",
            "-o", str(docx), "--preview")
    assert _header_images(docx.read_bytes()) == [content]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (None, "error: org.logo: {file}: No such file or directory"),
        (lambda p: p.write_text("inte en bild"), "error: org.logo: {file} is not a PNG, JPEG or"
                                                  " GIF image"),
        (lambda p: _large_png(p), "error: org.logo: {file} is larger than 2 MiB"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n trasig"),  # a PNG's start, then no image
         "error: org.logo: {file} is not a PNG, JPEG or GIF image"),
    ],
)
def test_a_file_that_is_no_logo_is_refused_and_changes_nothing(
    case_id: str, capsysbinary, tmp_path: Path, make, message: str
) -> None:
    path = tmp_path / "logo.png"
    if make is not None:
        make(path)
    db = Path(os.environ["TRAPPA_DB"])
    before = dump_db(db)
    code, out, err = run_cli(capsysbinary, "config", "set", "org.logo", str(path))
    assert (code, err) == (2, message.format(file=path) + "\n")
    assert dump_db(db) == before


def _letterhead(path: Path) -> None:
    head = docx.Document()
    head.add_paragraph("REGIONENS BREVPAPPER {{ org.name }}")
    head.add_paragraph("{%p for p in paragraphs %}")
    head.add_paragraph("{{ p }}")
    head.add_paragraph("{%p endfor %}")
    head.save(path)


def test_the_registers_letterhead_is_every_kinds_word_letter(
    case_id: str, capsysbinary, tmp_path: Path
) -> None:
    path = tmp_path / "brevpapper.docx"
    _letterhead(path)
    code, out, err = run_cli(capsysbinary, "config", "set", "org.letterhead", str(path))
    assert code == 0, err
    path.unlink()
    target = tmp_path / "brev.docx"
    code, out, err = run_cli(capsysbinary, "letter", case_id, "begaran-om-handlingsplan",
                             "--format", "docx", "-o", str(target), "--preview", "--json")
    assert code == 0, err
    assert json.loads(out)["letterhead"] == "org.letterhead"
    paragraphs = [p.text for p in docx.Document(str(target)).paragraphs]
    assert paragraphs[0] == "REGIONENS BREVPAPPER Region Kalmar län"
    assert "Begäran om handlingsplan" in paragraphs


def test_a_file_that_is_no_word_document_is_no_letterhead(
    case_id: str, capsysbinary, tmp_path: Path
) -> None:
    path = tmp_path / "brevpapper.docx"
    path.write_bytes(b"PK\x03\x04 inte ett dokument")
    db = Path(os.environ["TRAPPA_DB"])
    before = dump_db(db)
    code, out, err = run_cli(capsysbinary, "config", "set", "org.letterhead", str(path))
    assert (code, err) == (2, f"error: org.letterhead: {path} is not a Word document (.docx)\n")
    assert dump_db(db) == before


def test_a_letterhead_whose_fields_do_not_parse_is_refused_before_anyone_uses_it(
    case_id: str, capsysbinary, tmp_path: Path
) -> None:
    path = tmp_path / "trasig.docx"
    head = docx.Document()
    head.add_paragraph("{{ org.name ")  # never closed
    head.save(path)
    db = Path(os.environ["TRAPPA_DB"])
    before = dump_db(db)
    code, out, err = run_cli(capsysbinary, "config", "set", "org.letterhead", str(path))
    assert code == 2
    assert err.startswith(f"error: org.letterhead: {path}: its template fields do not parse: ")
    assert len(err.splitlines()) == 1
    assert dump_db(db) == before
