"""Every command of ``trappa``: the module under ``trappa.cli`` that defines it and its one-line
help, so that ``trappa --help`` lists them all without importing any command module."""

from __future__ import annotations

from trappa.messages import N_

# Every command: its module under trappa.cli and its one-line help, in `trappa --help` order.
# tests/test_docs.py checks this against the commands themselves.
COMMANDS: dict[str, tuple[str, str]] = {
    "report": (
        "commands_case",
        N_("Register a deviation, incident or risk (händelse) for a supplier."),
    ),
    "escalate": ("commands_case", N_("Move a case up the ladder.")),
    "deescalate": (
        "commands_case",
        N_("Move a case down the ladder: the way back. A reason is required."),
    ),
    "done": ("commands_case", N_("Mark an activity of the case's current step done.")),
    "plan": (
        "commands_case",
        N_(
            "Establish an action plan (handlingsplan), record the follow-up of the latest one, or"
            " write it as a document (--render)."
        ),
    ),
    "sanction": (
        "commands_case",
        N_("Record a sanction under the contract (sanktion enligt avtal)."),
    ),
    "resolve": ("commands_case", N_("Put out (släcka) a deviation of a case.")),
    "close": ("commands_case", N_("Close a case.")),
    "reopen": ("commands_case", N_("Reopen a closed case.")),
    "note": ("commands_case", N_("Add a note to a case's history.")),
    "assign": (
        "commands_case",
        N_("Give a case its owner (avtalsansvarig), recorded in its history."),
    ),
    # The event format and personal data.
    "redact": (
        "commands_case",
        N_("Remove a deviation's reporter's name (GDPR, gallring); the history still verifies."),
    ),
    # The follow-up cycle: replies, waivers, due dates in a calendar.
    "reply": (
        "commands_followup",
        N_("Record the supplier's reply to a sent letter, with the reply kept in the register."),
    ),
    "waive": (
        "commands_followup",
        N_("Record a decision not to sanction a deviation (avstå från sanktion), and why."),
    ),
    "calendar": (
        "commands_followup",
        N_("Every future due date as an iCalendar file, for Outlook and other calendars."),
    ),
    "show": (
        "commands_view",
        N_(
            "Show a case: supplier, contract, ladder, step, activities, plan, deviations, "
            "timeline."
        ),
    ),
    "explain": (
        "commands_view",
        N_("Every rule of the case's ladder: whether it holds, and why (counts and dates)."),
    ),
    "status": ("commands_view", N_("Open cases, one row each, with a traffic light (red: act"
                                   " now).")),
    "review": (
        "commands_view",
        N_("Cases whose suggested level differs from their level, and overdue action plans."),
    ),
    "letter": (
        "commands_letter",
        N_("Write a letter of a case (or its action plan) and record it as sent."),
    ),
    "dossier": (
        "commands_letter",
        N_("The supplier's whole recorded history across its cases, in date order, as evidence."),
    ),
    "import": (
        "commands_import",
        N_(
            "Register deviations from a file, as a migration from a spreadsheet or another "
            "register."
        ),
    ),
    # Evidence that holds: verify, and the checkpoints it checks against.
    "verify": (
        "commands_evidence",
        N_("Check the hash chain, the projection against the events, and SQLite's integrity."),
    ),
    "checkpoint": (
        "commands_evidence",
        N_(
            "Write the register's head (id, number of events, newest hash, date) as a checkpoint,"
            " signed when a key exists."
        ),
    ),
    "key": ("commands_evidence", N_("The organisation's signing key for checkpoints.")),
    "validate": (
        "commands_ladder",
        N_(
            "Validate ladder files: print one line per clean file, every problem as "
            "FILE:LINE:COLUMN."
        ),
    ),
    "ladder": (
        "commands_ladder",
        N_(
            "Browse ladders: list them, show one, compare two, print the JSON Schema; move a case"
            " to the current file."
        ),
    ),
    "config": ("commands_view", N_("The organisation's details for letters, and defaults.")),
    # The follow-up cycle: risk, contracts, and the check for purchasing scripts.
    "risk": ("commands_followup", N_("Record a risk assessment (risk- och konsekvensanalys): score"
                                    " = probability × consequence.")),
    "contract": ("commands_records", N_("Show a contract's facts, or set them (recorded with"
                                        " who, when and why).")),
    "contracts": ("commands_records", N_("The contracts with their open cases and highest step,"
                                         " most critical first.")),
    "check": ("commands_records", N_("May the supplier be used? Exit 0 yes, 1 blocked or its"
                                     " contract terminated, 2 bad input, 3 the register cannot"
                                     " be read (a register is never created here).")),
    # A team's register on PostgreSQL.
    "db": ("commands_db", N_(
        "A team's register on PostgreSQL: set it up (init), give people access (grant), copy"
        " a register between engines (copy).")),
    # Key figures, the monthly report and exports.
    "figures": (
        "commands_figures",
        N_("Key figures (nyckeltal) of a period, each against the previous period of the same"
           " length."),
    ),
    "monthly": (
        "commands_figures",
        N_("The monthly report (månadsrapport) with charts, in Swedish: md, html, xlsx or pdf."),
    ),
    "export": (
        "commands_export",
        N_("Export a table of the register as csv, xlsx or jsonl, or the register as OCDS"
           " releases."),
    ),
}
