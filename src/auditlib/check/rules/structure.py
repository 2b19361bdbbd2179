"""The outline: headings with nothing under them, heading numbers that skip, repeat or change style, and the
parts a report of its kind must have."""

from __future__ import annotations

import re
from collections import Counter

from auditlib.check.reading import is_excerpt, quote, visibly_ends
from auditlib.check.rule import Params, Rule
from auditlib.extract import Extraction
from auditlib.outline import MAX_TITLE_CHARS, STYLES, Numbering, Section, parse_numbering
from auditlib.record import Finding
from auditlib.vocabulary import KINDS

LEAD_IN = re.compile(r"[:：]\s*$")
MAX_LEAD_IN_CHARS = 40  # a longer paragraph ending with a colon says something itself
MAX_HEADING_SENTENCE = 30  # a numbered line ending with a full stop and longer than this is an item's sentence
# A heading that holds its own content: a figure or verdict (自评得分99分, 目标（无）, …100%。) or a table row's
# numbers (出国经费000). Each entry: (pattern, an example it must match, an example it must not match).
HEADINGS_WITH_CONTENT = (
    (r"[（(]\s*无\s*[)）]\s*$|[:：]\s*无\s*$", "3.未完成的绩效目标（无）", "（三）无偿援助项目"),
    (r"\d\s*(?:分|%|％|万元|元)|[。；;]\s*$", "（一）自评得分99分", "（一）自评得分情况"),
    (r"\d{3,}\s*$|\d+\.\d+\s*$", "2、出国经费000", "2、2021年度目标完成情况"),
    # Its content is attached: 三、主要绩效（附绩效目标自评表）, （二）指标完成情况（详见附件2）.
    (r"[（(]\s*(?:附|详见|见)[^）)]{0,30}(?:表|附件)[^）)]{0,6}[）)]\s*$", "三、主要绩效（附绩效目标自评表）",
     "（三）附件材料报送情况"),
)
HEADING_WITH_CONTENT = re.compile("|".join(f"(?:{pattern})" for pattern, _, _ in HEADINGS_WITH_CONTENT))
REQUIRED_PARTS = {
    "project": (("项目概况", r"概况|基本情况|简介|概述"), ("资金投入和使用情况", r"资金|预算|经费|投入|支出"),
                ("绩效目标完成情况", r"绩效|目标|指标|产出|效益|成效|效果"), ("存在问题", r"问题|不足"),
                ("改进措施或建议", r"建议|措施|改进|下一步|计划"), ("自评结论", r"结论|得分|评分|自评|评价结果")),
    "department": (("部门概况", r"概况|基本情况|职能|职责"), ("整体支出情况", r"支出|预算|资金|经费"),
                   ("绩效目标完成情况", r"绩效|目标|指标|成效|效果"), ("存在问题", r"问题|不足"),
                   ("改进措施或建议", r"建议|措施|改进|下一步"), ("自评结论", r"结论|得分|评分|自评|评价")),
}


def _numbered_sentence(section: Section) -> bool:
    """A numbered item that is a sentence, not a heading: it ends with a full stop and says something (a figure or
    a clause: （1）内设办公室、业务科等5个科室。), where a heading ending so is short (（二）目标完成情况分析。)."""
    text = section.heading_text
    says_something = bool(re.search(r"\d|[，,、；;]", section.title)) or len(section.title) > MAX_HEADING_SENTENCE
    return text.endswith("。") and says_something


def _heading(section: Section) -> str:
    return section.heading_text


FIGURE_CELL = re.compile(r"\s*-?[\d.,]+\s*[%％]?\s*")
MIN_FIGURE_CELLS = 2


def _holds_cells(section) -> bool:
    """A section whose body is mostly bare figures, one per line: a table's row, not a heading's text."""
    texts = [line.text for line in section.body if line.text.strip()]
    figures = sum(1 for text in texts if FIGURE_CELL.fullmatch(text))
    return figures >= MIN_FIGURE_CELLS and figures * 2 >= len(texts)


def section_empty(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A heading with nothing under it (or only a lead-in ending with a colon)."""
    findings = []
    last_line = max((line.line for line in extraction.document.lines if line.text.strip()), default=0)
    # Numbered lines that carry figures are a flattened table's rows: their siblings are rows too, not headings.
    # So are numbered lines whose siblings hold bare figures one per line (a table written one cell per line).
    table_parents = {id(parent) for parent in extraction.outline.root.walk()
                     if any(HEADING_WITH_CONTENT.search(child.title) or _holds_cells(child) for child in parent.children)}
    for section in extraction.outline.sections:
        if section.children or section.line >= last_line or HEADING_WITH_CONTENT.search(section.title) or \
                _numbered_sentence(section) or \
                id(section.parent) in table_parents:
            continue  # a heading at the text's cut, or one that carries its content (（一）自评得分99分)
        texts = [line.text for line in section.body if line.text]
        if texts and not (len(texts) == 1 and LEAD_IN.search(texts[0]) and len(texts[0]) <= MAX_LEAD_IN_CHARS):
            continue
        detail = "下只有引导语“" + texts[0] + "”，没有内容" if texts else "下没有内容"
        findings.append(rule.finding(params, f"标题“{_heading(section)}”{detail}。",
                                 section.path, section.line, quote(extraction, section.line)))
    return findings


def _expected_label(numbering: Numbering, style: str, number: int) -> str:
    return Numbering(style, number, "", "", True).label + ("、" if style in ("cn", "arabic") else "")


def _numbered_paragraph_between(extraction: Extraction, after: int, before: int, style: str, number: int) -> bool:
    """The number a heading skips opens a paragraph between (（一）单位基本情况。本局是…): a heading run into its
    text, read as a paragraph, not a gap."""
    for line in extraction.document.lines[after + 1: before]:
        numbering = parse_numbering(line.text) if line.text and not line.cell else None
        if numbering and numbering.style == style and numbering.number == number:
            return True
    return False


def section_numbering(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """Within one parent, numbers run 1, 2, 3 without gaps or repeats, in one style."""
    findings = []
    for parent in extraction.outline.root.walk():
        children = parent.children
        if not children:
            continue
        styles = Counter(child.numbering.style for child in children)
        # The level's style is the one most siblings use; on a tie, the style of this level in a well-formed report.
        main_style = max(styles, key=lambda s: (styles[s], -abs(STYLES[s][0] - children[0].level)))
        previous = None
        for child in children:
            numbering = child.numbering
            where = (child.path, child.line, quote(extraction, child.line))
            if numbering.style != main_style:
                expected = _expected_label(numbering, main_style, numbering.number)
                siblings = "、".join(f"“{c.numbering.marker}”" for c in children if c.numbering.style == main_style)
                findings.append(rule.finding(
                    params, f"标题“{_heading(child)}”的编号“{numbering.marker}”与同级标题（{siblings}）格式不一致，"
                    f"应写作“{expected}”。", *where, expected=expected, stated=numbering.marker))
            expected_number = (previous.numbering.number + 1) if previous else 1
            if previous and numbering.number == previous.numbering.number:
                findings.append(rule.finding(
                    params, f"标题“{_heading(child)}”与上一标题“{_heading(previous)}”编号重复（{numbering.label}），应为"
                    f"{_expected_label(numbering, numbering.style, expected_number)}。",
                    *where, expected=expected_number, stated=numbering.number))
            elif numbering.number != expected_number and not _numbered_paragraph_between(
                    extraction, previous.index if previous else parent.index, child.index, numbering.style,
                    expected_number):
                after = f"“{_heading(previous)}”之后" if previous else "本级第一个标题"
                findings.append(rule.finding(
                    params, f"编号不连续：{after}是“{_heading(child)}”，应为"
                    f"{_expected_label(numbering, numbering.style, expected_number)}。",
                    *where, expected=expected_number, stated=numbering.number))
            previous = child
    return findings


MIN_REPEATED_TITLE = 4  # 1.数量 under two parents is two tables' rows; a title this long written twice is a copy


def duplicate_titles(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """Two headings of one parent, numbered apart ((一) then (二)) and titled alike: the second part's title was
    copied from the first and not changed, or the first part is written twice. (The same number twice is the
    numbering's finding; a page holding two reports numbers both from 一.)"""
    findings = []
    for parent in extraction.outline.root.walk():
        titled: dict[str, Section] = {}
        for child in parent.children:
            title = re.sub(r"\s", "", child.title).rstrip("。：:")
            first = titled.setdefault(title, child)
            if first is not child and len(title) >= MIN_REPEATED_TITLE \
                    and first.numbering.number != child.numbering.number:
                findings.append(rule.finding(
                    params, f"标题“{_heading(child)}”与第{first.line}行“{_heading(first)}”同级同名，编号不同而标题相同，"
                    "疑为复制后未改标题，请核实。", child.path, child.line, quote(extraction, child.line),
                    expected=first.numbering.label, stated=child.numbering.label))
    return findings


def section_missing(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A part the report kind requires has no heading, in a text that shows its end."""
    return _parts_missing(extraction, params, rule, ends=True)


def section_missing_unended(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A part the report kind requires has no heading, in a text that shows no end: it may hold it further on."""
    return _parts_missing(extraction, params, rule, ends=False, tail="文本未见结尾，该部分可能在其后，请核实。")


def _parts_missing(extraction: Extraction, params: Params, rule: Rule, ends: bool, tail: str = "") -> list[Finding]:
    kind = extraction.facts.kind
    sections = extraction.outline.sections
    if is_excerpt(extraction) or visibly_ends(extraction) != ends:
        return []  # the parts may stand before the excerpt's start or after its cut
    if kind not in REQUIRED_PARTS or len([s for s in sections if s.level == 1]) < 2:
        return []
    titles = " ".join(section.title for section in sections)
    root = extraction.outline.root
    return [
        rule.finding(params, f"报告缺少“{part}”部分（{KINDS[kind].name}应包含）。{tail}",
                 "", None, root.title, expected=part)
        for part, pattern in REQUIRED_PARTS[kind] if not re.search(pattern, titles)
    ]


# The part on the problems found (存在问题, 问题及原因, 不足之处), not one on rectifying earlier ones (整改).
PROBLEMS_HEADING = re.compile(r"存在(?:的)?(?:主要)?(?:问题|不足)|问题(?:及|和|与)(?:原因|建议|改进|不足)|不足之处")
NONE_STATED = re.compile(r"^(?:暂|均|目前|本项目)?(?:无|没有|未发现|不存在)(?:明显|重大|突出|存在)?(?:的)?(?:问题|不足)?[。.；;！!]?$")


def problems_denied(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """The part that must analyse the problems says there are none (无。 暂无。 未发现问题。): nothing to judge
    the self-evaluation's candour by."""
    findings = []
    for section in extraction.outline.sections:
        if section.children or not PROBLEMS_HEADING.search(section.title) or "整改" in section.title:
            continue
        lines = [line for line in section.body if line.text.strip()]
        if len(lines) == 1 and NONE_STATED.match(lines[0].text.strip()):
            words = lines[0].text.strip()
            findings.append(rule.finding(
                params, f"“{_heading(section)}”下只写“{words}”：自评报告应如实分析存在的问题及原因，请核实。",
                section.path, lines[0].line, quote(extraction, lines[0].line), stated=words))
    return findings


# A line opened by a Chinese numeral and a closing bracket only (一)资金投入情况): the opening bracket of （一） lost.
BRACKET_LOST = (re.compile(r"^\s*([一二三四五六七八九十]{1,3})[)）]\s*(?=[\u4e00-\u9fff“《])"), "一)资金投入情况",
                "一）”之后的说明")
MAX_NAMED = 5  # markers a finding names before 等


def _text_lines(extraction: Extraction):
    return [(index, line) for index, line in enumerate(extraction.document.lines)
            if line.text.strip() and not line.cell and "\t" not in line.text]


def markers_without_opening_bracket(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """Items numbered 一)…二)…: （一） with its opening bracket lost. One finding for the report, naming each."""
    lost = [(index, line, match) for index, line in _text_lines(extraction)
            for match in [BRACKET_LOST[0].match(line.text)] if match]
    if not lost:
        return []
    index, line, match = lost[0]
    named = "、".join(f"“{m.group(0).strip()}”" for _, _, m in lost[:MAX_NAMED]) + ("等" if len(lost) > MAX_NAMED else "")
    expected = f"（{match.group(1)}）"
    return [rule.finding(params, f"编号{named}缺少左括号，应写作“{expected}”这样的形式（共{len(lost)}处）。",
                         extraction.outline.section_of(index).path, line.line,
                         quote(extraction, line.line), expected=expected, stated=match.group(0).strip(),
                         count=len(lost))]


def levels_inverted(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A heading numbered 1. (or （1）, ①) whose first item is （一） or 一、: the levels are upside down
    (一、 › （一） › 1. › （1）). Said once: a report that does it does it throughout."""
    lines = _text_lines(extraction)
    # A heading whose siblings are numbered 二、三、 is already named by section.numbering (应写作“一、”).
    named = {section.index for section in extraction.outline.sections
             if any(other.numbering.style != section.numbering.style for other in section.parent.children)}
    for (index, line), (_, following) in zip(lines, lines[1:]):
        if index in named:
            continue
        heading = parse_numbering(line.text.strip())
        if not heading or heading.rank < STYLES["arabic"][0] or heading.number != 1 or \
                len(heading.rest.rstrip("。.：: ")) > MAX_TITLE_CHARS or heading.rest.endswith(("；", ";", "，", ",")):
            continue
        child = parse_numbering(following.text.strip())
        if child and child.style in ("cn", "cn_paren") and child.number == 1:
            return [rule.finding(
                params, f"标题“{heading.marker}{heading.rest[:20]}”用“{heading.marker}”编号，其下第一项却是更高一级的"
                f"“{child.marker}”：层级倒置（应为一、›（一）›1.›（1）），请核实。",
                extraction.outline.section_of(index).path, line.line, quote(extraction, line.line),
                stated=heading.marker, expected=child.label)]
    return []


RULES = (
    Rule("section.empty", "medium", "标题下无内容", "a heading with no content", outline=True, check=section_empty),
    Rule("section.numbering", "low", "标题编号跳号、重号或格式不一", "a numbering gap, duplicate, or a level in another style",
         outline=True, check=section_numbering),
    Rule("section.duplicate_title", "low", "同级标题重名", "two headings of one parent, numbered apart, with one title",
         outline=True, check=duplicate_titles),
    Rule("section.marker", "low", "编号缺少括号", "items numbered 一)…二)…: the opening bracket of （一） lost",
         check=markers_without_opening_bracket),
    Rule("section.levels_inverted", "low", "标题层级倒置", "a heading numbered 1. whose first item is （一）: levels upside down",
         check=levels_inverted),
    Rule("section.missing", "medium", "缺少必备部分", "a part the report kind requires is absent",
         lists_missing_part=True, check=section_missing),
    Rule("section.missing_unended", "low", "未见必备部分（文本未见结尾）",
         "a part the report kind requires is absent from a text that shows no end (no closing part, date or "
         "attachment): it may come later", lists_missing_part=True, check=section_missing_unended),
    Rule("section.no_problems", "low", "存在问题部分称无问题", "the part on problems found says there are none (无。)",
         check=problems_denied),
)
