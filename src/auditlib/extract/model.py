"""The facts of a report as plain data."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from auditlib.ingest import Document
from auditlib.numbers import Quantity
from auditlib.outline import Outline

# Breakdown markers that say the parts are all of the total (其中 may name only some; 主要是 only the main ones).
COMPLETE_MARKERS = ("分别为", "分别是", "分为", "分以下", "包括")
# Measures of money, in the words of ../shared/domain.md.
MEASURES = ("requested", "budget", "adjusted_budget", "received", "spent", "balance", "increase", "decrease",
            "investment", "cumulative", "amount")


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: source line, section path and the source text as written."""

    line: int
    section: str
    quote: str


@dataclass(frozen=True)
class Amount:
    """One amount the text states, in 万元, with its written precision."""

    measure: str  # one of MEASURES
    label: str
    value_wan: float
    half_width: float  # rounding: the written figure stands for value ± half_width
    unit: str
    raw: str
    evidence: Evidence

    @property
    def signed_value(self) -> float:
        """The value with a decrease counted negative."""
        return -self.value_wan if self.measure == "decrease" else self.value_wan


@dataclass(frozen=True)
class Rate:
    """A stated percentage about money: an execution rate (执行率) or a funding rate (到位率)."""

    kind: str  # execution | funding
    label: str
    value: float  # a fraction: 150.5% is 1.505
    half_width: float
    raw: str
    evidence: Evidence


@dataclass
class BudgetLine:
    """One item's money as a sentence states it: its budget, receipts, spending, balance and rate."""

    label: str
    evidence: Evidence
    amounts: dict[str, Amount] = field(default_factory=dict)
    rates: dict[str, Rate] = field(default_factory=dict)  # by kind: execution, funding
    # The sentence states other budgets apart from the one kept (中央下达2077万元，…年初预算合计2389万元): which one
    # its spending answers to is not certain.
    several_budgets: bool = False
    # The other amounts of a measure the sentence states apart from the one kept (应支付A万元，实际支付B万元): the
    # figures a rate or a balance written in it may be of.
    alternatives: dict[str, tuple[Amount, ...]] = field(default_factory=dict)
    # Money the sentence names besides its budget (单位自筹20万元, 省级配套, 年中追加, 上年结转资金): its spending may
    # be of that money too, so the budget alone is not certainly its base.
    other_funds: tuple[Amount, ...] = ()
    # The spending may include money besides the budget: other funds named in the sentence (as parts too: 支付160万元
    # （含地方配套10万元）), or a budget that is the year's revenue (预算收入), which balances carried in add to.
    other_money: bool = False
    # A form whose only budget column is the initial one (年初预算数 | 全年执行数): money added during the year is in
    # its spending and in no budget it states.
    initial_only: bool = False
    # A row of a form's funds sources (其中：当年财政拨款 …): a part of the block's total, never the report's headline.
    part: bool = False
    # A row of a 自评表's funds block: the form's own text below it (全年实际完成情况, 原因 cells) may explain it.
    in_form: bool = False

    @property
    def rate(self) -> Rate | None:
        """The line's main stated rate: its execution rate, else its funding rate."""
        return self.rates.get("execution") or self.rates.get("funding")

    def value(self, measure: str) -> float | None:
        """The amount of this measure in 万元, or None when the line does not state it."""
        amount = self.amounts.get(measure)
        return amount.value_wan if amount else None

    @property
    def measures(self) -> set[str]:
        """The measures this line states."""
        return set(self.amounts)

    @property
    def budget(self) -> Amount | None:
        """The budget the line's rates refer to: the adjusted budget where stated, else the initial one."""
        return self.amounts.get("adjusted_budget") or self.amounts.get("budget")


# The money columns of a form's funds block, by the national form's titles.
FUNDS_MONEY_COLUMNS = {"budget": "年初预算数", "adjusted_budget": "全年预算数", "spent": "全年执行数"}


@dataclass(frozen=True)
class FundsSources:
    """A form's funds total row (年度资金总额) and the rows of its sources below it (其中：当年财政拨款, 上年结转资金,
    其他资金), each source row read with its cells in their columns' places (a blank cell is 0)."""

    total: BudgetLine
    sources: tuple[BudgetLine, ...]
    measures: tuple[str, ...]  # the money columns of the block: budget, adjusted_budget, spent
    # Every source row under the total was read and the list ends with the rest (其他资金): the sources are the
    # whole, so a sum short of the total is wrong too (其中 alone may name only some).
    exhaustive: bool


@dataclass(frozen=True)
class BlankCell:
    """A money or rate cell a form's funds total row leaves empty while the rest of the row is filled: one column
    (年初预算数 | | 880 → 全年预算数), or one of several where the row, its empty cells dropped (one cell per line),
    writes fewer amounts than the block has money columns and nothing tells which is empty."""

    evidence: Evidence
    columns: tuple[str, ...]  # the column left empty, or the columns one of which is
    written: tuple[str, ...] = ()  # the amounts the row writes, where the empty column is not known


@dataclass
class Breakdown:
    """A stated total (or change) and the parts the text splits it into (其中 …)."""

    total: Amount
    parts: list[Amount]
    stated_count: int | None
    evidence: Evidence
    marker: str = "其中"  # the words that open the list
    same_sentence: bool = True  # False when 其中 opens a sentence and splits the last amount of the one before
    other_totals: tuple[float, ...] = ()  # the other amounts the list may split (earlier in its sentence or the one before)
    masked: bool = False  # an item of the list has its figure hidden or missing (**万元): the sum is unknown

    @property
    def claims_complete(self) -> bool:
        """Whether the wording says the parts make up the whole (分别为, 分为N个, a stated count), or only lists
        some or the main ones (其中 …, 主要是 …)."""
        return self.stated_count is not None or any(word in self.marker for word in COMPLETE_MARKERS)


EXECUTION_ITEM = "预算执行率"  # the score item a form's funds block makes: its budget execution points
# A scoring sheet's own budget-execution item (资金管理 › 预算执行率, 5分), where the form has no funds row.
EXECUTION_ITEM_NAME = re.compile(r"^(?:预算|资金)?执行率$|^预算执行(?:情况)?$")


@dataclass(frozen=True)
class ScoreItem:
    """One row of a score table or a weighted indicator named in prose."""

    name: str
    level: int  # 0 for the grand total, 1 for 一级指标, 2 for 二级 …
    parent: str | None
    weight: float | None
    score: float | None
    grade: str | None
    evidence: Evidence
    source: str  # table | prose
    weight_half_width: float = 0.0
    score_half_width: float = 0.0
    group: int = 0  # which score table or prose sentence the item belongs to
    complete: bool = True  # its table was read whole (every row, and its total row): sums may be judged


@dataclass(frozen=True)
class Measure:
    """An indicator's target or result as its cell writes it: a number with its precision and unit, or words."""

    text: str
    quantity: Quantity | None  # None for words (明显改善, 达成); a percentage as a fraction
    unit: str  # 人, 万元, % … ('' when none is written)
    comparison: str | None = None  # ≥, ≤ or = when the wording says so (≥95%, 不低于, 以内)
    level: str | None = None  # 达成 | 部分达成 | 未达成, when the words name a qualitative level


@dataclass(frozen=True)
class Indicator:
    """One performance indicator of a table: what was planned, what was achieved, its weight, score and reason."""

    level1: str | None
    level2: str | None
    name: str  # the 三级指标
    planned: str | None
    achieved: str | None
    weight: float | None
    score: float | None
    evidence: Evidence
    nature: str | None = None  # ≥ | ≤ | = | qualitative | None (not decided)
    nature_source: str | None = None  # column (指标性质) | wording (≥95%, 以内) | default (assumed) | None
    target: Measure | None = None
    result: Measure | None = None
    weight_decimals: int = 0
    score_decimals: int = 0
    reason: str | None = None  # 偏差原因分析及改进措施, as written
    group: int = 0  # the table block it belongs to (shared with its score items)
    nature_note: str | None = None  # what was assumed where 指标性质 is not written (按成本指标视为≤)
    coefficient: float | None = None  # 得分系数 (department form), or 单项指标得分 ÷ 100: score = coefficient × weight
    coefficient_decimals: int = 0
    reason_column: bool = True  # False on a form with nowhere to write a reason (the department form)


@dataclass(frozen=True)
class ExecutionRow:
    """The funds row of a self-evaluation table that carries the budget-execution points
    (年度资金总额 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 [| 原因])."""

    label: str
    budget: Amount | None
    adjusted_budget: Amount | None
    spent: Amount | None
    rate: Rate | None
    weight: float | None
    score: float | None
    evidence: Evidence
    weight_decimals: int = 0
    score_decimals: int = 0
    reason: str | None = None
    group: int = 0
    # a scoring sheet's 预算执行率 item (its sheet's other items are not re-scored, so its total moves by this
    # row's change alone)
    sheet_item: bool = False


@dataclass
class ReportFacts:
    """The headline facts of a report; None where the text does not say."""

    unit_name: str | None = None
    region: str | None = None
    fiscal_year: int | None = None
    written_year: int | None = None
    kind: str | None = None  # project | department | table | unknown | None (not a self-evaluation)
    kind_reason: str | None = None  # why: the phrases and lines that decided
    project_name: str | None = None
    self_score: float | None = None
    grade: str | None = None
    execution_rate: float | None = None
    # stated | computed (from one statement or table row) | summed (spending of several lines added up; see
    # derived) | paired (budget and spending read in different places)
    execution_rate_source: str | None = None
    budget_wan: float | None = None
    spent_wan: float | None = None  # the total spending stated
    execution_spent_wan: float | None = None  # the spending the headline rate divides by the budget
    # Facts the report does not state but that were computed, with the source lines they come from (计算自第…行):
    # shown as computed, never as stated, and never the ground of a high finding.
    derived: dict[str, tuple[int, ...]] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)


@dataclass
class Extraction:
    """Everything extract reads from one report."""

    document: Document
    outline: Outline
    facts: ReportFacts
    amounts: list[Amount]
    rates: list[Rate]
    budget_lines: list[BudgetLine]
    breakdowns: list[Breakdown]
    score_items: list[ScoreItem]
    indicators: list[Indicator]
    unread_cells: list[tuple[Evidence, str]] = field(default_factory=list)  # run-together cells not read
    execution_rows: list[ExecutionRow] = field(default_factory=list)
    table_lines: frozenset[int] = frozenset()  # source lines that are table rows (the rest is narrative)
    unread_rows: list[tuple[Evidence, str]] = field(default_factory=list)  # form rows no single reading fits: why
    blank_cells: list[BlankCell] = field(default_factory=list)  # a form's funds total row: empty columns
    funds_sources: list[FundsSources] = field(default_factory=list)  # a form's funds total and its sources' rows

    def frames(self) -> dict[str, pd.DataFrame]:
        """The tidy tables: facts, amounts, budget_lines, breakdowns, scores, indicators, sections."""
        return {
            "facts": facts_frame(self.facts),
            "amounts": amounts_frame(self.amounts),
            "budget_lines": budget_lines_frame(self.budget_lines),
            "breakdowns": breakdowns_frame(self.breakdowns),
            "scores": scores_frame(self.score_items),
            "indicators": indicators_frame(self.indicators),
            "sections": self.outline.to_frame(),
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `auditlib extract --json`."""
        source = self.document.source
        facts = {key: value for key, value in asdict(self.facts).items() if key != "evidence"}
        return {
            "source": {"path": source.path, "sha256": source.sha256, "encoding": source.encoding,
                       "format": source.format},
            "facts": facts,
            "evidence": {key: {**asdict(value), "location": self.document.location(value.line)}
                         for key, value in self.facts.evidence.items()},
            "budget_lines": budget_lines_frame(self.budget_lines).to_dict(orient="records"),
            "breakdowns": [
                {"total": self._amount_dict(b.total), "parts": [self._amount_dict(p) for p in b.parts],
                 "stated_count": b.stated_count, "section": b.evidence.section, "line": b.evidence.line}
                for b in self.breakdowns
            ],
            "scores": scores_frame(self.score_items).to_dict(orient="records"),
            "indicators": indicators_frame(self.indicators).to_dict(orient="records"),
            "sections": [
                {"path": s.path, "title": s.title, "line": s.line, "end_line": s.end_line, "level": s.level,
                 "body_chars": s.body_chars}
                for s in self.outline.sections
            ],
        }

    @staticmethod
    def _amount_dict(amount: Amount) -> dict[str, Any]:
        return {"label": amount.label, "measure": amount.measure, "value_wan": amount.value_wan,
                "raw": amount.raw, "line": amount.evidence.line}


def part_keys(breakdowns: list[Breakdown]) -> set[tuple]:
    """Keys of the amounts that are parts of a stated total (其中…). A breakdown holds each part re-measured as its
    total's measure (卫生健康支出 under 收入 is a receipt), so a part is known by where it stands, not by identity."""
    return {amount_key(part) for breakdown in breakdowns for part in breakdown.parts}


def amount_key(amount: Amount) -> tuple:
    """Where an amount stands: its line, its words and its written figure."""
    return amount.evidence.line, amount.label, amount.raw, amount.value_wan


def largest_stated(amounts: list[Amount], breakdowns: list[Breakdown], *measures: str) -> Amount | None:
    """The largest amount of the first of `measures` the report states on its own (not as a part of a total)."""
    parts = part_keys(breakdowns)
    for measure in measures:
        candidates = [a for a in amounts if a.measure == measure and amount_key(a) not in parts]
        if candidates:
            return max(candidates, key=lambda a: a.value_wan)
    return None


def _none_for_nan(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


def facts_frame(facts: ReportFacts) -> pd.DataFrame:
    """The headline facts as a one-row table."""
    row = {key: value for key, value in asdict(facts).items() if key not in ("evidence", "derived")}
    row["derived"] = "；".join(f"{key}: 第{'、'.join(map(str, lines))}行" for key, lines in facts.derived.items())
    return pd.DataFrame([row])


def amounts_frame(amounts: list[Amount]) -> pd.DataFrame:
    """Every stated amount, one row each."""
    columns = ["measure", "label", "value_wan", "half_width", "unit", "raw", "section", "line", "quote"]
    rows = [{"measure": a.measure, "label": a.label, "value_wan": a.value_wan, "half_width": a.half_width,
             "unit": a.unit, "raw": a.raw, "section": a.evidence.section, "line": a.evidence.line,
             "quote": a.evidence.quote} for a in amounts]
    return pd.DataFrame(rows, columns=columns)


def budget_lines_frame(lines: list[BudgetLine]) -> pd.DataFrame:
    """One row per budget line: amounts by measure (万元), the stated rate and its kind."""
    columns = ["label", "requested_wan", "budget_wan", "adjusted_budget_wan", "received_wan", "spent_wan",
               "balance_wan", "stated_rate", "rate_kind", "rate_label", "funding_rate", "section", "line", "quote"]
    rows = []
    for line in lines:
        row = {"label": line.label, "section": line.evidence.section, "line": line.evidence.line,
               "quote": line.evidence.quote, "stated_rate": line.rate.value if line.rate else None,
               "rate_kind": line.rate.kind if line.rate else None,
               "rate_label": line.rate.label if line.rate else None,
               "funding_rate": line.rates["funding"].value if "funding" in line.rates else None}
        for measure in ("requested", "budget", "adjusted_budget", "received", "spent", "balance"):
            row[f"{measure}_wan"] = line.value(measure)
        rows.append(row)
    return _none_for_nan(pd.DataFrame(rows, columns=columns))


def breakdowns_frame(breakdowns: list[Breakdown]) -> pd.DataFrame:
    """One row per part of a stated breakdown, with its total."""
    columns = ["total_label", "total_measure", "total_wan", "part_label", "part_measure", "part_wan",
               "stated_count", "section", "line"]
    rows = [{"total_label": b.total.label, "total_measure": b.total.measure, "total_wan": b.total.signed_value,
             "part_label": p.label, "part_measure": p.measure, "part_wan": p.signed_value,
             "stated_count": b.stated_count, "section": b.evidence.section, "line": p.evidence.line}
            for b in breakdowns for p in b.parts]
    return pd.DataFrame(rows, columns=columns)


def scores_frame(items: list[ScoreItem]) -> pd.DataFrame:
    """Score and weight rows: name, level, parent, weight, score, grade."""
    columns = ["group", "name", "level", "parent", "weight", "score", "grade", "source", "section", "line", "quote"]
    rows = [{"group": i.group, "name": i.name, "level": i.level, "parent": i.parent, "weight": i.weight,
             "score": i.score, "grade": i.grade, "source": i.source, "section": i.evidence.section,
             "line": i.evidence.line, "quote": i.evidence.quote} for i in items]
    return _none_for_nan(pd.DataFrame(rows, columns=columns))


def indicators_frame(items: list[Indicator]) -> pd.DataFrame:
    """Indicator rows: levels, name, nature, planned and achieved values (number, unit), weight, score, reason."""
    columns = ["level1", "level2", "name", "nature", "nature_source", "planned", "planned_value", "planned_unit",
               "achieved", "achieved_value", "achieved_unit", "achieved_level", "weight", "score", "reason",
               "section", "line"]
    rows = [{"level1": i.level1, "level2": i.level2, "name": i.name, "nature": i.nature,
             "nature_source": i.nature_source, "planned": i.planned,
             "planned_value": i.target.quantity.value if i.target and i.target.quantity else None,
             "planned_unit": i.target.unit if i.target else None, "achieved": i.achieved,
             "achieved_value": i.result.quantity.value if i.result and i.result.quantity else None,
             "achieved_unit": i.result.unit if i.result else None,
             "achieved_level": i.result.level if i.result else None, "weight": i.weight, "score": i.score,
             "reason": i.reason, "section": i.evidence.section, "line": i.evidence.line} for i in items]
    return _none_for_nan(pd.DataFrame(rows, columns=columns))
