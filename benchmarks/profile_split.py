"""Where a whole-register command spends its time: one run under ``cProfile``, its functions'
own time (``tottime``) summed by kind. Used by run.py; runnable alone:

    python benchmarks/profile_split.py status --all --json --db REGISTER

* **sql**: SQLite's methods, and everything in ``trappa/store/`` (the only package that speaks
  SQL: stepping a cursor inside a store function counts as that function's own time, so the
  store's conversion of rows counts here too) but ``verification.py``, whose checks are pure.
* **output**: ``trappa/cli/output.py``, the JSON encoder, and writing to stdout.
* **start-up**: importing modules.
* **parts**: waiting for the processes a command runs beside it (``verify``'s parts, which are
  not profiled themselves).
* **python**: everything else: the rules, the fold, parsing, checking, the cases' logic.

A profile slows Python code more than C code, so the split overstates **python** somewhat; it
tells where time goes, the timed rounds tell how much.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
from collections.abc import Iterable

KINDS = ("sql", "python", "output", "start-up", "parts")


def kind_of(filename: str, name: str) -> str:
    """The kind of one profile entry (``filename`` is ``~`` for built-ins)."""
    path = filename.replace("\\", "/")
    if "sqlite3" in name or (
        "/trappa/store/" in path and not path.endswith("/store/verification.py")
    ):
        return "sql"
    if "/multiprocessing/" in path or path.endswith("/threading.py") or (
        filename == "~" and any(
            word in name for word in ("posix.read", "posix.waitpid", "'acquire' of '_thread")
        )
    ):
        return "parts"
    if "/importlib/" in path or "<frozen importlib" in path or name in (
        "<built-in method _imp.create_dynamic>", "<built-in method marshal.loads>",
        "<built-in method _imp.exec_dynamic>", "<built-in method builtins.__build_class__>",
    ):
        return "start-up"
    if ("/trappa/cli/output.py" in path or "/json/encoder.py" in path
            or "c_make_encoder" in name or ".write" in name or "'write'" in name):
        return "output"
    return "python"


def split(stats: pstats.Stats) -> tuple[dict[str, float], list[tuple[float, str]]]:
    """Seconds of own time per kind, and the entries by own time, largest first."""
    totals = dict.fromkeys(KINDS, 0.0)
    entries: list[tuple[float, str]] = []
    for (filename, line, name), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        totals[kind_of(filename, name)] += tottime
        where = name if filename == "~" else f"{filename.rsplit('/', 1)[-1]}:{line}({name})"
        entries.append((tottime, where))
    entries.sort(reverse=True)
    return totals, entries


def summary(totals: dict[str, float], entries: Iterable[tuple[float, str]], top: int = 3) -> str:
    """One line: each kind's share of the profiled time, then the top functions."""
    whole = sum(totals.values()) or 1.0
    shares = "  ".join(f"{kind} {totals[kind] / whole:4.0%}" for kind in KINDS if totals[kind])
    tops = "; ".join(f"{where} {seconds:.2f}s" for seconds, where in list(entries)[:top])
    return f"{shares}   top: {tops}"


def profile(argv: list[str], out: str) -> None:
    """Run ``trappa *argv`` in this process under the profiler; write its stats to ``out``."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        from trappa.cli import main

        main(argv)
    except SystemExit:
        pass
    finally:
        profiler.disable()
        profiler.dump_stats(out)


if __name__ == "__main__":
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".prof") as handle:
        saved, sys.stdout = sys.stdout, open("/dev/null", "w")  # noqa: SIM115 - closed below
        try:
            profile(sys.argv[1:], handle.name)
        finally:
            sys.stdout.close()
            sys.stdout = saved
        print(summary(*split(pstats.Stats(handle.name))))
