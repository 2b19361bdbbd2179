"""The checks that read text and structure rather than tables: sections, blanks, repeats, residue, claims."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from auditlib.check import writing
from auditlib.check.findings import Finding
from auditlib.check.params import CheckParams
from auditlib.extract import Extraction
from auditlib.outline import STYLES, Numbering, Section

STYLE_NAMES = {"cn": "一、", "cn_paren": "（一）", "arabic": "1、", "arabic_paren": "（1）", "circled": "①"}
LEAD_IN = re.compile(r"[:：]\s*$")
MAX_LEAD_IN_CHARS = 40  # a longer paragraph ending with a colon says something itself
# A heading that holds its own content: a figure or verdict (自评得分99分, 目标（无）, …100%。) or a table row's
# numbers (出国经费000). Each entry: (pattern, an example it must match).
HEADINGS_WITH_CONTENT = (
    (r"[（(]\s*无\s*[)）]\s*$|[:：]\s*无\s*$", "3.未完成的绩效目标（无）"),
    (r"\d\s*(?:分|%|％|万元|元)|[。；;]\s*$", "（一）自评得分99分"),
    (r"\d{3,}\s*$|\d+\.\d+\s*$", "2、出国经费000"),
)
HEADING_WITH_CONTENT = re.compile("|".join(f"(?:{pattern})" for pattern, _ in HEADINGS_WITH_CONTENT))
REQUIRED_PARTS = {
    "project": (("项目概况", r"概况|基本情况|简介|概述"), ("资金投入和使用情况", r"资金|预算|经费|投入|支出"),
                ("绩效目标完成情况", r"绩效|目标|指标|产出|效益"), ("存在问题", r"问题|不足"),
                ("改进措施或建议", r"建议|措施|改进|下一步|计划"), ("自评结论", r"结论|得分|评分|自评|评价结果")),
    "department": (("部门概况", r"概况|基本情况|职能|职责"), ("整体支出情况", r"支出|预算|资金|经费"),
                   ("绩效目标完成情况", r"绩效|目标|指标"), ("存在问题", r"问题|不足"),
                   ("改进措施或建议", r"建议|措施|改进|下一步"), ("自评结论", r"结论|得分|评分|自评|评价")),
}
KIND_ZH = {"project": "项目支出", "department": "部门整体支出"}
PLACEHOLDER = re.compile(r"_{3,}|＿{2,}|(?<![A-Za-z])[Xx]{2,}(?![A-Za-z])|×{2,}|某某|【[^】]{0,10}填[^】]{0,10}】|\[[^\]]{0,10}填写[^\]]{0,10}\]")
LATIN_WORD = re.compile(r"(?<=[\u4e00-\u9fff，。、；：“”（）\s])([A-Za-z]*[a-z][A-Za-z]*(?:\s+[A-Za-z]+)*)(?=[\s\u4e00-\u9fff，。、；：“”（）])")
LATIN_NEAR_CJK = re.compile(r"[\u4e00-\u9fff]")
UNIT_WORDS = {"km", "kg", "cm", "mm", "ml", "kw", "kwh", "mu", "ha", "m"}
MIN_DUPLICATE_CHARS = 30
ARTIFACT_ZH = {"bookmark": "Word 书签标记", "pinyin": "文库网站插入的拼音注音", "page_number": "孤立的页码", "markdown": "Markdown 标记",
               "split_number": "被分页截断的数字与单位", "split_paragraph": "被分页截断的段落"}


def _heading(section: Section) -> str:
    return section.heading_text


def _finding(rule: str, severity: str, message: str, section: str, line: int | None, evidence: str,
             **numbers) -> Finding:
    return Finding(rule, severity, message, section, line, evidence, numbers.pop("expected", None),
                   numbers.pop("stated", None), numbers.pop("tolerance", None), numbers)


def _quote(extraction: Extraction, line: int) -> str:
    return extraction.document.raw_line(line).strip()


def section_empty(extraction: Extraction, params: CheckParams, severity: str) -> list[Finding]:
    """A heading with nothing under it (or only a lead-in ending with a colon)."""
    findings = []
    last_line = max((line.line for line in extraction.document.lines if line.text.strip()), default=0)
    # Numbered lines that carry figures are a flattened table's rows: their siblings are rows too, not headings.
    table_parents = {id(parent) for parent in extraction.outline.root.walk()
                     if any(HEADING_WITH_CONTENT.search(child.title) for child in parent.children)}
    for section in extraction.outline.sections:
        if section.children or section.line >= last_line or HEADING_WITH_CONTENT.search(section.title) or \
                id(section.parent) in table_parents:
            continue  # a heading at the text's cut, or one that carries its content (（一）自评得分99分)
        texts = [line.text for line in section.body if line.text]
        if texts and not (len(texts) == 1 and LEAD_IN.search(texts[0]) and len(texts[0]) <= MAX_LEAD_IN_CHARS):
            continue
        detail = "下只有引导语“" + texts[0] + "”，没有内容" if texts else "下没有内容"
        findings.append(_finding("section.empty", severity, f"标题“{_heading(section)}”{detail}。",
                                 section.path, section.line, _quote(extraction, section.line)))
    return findings


def _expected_label(numbering: Numbering, style: str, number: int) -> str:
    return Numbering(style, number, "", "", True).label + ("、" if style in ("cn", "arabic") else "")


def section_numbering(extraction: Extraction, params: CheckParams, severity: str) -> list[Finding]:
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
            where = (child.path, child.line, _quote(extraction, child.line))
            if numbering.style != main_style:
                expected = _expected_label(numbering, main_style, numbering.number)
                siblings = "、".join(f"“{c.numbering.marker}”" for c in children if c.numbering.style == main_style)
                findings.append(_finding(
                    "section.numbering", severity,
                    f"标题“{_heading(child)}”的编号“{numbering.marker}”与同级标题（{siblings}）格式不一致，应写作“{expected}”。",
                    *where, expected=expected, stated=numbering.marker))
            expected_number = (previous.numbering.number + 1) if previous else 1
            if previous and numbering.number == previous.numbering.number:
                findings.append(_finding(
                    "section.numbering", severity,
                    f"标题“{_heading(child)}”与上一标题“{_heading(previous)}”编号重复（{numbering.label}），应为"
                    f"{_expected_label(numbering, numbering.style, expected_number)}。",
                    *where, expected=expected_number, stated=numbering.number))
            elif numbering.number != expected_number:
                after = f"“{_heading(previous)}”之后" if previous else "本级第一个标题"
                findings.append(_finding(
                    "section.numbering", severity,
                    f"编号不连续：{after}是“{_heading(child)}”，应为"
                    f"{_expected_label(numbering, numbering.style, expected_number)}。",
                    *where, expected=expected_number, stated=numbering.number))
            previous = child
    return findings


def section_missing(extraction: Extraction, params: CheckParams, severity: str) -> list[Finding]:
    """A part the report kind requires has no heading."""
    kind = extraction.facts.kind
    sections = extraction.outline.sections
    if is_excerpt(extraction):
        return []  # the parts may stand before the excerpt's start or after its cut
    if kind not in REQUIRED_PARTS or len([s for s in sections if s.level == 1]) < 2:
        return []
    titles = " ".join(section.title for section in sections)
    root = extraction.outline.root
    ended = visibly_ends(extraction)
    severity = severity if ended else "low"  # a text that shows no end may hold the part further on
    tail = "" if ended else "文本未见结尾，该部分可能在其后，请核实。"
    return [
        _finding("section.missing", severity, f"报告缺少“{part}”部分（{KIND_ZH[kind]}绩效自评报告应包含）。{tail}",
                 "", None, root.title, expected=part)
        for part, pattern in REQUIRED_PARTS[kind] if not re.search(pattern, titles)
    ]


def text_placeholder(extraction: Extraction, params: CheckParams, severity: str) -> list[Finding]:
    """Template blanks left unfilled (____, XX, 【请填写】), masked values (20xx, **县, %、%、%) and money units
    with no figure before them (其他万元)."""
    findings = []
    outline = extraction.outline
    patterns = (PLACEHOLDER,) + tuple(pattern for pattern, _ in writing.MASKED_VALUES + (writing.MISSING_FIGURE,))
    for index, line in enumerate(extraction.document.lines):
        match = next((m for m in (pattern.search(line.text) for pattern in patterns) if m), None)
        if match:
            number = line.line_at(match.start())
            findings.append(_finding("text.placeholder", severity,
                                     f"存在未填写或被遮盖的内容“{line.text.strip()[:40]}”。",
                                     outline.section_of(index).path, number, _quote(extraction, number),
                                     stated=match.group(0)))
    covered = {finding.line for finding in findings}
    return findings + [f for f in writing.empty_fields(extraction, params, severity) if f.line not in covered]


def _paragraphs(extraction: Extraction):
    headings = {section.index for section in extraction.outline.sections}
    for index, line in enumerate(extraction.document.lines):
        text = re.sub(r"\s+", "", line.text)
        if index not in headings and not line.cell and "\t" not in line.text and len(text) >= MIN_DUPLICATE_CHARS:
            yield index, line, text


def text_duplicate(extraction: Extraction, params: CheckParams, severity: str) -> list[Finding]:
    """A paragraph repeated (whole, or inside a longer one) in another section."""
    findings = []
    outline = extraction.outline
    seen: list[tuple[int, object, str]] = []
    for index, line, text in _paragraphs(extraction):
        section = outline.section_of(index)
        for earlier_index, earlier, earlier_text in seen:
            if outline.section_of(earlier_index) is section:
                continue
            if text in earlier_text or earlier_text in text:
                where = outline.section_of(earlier_index).path or "开头"
                findings.append(_finding(
                    "text.duplicate", severity,
                    f"本段与第{earlier.line}行（{where}）的内容重复：“{line.text[:30]}…”。",
                    section.path, line.line, _quote(extraction, line.line), first_line=earlier.line))
                break
        seen.append((index, line, text))
    return findings


def text_artifact(extraction: Extraction, params: CheckParams, severity: str) -> list[Finding]:
    """Residue of conversion: bookmarks, stray page numbers, markdown, page-break splits, Latin words in Chinese."""
    findings = []
    outline = extraction.outline
    by_kind = defaultdict(list)
    for artifact in extraction.document.artifacts:
        by_kind[artifact.kind].append(artifact)
    for kind, artifacts in by_kind.items():
        first = artifacts[0]
        index = next((i for i, line in enumerate(extraction.document.lines) if first.line in line.source_lines), 0)
        numbers = sorted({a.line for a in artifacts})
        lines = "、".join(map(str, numbers[:8])) + ("等" if len(numbers) > 8 else "")
        findings.append(_finding("text.artifact", severity,
                                 f"文中残留{ARTIFACT_ZH.get(kind, kind)}{len(artifacts)}处（第{lines}行），"
                                 f"如“{first.text[:30]}”。", outline.section_of(index).path, first.line,
                                 _quote(extraction, first.line), count=len(artifacts), kind=kind))
    for index, line in enumerate(extraction.document.lines):
        if line.cell or not LATIN_NEAR_CJK.search(line.text):
            continue
        for match in LATIN_WORD.finditer(f" {line.text} "):
            word = match.group(1).strip()
            if len(word) < 3 or word.lower() in UNIT_WORDS:
                continue
            number = line.line_at(max(0, match.start(1) - 1))
            findings.append(_finding("text.artifact", severity, f"中文正文中夹杂英文单词“{word}”。",
                                     outline.section_of(index).path, number, _quote(extraction, number),
                                     kind="latin_word", word=word))
    return findings


# Claims a report makes about itself and admissions of a shortfall, read anywhere in the text. Each entry:
# (pattern, what it says, an example it must match, an example it must not match). A claim or admission
# preceded by a word of intent or negation (力争全面完成, 不存在未完成) is neither.
CLAIMS = (
    (r"(?:全面|全部|均已?|圆满|100%)(?:按期|如期)?完成(?:了)?(?:年度|全年|既定|预期|各项)?(?:绩效)?(?:目标|任务|指标)",
     "targets_met", "全面完成了年度绩效目标", "未能全面完成年度目标"),
    # 全部拨付到位 says the money arrived, not that it was spent: not this claim.
    (r"全(?:面|部|额)(?:拨付)?(?:支付|支出|使用|执行)(?:完毕)?", "fully_spent", "资金已全部拨付使用", "资金全部拨付到位"),
    (r"(?:暂无|没有|不存在|无)[^。；，,]{0,20}问题", "no_problem", "运转正常，暂无问题", "存在以下问题"),
)
ADMISSIONS = (
    (r"(?:绩效)?目标(?:任务)?未(?:能)?(?:完成|实现|达到|达成)(?!情况)", "target_missed",
     "部分绩效目标未完成", "绩效目标未完成情况及原因：无"),
    (r"未(?:能)?(?:完成|实现|达到)(?:预期|既定|年度|全年)?(?:绩效)?(?:目标|任务|指标值?)(?!情况)", "target_missed",
     "受疫情影响未能完成年度任务", "确保不出现未完成任务"),
    (r"(?:部分|个别|\d+项|\d+个)(?:指标|目标|任务)(?:值)?未(?:完成|达到|达标|实现)", "target_missed",
     "个别指标未达到预期", "各项指标均已达到"),
    (r"未严格(?:按照|执行|遵守|落实)[^。；]*|执行不到位", "weakness",
     "执行过程中未严格按照制度执行", "严格按照制度执行"),
    (r"未(?:将|能)?[^。；，]{0,16}细化分解[^。；]*", "weakness", "未将绩效目标细化分解为具体指标", "已将目标细化分解"),
    (r"无本单位的[^。；]{0,10}(?:办法|制度)", "weakness", "无本单位的资金管理办法", "制定了本单位的资金管理办法"),
    (r"(?:当年|全年|年内|年度)未(?:使用|支出|支付)|执行率(?:为|仅)?\s*0(?:\.0+)?%", "unspent",
     "当年未使用，预算执行率0%", "未使用资金已按规定上缴"),
)
NOT_A_STATEMENT = re.compile(r"(?:力争|确保|争取|计划|将要|应当|应|要|避免|防止|杜绝|如|若|如果|无|不存在|没有|未发现|不出现|不发生|未能|没能|尚未|未)\s*$")
# Which admission (or figure) contradicts which claim, and how sure the contradiction is.
CONTRADICTS = {
    ("targets_met", "target_missed"): "high",  # 全面完成目标 against 目标未完成: the report contradicts itself
    ("top_grade", "target_missed"): "medium",  # 优 allows some missed targets: a question
    ("top_grade", "weakness"): "medium",
    ("fully_spent", "unspent"): "medium",  # the spending claimed may be another fund's
    ("fully_spent", "rate_below_full"): "medium",
    ("no_problem", "rate_low"): "medium",
}
_CLAIMS = tuple((re.compile(pattern), kind) for pattern, kind, _, _ in CLAIMS)
_ADMISSIONS = tuple((re.compile(pattern), kind) for pattern, kind, _, _ in ADMISSIONS)


def _statements(extraction: Extraction, entries) -> list[tuple[str, str, int, int, int]]:
    """(kind, words, line, index, start) of each entry's first match per line outside headings that is not a
    statement of intent or a negation."""
    headings = {section.index for section in extraction.outline.sections}
    found = []
    for index, line in enumerate(extraction.document.lines):
        if index in headings or not line.text:
            continue
        for pattern, kind in entries:
            match = next((m for m in pattern.finditer(line.text)
                          if not NOT_A_STATEMENT.search(line.text[max(0, m.start() - 4): m.start()])), None)
            if match:
                found.append((kind, match.group(0), line.line_at(match.start()), index, match.start()))
    return found


def claim_contradiction(extraction: Extraction, params: CheckParams, severity: str) -> list[Finding]:
    """A claim (全面完成目标, a top grade, 全部拨付, 暂无问题) against an admission or a figure of the same report
    (目标未完成, 执行不到位, 当年未使用, an execution rate below 90%). Only a completion claim against a missed
    target is certain (high, the catalogue's severity); the rest are questions (medium)."""
    facts = extraction.facts
    claims = _statements(extraction, _CLAIMS)
    if facts.grade == "优" or (facts.self_score is not None and params.grade_excellent is not None
                               and facts.self_score >= params.grade_excellent):
        evidence = facts.evidence.get("grade") or facts.evidence.get("self_score")
        words = f"等级“{facts.grade}”" if facts.grade == "优" else f"得分{facts.self_score:g}分"
        claims.append(("top_grade", words, evidence.line if evidence else None, -1, -1))
    if not claims:
        return []
    admissions = _statements(extraction, _ADMISSIONS) + _rate_admissions(extraction, params)
    findings, seen = [], set()
    for admission_kind, admitted, line, index, start in admissions:
        for claim_kind, claimed, claim_line, claim_index, claim_start in claims:
            level = CONTRADICTS.get((claim_kind, admission_kind))
            if level is None or line in seen or (index == claim_index and abs(start - claim_start) < len(claimed)):
                continue
            seen.add(line)
            where = f"（第{claim_line}行）" if claim_line else ""
            section = extraction.outline.section_of(index).path if index >= 0 else ""
            findings.append(_finding(
                "claim.contradiction", severity if level == "high" else level,
                f"报告称“{claimed}”{where}，但文中又写“{admitted[:40]}”（第{line}行），前后矛盾" +
                ("。" if level == "high" else "，请核实。"),
                section, line, _quote(extraction, line),
                stated=(facts.grade or facts.self_score) if claim_kind == "top_grade" else claimed, admission=admitted[:40],
                claim_line=claim_line))
            break
    return findings


def _rate_admissions(extraction: Extraction, params: CheckParams) -> list[tuple[str, str, int, int, int]]:
    """Stated execution rates as admissions: below 100% (not all spent), below the low bound (a problem)."""
    found = []
    lines = extraction.document.lines
    for rate in extraction.rates:
        if rate.kind != "execution":
            continue
        index = next((i for i, line in enumerate(lines) if rate.evidence.line in line.source_lines), -1)
        if rate.value + rate.half_width < params.low_execution_rate:
            found.append(("rate_low", f"执行率{rate.raw}", rate.evidence.line, index, -1))
        if rate.value + rate.half_width < 1:
            found.append(("rate_below_full", f"执行率{rate.raw}", rate.evidence.line, index, -1))
    facts = extraction.facts
    evidence = facts.evidence.get("execution_rate")
    if facts.execution_rate is not None and evidence and facts.execution_rate < params.low_execution_rate \
            and not any(kind == "rate_low" for kind, *_ in found):
        spent, budget = facts.execution_spent_wan, facts.budget_wan
        detail = f"（{spent:g}÷{budget:g}）" if spent is not None and budget else ""
        index = next((i for i, line in enumerate(lines) if evidence.line in line.source_lines), -1)
        found.append(("rate_low", f"执行率{facts.execution_rate * 100:.1f}%{detail}", evidence.line, index, -1))
    return found


def not_self_evaluation(extraction: Extraction, params: CheckParams, severity: str) -> list[Finding]:
    """The document is not a self-evaluation (a 部门决算 or 预算 document, an audit report): say what it is."""
    facts = extraction.facts
    if facts.kind is not None:
        return []
    evidence = facts.evidence.get("kind")
    line = evidence.line if evidence else 1
    return [_finding("document.not_self_evaluation", severity,
                     f"该文件不是绩效自评报告（{facts.kind_reason}），未按自评报告审核。",
                     evidence.section if evidence else "", line,
                     evidence.quote if evidence else extraction.outline.root.title)]


def starts_mid_report(extraction: Extraction) -> bool:
    """The first heading is numbered past the first (（二）…, 三、…): the text starts inside a report."""
    sections = extraction.outline.sections
    return bool(sections) and sections[0].numbering.number > 1


# How a whole report (or form) ends: a closing phrase, a signature date, an attachment, the form's contact
# lines. Each entry: (pattern, an example it must match); looked for in the last lines only.
ENDINGS = (
    (r"特此(?:报告|说明)", "特此报告。"),
    (r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$", "2023年3月20日"),
    (r"^附(?:件|表)\s*\d*\s*[:：、.]?[^。]{0,30}$", "附件：项目支出绩效自评表"),
)
# The parts a report closes with: a text whose last part is one of them has reached its end.
CLOSING_PARTS = re.compile(r"建议|改进|措施|下一步|其他需要说明|其他说明")
CUT_MARKERS = re.compile(r"(?:显示|展开|查看|阅读)全文|点击(?:查看|阅读)更多|未完[，,]?待续")
ENDING_LINES = 3  # a form's contact lines and an attachment list may open a page: only its very end counts
_ENDINGS = re.compile("|".join(f"(?:{pattern})" for pattern, _ in ENDINGS))


def visibly_ends(extraction: Extraction) -> bool:
    """The text shows its end: a closing phrase, date or attachment in its last lines, or a closing part last."""
    last_lines = [line.text.strip() for line in extraction.document.lines if line.text.strip()][-ENDING_LINES:]
    if any(CUT_MARKERS.search(text) for text in last_lines):
        return False  # a page that shows only the start of a document (显示全文)
    if any(_ENDINGS.search(text) for text in last_lines):
        return True
    top = [section for section in extraction.outline.sections if section.level == 1]
    return bool(top) and bool(CLOSING_PARTS.search(top[-1].title))


def is_excerpt(extraction: Extraction) -> bool:
    """The text is part of a report: it starts inside one or stops mid-sentence."""
    return extraction.document.ends_mid_sentence or starts_mid_report(extraction)


def truncated(extraction: Extraction, params: CheckParams, severity: str) -> list[Finding]:
    """The text starts inside a report or stops mid-sentence: say so, since what is missing may lie outside."""
    if not is_excerpt(extraction):
        return []
    if starts_mid_report(extraction):
        first = extraction.outline.sections[0]
        where, line, what = first.path, first.line, f"从“{first.heading_text}”开始"
    else:
        last = next(line for line in reversed(extraction.document.lines) if line.text)
        where, line = extraction.outline.section_of(extraction.document.lines.index(last)).path, last.line
        what = "在句中结束"
    return [_finding("document.truncated", severity,
                     f"文本{what}，可能只是报告的一部分（节选或文件不全）；未检查是否缺少必备部分和自评总分。",
                     where, line, _quote(extraction, line))]


def kind_unknown(extraction: Extraction, params: CheckParams, severity: str) -> list[Finding]:
    """The kind could not be decided: the report is still checked, and the auditor is told so."""
    facts = extraction.facts
    if facts.kind != "unknown":
        return []
    return [_finding("document.kind_unknown", severity,
                     f"未能确定报告类型（{facts.kind_reason}）；已按绩效自评报告检查，请核实文件性质。",
                     "", 1, extraction.outline.root.title)]
