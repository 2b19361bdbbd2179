"""Random but valid self-evaluation tables (自评表), with planted errors, rendered through every layout and format.

A generated form knows its rows (what reading it back must give) and the findings its planted errors must
raise (and no other medium or high one). Used by tests/test_form.py and benchmarks/bench_form.py.

Variants (auditlib.extract.form.VARIANTS): national project form, department form (得分系数 × 指标权重 = 指标得分),
a provincial form with a 原因 column and no unit column, a city form (预算执行20分, 单项指标得分 × 权重占比 = 折算得分).
Layouts: how a table reaches the text (`|` rows, tabs, runs of spaces, one cell per line; merged cells written
empty, repeated or dropped; a two-row header; columns in another order; no 指标性质 column; the execution rate
written bare, in percent points). Formats: text,
docx and xlsx with merged cells, PDF with ruled tables (fpdf2), HTML with rowspan/colspan.
"""

from __future__ import annotations

import html
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from auditlib.extract.form import VARIANTS, Variant

VARIANT_BY_ID = {variant.id: variant for variant in VARIANTS}
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

# Indicator templates: level1, level2, name, direction, unit, target range, percent? (a rate such as 合格率)
TEMPLATES = (
    ("产出指标", "数量指标", "培训人次", "≥", "人次", (200, 900), False),
    ("产出指标", "数量指标", "走访企业数", "≥", "家", (20, 80), False),
    ("产出指标", "质量指标", "验收合格率", "≥", "%", (90, 98), True),
    ("产出指标", "时效指标", "完成时限", "≤", "个月", (6, 12), False),
    ("产出指标", "成本指标", "人均培训成本", "≤", "万元", (2, 9), False),
    ("效益指标", "社会效益指标", "服务会员企业", "≥", "家", (5, 40), False),
    ("效益指标", "经济效益指标", "带动就业人数", "≥", "人", (50, 300), False),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", "%", (85, 95), True),
)
PLANTS = ("over_weight", "missed_full", "met_low", "execution_off", "weights_sum", "scores_sum", "coefficient")
REASON = "受外部因素影响未完成，下年度加强调度"


def _round(value: float, decimals: int = 2) -> float:
    return float(f"{value + 1e-9:.{decimals}f}")


def _g(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


@dataclass
class GenRow:
    level1: str
    level2: str
    name: str
    direction: str  # ≥ ≤
    unit: str
    planned: float
    achieved: float
    weight: float
    score: float
    reason: str = ""
    wording: str = "column"  # column (指标性质 cell) | comparator (in the target) | none (default)

    def target_text(self, with_nature_column: bool, unit_column: bool = True) -> str:
        number = _g(self.planned) + ("%" if self.unit == "%" else "" if unit_column else self.unit)
        if with_nature_column and self.wording == "column":
            return number
        if self.wording == "none":
            return number
        return ("≥" if self.direction == "≥" else "≤") + number

    def achieved_text(self, unit_column: bool = True) -> str:
        return _g(self.achieved) + ("%" if self.unit == "%" else "" if unit_column else self.unit)


@dataclass
class GenForm:
    variant: Variant
    rows: list[GenRow]
    budget: float
    adjusted: float
    spent: float
    execution_weight: float
    execution_score: float
    total_weight: float | None
    total_score: float
    plants: dict[str, str] = field(default_factory=dict)  # plant -> row name (or '预算执行率' / '总分')

    @property
    def rate(self) -> float:
        return self.spent / self.adjusted

    def expected_findings(self, nature_column: bool) -> set[tuple[str, str]]:
        """(rule, name) of every medium or high finding the planted errors must raise."""
        found: set[tuple[str, str]] = set()
        total_name = self.variant.total_label
        coefficient = self.variant.scoring != "weight_score"
        for plant, name in self.plants.items():
            row = next((r for r in self.rows if r.name == name), None)
            if plant == "over_weight":
                found.add(("score.above_weight", name))
                if coefficient:
                    found.add(("score.coefficient_mismatch", name))
            elif plant == "missed_full":
                # Without its 指标性质 column a row's direction moves into its target (≥93%): stated either way.
                certain = row.wording != "none"
                found.add(("score.full_but_missed" if certain else "score.item_unclear", name))
            elif plant == "met_low":
                found.add(("score.met_below_weight", name))
            elif plant == "execution_off":
                found.add(("score.execution_points", "预算执行率"))
            elif plant == "weights_sum":
                found.add(("weights.not_100", "") if self.total_weight is None else ("score.sum_mismatch", total_name))
            elif plant == "scores_sum":
                found.add(("score.sum_mismatch", total_name))
            elif plant == "coefficient":
                found.add(("score.coefficient_mismatch", name))
        return found


def generate(seed: int, variant_id: str, plants: tuple[str, ...] | None = None) -> GenForm:
    """A random valid form of the variant, with the given errors planted (random ones when None)."""
    rng = random.Random(seed)
    variant = VARIANT_BY_ID[variant_id]
    count = rng.randint(4, 7)
    templates = [TEMPLATES[0], TEMPLATES[7]] + rng.sample(TEMPLATES[1:7], count - 2)
    order = {t: i for i, t in enumerate(TEMPLATES)}
    templates.sort(key=lambda t: order[t])
    points = 100 - variant.execution_points
    weights = [5.0] * count
    for _ in range(int(points) - 5 * count):
        weights[rng.randrange(count)] += 1
    rows: list[GenRow] = []
    for (level1, level2, name, sign, unit, (low, high), percent), weight in zip(templates, weights):
        planned = float(rng.randint(low, high))
        if sign == "≥":
            achieved = planned + (rng.randint(0, 3) if percent else rng.randint(0, max(1, int(planned * 0.1))))
            achieved = min(achieved, 100.0) if percent else achieved
        else:
            achieved = planned - (rng.randint(0, 2) if unit == "个月" else rng.randint(0, 1))
        wording = rng.choice(("column", "comparator", "none"))
        rows.append(GenRow(level1, level2, name, sign, unit, planned, achieved, weight, weight, "", wording))
    # One target missed with a reason, scored by the formula (loses at least 3 points).
    missed = next(r for r in rows if r.direction == "≥" and r.weight >= 10) if any(
        r.direction == "≥" and r.weight >= 10 for r in rows) else rows[0]
    if missed.weight < 10:
        shift = 10 - missed.weight
        donor = max((r for r in rows if r is not missed), key=lambda r: r.weight)
        donor.weight -= shift
        donor.score -= shift
        missed.weight = missed.score = 10.0
    missed.achieved = float(int(missed.planned * rng.uniform(0.55, 0.7)))
    missed.score = _round(missed.achieved / missed.planned * missed.weight)
    missed.reason = REASON
    budget = float(rng.randint(20, 400))
    adjusted = budget - rng.randint(0, min(5, int(budget // 10)))  # a cut of 20% and more is a finding of its own
    spent = _round(adjusted * rng.uniform(0.93, 0.995))
    execution_weight = float(variant.execution_points)
    form = GenForm(variant, rows, budget, adjusted, spent, execution_weight,
                   _round(min(1.0, spent / adjusted) * execution_weight), 100.0, 0.0)
    if variant.scoring == "coefficient":
        form.total_weight = None
    if plants is None:
        applicable = [p for p in PLANTS if p != "coefficient" or variant.scoring != "weight_score"]
        plants = tuple(rng.sample(applicable, rng.randint(0, 3)))
    _plant(form, plants, rng, missed)
    form.total_score = _round(form.execution_score + sum(r.score for r in rows))
    if "scores_sum" in form.plants:
        form.total_score = _round(form.total_score - 3)
    return form


def _plant(form: GenForm, plants: tuple[str, ...], rng: random.Random, missed: GenRow) -> None:
    free = [r for r in form.rows if r is not missed and r.weight >= 7]
    rng.shuffle(free)
    for plant in plants:
        if plant == "execution_off":  # spent 91–93% and scored in full: beyond any rounding of the score
            form.spent = _round(form.adjusted * rng.uniform(0.91, 0.93))
            form.execution_score = form.execution_weight
            form.plants[plant] = "预算执行率"
        elif plant == "scores_sum":
            form.plants[plant] = form.variant.total_label
        elif plant == "coefficient":
            missed.score = _round(missed.score - 1)
            form.plants[plant] = missed.name
        elif free:
            row = free.pop()
            if plant == "over_weight":
                row.score = row.weight + 2
            elif plant == "missed_full":
                if row.wording == "none":
                    # An assumed direction is a question only beyond the rounding of a whole-point score: miss by
                    # a fifth or more (a stated direction is certain however close the miss).
                    row.achieved = float(int(row.planned * 0.8)) if row.direction == "≥" else float(int(row.planned * 1.5) + 1)
                elif row.direction == "≥":
                    row.achieved = row.planned - (1 if row.unit == "%" else max(1, int(row.planned * 0.1)))
                else:
                    row.achieved = row.planned + (1 if row.unit == "个月" else 1)
            elif plant == "met_low":
                row.score = row.weight - 1
            elif plant == "weights_sum":
                row.weight -= 5
                row.score -= 5
            form.plants[plant] = row.name


# --- the form as a grid of cells ---------------------------------------------------------------------------

@dataclass
class Layout:
    """How a form reaches a text: separator, merged cells, header rows, column order, a 指标性质 column."""

    id: str
    # pipe | tab | spaces | cells (one cell per line) | none (cells run together) | box (box-drawn, cells wrapped)
    separator: str = "pipe"
    merged: str = "empty"  # empty | repeat | drop (leading empty cells not written)
    two_row_header: bool = False
    reorder: bool = False
    nature_column: bool = True
    broken_header: bool = False  # header cells broken over two lines (年初 / 预算数), as narrow columns wrap
    bare_rate: bool = False  # the execution rate written without its sign, in percent points (97.28)


LAYOUTS = (
    Layout("pipe_empty"),
    Layout("pipe_repeat", merged="repeat"),
    Layout("pipe_dropped", merged="drop"),
    Layout("tab_empty", separator="tab"),
    Layout("spaces", separator="spaces", merged="drop"),
    Layout("cell_per_line", separator="cells", merged="drop"),
    Layout("two_row_header", merged="drop", two_row_header=True),
    Layout("reordered", separator="tab", merged="repeat", reorder=True),
    Layout("no_nature", nature_column=False),
    Layout("run_together", separator="none", merged="drop"),
    Layout("cell_per_line_broken", separator="cells", merged="drop", broken_header=True),
    Layout("spaces_bare_rate", separator="spaces", merged="drop", bare_rate=True),
    Layout("box", separator="box"),
)
LAYOUT_BY_ID = {layout.id: layout for layout in LAYOUTS}
FORMATS = ("text", "docx", "xlsx", "pdf", "pdf_unruled", "html", "csv", "mht", "spreadsheetml", "rtf", "odt", "ods")
# The file name a format is read under, where not its own: as sites publish them, an RTF or an Excel 2003 XML
# under an old Office name.
EXTENSIONS = {"text": "txt", "pdf_unruled": "pdf", "spreadsheetml": "xls", "rtf": "doc"}
# Formats LibreOffice writes here and reads back in auditlib (tests that use them need it installed).
LIBREOFFICE_FORMATS = ("spreadsheetml", "rtf", "odt", "ods")

Cell = tuple[str, int, int]  # text, colspan, rowspan (a covered position is None)


def _indicator_columns(form: GenForm, layout: Layout) -> list[str]:
    columns = list(form.variant.indicator_columns)
    if not layout.nature_column:
        columns = [c for c in columns if c != "指标性质"]
    if layout.reorder:
        # 得分 before 分值, the unit after the result, the reason first among the figures' neighbours.
        weight = next(c for c in columns if c in ("分值", "权重", "指标权重", "权重占比"))
        score = next(c for c in columns if c in ("得分", "指标得分", "折算得分"))
        i, j = columns.index(weight), columns.index(score)
        columns[i], columns[j] = columns[j], columns[i]
        for unit in ("度量单位", "计量单位"):
            if unit in columns:
                columns.remove(unit)
                achieved = next(c for c in columns if "完成值" in c)
                columns.insert(columns.index(achieved) + 1, unit)
    return columns


def _row_values(form: GenForm, row: GenRow, layout: Layout) -> dict[str, str]:
    nature_column = layout.nature_column and "指标性质" in form.variant.indicator_columns
    units = any(c in form.variant.indicator_columns for c in ("度量单位", "计量单位"))
    target, achieved = row.target_text(nature_column, units), row.achieved_text(units)
    values = {
        "一级指标": row.level1, "二级指标": row.level2, "三级指标": row.name, "指标名称": row.name,
        "指标性质": row.direction if row.wording == "column" else "",
        "年度指标值": target, "年初指标值": target, "指标值": target, "调整指标值": "",
        "度量单位": "" if row.unit == "%" else row.unit, "计量单位": "" if row.unit == "%" else row.unit,
        "实际完成值": achieved, "全年完成值": achieved, "完成值": achieved,
        "分值": _g(row.weight), "权重": _g(row.weight), "指标权重": _g(row.weight), "权重占比": _g(row.weight),
        "得分": _g(row.score), "指标得分": _g(row.score), "折算得分": _g(row.score),
        "偏差原因分析及改进措施": row.reason, "未完成原因": row.reason, "说明": row.reason,
        "得分系数": f"{_true_coefficient(form, row):.2f}", "是否核心指标": "是" if row.weight >= 10 else "否",
        "单项指标得分": _g(_round(_true_coefficient(form, row) * 100)),
    }
    return values


def _true_coefficient(form: GenForm, row: GenRow) -> float:
    """The coefficient as the unit computed it: the rule's share, whatever score was (mis)written."""
    if form.plants.get("coefficient") == row.name:
        return _round(row.achieved / row.planned, 2)
    if form.plants.get("over_weight") == row.name:
        return 1.0
    return _round(row.score / row.weight, 4) if row.weight else 0.0


def indicator_grid(form: GenForm, layout: Layout) -> list[list[Cell | None]]:
    """The indicator part as a grid with its merges: header (one or two rows), rows, the total row."""
    columns = _indicator_columns(form, layout)
    width = len(columns)
    grid: list[list[Cell | None]] = []
    tree = [c for c in columns if c in ("一级指标", "二级指标", "三级指标")]
    if layout.two_row_header and len(tree) == 3:
        first: list[Cell | None] = []
        for column in columns:
            if column == "一级指标":
                first.append(("绩效指标", 3, 1))
            elif column in ("二级指标", "三级指标"):
                first.append(None)
            else:
                first.append((column, 1, 2))
        second: list[Cell | None] = [(c, 1, 1) if c in tree else None for c in columns]
        grid += [first, second]
    else:
        grid.append([(c, 1, 1) for c in columns])
    body_start = len(grid)
    for row in form.rows:
        values = _row_values(form, row, layout)
        grid.append([(values.get(c, ""), 1, 1) for c in columns])
    # Merge the tree columns down their groups.
    for column_name in ("一级指标", "二级指标"):
        if column_name not in columns:
            continue
        c = columns.index(column_name)
        r = body_start
        while r < len(grid):
            text = grid[r][c][0]
            end = r + 1
            while end < len(grid) and grid[end][c][0] == text and (
                    c == 0 or columns[c - 1] not in ("一级指标",) or grid[end][c - 1] is None):
                end += 1
            if end - r > 1:
                grid[r][c] = (text, 1, end - r)
                for k in range(r + 1, end):
                    grid[k][c] = None
            r = end
    # The total row: its label across the columns before the weight.
    weight_name = next(c for c in columns if c in ("分值", "权重", "指标权重", "权重占比"))
    score_name = next(c for c in columns if c in ("得分", "指标得分", "折算得分"))
    total: list[Cell | None] = [None] * width
    first_figure = min(columns.index(weight_name), columns.index(score_name))
    total[0] = (form.variant.total_label, first_figure, 1)
    for k in range(first_figure, width):
        total[k] = ("", 1, 1)
    if form.total_weight is not None:
        total[columns.index(weight_name)] = (_g(form.total_weight), 1, 1)
    total[columns.index(score_name)] = (_g(form.total_score), 1, 1)
    grid.append(total)
    return grid


def funds_grid(form: GenForm, bare_rate: bool = False) -> list[list[Cell | None]]:
    """The funds block: its header, the total row with the execution points, one sub-row."""
    columns = form.variant.funds_columns
    rate = f"{form.rate * 100:.2f}" + ("" if bare_rate else "%")
    values = {"年初预算数": _g(form.budget), "年初预算": _g(form.budget), "预算数": _g(form.adjusted),
              "全年预算数": _g(form.adjusted), "调整预算数": _g(form.adjusted), "调整后预算数": _g(form.adjusted),
              "全年执行数": _g(form.spent), "执行数": _g(form.spent), "预算执行数": _g(form.spent),
              "分值": _g(form.execution_weight), "权重": _g(form.execution_weight),
              "执行率权重": _g(form.execution_weight), "执行率": rate, "预算执行率": rate,
              "得分": _g(form.execution_score), "执行率得分": _g(form.execution_score), "原因": ""}
    header = [(c, 1, 1) for c in columns]
    total = [("年度资金总额", 1, 1)] + [(values.get(c, ""), 1, 1) for c in columns[1:]]
    money = {"年初预算数", "年初预算", "预算数", "全年预算数", "调整预算数", "调整后预算数", "全年执行数", "执行数", "预算执行数"}
    sub = [("其中：当年财政拨款", 1, 1)] + [(values[c] if c in money else "", 1, 1) for c in columns[1:]]
    return [header, total, sub]


# --- rendering ---------------------------------------------------------------------------------------------

TITLE = "项目支出绩效自评表"
CLOSING = "填报人：张三    联系电话：12345678"


def _text_rows(grid: list[list[Cell | None]], layout: Layout) -> list[list[str]]:
    """The grid as the text's rows of cells: merged cells empty, repeated, or dropped."""
    rows: list[list[str]] = []
    above: dict[int, str] = {}
    for grid_row in grid:
        cells: list[str] = []
        for c, cell in enumerate(grid_row):
            if cell is None:
                cells.append(above.get(c, "") if layout.merged == "repeat" else "")
                continue
            text, colspan, rowspan = cell
            cells.append(text)
            above[c] = text if rowspan > 1 else ""
            if rowspan == 1:
                above.pop(c, None)
        if layout.merged == "drop" or layout.separator in ("spaces", "cells", "none"):
            while cells and not cells[0]:
                cells.pop(0)
            while cells and not cells[-1]:
                cells.pop()
            if layout.separator in ("spaces", "cells", "none"):
                cells = [c for c in cells if c]
        rows.append(cells)
    return rows


def _broken(cell: str) -> list[str]:
    """A header cell as a narrow column wraps it: its first two characters, then the rest (年初 / 预算数), where
    the first two name no column of their own."""
    from auditlib.extract.form import column_role

    if len(cell) >= 5 and column_role(cell) and column_role(cell[:2]) is None:
        return [cell[:2], cell[2:]]
    return [cell]


def _join(cells: list[str], layout: Layout) -> str:
    if layout.separator == "pipe":
        return "| " + " | ".join(cells) + " |"
    if layout.separator == "tab":
        return "\t".join(cells)
    if layout.separator == "spaces":
        return "    ".join(cells)
    if layout.separator == "none":
        return "".join(cells)
    return "\n".join("\t" + cell for cell in cells) + "\n"


BOX_WIDTH = 8  # characters a box-drawn column holds on one line; a longer cell wraps onto the lines below


def _box(rows: list[list[str]]) -> list[str]:
    """Rows drawn in box characters, a rule under each, a cell longer than its column wrapped in it."""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    rule = "├" + "┼".join("─" * BOX_WIDTH for _ in range(width)) + "┤"
    lines = ["┌" + "┬".join("─" * BOX_WIDTH for _ in range(width)) + "┐"]
    for number, row in enumerate(rows):
        pieces = [[cell[i:i + BOX_WIDTH] for i in range(0, len(cell), BOX_WIDTH)] or [""] for cell in row]
        for line in range(max(len(cell) for cell in pieces)):
            lines.append("│" + "│".join((cell[line] if line < len(cell) else "").ljust(BOX_WIDTH)
                                        for cell in pieces) + "│")
        lines.append(rule if number < len(rows) - 1 else "└" + "┴".join("─" * BOX_WIDTH for _ in range(width)) + "┘")
    return lines


def to_text(form: GenForm, layout: Layout, cut_after: int | None = None) -> str:
    """The form as flattened text in the layout; cut_after keeps only that many indicator rows (a cut excerpt)."""
    lines = [TITLE, ""]
    for grid in (funds_grid(form, layout.bare_rate), indicator_grid(form, layout)):
        rows = _text_rows(grid, layout)
        if layout.broken_header:
            rows[0] = [part for cell in rows[0] for part in _broken(cell)]
        if cut_after is not None and grid is not None and "指标" in "".join(rows[0]):
            header_rows = 2 if layout.two_row_header and "绩效指标" in rows[0] else 1
            rows = rows[: header_rows + cut_after]
        lines += _box(rows) if layout.separator == "box" else [_join(cells, layout) for cells in rows]
        lines.append("")
    if cut_after is None:
        lines.append(CLOSING)
    return "\n".join(lines)


def _tables(form: GenForm, layout: Layout) -> list[list[list[Cell | None]]]:
    return [funds_grid(form, layout.bare_rate), indicator_grid(form, layout)]


def to_docx(form: GenForm, layout: Layout) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    for grid in _tables(form, layout):
        width = len(grid[0])
        table = document.add_table(rows=len(grid), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(grid):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                text, colspan, rowspan = cell
                target = table.cell(r, c)
                if colspan > 1 or rowspan > 1:
                    target = target.merge(table.cell(r + rowspan - 1, c + colspan - 1))
                target.text = text
        document.add_paragraph("")
    document.add_paragraph(CLOSING)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_xlsx(form: GenForm, layout: Layout) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "自评表"
    sheet.cell(1, 1, TITLE)
    top = 3
    for grid in _tables(form, layout):
        for r, row in enumerate(grid):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                text, colspan, rowspan = cell
                if text:
                    sheet.cell(top + r, c + 1, text)
                if colspan > 1 or rowspan > 1:
                    sheet.merge_cells(start_row=top + r, start_column=c + 1, end_row=top + r + rowspan - 1,
                                      end_column=c + colspan)
        top += len(grid) + 1
    sheet.cell(top, 1, CLOSING)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(form: GenForm, layout: Layout) -> bytes:
    """The sheet as Excel saves it as CSV on a Chinese system: GBK, every row padded to the used range, a merged
    cell's text in its first cell only."""
    import csv

    grids = _tables(form, layout)
    width = max(len(row) for grid in grids for row in grid)
    rows: list[list[str]] = [[TITLE], []]
    for grid in grids:
        rows += [[cell[0] if cell else "" for cell in row] for row in grid] + [[]]
    rows.append([CLOSING])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(row + [""] * (width - len(row)) for row in rows)
    return buffer.getvalue().encode("gbk")


def to_html(form: GenForm, layout: Layout) -> bytes:
    parts = [f"<p>{TITLE}</p>"]
    for grid in _tables(form, layout):
        rows = []
        for row in grid:
            cells = "".join(
                f"<td colspan='{cell[1]}' rowspan='{cell[2]}'>{html.escape(cell[0])}</td>" for cell in row if cell)
            rows.append(f"<tr>{cells}</tr>")
        parts.append(f"<table border='1'>{''.join(rows)}</table>")
    parts.append(f"<p>{CLOSING}</p>")
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>自评表</title></head><body>"
            f"<div class='article'>{''.join(parts)}</div></body></html>")
    return page.encode("utf-8")


def to_mht(form: GenForm, layout: Layout) -> bytes:
    """The page saved as one file (a MIME archive, as a browser saves it): the page quoted-printable in GB2312."""
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    import email.charset

    page = to_html(form, layout).decode("utf-8").replace("charset='utf-8'", "charset='gb2312'")
    archive = MIMEMultipart("related", type="text/html")
    archive["Subject"] = "自评表"
    charset = email.charset.Charset("gb2312")
    charset.body_encoding = email.charset.QP
    part = MIMEText(page, "html", charset)
    part["Content-Location"] = "http://www.example.gov.cn/zwgk/form.html"
    archive.attach(part)
    return archive.as_bytes()


def to_spreadsheetml(form: GenForm, layout: Layout) -> bytes:
    """The sheet as an Excel 2003 XML Spreadsheet (what finance systems export as .xls): merged cells as
    ss:MergeAcross / ss:MergeDown, a cell after covered ones placed by ss:Index."""
    rows = [f'<Row><Cell><Data ss:Type="String">{html.escape(TITLE)}</Data></Cell></Row>', "<Row/>"]
    for grid in _tables(form, layout):
        for row in grid:
            cells, skipped = [], False
            for c, cell in enumerate(row):
                if cell is None:
                    skipped = True
                    continue
                text, colspan, rowspan = cell
                index = f' ss:Index="{c + 1}"' if skipped else ""
                merge = (f' ss:MergeAcross="{colspan - 1}"' if colspan > 1 else "") + \
                    (f' ss:MergeDown="{rowspan - 1}"' if rowspan > 1 else "")
                cells.append(f'<Cell{index}{merge}><Data ss:Type="String">{html.escape(text)}</Data></Cell>')
                skipped = False
            rows.append(f"<Row>{''.join(cells)}</Row>")
        rows.append("<Row/>")
    rows.append(f'<Row><Cell><Data ss:Type="String">{html.escape(CLOSING)}</Data></Cell></Row>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
            f'<Worksheet ss:Name="自评表"><Table>{"".join(rows)}</Table></Worksheet></Workbook>').encode("utf-8")


def _libreoffice(data: bytes, suffix: str, target: str) -> bytes:
    """A file LibreOffice writes from one made here (an RTF or ODT from the .docx, an ODS from the .xlsx)."""
    from auditlib.ingest.formats.libreoffice import convert

    return convert(data, f"form{suffix}", suffix, suffix, target)


def to_pdf(form: GenForm, layout: Layout, ruled: bool = True) -> bytes:
    """The form in a PDF's text layer, its table ruled or (as a sheet printed without its grid) drawn without
    lines: cells told apart only by where they stand, a wrapped cell's lines centred on its row."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", orientation="L")
    pdf.add_font("cjk", fname=str(CJK_FONT))
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("cjk", size=8)
    pdf.multi_cell(0, 6, TITLE, new_x="LMARGIN", new_y="NEXT")
    for grid in _tables(form, layout):
        width = len(grid[0])
        with pdf.table(col_widths=[1] * width, first_row_as_headings=False, line_height=5,
                       borders_layout="ALL" if ruled else "NONE") as table:
            for row in grid:
                cells = table.row()
                for cell in row:
                    if cell is not None:
                        cells.cell(cell[0], colspan=cell[1], rowspan=cell[2])
        pdf.ln(3)
    pdf.multi_cell(0, 6, CLOSING, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def render(form: GenForm, layout: Layout, fmt: str) -> bytes:
    """The form as a file of the format (text in the layout's separator; the others with real merged cells)."""
    if fmt == "text":
        return to_text(form, layout).encode("utf-8")
    if fmt == "pdf_unruled":
        return to_pdf(form, layout, ruled=False)
    if fmt in ("rtf", "odt"):
        return _libreoffice(to_docx(form, layout), ".docx", fmt)
    if fmt == "ods":
        return _libreoffice(to_xlsx(form, layout), ".xlsx", fmt)
    return {"docx": to_docx, "xlsx": to_xlsx, "pdf": to_pdf, "html": to_html, "csv": to_csv, "mht": to_mht,
            "spreadsheetml": to_spreadsheetml}[fmt](form, layout)


# --- reading back ------------------------------------------------------------------------------------------

SEVERE = ("medium", "high")


@dataclass
class RoundTrip:
    rows_ok: bool
    facts_ok: bool
    findings_ok: bool
    missing: set
    unexpected: set
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.rows_ok and self.facts_ok and self.findings_ok


def read_back(form: GenForm, layout: Layout, fmt: str, data: bytes | None = None) -> RoundTrip:
    """Read a rendered form and compare rows, facts and findings with what the form knows."""
    from auditlib.check import check
    from auditlib.extract import extract
    from auditlib.ingest import parse_bytes

    data = render(form, layout, fmt) if data is None else data
    extraction = extract(parse_bytes(data, f"form.{EXTENSIONS.get(fmt, fmt)}"))
    read = [(i.name, i.weight, i.score, i.nature) for i in extraction.indicators]
    want = [(r.name, r.weight, r.score, r.direction) for r in form.rows]
    rows_ok = read == want
    facts = extraction.facts
    execution = extraction.execution_rows
    facts_ok = (facts.self_score == form.total_score and facts.execution_rate is not None
                and abs(facts.execution_rate - round(form.rate, 4)) < 1e-4 and len(execution) == 1
                and execution[0].score == form.execution_score)
    findings = check(extraction).findings
    got = {(f.rule, _finding_name(f, form)) for f in findings if f.severity in SEVERE}
    got |= {(f.rule, "") for f in findings if f.rule == "table.unreadable"}
    nature_column = layout.nature_column and "指标性质" in form.variant.indicator_columns
    expected = form.expected_findings(nature_column)
    detail = "" if rows_ok else f"read {read} want {want}"
    detail += f" exec={[(e.weight, e.score) for e in execution]} want {form.execution_score}"
    if not facts_ok:
        detail += f" facts score={facts.self_score}/{form.total_score} rate={facts.execution_rate}/{form.rate:.4f}"
    return RoundTrip(rows_ok, facts_ok, got == expected, expected - got, got - expected, detail)


def _finding_name(finding, form: GenForm) -> str:
    names = [r.name for r in form.rows] + ["预算执行率", form.variant.total_label]
    return next((name for name in names if f"“{name}”" in finding.message), "")
