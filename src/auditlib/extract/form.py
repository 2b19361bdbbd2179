"""The self-evaluation table (自评表) as a model, and a reader that maps any flattened layout onto it.

The model is data: the columns a form has and the words its headers use for them (COLUMN_WORDS), the
indicator tree's usual names (LEVEL1_NAMES, LEVEL2_NAMES), the rows that close a form (TOTAL_WORDS) and the
variants in use (VARIANTS: the national project form, the department form, two provincial forms). A table in
a text arrives as `|` rows, tab rows, runs of spaces or one cell per line, with merged cells written as empty
cells, repeated, or dropped. The reader finds a header, maps its cells to column roles, and fits every body row
to those roles: a row with fewer cells than the header is aligned by what each cell can hold (a number where a
weight stands, a ≥ where the 指标性质 stands, a unit word under 单位…). A row that fits in more than one way,
or in none, is not read (and said so), never guessed. Cells run together (no separator at all) are left to the
amounts reader, which splits them only where the arithmetic fixes the split.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from auditlib.extract.model import (EXECUTION_ITEM, EXECUTION_ITEM_NAME, FUNDS_MONEY_COLUMNS, Amount, BlankCell,
                                    BudgetLine, Evidence, ExecutionRow, FundsSources, Indicator, Measure, Rate,
                                    ScoreItem)
from auditlib.extract.scores import BLANK_CELLS, read_measure
from auditlib.extract.tables import cell_number, cell_percent, markdown_rule
from auditlib.ingest import Line, cells_text
from auditlib.outline import Outline
from auditlib.vocabulary import DIRECTION_CELLS
from auditlib.ingest.normalize import BLANKS, SPACED_CHINESE_RE, halfwidth_figures

# --- the model ---------------------------------------------------------------------------------------------

# Column roles and the header words for them, most specific first: a header cell takes the first role one of
# whose words it equals (spaces and bracketed notes such as （万元） （A） removed), else the first role one of
# whose words it contains.
COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("item_score", ("单项指标得分", "单项得分")),
    ("coefficient", ("得分系数", "系数")),
    ("rate_weight", ("执行率权重", "执行率分值")),
    ("rate_score", ("执行率得分",)),
    ("rate", ("预算执行率", "资金执行率", "执行率")),
    ("adjusted_planned", ("调整指标值", "调整后指标值", "调整后目标值")),
    ("level1", ("一级指标", "评价维度")),
    ("level2", ("二级指标",)),
    ("name", ("三级指标", "指标名称", "指标内容", "具体指标", "绩效指标名称")),
    ("nature", ("指标性质", "性质", "符号")),
    ("unit", ("度量单位", "计量单位", "单位")),
    ("achieved", ("实际完成值", "全年完成值", "全年实际完成值", "完成值", "实际值", "实际完成", "全年实际值")),
    ("planned", ("年度指标值", "年初指标值", "年初目标值", "年度目标值", "全年指标值", "指标值", "目标值", "计划值",
                 "预期目标值")),
    ("budget", ("年初预算数", "年初预算", "年初预算金额", "预算数", "年初安排", "年初安排数")),
    ("adjusted_budget", ("全年预算数", "调整后预算数", "调整预算数", "调整后预算", "全年预算")),
    ("spent", ("全年执行数", "预算执行数", "执行数", "实际执行数", "实际支出", "支出数")),
    ("weight", ("分值", "权重", "指标权重", "权重占比", "满分", "标准分")),
    ("score", ("得分", "指标得分", "自评得分", "折算得分", "评分", "自评分", "实际得分")),
    ("reason", ("偏差原因分析及改进措施", "未完成原因和改进措施", "未完成原因", "偏差原因", "原因", "理由及依据", "说明",
                "备注")),
    ("core", ("是否核心指标", "核心指标")),
)
# Contained words, in order, for header cells no word equals.
COLUMN_PARTS: tuple[tuple[str, str], ...] = (
    ("单项", "item_score"), ("系数", "coefficient"), ("执行率权重", "rate_weight"), ("执行率得分", "rate_score"),
    ("执行率", "rate"), ("调整指标", "adjusted_planned"), ("一级", "level1"), ("二级", "level2"), ("三级", "name"),
    # (a reason column names what was not completed: 未完成原因分析)
    ("性质", "nature"), ("符号", "nature"), ("单位", "unit"), ("原因", "reason"), ("措施", "reason"), ("完成", "achieved"),
    ("指标值", "planned"), ("目标值", "planned"),
    ("年初预算", "budget"), ("全年预算", "adjusted_budget"), ("调整后预算", "adjusted_budget"), ("执行数", "spent"),
    ("权重", "weight"), ("分值", "weight"), ("得分", "score"),
    ("核心", "core"), ("指标名称", "name"),
)
SHARE_TITLE = re.compile(r"占比|比重|[%％]")
METHOD_COLUMN = re.compile(r"(?:计算|计分|评分)(?:方法|办法|标准|公式)")
# The fields of a form's head (项目名称 | … | 主管部门 | … | 实施单位 | …), beside the bodies they name.
HEAD_FIELD = re.compile(r"(?:实施|主管|预算|填报|申报|项目|评价|组织|使用)单位|主管部门|项目名称"
                        # a block's title down its side: 年度绩效指标完成情况 | 一级指标 | …
                        r"|(?:绩效指标|总体目标)完成情况$")
INDICATOR_ROLES = frozenset({"planned", "achieved"})
MONEY_ROLES = frozenset({"budget", "adjusted_budget", "spent", "rate"})
AMOUNT_ROLES = frozenset({"budget", "adjusted_budget", "spent"})
# Roles a flattened row may drop (a merged cell, an empty unit, nature, reason or adjusted value).
DROPPABLE = frozenset({"level1", "level2", "nature", "unit", "adjusted_planned", "reason", "core", "item_score",
                       "label", "budget", "adjusted_budget", "rate"})
LEVEL1_NAMES = frozenset({"产出指标", "效益指标", "满意度指标", "效果指标", "成本指标", "投入指标", "过程指标", "决策指标",
                          "管理指标", "履职效能", "项目决策", "项目管理", "项目绩效"})
LEVEL2_NAMES = frozenset({"数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
                          "可持续影响指标", "服务对象满意度指标", "满意度指标", "经济成本指标", "社会成本指标",
                          "生态环境成本指标"})
# Where a merged 一级指标 cell is lost, the 二级指标 names its group.
LEVEL2_PARENT = {"数量": "产出指标", "质量": "产出指标", "时效": "产出指标", "成本": "产出指标", "经济效益": "效益指标",
                 "社会效益": "效益指标", "生态效益": "效益指标", "可持续影响": "效益指标", "服务对象满意度": "满意度指标",
                 "满意度": "满意度指标"}
TOTAL_WORDS = ("自评总分", "总分", "合计", "总计", "综合得分", "得分合计", "自评得分")
UNIT_WORDS = frozenset({"人", "人次", "个", "次", "家", "项", "%", "％", "万元", "元", "亿元", "天", "日", "月", "个月", "年",
                        "小时", "分钟", "公里", "千米", "米", "亩", "户", "场", "册", "份", "篇", "期", "批", "台", "套",
                        "平方米", "吨", "所", "件", "条", "座", "辆", "名", "元/人", "分", "工作日", "月份", "批次", "场次",
                        "万人次", "人/次", "处", "宗", "起", "元/平方米", "万元/个", "例", "个工作日", "个百分点", "平方公里",
                        "立方米", "万亩", "公顷"})
def nature_cell(cell: str) -> str | None:
    """The direction a 指标性质 cell states (≥ 正向 正向指标 ≤ 反向 = 定性), by the vocabulary's words."""
    text = re.sub(r"\s+", "", cell)
    return DIRECTION_CELLS.get(text) or (DIRECTION_CELLS.get(text[:-2]) if text.endswith("指标") else None)
# A 指标性质 cell that says the indicator is measured, not which way it points: the target's comparator tells that.
QUANTITATIVE_CELLS = frozenset({"定量", "定量指标"})
# Rows of the funds block below its total (其中：当年财政拨款 …): no points, and no harm when not read.
SUB_FUNDS = re.compile(r"其中|财政拨款|上年结转|其他资金|结转|结余")
# The rows of a funds block's sources, below its total: 其中：当年财政拨款, 上年结转资金, 其他资金, and the
# provinces' 财政资金, 财政专户管理资金, 单位资金. A list that names the rest (其他资金) is the whole of the total.
FUNDS_SOURCE = re.compile(r"其中|财政拨款|财政资金|上年结转|结转资金|其他资金|财政专户|单位资金|自筹|自有资金|社会投入|银行贷款"
                          r"|^(?:中央|省级|市级|县级|市县)资金$")
REST_SOURCE = "其他"
# The department form's total parted by kind of spending (其中：基本支出, 项目支出): under a total, its parts.
# A form may part the total twice, each list headed by how it parts it (按收入性质分：财政拨款 … 按支出性质分：基本支出 …).
SPENDING_PARTS = re.compile(r"(?:按支出(?:性质|经济分类|功能分类)?分[:：]?)?(?:其中[:：]?)?(?:基本支出|项目支出)$")
TOTAL_LABEL = "合计"  # what a funds block's unlabelled first row stands for
# What a funds block's row of money is named (年度资金总额, 其中：财政拨款, 基本支出, 合计): a row under the block
# named otherwise, with no figure, is the form's next field (年度总体目标 | 预期目标 …).
MONEY_ROW_LABEL = re.compile(FUNDS_SOURCE.pattern + r"|资金|合计|总额|总计|支出|收入|拨款|经费|预算")
# The same fields written as a line of words (年度总体目标    2020年，围绕…。): the form goes on below them.
FORM_TEXT_FIELD = re.compile(r"\s*(?:年度总体目标|总体目标|年度目标完成情况|目标完成情况|预期目标|实际完成情况)")
MONEY_COLUMNS = tuple(FUNDS_MONEY_COLUMNS)
YES_NO = frozenset({"是", "否", "√", "×"})


@dataclass(frozen=True)
class Variant:
    """One form as published: its indicator columns, its funds block columns and how it totals."""

    id: str
    name: str
    indicator_columns: tuple[str, ...]
    funds_columns: tuple[str, ...]
    total_label: str
    execution_points: float
    scoring: str  # weight_score (分值, 得分) | coefficient (得分系数 × 指标权重 = 指标得分) | item_score (单项得分 × 权重)


VARIANTS: tuple[Variant, ...] = (
    Variant("national", "项目支出绩效自评表（财政部）",
            ("一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "度量单位", "实际完成值", "分值", "得分",
             "偏差原因分析及改进措施"),
            ("项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
            "总分", 10, "weight_score"),
    Variant("department", "部门整体支出绩效自评表",
            ("指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数", "指标权重", "指标得分",
             "是否核心指标"),
            ("部门预算执行情况", "年初预算数", "调整预算数", "执行数", "执行率", "执行率权重", "执行率得分"),
            "自评总分", 10, "coefficient"),
    Variant("province_a", "省级项目自评表（预算执行10分＋指标90分，含原因栏）",
            ("一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "实际完成值", "权重", "得分", "未完成原因"),
            ("资金", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"),
            "合计", 10, "weight_score"),
    Variant("city_b", "市级项目自评表（预算执行20分＋目标80分，单项得分折算）",
            ("一级指标", "二级指标", "三级指标", "指标值", "完成值", "权重占比", "单项指标得分", "折算得分", "说明"),
            ("项目资金", "预算数", "执行数", "执行率", "分值", "得分"),
            "总分", 20, "item_score"),
)


# A budget lettered as the rate's base (预算数（A） beside 执行率（B/A）) is the budget the form figures its rate on,
# whichever of the year's budgets it is.
RATE_BASE_TITLE = re.compile(r"(?:预算数|预算金额|预算)[（(]A[)）]")


def column_role(cell: str) -> str | None:
    """The role of a header cell, or None when it names none."""
    if RATE_BASE_TITLE.fullmatch(re.sub(r"\s+", "", cell)):
        return "adjusted_budget"
    # Notes in brackets name no column (全年预算数(A)); one the flattening cut before it closed neither (全年预算数(A).
    text = re.sub(r"[（(][^）)]{0,12}[）)]|[（(][^（()）]{0,4}$", "", re.sub(r"\s+", "", cell))
    if not text:
        return None
    for role, words in COLUMN_WORDS:
        if text in words:
            return role
    if METHOD_COLUMN.search(text):
        return None  # 得分计算方法: how the score is computed, words, not the score
    if HEAD_FIELD.search(text):
        return None  # 实施单位, 主管部门: the form's head names its bodies, no column
    for part, role in COLUMN_PARTS:
        if part in text:
            return role
    return None


# --- splitting lines into cells ----------------------------------------------------------------------------

SPACES_RE = re.compile(r"[ \u3000]{2,}")
MAX_CELLS = 16


def split_row(line: Line) -> list[str] | None:
    """A line's cells when it is a table row: `|`-separated, tab-separated (its leading empty cells kept), or
    cells apart by runs of spaces; None for a line of prose."""
    return split_raw(line.raw, line.cell)


def split_raw(raw: str, cell: bool = False) -> list[str] | None:
    """split_row on one source line as written."""
    if markdown_rule(raw):
        return None
    inner = raw.strip("\r\n")
    if "|" not in inner and inner.count("｜") >= 2:
        inner = inner.replace("｜", "|")  # bars typed full-width (a sheet's own cells keep theirs: row_text)
    text = _clean_cell(inner)
    if "\t" in inner.lstrip("\t").rstrip("\t ") or (cell and "\t" in inner.strip("\t")):
        cells = inner.rstrip().split("\t")
    elif text.count("|") >= 2 or (text.count("|") == 1 and not text.startswith("|")):
        text = text[1:] if text.startswith("|") else text
        text = text[:-1] if text.endswith("|") else text
        cells = text.split("|")
    else:
        # Cells apart by runs of spaces; where that gives too few (an indent, one run among single spaces:
        # 其中:本年财政拨款 760 760 -   -), cells one space apart.
        inner = inner.strip()
        cells = SPACES_RE.split(inner) if SPACES_RE.search(inner) else []
        if "。" in inner and not _row_with_remark(cells):
            cells = []  # a paragraph with wide spaces, not a row
        if len(cells) < 3 and not (len(cells) == 2 and _is_total(cells, "indicator")):
            cells = _single_spaced(inner) or []
        if not cells:
            return None
    cells = [_clean_cell(cell) for cell in cells]
    filled = sum(1 for c in cells if c)
    # A row whose other cells are empty (上年结转资金 | | |) is still a row of its table.
    return cells if (filled >= 2 or (filled == 1 and len(cells) >= 3)) and len(cells) <= MAX_CELLS * 2 else None


MIN_SINGLE_SPACED_CELLS = 4  # the transfer form's funds block: 资金 | 全年预算数 | 全年执行数 | 执行率
MAX_REMARK_CELLS = 2  # words after a row's points: its reason (偏差原因分析) and its measure (改进措施)


MIN_FIGURES_OF_A_ROW = 3


def _row_with_remark(cells: list[str]) -> bool:
    """Cells apart by runs of spaces whose sentence is the last cell only (合计  829.58  …  13.08  部分活动延期。): a
    row of figures with its remark, not a paragraph."""
    return len(cells) >= 4 and all("。" not in cell for cell in cells[:-1]) and \
        sum(1 for cell in cells[:-1] if _is_number(_clean_cell(cell)) or cell_percent(cell)) >= MIN_FIGURES_OF_A_ROW


def _single_spaced(inner: str) -> list[str] | None:
    """Cells one space apart, only where no other reading is possible: a row of column titles each naming a
    column (资金来源 年初预算数 全年预算数 全年执行数 分值权重 执行率 得分), or a label and figures only
    (年度资金总额 5.28 1.96 1.96 10 100.00% 10)."""
    cells = inner.split()
    # An indicator row's reason and measure (…4.52 部分乡镇推进缓慢，已督促 加强调度): words after its points.
    words_end = len(cells)
    while words_end > 0 and len(cells) - words_end < MAX_REMARK_CELLS and not re.search(r"\d", cells[words_end - 1]):
        words_end -= 1
    if any(mark in cell for cell in cells[:words_end] for mark in "。，"):
        return None  # a sentence, not a row
    if words_end in (2, 3) and _is_total(cells[:words_end], "indicator"):
        return cells  # 总分 100 97, and what follows it in words (自评等级：优)
    if not MIN_SINGLE_SPACED_CELLS <= len(cells) <= MAX_CELLS:
        return None
    titles = sum(1 for cell in cells if column_role(cell))
    if titles >= len(cells) - 1:
        return cells
    figures = (_in_wan(cell) for cell in cells[1:] if cell not in BLANK_CELLS)
    if not _is_number(cells[0]) and all(_is_number(cell) or cell_percent(cell) for cell in figures):
        return cells
    # An indicator row (数量指标 指标1:培训人数 200 210人 10 10): words, its target and result, then its weight
    # and score as the last two cells, or before a reason and a measure in words (… 20 10 部分项目延续至下年
    # 加强调度); the header it stands under decides which cell is which.
    if words_end - 2 >= 2 and all(_points(cell) for cell in cells[words_end - 2:words_end]) \
            and not _is_number(cells[0]) and not any("," in cell for cell in cells[:words_end]):
        return cells
    return None


def _in_wan(cell: str) -> str:
    """A funds cell's figure with the block's unit written after it (372.29万元, 150万: figures in 万元)."""
    figure = cell[:-2] if cell.endswith("万元") else cell[:-1] if cell.endswith("万") else cell
    return figure if figure != cell and _is_number(figure) else cell


def _points(cell: str) -> bool:
    value = cell_number(cell)
    return value is not None and value[0] <= 100


def _clean_cell(cell: str) -> str:
    return SPACED_CHINESE_RE.sub("", halfwidth_figures(cell).translate(BLANKS).strip())


# --- fitting a row to the columns --------------------------------------------------------------------------

IMPOSSIBLE = -1000.0


def _is_number(cell: str) -> bool:
    return cell_number(cell) is not None


def _names_level(cell: str, names: frozenset[str]) -> bool:
    """A level's name, or one whose 指标 a narrow column put on the next line (社会效益 / 指标)."""
    return cell in names or cell + "指标" in names


def fit(role: str, cell: str) -> float:
    """How well a (non-empty) cell fits a column role: > 0 plausible, IMPOSSIBLE never."""
    number = _is_number(cell)
    if role in ("weight", "score", "item_score", "rate_weight", "rate_score"):
        return 3.0 if number else IMPOSSIBLE
    if role == "coefficient":
        value = cell_number(cell)
        return 4.0 if value is not None and value[0] <= 1.5 else IMPOSSIBLE
    if role in ("budget", "adjusted_budget", "spent"):
        return 2.0 if number else IMPOSSIBLE
    if role == "rate":
        return 3.0 if cell_percent(cell) is not None else IMPOSSIBLE
    if role == "nature":
        return 4.0 if nature_cell(cell) or cell in QUANTITATIVE_CELLS else IMPOSSIBLE
    if role == "core":
        return 4.0 if cell in YES_NO else IMPOSSIBLE
    if role == "unit":
        if cell in UNIT_WORDS:
            return 2.0
        return 0.2 if len(cell) <= 3 and not re.search(r"\d|指标", cell) and not nature_cell(cell) else IMPOSSIBLE
    if role in ("planned", "achieved", "adjusted_planned"):
        if nature_cell(cell) or cell in YES_NO:
            return IMPOSSIBLE
        return 2.0 if re.search(r"\d", cell) else 0.5
    level1, level2 = _names_level(cell, LEVEL1_NAMES), _names_level(cell, LEVEL2_NAMES)
    if role == "level1":  # a name of both levels (成本指标) is read as the 二级 where either fits
        return (2.9 if level2 else 3.0) if level1 else (IMPOSSIBLE if number or level2 else 0.1)
    if role == "level2":
        return 3.0 if level2 else (IMPOSSIBLE if number or level1 else 0.1)
    if role == "name":  # (服务对象满意度 names an indicator: a level's name cut before 指标 is one too)
        if number or cell in LEVEL1_NAMES or cell in LEVEL2_NAMES or nature_cell(cell):
            return IMPOSSIBLE
        return 1.0
    if role == "reason":
        return IMPOSSIBLE if number or nature_cell(cell) else 0.5
    if role == "label":
        return IMPOSSIBLE if number or cell_percent(cell) else 1.0
    return 0.0


def _funds_fit(role: str, cell: str) -> float:
    """In the funds block a bare number may be money or points alike: only its place tells."""
    return 2.0 if role in ("weight", "score", "rate_weight", "rate_score") and _is_number(cell) else fit(role, cell)


def _funds_fit_of(cells: list[str], percent_titled: bool = False):
    """_funds_fit for one row, where a rate may also be written bare, as a fraction (0.958, 0.1) or in percent
    points (99.97): where the rate's column title says so (执行率（%）), or where two of the row's amounts give it,
    within its rounding (a 10 beside 880 | 880 is points, not a rate of 10%)."""
    amounts = [cell_number(cell)[0] for cell in cells if _is_number(cell)]

    def fits(role: str, cell: str) -> float:
        if role == "rate" and _BARE_RATE.fullmatch(cell) and (
                (percent_titled and rate_cell(cell) is not None) or _amounts_give(cell, amounts)):
            return 3.0
        return _funds_fit(role, cell)
    return fits


def _amounts_give(cell: str, amounts: list[float]) -> bool:
    """A bare rate of at most 100% (99.97, 0.1; 100 itself) that some spending ÷ budget among the amounts gives."""
    rate = rate_cell(cell)
    if rate is None or rate[0] > 1 + 1e-9 or ("." not in cell and cell != "100"):
        return False  # a bare whole number other than 100 is as likely points or money
    slack = 2 * _half(rate[1]) + 1e-9
    # the spending and budget are two other cells: on a budget of 100 a spending of 87.67 gives 87.67 itself
    others = list(amounts)
    value = cell_number(cell)
    if value is not None and value[0] in others:
        others.remove(value[0])
    return any(0 < base and abs(spent / base - rate[0]) <= slack
               for base, spent in itertools.permutations(others, 2) if spent <= base * 1.5)


MAX_ALIGNMENTS = 5000


def align(roles: tuple[str, ...], cells: list[str], required: frozenset[str],
          droppable: frozenset[str] = DROPPABLE, fits=None, agreed: bool = False) -> dict[str, str] | None:
    """The one way the row's cells fill the columns, by role; None when no way fits or several differ (with
    agreed, the cells every best way gives alike).

    A row as long as the header is read cell for cell. A shorter one (merged or empty cells dropped) is tried
    at every placement that keeps the cells in order and drops only droppable columns."""
    fits = fits or fit
    width = len(roles)
    while len(cells) > width and not cells[-1]:
        cells = cells[:-1]
    if len(cells) == width:
        placements = [tuple(range(width))]
    elif len(cells) < width:
        placements = itertools.islice(itertools.combinations(range(width), len(cells)), MAX_ALIGNMENTS)
    else:
        return None
    best, found = IMPOSSIBLE / 2, []
    for placement in placements:
        taken = set(placement)
        if any(i not in taken and roles[i] in required for i in range(width)) and len(cells) < width:
            continue
        if len(cells) < width and any(i not in taken and roles[i] not in droppable and roles[i] not in required
                                      and roles[i] is not None for i in range(width)):
            continue
        total = 0.0
        for cell, column in zip(cells, placement):
            if cell:
                total += fits(roles[column], cell) if roles[column] else 0.0
        if total > best + 1e-9:
            best, found = total, [placement]
        elif abs(total - best) <= 1e-9:
            found.append(placement)
    if not found:
        return None
    readings = {tuple(sorted((roles[c], cell) for cell, c in zip(cells, placement) if cell and roles[c]))
                for placement in found}
    if len(readings) != 1 and not agreed:
        return None
    common = set(min(readings)).intersection(*readings)
    # a role two columns fill (年初 and 调整后 targets): the later column's cell, the same on every run
    reading = dict(pair for cell, c in zip(cells, min(found)) if (pair := (roles[c], cell)) in common)
    # A row as wide as its header may leave a target or a result blank (a finding of its own, not a misreading).
    must = required - {"planned", "achieved"} if len(cells) == width else required
    if any(not reading.get(role) for role in must):
        return None
    return reading


# --- reading a form ----------------------------------------------------------------------------------------


@dataclass
class FormRow:
    """One body row read against the model: its cells by role, its kind and where it stands."""

    kind: str  # indicator | funds | total
    cells: dict[str, str]
    index: int  # position in Document.lines
    line: int
    quote: str
    level1: str | None = None
    level2: str | None = None
    reason_column: bool = True  # the form has a column for the reason of a deduction
    blank: tuple[str, ...] = ()  # figure columns of the header this funds row leaves empty
    initial_only: bool = False  # the header's only budget column is 年初预算数
    positional: bool = True  # every cell stands in its column's place (none dropped from a flattened row)
    source: bool = False  # a row of the funds sources below a total row (其中：当年财政拨款 …)
    # Amounts of a funds row placed in no column: a money cell was dropped and every placement differs.
    unplaced: tuple[str, ...] = ()
    money_unit: str = "万元"  # the unit its block's titles or the form's head give its amounts (元 or 万元)


@dataclass
class FormTable:
    """One 自评表 found in a text: the rows read, the rows not read, its total row, and whether it is whole."""

    block: int
    variant: str  # national | department | province_a | city_b (the closest by its columns)
    rows: list[FormRow] = field(default_factory=list)
    unread: list[tuple[int, int, str, str]] = field(default_factory=list)  # (index, line, quote, why)
    total: FormRow | None = None
    cut_off: bool = False  # the text ends inside the table
    partial: bool = False  # only the funds block was read (cells run together or one per line): no system
    flat: bool = False  # read from cells run together or one per line (flat_funds)
    money_columns: tuple[str, ...] = ()  # the funds block's money columns (budget, adjusted_budget, spent)
    sources_unread: bool = False  # a row of the funds block's sources (其中：财政拨款 …) could not be read
    header_index: int = -1  # where its first header stands (position in Document.lines)

    @property
    def complete(self) -> bool:
        """Every row was read and the text does not cut the table off (a table that ends in its text without a
        total row is whole; its weights are still judged, as the weights of a system)."""
        return not self.unread and not self.cut_off and not self.partial

    @property
    def lines(self) -> set[int]:
        found = {row.index for row in self.rows} | {u[0] for u in self.unread}
        if self.total is not None:
            found.add(self.total.index)
        return found


@dataclass(frozen=True)
class Header:
    roles: tuple[str | None, ...]
    kind: str  # indicator | funds | tasks (the department form's 年度主要任务, read for no fact)
    index: int
    span: int  # lines the header takes
    titled_weight: str | None = None  # a funds block's weight written in its titles: 预算执行情况（20分）, 得分（20分*执行率）
    label_title: str = ""  # what a funds header writes over its label column (项目资金（万元）)
    share_weight: bool = False  # the weight column is a share of the total (权重占比: 12% for 12 points of 100)
    percent_rate: bool = False  # the rate column's title gives its unit (执行率（%）): its bare figures are percents


def _header_kind(roles: list[str | None]) -> str | None:
    present = {r for r in roles if r}
    if INDICATOR_ROLES <= present and present & {"weight", "score", "coefficient"}:
        return "indicator"
    # The transfer-payment form scores nothing: 一级指标 | 二级指标 | 三级指标 | 指标值 | 全年实际完成值 | 未完成原因分析.
    if INDICATOR_ROLES | {"name", "reason"} <= present and present & {"level1", "level2"}:
        return "indicator"
    if len(present & MONEY_ROLES) >= 2 and present & {"weight", "score", "rate_weight", "rate_score"}:
        return "funds"
    # The transfer-payment form's funds block has no points: 全年预算数(A) | 全年执行数(B) | 执行率(B/A).
    if len(present & MONEY_ROLES) >= 3 and {"spent", "rate"} <= present:
        return "funds"
    return None


def _with_label(roles: list[str | None], kind: str | None) -> list[str | None]:
    """A funds header whose label column's title stands on a line of its own (资金情况（万元） above
    全年预算数(A) | 全年执行数(B) | …) still has its rows start with their label (年度资金总额 | 808.1 | …)."""
    if kind == "funds" and "label" not in roles:
        return ["label", *roles]
    return roles


MAX_TITLE_CELL = 40  # a column's title is short; a cell of sentences is a row of the form's text fields


def _is_header_cells(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and not any(_is_number(c) or cell_percent(c) or len(c) > MAX_TITLE_CELL or _sentence(c)
                                    for c in filled)


def _sentence(cell: str) -> bool:
    """A cell of sentences (a goal's text, 各项任务已完成，取得了…。), which titles no column."""
    return "。" in cell or (len(cell) > MAX_STREAM_TITLE and bool(SENTENCE_MARKS.search(cell)))


def _merge_two_rows(first: list[str], second: list[str]) -> list[str]:
    """A two-row header as one: a grouping cell (绩效指标 over 一级/二级/三级指标) gives way to the cells under it."""
    if len(first) == len(second):
        # a title broken over the two rows (年初 over 预算数) whole again, else the cell that names a column (a group's
        # title over its columns: 完成情况 over 年度指标值 | 全年实际完成值)
        return [a + b if a and b and (_exact_title(a + b) or column_role(a) is None and column_role(a + b))
                else b if column_role(b) else a for a, b in zip(first, second)]
    merged: list[str] = []
    pending = [c for c in second if c]
    previous = None
    for cell in first:
        if not cell or cell == previous:
            if previous is not None and column_role(previous) is None:
                continue
            merged.append(cell)
            continue
        if column_role(cell) is None and pending:
            merged.extend(pending)
            pending = []
        else:
            merged.append(cell)
        previous = cell
    return merged


def _under_groups(first: list[str], second: list[str]) -> list[str]:
    """A two-row header whose rows dropped their merged cells, read by its groups: the lower row's titles stand
    where the first group's title stood; a top cell that names a column the lower row does not (未完成原因分析
    down both rows) keeps its side of the groups, and a group's title (绩效指标; 完成情况 over 年度指标值 |
    全年实际完成值) gives way."""
    lower = [cell for cell in second if cell]
    lower_roles = {column_role(cell) for cell in lower} - {None}
    before: list[str] = []
    after: list[str] = []
    grouped = False
    for cell in first:
        role = column_role(cell) if cell else None
        if role is None or role in lower_roles:
            grouped = grouped or bool(cell)
            continue
        (after if grouped else before).append(cell)
    return before + lower + after


INDICATORS_TITLE = re.compile(r"^(?:绩效|评价)?指标$")


def _roles(cells: list[str]) -> list[str | None]:
    roles = [column_role(c) for c in cells]
    # Each level's points beside it (一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | … | 分值 | 得分): the row's own
    # weight is the last; the levels' name no column of the row.
    weights = [k for k, role in enumerate(roles) if role == "weight"]
    for k in weights[:-1]:
        if k and roles[k - 1] in ("level1", "level2"):
            roles[k] = None
    # A funds header's first column is the row label (项目资金 / 年度资金总额 …); where the first two name no
    # column, the first is the block's title down its side (预算执行情况（10分） | 年度预算数（万元） | 年初预算 …) and
    # the second titles the rows' labels (总额, 其中：财政资金 …).
    if roles and roles[0] is None and cells[0]:
        side_title = len(roles) > 2 and roles[1] is None and bool(cells[1]) and roles[2] in MONEY_ROLES
        roles[1 if side_title else 0] = "label"
    # A header with no 三级指标 whose 绩效指标 (评价指标) stands over the indicators' names (二级指标 | 绩效指标 | 分值 |
    # 指标值 …), not over a tree's levels: that column names the rows.
    if "name" not in roles and {"planned", "achieved"} <= set(roles):
        titled = [k for k, cell in enumerate(cells) if roles[k] in (None, "label") and INDICATORS_TITLE.match(cell)]
        if len(titled) == 1:
            roles[titled[0]] = "name"
    return roles


def _exact_title(text: str) -> bool:
    """A column's title word for word (单项指标得分), its notes in brackets aside."""
    whole = re.sub(r"[（(][^）)]{0,12}[）)]", "", text)
    return any(whole in words for _, words in COLUMN_WORDS)


def _join_fragments(cells: list[str]) -> list[str]:
    """A header cell broken over lines by a narrow column (年初 / 预算数, 全年 / 执行数) as one: a short cell naming
    no column that, with the next, makes a header word exactly."""
    joined: list[str] = []
    k = 0
    while k < len(cells):
        cell = cells[k]
        if cell and len(cell) <= 2 and k + 1 < len(cells) and column_role(cell) is None:
            if _exact_title(cell + cells[k + 1]):
                joined.append(cell + cells[k + 1])
                k += 2
                continue
        joined.append(cell)
        k += 1
    return joined


def _header_at(rows: list[tuple[int, int, list[str], str]], position: int) -> Header | None:
    index, _, cells, _ = rows[position]
    cells = _join_fragments(cells)
    if not _is_header_cells(cells):
        return None
    roles = _roles(cells)
    kind = _header_kind(roles)
    if position + 1 < len(rows) and rows[position + 1][0] - index <= 2 and _is_header_cells(rows[position + 1][2]):
        below = rows[position + 1][2]
        below_roles = [column_role(c) for c in below]
        # A row naming no column above a whole header (主管部门 | … | 实施单位 | … over 年初预算数 | …) is the form's
        # head, not the header's top row: the header starts below it.
        top_names_none = not any(column_role(c) for c in cells) and _header_kind(_roles(below)) is not None
        # A row holding figures is the form's head, never its header's top (项目资金 | 预算数 | ￥1,200,000.00).
        top_holds_figures = any(FIGURE_CELL.fullmatch(c.strip()) for c in cells)
        if sum(1 for r in below_roles if r) >= 2 and not top_names_none and not top_holds_figures:
            merged = _merge_two_rows(cells, below)
            if len(below) < len(cells):
                # The lower row written with its empty cells at either end dropped (tabs: 年初 | 全年 over 预算数 |
                # 预算数, the weight's and score's cells empty; a sheet's row whose first cell is merged from above):
                # read column for column at each place it may stand.
                placed = [_merge_two_rows(cells, [""] * offset + below + [""] * (len(cells) - len(below) - offset))
                          for offset in range(len(cells) - len(below) + 1)]
            else:
                placed = []
            # the reading that names the most columns, each once (the first such, in this order)
            merged = max([merged, *placed, _under_groups(cells, below)], key=_columns_named)
            merged_roles = _roles(merged)
            merged_kind = _header_kind(merged_roles)
            if merged_kind:
                return Header(tuple(_with_label(merged_roles, merged_kind)), merged_kind, index, 2,
                              _titled_weight(merged, merged_roles) if merged_kind == "funds" else None,
                              share_weight=_share_weight(merged, merged_roles),
                              percent_rate=_percent_rate(merged, merged_roles))
    if kind:
        label_title = cells[roles.index("label")] if kind == "funds" and "label" in roles else ""
        return Header(tuple(_with_label(roles, kind)), kind, index, 1,
                      _titled_weight(cells, roles) if kind == "funds" else None, label_title,
                      _share_weight(cells, roles), _percent_rate(cells, roles))
    return None


def _columns_named(cells: list[str]) -> tuple[int, int]:
    """How well a header reading names its columns: the roles it names, then the fewer named twice."""
    named = [role for role in _roles(cells) if role]
    return len(set(named)), len(set(named)) - len(named)


FIGURE_CELL = re.compile(r"[￥¥]?\s*\d[\d,]*(?:\.\d+)?\s*(?:万元|元|[%％])?")


def _percent_rate(cells: list[str], roles: list[str | None]) -> bool:
    return any(role == "rate" and PERCENT_TITLE.search(cell) for cell, role in zip(cells, roles))


PERCENT_TITLE = re.compile(r"[（(]\s*[%％]\s*[)）]")


def _share_weight(cells: list[str], roles: list[str | None]) -> bool:
    return any(role == "weight" and SHARE_TITLE.search(cell) for cell, role in zip(cells, roles))


def _weights_in_points(cells: list[str], header: Header) -> list[str]:
    """A weight written as a share (12% under 权重占比) in points (12): the cell in the weight column, counted from
    the row's end where the row is short of the header (merged cells before it dropped), between figures."""
    if not header.share_weight or "weight" not in header.roles:
        return cells
    at = header.roles.index("weight")
    if len(cells) < len(header.roles):
        # the last share between two figures (单项指标得分 | 权重占比 | 折算得分), its reason cell perhaps dropped
        at = next((k for k in range(len(cells) - 2, 0, -1) if cell_percent(cells[k])
                   and _is_number(cells[k - 1]) and _is_number(cells[k + 1])), -1)
    if 0 <= at < len(cells) and (share := cell_percent(cells[at])) is not None:
        cells = list(cells)
        cells[at] = f"{share[0] * 100:.{max(share[1] - 2, 0)}f}"
    return cells


def _stacked_header(rows: list[tuple[int, int, list[str], str]], position: int) -> Header | None:
    """A header of titles one space apart, some broken over two lines by narrow columns (年度 / 指标值, 实际 /
    完成值): the top line's titles that name no column, completed in order by the words of the line below."""
    index, _, cells, prose = rows[position]
    if cells or position + 1 >= len(rows):
        return None
    below_index, _, below_cells, below = rows[position + 1]
    top, bottom = prose.split(), below.split()
    if below_cells or below_index - index > 2 or not MIN_SINGLE_SPACED_CELLS <= len(top) <= MAX_CELLS:
        return None
    broken = [k for k, cell in enumerate(top) if column_role(cell) is None]
    if not broken or len(broken) != len(bottom):
        return None
    titles = list(top)
    for k, rest in zip(broken, bottom):
        titles[k] = top[k] + rest
        if column_role(titles[k]) is None:
            return None
    roles = _roles(titles)
    kind = _header_kind(roles)
    return Header(tuple(_with_label(roles, kind)), kind, index, 2) if kind else None


# A column title's points broken onto the line below its header: (20分*执行率).
POINTS_NOTE = re.compile(r"[（(]\s*(\d{1,2}(?:\.\d)?)\s*分[^（()）]{0,12}[)）]")
# Points written in a column's title (20分, 20分*执行率), not in a column of their own.
TITLED_POINTS = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d)?)\s*分")


def _titled_weight(cells: list[str], roles: list[str | None]) -> str | None:
    """The budget-execution weight a funds header writes in its titles, when it has no weight column and its
    titles name one figure only."""
    if {"weight", "rate_weight"} & set(roles):
        return None
    figures = {match.group(1) for cell in cells for match in TITLED_POINTS.finditer(cell)}
    return figures.pop() if len(figures) == 1 else None


def _table_rows(lines: list[Line], traditional: bool = False,
                stacked_rows: bool = False) -> list[tuple[int, int, list[str], str]]:
    """Every line that is a table row, as (index, source line, cells); a run of tab-led one-cell lines is one
    row; a line of prose gives no cells (it ends a table). Lines the normaliser joined across a blank (a long
    row and the next line) are split back into their source lines, read as written but for pinyin notes and
    traditional script (converted as the lines are)."""
    rows: list[tuple[int, int, list[str]]] = []
    index = 0
    stacked = False  # inside a table pasted one cell per line, its rows parted by blank lines
    while index < len(lines):
        line = lines[index]
        if markdown_rule(line.text):
            index += 1  # a markdown table's rule goes on with its table
            continue
        if stacked_rows and not line.cell and line.text and (index == 0 or not lines[index - 1].text):
            end = index
            while end < len(lines) and lines[end].text and not lines[end].cell:
                end += 1
            cells = [_clean_cell(l.text) for l in lines[index:end]]
            stacked = _stacked_row(lines[index:end], cells, stacked)
            if stacked:
                rows.append((index, line.line, cells, ""))
                index = end
                continue
        if line.cell and line.text and split_row(line) is None:
            end = index
            while end < len(lines) and lines[end].cell and lines[end].text and split_row(lines[end]) is None:
                end += 1
            rows.append((index, line.line, [_clean_cell(l.text) for l in lines[index:end]], ""))
            index = end
            continue
        written = cells_text(line.raw, traditional)
        raws = written.split("\n")
        for number, raw in zip(line.source_lines, raws) if len(raws) == len(line.source_lines) else [(line.line, written)]:
            cells = split_raw(raw, line.cell)
            if cells:
                rows.append((index, number, cells, ""))
            elif raw.strip():
                rows.append((index, number, [], raw.strip()))  # prose: a break
        index += 1
    return rows


MAX_STACKED_CELL = 120  # a cell pasted on a line of its own is no longer than a reason; a paragraph is


def _stacked_row(group: list[Line], cells: list[str], inside: bool) -> bool:
    """Lines between blank lines that are one row of a table pasted one cell per line (as WPS and Word copy a
    table to plain text): a form's header, or, below one, cells short enough to be cells."""
    if not 2 <= len(cells) <= MAX_CELLS or any(len(cell) > MAX_STACKED_CELL or split_row(line)
                                                for cell, line in zip(cells, group)):
        return False  # (a form one cell per line with no blank line between its rows is a stream: cut by the model)
    return inside or _header_kind(_roles(cells)) is not None


def _tree_levels(reading: dict[str, str], level1: str | None, level2: str | None) -> tuple[str | None, str | None]:
    """The 一级 and 二级 names a row stands under: its own, else those of the rows above (merged cells); a 二级 name
    of a known parent (数量指标 under 产出指标) brings that parent when the row names none."""
    if reading.get("level1"):
        level1, level2 = reading["level1"], None
    if reading.get("level2"):
        level2 = reading["level2"]
        parent = next((p for key, p in LEVEL2_PARENT.items() if level2.startswith(key)), None)
        if not reading.get("level1") and parent and parent != level1 and (level1 in LEVEL1_NAMES or level1 is None):
            level1 = parent
    return level1, level2


def _first_text(cells: list[str]) -> str:
    return next((c for c in cells if c), "")


def _is_total(cells: list[str], kind: str) -> bool:
    first = re.sub(r"\s+", "", _first_text(cells))
    words = TOTAL_WORDS if kind == "indicator" else TOTAL_WORDS[:2]  # 合计 in the funds block totals money
    return any(first == word or first.startswith(word) for word in words) and any(_is_number(c) for c in cells)


# --- a form written one cell per line ----------------------------------------------------------------------
#
# A web page's table copied as text, or a form exported cell by cell, puts each cell on a line of its own, with
# the merged and the empty cells dropped: rows of different lengths follow one another with nothing between
# them. The header's cells, one a line, give the columns; the cells after them are cut into rows by the model:
# of every cut whose rows each align with the columns, the one whose cells best fit their columns. A cut that
# ties with another that reads differently is not taken; the lines then stay lines (and are not read as a form).

MAX_STREAM_CELLS = 400  # cells of one form cut into rows (the cut is quadratic in the header's width, linear here)
MAX_STREAM_CELL = 60  # a cell's length: a reason may be a clause; a paragraph is the form's end
MAX_STREAM_TITLE = 16  # a column's title; a line of sentences is never one
SENTENCE_MARKS = re.compile(r"[，。；,;]")
MIN_STREAM_CELLS = 6  # a header of four titles and a row, at the least
CELL_WEIGHT = 10.0  # every cell a row takes is worth more than any fit: the cut reads as many cells as it can


def _single_cell(row: tuple[int, int, list[str], str]) -> str | None:
    """The cell a line holds alone (prose with no separator, short and no paragraph), else None."""
    _, _, cells, prose = row
    if cells or not prose or len(prose) > MAX_STREAM_CELL or "|" in prose:
        return None  # (cells closed by bars are read as such: _bar_closed_cells)
    return _clean_cell(prose)


def _title_cell(cell: str) -> bool:
    return len(cell) <= MAX_STREAM_TITLE and not SENTENCE_MARKS.search(cell) and column_role(cell) is not None


def _stream_header(cells: list[str], start: int) -> tuple[list[str], int] | None:
    """The header whose cells stand one a line from `start` (a title broken over two lines joined): its titles and
    the position after it, when they name the columns of a form."""
    titles: list[str] = []
    k = start
    while k < len(cells) and len(titles) < MAX_CELLS and len(cells[k]) <= MAX_STREAM_TITLE \
            and not SENTENCE_MARKS.search(cells[k]):
        for span in (1, 2):
            joined = "".join(cells[k:k + span])
            if k + span <= len(cells) and (span == 1 or len(cells[k]) <= 3) and column_role(joined):
                titles.append(joined)
                k += span
                break
        else:
            break
    if len(titles) < 4 or _header_kind(_roles(titles)) is None:
        return None
    return titles, k


def _total_length(cells: list[str], start: int) -> int:
    """The cells of a total row at `start` (总分 | 100 | 97.5): its word and the figures after it."""
    if not any(cells[start] == word or cells[start].startswith(word) for word in TOTAL_WORDS):
        return 0
    k = start + 1
    while k < len(cells) and k - start <= 4 and (_is_number(cells[k]) or cells[k] in BLANK_CELLS
                                                  or cell_percent(cells[k]) is not None):
        k += 1
    return k - start if k - start >= 2 else 0


def _cut_rows(header: Header, cells: list[str]) -> list[int] | None:
    """Where the rows begin (and where the last ends) in the cells after a header. A funds row runs from its
    label to the next label. Indicator rows are cut where the rows read the most cells, each best fitted to its
    column; None when two such cuts read differently, or when figures are left after the last row. The cut ends
    at a total row, or before the form's words that follow it (评价等级 | 优).

    The cut is an alignment of the cells to the columns taken row after row, each row skipping only columns
    that may be dropped (merged or empty): a table of states (cell, next column), linear in the cells."""
    if header.kind == "funds":
        return _cut_funds_rows(cells, 1 + sum(1 for role in header.roles if role not in (None, "label", "reason")))
    roles, width = header.roles, len(header.roles)
    cells = ["" if cell in BLANK_CELLS else cell for cell in cells]
    skippable = [role is None or role in DROPPABLE for role in roles]
    # may_end[j]: a row whose next column is j may end here (the columns left may all be dropped)
    may_end = [all(skippable[j:]) for j in range(width + 1)]

    def fits(role: str | None, cell: str) -> float:
        if not cell or role is None:
            return 0.0
        if role == "weight" and header.share_weight and cell_percent(cell) is not None:
            return 3.0  # a share of the total (权重占比 12%), read as points by the row's reader
        if role == "name" and SENTENCE_MARKS.search(cell):
            return IMPOSSIBLE  # a sentence is a reason, never an indicator's name
        return fit(role, cell)

    m = len(cells)
    # value[i][j], tied[i][j], step[i][j]: the best reading of cells[i:] when the row in hand goes on at column
    # j (0: a new row), whether another reads as well, and the move taken: ("stop"), ("total", n), ("group",),
    # ("end",), ("cell", column)
    value = [[0.0] * (width + 1) for _ in range(m + 1)]
    tied = [[False] * (width + 1) for _ in range(m + 1)]
    step: list[list[tuple]] = [[("stop",)] * (width + 1) for _ in range(m + 1)]
    for j in range(1, width + 1):
        value[m][j], step[m][j] = (0.0, ("end",)) if may_end[j] else (IMPOSSIBLE, ("stop",))
    for i in range(m - 1, -1, -1):
        total = _total_length(cells, i)
        for j in [0] + list(range(width, 0, -1)):
            options: list[tuple[float, bool, tuple]] = []
            if j == 0:
                options.append((0.0, False, ("stop",)))  # the form ends here
                if total:
                    options.append((CELL_WEIGHT * total, False, ("total", total)))
                elif "level1" not in roles and _names_level(cells[i], LEVEL1_NAMES | LEVEL2_NAMES):
                    # a group's name on a line of its own (产出指标 over its rows)
                    options.append((CELL_WEIGHT + value[i + 1][0], tied[i + 1][0], ("group",)))
            elif may_end[j]:
                options.append((value[i][0], tied[i][0], ("end",)))
            no_row_here = j == 0 and (not cells[i] or total)  # a row starts with a cell; a total is no row
            for column in range(j, width) if not no_row_here else ():
                score = fits(roles[column], cells[i])
                if score > IMPOSSIBLE / 2:
                    options.append((CELL_WEIGHT + score + value[i + 1][column + 1], tied[i + 1][column + 1],
                                    ("cell", column)))
                if not skippable[column]:
                    break
            if not options:
                value[i][j] = IMPOSSIBLE
                continue
            top = max(option[0] for option in options)
            winners = [option for option in options if abs(option[0] - top) <= 1e-9]
            value[i][j], tied[i][j], step[i][j] = top, len(winners) > 1 or winners[0][1], winners[0][2]
    if tied[0][0] or value[0][0] <= 0:
        return None
    starts, i, j = [0], 0, 0
    while i < m and step[i][j][0] != "stop":
        move = step[i][j]
        if move[0] == "total":
            i += move[1]
            starts.append(i)
            break
        if move[0] == "group":
            i += 1
            starts.append(i)
        elif move[0] == "end":
            j = 0
            starts.append(i)
        else:
            i, j = i + 1, move[1] + 1
    else:
        if j and i > starts[-1]:
            starts.append(i)
    if starts[-1] == 0 or any(c and _figure_cell(c) for c in cells[starts[-1]:]):
        return None  # figures left after the last row: rows the cut could not read, so none is taken
    return starts


def _cut_funds_rows(cells: list[str], width: int) -> list[int] | None:
    """Funds rows one cell per line: each from its label to the next label, while the labels name money (年度资金总额,
    其中：财政拨款, 上年结转资金) and the first row (the total) fills every column; the block ends at a label of
    another kind (年度总体目标, an indicator's name). A total short of a cell is left to the reader of flattened
    funds rows, which places its figures by the form's arithmetic (flat_funds)."""
    unlabelled = bool(cells) and _figure_cell(cells[0])  # a row without its label: the total
    starts: list[int] = [0] if unlabelled else []
    end = len(cells)
    for k, cell in enumerate(cells):
        if not cell or _figure_cell(cell):
            continue
        if not MONEY_ROW_LABEL.search(cell) or re.search(r"[\d%％≥≤]", cell):
            end = k
            break
        starts.append(k)
    while starts and end - starts[-1] < 2:  # a last row of its label alone (其他资金, its cells empty): not read
        end = starts.pop()
    first = starts[1] if len(starts) > 1 else end
    if not starts or starts[0] != 0 or first + unlabelled != width:
        return None
    return starts + [end]


def _figure_cell(cell: str) -> bool:
    return cell in BLANK_CELLS or _is_number(_in_wan(cell)) or cell_percent(cell) is not None


def _cells_per_line(rows: list[tuple[int, int, list[str], str]]) -> list[tuple[int, int, list[str], str]]:
    """The rows, with each form written one cell per line made rows of cells: its header one row, then each row
    of the cut (the lines after the last row it reads stay as they are)."""
    out: list[tuple[int, int, list[str], str]] = []
    position = 0
    while position < len(rows):
        end = position
        while end < len(rows) and end - position < MAX_STREAM_CELLS and _single_cell(rows[end]) is not None:
            end += 1
        if end - position < MIN_STREAM_CELLS:
            out.extend(rows[position:max(end, position + 1)])
            position = max(end, position + 1)
            continue
        stream = rows[position:end]
        cells = [_single_cell(row) or "" for row in stream]
        # a header starts after a cell that titles no column (never inside another header)
        headers = {k: found for k in range(len(cells))
                   if not (k and _title_cell(cells[k - 1])) and (found := _stream_header(cells, k))}
        k = 0
        while k < len(cells):
            starts = None
            if k in headers:
                titles, body = headers[k]
                stop = next((j for j in range(body, len(cells)) if j in headers), len(cells))
                roles = _roles(titles)
                kind = _header_kind(roles)
                header = Header(tuple(_with_label(roles, kind)), kind, stream[k][0], body - k,
                                share_weight=_share_weight(titles, roles))
                starts = _cut_rows(header, cells[body:stop])
            if not starts or len(starts) < 2:
                out.append(stream[k])
                k += 1
                continue
            out.append((stream[k][0], stream[k][1], titles, ""))
            for a, b in zip(starts, starts[1:]):
                row = cells[body + a:body + b]
                if kind == "funds" and _figure_cell(row[0]):
                    row = ["", *row]  # the label the side title stands for (部门预算执行情况 | 515.59 | …)
                out.append((stream[body + a][0], stream[body + a][1], row, ""))
            k = body + starts[-1]
        position = end
    return out


def read_forms(lines: list[Line], traditional: bool = False) -> list[FormTable]:
    """Every 自评表 in the lines (of a text written in traditional script or not), read against the model; where
    that reads no indicator, a table pasted one cell per line read as rows parted by its blank lines, when that
    reads it whole (every row, and its total row)."""
    tables = _read_forms(lines, traditional, stacked=False)
    if any(row.kind == "indicator" for table in tables for row in table.rows):
        return tables
    stacked = _read_forms(lines, traditional, stacked=True)
    whole = any(table.total is not None and not table.unread and any(row.kind == "indicator" for row in table.rows)
                for table in stacked)
    return stacked if whole else tables


def _read_forms(lines: list[Line], traditional: bool, stacked: bool) -> list[FormTable]:
    rows = _cells_per_line(_table_rows(lines, traditional, stacked))
    tables: list[FormTable] = []
    current: FormTable | None = None
    header: Header | None = None
    block = 0
    level1 = level2 = None
    money_unit = "万元"
    position = 0
    # The last line that is not a cell of a row written one cell per line: a table at or past it ends the text.
    last_index = max((i for i, line in enumerate(lines) if line.text and not line.cell), default=-1)
    while position < len(rows):
        index, number, cells, prose = rows[position]
        found = _header_at(rows, position) if cells else _stacked_header(rows, position)
        if found and header is not None and current is not None and current.total is None \
                and found.roles == header.roles and found.kind == "indicator":
            position += found.span  # the header repeated where a page breaks the table (续表): the same table
            continue
        if found:
            if current is None or current.total is not None or any(
                    row.kind == ("funds" if found.kind == "funds" else "indicator") for row in current.rows):
                block += 1
                current = FormTable(block, "national", header_index=index)
                tables.append(current)
                level1 = level2 = None
            header = found
            position += found.span
            _guess_variant(current, found)
            if found.kind == "funds":
                current.money_columns = tuple(role for role in MONEY_COLUMNS if role in found.roles)
                titles = [cell for _, _, row_cells, _ in rows[position - found.span:position] for cell in row_cells]
                money_unit = _money_unit(lines, found.index, titles)
            continue
        if not cells:
            note = POINTS_NOTE.fullmatch(prose)
            if note and header is not None and current is not None and not current.rows and header.kind == "funds":
                # A title's points wrapped onto the line below the header ((20分*执行率) under 得分).
                if header.titled_weight is None and not {"weight", "rate_weight"} & set(header.roles):
                    header = replace(header, titled_weight=note.group(1))
                position += 1
                continue
            if current is not None and not _is_short_title(prose) and not FORM_TEXT_FIELD.match(prose):
                current, header = None, None
            position += 1
            continue
        if current is None or header is None:
            position += 1
            continue
        if any(TASK_TITLE.fullmatch(cell) for cell in cells[:3]):
            header = Header((), "tasks", index, 1)  # the department form's 年度主要任务 block: its own columns
        if header.kind == "tasks":
            position += 1  # a task's budget and spending (任务名称 | 主要内容 | 预算数 | 执行数): none of the form's facts
            continue
        quote = " | ".join(c for c in cells if c)
        if _is_total(cells, header.kind):
            if header.share_weight:  # 综合得分 | 100% | 90.33: the shares' total, 100 points
                cells = [f"{share[0] * 100:g}" if (share := cell_percent(c)) else c for c in cells]
            current.total = FormRow("total", _total_cells(cells, header), index, number, quote)
            position += 1
            continue
        required = frozenset({"name", "planned", "achieved"} | (
            {"coefficient", "weight", "score"} if "coefficient" in header.roles else
            {"weight", "score"} if "score" in header.roles else set())) if header.kind == "indicator" else \
            frozenset({"label"})
        if header.kind == "funds":
            # 372.29万元 in a block in 万元; a row's own label beside the block's side title; a weight as a share
            # cells in their columns' places, the empty tail dropped: empty cells kept before the figures, or the
            # block's side title repeated in the first (资金情况（元） | 其中：当年财政拨款 | 137400 | …)
            in_place = _kept_in_place(cells) or bool(cells and header.label_title and cells[0] == header.label_title)
            cells = _weights_in_points(_row_label_moved([_in_wan(cell) for cell in cells], header, in_place), header)
            if not any(row.kind == "funds" for row in current.rows):
                cells = _unlabelled_total(cells, header)
            if not any(_is_number(c) or cell_percent(c) for c in cells) \
                    and not MONEY_ROW_LABEL.search(_first_text(cells)):
                position += 1  # the form's next field under its funds block (年度总体目标 | 预期目标 …): no money
                continue
            droppable = frozenset(header.roles) - {"label"}
            unplaced: tuple[str, ...] = ()
            fits = _funds_fit_of(cells, header.percent_rate)
            reading = align(header.roles, _without_trailing_blanks(cells), required, droppable, fits)
            if reading is None and len(cells) <= len(header.roles):
                # Cells placed with their empty tail (| 10 | | |: the weight, not the score) and their dashes as
                # empty cells (其中：财政拨款 | 110 | 110 | 100 | — | — | —): a row as wide as its header is read cell
                # for cell, one a cell short (the header's side title: 预算执行情况（10分）) drops that title.
                reading = align(header.roles, ["" if c in BLANK_CELLS else c for c in cells], required, droppable,
                                fits)
            if reading is None and in_place and len(cells) < len(header.roles):
                # Empty cells kept before its figures, its empty tail dropped (a sheet's row: 其中：财政拨款 | | | 102.48
                # | 94.86 | 85.71): every cell stands in its column's place.
                padded = cells + [""] * (len(header.roles) - len(cells))
                reading = align(header.roles, ["" if c in BLANK_CELLS else c for c in padded], required, droppable,
                                fits)
            if reading is None:
                # A money cell dropped (部门整体支出总额 | 864.2 | 100% | 20 under 预算数 | 执行数 | 执行率 | 得分): the
                # cells every placement gives alike, when the rate is among them; the money stays unread.
                agreed = align(header.roles, _without_trailing_blanks(cells), required, droppable, fits,
                               agreed=True)
                reading = agreed if agreed and "rate" in agreed else None
                unplaced = _unplaced(cells, reading) if reading else ()
            if reading is None and not SUB_FUNDS.search(_first_text(cells)):
                reading = _agreed_one_figure_over(header.roles, _without_trailing_blanks(cells), required, droppable)
            if reading is None and (own := _side_title_dropped(cells)):
                reading = align(header.roles, ["" if c in BLANK_CELLS else c for c in own[:len(header.roles)]],
                                required, droppable, fits) if len(own) <= len(header.roles) else None
            if reading is None:
                if any(_is_number(c) for c in cells) and not SUB_FUNDS.search(_first_text(cells)):
                    current.unread.append((index, number, quote, "资金栏与表头列数不符"))
                current.sources_unread |= bool(FUNDS_SOURCE.search(_first_text(cells)))
                position += 1
                continue
            if header.titled_weight and _is_number(reading.get("score", "")):
                reading = {**reading, "weight": header.titled_weight}
            trimmed = _without_trailing_blanks(cells)
            current.rows.append(FormRow("funds", reading, index, number, quote,
                                        blank=_blank_figures(header.roles, reading),
                                        initial_only=_initial_only(header.roles),
                                        positional=len(trimmed) <= len(header.roles) <= len(cells),
                                        unplaced=unplaced, money_unit=money_unit))
            position += 1
            continue
        reading = align(header.roles, _weights_in_points(cells, header), required, DROPPABLE, fit)
        if reading is None and (own := _side_title_dropped(cells)):
            reading = align(header.roles, _weights_in_points(own, header), required, DROPPABLE, fit)
        if reading is None:
            if sum(1 for c in cells if c) >= 3 and any(_is_number(c) for c in cells):
                current.unread.append((index, number, quote, "单元格与表头无法唯一对应"))
            position += 1
            continue
        level1, level2 = _tree_levels(reading, level1, level2)
        current.rows.append(FormRow("indicator", reading, index, number, quote, level1, level2,
                                    "reason" in header.roles))
        position += 1
    tables = _funds_joined_to_indicators(tables, rows)
    for table in tables:
        # The text ends inside the table, or after it with a row's first words only (满 of 满意度指标 …).
        last_row = max(table.lines, default=-1)
        ends_text = last_row >= last_index or all(
            not line.text or line.cell or _is_short_title(line.text) for line in lines[last_row + 1:])
        table.cut_off = table.total is None and ends_text
    tables = [table for table in tables if table.rows or table.unread]
    if not any(row.kind == "funds" for table in tables for row in table.rows):
        tables += flat_funds(lines, block + 1)
    if not any(row.kind == "indicator" for table in tables for row in table.rows):
        tables += numbered_rows(lines, block + 1 + len(tables))
    return tables


TASK_TITLE = re.compile(r"(?:年度)?(?:主要|重点)任务|任务名称")
MAX_LINES_BETWEEN_BLOCKS = 8  # a form's goal fields between its funds block and its indicator header, in rows


YUAN_TITLE = re.compile(r"[（(]\s*(?:(?:金额)?单位\s*[:：]\s*)?元\s*[）)]")
WAN_TITLE = re.compile(r"[（(]\s*(?:(?:金额)?单位\s*[:：]\s*)?万元\s*[）)]")
MAX_LINES_TO_TITLE = 3  # the block's title (资金情况（元）) on a line of its own right above its header
UNIT_LINE = re.compile(r"(?:金额|资金)?单位\s*[:：]\s*(万元|元)(?![/／])")
MAX_LINES_TO_UNIT = 12  # the form's head (填报单位 … 金额单位：元) stands a few lines above its funds block


def _money_unit(lines: list[Line], index: int, titles: list[str]) -> str:
    """The unit of a funds block's amounts: its titles' (资金情况（元）, 年初预算数（万元）), else the form's head's
    (金额单位：元) a few lines above it, else 万元 as the national form prints it."""
    text = "".join(titles)
    if "万元" in text:
        return "万元"
    if YUAN_TITLE.search(text):
        return "元"
    for at in range(index - 1, max(-1, index - MAX_LINES_TO_UNIT), -1):
        text = lines[at].text
        if found := UNIT_LINE.search(text):
            return found.group(1)
        if index - at <= MAX_LINES_TO_TITLE and (WAN_TITLE.search(text) or YUAN_TITLE.search(text)):
            return "万元" if WAN_TITLE.search(text) else "元"
    return "万元"


def _funds_joined_to_indicators(tables: list[FormTable], rows: list[tuple[int, int, list[str], str]]) -> list[FormTable]:
    """A funds block and the indicator block right below it are one form, though a line of words between them
    (its goal, 2019年，通过实施…。) was read as the end of a table. Apart is counted in rows and lines of words, not
    source lines (a form written one cell per line spends a line on each cell); the block's own source rows that
    were not read (上年结转资金 | 0 | — | —) do not count."""
    position = {}
    for at, (index, *_) in enumerate(rows):
        position.setdefault(index, at)

    def apart(above: FormTable, table: FormTable) -> int:
        between = rows[position[max(above.lines)] + 1:position[table.header_index]]
        return sum(1 for _, _, cells, _ in between if not FUNDS_SOURCE.search(_first_text(cells)))
    joined: list[FormTable] = []
    for table in tables:
        above = joined[-1] if joined else None
        if (above is not None and above.total is None and above.rows
                and all(row.kind == "funds" for row in above.rows)
                and table.rows and not any(row.kind == "funds" for row in table.rows)
                and (apart(above, table) <= MAX_LINES_BETWEEN_BLOCKS or _completes(above, table))):
            table.rows[:0] = above.rows
            table.unread[:0] = above.unread
            table.money_columns = table.money_columns or above.money_columns
            table.sources_unread |= above.sources_unread
            joined[-1] = table
            continue
        joined.append(table)
    return joined


def _completes(funds: FormTable, table: FormTable) -> bool:
    """The funds block's execution weight is what the indicator block's weights lack of its total (90 of 100 with
    10 above, the department form's 年度主要任务 between them): one form, however far apart."""
    weights = [_number(row.cells, "weight") for row in table.rows if row.kind == "indicator"]
    total = _number(table.total.cells, "weight") if table.total is not None else None
    execution = next((w for row in funds.rows if (w := _number(row.cells, "weight") or
                                                  _number(row.cells, "rate_weight"))), None)
    if total is None or execution is None or not weights or None in weights:
        return False
    return abs(sum(w[0] for w in weights) + execution[0] - total[0]) < 1e-6


def _unlabelled_total(cells: list[str], header: Header) -> list[str]:
    """A funds block's first row with its label left empty under the block's side title (merged over the rows,
    figures only: | | 707.93 | 707.93 | …): the total, labelled so."""
    if "label" not in header.roles:
        return cells
    at = header.roles.index("label")
    if not at < len(cells) <= len(header.roles) or any(cells[:at + 1]):
        return cells
    return cells[:at] + [TOTAL_LABEL] + cells[at + 1:]


def _side_title_dropped(cells: list[str]) -> list[str] | None:
    """A row that also holds its block's title down the side, written beside the one row it is centred on (绩效指标
    | 成本指标 | 经济成本指标 | …, 项目资金（万元） | 其中：财政拨款 | …: a table drawn without ruling lines, a page's
    text): the row without it, when the title and the row's own first cell are both words."""
    if len(cells) > 2 and all(cells[k] and not any(ch.isdigit() for ch in cells[k]) for k in (0, 1)):
        return cells[1:]
    return None


def _kept_in_place(cells: list[str]) -> bool:
    """A row that keeps an empty cell before its first figure (a merged side title, an empty column): its cells
    stand in their places."""
    first = next((k for k, cell in enumerate(cells) if _is_number(cell) or cell_percent(cell)), None)
    return first is not None and "" in cells[:first]


def _row_label_moved(cells: list[str], header: Header, in_place: bool = False) -> list[str]:
    """A funds row as wide as its header (or its empty tail dropped) whose label column holds the block's title
    down its side (项目资金（万元）, merged, left empty or repeated) and whose own label (年度资金总额, 其中：财政拨款)
    stands in the unnamed column after it: the label moved into the label column."""
    roles = header.roles
    if "label" not in roles or len(cells) > len(roles) or (len(cells) < len(roles) and not in_place):
        return cells
    at = roles.index("label")
    if cells[at] not in ("", header.label_title):
        return cells
    after = []
    for k in range(at + 1, len(roles)):
        if roles[k] is not None:
            break
        after.append(k)
    own = next((k for k in after if cells[k] and not _is_number(cells[k])), None)
    if own is None:
        return cells
    moved = list(cells)
    moved[at], moved[own] = cells[own], ""
    return moved


def _agreed_one_figure_over(roles: tuple[str, ...], cells: list[str], required: frozenset[str],
                            droppable: frozenset[str]) -> dict[str, str] | None:
    """A funds row one figure wider than its header (a column the header's merged title hides: 28.1 | 28.1 | 28.1 |
    28.1 | 10 | 100% | 10 under three money columns): the cells every way of leaving one figure out gives alike,
    where each way fits the form's arithmetic and the rate is among them; the rest stays unread."""
    if len(cells) != len(roles) + 1:
        return None
    readings = []
    for drop in range(len(cells)):
        if not _is_number(cells[drop]):
            continue
        reading = align(roles, cells[:drop] + cells[drop + 1:], required, droppable, _funds_fit)
        if reading is not None and funds_consistent(reading):
            readings.append(reading)
    if not readings:
        return None
    agreed = dict(set(readings[0].items()).intersection(*(reading.items() for reading in readings[1:])))
    return agreed if "rate" in agreed else None


def _without_trailing_blanks(cells: list[str]) -> list[str]:
    """A funds row's cells up to its last filled one: its empty tail is the page's table padding (| |||||), not
    cells of its columns, and reading it cell for cell would set the figures under the wrong titles when the header
    has a label column more than the row (总体资金 | 资金来源 | 年初预算数 … over 项目支出 | 187.36 | …)."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _total_cells(cells: list[str], header: Header) -> dict[str, str]:
    """The weight and score of a total row: from their columns when the row is as wide as the header, else its
    numbers in the order the header gives weight and score (总分 | 100 | 97; 自评总分 | 97)."""
    roles = header.roles
    if len(cells) == len(roles) and "score" in roles:
        found = {role: cell for role, cell in zip(roles, cells) if role in ("weight", "score") and _is_number(cell)}
        if "score" in found:
            return found
    numbers = [c for c in cells if _is_number(c)]
    if len(numbers) == 1:
        return {"score": numbers[0]}
    weight_first = "score" not in roles or "weight" not in roles or roles.index("weight") < roles.index("score")
    first, second = numbers[0], numbers[-1]
    return {"weight": first, "score": second} if weight_first else {"weight": second, "score": first}


def _is_short_title(text: str) -> bool:
    """A line inside a form that is no row: 绩效指标, 年度总体目标 … (short, no sentence)."""
    return len(re.sub(r"\s", "", text)) <= 16 and "。" not in text


def _guess_variant(table: FormTable, header: Header) -> None:
    roles = set(header.roles)
    if "coefficient" in roles:
        table.variant = "department"
    elif "item_score" in roles:
        table.variant = "city_b"
    elif header.kind == "indicator" and table.variant == "national" and "reason" in roles and "unit" not in roles:
        table.variant = "province_a"


# --- from the model to the facts --------------------------------------------------------------------------

DURATION_UNITS = frozenset({"天", "日", "月", "个月", "小时", "分钟", "工作日", "年", "周"})
MONEY_UNITS = frozenset({"元", "万元", "亿元", "元/人", "万元/个", "元/平方米"})
# Where nothing says which way an indicator points: its kind (the 二级指标) and its unit decide.
KIND_DIRECTIONS = (("成本", "≤"), ("时效", None), ("数量", "≥"), ("质量", "≥"), ("满意度", "≥"), ("效益", "≥"))
FORM_GROUP_BASE = 10_000  # form tables' groups, apart from those of other score tables


# A standard paid per head or per item (人均补助标准 84元) is set by policy: a result above it is a raised standard as
# much as an overspend, so with nothing written to say which way it points, none is assumed.
PAID_STANDARD = re.compile(r"(?:补助|补贴|资助|救助|奖补|奖励|发放|经费)标准")


def direction(nature_text: str, target: Measure | None, level2: str | None,
              unit: str = "", name: str = "") -> tuple[str | None, str | None, str | None]:
    """(nature, source, note): from the 指标性质 column, else the target's comparator (≥ ≤ = 不低于 以内 …), else
    assumed from the indicator's kind and unit; the note says what was assumed (指标性质未写明，按成本指标视为≤), or
    why nothing was (a paid standard)."""
    stated = nature_cell(nature_text) if nature_text else None
    if stated:
        return stated, "column", None
    if target is None:
        return None, None, None
    if target.quantity is None:
        return "qualitative", "wording", None
    if target.comparison:
        return target.comparison, "wording", None
    if target.quantity.value == 0:
        return "=", "default", "指标性质未写明，指标值为0，视为＝"
    unit = target.unit or unit
    if PAID_STANDARD.search(name):
        return None, None, "指标性质未写明，补助标准高于或低于指标值均可能合理，未重新计分"
    kind = next((word for word, _ in KIND_DIRECTIONS if level2 and word in level2), None)
    if kind == "成本" or (kind is None and unit in MONEY_UNITS):
        return "≤", "default", "指标性质未写明，按成本指标视为≤"
    if unit in DURATION_UNITS and kind in ("时效", None):
        return "≤", "default", "指标性质未写明，按时效指标（时限）视为≤"
    return "≥", "default", f"指标性质未写明，按{kind or '数量'}指标视为≥"


@dataclass
class FormReading:
    """What the forms of a text give: indicators, funds rows, score items, budget lines, and rows not read."""

    tables: list[FormTable]
    indicators: list[Indicator] = field(default_factory=list)
    execution_rows: list[ExecutionRow] = field(default_factory=list)
    score_items: list[ScoreItem] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    unread: list[tuple[Evidence, str]] = field(default_factory=list)
    flat_runs: dict[int, str] = field(default_factory=dict)  # source line -> funds cells run together, read here
    blank_cells: list[BlankCell] = field(default_factory=list)  # a funds total row's empty columns
    funds_sources: list[FundsSources] = field(default_factory=list)  # funds totals and their sources' rows

    def read_here(self, line: int, raw: str) -> bool:
        """A figure another reader took out of a funds row this reader split by the form's arithmetic."""
        return bool(raw) and raw in self.flat_runs.get(line, "")

    @property
    def lines(self) -> set[int]:
        """Positions (in Document.lines) of every row the forms hold."""
        return {index for table in self.tables for index in table.lines}


def _number(cells: dict[str, str], role: str) -> tuple[float, int] | None:
    return cell_number(cells.get(role, "")) if cells.get(role) else None


def _evidence(outline: Outline, row: FormRow) -> Evidence:
    return Evidence(row.line, outline.section_of(row.index).path, row.quote)


def _half(decimals: int) -> float:
    return 0.5 * 10 ** -decimals if decimals else 0.0


def read_form_facts(outline: Outline) -> FormReading:
    """Read every 自评表 of a document against the model and turn its rows into extraction facts."""
    reading = FormReading(read_forms(outline.document.lines, outline.document.script == "traditional"))
    for table in reading.tables:
        group = FORM_GROUP_BASE + table.block
        complete = table.complete
        items: list[ScoreItem] = []
        places = _score_places(table)
        reading.funds_sources += _funds_sources(table, outline)
        for row in table.rows:
            evidence = _evidence(outline, row)
            if row.kind == "funds":
                _funds_row(row, evidence, group, reading, items, complete, places)
                if row is next(r for r in table.rows if r.kind == "funds"):  # the block's total row
                    reading.blank_cells += [BlankCell(evidence, (FUNDS_COLUMN_TITLES[role],)) for role in row.blank]
                    if row.unplaced:
                        reading.blank_cells.append(BlankCell(evidence, tuple(
                            FUNDS_COLUMN_TITLES[role] for role in table.money_columns), row.unplaced))
                if table.flat:
                    reading.flat_runs[row.line] = reading.flat_runs.get(row.line, "") + row.quote
            else:
                _indicator_row(row, evidence, group, reading, items, complete, places)
        for index, line, quote, why in table.unread:
            reading.unread.append((Evidence(line, outline.section_of(index).path, quote), why))
        if table.total is not None and not table.cut_off:
            weight, score = _number(table.total.cells, "weight"), _number(table.total.cells, "score")
            items.append(ScoreItem(_first_word(table.total.quote),
                                      0, None, weight[0] if weight else None, score[0] if score else None, None,
                                      _evidence(outline, table.total), "table",
                                      _half(weight[1]) if weight else 0.0, _half(score[1]) if score else 0.0,
                                      group=group, complete=complete))
        reading.score_items.extend(items)
    reading.score_items += _titled_system(outline, reading)
    return reading


# A form flattened onto one line whose indicator rows could not be read still states its system in its titles:
# the 一级指标's weights (产出指标（50分）, 效益指标（30分）, 满意度指标（10分）) beside its funds row's weight.
TITLED_LEVEL1 = re.compile(r"(产出|效益|满意度|成本)指标[（(](\d{1,2}(?:\.\d)?)分[）)]")
TITLED_SYSTEM_GROUP = FORM_GROUP_BASE - 1


def _titled_system(outline: Outline, reading: FormReading) -> list[ScoreItem]:
    """The weights a one-line form states in its titles, with its funds row's, as one system without a total row
    (a question when they do not total 100); only where no indicator row was read, there is one funds row with a
    weight, and every 一级 name stands once on its line (not two forms, not a report's headings)."""
    weighted = [row for row in reading.execution_rows if row.weight is not None]
    if reading.indicators or len(weighted) != 1:
        return []
    funds = weighted[0]
    text = re.sub(r"\s+", "", outline.document.raw_line(funds.evidence.line))
    titles = TITLED_LEVEL1.findall(text)
    names = [name for name, _ in titles]
    if len(titles) < 2 or len(set(names)) != len(names):
        return []
    quote = "、".join(f"{name}指标（{weight}分）" for name, weight in titles) + f"；{funds.label}分值{funds.weight:g}"
    evidence = Evidence(funds.evidence.line, funds.evidence.section, quote)
    items = [ScoreItem(f"{name}指标", 1, None, float(weight), None, None, evidence, "table",
                       _half(len(weight.partition(".")[2])), group=TITLED_SYSTEM_GROUP) for name, weight in titles]
    return items + [ScoreItem(EXECUTION_ITEM, 1, None, funds.weight, None, None, evidence, "table",
                              _half(funds.weight_decimals), group=TITLED_SYSTEM_GROUP)]


def _first_word(quote: str) -> str:
    return quote.split(" | ")[0]


def _money_line(row: FormRow, evidence: Evidence) -> BudgetLine:
    """A funds row's money and execution rate, as a budget line."""
    cells = row.cells
    label = cells.get("label", "")
    amounts: dict[str, Amount] = {}
    scale = 1e-4 if row.money_unit == "元" else 1.0
    for measure in MONEY_COLUMNS:
        number = _number(cells, measure)
        if number:
            amounts[measure] = Amount(measure, label, number[0] * scale, _half(number[1]) * scale, row.money_unit,
                                      cells[measure], evidence)
    percent = rate_cell(cells.get("rate", "")) if cells.get("rate") else None
    rate = Rate("execution", "执行率", percent[0], _half(percent[1]), cells["rate"], evidence) if percent else None
    return BudgetLine(label, evidence, amounts, {"execution": rate} if rate else {}, initial_only=row.initial_only,
                      part=row.source, in_form=True)


def _totals_and_sources(table: FormTable) -> list[tuple[FormRow, list[FormRow]]]:
    """Each funds total row of a table with the rows of its sources right below it (marked as sources)."""
    found: list[tuple[FormRow, list[FormRow]]] = []
    funds = [row for row in table.rows if row.kind == "funds"]
    k = 0
    while k < len(funds):
        total = funds[k]
        k += 1
        if FUNDS_SOURCE.search(total.cells.get("label", "")):
            continue
        sources: list[FormRow] = []
        while k < len(funds) and (FUNDS_SOURCE.search(funds[k].cells.get("label", ""))
                                  or SPENDING_PARTS.match(funds[k].cells.get("label", ""))):
            funds[k].source = True
            sources.append(funds[k])
            k += 1
        # the total parted by where the money came from and, again, by what it was spent on: two lists, each whole
        spending = [row for row in sources if SPENDING_PARTS.match(row.cells.get("label", ""))]
        income = [row for row in sources if row not in spending]
        found += [(total, part) for part in (income, spending) if part] or [(total, [])]
    return found


def _funds_sources(table: FormTable, outline: Outline) -> list[FundsSources]:
    """Each funds total row of a table with the source rows below it that stand in their columns' places."""
    found: list[FundsSources] = []
    for total, sources in _totals_and_sources(table):
        placed = [row for row in sources if row.positional]
        if not placed or not total.positional or not table.money_columns:
            continue
        exhaustive = len(placed) == len(sources) >= 2 and not table.sources_unread and any(
            REST_SOURCE in row.cells.get("label", "") for row in sources)
        found.append(FundsSources(_money_line(total, _evidence(outline, total)),
                                  tuple(_money_line(row, _evidence(outline, row)) for row in placed),
                                  table.money_columns, exhaustive))
    return found


MAX_EXECUTION_WEIGHT = 30  # no rule set gives budget execution more; 100 in the funds row is the form's total


def _score_places(table: FormTable) -> int:
    """The decimals a form writes its scores to: where some are written to the hundredth (3.54, 5.77), a whole
    score (10) is exact, not a product rounded to the point (9.79 would be written so)."""
    return max((number[1] for row in table.rows for role in ("score", "rate_score")
                if (number := _score_number(row.cells, role))), default=0)


SCORE_PLACES = 2  # scores are rounded to the hundredth: zeros a sheet's format writes after it (9.8700) add none


def _score_number(cells: dict[str, str], role: str) -> tuple[float, int] | None:
    number = _number(cells, role)
    if number is None or number[1] <= SCORE_PLACES:
        return number
    fraction = cells[role].strip().rpartition(".")[2]
    return number[0], max(SCORE_PLACES, len(fraction.rstrip("0")))


def _scored(cells: dict[str, str], role: str, places: int) -> tuple[float, int] | None:
    number = _score_number(cells, role)
    return (number[0], max(number[1], places)) if number else None


def _funds_row(row: FormRow, evidence: Evidence, group: int, reading: FormReading, items: list[ScoreItem],
               complete: bool, places: int = 0) -> None:
    cells = row.cells
    label = cells.get("label", "")
    line = _money_line(row, evidence)
    if line.amounts or line.rates:
        if not line.part:  # a source's money is part of its total's, never the report's own
            reading.amounts.extend(line.amounts.values())
        reading.budget_lines.append(line)
    amounts, rate = line.amounts, line.rates.get("execution")
    weight = _number(cells, "weight") or _number(cells, "rate_weight")
    score = _scored(cells, "score", places) or _scored(cells, "rate_score", places)
    if weight is not None and weight[0] > MAX_EXECUTION_WEIGHT:
        return  # the form's whole (分值 100, 得分 98) written in the funds row: no execution points
    if weight is None and score is None:
        return
    reason = cells.get("reason", "")
    reading.execution_rows.append(ExecutionRow(
        label, amounts.get("budget"), amounts.get("adjusted_budget"), amounts.get("spent"), rate,
        weight[0] if weight else None, score[0] if score else None, evidence, weight[1] if weight else 0,
        score[1] if score else 0, reason if reason and reason not in BLANK_CELLS else None, group))
    items.append(ScoreItem(EXECUTION_ITEM, 1, None, weight[0] if weight else None, score[0] if score else None, None,
                           evidence, "table", _half(weight[1]) if weight else 0.0, _half(score[1]) if score else 0.0,
                           group=group, complete=complete))


def _indicator_row(row: FormRow, evidence: Evidence, group: int, reading: FormReading, items: list[ScoreItem],
                   complete: bool, places: int = 0) -> None:
    cells = row.cells
    if _execution_indicator(row, evidence, group, reading, items, complete, places):
        return
    reason_column = row.reason_column
    unit = cells.get("unit", "")
    planned_text = cells.get("adjusted_planned") or cells.get("planned", "")
    target, result = read_measure(planned_text, unit), read_measure(cells.get("achieved", ""), unit)
    nature, source, note = direction(cells.get("nature", ""), target, row.level2, unit, cells["name"])
    weight, score = _number(cells, "weight"), _scored(cells, "score", places)
    coefficient = _number(cells, "coefficient")
    item_score = _number(cells, "item_score")
    reason = cells.get("reason", "")
    reading.indicators.append(Indicator(
        row.level1, row.level2, cells["name"], planned_text or None, cells.get("achieved") or None,
        weight[0] if weight else None, score[0] if score else None, evidence, nature=nature, nature_source=source,
        target=target, result=result, weight_decimals=weight[1] if weight else 0,
        score_decimals=score[1] if score else 0, reason=reason if reason and reason not in BLANK_CELLS else None,
        group=group, nature_note=note, reason_column=reason_column,
        coefficient=coefficient[0] if coefficient else (item_score[0] / 100 if item_score else None),
        coefficient_decimals=coefficient[1] if coefficient else (item_score[1] + 2 if item_score else 0)))
    items.append(ScoreItem(cells["name"], 1, None, weight[0] if weight else None, score[0] if score else None, None,
                           evidence, "table", _half(weight[1]) if weight else 0.0, _half(score[1]) if score else 0.0,
                           group=group, complete=complete))


def _execution_indicator(row: FormRow, evidence: Evidence, group: int, reading: FormReading, items: list[ScoreItem],
                         complete: bool, places: int) -> bool:
    """A form with no funds block scores budget execution as a row of its indicators (预算执行率 | 10 | ≥90% |
    89.23% | 8.92; 100 | 92.2 where the rate is written bare): its result is the execution rate (its target is no
    rate of the money), scored as a funds row. True where the row is one."""
    cells = row.cells
    percent = rate_cell(cells.get("achieved", "").strip())  # 89.23%, or bare: 92.2 (points), 0.922 (a fraction)
    weight, score = _number(cells, "weight"), _scored(cells, "score", places)
    if not EXECUTION_ITEM_NAME.match(cells["name"]) or percent is None or (weight is None and score is None):
        return False
    rate = Rate("execution", cells["name"], percent[0], _half(percent[1]), cells["achieved"], evidence)
    reason = cells.get("reason", "")
    reading.execution_rows.append(ExecutionRow(
        cells["name"], None, None, None, rate, weight[0] if weight else None, score[0] if score else None, evidence,
        weight[1] if weight else 0, score[1] if score else 0, reason if reason and reason not in BLANK_CELLS else None,
        group))
    reading.budget_lines.append(BudgetLine(cells["name"], evidence, {}, {"execution": rate}))
    # the row's target (90%以上) is no rate of the money: read here, so that no other reader takes it for one
    reading.flat_runs[row.line] = reading.flat_runs.get(row.line, "") + cells.get("planned", "")
    items.append(ScoreItem(EXECUTION_ITEM, 1, None, weight[0] if weight else None, score[0] if score else None, None,
                           evidence, "table", _half(weight[1]) if weight else 0.0, _half(score[1]) if score else 0.0,
                           group=group, complete=complete))
    return True


# --- cells run together, and one cell per line (web pages flattened) -----------------------------------------
#
# A web page flattens a form so that its cells run together (全年预算数(A)全年执行数(B)分值执行率(B/A)得分 then
# 年度资金总额:202010100.00%10) or stand one per line with the header's cells broken over lines (年初 / 预算数).
# The figures of the funds row are cut into the header's columns in every way that gives well-formed numbers
# (no leading zeros, at most a bounded run, so the enumeration is bounded), and only the readings that satisfy
# the form's arithmetic are kept: spending ÷ budget equals the stated rate within its written rounding, the
# score is not above the weight, and the score is the weight × the rate within the rounding of both. One
# reading is taken; none or several give a low table.unreadable and no number.

MAX_RUN = 64  # longest run of figures cut into cells (bounds the enumeration): three amounts in yuan and points
MAX_READINGS = 400
MAX_CELL = 14
_MONEY_CELL = re.compile(r"(?:0|[1-9]\d{0,8})(?:\.\d{1,4})?")
_POINTS_CELL = re.compile(r"(?:0|[1-9]\d?|100)(?:\.\d{1,2})?")
_RATE_CELL = re.compile(r"(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?[%％]|[01]\.\d{1,4}")
FUNDS_COLUMN_TITLES = {**FUNDS_MONEY_COLUMNS, "rate": "执行率",
                       "weight": "分值", "score": "得分", "rate_weight": "执行率权重", "rate_score": "执行率得分"}
FUNDS_VALUE_ROLES = ("budget", "adjusted_budget", "spent", "rate", "weight", "score", "rate_weight", "rate_score")


def _cell_pattern(role: str) -> re.Pattern:
    if role == "rate":
        return _RATE_CELL
    if role in ("budget", "adjusted_budget", "spent"):
        return _MONEY_CELL
    return _POINTS_CELL


def split_run(run: str, roles: tuple[str, ...], empty: int = 0) -> list[tuple[str, ...]]:
    """Every way to cut a run of figures into one cell per role, in order, each a well-formed number of its
    column (money, points, a percentage); `empty` roles at most may be left without a cell."""
    found: list[tuple[str, ...]] = []
    if len(run) > MAX_RUN:
        return found

    def walk(pos: int, k: int, left: int, cells: tuple[str, ...]) -> None:
        if len(found) >= MAX_READINGS:
            return
        if k == len(roles):
            if pos == len(run):
                found.append(cells)
            return
        pattern = _cell_pattern(roles[k])
        # The cells after this one can hold at most MAX_CELL characters each: a shorter cut leaves too much.
        shortest = len(run) - (len(roles) - k - 1) * MAX_CELL
        for end in range(max(pos + 1, shortest), min(len(run), pos + MAX_CELL) + 1):
            if pattern.fullmatch(run, pos, end):
                walk(end, k + 1, left, cells + (run[pos:end],))
        if left:
            walk(pos, k + 1, left - 1, cells + ("",))

    walk(0, 0, empty, ())
    return found


def funds_consistent(cells: dict[str, str], points_rule: bool = True, points: bool = True) -> bool:
    """A funds row's figures agree with the form's arithmetic, within the rounding of what is written
    (points_rule: the score is also the weight × the rate; points: the score is within the weight)."""
    rate = rate_cell(cells["rate"]) if cells.get("rate") else None
    if rate and rate[0] > 2:  # no execution rate is twice the budget: cells cut wrong
        return False
    base = _number(cells, "adjusted_budget") or _number(cells, "budget")
    spent = _number(cells, "spent")
    initial, adjusted = _number(cells, "budget"), _number(cells, "adjusted_budget")
    if initial and adjusted and initial[0] and adjusted[0] and not 0.1 <= adjusted[0] / initial[0] <= 10:
        return False  # an adjustment changes a budget, it does not multiply it tenfold: cells cut wrong
    if rate and base and spent:
        if base[0] == 0 or rate[0] == 0:
            if not (rate[0] == 0 and spent[0] == 0):
                return False
        elif not -_half(rate[1]) - 1e-9 <= spent[0] / base[0] - rate[0] <= 2 * _half(rate[1]) + 1e-9:
            return False  # rounded, or cut off after its last digit (57.89% for 57.8985%)
    weight = _number(cells, "weight") or _number(cells, "rate_weight")
    score = _number(cells, "score") or _number(cells, "rate_score")
    if weight is not None and not 0 < weight[0] <= 100:
        return False
    if weight and score and points:
        if score[0] > weight[0] + 1e-9:
            return False
        # A whole-point score is the product rounded to the point (8.6 written 9).
        if points_rule and rate and abs(score[0] - weight[0] * min(rate[0], 1.0)) > 0.5 * 10 ** -score[1] + weight[0] * _half(rate[1]) + 1e-9:
            return False
    return True


def resolve_funds(roles: tuple[str, ...], values: list[str]) -> dict[str, str] | None:
    """The one reading of a funds row's figures (a run of figures, or a list of cells) that fits the form's
    arithmetic: every cell filled first, then one column left empty; None when none or several fit."""
    for empty in (0, "formula", 1, 2):
        if empty == "formula":
            # Points off the formula (a finding of their own) where spending ÷ budget = rate fixes every cell.
            readings = set()
            for cells in _placements(roles, values, 0):
                reading = {role: cell for role, cell in zip(roles, cells) if cell}
                if reading.keys() >= {"spent", "rate"} and reading.keys() & {"budget", "adjusted_budget"} \
                        and rate_cell(reading["rate"])[0] >= 0.5 and funds_consistent(reading, points_rule=False):
                    readings.add(tuple(sorted(reading.items())))
            if len(readings) == 1:
                return dict(next(iter(readings)))
            if readings:
                return None
            continue
        readings = set()
        for cells in _placements(roles, values, empty):
            reading = {role: cell for role, cell in zip(roles, cells) if cell}
            # A run of figures short of cells is read only where all its money is missing (illegible amounts
            # before the rate) and every other cell is there, not where it may have lost any one of them.
            if len(values) == 1 and empty and (reading.keys() & AMOUNT_ROLES
                                               or set(roles) - AMOUNT_ROLES - reading.keys()):
                continue
            # Two columns empty only where the rate, weight and score still check one another.
            if empty == 2 and not (reading.get("rate") and (reading.keys() & {"weight", "rate_weight"})
                                   and (reading.keys() & {"score", "rate_score"})):
                continue
            if funds_consistent(reading):
                readings.add(tuple(sorted(reading.items())))
        if len(values) == 1 and len(readings) > 1:
            readings = _same_precision(_spending_read(readings))
        if len(readings) == 1:
            return dict(next(iter(readings)))
        if readings:
            return None
    return _agreed_cells(roles, values) if len(values) > 1 else None


def _spending_read(readings: set[tuple]) -> set[tuple]:
    """Of the readings of one run of figures, those that read some spending, where any does: a cut can make a 0
    of any zero digit (21182118100% as 211821181 | 0 | 0%), while spending ÷ budget = rate holding for a
    non-zero rate (2118 | 2118 | 100%) is no accident."""
    spending = {reading for reading in readings if (cell_number(dict(reading).get("spent", "")) or (0,))[0] != 0}
    return spending or readings


def _same_precision(readings: set[tuple]) -> set[tuple]:
    """Of the readings of one run of figures, those whose amounts are all written to one precision, where any are:
    a form writes its money columns alike (145000000.00145000000.00… cuts into three amounts of two decimals, not
    145000000.001 | 45000000.001 | 45000000.00)."""
    alike = {reading for reading in readings
             if len({len(cell.partition(".")[2]) for role, cell in reading if role in AMOUNT_ROLES}) <= 1}
    return alike or readings


def _agreed_cells(roles: tuple[str, ...], values: list[str]) -> dict[str, str] | None:
    """Cells apart whose points break the form's rules (a score of 99 under a weight of 10), so that no reading
    passes: the cells every reading of the money gives alike, when the rate is among them. A finding then says
    what the points break; the cells the readings disagree on stay unread."""
    for empty in (0, 1):
        readings = [dict((role, cell) for role, cell in zip(roles, cells) if cell)
                    for cells in _placements(roles, values, empty)]
        readings = [reading for reading in readings if funds_consistent(reading, points_rule=False, points=False)]
        if readings:
            agreed = dict(set(readings[0].items()).intersection(*(reading.items() for reading in readings[1:])))
            return agreed if "rate" in agreed else None
    return None


def _placements(roles: tuple[str, ...], values: list[str], empty: int):
    if len(values) == 1:  # one run of figures
        yield from split_run(values[0], roles, empty)
        return
    if len(roles) - len(values) != empty:
        return
    # A form that writes no rate with its % sign (130 130 130 10 100 10; 29 29 27.8 9 0.958 8) writes it bare.
    bare_rates = not any("%" in value or "％" in value for value in values)
    for kept in itertools.combinations(range(len(roles)), len(values)):
        cells = [""] * len(roles)
        for position, value in zip(kept, values):
            if value and roles[position] == "rate" and bare_rates and _BARE_RATE.fullmatch(value):
                value = _bare_rate_as_percent(value)
            if value and not _cell_pattern(roles[position]).fullmatch(value):
                break
            cells[position] = value
        else:
            yield tuple(cells)


_BARE_RATE = re.compile(r"(?:0|[1-9]\d{0,2})(?:\.\d{1,4})?")


def _bare_rate_as_percent(value: str) -> str:
    """A rate written without its sign: a fraction when it has decimals and is at most 1.5 (0.958), kept as
    written so that its precision travels with it (0.1 is 5% to 15%, not 10% to the point), else percent
    points (100)."""
    if "." in value and float(value) <= 1.5:
        return value
    return value + "%"


def rate_cell(cell: str) -> tuple[float, int] | None:
    """A form's rate cell as a fraction and its decimals: written with % (95.8%), bare as a fraction (0.958), or
    bare in percent points (99.97); the funds block's rate column alone holds bare rates."""
    percent = cell_percent(cell)
    if percent is not None or not _BARE_RATE.fullmatch(cell):
        return percent
    number = cell_number(cell)
    if number is None:
        return None
    if _BARE_FRACTION.fullmatch(cell) and number[0] <= 1.5:
        return number
    return (round(number[0] / 100, number[1] + 2), number[1] + 2) if number[0] <= MAX_BARE_POINTS else None


MAX_BARE_POINTS = 150  # a rate in percent points above this is cells cut wrong


_BARE_FRACTION = re.compile(r"[01]\.\d{1,4}")


def _value_cell(text: str) -> str | None:
    """A figure cell of a funds row ('' for an empty cell), None for a cell of words."""
    text = _in_wan(text.strip(" |\u3000").replace(",", "").replace("％", "%"))
    if text in BLANK_CELLS:
        return ""
    return text if _is_number(text) or cell_percent(text) else None


_HEADER_TOKENS = sorted(((word, role) for role, words in COLUMN_WORDS for word in words), key=lambda t: -len(t[0]))
_HEADER_TOKEN_RE = re.compile("|".join(re.escape(word) for word, _ in _HEADER_TOKENS))
_NOTE_RE = re.compile(r"[（(][^（）()]{0,12}[）)]")
_METHOD_TITLE = re.compile(rf"(?:得分|评分|计分)?{METHOD_COLUMN.pattern}")
_RUN_RE = re.compile(r"[\d.%％]+")
_SPACED_FIGURES = re.compile(r"[\d.%％]+(?:万元?)?(?:[ \u3000]+[\d.%％]+(?:万元?)?){1,9}")


def _after_blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \u3000":
        pos += 1
    return pos


def _header_chain(text: str, pos: int) -> tuple[list[str], int]:
    """Header words written one after the other from pos (全年预算数(A)全年执行数(B)分值执行率(B/A)得分)."""
    roles: list[str] = []
    while pos < len(text):
        method = _METHOD_TITLE.match(text, pos)  # 得分计算方法: the column of how a score is reckoned, words
        if method:
            roles.append(None)
            pos = _after_blanks(text, method.end())
            continue
        # 执行率得分 is the department form's column after its 执行率; before any 执行率 it is 执行率 | 得分.
        token = next(((word, role) for word, role in _HEADER_TOKENS if text.startswith(word, pos)
                      and (role not in ("rate_weight", "rate_score") or "rate" in roles)), None)
        if token is None:
            break
        roles.append(token[1])
        pos += len(token[0])
        note = _NOTE_RE.match(text, pos) or _NOTE_RE.match(text, _after_blanks(text, pos))  # 预算数 (A)
        pos = _after_blanks(text, note.end() if note else pos)
    return roles, pos


def _unplaced(cells: list[str], reading: dict[str, str]) -> tuple[str, ...]:
    """The amounts of a row that a reading placed in no column (a percentage is a rate, never money)."""
    placed = Counter(cell for role, cell in reading.items() if role != "label")
    left = []
    for cell in cells:
        if placed[cell] > 0:
            placed[cell] -= 1
        elif _is_number(cell) and not cell.rstrip().endswith(("%", "％")):
            left.append(cell)
    return tuple(left)


def _blank_figures(roles: tuple[str | None, ...], reading: dict[str, str]) -> tuple[str, ...]:
    """The figure columns a funds row leaves empty, where the row is otherwise filled (its budget and spending
    written): 年度资金总额 | 880 | 880 | 880 | 10 | | 10 leaves its 执行率 empty. An empty 年初预算数 beside a
    全年预算数 is a budget first set during the year, not a gap."""
    if not {"budget", "adjusted_budget"} & reading.keys() or not {"spent", "rate"} & reading.keys():
        return ()
    blank = [role for role in roles if role in FUNDS_VALUE_ROLES and not reading.get(role)]
    if "adjusted_budget" in reading:
        blank = [role for role in blank if role != "budget"]
    return tuple(blank)


def _initial_only(roles: tuple[str | None, ...]) -> bool:
    return "budget" in roles and "adjusted_budget" not in roles


# Indicator rows numbered as the national template numbers them (指标1:培训人数 200人 210人 10 10), on a line that
# holds a whole form flattened (a page's PDF text): each row runs from its number to the next, and is read only when
# it is a name and then exactly a target, a result, a weight and a score; a row the flattening scrambled (header
# words or another row's figures inside it) stays unread.
ROW_NUMBER = re.compile(r"指标 ?\d{1,2} ?[:：]")
MIN_NUMBERED_ROWS = 3
NUMBERED_HEADER = (("指标值", "目标值"), ("完成值",), ("分值", "权重"), ("得分",))
_LEVEL_NOTE = re.compile(r"[（(][^（）()]{0,8}[）)]$")


def _level_name(token: str) -> bool:
    return _LEVEL_NOTE.sub("", token) in LEVEL1_NAMES | LEVEL2_NAMES


def _numbered_cells(tokens: list[str]) -> dict[str, str] | None:
    """A numbered row's cells: its name's words, then its target, result, weight and score, nothing else."""
    if len(tokens) < 5:
        return None
    *words, planned, achieved, weight, score = tokens
    if not all(_MEASURE_CELL.fullmatch(cell) for cell in (planned, achieved)) or not all(
            _POINTS_CELL.fullmatch(cell) for cell in (weight, score)) or float(score) > float(weight):
        return None
    units = {re.sub(r"^[^\d]*[\d.]+", "", cell) for cell in (planned, achieved)} - {""}
    name = "".join(words)
    if len(units) > 1 or any(_MEASURE_CELL.fullmatch(word) or _is_number(word) for word in words) \
            or not 2 <= len(name) <= 30:
        return None
    return {"name": name, "planned": planned, "achieved": achieved, "weight": weight, "score": score}


def numbered_rows(lines: list[Line], block: int) -> list[FormTable]:
    """The indicator rows of forms flattened onto one line each, by their template numbers (指标N:)."""
    tables: list[FormTable] = []
    for index, line in enumerate(lines):
        raw = line.raw
        if "指标" not in raw or not all(any(word in raw for word in words) for words in NUMBERED_HEADER):
            continue
        marks = list(ROW_NUMBER.finditer(raw))
        if len(marks) < MIN_NUMBERED_ROWS:
            continue
        table = FormTable(block + len(tables), "national", partial=True, flat=True)
        level1 = level2 = None
        for k, mark in enumerate(marks):
            end = marks[k + 1].start() if k + 1 < len(marks) else min(len(raw), mark.end() + MAX_ROW)
            tokens = raw[mark.end():end].split()
            closing: list[str] = []  # the tree's names closing the segment head the rows after it
            while tokens and _level_name(tokens[-1]):
                closing.insert(0, _LEVEL_NOTE.sub("", tokens.pop()))
            cells = _numbered_cells(tokens)
            quote = raw[mark.start():mark.end()] + " ".join(tokens)
            if cells:
                table.rows.append(FormRow("indicator", cells, index, line.line, quote, level1, level2,
                                          reason_column=False))
            elif any(_is_number(token) for token in tokens):
                table.unread.append((index, line.line, quote[:MAX_ROW], "指标行数字错位，无法与表头对应"))
            for name in closing:
                level1, level2 = (name, None) if name in LEVEL1_NAMES and name not in LEVEL2_NAMES else \
                    _tree_levels({"level2": name}, level1, level2)
        if table.rows:
            tables.append(table)
    return tables


def _funds_roles(roles: list[str | None]) -> tuple[str, ...] | None:
    """The figure columns of a funds header (label and reason columns aside), when it is one."""
    if _header_kind(list(roles)) != "funds":
        return None
    return tuple(role for role in roles if role in FUNDS_VALUE_ROLES)


MAX_SOURCE_ROWS = 6


def _source_reading(value_roles: tuple[str, ...], values: list[str]) -> tuple[dict[str, str] | None, bool]:
    """A source row's figures (其中：本年财政拨款 90 89.97 89.97) by column, and whether each stands in its place:
    as many figures as the block's money columns (or as all its columns) fill them from the left; a row with no
    figure is empty; other counts are placed by the form's arithmetic, if at all, and not in certain places."""
    money = [role for role in value_roles if role in MONEY_COLUMNS]
    if not any(values):
        return {}, True
    if len(values) == len(value_roles) or (len(values) == len(money) and not any("%" in v for v in values)):
        return {role: value for role, value in zip(value_roles, values) if value}, True
    return (resolve_funds(value_roles, values) if len(values) > 1 else None), False


# A note written inside a funds block (1.预算执行率=预算执行数/调整后预算数…): it parts the total from its sources.
BLOCK_NOTE = re.compile(r"(?:注|说明|\d[.、．])")


def _source_rows(cells: list[tuple[int, str]], value_roles: tuple[str, ...]):
    """The source rows that follow a funds total row in a flattened block, from its next cells (index, words or
    figures): each a label the sources' words name and the figures after it, until a cell that is neither. Yields
    (index, (label, reading or None, positional, quote))."""
    k = found = 0
    while k < len(cells) and found < MAX_SOURCE_ROWS:
        index, label = cells[k]
        if not label or (len(label) > 24 and BLOCK_NOTE.match(label)):
            k += 1  # an empty cell closing the row above, or the block's note
            continue
        if label in ("其中", "其中:", "其中：") and k + 1 < len(cells):
            label, k = label + cells[k + 1][1], k + 1
        if not FUNDS_SOURCE.search(label) or re.search(r"\d", label) or len(label) > 16:
            return
        values: list[str] = []
        k += 1
        while k < len(cells) and len(values) < len(value_roles) and _value_cell(cells[k][1]) is not None:
            values.append(_value_cell(cells[k][1]))
            k += 1
        reading, positional = _source_reading(value_roles, values)
        if reading is not None:
            reading = {**reading, "label": label.strip(" :：")}
        found += 1
        yield index, (label.strip(" :："), reading, positional, " | ".join([label] + values))


def flat_funds(lines: list[Line], block: int) -> list[FormTable]:
    """The funds rows of forms flattened: cells run together, or one cell per line without separators."""
    tables: list[FormTable] = []
    index = 0
    while index < len(lines):
        text = lines[index].text
        index += 1
        if not text or "预算" not in text and "执行" not in text and "分值" not in text:
            continue
        found = _run_together_funds(lines, index - 1) or _cell_lines_funds(lines, index - 1)
        if found:
            index = max(index, found[1] + 1)
            kind, row_index, quote, reading, value_roles, sources = found
            table = FormTable(block + len(tables), "national", partial=True, flat=True,
                              money_columns=tuple(role for role in MONEY_COLUMNS if role in value_roles))
            number = lines[row_index].line
            if reading is None:
                table.unread.append((row_index, number, quote, "资金栏数字连写或缺格，无法唯一拆分"))
            else:
                # Money cells dropped (one cell per line, the empty one gone) leave amounts no placement agrees on.
                unplaced = () if reading.keys() & set(MONEY_COLUMNS) else _unplaced(quote.split(" | ")[1:], reading)
                table.rows.append(FormRow("funds", reading, row_index, number, quote,
                                          blank=_blank_figures(value_roles, reading),
                                          initial_only=_initial_only(value_roles), unplaced=unplaced))
                for source_index, (label, source, positional, source_quote) in sources:
                    if source is None:
                        table.sources_unread = True
                    else:  # a source row's points, if written, restate the total's: one 预算执行 item a block
                        source = {role: cell for role, cell in source.items() if role in MONEY_ROLES | {"label"}}
                        table.rows.append(FormRow("funds", source, source_index, lines[source_index].line,
                                                  source_quote, initial_only=_initial_only(value_roles),
                                                  positional=positional))
            tables.append(table)
            header = next((i for i in range(found[1] + 1, min(found[1] + 8, len(lines)))
                           if _run_indicator_header(lines[i].text)), None) if kind == "run" else None
            if header is not None:
                weight = (_number(reading, "weight") or _number(reading, "rate_weight") or (0.0, 0))[0] if reading else 0.0
                index = max(index, read_run_rows(lines, header + 1, _run_indicator_header(lines[header].text),
                                                 weight, table))
                table.partial = table.total is None or not any(row.kind == "indicator" for row in table.rows)
            if len(tables) >= 8:
                break
    return tables


def _run_together_funds(lines: list[Line], index: int):
    """A funds header with its words run together, and the row after it on the line (or the next line)."""
    text = lines[index].text
    pos = 0
    while pos < len(text):
        token = _HEADER_TOKEN_RE.search(text, pos)  # one scan to the next header word, not every word at every place
        if token is None:
            break
        pos = token.start()
        roles, end = _header_chain(text, pos)
        value_roles = _funds_roles(roles) if len(roles) >= 3 else None
        if not value_roles:
            pos = end if end > pos else pos + 1
            continue
        row_index, rest = index, text[end:]
        if not re.search(r"\d", rest[:40]):
            row_index = next((i for i in range(index + 1, min(index + 3, len(lines))) if lines[i].text), None)
            if row_index is None:
                return None
            rest = lines[row_index].text
        run = _RUN_RE.search(rest[:60])
        if run is None or run.start() > 24 or SUB_FUNDS.search(rest[:run.start()]):
            return None
        label = rest[:run.start()].strip(" :：")
        spaced = _SPACED_FIGURES.match(rest, run.start())
        if re.search(r"\d", label) or len(run.group()) < 3 and not spaced:
            return None
        # Figures one space apart (285.84 285.84 100% 20) are cells; with no space they are a run to cut.
        values = [_in_wan(value) for value in spaced.group().split()[: len(value_roles)]] if spaced else [run.group()]
        reading = resolve_funds(value_roles, values)
        if reading is not None:
            reading["label"] = label
            # Points written in the titles (得分 (20 分*执行率)) are the row's weight.
            titled = _titled_weight([text[pos:end]], roles)
            if titled and "weight" not in reading and _is_number(reading.get("score", "")):
                reading["weight"] = titled
        # Source rows one space apart after the total's figures (其中:本年财政拨款 90 89.97 89.97 上年结转资金 …).
        following = [(row_index, cell) for cell in rest[spaced.end():spaced.end() + 400].split()] if spaced else []
        sources = list(_source_rows(following, value_roles)) if reading is not None else []
        return "run", row_index, (label + (spaced.group() if spaced else run.group())), reading, value_roles, sources
    return None


def _cell_text(line: Line) -> str | None:
    """The cell a line holds when a table is written one cell per line: None for a separating empty line, ''
    for an empty cell (a line of a no-break space, or a lone |)."""
    raw = line.raw.strip("\r\n")
    if not raw:
        return None
    return _clean_cell(raw.strip().strip("|").strip())


MAX_BLANKS_AFTER_HEADER = 3


MAX_BLOCK_CELLS = 60


def _line_cells(lines: list[Line], index: int) -> list[tuple[int, str]]:
    """The cells from a line on, one a line, to the first line of sentences (a note inside the block aside)."""
    cells: list[tuple[int, str]] = []
    i = index
    while i < len(lines) and len(cells) < MAX_BLOCK_CELLS:
        cell = _cell_text(lines[i])
        if cell is not None:
            if len(cell) > 24 or "。" in cell:
                if not (cells and BLOCK_NOTE.match(cell)):
                    break
            cells.append((i, cell))
        i += 1
    return cells


def _closed_by_bar_lines(lines: list[Line], index: int) -> bool:
    """A page that writes each cell's closing bar on a line of its own (预算数(A) / | / 执行数(B) / | …)."""
    window = [line.raw.strip() for line in lines[index:index + 8] if line.raw.strip()]
    return sum(1 for raw in window if raw == "|") >= 3 and not any(
        raw != "|" and raw.endswith("|") and raw.strip("|") for raw in window)


def _bar_closed_cells(lines: list[Line], index: int) -> list[tuple[int, str]]:
    """Cells whose closing bars stand on lines of their own: a cell is the lines up to its bar (预算执行情况(万元) /
    (20分) / |), a bar right after a bar an empty cell, a line of bars (||||) a row's end."""
    cells: list[tuple[int, str]] = []
    pending: list[str] = []
    start = index
    i = index
    while i < len(lines) and len(cells) < MAX_BLOCK_CELLS:
        raw = lines[i].raw.strip()
        if raw and not raw.strip("|"):  # a bar: the open cell ends (an empty one after a bar), or the row does
            if pending or raw == "|":
                cells.append((start, _clean_cell("".join(pending))))
            pending = []
        elif raw:
            if len(raw) > 24 or "。" in raw:
                break
            if not pending:
                start = i
            pending.append(raw)
        i += 1
    return cells


def _cell_lines_funds(lines: list[Line], index: int):
    """A funds header written one cell per line, its cells perhaps broken over lines (年初 / 预算数), then the
    row's label and its figures one per line."""
    if column_role(lines[index].text) is None and column_role(lines[index].text + _next_text(lines, index)) is None:
        return None
    if index > 0 and _cell_text(lines[index - 1]) and column_role(lines[index - 1].text) in FUNDS_VALUE_ROLES:
        return None  # not the header's first cell
    cells = _bar_closed_cells(lines, index) if _closed_by_bar_lines(lines, index) else _line_cells(lines, index)
    roles: list[str] = []
    k = 0
    while k < len(cells):
        role, width = None, 0
        for span in (1, 2, 3):
            joined = "".join(c for _, c in cells[k:k + span])
            if k + span <= len(cells) and column_role(joined):
                role, width = column_role(joined), span
                break
        if role is None or (role not in FUNDS_VALUE_ROLES and role not in ("reason",)):
            break
        roles.append(role)
        k += width
    value_roles = _funds_roles(roles) if len(roles) >= 3 else None
    # Empty cells that close the header row (a bar line, ||) stand before the row's label.
    blank_after = 0
    while k < len(cells) and not cells[k][1] and blank_after < MAX_BLANKS_AFTER_HEADER:
        k, blank_after = k + 1, blank_after + 1
    if not value_roles or k >= len(cells):
        return None
    label_index, label = cells[k]
    if not label or _value_cell(label) is not None or SUB_FUNDS.search(label):
        return None
    values: list[str] = []
    for _, cell in cells[k + 1:k + 1 + len(value_roles)]:
        value = _value_cell(cell)
        if value is None:
            break
        values.append(value)
    if not any(values):
        return None
    reading = resolve_funds(value_roles, values) if len(values) > 1 else None
    sources = []
    if reading is not None:
        reading["label"] = label.strip(" :：")
        sources = list(_source_rows(cells[k + 1 + len(values):], value_roles))
    return "lines", label_index, " | ".join([label] + values), reading, value_roles, sources


def _next_text(lines: list[Line], index: int) -> str:
    return next((lines[i].text for i in range(index + 1, min(index + 3, len(lines))) if lines[i].text), "")


# Indicator rows with their cells run together, one row a line (产出指标数量指标培训人次≥500人次5201010): each
# column has a shape (a name from the tree's words, a figure with its comparator and unit, points, a coefficient,
# words), the row is cut in every way the shapes allow, and the readings are kept that give well-formed figures
# and a result of the target's order (520 for a target of 500, never 52010). Rows left with several readings are
# settled, if at all, by the weights adding up to the form's total; else they are not read.

_COMPARATOR = r"(?:[≥≤≧≦<>=＞＜]=?|不低于|不高于|不超过|不少于|达到)"
_UNIT_ALTERNATIVES = "|".join(re.escape(unit) for unit in sorted(UNIT_WORDS, key=len, reverse=True))
_MEASURE_CELL = re.compile(rf"{_COMPARATOR}?(?:0|[1-9]\d{{0,7}})(?:\.\d{{1,2}})?(?:{_UNIT_ALTERNATIVES})?")
_NAME_CELL = re.compile(r"[^\d≥≤≧≦<>=＞＜%％.]{2,30}")
_COEFFICIENT_CELL = re.compile(r"[01](?:\.\d{1,2})?|(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?%")
MAX_ROW = 120
LEVEL_NAMES = tuple(sorted(LEVEL1_NAMES | LEVEL2_NAMES, key=len, reverse=True))


def _ends(role: str | None, text: str, pos: int, last: bool) -> list[int]:
    """Where a cell of the role may end when it starts at pos (pos itself: the cell is empty)."""
    size = len(text)
    if role in ("level1", "level2"):
        names = LEVEL1_NAMES if role == "level1" else LEVEL2_NAMES
        return [pos] + [pos + len(n) for n in names if text.startswith(n, pos)]
    if role == "name":
        # A level's name is never the start of an indicator's (数量指标 is a cell of its own), but a level named
        # without 指标 may begin one (项目管理覆盖面 under 项目管理).
        if any(text.startswith(n, pos) for n in LEVEL_NAMES if n.endswith("指标")):
            return []
        return [end for end in range(pos + 2, min(size, pos + 30) + 1)
                if _NAME_CELL.fullmatch(text, pos, end) and text[pos:end] not in LEVEL_NAMES]
    if role == "nature":
        return [pos] + [end for end in range(pos + 1, min(size, pos + 4) + 1) if nature_cell(text[pos:end])]
    if role in ("planned", "achieved", "adjusted_planned"):
        ends = [end for end in range(pos + 1, min(size, pos + 16) + 1) if _MEASURE_CELL.fullmatch(text, pos, end)]
        return ends + ([pos] if role == "adjusted_planned" else [])
    if role == "unit":
        return [pos] + [pos + len(u) for u in UNIT_WORDS if u not in ("%", "％") and text.startswith(u, pos)]
    if role in ("weight", "score", "item_score"):
        return [end for end in range(pos + 1, min(size, pos + 6) + 1) if _POINTS_CELL.fullmatch(text, pos, end)]
    if role == "coefficient":
        return [end for end in range(pos + 1, min(size, pos + 6) + 1) if _COEFFICIENT_CELL.fullmatch(text, pos, end)]
    if role == "core":
        return [pos] + ([pos + 1] if text[pos:pos + 1] in YES_NO else [])
    if role == "reason":  # words, never a figure cut off the cells before it
        starts_as_cell = re.match(r"[\d.%％]", text[pos:pos + 1]) or any(text.startswith(u, pos) for u in UNIT_WORDS)
        return [pos] + ([size] if last and size > pos and not starts_as_cell else [])
    return [pos]


SPACED_FIGURES = re.compile(r"\d[%％]?\s+\d")
DIGIT = re.compile(r"[\d.]")


def split_indicator(text: str, roles: tuple[str | None, ...]) -> list[dict[str, str]]:
    """Every reading of an indicator row whose cells run together, as cells by role (bounded)."""
    found: list[dict[str, str]] = []
    if len(text) > MAX_ROW:
        return found
    last_filled = max(i for i, role in enumerate(roles) if role)
    # A row whose figures are written apart (…规范规范 14 14 无) keeps each figure whole: 14 is never 1 and 4.
    # (word: for each character once the spaces are gone, which space-separated word it came from)
    word = [k for k, part in enumerate(text.split(" ")) for _ in part] if SPACED_FIGURES.search(text) else None
    text = text.replace(" ", "")

    def walk(pos: int, k: int, cells: dict[str, str]) -> None:
        if len(found) >= MAX_READINGS:
            return
        if k == len(roles):
            if pos == len(text):
                found.append(dict(cells))
            return
        role = roles[k]
        for end in _ends(role, text, pos, k == last_filled):
            if word and 0 < end < len(text) and end > pos and word[end - 1] == word[end] \
                    and DIGIT.match(text, end - 1) and DIGIT.match(text, end):
                continue
            if role and end > pos:
                cells[role] = text[pos:end]
            walk(end, k + 1, cells)
            if role:
                cells.pop(role, None)

    walk(0, 0, {})
    unit_column = "unit" if "unit" in roles else ""
    if not unit_column and not {"coefficient", "item_score"} & set(roles):
        found = [reading for reading in found if not _unwritten_boundary(reading)]
    return [reading for reading in (_canonical({**r, "_roles": unit_column}) for r in found) if _plausible_row(reading)]


def _unwritten_boundary(cells: dict[str, str]) -> bool:
    """A target and a result both bare figures, run together (1515 as target 1 and result 5 after a target written
    in words the name took, 改善改善): with no unit between them and no coefficient to check the cut, where one
    ends is not written."""
    measures = [cells[role] for role in ("planned", "adjusted_planned", "achieved") if cells.get(role)]
    return any(first[-1].isdigit() and second[0].isdigit() for first, second in zip(measures, measures[1:]))


def _canonical(cells: dict[str, str]) -> dict[str, str]:
    """One writing of what may be cut two ways: a comparator in the target or in the 指标性质 cell, a unit at
    the end of the target or in the unit cell."""
    cells = dict(cells)
    planned = cells.get("planned", "")
    match = re.match(_COMPARATOR, planned)
    if match and not cells.get("nature"):
        cells["nature"], cells["planned"] = match.group(), planned[match.end():]
    for role in ("planned", "achieved"):
        unit = re.search(rf"(?:{_UNIT_ALTERNATIVES})$", cells.get(role, ""))
        if unit and unit.group() not in ("%", "％") and not cells.get("unit") and "unit" in cells.get("_roles", ""):
            cells["unit"], cells[role] = unit.group(), cells[role][:unit.start()]
    cells.pop("_roles", None)
    if cells.get("level1") in LEVEL2_NAMES and not cells.get("level2"):  # 成本指标: the 二级 where either fits
        cells["level2"] = cells.pop("level1")
    return cells


def _plausible_row(cells: dict[str, str]) -> bool:
    for role in ("name", "planned", "achieved"):
        if not cells.get(role):
            return False
    weight = _number(cells, "weight")
    if weight is not None and weight[0] <= 0:
        return False
    for first, role in (("planned", "adjusted_planned"), ("adjusted_planned" if cells.get("adjusted_planned")
                                                          else "planned", "achieved")):
        target = re.search(r"\d+(?:\.\d+)?", cells.get(first, ""))
        result = re.search(r"\d+(?:\.\d+)?", cells.get(role, ""))
        if target and result and float(target.group()) > 0:
            # A result is of its target's order: 520 for 500, never 52010 (cells run together).
            ratio = float(result.group()) / float(target.group())
            if not (0.5 <= ratio <= 2 if role == "adjusted_planned" else 0.2 <= ratio <= 5):
                return False
    return True


def _row_arithmetic(cells: dict[str, str]) -> bool:
    """A row's points agree: the score is not above the weight, and a coefficient (or a single score out of 100)
    times the weight is the score, within the rounding of what is written."""
    weight, score = _number(cells, "weight"), _number(cells, "score")
    if weight is None or score is None:
        return False
    if score[0] > weight[0] + 1e-9:
        return False
    share = _number(cells, "coefficient") or (
        (_number(cells, "item_score")[0] / 100, _number(cells, "item_score")[1] + 2) if _number(cells, "item_score") else None)
    if share is not None:
        tolerance = 0.5 * 10 ** -score[1] + weight[0] * 0.5 * 10 ** -share[1] + 1e-9
        if abs(share[0] * weight[0] - score[0]) > tolerance:
            return False
    return True


def _share_agrees(cells: dict[str, str]) -> bool:
    """The coefficient (or single score out of 100) is the result's share of the target, capped at 1."""
    share = _number(cells, "coefficient") or (
        (_number(cells, "item_score")[0] / 100, _number(cells, "item_score")[1] + 2) if _number(cells, "item_score") else None)
    if share is not None:
        # The coefficient is the result's share of the target (capped at 1), within its rounding.
        target = re.search(r"\d+(?:\.\d+)?", cells.get("adjusted_planned") or cells.get("planned", ""))
        result = re.search(r"\d+(?:\.\d+)?", cells.get("achieved", ""))
        if target and result and float(target.group()) > 0 and float(result.group()) > 0:
            planned, achieved = float(target.group()), float(result.group())
            # Where 指标性质 is not written the direction is unknown here (完成时限 12 个月 is ≤): either may hold.
            nature = nature_cell(cells.get("nature", ""))
            ratios = [planned / achieved] if nature == "≤" else [achieved / planned] if nature else [
                planned / achieved, achieved / planned]
            # (to a hundredth: a share written from rounded points, 8.76 / 13 = 67.38% of 538 / 798 = 67.42%)
            # A share written 0 or 1 says none or all of it, not half a unit either way.
            tolerance = min(max(0.5 * 10 ** -share[1], 0.01), 0.05) + 1e-9
            if all(abs(min(ratio, 1.0) - share[0]) > tolerance for ratio in ratios):
                return False
    return True


def _reading_key(cells: dict[str, str], unit_column: bool) -> tuple:
    return tuple(sorted(cells.items()))


def read_run_rows(lines: list[Line], start: int, roles: tuple[str | None, ...], budget_weight: float,
                  table: FormTable) -> int:
    """Indicator rows run together, one a line, from start to the total row (or an empty line); returns the index
    after the table."""
    pending: list[tuple[int, Line, list[dict[str, str]]]] = []
    index = start
    unit_column = "unit" in roles
    while index < len(lines) and lines[index].text:
        line = lines[index]
        text = line.text.replace(" ", "")
        total = next((word for word in TOTAL_WORDS if text.startswith(word)), None)
        if total:
            reading = _run_total(text[len(total):])
            if reading is not None:
                quote = " | ".join([total] + [reading[k] for k in ("weight", "score") if k in reading])
                table.total = FormRow("total", reading, index, line.line, quote)
            else:
                table.unread.append((index, line.line, text, "总分栏数字连写，无法唯一拆分"))
            index += 1
            break
        readings = {_reading_key(r, unit_column): r for r in split_indicator(line.text, roles)}
        if unit_column and len(readings) > 1:
            # A unit word closing the name (培训人次人次) is the unit column's: the longest unit is taken.
            longest = max(len(r.get("unit", "")) for r in readings.values())
            readings = {k: r for k, r in readings.items() if len(r.get("unit", "")) == longest}
        pending.append((index, line, _one_name(list(readings.values()))))
        index += 1
    weights_total = None
    if table.total is not None and _number(table.total.cells, "weight"):
        weights_total = _number(table.total.cells, "weight")[0] - budget_weight
    elif table.total is not None:
        weights_total = 100 - budget_weight
    chosen = _settle(pending, weights_total)
    level1 = level2 = None
    for (row_index, line, readings), reading in zip(pending, chosen):
        if reading is None:
            table.unread.append((row_index, line.line, line.text, "单元格连写，无法唯一拆分"))
            continue
        level1, level2 = _tree_levels(reading, level1, level2)
        table.rows.append(FormRow("indicator", reading, row_index, line.line, " | ".join(reading.values()),
                                  level1, level2, "reason" in roles))
    return index


NAME_ROLES = frozenset({"level1", "level2", "name"})


def _one_name(readings: list[dict[str, str]]) -> list[dict[str, str]]:
    """Readings that agree on every figure and differ only in where the indicator's name starts (项目管理 | 覆盖面
    or 项目管理覆盖面, a level named without 指标) are one row: the longest name, the levels above it kept."""
    if len(readings) < 2 or len({tuple(sorted((k, v) for k, v in r.items() if k not in NAME_ROLES))
                                 for r in readings}) > 1:
        return readings
    return [max(readings, key=lambda r: len(r.get("name", "")))]


MAX_COMBINATIONS = 4096


def _settle(pending, weights_total: float | None) -> list[dict[str, str] | None]:
    """Each row's one reading. Rows with several are settled together by the weights adding up to the total;
    what is left open, by the row's own points (coefficient × weight = score, then the score within the weight)."""
    chosen = [readings[0] if len(readings) == 1 else None for _, _, readings in pending]
    open_rows = [i for i, (_, _, readings) in enumerate(pending) if len(readings) > 1]
    options = {i: [r for r in pending[i][2]
                   if weights_total is None or (_number(r, "weight") or (0.0, 0))[0] <= weights_total]
               for i in open_rows}
    # A row's own points first: readings they agree with (coefficient × weight = score, the score within the weight)
    # are the row's, where there are any; the weights adding up may then choose among them, never against them (a
    # total off by an error of its own must not pull a row into points that break).
    for i in open_rows:
        # (not a score of 0: a cut makes a 0 of any zero digit, 810 as 81 | 0 for 8 | 10)
        own = [r for r in options[i] if _row_arithmetic(r) and (_number(r, "score") or (0.0, 0))[0] != 0]
        options[i] = own or options[i]
    if open_rows and weights_total is not None and all(readings for _, _, readings in pending):
        fixed = sum((_number(chosen[i], "weight") or (0.0, 0))[0] for i in range(len(pending)) if chosen[i])
        count = 1
        for i in open_rows:
            count *= max(1, len(options[i]))
        if count <= MAX_COMBINATIONS:
            fits = [combo for combo in itertools.product(*(options[i] for i in open_rows))
                    if abs(fixed + sum((_number(r, "weight") or (0.0, 0))[0] for r in combo) - weights_total) < 1e-6]
            # One way only to make the weights add up (several: a sum that fits by chance decides nothing).
            if len({tuple(_number(r, "weight")[0] for r in combo) for combo in fits}) == 1:
                for k, i in enumerate(open_rows):
                    kept = {id(combo[k]): combo[k] for combo in fits}
                    options[i] = list(kept.values())
    for i in open_rows:
        # Where a coefficient is written, points it does not give (51 × 1 ≠ 7) are as broken as a score over its
        # weight: the score within the weight then decides nothing, and the row stays unread.
        coefficient = any("coefficient" in r for r in options[i])
        tests = (lambda r: True, _row_arithmetic, _share_agrees) + (() if coefficient else (_score_within_weight,))
        for test in tests:
            agreeing = [r for r in options[i] if test(r)]
            if len(agreeing) == 1:
                chosen[i] = agreeing[0]
                break
    return chosen


def _score_within_weight(cells: dict[str, str]) -> bool:
    weight, score = _number(cells, "weight"), _number(cells, "score")
    return weight is not None and score is not None and score[0] <= weight[0] + 1e-9


def _run_total(run: str) -> dict[str, str] | None:
    """The total row's figures run together: weight 100 and a score (10094.5), or a score alone (96.44)."""
    run = run.strip(" :：|（）()分")
    readings = set()
    for weight, score in split_run(run, ("weight", "score")):
        if float(weight) == 100 and 10 <= float(score) <= 100:
            readings.add((("score", score), ("weight", weight)))
    if _POINTS_CELL.fullmatch(run):
        readings.add((("score", run),))
    return dict(readings.pop()) if len(readings) == 1 else None


MERGED_BLOCK_TITLE = "绩效指标"


def _run_indicator_header(text: str) -> tuple[str | None, ...] | None:
    """The roles of an indicator header whose words run together on one line (一级指标二级指标三级指标…)."""
    text = text.replace(" ", "")
    # The national form's merged first column (绩效指标) heads the block's rows: its title runs into the header's.
    text = text[len(MERGED_BLOCK_TITLE):] if text.startswith(MERGED_BLOCK_TITLE + "一级") else text
    roles, end = _header_chain(text, 0)
    if end < len(text) - 12 or len(roles) < 4 or _header_kind(list(roles)) != "indicator":
        return None
    return tuple(roles)
