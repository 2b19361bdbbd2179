"""Re-scoring: the score a self-evaluation table should have given itself under the rule set that governs it.

Pure functions on an extraction and CheckParams (whose rule_set holds the formulas). Every figure is read as
the interval its written precision stands for, so a recomputed score is an interval too: a claimed score
disagrees only when its own rounding interval (a score written 9 stands for 8.5–9.5) misses it. Weights are the
table's own (a unit may set its weights); the formulas, grade bands and reason rules are the rule set's.
"""

from __future__ import annotations

import math

from dataclasses import asdict, dataclass, field, replace

import pandas as pd

from auditlib.check.interval import Interval
from auditlib.check.params import CheckParams
from auditlib.extract.model import Evidence, ExecutionRow, Extraction, Indicator, Measure
from auditlib.rulesets import RuleSet
from auditlib.vocabulary import FUNDS_ROW, INDICATOR_ROW

EXECUTION, INDICATOR = FUNDS_ROW, INDICATOR_ROW  # the kinds of row re-scored


@dataclass(frozen=True)
class RowScore:
    """One row re-scored (or not): the claimed score, the range the rule set allows, and how it was computed."""

    kind: str  # execution | indicator
    name: str
    level1: str | None
    level2: str | None
    nature: str | None  # ≥ ≤ = qualitative (None for the execution row)
    nature_source: str | None  # column | wording | default
    weight: float | None
    claimed: float | None
    claimed_half: float  # the claimed score's rounding: 9 stands for 8.5–9.5
    low: float | None  # the lowest score the rule set allows for the row's figures (their rounding, a level's band)
    high: float | None
    recomputed: float | None  # the rule set's score: the formula at the written figures; a band holds the claim
    formula: str  # the formula with the row's numbers, in Chinese
    met: bool | None  # the target was met (None: cannot tell)
    ratio: float | None  # achieved ÷ target
    reason: str | None
    not_rescored: str  # why the row was not re-scored ('' when it was)
    evidence: Evidence
    certain: bool  # the nature is stated and the figures are numbers: a gap is arithmetic, not judgement
    group: int = 0
    nature_note: str | None = None  # what was assumed where the nature is not written
    coefficient: float | None = None  # 得分系数 (or 单项指标得分 ÷ 100) as written: score = coefficient × weight
    coefficient_half: float = 0.0
    reason_column: bool = True
    # The highest score another formula in use gives the row's figures (≤ by ratio where the rule set deducts
    # linearly, = in proportion to the result), and that formula: a score it reaches is a question, not an error.
    variant_high: float | None = None
    variant_formula: str = ""
    own_rule: str = ""  # the form's own scoring rule where the row writes it (a scoring sheet's 评分标准), else ''

    @property
    def rescored(self) -> bool:
        """True when the rule set gave this row a score."""
        return not self.not_rescored


@dataclass
class Rescoring:
    """The re-scoring of one report: every row, the claimed and recomputed totals and grades."""

    rule_set: RuleSet
    rows: list[RowScore] = field(default_factory=list)
    claimed_total: float | None = None
    claimed_grade: str | None = None
    recomputed_total: float | None = None
    recomputed_grade: str | None = None

    @property
    def not_rescored(self) -> list[RowScore]:
        """The rows that could not be re-scored (each says why)."""
        return [row for row in self.rows if not row.rescored]

    @property
    def excess(self) -> float | None:
        """How much the claimed total exceeds the recomputed one."""
        if self.claimed_total is None or self.recomputed_total is None:
            return None
        return round(self.claimed_total - self.recomputed_total, 2)

    def frame(self) -> pd.DataFrame:
        """One row per re-scored (or skipped) table row."""
        columns = ["kind", "name", "level1", "level2", "nature", "nature_source", "weight", "claimed", "recomputed",
                   "low", "high", "formula", "met", "ratio", "reason", "not_rescored", "certain", "section", "line",
                   "quote"]
        rows = [{**{key: getattr(row, key) for key in columns[:-3]}, "section": row.evidence.section,
                 "line": row.evidence.line, "quote": row.evidence.quote} for row in self.rows]
        frame = pd.DataFrame(rows, columns=columns)
        return frame.astype(object).where(frame.notna(), None)

    def summary(self) -> dict:
        """The figures an audit record carries."""
        return {"rule_set": self.rule_set.id, "rule_set_name": self.rule_set.name,
                "claimed_total": self.claimed_total, "claimed_grade": self.claimed_grade,
                "recomputed_total": self.recomputed_total, "recomputed_grade": self.recomputed_grade,
                "row_count": len(self.rows), "rescored": len(self.rows) - len(self.not_rescored),
                "not_rescored": len(self.not_rescored),
                "not_rescored_reasons": sorted({row.not_rescored for row in self.not_rescored})}


def _g(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _show(measure: Measure) -> str:
    """A value as the formula shows it: 93%, 1520."""
    if measure.quantity is None:
        return measure.text
    if measure.quantity.is_percent:
        return _g(measure.quantity.value * 100) + "%"
    return _g(measure.quantity.value)


def claimed_half_width(decimals: int) -> float:
    """The rounding of a written score: a whole number stands for ±0.5, one decimal for ±0.05."""
    return 0.5 * 10 ** -decimals


def _interval(measure: Measure, exact: bool = False) -> Interval:
    """A value as an interval: a result stands for its rounding; a target is set, so it is exact."""
    return Interval.around(measure.quantity.value, 0.0 if exact else measure.quantity.half_width)


# --- the scoring formulas (each monotone in its figures, so an interval's ends give the score's range) ---


def at_least_score(achieved: float, target: float, weight: float) -> float:
    """≥: full at or above the target, else achieved ÷ target × weight."""
    if target <= 0 or achieved >= target:
        return weight
    return max(0.0, achieved / target) * weight


def at_most_linear_score(achieved: float, target: float, weight: float) -> float:
    """≤ (linear): full at or below the target, then (1 − (achieved − target) ÷ target) × weight, 0 at twice it."""
    if achieved <= target:
        return weight
    if target <= 0:
        return 0.0
    return max(0.0, 1 - (achieved - target) / target) * weight


def at_most_ratio_score(achieved: float, target: float, weight: float) -> float:
    """≤ (ratio): full at or below the target, else target ÷ achieved × weight."""
    if achieved <= target:
        return weight
    return max(0.0, target / achieved) * weight if achieved > 0 else weight


def equal_proportional_score(achieved: float, target: float, weight: float) -> float:
    """= (in proportion): the smaller of result and target over the larger, times the weight; 0 for a target of 0
    missed."""
    if achieved == target:
        return weight
    if target <= 0 or achieved <= 0:
        return 0.0
    return min(achieved, target) / max(achieved, target) * weight


def execution_score(rate: float, points: float) -> float:
    """Budget execution: min(points, rate × points)."""
    return min(points, max(0.0, rate) * points)


def _range(score, achieved: Interval, target: Interval, weight: float, increasing: bool) -> tuple[float, float]:
    """The score's range over the figures' rounding: increasing in achieved (≥) or decreasing (≤)."""
    if increasing:
        return score(achieved.low, target.high, weight), score(achieved.high, target.low, weight)
    return score(achieved.high, target.low, weight), score(achieved.low, target.high, weight)


def score_indicator(indicator: Indicator, rules: RuleSet) -> RowScore:
    """The rule set's score for one indicator row (or why it has none)."""
    target, result, weight = indicator.target, indicator.result, indicator.weight
    nature = indicator.nature
    base = dict(kind=INDICATOR, name=indicator.name, level1=indicator.level1, level2=indicator.level2,
                nature=nature, nature_source=indicator.nature_source, weight=weight, claimed=indicator.score,
                claimed_half=claimed_half_width(indicator.score_decimals) if indicator.score is not None else 0.0,
                reason=indicator.reason, evidence=indicator.evidence, group=indicator.group,
                nature_note=indicator.nature_note, coefficient=indicator.coefficient,
                reason_column=indicator.reason_column,
                coefficient_half=claimed_half_width(indicator.coefficient_decimals)
                if indicator.coefficient is not None else 0.0)

    def skipped(why: str, met: bool | None = None) -> RowScore:
        return RowScore(**base, low=None, high=None, recomputed=None, formula="", met=met, ratio=None,
                        not_rescored=why, certain=False)

    if weight is None:
        return skipped("未写分值")
    if target is None:
        return skipped("未写指标值")
    if result is None:
        return skipped("未写完成值")
    numeric = target.quantity is not None and result.quantity is not None and nature in ("≥", "≤", "=")
    if numeric:
        if target.quantity.is_percent != result.quantity.is_percent or (
                target.unit and result.unit and target.unit != result.unit):
            return skipped(f"指标值与完成值单位不一致（{target.text}／{result.text}）")
        return _quantitative(indicator, rules, base)
    if nature is None and target.quantity is not None and result.quantity is not None:
        return skipped(indicator.nature_note or "指标性质未写明")
    level = result.level
    if level is None and target.quantity is None and result.text == target.text:
        level = "达成"  # achieved as planned, word for word
    if level is None:
        return skipped("定性指标未写明达成程度" if target.quantity is None else "完成值无法读为数值")
    low_share, high_share = rules.level_band(level)
    low, high = low_share * weight, high_share * weight
    claimed = indicator.score
    recomputed = min(max(claimed, low), high) if claimed is not None else high
    formula = f"定性指标“{level}”：分值{_g(weight)}×{_g(low_share * 100)}%～{_g(high_share * 100)}%＝{_g(low)}～{_g(high)}"
    return RowScore(**base, low=low, high=high, recomputed=round(recomputed, 4), formula=formula,
                    met=level == "达成", ratio=None, not_rescored="", certain=False)


def target_missed(indicator: Indicator, rules: RuleSet) -> bool | None:
    """Whether an indicator missed its target, whatever its points: a form that scores nothing (the transfer
    payment's 区域绩效目标自评表) still asks why. None where its target or result cannot be read."""
    met = score_indicator(replace(indicator, weight=1.0, score=None), rules).met
    return None if met is None else not met


def _quantitative(indicator: Indicator, rules: RuleSet, base: dict) -> RowScore:
    target, result, weight, nature = indicator.target, indicator.result, indicator.weight, indicator.nature
    achieved, planned = _interval(result), _interval(target, exact=True)
    a, t = result.quantity.value, target.quantity.value
    variant_high, variant_formula = None, ""
    shown_a, shown_t = _show(result), _show(target)
    if nature == "≥":
        low, high = _range(at_least_score, achieved, planned, weight, True)
        point = at_least_score(a, t, weight)
        met = achieved.high >= planned.low
        formula = (f"≥：完成值{shown_a}≥指标值{shown_t}，得满分{_g(weight)}" if a >= t else
                   f"≥：{shown_a}÷{shown_t}×{_g(weight)}＝{_g(point)}")
    elif nature == "≤":
        linear = rules.at_most == "linear"
        score, other = (at_most_linear_score, at_most_ratio_score) if linear else \
            (at_most_ratio_score, at_most_linear_score)
        low, high = _range(score, achieved, planned, weight, False)
        point = score(a, t, weight)
        met = achieved.low <= planned.high
        ratio_formula = f"≤（比值）：{shown_t}÷{shown_a}×{_g(weight)}＝{_g(at_most_ratio_score(a, t, weight))}"
        linear_formula = (f"≤（线性扣分）：（1－({shown_a}－{shown_t})÷{shown_t}）×{_g(weight)}"
                          f"＝{_g(at_most_linear_score(a, t, weight))}")
        if a <= t:
            formula = f"≤：完成值{shown_a}≤指标值{shown_t}，得满分{_g(weight)}"
        else:
            formula, variant_formula = (linear_formula, ratio_formula) if linear else (ratio_formula, linear_formula)
            variant_high = _range(other, achieved, planned, weight, False)[1]
    else:  # =
        met = achieved.gap(planned) == 0
        low = high = point = weight if met else 0.0
        formula = f"＝：完成值{shown_a}{'等于' if met else '不等于'}指标值{shown_t}，得{_g(point)}分"
        if not met and t == 0:
            # A target of 0 missed (0起 → 1起) has no ratio to score by: any deduction short of the whole weight is
            # the rule set's own to choose (full marks still say the target was met).
            variant_high = weight
            variant_formula = "＝（指标值为0未达到）：扣分幅度无统一公式，部分扣分亦属常见"
        elif not met and t > 0:
            variant_high = max(equal_proportional_score(x, t, weight) for x in (achieved.low, achieved.high))
            smaller, larger = (shown_a, shown_t) if a < t else (shown_t, shown_a)
            variant_formula = (f"＝（按比例）：{smaller}÷{larger}×{_g(weight)}"
                               f"＝{_g(equal_proportional_score(a, t, weight))}")
    if indicator.coefficient is not None and weight > 0:
        # A form that writes the score's share (得分系数 0.87) scores the rounded share: 0.87 × 15 = 13.05, where
        # 86.9 ÷ 100 × 15 = 13.035. A share that is the rule's share rounded widens the range to its own.
        half = claimed_half_width(indicator.coefficient_decimals)
        share = Interval.around(indicator.coefficient, half)
        if share.gap(Interval(low / weight, high / weight)) == 0:
            low, high = min(low, share.low * weight), max(high, share.high * weight)
    ratio = a / t if t > 0 else None
    certain = indicator.nature_source in ("column", "wording")
    return RowScore(**base, low=round(low, 6), high=round(high, 6), recomputed=round(point, 4), formula=formula,
                    met=met, ratio=ratio, not_rescored="", certain=certain,
                    variant_high=round(variant_high, 6) if variant_high is not None else None,
                    variant_formula=variant_formula)


OWN_SCORING_RULE = "本表评分标准"


def score_execution(row: ExecutionRow, rules: RuleSet) -> RowScore:
    """The rule set's budget-execution points for a funds row: min(weight, 执行数 ÷ 全年预算数 × weight)."""
    weight = row.weight if row.weight is not None else rules.execution_points
    budget = row.adjusted_budget or row.budget
    base = dict(kind=EXECUTION, name="预算执行率", level1=None, level2=None, nature=None, nature_source=None,
                weight=weight, claimed=row.score,
                claimed_half=claimed_half_width(row.score_decimals) if row.score is not None else 0.0,
                reason=row.reason, evidence=row.evidence, group=row.group,
                own_rule=OWN_SCORING_RULE if row.sheet_item else "")
    if row.weight is not None and row.score is not None and row.score > row.weight:
        # Points above the row's own weight are score.above_weight's finding; the formula adds nothing to it.
        return RowScore(**base, low=None, high=None, recomputed=None, formula="", met=None, ratio=None,
                        not_rescored="得分超过分值", certain=False)
    if row.weight is None and row.score is not None and row.score > weight:
        # No weight written and more points than the rule set gives: the form weighs execution otherwise
        # (a 20-point variant); re-scoring under the rule set's weight would only restate that.
        return RowScore(**base, low=None, high=None, recomputed=None, formula="", met=None, ratio=None,
                        not_rescored="未写预算执行分值，得分高于规则集分值", certain=False)
    if budget is not None and row.spent is not None and budget.value_wan > 0:
        rate = Interval.around(row.spent.value_wan, row.spent.half_width) / Interval.around(budget.value_wan,
                                                                                              budget.half_width)
        point_rate = row.spent.value_wan / budget.value_wan
        how = f"执行数{_g(row.spent.value_wan)}÷预算数{_g(budget.value_wan)}"
    elif row.rate is not None:
        rate, point_rate = Interval.around(row.rate.value, row.rate.half_width), row.rate.value
        how = f"执行率{row.rate.raw}"
    else:
        return RowScore(**base, low=None, high=None, recomputed=None, formula="", met=None, ratio=None,
                        not_rescored="未写执行数和执行率", certain=False)
    point = execution_score(point_rate, weight)
    formula = f"min({_g(weight)}，{how}×{_g(weight)})＝{_g(point)}（执行率{_g(point_rate * 100)}%）"
    if row.rate is not None and Interval.around(row.rate.value, row.rate.half_width).gap(rate) == 0:
        # A form scores by the rate it writes, rounded (85.25% × 10 = 8.525, written 8.53, where the amounts give
        # 8.5247): the written rate's score is allowed too, where that rate is the amounts' rounded. A rate written
        # wrong (100% for 94.77%) scores the points it overstates: both are said.
        rate = Interval(min(rate.low, row.rate.value), max(rate.high, row.rate.value))
    low = execution_score(rate.low, weight)
    if row.score is not None and row.score_decimals == 0:
        low = math.floor(low + 1e-9)  # whole points, rounded down (9.91 written 9), as many forms score them
    return RowScore(**base, low=round(low, 6),
                    high=round(execution_score(rate.high, weight), 6), recomputed=round(point, 4), formula=formula,
                    met=None, ratio=point_rate, not_rescored="", certain=True)


def rescore(extraction: Extraction, params: CheckParams | None = None) -> Rescoring:
    """Every table row with points re-scored under params.rule_set, and the totals and grades."""
    params = params or CheckParams()
    rules = params.rule_set
    rows = [score_execution(row, rules) for row in extraction.execution_rows]
    rows += [score_indicator(indicator, rules) for indicator in extraction.indicators
             if indicator.weight is not None or indicator.score is not None]
    result = Rescoring(rules, rows)
    groups = {row.group for row in rows}
    if len(groups) != 1:
        return result  # no table, or several: no one total to recompute
    [group] = groups
    total_row = next((item for item in extraction.score_items
                      if item.group == group and item.level == 0 and item.score is not None), None)
    claimed = [row.claimed for row in rows if row.claimed is not None]
    result.claimed_total = total_row.score if total_row else (round(sum(claimed), 4) if claimed else None)
    if result.claimed_total is None:
        result.claimed_total = extraction.facts.self_score
    result.claimed_grade = extraction.facts.grade
    if any(row.sheet_item for row in extraction.execution_rows):
        # A scoring sheet's items are not re-scored but its 预算执行率 item: its total moves by that item alone.
        if total_row is not None:
            change = sum(row.recomputed - row.claimed for row in rows if row.rescored and row.claimed is not None)
            result.recomputed_total = round(total_row.score + change, 2)
            result.recomputed_grade = params.grade_for(result.recomputed_total)
        return result
    recomputed = [row.recomputed if row.rescored else row.claimed for row in rows]
    weights = sum(row.weight or 0 for row in rows)
    # A table of indicators alone, with no 总分 row and short of the total, is part of a score, not one: its sum
    # is no total and no grade (the budget-execution points are missing from it).
    whole = bool(total_row or extraction.execution_rows or abs(weights - rules.total_points) < 0.5)
    if whole and any(value is not None for value in recomputed):
        result.recomputed_total = round(sum(value for value in recomputed if value is not None), 2)
        result.recomputed_grade = params.grade_for(result.recomputed_total)
    return result


def as_dict(rescoring: Rescoring) -> dict:
    """JSON-ready rows (for `auditlib check --json`)."""
    return {**rescoring.summary(), "rows": [{**asdict(row), "evidence": asdict(row.evidence)} for row in rescoring.rows]}
