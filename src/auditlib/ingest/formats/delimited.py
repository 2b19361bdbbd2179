"""A sheet saved as comma-separated values (Excel's 另存为 CSV, in the system's GBK or as CSV UTF-8): its rows
read as a sheet's are, by Python's csv module (the standard, linear parser; quoted cells may hold commas and
line breaks).

Recognised by content, not by name: text whose first rows split by commas into the same number of fields, at
least three, as a spreadsheet exports every row padded to its used range (so some field is empty, or the rows
are five fields wide or more). Prose with the odd comma does not split evenly, so a report in plain text still
reads as text.
"""

from __future__ import annotations

import codecs
import csv
import io

from auditlib.errors import ReportTooLarge, UnreadableReport
from auditlib.ingest.decode import decode_report
from auditlib.ingest.document import Block, ReadResult
from auditlib.ingest.formats.grid import row_text
from auditlib.ingest.limits import MAX_SHEET_CELLS

SNIFF_BYTES = 16_384
MIN_FIELDS = 3
MIN_ROWS = 3
EVEN_SHARE = 0.8  # of the first rows, the share that must have the most common field count


def _head_text(data: bytes) -> str | None:
    head = data[:SNIFF_BYTES]
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    for encoding in ("utf-8", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 4:  # a character cut by the sniff's end
                return head[:error.start].decode(encoding, errors="ignore")
    return None


def looks_csv(data: bytes) -> bool:
    """Comma-separated rows of one width (three fields or more), with no NUL byte (a binary file)."""
    if b"\x00" in data[:SNIFF_BYTES]:
        return False
    text = _head_text(data)
    if not text or "," not in text:
        return False
    lines = [line for line in text.splitlines()[:-1] if line.strip()][:40]  # the last may be cut by the sniff
    if len(lines) < MIN_ROWS:
        return False
    try:
        rows = list(csv.reader(lines))
    except csv.Error:
        return False
    widths = [len(row) for row in rows]
    common = max(set(widths), key=widths.count)
    # A sheet pads its rows to its used range (a title row: 自评表,,,,,,): an empty field, or rows wide enough that
    # sentences would not split so evenly.
    padded = any(not field.strip() for row in rows for field in row)
    return common >= MIN_FIELDS and widths.count(common) >= EVEN_SHARE * len(widths) and (padded or common >= 5)


def read_csv(data: bytes, path: str) -> ReadResult:
    """Each row as a sheet's row reads ("| a | b |"), located by its row number."""
    text, encoding = decode_report(data, path)
    blocks: list[Block] = []
    cells = 0
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, row in enumerate(rows, start=1):
            cells += len(row)
            if cells > MAX_SHEET_CELLS:
                raise ReportTooLarge(
                    f"CSV 表格过大 ({path}): over {MAX_SHEET_CELLS:,} cells. "
                    "请只保留自评表所在区域 / keep only the self-evaluation table and save again.")
            line = row_text([cell.replace("\r", " ").replace("\n", " ").strip() for cell in row])
            blocks.append(Block(line, f"第{number}行"))
    except csv.Error as error:  # a cell beyond the parser's limit, or a quote left open to the end
        raise UnreadableReport(f"CSV 文件第{rows.line_num}行无法读取 ({path}): {error}. "
                               "请在 Excel 中重新另存为 CSV / save it again as CSV from Excel.") from error
    return blocks, encoding, "csv"
