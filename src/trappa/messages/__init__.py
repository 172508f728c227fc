"""Every sentence trappa says to a person, kept in one place and translated with gettext.

Code refers to a message by key and fills in its fields: ``say("case.unknown", case="2026-0001")``.
Each key's English text is the gettext message id, marked with ``N_`` (or ``P_`` for a singular
and a plural chosen by the field ``n``) so that Babel extracts it into ``locale/trappa.pot``; the
catalogs in ``locale/<lang>/LC_MESSAGES/`` translate it (see ``language`` for the choice).
Help texts are translated where they are written, with ``_("...")``.
Messages are one line, start in lower case and carry no final full stop (they are prefixed with
"error: " or a position when printed).
"""

from trappa.messages.language import translations


class Plural:
    """A message with a singular and a plural form, chosen by its field ``n``.

    (A plain class: importing typing for a NamedTuple would cost every command's start-up.)
    """

    __slots__ = ("singular", "plural")

    def __init__(self, singular: str, plural: str) -> None:
        self.singular = singular
        self.plural = plural


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark, translate later"
    """Mark ``message`` for extraction; it is translated when said."""
    return message


def P_(singular: str, plural: str) -> Plural:  # noqa: N802
    """Mark a singular and a plural for extraction (as ngettext's two message ids)."""
    return Plural(singular, plural)


def _(message: str) -> str:
    """``message`` (a literal English text, e.g. a help text) in the chosen language."""
    return translations().gettext(message)


EN: dict[str, str | Plural] = {
    # --- general -------------------------------------------------------------------------------
    # Counts, said before a noun: "1 case", "2 cases" (a message fills them in as fields).
    "count.events": P_("{n} event", "{n} events"),
    "count.cases": P_("{n} case", "{n} cases"),
    "count.problems": P_("{n} problem", "{n} problems"),
    "count.rows": P_("{n} row", "{n} rows"),
    "count.items": P_("{n} item", "{n} items"),
    "error.prefix": N_("error"),
    "error.hint": N_("hint"),
    "error.unexpected": N_("unexpected error: {detail}"),
    # A bug. Never a hint to run the command again: it may have recorded something already.
    "error.unexpected.logged": (
        N_("its traceback and details are in {path}; please send that file with a bug report")
    ),
    "error.unexpected.unlogged": (
        N_("unexpected error: {detail} (its crash log could not be written: {problem})")
    ),
    "error.interrupted": N_("interrupted"),
    # --- dates and values ----------------------------------------------------------------------
    "date.malformed": N_("{option}: '{value}' is not a date; write it as YYYY-MM-DD"),
    "date.impossible": N_("{option}: '{value}' is not a real date ({detail})"),
    "date.today_env": N_("TRAPPA_TODAY: '{value}' is not a date; write it as YYYY-MM-DD"),
    "date.out_of_range": N_("{option}: {value} is outside {earliest}..{latest}"),
    "orgnr.malformed": N_("organisation number '{value}' must be written NNNNNN-NNNN"),
    "orgnr.check_digit": (
        N_("organisation number '{value}' has a wrong check digit (expected {expected})")
    ),
    # --- ladders: loading and validation -------------------------------------------------------
    "ladder.file.unreadable": N_("cannot read the file: {detail}"),
    "ladder.file.missing": N_("no such file"),
    "ladder.file.directory": N_("it is a folder, not a file"),
    "ladder.file.not_utf8": N_("the file is not UTF-8 text (byte {byte} here); save it as UTF-8"),
    "ladder.yaml.syntax": N_("invalid YAML: {detail}"),
    "ladder.yaml.tab": N_("{detail}; indent with spaces, YAML does not allow tabs"),
    "ladder.yaml.duplicate_key": N_("duplicate key '{key}' (first given at line {line})"),
    "ladder.yaml.empty": N_(
        "the file is empty; a ladder file starts with 'format: trappa/ladder@1'"
    ),
    "ladder.yaml.not_mapping": N_("a ladder file must be a mapping of keys to values, not {kind}"),
    "ladder.yaml.kind.list": N_("a list"),
    "ladder.yaml.kind.scalar": N_("the single value '{value}'"),
    "ladder.format.missing": N_(
        "missing key 'format'; a ladder file starts with 'format: {format}'"
    ),
    "ladder.format.unknown": N_("unknown format '{value}'; this trappa reads '{format}'"),
    "ladder.where.step": N_("step {level}"),
    "ladder.where.step_at": N_("step #{n}"),
    "ladder.where.rule": N_("rule '{id}'"),
    "ladder.where.rule_at": N_("rule #{n}"),
    "ladder.where.activity": N_("activity '{key}'"),
    "ladder.where.letter": N_("letter '{key}'"),
    "ladder.where.party": N_("party '{key}'"),
    "ladder.where.term": N_("term '{key}'"),
    "ladder.where.list_item": N_("{field} item {n}"),
    "ladder.did_you_mean": N_("{message}; did you mean '{suggestion}'?"),
    "ladder.schema.missing": N_("missing key '{key}'"),
    "ladder.schema.unknown_key": N_("unknown key '{key}'"),
    "ladder.schema.key_not_text": N_("key {key} must be text"),
    "ladder.schema.bad_key": (
        N_("'{value}' is not a valid key: use a-z, 0-9 and '-', starting with a letter or digit")
    ),
    "ladder.schema.bad_ref": N_(
        "'{value}' is not a ladder reference; write <id> or <id>@<version>"
    ),
    "ladder.schema.not_one_of": N_("{value} is not one of {expected}"),
    "ladder.schema.empty": N_("must not be empty"),
    "ladder.schema.too_small": N_("must be at least {limit}, not {value}"),
    "ladder.schema.expected": N_("expected {expected}, got {got}"),
    "ladder.expect.text": N_("text"),
    "ladder.expect.whole_number": N_("a whole number"),
    "ladder.expect.boolean": N_("true or false"),
    "ladder.expect.mapping": N_("a mapping of keys to values"),
    "ladder.expect.list": N_("a list"),
    "ladder.show.nothing": N_("nothing"),
    "ladder.show.mapping": N_("a mapping"),
    "ladder.show.list": N_("a list"),
    "ladder.place.id": N_("id '{value}' does not match the folder '{folder}' the file lies in"),
    "ladder.place.version": N_("version '{value}' does not match the file name '{name}'"),
    "ladder.steps.none": N_("the ladder has no steps"),
    "ladder.steps.gap": N_("levels must run 0, 1, 2, ... without gaps; missing: {missing}"),
    "ladder.step.twice": N_("step {key} is given twice (first at line {line})"),
    "ladder.step.incomplete": (
        N_("missing {keys}; every step needs event, tier, activities and parties")
    ),
    "ladder.rule.twice": N_("rule '{key}' is given twice (first at line {line})"),
    "ladder.rule.incomplete": N_("missing {keys}; every rule needs title, level and when"),
    "ladder.rule.disables_nothing": N_("disables a rule that no base ladder defines"),
    "ladder.rule.no_conditions": N_("a rule needs at least one condition"),
    "ladder.ref.activity": N_("unknown activity '{key}'"),
    "ladder.ref.party": N_("unknown party '{key}'"),
    "ladder.ref.letter": N_("unknown letter '{key}'"),
    "ladder.ref.twice": N_("'{key}' is listed twice"),
    "ladder.ref.level": N_("level {level} does not exist; the levels are 0-{top}"),
    "ladder.extends.unknown": N_("unknown ladder '{ref}' ({chain})"),
    "ladder.extends.cycle": N_("the ladders extend each other in a cycle: {chain}"),
    "ladder.unknown": N_("unknown ladder '{ref}'"),
    "ladder.unknown.hint": N_("known ladders: {known}"),
    "ladder.unknown.none": N_("no ladders found (searched: {dirs}); set TRAPPA_LADDERS"),
    "ladder.no_file": N_("no such ladder file: {path}"),
    "ladder.summary": N_("{file}: ok — {ref}{extends}, {steps}, {activities}, {rules}"),
    "ladder.summary.extends": N_(" (extends {base})"),
    "ladder.count.steps": P_("{n} step", "{n} steps"),
    "ladder.count.activities": P_("{n} activity", "{n} activities"),
    "ladder.count.rules": P_("{n} rule", "{n} rules"),
    # --- ladders: inputs that would hang (issue 9, item 4) ---------------------------------------
    "ladder.file.too_large": N_("the file is larger than {limit}; a ladder file is far smaller"),
    "ladder.yaml.anchor": (
        N_("anchor '&{name}' is not allowed in a ladder file; write the value out where it is used")
    ),
    "ladder.yaml.alias": (
        N_("alias '*{name}' is not allowed in a ladder file; write the value out where it is used")
    ),
    # --- ladders: commands ---------------------------------------------------------------------
    "ladder.col.ref": N_("ladder"),
    "ladder.col.title": N_("title"),
    "ladder.col.extends": N_("extends"),
    "ladder.col.path": N_("file"),
    "ladder.col.level": N_("level"),
    "ladder.col.event": N_("event"),
    "ladder.col.tier": N_("tier"),
    "ladder.col.activities": N_("activities"),
    "ladder.col.parties": N_("parties"),
    "ladder.col.key": N_("key"),
    "ladder.col.letter": N_("letter"),
    "ladder.col.to": N_("to"),
    "ladder.col.id": N_("rule"),
    "ladder.col.when": N_("when"),
    "ladder.col.term": N_("term"),
    "ladder.col.definition": N_("definition"),
    "ladder.col.part": N_("part"),
    "ladder.col.change": N_("change"),
    "ladder.col.field": N_("field"),
    "ladder.col.a": N_("a"),
    "ladder.col.b": N_("b"),
    "ladder.list.empty": N_(
        "no ladders found; set TRAPPA_LADDERS to a folder of <id>/<version>.yaml"
    ),
    "ladder.show.ref": N_("ladder: {ref}"),
    "ladder.show.publisher": N_("publisher: {publisher}"),
    "ladder.show.extends.own": N_("extends {base}; only this file's own content is shown"
    " (--resolved shows the whole ladder)"),
    "ladder.show.extends.resolved": N_("extends {base}; shown merged with it"),
    "ladder.show.inherited": N_("(inherited)"),
    "ladder.show.disabled": N_("(disabled)"),
    "ladder.show.steps": N_("steps"),
    "ladder.show.activities": N_("activities"),
    "ladder.show.letters": N_("letters"),
    "ladder.show.rules": N_("rules (a rule suggests its level when all its conditions hold)"),
    "ladder.show.terms": N_("terms"),
    "ladder.show.legend": N_("* organisation-specific activity   ✉ the letter the activity sends"),
    "ladder.when.deviations": N_("at least {min} deviations"),
    "ladder.when.deviations.serious": N_("at least {min} serious deviations"),
    "ladder.when.deviations.one": N_("a deviation"),
    "ladder.when.deviations.serious.one": N_("a serious deviation"),
    "ladder.when.within": N_(" within {days} days"),
    "ladder.when.since_plan": N_(" since the latest action plan"),
    "ladder.when.plan.overdue": N_("the action plan is overdue"),
    "ladder.when.plan.not_followed": N_("the action plan is not followed"),
    "ladder.when.plan.no_effect": N_("the action plan had no effect"),
    "ladder.when.stalled": N_("at level {level} or higher for {days} days, with a deviation since"),
    "ladder.when.sanctions": P_("at least {n} sanction", "at least {n} sanctions"),
    "ladder.diff.title": N_("{a} → {b}"),
    "ladder.diff.same": N_("{a} and {b} do not differ"),
    "ladder.diff.ladder": N_("ladder"),
    "ladder.diff.part.steps": N_("step {key}"),
    "ladder.diff.part.rules": N_("rule {key}"),
    "ladder.diff.part.terms": N_("term {key}"),
    "ladder.diff.part.parties": N_("party {key}"),
    "ladder.diff.part.activities": N_("activity {key}"),
    "ladder.diff.part.letters": N_("letter {key}"),
    "ladder.diff.added": N_("added"),
    "ladder.diff.removed": N_("removed"),
    "ladder.diff.changed": N_("changed"),
    "ladder.diff.reordered": N_("(order changed)"),
    "ladder.diff.rule": N_("{title} (level {level})"),
    # --- store ---------------------------------------------------------------------------------
    "store.missing": N_("no database at {path}"),
    "store.missing.hint": (
        N_("'trappa report' creates one; or point --db or TRAPPA_DB at an existing database")
    ),
    "store.no_folder": N_("{path}: the folder {folder} does not exist"),
    "store.create_folder": N_("cannot create the folder {folder} for the database ({detail})"),
    "store.is_folder": N_("{path}: is a folder, not a database file"),
    "store.unusable_path": N_("{path}: cannot be used as a database ({detail})"),
    "store.cannot_open": (
        N_("{path}: cannot open the database; check that the file and its folder can be read and"
        " written")
    ),
    "store.not_database": N_("{path}: not an SQLite database"),
    "store.foreign": N_("{path}: an SQLite database, but not one of trappa's"),
    "store.newer": (
        N_("{path}: database schema version {found} is newer than this trappa ({known});"
        " upgrade trappa")
    ),
    "store.read_only": (
        N_("{path}: the database is read-only; check the permissions of the file and its folder")
    ),
    "store.locked": N_("{path}: the database is locked by another process (waited {seconds:g} s)"),
    "store.locked.hint": N_("try again when the other command has finished"),
    "store.corrupt": N_("{path}: the database file is damaged ({detail})"),
    "store.full": N_("{path}: the disk is full"),
    "store.failed": N_("{path}: database error: {detail}"),
    "store.migration_failed": N_(
        "{path}: upgrading the database failed ({detail}); it is unchanged"
    ),
    "store.duplicate_event": (
        N_("{path}: event {seq} of case {case} is already recorded (another command wrote it"
        " first); nothing was saved")
    ),
    "store.event_gap": (
        N_("{path}: event {seq} of case {case} cannot follow event {last}; nothing was saved")
    ),
    "store.unknown_ladder": N_(
        "{path}: the ladder {sha256} a case runs under is not in the database"
    ),
    "store.ladder_sha256": N_("the resolved ladder {ref} does not match its sha256 {sha256}"),
    "store.unknown_supplier": N_("{path}: no supplier with id {id}"),
    "store.unknown_contract": N_("{path}: no contract with id {id}"),
    "store.verify.integrity": N_("the database file is damaged: {detail}"),
    "store.verify.hash_mismatch": (
        N_("event {seq} of case {case} (position {position}): hash mismatch: it was changed after"
        " it was recorded")
    ),
    "store.verify.broken_link": (
        N_("event {seq} of case {case} (position {position}): broken link: the event before it in"
        " the chain was removed or moved")
    ),
    "store.verify.missing": N_("event {seq} of case {case} is missing"),
    "store.verify.projection": (
        N_("case {case}: the stored state differs from a replay of its events ({fields})")
    ),
    "store.verify.no_events": N_("case {case}: a stored state but no events"),
    "store.verify.no_state": N_("case {case}: events but no stored state"),
    "store.verify.unreplayable": N_("case {case}: its events cannot be replayed ({detail})"),
    "store.verify.foreign_key": N_("a row of {table} refers to a missing row of {parent}"),
    "store.rebuild_failed": (
        N_("{path}: cannot rebuild the state of case {case} from its events ({detail})")
    ),
    "store.verify.ok": N_(
        "{events} in {cases}: the chain, the case states and the database are intact"
    ),
    "store.verify.failed": N_("{problems} in {events} and {cases}"),
    # --- cases ---------------------------------------------------------------------------------
    "input.empty": N_("{what} must not be empty"),
    "input.missing": N_("missing {option}"),
    "input.control": N_("{what} must be one line of text, without control characters"),
    "input.not_utf8": N_("{what} is not UTF-8 text; check the terminal's or the file's encoding"),
    "input.control_multiline": N_("{what} must be text, without control characters"),
    "input.too_long": N_("{what} is {length} characters long; at most {limit} are allowed"),
    "date.future": N_("date {date} is in the future (today is {today})"),
    "date.before_latest": (
        N_(
            "date {date} is before case {case}'s latest event ({latest}); the history reads "
            "forwards"
        )
    ),
    "case.malformed_id": N_("{case!r} is not a case id; case ids look like 2026-0001"),
    "case.unknown": N_("unknown case {case}"),
    "case.closed": N_("case {case} is closed ({date})"),
    "case.closed.hint": N_("reopen it first: trappa reopen {case} --reason TEXT"),
    "case.already_open": N_("case {case} is already open"),
    "case.other_open": (
        N_(
            "case {case} cannot be reopened: case {other} is open for the same supplier and "
            "contract"
        )
    ),
    "supplier.unknown": N_("no supplier named '{supplier}'"),
    "report.criticality": N_("criticality {value} is outside 1-4"),
    "report.criticality_without_contract": N_("--criticality needs --contract"),
    "report.kind": N_("kind '{kind}' is not one of {kinds}"),
    "report.reporter_and_anonymous": (
        N_("--reporter and --anonymous exclude each other: an anonymous report names nobody")
    ),
    "report.observed_future": N_("observed date {date} is in the future (today is {today})"),
    "report.org_nr_other_name": (
        N_("organisation number {org_nr} belongs to '{name}', not '{given}'; check which is right")
    ),
    "report.ladder_differs": (
        N_(
            "case {case} runs under {ladder}, not {given}; --ladder chooses the ladder of a new "
            "case"
        )
    ),
    "report.reference_conflict": (
        N_("case {case} already has the registration number {reference}")
    ),
    "move.above_top": (
        N_("case {case} is at level {level}; level {target} is above the top step ({top})")
    ),
    "move.below_zero": N_("case {case} is at level {level}; there is no level {target}"),
    "move.same_level": N_("case {case} is already at level {level}"),
    "move.escalate_down": N_("case {case} is at level {level}; escalate moves up, not to {target}"),
    "move.escalate_down.hint": N_("use trappa deescalate to move down"),
    "move.deescalate_up": N_(
        "case {case} is at level {level}; deescalate moves down, not to {target}"
    ),
    "move.deescalate_up.hint": N_("use trappa escalate to move up"),
    "move.needs_reason": (
        N_("case {case}: the rules suggest level {suggested}, not {target}; give --reason to "
        "escalate anyway")
    ),
    "move.needs_reason.hint": N_("trappa explain {case} shows which rules hold and why"),
    "activity.unknown": N_("unknown activity '{activity}' in ladder {ladder}"),
    "activity.did_you_mean": N_("; did you mean '{key}'?"),
    "activity.step_list": N_("the activities of step {level}: {activities}"),
    "activity.not_in_step": N_("activity '{activity}' is not one of step {level}'s activities"),
    "activity.already_done": N_("activity '{activity}' is already done at step {level}"),
    "plan.no_items": N_("an action plan needs at least one --item"),
    "plan.needs_due_and_items": (
        N_("an action plan needs --due (or --due-in) and at least one --item (or --followup for"
           " a follow-up)")
    ),
    "plan.followup_with_items": (
        N_("--followup records a follow-up; it takes no --due, --due-in, --item or --owner")
    ),
    "plan.render_alone": (
        N_("--render writes the latest plan; it takes only --format, -o and --templates")
    ),
    "plan.due_before": N_("due date {due} is before the plan's date {date}"),
    "plan.outcome": N_("follow-up '{outcome}' is not one of {outcomes}"),
    "plan.none": N_("case {case} has no action plan to follow up"),
    "plan.none.hint": N_("establish one: trappa plan {case} --due DATE --item TEXT"),
    "plan.already_followed": (
        N_("action plan {n} was already followed up on {date} ({outcome}); establish a new plan")
    ),
    "sanction.amount": N_("amount {amount:g} must be a number of kronor from 0 to 1e12"),
    "deviation.unknown": N_("case {case} has no deviation {n} (it has {count})"),
    "deviation.already_resolved": N_("deviation {n} of case {case} was already resolved on {date}"),
    "config.unknown_key": N_("unknown key '{key}'; the keys are {keys}"),
    "config.not_set": N_("{key} is not set"),
    "review.as_of_past": (
        N_("review --as-of {as_of} is before today ({today}): review judges the cases as they"
        " stand;"
        " use explain CASE --as-of for a case's past")
    ),
    "explain.before_opened": N_("case {case} was opened on {opened}, after that date"),
    # --- output for people ---------------------------------------------------------------------
    "out.report.new": N_("{case}: new case at level {level}; deviation {n} recorded"),
    "out.report.joined": N_("{case}: deviation {n} recorded; the case is at level {level}"),
    "out.report.suggests": N_("the rules suggest level {level}: {rules}"),
    "out.report.suggests_none": N_("the rules suggest level {level}: no rule holds"),
    "out.explain.hint": N_("see why: trappa explain {case}"),
    "out.move": N_("{case}: level {frm} → {to}, {title}"),
    "out.step.parties": N_("dialog parties: {parties}"),
    "out.step.letters": N_("letters: {letters}"),
    "out.change.activity_done": N_("{case}: activity {activity} done at level {level}"),
    "out.change.plan_established": N_("{case}: action plan {plan} established, due {due}"),
    "out.change.plan_followed_up": N_("{case}: follow-up of action plan {plan}: {outcome}"),
    "out.change.sanction": N_("{case}: sanction {sanction} recorded ({kind})"),
    "out.change.resolved": N_("{case}: deviation {deviation} resolved"),
    "out.change.closed": N_("{case}: closed"),
    "out.change.reopened": N_("{case}: reopened"),
    "out.change.note": N_("{case}: note recorded"),
    "out.config.set": N_("{key} = {value}"),
    "out.written": N_("wrote {file}"),
    "letters.reply_by_past": N_("--reply-by {reply_by} is before the letter's date {date}"),
    "output.suffix_disagrees": N_("'{file}' names another format than --format {format}"),
    "output.unknown_suffix": (
        N_("cannot tell the format from '{file}': name it .md, .html or .docx, or give --format")
    ),
    "out.status.title": N_("Cases"),
    "out.review.title": N_("Cases that need action"),
    "out.status.empty": N_("no cases"),
    "out.explain.head": N_("{case} as of {as_of}: level {level}, rules suggest {suggested}"),
    "out.yes": N_("yes"),
    "out.no": N_("no"),
    "out.serious": N_(" (serious)"),
    "out.by_rules": N_("by the rules: {rules}"),
    "out.timeline.plan": N_("action plan {n}, {items}, due {due}"),
    "out.show.head": N_("Case {case} ({status})"),
    "out.show.head.open": N_("Case {case} (open)"),
    "out.show.head.closed": N_("Case {case} (closed)"),
    "out.show.supplier": N_("supplier: {name}{org}"),
    "out.show.contract": N_("contract: {name} (criticality {criticality})"),
    "out.show.reference": N_("registration number: {reference}"),
    "out.show.ladder": N_("ladder: {ladder} ({ref})"),
    "out.show.level": N_("level {level}: {event}{label} (since {since})"),
    "out.show.suggested": N_("the rules suggest level {level}: trappa explain {case}"),
    "out.show.activities": N_("Activities of this step"),
    "out.show.plan": N_("Action plan {n} of {established}, due {due}: {outcome}"),
    "out.show.plan.open": N_("not yet followed up"),
    "out.show.deviations": N_("Deviations"),
    "out.show.sanctions": N_("Sanctions"),
    "out.show.timeline": N_("Timeline"),
    "col.case": N_("case"),
    "col.supplier": N_("supplier"),
    "col.contract": N_("contract"),
    "col.level": N_("level"),
    "col.suggested": N_("suggested"),
    "col.light": N_("light"),
    "col.open": N_("open dev."),
    "col.due": N_("next due"),
    "col.rule": N_("rule"),
    "col.holds": N_("holds"),
    "col.why": N_("why"),
    "col.n": N_("#"),
    "col.observed": N_("observed"),
    "col.kind": N_("kind"),
    "col.category": N_("category"),
    "col.description": N_("description"),
    "col.state": N_("state"),
    "col.date": N_("date"),
    "col.amount": N_("amount"),
    "col.reason": N_("reason"),
    "col.event": N_("event"),
    "col.actor": N_("actor"),
    "col.detail": N_("detail"),
    # Values shown to people (the JSON keeps them as they are): a traffic light, a state, a kind.
    "value.red": N_("red"),
    "value.yellow": N_("yellow"),
    "value.green": N_("green"),
    "value.open": N_("open"),
    "value.closed": N_("closed"),
    "value.resolved": N_("resolved"),
    "value.deviation": N_("deviation"),
    "value.incident": N_("incident"),
    "value.risk": N_("risk"),
    # An event of the history, in the timeline.
    "event.reported": N_("reported"),
    "event.escalated": N_("escalated"),
    "event.deescalated": N_("de-escalated"),
    "event.activity_done": N_("activity done"),
    "event.plan_established": N_("action plan established"),
    "event.plan_followed_up": N_("action plan followed up"),
    "event.sanction": N_("sanction"),
    "event.letter_sent": N_("letter sent"),
    "event.resolved": N_("deviation resolved"),
    "event.closed": N_("closed"),
    "event.reopened": N_("reopened"),
    "event.note": N_("note"),
    "event.redacted": N_("reporter removed"),
    "event.supplier_identified": N_("organisation number registered"),
    "event.reply_received": N_("reply received"),
    "event.waived": N_("sanction waived"),
    # --- rules ---------------------------------------------------------------------------------
    # A rule's detail: each condition's facts, then its verdict; several conditions join with "; ".
    "rules.holds": N_("{facts}: holds"),
    "rules.does_not_hold": N_("{facts}: does not hold"),
    "rules.no_conditions": N_("no conditions"),
    "rules.days": P_("{n} day", "{n} days"),
    "rules.deviations.what.one": N_("deviation"),
    "rules.deviations.what.many": N_("deviations"),
    "rules.deviations.what.serious_one": N_("serious deviation"),
    "rules.deviations.what.serious_many": N_("serious deviations"),
    "rules.deviations.none": N_("no {what} observed"),
    "rules.deviations.one": N_("1 {what} observed {first}"),
    "rules.deviations.many": N_("{count} {what} observed {first}..{last}"),
    "rules.deviations.within": N_("within {days}"),
    "rules.deviations.since_plan": N_("since the action plan of {date}"),
    "rules.deviations.needed": N_("(at least {min} needed)"),
    "rules.deviations.no_plan": N_("no action plan to count {what} from (at least {min} needed)"),
    "rules.plan.none": N_("no action plan"),
    "rules.since_deescalation": N_("since the de-escalation of {date}"),
    "rules.plan.latest": N_("latest plan ({established}) due {due}, {follow_up}"),
    "rules.plan.no_follow_up": N_("no follow-up"),
    "rules.plan.no_follow_up.overdue": N_("no follow-up: overdue"),
    "rules.plan.no_follow_up.not_overdue": N_("no follow-up: not overdue"),
    "rules.plan.followed_up": N_("followed up {date}: {outcome}"),
    "rules.plan.outcome.followed": N_("followed"),
    "rules.plan.outcome.not_followed": N_("not followed"),
    "rules.plan.outcome.no_effect": N_("followed without the intended effect"),
    "rules.stalled.below": N_("at level {level}, below {min_level}"),
    "rules.stalled.since": N_(
        "at level ≥ {min_level} since {since} ({days}, {needed} needed), {last}"
    ),
    "rules.stalled.last_deviation": N_("last deviation {date}"),
    "rules.stalled.no_deviation": N_("no deviation observed since"),
    "rules.sanctions.none": N_("no sanctions recorded (at least {min} needed)"),
    "rules.sanctions.recorded": P_(
        "{n} sanction recorded on {latest} (at least {min} needed)",
        "{n} sanctions recorded, the latest {latest} (at least {min} needed)",
    ),
    # --- letters: template bounds (issue 9, item 4) ---------------------------------------------
    "letters.template.too_many_steps": (
        N_("the template ran past {limit} steps (loop rounds, calls and range numbers);"
        " a letter needs far fewer")
    ),
    "letters.template.too_long": N_(
        "the letter grew past {limit} characters; a letter is far shorter"
    ),
    "letters.template.too_large": N_("a power with an exponent over {limit} is not allowed"),
    "letters.template.recursion": N_("a macro calls itself without end"),
    "letters.template.too_slow": (
        N_("the template ran for more than {limit} seconds; a letter takes far less")
    ),
    # --- letters -------------------------------------------------------------------------------
    "letters.templates_dir": N_("{option}: {path} is not a folder"),
    "letters.org_missing": (
        N_("{key} is not set, and the letter needs it: run trappa config set {key} VALUE")
    ),
    "letters.template.syntax": N_("syntax error: {detail}"),
    "letters.template.undefined": N_("{detail}"),
    "letters.template.unsafe": N_("not allowed in a template: {detail}"),
    "letters.template.not_found": N_("the template {name} it includes was not found"),
    "letters.template.failed": N_("the template failed: {detail}"),
    "letters.template.letterhead": N_("in the Word letterhead: {detail}"),
    "letters.template.not_docx": N_("not a Word (.docx) file ({detail})"),
    "letters.format": N_("format '{format}' is not one of {formats}"),
    "letters.no_template": N_("no template for letter kind '{kind}' (looked in {places})"),
    "letters.unknown_kind": N_(
        "ladder {ladder} has no letter kind '{kind}'; the kinds are {kinds}"
    ),
    "letters.no_plan": N_("case {case} has no action plan to render"),
    "letters.no_sanction": N_("case {case} has no sanction recorded to give notice of"),
    "letters.no_sanction.hint": N_(
        "record it first: trappa sanction {case} --kind KIND --reason TEXT"
    ),
    "letters.no_deescalation": (
        N_("case {case} was not last moved down; there is no de-escalation to confirm")
    ),
    "letters.no_deescalation.hint": N_(
        "move it down first: trappa deescalate {case} --reason TEXT"
    ),
    "letters.needs_case": N_(
        "give a case id: trappa letter CASE KIND, or trappa letter CASE --list"
    ),
    "letters.needs_kind": N_("give a letter kind, or --list to see them"),
    "letters.needs_kind.hint": N_("step {level} of {case} calls for: {kinds}"),
    "letters.list_with_kind": N_("--list takes no letter kind"),
    "letters.paths_with_kind": N_(
        "--templates-path takes no letter kind, only an optional case id"
    ),
    "letters.write_failed": N_("cannot write {file}: {detail}"),
    "letters.supplier_ambiguous": (
        N_("'{supplier}' matches {count} suppliers: {names}; give the organisation number")
    ),
    "letters.out.recorded": (
        N_("{case}: {kind} recorded as sent to {recipient} ({format}, sha256 {sha256})")
    ),
    "letters.out.preview": N_("{case}: preview of {kind}; nothing recorded"),
    "letters.out.wrote": N_("wrote {file}"),
    "letters.out.not_called_for": (
        N_("note: step {level} does not call for {kind}; sending it marks no activity done")
    ),
    "letters.out.list.head": N_("{case} at step {level}: {event}"),
    "letters.out.list.called": N_("letters this step calls for:"),
    "letters.out.list.none": N_("this step calls for no letters"),
    "letters.out.list.other": N_("other letters:"),
    "letters.out.list.sent": N_("sent {dates}"),
    "letters.out.list.sent_before": N_("sent {dates}, before this step"),
    "letters.out.list.not_sent": N_("not sent"),
    "letters.out.paths.none": N_("(no template)"),
    # --- letters kept in the register, and no file overwritten without --force ------------------
    "store.verify.document_changed": (
        N_("the kept letter {sha256} has changed: its bytes no longer hash to their sha256")
    ),
    "store.verify.document_missing": (
        N_("event {seq} of case {case}: the letter it records as sent ({sha256}) is not kept")
    ),
    "output.exists": N_("{file} exists; give --force to overwrite it"),
    "output.part_failed": N_(
        "cannot keep half of the listing in {folder}: {detail}; set TMPDIR to a folder with room"
    ),
    "letters.one_view": N_("give one of --list, --sent and --copy"),
    "letters.view_with_kind": N_("{option} takes no letter kind"),
    "letters.sent.alone": N_("--sent lists the letters sent: {option} does not apply"),
    "letters.copy.as_sent": N_("--copy writes the letter as it was sent: {option} does not apply"),
    "letters.copy.unknown": N_("case {case} has no letter {n}; it has sent {count}"),
    "letters.copy.unknown.hint": N_("see them with trappa letter {case} --sent"),
    "letters.copy.not_kept": (
        N_("letter {n} of case {case} was sent before the register kept letters: only its sha256"
        " {sha256} is recorded")
    ),
    "letters.copy.suffix": N_("'{file}' names another format than the letter's, {format}"),
    "letters.out.sent.head": N_("{case}: letters sent ({count})"),
    "letters.out.sent.none": N_("{case}: no letters sent"),
    "letters.out.sent.line": N_("  {n}. {date} {kind} ({format}) to {recipient}, sha256 {sha256}"),
    "letters.out.sent.not_kept": N_(" (not kept: sent before the register kept letters)"),
    "letters.out.copy": (
        N_("{case}: letter {n}, {kind} of {date} ({format}, sha256 {sha256}), as it was sent")
    ),
    # --- checkpoints and signing keys (the register's head anchored outside the file) ---------
    "checkpoint.empty": N_(
        "the file is empty; a checkpoint starts with its origin line 'trappa/<id>'"
    ),
    "checkpoint.no_final_newline": N_("the last line has no newline; a checkpoint ends with one"),
    "checkpoint.origin": N_("the first line must be the origin '{prefix}<register id>'"),
    "checkpoint.size": N_("the second line must be the number of events, a whole number"),
    "checkpoint.root": N_("the third line must be the head hash: 32 bytes in base64"),
    "checkpoint.no_date": N_("the fourth line must be the date line 'date YYYY-MM-DDTHH:MM:SSZ'"),
    "checkpoint.date": N_("the date line must read 'date YYYY-MM-DDTHH:MM:SSZ'"),
    "checkpoint.no_blank_line": N_("a blank line must follow the date line"),
    "checkpoint.signature_line": (
        N_("not a signature line: '\u2014 <key name> <base64 key id and signature>'")
    ),
    "checkpoint.unreadable": N_("{file}: cannot read the checkpoint: {detail}"),
    "checkpoint.not_utf8": N_("{file}: not UTF-8 text; a checkpoint is plain text"),
    "checkpoint.key_name": (
        N_("key name '{name}' must be one word without spaces or '+' (e.g. region-kalmar)")
    ),
    "checkpoint.key_malformed": (
        N_("--key: not a public key; give the line 'key init' printed (<name>+<key id>+<key>)"
        " or a file holding it")
    ),
    "checkpoint.key_id_mismatch": N_("--key: the key id of '{name}' does not match its key"),
    "checkpoint.private_key_malformed": (
        N_("{source}: not a trappa signing key (PRIVATE+KEY+<name>+<key id>+<key>)")
    ),
    "checkpoint.key_unreadable": N_("{file}: cannot read the signing key: {detail}"),
    "checkpoint.key_not_utf8": N_("{file}: not a trappa signing key (not UTF-8 text)"),
    "checkpoint.key_exists": N_("a signing key already exists: {file}"),
    "checkpoint.key_exists.hint": (
        N_("keep it: checkpoints signed with it verify only under its public key; --force"
        " replaces the file")
    ),
    "checkpoint.no_key": N_("no signing key: {file} does not exist"),
    "checkpoint.no_key.hint": N_("'trappa key init --name NAME' makes one"),
    "checkpoint.key_write": N_("cannot write the signing key {file}: {detail}"),
    "checkpoint.unsigned": N_("the checkpoint is not signed; --key {name} needs a signed one"),
    "checkpoint.other_key": N_("the checkpoint is not signed by key '{name}' (signed by {names})"),
    "checkpoint.bad_signature": N_(
        "the signature by key '{name}' does not verify: the text changed"
    ),
    "checkpoint.register_differs": (
        N_("register id differs: this register is {found}, the checkpoint's is {expected}")
    ),
    "checkpoint.truncated": (
        N_("the register has {events}, the checkpoint {expected}: events were removed")
    ),
    "checkpoint.rewritten": (
        N_("the event at position {position} has hash {found}, the checkpoint says {expected}:"
        " the history up to it was rewritten")
    ),
    "checkpoint.key_without_checkpoint": N_(
        "--key checks a checkpoint's signature: give --checkpoint"
    ),
    "checkpoint.no_register_id": N_("this register has no id; open it with this trappa first"),
    "out.checkpoint.written": N_("checkpoint of {events} written to {file}"),
    "out.checkpoint.unsigned": N_(
        "not signed: no signing key ({file}); 'trappa key init' makes one"
    ),
    "out.checkpoint.extends": (
        N_("checkpoint of {date} ({events}, {register}): this register extends it")
    ),
    "out.checkpoint.signed_by": N_("signed by {name}: the signature verifies"),
    "out.key.created": N_("signing key written to {file} (readable only by you)"),
    "out.key.public": N_("public key, for whoever verifies your checkpoints:"),
    # --- import --------------------------------------------------------------------------------
    "import.format": N_("--format '{format}' is not one of {formats}"),
    "import.format_unknown": N_("cannot tell the format of {file} from its extension"),
    "import.format.hint": N_("name it .csv or .jsonl, or give --format csv|jsonl"),
    "import.no_file": N_("{file}: no such file"),
    "import.is_folder": N_("{file}: it is a folder, not a file"),
    "import.not_utf8": N_("{file}: not UTF-8 text (byte {byte}); save it as UTF-8"),
    "import.unreadable": N_("{file}: cannot read the file: {detail}"),
    "import.empty": N_("{file}: no rows to import"),
    "import.unknown_column": N_("unknown column '{column}'; the columns are {known}"),
    "import.repeated_column": N_("column '{column}' is given twice"),
    "import.missing_column": N_("missing column '{column}'"),
    "import.field_count": N_("{found} fields where the header has {expected}"),
    "import.json": N_("not a JSON object: {detail}"),
    "import.json_object": N_("each line must be a JSON object"),
    "import.required": N_("{column} must not be empty"),
    "import.criticality_without_contract": N_("criticality needs a contract"),
    "import.boolean": N_("{column}: '{value}' is not ja/nej, yes/no, true/false or 1/0"),
    "import.integer": N_("{column}: '{value}' is not a whole number"),
    "import.duplicate_external_id": N_("external id '{id}' is also given at line {line}"),
    "import.out.summary": (
        N_("{file}: {rows}, {recorded} recorded, {skipped} skipped (already imported);"
        " {opened} opened, {joined} joined")
    ),
    "import.out.progress": N_("importing"),
    # --- the event format and personal data (redact, verify) ------------------------------
    "store.verify.personal_data": (
        N_("personal data {digest}: its digest does not match its salt and value")
    ),
    "redact.no_reporter": N_("deviation {n} of case {case} has no reporter's name to remove"),
    "redact.format1": (
        N_("deviation {n} of case {case} was recorded before event format 2: its reporter's name is"
        " part of the hashed evidence and cannot be removed without breaking the chain")
    ),
    "redact.format1.hint": N_("see docs/evidence.md, 'Personal data'"),
    "out.change.redacted": N_("{case}: the reporter of deviation {deviation} is removed"),
    # --- one supplier, one case: a number given to a supplier known by name --------------------
    "store.supplier_identified": (
        N_("{path}: supplier {id} already has an organisation number; none was given to it")
    ),
    "out.timeline.supplier_identified": N_("organisation number {org_nr} registered for {name}"),
    # --- store: reading without writing (another program's database, read-only opening) ------
    "store.cannot_read": N_("{path}: cannot read the database ({detail})"),
    "store.read_only.behind": (
        N_("{path}: the database's schema (version {found}) is older than this trappa's ({known}),"
        " and a command that only reads does not upgrade it")
    ),
    "store.read_only.empty": (
        N_("{path}: the database is empty, and a command that only reads does not set it up")
    ),
    "store.read_only.hint": (
        N_("run a command that records something, or ask the register's owner")
    ),
    # --- follow-up cycle: deadlines in working days ---------------------------------------------
    "deadline.working_days": N_(
        "{option}: {value} is not a number of working days from 1 to {most}"
    ),
    "deadline.both": N_('give {date_option} or {days_option}, not both'),
    "deadline.out_of_range": N_(
        "{option}: {n} working days from then is past the last date trappa takes"
    ),
    "letters.out.reply_by": N_(
        "  reply by {reply_by}: review lists the letter if no reply is recorded"
    ),
    "out.due_moved": N_(
        "  {moved_from} is no working day (weekend or holiday): moved to {due}, Lag (1930:173)"
    ),
    # --- follow-up cycle: claim windows, sanctions' deviations and waivers ----------------------
    "claims.sanction_waived": N_(
        "deviation {n} of case {case} was waived on {date}: a sanction cannot answer it"
    ),
    "claims.waive_sanctioned": N_(
        "deviation {n} of case {case} is answered by sanction {sanctions}: it cannot be "
        "waived"
    ),
    "claims.already_waived": N_('deviation {n} of case {case} was already waived on {date}'),
    "out.change.waived": N_('{case}: deviation {deviation} waived (no sanction will be claimed)'),
    # --- follow-up cycle: supplier replies -------------------------------------------------------
    "reply.unknown_letter": N_('case {case} has no letter {n} (it has sent {count})'),
    "reply.before_letter": N_('the reply received {received} is dated before letter {n} ({date})'),
    "reply.after_recording": N_(
        "the reply received {received} is dated after the day it is recorded ({date})"
    ),
    "reply.already": N_('letter {n} of case {case} already has its reply, received {received}'),
    "reply.already.hint": N_('add what came later as a note: trappa note {case} TEXT'),
    "reply.file_too_large": N_('--file {file} is larger than {most} MiB'),
    "reply.file_unreadable": N_('--file {file}: {detail}'),
    "reply.none": N_('letter {n} of case {case} has no reply recorded'),
    "reply.no_file": N_('the reply to letter {n} of case {case} was recorded without a file'),
    "reply.not_kept": N_(
        "the file of the reply to letter {n} of case {case} ({sha256}) is not kept in the "
        "register"
    ),
    "reply.copy_alone": N_('--copy writes the kept reply; it takes only -o and --force'),
    "out.change.reply_received": N_(
        "{case}: reply to letter {letter} ({kind}) received {received}"
    ),
    "out.reply.late": N_('  it came after the reply-by date {reply_by}'),
    "out.reply.kept": N_("  the reply's file is kept in the register (sha256 {sha256})"),
    "store.verify.reply_missing": N_(
        "event {seq} of case {case}: the reply it records as received ({sha256}) is not "
        "kept"
    ),
    "claims.days": N_("{option}: '{value}' is not a number of days from 1 to {most}"),
    # --- follow-up cycle: show and the timeline --------------------------------------------------
    "out.show.letters": N_('Letters and replies'),
    "out.show.waivers": N_('Sanctions waived (avstått)'),
    "out.show.due": N_('Due'),
    "col.reply_by": N_('reply by'),
    "col.reply": N_('reply'),
    "col.what": N_('what'),
    "out.due.reply": N_('reply to letter'),
    "out.due.claim": N_('claim for deviation'),
    "out.due.plan": N_('action plan'),
    "out.due.state.overdue": N_('overdue'),
    "out.due.state.soon": N_('soon'),
    "out.due.state.later": N_('later'),
    "out.reply.none": N_('none yet'),
    "out.due.line": N_('{case}: {what} {ref} by {date}: {state}, {left}'),
    "out.due.left": P_("{n} working day left", "{n} working days left"),
    "out.due.today": N_("due today"),
    "out.due.passed": P_("{n} working day ago", "{n} working days ago"),
    "out.reply.on": N_('received {received}'),
    "out.reply.late_on": N_('received {received}, late'),
    "out.timeline.reply": N_('reply to letter {letter} received {received}'),
    "out.timeline.waived": N_('#{deviation} not sanctioned: {reason}'),
    "out.timeline.answers": N_(' for deviation {deviations}'),
    "out.timeline.reply_by": N_(', reply by {date}'),
    # --- follow-up cycle: the calendar ---------------------------------------------------------
    "calendar.name": N_('trappa: due dates'),
    "calendar.plan": N_('{case} {supplier}: action plan {ref} due'),
    "calendar.reply": N_('{case} {supplier}: reply to letter {ref} due'),
    "calendar.claim": N_('{case} {supplier}: last day to claim a sanction for deviation {ref}'),
    "calendar.stalled": N_('{case} {supplier}: rule {rule} can call for step {level} from today'),
    "calendar.description": N_('Case {case}, {supplier}, contract {contract}: trappa show {case}'),
    "calendar.written": N_('wrote {file} ({count} due dates)'),
    # --- follow-up cycle: risk, contracts, closing, check, ladder adopt ------------------------
    "rules.risk.none": N_("no risk assessment recorded (a score of at least {min} needed)"),
    "rules.risk.latest": N_(
        "the latest risk assessment, on {date}, scored {score} (at least {min} needed)"
    ),
    "store.verify.contract": N_(
        "contract {id}: its stored facts differ from its events in: {fields}"
    ),
    "store.verify.contract_unreadable": N_("{stream}, event {seq}: not a readable contract change"),
    "store.verify.contract_missing": N_("contract {id}: events but no stored contract"),
    "risk.scale": N_("{option} must be 1-4 (1 low, 4 high), not {value}"),
    "out.change.risk_assessed": N_(
        "{case}: risk assessment {risk}: probability {probability} × consequence "
        "{consequence} = {score} ({band})"
    ),
    "out.change.ladder_adopted": N_(
        "{case}: now runs under {to} ({to_sha256:.12}), was {from} ({from_sha256:.12})"
    ),
    "out.timeline.risk": N_(
        "probability {probability} × consequence {consequence} = {score} ({band})"
    ),
    "out.timeline.ladder_adopted": N_("{old} ({old_sha}) → {new} ({new_sha}): {reason}"),
    "out.timeline.closed_override": N_("{reason} (closed anyway: {override})"),
    "out.show.risk": N_(
        "Risk: probability {probability} × consequence {consequence} = {score}, "
        "{band}{default} (assessed {date})"
    ),
    "out.show.risk_default": N_(
        " (trappa's default bands)"
    ),
    "out.show.contract_facts": N_("Procurement: {procurement}; claim window: {days} days"),
    "close.outstanding": N_("case {case} cannot close while the effect is unchecked: {what}"),
    "close.outstanding.hint": N_(
        "record the follow-up (trappa plan {case} --followup ...) and resolve the deviations,"
        " or give the reason to close anyway: --override TEXT"
    ),
    "close.outstanding.plan": N_("action plan {plan} has no follow-up"),
    "close.outstanding.deviation": N_("deviation {deviation} is open"),
    "close.outstanding.deviations": N_("deviations {deviations} are open"),
    "contract.claim_within": N_("--claim-within must be 1-{max} days, not {value}"),
    "contract.supplier_ambiguous": N_(
        "several suppliers are named '{supplier}'; give its organisation number"
    ),
    "contract.ambiguous": N_(
        "several suppliers have a contract named '{contract}': {suppliers}"
    ),
    "contract.ambiguous.hint": N_("say whose with --supplier NAME or --supplier ORG-NR"),
    "contract.unknown": N_(
        "no contract named '{contract}'"
    ),
    "contract.unknown.hint": N_(
        "register it with its supplier: trappa contract '{contract}' --supplier NAME "
        "--criticality 1-4"
    ),
    "contract.reason_alone": N_(
        "--reason goes with a change (--criticality, --procurement, --claim-within)"
    ),
    "out.contract.created": N_("contract {contract} of {supplier} registered"),
    "out.contract.changed": N_("contract {contract}: {fact} {old} → {new}"),
    "out.contract.unchanged": N_("contract {contract}: nothing changed"),
    "out.contract.head": N_("Contract {contract} – {supplier}{org}"),
    "out.contract.criticality": N_("criticality"),
    "out.contract.procurement": N_("procurement (diarienummer)"),
    "out.contract.claim_within_days": N_("claim window (days)"),
    "out.contract.case": N_("  case {case}: {status}, level {level}"),
    "out.contract.registered": N_("registered"),
    "out.contracts.empty": N_("No contracts."),
    "out.contracts.row": N_(
        "[{criticality}] {contract} – {supplier}: open cases {cases}, highest level {level}"
    ),
    "out.check.no_record": N_("no record of {supplier} in the register: not blocked"),
    "out.check.ok": N_("{supplier} may be used"),
    "out.check.blocked": N_(
        "{supplier}{where} is blocked by case {case} at level {level} ({step}) since {since}"
    ),
    "out.check.terminated": N_(
        "{supplier}: contract {contract} is terminated ({kind}, case {case}) since {since}"
    ),
    "out.check.terminates": N_(
        "{supplier}: contract {contract} is terminated ({kind}, case {case}) from {since}"
    ),
    "out.check.no_contract": N_(
        "(the case's, no contract named)"
    ),
    "adopt.same": N_("case {case} already runs under the current {ladder}"),
    "adopt.no_level": N_("case {case} is at level {level}, which {ladder} does not have"),
    "adopt.no_activity": N_(
        "case {case} has activities done that {ladder} does not have: {activities}"
    ),
    "out.review.ladder_outdated": N_(
        "{case}: its ladder file has changed since the case opened; to move it: trappa ladder"
        " adopt {case} --reason TEXT"
    ),
    "store.verify.contract_opening": N_(
        "the facts its first case recorded when it opened (it has no events of its own)"
    ),
    # --- a team's register on PostgreSQL -------------------------------------------------------
    "store.pg.no_driver": (
        N_("{url}: a PostgreSQL register needs psycopg; install it with"
        " pip install 'trappa[postgres]'")
    ),
    "store.pg.connection": N_("{url}: cannot reach the PostgreSQL register ({detail})"),
    "store.pg.foreign": N_("{url}: a PostgreSQL database with tables, but not a trappa register"),
    "store.pg.not_allowed": (
        N_("{url}: the database user {user} may not change this register; nothing was written")
    ),
    "store.pg.not_allowed.hint": (
        N_("ask the register's administrator for writing rights: trappa db grant {user} --writer")
    ),
    "store.pg.may_not_read": N_("{url}: the database user {user} may not read this register"),
    "store.pg.may_not_read.hint": (
        N_("ask the register's administrator for a role (trappa db grant USER --reader)")
    ),
    "store.pg.upgrade_denied": (
        N_("{url}: the register's schema (version {found}) is older than this trappa's ({known}),"
        " and the database user {user} may not upgrade it")
    ),
    "store.pg.upgrade_denied.hint": N_("an administrator upgrades it with: trappa db init URL"),
    "store.pg.actor_ignored": (
        N_("note: on a PostgreSQL register the actor is the database user {user};"
        " --actor and TRAPPA_USER are not used")
    ),
    # --- a case's owner (avtalsansvarig) ---------------------------------------------------------
    "out.change.assigned": N_("{case}: owner {owner}"),
    "out.show.owner": N_("owner (avtalsansvarig): {owner}"),
    "out.timeline.assigned": N_("owner: {owner}"),
    "assign.same": N_("case {case} already has the owner {owner}"),
    "owner.both": N_("give --owner NAME or --mine, not both"),
    "db.not_server": N_("{url}: not a postgresql:// URL; trappa db {command} works on a server"),
    "db.init.done": (
        N_("{url}: register schema version {version}; roles {writer} and {reader} ready")
    ),
    "db.grant.done": N_("{user} is now a member of {role}"),
    "db.grant.choose": N_("give exactly one of --writer or --reader"),
    "db.grant.bad_name": N_("{name}: not a database user name (letters, digits, _ . - @ only)"),
    "db.grant.bad_prefix": N_("{name}: not a role prefix (lowercase letters, digits and _ only)"),
    "db.copy.not_empty": (
        N_("{dst}: the destination register is not empty ({events}); nothing copied")
    ),
    "db.copy.same": N_("the source and the destination are the same register"),
    "db.copy.done": (
        N_("copied {events} in {cases} from {src} to {dst}; head {head}")
    ),
    # --- tables that fit the terminal -------------------------------------------------------
    "out.table.left_out": N_("not shown here: {columns} (--wide shows every column)"),
    # --- shell completion ----------------------------------------------------------------
    "completion.installed": (
        N_("{shell} completion installed in {path}; it takes effect in a new shell")
    ),
    "completion.unknown_shell": (
        N_("no completion for the shell '{shell}'; choose one of {shells}")
    ),
    "completion.no_shell": (
        N_("cannot tell which shell this is: name it, one of {shells} (e.g. --show-completion"
           " bash)")
    ),
    # --- letters an authority sends: sanction kinds, facts of the case, Word and PDF ----------
    "sanction.kind": N_("sanction kind '{kind}' is not one of the ladder's: {kinds}"),
    "sanction.takes_effect": N_(
        "--takes-effect {takes_effect} lies before the decision's date {date}"
    ),
    "letters.no_termination": N_(
        "case {case} has no termination recorded (a sanction of kind havning or uppsagning)"
    ),
    "letters.no_termination.hint": N_(
        "record the decision first: trappa sanction {case} --kind havning|uppsagning"
        " --takes-effect DATE --reason TEXT"
    ),
    "letters.below_step": N_(
        "letter {kind} belongs to step {level}, and case {case} is at step {current}"
    ),
    "letters.below_step.hint": N_(
        "escalate the case first, or give the reason to send it now with --override TEXT"
    ),
    "letters.override_unneeded": N_(
        "--override is for a letter the case's step does not allow yet; {kind} needs none at"
        " step {current}"
    ),
    "letters.no_such_plan": N_("case {case} has no action plan {n} (it has {count})"),
    "letters.no_such_sanction": N_("case {case} has no sanction {n} (it has {count})"),
    "plan.number_without_render": N_(
        "--plan N chooses the plan to render: use it with --render"
    ),
    "out.timeline.takes_effect": N_("(takes effect {date})"),
    "out.timeline.override": N_("[sent below its step: {reason}]"),
    "letters.plan_not_for_kind": N_("--plan is for handlingsplan, not {kind}"),
    "letters.sanction_not_for_kind": N_(
        "--sanction is for meddelande-om-sanktion and meddelande-om-avslut, not {kind}"
    ),
    # --- key figures, monthly report and exports ----------------------------------------------
    "figures.empty_period": N_("the period {start}..{end} is empty: --from must not be after --to"),
    "figures.future": N_(
        "the period ends {end}, after today ({today}): its figures are not known yet"
    ),
    "figures.title": N_("Key figures {start}..{end} (previous period {prev_start}..{prev_end})"),
    "figures.title.supplier": N_("supplier: {supplier}"),
    "figures.column.figure": N_("figure"),
    "figures.column.value": N_("this period"),
    "figures.column.previous": N_("previous"),
    "figures.column.change": N_("change"),
    "figures.matrix": N_(
        "open cases by contract criticality (rows) and step (columns), as of {date}"
    ),
    "figures.matrix.none": N_("none"),
    "figures.label.open_cases": N_("open cases (as of the last day)"),
    "figures.label.plans_overdue": N_("action plans overdue (as of the last day)"),
    "figures.label.cases_opened": N_("cases opened"),
    "figures.label.deviations": N_("deviations observed"),
    "figures.label.serious_deviations": N_("  of them serious"),
    "figures.label.deviations_resolved": N_("deviations resolved"),
    "figures.label.median_days_to_resolution": N_("median days from a deviation to its resolution"),
    "figures.label.escalations": N_("escalations"),
    "figures.label.deescalations": N_("de-escalations"),
    "figures.label.plans_established": N_("action plans established"),
    "figures.label.plans_followed_up": N_("action plans followed up"),
    "figures.label.sanctions": N_("sanctions"),
    "figures.label.penalties_sek": N_("penalties (vite), kr"),
    "figures.label.sanctions_amount_sek": N_("sanctions' amounts, kr"),
    "figures.label.letters_sent": N_("letters sent"),
    "figures.label.open_cases_by_level": N_("open cases at step {key}"),
    "figures.label.escalations_by_level": N_("escalations to step {key}"),
    "figures.label.median_days_to_level": N_("median days from first deviation to step {key}"),
    "figures.label.deviations_by_kind": N_("deviations of kind {key}"),
    "figures.label.deviations_by_category": N_("deviations of category {key}"),
    "figures.label.deviations_by_source": N_("deviations from source {key}"),
    "figures.label.plans_by_outcome": N_("plans followed up as {key}"),
    "figures.label.sanctions_by_kind": N_("sanctions of kind {key}"),
    "figures.label.letters_by_kind": N_("letters of kind {key}"),
    "figures.label.none": N_("(none)"),
    "monthly.month": N_("--month '{value}' is not a month; write it as YYYY-MM"),
    "monthly.future": N_("--month {month} lies in the future (today is {today})"),
    "monthly.format": N_("--format '{format}' is not one of {formats}"),
    "monthly.suffix": N_("cannot tell the format of {file} from its name; give --format"),
    "monthly.out.written": N_("{file}: the monthly report for {month}"),
    "monthly.format_and_outputs": N_(
        "--format is for one output; with several -o, each file's suffix says its format"
    ),
    "export.table": N_("unknown table '{table}'; the tables are {tables}"),
    "export.format": N_("--format '{format}' is not one of {formats}"),
    "export.delimiter": N_("--delimiter must be one character, not '{value}'"),
    "export.swedish_headers": N_("--swedish-headers is for the deviations table only"),
    "export.too_many_rows": N_(
        "{table} has {rows} rows, more than an Excel sheet holds ({limit}); export it as csv"
        " or jsonl"
    ),
    "export.write_failed": N_("cannot write {file}: {detail}"),
    "export.out.written": N_("{file}: {rows} rows of {table}"),
    "import.not_encoding": N_("{file}: not {encoding} text (byte {byte})"),
    "import.unknown_encoding": N_("--encoding '{encoding}' is not an encoding Python knows"),
    "import.encoding.hint": N_("save it as UTF-8, or give --encoding"),
    "import.not_xlsx": N_("{file}: not an Excel workbook (.xlsx) trappa can read: {detail}"),
    "import.no_sheet": N_("{file}: no sheet named '{sheet}'; the sheets are {sheets}"),
    "import.criticality_needs_contract": N_("{column} needs a contract in {contract}"),
    "import.sheet_not_xlsx": N_("--sheet is for Excel workbooks (.xlsx) only"),
    "ocds.prefix": N_(
        "set the ocid prefix first: trappa config set ocds.prefix ocds-XXXXXX-REGION"
    ),
    "ocds.prefix_format": N_(
        "ocds.prefix '{prefix}' is not an ocid prefix: 'ocds-', six lower-case letters or"
        " digits (as registered with the Open Contracting Partnership), then optionally"
        " -SUFFIX"
    ),
    # --- the organisation's language -------------------------------------------------------------
    "config.language": N_("ui.language must be one of {languages}, not '{value}'"),
    # --- the organisation's logo, kept in the register --------------------------------------------
    "config.file.unreadable": N_("{key}: {file}: {detail}"),
    "config.file.too_large": N_("{key}: {file} is larger than {most} MiB"),
    "config.file.not_a_file": N_("{key}: {file} is not a file"),
    "config.logo.not_image": N_("org.logo: {file} is not a PNG, JPEG or GIF image"),
    # --- the checkpoints' public key, kept in the register ----------------------------------
    "checkpoint.published_damaged": N_(
        "the public key kept in the register (checkpoint.public_key) is damaged: {detail}"
    ),
    "checkpoint.published_damaged.hint": N_(
        "give the key with --key, and keep it again with trappa key publish"
    ),
    "out.key.published": N_(
        "the public key of {name} is kept in the register: verify --checkpoint checks a signed"
        " checkpoint with it when no --key is given"
    ),
    "config.letterhead.not_docx": N_("org.letterhead: {file} is not a Word document (.docx)"),
    "config.letterhead.template": N_("org.letterhead: {file}: its template fields do not parse:"
                                     " {detail}"),
}


def say(key: str, /, **fields: object) -> str:
    """The message for ``key`` in the chosen language, with ``fields`` filled in."""
    entry = EN[key]
    if isinstance(entry, Plural):
        count = fields["n"]
        if not isinstance(count, int):
            raise TypeError(f"{key}: the field n must be a whole number, not {count!r}")
        text = translations().ngettext(entry.singular, entry.plural, count)
    else:
        text = translations().gettext(entry)
    return text.format(**fields)
