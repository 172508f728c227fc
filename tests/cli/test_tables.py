"""Tables that fit the terminal: at 60, 80 and 100 columns no name, case id or heading is cut,
no line is wider than the terminal, a column left out is named, and --wide keeps them all."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from trappa.cli import app
from trappa.cli.tables import Column, fit

runner = CliRunner()

SUPPLIER = "Läkarhuset Östra Stockholm Vårdcentral AB"
CONTRACT = "Ramavtal Primärvårdstjänster Norra Stockholms län 2025–2028"
OTHER = "Tandvårdsförvaltningens Specialistklinik Sydöstra Götaland AB"
DESCRIPTION = "Beställd sjuksköterska uteblev från nattpasset på akutmottagningen"
WIDTHS = (60, 80, 100)
BORDERS = "│┃"


def trappa(*args: str, width: int = 120) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def register() -> None:
    """Two suppliers with long Swedish names; one case with a plan, a sanction and a note."""
    trappa("report", "--supplier", SUPPLIER, "--org-nr", "556677-8899", "--contract", CONTRACT,
           "--criticality", "4", "--category", "leverans", "--observed", "2026-09-01",
           "--description", DESCRIPTION)
    trappa("report", "--supplier", SUPPLIER, "--contract", CONTRACT, "--category",
           "kvalitet", "--description", "Legitimation kunde inte uppvisas vid passets början")
    trappa("report", "--supplier", OTHER, "--contract", "Specialisttandvård 2026",
           "--description", "Remissvar försenade")
    trappa("escalate", "2026-0001")
    trappa("plan", "2026-0001", "--due", "2026-10-20", "--item",
           "Bekräfta varje pass 48 timmar i förväg")
    trappa("sanction", "2026-0001", "--kind", "vite", "--amount", "25000", "--reason",
           "Avtalsvite enligt punkt 7.3 för uteblivet pass")


def columns(output: str) -> list[str]:
    """The text of every column of every table in ``output``, each cell's lines joined by
    spaces in order: a name wrapped over several lines reads whole here, a name cut does not."""
    found: list[str] = []
    table: list[list[str]] = []
    for line in output.splitlines():
        if line[:1] in BORDERS:
            parts = [part.strip() for part in line[1:-1].replace("┃", "│").split("│")]
            if not table:
                table = [[] for _ in parts]
            for column, part in zip(table, parts, strict=True):
                if part:
                    column.append(part)
        elif line[:1] in "┏┡":  # the top, and the rule under the headings: the table goes on
            continue
        elif table:
            found.extend(" ".join(column) for column in table)
            table = []
    found.extend(" ".join(column) for column in table)
    return found


def assert_fits(output: str, width: int, *whole: str) -> None:
    assert "…" not in output
    for line in output.splitlines():
        assert len(line) <= width, line
    texts = columns(output)
    plain = " ".join(output.split())
    for name in whole:
        assert any(name in text for text in texts) or name in plain, name


@pytest.mark.usefixtures("register")
@pytest.mark.parametrize("width", WIDTHS)
def test_status_and_review_cut_no_name_at_any_width(width: int) -> None:
    assert_fits(trappa("status", width=width), width, "2026-0001", "2026-0002", SUPPLIER,
                OTHER, "case", "supplier", "light")
    # By then the action plan is overdue.
    review = trappa("review", "--as-of", "2026-10-25", width=width)
    assert_fits(review, width, "2026-0001", SUPPLIER, "case", "supplier", "light")


@pytest.mark.usefixtures("register")
def test_status_leaves_out_the_least_important_columns_first_and_says_so() -> None:
    out = trappa("status", width=80)
    assert out.splitlines()[-1] == "not shown here: contract, suggested, open dev. (--wide" \
        " shows every column)"
    assert [text.split()[0] for text in columns(out)[:4]] == ["case", "supplier", "level",
                                                              "light"]
    wider = trappa("status", width=100)
    assert wider.splitlines()[-1] == "not shown here: contract, open dev. (--wide shows every" \
        " column)"
    assert_fits(wider, 100, "suggested", "next due")


@pytest.mark.usefixtures("register")
def test_status_with_wide_keeps_every_column_and_cuts_nothing() -> None:
    wide = trappa("status", "--wide", width=80)
    assert "not shown here" not in wide
    assert "…" not in wide
    texts = columns(wide)
    for text in (CONTRACT, "open dev.", "suggested", SUPPLIER, OTHER):
        assert any(text in column for column in texts), text


@pytest.mark.usefixtures("register")
@pytest.mark.parametrize("width", WIDTHS)
def test_show_cuts_no_name_at_any_width(width: int) -> None:
    out = trappa("show", "2026-0001", width=width)
    assert_fits(out, width, SUPPLIER, CONTRACT, DESCRIPTION, "25 000 kr",
                "Avtalsvite enligt punkt 7.3 för uteblivet pass", "description", "observed")


@pytest.mark.usefixtures("register")
@pytest.mark.parametrize("width", (80, 100))
def test_explain_gives_the_why_a_readable_width(width: int) -> None:
    out = trappa("explain", "2026-0001", width=width)
    assert_fits(out, width, "aterkommande-avvikelser", "upprepade-allvarliga-avvikelser",
                "Återkommande avvikelser trots handlingsplan", "why", "holds")
    header = next(line for line in out.splitlines() if "why" in line)
    why = header.split("┃")[-2]
    assert len(why) >= 27, header  # 16 before tables were fitted


def test_explain_too_narrow_for_its_table_stacks_each_rule_under_its_headings() -> None:
    trappa("report", "--supplier", SUPPLIER, "--description", DESCRIPTION)
    out = trappa("explain", "2026-0001", width=60)
    assert "…" not in out
    assert max(len(line) for line in out.splitlines()) <= 60
    lines = [line.rstrip() for line in out.splitlines()]
    start = lines.index("rule   upprepade-allvarliga-avvikelser")
    assert lines[start:start + 5] == [
        "rule   upprepade-allvarliga-avvikelser",
        "       Upprepade allvarliga avvikelser",
        "level  5",
        "holds  no",
        "why    no serious deviations observed within 365 days (at",
    ]


@pytest.mark.usefixtures("register")
def test_wide_keeps_the_table_and_every_column_of_show_and_explain() -> None:
    show = trappa("show", "2026-0001", "--wide", width=60)
    assert "not shown here" not in show
    texts = columns(show)
    assert any(text.startswith("category") and "leverans" in text for text in texts)
    assert any(text.startswith("actor") and "testare" in text for text in texts)
    explain = trappa("explain", "2026-0001", "--wide", width=60)
    assert "┃ rule" in explain  # a table, however narrow, not the stacked rows
    assert "…" not in explain
    assert any("upprepade-allvarliga-avvikelser" in text for text in columns(explain))


@pytest.mark.parametrize("width", WIDTHS)
def test_ladder_show_cuts_no_title_at_any_width(width: int) -> None:
    out = trappa("ladder", "show", "regionerna", width=width)
    assert_fits(out, width, "Allvarlig avvikelse (Avslut affärssamarbete)",
                "Brev till försäljningschef eller motsvarande", "Aktiviteter och nationell"
                " samverkan", "Information till Sveriges Regioner")


@pytest.mark.parametrize("width", WIDTHS)
def test_ladder_show_keeps_keys_whole(width: int) -> None:
    out = trappa("ladder", "show", "regionerna", width=width)
    assert_fits(out, width, "(information-sveriges-regioner)", "upprepade-allvarliga-avvikelser",
                "begaran-om-handlingsplan (handlingsplan)")


def test_ladder_show_at_80_columns_names_the_columns_left_out_and_wide_keeps_them() -> None:
    out = trappa("ladder", "show", "regionerna", width=80)
    assert "not shown here: tier, parties (--wide shows every column)" in out
    wide = trappa("ladder", "show", "regionerna", "--wide", width=80)
    assert "not shown here" not in wide
    assert "…" not in wide
    assert any("Leverantören (företagsledning)" in text for text in columns(wide))


# --- the choice itself -------------------------------------------------------------------------


def test_fit_gives_every_column_its_whole_width_when_it_fits() -> None:
    fitted = fit([Column("a"), Column("bb")], [["one two", "x"]], width=40)
    assert fitted.widths == (7, 2)
    assert fitted.left_out == ()


def test_fit_keeps_each_column_as_wide_as_its_longest_word_and_shares_the_rest() -> None:
    cells = [["2026-0001", "Läkarhuset Östra Stockholm Vårdcentral AB", "a b c d e f g h"]]
    fitted = fit([Column("case", wrap=False), Column("supplier", weight=3), Column("note")],
                 cells, width=40)
    assert fitted.width == 40
    case, supplier, note = fitted.widths
    assert case == 9
    assert supplier >= len("Vårdcentral") and note >= len("note")
    assert supplier > note


def test_fit_leaves_out_the_least_important_column_first() -> None:
    columns_ = [Column("case", wrap=False), Column("supplier"),
                Column("contract", drop=2), Column("count", drop=1)]
    cells = [["2026-0001", "Vårdcentral", "Primärvårdstjänster", "12345678"]]
    fitted = fit(columns_, cells, width=50)
    assert fitted.left_out == (2,)
    assert fitted.kept == (0, 1, 3)
    assert fit(columns_, cells, width=50, wide=True).left_out == ()


def test_fit_with_wide_widens_the_table_rather_than_cutting_a_word() -> None:
    cells = [["2026-0001", "Primärvårdstjänster"]]
    fitted = fit([Column("case", wrap=False), Column("contract", drop=1)], cells, width=20,
                 wide=True)
    assert fitted.widths == (9, 19)
    assert fitted.width > 20


def test_fit_stacks_the_rows_when_the_columns_never_left_out_cannot_fit() -> None:
    cells = [["2026-0001", "Primärvårdstjänster", "x"]]
    columns_ = [Column("case", wrap=False), Column("contract"), Column("note", drop=1)]
    assert fit(columns_, cells, width=40).stacked is False
    fitted = fit(columns_, cells, width=30)
    assert fitted.stacked
    assert fitted.kept == (0, 1, 2) and fitted.left_out == ()
    assert fit(columns_, cells, width=30, wide=True).stacked is False


def test_fit_never_cuts_a_heading_word() -> None:
    fitted = fit([Column("suggested", wrap=False), Column("x")], [["1", "y"]], width=80)
    assert fitted.widths[0] == len("suggested")
