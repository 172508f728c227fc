"""Rich renderings of ladders for people: ``ladder list``, ``ladder show``, ``ladder diff``.

Each function takes the same plain data that ``--json`` prints. rich is imported inside the
functions, so importing this module costs nothing until something is drawn.
"""

from __future__ import annotations

from typing import Any

from trappa.messages import say


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _table(title: str | None, *headers: str, ratios: dict[str, int] | None = None) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False, expand=bool(ratios))
    for header in headers:
        # Keys and numbers are what people copy: keep them on one line, let prose wrap.
        table.add_column(say(_COLUMNS[header]), overflow="fold",
                         no_wrap=header in _NO_WRAP, ratio=(ratios or {}).get(header))
    return table


_NO_WRAP = {"level", "id", "key", "ref", "change"}

# Each column's heading.
_COLUMNS = {
    "ref": "ladder.col.ref", "title": "ladder.col.title", "extends": "ladder.col.extends",
    "path": "ladder.col.path", "level": "ladder.col.level", "event": "ladder.col.event",
    "tier": "ladder.col.tier", "activities": "ladder.col.activities",
    "parties": "ladder.col.parties", "key": "ladder.col.key", "letter": "ladder.col.letter",
    "to": "ladder.col.to", "id": "ladder.col.id", "when": "ladder.col.when",
    "term": "ladder.col.term", "definition": "ladder.col.definition", "part": "ladder.col.part",
    "change": "ladder.col.change", "field": "ladder.col.field", "a": "ladder.col.a",
    "b": "ladder.col.b",
}
_DEVIATIONS = {  # (serious, one): the condition in words
    (False, False): "ladder.when.deviations",
    (True, False): "ladder.when.deviations.serious",
    (False, True): "ladder.when.deviations.one",
    (True, True): "ladder.when.deviations.serious.one",
}
_PLAN = {
    "overdue": "ladder.when.plan.overdue",
    "not_followed": "ladder.when.plan.not_followed",
    "no_effect": "ladder.when.plan.no_effect",
}
_PARTS = {
    "steps": "ladder.diff.part.steps", "rules": "ladder.diff.part.rules",
    "terms": "ladder.diff.part.terms", "parties": "ladder.diff.part.parties",
    "activities": "ladder.diff.part.activities", "letters": "ladder.diff.part.letters",
}
_STATUS = {
    "added": "ladder.diff.added", "removed": "ladder.diff.removed",
    "changed": "ladder.diff.changed",
}


class _Fitted:
    """A table of ``ladder show`` that fits the console (see ``trappa.cli.tables``): rows are
    collected, then printed whole, with a line naming any column left out."""

    def __init__(self, title: str | None, *headers: str, weights: dict[str, int] | None = None,
                 drop: dict[str, int] | None = None) -> None:
        from trappa.cli.tables import Column

        self.title = title
        self.columns = [
            Column(say(_COLUMNS[header]), wrap=header not in _NO_WRAP,
                   weight=(weights or {}).get(header, 1), drop=(drop or {}).get(header, 0))
            for header in headers
        ]
        self.rows: list[tuple[str, ...]] = []

    def add_row(self, *cells: str) -> None:
        self.rows.append(cells)

    def print(self, out: Any, *, wide: bool) -> None:
        from trappa.cli.tables import print_table

        print_table(out, self.columns, self.rows, wide=wide, title=self.title, markup=True)


def ladder_list(rows: list[dict[str, Any]]) -> None:
    out = _console()
    if not rows:
        out.print(say("ladder.list.empty"))
        return
    table = _table(None, "ref", "title", "extends", "path")
    for row in rows:
        table.add_row(row["ref"], row["title"] or "", row["extends"] or "", row["path"])
    out.print(table)


def show(
    data: dict[str, Any], *, ref: str, resolved: bool, names: dict[str, Any] | None = None,
    wide: bool = False,
) -> None:
    """A ladder: its header, steps with activities and parties, letters, rules and terms.

    ``resolved`` False with a variant shows only what its own file states; fields it leaves to
    its base are marked as inherited. ``names`` (the resolved ladder) supplies the titles of
    inherited activities and parties that the variant's own steps list.
    """
    out = _console()
    inherited = say("ladder.show.inherited")
    out.print(f"[bold]{_escape(data.get('title') or ref)}[/bold]")
    out.print(say("ladder.show.ref", ref=ref))
    if data.get("publisher"):
        out.print(say("ladder.show.publisher", publisher=data["publisher"]))
    if data.get("extends"):
        key = "ladder.show.extends.resolved" if resolved else "ladder.show.extends.own"
        out.print(say(key, base=data["extends"]))
    names = names or data
    activities = {**names.get("activities", {}), **data.get("activities", {})}
    parties = {**names.get("parties", {}), **data.get("parties", {})}
    out.print()

    # At a narrow width the tier goes first, then the dialog parties (the activities say who).
    steps = _Fitted(say("ladder.show.steps"), "level", "event", "tier", "activities", "parties",
                    weights={"activities": 5, "parties": 2, "event": 4},
                    drop={"tier": 2, "parties": 1})
    for step in data.get("steps", []):
        event = step.get("event") or inherited
        if step.get("label"):
            event = f"{event}\n({step['label']})"
        steps.add_row(
            str(step["level"]),
            _escape(event),
            step.get("tier") or inherited,
            _activity_lines(step.get("activities"), activities, inherited),
            _party_lines(step.get("parties"), parties, inherited),
        )
    steps.print(out, wide=wide)

    if data.get("activities") and not resolved:
        # A variant's own activities are not all listed by its own steps: show them too.
        table = _Fitted(say("ladder.show.activities"), "key", "title", "letter")
        for key, activity in data["activities"].items():
            title = activity.get("title", "") + (" *" if activity.get("specific") else "")
            table.add_row(key, _escape(title), activity.get("letter") or "")
        table.print(out, wide=wide)

    letters = data.get("letters", {})
    if letters:
        table = _Fitted(say("ladder.show.letters"), "key", "title", "to")
        for key, letter in letters.items():
            to = letter.get("to", "")
            table.add_row(key, _escape(letter.get("title", "")), _escape(parties.get(to, to)))
        table.print(out, wide=wide)

    rules = data.get("rules", [])
    if rules:
        # Conditions read best on one line: give them more of the width than titles.
        table = _Fitted(say("ladder.show.rules"), "id", "title", "level", "when",
                        weights={"title": 2, "when": 3})
        for rule in rules:
            title = rule.get("title") or inherited
            if rule.get("enabled") is False:
                title = say("ladder.show.disabled")
            level = rule.get("level")
            when = rule.get("when")
            table.add_row(
                rule["id"],
                _escape(title),
                inherited if level is None and rule.get("enabled", True) else _text(level),
                conditions(when) if when else "",
            )
        table.print(out, wide=wide)

    terms = data.get("terms", {})
    if terms:
        table = _Fitted(say("ladder.show.terms"), "term", "definition",
                        weights={"definition": 3})
        for term, definition in terms.items():
            table.add_row(_escape(term), _escape(str(definition)))
        table.print(out, wide=wide)
    out.print(say("ladder.show.legend"))


def _activity_lines(keys: Any, activities: dict[str, Any], inherited: str) -> str:
    if keys is None:
        return inherited
    lines = []
    for key in keys:
        activity = activities.get(key) or {}
        line = activity.get("title") or key
        if activity.get("specific"):
            line += " *"
        if activity.get("letter"):
            line += f" ✉ {activity['letter']}"
        lines.append(f"{_escape(line)} [dim]({key})[/dim]")
    return "\n".join(lines)


def _party_lines(keys: Any, parties: dict[str, Any], inherited: str) -> str:
    if keys is None:
        return inherited
    return "\n".join(_escape(str(parties.get(key, key))) for key in keys)


def conditions(when: dict[str, Any]) -> str:
    """A rule's conditions in words, one per line."""
    lines = []
    deviations = when.get("deviations")
    if deviations:
        key = _DEVIATIONS[bool(deviations.get("serious")), deviations["min"] == 1]
        text = say(key, min=deviations["min"])
        if deviations.get("within_days"):
            text += say("ladder.when.within", days=deviations["within_days"])
        if deviations.get("since") == "action_plan":
            text += say("ladder.when.since_plan")
        lines.append(text)
    if when.get("action_plan"):
        lines.append(say(_PLAN[when["action_plan"]]))
    stalled = when.get("stalled")
    if stalled:
        lines.append(say("ladder.when.stalled", level=stalled["level"], days=stalled["days"]))
    sanctions = when.get("sanctions")
    if sanctions:
        lines.append(say("ladder.when.sanctions", n=sanctions["min"]))
    return "\n".join(lines)


def diff(data: dict[str, Any]) -> None:
    """``ladder diff``: one table, a row per changed field, section by section."""
    out = _console()
    title = say("ladder.diff.title", a=data["a"], b=data["b"])
    if data["same"]:
        out.print(say("ladder.diff.same", a=data["a"], b=data["b"]))
        return
    table = _table(title, "part", "change", "field", "a", "b")
    for name, change in data["ladder"].items():
        table.add_row(say("ladder.diff.ladder"), say("ladder.diff.changed"), name,
                      _text(change["a"]), _text(change["b"]))
    for section in ("steps", "rules", "terms", "parties", "activities", "letters"):
        for change in data[section]:
            part = say(_PARTS[section], key=change["key"])
            status = say(_STATUS[change["status"]])
            if change["status"] != "changed" or not change["fields"]:
                table.add_row(part, status, "", _summary(section, change["a"]),
                              _summary(section, change["b"]))
                continue
            for field_name, values in change["fields"].items():
                if "added" in values:
                    old = "\n".join(f"- {item}" for item in values["removed"])
                    new = "\n".join(f"+ {item}" for item in values["added"])
                    if not old and not new:
                        old, new = say("ladder.diff.reordered"), say("ladder.diff.reordered")
                else:
                    old, new = _text(values["a"]), _text(values["b"])
                table.add_row(part, status, field_name, _escape(old), _escape(new))
                part = status = ""
    out.print(table)


def _summary(section: str, value: Any) -> str:
    """An added or removed entry in a few words."""
    if value is None:
        return ""
    if section == "steps":
        text = value.get("event", "")
        return _escape(text + (f" ({value['label']})" if value.get("label") else ""))
    if section == "rules":
        return _escape(say("ladder.diff.rule", title=value.get("title", ""),
                           level=value.get("level")))
    if isinstance(value, dict):
        return _escape(str(value.get("title", "")))
    return _escape(str(value))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        if set(value) <= {"deviations", "action_plan", "stalled", "sanctions"}:
            return conditions(value)
        return _escape(", ".join(f"{k}: {v}" for k, v in value.items()))
    if isinstance(value, list):
        return _escape(", ".join(str(item) for item in value))
    return _escape(str(value))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
