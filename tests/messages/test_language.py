"""Choosing the language (TRAPPA_LANG, else the locale, else English), plurals in both languages,
and what never changes with it: --json, exit codes, command and option names."""

from __future__ import annotations

import gettext
import json

import pytest

from conftest import run_trappa
from trappa.messages import language, say


@pytest.mark.parametrize(
    ("environ", "chosen"),
    [
        ({}, "en"),
        ({"TRAPPA_LANG": "sv"}, "sv"),
        ({"TRAPPA_LANG": "en", "LANG": "sv_SE.UTF-8"}, "en"),
        ({"TRAPPA_LANG": "sv_SE", "LANG": "C"}, "sv"),
        ({"TRAPPA_LANG": "de", "LANG": "sv_SE.UTF-8"}, "sv"),  # not one we have: the locale
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8", "LC_MESSAGES": "sv_FI.UTF-8"}, "sv"),
        ({"LANG": "sv_SE.UTF-8", "LC_ALL": "C"}, "en"),  # LC_ALL first, as POSIX has it
        ({"LANG": "sv_SE.UTF-8", "LC_ALL": ""}, "sv"),  # empty is unset
        ({"LANG": "en_GB.UTF-8"}, "en"),
    ],
)
def test_the_language_chosen(environ: dict[str, str], chosen: str) -> None:
    assert language.choose(environ) == chosen


@pytest.fixture
def swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = gettext.translation(language.DOMAIN, language.LOCALE_DIR, languages=["sv"])
    monkeypatch.setattr(language, "_loaded", catalog)


def test_english_plurals() -> None:
    assert say("count.cases", n=1) == "1 case"
    assert say("count.cases", n=2) == "2 cases"
    assert say("count.cases", n=0) == "0 cases"
    assert say("ladder.count.steps", n=1) == "1 step"


def test_swedish_plurals(swedish: None) -> None:
    assert say("count.cases", n=1) == "1 ärende"
    assert say("count.cases", n=2) == "2 ärenden"
    assert say("count.cases", n=0) == "0 ärenden"
    assert say("count.events", n=1) == "1 händelse"
    assert say("count.events", n=5) == "5 händelser"
    assert say("store.verify.ok", events=say("count.events", n=1), cases=say("count.cases", n=1))\
        .startswith("1 händelse i 1 ärende:")


def test_a_plural_needs_a_whole_number() -> None:
    with pytest.raises(TypeError):
        say("count.cases", n="2")


@pytest.mark.parametrize("env", [{"TRAPPA_LANG": "en"}, {"LANG": "C", "TRAPPA_LANG": ""}])
def test_english_by_choice_or_by_the_c_locale(env: dict[str, str]) -> None:
    result = run_trappa("--help", env={**env, "LC_ALL": "", "LC_MESSAGES": ""})
    assert result.stdout.startswith("Usage: trappa [OPTIONS] COMMAND [ARGS]...")


def test_swedish_from_the_locale() -> None:
    result = run_trappa("--help", env={"TRAPPA_LANG": "", "LC_ALL": "", "LC_MESSAGES": "",
                                       "LANG": "sv_SE.UTF-8"})
    assert result.stdout.startswith("Användning: trappa [FLAGGOR] KOMMANDO [ARGUMENT]...")


def _story(env: dict[str, str]) -> list[tuple[int, str]]:
    """The same commands, their exit codes and --json output."""
    runs = [
        ("report", "--supplier", "Städ AB", "--description", "Ingen städning", "--json"),
        ("escalate", "2026-0001", "--reason", "Upprepat", "--json"),
        ("status", "--json"),
        ("show", "2026-0001", "--json"),
        ("explain", "2026-0001", "--json"),
        ("verify", "--json"),
        ("escalate", "2026-0099", "--json"),
        ("show", "not-a-case", "--json"),
        ("report", "--bogus"),
    ]
    return [(r.returncode, r.stdout) for r in (run_trappa(*args, env=env) for args in runs)]


def test_json_and_exit_codes_do_not_change_with_the_language(tmp_path) -> None:
    english = _story({"TRAPPA_LANG": "en", "TRAPPA_DB": str(tmp_path / "en.db")})
    swedish = _story({"TRAPPA_LANG": "sv", "TRAPPA_DB": str(tmp_path / "sv.db")})
    assert [code for code, _ in english][:6] == [0] * 6
    assert [code for code, _ in swedish] == [code for code, _ in english]
    for (_, en_out), (_, sv_out) in zip(english, swedish, strict=True):
        assert bool(en_out.strip()) == bool(sv_out.strip())
        if en_out.strip():
            assert _stable(json.loads(sv_out)) == _stable(json.loads(en_out))


VOLATILE = ("recorded_at", "hash", "register", "salt", "digest", "path", "db")


def _stable(data: object) -> object:
    """``data`` without what differs between two registers: clock time, hashes, ids, paths."""
    if isinstance(data, dict):
        return {k: _stable(v) for k, v in data.items() if not any(w in k for w in VOLATILE)}
    if isinstance(data, list):
        return [_stable(v) for v in data]
    return data


def test_errors_in_swedish() -> None:
    result = run_trappa("show", "2026-0099", env={"TRAPPA_LANG": "sv"})
    assert result.returncode in (2, 3)
    assert result.stderr.startswith("fel: ")
