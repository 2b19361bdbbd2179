"""Tables from any format flattened the one way auditlib reads them: a row per line, cells joined by tabs."""

from __future__ import annotations


# A table's resolved grid holds at most SPAN_CELLS_FACTOR times its written cells plus SPAN_CELLS_FLOOR cells:
# merged cells in a real table cover a few positions each, a span declared larger than the sheet (colspan=10⁸,
# a merge over A1:XFD1048576) would otherwise cost gigabytes. Spans past the budget count as one cell.
SPAN_CELLS_FACTOR = 4
SPAN_CELLS_FLOOR = 10_000
# A row-spanning cell's text stands again in each row it covers, cut to this many characters: the 一级指标 of a
# group is a few words, and a long text repeated down thousands of rows would multiply the input.
REPEATED_TEXT_CHARS = 100


def repeated(text: str) -> str:
    """The text of a merged cell as it stands again in a row below its own."""
    return text if len(text) <= REPEATED_TEXT_CHARS else text[:REPEATED_TEXT_CHARS] + "…"


def resolve_spans(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Resolve merged cells: a row-spanning cell's text stands in each row it covers (the 一级指标 of a group),
    a column-spanning cell's text in its first column only, so columns keep their places. A span never reaches
    past the table's last row, and all spans together stay within the budget above: time and memory linear
    in the cells written."""
    budget = SPAN_CELLS_FACTOR * sum(len(row) for row in rows) + SPAN_CELLS_FLOOR
    grid: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for index, row in enumerate(rows):
        rows_left = len(rows) - index - 1
        cells: list[str] = []
        column = 0

        def fill_pending() -> None:
            nonlocal column
            while column in pending:
                text, left = pending[column]
                cells.append(text)
                if left <= 1:
                    del pending[column]
                else:
                    pending[column] = (text, left - 1)
                column += 1

        for text, colspan, rowspan in row:
            fill_pending()
            rowspan = min(rowspan, rows_left + 1)
            if (colspan - 1) + colspan * (rowspan - 1) > budget:
                colspan = rowspan = 1
            budget -= (colspan - 1) + colspan * (rowspan - 1)
            for offset in range(colspan):
                cells.append(text if offset == 0 else "")
                if rowspan > 1:
                    pending[column] = (repeated(text) if offset == 0 else "", rowspan - 1)
                column += 1
        fill_pending()
        grid.append(cells)
    return grid


def row_text(cells: list[str]) -> str:
    """A row as the rest of auditlib reads tables: "| a | b |", as the national self-evaluation table flattens
    to text (a tab-separated line would let prose patterns read across cells: 总分<tab>100<tab>94.5)."""
    while cells and not cells[0]:
        cells = cells[1:]
    while cells and not cells[-1]:
        cells = cells[:-1]
    if sum(1 for cell in cells if cell) <= 1:
        return "".join(cells)  # one cell (a title across the table, a sheet's paragraph) reads as a line of text
    return "| " + " | ".join(cell.replace("|", "｜") for cell in cells) + " |"
