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
from dataclasses import dataclass, field

from auditlib.extract.model import Amount, BudgetLine, Evidence, ExecutionRow, Indicator, Measure, Rate, ScoreItem
from auditlib.extract.scores import BLANK_CELLS, read_measure
from auditlib.extract.tables import cell_number, cell_percent
from auditlib.ingest import Line
from auditlib.outline import Outline
from auditlib.vocabulary import DIRECTION_CELLS
from auditlib.ingest.normalize import BLANKS, FULLWIDTH_DIGITS, SPACED_CHINESE_RE

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
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("name", ("三级指标", "指标名称", "指标内容", "具体指标", "绩效指标名称")),
    ("nature", ("指标性质", "性质", "符号")),
    ("unit", ("度量单位", "计量单位", "单位")),
    ("achieved", ("实际完成值", "全年完成值", "全年实际完成值", "完成值", "实际值", "实际完成", "全年实际值")),
    ("planned", ("年度指标值", "年初指标值", "年初目标值", "年度目标值", "全年指标值", "指标值", "目标值", "计划值",
                 "预期目标值")),
    ("budget", ("年初预算数", "年初预算", "年初预算金额", "预算数")),
    ("adjusted_budget", ("全年预算数", "调整后预算数", "调整预算数", "调整后预算", "全年预算")),
    ("spent", ("全年执行数", "预算执行数", "执行数", "实际执行数", "实际支出", "支出数")),
    ("weight", ("分值", "权重", "指标权重", "权重占比", "满分", "标准分")),
    ("score", ("得分", "指标得分", "自评得分", "折算得分", "评分")),
    ("reason", ("偏差原因分析及改进措施", "未完成原因和改进措施", "未完成原因", "偏差原因", "原因", "理由及依据", "说明",
                "备注")),
    ("core", ("是否核心指标", "核心指标")),
)
# Contained words, in order, for header cells no word equals.
COLUMN_PARTS: tuple[tuple[str, str], ...] = (
    ("单项", "item_score"), ("系数", "coefficient"), ("执行率权重", "rate_weight"), ("执行率得分", "rate_score"),
    ("执行率", "rate"), ("调整指标", "adjusted_planned"), ("一级", "level1"), ("二级", "level2"), ("三级", "name"),
    ("性质", "nature"), ("单位", "unit"), ("完成", "achieved"), ("指标值", "planned"), ("目标值", "planned"),
    ("年初预算", "budget"), ("全年预算", "adjusted_budget"), ("调整后预算", "adjusted_budget"), ("执行数", "spent"),
    ("权重", "weight"), ("分值", "weight"), ("得分", "score"), ("原因", "reason"), ("措施", "reason"),
    ("核心", "core"), ("指标名称", "name"),
)
INDICATOR_ROLES = frozenset({"planned", "achieved"})
MONEY_ROLES = frozenset({"budget", "adjusted_budget", "spent", "rate"})
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
TOTAL_WORDS = ("自评总分", "总分", "合计", "总计", "综合得分", "得分合计")
UNIT_WORDS = frozenset({"人", "人次", "个", "次", "家", "项", "%", "％", "万元", "元", "亿元", "天", "日", "月", "个月", "年",
                        "小时", "分钟", "公里", "千米", "米", "亩", "户", "场", "册", "份", "篇", "期", "批", "台", "套",
                        "平方米", "吨", "所", "件", "条", "座", "辆", "名", "元/人", "分", "工作日", "月份", "批次", "场次",
                        "万人次", "人/次", "处", "宗", "起", "元/平方米", "万元/个"})
def nature_cell(cell: str) -> str | None:
    """The direction a 指标性质 cell states (≥ 正向 正向指标 ≤ 反向 = 定性), by the vocabulary's words."""
    text = re.sub(r"\s+", "", cell)
    return DIRECTION_CELLS.get(text) or (DIRECTION_CELLS.get(text[:-2]) if text.endswith("指标") else None)
# Rows of the funds block below its total (其中：当年财政拨款 …): no points, and no harm when not read.
SUB_FUNDS = re.compile(r"其中|财政拨款|上年结转|其他资金|结转|结余")
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


def column_role(cell: str) -> str | None:
    """The role of a header cell, or None when it names none."""
    text = re.sub(r"[（(][^）)]{0,12}[）)]", "", re.sub(r"\s+", "", cell))
    if not text:
        return None
    for role, words in COLUMN_WORDS:
        if text in words:
            return role
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
    inner = raw.strip("\r\n")
    text = _clean_cell(inner)
    if "\t" in inner.lstrip("\t").rstrip("\t ") or (cell and "\t" in inner.strip("\t")):
        cells = inner.rstrip().split("\t")
    elif text.count("|") >= 2 or (text.count("|") == 1 and not text.startswith("|")):
        text = text[1:] if text.startswith("|") else text
        text = text[:-1] if text.endswith("|") else text
        cells = text.split("|")
    elif SPACES_RE.search(inner) and "。" not in inner:
        cells = SPACES_RE.split(inner.strip())
        if len(cells) < 3 and not (len(cells) == 2 and _is_total(cells, "indicator")):
            return None
    else:
        return None
    cells = [_clean_cell(cell) for cell in cells]
    filled = sum(1 for c in cells if c)
    # A row whose other cells are empty (上年结转资金 | | |) is still a row of its table.
    return cells if (filled >= 2 or (filled == 1 and len(cells) >= 3)) and len(cells) <= MAX_CELLS * 2 else None


def _clean_cell(cell: str) -> str:
    return SPACED_CHINESE_RE.sub("", cell.translate(FULLWIDTH_DIGITS).translate(BLANKS).strip())


# --- fitting a row to the columns --------------------------------------------------------------------------

IMPOSSIBLE = -1000.0


def _is_number(cell: str) -> bool:
    return cell_number(cell) is not None


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
        return 4.0 if nature_cell(cell) else IMPOSSIBLE
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
    if role == "level1":  # a name of both levels (成本指标) is read as the 二级 where either fits
        return (2.9 if cell in LEVEL2_NAMES else 3.0) if cell in LEVEL1_NAMES else (IMPOSSIBLE if number or cell in LEVEL2_NAMES else 0.1)
    if role == "level2":
        return 3.0 if cell in LEVEL2_NAMES else (IMPOSSIBLE if number or cell in LEVEL1_NAMES else 0.1)
    if role == "name":
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


MAX_ALIGNMENTS = 5000


def align(roles: tuple[str, ...], cells: list[str], required: frozenset[str],
          droppable: frozenset[str] = DROPPABLE, fits=None) -> dict[str, str] | None:
    """The one way the row's cells fill the columns, by role; None when no way fits or several differ.

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
    if len(readings) != 1:
        return None
    reading = dict(next(iter(readings)))
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


@dataclass
class FormTable:
    """One 自评表 found in a text: the rows read, the rows not read, its total row, and whether it is whole."""

    block: int
    variant: str  # national | department | province_a | city_b (the closest by its columns)
    rows: list[FormRow] = field(default_factory=list)
    unread: list[tuple[int, int, str, str]] = field(default_factory=list)  # (index, line, quote, why)
    total: FormRow | None = None
    cut_off: bool = False  # the text ends inside the table

    @property
    def complete(self) -> bool:
        """Every row was read and the text does not cut the table off (a table that ends in its text without a
        total row is whole; its weights are still judged, as the weights of a system)."""
        return not self.unread and not self.cut_off

    @property
    def lines(self) -> set[int]:
        found = {row.index for row in self.rows} | {u[0] for u in self.unread}
        if self.total is not None:
            found.add(self.total.index)
        return found


@dataclass(frozen=True)
class Header:
    roles: tuple[str | None, ...]
    kind: str  # indicator | funds
    index: int
    span: int  # lines the header takes


def _header_kind(roles: list[str | None]) -> str | None:
    present = {r for r in roles if r}
    if INDICATOR_ROLES <= present and present & {"weight", "score", "coefficient"}:
        return "indicator"
    if len(present & MONEY_ROLES) >= 2 and present & {"weight", "score", "rate_weight", "rate_score"}:
        return "funds"
    return None


def _is_header_cells(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and not any(_is_number(c) or cell_percent(c) for c in filled)


def _merge_two_rows(first: list[str], second: list[str]) -> list[str]:
    """A two-row header as one: a grouping cell (绩效指标 over 一级/二级/三级指标) gives way to the cells under it."""
    if len(first) == len(second):
        return [b if column_role(b) else a for a, b in zip(first, second)]
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


def _roles(cells: list[str]) -> list[str | None]:
    roles = [column_role(c) for c in cells]
    # A funds header's first column is the row label (项目资金 / 年度资金总额 …).
    if roles and roles[0] is None and cells[0]:
        roles[0] = "label"
    return roles


def _header_at(rows: list[tuple[int, int, list[str], str]], position: int) -> Header | None:
    index, _, cells, _ = rows[position]
    if not _is_header_cells(cells):
        return None
    roles = _roles(cells)
    kind = _header_kind(roles)
    if position + 1 < len(rows) and rows[position + 1][0] - index <= 2 and _is_header_cells(rows[position + 1][2]):
        below = rows[position + 1][2]
        below_roles = [column_role(c) for c in below]
        if sum(1 for r in below_roles if r) >= 2:
            merged = _merge_two_rows(cells, below)
            merged_roles = _roles(merged)
            merged_kind = _header_kind(merged_roles)
            if merged_kind:
                return Header(tuple(merged_roles), merged_kind, index, 2)
    if kind:
        return Header(tuple(roles), kind, index, 1)
    return None


def _table_rows(lines: list[Line]) -> list[tuple[int, int, list[str], str]]:
    """Every line that is a table row, as (index, source line, cells); a run of tab-led one-cell lines is one
    row; a line of prose gives no cells (it ends a table). Lines the normaliser joined across a blank (a long
    row and the next line) are split back into their source lines."""
    rows: list[tuple[int, int, list[str]]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.cell and line.text and split_row(line) is None:
            end = index
            while end < len(lines) and lines[end].cell and lines[end].text and split_row(lines[end]) is None:
                end += 1
            rows.append((index, line.line, [_clean_cell(l.text) for l in lines[index:end]], ""))
            index = end
            continue
        raws = line.raw.split("\n")
        for number, raw in zip(line.source_lines, raws) if len(raws) == len(line.source_lines) else [(line.line, line.raw)]:
            cells = split_raw(raw, line.cell)
            if cells:
                rows.append((index, number, cells, ""))
            elif raw.strip():
                rows.append((index, number, [], raw.strip()))  # prose: a break
        index += 1
    return rows


def _first_text(cells: list[str]) -> str:
    return next((c for c in cells if c), "")


def _is_total(cells: list[str], kind: str) -> bool:
    first = re.sub(r"\s+", "", _first_text(cells))
    words = TOTAL_WORDS if kind == "indicator" else TOTAL_WORDS[:2]  # 合计 in the funds block totals money
    return any(first == word or first.startswith(word) for word in words) and any(_is_number(c) for c in cells)


def read_forms(lines: list[Line]) -> list[FormTable]:
    """Every 自评表 in the lines, read against the model."""
    rows = _table_rows(lines)
    tables: list[FormTable] = []
    current: FormTable | None = None
    header: Header | None = None
    block = 0
    level1 = level2 = None
    position = 0
    # The last line that is not a cell of a row written one cell per line: a table at or past it ends the text.
    last_index = max((i for i, line in enumerate(lines) if line.text and not line.cell), default=-1)
    while position < len(rows):
        index, number, cells, prose = rows[position]
        found = _header_at(rows, position) if cells else None
        if found:
            if current is None or current.total is not None or any(
                    row.kind == ("funds" if found.kind == "funds" else "indicator") for row in current.rows):
                block += 1
                current = FormTable(block, "national")
                tables.append(current)
                level1 = level2 = None
            header = found
            position += found.span
            _guess_variant(current, found)
            continue
        if not cells:
            if current is not None and not _is_short_title(prose):
                current, header = None, None
            position += 1
            continue
        if current is None or header is None:
            position += 1
            continue
        quote = " | ".join(c for c in cells if c)
        if _is_total(cells, header.kind):
            current.total = FormRow("total", _total_cells(cells, header), index, number, quote)
            position += 1
            continue
        required = frozenset({"name", "planned", "achieved"} | (
            {"coefficient", "weight", "score"} if "coefficient" in header.roles else
            {"weight", "score"} if "score" in header.roles else set())) if header.kind == "indicator" else \
            frozenset({"label"})
        reading = align(header.roles, cells, required, DROPPABLE, fit) if header.kind == "indicator" else \
            align(header.roles, cells, required, frozenset(header.roles) - {"label"}, _funds_fit)
        if header.kind == "funds":
            if reading is None:
                if any(_is_number(c) for c in cells) and not SUB_FUNDS.search(_first_text(cells)):
                    current.unread.append((index, number, quote, "资金栏与表头列数不符"))
                position += 1
                continue
            current.rows.append(FormRow("funds", reading, index, number, quote))
            position += 1
            continue
        if reading is None:
            if sum(1 for c in cells if c) >= 3 and any(_is_number(c) for c in cells):
                current.unread.append((index, number, quote, "单元格与表头无法唯一对应"))
            position += 1
            continue
        if reading.get("level1"):
            level1, level2 = reading["level1"], None
        if reading.get("level2"):
            level2 = reading["level2"]
            parent = next((p for key, p in LEVEL2_PARENT.items() if level2.startswith(key)), None)
            if not reading.get("level1") and parent and parent != level1 and (level1 in LEVEL1_NAMES or level1 is None):
                level1 = parent
        current.rows.append(FormRow("indicator", reading, index, number, quote, level1, level2,
                                    "reason" in header.roles))
        position += 1
    for table in tables:
        ends_text = max(table.lines, default=-1) >= last_index
        table.cut_off = table.total is None and ends_text
    return [table for table in tables if table.rows or table.unread]


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
    return len(text) <= 16 and "。" not in text


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


def direction(nature_text: str, target: Measure | None, level2: str | None,
              unit: str = "") -> tuple[str | None, str | None, str | None]:
    """(nature, source, note): from the 指标性质 column, else the target's comparator (≥ ≤ = 不低于 以内 …), else
    assumed from the indicator's kind and unit; the note says what was assumed (指标性质未写明，按成本指标视为≤)."""
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
    reading = FormReading(read_forms(outline.document.lines))
    for table in reading.tables:
        group = FORM_GROUP_BASE + table.block
        complete = table.complete
        items: list[ScoreItem] = []
        for row in table.rows:
            evidence = _evidence(outline, row)
            if row.kind == "funds":
                _funds_row(row, evidence, group, reading, items, complete)
            else:
                _indicator_row(row, evidence, group, reading, items, complete)
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
    return reading


def _first_word(quote: str) -> str:
    return quote.split(" | ")[0]


def _funds_row(row: FormRow, evidence: Evidence, group: int, reading: FormReading, items: list[ScoreItem],
               complete: bool) -> None:
    cells = row.cells
    label = cells.get("label", "")
    amounts: dict[str, Amount] = {}
    for measure in ("budget", "adjusted_budget", "spent"):
        number = _number(cells, measure)
        if number:
            amounts[measure] = Amount(measure, label, number[0], _half(number[1]), "万元", cells[measure], evidence)
    percent = cell_percent(cells.get("rate", "")) if cells.get("rate") else None
    rate = Rate("execution", "执行率", percent[0], _half(percent[1]), cells["rate"], evidence) if percent else None
    if amounts or rate:
        reading.amounts.extend(amounts.values())
        reading.budget_lines.append(BudgetLine(label, evidence, amounts, {"execution": rate} if rate else {}))
    weight = _number(cells, "weight") or _number(cells, "rate_weight")
    score = _number(cells, "score") or _number(cells, "rate_score")
    if weight is None and score is None:
        return
    reason = cells.get("reason", "")
    reading.execution_rows.append(ExecutionRow(
        label, amounts.get("budget"), amounts.get("adjusted_budget"), amounts.get("spent"), rate,
        weight[0] if weight else None, score[0] if score else None, evidence, weight[1] if weight else 0,
        score[1] if score else 0, reason if reason and reason not in BLANK_CELLS else None, group))
    items.append(ScoreItem("预算执行率", 1, None, weight[0] if weight else None, score[0] if score else None, None,
                           evidence, "table", _half(weight[1]) if weight else 0.0, _half(score[1]) if score else 0.0,
                           group=group, complete=complete))


def _indicator_row(row: FormRow, evidence: Evidence, group: int, reading: FormReading, items: list[ScoreItem],
                   complete: bool) -> None:
    cells = row.cells
    reason_column = row.reason_column
    unit = cells.get("unit", "")
    planned_text = cells.get("adjusted_planned") or cells.get("planned", "")
    target, result = read_measure(planned_text, unit), read_measure(cells.get("achieved", ""), unit)
    nature, source, note = direction(cells.get("nature", ""), target, row.level2, unit)
    weight, score = _number(cells, "weight"), _number(cells, "score")
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
