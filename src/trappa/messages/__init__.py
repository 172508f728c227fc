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
    # A bug. Never a hint to run the command again: it may have recorded something already.
    "error.unexpected.logged": (
        "its traceback and details are in {path}; please send that file with a bug report"
    ),
    "error.unexpected.unlogged": (
        "unexpected error: {detail} (its crash log could not be written: {problem})"
    ),
    "error.interrupted": "interrupted",
    # --- dates and values ----------------------------------------------------------------------
    "date.malformed": "{option}: '{value}' is not a date; write it as YYYY-MM-DD",
    "date.impossible": "{option}: '{value}' is not a real date ({detail})",
    "date.today_env": "TRAPPA_TODAY: '{value}' is not a date; write it as YYYY-MM-DD",
    "date.out_of_range": "{option}: {value} is outside {earliest}..{latest}",
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
    # --- ladders: inputs that would hang (issue 9, item 4) ---------------------------------------
    "ladder.file.too_large": "the file is larger than {limit}; a ladder file is far smaller",
    "ladder.yaml.anchor": (
        "anchor '&{name}' is not allowed in a ladder file; write the value out where it is used"
    ),
    "ladder.yaml.alias": (
        "alias '*{name}' is not allowed in a ladder file; write the value out where it is used"
    ),
    # --- ladders: commands ---------------------------------------------------------------------
    "ladder.col.ref": "ladder",
    "ladder.col.title": "title",
    "ladder.col.extends": "extends",
    "ladder.col.path": "file",
    "ladder.col.level": "level",
    "ladder.col.event": "event",
    "ladder.col.tier": "tier",
    "ladder.col.activities": "activities",
    "ladder.col.parties": "parties",
    "ladder.col.key": "key",
    "ladder.col.letter": "letter",
    "ladder.col.to": "to",
    "ladder.col.id": "rule",
    "ladder.col.when": "when",
    "ladder.col.term": "term",
    "ladder.col.definition": "definition",
    "ladder.col.part": "part",
    "ladder.col.change": "change",
    "ladder.col.field": "field",
    "ladder.col.a": "a",
    "ladder.col.b": "b",
    "ladder.list.empty": "no ladders found; set TRAPPA_LADDERS to a folder of <id>/<version>.yaml",
    "ladder.show.ref": "ladder: {ref}",
    "ladder.show.publisher": "publisher: {publisher}",
    "ladder.show.extends.own": "extends {base}; only this file's own content is shown"
    " (--resolved shows the whole ladder)",
    "ladder.show.extends.resolved": "extends {base}; shown merged with it",
    "ladder.show.inherited": "(inherited)",
    "ladder.show.disabled": "(disabled)",
    "ladder.show.steps": "steps",
    "ladder.show.activities": "activities",
    "ladder.show.letters": "letters",
    "ladder.show.rules": "rules (a rule suggests its level when all its conditions hold)",
    "ladder.show.terms": "terms",
    "ladder.show.legend": "* organisation-specific activity   ✉ the letter the activity sends",
    "ladder.when.deviations": "at least {min} deviations",
    "ladder.when.deviations.serious": "at least {min} serious deviations",
    "ladder.when.deviations.one": "a deviation",
    "ladder.when.deviations.serious.one": "a serious deviation",
    "ladder.when.within": " within {days} days",
    "ladder.when.since_plan": " since the latest action plan",
    "ladder.when.plan.overdue": "the action plan is overdue",
    "ladder.when.plan.not_followed": "the action plan is not followed",
    "ladder.when.plan.no_effect": "the action plan had no effect",
    "ladder.when.stalled": "at level {level} or higher for {days} days, with a deviation since",
    "ladder.when.sanctions": "at least {min} sanctions",
    "ladder.diff.title": "{a} → {b}",
    "ladder.diff.same": "{a} and {b} do not differ",
    "ladder.diff.ladder": "ladder",
    "ladder.diff.part.steps": "step {key}",
    "ladder.diff.part.rules": "rule {key}",
    "ladder.diff.part.terms": "term {key}",
    "ladder.diff.part.parties": "party {key}",
    "ladder.diff.part.activities": "activity {key}",
    "ladder.diff.part.letters": "letter {key}",
    "ladder.diff.added": "added",
    "ladder.diff.removed": "removed",
    "ladder.diff.changed": "changed",
    "ladder.diff.reordered": "(order changed)",
    "ladder.diff.rule": "{title} (level {level})",
    # --- store ---------------------------------------------------------------------------------
    "store.missing": "no database at {path}",
    "store.missing.hint": (
        "'trappa report' creates one; or point --db or TRAPPA_DB at an existing database"
    ),
    "store.no_folder": "{path}: the folder {folder} does not exist",
    "store.create_folder": "cannot create the folder {folder} for the database ({detail})",
    "store.is_folder": "{path}: is a folder, not a database file",
    "store.cannot_open": (
        "{path}: cannot open the database; check that the file and its folder can be read and"
        " written"
    ),
    "store.not_database": "{path}: not an SQLite database",
    "store.foreign": "{path}: an SQLite database, but not one of trappa's",
    "store.newer": (
        "{path}: database schema version {found} is newer than this trappa ({known});"
        " upgrade trappa"
    ),
    "store.read_only": (
        "{path}: the database is read-only; check the permissions of the file and its folder"
    ),
    "store.locked": "{path}: the database is locked by another process (waited {seconds:g} s)",
    "store.locked.hint": "try again when the other command has finished",
    "store.corrupt": "{path}: the database file is damaged ({detail})",
    "store.full": "{path}: the disk is full",
    "store.failed": "{path}: database error: {detail}",
    "store.migration_failed": "{path}: upgrading the database failed ({detail}); it is unchanged",
    "store.duplicate_event": (
        "{path}: event {seq} of case {case} is already recorded (another command wrote it"
        " first); nothing was saved"
    ),
    "store.event_gap": (
        "{path}: event {seq} of case {case} cannot follow event {last}; nothing was saved"
    ),
    "store.unknown_ladder": "{path}: the ladder {sha256} a case runs under is not in the database",
    "store.ladder_sha256": "the resolved ladder {ref} does not match its sha256 {sha256}",
    "store.unknown_supplier": "{path}: no supplier with id {id}",
    "store.unknown_contract": "{path}: no contract with id {id}",
    "store.verify.integrity": "the database file is damaged: {detail}",
    "store.verify.hash_mismatch": (
        "event {seq} of case {case} (position {position}): hash mismatch: it was changed after"
        " it was recorded"
    ),
    "store.verify.broken_link": (
        "event {seq} of case {case} (position {position}): broken link: the event before it in"
        " the chain was removed or moved"
    ),
    "store.verify.missing": "event {seq} of case {case} is missing",
    "store.verify.projection": (
        "case {case}: the stored state differs from a replay of its events ({fields})"
    ),
    "store.verify.no_events": "case {case}: a stored state but no events",
    "store.verify.no_state": "case {case}: events but no stored state",
    "store.verify.unreplayable": "case {case}: its events cannot be replayed ({detail})",
    "store.verify.foreign_key": "a row of {table} refers to a missing row of {parent}",
    "store.rebuild_failed": (
        "{path}: cannot rebuild the state of case {case} from its events ({detail})"
    ),
    "store.verify.ok": "{events} events in {cases} cases: the chain, the case states and the"
    " database file are intact",
    "store.verify.failed": "{count} problems in {events} events and {cases} cases",
    # --- cases ---------------------------------------------------------------------------------
    "input.empty": "{what} must not be empty",
    "input.missing": "missing {option}",
    "input.control": "{what} must be one line of text, without control characters",
    "input.not_utf8": "{what} is not UTF-8 text; check the terminal's or the file's encoding",
    "input.control_multiline": "{what} must be text, without control characters",
    "input.too_long": "{what} is {length} characters long; at most {limit} are allowed",
    "date.future": "date {date} is in the future (today is {today})",
    "date.before_latest": (
        "date {date} is before case {case}'s latest event ({latest}); the history reads forwards"
    ),
    "case.malformed_id": "{case!r} is not a case id; case ids look like 2026-0001",
    "case.unknown": "unknown case {case}",
    "case.closed": "case {case} is closed ({date})",
    "case.closed.hint": "reopen it first: trappa reopen {case} --reason TEXT",
    "case.already_open": "case {case} is already open",
    "case.other_open": (
        "case {case} cannot be reopened: case {other} is open for the same supplier and contract"
    ),
    "supplier.unknown": "no supplier named '{supplier}'",
    "report.criticality": "criticality {value} is outside 1-4",
    "report.criticality_without_contract": "--criticality needs --contract",
    "report.kind": "kind '{kind}' is not one of {kinds}",
    "report.reporter_and_anonymous": (
        "--reporter and --anonymous exclude each other: an anonymous report names nobody"
    ),
    "report.observed_future": "observed date {date} is in the future (today is {today})",
    "report.org_nr_other_name": (
        "organisation number {org_nr} belongs to '{name}', not '{given}'; check which is right"
    ),
    "report.ladder_differs": (
        "case {case} runs under {ladder}, not {given}; --ladder chooses the ladder of a new case"
    ),
    "report.reference_conflict": (
        "case {case} already has the registration number {reference}"
    ),
    "move.above_top": (
        "case {case} is at level {level}; level {target} is above the top step ({top})"
    ),
    "move.below_zero": "case {case} is at level {level}; there is no level {target}",
    "move.same_level": "case {case} is already at level {level}",
    "move.escalate_down": "case {case} is at level {level}; escalate moves up, not to {target}",
    "move.escalate_down.hint": "use trappa deescalate to move down",
    "move.deescalate_up": "case {case} is at level {level}; deescalate moves down, not to {target}",
    "move.deescalate_up.hint": "use trappa escalate to move up",
    "move.needs_reason": (
        "case {case}: the rules suggest level {suggested}, not {target}; give --reason to "
        "escalate anyway"
    ),
    "move.needs_reason.hint": "trappa explain {case} shows which rules hold and why",
    "activity.unknown": "unknown activity '{activity}' in ladder {ladder}",
    "activity.did_you_mean": "; did you mean '{key}'?",
    "activity.step_list": "the activities of step {level}: {activities}",
    "activity.not_in_step": "activity '{activity}' is not one of step {level}'s activities",
    "activity.already_done": "activity '{activity}' is already done at step {level}",
    "plan.no_items": "an action plan needs at least one --item",
    "plan.needs_due_and_items": (
        "an action plan needs --due and at least one --item (or --followup for a follow-up)"
    ),
    "plan.followup_with_items": (
        "--followup records a follow-up; it takes no --due, --item or --owner"
    ),
    "plan.render_alone": (
        "--render writes the latest plan; it takes only --format, -o and --templates"
    ),
    "plan.due_before": "due date {due} is before the plan's date {date}",
    "plan.outcome": "follow-up '{outcome}' is not one of {outcomes}",
    "plan.none": "case {case} has no action plan to follow up",
    "plan.none.hint": "establish one: trappa plan {case} --due DATE --item TEXT",
    "plan.already_followed": (
        "action plan {n} was already followed up on {date} ({outcome}); establish a new plan"
    ),
    "sanction.amount": "amount {amount:g} must be a number of kronor from 0 to 1e12",
    "deviation.unknown": "case {case} has no deviation {n} (it has {count})",
    "deviation.already_resolved": "deviation {n} of case {case} was already resolved on {date}",
    "config.unknown_key": "unknown key '{key}'; the keys are {keys}",
    "config.not_set": "{key} is not set",
    "review.as_of_past": (
        "review --as-of {as_of} is before today ({today}): review judges the cases as they stand;"
        " use explain CASE --as-of for a case's past"
    ),
    "explain.before_opened": "case {case} was opened on {opened}, after that date",
    # --- output for people ---------------------------------------------------------------------
    "out.report.new": "{case}: new case at level {level}; deviation {n} recorded",
    "out.report.joined": "{case}: deviation {n} recorded; the case is at level {level}",
    "out.report.suggests": "the rules suggest level {level}: {rules}",
    "out.report.suggests_none": "the rules suggest level {level}: no rule holds",
    "out.explain.hint": "see why: trappa explain {case}",
    "out.move": "{case}: level {frm} → {to}, {title}",
    "out.step.parties": "dialog parties: {parties}",
    "out.step.letters": "letters: {letters}",
    "out.change.activity_done": "{case}: activity {activity} done at level {level}",
    "out.change.plan_established": "{case}: action plan {plan} established, due {due}",
    "out.change.plan_followed_up": "{case}: follow-up of action plan {plan}: {outcome}",
    "out.change.sanction": "{case}: sanction {sanction} recorded ({kind})",
    "out.change.resolved": "{case}: deviation {deviation} resolved",
    "out.change.closed": "{case}: closed",
    "out.change.reopened": "{case}: reopened",
    "out.change.note": "{case}: note recorded",
    "out.config.set": "{key} = {value}",
    "out.written": "wrote {file}",
    "letters.reply_by_past": "--reply-by {reply_by} is before the letter's date {date}",
    "output.suffix_disagrees": "'{file}' names another format than --format {format}",
    "output.unknown_suffix": (
        "cannot tell the format from '{file}': name it .md, .html or .docx, or give --format"
    ),
    "out.status.title": "Cases",
    "out.review.title": "Cases that need action",
    "out.status.empty": "no cases",
    "out.explain.head": "{case} as of {as_of}: level {level}, rules suggest {suggested}",
    "out.yes": "yes",
    "out.no": "no",
    "out.serious": " (serious)",
    "out.by_rules": "by the rules: {rules}",
    "out.timeline.plan": "action plan {n}, {items} items, due {due}",
    "out.show.head": "Case {case} ({status})",
    "out.show.supplier": "supplier: {name}{org}",
    "out.show.contract": "contract: {name} (criticality {criticality})",
    "out.show.reference": "registration number: {reference}",
    "out.show.ladder": "ladder: {ladder} ({ref})",
    "out.show.level": "level {level}: {event}{label} (since {since})",
    "out.show.suggested": "the rules suggest level {level}: trappa explain {case}",
    "out.show.activities": "Activities of this step",
    "out.show.plan": "Action plan {n} of {established}, due {due}: {outcome}",
    "out.show.plan.open": "not yet followed up",
    "out.show.deviations": "Deviations",
    "out.show.sanctions": "Sanctions",
    "out.show.timeline": "Timeline",
    "col.case": "case",
    "col.supplier": "supplier",
    "col.contract": "contract",
    "col.level": "level",
    "col.suggested": "suggested",
    "col.light": "light",
    "col.open": "open dev.",
    "col.due": "next due",
    "col.rule": "rule",
    "col.holds": "holds",
    "col.why": "why",
    "col.n": "#",
    "col.observed": "observed",
    "col.kind": "kind",
    "col.category": "category",
    "col.description": "description",
    "col.state": "state",
    "col.date": "date",
    "col.amount": "amount",
    "col.reason": "reason",
    "col.event": "event",
    "col.actor": "actor",
    "col.detail": "detail",
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
    "rules.since_deescalation": "since the de-escalation of {date}",
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
    # --- letters: template bounds (issue 9, item 4) ---------------------------------------------
    "letters.template.too_many_steps": (
        "the template ran past {limit} steps (loop rounds, calls and range numbers);"
        " a letter needs far fewer"
    ),
    "letters.template.too_long": "the letter grew past {limit} characters; a letter is far shorter",
    "letters.template.too_large": "a power with an exponent over {limit} is not allowed",
    "letters.template.recursion": "a macro calls itself without end",
    "letters.template.too_slow": (
        "the template ran for more than {limit} seconds; a letter takes far less"
    ),
    # --- letters -------------------------------------------------------------------------------
    "letters.templates_dir": "{option}: {path} is not a folder",
    "letters.org_missing": (
        "{key} is not set, and the letter needs it: run trappa config set {key} VALUE"
    ),
    "letters.template.syntax": "syntax error: {detail}",
    "letters.template.undefined": "{detail}",
    "letters.template.unsafe": "not allowed in a template: {detail}",
    "letters.template.not_found": "the template {name} it includes was not found",
    "letters.template.failed": "the template failed: {detail}",
    "letters.template.letterhead": "in the Word letterhead: {detail}",
    "letters.template.not_docx": "not a Word (.docx) file ({detail})",
    "letters.format": "format '{format}' is not one of {formats}",
    "letters.no_template": "no template for letter kind '{kind}' (looked in {places})",
    "letters.unknown_kind": "ladder {ladder} has no letter kind '{kind}'; the kinds are {kinds}",
    "letters.no_plan": "case {case} has no action plan to render",
    "letters.no_sanction": "case {case} has no sanction recorded to give notice of",
    "letters.no_sanction.hint": "record it first: trappa sanction {case} --kind KIND --reason TEXT",
    "letters.no_deescalation": (
        "case {case} was not last moved down; there is no de-escalation to confirm"
    ),
    "letters.no_deescalation.hint": "move it down first: trappa deescalate {case} --reason TEXT",
    "letters.needs_case": "give a case id: trappa letter CASE KIND, or trappa letter CASE --list",
    "letters.needs_kind": "give a letter kind, or --list to see them",
    "letters.needs_kind.hint": "step {level} of {case} calls for: {kinds}",
    "letters.list_with_kind": "--list takes no letter kind",
    "letters.paths_with_kind": "--templates-path takes no letter kind, only an optional case id",
    "letters.write_failed": "cannot write {file}: {detail}",
    "letters.supplier_ambiguous": (
        "'{supplier}' matches {count} suppliers: {names}; give the organisation number"
    ),
    "letters.out.recorded": (
        "{case}: {kind} recorded as sent to {recipient} ({format}, sha256 {sha256})"
    ),
    "letters.out.preview": "{case}: preview of {kind}; nothing recorded",
    "letters.out.wrote": "wrote {file}",
    "letters.out.not_called_for": (
        "note: step {level} does not call for {kind}; sending it marks no activity done"
    ),
    "letters.out.list.head": "{case} at step {level}: {event}",
    "letters.out.list.called": "letters this step calls for:",
    "letters.out.list.none": "this step calls for no letters",
    "letters.out.list.other": "other letters:",
    "letters.out.list.sent": "sent {dates}",
    "letters.out.list.sent_before": "sent {dates}, before this step",
    "letters.out.list.not_sent": "not sent",
    "letters.out.paths.none": "(no template)",
    # --- letters kept in the register, and no file overwritten without --force ------------------
    "store.verify.document_changed": (
        "the kept letter {sha256} has changed: its bytes no longer hash to their sha256"
    ),
    "store.verify.document_missing": (
        "event {seq} of case {case}: the letter it records as sent ({sha256}) is not kept"
    ),
    "output.exists": "{file} exists; give --force to overwrite it",
    "letters.one_view": "give one of --list, --sent and --copy",
    "letters.view_with_kind": "{option} takes no letter kind",
    "letters.sent.alone": "--sent lists the letters sent: {option} does not apply",
    "letters.copy.as_sent": "--copy writes the letter as it was sent: {option} does not apply",
    "letters.copy.unknown": "case {case} has no letter {n}; it has sent {count}",
    "letters.copy.unknown.hint": "see them with trappa letter {case} --sent",
    "letters.copy.not_kept": (
        "letter {n} of case {case} was sent before the register kept letters: only its sha256"
        " {sha256} is recorded"
    ),
    "letters.copy.suffix": "'{file}' names another format than the letter's, {format}",
    "letters.out.sent.head": "{case}: letters sent ({count})",
    "letters.out.sent.none": "{case}: no letters sent",
    "letters.out.sent.line": "  {n}. {date} {kind} ({format}) to {recipient}, sha256 {sha256}",
    "letters.out.sent.not_kept": " (not kept: sent before the register kept letters)",
    "letters.out.copy": (
        "{case}: letter {n}, {kind} of {date} ({format}, sha256 {sha256}), as it was sent"
    ),
    # --- checkpoints and signing keys (the register's head anchored outside the file) ---------
    "checkpoint.empty": "the file is empty; a checkpoint starts with its origin line 'trappa/<id>'",
    "checkpoint.no_final_newline": "the last line has no newline; a checkpoint ends with one",
    "checkpoint.origin": "the first line must be the origin '{prefix}<register id>'",
    "checkpoint.size": "the second line must be the number of events, a whole number",
    "checkpoint.root": "the third line must be the head hash: 32 bytes in base64",
    "checkpoint.no_date": "the fourth line must be the date line 'date YYYY-MM-DDTHH:MM:SSZ'",
    "checkpoint.date": "the date line must read 'date YYYY-MM-DDTHH:MM:SSZ'",
    "checkpoint.no_blank_line": "a blank line must follow the date line",
    "checkpoint.signature_line": (
        "not a signature line: '\u2014 <key name> <base64 key id and signature>'"
    ),
    "checkpoint.unreadable": "{file}: cannot read the checkpoint: {detail}",
    "checkpoint.not_utf8": "{file}: not UTF-8 text; a checkpoint is plain text",
    "checkpoint.key_name": (
        "key name '{name}' must be one word without spaces or '+' (e.g. region-kalmar)"
    ),
    "checkpoint.key_malformed": (
        "--key: not a public key; give the line 'key init' printed (<name>+<key id>+<key>)"
        " or a file holding it"
    ),
    "checkpoint.key_id_mismatch": "--key: the key id of '{name}' does not match its key",
    "checkpoint.private_key_malformed": (
        "{source}: not a trappa signing key (PRIVATE+KEY+<name>+<key id>+<key>)"
    ),
    "checkpoint.key_unreadable": "{file}: cannot read the signing key: {detail}",
    "checkpoint.key_not_utf8": "{file}: not a trappa signing key (not UTF-8 text)",
    "checkpoint.key_exists": "a signing key already exists: {file}",
    "checkpoint.key_exists.hint": (
        "keep it: checkpoints signed with it verify only under its public key; --force"
        " replaces the file"
    ),
    "checkpoint.no_key": "no signing key: {file} does not exist",
    "checkpoint.no_key.hint": "'trappa key init --name NAME' makes one",
    "checkpoint.key_write": "cannot write the signing key {file}: {detail}",
    "checkpoint.unsigned": "the checkpoint is not signed; --key {name} needs a signed one",
    "checkpoint.other_key": "the checkpoint is not signed by key '{name}' (signed by {names})",
    "checkpoint.bad_signature": "the signature by key '{name}' does not verify: the text changed",
    "checkpoint.register_differs": (
        "register id differs: this register is {found}, the checkpoint's is {expected}"
    ),
    "checkpoint.truncated": (
        "the register has {events} events, the checkpoint {expected}: events were removed"
    ),
    "checkpoint.rewritten": (
        "the event at position {position} has hash {found}, the checkpoint says {expected}:"
        " the history up to it was rewritten"
    ),
    "checkpoint.key_without_checkpoint": "--key checks a checkpoint's signature: give --checkpoint",
    "checkpoint.no_register_id": "this register has no id; open it with this trappa first",
    "out.checkpoint.written": "checkpoint of {events} events written to {file}",
    "out.checkpoint.unsigned": "not signed: no signing key ({file}); 'trappa key init' makes one",
    "out.checkpoint.extends": (
        "checkpoint of {date} ({events} events, {register}): this register extends it"
    ),
    "out.checkpoint.signed_by": "signed by {name}: the signature verifies",
    "out.key.created": "signing key written to {file} (readable only by you)",
    "out.key.public": "public key, for whoever verifies your checkpoints:",
    # --- import --------------------------------------------------------------------------------
    "import.format": "--format '{format}' is not one of {formats}",
    "import.format_unknown": "cannot tell the format of {file} from its extension",
    "import.format.hint": "name it .csv or .jsonl, or give --format csv|jsonl",
    "import.no_file": "{file}: no such file",
    "import.is_folder": "{file}: it is a folder, not a file",
    "import.not_utf8": "{file}: not UTF-8 text (byte {byte}); save it as UTF-8",
    "import.unreadable": "{file}: cannot read the file: {detail}",
    "import.empty": "{file}: no rows to import",
    "import.unknown_column": "unknown column '{column}'; the columns are {known}",
    "import.repeated_column": "column '{column}' is given twice",
    "import.missing_column": "missing column '{column}'",
    "import.field_count": "{found} fields where the header has {expected}",
    "import.json": "not a JSON object: {detail}",
    "import.json_object": "each line must be a JSON object",
    "import.required": "{column} must not be empty",
    "import.criticality_without_contract": "criticality needs a contract",
    "import.boolean": "{column}: '{value}' is not ja/nej, yes/no, true/false or 1/0",
    "import.integer": "{column}: '{value}' is not a whole number",
    "import.duplicate_external_id": "external id '{id}' is also given at line {line}",
    "import.out.summary": (
        "{file}: {rows} rows, {recorded} recorded, {skipped} skipped (already imported);"
        " {opened} cases opened, {joined} joined"
    ),
    "import.out.progress": "importing",
    # --- the event format and personal data (redact, verify) ------------------------------
    "store.verify.personal_data": (
        "personal data {digest}: its digest does not match its salt and value"
    ),
    "redact.no_reporter": "deviation {n} of case {case} has no reporter's name to remove",
    "redact.format1": (
        "deviation {n} of case {case} was recorded before event format 2: its reporter's name is"
        " part of the hashed evidence and cannot be removed without breaking the chain"
    ),
    "redact.format1.hint": "see docs/evidence.md, 'Personal data'",
    "out.change.redacted": "{case}: the reporter of deviation {deviation} is removed",
    # --- one supplier, one case: a number given to a supplier known by name --------------------
    "store.supplier_identified": (
        "{path}: supplier {id} already has an organisation number; none was given to it"
    ),
    "out.timeline.supplier_identified": "organisation number {org_nr} registered for {name}",
    # --- store: reading without writing (another program's database, read-only opening) ------
    "store.cannot_read": "{path}: cannot read the database ({detail})",
    "store.read_only.behind": (
        "{path}: the database's schema (version {found}) is older than this trappa's ({known}),"
        " and a command that only reads does not upgrade it"
    ),
    "store.read_only.empty": (
        "{path}: the database is empty, and a command that only reads does not set it up"
    ),
    "store.read_only.hint": (
        "run a command that records something, or ask the register's owner"
    ),
    # --- a team's register on PostgreSQL -------------------------------------------------------
    "store.pg.no_driver": (
        "{url}: a PostgreSQL register needs psycopg; install it with"
        " pip install 'trappa[postgres]'"
    ),
    "store.pg.connection": "{url}: cannot reach the PostgreSQL register ({detail})",
    "store.pg.foreign": "{url}: a PostgreSQL database with tables, but not a trappa register",
    "store.pg.not_allowed": (
        "{url}: the database user {user} may not change this register; nothing was written"
    ),
    "store.pg.not_allowed.hint": (
        "ask the register's administrator for writing rights: trappa db grant {user} --writer"
    ),
    "store.pg.may_not_read": "{url}: the database user {user} may not read this register",
    "store.pg.may_not_read.hint": (
        "ask the register's administrator for a role (trappa db grant USER --reader)"
    ),
    "store.pg.upgrade_denied": (
        "{url}: the register's schema (version {found}) is older than this trappa's ({known}),"
        " and the database user {user} may not upgrade it"
    ),
    "store.pg.upgrade_denied.hint": "an administrator upgrades it with: trappa db init URL",
    "store.pg.actor_ignored": (
        "note: on a PostgreSQL register the actor is the database user {user};"
        " --actor and TRAPPA_USER are not used"
    ),
    # --- a case's owner (avtalsansvarig) ---------------------------------------------------------
    "out.change.assigned": "{case}: owner {owner}",
    "out.show.owner": "owner (avtalsansvarig): {owner}",
    "out.timeline.assigned": "owner: {owner}",
    "assign.same": "case {case} already has the owner {owner}",
    "owner.both": "give --owner NAME or --mine, not both",
    "db.not_server": "{url}: not a postgresql:// URL; trappa db {command} works on a server",
    "db.init.done": (
        "{url}: register schema version {version}; roles {writer} and {reader} ready"
    ),
    "db.grant.done": "{user} is now a member of {role}",
    "db.grant.choose": "give exactly one of --writer or --reader",
    "db.grant.bad_name": "{name}: not a database user name (letters, digits, _ . - @ only)",
    "db.grant.bad_prefix": "{name}: not a role prefix (lowercase letters, digits and _ only)",
    "db.copy.not_empty": (
        "{dst}: the destination register is not empty ({events} events); nothing copied"
    ),
    "db.copy.same": "the source and the destination are the same register",
    "db.copy.done": (
        "copied {events} events in {cases} cases from {src} to {dst}; head {head}"
    ),
}

_catalogue = EN


def say(key: str, /, **fields: object) -> str:
    """The message for ``key`` with ``fields`` filled in."""
    return _catalogue[key].format(**fields)
