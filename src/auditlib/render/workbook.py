"""findings.xlsx as auditors expect a workpaper, and findings.csv beside it: exporters of audit records.

Sheets: 审核发现 (one row per finding: workpaper reference unit-year-number, unit, severity, the rule's Chinese
name and its id beside it, message, evidence, the numbers compared as numbers with their unit, a link to the
finding's row in its memo, its fingerprint and review: status 待复核/已确认/已排除, reviewer, note, time), 单位
(one row per unit and year, 未变 when the batch reused its earlier audit) and 规则 (the catalogue). Chinese
headers, frozen header row, auto-filter, widths, wrapped text with row heights that show it, severity colours.
Text that a spreadsheet would read as a formula (=, +, -, @ …) is neutralised with a leading apostrophe.

`findings_sheets(out_dir)` is what a batch calls: rows are added record by record and both files replaced
atomically at the end; `write_findings_sheets(out_dir, records)` does it for any iterable of records.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import math
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from auditlib.iorw import open_atomic
from auditlib.record import SEVERITY_ZH, AuditRecord
from auditlib.render.html import KIND_ZH, rule_label, rule_of

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEVERITY_FILLS = {"high": ("B3261E", "FFFFFF"), "medium": ("F6C26B", "000000"), "low": ("CFE0F1", "000000"),
                  "info": ("E8EAED", "000000")}
FLAGGED_FILL = "FDECEA"
PERCENT_FORMAT = "0.00%"
AMOUNT_FORMAT = "#,##0.00"
# (header, width, wrap) per column
FINDING_SHEET = [("底稿编号", 18, False), ("单位", 26, True), ("年度", 7, False), ("级别", 6, False),
                 ("问题类型", 24, True), ("规则编号", 20, False), ("说明", 60, True), ("章节", 10, False),
                 ("行", 6, False), ("位置", 20, True), ("原文", 50, True), ("应为", 12, False), ("所述", 12, False),
                 ("容差", 10, False), ("数值单位", 9, False), ("容差单位", 9, False),
                 ("备忘录", 26, False), ("指纹", 19, False), ("复核状态", 9, False), ("复核人", 10, False),
                 ("复核说明", 30, True), ("复核时间", 20, False)]
UNIT_SHEET = [("单位", 26, True), ("单位编号", 12, False), ("年度", 7, False), ("类型", 22, True),
              ("审核意见", 14, False), ("风险分", 8, False), ("高", 5, False), ("中", 5, False), ("低", 5, False),
              ("提示", 5, False), ("执行率（%）", 10, False), ("报告用语", 12, False), ("自评得分（分）", 10, False),
              ("得分上限（分）", 10, False), ("等级", 6, False), ("预算数（万元）", 14, False), ("支出数（万元）", 14, False),
              ("来源文件", 24, True), ("SHA-256", 20, False), ("备忘录", 22, False), ("处理结果", 30, True),
              ("本次", 8, False),
              ("待复核", 7, False), ("已确认", 7, False), ("已排除", 7, False)]
RULE_SHEET = [("规则编号", 26, False), ("级别", 6, False), ("检查方式", 10, False), ("问题类型", 40, True)]


def _columns(sheet: list[tuple[str, int, bool]]) -> dict[str, int]:
    """A sheet's column numbers by header."""
    return {header: number for number, (header, _, _) in enumerate(sheet, start=1)}


FINDING_AT, UNIT_AT = _columns(FINDING_SHEET), _columns(UNIT_SHEET)


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, prefixed with an apostrophe; everything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _number_or_text(value: Any) -> Any:
    """A compared value for a cell: numbers stay numbers (so Excel can sum and filter them), the rest is text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def finding_units(finding) -> tuple[str, str]:
    """The units of a finding's compared numbers and of its tolerance (%, 万元, 分, 项, 字 or ''), as its rule
    gave them; for a finding of an older record, as the catalogue's rule of that id gives them."""
    unit, tolerance_unit = finding.unit, finding.tolerance_unit
    if not unit and (known := rule_of(finding.rule)) is not None:
        unit, tolerance_unit = known.unit, known.tolerance_unit
    return unit, unit if tolerance_unit is None else tolerance_unit


LINE_HEIGHT_POINTS = 15  # one line of 11-point text
MAX_ROW_POINTS = 409  # Excel's highest row


def _text_width(text: str) -> int:
    """Column-width units a text takes on one line: a Chinese character two, any other one."""
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def row_height(values: list[Any], columns: list[tuple[str, int, bool]]) -> float | None:
    """The height (points) that shows every wrapped cell of a row whole; None when one line does."""
    lines = 1
    for value, (_, width, wrap) in zip(values, columns):
        if wrap and isinstance(value, str) and value:
            lines = max(lines, sum(max(1, math.ceil(_text_width(part) / max(width - 1, 1)))
                                   for part in value.split("\n")))
    return None if lines == 1 else min(MAX_ROW_POINTS, lines * LINE_HEIGHT_POINTS)


def finding_rows(records: list[AuditRecord]) -> list[tuple[list[Any], AuditRecord, int]]:
    """One row of values per finding, with its record and index."""
    rows = []
    for record in records:
        for index, f in enumerate(record.findings):
            review = record.review_of(index)
            rows.append(([record.workpaper_ref(index), record.display_name, record.year, SEVERITY_ZH.get(f.severity, f.severity),
                          rule_label(f), f.rule, f.message, f.section or "", f.line,
                          f.location, f.evidence or "", _number_or_text(f.expected), _number_or_text(f.stated),
                          _number_or_text(f.tolerance), *finding_units(f), record.finding_link(index), f.fingerprint,
                          review.status,
                          review.reviewer, review.note, review.decided_at],
                         record, index))
    return rows


class FindingsCsv:
    """The findings sheet as CSV, written to a text stream record by record (open it with encoding
    utf-8-sig, so Excel reads the Chinese, and newline="")."""

    def __init__(self, stream: IO[str]) -> None:
        import csv

        self.writer = csv.writer(stream, lineterminator="\r\n")
        self.writer.writerow([header for header, _, _ in FINDING_SHEET])

    def add(self, record: AuditRecord) -> None:
        """The record's findings, one row each."""
        for values, _, _ in finding_rows([record]):
            self.writer.writerow(["" if v is None else neutralise(v) for v in values])


def write_findings_csv(stream: IO[str], records: Iterable[AuditRecord]) -> None:
    """The findings sheet as CSV into a text stream."""
    sheet = FindingsCsv(stream)
    for record in records:
        sheet.add(record)


def findings_csv(records: list[AuditRecord]) -> bytes:
    """The findings sheet as CSV, UTF-8 with BOM (so Excel reads the Chinese)."""
    buffer = io.StringIO()
    write_findings_csv(buffer, records)
    return buffer.getvalue().encode("utf-8-sig")


def _sheet(workbook, title: str, columns: list[tuple[str, int, bool]]):
    """A write-only sheet with its header row, column widths and frozen header."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    for index, (_, width, _) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for name, _, _ in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3F4F6")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    return sheet


def _cells(sheet, values: list[Any]) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell

    return [WriteOnlyCell(sheet, value=neutralise(value) if value is not None else None) for value in values]


@functools.cache
def _alignment(wrap: bool):
    from openpyxl.styles import Alignment

    return Alignment(vertical="top", wrap_text=wrap)  # one object per kind: openpyxl indexes styles by value


def _append(sheet, cells: list[Any], columns: list[tuple[str, int, bool]], row: int) -> None:
    """Append cells as row number `row` (1-based), tall enough to show its wrapped text."""
    for cell, (_, _, wrap) in zip(cells, columns):
        cell.alignment = _alignment(wrap)
    height = row_height([cell.value for cell in cells], columns)
    if height:
        sheet.row_dimensions[row].height = height
    sheet.append(cells)


def _finish(sheet, columns: list[tuple[str, int, bool]], rows: int) -> None:
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows}"


def _link(cell, target: str) -> None:
    if target:
        cell.hyperlink = target
        cell.style = "Hyperlink"


@functools.cache
def _severity_style(severity: str):
    from openpyxl.styles import Font, PatternFill

    fill, font = SEVERITY_FILLS.get(severity, ("FFFFFF", "000000"))
    return PatternFill("solid", fgColor=fill), Font(color=font, bold=severity == "high")


def _severity(cell, severity: str) -> None:
    cell.fill, cell.font = _severity_style(severity)


class FindingsWorkbook:
    """findings.xlsx (the findings, units and rules sheets), written record by record: rows go to openpyxl's
    write-only sheets (kept on disk until saved), so a large run is never held in memory."""

    NUMBERS_AT = {"expected": FINDING_AT["应为"], "stated": FINDING_AT["所述"], "tolerance": FINDING_AT["容差"]}

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)
        self.findings = _sheet(self.workbook, "审核发现", FINDING_SHEET)
        self.units = _sheet(self.workbook, "单位", UNIT_SHEET)
        self.finding_rows = self.unit_rows = 1

    def add(self, record: AuditRecord, reused: bool = False) -> None:
        """The record's findings and its unit row (reused: the batch kept its earlier audit, marked 未变)."""
        from openpyxl.styles import PatternFill

        for values, _, index in finding_rows([record]):
            finding = record.findings[index]
            cells = _cells(self.findings, values)
            _severity(cells[FINDING_AT["级别"] - 1], finding.severity)
            unit, tolerance_unit = finding_units(finding)
            for name, column in self.NUMBERS_AT.items():
                cell = cells[column - 1]
                if isinstance(cell.value, (int, float)):
                    shown = tolerance_unit if name == "tolerance" else unit
                    cell.number_format = PERCENT_FORMAT if shown == "%" else "General"
            _link(cells[FINDING_AT["备忘录"] - 1], record.finding_link(index))
            self.finding_rows += 1
            _append(self.findings, cells, FINDING_SHEET, self.finding_rows)

        counts = record.counts
        status = "已审核" if record.ok else f"处理失败（{record.error_type}）：{(record.error or '').splitlines()[0] if record.error else ''}"
        cells = _cells(self.units, [record.display_name if record.ok else record.unit, record.unit, record.year,
                                    KIND_ZH.get(record.kind) if record.ok else "", record.recommendation,
                                    record.risk.total if record.risk else None,
                                    *[counts.get(s) if record.ok else None for s in ("high", "medium", "low", "info")],
                                    record.execution_rate,
                                    record.rate_label if record.execution_rate is not None else "",
                                    record.self_score, record.score_cap, record.grade, record.budget_wan,
                                    record.spent_wan, record.source_name, record.sha256, record.memo, status,
                                    "未变" if reused else "重新审核",
                                    *(record.review_counts.values() if record.ok else (None, None, None))])
        cells[UNIT_AT["执行率（%）"] - 1].number_format = PERCENT_FORMAT
        for header in ("预算数（万元）", "支出数（万元）"):
            cells[UNIT_AT[header] - 1].number_format = AMOUNT_FORMAT
        for header, key in (("执行率（%）", "rate"), ("自评得分（分）", "score")):
            figure = record.figure(key)
            if figure and figure.flagged:
                cells[UNIT_AT[header] - 1].fill = PatternFill("solid", fgColor=FLAGGED_FILL)
        _link(cells[UNIT_AT["备忘录"] - 1], record.memo)
        self.unit_rows += 1
        _append(self.units, cells, UNIT_SHEET, self.unit_rows)

    def save(self, target: str | Path | IO[bytes]) -> None:
        """Add the rules sheet and write the workbook to a file or binary stream."""
        from auditlib.check import catalogue_rows

        _finish(self.findings, FINDING_SHEET, self.finding_rows)
        _finish(self.units, UNIT_SHEET, self.unit_rows)
        rules = _sheet(self.workbook, "规则", RULE_SHEET)
        rows = catalogue_rows()
        for rule in rows:
            cells = _cells(rules, [rule["id"], SEVERITY_ZH.get(rule["severity"]),
                                   {"table": "表格核对", "text": "文字检查"}[rule["kind"]], rule["zh"]])
            _severity(cells[_columns(RULE_SHEET)["级别"] - 1], rule["severity"])
            _append(rules, cells, RULE_SHEET, rows.index(rule) + 2)
        _finish(rules, RULE_SHEET, len(rows) + 1)
        self.workbook.save(target)


def write_workbook(target: str | Path | IO[bytes], records: Iterable[AuditRecord]) -> None:
    """findings.xlsx into a file or binary stream, record by record."""
    workbook = FindingsWorkbook()
    for record in records:
        workbook.add(record)
    workbook.save(target)


def workbook_bytes(records: list[AuditRecord]) -> bytes:
    """findings.xlsx: the findings, units and rules sheets."""
    buffer = io.BytesIO()
    write_workbook(buffer, records)
    return buffer.getvalue()


@contextlib.contextmanager
def findings_sheets(out_dir: Path, reused: Collection[tuple[str, int | None]] = ()
                    ) -> Iterator[Callable[[AuditRecord], None]]:
    """A function that adds a record's rows to findings.csv and findings.xlsx as they are written, each file
    replaced atomically when the block ends (and neither when it fails). reused: the (unit, year) whose earlier
    audit the batch kept (their unit rows say 未变)."""
    with open_atomic(out_dir / "findings.csv", "w", encoding="utf-8-sig", newline="") as csv_stream, \
            open_atomic(out_dir / "findings.xlsx", "wb") as xlsx_stream:
        sheet, workbook = FindingsCsv(csv_stream), FindingsWorkbook()

        def add(record: AuditRecord) -> None:
            sheet.add(record)
            workbook.add(record, (record.unit, record.year) in reused)

        yield add
        workbook.save(xlsx_stream)


def write_findings_sheets(out_dir: Path, records: Iterable[AuditRecord],
                          reused: Collection[tuple[str, int | None]] = ()) -> tuple[Path, Path]:
    """findings.csv and findings.xlsx in out_dir from any iterable of records."""
    with findings_sheets(out_dir, reused) as add:
        for record in records:
            add(record)
    return out_dir / "findings.csv", out_dir / "findings.xlsx"
