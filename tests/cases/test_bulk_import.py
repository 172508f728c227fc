"""The bulk path of ``trappa import``: it must record exactly what ``report`` would, row by row,
with a hash chain ``verify`` accepts however many chunks it is written in."""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import dump_db, run_trappa
from trappa.cases.bulk import record_rows, reported_json
from trappa.cases.importing import ImportRow, read_rows
from trappa.cases.inputs import ReportInput, check_report
from trappa.cases.reporting import record_report
from trappa.cases.session import Session
from trappa.cli.session import resolve_ladder
from trappa.errors import ProblemsError, StoreError, UserError
from trappa.ladder.view import LadderView, canonical_json
from trappa.store.database import Store

TODAY = dt.date(2026, 10, 1)

# Three parties, one of them twice (with and without its organisation number, so two parties
# meet in one case), rows out of date order, and a case that exists before the import.
ROWS = (
    "supplier;org_nr;contract;criticality;description;kind;serious;observed;category;source;"
    "reporter;anonymous;reference;external_id\n"
    "Städ AB;556016-0680;Städ 2025;3;Sen leverans;avvikelse;nej;2026-03-01;leverans;stickprov;"
    "Anna;nej;;S1\n"
    "Städ AB;556016-0680;Städ 2025;3;Fel material;deviation;ja;2026-02-01;kvalitet;;;ja;;S2\n"
    "Vård AB;;;;Saknad pension;incident;JA;2026-01-05;;verksamhet;;;D-1;S3\n"
    "Vård AB;;;;\"Två\nrader\";risk;0;2026-04-05;;;Bo;no;D-1;S4\n"
    "Kvar AB;;;;Igen;;;2026-05-01;;;;;;S5\n"
    "Kvar AB;;;;Och igen;;;2026-05-02;;;;;;\n"
)


def _session(path: Path) -> Session:
    return Session(Store.open(path), "testare", TODAY)


def _existing_case(session: Session) -> None:
    """A case of Kvar AB opened before the import, by a report."""
    rows = read_rows(_write(session.store.path.parent / "first.csv",
                            "supplier;description;observed\nKvar AB;Först;2026-01-01\n"),
                     "csv", TODAY, None)
    with session.store.transaction():
        record_report(session, rows[0].report, None, session.resolve_ladder)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _record(path: Path) -> dict[str, list]:
    """Every table, events by case and seq without what depends on the moment of recording
    (and without the register's random id)."""
    conn = sqlite3.connect(path)
    try:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN"
            " ('events', 'ladder_cache', 'ladders', 'settings', '_sqlite_migrations', 'register',"
            " 'personal_data') ORDER BY name")]
        record = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                  for t in tables}
        # Personal data is a digest of a random salt and the name: the name is what is recorded.
        names = dict(conn.execute("SELECT digest, value FROM personal_data"))
        record["personal_data"] = sorted(conn.execute("SELECT value, role FROM personal_data"))

        def named(text: str) -> str:
            for digest, name in names.items():
                text = text.replace(digest, name)
            return text

        record["events"] = [
            (case_id, seq, type_, date, named(actor), named(data))
            for case_id, seq, type_, date, actor, data in conn.execute(
                "SELECT case_id, seq, type, date, actor, data FROM events ORDER BY case_id, seq"
            )
        ]
        return record
    finally:
        conn.close()


def test_an_import_records_what_reporting_each_row_in_date_order_would(tmp_path: Path) -> None:
    rows = read_rows(_write(tmp_path / "rows.csv", ROWS), "csv", TODAY, None)
    bulk_session = _session(tmp_path / "bulk.db")
    one_session = _session(tmp_path / "one.db")
    try:
        _existing_case(bulk_session)
        _existing_case(one_session)
        summary = record_rows(bulk_session, rows, bulk_session.resolve_ladder, "rows.csv")
        for row in sorted(rows, key=lambda r: r.observed):
            with one_session.store.transaction():
                record_report(one_session, row.report, None, one_session.resolve_ladder)
        assert bulk_session.store.verify().ok
    finally:
        bulk_session.store.close()
        one_session.store.close()
    assert summary.to_json() == {"file": "rows.csv", "rows": 6, "recorded": 6, "skipped": 0,
                                 "cases_opened": 2, "cases_joined": 1}
    assert _record(tmp_path / "bulk.db") == _record(tmp_path / "one.db")


def test_more_events_than_one_chunk_chain_and_verify(tmp_path: Path) -> None:
    # 2,500 rows: the events go in two chunks (of 2,000), the chain runs on across them.
    lines = ["leverantör;avtal;beskrivning;observerad;externt_id"]
    lines += [f"Bolag {i % 7} AB;Avtal {i % 3};Avvikelse {i};2026-{1 + i % 9:02d}-01;E{i}"
              for i in range(2500)]
    path = _write(tmp_path / "many.csv", "\n".join(lines) + "\n")
    result = run_trappa("import", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["cases_opened"] == 21
    verify = run_trappa("verify")
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith("2500 events in 21 cases: ")
    conn = sqlite3.connect(tmp_path / "trappa.db")
    try:
        numbers = conn.execute(
            "SELECT case_id, group_concat(n) FROM (SELECT case_id, n FROM deviations"
            " ORDER BY case_id, observed, CAST(substr(external_id, 2) AS INTEGER))"
            " GROUP BY case_id").fetchall()
    finally:
        conn.close()
    # Each case's deviations are numbered 1, 2, … in observed-date order, the file's on a tie.
    for _, joined in numbers:
        assert [int(n) for n in joined.split(",")] == list(range(1, joined.count(",") + 2))


def test_a_case_row_alone_is_written_only_inside_a_transaction(tmp_path: Path) -> None:
    session = _session(tmp_path / "t.db")
    try:
        _existing_case(session)
        state = session.store.case_state("2026-0001")
        with pytest.raises(StoreError) as info:
            session.store.save_case_row(state)
        assert info.value.message.endswith("no transaction")
    finally:
        session.store.close()


_text = st.one_of(st.none(), st.text(max_size=20))


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=10**9),
    kind=st.sampled_from(["deviation", "incident", "risk"]),
    serious=st.booleans(),
    description=st.text(min_size=1, max_size=40),
    category=_text, source=_text, reporter=_text, external_id=_text,
)
def test_a_reported_events_data_is_canonical_json(
    n: int, kind: str, serious: bool, description: str, category: str | None,
    source: str | None, reporter: str | None, external_id: str | None,
) -> None:
    deviation = {"kind": kind, "serious": serious, "observed": "2026-01-02",
                 "category": category, "description": description, "source": source,
                 "reporter": reporter, "external_id": external_id}
    assert reported_json(n, deviation) == canonical_json({"deviation": {"n": n, **deviation}})


@pytest.mark.parametrize("deviation", [
    {"kind": "risk", "serious": 1, "observed": "2026-01-02", "category": None,
     "description": "x", "source": None, "reporter": None, "external_id": None},
    {"kind": "risk", "serious": False, "observed": "2026-01-02", "category": None,
     "description": "x", "source": None, "reporter": None, "external_id": None, "extra": 2.5},
    {"kind": "risk", "serious": False, "observed": "2026-01-02", "description": "x"},
])
def test_a_deviation_of_other_shape_is_still_canonical(deviation: dict) -> None:
    assert reported_json(3, deviation) == canonical_json({"deviation": {"n": 3, **deviation}})


# --- one supplier, one case: an import follows report's rules row for row --------------------

ORG_NR = "556016-0680"


def _one_by_one(session: Session, rows: list[ImportRow],
                resolve: Callable[[str], LadderView]) -> set[tuple[int, str]]:
    """Report each row as ``trappa report`` would, in observed-date order; the refusals."""
    refused = set()
    for row in sorted(rows, key=lambda r: r.observed):
        try:
            with session.store.transaction():
                record_report(session, row.report, None, resolve)
        except UserError as exc:
            refused.add((row.line, exc.message))
    return refused


def _bulk(session: Session, rows: list[ImportRow],
          resolve: Callable[[str], LadderView]) -> set[tuple[int, str]]:
    """Import the rows; the refusals (then nothing is recorded)."""
    before = dump_db(session.store.path)
    try:
        record_rows(session, rows, resolve, "rows.csv")
    except ProblemsError as exc:
        assert dump_db(session.store.path) == before
        return {(problem.line, problem.message) for problem in exc.problems}
    return set()


def _same_as_one_by_one(folder: Path, rows: list[ImportRow], *, prior: bool = False) -> None:
    """The import and the rows reported one by one refuse the same rows with the same
    messages; with none refused they record the same suppliers, cases and events."""
    resolve = _resolver()
    bulk_session = _session(folder / "bulk.db")
    one_session = _session(folder / "one.db")
    try:
        if prior:  # a supplier known by name before the import, with an open case
            for s in (bulk_session, one_session):
                with s.store.transaction():
                    record_report(s, check_report(
                        ReportInput(supplier="Beta AB", description="Före"), TODAY), None, resolve)
        refused = _one_by_one(one_session, rows, resolve)
        assert _bulk(bulk_session, rows, resolve) == refused
        if not refused:
            assert bulk_session.store.verify().ok
    finally:
        bulk_session.store.close()
        one_session.store.close()
    if not refused:
        assert _record(folder / "bulk.db") == _record(folder / "one.db")


@functools.cache
def _ladder() -> LadderView:
    return resolve_ladder("regionerna")


def _resolver() -> Callable[[str], LadderView]:
    """The bundled default ladder, read once for every database of the tests."""
    return lambda ref: _ladder()


def _row(line: int, supplier: str, observed: str, org_nr: str | None = None,
         contract: str | None = None, reference: str | None = None) -> ImportRow:
    return ImportRow(line, check_report(ReportInput(
        supplier=supplier, description=f"rad {line}", org_nr=org_nr, contract=contract,
        reference=reference, observed=dt.date.fromisoformat(observed)), TODAY))


def test_an_import_gives_a_supplier_known_by_name_its_number_as_reports_would(
    tmp_path: Path,
) -> None:
    rows = [
        _row(2, "Beta AB", "2026-01-01"),
        _row(3, "Beta AB", "2026-03-01"),  # after the number, still the same case
        _row(4, "BETA AB", "2026-02-01", ORG_NR),
        _row(5, "Beta AB", "2026-04-01", ORG_NR),
        _row(6, "Gamma AB", "2026-01-15", "212000-0142"),
    ]
    _same_as_one_by_one(tmp_path, rows)
    conn = sqlite3.connect(tmp_path / "bulk.db")
    try:
        assert conn.execute("SELECT name, org_nr FROM suppliers ORDER BY id").fetchall() == [
            ("Beta AB", ORG_NR), ("Gamma AB", "212000-0142")]
        assert conn.execute(
            "SELECT case_id, seq, type FROM events WHERE case_id = '2026-0001' ORDER BY seq"
        ).fetchall() == [("2026-0001", 1, "reported"), ("2026-0001", 2, "reported"),
                         ("2026-0001", 3, "supplier_identified"),
                         ("2026-0001", 4, "reported"), ("2026-0001", 5, "reported")]
    finally:
        conn.close()


def test_an_import_refuses_what_reports_would_row_by_row(tmp_path: Path) -> None:
    rows = [
        _row(2, "Beta AB", "2026-01-01", reference="D-1"),
        _row(3, "Beta AB", "2026-02-01", ORG_NR, reference="D-2"),  # refused: no number given
        _row(4, "Beta AB", "2026-03-01", ORG_NR),  # the party's next row gives it
        _row(5, "Gamma AB", "2026-04-01", ORG_NR),  # refused: the number is Beta's now
        _row(6, "Gamma AB", "2026-05-01", ORG_NR),  # and again: every row is checked
    ]
    _same_as_one_by_one(tmp_path, rows, prior=True)
    bulk = _session(tmp_path / "again.db")
    try:
        assert _bulk(bulk, rows, _resolver()) == {
            (3, "case 2026-0001 already has the registration number D-1"),
            (5, f"organisation number {ORG_NR} belongs to 'Beta AB', not 'Gamma AB'; "
                "check which is right"),
            (6, f"organisation number {ORG_NR} belongs to 'Beta AB', not 'Gamma AB'; "
                "check which is right"),
        }
    finally:
        bulk.store.close()


_NAMES = st.sampled_from(["Beta AB", "BETA AB", "Gamma AB"])
_ORG_NRS = st.sampled_from([None, None, ORG_NR, "212000-0142", "556677-8899"])


@settings(max_examples=25, deadline=None)  # two databases each: keep the suite quick
@given(
    specs=st.lists(
        st.tuples(_NAMES, _ORG_NRS, st.sampled_from([None, None, "K1"]),
                  st.sampled_from([None, None, "D-1", "D-2"]),
                  st.sampled_from(["2026-01-01", "2026-02-01", "2026-03-01"])),
        min_size=1, max_size=8,
    ),
    prior=st.booleans(),
)
def test_an_import_is_its_rows_reported_one_by_one(
    specs: list[tuple[str, str | None, str | None, str | None, str]], prior: bool
) -> None:
    rows = [_row(line, name, observed, org_nr, contract, reference)
            for line, (name, org_nr, contract, reference, observed) in enumerate(specs, 2)]
    with tempfile.TemporaryDirectory() as folder:
        _same_as_one_by_one(Path(folder), rows, prior=prior)
