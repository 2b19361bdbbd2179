"""vocabulary: the words reports use, once, for every step that reads or writes them.

- comparators: the words and symbols a target or an indicator's nature states its direction with (≥ 不低于 以上,
  ≤ 不超过 以内, = 等于), read first match wins, and the words of a 指标性质 column (正向, 反向, 定性);
- measures: what an amount is (budget, received, spent …), a rate's kind and a 自评表 row's, with their Chinese
  names;
- numbering styles: how headings are numbered, level by level (一、 › （一） › 1、 › （1） › ①), and the marker of
  any numbered line;
- kinds: what a document is (project, department, table, undecided, not a self-evaluation), with its names.

Data only, each entry with an example its test checks (tests/test_vocabulary.py). Imports nothing from auditlib:
extract, outline, check and history all read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- comparators and directions ---

AT_LEAST, AT_MOST, EQUAL, QUALITATIVE = "≥", "≤", "=", "qualitative"


@dataclass(frozen=True)
class Comparator:
    """A word or symbol that states a direction, and a target that uses it."""

    word: str
    direction: str  # AT_LEAST, AT_MOST or EQUAL
    example: str


# First match wins: symbols, then each negated or compound word before the word it contains (不低于 before 低于,
# 大于等于 before 大于, 不大于 before 大于).
COMPARATORS: tuple[Comparator, ...] = (
    Comparator("≥", AT_LEAST, "≥95%"), Comparator(">=", AT_LEAST, ">=95%"), Comparator("≧", AT_LEAST, "≧95%"),
    Comparator("＞", AT_LEAST, "＞90%"), Comparator(">", AT_LEAST, ">90%"),
    Comparator("≤", AT_MOST, "≤5天"), Comparator("<=", AT_MOST, "<=5天"), Comparator("≦", AT_MOST, "≦5天"),
    Comparator("＜", AT_MOST, "＜3起"), Comparator("<", AT_MOST, "<3起"),
    Comparator("＝", EQUAL, "＝0起"), Comparator("=", EQUAL, "=0起"),
    Comparator("不低于", AT_LEAST, "不低于95%"), Comparator("不少于", AT_LEAST, "不少于1000人次"),
    Comparator("不小于", AT_LEAST, "不小于90%"),
    Comparator("不超过", AT_MOST, "不超过5天"), Comparator("不高于", AT_MOST, "成本不高于50万元"),
    Comparator("不大于", AT_MOST, "不大于10天"), Comparator("不多于", AT_MOST, "投诉不多于3次"),
    Comparator("大于等于", AT_LEAST, "大于等于90%"), Comparator("小于等于", AT_MOST, "小于等于5%"),
    Comparator("以上", AT_LEAST, "95%以上"), Comparator("至少", AT_LEAST, "至少开展4次"),
    Comparator("达到", AT_LEAST, "覆盖率达到100%"),
    Comparator("大于", AT_LEAST, "大于90%"), Comparator("高于", AT_LEAST, "高于上年"),
    Comparator("多于", AT_LEAST, "多于10家"), Comparator("超过", AT_LEAST, "超过95%"),
    Comparator("以内", AT_MOST, "控制在预算以内"), Comparator("以下", AT_MOST, "5%以下"),
    Comparator("低于", AT_MOST, "故障率低于2%"), Comparator("小于", AT_MOST, "小于3%"),
    Comparator("少于", AT_MOST, "少于3次"), Comparator("控制在", AT_MOST, "控制在50万元"),
    Comparator("最多", AT_MOST, "最多3天"), Comparator("等于", EQUAL, "等于0"),
)
# A 指标性质 column's cell, read whole.
DIRECTION_CELLS: dict[str, str] = {
    "≥": AT_LEAST, ">=": AT_LEAST, "＞": AT_LEAST, ">": AT_LEAST, "≧": AT_LEAST, "大于等于": AT_LEAST, "正向": AT_LEAST,
    "≤": AT_MOST, "<=": AT_MOST, "＜": AT_MOST, "<": AT_MOST, "≦": AT_MOST, "小于等于": AT_MOST, "反向": AT_MOST,
    "=": EQUAL, "＝": EQUAL, "等于": EQUAL, "定性": QUALITATIVE,
}


def direction_in(text: str) -> str | None:
    """The direction the text states (its first comparator), or None: 不大于10天 -> ≤."""
    return next((comparator.direction for comparator in COMPARATORS if comparator.word in text), None)


def without_comparators(text: str) -> str:
    """The text with every comparator word and symbol taken out (what is left of 10天以内 is 10天)."""
    for comparator in COMPARATORS:
        text = text.replace(comparator.word, "")
    return text


# --- measures ---

# What an amount is, and its name in a sentence (支出12万元高于预算10万元).
MEASURES: dict[str, str] = {
    "requested": "申请资金", "budget": "预算", "adjusted_budget": "调整后预算", "received": "到位资金", "spent": "支出",
    "balance": "结余", "increase": "增加", "decrease": "减少", "investment": "总投资", "cumulative": "累计数",
}
RATE_KINDS: dict[str, str] = {"execution": "预算执行率", "funding": "资金到位率"}
# The rows of a self-evaluation table (自评表) that carry points: its funds row, scored by the execution rate, and
# its indicators.
FUNDS_ROW, INDICATOR_ROW = "execution", "indicator"
TABLE_ROWS: dict[str, str] = {FUNDS_ROW: "项目资金（预算执行率）", INDICATOR_ROW: "绩效指标"}


@dataclass(frozen=True)
class Phrasing:
    """A way of writing one thing, its pattern, a sentence it reads and a near one it must not read."""

    pattern: re.Pattern
    example: str
    counterexample: str


# How a scoring sheet's 预算执行率 item (资金管理 › 预算执行率, 5分) writes that it is scored in proportion to the
# rate, as a funds row is: only then is the item re-scored. A step rule (≥95%得满分, 每低1个百分点扣0.5分) is not.
PROPORTIONAL_EXECUTION: tuple[Phrasing, ...] = (
    Phrasing(re.compile(r"执行率\s{0,2}[×xX*＊]\s{0,2}(?:该指标|本指标|指标)?(?:分值|权重|满分|标准分)"),
             "得分=预算执行率×分值，最高不超过分值", "预算执行率=实际支出/预算数×100%，≥95%得满分"),
    Phrasing(re.compile(r"执行率\s{0,2}乘以\s{0,2}(?:该指标|本指标|指标)?(?:分值|权重|满分|标准分)"),
             "以预算执行率乘以该指标分值计分", "执行率每低1个百分点扣0.5分"),
    Phrasing(re.compile(r"按(?:预算)?执行率(?:的)?(?:比例|比重)?(?:计|得|折算)分"),
             "按预算执行率比例计分", "执行率达到90%以上得满分，否则按比例扣分"),
)
# A step beside the formula (每低1个百分点扣0.5分, 低于60%不得分): the item is not scored by the formula alone.
STEP_EXECUTION = Phrasing(re.compile(r"每(?:低|降低|下降|减少)|不得分"),
                          "得分=预算执行率×分值，执行率低于60%不得分", "得分=预算执行率×分值，最高不超过分值")

# --- numbering styles ---

CN_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class NumberingStyle:
    """One way of numbering headings: the level it marks in a well-formed report, its pattern (groups: an opening
    bracket where it has one, the number, the title), and a heading numbered so."""

    name: str
    rank: int
    pattern: re.Pattern
    example: str


NUMBERING_STYLES: tuple[NumberingStyle, ...] = (
    NumberingStyle("part", 0, re.compile(rf"^第\s*([{CN_NUMERALS}\d]{{1,3}})\s*(部分|章|篇)\s*[、.．:：]?\s*(.*)$"),
                   "第一部分 项目基本情况"),
    NumberingStyle("cn", 1, re.compile(rf"^([{CN_NUMERALS}]{{1,3}})\s*[、.．]\s*(.*)$"), "一、项目概况"),
    NumberingStyle("cn_paren", 2, re.compile(rf"^([（(])\s*([{CN_NUMERALS}]{{1,3}})\s*[)）]\s*[、.．]?\s*(.*)$"),
                   "（一）项目基本情况"),
    NumberingStyle("arabic", 3, re.compile(r"^(\d{1,2})\s*[、.．](?![\d.．])\s*(.*)$"), "1、资金投入情况"),
    NumberingStyle("arabic_paren", 4, re.compile(r"^([（(])\s*(\d{1,2})\s*[)）]\s*[、.．]?\s*(.*)$"), "（1）预算执行"),
    NumberingStyle("circled", 5, re.compile(r"^([①-⑳])\s*(.*)$"), "①培训人次"),
)
# The number marker that opens a numbered line or list item, in any style (一、 （一） (1) 1. ① 第一部分), to embed
# in a larger pattern; and the enumeration words of running text (一是, 二是).
NUMBER_MARKER = (rf"[{CN_NUMERALS}\d]{{1,3}}[、.．]|[（(]?[{CN_NUMERALS}\d]{{1,3}}[)）]|[①-⑳]"
                 rf"|第[{CN_NUMERALS}\d]{{1,3}}(?:部分|[部章节篇])")
ENUMERATION_MARKER = rf"[{CN_NUMERALS}]是"

# --- kinds ---


@dataclass(frozen=True)
class Kind:
    """What a document is: key (None: not a self-evaluation), whose spending it evaluates, and its names."""

    key: str | None
    spending: str  # 项目支出, 部门整体支出 ('' where it is not known)
    name: str  # the document as a sentence names it: 项目支出绩效自评报告
    short: str  # in a list or a table cell: 项目支出绩效自评


KINDS: dict[str | None, Kind] = {kind.key: kind for kind in (
    Kind("project", "项目支出", "项目支出绩效自评报告", "项目支出绩效自评"),
    Kind("department", "部门整体支出", "部门整体支出绩效自评报告", "部门整体支出绩效自评"),
    # a form alone may be a project's or the whole unit's (部门整体支出绩效自评表): its name says neither
    Kind("table", "", "绩效自评表", "绩效自评表"),
    Kind("unknown", "", "绩效自评报告（类型未能确定）", "类型未定"),
    Kind(None, "", "非绩效自评文件", "非绩效自评文件"),
)}
