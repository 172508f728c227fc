"""Risk assessment (risk- och konsekvensanalys): probability × consequence on the ladder's risk
matrix, recorded as ``risk_assessed``; it marks done the current step's activity that the ladder
marks ``assesses_risk`` (``riskbedomning`` in the bundled ladders), when that step has one not yet
done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from trappa.cases.inputs import optional_text
from trappa.cases.results import ChangeResult
from trappa.cases.session import Session, record_event
from trappa.errors import UserError
from trappa.history.projection import CaseState, RiskAssessment
from trappa.ladder.risk import SCALE, band_of
from trappa.messages import say


def _check_scale(value: int, option: str) -> int:
    if value not in SCALE:
        raise UserError(say("risk.scale", option=option, value=value))
    return value


def assess_risk(session: Session, case_id: str, probability: int, consequence: int,
                note: str | None = None, date: dt.date | None = None) -> ChangeResult:
    """Record a risk assessment of the case."""
    _check_scale(probability, "--probability")
    _check_scale(consequence, "--consequence")
    note_text = optional_text(note, "--note", multiline=True)
    score = probability * consequence

    def build(state: CaseState, day: str) -> dict[str, Any]:
        ladder = session.ladder_of(state)
        band = band_of(ladder.risk_matrix, score)
        step_activities = ladder.step(state.level).get("activities") or []
        done = state.done_at_current_level()
        activity = next(
            (key for key in ladder.flagged_activities("assesses_risk")
             if key in step_activities and key not in done),
            None,
        )
        return {
            "n": len(state.risks) + 1, "probability": probability, "consequence": consequence,
            "score": score, "band": band.label, "band_default": band.default, "note": note_text,
            "activity": activity,
        }

    state, data = record_event(session, case_id, "risk_assessed", date, build)
    return ChangeResult(state, "risk_assessed", {
        "risk": data["n"], "probability": probability, "consequence": consequence,
        "score": score, "band": data["band"], "band_default": data["band_default"],
        "activity": data["activity"],
    })


def risk_json(state: CaseState) -> dict[str, Any] | None:
    """The case's latest risk assessment as ``show --json`` prints it, or None."""
    if not state.risks:
        return None
    latest: RiskAssessment = state.risks[-1]
    return {
        "n": latest.n, "probability": latest.probability, "consequence": latest.consequence,
        "score": latest.score, "band": latest.band, "band_default": latest.band_default,
        "assessed": latest.date, "note": latest.note,
    }
