"""Golden files: one letter, byte for byte in Markdown and HTML and by its text in Word.

A change to a template or to the rendering shows here as a diff to review. When the change is
meant, refresh the files with ``pytest tests/letters/test_letters_golden.py --update-golden`` and
commit
them with the change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from letters_helpers import add_plan, new_case, open_session, set_org
from trappa.letters import correspondence
from trappa.letters.documents import docx_text

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The request for an action plan, at step 1, of a fixed case on a fixed date."""
    # A fixed recording time and fixed salts: the letter states the register's head, whose
    # hash covers the time and the salted digests of the names.
    monkeypatch.setattr("trappa.cases.session.now_utc", lambda: "2026-10-01T08:00:00+00:00")
    monkeypatch.setattr("trappa.store.events.os.urandom", lambda n: bytes(n))
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=1)
        add_plan(s, case_id)
        state = s.case(case_id)
        return {
            fmt: correspondence.render_letter(s, state, "begaran-om-handlingsplan", fmt).content
            for fmt in ("md", "html", "docx")
        }


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("md", "begaran-om-handlingsplan.md"), ("html", "begaran-om-handlingsplan.html"),
     ("docx", "begaran-om-handlingsplan.docx.txt")],
)
def test_the_letter_matches_its_golden_file(
    rendered: dict[str, bytes], update_golden: bool, fmt: str, name: str
) -> None:
    actual = rendered[fmt]
    if fmt == "docx":  # a Word file is a zip: compare what it says
        actual = docx_text(actual).encode("utf-8")
    path = GOLDEN / name
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(actual)
    assert path.exists(), f"no golden file {path}: run pytest --update-golden"
    assert actual.decode("utf-8") == path.read_text(encoding="utf-8")
