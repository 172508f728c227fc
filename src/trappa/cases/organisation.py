"""The organisation's logo, kept in the register (``trappa config set org.logo FILE``), so that
every member of a team prints the same letterhead whatever their own files.

The setting holds ``sha256:<hex>`` of the image's bytes, which are kept with the sent letters'
(content-addressed, never changed). A register whose ``org.logo`` was set before holds a file's
path instead; such a logo is read from that file while it exists.
"""

from __future__ import annotations

from pathlib import Path

from trappa.cases.session import Session
from trappa.errors import UserError
from trappa.messages import say

LOGO_SETTING = "org.logo"
KEPT = "sha256:"
MAX_LOGO_BYTES = 2 * 1024 * 1024  # a letterhead's logo, not a photograph
# What Word and the PDF library both read, told by the first bytes rather than the name.
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def read_logo(name: str) -> bytes:
    """The bytes of the image file ``name``, checked: a PNG, JPEG or GIF of at most 2 MiB."""
    path = Path(name).expanduser()
    try:
        if path.stat().st_size > MAX_LOGO_BYTES:
            raise UserError(say("config.logo.too_large", file=name,
                                most=MAX_LOGO_BYTES // (1024 * 1024)))
        content = path.read_bytes()
    except OSError as exc:
        raise UserError(say("config.logo.unreadable", file=name,
                            detail=exc.strerror or str(exc))) from exc
    if not content.startswith(_SIGNATURES):
        raise UserError(say("config.logo.not_image", file=name))
    return content


def keep_logo(session: Session, content: bytes) -> str:
    """Keep the logo's bytes in the register and make it the organisation's; return the
    setting's value."""
    store = session.store
    with store.transaction():
        value = KEPT + store.keep_document(content)
        store.set_setting(LOGO_SETTING, value)
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
