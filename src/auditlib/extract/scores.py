"""Scores: score tables (分值/权重, 得分), indicator tables (计划值, 完成值), weights in prose, the self-score and grade."""

from __future__ import annotations

import re
from dataclasses import replace

from auditlib.extract.model import (EXECUTION_ITEM_NAME, Amount, BudgetLine, Evidence, ExecutionRow, Indicator, Measure,
                                    Rate, ScoreItem)
from auditlib.extract.tables import Row, Table, cell_number, cell_percent
from auditlib.numbers import Quantity
from auditlib.outline import Outline, parse_numbering
from auditlib.vocabulary import (DIRECTION_CELLS, PROPORTIONAL_EXECUTION, STEP_EXECUTION, direction_in,
                                 without_comparators)

EXECUTION_HEADER = re.compile(r"执行率")
WEIGHT_HEADER = re.compile(r"分\s*值|权\s*重|满\s*分|标准分")
# (评分标准, 得分计算方法: how points are given, words, not the points)
SCORE_HEADER = re.compile(r"(?:得|评)\s*分(?!\s*(?:标准|方法|办法|规则|细则|计算|公式|依据|说明))")
GRADE_HEADER = re.compile(r"综合评价|等级|评级$|评价结论")
PLANNED_HEADER = re.compile(r"计划值|目标值|指标值|预期目标|计划")
ACHIEVED_HEADER = re.compile(r"完成值|完成情况|实际完成|实际值|完成")
TOTAL_ROW = re.compile(r"综合|合计|总计|总分|总体")
LEVEL1_INDICATORS = re.compile(r"^(?:产出|效益|效果|满意度|服务对象满意度|成本|投入|过程|决策|管理)指标$")
# The national indicator tree (../shared/domain.md): which 一级指标 each usual 二级指标 belongs to.
LEVEL2_PARENTS = {"数量": "产出指标", "质量": "产出指标", "时效": "产出指标", "成本": "产出指标",
                  "经济效益": "效益指标", "社会效益": "效益指标", "生态效益": "效益指标", "可持续影响": "效益指标",
                  "满意度": "满意度指标"}
GRADES = {"优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "中": "中", "合格": "中",
          "及格": "中", "差": "差", "较差": "差", "不合格": "差"}
_GRADE_WORDS = "|".join(sorted(GRADES, key=len, reverse=True))
GRADE_RE = re.compile(
    rf"(?:综合|总体|整体|自评|最终)[^。；;]{{0,12}}?(?:结论|结果|等级|评价|评定|评级)[^。；;\d]{{0,6}}?"
    rf"(?:为|是|：|:|评定为|确定为)\s*[“\"「]?(?P<grade>{_GRADE_WORDS})(?![^\s。，；”」])"
)
# 总分<TAB>100<TAB>80.3 is a table row (its weight, then its score), not a sentence: a score ends at 分, at
# punctuation, or at blanks not followed by another figure (possessive, so the blanks are not given back).
SELF_SCORE_RE = re.compile(
    r"(?:(?:自评|自查|综合|最终|评价|绩效)\s*(?:得分|分数|评分|分值|分(?=\s*(?:为|是|：|:)))|总\s*(?:得\s*)?分)\s*(?:为|是|：|:)?\s*"
    r"(?P<score>\d{1,3}(?:\.\d+)?)\s*(?:分|(?=[，,。；;]|[ \t\u3000]++(?!\d)|$))"
    r"|(?:自评|综合评价|评价)[^。；\d]{0,10}?得(?:分\s*(?:为|是|：|:)?)?\s*(?P<score2>\d{1,3}(?:\.\d+)?)\s*分"
    # a form's field with its colon, the next cell's words run on after the figure (自评总分:98项目权重…)
    r"|自评总分\s*[:：]\s*(?P<score3>\d{1,3}(?:\.\d{1,2})?)(?=[\u4e00-\u9fff])"
)
# The label at a line's end and its figure opening the next (a page's line wrap).
SCORE_LABEL_AT_END = re.compile(r"(?:自评|自查|综合|最终|评价|绩效)\s*(?:得分|分数|评分)\s*(?:为|是|：|:)?\s*$")
SCORE_AT_START = re.compile(r"\s*(?P<score>\d{1,3}(?:\.\d+)?)\s*分(?P<score2>)")
# A form's total row where no header was found to read it by: 总分 100 94.5 (its weight 100, then its score),
# the same run together (总分10094.5), the department form's label 自评总分（分）97.6, or a form's heading field
# whose value stands in the next cell (自评总分: | 99.68 |, the cell after it no figure).
# Run together, the score takes two whole digits (10094.5; 1009 is no score of 9, it is cells cut or misread)
# and something must follow it (a run the text cuts off may have lost its decimals).
TOTAL_ROW_SCORE_RE = re.compile(
    r"总分\s*(?:[（(]分[)）])?[\s|]*100(?:\.0{1,2})?(?:[\s|]+(?P<score>\d{1,3}(?:\.\d{1,2})?)(?![\d.%])"
    r"|(?P<joined>[1-9]\d(?:\.\d{1,2})?|100(?:\.0{1,2})?)(?![\d.%]))"
    r"|自评总分\s*[（(]分[)）]\s*(?P<labelled>\d{1,3}(?:\.\d{1,2})?)(?![\d.%])"
    r"|(?:自评|综合)(?:总分|得分)\s*[：:]?\s*\|\s*(?P<celled>\d{1,3}(?:\.\d{1,2})?)\s*(?:\|(?![ \t]*\d)|$)")
# 总分100分，其中产出50分 describes the indicator system, not a score given; 综合评分90分以上为优 (or 90分（含）以上,
# 90-100分) a grade's band.
SYSTEM_TOTAL_AFTER = re.compile(r"[^。；;]{0,6}(?:其中|包括|分为|满分|设置)"
                                r"|\s*(?:[（(]\s*含\s*[)）])?\s*(?:及|或)?\s*(?:以上|以下|至|到|[-－—~～])")
# 自评得分96.5分，其中预算执行得分10分: the breakdown that follows names points scored, so the figure is a score
# given, not the system's total.
SCORED_BREAKDOWN_AFTER = re.compile(r"[^。；;]{0,6}(?:其中|包括)[^。；;]{0,20}得分(?!上限|标准|满分)")
# 产出指标自评得分50分、…、综合得分100分: a part's score, named after its indicator or the execution rate, is not the
# report's. (pattern, an example it must match, one it must not)
PART_SCORE = (r"(?:指标|执行率|执行|满意度|产出|效益)\s*$", "产出指标", "预算绩效管理")
PART_SCORE_BEFORE = re.compile(PART_SCORE[0])
# 等级为良 / 评价等级：优 — a grade stated as such, besides the 综合…结论为优 phrasings above.
GRADE_LEVEL_RE = re.compile(
    rf"(?:自评|评价|绩效|综合)?等级\s*(?:为|是|：|:|评定为|确定为)\s*[“\"「]?(?P<grade>{_GRADE_WORDS})(?![^\s。，；”」])"
)
PROSE_WEIGHT_RE = re.compile(r"(?P<name>[\u4e00-\u9fff]{1,10}?)\s*[（(]\s*(?P<weight>\d{1,3}(?:\.\d+)?)\s*分\s*[)）]")
PROSE_WEIGHT_CONTEXT = re.compile(r"指标|分值|权重|评分")


def _column(header: Row, pattern: re.Pattern) -> int | None:
    return next((i for i, cell in enumerate(header.cells) if pattern.search(cell)), None)


def _half(decimals: int) -> float:
    return 0.5 * 10 ** -decimals if decimals else 0.0


def _evidence(outline: Outline, row: Row) -> Evidence:
    return Evidence(row.line, outline.section_of(row.index).path, outline.document.raw_line(row.line).strip())


def _weight_and_score(row: Row, weight_col: int, score_col: int, header: Row) -> tuple[tuple | None, tuple | None]:
    """The weight and score of a row: from their columns, or, in a short row such as 总分 | 100 | 94.5,
    its only two numbers."""
    cells = row.cells
    if len(cells) == len(header.cells):
        return (cell_number(cells[weight_col]) if weight_col < len(cells) else None,
                cell_number(cells[score_col]) if score_col < len(cells) else None)
    numbers = [number for number in (cell_number(cell) for cell in cells) if number]
    if len(cells) < len(header.cells) and len(numbers) == 2 and not cell_number(cells[0]):
        return numbers[0], numbers[1]
    return (cell_number(cells[weight_col]) if weight_col < len(cells) else None,
            cell_number(cells[score_col]) if score_col < len(cells) else None)


def _names_points(row: Row) -> bool:
    return _column(row, WEIGHT_HEADER) is not None and _column(row, SCORE_HEADER) is not None


def score_tables(outline: Outline, tables: list[Table]) -> list[ScoreItem]:
    """Rows of every table whose header names a weight (分值/权重) and a score (得分) column.

    Tables cut from one block (a national self-evaluation table's money part and indicator part) form
    one indicator system: its items and its 总分 row share a group.
    """
    items: list[ScoreItem] = []
    for table in tables:
        header, body = table.header, table.rows[1:]
        if header is not None and body and _names_points(body[0]) and not any(cell_number(c) for c in body[0].cells):
            header, body = body[0], body[1:]  # a header in two rows: the lower names the columns (评分 over 分值 | 得分)
        if header is None or _column(header, WEIGHT_HEADER) is None or _column(header, SCORE_HEADER) is None:
            continue
        score_col = _column(header, SCORE_HEADER)
        # a sheet that writes each level's points beside it (一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | … | 分值 |
        # 得分): the row's own weight is the one nearest before its score
        weight_col = max((i for i, cell in enumerate(header.cells[:score_col]) if WEIGHT_HEADER.search(cell)),
                         default=_column(header, WEIGHT_HEADER))
        grade_col = _column(header, GRADE_HEADER)
        is_indicator_table = _column(header, PLANNED_HEADER) is not None or _column(header, EXECUTION_HEADER) is not None
        # the 三级指标 column names the row, where targets or a tree stand beside it (a scoring sheet's 指标解释 and
        # 评分标准 are words too, after the name)
        name_col = _column(header, NAME_HEADER) \
            if _column(header, PLANNED_HEADER) is not None or _column(header, TREE_HEADER) is not None else None
        parents: dict[int, str] = {}
        first_item = len(items)
        for row in body:
            weight, score = _weight_and_score(row, weight_col, score_col, header)
            if weight is None and score is None:
                continue
            name_cells = [cell for i, cell in enumerate(row.cells)
                          if cell and i < min(weight_col, score_col, len(row.cells)) and not cell_number(cell)
                          and not cell_percent(cell)]
            name = (name_cells[-1] if not is_indicator_table or len(name_cells) < 4 else name_cells[2]) if name_cells else ""
            named = _text_at(row.cells, name_col, _row_offset(list(row.cells), header, weight_col, score_col)) \
                if name_col is not None else ""
            if named and not cell_number(named):
                name = named  # the 三级指标 column, where the header names one (a 指标性质 column follows it)
            first = row.cells[0] if row.cells else ""
            numbering = parse_numbering(name)
            if TOTAL_ROW.search(first) and not numbering:
                level, name = 0, first
            elif is_indicator_table:
                level = 1
                if _column(header, EXECUTION_HEADER) is not None:
                    name = "预算执行率"
            elif numbering:
                level = 1 if numbering.style == "cn" else 2
            else:
                level = 1  # without numbering, rows of a score table are siblings
            title = numbering.rest if numbering and level else name
            grade = row.cells[grade_col].strip() if grade_col is not None and grade_col < len(row.cells) else ""
            items.append(ScoreItem(
                name=title, level=level, parent=parents.get(level - 1) if level > 1 else None,
                weight=weight[0] if weight else None, score=score[0] if score else None,
                grade=GRADES.get(grade), evidence=_evidence(outline, row), source="table",
                weight_half_width=_half(weight[1]) if weight else 0.0,
                score_half_width=_half(score[1]) if score else 0.0, group=table.block,
            ))
            parents[level] = title
        _table_grade_once(items, first_item)
    return items


def _table_grade_once(items: list[ScoreItem], first: int) -> None:
    """A grade column filled on its first row alone is one merged cell flattened (评价等级 | 优 over every row): the
    grade is the table's, its total row's where it has one, and no row's own."""
    rows = [i for i in range(first, len(items)) if items[i].level > 0]
    graded = [i for i in rows if items[i].grade]
    if len(rows) < 2 or graded != rows[:1]:
        return
    grade, items[graded[0]] = items[graded[0]].grade, replace(items[graded[0]], grade=None)
    total = next((i for i in range(first, len(items)) if items[i].level == 0), None)
    if total is not None and not items[total].grade:
        items[total] = replace(items[total], grade=grade)


MONEY_COLUMNS = {
    "budget": re.compile(r"年初预算"),
    "adjusted_budget": re.compile(r"全年预算|调整后预算|调整预算"),
    "spent": re.compile(r"执行数|实际支出|支出数|实际执行"),
}


def money_tables(outline: Outline, tables: list[Table]) -> tuple[list[BudgetLine], list[Amount]]:
    """The money part of a self-evaluation table (年初预算数 | 全年预算数 | 全年执行数 | 执行率), as budget lines."""
    lines: list[BudgetLine] = []
    amounts: list[Amount] = []
    for table in tables:
        header = table.header
        if header is None:
            continue
        columns = {measure: _column(header, pattern) for measure, pattern in MONEY_COLUMNS.items()}
        columns = {measure: column for measure, column in columns.items() if column is not None}
        rate_col = _column(header, EXECUTION_HEADER)
        if len(columns) < 2:
            continue
        factor = 0.0001 if re.search(r"[（(]\s*元\s*[)）]", " ".join(header.cells)) else 1.0
        # The header's label columns and a row's need not be as many: a header with no label column (全年预算数(A) |
        # 全年执行数(B) | 执行率) over rows that start with their label, or one with two (总体资金 | 资金来源 | 年初预算数
        # …) over rows with one. A row's figures start after its own label cells.
        first_figure_column = min([*columns.values(), *([rate_col] if rate_col is not None else [])])
        for row in table.rows[1:]:
            if not row.cells or cell_number(row.cells[0]):
                continue
            shift = _label_cells(row) - first_figure_column if row.cells[0] else 0
            evidence = _evidence(outline, row)
            by_measure: dict[str, Amount] = {}
            for measure, column in columns.items():
                column += shift
                number = cell_number(row.cells[column]) if column < len(row.cells) else None
                if number is not None:
                    amount = Amount(measure, row.cells[0], round(number[0] * factor, 10), _half(number[1]) * factor,
                                    "元" if factor < 1 else "万元", row.cells[column], evidence)
                    by_measure[measure] = amount
                    amounts.append(amount)
            rate_cell = row.cells[rate_col + shift] if rate_col is not None and rate_col + shift < len(row.cells) else ""
            percent = cell_percent(rate_cell)
            rate = Rate("execution", header.cells[rate_col], percent[0], _half(percent[1]), rate_cell,
                        evidence) if percent else None
            if by_measure:
                lines.append(BudgetLine(row.cells[0], evidence, by_measure, {"execution": rate} if rate else {},
                                        initial_only="budget" in columns and "adjusted_budget" not in columns))
    return lines, amounts


def _label_cells(row: Row) -> int:
    """How many cells of words a row starts with (its label, perhaps in two cells)."""
    count = 0
    for cell in row.cells:
        if not cell or cell_number(cell) or cell_percent(cell):
            break
        count += 1
    return count


def prose_weights(outline: Outline) -> list[ScoreItem]:
    """Weights named in a sentence: 指标体系分为投入（7分），过程（24分）…"""
    items: list[ScoreItem] = []
    for index, line in enumerate(outline.document.lines):
        for sentence in re.split(r"(?<=[。；])", line.text):
            matches = list(PROSE_WEIGHT_RE.finditer(sentence))
            if len(matches) < 2 or not PROSE_WEIGHT_CONTEXT.search(sentence):
                continue
            section = outline.section_of(index).path
            for match in matches:
                name = re.split(r"分为|包括|其中|为|和|及|与", match.group("name"))[-1] or match.group("name")
                weight = float(match.group("weight"))
                number = line.line_at(line.text.find(sentence) + match.start())
                items.append(ScoreItem(name, 1, None, weight, None, None,
                                       Evidence(number, section, outline.document.raw_line(number).strip()),
                                       "prose", _half(len(match.group("weight").partition(".")[2])),
                                       group=-line.line))
    return items


NAME_HEADER = re.compile(r"三级指标|指标内容|指标名称|具体指标")
TREE_HEADER = re.compile(r"二级指标")
NATURE_HEADER = re.compile(r"指标性质|性质|符号")
UNIT_HEADER = re.compile(r"度量单位|计量单位|^单位$")
REASON_HEADER = re.compile(r"原因|理由|依据|改进措施|说明")
# The comparison an indicator's wording or its 指标性质 column states: auditlib.vocabulary.COMPARATORS (first
# match wins) and DIRECTION_CELLS.
# Qualitative results, first match wins: negations and partial levels before the words they contain.
LEVEL_WORDS = (("部分达成", "部分达成"), ("基本达成", "部分达成"), ("部分完成", "部分达成"), ("基本完成", "部分达成"),
               ("基本达到", "部分达成"), ("基本符合", "部分达成"), ("未达成", "未达成"), ("未完成", "未达成"),
               ("未达到", "未达成"), ("未达标", "未达成"), ("不达标", "未达成"), ("不符合", "未达成"), ("不合格", "未达成"),
               ("达成", "达成"), ("完成", "达成"), ("达到", "达成"), ("达标", "达成"), ("符合", "达成"), ("合格", "达成"))
LEVEL_CELLS = {"好": "达成", "优": "达成", "优秀": "达成", "良好": "达成", "是": "达成", "有": "达成", "较好": "部分达成",
               "良": "部分达成", "一般": "部分达成", "中": "部分达成", "较差": "未达成", "差": "未达成", "否": "未达成",
               "无": None}
BLANK_CELLS = {"", "—", "——", "-", "－", "/", "／", "无", "空", "暂无"}
_VALUE_RE = re.compile(r"(?<![\d.])(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\s*(?P<pct>[%％])?")
# Words after a number that make it a date or a deadline, not a measure (12月底前, 2022年).
DATE_WORDS = re.compile(r"[底前后初旬]|^年$|^月$|^日$|^号$|年\d|月\d")
MAX_UNIT_CHARS = 6
MAX_PREFIX_CHARS = 8


def _level_in(text: str) -> str | None:
    bare = re.sub(r"[\s。，、；;,.!！]", "", text)
    if bare in LEVEL_CELLS:
        return LEVEL_CELLS[bare]
    return next((level for word, level in LEVEL_WORDS if word in bare), None)


def read_measure(text: str | None, unit_cell: str = "") -> Measure | None:
    """An indicator's target or result cell: one number with its unit, precision and comparison (≥95%,
    1500人, 100万元以内), or words with the qualitative level they name; None for an empty cell."""
    text = (text or "").strip()
    if text in BLANK_CELLS:
        return None
    comparison = direction_in(text)
    matches = list(_VALUE_RE.finditer(text))
    if len(matches) == 1:
        match = matches[0]
        rest, prefix = without_comparators(text[match.end():]), without_comparators(text[: match.start()])
        unit = "%" if match.group("pct") else rest.strip(" ：:。")
        prefix = prefix.strip(" ：:")
        if len(unit) <= MAX_UNIT_CHARS and len(prefix) <= MAX_PREFIX_CHARS and not DATE_WORDS.search(unit) \
                and not (unit in ("年", "年度") and float(match.group("int").replace(",", "")) >= 1900):
            digits = match.group("int").replace(",", "")
            frac = match.group("frac") or ""
            value = float(f"{digits}.{frac}" if frac else digits)
            if match.group("pct"):
                quantity = Quantity(round(value / 100, 10), len(frac) + 2, match.group(0), match.start(), match.end(),
                                    is_percent=True)
            else:
                quantity = Quantity(value, len(frac), match.group(0), match.start(), match.end())
            return Measure(text, quantity, unit or unit_cell.strip(), comparison, None)
    return Measure(text, None, "", comparison if matches else None, _level_in(text) if not matches else None)


def _indicator_nature(column_cell: str, target: Measure | None, level2: str | None) -> tuple[str | None, str | None]:
    """The indicator's nature and where it was read: the 指标性质 column, the target's wording, else assumed."""
    stated = DIRECTION_CELLS.get(column_cell.strip()) if column_cell else None
    if stated:
        return stated, "column"
    if target is None:
        return None, None
    if target.quantity is None:
        return "qualitative", "wording"
    if target.comparison:
        return target.comparison, "wording"
    if target.quantity.value == 0:
        return "=", "default"  # 0起 (事故) is met only at zero
    if level2 and "成本" in level2:
        return "≤", "default"
    return "≥", "default"


def _row_evidence(outline: Outline, row: Row) -> Evidence:
    """A row's evidence; a row written one cell per line is quoted as its cells joined by |."""
    evidence = _evidence(outline, row)
    lines = outline.document.lines
    if row.index < len(lines) and lines[row.index].cell and len(row.cells) > 1:
        return Evidence(evidence.line, evidence.section, " | ".join(row.filled))
    return evidence


def indicator_tables(outline: Outline, tables: list[Table]) -> list[Indicator]:
    """Rows of every table whose header names an indicator, a planned and an achieved column: levels 1–3,
    nature, target and result with units and precision, weight, score and the written reason."""
    found: list[Indicator] = []
    for table in tables:
        header = table.header
        if not (header and any("指标" in c for c in header.cells) and _column(header, PLANNED_HEADER) is not None
                and _column(header, ACHIEVED_HEADER) is not None):
            continue
        weight_col, score_col = _column(header, WEIGHT_HEADER), _column(header, SCORE_HEADER)
        name_header = _column(header, NAME_HEADER)
        nature_header, unit_header = _column(header, NATURE_HEADER), _column(header, UNIT_HEADER)
        reason_header = _last_column(header, REASON_HEADER)
        level1 = level2 = None
        for row in table.rows[1:]:
            cells = list(row.cells)
            filled = [c for c in cells if c]
            if len(filled) < 3 or TOTAL_ROW.search(filled[0]):
                continue
            offset = _row_offset(cells, header, weight_col, score_col)
            planned_col = _column(header, PLANNED_HEADER) - offset
            achieved_col = _column(header, ACHIEVED_HEADER) - offset
            if not (0 < planned_col < len(cells) and 0 < achieved_col < len(cells)):
                planned_col, achieved_col = len(cells) - 2, len(cells) - 1
            name_col = name_header - offset if name_header is not None and 0 <= name_header - offset < planned_col \
                else planned_col - 1
            name = cells[name_col]
            labels = [c for c in cells[:name_col] if c]
            if len(labels) >= 2:
                level1, level2 = labels[-2], labels[-1]
            elif len(labels) == 1:
                if LEVEL1_INDICATORS.match(labels[0]):
                    level1, level2 = labels[0], None
                else:
                    level2 = labels[0]
                    # A merged 一级指标 cell is lost in flattening; the 二级指标 names the group it moved to.
                    parent = next((p for key, p in LEVEL2_PARENTS.items() if level2.startswith(key)), None)
                    if parent and level1 in LEVEL2_PARENTS.values():
                        level1 = parent
            weight = _number_at(cells, weight_col, offset)
            score = _number_at(cells, score_col, offset)
            unit_cell = _text_at(cells, unit_header, offset)
            target = read_measure(cells[planned_col], unit_cell)
            result = read_measure(cells[achieved_col], unit_cell)
            nature, source = _indicator_nature(_text_at(cells, nature_header, offset), target, level2)
            reason = _text_at(cells, reason_header, offset) if reason_header not in (None, score_col) else ""
            found.append(Indicator(
                level1, level2, name, cells[planned_col] or None, cells[achieved_col] or None,
                weight[0] if weight else None, score[0] if score else None, _row_evidence(outline, row),
                nature=nature, nature_source=source, target=target, result=result,
                weight_decimals=weight[1] if weight else 0, score_decimals=score[1] if score else 0,
                reason=reason if reason and reason not in BLANK_CELLS else None, group=table.block))
    return found


def _row_offset(cells: list[str], header: Row, weight_col: int | None, score_col: int | None) -> int:
    """How many header columns a row lacks on its left. Flattened rows drop merged cells from the left, so a
    short row is read from the right, as the header is; but a row whose empty last cell (the reason) was dropped
    is read from the left, which its weight and score cells, numbers where they should be, tell."""
    right = len(header.cells) - len(cells)
    if right <= 0:
        return right

    def fits(offset: int) -> bool:
        return all(_text_at(cells, column, offset) != "" and cell_number(_text_at(cells, column, offset))
                   for column in (weight_col, score_col) if column is not None)

    trailing_reason = bool(REASON_HEADER.search(header.cells[-1]))
    if fits(0) and (trailing_reason or not fits(right)):
        return 0
    return right


def sheet_execution_row(score_items: list[ScoreItem], rates: list[Rate]) -> ExecutionRow | None:
    """A scoring sheet (决策 / 过程 / 产出 / 效益) scores budget execution as one of its items, not on a funds row.
    Where that item's own row writes the proportional formula (得分＝预算执行率×分值) and no step beside it, the item
    is a funds row scored by the rate the report states: its own row's, else the one rate the report states."""
    items = [item for item in score_items if item.level > 0 and item.source == "table" and item.weight is not None
             and item.score is not None and EXECUTION_ITEM_NAME.match(item.name)]
    if len(items) != 1:
        return None
    [item] = items
    row_text = item.evidence.quote
    if not any(p.pattern.search(row_text) for p in PROPORTIONAL_EXECUTION) or STEP_EXECUTION.pattern.search(row_text):
        return None
    stated = [rate for rate in rates if rate.kind == "execution"]
    own = [rate for rate in stated if rate.evidence.line == item.evidence.line]
    candidates = own or stated
    if not candidates or len({rate.value for rate in candidates}) != 1:
        return None
    return ExecutionRow(item.name, None, None, None, candidates[0], item.weight, item.score, item.evidence,
                        _decimals(item.weight_half_width), _decimals(item.score_half_width), group=item.group,
                        sheet_item=True)


def _decimals(half_width: float) -> int:
    """The decimals a number was written with, from its rounding half-width (0.05 -> 1)."""
    decimals = 0
    while half_width and half_width < 0.5 - 1e-12 and decimals < 6:
        half_width *= 10
        decimals += 1
    return decimals


def execution_rows(outline: Outline, tables: list[Table]) -> list[ExecutionRow]:
    """The funds rows of self-evaluation tables that carry points (分值/权重 and 得分 beside 执行率)."""
    found: list[ExecutionRow] = []
    for table in tables:
        header = table.header
        if header is None or _column(header, EXECUTION_HEADER) is None:
            continue
        weight_col, score_col = _column(header, WEIGHT_HEADER), _column(header, SCORE_HEADER)
        if weight_col is None or score_col is None:
            continue
        columns = {measure: _column(header, pattern) for measure, pattern in MONEY_COLUMNS.items()}
        rate_col, reason_col = _column(header, EXECUTION_HEADER), _last_column(header, REASON_HEADER)
        factor = 0.0001 if re.search(r"[（(]\s*元\s*[)）]", " ".join(header.cells)) else 1.0
        for row in table.rows[1:]:
            cells = row.cells
            weight, score = _number_at(cells, weight_col, 0), _number_at(cells, score_col, 0)
            if not cells or (weight is None and score is None) or len(cells) > len(header.cells):
                continue
            evidence = _row_evidence(outline, row)
            amounts = {}
            for measure, column in columns.items():
                number = cell_number(cells[column]) if column is not None and column < len(cells) else None
                amounts[measure] = Amount(measure, cells[0], round(number[0] * factor, 10), _half(number[1]) * factor,
                                          "元" if factor < 1 else "万元", cells[column], evidence) if number else None
            percent = cell_percent(cells[rate_col]) if rate_col < len(cells) else None
            rate = Rate("execution", header.cells[rate_col], percent[0], _half(percent[1]), cells[rate_col],
                        evidence) if percent else None
            reason = cells[reason_col].strip() if reason_col is not None and reason_col < len(cells) else ""
            found.append(ExecutionRow(cells[0], amounts["budget"], amounts["adjusted_budget"], amounts["spent"], rate,
                                      weight[0] if weight else None, score[0] if score else None, evidence,
                                      weight[1] if weight else 0, score[1] if score else 0,
                                      reason if reason not in BLANK_CELLS else None, table.block))
    return found


def _last_column(header: Row, pattern: re.Pattern) -> int | None:
    return next((i for i in range(len(header.cells) - 1, -1, -1) if pattern.search(header.cells[i])), None)


def _number_at(cells, column: int | None, offset: int) -> tuple[float, int] | None:
    if column is None or not 0 <= column - offset < len(cells):
        return None
    return cell_number(cells[column - offset])


def _text_at(cells, column: int | None, offset: int) -> str:
    if column is None or not 0 <= column - offset < len(cells):
        return ""
    return cells[column - offset].strip()


# Points written in a heading, as reports scored against a scoring sheet write their parts: 一、投入（分值18分，自评
# 得18分）, （一）项目立项（8分）, 二、过程。分值30分（自评29分）, 自评基本结论（满分100分，实得98分）.
HEADING_WEIGHT = re.compile(r"(?:分值|满分|权重|标准分)\s*[:：]?\s*(?P<weight>\d{1,3}(?:\.\d{1,2})?)\s*分"
                            r"|[（(]\s*(?P<bare>\d{1,3}(?:\.\d{1,2})?)\s*分\s*[)）]")
HEADING_SCORE = re.compile(r"(?:自评|实|评价)得?分?\s*[:：为]?\s*(?P<score>\d{1,3}(?:\.\d{1,2})?)\s*分")
HEADING_NAME_END = re.compile(r"[（(。，,:：]|分值|满分|权重")
MAX_SCORED_HEADING_CHARS = 40
HEADING_GROUP = -10**9  # the group of a report's scored headings (prose groups are minus a line number)


def heading_points(outline: Outline) -> list[ScoreItem]:
    """The weights and scores a report's headings carry, as a tree by the headings' own levels. An item is complete
    when a later heading outside it closes it: all its sub-headings were read, so their points may be summed."""
    items = []
    scored = {}
    sections = outline.sections
    for position, section in enumerate(sections):
        title = section.title
        if len(title) > MAX_SCORED_HEADING_CHARS:
            continue
        score = HEADING_SCORE.search(title)
        weight = HEADING_WEIGHT.search(title[:score.start()] if score else title)
        if weight is None and score is None:
            continue
        name = HEADING_NAME_END.split(title, maxsplit=1)[0].strip() or title
        weight_text = (weight.group("weight") or weight.group("bare")) if weight else None
        score_text = score.group("score") if score else None
        parent = section.parent
        while parent is not None and id(parent) not in scored:
            parent = parent.parent
        # Sections are in document order, a heading's sub-headings right after it: a heading after them closes it.
        closed = position + sum(1 for _ in section.walk()) < len(sections)
        item = ScoreItem(name, section.level, scored[id(parent)].name if parent is not None else None,
                         float(weight_text) if weight_text else None, float(score_text) if score_text else None, None,
                         Evidence(section.line, section.path, outline.document.raw_line(section.line).strip()),
                         "heading", _half(len((weight_text or "").partition(".")[2])),
                         _half(len((score_text or "").partition(".")[2])), group=HEADING_GROUP, complete=closed)
        scored[id(section)] = item
        items.append((section, item))
    # A heading is summed only where every sub-heading under it carries points: one without may be a part too.
    return [item if all(id(child) in scored for child in section.children) else replace(item, complete=False)
            for section, item in items]


def find_self_score(outline: Outline, items: list[ScoreItem]) -> tuple[Quantity, Evidence] | None:
    """The overall self-evaluation score: stated in a sentence, else the total row of a score table."""
    lines = outline.document.lines
    # a table's total row (总分 | 100分 | 98.08分) is the table's to read, column by column
    total_rows = {item.evidence.line for item in items if item.level == 0 and item.source == "table"
                  and item.score is not None}
    for index, line in enumerate(lines):
        if line.line in total_rows:
            continue
        match = next((m for m in SELF_SCORE_RE.finditer(line.text)
                      if not PART_SCORE_BEFORE.search(line.text, max(0, m.start() - 8), m.start())
                      and (not SYSTEM_TOTAL_AFTER.match(line.text[m.end():])
                           or SCORED_BREAKDOWN_AFTER.match(line.text[m.end():]))), None)
        if match is None and SCORE_LABEL_AT_END.search(line.text):
            # A page's line wrap between the label and its figure (…自评得分 / 90 分，存在的问题…), or a heading
            # and the figure under it ((一)自评得分 / 100分。).
            following = next((i for i in range(index + 1, min(index + 3, len(lines))) if lines[i].text), None)
            line = lines[following] if following is not None else line
            wrapped = SCORE_AT_START.match(line.text) if following is not None else None
            match = wrapped if wrapped and not SYSTEM_TOTAL_AFTER.match(line.text[wrapped.end():]) else None
        if match:
            group = next(name for name in ("score", "score2", "score3") if match.groupdict().get(name))
            text = match.group(group)
            decimals = len(text.partition(".")[2])
            number = line.line_at(match.start(group))
            evidence = Evidence(number, outline.section_of(index).path, outline.document.raw_line(number).strip())
            return Quantity(float(text), decimals, text, match.start(group), match.end(group)), evidence
    total = next((item for item in items if item.level == 0 and item.score is not None), None)
    if total:
        text = f"{total.score:g}"
        return Quantity(total.score, 0, text, 0, 0), total.evidence
    found = _total_cell_per_line(outline)
    if found:
        return found
    last = max((i for i, line in enumerate(outline.document.lines) if line.text), default=0)
    for index, line in enumerate(outline.document.lines):
        match = next((m for m in TOTAL_ROW_SCORE_RE.finditer(line.text)
                      if float(m.group("score") or m.group("joined") or m.group("labelled") or m.group("celled")) <= 100
                      and not (m.group("joined") and m.end() == len(line.text) and index >= last)), None)
        if match:
            group = next(g for g in ("score", "joined", "labelled", "celled") if match.group(g))
            text = match.group(group)
            number = line.line_at(match.start(group))
            evidence = Evidence(number, outline.section_of(index).path, outline.document.raw_line(number).strip())
            return Quantity(float(text), len(text.partition(".")[2]), text, match.start(group),
                            match.end(group)), evidence
    return None


# A total row written one cell per line: 总分 / 100 / 94 (its weight, then its score), or 总分(100分) / 94.
TOTAL_CELL = re.compile(r"\s*总\s*分\s*(?:[（(]\s*(?P<weight>100)?\s*分?\s*[)）])?\s*\|?\s*")
SCORE_CELL = re.compile(r"\s*\|?\s*(?P<score>\d{1,3}(?:\.\d{1,2})?)\s*\|?\s*")
MAX_CELLS_AFTER_TOTAL = 4  # lines to look through for the total's figures (bars and blanks between them)


def _total_cell_per_line(outline: Outline) -> tuple[Quantity, Evidence] | None:
    lines = outline.document.lines
    for index, line in enumerate(lines):
        label = TOTAL_CELL.fullmatch(line.text)
        if not label:
            continue
        figures: list[tuple[int, re.Match]] = []
        for after in range(index + 1, min(index + 1 + MAX_CELLS_AFTER_TOTAL, len(lines))):
            text = lines[after].text.strip(" |\u3000")
            if not text:
                continue
            cell = SCORE_CELL.fullmatch(text)
            if cell is None:
                break
            figures.append((after, cell))
            if len(figures) == 2:
                break
        if label.group("weight") and figures:
            where, cell = figures[0]  # the weight is in the title: the first figure is the score
        elif len(figures) == 2 and float(figures[0][1].group("score")) == 100:
            where, cell = figures[1]
        else:
            continue
        text = cell.group("score")
        if float(text) > 100:
            continue
        number = lines[where].line
        quote = " | ".join([line.text.strip(" |")] + [found.group("score") for _, found in figures])
        return Quantity(float(text), len(text.partition(".")[2]), text, 0, 0), Evidence(
            number, outline.section_of(where).path, quote)
    return None


def find_grade(outline: Outline, items: list[ScoreItem]) -> tuple[str, Evidence] | None:
    """The overall grade (优/良/中/差): the total row of a score table, else a concluding sentence."""
    total = next((item for item in items if item.level == 0 and item.grade), None)
    if total:
        return total.grade, total.evidence
    for index, line in enumerate(outline.document.lines):
        match = GRADE_RE.search(line.text) or GRADE_LEVEL_RE.search(line.text)
        if match:
            number = line.line_at(match.start("grade"))
            evidence = Evidence(number, outline.section_of(index).path, outline.document.raw_line(number).strip())
            return GRADES[match.group("grade")], evidence
    return None
