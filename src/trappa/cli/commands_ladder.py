"""`trappa validate` and `trappa ladder ...`: check, browse and compare ladder files.

Thin: each command calls one function of ``trappa.ladder.loading`` and prints its result, as JSON
with
``--json`` or for people (plain lines for ``validate``, rich tables for ``ladder``). Loading
imports pydantic and ruamel, and the tables rich, only inside the commands.
"""

from __future__ import annotations

import json as jsonlib
from typing import Annotated, Any

import typer

from trappa.cli import Typer, app, completion
from trappa.cli.options import Json, Wide
from trappa.errors import EXIT_BAD_INPUT
from trappa.messages import _

ladder_app = Typer(
    help=_("Browse ladders: list them, show one, compare two, print the JSON Schema."),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(ladder_app, name="ladder")

LadderArg = Annotated[
    str,
    typer.Argument(
        metavar=_("LADDER"),
        help=_("A ladder: id@version (regionerna@2024-04-01), a bare id for its newest version, "
        "or the path of a ladder file."),
        show_default=False,
        autocompletion=completion.ladders,
    ),
]


def _print_json(data: Any) -> None:
    typer.echo(jsonlib.dumps(data, ensure_ascii=False, indent=2))


@app.command(help=_(
    "Validate ladder files: print one line per clean file, every problem as FILE:LINE:COLUMN.\n\n"
    "Exits 2 when any file has a problem. Problems in a base that a file extends are reported"
    " too."
))
def validate(
    files: Annotated[
        list[str],
        typer.Argument(help=_("Ladder files to check, with the bases they extend."),
                       metavar=_("FILE..."), show_default=False),
    ],
    json: Json = False,
) -> None:
    from trappa.ladder.loading import validate_files

    results = validate_files(files)
    failed = any(not result.ok for result in results)
    if json:
        _print_json([_result_json(result) for result in results])
    else:
        for result in results:
            if result.summary:
                typer.echo(result.summary)
        printed: set[Any] = set()
        for result in results:
            for problem in result.problems:
                if problem not in printed:  # a shared base's problems once, not once per file
                    printed.add(problem)
                    typer.echo(str(problem), err=True)
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


def _result_json(result: Any) -> dict[str, Any]:
    return {
        "file": result.file,
        "ok": result.ok,
        "ref": result.ladder.ref if result.ladder else None,
        "extends": result.ladder.extends if result.ladder else None,
        "summary": result.summary,
        "problems": [
            {"file": p.file, "line": p.line, "column": p.column, "message": p.message}
            for p in result.problems
        ],
    }


@ladder_app.command("list", help=_(
    "List the ladders trappa finds: bundled ones, then those in TRAPPA_LADDERS."
))
def list_command(json: Json = False) -> None:
    from trappa.ladder.loading import display_name, list_ladders

    infos = list_ladders()
    rows = [
        {"ref": info.ref, "title": info.title, "extends": info.extends,
         "path": display_name(info.path)}
        for info in infos
    ]
    for info in infos:  # a file that cannot be read is still listed, and says why here
        if info.problem is not None:
            typer.echo(str(info.problem), err=True)
    if json:
        _print_json(rows)
        return
    from trappa.cli import render_ladder

    render_ladder.ladder_list(rows)


@ladder_app.command(help=_(
    "Show a ladder: its steps with activities, parties and letters, and its rules.\n\n"
    "A variant shows only what its own file states unless --resolved is given."
))
def show(
    ladder: LadderArg,
    resolved: Annotated[
        bool,
        typer.Option("--resolved", help=_("Show a variant merged with the ladders it extends.")),
    ] = False,
    json: Json = False,
    wide: Wide = False,
) -> None:
    from trappa.ladder.loading import load_ladder

    loaded = load_ladder(ladder)
    data = loaded.data if resolved or not loaded.extends else loaded.own
    if json:
        _print_json(data)
        return
    from trappa.cli import render_ladder

    render_ladder.show(
        data, ref=loaded.ref, resolved=resolved or not loaded.extends, names=loaded.data,
        wide=wide,
    )


@ladder_app.command(help=_(
    "Compare two ladders as they run (resolved): steps, rules, activities, parties, letters.\n\n"
    '--json prints {"a", "b", "same", "ladder", "steps", "rules", "terms", "parties", '
    '"activities", "letters"}; each section lists {"key", "status", "a", "b", "fields"} for '
    "the entries that were added, removed or changed (see trappa.ladder.diff)."
))
def diff(
    a: Annotated[str, typer.Argument(metavar=_("LADDER_A"),
                                     help=_("The first ladder (id@version, id, or file)."),
                                     show_default=False, autocompletion=completion.ladders)],
    b: Annotated[str, typer.Argument(metavar=_("LADDER_B"),
                                     help=_("The second ladder (id@version, id, or file)."),
                                     show_default=False, autocompletion=completion.ladders)],
    json: Json = False,
) -> None:
    from trappa.ladder.loading import diff_ladders

    data = diff_ladders(a, b).to_json()
    if json:
        _print_json(data)
        return
    from trappa.cli import render_ladder

    render_ladder.diff(data)


@ladder_app.command(help=_(
    "Print the JSON Schema of ladder files (the same as ladders/schema.json), for editors."
))
def schema() -> None:
    typer.echo(schema_text(), nl=False)


def schema_text() -> str:
    """The JSON Schema as ``ladders/schema.json`` holds it."""
    from trappa.ladder.model import json_schema

    return jsonlib.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"

