"""Office files: Word (.docx, python-docx), Excel (.xlsx, openpyxl; .xls, xlrd).

A .docx reads as Word shows it: paragraphs and tables in document order, numbers that Word's automatic
numbering generates written out (the outline needs them), merged cells resolved, headers, footers and
the table of contents left out. A workbook reads sheet by sheet, each sheet's used range a table.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile

from auditlib.errors import ReportTooLarge, UnreadableReport, UnsupportedFormat
from auditlib.ingest.document import Block, ReadResult
from auditlib.ingest.formats.grid import repeated, resolve_spans, row_text
from auditlib.ingest.formats.libreoffice import convert, find_soffice
from auditlib.ingest.formats.numbering import WordNumbering
from auditlib.ingest.limits import MAX_SHEET_CELLS, check_archive

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_WORD_COLUMNS = 64  # a table's width when its grid declares fewer columns than its rows use
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_names(data: bytes) -> set[str]:
    if data[:2] != b"PK":
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()


def _damaged(kind: str, path: str, error: Exception) -> UnreadableReport:
    return UnreadableReport(
        f"{kind} 文件已损坏或不完整 ({path}): {type(error).__name__}: {error}. "
        "请用原程序打开并重新保存 / open it in the program that made it and save it again.")


# --- Word --------------------------------------------------------------------------------------------------


def looks_docx(data: bytes) -> bool:
    return data[:2] == b"PK" and "xl/workbook.xml" not in _zip_names(data)


def read_docx(data: bytes, path: str) -> ReadResult:
    names = _zip_names(data)
    # A zip cut short has no directory, so nothing tells a Word file from a workbook.
    check_archive(data, path, "Word (.docx)" if names else "Office (.docx/.xlsx)")
    if "word/document.xml" not in names:
        raise UnsupportedFormat(
            f"文件不是有效的 Word (.docx) 文档 ({path}): it is a zip archive without word/document.xml. "
            "请提供 .docx、.pdf、.xlsx 或文本格式的报告 / give the report as .docx, .pdf, .xlsx or text.")
    import docx
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
        return _WordReader(document).read(), "utf-8"
    except (ValueError, KeyError, etree.LxmlError, zipfile.BadZipFile, AttributeError, TypeError) as error:
        raise _damaged("Word (.docx)", path, error) from error


class _WordReader:
    def __init__(self, document) -> None:
        self.document = document
        self.numbering = WordNumbering.of(document)
        # By style name: a Chinese Word names its styles' ids by number ("10" for "toc 1").
        self.toc_styles = {style.style_id for style in document.styles
                           if (style.name or "").lower().startswith("toc") or style.style_id.lower().startswith("toc")}
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0

    def read(self) -> list[Block]:
        self._content(self.document.element.body)
        return self.blocks

    def _content(self, element) -> None:
        for child in element.iterchildren():
            if child.tag == f"{W}p":
                self.paragraphs += 1
                text = self._paragraph(child)
                if text is not None:
                    self.blocks.append(Block(text, f"第{self.paragraphs}段"))
            elif child.tag == f"{W}tbl":
                self._table(child)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):  # content controls hold body text
                self._content(child)

    def _paragraph(self, p) -> str | None:
        from docx.text.paragraph import Paragraph

        paragraph = Paragraph(p, self.document.part)
        if _style_id(p) in self.toc_styles:
            return None  # a generated table of contents repeats the headings with page numbers
        # Tabs inside a paragraph are layout; a tab in a line marks a table row for the rest of auditlib.
        text = paragraph.text.replace("\t", " ")
        marker = self.numbering.marker(p, self.document)
        return f"{marker}{text}" if marker else text

    def _table(self, tbl) -> None:
        self.tables += 1
        number = self.tables
        grid: list[list[str]] = []
        nested = []
        # A row is as wide as the table's grid: a gridSpan or gridBefore of 10⁸ is clamped to it.
        tbl_grid = tbl.find(f"{W}tblGrid")
        width = max(len(tbl_grid.findall(f"{W}gridCol")) if tbl_grid is not None else 0, MAX_WORD_COLUMNS)
        for tr in tbl.iterchildren(f"{W}tr"):
            cells: list[str] = [""] * min(_word_int(tr.trPr, "gridBefore"), width)
            for tc in tr.iterchildren(f"{W}tc"):
                column = len(cells)
                if tc.vMerge == "continue":
                    text = repeated(grid[-1][column]) if grid and column < len(grid[-1]) else ""
                else:
                    parts = []
                    for child in tc.iterchildren():
                        if child.tag == f"{W}p":
                            parts.append(self._paragraph(child) or "")
                        elif child.tag == f"{W}tbl":
                            nested.append(child)
                    text = " ".join(part.strip() for part in parts if part.strip())
                cells.append(text)
                cells.extend([""] * min(_word_int(tc.tcPr, "gridSpan") - 1, width - len(cells)))
            grid.append(cells)
        for index, cells in enumerate(grid, start=1):
            self.blocks.append(Block(row_text(cells), f"表{number}第{index}行"))
        for child in nested:
            self._table(child)


def _word_int(properties, name: str) -> int:
    """A count in a row's or cell's properties (gridBefore, gridSpan), 1 or 0 when absent or not a number;
    read here rather than by python-docx, which fails on a value that is not an integer."""
    element = properties.find(f"{W}{name}") if properties is not None else None
    value = (element.get(f"{W}val") or "")[:9] if element is not None else ""
    default = 1 if name == "gridSpan" else 0
    return max(int(value), default) if value.isascii() and value.isdigit() else default


def _style_id(p) -> str:
    pPr = p.find(f"{W}pPr")
    style = pPr.find(f"{W}pStyle") if pPr is not None else None
    return style.get(f"{W}val", "") if style is not None else ""


# --- Excel -------------------------------------------------------------------------------------------------


def looks_xlsx(data: bytes) -> bool:
    return "xl/workbook.xml" in _zip_names(data)


def read_xlsx(data: bytes, path: str) -> ReadResult:
    check_archive(data, path, "Excel (.xlsx)")
    import openpyxl
    from lxml import etree
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            workbook = openpyxl.load_workbook(io.BytesIO(_bounded_workbook(data)), data_only=True)
    except (InvalidFileException, ValueError, KeyError, TypeError, zipfile.BadZipFile, OSError,
            etree.LxmlError) as error:
        raise _damaged("Excel (.xlsx)", path, error) from error
    blocks: list[Block] = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        rows, columns = sheet.max_row, sheet.max_column
        _check_cells(rows, columns, sheet.title, path)
        spans = _bounded_spans(((r.min_row, r.max_row + 1, r.min_col, r.max_col + 1) for r in sheet.merged_cells.ranges),
                               rows + 1, columns + 1)
        covered = _covered(spans)
        grid = [[(_cell_value(cell.value, cell.number_format), *spans.get((cell.row, cell.column), (1, 1)))
                 for cell in row if (cell.row, cell.column) not in covered]
                for row in sheet.iter_rows(min_row=1, max_row=rows, max_col=columns)]
        _sheet_blocks(blocks, sheet.title, _shown(resolve_spans(grid), *_xlsx_hidden(sheet, columns)))
    return blocks, "utf-8"


def _shown(grid: list[list[str]], hidden_columns: set[int], hidden_rows: set[int]) -> list[list[str]]:
    """The grid as the sheet shows and prints it: hidden columns (a form's helper columns) left out, hidden rows
    left empty (so that every row keeps its number). Columns and rows are numbered from 1."""
    if not hidden_columns and not hidden_rows:
        return grid
    return [[] if number in hidden_rows else [cell for column, cell in enumerate(row, start=1)
                                              if column not in hidden_columns]
            for number, row in enumerate(grid, start=1)]


def _xlsx_hidden(sheet, columns: int) -> tuple[set[int], set[int]]:
    hidden_columns = {column for dimension in sheet.column_dimensions.values()
                      if dimension.hidden and dimension.min and dimension.max
                      for column in range(dimension.min, min(dimension.max, columns) + 1)}
    return hidden_columns, {number for number, dimension in sheet.row_dimensions.items() if dimension.hidden}


def _bounded_spans(ranges, rows: int, columns: int) -> dict[tuple[int, int], tuple[int, int]]:
    """Merged ranges (first row, row past the last, first column, column past the last) as top-left cell ->
    (columns, rows) it spans, each cut to the sheet's used range; ranges past a budget of one sheet's
    cells in all (real merges never overlap) are left out, so covering them costs at most the sheet."""
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    budget = rows * columns
    for first_row, end_row, first_column, end_column in ranges:
        width, height = min(end_column, columns) - first_column, min(end_row, rows) - first_row
        if width < 1 or height < 1 or width * height > budget:
            continue
        budget -= width * height
        spans[(first_row, first_column)] = (width, height)
    return spans


def _bounded_workbook(data: bytes) -> bytes:
    """The workbook with every worksheet's merged ranges cut to the cells it holds and its hyperlinks left out,
    so that openpyxl, which makes a cell object for each cell a merge or a link covers, never makes more cells
    than the sheet holds (a merge over A1:XFD1048576 is 1.7·10¹⁰). A workbook that needs no cut is returned
    as it is; a worksheet is parsed whole only when it has merges or links."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        cut = {}
        for member in members:
            name = member.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                part = archive.read(member)
                if b"mergeCell" in part or b"hyperlink" in part:
                    bounded = _bounded_sheet_xml(part)
                    if bounded is not None:
                        cut[name] = bounded
        if not cut:
            return data
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
            for member in members:
                copy.writestr(member, cut[member.filename] if member.filename in cut else archive.read(member))
        return buffer.getvalue()


_CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})")


def _cell_position(ref: str) -> tuple[int, int] | None:
    """(row, column) of a cell reference such as B12, 1-based; None when it is not one."""
    match = _CELL_REF.fullmatch(ref.strip().upper())
    if not match:
        return None
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


def _bounded_sheet_xml(part: bytes) -> bytes | None:
    from lxml import etree

    root = etree.fromstring(part, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    namespace = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    rows = columns = 0
    for row in root.iter(f"{namespace}row"):
        row_number = rows + 1
        position = row.get("r", "")
        if position.isascii() and position.isdigit() and len(position) <= 7:
            row_number = int(position)
        column = 0
        for cell in row.iter(f"{namespace}c"):
            at = _cell_position(cell.get("r", ""))
            column = at[1] if at else column + 1
            row_number = at[0] if at else row_number
            columns = max(columns, column)
        rows = max(rows, row_number)
    changed = False
    for links in list(root.iter(f"{namespace}hyperlinks")):  # a link's target is no part of the report's text
        links.getparent().remove(links)
        changed = True
    budget = rows * columns
    for merge in list(root.iter(f"{namespace}mergeCell")):
        corners = [_cell_position(ref) for ref in merge.get("ref", "").split(":", 1)]
        if len(corners) != 2 or None in corners:
            continue  # openpyxl reports what it cannot read
        (top, left), (bottom, right) = corners
        bottom, right = min(bottom, rows), min(right, columns)
        area = (bottom - top + 1) * (right - left + 1)
        if bottom < top or right < left or area > budget:
            merge.getparent().remove(merge)
            changed = True
            continue
        budget -= area
        bounded = f"{_column_letters(left)}{top}:{_column_letters(right)}{bottom}"
        if bounded != merge.get("ref"):
            merge.set("ref", bounded)
            changed = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if changed else None


def _column_letters(column: int) -> str:
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _covered(spans: dict[tuple[int, int], tuple[int, int]]) -> set[tuple[int, int]]:
    """The cells a merged range covers besides its top-left one."""
    return {(row, column) for (top, left), (width, height) in spans.items()
            for row in range(top, top + height) for column in range(left, left + width) if (row, column) != (top, left)}


def _check_cells(rows: int, columns: int, sheet: str, path: str) -> None:
    if rows * columns > MAX_SHEET_CELLS:
        raise ReportTooLarge(
            f"工作表「{sheet}」过大 ({path}): {rows} rows × {columns} columns, over {MAX_SHEET_CELLS:,} cells. "
            "请只保留自评表所在区域 / keep only the self-evaluation table and save again.")


def _sheet_blocks(blocks: list[Block], title: str, grid: list[list[str]]) -> None:
    blocks.append(Block(title, f"工作表「{title}」"))
    for index, cells in enumerate(grid, start=1):
        blocks.append(Block(row_text(cells), f"工作表「{title}」第{index}行"))


def _cell_value(value, number_format: str = "General") -> str:
    """A cell as Excel shows it: numbers with the decimals and percent sign of their format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        fmt = number_format or "General"
        decimals = len(fmt.split(".")[1].split("%")[0].split(";")[0].rstrip("_)\" ")) if "." in fmt else 0
        decimals = min(decimals, 10)
        if "%" in fmt:
            return f"{value * 100:.{decimals}f}%"
        if fmt == "General" or not any(ch in fmt for ch in "0#"):
            return f"{value:.10g}" if isinstance(value, float) else str(value)
        return f"{value:.{decimals}f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if hasattr(value, "hour") and not (value.hour or value.minute) else str(value)
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ").strip()


# --- Old Office and WPS (OLE2 compound files) ----------------------------------------------------------------


def looks_ole(data: bytes) -> bool:
    return data[:8] == OLE2_MAGIC


def read_ole(data: bytes, path: str) -> ReadResult:
    """An OLE2 file: an Excel 97 workbook is read by xlrd; a Word 97 or WPS document (.doc, .wps), a WPS
    sheet (.et) or a workbook xlrd cannot read is converted by LibreOffice and read as .docx/.xlsx."""
    streams = _ole_streams(data)
    if streams & {"Workbook", "Book"}:
        try:
            return read_xls(data, path)
        except (UnreadableReport, UnsupportedFormat):
            if find_soffice() is None:
                raise
        blocks, _ = read_xlsx(convert(data, path, "Excel/WPS (.xls/.et)", ".xls", "xlsx"), path)
        return blocks, "libreoffice", "xls"
    blocks, _ = read_docx(convert(data, path, "Word/WPS (.doc/.wps)", ".doc", "docx"), path)
    return blocks, "libreoffice", "doc"


def _ole_streams(data: bytes) -> set[str]:
    """The names in an OLE2 file's directory (WordDocument, Workbook, ...); empty when it cannot be read."""
    from xlrd import compdoc

    try:
        return {entry.name for entry in compdoc.CompDoc(data, logfile=io.StringIO()).dirlist}
    except Exception:  # a damaged directory: LibreOffice, or its message, decides
        return set()


def read_xls(data: bytes, path: str) -> ReadResult:
    import xlrd

    try:
        workbook = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.XLRDError as error:
        raise _damaged("Excel (.xls)", path, error) from error
    except (ValueError, IndexError, KeyError, AssertionError, struct.error) as error:
        raise _damaged("Excel (.xls)", path, error) from error
    blocks: list[Block] = []
    try:
        for sheet in workbook.sheets():
            if sheet.visibility:
                continue
            _check_cells(sheet.nrows, sheet.ncols, sheet.name, path)
            spans = _bounded_spans(sheet.merged_cells, sheet.nrows, sheet.ncols)
            covered = _covered(spans)
            grid = [[(_xls_value(workbook, sheet, r, c), *spans.get((r, c), (1, 1)))
                     for c in range(sheet.ncols) if (r, c) not in covered]
                    for r in range(sheet.nrows)]
            hidden_columns = {column + 1 for column, info in sheet.colinfo_map.items() if info.hidden}
            hidden_rows = {row + 1 for row, info in sheet.rowinfo_map.items() if info.hidden}
            _sheet_blocks(blocks, sheet.name, _shown(resolve_spans(grid), hidden_columns, hidden_rows))
    finally:
        workbook.release_resources()
    return blocks, "utf-8"


def _xls_value(workbook, sheet, row: int, column: int) -> str:
    import xlrd

    cell = sheet.cell(row, column)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        xf = workbook.xf_list[cell.xf_index] if cell.xf_index is not None else None
        fmt = workbook.format_map[xf.format_key].format_str if xf and xf.format_key in workbook.format_map else "General"
        return _cell_value(cell.value, fmt)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return _cell_value(bool(cell.value))
    return _cell_value(cell.value)

