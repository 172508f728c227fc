"""Every sentence trappa says to a user, kept in one place so a translation can follow.

Code refers to a message by key and fills in its fields: ``say("case.unknown", case="2026-0001")``.
A Swedish catalogue can later be added beside ``EN`` and chosen by locale without touching callers.
Messages are one line, start in lower case and carry no final full stop (they are prefixed with
"error: " or a position when printed).
"""

EN: dict[str, str] = {
    # --- general -------------------------------------------------------------------------------
    "error.prefix": "error",
    "error.hint": "hint",
    "error.unexpected": "unexpected error: {detail}",
    "error.unexpected.hint": "rerun with TRAPPA_DEBUG=1 to see the traceback",
    "error.interrupted": "interrupted",
    # --- dates and values ----------------------------------------------------------------------
    "date.malformed": "{option}: '{value}' is not a date; write it as YYYY-MM-DD",
    "date.impossible": "{option}: '{value}' is not a real date ({detail})",
    "date.today_env": "TRAPPA_TODAY: '{value}' is not a date; write it as YYYY-MM-DD",
    "orgnr.malformed": "organisation number '{value}' must be written NNNNNN-NNNN",
    "orgnr.check_digit": (
        "organisation number '{value}' has a wrong check digit (expected {expected})"
    ),
    # --- ladders: loading and validation -------------------------------------------------------
    # (the loader adds its messages here)
    # --- ladders: commands ---------------------------------------------------------------------
    # --- store ---------------------------------------------------------------------------------
    # --- cases ---------------------------------------------------------------------------------
    # --- rules ---------------------------------------------------------------------------------
    # A rule's detail: each condition's facts, then its verdict; several conditions join with "; ".
    "rules.holds": "{facts}: holds",
    "rules.does_not_hold": "{facts}: does not hold",
    "rules.no_conditions": "no conditions",
    "rules.days.one": "1 day",
    "rules.days.many": "{n} days",
    "rules.deviations.what.one": "deviation",
    "rules.deviations.what.many": "deviations",
    "rules.deviations.what.serious_one": "serious deviation",
    "rules.deviations.what.serious_many": "serious deviations",
    "rules.deviations.none": "no {what} observed",
    "rules.deviations.one": "1 {what} observed {first}",
    "rules.deviations.many": "{count} {what} observed {first}..{last}",
    "rules.deviations.within": "within {days}",
    "rules.deviations.since_plan": "since the action plan of {date}",
    "rules.deviations.needed": "(at least {min} needed)",
    "rules.deviations.no_plan": "no action plan to count {what} from (at least {min} needed)",
    "rules.plan.none": "no action plan",
    "rules.plan.latest": "latest plan ({established}) due {due}, {follow_up}",
    "rules.plan.no_follow_up": "no follow-up",
    "rules.plan.no_follow_up.overdue": "no follow-up: overdue",
    "rules.plan.no_follow_up.not_overdue": "no follow-up: not overdue",
    "rules.plan.followed_up": "followed up {date}: {outcome}",
    "rules.plan.outcome.followed": "followed",
    "rules.plan.outcome.not_followed": "not followed",
    "rules.plan.outcome.no_effect": "followed without the intended effect",
    "rules.stalled.below": "at level {level}, below {min_level}",
    "rules.stalled.since": "at level ≥ {min_level} since {since} ({days}, {needed} needed), {last}",
    "rules.stalled.last_deviation": "last deviation {date}",
    "rules.stalled.no_deviation": "no deviation observed since",
    "rules.sanctions.none": "no sanctions recorded (at least {min} needed)",
    "rules.sanctions.one": "1 sanction recorded on {latest} (at least {min} needed)",
    "rules.sanctions.many": (
        "{count} sanctions recorded, the latest {latest} (at least {min} needed)"
    ),
    # --- letters -------------------------------------------------------------------------------
    # --- import --------------------------------------------------------------------------------
}

_catalogue = EN


def say(key: str, /, **fields: object) -> str:
    """The message for ``key`` with ``fields`` filled in."""
    return _catalogue[key].format(**fields)
