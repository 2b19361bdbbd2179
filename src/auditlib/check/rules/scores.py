"""Scores as the report states them: sums of weights and scores, the total, grades, the cap the execution rate
sets, and the overall score's presence."""

from __future__ import annotations

import pandas as pd

from auditlib.check.rule import Rule, flag, gap, pct, where
from auditlib.check.rules.shared import BUDGET_EXECUTION_POINTS, GRADES, SCORE_TOLERANCE, TOTAL_POINTS


def _off_total(frame: pd.DataFrame, p) -> pd.Series:
    """How far an indicator system's total weight (an interval) lies from the total points."""
    apart = pd.concat([p.total_points - frame["total_weight_high"], frame["total_weight_low"] - p.total_points], axis=1)
    return apart.max(axis=1).clip(lower=0.0)


def _off_band(frame: pd.DataFrame, p) -> pd.Series:
    """How far a score (an interval) lies from the band of the grade stated beside it."""
    bands = frame["grade"].map(p.grade_band)
    band = pd.DataFrame({"band_low": [b[0] for b in bands], "band_high": [b[1] for b in bands]}, index=frame.index)
    return gap(pd.concat([frame, band], axis=1), "score", "band")


def _off_total_where(certain: bool):
    """_off_total for the systems read whole (a total row, a table, a sentence naming the whole system), or for
    weights gathered from prose or a table without a total row, which may be incomplete."""
    return lambda frame, p: where(frame, frame["certain"].astype(bool) == certain, _off_total(frame, p))


def _above_derived_cap(row: dict, p) -> str:
    return (f"自评得分{row['self_score']:g}分高于按预算执行率可得的上限{_two(row['derived_cap'])}分："
            f"执行率{pct(row['derived_rate'])}系按第{row['derived_lines']}行所列支出之和计算（报告未写明），"
            f"预算执行指标{row['execution_points']:g}分最多得"
            f"{_two(row['derived_cap'] - p.total_points + row['execution_points'])}分；请核实。")


def _above_cap(row: dict, p) -> str:
    # The cap with the one rounding every output shows (memo, index, workbook, risk score): 97.31.
    return (f"自评得分{row['self_score']:g}分高于按预算执行率可得的上限{_two(row['score_cap'])}分："
            f"执行率{pct(row['execution_rate'])}，预算执行指标{row['execution_points']:g}分最多得"
            f"{_two(row['score_cap'] - p.total_points + row['execution_points'])}分。")


def _two(value: float) -> str:
    """At most two decimals, trailing zeros dropped."""
    return f"{round(value, 2):.2f}".rstrip("0").rstrip(".")


def _score_absent(frame: pd.DataFrame, ends: bool, attached: bool = False) -> pd.Series:
    """1 where no overall score is stated in a whole report that shows its end (ends) or shows none; a text cut
    short may state its score after the cut, and a report that ends visibly but hands its table on as an
    attachment (attached) may score there."""
    attachment = frame["attached"].astype(bool) & frame["ends"].astype(bool)
    return flag(frame, frame["self_score"].isna() & ~frame["excerpt"].astype(bool)
                & (frame["ends"].astype(bool) == ends) & (attachment == attached))


RULES = (
    Rule("score.sum_mismatch", "high", "分值或得分与下级合计不符", "weights or scores that do not add up to their total",
         params=(SCORE_TOLERANCE,), unit="分",
         table="score_groups", predicate=lambda t, p: where(t, t["source"] == "table", gap(t, "stated", "sum")),
         limit=lambda p: p.score_tolerance,
         message=lambda r, p: f"“{r['name']}”{r['measure_zh']}{r['stated']:g}与下级指标{r['measure_zh']}合计{r['sum']:g}不一致" + (
             f"（不计预算执行率{r['execution']:g}分则相符：总分未计入预算执行率）。" if pd.notna(r["without_execution"])
             else "。"),
         numbers=lambda r, p: (r["sum"], r["stated"], p.score_tolerance)),
    Rule("score.sum_in_headings", "medium", "小标题所写分值或得分与下级小标题合计不符（请核实）",
         "a heading's weight or score (一、投入（分值18分）) that its sub-headings' do not add up to, all of them read",
         params=(SCORE_TOLERANCE,), unit="分",
         table="score_groups", predicate=lambda t, p: where(t, t["source"] == "heading", gap(t, "stated", "sum")),
         limit=lambda p: p.score_tolerance,
         message=lambda r, p: (f"小标题“{r['name']}”写{r['measure_zh']}{r['stated']:g}分，其下{int(r['children'])}个小标题"
                               f"{r['measure_zh']}合计{r['sum']:g}分（{r['parts']}），两者不符，请核实。"),
         numbers=lambda r, p: (r["sum"], r["stated"], p.score_tolerance)),
    Rule("weights.not_100", "high", "指标权重合计不等于{total_points}", "an indicator system whose weights do not total total_points (100)",
         params=(TOTAL_POINTS, SCORE_TOLERANCE), unit="分",
         table="weight_systems", predicate=_off_total_where(certain=True), limit=lambda p: p.score_tolerance,
         message=lambda r, p: f"指标体系分值合计{r['total_weight']:g}分（{r['items']}），不等于{p.total_points:g}分。",
         numbers=lambda r, p: (p.total_points, r["total_weight"], p.score_tolerance)),
    Rule("weights.not_100_unclear", "low", "所列指标分值合计不等于{total_points}（请核实）",
         "indicator weights gathered without a total row or a sentence naming the whole system that do not total "
         "total_points (100): the list may be incomplete",
         params=(TOTAL_POINTS, SCORE_TOLERANCE), unit="分",
         table="weight_systems", predicate=_off_total_where(certain=False), limit=lambda p: p.score_tolerance,
         message=lambda r, p: (f"文中所列指标分值合计{r['total_weight']:g}分（{r['items']}），不等于{p.total_points:g}分；"
                               "分值从正文或无合计行的表格中读出，可能不全，请核实。"),
         numbers=lambda r, p: (p.total_points, r["total_weight"], p.score_tolerance)),
    Rule("grade.mismatch", "high", "评定等级与得分不符", "a stated grade inconsistent with the stated score",
         params=(*GRADES, SCORE_TOLERANCE), tolerance_unit="分", figure="grade",
         table="grades", predicate=_off_band, limit=lambda p: p.score_tolerance,
         message=lambda r, p: (f"“{r['name']}”评定为“{r['grade']}”，但得分{r['score']:g}（百分制）对应“{r['expected_grade']}”"
                               f"（{p.grade_rule()}）。"),
         numbers=lambda r, p: (r["expected_grade"], r["grade"], p.score_tolerance)),
    Rule("score.above_cap", "high", "自评得分高于执行率允许的上限",
         "a self-score higher than the national method allows given the execution rate",
         params=(BUDGET_EXECUTION_POINTS, SCORE_TOLERANCE), unit="分", figure="score",
         table="report", predicate=lambda t, p: t["cap_gap"], limit=lambda p: p.score_tolerance,
         message=_above_cap, numbers=lambda r, p: (round(r["score_cap"], 2), r["self_score"], p.score_tolerance)),
    Rule("score.above_cap_derived", "medium", "自评得分高于按分项支出之和算出的执行率允许的上限（请核实）",
         "a self-score higher than the national method allows given an execution rate the report never states, "
         "summed from several lines' spending",
         params=(BUDGET_EXECUTION_POINTS, SCORE_TOLERANCE), unit="分", figure="score",
         table="report", predicate=lambda t, p: t["derived_cap_gap"], limit=lambda p: p.score_tolerance,
         message=_above_derived_cap,
         numbers=lambda r, p: (round(r["derived_cap"], 2), r["self_score"], p.score_tolerance)),
    Rule("score.above_total", "low", "自评得分超过满分（请核实评分体系）", "a self-score above the total points",
         params=(TOTAL_POINTS,), unit="分", figure="score",
         # Above the total with no total row of its own, a report may score on another scale (加分项).
         table="report", predicate=lambda t, p: where(t, ~t["on_scale"].astype(bool), t["self_score"]),
         limit=lambda p: p.total_points,
         message=lambda r, p: (f"自评得分{r['self_score']:g}分超过{p.total_points:g}分满分；若采用含加分项的评分办法，"
                               "请核实加分依据，否则得分有误。"),
         numbers=lambda r, p: (p.total_points, r["self_score"], 0)),
    Rule("score.above_weight", "high", "指标得分超过其分值", "an indicator scored above its weight",
         params=(SCORE_TOLERANCE,), unit="分",
         table="score_items", predicate=lambda t, p: t["score_low"] - t["weight_high"],
         limit=lambda p: p.score_tolerance,
         message=lambda r, p: f"“{r['name']}”得分{r['score']:g}超过其分值{r['weight']:g}。",
         numbers=lambda r, p: (r["weight"], r["score"], p.score_tolerance)),
    Rule("score.missing", "medium", "未给出自评总分", "no overall self-evaluation score stated", figure="score",
         # A text cut short may state its score after the cut.
         table="report", predicate=lambda t, p: _score_absent(t, ends=True), limit=lambda p: 0.0,
         message=lambda r, p: "报告未给出自评总分；绩效自评应按百分制给出自评得分和等级。",
         numbers=lambda r, p: ("自评得分", None, None)),
    Rule("score.missing_attached", "low", "正文未见自评总分（另附自评表）",
         "no overall score in a report that hands its self-evaluation table on as an attachment: it may be there",
         figure="score",
         table="report", predicate=lambda t, p: _score_absent(t, ends=True, attached=True), limit=lambda p: 0.0,
         message=lambda r, p: "正文未见自评总分；报告另附附件或自评表，总分可能在其中，请核对附件。",
         numbers=lambda r, p: ("自评得分", None, None)),
    Rule("score.missing_unended", "low", "未见自评总分（文本未见结尾）",
         "no overall score in a text that shows no end (no closing part, date or attachment): it may come later",
         figure="score",
         table="report", predicate=lambda t, p: _score_absent(t, ends=False), limit=lambda p: 0.0,
         message=lambda r, p: "文中未见自评总分；文本未见结尾（无落款日期、附件或改进建议等结尾部分），总分可能在其后，请核实。",
         numbers=lambda r, p: ("自评得分", None, None)),
)
