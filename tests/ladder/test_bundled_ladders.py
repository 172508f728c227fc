"""The bundled ladders say what their source documents say.

The expected tables below are transcribed from the sources (`../shared/seeds/000_…` for the
national ladder, `001_…` for Kalmar), so a change to a bundled ladder that drifts from its
document fails here with the step and field that differ.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import LADDERS, run_trappa
from trappa.ladder.loading import load_ladder
from trappa.ladder.view import LadderView

NATIONAL = "regionerna@2024-04-01"
KALMAR = "kalmar@2024"
BUNDLED = sorted(LADDERS.glob("*/*.yaml"))

# level: (event, label, tier, activity titles, party names) — as the national document has them.
NATIONAL_STEPS = {
    0: (
        "Risk/Enstaka avvikelser", None, "regional",
        ["Anmälan/inrapportering till bevakning", "Riskbedömning", "Dialog med leverantör"],
        ["Leverantören", "Beställare/verksamhet"],
    ),
    1: (
        "Återkommande avvikelser", None, "regional",
        ["Dialog ökad frekvens med leverantör", "Faktainsamling", "Upprätta handlingsplan"],
        ["Leverantören (kontaktperson)", "Beställare/verksamhet", "Avtalsansvarig"],
    ),
    2: (
        "Handlingsplan utan avsedd effekt", None, "regional",
        ["Regelbundna möten med leverantör", "Brev till försäljningschef eller motsvarande",
         "Sanktioner enligt avtal"],
        ["Leverantören (eskalering till högre nivå än kontaktperson)", "Avtalsansvarig",
         "Kategoriledare"],
    ),
    3: (
        "Handlingsplan utan avsedd effekt", None, "national",
        ["Information till Sveriges Regioner", "Brev till VD eller motsvarande",
         "Affärsmöte med leverantör"],
        ["Leverantören (eskalering till högre nivå än kontaktperson)", "Avtalsansvarig",
         "Kategoriledare", "Enhetschef"],
    ),
    4: (
        "Allvarlig avvikelse", "Business on hold", "national",
        ["Information till Sveriges Regioner", "Affärsmöte företagsledning",
         "Regiongemensamt möte", "Spärra avtal/leverantör"],
        ["Leverantören (företagsledning)", "Avtalsansvarig", "Kategoriledare", "Enhetschef",
         "Inköpschef"],
    ),
    5: (
        "Allvarlig avvikelse", "Avslut affärssamarbete", "national",
        ["Information till Sveriges Regioner", "Avslut avtal/samarbete",
         "Tillsätta krishanteringsgrupp"],
        ["Leverantören (företagsledning)", "Avtalsansvarig", "Kategoriledare", "Enhetschef",
         "Inköpschef"],
    ),
}

# Kalmar's table; a trailing " *" marks a region-specific activity (`specific: true`). Labels and
# tiers are not in Kalmar's document: they are inherited from the national ladder.
KALMAR_STEPS = {
    0: (
        "Enstaka avvikelser", None, "regional",
        ["Riskbedömning", "Dialog med leverantör",
         "Registrera avvikelse i Stella eller avtalskatalogen *"],
        ["Leverantören", "Beställare/verksamhet"],
    ),
    1: (
        "Återkommande avvikelser/allvarlig avvikelse", None, "regional",
        ["Dialog ökad frekvens", "Dokumentation", "Upprätta handlingsplan",
         "Informera avtalsansvarig *", "Registrera avvikelse i Stella eller avtalskatalogen *"],
        ["Leverantören (kontaktperson)", "Beställare/verksamhet",
         "Avtalsansvarig på Upphandlingsenheten"],
    ),
    2: (
        "Handlingsplan följs inte eller återkommande avvikelser/allvarlig avvikelse", None,
        "regional",
        ["Regelbundna möten", "Information till avtalets kontaktperson eller motsvarande",
         "Sanktioner enligt avtal", "Interna avstämningsmöten *"],
        ["Leverantören", "Avtalsansvarig på Upphandlingsenheten"],
    ),
    3: (
        "Handlingsplan utan avsedd effekt eller återkommande avvikelse/allvarlig avvikelse", None,
        "national",
        ["Affärsmöte", "Information Nationellt", "Brev till VD eller motsvarande",
         "Vid behov på-plats-besök *", "Interna avstämningsmöten *"],
        ["Leverantören (eskalering till högre nivå än kontaktperson)",
         "Avtalsansvarig på Upphandlingsenheten", "1:a linjens chef på Upphandlingsenheten"],
    ),
    4: (
        "Handlingsplan utan avsedd effekt eller återkommande avvikelse/allvarliga avvikelser",
        "Business on hold", "national",
        ["Affärsmöte företagsledning", "Regiongemensamt möte", "Information Nationellt",
         "Spärra avtal/leverantör", "Vid behov på-plats-besök *", "Interna avstämningsmöten *"],
        ["Leverantören (företagsledning)", "Avtalsansvarig på Upphandlingsenheten",
         "1:a linjens chef på Upphandlingsenheten", "Basenhetschef på Upphandlingsenheten"],
    ),
    5: (
        "Fortsatta avvikelser. Ingen lösning på problemet – samarbetet fungerar inte",
        "Avslut affärssamarbete", "national",
        ["Avslut avtal/samarbete", "Information Nationellt", "Tillsätta krishanteringsgrupp",
         "Interna avstämningsmöten *"],
        ["Leverantören (företagsledning)", "Avtalsansvarig på Upphandlingsenheten",
         "1:a linjens chef på Upphandlingsenheten", "Basenhetschef på Upphandlingsenheten"],
    ),
}


def _step_as_in_source(view: LadderView, level: int) -> tuple:
    step = view.step(level)
    activities = [
        view.activities[key]["title"] + (" *" if view.activities[key].get("specific") else "")
        for key in step["activities"]
    ]
    parties = [view.parties[key] for key in step["parties"]]
    return step["event"], step.get("label"), step["tier"], activities, parties


@pytest.fixture(scope="module")
def national() -> LadderView:
    return load_ladder(NATIONAL).view()


@pytest.fixture(scope="module")
def kalmar() -> LadderView:
    return load_ladder(KALMAR).view()


def test_the_two_ladders_are_bundled() -> None:
    assert [path.relative_to(LADDERS).as_posix() for path in BUNDLED] == [
        "kalmar/2024.yaml",
        "regionerna/2024-04-01.yaml",
    ]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda path: path.parent.name)
def test_each_file_starts_with_the_schema_comment(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema.json"


def test_trappa_validate_accepts_both() -> None:
    result = run_trappa("validate", *map(str, BUNDLED))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 2


@pytest.mark.parametrize("level", sorted(NATIONAL_STEPS))
def test_national_step_as_in_the_source(national: LadderView, level: int) -> None:
    assert _step_as_in_source(national, level) == NATIONAL_STEPS[level]


def test_national_ladder_has_exactly_the_source_steps(national: LadderView) -> None:
    assert national.levels == [0, 1, 2, 3, 4, 5]


def test_national_terms_are_every_defined_word(national: LadderView) -> None:
    assert sorted(national.terms) == sorted([
        "Affärsmöte", "Allvarlig avvikelse", "Avtalsansvarig", "Avvikelse",
        "Dialog med leverantör", "Dialogparter", "Händelse", "LfU", "Leverantör", "Aktivitet",
        "Aktiviteter och nationell samverkan", "Specifika aktiviteter",
        "Risk- & konsekvensanalys", "Sanktioner", "Underleverantör",
    ])
    assert national.terms["Avvikelse"] == "Ett krav som inte uppfylls."
    assert "incident" in national.terms["Händelse"]


def test_national_ladder_leaves_specific_activities_to_the_regions(national: LadderView) -> None:
    assert [key for key, activity in national.activities.items() if activity.get("specific")] == []


def test_national_letters_per_step_and_their_recipients(national: LadderView) -> None:
    letters = {
        level: [(kind, national.parties[national.letters[kind]["to"]])
                for kind in national.step_letters(level)]
        for level in national.levels
    }
    assert letters == {
        0: [("avvikelsemeddelande", "Leverantören")],
        1: [("begaran-om-handlingsplan", "Leverantören (kontaktperson)")],
        2: [
            ("brev-forsaljningschef",
             "Leverantören (eskalering till högre nivå än kontaktperson)"),
            ("meddelande-om-sanktion", "Leverantören"),
        ],
        3: [("information-sveriges-regioner", "Sveriges Regioner"),
            ("brev-vd", "Leverantören (företagsledning)")],
        4: [("information-sveriges-regioner", "Sveriges Regioner"),
            ("meddelande-om-sparr", "Leverantören (företagsledning)")],
        5: [("information-sveriges-regioner", "Sveriges Regioner"),
            ("meddelande-om-avslut", "Leverantören (företagsledning)")],
    }


def test_national_rules_cover_every_step_above_zero(national: LadderView) -> None:
    assert {rule["level"] for rule in national.rules} == {1, 2, 3, 4, 5}


def test_rules_are_declared_as_defaults() -> None:
    for path in BUNDLED:
        text = path.read_text(encoding="utf-8")
        comment = text[: text.index("\nrules:")].rsplit("\n\n", 1)[-1]
        assert comment.startswith("# DEFAULTS, NOT FROM THE SOURCE"), path


@pytest.mark.parametrize("level", sorted(KALMAR_STEPS))
def test_kalmar_step_as_in_the_source(kalmar: LadderView, level: int) -> None:
    assert _step_as_in_source(kalmar, level) == KALMAR_STEPS[level]


def test_kalmar_region_specific_activities(kalmar: LadderView) -> None:
    specific = sorted(
        activity["title"] for activity in kalmar.activities.values() if activity.get("specific")
    )
    assert specific == [
        "Informera avtalsansvarig",
        "Interna avstämningsmöten",
        "Registrera avvikelse i Stella eller avtalskatalogen",
        "Vid behov på-plats-besök",
    ]


def test_kalmar_letters_per_step(kalmar: LadderView) -> None:
    assert {level: kalmar.step_letters(level) for level in kalmar.levels} == {
        0: ["avvikelsemeddelande"],
        1: ["begaran-om-handlingsplan"],
        2: ["information-kontaktperson", "meddelande-om-sanktion"],
        3: ["information-nationellt", "brev-vd"],
        4: ["information-nationellt", "meddelande-om-sparr"],
        5: ["meddelande-om-avslut", "information-nationellt"],
    }
    assert kalmar.letters["information-kontaktperson"]["to"] == "leverantor-kontaktperson"


def test_kalmar_terms_differ_only_where_its_document_does(
    national: LadderView, kalmar: LadderView
) -> None:
    changed = {key for key, text in kalmar.terms.items() if national.terms.get(key) != text}
    assert changed == {"Händelse", "Regionsgemensam aktivitet", "Regionala aktiviteter"}
    assert "incident" not in kalmar.terms["Händelse"]


def test_kalmar_suggests_a_step_for_a_serious_deviation_at_one_not_four(
    kalmar: LadderView,
) -> None:
    levels = {rule["id"]: rule["level"] for rule in kalmar.rules}
    assert levels["allvarlig-avvikelse"] == 1
    assert levels["upprepade-allvarliga-avvikelser"] == 4
    assert levels["fortsatta-avvikelser-steg-4"] == 5


def test_kalmar_file_states_only_differences(national: LadderView) -> None:
    """Every entry of Kalmar's own file changes or adds something: no copy of the base."""
    from ruamel.yaml import YAML

    own = YAML(typ="safe").load((LADDERS / "kalmar" / "2024.yaml").read_text(encoding="utf-8"))
    for part in ("terms", "parties", "activities", "letters"):
        base = national.data.get(part, {})
        copies = [
            key for key, value in own.get(part, {}).items()
            if key in base and (
                value == base[key] if not isinstance(value, dict)
                else all(base[key].get(field) == given for field, given in value.items())
            )
        ]
        assert copies == [], part
    for step in own["steps"]:
        assert "tier" not in step and "label" not in step, step["level"]
