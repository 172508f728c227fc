"""A fuzzed corpus of the bundled ladders: every mutant loads cleanly or fails with positioned
problems, never with another exception.

Where test_loading_properties.py mutates a small fixture ladder's data and dumps it afresh, this
corrupts the text of the bundled ladders themselves (ladders/regionerna, ladders/kalmar: comments,
folded text, ``extends``) the way an editor's slip does: bytes flipped, lines deleted or
duplicated, keys renamed, lines indented or dedented, two values swapped. Cases are seeded, so a
failure names a case that replays. Billion-laughs inputs are not generated here (no ``*`` or ``&``
is ever written): bounding anchors and aliases is tested with the loader's limits.

Each batch of 50 goes through one ``validate_files`` call, as ``trappa validate`` does with many
files, so a mutant of Kalmar's ladder does not parse its base again. Parsing round-trip YAML is
most of the cost, some 15 ms a case (30 s of CPU for the 2,000); ``TRAPPA_FUZZ_LADDERS=N`` runs
another number of cases.
"""

from __future__ import annotations

import os
import random
import re
import time
from pathlib import Path

import pytest

from conftest import LADDERS
from trappa.ladder.loading import validate_files

pytestmark = [pytest.mark.fuzz]

SOURCES = [LADDERS / "regionerna" / "2024-04-01.yaml", LADDERS / "kalmar" / "2024.yaml"]
CASES = int(os.environ.get("TRAPPA_FUZZ_LADDERS", "2000"))
BATCH = 50
KEYS = ["format", "id", "version", "title", "extends", "steps", "rules", "level", "event",
        "tier", "activities", "parties", "letters", "letter", "to", "when", "min", "terms",
        "label", "titel", "niva", "x", "", "- id", "steps[0]"]
KEY_LINE = re.compile(rb"^(\s*(?:- )?)([^\s:#][^:#]*):(?=\s|$)")
VALUE_LINE = re.compile(rb"^(\s*(?:- )?[^\s:#][^:#]*:[ ]+)(\S.*)$")
# Any byte but those that make anchors and aliases (see the docstring) or a line break.
FLIP_BYTES = [b for b in range(256) if b not in b"*&\n"]
# A slow case is a bug here too: seconds for one file is a hang for an editor's linter.
SLOW = 2.0


def _mutate(text: bytes, rng: random.Random) -> bytes:
    lines = text.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        how = rng.choice(["flip", "delete", "duplicate", "rename", "indent", "swap"])
        at = rng.randrange(len(lines))
        if how == "flip" and lines[at]:
            column = rng.randrange(len(lines[at]))
            line = bytearray(lines[at])
            line[column] = rng.choice(FLIP_BYTES)
            lines[at] = bytes(line)
        elif how == "delete" and len(lines) > 1:
            del lines[at]
        elif how == "duplicate":
            lines.insert(rng.randrange(len(lines) + 1), lines[at])
        elif how == "rename":
            keyed = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
            if keyed:
                i = rng.choice(keyed)
                match = KEY_LINE.match(lines[i])
                assert match
                lines[i] = match.group(1) + rng.choice(KEYS).encode() + lines[i][match.end(2):]
        elif how == "indent":
            if rng.random() < 0.5:
                lines[at] = rng.choice([b" ", b"  ", b"    ", b"\t"]) + lines[at]
            else:
                lines[at] = lines[at][rng.randint(1, 4):] if lines[at][:1] == b" " else lines[at]
        elif how == "swap":
            valued = [i for i, line in enumerate(lines) if VALUE_LINE.match(line)]
            if len(valued) >= 2:
                i, j = rng.sample(valued, 2)
                mi, mj = VALUE_LINE.match(lines[i]), VALUE_LINE.match(lines[j])
                assert mi and mj
                lines[i], lines[j] = mi.group(1) + mj.group(2), mj.group(1) + mi.group(2)
    return b"\n".join(lines)


def _line_count(name: str, written: dict[str, bytes]) -> int:
    raw = written[name] if name in written else Path(name).read_bytes()
    return raw.count(b"\n") + 2  # a problem at the end of the text may lie just past it


def _check(folder: Path, cases: list[int]) -> None:
    written: dict[str, bytes] = {}
    for case in cases:
        source = SOURCES[case % len(SOURCES)]
        rng = random.Random(f"ladder-fuzz-{case}")
        # The folder keeps the ladder's id: a ladder must lie in a folder named by its id.
        path = folder / f"case-{case}" / source.parent.name / source.name
        path.parent.mkdir(parents=True)
        mutant = _mutate(source.read_bytes(), rng)
        path.write_bytes(mutant)
        written[str(path)] = mutant
    # CPU time, not the clock: a busy machine must not fail the test, a hang must.
    started = time.process_time()
    results = validate_files(list(written))
    took = time.process_time() - started
    assert took < SLOW * max(1, len(cases) / 10), took  # ms a case; a hang takes far longer
    for name, result in zip(written, results, strict=True):
        assert result.ok == (result.ladder is not None), name
        for problem in result.problems:
            assert problem.file == name or Path(problem.file).is_file(), problem
            assert 1 <= problem.line <= _line_count(problem.file, written), problem
            assert problem.column >= 1, problem
            assert problem.message and "\n" not in str(problem), problem
            assert str(problem).startswith(f"{problem.file}:{problem.line}:{problem.column}: ")


# Cases that found a bug, kept apart so that each stays fixed: 1443 quoted a value that spans
# lines ("extends: 'regionerna@2024-04-01\ninterna-avstamningsmoten]' is not a ladder reference").
FOUND_BUGS = [1443]


@pytest.mark.parametrize("batch", range(max(1, CASES // BATCH)))
def test_a_mutated_bundled_ladder_loads_or_reports_positioned_problems(
    tmp_path: Path, batch: int
) -> None:
    cases = range(batch * BATCH, (batch + 1) * BATCH)
    _check(tmp_path, list(cases))


@pytest.mark.parametrize("case", FOUND_BUGS)
def test_a_mutant_that_found_a_bug(tmp_path: Path, case: int) -> None:
    _check(tmp_path, [case])
