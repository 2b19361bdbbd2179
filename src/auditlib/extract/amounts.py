"""Amounts and rates in running text, grouped into budget lines and breakdowns.

A sentence is the unit: each amount takes its measure from the nearest measure word before it in its
clause (预算, 到位, 实际支出, 结余 …) or, failing that, from the noun it modifies (15万元的预算). Amounts
joined by 和/、/及 share a measure. After a breakdown marker (其中, 主要是, 分以下N个…：) the amounts are
parts of the amount before the marker, until a clause opens with a measure word of its own.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from auditlib.extract.model import Amount, BudgetLine, Breakdown, Evidence, Rate
from auditlib.ingest import Line
from auditlib.numbers import Quantity, find_amounts, find_percents, split_run_together
from auditlib.outline import Outline
from auditlib.vocabulary import NUMBER_MARKER

# Measure words, longest first within a measure; the nearest match before an amount wins.
MEASURE_WORDS: dict[str, tuple[str, ...]] = {
    "requested": ("申报", "申请资金", "申请预算", "报送"),
    "adjusted_budget": ("调整后预算数", "调整后预算", "调整预算", "全年预算数", "全年预算", "调整为", "调整至"),
    "budget": ("年初预算数", "年初预算", "预算数", "预算安排", "预算资金", "预算", "批复", "下达", "安排",
               "总预算", "当年预算", "项目资金"),
    # What a project costs in all, over its years, is not this year's budget (协议总投资 1029.2 亿元).
    "investment": ("总投资", "计划投资", "协议投资", "批复投资", "估算投资", "概算", "投资规模"),
    # Money counted over several years is not this year's spending.
    "cumulative": ("累计支出", "累计完成", "累计拨付", "累计投入", "累计使用", "累计下达", "累计到位", "累计安排",
                   "累计投资"),
    "received": ("实际到位", "到位", "实际收到", "收到", "拨款收入", "拨付", "拨入"),
    "spent": ("实际支出", "实际使用", "实际执行", "执行数", "执行资金", "执行金额", "支出总额", "支出数", "支出", "使用",
              "投入资金", "投入", "支付", "开支", "花费", "完成投资", "资金完成"),
    # What was not spent is a balance too (支付A万元，未支B万元): the longer word wins over 支付 at the same end.
    # (Money not yet allocated, 未到位/未拨付, is not what spending left: no balance.)
    "balance": ("结余", "节余", "结转", "上缴", "剩余", "未支付", "未支出", "未使用", "未执行", "未支"),
    "increase": ("增加", "增长", "上升"),
    "decrease": ("减少", "下降", "降低", "调减", "核减"),
}
# Words that contain a measure word but name something else: 转移支付 is a kind of fund, not a payment;
# 项目支出绩效 names the evaluation, not spending. Each entry: (word, an example it must cover).
NOT_MEASURE_WORDS = (
    ("转移支付", "省级资金转移支付124.23万元"),
    ("支出绩效", "项目支出绩效自评得分95分"),
    ("支出责任", "支出责任履行情况良好"),
    ("支出方向", "支出方向与预算一致"),
    ("支出范围", "未超出支出范围"),
    ("支出项目", "福利彩票公益金支出项目276.42万元"),
    ("超出预算", "超出预算金额1.19万元"),
    # What is due is not what was paid (应支付贴息资金444.86万元，实际支付355.16万元).
    ("应支付", "应支付贴息资金444.86万元"),
    ("应拨付", "应拨付补助资金120万元"),
    ("待支付", "待支付设计费20万元"),
    ("待拨付", "待拨付补助资金12万元"),
    # A fee paid for work on a budget is one cost among others, not the budget (预算编制费1.5万元、设计费20万元).
    ("预算审核费", "待付前期费：预算审核费2.1万元"),
    ("预算编制费", "预算编制费1.5万元"),
    ("预算评审费", "预算评审费0.8万元"),
    # Money passed on to others (拨付至项目单位) is neither what the unit received nor, on its own, what it spent.
    ("拨付至", "已拨付至项目单位资金86.5万元"),
    ("拨付给", "拨付给各乡镇资金40万元"),
    ("拨付到", "拨付到村集体资金12万元"),
)
_NOT_MEASURE = re.compile("|".join(re.escape(word) for word, _ in NOT_MEASURE_WORDS))
RATE_WORDS: dict[str, tuple[str, ...]] = {
    # 预算完成率 names the money; a bare 完成率 (or 支付完成率) is as often an indicator's (任务完成率) and is not here.
    "execution": ("预算执行率", "执行率", "支出率", "使用率", "支付率", "执行进度", "预算完成率"),
    "funding": ("资金到位率", "到位率", "拨付率"),
}
SPENDING_COMPLETION = re.compile(r"(?:使用|执行|支出|支付)完成\s*$")
# A sentence that opens with a bare 完成率 (完成率均达到100%) names no indicator: it speaks of the money the sentence
# before stated, when that sentence stated money and nothing else.
BARE_COMPLETION_OPENING = re.compile(r"\s*完成率\s*(?:均|都|全部)?\s*(?:达到|达|为|是)?\s*$")
MONEY_MEASURES = frozenset({"budget", "adjusted_budget", "spent"})
# 124.23万元，为A 25万元，B 100万元: a list right after an amount (为/包括 opening the next clause) splits it, as
# does 中 right after it (42546万元中，省级项目支出1425万元，对市县转移支付41121万元).
BREAKDOWN_MARKER = re.compile(r"[（(]\s*含|其构成为|构成如下|"
                              r"(?:(?<=万元)|(?<=亿元))\s*[，,]\s*(?:为|包括|包含)[：:]?|(?:(?<=万元)|(?<=亿元))中\s*[，,：:]|其中[：:，,]?|主要是|主要为|具体为|分别为|分以下\s*(?:(\d+)\s*)?个[^：:，。]{0,12}[：:]|分为\s*(?:(\d+)\s*)?个?[^：:，。]{0,12}[：:]")
CLAUSE_SPLIT = re.compile(r"[，,；;：:]")
SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?])")
COORDINATION = re.compile(r"^\s*(?:万元|万|元)?\s*(?:和|与|及|以及|、)\s*")
LABEL_NOISE = re.compile(
    rf"^(?:\d{{4}}\s*年(?:度|初|底|末)?|{NUMBER_MARKER}|其中|截至|截止|"
    r"主要是|主要为|开展|共计|合计|总计|全年|本年|当年|全部|累计|目前|已经|和|与|以及|及|针对|年度|[、，,；;：:\s])+"
)
# Starts only where no tail word ends just before: the leftmost tail always does, and a long run of tail words is
# scanned once instead of once per position (linear, same result).
LABEL_TAIL = re.compile(r"(?<!共计|合计|总计|累计|达到)(?<![为是了约共的：:\s])(?:共计|合计|总计|累计|达到|为|是|了|约|共|的|[：:\s])*$")
KEY_VALUE = re.compile(r"^[^，,。；;：:]{1,20}[：:]\s*[\d.,]+\s*(?:万元|元|亿元|万|%|％)\s*[。；;]?$")
CHANGES = ("increase", "decrease")
CUT_WORDS = ("调减", "核减")  # an item cut from an allocation: a negative part of its list
# Amounts whose role is not this year's money of a budget line.
NOT_LINE_MEASURES = ("amount", "increase", "decrease", "investment", "cumulative")
# Before a measure word, these make its clause a new statement about the money: 已拨付, 实际支出, 2023年支出.
NEW_STATEMENT_BEFORE_WORD = re.compile(r"(?:已|已经|实际|累计|共|全年|年度|目前|截至|截止|\d{4}\s*年)\s*$|\d{4}\s*年")
# A measure word that ends an item's name (2023年度农村改厕项目资金 21.24万元) names the item, states no new measure.
NAME_MEASURE_WORDS = ("项目资金",)
# A numbered item's opening and the name before such a word: (pattern, example, counter-example)
NUMBERED_ITEM_NAME = (re.compile(r"\s*[（(]\d{1,2}[)）]\s*[\u4e00-\u9fff]{2,12}$"), "(5)援疆", "(5)")
ALLOCATION_WORDS = ("下达", "批复", "安排", "预算安排")
# The measure a line's label ends with, and 总 before it (项目总预算: the item is 项目).
LINE_LABEL_TAIL = re.compile(r"(?:(?<!汇)总)?(?:年初预算数|年初预算|预算数|预算资金|预算|项目资金|资金)$")
# Money is never this large in a unit's report (万元); such a figure is a count or a year misread.
MAX_PLAUSIBLE_WAN = 1e8
MAX_PLAUSIBLE_RATE = 10.0  # 1000%
# Instructions printed in a form carry numbers but state no fact.
INSTRUCTION = re.compile(r"[需须应]\s*(?:说明|填写|注明|列明)|请(?:说明|填写|注明)|填写说明|填报说明|字以内|^\s*注\s*[:：]")
RUN_TOGETHER_MEASURES = {2: ("budget", "spent"), 3: ("budget", "adjusted_budget", "spent")}
# A 自评表's column titles: three of them in one sentence are a form flattened into it, not prose.
FORM_COLUMN_TITLES = re.compile(r"年初预算数|全年预算数|调整预算数|全年执行数|执行率|分值|得分|年度指标值|指标值|实际完成值|完成值"
                                r"|一级指标|二级指标|三级指标")
MIN_FORM_TITLES = 3
RUN_LABEL = re.compile(r"[\u4e00-\u9fff（）()：:]{1,16}$")


@dataclass
class _Mention:
    quantity: Quantity
    kind: str  # amount | percent
    unit: str
    measure: str | None
    label: str
    prefix: str
    clause_start: str  # the text of its clause before the number
    word: str | None = None  # the measure word it took its measure from


def _nearest_word(text: str, words: dict[str, tuple[str, ...]]) -> tuple[str | None, str | None, int]:
    """The measure whose word ends nearest the end of text, with the word and its start."""
    text = _NOT_MEASURE.sub(lambda match: "\u3000" * len(match.group(0)), text)  # same length: starts hold
    best: tuple[str | None, str | None, int] = (None, None, -1)
    best_end = -1
    for measure, options in words.items():
        for word in options:
            start = text.rfind(word)
            if start < 0:
                continue
            end = start + len(word)
            if end > best_end or (end == best_end and best[1] is not None and len(word) > len(best[1])):
                best, best_end = (measure, word, start), end
    return best


def _clean_label(text: str) -> str:
    # a table row's cells before the one the figure stands in (| 3 | 2.48 | 项目预算…) name nothing of it
    text = re.sub(r"\s+", "", text).rsplit("|", 1)[-1]
    previous = None
    while previous != text:
        previous = text
        text = LABEL_TAIL.sub("", LABEL_NOISE.sub("", text))
    for opening, closing in ("“”", "（）", "()", "《》"):
        if text.startswith(opening) and closing not in text:
            text = text[1:]
        if text.endswith(closing) and opening not in text:
            text = text[:-1]
    return text


# A standard per unit, not money spent or received: 每人300元, 生均1000元, 300元/人, 36.66元每月.
PER_UNIT_BEFORE = re.compile(r"(?:每|生均|人均|户均|单价)[^，,。；;、\d]{0,6}$")
PER_UNIT_AFTER = re.compile(r"\s{0,2}(?:[/／]|每(?:人|户|月|年|天|次|亩|名|个|位))")


# Money of one level of government (省级统筹安排, 中央资金) and spending of a whole area (全省…共支出) differ in scope:
# the area spends every level's money.
LEVEL_FUNDS = re.compile(r"(?:省|市|县|区|州)级|中央|本级")
WHOLE_AREA = re.compile(r"全(?:国|省|市|州|县|区)")



def wider_scope(spent: Amount, budget: Amount) -> bool:
    """省级安排A，…全省共支出B: the spending of a whole area, from every level's money, against one level's budget."""
    return bool(WHOLE_AREA.search(spent.label) and LEVEL_FUNDS.search(budget.label)
                and not WHOLE_AREA.search(budget.label))


# Money besides the budget that a sentence may name with it: raised by the unit, matched by another level, added
# during the year, carried in, or from another source. (Each entry: the word, an example.)
OTHER_MONEY_WORDS = (("自筹", "单位自筹20万元"), ("配套", "省级配套20万元"), ("追加", "年中追加30万元"),
                     ("结转", "上年结转资金15万元"), ("其他资金", "其他资金5万元"), ("社会资金", "吸引社会资金50万元"),
                     ("捐赠", "接受捐赠资金8万元"), ("整合", "整合涉农资金200万元"), ("上年结余", "上年结余资金10万元"),
                     ("年初结余", "年初结余20万元"))
OTHER_MONEY = re.compile("|".join(word for word, _ in OTHER_MONEY_WORDS))
REVENUE = re.compile(r"收入")  # 部门预算收入1000万元: the year's revenue, not all the money a year may spend

# Money carried in from an earlier year (上年结转, 以前年度结转, or 2023年结转 in a sentence about 2024) is money to
# spend this year, not what this year left: no balance.
CARRIED_IN = re.compile(r"(?:上年度?|以前年度|往年|历年|年初|期初)\s*(?:结转(?:和|及|、)?(?:结余)?|结余)"
                        r"|(?P<year>(?:19|20)\d{2})\s*年度?\s*结转(?!至|到)")
SENTENCE_YEAR = re.compile(r"(?:19|20)\d{2}(?=\s*年)")

FORMULA_SIGNS = ("×", "*", "＊", "✕")
MINUS_SIGNS = ("-", "－", "−")
SIGNLESS_MEASURES = frozenset({"budget", "adjusted_budget", "spent", "received"})  # never written below zero
EXCLUDED_BEFORE = re.compile(r"(?:不含|不包括|未含|未包括|扣除|除去)[^，,。；;]{0,20}$")


def _sign_before(text: str, start: int) -> str:
    """The character before start, blanks skipped ('' at the text's start): read in place, not by copying the
    text before every figure of a long sentence."""
    position = start - 1
    while position >= 0 and text[position].isspace():
        position -= 1
    return text[position] if position >= 0 else ""


def _mentions(sentence: str) -> list[_Mention]:
    # 1/5万 (a map's scale) after a slash is a ratio, not money.
    quantities = [(q, "amount", unit) for q, unit in find_amounts(sentence)
                  if q.value <= MAX_PLAUSIBLE_WAN and _sign_before(sentence, q.start) not in ("/", "／")]
    # No rate is written as 1000% or more: such a figure is cells run together (read by _run_together); and a
    # percent in a formula (预算执行率(B/A×100%)) is the formula's, no rate stated.
    quantities += [(q, "percent", "%") for q in find_percents(sentence)
                   if q.value < MAX_PLAUSIBLE_RATE and _sign_before(sentence, q.start) not in FORMULA_SIGNS]
    quantities.sort(key=lambda item: item[0].start)
    mentions: list[_Mention] = []
    previous_end = 0
    for quantity, kind, unit in quantities:
        prefix = sentence[previous_end: quantity.start]
        # 预算金额：45万元 — a colon right before the figure joins its label, it does not end a clause.
        clause = CLAUSE_SPLIT.split(re.sub(r"[：:]\s*$", "", prefix))[-1]
        previous_end = quantity.end
        if kind == "percent":
            measure, word, _ = _nearest_word(clause, RATE_WORDS)
            if measure is None and SPENDING_COMPLETION.search(clause):
                measure, word = "execution", clause.strip()
            label = word or ""
        else:
            measure, word, word_start = _nearest_word(clause, MEASURE_WORDS)
            if measure is None:
                # Bounded: only the clause's opening words matter (…万元的预算), and a run-on page is one sentence.
                window = min(len(sentence), quantity.end + MAX_SUFFIX_CHARS)
                clause_end = CLAUSE_SPLIT.search(sentence, quantity.end, window)
                suffix = sentence[quantity.end: clause_end.start() if clause_end else window]
                if suffix.startswith("的"):
                    measure, word, _ = _nearest_word(suffix, MEASURE_WORDS)
            if measure is None and mentions and COORDINATION.match(prefix) and mentions[-1].kind == "amount":
                measure = mentions[-1].measure
            if PER_UNIT_BEFORE.search(clause) or PER_UNIT_AFTER.match(sentence, quantity.end):
                measure = "amount"  # a standard per head or per month (每人300元, 36.66元每月) is no sum of money
            elif EXCLUDED_BEFORE.search(clause):
                measure = "amount"  # money set apart (下达600万元（不含需次年结算资金32万元）) is none of the measure
            elif word in NAME_MEASURE_WORDS and NUMBERED_ITEM_NAME[0].match(clause[:word_start]):
                measure = "amount"  # (5)援疆项目资金…336万元: a numbered item named for its project, one part of a list
            elif measure == "balance" and word in ("结转", "结余") and _carried_in(clause[:word_start + len(word)],
                                                                                    sentence):
                measure = "amount"
            if measure is None:
                measure, word = _measure_of_open_clause(prefix)
            if measure in SIGNLESS_MEASURES and _sign_before(sentence, quantity.start) in MINUS_SIGNS:
                measure = "decrease"  # 年内调整预算-101.44万元: a budget cut by that much, never a budget of it
            label = _clean_label(clause) or (word or "")
        mentions.append(_Mention(quantity, kind, unit, measure, label, prefix, clause, word))
    _mark_requests(mentions)
    return mentions


def _carried_in(text: str, sentence: str) -> bool:
    """The 结转 that ends text is money carried in: from the year before (上年结转), or from a year earlier than the
    latest the sentence speaks of (2024年…2023年结转95.43万元)."""
    match = next((m for m in CARRIED_IN.finditer(text) if m.end() == len(text)), None)
    if match is None:
        return False
    if match.group("year") is None:
        return True
    return int(match.group("year")) < max(int(year) for year in SENTENCE_YEAR.findall(sentence))


# A clause of nothing but a total's filler (…安排，共计239万元) takes the measure its previous clause ends with.
TOTAL_FILLER = re.compile(r"\s*(?:共计|合计|总计|累计|共|计|总额|金额|总金额)?\s*(?:为|是|达|达到)?\s*")


def _measure_of_open_clause(prefix: str) -> tuple[str | None, str | None]:
    """The measure of a clause that names it and leaves the figure to the next: 按标准安排，共计239万元."""
    clauses = CLAUSE_SPLIT.split(re.sub(r"[：:]\s*$", "", prefix))
    if len(clauses) < 2 or not TOTAL_FILLER.fullmatch(clauses[-1]):
        return None, None
    opening = clauses[-2].rstrip()
    measure, word, start = _nearest_word(opening, MEASURE_WORDS)
    if measure is None or start + len(word) != len(opening):
        return None, None
    return measure, word


def _mark_requests(mentions: list[_Mention]) -> None:
    """做了15万元的预算，财政下达了8万元: a plain 预算 beside an allocation is what the unit asked for."""
    budgets = [m for m in mentions if m.kind == "amount" and m.measure == "budget"]
    if any(m.word in ALLOCATION_WORDS for m in budgets):
        for mention in budgets:
            if mention.word in ("预算", "预算数"):
                mention.measure = "requested"


class AmountReader:
    """Reads amounts, rates, budget lines and breakdowns from a document's prose."""

    def __init__(self, outline: Outline) -> None:
        self.outline = outline
        self.amounts: list[Amount] = []
        self.rates: list[Rate] = []
        self.budget_lines: list[BudgetLine] = []
        self.breakdowns: list[Breakdown] = []
        self.unread_cells: list[tuple[Evidence, str]] = []  # cells run together that no one reading fits
        self._carried_sentence: list[Amount] = []  # the amounts of the last sentence that stated any

    def read(self) -> "AmountReader":
        """Read every non-table line of the document."""
        carried: Amount | None = None  # the last amount, for a sentence that opens with 其中
        for index, line in self._statements():
            section = self.outline.section_of(index).path
            offset = 0
            for sentence in SENTENCE_SPLIT.split(line.text):
                if sentence:
                    carried = self._read_sentence(sentence, line, offset, section, carried)
                offset += len(sentence)
        return self

    def _statements(self) -> list[tuple[int, Line]]:
        """The prose lines, with runs of one-figure lines (预算金额：45万元 / 实际支出：46.2万元) joined into one."""
        statements: list[tuple[int, Line]] = []
        run: list[tuple[int, Line]] = []

        def flush() -> None:
            if len(run) > 1:
                texts = [line.text for _, line in run]
                offsets = tuple(sum(len(t) + 1 for t in texts[:i]) for i in range(len(texts)))
                joined = Line("，".join(texts), tuple(line.line for _, line in run),
                              "\n".join(line.raw for _, line in run), offsets=offsets)
                statements.append((run[0][0], joined))
            else:
                statements.extend(run)
            run.clear()

        for index, line in enumerate(self.outline.document.lines):
            if not line.text:
                continue
            if line.cell or "\t" in line.text:
                flush()
                continue
            if KEY_VALUE.match(line.text):
                run.append((index, line))
                continue
            flush()
            statements.append((index, line))
        flush()
        return statements

    def _evidence(self, line: Line, offset: int, section: str) -> Evidence:
        number = line.line_at(offset)
        return Evidence(number, section, self.outline.document.raw_line(number).strip())

    def _run_together(self, sentence: str, line: Line, offset: int, section: str) -> None:
        """A 自评表 money row whose cells ran together (年度资金总额194.9194.9100%): a budget line when the
        form's arithmetic allows one reading only, else a note that the row could not be read."""
        for run in split_run_together(sentence):
            evidence = self._evidence(line, offset + run.start, section)
            if run.amounts is None:
                self.unread_cells.append((evidence, run.raw + "%"))
                continue
            label_match = RUN_LABEL.search(sentence[: run.start].rstrip("：: "))
            label = _clean_label(label_match.group(0)) if label_match else ""
            amounts = {}
            for measure, quantity in zip(RUN_TOGETHER_MEASURES[len(run.amounts)], run.amounts):
                amounts[measure] = Amount(measure, label, quantity.value, quantity.half_width, "万元", quantity.raw,
                                          evidence)
                self.amounts.append(amounts[measure])
            rate = Rate("execution", "执行率", run.rate.value, run.rate.half_width, run.rate.raw, evidence)
            self.rates.append(rate)
            self.budget_lines.append(BudgetLine(label, evidence, amounts, {"execution": rate}))

    def _read_sentence(self, sentence: str, line: Line, offset: int, section: str,
                       carried: Amount | None) -> Amount | None:
        if INSTRUCTION.search(sentence):
            return carried  # 预算执行率未达到90%的需说明原因: the form's instruction, not a fact
        self._run_together(sentence, line, offset, section)
        mentions = _mentions(sentence)
        if not mentions:
            return carried
        opening = mentions[0]
        if (opening.kind == "percent" and opening.measure is None and BARE_COMPLETION_OPENING.fullmatch(opening.prefix)
                and self._carried_sentence and self._carried_sentence[-1].evidence.line == line.line_at(offset)
                and all(amount.measure in MONEY_MEASURES for amount in self._carried_sentence)):
            opening.measure, opening.label = "execution", "完成率"
        markers = list(BREAKDOWN_MARKER.finditer(sentence))
        amounts: list[tuple[_Mention, Amount]] = []
        # 中央资金完成A万元，执行率a%，省级资金完成B万元，执行率b%: a sentence stating a rate of one kind more than
        # once is several statements, each ending with its rate; else the sentence is one.
        counts: dict[str, int] = {}
        for mention in mentions:
            if mention.kind == "percent" and mention.measure:
                counts[mention.measure] = counts.get(mention.measure, 0) + 1
        repeated = {measure for measure, count in counts.items() if count > 1}
        segments: list[tuple[list[tuple[_Mention, Amount]], dict[str, Rate]]] = [([], {})]
        for mention in mentions:
            evidence = self._evidence(line, offset + mention.quantity.start, section)
            quantity = mention.quantity
            segment_amounts, rates = segments[-1]
            if mention.kind == "percent":
                if mention.measure and mention.measure not in rates:
                    rates[mention.measure] = Rate(mention.measure, mention.label, quantity.value,
                                                  quantity.half_width, quantity.raw, evidence)
                    self.rates.append(rates[mention.measure])
                if mention.measure in repeated:
                    segments.append(([], {}))
                continue
            amount = Amount(mention.measure or "amount", mention.label, quantity.value, quantity.half_width,
                            mention.unit, quantity.raw, evidence)
            amounts.append((mention, amount))
            segment_amounts.append((mention, amount))
            self.amounts.append(amount)
        if len(segments) > 1 and not segments[-1][0] and not segments[-1][1]:
            segments.pop()
        elif len(segments) > 1 and not segments[-1][1]:
            # amounts after the last rate belong to its statement
            trailing = segments.pop()[0]
            segments[-1][0].extend(trailing)

        parts = self._breakdowns(sentence, markers, amounts, carried, line, offset, section)
        # A form flattened into a sentence (its column titles run together) pairs its figures by position, which
        # the sentence no longer shows: its spending answers to no certain budget.
        flattened = len(set(FORM_COLUMN_TITLES.findall(sentence))) >= MIN_FORM_TITLES
        for segment_amounts, rates in segments:
            other_parts = tuple(a for _, a in segment_amounts if id(a) in parts and OTHER_MONEY.search(a.label or ""))
            self._budget_line([(m, a) for m, a in segment_amounts if id(a) not in parts], rates, flattened, other_parts)
        if amounts:
            self._carried_sentence = [amount for _, amount in amounts]
        return amounts[-1][1] if amounts else carried

    def _breakdowns(self, sentence, markers, amounts, carried, line, offset, section) -> set[int]:
        """Record each breakdown in the sentence; return the ids of the amounts that are parts.

        A list of parts ends at the closing bracket of a bracketed 其中, before the total of the next
        marker, at an item named twice, and at a clause that states a new measure (…，已拨付270万元).
        One pass over the amounts in all: each marker reads only the amounts up to the next one.
        """
        part_ids: set[int] = set()
        starts = [mention.quantity.start for mention, _ in amounts]
        ends = [mention.quantity.end for mention, _ in amounts]
        closes = _bracket_closes(sentence, [marker.start() for marker in markers])
        closings = [index for index, ch in enumerate(sentence) if ch in "）)"]
        for position, marker in enumerate(markers):
            first = bisect.bisect_left(starts, marker.end())
            before = bisect.bisect_right(ends, marker.start())
            # 其中 opening a sentence splits the last amount of the sentence before.
            opens_sentence = position == 0 and not sentence[: marker.start()].strip()
            total = amounts[before - 1][1] if before else (carried if opens_sentence else None)
            if marker.group(0)[0] in "（(":
                # 执行数1032849.44（含中央资金689139.31万元…）: a bracket splits what stands right before it; when
                # that is no amount read, its contents are parts of nothing here, and pair with nothing.
                adjacent = before and not sentence[ends[before - 1]: marker.start()].strip()
                if not adjacent:
                    inside = [id(a) for m, a in amounts[first:] if m.quantity.start < closes[position]]
                    part_ids.update(inside)
                    continue
            if total is None:
                continue
            limit = closes[position]
            if marker.group(0)[0] in "（(":  # a bracketed list ends at its own closing bracket
                limit = _next_close(closings, marker.end(), limit)
            aside_starts: list[int] = []
            aside_ends: list[int] = []
            for next_position in range(position + 1, len(markers)):
                following = markers[next_position].start()
                if following >= limit:
                    break
                last_inside = bisect.bisect_left(starts, following) - 1
                # 项目支出30万元（含专项20万元）: an aside splitting one item of the list; the item stays a part, the
                # aside's figures are not, and the list goes on after it.
                if markers[next_position].group(0)[0] in "（(" and last_inside >= first \
                        and not sentence[ends[last_inside]: following].strip():
                    aside_starts.append(following)
                    aside_ends.append(_next_close(closings, following, limit))
                    continue
                limit = min(limit, starts[last_inside] if last_inside >= first else following)
                break
            parts: list[Amount] = []
            ids: list[int] = []
            labels: set[str] = set()
            for mention, amount in (amounts[k] for k in range(first, len(amounts))):  # no copy of the rest
                if mention.quantity.start >= limit:
                    break
                aside = bisect.bisect_right(aside_starts, mention.quantity.start) - 1
                if aside >= 0 and mention.quantity.start < aside_ends[aside]:
                    continue
                if mention.label and mention.label in labels:
                    break
                is_change = total.measure in CHANGES and mention.measure in CHANGES
                # 调减2.66万元 inside a list of allocations takes away from the total; 同比增加 is another statement.
                negative = mention.measure == "decrease" and mention.word in CUT_WORDS and total.measure not in CHANGES
                if not is_change and not negative and (mention.measure in CHANGES or (
                        total.measure in CHANGES and mention.measure not in (None, "amount"))):
                    break  # a change's parts are changes; an amount's parts are amounts
                if not is_change and mention.measure not in (None, total.measure) and (
                        _opens_with_measure(mention.clause_start) or _states_new_measure(mention)):
                    break
                if _restates_or_reports(mention.clause_start):
                    break  # …，合计7万元 closes the list; …，已支出388.16万元 tells what became of the total
                labels.add(mention.label)
                parts.append(_as_part(amount, "decrease" if negative else total.measure, is_change or negative))
                ids.append(id(amount))
            # 支出90万元，为预算100万元的90%: one figure after 为 is a comparison, not a list.
            if not parts or (marker.group(0)[0] in "，, " and len(parts) < 2):
                continue
            part_ids.update(ids)
            count = next((int(group) for group in marker.groups() if group), None)
            evidence = self._evidence(line, offset + marker.start(), section)
            # The other amounts the list might split: earlier ones of its sentence (the nearest: a run-on page is one
            # sentence of thousands), or of the sentence before.
            others = tuple(a.value_wan for _, a in amounts[max(0, before - 1 - MAX_OTHER_TOTALS): before - 1]) \
                if before else tuple(a.value_wan for a in self._carried_sentence if a is not total)
            self.breakdowns.append(Breakdown(total, parts, count, evidence, marker.group(0),
                                             same_sentence=bool(before), other_totals=others,
                                             masked=_masked_figure(sentence[marker.end(): limit])))
        return part_ids

    def _budget_line(self, amounts: list[tuple[_Mention, Amount]], rates: dict[str, Rate], flattened: bool,
                     other_parts: tuple[Amount, ...] = ()) -> None:
        """One budget line per sentence that states two measures of money, or one and a rate."""
        by_measure: dict[str, Amount] = {}
        several: set[str] = set()
        alternatives: dict[str, list[Amount]] = {}
        combined: set[str] = set()
        # Other money named beside the budget, or as a part of it (项目预算100万元，其中…县级自筹20万元): spending and
        # rates may be of all the money.
        other_funds = tuple(amount for _, amount in amounts
                            if amount.measure == "amount" and OTHER_MONEY.search(amount.label or "")) + other_parts
        for mention, amount in amounts:
            if amount.measure in NOT_LINE_MEASURES:
                continue
            earlier = by_measure.get(amount.measure)
            if earlier is None:
                by_measure[amount.measure] = amount
            elif COORDINATION.match(mention.prefix):
                # 预算10万元和调研考察费7万元: coordinated amounts of one measure add up
                by_measure[amount.measure] = _combined(earlier, amount)
                combined.add(amount.measure)
            elif amount.value_wan != earlier.value_wan:
                several.add(amount.measure)
                alternatives.setdefault(amount.measure, []).append(amount)
        spent, budget = by_measure.get("spent"), by_measure.get("budget") or by_measure.get("adjusted_budget")
        if spent and budget and wider_scope(spent, budget):
            del by_measure["spent"]
        if len(by_measure) < 2 and not (rates and by_measure):
            return
        if len(combined) >= 2 and not rates:
            # 用于A费5万元、B预算经费5.53万元、C支出补助…: a list of items whose names hold measure words; neither
            # sum is a budget or a spending of the other.
            return
        first = next(iter(by_measure.values()))
        budget = by_measure.get("budget") or by_measure.get("adjusted_budget")
        label = budget.label if budget and budget.label else first.label
        self.budget_lines.append(BudgetLine(LINE_LABEL_TAIL.sub("", label) or label, first.evidence, by_measure, rates,
                                            several_budgets=bool(several & {"budget", "adjusted_budget"})
                                            or (flattened and not rates),
                                            alternatives={m: tuple(found) for m, found in alternatives.items()
                                                          if m in by_measure},
                                            other_funds=other_funds,
                                            other_money=bool(other_funds)
                                            or bool(budget and REVENUE.search(budget.label or "")),
                                            # 较年初预算1980万元增加…: an initial budget, no adjusted one stated
                                            initial_only=bool(budget and budget.measure == "budget"
                                                              and "年初" in (budget.label or ""))))


MONEY_UNIT = re.compile(r"[万亿]元")


def _masked_figure(text: str) -> bool:
    """A money unit with no figure before it (补助 **万元, 点击查看>> 万元): an item whose amount is hidden."""
    return any(not text[: match.start()].rstrip()[-1:].isdigit() for match in MONEY_UNIT.finditer(text))


def _combined(first: Amount, second: Amount) -> Amount:
    return Amount(first.measure, f"{first.label}+{second.label}", round(first.value_wan + second.value_wan, 6),
                  first.half_width + second.half_width, first.unit, f"{first.raw}+{second.raw}", first.evidence)


MAX_OTHER_TOTALS = 20
MAX_SUFFIX_CHARS = 40


def _next_close(closings: list[int], start: int, limit: int) -> int:
    """The first closing bracket at or after start, before limit (limit when none): a search, not a scan."""
    at = bisect.bisect_left(closings, start)
    return min(closings[at], limit) if at < len(closings) else limit


def _bracket_closes(sentence: str, positions: list[int]) -> list[int]:
    """For each of the (ascending) positions, where the innermost bracket open there closes; len(sentence)
    when none is open or it never closes. One pass over the sentence."""
    close_of: dict[int, int] = {}
    stack: list[int] = []
    enclosing: list[int | None] = []
    pending = iter(positions)
    next_position = next(pending, None)
    for index, ch in enumerate(sentence):
        while next_position is not None and next_position == index:
            enclosing.append(stack[-1] if stack else None)
            next_position = next(pending, None)
        if ch in "（(":
            stack.append(index)
        elif ch in "）)" and stack:
            close_of[stack.pop()] = index
    while next_position is not None:
        enclosing.append(stack[-1] if stack else None)
        next_position = next(pending, None)
    return [close_of.get(opening, len(sentence)) if opening is not None else len(sentence) for opening in enclosing]


def _states_new_measure(mention: _Mention) -> bool:
    """A clause that states what was done with money (已拨付, 实际支出, 2023年支出) is a statement, not an item."""
    if mention.word is None or mention.word in NAME_MEASURE_WORDS:
        return False
    head = mention.clause_start[: mention.clause_start.rfind(mention.word)]
    return bool(NEW_STATEMENT_BEFORE_WORD.search(head))


# A clause with no item of its own: the list's total said again (合计, 共计, 总计), or what was done with the
# money (已支出, 已拨付 …). Either ends a list of parts whatever its measure. Each entry: (pattern, an example it
# must match, one it must not match), matched at the opening of a clause.
LIST_ENDS = (
    # …，总计支出69.98万元 after a list's items is the whole again, told with its measure.
    (r"(?:合计|共计|总计|小计|累计|总共|共)(?:支出|投入|使用|拨付|下达|安排|到位|资金|金额)?(?:为|是|达)?[:：]?\s*$", "总计支出",
     "设备采购"),
    (r"(?:已|已经|现已|目前已|截至目前已)(?:支出|拨付|使用|完成|支付|下达|到位|兑付|发放)", "已支出", "A项目已支出"),
)
LIST_END = re.compile("|".join(f"(?:{pattern})" for pattern, _, _ in LIST_ENDS))


def _restates_or_reports(clause: str) -> bool:
    """The clause before an amount restates the list's total or reports what was done with it: no item."""
    return bool(LIST_END.match(clause.lstrip(" 、，,；;：:")))


def _opens_with_measure(clause: str) -> bool:
    """A clause that starts with its measure word (实际支出…, 投入资金…) states a new measure, not a part."""
    opening = clause.lstrip(" 、，,；;：:")
    return any(opening.startswith(word) for words in MEASURE_WORDS.values() for word in words)


def _as_part(amount: Amount, total_measure: str, is_change: bool) -> Amount:
    measure = amount.measure if is_change else total_measure
    return Amount(measure, amount.label, amount.value_wan, amount.half_width, amount.unit, amount.raw,
                  amount.evidence)
