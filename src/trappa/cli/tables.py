"""Tables that fit the terminal: every name and heading whole, wrapped rather than cut.

rich shrinks a table that is too wide by squeezing its widest columns until words no longer
fit, and then cuts them with "…": a supplier's name, a case id or a heading lost in the middle.
Here each table says, per column, whether its cells may wrap (prose, names) or must stay on one
line (ids, dates, numbers), how much of any spare width it takes, and how soon it may be left
out. ``fit`` then chooses: every column at its full width when that fits; else every column at
least as wide as its longest word (or, if it does not wrap, its longest line) and the rest shared
out; else the least important columns are left out until that fits, and the caller says which
(``--wide`` keeps them all). When even the columns that are never left out cannot show their
longest words side by side, the rows are printed one below the other instead, each cell beside
its heading ("stacked"), every column kept and no word cut.

rich is imported inside the functions, so that importing this module costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# What a rich table with the default box and padding adds to its columns' widths: a border
# before each column and after the last, and a space either side of each cell.
_PER_COLUMN = 3
_EDGE = 1


@dataclass(frozen=True)
class Column:
    """A column as the table asks for it."""

    header: str
    wrap: bool = True  # False: keep each line of a cell whole (ids, dates, numbers)
    weight: int = 1  # share of the width left over once every column has its minimum
    drop: int = 0  # 0: never left out; otherwise left out sooner the higher the number
    justify: str = "left"


@dataclass(frozen=True)
class Fitted:
    """What ``fit`` decided: the columns kept (their indices) and each one's width."""

    kept: tuple[int, ...]
    widths: tuple[int, ...]
    left_out: tuple[int, ...]
    stacked: bool = False  # too narrow for a table: each row as headings and cells, one below

    @property
    def width(self) -> int:
        """The whole table's width."""
        return sum(self.widths) + _PER_COLUMN * len(self.widths) + _EDGE


def fit(columns: Sequence[Column], cells: Sequence[Sequence[str]], *, width: int,
        wide: bool = False) -> Fitted:
    """Choose the columns to show and their widths for a table at most ``width`` wide.

    ``cells`` are the rows' plain texts (a cell's lines separated by newlines).
    """
    from rich.cells import cell_len

    count = len(columns)
    need = [0] * count  # the narrowest width that cuts no word (or no line, if it must not wrap)
    full = [0] * count  # the width that wraps nothing
    for index, column in enumerate(columns):
        for row in cells:
            for line in row[index].split("\n"):
                length = cell_len(line)
                full[index] = max(full[index], length)
                if column.wrap:
                    length = max((cell_len(word) for word in line.split()), default=0)
                need[index] = max(need[index], length)
        # A heading wraps between its words, and is never cut either.
        words = [cell_len(word) for word in column.header.split()] or [1]
        need[index] = max(need[index], *words)
        full[index] = max(full[index], need[index], cell_len(column.header))

    kept = list(range(count))
    if not wide:
        # Leave out the least important columns until the others' minimums fit.
        droppable = sorted((i for i in kept if columns[i].drop), key=lambda i: -columns[i].drop)
        while droppable and _space(width, len(kept)) < sum(need[i] for i in kept):
            kept.remove(droppable.pop(0))
    left_out = tuple(i for i in range(count) if i not in kept)

    space = max(_space(width, len(kept)), len(kept))
    if sum(full[i] for i in kept) <= space:
        widths = [full[i] for i in kept]
    elif sum(need[i] for i in kept) <= space:
        widths = _share(space, [need[i] for i in kept], [full[i] for i in kept],
                        [columns[i].weight for i in kept])
    elif wide:
        # Every column, no word cut: wider than the terminal (for a pager, or a file).
        widths = [need[i] for i in kept]
    else:
        return Fitted(tuple(range(count)), (), (), stacked=True)
    return Fitted(tuple(kept), tuple(widths), left_out)


def _space(width: int, columns: int) -> int:
    """The width left for the cells of ``columns`` columns in a table ``width`` wide."""
    return width - _PER_COLUMN * columns - _EDGE


def _share(space: int, low: list[int], high: list[int], weights: list[int]) -> list[int]:
    """Widths from ``low`` towards ``high`` that fill ``space``, the spare shared by ``weights``.

    A column whose whole width is within its share of the spare gets it (and wraps nothing);
    the others share what is left.
    """
    widths = list(low)
    spare = space - sum(widths)
    active = [i for i in range(len(widths)) if high[i] > widths[i]]
    while active and spare > 0:
        total = sum(weights[i] for i in active)
        filled = [i for i in active if (high[i] - widths[i]) * total <= spare * weights[i]]
        if not filled:
            for i in active:
                give = spare * weights[i] // total
                widths[i] += give
            break
        for i in filled:
            spare -= high[i] - widths[i]
            widths[i] = high[i]
        active = [i for i in active if i not in filled]
    # What the rounding left over, to the columns that can still take it, heaviest first.
    spare = space - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: -weights[i]):
        step = min(spare, high[i] - widths[i])
        if step > 0:
            widths[i] += step
            spare -= step
    return widths


def print_table(out: Any, columns: Sequence[Column], rows: Sequence[Sequence[Any]], *,
                wide: bool = False, title: str | None = None, markup: bool = False) -> None:
    """Print on the rich console ``out`` a table of ``rows`` that fits its width, and then, if
    columns were left out, one line naming them.

    Cells are plain strings (rich markup when ``markup``) or rich ``Text``. With ``wide`` every
    column is kept, and a table whose words cannot fit is printed wider than the console.
    """
    from rich.table import Table
    from rich.text import Text

    from trappa.messages import say

    def text(cell: Any) -> Text:
        if isinstance(cell, Text):
            return cell
        return Text.from_markup(cell) if markup else Text(cell)

    texts = [[text(cell) for cell in row] for row in rows]
    fitted = fit(columns, [[cell.plain for cell in row] for row in texts], width=out.width,
                 wide=wide)
    if fitted.stacked:
        _print_stacked(out, columns, texts, title)
        return
    table = Table(title=title, title_justify="left")
    for index, size in zip(fitted.kept, fitted.widths, strict=True):
        column = columns[index]
        table.add_column(column.header, width=size, no_wrap=False, overflow="fold",
                         justify=column.justify)  # type: ignore[arg-type]
    for row in texts:
        table.add_row(*(row[index] for index in fitted.kept))
    width = out.width
    out.width = max(width, fitted.width)
    try:
        out.print(table)
    finally:
        out.width = width
    if fitted.left_out:
        headers = ", ".join(columns[index].header for index in fitted.left_out)
        out.print(Text(say("out.table.left_out", columns=headers)))


def _print_stacked(out: Any, columns: Sequence[Column], rows: list[list[Any]],
                   title: str | None) -> None:
    """Each row one below the other: a heading, then its cell beside it, wrapping in the width
    left; a blank line between rows."""
    from rich.table import Table
    from rich.text import Text

    if title:
        out.print(Text(title))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(overflow="fold")
    for number, row in enumerate(rows):
        if number:
            grid.add_row("", "")
        for column, cell in zip(columns, row, strict=True):
            grid.add_row(Text(column.header), cell)
    out.print(grid)
