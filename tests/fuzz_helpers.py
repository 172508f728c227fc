"""Shared pieces of the fault and fuzz tests: the register's event count, hostile text, and
running the real command line in-process with its exit code."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import strategies as st

from trappa.cli import main


def event_count(db: Path) -> int:
    """How many events the register holds (read-only: reading must not change what it checks)."""
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("select count(*) from events").fetchone()[0])
    finally:
        conn.close()


def run_main(*args: str) -> int:
    """``trappa ARGS`` in this process; its exit code (``main`` ends in ``sys.exit``)."""
    try:
        main(list(args))
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


# Text a command line can carry: control characters, right-to-left marks, combining marks, very
# long strings, look-alikes of dates, numbers, case ids and options, and random bytes as Python
# hands them over (bytes that are not UTF-8 become lone surrogates U+DC80-U+DCFF). A real
# command line cannot carry NUL, nor other lone surrogates: those are pinned separately.
TRICKY = [
    "", " ", "\t", "\n", "\r\n", "\x1b[31m", "\x7f", "\u200f", "\u202e", "\u2066", "\ufeff",
    "\udcff", "Bolag \udce5 AB", "e\u0301", "\U0001f600", "ß", "İ", "Ω", "٣", "-", "--",
    "--help", "-1", "0", "1", "4", "99999999999999999999", "1e309", "nan", "2026-02-30",
    "2026-10-01", "0000-00-00", "9999-12-31", "2026-0001", "2026-9999", "../../etc/passwd",
    "/dev/null", "CON", "%s%n", "{{ 7*7 }}", "{% for x in range(9) %}", "'; drop table events;--",
    "556016-0680", "5560160680", "x" * 10_000, "å" * 5_000,
]
NO_NUL = st.characters(exclude_characters="\x00")
TEXT = st.one_of(
    st.sampled_from(TRICKY),
    st.text(NO_NUL, max_size=40),
    st.text(st.characters(categories=("Cc", "Cf", "Zl", "Zp", "Zs", "Mn"),
                          exclude_characters="\x00"), max_size=20),
    st.binary(max_size=30).map(
        lambda raw: raw.replace(b"\x00", b"").decode("utf-8", "surrogateescape")),
    st.builds(lambda a, b: a + b, st.sampled_from(TRICKY), st.text(NO_NUL, max_size=10)),
)
