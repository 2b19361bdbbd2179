"""Scores: score tables (分值/权重, 得分), indicator tables (计划值, 完成值), weights in prose, the self-score and grade."""

from __future__ import annotations

import re

from auditlib.extract.model import Evidence, Indicator, ScoreItem
from auditlib.extract.tables import Row, Table, cell_number
from auditlib.numbers import Quantity
from auditlib.outline import Outline, parse_numbering

WEIGHT_HEADER = re.compile(r"分\s*值|权\s*重|满\s*分|标准分")
SCORE_HEADER = re.compile(r"得\s*分|评\s*分")
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
SELF_SCORE_RE = re.compile(
    r"(?:自评|综合|总|最终|评价)\s*(?:得分|分数|评分|分值)\s*(?:为|是|：|:)?\s*(?P<score>\d{1,3}(?:\.\d+)?)\s*分"
    r"|(?:自评|综合评价|评价)[^。；\d]{0,10}?得\s*(?P<score2>\d{1,3}(?:\.\d+)?)\s*分"
)
PROSE_WEIGHT_RE = re.compile(r"(?P<name>[\u4e00-\u9fff]{1,10}?)\s*[（(]\s*(?P<weight>\d{1,3}(?:\.\d+)?)\s*分\s*[)）]")
PROSE_WEIGHT_CONTEXT = re.compile(r"指标|分值|权重|评分")


def _column(header: Row, pattern: re.Pattern) -> int | None:
    return next((i for i, cell in enumerate(header.cells) if pattern.search(cell)), None)


def _half(decimals: int) -> float:
    return 0.5 * 10 ** -decimals if decimals else 0.0


def _evidence(outline: Outline, row: Row) -> Evidence:
    return Evidence(row.line, outline.section_of(row.index).path, outline.document.raw_line(row.line).strip())


def score_tables(outline: Outline, tables: list[Table]) -> list[ScoreItem]:
    """Rows of every table whose header names a weight (分值/权重) and a score (得分) column."""
    items: list[ScoreItem] = []
    for group, table in enumerate(tables, start=1):
        header_at = next((i for i, row in enumerate(table.rows)
                          if _column(row, WEIGHT_HEADER) is not None and _column(row, SCORE_HEADER) is not None),
                         None)
        if header_at is None:
            continue
        header = table.rows[header_at]
        weight_col, score_col = _column(header, WEIGHT_HEADER), _column(header, SCORE_HEADER)
        grade_col = _column(header, GRADE_HEADER)
        parents: dict[int, str] = {}
        for row in table.rows[header_at + 1:]:
            name_cells = [cell for i, cell in enumerate(row.cells) if cell and i < min(weight_col, score_col)]
            if not name_cells:
                continue
            name = name_cells[-1]
            weight = cell_number(row.cells[weight_col]) if weight_col < len(row.cells) else None
            score = cell_number(row.cells[score_col]) if score_col < len(row.cells) else None
            if weight is None and score is None:
                continue
            numbering = parse_numbering(name)
            if TOTAL_ROW.search(name) and not numbering:
                level = 0
            elif numbering:
                level = min(numbering.rank, 2) if numbering.style != "cn" else 1
            else:
                level = 2 if parents.get(1) else 1
            title = numbering.rest if numbering else name
            grade = row.cells[grade_col].strip() if grade_col is not None and grade_col < len(row.cells) else ""
            items.append(ScoreItem(
                name=title, level=level, parent=parents.get(level - 1) if level > 1 else None,
                weight=weight[0] if weight else None, score=score[0] if score else None,
                grade=GRADES.get(grade), evidence=_evidence(outline, row), source="table",
                weight_half_width=_half(weight[1]) if weight else 0.0,
                score_half_width=_half(score[1]) if score else 0.0, group=group,
            ))
            parents[level] = title
    return items


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


def indicator_tables(outline: Outline, tables: list[Table]) -> list[Indicator]:
    """Rows of every table whose header names an indicator, a planned and an achieved column."""
    found: list[Indicator] = []
    for table in tables:
        header_at = next((i for i, row in enumerate(table.rows)
                          if any("指标" in c for c in row.cells) and _column(row, PLANNED_HEADER) is not None
                          and _column(row, ACHIEVED_HEADER) is not None), None)
        if header_at is None:
            continue
        header = table.rows[header_at]
        weight_col, score_col = _column(header, WEIGHT_HEADER), _column(header, SCORE_HEADER)
        level1 = level2 = None
        for row in table.rows[header_at + 1:]:
            cells = list(row.cells)
            filled = [c for c in cells if c]
            if len(filled) < 3:
                continue
            # Flattened rows drop merged cells from the left; read them from the right, as the header does.
            offset = len(header.cells) - len(cells)
            planned_col = _column(header, PLANNED_HEADER) - offset
            achieved_col = _column(header, ACHIEVED_HEADER) - offset
            if not (0 < planned_col < len(cells) and 0 < achieved_col < len(cells)):
                planned_col, achieved_col = len(cells) - 2, len(cells) - 1
            name = cells[planned_col - 1]
            labels = [c for c in cells[: planned_col - 1] if c]
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
            weight = _cell_at(cells, weight_col, offset)
            score = _cell_at(cells, score_col, offset)
            found.append(Indicator(level1, level2, name, cells[planned_col] or None, cells[achieved_col] or None,
                                   weight, score, _evidence(outline, row)))
    return found


def _cell_at(cells: list[str], column: int | None, offset: int) -> float | None:
    if column is None or not 0 <= column - offset < len(cells):
        return None
    number = cell_number(cells[column - offset])
    return number[0] if number else None


def find_self_score(outline: Outline, items: list[ScoreItem]) -> tuple[Quantity, Evidence] | None:
    """The overall self-evaluation score: stated in a sentence, else the total row of a score table."""
    for index, line in enumerate(outline.document.lines):
        match = SELF_SCORE_RE.search(line.text)
        if match:
            group = "score" if match.group("score") else "score2"
            text = match.group(group)
            decimals = len(text.partition(".")[2])
            number = line.line_at(match.start(group))
            evidence = Evidence(number, outline.section_of(index).path, outline.document.raw_line(number).strip())
            return Quantity(float(text), decimals, text, match.start(group), match.end(group)), evidence
    total = next((item for item in items if item.level == 0 and item.score is not None), None)
    if total:
        text = f"{total.score:g}"
        return Quantity(total.score, 0, text, 0, 0), total.evidence
    return None


def find_grade(outline: Outline, items: list[ScoreItem]) -> tuple[str, Evidence] | None:
    """The overall grade (优/良/中/差): the total row of a score table, else a concluding sentence."""
    total = next((item for item in items if item.level == 0 and item.grade), None)
    if total:
        return total.grade, total.evidence
    for index, line in enumerate(outline.document.lines):
        match = GRADE_RE.search(line.text)
        if match:
            number = line.line_at(match.start("grade"))
            evidence = Evidence(number, outline.section_of(index).path, outline.document.raw_line(number).strip())
            return GRADES[match.group("grade")], evidence
    return None
