"""Column widths for a document's tables, from what the columns hold.

A table of equal columns wraps a description one word a line while a column of numbers stands
half empty, and breaks a header inside a word ("Observer/ad"). Here each column gets at least the
width of its longest word (so no word is broken), and the rest of the page's width goes to the
columns with the most text. Widths are fractions of the table's width, so that the Word writer
and the PDF renderer lay a table out alike.
"""

from __future__ import annotations

from collections.abc import Sequence

LONGEST_WORD = 18  # characters: a longer word (a hash, a URL) may break rather than widen
LONGEST_LINE = 60  # characters of a cell that count towards wanting width
CELL_PADDING = 2.5  # characters' worth of a cell's inner margins
PAGE_CHARACTERS = 95  # about what a line of the text width holds at the table's font size


def column_fractions(rows: Sequence[Sequence[str]]) -> list[float]:
    """The share of the table's width each column gets; the shares add up to 1."""
    columns = max((len(row) for row in rows), default=0)
    if columns == 0:
        return []
    least = [4.0] * columns
    want = [4.0] * columns
    for row in rows:
        for c, text in enumerate(row):
            words = text.split()
            longest = max((len(word) for word in words), default=0)
            least[c] = max(least[c], min(longest, LONGEST_WORD) + CELL_PADDING)
            want[c] = max(want[c], min(len(text), LONGEST_LINE) + CELL_PADDING)
    want = [max(w, m) for w, m in zip(want, least, strict=True)]
    room = max(float(PAGE_CHARACTERS), sum(least))
    if sum(want) <= room:
        widths = want
    else:
        # Every column its longest word; what is left goes by how much more each wants.
        spare = room - sum(least)
        extra = [w - m for w, m in zip(want, least, strict=True)]
        total_extra = sum(extra) or 1.0
        widths = [m + spare * e / total_extra for m, e in zip(least, extra, strict=True)]
    total = sum(widths)
    return [width / total for width in widths]
