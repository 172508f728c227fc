"""A user's template cannot reach Python, a broken one is reported at its line, and a supplier
called `<script>` stays text in every format."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import dump_db
from letters_helpers import new_case, open_session, run_cli, set_org
from trappa.errors import ProblemsError, UserError
from trappa.letters import correspondence, template_bounds, templating
from trappa.letters.documents import docx_text, markdown_parser
from trappa.letters.frame import Frame
from trappa.letters.templating import clean_text, escape_markdown
from trappa.letters.word import markdown_to_docx


def _template(tmp_path: Path, kind: str, text: str) -> Path:
    path = tmp_path / "mallar" / "sv" / f"{kind}.md.j2"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        (
            "rad ett\nrad två\n{{ ''.__class__.__mro__ }}\n",
            3,
            "not allowed in a template: access to attribute '__class__' of 'str' object is unsafe",
        ),
        (
            "{{ supplier.name }}\n{{ cycler.__init__.__globals__ }}\n",
            2,
            "not allowed in a template: access to attribute '__init__' of 'type' object is unsafe",
        ),
        (
            "{% set lista = [] %}\n{{ lista.append(1) }}\n",
            2,
            "not allowed in a template: access to attribute 'append' of 'list' object is unsafe",
        ),
        (
            "{{ case.id }}\n\n{{ leverantor.namn }}\n",
            3,
            "'leverantor' is undefined",
        ),
        (
            "{{ supplier.namn }}\n",
            1,
            "'dict object' has no attribute 'namn'",
        ),
        (
            "rad ett\n{% if %}\n",
            2,
            "syntax error: Expected an expression, got 'end of statement block'",
        ),
        (
            "{% include '_finns_inte.md.j2' %}\n",
            1,
            "the template _finns_inte.md.j2 it includes was not found",
        ),
        (
            "ett\ntvå\n{{ 1 / 0 }}\n",
            3,
            "the template failed: ZeroDivisionError: division by zero",
        ),
        (
            "ett\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
            "{% endfor %}\n",
            2,
            "the template ran past 250,000 steps (loop rounds, calls and range numbers); "
            "a letter needs far fewer",
        ),
        (
            "ett\ntvå\n{% for i in range(2000) %}{{ 'x' * 10000 }}{% endfor %}\n",
            3,
            "the letter grew past 10,000,000 characters; a letter is far shorter",
        ),
        (
            "ett\n{{ 'x' * 1000000000 }}\n",
            2,
            "the letter grew past 10,000,000 characters; a letter is far shorter",
        ),
        (
            "ett\n{{ 10 ** 100000000 }}\n",
            2,
            "a power with an exponent over 1,000 is not allowed",
        ),
        (
            "{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n",
            1,
            "a macro calls itself without end",
        ),
    ],
    ids=["class-mro", "globals", "mutation", "undefined", "no-attribute", "syntax", "include",
         "runtime", "loops", "output", "repeat", "power", "recursion"],
)
def test_a_template_error_is_reported_at_its_line_and_records_nothing(
    tmp_path: Path, capsysbinary, source: str, line: int, message: str
) -> None:
    path = _template(tmp_path, "avvikelsemeddelande", source)
    with open_session() as s:
        set_org(s)
        case_id = new_case(s)
    before = dump_db(tmp_path / "trappa.db")
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande",
                             "--templates", str(tmp_path / "mallar"))
    assert (code, out) == (2, b"")
    assert err == f"{path}:{line}:1: {message}\n"
    assert dump_db(tmp_path / "trappa.db") == before


def test_nested_range_loops_end_at_once(tmp_path: Path) -> None:
    path = _template(tmp_path, "brev", "{% for i in range(100000) %}\n"
                     "{% for j in range(100000) %}{% endfor %}\n"
                     "{% endfor %}\n")
    places = [templating.Place(path.parent, "user")]
    start = time.process_time()  # CPU time: other work on the machine does not count
    with pytest.raises(ProblemsError) as caught:
        templating.render(path, places, {})
    assert time.process_time() - start < 1.0  # it takes about 0.2 s; unbounded, for ever
    assert caught.value.message == (
        f"{path}:2:1: the template ran past 250,000 steps (loop rounds, calls and range "
        "numbers); a letter needs far fewer"
    )


def test_a_slow_template_ends_at_the_time_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A macro that calls itself twice, 60 deep: each call is slow, there are 2**60 of them.
    path = _template(tmp_path, "brev", "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}"
                     "{% endif %}{% endmacro %}\n{{ f(60) }}\n")
    monkeypatch.setattr(template_bounds, "MAX_SECONDS", 0.05)
    with pytest.raises(ProblemsError) as caught:
        templating.render(path, [templating.Place(path.parent, "user")], {})
    assert caught.value.message == (
        f"{path}:1:1: the template ran for more than 0.05 seconds; a letter takes far less"
    )


def test_loops_within_the_bounds_work_as_in_jinja(tmp_path: Path) -> None:
    path = _template(tmp_path, "brev", (
        "{% for x in items %}{{ x }}{% if not loop.last %},{% endif %}{% endfor %}\n"
        "{% for x in items %}{{ loop.revindex }}/{{ loop.length }} {% endfor %}\n"
        "{% for x in [] %}x{% else %}tom{% endfor %}\n"
        "{% for n in tree recursive %}{{ n.name }}({{ loop(n.children) }}){% endfor %}\n"
        "{{ range(3) | list | length }} {{ 2 ** 10 }} {{ 'ab' * 2 }}\n"
    ))
    tree = [{"name": "a", "children": [{"name": "b", "children": []}]}]
    text = templating.render(path, [templating.Place(path.parent, "user")],
                             {"items": [1, 2, 3], "tree": tree})
    # trim_blocks takes the line break after each block tag
    assert text == "1,2,33/3 2/3 1/3 toma(b())3 1024 abab\n"


def test_an_error_in_an_included_part_names_the_part(tmp_path: Path, capsysbinary) -> None:
    # The user's own letter layout overrides the bundled one for every letter.
    part = _template(tmp_path, "_brev", "**{{ org.name }}**\n\n{{ org.fax }}\n")
    part = part.rename(part.with_name("_brev.md.j2"))
    with open_session() as s:
        set_org(s)
        case_id = new_case(s)
    code, out, err = run_cli(capsysbinary, "letter", case_id, "avvikelsemeddelande", "--preview",
                             "--templates", str(tmp_path / "mallar"))
    assert code == 2
    assert err == f"{part}:3:1: 'dict object' has no attribute 'fax'\n"


MALICIOUS = '<script>alert("x")</script> & *Bolaget* [AB](javascript:alert(1)) | #1'


def test_a_malicious_supplier_name_is_text_in_every_format() -> None:
    with open_session() as s:
        set_org(s)
        state = s.case(new_case(s, supplier=MALICIOUS, org_nr=None))
        md, page, word = (
            correspondence.render_letter(s, state, "avvikelsemeddelande", fmt).content
            for fmt in ("md", "html", "docx")
        )
    text = md.decode()
    assert (
        r'**Till:** \<script\>alert("x")\</script\> & \*Bolaget\* \[AB\](javascript:alert(1))'
        r" \| #1" in text
    )
    assert "<script" not in page.decode() and "javascript:alert(1)</a>" not in page.decode()
    assert "href" not in page.decode()
    root = ET.fromstring(page)
    body = "".join(root.itertext())
    assert f"Till: {MALICIOUS}" in body  # shown exactly as the supplier is called
    assert f"Till: {MALICIOUS}" in docx_text(word)


def test_control_characters_are_dropped_and_word_stays_valid() -> None:
    # `report` refuses control characters, but a value may reach the database another way (an
    # older trappa, a script): the letter still drops them and Word stays valid.
    name = "Region\x00 \x07Norr\x1b[31m\u200b & <Co>"
    with open_session() as s:
        set_org(s, **{"org.name": name})
        state = s.case(new_case(s))
        word = correspondence.render_letter(s, state, "avvikelsemeddelande", "docx").content
        md = correspondence.render_letter(s, state, "avvikelsemeddelande", "md").content.decode()
    assert "Region Norr[31m\u200b & <Co>" in docx_text(word)
    assert "\x1b" not in md and "\x00" not in md and "\x07" not in md
    assert "Region Norr\\[31m\u200b & \\<Co\\>" in md


def test_a_supplier_name_with_control_characters_is_refused_at_the_door() -> None:
    with open_session() as s, pytest.raises(UserError) as refused:
        new_case(s, supplier="Bolag\x1b[31m AB", org_nr=None)
    assert refused.value.message == (
        "--supplier must be one line of text, without control characters"
    )


def test_markdown_to_word_survives_characters_xml_cannot_hold() -> None:
    frame = Frame(title="t\x02", date=dt.date(2026, 1, 1), header=("Region\x03",),
                  footer="Dnr\x04 1")
    data = markdown_to_docx("# Rubrik\x0b\n\nText\x01 med \x1f & < >\n", frame)
    assert docx_text(data) == "Rubrik\nText med  & < >\n"
    assert docx.Document(io.BytesIO(data)).core_properties.title == "t"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_an_escaped_value_renders_as_exactly_its_text(value: str) -> None:
    """Whatever a value holds, it becomes one paragraph of literal text: no heading, list, quote,
    code, emphasis, link or HTML."""
    rendered = markdown_parser().render(escape_markdown(value))
    expected = clean_text(value)
    if not expected:
        assert rendered == ""
        return
    match = re.fullmatch(r"<p>(.*)</p>\n", rendered, re.DOTALL)
    assert match, rendered
    assert html.unescape(match.group(1)) == expected


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="|*_`[]()<>#-+=!\\&;:.1 ab", max_size=30))
def test_an_escaped_value_keeps_a_table_row_whole(value: str) -> None:
    row = markdown_parser().render(f"| a | b |\n| --- | --- |\n| {escape_markdown(value)} | x |\n")
    cells = re.findall(r"<td>(.*?)</td>", row, re.DOTALL)
    assert len(cells) == 2
    assert html.unescape(cells[0]) == clean_text(value).strip()
