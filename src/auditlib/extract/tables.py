"""Tables flattened to text: rows of tab- or |-separated cells, or one cell per tab-led line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditlib.ingest import Line


@dataclass(frozen=True)
class Row:
    """One table row: its cells (stripped) and the source line where it starts."""

    cells: tuple[str, ...]
    line: int
    index: int  # position of its first line in Document.lines

    @property
    def filled(self) -> list[str]:
        """The non-empty cells."""
        return [cell for cell in self.cells if cell]


@dataclass(frozen=True)
class Table:
    """Consecutive rows read as one table."""

    rows: tuple[Row, ...]


def _split_cells(text: str) -> list[str] | None:
    if "\t" in text:
        cells = text.split("\t")
    elif text.count("|") >= 2:
        cells = text.strip("|").split("|")
    else:
        return None
    cells = [cell.strip() for cell in cells]
    return cells if sum(1 for cell in cells if cell) >= 2 else None


def find_tables(lines: list[Line]) -> list[Table]:
    """Every table in the lines: runs of multi-cell lines, and blocks of tab-led one-cell lines.

    Blank lines never end a table (Word puts one between rows); a line of prose does.
    """
    tables: list[Table] = []
    rows: list[Row] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.cell:
            end = index
            while end < len(lines) and lines[end].cell:
                end += 1
            rows.append(Row(tuple(cell.text for cell in lines[index:end]), line.line, index))
            index = end
            continue
        cells = _split_cells(line.text) if line.text else None
        if cells:
            rows.append(Row(tuple(cells), line.line, index))
        elif line.text and rows:
            tables.append(Table(tuple(rows)))
            rows = []
        index += 1
    if rows:
        tables.append(Table(tuple(rows)))
    return tables


NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?$")


def cell_number(cell: str) -> tuple[float, int] | None:
    """A cell holding just a number (分, 万元): its value and written decimals."""
    text = cell.replace("分", "").strip()
    if not NUMBER_RE.match(text):
        return None
    return float(text), len(text.split(".")[1]) if "." in text else 0
