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


# Text a user (or a file, or a pasted cell) may hand any option: control characters, NUL,
# lone surrogates, right-to-left marks, combining marks, very long strings, and look-alikes of
# dates, numbers, case ids and options.
TRICKY = [
    "", " ", "\x00", "\t", "\n", "\r\n", "\x1b[31m", "\x7f", "\u200f", "\u202e", "\u2066",
    "\ufeff", "\ud800", "\udfff", "e\u0301", "\U0001f600", "ß", "İ", "Ω", "٣", "-", "--",
    "--help", "-1", "0", "1", "4", "99999999999999999999", "1e309", "nan", "2026-02-30",
    "2026-10-01", "0000-00-00", "9999-12-31", "2026-0001", "2026-9999", "../../etc/passwd",
    "/dev/null", "CON", "%s%n", "{{ 7*7 }}", "{% for x in range(9) %}", "'; drop table events;--",
    "556016-0680", "5560160680", "x" * 10_000, "å" * 5_000,
]
TEXT = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.text(st.characters(codec=None, categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Zs", "Mn")),
            max_size=20),
    st.builds(lambda a, b: a + b, st.sampled_from(TRICKY), st.text(max_size=10)),
)
