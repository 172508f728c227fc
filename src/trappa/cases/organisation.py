"""The organisation's logo and Word letterhead, kept in the register (``trappa config set
org.logo FILE``, ``org.letterhead FILE.docx``), so that every member of a team prints the same
letters whatever their own files.

Each setting holds ``sha256:<hex>`` of the file's bytes, which are kept with the sent letters'
(content-addressed, never changed). A register whose ``org.logo`` was set before holds a file's
path instead; such a logo is read from that file while it exists.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from trappa.cases.session import Session
from trappa.errors import UserError
from trappa.messages import say

LOGO_SETTING = "org.logo"
LETTERHEAD_SETTING = "org.letterhead"
KEPT = "sha256:"
MAX_LOGO_BYTES = 2 * 1024 * 1024  # a letterhead's logo, not a photograph
MAX_LETTERHEAD_BYTES = 10 * 1024 * 1024
# What Word and the PDF library both read, told by the first bytes rather than the name.
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def read_logo(name: str) -> bytes:
    """The bytes of the image file ``name``, checked: a PNG, JPEG or GIF of at most 2 MiB."""
    content = _read(LOGO_SETTING, name, MAX_LOGO_BYTES)
    if not content.startswith(_SIGNATURES):
        raise UserError(say("config.logo.not_image", file=name))
    # Decoded once here, as Word and the PDF library will: a damaged image kept in the register
    # would break every member's letters.
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
    except (OSError, ValueError, SyntaxError):  # what Pillow raises for a damaged file
        raise UserError(say("config.logo.not_image", file=name)) from None
    return content


def read_letterhead(name: str) -> bytes:
    """The bytes of the Word document ``name``, checked: a .docx (a zip holding the document's
    body) of at most 10 MiB whose template fields parse, so that a letterhead every member's
    letters use is not broken for all of them. What the fields name is checked when a letter
    renders it."""
    content = _read(LETTERHEAD_SETTING, name, MAX_LETTERHEAD_BYTES)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        raise UserError(say("config.letterhead.not_docx", file=name)) from None
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError

    try:
        DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables()
    except TemplateSyntaxError as exc:
        raise UserError(say("config.letterhead.template", file=name,
                            detail=exc.message or str(exc))) from None
    except (ValueError, KeyError, zipfile.BadZipFile):
        raise UserError(say("config.letterhead.not_docx", file=name)) from None
    return content


def _read(key: str, name: str, most: int) -> bytes:
    path = Path(name).expanduser()
    try:
        if path.exists() and not path.is_file():  # a device or a pipe: never read to its end
            raise UserError(say("config.file.not_a_file", key=key, file=name))
        with path.open("rb") as file:
            content = file.read(most + 1)
    except OSError as exc:
        raise UserError(say("config.file.unreadable", key=key, file=name,
                            detail=exc.strerror or str(exc))) from exc
    if len(content) > most:
        raise UserError(say("config.file.too_large", key=key, file=name,
                            most=most // (1024 * 1024)))
    return content


def keep_file(session: Session, key: str, content: bytes) -> str:
    """Keep a file's bytes in the register as the organisation's ``key`` (the logo or the
    letterhead); return the setting's value."""
    store = session.store
    with store.transaction():
        value = KEPT + store.keep_document(content)
        store.set_setting(key, value)
    return value


def org_logo(session: Session) -> bytes | None:
    """The organisation's logo, or None when none is set (or a file set before is gone)."""
    value = session.store.get_setting(LOGO_SETTING)
    if not value:
        return None
    if value.startswith(KEPT):
        return session.store.document(value[len(KEPT):])
    try:
        return read_logo(value)
    except UserError:
        return None  # the header then has the organisation's name alone


def org_letterhead(session: Session) -> bytes | None:
    """The organisation's Word letterhead, or None when none is kept."""
    value = session.store.get_setting(LETTERHEAD_SETTING)
    if not value or not value.startswith(KEPT):
        return None
    return session.store.document(value[len(KEPT):])
