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
    "ladder.file.unreadable": "cannot read the file: {detail}",
    "ladder.file.missing": "no such file",
    "ladder.file.directory": "it is a folder, not a file",
    "ladder.file.not_utf8": "the file is not UTF-8 text (byte {byte} here); save it as UTF-8",
    "ladder.yaml.syntax": "invalid YAML: {detail}",
    "ladder.yaml.tab": "{detail}; indent with spaces, YAML does not allow tabs",
    "ladder.yaml.duplicate_key": "duplicate key '{key}' (first given at line {line})",
    "ladder.yaml.empty": "the file is empty; a ladder file starts with 'format: trappa/ladder@1'",
    "ladder.yaml.not_mapping": "a ladder file must be a mapping of keys to values, not {kind}",
    "ladder.yaml.kind.list": "a list",
    "ladder.yaml.kind.scalar": "the single value '{value}'",
    "ladder.yaml.recursive": "an alias refers to the anchor it lies in",
    "ladder.format.missing": "missing key 'format'; a ladder file starts with 'format: {format}'",
    "ladder.format.unknown": "unknown format '{value}'; this trappa reads '{format}'",
    "ladder.where.step": "step {level}",
    "ladder.where.step_at": "step #{n}",
    "ladder.where.rule": "rule '{id}'",
    "ladder.where.rule_at": "rule #{n}",
    "ladder.where.activity": "activity '{key}'",
    "ladder.where.letter": "letter '{key}'",
    "ladder.where.party": "party '{key}'",
    "ladder.where.term": "term '{key}'",
    "ladder.where.list_item": "{field} item {n}",
    "ladder.did_you_mean": "{message}; did you mean '{suggestion}'?",
    "ladder.schema.missing": "missing key '{key}'",
    "ladder.schema.unknown_key": "unknown key '{key}'",
    "ladder.schema.key_not_text": "key {key} must be text",
    "ladder.schema.bad_key": (
        "'{value}' is not a valid key: use a-z, 0-9 and '-', starting with a letter or digit"
    ),
    "ladder.schema.bad_ref": "'{value}' is not a ladder reference; write <id> or <id>@<version>",
    "ladder.schema.not_one_of": "{value} is not one of {expected}",
    "ladder.schema.empty": "must not be empty",
    "ladder.schema.too_small": "must be at least {limit}, not {value}",
    "ladder.schema.expected": "expected {expected}, got {got}",
    "ladder.expect.text": "text",
    "ladder.expect.whole_number": "a whole number",
    "ladder.expect.boolean": "true or false",
    "ladder.expect.mapping": "a mapping of keys to values",
    "ladder.expect.list": "a list",
    "ladder.show.nothing": "nothing",
    "ladder.show.mapping": "a mapping",
    "ladder.show.list": "a list",
    "ladder.place.id": "id '{value}' does not match the folder '{folder}' the file lies in",
    "ladder.place.version": "version '{value}' does not match the file name '{name}'",
    "ladder.steps.none": "the ladder has no steps",
    "ladder.steps.gap": "levels must run 0, 1, 2, ... without gaps; missing: {missing}",
    "ladder.step.twice": "step {key} is given twice (first at line {line})",
    "ladder.step.incomplete": (
        "missing {keys}; every step needs event, tier, activities and parties"
    ),
    "ladder.rule.twice": "rule '{key}' is given twice (first at line {line})",
    "ladder.rule.incomplete": "missing {keys}; every rule needs title, level and when",
    "ladder.rule.disables_nothing": "disables a rule that no base ladder defines",
    "ladder.ref.activity": "unknown activity '{key}'",
    "ladder.ref.party": "unknown party '{key}'",
    "ladder.ref.letter": "unknown letter '{key}'",
    "ladder.ref.twice": "'{key}' is listed twice",
    "ladder.ref.level": "level {level} does not exist; the levels are 0-{top}",
    "ladder.extends.unknown": "unknown ladder '{ref}' ({chain})",
    "ladder.extends.cycle": "the ladders extend each other in a cycle: {chain}",
    "ladder.unknown": "unknown ladder '{ref}'",
    "ladder.unknown.hint": "known ladders: {known}",
    "ladder.unknown.none": "no ladders found (searched: {dirs}); set TRAPPA_LADDERS",
    "ladder.no_file": "no such ladder file: {path}",
    "ladder.summary": "{file}: ok — {ref}{extends}, {steps}, {activities}, {rules}",
    "ladder.summary.extends": " (extends {base})",
    "ladder.count.steps": "{n} steps",
    "ladder.count.steps.one": "{n} step",
    "ladder.count.activities": "{n} activities",
    "ladder.count.activities.one": "{n} activity",
    "ladder.count.rules": "{n} rules",
    "ladder.count.rules.one": "{n} rule",
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
