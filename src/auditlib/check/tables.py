"""The check tables: one row per thing to check, with the facts several rules share.

Every figure is read as the interval its written precision stands for (columns x_low, x_high), so a rule's
predicate (check/rules/) computes its own column from these, e.g. the gap between a stated interval and the
one its own figures allow (0 means consistent), and great-expectations compares that column with the rule's
bound. What a table holds is what it is about, never a rule's verdict: the rules decide.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict

import pandas as pd

from auditlib.check.interval import Interval, total
from auditlib.check.params import CheckParams
from auditlib.check.reading import QUESTIONED_SOURCES, cut_mid_sentence, is_excerpt, visibly_ends
from auditlib.check.rescore import INDICATOR, Rescoring, rescore, target_missed
from auditlib.extract import Amount, Extraction, largest_stated
from auditlib.extract.model import EXECUTION_ITEM, EXECUTION_ITEM_NAME, FUNDS_MONEY_COLUMNS, Evidence, Rate, amount_key, part_keys
from auditlib.extract.tables import reads_like_table

NAN = math.nan
# A sentence saying a list of weights is the whole indicator system (指标体系分为投入（7分），过程（24分）…).
WHOLE_SYSTEM = re.compile(r"指标体系[^。；]{0,6}(?:分为|包括|由)|共设(?:置)?(?:了)?\s*\d+\s*个一级指标")


SUB_ROW = re.compile(r"\s*其中\s*[:：]?")
# A figure written with a leading zero (本级配套07万元 for 0.7万元): the page dropped its decimal points, and its
# other figures may have lost theirs too (补助172万元 for 17.2万元). (pattern, example, counter-example)
LOST_DECIMAL_POINT = (re.compile(r"^0\d"), "07万元", "0.7万元")


def written_rate(rate) -> Interval:
    """What a written rate allows: rounded (57.9% is 57.85–57.95) or cut off after its last digit (57.89% for
    57.8985%, as many forms write it)."""
    return Interval(rate.value - rate.half_width, rate.value + 2 * rate.half_width)


def _interval(amount: Amount | None) -> Interval | None:
    return Interval.around(amount.value_wan, amount.half_width) if amount else None


DECREASE_WORDS = ("减少", "下降", "降低", "减")  # a part named for a decrease: its amount is written unsigned


def _part_text(part) -> str:
    """A part as an auditor writes it: 一般公共服务175.18万元, 基本支出减少44.99万元 (never 减少-44.99)."""
    value = part.signed_value
    if value < 0 and part.label.endswith(DECREASE_WORDS):
        value = -value
    return f"{part.label}{value:g}万元"


def _bounds(name: str, interval: Interval | None) -> dict:
    """An interval as two columns (NaN when absent or unbounded)."""
    if interval is None or not math.isfinite(interval.low) or not math.isfinite(interval.high):
        return {f"{name}_low": NAN, f"{name}_high": NAN}
    return {f"{name}_low": interval.low, f"{name}_high": interval.high}


def _where(evidence: Evidence) -> dict:
    return {"section": evidence.section, "line": evidence.line, "quote": evidence.quote}


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame.insert(0, "row_id", range(len(frame)))
    return frame


# A reason for low spending, written on the rate's line or the next (由于疫情影响，推迟举办，资金上缴): rate.low then
# has nothing to ask. Each entry: (pattern, an example it must match, an example it must not match).
REASONS = (
    (r"由于|因为|原因(?:是|为|在于|主要|系)|系因|主要因", "由于新冠疫情影响", "主要用于举办培训班"),
    # 因 opening a clause gives the cause (执行率80%，因部分工程未结算); 因此 and 因而 draw a consequence.
    (r"(?:^|[，,；;：:（(])\s*因(?!此|而|地制宜)", "执行率80%，因部分工程未结算", "执行率80%，因此加强资金管理"),
    (r"受[^，。；,;]{1,12}影响", "受疫情影响未能开展", "受到群众好评"),
    (r"推迟|延期|延后|暂缓|暂停|取消|未能(?:按期|如期|及时)", "换届大会推迟举办", "按期举办换届大会"),
    # Work carried into the next year (部分项目延续至下年, 跨年度实施): its money is paid then.
    (r"延续(?:至|到)下(?:一)?年|跨年度?(?:实施|执行|建设)", "部分项目延续至下年", "延续上年做法"),
    (r"上缴|收回|缴回|结转(?:至|到)?下(?:一)?年", "资金提前上缴财政", "资金全部用于项目建设"),
    # Quotas carried over or money paid as the works progress (5个项目指标结转, 按进度支付); the balance carried
    # over (资金结转17万元) only restates the gap.
    (r"(?:指标|项目)结转(?!资金)|按(?:工程|项目|合同)?进度(?:支付|拨付)", "5个项目指标结转，其余按进度支付",
     "资金结转17万元"),
    (r"尚未(?:完成|支付|拨付|结算|验收|完工)|未(?:完成|办理)(?:结算|验收|支付)|(?<!已)未(?:结算|完工|竣工)",
     "工程尚未验收", "工程已完成验收"),
    (r"(?:暂|尚)未(?:全部|完全|足额)?(?:到位|到账|下达)", "项目资金暂未全部到位", "项目资金已全部到位"),
    # the rest of the money never came (其他资金不到位); not where the report says there was no such case
    (r"(?<!无)(?<!没有)(?<!不存在)(?<!已)(?:不|未)(?:全部|完全|足额|及时)?到位(?!的?情况)", "执行率为70.4%，其他资金不到位",
     "不存在资金不到位的情况"),
    (r"(?:财政|资金|财力)(?:十分|较为|比较)?(?:困难|紧张|短缺)", "当年财政资金困难", "缓解群众就医困难"),
    # Works not yet let (正在进行招标意向公示, 尚未完成招标): the money waits for the contract.
    (r"(?:正在|尚在|仍在)(?:进行|开展|组织)?[^，。；,;]{0,6}招标|招标[^，。；,;]{0,4}(?:尚未|未)(?:完成|结束)",
     "项目正在进行招标意向公示", "项目已完成公开招标"),
)
_REASON = re.compile("|".join(f"(?:{pattern})" for pattern, _, _ in REASONS))
# The report's own account of its problems (存在的问题和原因) naming its money's slow pace (资金拨付进度缓慢,
# 支出进度滞后): the low rate is answered there. (pattern, an example it must match, one it must not.)
SLOW_MONEY = (r"(?:资金|拨付|支付|支出|执行|使用)[^，。；,;]{0,6}?(?:进度)?(?:缓慢|较慢|偏慢|滞后|迟缓|不及时)",
              "同时财政资金拨付进度缓慢，影响项目建设进度", "资金拨付及时，项目进度加快")
_SLOW_MONEY = re.compile(SLOW_MONEY[0])
PROBLEMS_HEADING = re.compile(r"问题|原因|不足")
NEW_ITEM = re.compile(r"\s*(?:\d{1,2}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)")


# Spending a unit is asked to hold down (三公经费, 会议费, 培训费): spent below its budget it saved, it did not fall
# behind (pattern, an example it must match, one it must not).
SAVINGS = (r"三公经费|公务接待|公务用车|因公出国|会议费|培训费|差旅费", "三公经费预算10万元", "项目经费预算10万元")
_SAVING = re.compile(SAVINGS[0])

MAX_CUT_REMNANT_CHARS = 30  # what a cut leaves after a figure: a clause's start, not the next paragraph
FORM_TEXT_LINES = 80  # how far below its funds row a form's text may explain it (one cell per line)
# A form's field for the reasons of a shortfall (偏差大或目标未完成原因分析, 未完成原因), filled in words: the form
# explains its low spending there, whatever words it uses. (pattern, an example it must match, one it must not)
FORM_REASON_FIELD = (r"(?:偏差|未完成|未达到?|差距)[^|｜。；]{0,12}原因(?:分析|说明)?",
                     "偏差大或目标未完成原因分析", "改进措施及结果应用方案")
_FORM_REASON_FIELD = re.compile(FORM_REASON_FIELD[0])
ROW_START = re.compile(r"[\s|｜]*")
CELL_BAR = re.compile(r"[|｜]")
NEXT_FORM_FIELD = re.compile(r"[\s|｜]*(?:改进措施|结果应用|整改|备注|填报|联系|(?:项目|财务)?负责人|审核)")
MIN_FORM_REASON_CHARS = 10  # 无, 不存在, 已完成 fill the field without a reason


class ReasonReader:
    """Whether a source line (or the next non-empty one) explains low spending, each line read once: a report
    stating thousands of rates on one long line must not be searched once per rate."""

    def __init__(self, extraction: Extraction) -> None:
        self.lines = extraction.document.lines
        self.index = {number: i for i, line in reversed(list(enumerate(self.lines))) for number in line.source_lines}
        self.known: dict[int, bool] = {}
        self.headings = {section.index for section in extraction.outline.sections}
        self.known_in_form: dict[int, bool] = {}
        # The last lines of a text cut mid-sentence: what follows a rate there is not shown, its reason may be in it.
        written = [i for i, line in enumerate(self.lines) if line.text.strip()]
        self.cut = cut_mid_sentence(extraction)
        self.unseen_after = set(written[-2:]) if self.cut else set()
        self.slow_money_admitted = any(
            _SLOW_MONEY.search(line.text) for section in extraction.outline.sections
            if PROBLEMS_HEADING.search(section.title) for line in section.body)

    def explained_in_form(self, line_number: int | None) -> bool:
        """Whether the form a funds row stands in explains it further down, in its own text (全年实际完成情况:
        正在进行招标…, a 未完成原因 cell), before the next heading of the report; or the text is cut before it could."""
        if line_number is None or line_number not in self.index:
            return False
        if line_number not in self.known_in_form:
            start = self.index[line_number] + 1
            below = []
            for index in range(start, min(start + FORM_TEXT_LINES, len(self.lines))):
                if index in self.headings:
                    break
                below.append(self.lines[index].text)
            # A text cut mid-sentence before the form's reason field (偏差…原因分析) leaves its answer unseen.
            unseen = self.cut and start + len(below) >= len(self.lines) and not any(
                _FORM_REASON_FIELD.search(text) for text in below)
            self.known_in_form[line_number] = unseen or any(_REASON.search(text) for text in below) or \
                _reason_field_filled(below)
        return self.known_in_form[line_number]

    def _cut_after(self, index: int, figure: str) -> bool:
        """The figure ends the text, but for a remnant (…执行率为70.33%, or then 截至2024年4月1日，现) of a text cut
        mid-sentence: the words that would explain it are not shown."""
        if index not in self.unseen_after:
            return False
        text = self.lines[index].text
        at = text.rfind(figure)
        rest = (text[at + len(figure):] if at >= 0 else text) + "".join(line.text for line in self.lines[index + 1:])
        return len(re.sub(r"\s", "", rest)) <= MAX_CUT_REMNANT_CHARS

    def gives_reason(self, line_number: int | None, figure: str | None = None) -> bool:
        """Whether the line (or the next non-empty one) explains low spending; or, given the figure the rate rests
        on, whether the text is cut right after it, so that its explanation is not shown."""
        if line_number is None or line_number not in self.index:
            return False
        if line_number not in self.known:
            index = self.index[line_number]
            following = next((line.text for line in self.lines[index + 1:] if line.text.strip()), "")
            if NEW_ITEM.match(following):
                following = ""  # the next item of a list speaks of other money
            self.known[line_number] = bool(_REASON.search(self.lines[index].text) or _REASON.search(following))
        return self.known[line_number] or (figure is not None and self._cut_after(self.index[line_number], figure))


def _reason_field_filled(lines: list[str]) -> bool:
    """A form's reason field (偏差…原因分析) opening its row, followed on its line or in one cell below it by words of
    some length; not a column of that title in a header, whose next line is a row of cells."""
    for k, text in enumerate(lines):
        field = _FORM_REASON_FIELD.search(text)
        if field is None or not ROW_START.fullmatch(text[:field.start()]):
            continue
        following = "".join(lines[k + 1:k + 2])
        if NEXT_FORM_FIELD.match(following) or CELL_BAR.search(following.strip(" |｜")):
            following = ""  # the field left empty (the form's next field below it), or a row of cells
        rest = text[field.end():] + following
        if len(re.sub(r"[\s|｜]", "", rest)) >= MIN_FORM_REASON_CHARS:
            return True
    return False


ATTACHMENT = re.compile(r"附件\s*[\d一二三四五六七八九十]*\s*[:：]?|附表|附[^。；\n]{0,20}自评表")


def hands_on_attachment(extraction: Extraction) -> bool:
    """The report names an attachment after its first heading: 附件5 above the title says the report is itself an
    attachment, not that it has one."""
    sections = extraction.outline.sections
    start = sections[0].index + 1 if sections else 0
    return any(ATTACHMENT.search(line.text) for line in extraction.document.lines[start:] if line.text)


def _reasoned_rates(extraction: Extraction, reasons: ReasonReader) -> list[Rate]:
    """The execution rates stated with their reason, by value."""
    return sorted((rate for rate in extraction.rates
                   if rate.kind == "execution" and reasons.gives_reason(rate.evidence.line)), key=lambda rate: rate.value)


def _reason_elsewhere(reasoned: list[Rate], value: float | None) -> bool:
    """The same execution rate stated again elsewhere (the funds analysis after a summary) with its reason."""
    if value is None or not reasoned:
        return False
    widest = max(rate.half_width for rate in reasoned) + 1e-9
    values = [rate.value for rate in reasoned]
    near = reasoned[bisect.bisect_left(values, value - widest): bisect.bisect_right(values, value + widest)]
    return any(abs(rate.value - value) <= rate.half_width + 1e-9 for rate in near)


PAID_ON = re.compile(r"拨付|支付")  # money paid on (已拨付), unlike money come in (到位, 收到)
# What a sentence calls not yet paid out of its money (未支703万元, 未支付资金…): the rest of the base.
UNPAID = re.compile(r"未(?:支付|支出|使用|执行|支)")


def rates_table(extraction: Extraction, params: CheckParams) -> pd.DataFrame:
    """Every execution or funding rate: stated (with the ratio its own amounts give) or computed."""
    rows: list[dict] = []
    seen: set[tuple] = set()
    reasons = ReasonReader(extraction)
    reasoned = _reasoned_rates(extraction, reasons)
    pairs = [(line, rate) for line in extraction.budget_lines for rate in (list(line.rates.values()) or [None])]
    for line, rate in pairs:
        budget = line.budget
        # A funding rate is received ÷ budget; one written beside spending and no receipts is the execution rate
        # under another name (资金到位率 for 投入资金 ÷ 预算), one beside neither stays a funding rate.
        funding = rate is not None and rate.kind == "funding" and (
            "received" in line.amounts or "spent" not in line.amounts)
        numerator_measure = "received" if funding else "spent"
        numerator = line.amounts.get(numerator_measure)
        # An execution rate beside its budget and money paid on (下达50万元，已拨付10万元，执行率…), no spending: what
        # was paid on is the spending of a unit that passes its money on, or is not; a question either way.
        paid_on = line.amounts.get("received")
        paid_on = paid_on if (rate is not None and rate.kind == "execution" and numerator is None and budget is not None
                              and paid_on is not None and PAID_ON.search(paid_on.label)) else None
        if paid_on is not None:
            numerator, numerator_measure = paid_on, "received"
        base = _interval(budget)
        # 支付A万元，未支B万元，支付率R: with no budget in the sentence, what was paid and what was not make the base.
        # Only where the sentence states nothing else (到位480，…支出452.6，结余27.4: the balance is of the receipts),
        # and only what it calls unpaid (未支, 未支付): a 结余 or 结转 may be one share of what was left.
        unspent = line.amounts.get("balance") if (
            budget is None and rate is not None and rate.kind == "execution" and set(line.amounts) == {"spent", "balance"}
        ) else None
        if unspent is not None and not UNPAID.search(unspent.label):
            unspent = None
        if unspent is not None:
            base = _interval(numerator) + _interval(unspent)
        computed = _interval(numerator) / base if numerator and base else None
        if rate is None and (computed is None or line.several_budgets):
            continue  # no rate stated, and none to compute for sure
        stated = written_rate(rate) if rate else None
        # A sentence stating other figures of the same measure (应支付A，实际支付B): the rate may be of any of them.
        ambiguous = False
        if stated and computed and unspent is None and stated.gap(computed) > params.rate_tolerance:
            other_budgets = line.alternatives.get(budget.measure, ()) if budget else ()
            budgets = [(b, _interval(b)) for b in (budget, *other_budgets)]
            if budget and line.other_funds:  # 下达80万元，省级配套20万元，共支出98万元，执行率98%: the base is all of it
                budgets.append((budget, total([_interval(budget), *map(_interval, line.other_funds)])))
            received = line.amounts.get("received")
            if received is not None and numerator_measure == "spent":
                # 预算100万元，到位80万元，支出80万元，执行率100%: spending reckoned on the money received
                budgets.append((received, _interval(received)))
            fitting = next(((n, b, interval) for n in (numerator, *line.alternatives.get(numerator_measure, ()))
                            for b, interval in budgets
                            if interval.mid and stated.gap(_interval(n) / interval) <= params.rate_tolerance), None)
            if fitting:
                numerator, budget, base = fitting
                computed = _interval(numerator) / base
            else:
                ambiguous = bool(line.alternatives.get(numerator_measure) or line.other_funds
                                 or budget and line.alternatives.get(budget.measure))
        value = stated or computed
        # A 到位率 is judged as spending only where the report divides spending by it (投入资金…，资金到位率); it
        # keeps its own name in every message (rate_label).
        effective = "funding" if rate and rate.kind == "funding" and not (computed and numerator_measure == "spent") \
            else "execution"
        # The same rate of the same figures written twice (the head's line, a scoring row's note) is one statement,
        # however each names its item (项目总预算 / 项目预算).
        figures = (round(numerator.value_wan, 6), round(base.mid if base else budget.value_wan, 6)) \
            if numerator and (base or budget) else line.label
        key = (effective, round(value.low, 6), round(value.high, 6), figures)
        if key in seen:
            continue
        seen.add(key)
        where = _where(rate.evidence if rate else line.evidence)
        # A form's 其中 row stating its total's rate again (all the money is of one source) says nothing new, however
        # many lines apart a page writes the rows (one cell per line).
        if rate and SUB_ROW.match(line.label) and any(
                row["stated"] == rate.value and row["line"] is not None and 0 < where["line"] - row["line"] <= 3
                for row in rows):
            continue
        # A source row of a form's funds block whose rate is its total's (written or computed) says nothing new,
        # however many lines apart the page writes the rows (one cell per line).
        if line.part and any(row["value_low"] <= value.mid <= row["value_high"] for row in rows):
            continue
        rows.append({
            **where, "label": line.label, "kind": effective, "rate_label": rate.label if rate else "",
            "source": "stated" if rate else "computed", "value": rate.value if rate else value.mid, "value_low": value.low,
            "value_high": value.high, "stated": rate.value if rate else NAN, **_bounds("stated", stated),
            "computed": computed.mid if computed and math.isfinite(computed.mid) else NAN,
            **_bounds("computed", computed),
            "numerator": numerator.value_wan if numerator else NAN, "numerator_measure": numerator_measure,
            "budget": base.mid if base else (budget.value_wan if budget else NAN),
            "unspent": unspent.value_wan if unspent is not None else NAN,
            "reason_given": reasons.gives_reason(where["line"], rate.raw if rate else numerator.raw if numerator else None)
            or _reason_elsewhere(reasoned, value.mid)
            or reasons.slow_money_admitted
            or (line.in_form and reasons.explained_in_form(where["line"])),
            # A 到位率/拨付率 set against spending may measure other money (allocation, not use).
            "other_money": rate is not None and rate.kind == "funding" and numerator_measure == "spent",
            "paid_on": paid_on is not None,
            "ambiguous": ambiguous,
            # Spending set against the initial budget alone (no adjusted one, no rate stated): money added during
            # the year raises it above 100% without any overspending.
            "initial_base": rate is None and line.initial_only,
            # A rate stated beside an initial budget alone may be reckoned on the adjusted one, which is not given.
            "initial_rate": rate is not None and line.initial_only,
            # Spending set against a budget while the sentence names other money (自筹, 配套, 结转) or the budget is
            # revenue: above 100% it may have spent that money, not overspent.
            "other_base": rate is None and line.other_money,
            "saving": bool(_SAVING.search(line.label or "")),
            "part": line.part,  # a source row under its form's total (其中：当年财政拨款, 基本支出)
            "sources_ratio": _sources_ratio(extraction, line) if budget is not None and budget.value_wan == 0 else "",
        })
    rows += _rates_apart(extraction)
    facts = extraction.facts
    headline = facts.execution_rate if facts.execution_rate is not None else NAN  # 0% is a rate too
    covered = any(abs(row["value"] - headline) < 1e-6 for row in rows)
    if facts.execution_rate is not None and not covered:
        half = params.headline_rate_half_width
        evidence = facts.evidence.get("execution_rate") or facts.evidence.get("budget_wan")
        rows.append({
            **(_where(evidence) if evidence else {"section": "", "line": None, "quote": ""}),
            "label": facts.project_name or "整体", "kind": "execution", "rate_label": "预算执行率",
            "source": facts.execution_rate_source, "value": facts.execution_rate,
            "stated": NAN, **_bounds("stated", None), "computed": facts.execution_rate, **_bounds("computed", None),
            "numerator": facts.execution_spent_wan or NAN, "numerator_measure": "spent",
            "budget": facts.budget_wan or NAN,
            "reason_given": reasons.gives_reason(evidence.line if evidence else None) or reasons.slow_money_admitted
            or _reason_elsewhere(reasoned, facts.execution_rate), "other_money": False, "paid_on": False, "ambiguous": False,
            "initial_base": False, "initial_rate": False, "saving": False, "part": False,
            "other_base": facts.execution_rate_source == "mixed",
            # A rate from figures read in different places (or summed from several lines) has no rounding interval
            # of its own: a question for the auditor (rate.unclear), not a finding.
            **(_bounds("value", None) if facts.execution_rate_source in QUESTIONED_SOURCES else
               _bounds("value", Interval.around(facts.execution_rate, half))),
        })
    return _frame(rows)


def _sources_ratio(extraction: Extraction, line) -> str:
    """What the source rows below a form's funds total row give, where the total row's budget is 0 (a total row left
    at 0 above its sources): 执行数A万元/预算数B万元=R, or '' where they give no rate."""
    block = next((block for block in extraction.funds_sources if block.total.label == line.label
                  and block.total.evidence.line == line.evidence.line), None)
    if block is None:
        return ""
    measure = "adjusted_budget" if "adjusted_budget" in line.amounts else "budget"
    spent = sum(source.value("spent") or 0.0 for source in block.sources)
    budget = sum(source.value(measure) or 0.0 for source in block.sources)
    if not budget or not any("spent" in source.amounts for source in block.sources):
        return ""
    return (f"{FUNDS_MONEY_COLUMNS['spent']}{_num(spent)}万元/{FUNDS_MONEY_COLUMNS[measure]}{_num(budget)}万元="
            f"{_num(round(spent / budget * 100, 2))}%")


# 共投入资金X万元 names the money put into a fund: where a subsection states no budget, the base of its rate.
INPUT_LABEL = re.compile(r"投入(?:资金|金额|总额)?$")


def _rates_apart(extraction: Extraction) -> list[dict]:
    """A stated rate whose sentence lacks its budget or its spending, with the one budget and the one spending
    (or receipts) figure its subsection states elsewhere (预算200万元。…支出150万元。…执行率85%): source "apart",
    a question for the auditor naming all three figures, since the sentences may speak of different money. The
    spending stated with the rate is its numerator; a subsection with no budget divides by the money it says was
    put in (共投入资金…。…执行资金…，执行率…). A rate stated with its budget alone (预算54万元，执行率99%) is set
    against the spending told in another part of the report, where the whole report tells one."""
    in_lines = {id(rate) for line in extraction.budget_lines if line.budget and (
        "spent" in line.amounts or "received" in line.amounts) for rate in line.rates.values()}
    own_line = {id(rate): line for line in extraction.budget_lines for rate in line.rates.values()}
    parts = part_keys(extraction.breakdowns)
    # Grouped once (a one-line text of 6,000 rates must not compare each with every other).
    by_section: dict[tuple[str, str], list[Amount]] = defaultdict(list)
    by_measure: dict[str, list[Amount]] = defaultdict(list)
    for amount in extraction.amounts:
        if amount_key(amount) not in parts:
            by_section[(amount.evidence.section, amount.measure)].append(amount)
            by_measure[amount.measure].append(amount)
    figures = {key: {a.value_wan for a in amounts} for key, amounts in by_section.items()}
    rates_per_line = Counter((rate.kind, rate.evidence.line) for rate in extraction.rates)

    rows = []
    for rate in extraction.rates:
        if id(rate) in in_lines:
            continue
        section = rate.evidence.section
        numerator_measure = "received" if rate.kind == "funding" else "spent"
        line = own_line.get(id(rate))
        # One of several rates of a source line (中央资金完成A，执行率a，省级资金完成B，执行率b) is a fund's, whose own
        # budget is not the subsection's: its spending is no numerator for that budget.
        alone = rates_per_line[(rate.kind, rate.evidence.line)] == 1
        own = line.amounts.get(numerator_measure) if line is not None and alone else None
        numerators = [own] if own is not None else by_section.get((section, numerator_measure), [])
        numerator_figures = {own.value_wan} if own is not None else figures.get((section, numerator_measure), set())
        budget_key = (section, "adjusted_budget") if (section, "adjusted_budget") in figures else (section, "budget")
        budgets, budget_figures = by_section.get(budget_key, []), figures.get(budget_key, set())
        budget_word, scope = "预算", "本节"
        if not budgets and own is not None and rate.kind == "execution":
            budgets = [a for a in by_section.get((section, "spent"), []) if a is not own and INPUT_LABEL.search(a.label)]
            budget_figures, budget_word = {a.value_wan for a in budgets}, "投入资金"
        # A rate stated with its budget whose spending is told in another part of the report, once in all of it.
        if line is not None and line.budget is not None and budget_figures == {line.budget.value_wan} and \
                not numerator_figures and len({a.value_wan for a in by_measure.get(numerator_measure, [])}) == 1:
            numerators, scope = by_measure[numerator_measure], "文中"
            numerator_figures = {numerators[0].value_wan}
            budgets = [line.budget]
        if len(budget_figures) != 1 or len(numerator_figures) != 1:
            continue
        budget, numerator = budgets[0], numerators[0]
        if budget.value_wan <= 0 or (_one_statement(budget, rate) and scope == "本节") or (
                own is None and budget.evidence.line == numerator.evidence.line == rate.evidence.line):
            continue
        computed = _interval(numerator) / _interval(budget)
        stated = written_rate(rate)
        rows.append({
            **_where(rate.evidence), "label": budget.label or section, "kind": rate.kind, "rate_label": rate.label,
            "source": "apart", "value": NAN, **_bounds("value", None), "stated": rate.value,
            **_bounds("stated", stated), "computed": computed.mid, **_bounds("computed", computed),
            "numerator": numerator.value_wan, "numerator_measure": numerator_measure, "budget": budget.value_wan,
            "reason_given": False, "other_money": False, "paid_on": False, "ambiguous": False, "initial_base": False,
            "initial_rate": False, "other_base": False, "saving": False, "part": False, "budget_word": budget_word,
            "budget_line": budget.evidence.line, "numerator_line": numerator.evidence.line,
            "scope": scope,
        })
    return rows


def _one_statement(amount: Amount, rate) -> bool:
    """The amount and the rate stand in one sentence of one source line (then the reader paired them or chose not
    to: they are not figures apart)."""
    if amount.evidence.line != rate.evidence.line:
        return False
    quote = amount.evidence.quote
    first, second = quote.find(amount.raw), quote.find(rate.raw)
    if first < 0 or second < 0:
        return True  # cannot tell: keep the old reading (one line, not apart)
    start, end = sorted((first, second))
    return not re.search(r"[。！？!?]", quote[start:end])


MAX_NESTED_PARTS = 12


def _nested(parts: list[Interval]) -> bool:
    """A part that is the sum of the parts right after it heads a list of its own (第一批9910万元，分别支持A3000万元、
    B3357.17万元、C3552.83万元；第二批…): the list mixes levels, and its sum says nothing for sure."""
    for start, head in enumerate(parts):
        running = Interval(0.0, 0.0)
        for end in range(start + 1, min(len(parts), start + 1 + MAX_NESTED_PARTS)):
            running = running + parts[end]
            if end > start + 1 and running.gap(head) <= 0:
                return True
    return False


def breakdowns_table(extraction: Extraction, params: CheckParams) -> pd.DataFrame:
    """Every stated total (or change) against the sum of its stated parts."""
    rows = []
    for breakdown in extraction.breakdowns:
        total_value = breakdown.total.signed_value
        parts = [Interval.around(p.signed_value, p.half_width) for p in breakdown.parts]
        parts_sum = total(parts)
        stated = Interval.around(total_value, breakdown.total.half_width)
        if len(parts) > 1 and all(part.gap(stated) <= 0 for part in parts):
            continue  # each "part" the total again: a form's columns flattened (预算数 执行数 …), no list of parts
        # The first parts already make the total: the list ended there, and what follows is another statement,
        # often the same money told by its use (中央1753万元，省级519万元，用于直补609.22万元，项目1663.78万元).
        whole_prefix = next((k for k in range(1, len(parts)) if total(parts[:k]).gap(stated) <= 0), None)
        if whole_prefix is not None and total(parts[whole_prefix:]).gap(stated) <= 0:
            continue  # told twice, both times whole
        # Parts adding up to more than their total are wrong however the list is worded (when 其中 opens a
        # sentence, only if the sentence before states that one amount; within a sentence, only if they exceed
        # every earlier amount too: else the list may split another one, 预算16972万元，支出15836万元，包括…); fewer
        # are wrong only when the wording says the list is complete (分别为, 分为N个) and the total stands in the
        # same sentence. An item whose figure is hidden (**万元) leaves the sum unknown.
        short = parts_sum.high < stated.low
        exceeds_others = all(parts_sum.low > value + breakdown.total.half_width for value in breakdown.other_totals)
        # Figures of a form flattened into a line (its column titles run together) pair by position, not wording.
        # A total with no name before it (a line opening with 7万元，其中…) may be the tail of a figure cut off.
        lost_points = any(LOST_DECIMAL_POINT[0].match(amount.raw) for amount in (breakdown.total, *breakdown.parts))
        told_plainly = (not breakdown.masked and not lost_points and whole_prefix is None and not _nested(parts)
                        and bool(breakdown.total.label.strip()) and not reads_like_table(breakdown.evidence.quote))
        certain = told_plainly and (
            (breakdown.same_sentence and (short and breakdown.claims_complete and len(parts) > 1
                                          or not short and exceeds_others))
            or (not breakdown.same_sentence and not short and not breakdown.other_totals))
        rows.append({
            **_where(breakdown.evidence), "label": breakdown.total.label, "total": total_value,
            **_bounds("total", stated), "parts_sum": round(parts_sum.mid, 6), **_bounds("parts_sum", parts_sum),
            "parts": "，".join(_part_text(p) for p in breakdown.parts),
            "parts_count": len(parts), "stated_count": breakdown.stated_count or NAN,
            "marker": breakdown.marker, "short": short, "certain": certain,
            "half_width": breakdown.total.half_width + sum(p.half_width for p in breakdown.parts),
        })
    return _frame(rows)


def funds_sources_table(extraction: Extraction, params: CheckParams) -> pd.DataFrame:
    """Every funds total row of a form (年度资金总额) against the sum of the source rows below it, column by column
    (columns m_total_low/high and m_sources_low/high for each money column m; an empty source cell is 0, a column
    the total leaves empty or no source fills is not compared)."""
    rows = []
    for block in extraction.funds_sources:
        row = {**_where(block.total.evidence), "label": block.total.label, "exhaustive": block.exhaustive,
               "sources": "，".join(line.label for line in block.sources)}
        lines = sorted({line.evidence.line for line in block.sources} - {block.total.evidence.line})
        row["source_lines"] = "、".join(str(line) for line in lines)
        for measure in FUNDS_MONEY_COLUMNS:
            stated = _interval(block.total.amounts.get(measure))
            parts = [_interval(line.amounts.get(measure)) or Interval(0.0, 0.0) for line in block.sources]
            filled = measure in block.measures and any(measure in line.amounts for line in block.sources)
            row.update(_bounds(f"{measure}_total", stated if filled else None))
            row.update(_bounds(f"{measure}_sources", total(parts) if filled and stated else None))
            row[f"{measure}_parts"] = "，".join(f"{line.label}{line.value(measure) or 0:g}万元" for line in block.sources)
        rows.append(row)
    return _frame(rows)


# Money a unit had besides its budget (其他资金来源21.31万元, 上年结转资金…): what a balance may also come from.
OTHER_FUNDS = re.compile(r"其他资金|其他收入|上年结转|年初结转|以前年度结转")


def balances_table(extraction: Extraction, params: CheckParams) -> pd.DataFrame:
    """Every line stating a balance (结余) with the budget (or receipts) and spending it follows from: stated
    together (one sentence), or, for a balance stated with its spending alone, the one budget (or receipts) figure
    of its subsection, with the other funds the subsection names (apart: a question, the scope may differ)."""
    rows = []
    parts = part_keys(extraction.breakdowns)
    for line in extraction.budget_lines:
        balance, spent = line.amounts.get("balance"), line.amounts.get("spent")
        bases = [a for a in (line.budget, line.amounts.get("received")) if a]
        if not (balance and spent):
            continue
        # Other money the sentence names (年初结转结余12万元，本年收入100万元，支出105万元，年末结转结余7万元): the balance
        # may follow from it too.
        others: list[Amount] = list(line.other_funds)
        apart = not bases
        if apart:
            bases, others = _balance_bases(extraction, balance, parts)
            if not bases:
                continue
        # A sentence stating other figures of a measure (应支付A，实际支付B): the balance may follow from any of them.
        spendings = (spent, *line.alternatives.get("spent", ()))
        alternative_bases = [] if apart else [a for base in bases for a in line.alternatives.get(base.measure, ())]
        bases += alternative_bases
        # The base (budget or receipts), with or without the other funds, the balance follows from best.
        candidates = [(_interval(base) - _interval(paid), base, (), paid) for base in bases for paid in spendings]
        # 结余12万元（含利息2万元）: what the balance says it holds besides the budget's remainder.
        held = [part for b in extraction.breakdowns if b.total is balance and b.marker[:1] in "（(" for part in b.parts]
        for added in (others, held):
            if added:
                extra = total([_interval(a) for a in added])
                candidates += [(_interval(base) + extra - _interval(spent), base, tuple(added), spent) for base in bases]
        expected, base, added, spent = min(candidates, key=lambda item: _interval(balance).gap(item[0]))
        sources = f"{base.value_wan:g}" + "".join(f"＋{a.value_wan:g}" for a in added)
        # Every reading tried is named: with the other funds and without.
        tried = "；".join(f"{base.value_wan:g}" + "".join(f"＋{a.value_wan:g}" for a in plus)
                         + f"－{paid.value_wan:g}＝{interval.mid:.6g}" for interval, base, plus, paid in candidates)
        # Several readings of one sentence, none fitting: a question, as for figures read apart.
        several = bool(alternative_bases or spendings[1:] or others) and _interval(balance).gap(expected) > 0
        rows.append({**_where(balance.evidence), "label": line.label, "balance": balance.value_wan,
                     **_bounds("balance", _interval(balance)), "base": base.value_wan, "spent": spent.value_wan,
                     "sources": sources, "tried": tried, "apart": apart or several, "base_line": base.evidence.line,
                     "expected": round(expected.mid, 6), **_bounds("expected", expected)})
    return _frame(rows)


def _balance_bases(extraction: Extraction, balance: Amount, parts: set) -> tuple[list[Amount], list[Amount]]:
    """The one budget (else receipts) figure of the balance's subsection and the other funds it names."""
    here = [a for a in extraction.amounts if a.evidence.section == balance.evidence.section
            and amount_key(a) not in parts and a is not balance]
    for measures in (("adjusted_budget",), ("budget",), ("received",)):
        bases = [a for a in here if a.measure in measures]
        if len({a.value_wan for a in bases}) == 1 and bases[0].value_wan > 0:
            others = [a for a in here if a.measure in ("amount", "balance") and OTHER_FUNDS.search(a.label)]
            return bases[:1], others
    return [], []


def score_groups_table(extraction: Extraction, params: CheckParams) -> pd.DataFrame:
    """Every score-table row that has sub-rows, once for its weight (分值) and once for its score (得分), each
    with the sum of its sub-rows'; and every scored heading with its scored sub-headings (source heading)."""
    rows = []
    by_group: dict[int, list] = defaultdict(list)
    for item in extraction.score_items:
        if item.source in ("table", "heading"):
            by_group[item.group].append(item)
    for items in by_group.values():
        headings = items[0].source == "heading"
        if not headings and not all(item.complete for item in items):
            continue  # a table cut off or with rows not read: its sums say nothing
        for parent in items:
            if headings and not parent.complete:
                continue  # the text stops inside it: sub-headings may be missing
            if parent.level == 0:
                children = [i for i in items if i.level == 1]
            else:
                children = [i for i in items if i.parent == parent.name and i.level == parent.level + 1]
            if not children:
                continue
            for measure, measure_zh in (("weight", "分值"), ("score", "得分")):
                half = f"{measure}_half_width"
                stated = getattr(parent, measure)
                values = [getattr(c, measure) for c in children]
                if stated is None or any(v is None for v in values):
                    continue
                parts = total([Interval.around(v, getattr(c, half)) for v, c in zip(values, children)])
                # A total that leaves out the form's budget execution points (总分 100 over indicators of 100 and
                # 预算执行率 10): the sum without them, to say so.
                execution = [v for v, c in zip(values, children) if c.name == EXECUTION_ITEM]
                without = total([Interval.around(v, getattr(c, half)) for v, c in zip(values, children)
                                 if c.name != EXECUTION_ITEM]) if len(execution) == 1 else None
                rows.append({**_where(parent.evidence), "name": parent.name, "children": len(children),
                             "source": parent.source,
                             "measure": measure, "measure_zh": measure_zh, "stated": stated,
                             **_bounds("stated", Interval.around(stated, getattr(parent, half))),
                             "sum": round(parts.mid, 6), **_bounds("sum", parts),
                             "parts": "＋".join(f"{c.name}{v:g}" for c, v in zip(children, values)),
                             "execution": execution[0] if execution else NAN,
                             "without_execution": round(without.mid, 6) if without and without.low <= stated <= without.high
                             else NAN})
    return _frame(rows)


def weight_systems_table(extraction: Extraction, params: CheckParams) -> pd.DataFrame:
    """Every indicator system (a score table, or weights listed in one sentence): its total weight. Scored headings
    are sums of their own sub-headings (score_groups), not a system shown whole."""
    rows = []
    by_group: dict[int, list] = defaultdict(list)
    for item in extraction.score_items:
        if item.source != "heading":
            by_group[item.group].append(item)
    for items in by_group.values():
        if not all(item.complete for item in items):
            continue
        total_row = next((i for i in items if i.level == 0 and i.weight is not None), None)
        top = [i for i in items if i.level == 1 and i.weight is not None]
        if total_row:
            weight = Interval.around(total_row.weight, total_row.weight_half_width)
            evidence, names = total_row.evidence, total_row.name
        elif len(top) >= 2:
            weight = total([Interval.around(i.weight, i.weight_half_width) for i in top])
            evidence, names = top[0].evidence, "+".join(f"{i.name}{i.weight:g}" for i in top)
            if all(i.source == "prose" for i in top) and not _judged_prose_weights(evidence, weight, params):
                continue
        else:
            continue
        # Weights are certain with a total row (the form shows its end), or from a sentence that says the list is
        # whole (指标体系分为投入（7分），过程（24分）…); a table without its total row may have lost rows to a page
        # break or a cut, and a flattened form read as prose may be partial: a question.
        shows_end = any(i.level == 0 for i in items)  # a total row, with its weight or its score only (自评总分)
        certain = shows_end or bool(top and WHOLE_SYSTEM.search(top[0].evidence.quote))
        rows.append({**_where(evidence), "items": names, "total_weight": round(weight.mid, 6),
                     **_bounds("total_weight", weight), "certain": certain})
    return _frame(rows)


# A line this long with no sentence end is a flattened table's cells run together, not a sentence listing a system.
MAX_TABLE_BLOB_CHARS = 200
TABLE_HEADER_WORDS = re.compile(r"[一二三]级指标|得分表|评分表")


def _judged_prose_weights(evidence: Evidence, weight: Interval, params: CheckParams) -> bool:
    """Whether weights listed in a line speak of a whole indicator system: not when the line is a flattened table
    (cells run together, perhaps cut off), nor when they total the indicators' share alone (产出50＋效益30＋满意度10
    ＝90 beside the budget execution's 10)."""
    if len(evidence.quote) > MAX_TABLE_BLOB_CHARS and "。" not in evidence.quote:
        return False
    if "。" not in evidence.quote and TABLE_HEADER_WORDS.search(evidence.quote.replace(" ", "")):
        return False  # a score table's header and first cells flattened into a line (一级指标 二级指标 … 决策(25分))
    indicators_only = Interval.around(params.total_points - params.budget_execution_points)
    return weight.gap(indicators_only) > params.score_tolerance


def grades_table(extraction: Extraction, params: CheckParams) -> pd.DataFrame:
    """Every stated grade beside the score it grades (the overall score, or a row's score out of its weight)."""
    rows = []
    facts = extraction.facts
    if facts.grade and facts.self_score is not None:
        evidence = facts.evidence.get("grade")
        score = Interval.around(facts.self_score, 0.0)
        rows.append(_grade_row(evidence, "自评结论", facts.grade, score, params))
    for item in extraction.score_items:
        if item.level > 0 and item.grade and item.score is not None and item.weight:
            ratio = Interval.around(item.score, item.score_half_width) / Interval.around(item.weight, item.weight_half_width)
            rows.append(_grade_row(item.evidence, item.name, item.grade, ratio.scale(params.total_points), params))
    return _frame(rows)


def _grade_row(evidence: Evidence | None, name: str, grade: str, score: Interval, params: CheckParams) -> dict:
    return {**(_where(evidence) if evidence else {"section": "", "line": None, "quote": ""}), "name": name,
            "grade": grade, "score": round(score.mid, 4), **_bounds("score", score),
            "expected_grade": params.grade_for(score.mid)}


def report_table(extraction: Extraction, params: CheckParams) -> pd.DataFrame:
    """The report as one row (when it is a self-evaluation): self-score, its cap from the execution rate."""
    facts = extraction.facts
    if facts.kind is None:
        return _frame([])
    rate = facts.execution_rate if facts.execution_rate_source not in QUESTIONED_SOURCES else None
    # A rate summed from several lines still caps the score, but the finding is a question (score.above_cap_derived).
    derived = facts.execution_rate if facts.execution_rate_source == "summed" else None
    # Above the total, and with no total row of its own, the report may score on another scale (加分项 of
    # some local systems): no cap applies, the auditor is asked instead.
    stated_total = any(item.level == 0 and item.weight is not None for item in extraction.score_items)
    on_scale = facts.self_score is None or facts.self_score <= params.total_points or stated_total
    points = _execution_points(extraction, params)
    cap = params.score_cap(rate, points) if rate is not None and on_scale else NAN
    derived_cap = params.score_cap(derived, points) if derived is not None and on_scale else NAN
    evidence = facts.evidence.get("self_score") or _conclusion_evidence(extraction)
    score_half = 0.05 if facts.self_score is not None and facts.self_score != int(facts.self_score) else 0.0
    return _frame([{
        **_where(evidence), "kind": facts.kind, "self_score": facts.self_score if facts.self_score is not None else NAN,
        # A text cut short may state its score after the cut: its absence is not a finding.
        "excerpt": is_excerpt(extraction), "on_scale": on_scale,
        # A text that shows no end (no closing part, date or attachment) may state its score further on.
        "ends": visibly_ends(extraction),
        # A report that hands its table on as an attachment (附件2, 附专项资金绩效自评表) may score there.
        "attached": hands_on_attachment(extraction),
        "execution_rate": rate if rate is not None else NAN, "score_cap": cap, "execution_points": points,
        # How far the self-score (at the bottom of its rounding) stands above its cap (risk reads it too).
        "cap_gap": (facts.self_score - score_half - cap) if facts.self_score is not None and not math.isnan(cap) else NAN,
        "derived_rate": derived if derived is not None else NAN, "derived_cap": derived_cap,
        "derived_cap_gap": (facts.self_score - score_half - derived_cap)
        if facts.self_score is not None and not math.isnan(derived_cap) else NAN,
        "derived_lines": "、".join(map(str, facts.derived.get("execution_rate") or facts.derived.get("spent_wan", ()))),
    }])


def _execution_points(extraction: Extraction, params: CheckParams) -> float:
    """The points the report's own form gives budget execution (its funds row's weight, or a scoring sheet's 预算执行率
    item), one figure for the whole form; else the rule set's."""
    stated = {row.weight for row in extraction.execution_rows if row.weight is not None} | {
        item.weight for item in extraction.score_items
        if item.level > 0 and item.weight is not None and EXECUTION_ITEM_NAME.match(item.name)}
    return stated.pop() if len(stated) == 1 else params.budget_execution_points


def _conclusion_evidence(extraction: Extraction) -> Evidence:
    """Where a missing score belongs: the (last) conclusion section's heading, else the title."""
    sections = [s for s in extraction.outline.sections if re.search(r"结论|自评|得分|评价结果", s.title)]
    if sections:
        section = sections[-1]
        return Evidence(section.line, section.path, extraction.document.raw_line(section.line).strip())
    return Evidence(1, "", extraction.outline.root.title)


NAMED_ITEM_MONEY = re.compile(r"[\u4e00-\u9fff、（）()]{4,}(?:项目资金|专项资金)$")
# Money whose label opens with a list's item number (…情况1.年度重点项目补助资金, flattened text): one item of a list.
NUMBERED_ITEM_MONEY = re.compile(r"(?<![\d.．])\d{1,2}[.．、](?![\d])[\u4e00-\u9fff（）()]{2,30}$")


def _named_item(amount: Amount) -> bool:
    """Money named for one item of a list (公共文化服务、交流合作及文化保护项目资金, 1.年度重点项目补助资金), not the
    unit's budget; an initial budget (年初预算) is the unit's, however numbered."""
    label = amount.label or ""
    return bool(NAMED_ITEM_MONEY.search(label) or NUMBERED_ITEM_MONEY.search(label) and "年初" not in label)


def budget_changes_table(extraction: Extraction, params: CheckParams) -> pd.DataFrame:
    """Money received (or an adjusted budget) against the initial budget."""
    budget = largest_stated(extraction.amounts, extraction.breakdowns, "budget")
    if budget is None or budget.value_wan <= 0:
        return _frame([])
    rows = []
    for measure in ("received", "adjusted_budget"):
        other = largest_stated(extraction.amounts, extraction.breakdowns, measure)
        # An adjusted budget of 0 is a form's total row left at zero (its parts below hold the money), not a cut.
        if other is None or measure == "adjusted_budget" and other.value_wan <= 0:
            continue
        ratio = _interval(other) / _interval(budget)
        rows.append({**_where(other.evidence), "measure": measure, "label": other.label, "budget": budget.value_wan,
                     "budget_line": budget.evidence.line, "other": other.value_wan, "change": round(ratio.mid - 1, 6),
                     **_bounds("ratio", ratio),
                     # Figures from different sections may be of different scope (a whole budget, one project's);
                     # so is a budget that is one named item's money (1.公共文化服务项目资金614万元) beside a total.
                     "together": other.evidence.section == budget.evidence.section and not _named_item(budget)})
    return _frame(rows)


def score_items_table(extraction: Extraction, params: CheckParams) -> pd.DataFrame:
    """Every scored indicator with its weight."""
    rows = []
    for item in extraction.score_items:
        if item.level > 0 and item.score is not None and item.weight is not None:
            rows.append({**_where(item.evidence), "name": item.name, "weight": item.weight, "score": item.score,
                         **_bounds("score", Interval.around(item.score, item.score_half_width)),
                         **_bounds("weight", Interval.around(item.weight, item.weight_half_width))})
    return _frame(rows)


def unscored_indicators_table(extraction: Extraction, params: CheckParams) -> pd.DataFrame:
    """Every indicator of a form that scores nothing (no 分值, no 得分: the transfer payment's form) and has a
    reason column: its target and result, whether it missed the target, and the reason written."""
    rows = []
    for indicator in extraction.indicators:
        if indicator.weight is not None or indicator.score is not None or not indicator.reason_column:
            continue
        rows.append({**_where(indicator.evidence), "name": indicator.name, "target": indicator.planned or "",
                     "result": indicator.achieved or "", "reason": indicator.reason or "",
                     "missed": target_missed(indicator, params.rule_set) is True,
                     "nature_note": indicator.nature_note or ""})
    return _frame(rows)


def indicator_scores_table(rescoring: Rescoring, params: CheckParams) -> pd.DataFrame:
    """Every re-scored table row: the claimed score (an interval) against the range the rule set allows, what the
    row states (weight, reason, target, ratio), and the one question a scored indicator row raises, if any
    (`verdict`, with its size in `verdict_gap`), so that each row raises at most one finding about its score."""
    rows = []
    for row in rescoring.rows:
        claimed = Interval.around(row.claimed, row.claimed_half) if row.claimed is not None else None
        verdict, verdict_gap = "", NAN
        if row.kind == INDICATOR and claimed is not None and row.rescored and row.weight:
            # A form with no reason column (the department form) leaves nowhere to explain a deduction.
            verdict, verdict_gap = _indicator_verdict(row, claimed,
                                                      params.rule_set.reason_every_deduction and row.reason_column)
        coefficient = NAN
        if claimed is not None and row.coefficient is not None and row.weight is not None:
            coefficient = claimed.gap(Interval.around(row.coefficient, row.coefficient_half).scale(row.weight))
        rows.append({"section": row.evidence.section, "line": row.evidence.line, "quote": row.evidence.quote,
                     "kind": row.kind, "name": row.name, "nature": row.nature or "", "weight": row.weight,
                     "claimed": row.claimed, **_bounds("claimed", claimed), "recomputed": row.recomputed,
                     "low": row.low, "high": row.high, "rescored": row.rescored, "not_rescored": row.not_rescored,
                     "formula": row.formula, "reason": row.reason or "", "ratio": row.ratio,
                     "rule_set": row.own_rule or params.rule_set.name, "own_rule": bool(row.own_rule),
                     "verdict": verdict, "verdict_gap": verdict_gap,
                     "nature_note": row.nature_note or "", "coefficient": row.coefficient,
                     "variant_formula": row.variant_formula,
                     "coefficient_gap": coefficient})
    frame = _frame(rows)
    return frame.astype({column: float for column in ("weight", "claimed", "recomputed", "low", "high", "ratio")}) \
        if not frame.empty else frame


def _indicator_verdict(row, claimed: Interval, every_deduction: bool) -> tuple[str, float]:
    """The one question a scored indicator row raises, if any, and by how many points (1 for a yes-or-no)."""
    allowed = Interval(row.low, row.high)
    over = claimed.low - allowed.high
    deducted = claimed.high < row.weight
    if claimed.low > row.weight:
        return "", NAN  # above its weight: score.above_weight's finding
    if row.met is False and claimed.low <= row.weight <= claimed.high:
        # However close the miss, full marks say the target was met; where the direction is assumed (满意度 90% →
        # 85%, no comparator written) a question.
        return ("full_missed", 1.0) if row.certain else ("unclear", max(over, 0.0) or 1.0)
    if over > 0:
        # A score another formula in use gives (≤ by ratio, = in proportion) asks which one the unit used.
        if row.variant_high is not None and claimed.low <= row.variant_high:
            return "variant", over
        return ("item", over) if row.certain else ("unclear", over)
    if deducted and not row.reason and row.nature != "qualitative":  # a level's band is itself the deduction rule
        if row.met:
            return "met_unexplained", 1.0
        return ("deduction_unexplained", 1.0) if every_deduction else ("", NAN)
    if allowed.low - claimed.high > 0:
        return "below", allowed.low - claimed.high
    return "", NAN


def table_claims_table(extraction: Extraction, rescoring: Rescoring, params: CheckParams) -> pd.DataFrame:
    """The narrative's figures against its own self-evaluation table in the same document: the score and grade
    (high when they differ) and budget, spending and rate (scopes may differ: medium). Only for a project report
    or table with exactly one table that carries points."""
    facts = extraction.facts
    if facts.kind not in ("project", "table") or len({row.group for row in rescoring.rows}) != 1:
        return _frame([])
    narrative = extraction.table_lines.isdisjoint
    rows = []
    total_row = next((item for item in extraction.score_items if item.level == 0 and item.score is not None
                      and item.group == rescoring.rows[0].group), None)
    score_evidence = facts.evidence.get("self_score")
    if total_row and facts.self_score is not None and score_evidence and narrative({score_evidence.line}):
        # A sentence may round the table's 96.44 to 96.4 or 96.
        half = 0.5 if facts.self_score == int(facts.self_score) else 0.05
        gap = Interval.around(facts.self_score, half).gap(Interval.around(total_row.score, total_row.score_half_width))
        rows.append(_claim_row(score_evidence, "自评得分", _num(facts.self_score), _num(total_row.score),
                               total_row.evidence.line, "score", gap))
    grade_evidence = facts.evidence.get("grade")
    table_grade = next((item for item in extraction.score_items if item.level == 0 and item.grade), None)
    if table_grade and grade_evidence and narrative({grade_evidence.line}) and facts.grade:
        rows.append(_claim_row(grade_evidence, "评定等级", facts.grade, table_grade.grade, table_grade.evidence.line,
                               "score", float(facts.grade != table_grade.grade)))
    executions = extraction.execution_rows
    if len(executions) == 1:
        funds = executions[0]
        prose = [a for a in extraction.amounts if narrative({a.evidence.line})]
        for figure, measures, table_amounts in (
                ("预算数", ("adjusted_budget", "budget"), [funds.adjusted_budget, funds.budget]),
                ("支出数", ("spent",), [funds.spent])):
            table_amounts = [a for a in table_amounts if a is not None]
            stated = [a for a in prose if a.measure in measures]
            # The narrative's own total (not a part of a breakdown), unless some figure it states is the table's.
            largest = largest_stated(stated, extraction.breakdowns, *measures)
            if largest is None or not table_amounts or any(
                    _interval(a).gap(_interval(t)) <= params.amount_tolerance for a in stated for t in table_amounts):
                continue
            gap = min(_interval(largest).gap(_interval(t)) for t in table_amounts)
            rows.append(_claim_row(largest.evidence, figure, f"{_num(largest.value_wan)}万元",
                                   "、".join(f"{_num(t.value_wan)}万元" for t in table_amounts), funds.evidence.line,
                                   "money", gap))
        table_rate = funds.rate.value if funds.rate else None
        stated_rates = [r for r in extraction.rates if r.kind == "execution" and narrative({r.evidence.line})]
        if table_rate is not None and stated_rates and len({r.value for r in stated_rates}) == 1:
            rate = stated_rates[0]
            gap = Interval.around(rate.value, rate.half_width).gap(Interval.around(table_rate, funds.rate.half_width))
            rows.append(_claim_row(rate.evidence, "预算执行率", rate.raw, funds.rate.raw, funds.evidence.line,
                                   "money", gap))
    return _frame(rows)


def _num(value: float) -> str:
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _claim_row(evidence: Evidence, figure: str, narrative: str, table: str, table_line: int, family: str,
               gap: float) -> dict:
    """One figure the narrative states and its own table states too: family is score (score and grade) or money
    (budget, spending, rate); gap how far apart they are once rounding is allowed for (1 for differing grades)."""
    return {**_where(evidence), "figure": figure, "narrative": narrative, "table": table, "table_line": table_line,
            "family": family, "gap": gap}


TABLES = {
    "rates": rates_table, "breakdowns": breakdowns_table, "balances": balances_table,
    "score_groups": score_groups_table, "weight_systems": weight_systems_table, "grades": grades_table,
    "report": report_table, "budget_changes": budget_changes_table, "score_items": score_items_table,
    "funds_sources": funds_sources_table, "unscored_indicators": unscored_indicators_table,
}


def build_tables(extraction: Extraction, params: CheckParams,
                 rescoring: Rescoring | None = None) -> dict[str, pd.DataFrame]:
    """Every check table of one report (the re-scoring tables from its rescoring under params.rule_set)."""
    rescoring = rescoring or rescore(extraction, params)
    tables = {name: build(extraction, params) for name, build in TABLES.items()}
    tables["indicator_scores"] = indicator_scores_table(rescoring, params)
    tables["table_claims"] = table_claims_table(extraction, rescoring, params)
    return tables
