"""Building cases for the letter and dossier tests: through the operations of ``trappa.cases``
on the test's own database (the one ``TRAPPA_DB`` points at), so that the CLI sees the same
operations."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from trappa.cases import moves, plans, reporting, sanctions
from trappa.cases.inputs import ReportInput, check_report
from trappa.cases.session import Session
from trappa.cli.session import resolve_ladder as load_ladder
from trappa.ladder.view import LadderView
from trappa.store.database import Store

TODAY = dt.date(2026, 10, 1)
ORG = {
    "org.name": "Region Kalmar län",
    "org.unit": "Upphandlingsenheten",
    "org.contact": "Anna Andersson, 010-123 45 67, upphandling@regionkalmar.se",
    "org.signatory": "Anna Andersson, avtalsansvarig",
}


_LADDERS: dict[tuple[str, str], LadderView] = {}


def resolve_ladder(ref: str) -> LadderView:
    """The bundled ladders are read once per test run: loading one costs a fifth of a second."""
    key = (ref, os.environ.get("TRAPPA_LADDERS", ""))
    if key not in _LADDERS:
        _LADDERS[key] = load_ladder(ref)
    return _LADDERS[key]


@contextmanager
def open_session(today: dt.date = TODAY) -> Iterator[Session]:
    location = os.environ["TRAPPA_DB"]  # a file, or a PostgreSQL register (``engine``)
    store = Store.open(location if location.startswith("postgresql://") else Path(location))
    try:
        yield Session(store=store, actor="testare", today=today)
    finally:
        store.close()


def set_org(session: Session, **overrides: str | None) -> None:
    values = {**ORG, **overrides}
    with session.store.transaction():
        for key, value in values.items():
            if value is not None:
                session.store.set_setting(key, value)


def new_case(
    session: Session,
    *,
    supplier: str = "Vårdbemanning Norr AB",
    org_nr: str | None = "556677-8899",
    contract: str | None = "Bemanning 2025",
    ladder: str = "regionerna",
    level: int = 0,
    serious: bool = False,
    reference: str | None = "RK 2026/1234",
) -> str:
    """A case with two deviations (the first observed 14 March 2026), moved up to ``level``."""
    first = check_report(
        ReportInput(
            supplier=supplier,
            org_nr=org_nr,
            contract=contract,
            criticality=4 if contract else None,
            description="Beställd sjuksköterska uteblev från nattpass",
            category="leverans",
            source="verksamhet",
            reporter="Karin Karlsson",
            observed=dt.date(2026, 3, 14),
            reference=reference,
            ladder=ladder,
            serious=serious,
        ),
        session.today,
    )
    case_id = reporting.report(session, first, resolve_ladder).case.id
    second = check_report(
        ReportInput(
            supplier=supplier,
            org_nr=org_nr,
            contract=contract,
            description="Pass bekräftades inte i tid",
            observed=dt.date(2026, 4, 2),
            anonymous=True,
            source="visselblåsning",
            ladder=ladder,
        ),
        session.today,
    )
    reporting.report(session, second, resolve_ladder)
    if level > 0:
        moves.escalate(session, case_id, to=level, reason="Avvikelserna består trots dialog")
    return case_id


def add_plan(session: Session, case_id: str) -> None:
    plans.establish_plan(
        session,
        case_id,
        due=dt.date(2026, 11, 30),
        items=["Bekräfta varje pass 48 timmar i förväg", "Håll en reservlista"],
        owner="Per Persson",
    )


def add_sanction(session: Session, case_id: str) -> None:
    sanctions.sanction(session, case_id, "vite", "Uteblivna pass enligt avtalets punkt 7", 12500)


def add_termination(session: Session, case_id: str, kind: str = "havning") -> None:
    """A decision to end the contract, taking effect on 31 October 2026."""
    sanctions.sanction(session, case_id, kind, "Väsentligt avtalsbrott enligt avtalets punkt 12",
                       takes_effect=dt.date(2026, 10, 31))


def events_of(session: Session, case_id: str) -> list:
    return session.store.events(case_id)


def run_cli(capsysbinary, *args: str) -> tuple[int, bytes, str]:
    """Run ``trappa ARGS`` in this process; (exit code, stdout bytes, stderr text)."""
    from trappa.cli import main

    capsysbinary.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    sys.stdout.flush()
    sys.stderr.flush()
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode("utf-8")
