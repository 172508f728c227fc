"""Letters state the facts of the case as recorded at the letter's date: the plan as it was
established, the sanction a notice names and the earlier ones, the termination's kind and date,
refusals when the case has not got there, and one test per branch of every sentence that
depends on the case. And the words: subject lines, no internal activity, titles not ids, no
source or reporter, numbers in words."""

from __future__ import annotations

import datetime as dt

import pytest

from letters_helpers import (
    add_plan,
    add_sanction,
    add_termination,
    events_of,
    new_case,
    open_session,
    set_org,
)
from trappa.cases import changes, moves, plans, reporting, sanctions
from trappa.cases.inputs import ReportInput, check_report
from trappa.errors import Refusal, UserError
from trappa.letters import correspondence
from trappa.letters.correspondence import Choice
from trappa.letters.templating import swedish_count, swedish_number


def _md(s, case_id: str, kind: str, **choice) -> str:
    rendered = correspondence.render_letter(s, s.case(case_id), kind, "md", choice=Choice(**choice))
    return rendered.content.decode()


def _report(s, description: str, observed: dt.date, *, serious: bool = False) -> None:
    from letters_helpers import resolve_ladder

    data = check_report(ReportInput(supplier="Vårdbemanning Norr AB", org_nr="556677-8899",
                                    contract="Bemanning 2025", description=description,
                                    observed=observed, serious=serious), s.today)
    reporting.report(s, data, resolve_ladder)


# --- plan N as it was established -------------------------------------------------------------


def test_plan_one_shows_its_own_step_and_the_deviations_that_led_to_it() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=1)
        add_plan(s, case_id)  # plan 1 at step 1, with deviations 1 and 2
        plans.follow_up_plan(s, case_id, "not_followed", "Ingen reservlista")
        _report(s, "Tredje uteblivna passet", dt.date(2026, 9, 1))
        moves.escalate(s, case_id, to=2, reason="Handlingsplanen följs inte")
        plans.establish_plan(s, case_id, due=dt.date(2026, 12, 15), items=["Ny rutin"])
        first = correspondence.render_plan(s, case_id, "md", plan=1).decode()
        latest = correspondence.render_plan(s, case_id, "md").decode()
    assert "- **Handlingsplan nr:** 1" in first
    assert "befann sig på steg 1, *Återkommande avvikelser*" in first
    assert "Tredje uteblivna passet" not in first  # reported after plan 1
    assert "| Bekräfta varje pass 48 timmar i förväg |" in first
    # Its follow-up, recorded later, belongs to the plan.
    assert "Handlingsplanen har inte följts. Ingen reservlista" in first
    assert "- **Handlingsplan nr:** 2" in latest
    assert "befann sig på steg 2, *Handlingsplan utan avsedd effekt*" in latest
    assert "Tredje uteblivna passet" in latest


def test_an_unknown_plan_is_bad_input_and_no_plan_a_refusal() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=1)
        with pytest.raises(Refusal):
            correspondence.render_plan(s, case_id, "md")
        add_plan(s, case_id)
        with pytest.raises(UserError) as error:
            correspondence.render_plan(s, case_id, "md", plan=2)
    assert error.value.message == f"case {case_id} has no action plan 2 (it has 1)"


# --- the sanction a notice names ---------------------------------------------------------------


def test_the_sanction_notice_names_its_sanction_and_lists_the_earlier_ones() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=2)
        sanctions.sanction(s, case_id, "vite", "Uteblivna pass, punkt 7.2", 50000)
        add_sanction(s, case_id)  # vite 12 500 kr
        first = _md(s, case_id, "meddelande-om-sanktion", sanction=1)
        second = _md(s, case_id, "meddelande-om-sanktion")
    assert "- **Belopp:** 50\u00a0000\u00a0kr" in first
    assert "Tidigare sanktioner" not in first
    assert "- **Belopp:** 12\u00a0500\u00a0kr" in second
    assert "Sedan tidigare har en sanktion tillämpats i ärendet:" in second
    assert "| 1 | 2026-10-01 | Vite | 50\u00a0000\u00a0kr | Uteblivna pass, punkt 7.2 |" in second


def test_the_default_sanction_is_the_latest_not_yet_notified(capsysbinary) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=2)
        sanctions.sanction(s, case_id, "vite", "Först", 50000)
        sanctions.sanction(s, case_id, "avdrag", "Sedan", 2000)
        correspondence.produce(s, case_id, "meddelande-om-sanktion", "md", lambda letter: None)
        sent = events_of(s, case_id)[-1].data
        next_one = _md(s, case_id, "meddelande-om-sanktion")
        correspondence.produce(s, case_id, "meddelande-om-sanktion", "md", lambda letter: None)
        again = events_of(s, case_id)[-1].data
        all_notified = _md(s, case_id, "meddelande-om-sanktion")
    assert sent["sanction"] == 2  # the letter records which sanction it named
    assert again["sanction"] == 1  # 2 was notified: the latest not yet notified is 1
    assert "- **Sanktion:** Vite" in next_one
    assert "- **Sanktion:** Prisavdrag" in all_notified  # all notified: the latest again


def test_a_sanction_notice_without_a_sanction_is_refused() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=2)
        with pytest.raises(Refusal):
            _md(s, case_id, "meddelande-om-sanktion")
        add_sanction(s, case_id)
        with pytest.raises(UserError) as error:
            _md(s, case_id, "meddelande-om-sanktion", sanction=3)
    assert error.value.message == f"case {case_id} has no sanction 3 (it has 1)"


def test_a_kind_recorded_as_free_text_reads_as_its_text(monkeypatch) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=2)
        add_sanction(s, case_id)
        state = s.case(case_id)
        old = state.sanctions[0]._replace(kind="avtalsvite enligt bilaga 3")
        monkeypatch.setattr(s, "case", lambda _id: state._replace(sanctions=(old,)))
        md = _md(s, case_id, "meddelande-om-sanktion")
    assert "- **Sanktion:** avtalsvite enligt bilaga 3" in md


# --- termination and blocking ------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "verb", "noun"), [
    ("havning", "Vi meddelar att vi häver avtalet Bemanning 2025.", "# Hävning av avtalet"),
    ("uppsagning", "Vi meddelar att vi säger upp avtalet Bemanning 2025.",
     "# Uppsägning av avtalet"),
])
def test_the_termination_letter_states_its_kind_and_the_date_it_takes_effect(kind, verb, noun):
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=5)
        add_termination(s, case_id, kind)
        md = _md(s, case_id, "meddelande-om-avslut")
    assert noun in md and verb in md
    assert "avtalet upphör att gälla från och med 31 oktober 2026" in md
    assert "Till och med dagen innan avtalet upphör gäller era åtaganden" in md


def test_a_termination_in_the_past_reads_as_done() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=5)
        add_termination(s, case_id)
        md = correspondence.render_letter(s, s.case(case_id), "meddelande-om-avslut", "md",
                                          date=dt.date(2026, 11, 15)).content.decode()
    assert "avtalet upphörde att gälla från och med 31 oktober 2026" in md
    assert "för tiden innan det upphörde påverkas inte" in md


def test_a_termination_letter_without_a_recorded_decision_is_refused() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=5)
        add_sanction(s, case_id)  # a penalty is no termination
        with pytest.raises(Refusal) as refused:
            _md(s, case_id, "meddelande-om-avslut")
    assert refused.value.message == (
        f"case {case_id} has no termination recorded (a sanction of kind havning or uppsagning)"
    )


@pytest.mark.parametrize("kind", ["meddelande-om-sparr", "meddelande-om-avslut"])
def test_a_decision_letter_below_its_step_is_refused_unless_overridden(kind: str) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=0)
        add_termination(s, case_id)
        with pytest.raises(Refusal) as refused:
            _md(s, case_id, kind)
        result = correspondence.produce(
            s, case_id, kind, "md", lambda letter: None,
            choice=Choice(override="Avtalet hävs efter beslut i nämnden"))
        recorded = events_of(s, case_id)[-1].data
    level = 4 if kind == "meddelande-om-sparr" else 5
    assert refused.value.message == (
        f"letter {kind} belongs to step {level}, and case {case_id} is at step 0")
    assert result.recorded and recorded["override"] == "Avtalet hävs efter beslut i nämnden"


def test_an_override_where_none_is_needed_is_bad_input() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=4)
        with pytest.raises(UserError):
            _md(s, case_id, "meddelande-om-sparr", override="Behövs inte")
        with pytest.raises(UserError):
            _md(s, case_id, "avvikelsemeddelande", override="Inte ett beslut")


# --- one test per branch of a sentence that depends on the case --------------------------------


@pytest.mark.parametrize("ladder,kind", [("regionerna", "brev-forsaljningschef"),
                                         ("kalmar", "information-kontaktperson")])
def test_sanctions_applied_or_not(ladder: str, kind: str) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, ladder=ladder, level=2)
        none = _md(s, case_id, kind)
        sanctions.sanction(s, case_id, "vite", "Punkt 7", 50000)
        add_sanction(s, case_id)
        applied = _md(s, case_id, kind)
    assert "sanktioner, till exempel vite, kan komma att tillämpas" in none
    assert "kan komma att tillämpas på detta steg" not in applied
    assert ("Vi har hittills tillämpat två sanktioner enligt avtalet i ärendet: vite om"
            " 50\u00a0000\u00a0kr, beslutad 1 oktober 2026; vite om 12\u00a0500\u00a0kr") in applied


def test_way_back_with_deviations_left_or_none() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=3)
        moves.deescalate(s, case_id, to=2, reason="Effekt")
        left = _md(s, case_id, "nedtrappning")
        changes.resolve(s, case_id, 1)
        changes.resolve(s, case_id, 2)
        moves.deescalate(s, case_id, to=1, reason="Allt åtgärdat")
        none = _md(s, case_id, "nedtrappning")
    assert "När även de kvarvarande avvikelserna är åtgärdade" in left
    assert "## Avvikelser som fortfarande är öppna" in left
    assert "kvarvarande" not in none and "fortfarande är öppna" not in none
    assert "Samtliga registrerade avvikelser är åtgärdade." in none


def test_plan_followed_with_deviations_left_or_none() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=2)
        add_plan(s, case_id)
        plans.follow_up_plan(s, case_id, "followed")
        left = _md(s, case_id, "brev-forsaljningschef")
        changes.resolve(s, case_id, 1)
        changes.resolve(s, case_id, 2)
        none = _md(s, case_id, "brev-forsaljningschef")
    assert "har enligt vår uppföljning 1 oktober 2026 följts, men avvikelser kvarstår." in left
    assert "har enligt vår uppföljning 1 oktober 2026 följts." in none
    # The step's other sentences follow the same facts.
    assert "de avvikelser vi har tagit upp med er kontaktperson" in left
    assert "avvikelser har upprepats inom avtalet Bemanning 2025 trots vår dialog" in none
    assert "## Om avvikelserna kvarstår" in left and "Om avvikelserna inte åtgärdas" in left
    assert "## Om nya avvikelser uppstår" in none


@pytest.mark.parametrize("outcome,text", [
    ("not_followed", "har enligt vår uppföljning 1 oktober 2026 inte följts"),
    ("no_effect", "har enligt vår uppföljning 1 oktober 2026 genomförts utan avsedd effekt"),
    (None, "ska vara genomförd senast 30 november 2026"),
])
def test_the_plans_state_in_one_sentence(outcome, text) -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=3)
        add_plan(s, case_id)
        if outcome:
            plans.follow_up_plan(s, case_id, outcome)
        assert text in _md(s, case_id, "brev-vd")


def test_letter_to_the_ceo_with_deviations_left_or_none() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=3)
        left = _md(s, case_id, "brev-vd")
        changes.resolve(s, case_id, 1)
        changes.resolve(s, case_id, 2)
        none = _md(s, case_id, "brev-vd")
    assert "Avvikelserna har trots dialog med er organisation inte åtgärdats." in left
    assert "Avvikelserna har upprepats trots dialog med er organisation." in none
    assert "Någon handlingsplan har ännu inte upprättats i ärendet." in none


def test_one_deviation_or_several_in_words() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s)
        two = _md(s, case_id, "avvikelsemeddelande")
    assert "vi har registrerat två händelser som rör" in two
    assert "ange när avvikelserna är åtgärdade" in two


def test_a_letter_dated_earlier_states_the_case_as_it_was_then() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s)
    with open_session(today=dt.date(2026, 10, 20)) as s:
        _report(s, "Senare händelse", dt.date(2026, 10, 20))
        earlier = correspondence.render_letter(
            s, s.case(case_id), "avvikelsemeddelande", "md", date=dt.date(2026, 10, 1))
    md = earlier.content.decode()
    assert "Senare händelse" not in md
    assert "vi har registrerat två händelser" in md


# --- words for the supplier --------------------------------------------------------------------


def test_no_internal_or_specific_activity_source_or_reporter_reaches_the_supplier() -> None:
    with open_session() as s:
        set_org(s)
        kalmar = new_case(s, ladder="kalmar", level=1)
        national = new_case(s, supplier="Annat AB", org_nr=None, level=5)
        add_termination(s, national)
        step_one = _md(s, kalmar, "begaran-om-handlingsplan")
        step_five = _md(s, national, "meddelande-om-avslut")
        for_regions = _md(s, national, "information-sveriges-regioner")
    for md in (step_one, step_five):
        for word in ("Stella", "Informera avtalsansvarig", "- Dokumentation", "Interna",
                     "krishanteringsgrupp", "visselblåsning", "verksamhet |", "Karin Karlsson",
                     "eskalering till högre nivå", "(kontaktperson)"):
            assert word not in md, word
    assert "- Dialog ökad frekvens" in step_one
    assert "visselblåsning" not in for_regions and "Karin Karlsson" not in for_regions


def test_a_move_by_the_rules_is_named_by_the_rules_titles() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s)
        _report(s, "Pass uteblev", dt.date(2026, 9, 20))
        _report(s, "Pass uteblev igen", dt.date(2026, 9, 25))
        moves.escalate(s, case_id, to=1)  # two deviations in 180 days: the rules carry it
        moves.escalate(s, case_id, to=3, reason="Handlingsplan utan avsedd effekt")
        md = _md(s, case_id, "information-sveriges-regioner")
    assert "enligt trappans regler: Återkommande avvikelser" in md
    assert "aterkommande-avvikelser" not in md


def test_the_subject_line_and_the_recipient_as_addressed() -> None:
    with open_session() as s:
        set_org(s)
        case_id = new_case(s, level=3)
        md = _md(s, case_id, "brev-vd")
        regions = _md(s, case_id, "information-sveriges-regioner")
    assert "# Avvikelser som kvarstår – inbjudan till affärsmöte\n" in md
    assert "**Att:** Verkställande direktören" in md
    assert "Frågor om ärendet kan ställas till" in md and "besvaras av" not in md
    assert "brister i fullgörandet av era åtaganden" in md
    # To Sveriges Regioner: the supplier it is about and the case are separate lines.
    assert "**Avser leverantör:** Vårdbemanning Norr AB (org.nr 556677-8899)\n\n**Ärende:**" in (
        regions)


@pytest.mark.parametrize(("number", "genus", "words"), [
    (0, "en", "noll"), (1, "en", "en"), (1, "ett", "ett"), (2, "en", "två"), (12, "en", "tolv"),
    (13, "en", "13"), (1234, "en", "1\u00a0234"),
])
def test_numbers_up_to_twelve_in_words(number: int, genus: str, words: str) -> None:
    assert swedish_number(number, genus) == words


def test_a_count_takes_the_singular_for_one() -> None:
    assert swedish_count(1, "händelse", "händelser") == "en händelse"
    assert swedish_count(6, "händelse", "händelser") == "sex händelser"
    assert swedish_count(1, "ärende", "ärenden", "ett") == "ett ärende"
