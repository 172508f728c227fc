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
    # --- letters -------------------------------------------------------------------------------
    # --- import --------------------------------------------------------------------------------
}

_catalogue = EN


def say(key: str, /, **fields: object) -> str:
    """The message for ``key`` with ``fields`` filled in."""
    return _catalogue[key].format(**fields)
