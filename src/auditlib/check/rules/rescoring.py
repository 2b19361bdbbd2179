"""Re-scoring under the rule set (check/rescore.py; the rule set is a params file's rule_set): each table row's
claimed score against what the rule set gives, and what the rule set asks of a row (reasons, weights, targets).

The indicator_scores table holds each scored indicator row's one question (`verdict`, see check/tables.py), so
a row raises at most one finding about its score; these rules each ask one question of it.
"""

from __future__ import annotations

import pandas as pd

from auditlib.check.rule import Rule, flag, gap, pct, points, where
from auditlib.check.rules.shared import BUDGET_EXECUTION_POINTS, SCORE_TOLERANCE
from auditlib.vocabulary import FUNDS_ROW, INDICATOR_ROW


def _allowed(row: dict) -> str:
    low, high = row["low"], row["high"]
    return points(high) if abs(high - low) < 0.005 else f"{points(low)}～{points(high)}"


def _rescored(what: str):
    def message(row: dict, p) -> str:
        return (f"“{row['name']}”{what}：自评得分{points(row['claimed'])}分，按{row['rule_set']}应得{_allowed(row)}分"
                f"（{row['formula']}）。")
    return message


def _score_numbers(row: dict, p) -> tuple:
    return (round(row["recomputed"], 2), row["claimed"], p.score_tolerance)


def _verdict(name: str):
    """The rows whose one question is this one, by how many points (1 for a yes-or-no question)."""
    return lambda t, p: where(t, t["verdict"] == name, t["verdict_gap"])


def _execution_gap(frame: pd.DataFrame, p) -> pd.Series:
    allowed = frame.assign(allowed_low=frame["low"], allowed_high=frame["high"])
    rescored = (frame["kind"] == FUNDS_ROW) & frame["rescored"].astype(bool)
    return where(frame, rescored, gap(allowed, "claimed", "allowed"))


def _unexplained_low_rate(frame: pd.DataFrame, p) -> pd.Series:
    below = p.rule_set.reason_rate_below
    if below is None:
        return pd.Series(float("nan"), index=frame.index)
    return flag(frame, frame["reason"] == "", (frame["kind"] == FUNDS_ROW) & (frame["ratio"] < below))


def _reason_chars(frame: pd.DataFrame, p) -> pd.Series:
    return where(frame, (frame["reason"] != "") & bool(p.rule_set.reason_max_chars), frame["reason"].str.len())


def _indicator(frame: pd.DataFrame) -> pd.Series:
    return frame["kind"] == INDICATOR_ROW


RULES = (
    Rule("score.execution_points", "high", "预算执行得分与执行率不符", "budget-execution points not what the formula gives",
         params=(SCORE_TOLERANCE,), unit="分", figure="recomputed",
         table="indicator_scores", predicate=_execution_gap, limit=lambda p: p.score_tolerance,
         message=_rescored("预算执行得分与执行率不符"), numbers=_score_numbers),
    Rule("weights.execution_points", "low", "预算执行分值与规则集不同", "budget-execution weight other than the rule set's",
         params=(BUDGET_EXECUTION_POINTS, SCORE_TOLERANCE), unit="分",
         table="indicator_scores", limit=lambda p: p.score_tolerance,
         # a scoring sheet's own 预算执行率 item weighs what its sheet gives it
         predicate=lambda t, p: where(t, (t["kind"] == FUNDS_ROW) & t["weight"].notna() & ~t["own_rule"].astype(bool),
                                      (t["weight"] - p.budget_execution_points).abs()),
         message=lambda r, p: (f"自评表中预算执行率分值为{points(r['weight'])}分，{r['rule_set']}规定为"
                               f"{points(p.budget_execution_points)}分；复核按表中分值计算，请核实所用评分表。"),
         numbers=lambda r, p: (p.budget_execution_points, r["weight"], p.score_tolerance)),
    Rule("score.full_but_missed", "high", "指标未完成却得满分", "a target missed but scored in full",
         unit="分", figure="recomputed",
         table="indicator_scores", predicate=_verdict("full_missed"), limit=lambda p: 0.0,
         message=lambda r, p: _rescored("未完成指标值却得满分" + ("" if r["reason"] else "，且未说明偏差原因"))(r, p),
         numbers=_score_numbers),
    Rule("score.item_mismatch", "high", "指标得分高于评分规则计算值", "an indicator scored above what the rule set gives",
         params=(SCORE_TOLERANCE,), unit="分", figure="recomputed",
         table="indicator_scores", predicate=_verdict("item"), limit=lambda p: p.score_tolerance,
         message=_rescored("得分高于按评分规则计算的分数"), numbers=_score_numbers),
    Rule("score.item_unclear", "medium", "指标得分高于评分规则计算值（指标性质或达成程度为推定）",
         "an indicator scored above the rule set's score where its nature is assumed or its level is a band",
         params=(SCORE_TOLERANCE,), unit="分", figure="recomputed",
         table="indicator_scores", predicate=_verdict("unclear"), limit=lambda p: p.score_tolerance,
         message=lambda r, p: _rescored("得分高于按评分规则计算的分数")(r, p) + (
             (r.get("nature_note") or "表中未写指标性质，按指标内容推定") + "，请核实。"
             if r["nature"] != "qualitative" else "请核实达成程度。"),
         numbers=_score_numbers),
    Rule("score.item_variant", "low", "指标得分高于评分规则计算值，但合于另一常用算法",
         "an indicator scored above the rule set's score by a score another formula in use gives (≤ by ratio "
         "target ÷ result, or linearly; = in proportion to the result): which formula the unit used is a question",
         params=(SCORE_TOLERANCE,), unit="分",
         table="indicator_scores", predicate=_verdict("variant"), limit=lambda p: p.score_tolerance,
         message=lambda r, p: _rescored("得分高于按评分规则计算的分数")(r, p)
         + f"按另一常用算法（{r['variant_formula']}）则相符，请核实所用评分办法。",
         numbers=_score_numbers),
    Rule("score.coefficient_mismatch", "high", "指标得分不等于得分系数×指标权重",
         "an indicator score other than its coefficient (得分系数, or 单项指标得分 ÷ 100) times its weight",
         params=(SCORE_TOLERANCE,), unit="分", figure="recomputed",
         table="indicator_scores", predicate=lambda t, p: t["coefficient_gap"], limit=lambda p: p.score_tolerance,
         message=lambda r, p: (f"“{r['name']}”得分系数{points(r['coefficient'])}×指标权重{points(r['weight'])}"
                               f"＝{points(r['coefficient'] * r['weight'])}，但指标得分写为{points(r['claimed'])}。"),
         numbers=lambda r, p: (round(r["coefficient"] * r["weight"], 4), r["claimed"], p.score_tolerance)),
    Rule("score.deduct_no_reason", "medium", "扣分未说明原因", "a deduction without a written reason",
         unit="分", figure="recomputed",
         table="indicator_scores", predicate=_verdict("deduction_unexplained"), limit=lambda p: 0.0,
         message=lambda r, p: (f"“{r['name']}”分值{points(r['weight'])}分，自评得分{points(r['claimed'])}分，扣分未填写"
                               f"偏差原因分析及改进措施（{r['rule_set']}要求每项扣分说明原因）。"),
         numbers=lambda r, p: ("说明扣分原因", r["claimed"], None)),
    Rule("score.met_below_weight", "medium", "指标已完成却未得满分且未说明理由",
         "a target met but scored below its weight with no reason",
         unit="分", figure="recomputed",
         table="indicator_scores", predicate=_verdict("met_unexplained"), limit=lambda p: 0.0,
         message=lambda r, p: (f"“{r['name']}”已完成指标值（{r['formula']}），但自评得分{points(r['claimed'])}分低于分值"
                               f"{points(r['weight'])}分，未说明扣分理由。"),
         numbers=lambda r, p: (r["weight"], r["claimed"], None)),
    Rule("score.item_below", "low", "指标得分低于评分规则计算值", "an indicator scored below what the rule set gives",
         params=(SCORE_TOLERANCE,), unit="分",
         table="indicator_scores", predicate=_verdict("below"), limit=lambda p: p.score_tolerance,
         message=lambda r, p: _rescored("得分低于按评分规则计算的分数")(r, p) + "单位已说明理由，请核实扣分依据。",
         numbers=_score_numbers),
    Rule("score.execution_no_reason", "medium", "执行率低于规定比例未说明原因",
         "an execution rate below the rule set's threshold with no reason in the funds row",
         unit="%", figure="recomputed",
         table="indicator_scores", predicate=_unexplained_low_rate, limit=lambda p: 0.0,
         message=lambda r, p: (f"预算执行率{pct(r['ratio'])}低于{pct(p.rule_set.reason_rate_below)}，"
                               f"{r['rule_set']}要求在表中说明原因，但原因栏为空。"),
         numbers=lambda r, p: (p.rule_set.reason_rate_below, r["ratio"], None)),
    Rule("indicator.missed_no_reason", "medium", "指标未完成且未说明原因",
         "a target missed with no reason written, on a form that scores nothing (the transfer payment's form asks "
         "the reason of every target missed)",
         figure="recomputed",
         table="unscored_indicators", predicate=lambda t, p: flag(t, t["missed"] & (t["reason"] == "")),
         limit=lambda p: 0.0,
         message=lambda r, p: (f"“{r['name']}”指标值{r['target']}，实际完成值{r['result']}，未完成指标值，但未填写"
                               f"未完成原因" + (f"（{r['nature_note']}）" if r["nature_note"] else "") + "。"),
         numbers=lambda r, p: (r["target"], r["result"], None)),
    Rule("score.reason_too_long", "low", "原因说明超过规定字数", "a written reason longer than the rule set allows",
         unit="字",
         table="indicator_scores", predicate=_reason_chars, limit=lambda p: float(p.rule_set.reason_max_chars or 10**9),
         message=lambda r, p: (f"“{r['name']}”的原因说明{int(r['score.reason_too_long'])}字，超过{r['rule_set']}规定的"
                               f"{p.rule_set.reason_max_chars}字。"),
         numbers=lambda r, p: (p.rule_set.reason_max_chars, int(r["score.reason_too_long"]), 0)),
    Rule("indicator.over_achieved", "low", "指标完成值远超指标值（目标可能偏低）",
         "an indicator achieved at 120% of its target or more (the rule set's over_achievement): the target was "
         "probably set too low", unit="%",
         table="indicator_scores", limit=lambda p: p.rule_set.over_achievement - 1e-9,
         predicate=lambda t, p: where(t, _indicator(t) & (t["nature"] == "≥") & t["ratio"].notna(),
                                      t["ratio"].round(6)),
         message=lambda r, p: (f"“{r['name']}”完成值达到指标值的{pct(r['ratio'])}（{r['formula']}），超过"
                               f"{pct(p.rule_set.over_achievement)}，绩效目标可能设定偏低。"),
         numbers=lambda r, p: (p.rule_set.over_achievement, round(r["ratio"], 4), None)),
    Rule("indicator.zero_weight", "medium", "指标分值为0", "an indicator with weight 0", unit="分", figure="recomputed",
         table="indicator_scores", predicate=lambda t, p: flag(t, t["weight"] == 0, _indicator(t)), limit=lambda p: 0.0,
         message=lambda r, p: f"“{r['name']}”分值为0；每项绩效指标都应有大于0的分值。",
         numbers=lambda r, p: ("大于0", r["weight"], None)),
    Rule("indicator.no_target", "low", "指标未写指标值", "an indicator with no target value",
         table="indicator_scores", limit=lambda p: 0.0,
         predicate=lambda t, p: flag(t, t["not_rescored"] == "未写指标值", _indicator(t)),
         message=lambda r, p: f"“{r['name']}”未填写年度指标值，无法按评分规则复核得分。",
         numbers=lambda r, p: ("年度指标值", None, None)),
)
