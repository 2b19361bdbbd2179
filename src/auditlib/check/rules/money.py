"""Money: rates against their amounts and bounds, totals against their parts, balances, budget changes."""

from __future__ import annotations

import math
import re

import pandas as pd

from auditlib.check.rule import Param, Rule, flag, gap, pct, wan, where
from auditlib.check.reading import QUESTIONED_SOURCES
from auditlib.check.rules.shared import AMOUNT_TOLERANCE, LOW_EXECUTION_RATE, MAX_RATE, RATE_TOLERANCE
from auditlib.extract.model import FUNDS_MONEY_COLUMNS
from auditlib.vocabulary import MEASURES, RATE_KINDS

LOW_FUNDING_RATE = Param("low_funding_rate", 0.90, 2.0, "below this a funding rate (received ÷ budget) is questioned",
                         "%")
LARGE_CHANGE = Param("large_change", 0.20, 10.0,
                     "receipts deviating from the initial budget by more than this share", "%")


SMALL_YUAN = Param("small_yuan_amount", 100.0, 1e6,
                   "an amount of a fund written in 元 below this is implausibly small: 万 probably left out")
HUGE_WAN = Param("huge_wan_amount", 1e7, 1e9,
                 "an amount read in 万元 above this (1000亿元) is implausibly large for a unit's report: written in 元 "
                 "under a 万元 heading", "万元")
# A fund's money (市级资金配套3.6元): the amount of a budget line, not a price or a standard per head.
FUND_WORDS = re.compile(r"资金|经费|预算|拨款|配套|补助|专款")
# Small sums that are rightly small: interest, bank charges, rounding differences.
NOT_A_FUND = re.compile(r"利息|手续费|尾差|尾数|零星|差额")
# A standard per unit (生均1000元, 300元/人, 每人50元) is rightly small.
PER_UNIT_BEFORE = re.compile(r"(?:每|生均|人均|户均|标准|单价|按)[^，,。；;]{0,8}$")
PER_UNIT_AFTER = re.compile(r"^\s*(?:[/／每]|一次|左右)")
# A label that names a standard per head (人均…补助, 每生每天补助标准): the amount is the standard, however far the
# words stand before it (a form's indicator row: 人均基本公共卫生服务补助 | 不高于95元).
PER_UNIT_LABEL = re.compile(r"人均|生均|户均|每人|每生|每户|每天|每日|标准|单价")


def small_yuan_amounts(extraction, params, rule) -> list:
    """A fund's amount written in 元 yet too small to be a budget line (市级资金配套3.6元 where 120人×300元 is
    3.6万元): the unit is probably wrong; one finding per amount, with the figure as written."""
    findings = []
    for amount in extraction.amounts:
        if amount.unit != "元" or amount.value_wan * 10000 >= params.small_yuan_amount or amount.value_wan <= 0:
            continue
        if not FUND_WORDS.search(amount.label) or NOT_A_FUND.search(amount.label) \
                or PER_UNIT_LABEL.search(amount.label):
            continue
        quote = amount.evidence.quote
        at = quote.find(amount.raw)
        if at < 0 or PER_UNIT_BEFORE.search(quote[:at]) or PER_UNIT_AFTER.match(quote[at + len(amount.raw):]):
            continue
        findings.append(rule.finding(
            params, f"“{amount.label}”写为{amount.raw}，作为资金数额过小（不足{params.small_yuan_amount:g}元），"
            f"疑为{amount.raw[:-1]}万元漏写“万”，请核实金额单位。", amount.evidence.section, amount.evidence.line,
            quote, stated=amount.raw, expected=f"{amount.raw[:-1]}万元"))
    return findings


def huge_wan_amounts(extraction, params, rule) -> list:
    """An amount read in 万元 so large that no unit's budget is that size (145000000.00 under a form's 万元 heading
    is 1.45万亿元): written in 元, the heading's unit left as the form printed it. One finding per line."""
    findings, seen = [], set()
    for line in extraction.budget_lines:
        for amount in line.amounts.values():
            if amount.value_wan <= params.huge_wan_amount or amount.unit == "元" or amount.evidence.line in seen:
                continue
            seen.add(amount.evidence.line)
            yi = amount.value_wan / 1e4
            size = f"{yi / 1e4:.4g}万亿元" if yi >= 1e4 else f"{yi:.4g}亿元"
            findings.append(rule.finding(
                params, f"“{line.label}”{amount.raw}按万元计为{size}，数额异常巨大，"
                f"疑为以元填写而栏目单位为万元，请核实金额单位。", amount.evidence.section, amount.evidence.line,
                amount.evidence.quote, stated=amount.raw, expected=f"{amount.value_wan / 1e4:g}万元"))
    return findings


def _both_amounts(row: dict) -> bool:
    return not math.isnan(row["budget"]) and not math.isnan(row["numerator"])


def _rate_name(row: dict) -> str:
    """The rate as the report names it (资金到位率 stays 资金到位率); a label is a name only if it ends in 率."""
    label = (row.get("rate_label") or "").strip()
    return label if label.endswith("率") else RATE_KINDS[row["kind"]]


def _rate_over(row: dict, p) -> str:
    text = f"“{row['label']}”{_rate_name(row)}为{pct(row['value'])}，超过{pct(p.max_rate)}"
    if _both_amounts(row) and row["numerator"] <= row["budget"]:
        # the rate is written over 100% beside amounts that give less: the rate, not the spending, is wrong
        return text + (f"，而{MEASURES[row['numerator_measure']]}{wan(row['numerator'])}万元÷预算{wan(row['budget'])}万元"
                       f"＝{pct(row['numerator'] / row['budget'])}，所写比率与金额不符，请核实。")
    if _both_amounts(row):
        text += f"：{MEASURES[row['numerator_measure']]}{wan(row['numerator'])}万元高于预算{wan(row['budget'])}万元"
    return text + "。请核实预算数，或要求说明超支原因。"


def _rate_low(row: dict, p) -> str:
    detail = f"（支出{wan(row['numerator'])}万元/{_base_text(row)}）" if _both_amounts(row) else ""
    return (f"“{row['label']}”{_rate_name(row)}{pct(row['value'])}{detail}，低于{pct(p.low_execution_rate)}；"
            "按规定应在报告中说明原因。")


def _base_text(row: dict) -> str:
    """The base a rate divides by: the budget, or what was spent and what was not (支付A＋未支B)."""
    unspent = row.get("unspent")
    if unspent is None or (isinstance(unspent, float) and math.isnan(unspent)):
        return f"预算{wan(row['budget'])}万元"
    return f"（{wan(row['numerator'])}＋未支出{wan(unspent)}）万元"


def _rate_mismatch(row: dict, p) -> str:
    numerator = "拨付资金" if bool(row.get("paid_on")) else MEASURES[row["numerator_measure"]]
    return (f"“{row['label']}”{row['rate_label'] or '比率'}写为{pct(row['stated'])}，但按所列金额"
            f"{numerator}{wan(row['numerator'])}万元÷{_base_text(row)}计算为"
            f"{pct(row['computed'])}，考虑四舍五入后仍不一致。")


def _rate_apart(row: dict, p) -> str:
    return (f"{_rate_name(row)}写为{pct(row['stated'])}（第{int(row['line'])}行），按{row.get('scope') or '本节'}另行所列的"
            f"{MEASURES[row['numerator_measure']]}{wan(row['numerator'])}万元（第{int(row['numerator_line'])}行）"
            f"÷{row.get('budget_word') or '预算'}{wan(row['budget'])}万元（第{int(row['budget_line'])}行）计算为"
            f"{pct(row['computed'])}；"
            "三数不全在同一句中，可能口径不同，请核实。")


def _stated_gap(frame: pd.DataFrame, certain: bool) -> pd.Series:
    """A stated rate against the ratio its own line's amounts give: certain (rate.mismatch), or uncertain
    (rate.mismatch_unclear): a funding rate set against spending, which may measure other money, or a sentence
    stating other figures of the same measure that no pairing fits either. Rates apart from their amounts are
    rate.apart's."""
    uncertain = (frame["other_money"].astype(bool) | frame["ambiguous"].astype(bool) | frame["initial_rate"].astype(bool)
                 | frame["paid_on"].astype(bool))
    return where(frame, (frame["source"] != "apart") & (uncertain != certain), gap(frame, "stated", "computed"))


def _rate_unclear(row: dict, p) -> str:
    where = "同句" if row.get("other_base") else "文中分处"
    text = (f"按{where}所列的支出{wan(row['numerator'])}万元与预算{wan(row['budget'])}万元计算，执行率为{pct(row['value'])}，"
            f"超过{pct(p.max_rate)}；")
    if row.get("other_base"):
        return text + "同句另列有预算以外的资金（自筹、配套、结转等）或所列为收入，支出可能包含这些资金，请核实。"
    return text + "两数未在同一处并列，或范围不同（如省级资金与全省支出），可能口径不同，请核实。"


def _funding_low(row: dict, p) -> str:
    detail = f"（到位资金{wan(row['numerator'])}万元/预算{wan(row['budget'])}万元）" if _both_amounts(row) else ""
    name = row["rate_label"] or RATE_KINDS["funding"]
    return (f"“{row['label']}”{name}{pct(row['value'])}{detail}，低于{pct(p.low_funding_rate)}："
            "部分预算资金未到位，请核实原因及对项目实施的影响。")


def _sum_mismatch(row: dict, p) -> str:
    return (f"“{row['label']}”{wan(row['total'])}万元与所列各项合计{wan(row['parts_sum'])}万元不一致"
            f"（{row['parts']}），相差{wan(abs(row['total'] - row['parts_sum']))}万元，超出四舍五入范围。")


def _sum_unclear(row: dict, p) -> str:
    return (f"“{row['label']}”{wan(row['total'])}万元，“{row['marker']}”后所列各项合计{wan(row['parts_sum'])}"
            f"万元（{row['parts']}），相差{wan(abs(row['total'] - row['parts_sum']))}万元；"
            + ("所列可能只是部分或主要分项，" if row["short"] else "") + "请核实。")


def _large_change(row: dict, p) -> str:
    what = "实际到位资金" if row["measure"] == "received" else "调整后预算"
    direction = "增加" if row["change"] > 0 else "减少"
    return (f"{what}{wan(row['other'])}万元较年初预算{wan(row['budget'])}万元{direction}{pct(abs(row['change']))}，"
            f"超过{pct(p.large_change)}，应说明预算调整情况。（支出偏离见执行率检查。）")


def _large_change_apart(row: dict, p) -> str:
    what = "实际到位资金" if row["measure"] == "received" else "调整后预算"
    direction = "增加" if row["change"] > 0 else "减少"
    return (f"{what}{wan(row['other'])}万元较年初预算{wan(row['budget'])}万元{direction}{pct(abs(row['change']))}，"
            f"超过{pct(p.large_change)}；两数不在同一部分或年初预算只是其中一项，可能口径不同，请核实。")


def _sum_numbers(row: dict, p) -> tuple:
    return (row["parts_sum"], row["total"], row["half_width"] + p.amount_tolerance)


def _parts_gap(frame: pd.DataFrame) -> pd.Series:
    return gap(frame, "total", "parts_sum")


def _unclear_parts_gap(frame: pd.DataFrame, p) -> pd.Series:
    """The gap where the wording leaves open whether the list is complete; a single part short of its total is a
    part named, not a list: no question."""
    single_short = frame["short"].astype(bool) & (frame["parts_count"] == 1)
    return where(frame, ~frame["certain"].astype(bool) & ~single_short, _parts_gap(frame))


def _source_gap(frame: pd.DataFrame, measure: str) -> pd.Series:
    """How far one money column's sources fall from its total: beyond it always (the sources are parts of it), short
    of it only where the rows name every source (其他资金 among them)."""
    over = frame[f"{measure}_sources_low"] - frame[f"{measure}_total_high"]
    under = (frame[f"{measure}_total_low"] - frame[f"{measure}_sources_high"]).where(
        frame["exhaustive"].astype(bool), 0.0)
    return pd.concat([over, under], axis=1).max(axis=1).clip(lower=0.0)


def _sources_gap(frame: pd.DataFrame, p) -> pd.Series:
    return pd.concat([_source_gap(frame, m) for m in FUNDS_MONEY_COLUMNS], axis=1).max(axis=1)


def _sources_apart(row: dict, p) -> list[str]:
    frame = pd.DataFrame([row])
    return [m for m in FUNDS_MONEY_COLUMNS if (_source_gap(frame, m).iloc[0] or 0) > p.amount_tolerance]


def _mid(row: dict, name: str) -> float:
    return (row[f"{name}_low"] + row[f"{name}_high"]) / 2


def _sources_mismatch(row: dict, p) -> str:
    apart = _sources_apart(row, p)
    where_sources = f"（第{row['source_lines']}行）" if row["source_lines"] else ""
    told = "；".join(f"{FUNDS_MONEY_COLUMNS[m]}：总额{wan(_mid(row, m + '_total'))}万元，各来源合计"
                    f"{wan(_mid(row, m + '_sources'))}万元（{row[m + '_parts']}）" for m in apart)
    return (f"“{row['label']}”行与其下资金来源行{where_sources}之和不符——{told}。"
            "资金总额应等于各资金来源之和，请核实表中金额。")


def _sources_numbers(row: dict, p) -> tuple:
    measure = (_sources_apart(row, p) or list(FUNDS_MONEY_COLUMNS))[0]
    return (round(_mid(row, measure + "_sources"), 6), round(_mid(row, measure + "_total"), 6), p.amount_tolerance)


def _deviation(frame: pd.DataFrame, together: bool) -> pd.Series:
    """How far the ratio to the initial budget (an interval) lies outside 1, for the two figures stated in one
    section (together) or in different ones."""
    apart = pd.concat([frame["ratio_low"] - 1, 1 - frame["ratio_high"]], axis=1)
    deviation = apart.max(axis=1).clip(lower=0.0).where(apart.notna().all(axis=1))
    return where(frame, frame["together"].astype(bool) == together, deviation)


RULES = (
    # --- rates (check/tables.py: rates) ---
    Rule("rate.over_100", "high", "执行率或到位率超过{max_rate}", "an execution or funding rate above max_rate (100%)",
         params=(MAX_RATE, RATE_TOLERANCE), unit="%", figure="rate",
         table="rates", predicate=lambda t, p: where(
             t, ~t["initial_base"].astype(bool) & ~t["other_base"].astype(bool) & ~t["part"].astype(bool),
             t["value_low"]),
         limit=lambda p: p.max_rate + p.rate_tolerance,
         message=_rate_over, numbers=lambda r, p: (p.max_rate, r["value"], p.rate_tolerance)),
    # A part of a form's total (项目支出 under 年度资金总额) spent above its own budget while the parts share one:
    # money moved between the parts as much as overspent.
    Rule("rate.part_over_100", "medium", "资金来源或支出分项的执行率超过{max_rate}",
         "a source or kind of spending below a form's total (其中：当年财政拨款, 项目支出) spent above its own budget",
         params=(MAX_RATE, RATE_TOLERANCE), unit="%", figure="rate",
         table="rates", predicate=lambda t, p: where(
             t, ~t["initial_base"].astype(bool) & ~t["other_base"].astype(bool) & t["part"].astype(bool),
             t["value_low"]),
         limit=lambda p: p.max_rate + p.rate_tolerance,
         message=lambda r, p: _rate_over(r, p).replace("。请核实预算数，或要求说明超支原因。",
                                                       "；该行为合计之下的分项，资金或在分项之间调剂，请核实。"),
         numbers=lambda r, p: (p.max_rate, r["value"], p.rate_tolerance)),
    Rule("rate.over_initial", "low", "支出超过年初预算（请核实是否追加预算）",
         "spending above the initial budget where no adjusted budget is written: money added during the year, or "
         "overspending",
         params=(MAX_RATE, RATE_TOLERANCE), unit="%", figure="rate",
         table="rates", predicate=lambda t, p: where(t, t["initial_base"].astype(bool), t["value_low"]),
         limit=lambda p: p.max_rate + p.rate_tolerance,
         message=lambda r, p: (f"“{r['label']}”支出{wan(r['numerator'])}万元高于年初预算{wan(r['budget'])}万元"
                               f"（{pct(r['value'])}）；未写调整后预算，请核实是否年中追加预算，否则为超支。"),
         numbers=lambda r, p: (p.max_rate, r["value"], p.rate_tolerance)),
    Rule("rate.mismatch", "high", "所述比率与所列金额不符", "a stated rate inconsistent with its stated amounts",
         params=(RATE_TOLERANCE,), unit="%", figure="rate",
         table="rates", predicate=lambda t, p: _stated_gap(t, certain=True), limit=lambda p: p.rate_tolerance,
         message=_rate_mismatch, numbers=lambda r, p: (r["computed"], r["stated"], p.rate_tolerance)),
    Rule("rate.mismatch_unclear", "low", "所述比率与所列金额不符（请核实）",
         "a stated funding (or allocation) rate inconsistent with the spending beside it, which it may not measure; "
         "a rate beside an initial budget alone, which it may not be reckoned on; or a rate in a sentence stating "
         "several figures of one measure, none of which gives it",
         params=(RATE_TOLERANCE,), unit="%", figure="rate",
         table="rates", predicate=lambda t, p: _stated_gap(t, certain=False), limit=lambda p: p.rate_tolerance,
         message=lambda r, p: _rate_mismatch(r, p) + (
             f"（{_rate_name(r)}可能指拨付或到位而非支出，请核实。）" if r.get("other_money") else
             "（所列为拨付金额而非实际支出，执行率可能按支出计算，请核实。）" if r.get("paid_on") else
             "（所列预算为年初预算，所述比率可能按调整后预算计算，请核实。）" if r.get("initial_rate") else
             "（同句另列有同类金额，所述比率可能另有所指，请核实。）"),
         numbers=lambda r, p: (r["computed"], r["stated"], p.rate_tolerance)),
    Rule("rate.apart", "low", "所述比率与本节另行所列金额不符（请核实）",
         "a stated rate that the budget and spending its subsection states in other sentences do not give",
         params=(RATE_TOLERANCE,), unit="%", figure="rate",
         table="rates", predicate=lambda t, p: where(t, t["source"] == "apart", gap(t, "stated", "computed")),
         limit=lambda p: p.rate_tolerance,
         message=_rate_apart, numbers=lambda r, p: (r["computed"], r["stated"], p.rate_tolerance)),
    Rule("rate.unclear", "low", "由金额算出的执行率异常而口径未必相同（请核实）",
         "an execution rate above max_rate computed from a budget and a spending figure read in different places, or "
         "from a sentence that also names money besides the budget (自筹, 配套, 结转) or sets spending against revenue",
         params=(MAX_RATE, RATE_TOLERANCE), unit="%", figure="rate",
         table="rates", predicate=lambda t, p: where(
             t, t["source"].isin(QUESTIONED_SOURCES) | t["other_base"].astype(bool), t["value"]),
         limit=lambda p: p.max_rate + p.rate_tolerance,
         message=_rate_unclear,
         numbers=lambda r, p: (p.max_rate, r["value"], p.rate_tolerance)),
    Rule("rate.low", "medium", "预算执行率低于{low_execution_rate}", "an execution rate below low_execution_rate (90%)",
         params=(LOW_EXECUTION_RATE,), unit="%", figure="rate",
         # A reason on the rate's line or the next (由于疫情影响…推迟) answers the question before it is asked.
         # A rate on a budget of 0 is no rate at all (rate.zero_budget).
         # Spending held down (三公经费, 会议费) below its budget is a saving, not a delay.
         # The rate the rules ask about is the total's: a source row under it (基本支出 83% of a total at 95%) is not.
         table="rates", predicate=lambda t, p: where(t, (t["kind"] == "execution") & ~t["reason_given"].astype(bool)
                                                     & ~t["saving"].astype(bool) & (t["budget"] != 0)
                                                     & ~t["part"].astype(bool), t["value_high"]),
         bound="min",
         limit=lambda p: p.low_execution_rate,
         message=_rate_low, numbers=lambda r, p: (p.low_execution_rate, r["value"], None)),
    Rule("rate.zero_budget", "low", "预算为0却写有执行率", "a rate stated on a budget of 0 (0 ÷ 0 is no rate)",
         unit="%", figure="rate", table="rates", limit=lambda p: 0.0,
         predicate=lambda t, p: flag(t, t["budget"] == 0, t["source"] == "stated"),
         message=lambda r, p: (f"“{r['label']}”预算为0万元，却写{_rate_name(r)}{pct(r['value'])}；预算为0时执行率无从计算，"
                               + (f"而其下各资金来源合计{r['sources_ratio']}，请核实该行金额、执行率及得分。"
                                  if r.get("sources_ratio") else "请核实该行预算数或执行率。")),
         numbers=lambda r, p: (None, r["value"], None)),
    Rule("rate.low_funding", "low", "资金到位率低于{low_funding_rate}",
         "a funding rate (money received ÷ budget) below low_funding_rate (90%): money that never arrived",
         params=(LOW_FUNDING_RATE,), unit="%",
         table="rates", predicate=lambda t, p: where(t, t["kind"] == "funding", t["value_high"]), bound="min",
         limit=lambda p: p.low_funding_rate,
         message=_funding_low, numbers=lambda r, p: (p.low_funding_rate, r["value"], None)),
    # --- totals (breakdowns) ---
    Rule("sum.mismatch", "high", "合计数与分项之和不符", "a stated total (or difference) inconsistent with its parts",
         params=(AMOUNT_TOLERANCE,), unit="万元",
         table="breakdowns", predicate=lambda t, p: where(t, t["certain"], _parts_gap(t)),
         limit=lambda p: p.amount_tolerance,
         message=_sum_mismatch, numbers=_sum_numbers),
    Rule("sum.unclear", "low", "分项合计与总数不一致（请核实）",
         "parts that do not add up to a total where the wording leaves open whether the list is complete",
         params=(AMOUNT_TOLERANCE,), unit="万元",
         table="breakdowns", predicate=_unclear_parts_gap, limit=lambda p: p.amount_tolerance,
         message=_sum_unclear, numbers=_sum_numbers),
    Rule("sum.funds_sources", "medium", "资金来源分项之和与资金总额不符",
         "a form's funds total row (年度资金总额) against the sum of the source rows below it (其中：当年财政拨款, "
         "上年结转资金, 其他资金), column by column: sources beyond the total, or short of it where every source is named",
         params=(AMOUNT_TOLERANCE,), unit="万元",
         table="funds_sources", predicate=_sources_gap, limit=lambda p: p.amount_tolerance,
         message=_sources_mismatch, numbers=_sources_numbers),
    Rule("count.mismatch", "medium", "所称项数与列出项数不符", "a stated number of parts differs from the parts listed",
         unit="项",
         table="breakdowns", predicate=lambda t, p: (t["stated_count"] - t["parts_count"]).abs(), limit=lambda p: 0.0,
         message=lambda r, p: f"文中称“{r['label']}”分为{int(r['stated_count'])}项，实际列出{int(r['parts_count'])}项。",
         numbers=lambda r, p: (r["parts_count"], r["stated_count"], 0)),
    # --- balances ---
    Rule("balance.mismatch", "high", "结余数与预算减支出不符", "a stated balance differs from budget minus spending",
         params=(AMOUNT_TOLERANCE,), unit="万元",
         table="balances", predicate=lambda t, p: where(t, ~t["apart"].astype(bool), gap(t, "balance", "expected")),
         limit=lambda p: p.amount_tolerance,
         message=lambda r, p: (f"“{r['label']}”结余{wan(r['balance'])}万元，与{r['sources']}－{wan(r['spent'])}"
                               f"＝{wan(r['expected'])}万元不符。"),
         numbers=lambda r, p: (r["expected"], r["balance"], p.amount_tolerance)),
    Rule("balance.apart", "low", "结余数与本节另行所列收入减支出不符（请核实）",
         "a balance stated with its spending that the subsection's budget (or receipts, with its other funds) "
         "minus that spending does not give: the figures stand in different sentences, or the sentence states "
         "several figures of one measure and no pairing of them gives the balance",
         params=(AMOUNT_TOLERANCE,), unit="万元",
         table="balances", predicate=lambda t, p: where(t, t["apart"].astype(bool), gap(t, "balance", "expected")),
         limit=lambda p: p.amount_tolerance,
         message=lambda r, p: (f"“{r['label']}”结余{wan(r['balance'])}万元，而按本节第{int(r['base_line'])}行起所列"
                               f"资金与支出计算（{r['tried']}，单位万元）均不相符；"
                               "各数不在同一句中或同句另列有同类金额，可能口径不同，请核实。"),
         numbers=lambda r, p: (r["expected"], r["balance"], p.amount_tolerance)),
    # --- units ---
    Rule("amount.huge_wan", "low", "以万元计的金额异常巨大（疑以元填写）",
         "an amount read in 万元 above huge_wan_amount (1000亿元): written in 元 under a 万元 heading",
         params=(HUGE_WAN,), check=huge_wan_amounts),
    Rule("amount.small_yuan", "medium", "资金数额以元计且过小（疑漏写“万”）",
         "a fund's amount written in 元 below small_yuan_amount (100元): the unit 万 probably left out",
         params=(SMALL_YUAN,), check=small_yuan_amounts),
    # --- budget changes ---
    Rule("budget.large_change", "medium", "到位资金或调整预算较年初预算变动超过{large_change}",
         "money received (or an adjusted budget) deviating from the initial budget by more than large_change (20%)",
         params=(LARGE_CHANGE,), unit="万元", tolerance_unit="%", figure="received",
         table="budget_changes", predicate=lambda t, p: _deviation(t, together=True), limit=lambda p: p.large_change,
         message=_large_change, numbers=lambda r, p: (r["budget"], r["other"], p.large_change)),
    Rule("budget.large_change_apart", "low", "到位资金或调整预算较另一部分所列年初预算变动超过{large_change}（请核实）",
         "money received (or an adjusted budget) deviating by more than large_change (20%) from an initial budget "
         "stated in another section: the two may be of different scope",
         params=(LARGE_CHANGE,), unit="万元", tolerance_unit="%", figure="received",
         table="budget_changes", predicate=lambda t, p: _deviation(t, together=False), limit=lambda p: p.large_change,
         message=_large_change_apart, numbers=lambda r, p: (r["budget"], r["other"], p.large_change)),
)
