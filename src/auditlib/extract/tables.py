"""Tables flattened to text: rows of tab- or |-separated cells, or one cell per tab-led line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditlib.ingest import Line

NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?$")


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
    """Rows under one header, read as one table; tables cut from one block of rows share `block`."""

    rows: tuple[Row, ...]
    block: int = 0

    @property
    def header(self) -> Row | None:
        """The table's header row, if it starts with one."""
        return self.rows[0] if self.rows and is_header_row(self.rows[0]) else None


HEADER_WORDS = re.compile(r"指标|分\s*值|权\s*重|得\s*分|预算|执行|完成|计划|目标值|项目资金|评价|序号|金额|来源")


MIN_HEADER_WORDS_OF_A_TABLE = 4


def reads_like_table(text: str) -> bool:
    """A table flattened without separators: its column titles run together (预算数全年预算数全年执行数 …)."""
    return len(set(HEADER_WORDS.findall(text))) >= MIN_HEADER_WORDS_OF_A_TABLE


def is_header_row(row: Row) -> bool:
    """A row of column titles: two or more title words and no numbers."""
    filled = row.filled
    return (sum(1 for cell in filled if HEADER_WORDS.search(cell)) >= 2
            and not any(NUMBER_RE.match(cell.replace("%", "")) for cell in filled))


def markdown_rule(raw: str) -> bool:
    """A markdown table's rule under its first row (|---|:---:|), which may stand between two header rows."""
    text = raw.strip()
    return "---" in text and not text.strip("|-: \t")


def _split_cells(text: str) -> list[str] | None:
    if "\t" in text:
        cells = text.split("\t")
    elif text.count("|") >= 2:
        cells = text.strip("|").split("|")
    else:
        return None
    cells = [cell.strip() for cell in cells]
    # A row whose other cells are empty (上年结转资金 | | |) is still a row of its table.
    filled = sum(1 for cell in cells if cell)
    return cells if filled >= 2 or (filled == 1 and len(cells) >= 3) else None


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
        if markdown_rule(line.text):
            pass  # a markdown table's rule (|---|---|) goes on with its table: no row, no break
        elif cells:
            rows.append(Row(tuple(cells), line.line, index))
        elif line.text and rows:
            tables.append(Table(tuple(rows)))
            rows = []
        index += 1
    if rows:
        tables.append(Table(tuple(rows)))
    return [part for block, table in enumerate(tables, start=1) for part in _split_at_headers(table, block)]


def _split_at_headers(table: Table, block: int) -> list[Table]:
    """A national self-evaluation table flattens its money part and its indicator part into one run of rows."""
    parts: list[list[Row]] = [[]]
    for row in table.rows:
        if is_header_row(row) and any(not is_header_row(r) for r in parts[-1]):
            parts.append([])
        parts[-1].append(row)
    return [Table(tuple(rows), block) for rows in parts if rows]


def cell_number(cell: str) -> tuple[float, int] | None:
    """A cell holding just a number (分, 万元): its value and written decimals."""
    text = cell.replace("分", "").replace(",", "").strip()
    if not NUMBER_RE.match(text):
        return None
    return float(text), len(text.split(".")[1]) if "." in text else 0


def cell_percent(cell: str) -> tuple[float, int] | None:
    """A cell holding a percentage: its value as a fraction and the decimals of that fraction."""
    text = cell.strip()
    if not text.endswith(("%", "％")):
        return None
    number = cell_number(text[:-1])
    return (number[0] / 100, number[1] + 2) if number else None
