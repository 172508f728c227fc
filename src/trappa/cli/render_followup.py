"""The follow-up cycle in ``show`` for people: each letter sent with its reply-by date and the
supplier's reply, the waivers, and what is due; and the timeline's words for its events."""

from __future__ import annotations

from typing import Any

from trappa.messages import say

# The words of each kind of due date and of its state (literal keys, so the catalogs see them).
_WHAT = {"reply": "out.due.reply", "claim": "out.due.claim", "plan": "out.due.plan"}
_STATE = {"overdue": "out.due.state.overdue", "soon": "out.due.state.soon",
          "later": "out.due.state.later"}
_COLUMNS = {
    "n": "col.n", "date": "col.date", "kind": "col.kind", "reply_by": "col.reply_by",
    "reply": "col.reply", "reason": "col.reason", "what": "col.what", "state": "col.state",
}


def show_followup(out: Any, case: dict[str, Any]) -> None:
    """The letters with their replies, the waivers and the due dates of a ``show`` result."""
    from rich.table import Table

    if case["letters"]:
        table = Table(title=say("out.show.letters"), title_justify="left")
        for header in ("n", "date", "kind", "reply_by", "reply"):
            table.add_column(say(_COLUMNS[header]))
        for n, letter in enumerate(case["letters"], 1):
            table.add_row(str(n), letter["date"], letter.get("kind") or "",
                          letter.get("reply_by") or "", reply_text(letter))
        out.print(table)
    waived = [d for d in case["deviations"] if d.get("waived_on")]
    if waived:
        table = Table(title=say("out.show.waivers"), title_justify="left")
        for header in ("date", "n", "reason"):
            table.add_column(say(_COLUMNS[header]))
        for d in waived:
            table.add_row(d["waived_on"], str(d["n"]), d["waiver"] or "")
        out.print(table)
    due = [item for item in case.get("due") or [] if item["state"] != "done"]
    if due:
        table = Table(title=say("out.show.due"), title_justify="left")
        for header in ("date", "what", "n", "state"):
            table.add_column(say(_COLUMNS[header]))
        for item in due:
            table.add_row(item["date"], say(_WHAT[item["what"]]), str(item["ref"]),
                          say(_STATE[item["state"]]))
        out.print(table)


def reply_text(letter: dict[str, Any]) -> str:
    """The reply to a letter in a few words: when it came, late or not, its file."""
    reply = letter.get("reply")
    if reply is None:
        return say("out.reply.none") if letter.get("reply_by") else ""
    late = letter.get("reply_by") and reply["received"] > letter["reply_by"]
    text = say("out.reply.late_on" if late else "out.reply.on", received=reply["received"])
    if reply.get("file"):
        text += f", {reply['file']['name']} ({reply['file']['sha256'][:12]})"
    if reply.get("note"):
        text += f": {reply['note']}"
    return text


def timeline_detail(kind: str, data: dict[str, Any]) -> str | None:
    """The timeline's line for an event of the follow-up cycle, None for any other."""
    if kind == "reply_received":
        file = data.get("file")
        return say("out.timeline.reply", letter=data["letter"], received=data["received"]) + (
            f", {file['name']} ({file['sha256'][:12]})" if file else ""
        ) + (f": {data['note']}" if data.get("note") else "")
    if kind == "waived":
        return say("out.timeline.waived", deviation=data["deviation"], reason=data["reason"])
    return None


def reply_by_lines(due: Any) -> list[str]:
    """A sent letter's followed-up reply-by date, and whether it was moved to a working day."""
    lines = [say("letters.out.reply_by", reply_by=due.date.isoformat())]
    if due.moved_from is not None:
        lines.append(say("out.due_moved", moved_from=due.moved_from.isoformat(),
                         due=due.date.isoformat()))
    return lines


def due_lines(case: str, due: list[dict[str, Any]]) -> list[str]:
    """A review row's due dates for people: what, by when, and how many working days are left
    (or have passed)."""
    lines = []
    for item in due:
        days = item.get("working_days", 0)
        if days == 0:
            left = say("out.due.today")
        else:
            left = say("out.due.left" if days > 0 else "out.due.passed", n=abs(days))
        lines.append(say("out.due.line", case=case, what=say(_WHAT[item["what"]]),
                         ref=item["ref"], date=item["date"],
                         state=say(_STATE[item["state"]]), left=left))
    return lines
