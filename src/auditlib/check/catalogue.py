"""The rule catalogue: every check auditlib makes, in one place, read top to bottom.

A table rule names a column of a check table (check/tables.py) and the bound it must keep; the bound
comes from CheckParams. great-expectations validates the column; each row it finds unexpected becomes a
finding with the row's evidence and the message below. A text rule is a plain function.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from auditlib.check import text_rules, writing
from auditlib.check.params import CheckParams

MEASURE_ZH = {"spent": "支出", "received": "到位资金"}


def _wan(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _pct(value: float) -> str:
    return f"{value * 100:.2f}".rstrip("0").rstrip(".") + "%"


@dataclass(frozen=True)
class Rule:
    """One check: its id, severity, descriptions, and either a table column bound or a text function."""

    id: str
    severity: str
    zh: str
    en: str
    table: str | None = None
    column: str | None = None
    bound: str | None = None  # max | min | not_null
    limit: Callable[[CheckParams], float] | None = None
    message: Callable[[dict, CheckParams], str] | None = None
    numbers: Callable[[dict, CheckParams], tuple[Any, Any, Any]] | None = None
    check: Callable | None = None  # text rules: (extraction, params, severity) -> list[Finding]

    @property
    def kind(self) -> str:
        """table or text."""
        return "table" if self.table else "text"


def _rate_name(row: dict) -> str:
    """The rate as the report names it (资金到位率 stays 资金到位率); a name is one only if it ends in 率."""
    label = (row.get("rate_label") or "").strip()
    return label if label.endswith("率") else ("预算执行率" if row["kind"] == "execution" else "资金到位率")


def _rate_over(row: dict, p: CheckParams) -> str:
    name = _rate_name(row)
    text = f"“{row['label']}”{name}为{_pct(row['value'])}，超过{_pct(p.max_rate)}"
    if not math.isnan(row["budget"]) and not math.isnan(row["numerator"]):
        measure = MEASURE_ZH[row["numerator_measure"]]
        text += f"：{measure}{_wan(row['numerator'])}万元高于预算{_wan(row['budget'])}万元"
    return text + "。请核实预算数，或要求说明超支原因。"


def _rate_low(row: dict, p: CheckParams) -> str:
    detail = ""
    if not math.isnan(row["budget"]) and not math.isnan(row["numerator"]):
        detail = f"（支出{_wan(row['numerator'])}万元/预算{_wan(row['budget'])}万元）"
    return (f"“{row['label']}”{_rate_name(row)}{_pct(row['value'])}{detail}，低于{_pct(p.low_execution_rate)}；"
            "按规定应在报告中说明原因。")


def _rate_mismatch(row: dict, p: CheckParams) -> str:
    measure = MEASURE_ZH[row["numerator_measure"]]
    return (f"“{row['label']}”{row['rate_label'] or '比率'}写为{_pct(row['stated'])}，但按所列金额{measure}"
            f"{_wan(row['numerator'])}万元÷预算{_wan(row['budget'])}万元计算为{_pct(row['computed'])}，"
            "考虑四舍五入后仍不一致。")


def _sum_mismatch(row: dict, p: CheckParams) -> str:
    return (f"“{row['label']}”{_wan(row['total'])}万元与所列各项合计{_wan(row['parts_sum'])}万元不一致"
            f"（{row['parts']}），相差{_wan(abs(row['total'] - row['parts_sum']))}万元，超出四舍五入范围。")


def _g(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _allowed(row: dict) -> str:
    low, high = row["low"], row["high"]
    return _g(high) if abs(high - low) < 0.005 else f"{_g(low)}～{_g(high)}"


def _rescored(row: dict, p: CheckParams, what: str) -> str:
    return (f"“{row['name']}”{what}：自评得分{_g(row['claimed'])}分，按{row['rule_set']}应得{_allowed(row)}分"
            f"（{row['formula']}）。")


def _score_numbers(row: dict, p: CheckParams) -> tuple:
    return (round(row["recomputed"], 2), row["claimed"], p.score_tolerance)


def _narrative_vs_table(row: dict, ending: str) -> str:
    return (f"正文所述{row['figure']}为{row['narrative']}，但同一文件的自评表（第{int(row['table_line'])}行）"
            f"为{row['table']}{ending}")


RULES: tuple[Rule, ...] = (
    # --- money: rates ---
    Rule("rate.over_100", "high", "执行率或到位率超过100%", "an execution or funding rate above 100%",
         table="rates", column="value_low", bound="max", limit=lambda p: p.max_rate + p.rate_tolerance,
         message=_rate_over, numbers=lambda r, p: (p.max_rate, r["value"], p.rate_tolerance)),
    Rule("rate.mismatch", "high", "所述比率与所列金额不符", "a stated rate inconsistent with its stated amounts",
         table="rates", column="mismatch_gap", bound="max", limit=lambda p: p.rate_tolerance,
         message=_rate_mismatch, numbers=lambda r, p: (r["computed"], r["stated"], p.rate_tolerance)),
    Rule("rate.unclear", "low", "由分处所列金额算出的执行率异常（请核实）",
         "an execution rate outside 90–100% computed from a budget and a spending figure read in different places",
         table="rates", column="paired_value", bound="max", limit=lambda p: p.max_rate + p.rate_tolerance,
         message=lambda r, p: (f"按文中分处所列的支出{_wan(r['numerator'])}万元与预算{_wan(r['budget'])}万元计算，执行率为"
                               f"{_pct(r['paired_value'])}，超过{_pct(p.max_rate)}；两数未在同一处并列，可能口径不同，请核实。"),
         numbers=lambda r, p: (p.max_rate, r["paired_value"], p.rate_tolerance)),
    Rule("rate.mismatch", "low", "所述比率与所列金额不符", "a stated rate inconsistent with its stated amounts",
         table="rates", column="loose_mismatch_gap", bound="max", limit=lambda p: p.rate_tolerance,
         message=lambda r, p: _rate_mismatch(r, p) + f"（{_rate_name(r)}可能指拨付或到位而非支出，请核实。）",
         numbers=lambda r, p: (r["computed"], r["stated"], p.rate_tolerance)),
    Rule("rate.unclear", "low", "由分处所列金额算出的执行率异常（请核实）",
         "a stated rate that the budget and spending its subsection states in other sentences do not give",
         table="rates", column="apart_gap", bound="max", limit=lambda p: p.rate_tolerance,
         message=lambda r, p: (f"{_rate_name(r)}写为{_pct(r['stated'])}（第{int(r['line'])}行），按本节另行所列的"
                               f"{MEASURE_ZH[r['numerator_measure']]}{_wan(r['numerator'])}万元（第{int(r['numerator_line'])}行）"
                               f"÷预算{_wan(r['budget'])}万元（第{int(r['budget_line'])}行）计算为{_pct(r['computed'])}；"
                               "三数不在同一句中，可能口径不同，请核实。"),
         numbers=lambda r, p: (r["computed"], r["stated"], p.rate_tolerance)),
    Rule("rate.low", "medium", "预算执行率低于90%", "an execution rate below 90%",
         table="rates", column="execution_high", bound="min", limit=lambda p: p.low_execution_rate,
         message=_rate_low, numbers=lambda r, p: (p.low_execution_rate, r["value"], None)),
    # --- money: totals ---
    Rule("sum.mismatch", "high", "合计数与分项之和不符", "a stated total (or difference) inconsistent with its parts",
         table="breakdowns", column="sum_gap", bound="max", limit=lambda p: p.amount_tolerance,
         message=_sum_mismatch, numbers=lambda r, p: (r["parts_sum"], r["total"], r["half_width"] + p.amount_tolerance)),
    Rule("sum.unclear", "low", "分项合计与总数不一致（请核实）",
         "parts that do not add up to a total where the wording leaves open whether the list is complete",
         table="breakdowns", column="unclear_gap", bound="max", limit=lambda p: p.amount_tolerance,
         message=lambda r, p: (f"“{r['label']}”{_wan(r['total'])}万元，“{r['marker']}”后所列各项合计{_wan(r['parts_sum'])}"
                               f"万元（{r['parts']}），相差{_wan(abs(r['total'] - r['parts_sum']))}万元；"
                               + ("所列可能只是部分或主要分项，" if r["short"] else "")
                               + "请核实。"),
         numbers=lambda r, p: (r["parts_sum"], r["total"], r["half_width"] + p.amount_tolerance)),
    Rule("count.mismatch", "medium", "所称项数与列出项数不符", "a stated number of parts differs from the parts listed",
         table="breakdowns", column="count_gap", bound="max", limit=lambda p: 0.0,
         message=lambda r, p: f"文中称“{r['label']}”分为{int(r['stated_count'])}项，实际列出{int(r['parts_count'])}项。",
         numbers=lambda r, p: (r["parts_count"], r["stated_count"], 0)),
    Rule("balance.mismatch", "high", "结余数与预算减支出不符", "a stated balance differs from budget minus spending",
         table="balances", column="balance_gap", bound="max", limit=lambda p: p.amount_tolerance,
         message=lambda r, p: (f"“{r['label']}”结余{_wan(r['balance'])}万元，与{_wan(r['base'])}－{_wan(r['spent'])}"
                               f"＝{_wan(r['expected'])}万元不符。"),
         numbers=lambda r, p: (r["expected"], r["balance"], p.amount_tolerance)),
    Rule("budget.large_change", "medium", "到位资金或调整预算较年初预算变动超过20%",
         "money received (or an adjusted budget) deviating from the initial budget by more than 20%",
         table="budget_changes", column="deviation", bound="max", limit=lambda p: p.large_change,
         message=lambda r, p: (f"{'实际到位资金' if r['measure'] == 'received' else '调整后预算'}{_wan(r['other'])}万元较年初预算"
                               f"{_wan(r['budget'])}万元{'增加' if r['change'] > 0 else '减少'}{_pct(abs(r['change']))}，"
                               f"超过{_pct(p.large_change)}，应说明预算调整情况。（支出偏离见执行率检查。）"),
         numbers=lambda r, p: (r["budget"], r["other"], p.large_change)),
    Rule("budget.large_change", "low", "到位资金或调整预算较年初预算变动超过20%",
         "money received (or an adjusted budget) deviating from the initial budget by more than 20%",
         table="budget_changes", column="apart_deviation", bound="max", limit=lambda p: p.large_change,
         message=lambda r, p: (f"{'实际到位资金' if r['measure'] == 'received' else '调整后预算'}{_wan(r['other'])}万元较年初预算"
                               f"{_wan(r['budget'])}万元{'增加' if r['change'] > 0 else '减少'}{_pct(abs(r['change']))}，"
                               f"超过{_pct(p.large_change)}；两数不在同一部分，可能口径不同，请核实。"),
         numbers=lambda r, p: (r["budget"], r["other"], p.large_change)),
    # --- scores ---
    Rule("score.sum_mismatch", "high", "分值或得分与下级合计不符", "weights or scores that do not add up to their total",
         table="score_groups", column="weight_gap", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: f"“{r['name']}”分值{r['stated_weight']:g}与下级指标分值合计{r['sum_weight']:g}不一致。",
         numbers=lambda r, p: (r["sum_weight"], r["stated_weight"], p.score_tolerance)),
    Rule("score.sum_mismatch", "high", "分值或得分与下级合计不符", "weights or scores that do not add up to their total",
         table="score_groups", column="score_gap", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: f"“{r['name']}”得分{r['stated_score']:g}与下级指标得分合计{r['sum_score']:g}不一致。",
         numbers=lambda r, p: (r["sum_score"], r["stated_score"], p.score_tolerance)),
    Rule("weights.not_100", "high", "指标权重合计不等于100分", "an indicator system whose weights do not total 100",
         table="weight_systems", column="weight_total_gap", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: f"指标体系分值合计{r['total_weight']:g}分（{r['items']}），不等于{r['expected']:g}分。",
         numbers=lambda r, p: (r["expected"], r["total_weight"], p.score_tolerance)),
    Rule("weights.not_100", "low", "指标权重合计不等于100分", "an indicator system whose weights do not total 100",
         table="weight_systems", column="weight_total_unclear", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: (f"文中所列指标分值合计{r['total_weight']:g}分（{r['items']}），不等于{r['expected']:g}分；"
                               "分值从正文或无合计行的表格中读出，可能不全，请核实。"),
         numbers=lambda r, p: (r["expected"], r["total_weight"], p.score_tolerance)),
    Rule("grade.mismatch", "high", "评定等级与得分不符", "a stated grade inconsistent with the stated score",
         table="grades", column="grade_gap", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: (f"“{r['name']}”评定为“{r['grade']}”，但得分{r['score']:g}（百分制）对应“{r['expected_grade']}”"
                               f"（{p.grade_rule()}）。"),
         numbers=lambda r, p: (r["expected_grade"], r["grade"], p.score_tolerance)),
    Rule("score.above_cap", "high", "自评得分高于执行率允许的上限",
         "a self-score higher than the national method allows given the execution rate",
         table="report", column="cap_gap", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: (f"自评得分{r['self_score']:g}分高于按预算执行率可得的上限{r['score_cap']:.1f}分："
                               f"执行率{_pct(r['execution_rate'])}，预算执行指标{p.budget_execution_points:g}分最多得"
                               f"{p.budget_execution_points * min(r['execution_rate'], 1):.1f}分。"),
         numbers=lambda r, p: (round(r["score_cap"], 2), r["self_score"], p.score_tolerance)),
    Rule("score.above_cap", "medium", "自评得分高于执行率允许的上限",
         "a self-score higher than the national method allows given an execution rate computed from several lines",
         table="report", column="derived_cap_gap", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: (f"自评得分{r['self_score']:g}分高于按预算执行率可得的上限{r['derived_cap']:.1f}分："
                               f"执行率{_pct(r['derived_rate'])}系按第{r['derived_lines']}行所列支出之和计算（报告未写明），"
                               f"预算执行指标{p.budget_execution_points:g}分最多得"
                               f"{p.budget_execution_points * min(r['derived_rate'], 1):.1f}分；请核实。"),
         numbers=lambda r, p: (round(r["derived_cap"], 2), r["self_score"], p.score_tolerance)),
    Rule("score.above_total", "low", "自评得分超过满分（请核实评分体系）", "a self-score above the total points",
         table="report", column="off_scale_score", bound="max", limit=lambda p: p.total_points,
         message=lambda r, p: (f"自评得分{r['self_score']:g}分超过{p.total_points:g}分满分；若采用含加分项的评分办法，"
                               "请核实加分依据，否则得分有误。"),
         numbers=lambda r, p: (p.total_points, r["self_score"], 0)),
    Rule("score.above_weight", "high", "指标得分超过其分值", "an indicator scored above its weight",
         table="score_items", column="over_weight", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: f"“{r['name']}”得分{r['score']:g}超过其分值{r['weight']:g}。",
         numbers=lambda r, p: (r["weight"], r["score"], p.score_tolerance)),
    Rule("score.missing", "medium", "未给出自评总分", "no overall self-evaluation score stated",
         table="report", column="score_absent", bound="max", limit=lambda p: 0.0,
         message=lambda r, p: "报告未给出自评总分；绩效自评应按百分制给出自评得分和等级。",
         numbers=lambda r, p: ("自评得分", None, None)),
    Rule("score.missing", "low", "未给出自评总分", "no overall self-evaluation score stated",
         table="report", column="score_absent_unended", bound="max", limit=lambda p: 0.0,
         message=lambda r, p: "文中未见自评总分；文本未见结尾（无落款日期、附件或改进建议等结尾部分），总分可能在其后，请核实。",
         numbers=lambda r, p: ("自评得分", None, None)),
    # --- re-scoring under the rule set (check/rescore.py; the rule set is a params file's rule_set) ---
    Rule("score.execution_points", "high", "预算执行得分与执行率不符", "budget-execution points not what the formula gives",
         table="indicator_scores", column="execution_gap", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: _rescored(r, p, "预算执行得分与执行率不符"), numbers=_score_numbers),
    Rule("weights.execution_points", "low", "预算执行分值与规则集不同", "budget-execution weight other than the rule set's",
         table="indicator_scores", column="execution_weight_gap", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: (f"自评表中预算执行率分值为{_g(r['weight'])}分，{r['rule_set']}规定为"
                               f"{_g(p.budget_execution_points)}分；复核按表中分值计算，请核实所用评分表。"),
         numbers=lambda r, p: (p.budget_execution_points, r["weight"], p.score_tolerance)),
    Rule("score.full_but_missed", "high", "指标未完成却得满分", "a target missed but scored in full",
         table="indicator_scores", column="full_missed", bound="max", limit=lambda p: 0.0,
         message=lambda r, p: _rescored(r, p, "未完成指标值却得满分" + ("" if r["reason"] else "，且未说明偏差原因")),
         numbers=_score_numbers),
    Rule("score.item_mismatch", "high", "指标得分高于评分规则计算值", "an indicator scored above what the rule set gives",
         table="indicator_scores", column="item_gap", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: _rescored(r, p, "得分高于按评分规则计算的分数"), numbers=_score_numbers),
    Rule("score.item_unclear", "medium", "指标得分高于评分规则计算值（指标性质或达成程度为推定）",
         "an indicator scored above the rule set's score where its nature is assumed or its level is a band",
         table="indicator_scores", column="unclear_gap", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: _rescored(r, p, "得分高于按评分规则计算的分数") + (
             "表中未写指标性质，按指标内容推定，请核实。" if r["nature"] != "qualitative" else "请核实达成程度。"),
         numbers=_score_numbers),
    Rule("score.deduct_no_reason", "medium", "扣分未说明原因", "a deduction without a written reason",
         table="indicator_scores", column="deduction_unexplained", bound="max", limit=lambda p: 0.0,
         message=lambda r, p: (f"“{r['name']}”分值{_g(r['weight'])}分，自评得分{_g(r['claimed'])}分，扣分未填写偏差原因分析"
                               f"及改进措施（{r['rule_set']}要求每项扣分说明原因）。"),
         numbers=lambda r, p: ("说明扣分原因", r["claimed"], None)),
    Rule("score.met_below_weight", "medium", "指标已完成却未得满分且未说明理由",
         "a target met but scored below its weight with no reason",
         table="indicator_scores", column="met_unexplained", bound="max", limit=lambda p: 0.0,
         message=lambda r, p: (f"“{r['name']}”已完成指标值（{r['formula']}），但自评得分{_g(r['claimed'])}分低于分值"
                               f"{_g(r['weight'])}分，未说明扣分理由。"),
         numbers=lambda r, p: (r["weight"], r["claimed"], None)),
    Rule("score.item_below", "low", "指标得分低于评分规则计算值", "an indicator scored below what the rule set gives",
         table="indicator_scores", column="below_gap", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: _rescored(r, p, "得分低于按评分规则计算的分数") + "单位已说明理由，请核实扣分依据。",
         numbers=_score_numbers),
    Rule("score.execution_no_reason", "medium", "执行率低于规定比例未说明原因",
         "an execution rate below the rule set's threshold with no reason in the funds row",
         table="indicator_scores", column="execution_unexplained", bound="max", limit=lambda p: 0.0,
         message=lambda r, p: (f"预算执行率{_pct(r['ratio'])}低于{_pct(p.rule_set.reason_rate_below)}，"
                               f"{r['rule_set']}要求在表中说明原因，但原因栏为空。"),
         numbers=lambda r, p: (p.rule_set.reason_rate_below, r["ratio"], None)),
    Rule("score.reason_too_long", "low", "原因说明超过规定字数", "a written reason longer than the rule set allows",
         table="indicator_scores", column="reason_chars", bound="max",
         limit=lambda p: float(p.rule_set.reason_max_chars or 10**9),
         message=lambda r, p: (f"“{r['name']}”的原因说明{int(r['reason_chars'])}字，超过{r['rule_set']}规定的"
                               f"{p.rule_set.reason_max_chars}字。"),
         numbers=lambda r, p: (p.rule_set.reason_max_chars, int(r["reason_chars"]), 0)),
    Rule("indicator.over_achieved", "low", "指标完成值远超指标值（目标可能偏低）",
         "an indicator achieved at 120% of its target or more: the target was probably set too low",
         table="indicator_scores", column="over_ratio", bound="max", limit=lambda p: p.rule_set.over_achievement - 1e-9,
         message=lambda r, p: (f"“{r['name']}”完成值达到指标值的{_pct(r['ratio'])}（{r['formula']}），超过"
                               f"{_pct(p.rule_set.over_achievement)}，绩效目标可能设定偏低。"),
         numbers=lambda r, p: (p.rule_set.over_achievement, round(r["ratio"], 4), None)),
    Rule("indicator.zero_weight", "medium", "指标分值为0", "an indicator with weight 0",
         table="indicator_scores", column="zero_weight", bound="max", limit=lambda p: 0.0,
         message=lambda r, p: f"“{r['name']}”分值为0；每项绩效指标都应有大于0的分值。",
         numbers=lambda r, p: ("大于0", r["weight"], None)),
    Rule("indicator.no_target", "low", "指标未写指标值", "an indicator with no target value",
         table="indicator_scores", column="no_target", bound="max", limit=lambda p: 0.0,
         message=lambda r, p: f"“{r['name']}”未填写年度指标值，无法按评分规则复核得分。",
         numbers=lambda r, p: ("年度指标值", None, None)),
    Rule("claim.vs_table", "high", "正文所述得分或等级与自评表不符",
         "the narrative's score or grade differs from its own self-evaluation table",
         table="table_claims", column="score_gap", bound="max", limit=lambda p: p.score_tolerance,
         message=lambda r, p: _narrative_vs_table(r, "。"),
         numbers=lambda r, p: (r["table"], r["narrative"], p.score_tolerance)),
    Rule("claim.vs_table_money", "medium", "正文所述金额或执行率与自评表不符",
         "the narrative's budget, spending or rate differs from its own self-evaluation table",
         table="table_claims", column="money_gap", bound="max", limit=lambda p: p.amount_tolerance,
         message=lambda r, p: _narrative_vs_table(r, "；请核实口径是否一致。"),
         numbers=lambda r, p: (r["table"], r["narrative"], p.amount_tolerance)),
    # --- structure and text ---
    Rule("section.empty", "medium", "标题下无内容", "a heading with no content", check=text_rules.section_empty),
    Rule("section.numbering", "low", "标题编号跳号、重号或格式不一", "a numbering gap, duplicate, or a level in another style",
         check=text_rules.section_numbering),
    Rule("section.missing", "medium", "缺少必备部分", "a part the report kind requires is absent",
         check=text_rules.section_missing),
    Rule("text.placeholder", "low", "模板空白未填写或数值被遮盖", "unfilled template blanks, masked values, empty form fields",
         check=text_rules.text_placeholder),
    Rule("text.unbalanced", "low", "括号或引号不成对", "a bracket or quote left open or never opened",
         check=writing.unbalanced_brackets),
    Rule("text.date", "low", "日期写法有误或不存在", "a date without 年/月, with a letter for a digit, or impossible",
         check=writing.malformed_dates),
    Rule("text.repeated", "low", "词语或语句连续重复", "a word or clause written twice in a row",
         check=writing.repeated_words),
    Rule("text.punctuation", "low", "标点重复", "two punctuation marks where one belongs",
         check=writing.doubled_punctuation),
    Rule("text.ocr", "low", "数字中混有字母（扫描识别错误）", "letters read for digits inside a number (OCR)",
         check=writing.ocr_digits),
    Rule("table.unreadable", "low", "表格数字连写无法拆分", "table cells run together that no single reading fits",
         check=writing.unread_cells),
    Rule("text.typo", "low", "疑似错别字", "a common misspelling (拔付 for 拨付)", check=writing.misspellings),
    Rule("section.item_numbering", "low", "段内序号重复或跳号", "items numbered inside one line that repeat or skip",
         check=writing.inline_item_numbers),
    Rule("text.duplicate", "low", "段落重复", "a repeated paragraph", check=text_rules.text_duplicate),
    Rule("text.artifact", "low", "转换残留", "conversion residue: bookmarks, page numbers, Latin words, markdown",
         check=text_rules.text_artifact),
    Rule("claim.contradiction", "high", "自评结论与所述情况矛盾",
         "a claim (targets all met, a top grade, all spent, no problem) against an admission or figure of the same "
         "report; high only for targets claimed met against a target admitted missed, else medium",
         check=text_rules.claim_contradiction),
    Rule("document.not_self_evaluation", "info", "不是绩效自评报告", "the document is not a self-evaluation",
         check=text_rules.not_self_evaluation),
    Rule("document.truncated", "info", "文本不完整", "the text stops mid-sentence; absences not judged",
         check=text_rules.truncated),
    Rule("document.kind_unknown", "info", "报告类型未能确定", "the kind of report could not be decided; checked anyway",
         check=text_rules.kind_unknown),
)


def catalogue_rows() -> list[dict[str, str]]:
    """The catalogue as rows (id, severity, kind, Chinese and English descriptions), one per rule id."""
    rows, seen = [], set()
    for rule in RULES:
        if rule.id not in seen:
            seen.add(rule.id)
            rows.append({"id": rule.id, "severity": rule.severity, "kind": rule.kind, "zh": rule.zh, "en": rule.en})
    return rows
