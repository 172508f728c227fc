"""Property: whatever users do, replaying the events reproduces the stored projection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trappa.cases import changes, moves, plans, reporting, sanctions
from trappa.cases.inputs import ReportInput, check_report
from trappa.cases.session import Session
from trappa.cli.session import resolve_ladder
from trappa.errors import TrappaError
from trappa.history.facts import facts_of
from trappa.history.projection import fold
from trappa.rules.evaluation import suggested_level, suggested_level_of
from trappa.store.database import Store

START = dt.date(2026, 1, 1)

suppliers = st.sampled_from(["Alfa AB", "Beta AB"])
contracts = st.sampled_from([None, "K1"])
operation = st.one_of(
    st.tuples(st.just("report"), suppliers, contracts, st.booleans(), st.integers(0, 30)),
    st.tuples(st.just("escalate"), st.integers(1, 3), st.integers(0, 6)),
    st.tuples(st.just("deescalate"), st.integers(1, 3), st.integers(0, 6)),
    st.tuples(st.just("plan"), st.integers(1, 3), st.integers(0, 60)),
    st.tuples(st.just("followup"), st.integers(1, 3),
              st.sampled_from(["followed", "not_followed", "no_effect"])),
    st.tuples(st.just("sanction"), st.integers(1, 3)),
    st.tuples(st.just("resolve"), st.integers(1, 3), st.integers(1, 4)),
    st.tuples(st.just("close"), st.integers(1, 3)),
    st.tuples(st.just("reopen"), st.integers(1, 3)),
)


def run(session: Session, op: tuple) -> None:
    kind, *args = op
    case = f"{session.today.year}-{args[0]:04d}" if kind != "report" else None
    if kind == "report":
        supplier, contract, serious, days_ago = args
        checked = check_report(
            ReportInput(supplier=supplier, contract=contract, description="x", serious=serious,
                        observed=session.today - dt.timedelta(days=days_ago)),
            session.today,
        )
        reporting.report(session, checked, resolve_ladder)
    elif kind == "escalate":
        moves.escalate(session, case, to=None if args[1] == 0 else args[1], reason="r")
    elif kind == "deescalate":
        moves.deescalate(session, case, to=None if args[1] == 6 else args[1], reason="r")
    elif kind == "plan":
        plans.establish_plan(session, case, session.today + dt.timedelta(days=args[1]), ["p"])
    elif kind == "followup":
        plans.follow_up_plan(session, case, args[1])
    elif kind == "sanction":
        sanctions.sanction(session, case, "vite", "r", 100.0)
    elif kind == "resolve":
        changes.resolve(session, case, args[1])
    elif kind == "close":
        changes.close(session, case, "r")
    elif kind == "reopen":
        changes.reopen(session, case, "r")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(st.tuples(st.integers(0, 20), operation), min_size=1, max_size=25))
def test_replay_equals_projection(tmp_path: Path, ops: list) -> None:
    db = tmp_path / f"p{abs(hash(str(ops)))}.db"
    store = Store.open(db)
    try:
        day = START
        for advance, op in ops:
            day += dt.timedelta(days=advance)
            session = Session(store=store, actor="prop", today=day)
            try:
                run(session, op)
            except TrappaError:
                pass  # refused or bad input: must have changed nothing, checked below
        # What status and review read (the facts kept with each case) is what the plain path
        # derives from a replay, and the rules say the same over both.
        summaries = {case.id: case for case in store.iter_summaries(status=None)}
        session = Session(store=store, actor="prop", today=day)
        for state in store.iter_states(status=None):
            replayed = fold(store.events(state.id))
            assert replayed == state
            assert summaries[state.id].facts() == facts_of(replayed)
            ladder = session.ladder(state.ladder_sha256)
            for as_of in (START, day, day + dt.timedelta(days=200)):
                assert suggested_level_of(ladder, summaries[state.id], as_of) == (
                    suggested_level(ladder, replayed, as_of)
                )
        report = store.verify()
        assert report.ok, report.problems
    finally:
        store.close()
        db.unlink(missing_ok=True)
