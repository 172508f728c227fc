"""``report`` makes its whole answer (case, level, the rules' evaluation) inside its transaction:
a failure anywhere records nothing, and once it commits nothing runs that could fail and leave
the händelse recorded behind an error that invites reporting it again."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import dump_db
from trappa.cases import reporting
from trappa.cases.inputs import ReportInput, check_report
from trappa.cases.session import Session
from trappa.cli import main
from trappa.cli.session import resolve_ladder
from trappa.ladder.view import LadderView
from trappa.store.database import Store

TODAY = dt.date(2026, 10, 1)


class Boom(Exception):
    pass


def _explode(*args: Any, **kwargs: Any) -> Any:
    raise Boom


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    store = Store.open(tmp_path / "a.db")
    s = Session(store=store, actor="testare", today=TODAY)
    reporting.report(s, check_report(ReportInput(supplier="Bolaget AB", description="Fel"),
                                     TODAY), resolve_ladder)
    yield s
    store.close()


# Joining the open case; joining it and giving the supplier its number; opening a case.
REPORTS = {
    "joins": ReportInput(supplier="Bolaget AB", description="Igen"),
    "joins and identifies": ReportInput(supplier="Bolaget AB", org_nr="556016-0680",
                                        description="Igen"),
    "opens": ReportInput(supplier="Nytt AB", contract="K", description="Först"),
}


@pytest.mark.parametrize("which", REPORTS)
def test_a_failure_in_the_evaluation_records_nothing(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    before = dump_db(tmp_path / "a.db")
    with monkeypatch.context() as patch, pytest.raises(Boom):  # as the CLI reports any other
        patch.setattr("trappa.cases.session.evaluate", _explode)
        reporting.report(session, check_report(REPORTS[which], TODAY), resolve_ladder)
    assert dump_db(tmp_path / "a.db") == before
    result = reporting.report(session, check_report(REPORTS[which], TODAY), resolve_ladder)
    assert result.deviation == (1 if which == "opens" else 2)  # the rerun records it once


class _Traced:
    """The store, noting each call made on it and when its outermost transaction commits."""

    def __init__(self, store: Store, log: list[str]) -> None:
        self._store = store
        self._log = log

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self._log.append(name)
            return attr(*args, **kwargs)

        return call

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._log.append("BEGIN")
        with self._store.transaction():
            yield
        self._log.append("COMMIT")


@pytest.mark.parametrize("which", REPORTS)
def test_nothing_runs_after_the_commit(
    session: Session, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    log: list[str] = []
    evaluate = session.evaluate
    traced = Session(store=_Traced(session.store, log), actor="testare", today=TODAY)

    def noting(name: str, run: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            log.append(name)
            return run(*args, **kwargs)
        return call

    monkeypatch.setattr(traced, "evaluate", noting("evaluate", evaluate))
    ladders = noting("resolve_ladder", resolve_ladder)
    result = reporting.report(traced, check_report(REPORTS[which], TODAY), ladders)
    assert log[0] == "BEGIN" and log[-1] == "COMMIT" and log.count("COMMIT") == 1, log
    assert "evaluate" in log and "append" in log and "save_state" in log
    assert result.evaluation.suggested_level is not None  # the answer was made before COMMIT


def _run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    else:
        code = 0
    captured = capsys.readouterr()
    return int(code or 0), captured.out, captured.err


def test_a_failed_evaluation_is_the_usual_crash_report_and_the_rerun_records_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRAPPA_LOG_DIR", str(tmp_path / "logs"))
    report = ("report", "--supplier", "Bolaget AB", "--org-nr", "556016-0680",
              "--description", "Fel", "--json")
    assert _run("report", "--supplier", "Bolaget AB", "--description", "Först",
                capsys=capsys)[0] == 0
    before = dump_db(tmp_path / "trappa.db")

    def broken(ladder: LadderView, *args: Any) -> Any:
        raise RuntimeError("injected failure")

    with monkeypatch.context() as patch:
        patch.setattr("trappa.cases.session.evaluate", broken)
        code, out, err = _run(*report, capsys=capsys)
    assert (code, out) == (3, "")
    [log] = (tmp_path / "logs").glob("crash-*.log")
    assert err.splitlines() == [
        "error: unexpected error: RuntimeError: injected failure",
        f"hint: its traceback and details are in {log}; please send that file with a bug report",
    ]
    assert dump_db(tmp_path / "trappa.db") == before
    code, out, err = _run(*report, capsys=capsys)
    assert (code, err) == (0, "")
    assert json.loads(out)["deviation"] == 2
