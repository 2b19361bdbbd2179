"""Tables from any format flattened the one way auditlib reads them: a row per line, cells joined by tabs."""

from __future__ import annotations


def resolve_spans(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Resolve merged cells: a row-spanning cell's text stands in each row it covers (the 一级指标 of a group),
    a column-spanning cell's text in its first column only, so columns keep their places."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for row in rows:
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
            for offset in range(colspan):
                cells.append(text if offset == 0 else "")
                if rowspan > 1:
                    pending[column] = (text if offset == 0 else "", rowspan - 1)
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
