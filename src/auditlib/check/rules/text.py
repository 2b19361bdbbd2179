"""The text as a whole: template blanks left unfilled, paragraphs repeated in another section, residue of
conversion."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from auditlib.check.reading import quote
from auditlib.check.rule import Params, Rule
from auditlib.check.rules import writing
from auditlib.extract import Extraction
from auditlib.record import Finding

PLACEHOLDER = re.compile(r"_{3,}|＿{2,}|(?<![A-Za-z])[Xx]{2,}(?![A-Za-z])|×{2,}|某某|【[^】]{0,10}填[^】]{0,10}】|\[[^\]]{0,10}填写[^\]]{0,10}\]")
LATIN_WORD = re.compile(r"(?<=[\u4e00-\u9fff，。、；：“”（）\s])([A-Za-z]*[a-z][A-Za-z]*(?:\s+[A-Za-z]+)*)(?=[\s\u4e00-\u9fff，。、；：“”（）])")
LATIN_NEAR_CJK = re.compile(r"[\u4e00-\u9fff]")
UNIT_WORDS = {"km", "kg", "cm", "mm", "ml", "kw", "kwh", "mu", "ha", "m"}
MIN_DUPLICATE_CHARS = 30
ARTIFACT_ZH = {"bookmark": "Word 书签标记", "pinyin": "文库网站插入的拼音注音", "page_number": "孤立的页码", "markdown": "Markdown 标记",
               "split_number": "被分页截断的数字与单位", "split_paragraph": "被分页截断的段落",
               "shared_page": "文库网站的分页编号（页间文字相连）", "lost_characters": "行首因编码错误丢失的字符（显示为问号）"}


# What each kind of blank is called in a memo: the specific masks first, so that a span two patterns match (the XX
# of XX万元, the xx of 20xx) counts once, as the specific kind.
BLANK_KINDS = tuple((pattern, name) for pattern, _, name in writing.MASKED_VALUES) + (
    (writing.MISSING_FIGURE[0], "金额单位前缺少数字"), (PLACEHOLDER, "空白横线或占位符（XX、某某、【请填写】）"))
MAX_LINES_NAMED = 8
BLANK_CONTEXT = 24  # characters shown at most either side of a blank
MIN_LEAD = 4  # a blank this near its clause's opening is shown with the clause before


def _blanks(extraction: Extraction) -> dict[str, list[tuple[int, int, str, int]]]:
    """Every blank left in the text, by kind: (line index, line number, the blank as written, where it starts in
    its line), a span once."""
    blanks: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for index, line in enumerate(extraction.document.lines):
        taken: list[tuple[int, int]] = []
        for pattern, name in BLANK_KINDS:
            for match in pattern.finditer(line.text):
                if any(match.start() < end and start < match.end() for start, end in taken):
                    continue
                taken.append(match.span())
                blanks[name].append((index, line.line_at(match.start()), match.group(0), match.start()))
    return blanks


CLAUSE_MARKS = "，。；,;：:！？!?"


def _clause_around(text: str, start: int, end: int) -> str:
    """The clause holding text[start:end] (the first blank in its words: 预算安排多少万元), with the clause before
    or after where the blank opens or closes its own (2019年，XX省财政厅…), at most BLANK_CONTEXT characters
    either side of it."""
    opening = max(text.rfind(mark, 0, start) for mark in CLAUSE_MARKS) + 1
    if start - opening < MIN_LEAD:
        opening = max(text.rfind(mark, 0, max(opening - 1, 0)) for mark in CLAUSE_MARKS) + 1
    opening = max(opening, start - BLANK_CONTEXT)
    closing = _next_mark(text, end)
    if closing - end < MIN_LEAD:
        closing = _next_mark(text, closing + 1)
    return text[opening:min(closing, end + BLANK_CONTEXT)].strip()


def _next_mark(text: str, position: int) -> int:
    return min([found for found in (text.find(mark, position) for mark in CLAUSE_MARKS) if found >= 0] + [len(text)])


def text_placeholder(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """Template blanks left unfilled (____, XX, 【请填写】), masked values (20xx, **县, %、%、%) and money units
    with no figure before them (其他万元): one finding per kind, with how many and on which lines, at the first."""
    findings = []
    outline = extraction.outline
    for name, blanks in _blanks(extraction).items():
        index, number, written, start = blanks[0]
        numbers = sorted({line for _, line, _, _ in blanks})
        lines = "、".join(map(str, numbers[:MAX_LINES_NAMED])) + ("等" if len(numbers) > MAX_LINES_NAMED else "")
        text = extraction.document.lines[index].text
        around = _clause_around(text, start, start + len(written))
        findings.append(rule.finding(params, f"存在未填写或被遮盖的内容（{name}）共{len(blanks)}处（第{lines}行），"
                                     f"如“{around}”。", outline.section_of(index).path, number,
                                     quote(extraction, number), stated=written, count=len(blanks), lines=numbers))
    covered = {finding.line for finding in findings}
    return findings + [f for f in writing.empty_fields(extraction, params, rule) if f.line not in covered]


def _paragraphs(extraction: Extraction):
    headings = {section.index for section in extraction.outline.sections}
    for index, line in enumerate(extraction.document.lines):
        text = re.sub(r"\s+", "", line.text)
        # (a line of marks alone, a markdown table's rule |---|---|, says nothing twice)
        if index not in headings and not line.cell and "\t" not in line.text and len(text) >= MIN_DUPLICATE_CHARS \
                and re.search(r"\w", text):
            yield index, line, text


def text_duplicate(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
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
                findings.append(rule.finding(params, f"本段与第{earlier.line}行（{where}）的内容重复：“{line.text[:30]}…”。",
                    section.path, line.line, quote(extraction, line.line), first_line=earlier.line))
                break
        seen.append((index, line, text))
    return findings


def text_artifact(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
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
        # A bookmark's text ([bookmark: _Toc…]) is Word's, meaningless to a reader: named, never quoted.
        example = "" if kind == "bookmark" else f"，如“{first.text[:30]}”"
        findings.append(rule.finding(params, f"文中残留{ARTIFACT_ZH.get(kind, kind)}{len(artifacts)}处（第{lines}行）"
                                 f"{example}。", outline.section_of(index).path, first.line,
                                 quote(extraction, first.line), count=len(artifacts), kind=kind))
    for index, line in enumerate(extraction.document.lines):
        if line.cell or not LATIN_NEAR_CJK.search(line.text):
            continue
        for match in LATIN_WORD.finditer(f" {line.text} "):
            word = match.group(1).strip()
            if len(word) < 3 or word.lower() in UNIT_WORDS:
                continue
            number = line.line_at(max(0, match.start(1) - 1))
            findings.append(rule.finding(params, f"中文正文中夹杂英文单词“{word}”。",
                                     outline.section_of(index).path, number, quote(extraction, number),
                                     kind="latin_word", word=word))
    return findings


# A township government named in full: county, town, 镇/乡/街道, 人民政府/办事处 (清河县柳林镇人民政府). Linear: bounded
# repetitions; the county is the text up to the last 县/区/市 before the town.
TOWN_GOVERNMENT = (re.compile(r"[\u4e00-\u9fff]{1,4}[县区市][\u4e00-\u9fff]{1,4}?(?:镇|乡|街道)(?:人民政府|办事处)"),
                   "清河县柳林镇人民政府2023年度下达资金", "清河县人民政府办公室")
MIN_NAMED_TIMES = 3  # the report's own unit is named again and again; another town once is the slip


def _town(name: str) -> tuple[str, str]:
    """(county, town) of a township government's name: 清河县柳林镇人民政府 -> (清河县, 柳林)."""
    core = re.sub(r"(?:镇|乡|街道)(?:人民政府|办事处)$", "", name)
    cut = max(core.rfind(mark) for mark in "县区市") + 1
    return core[max(0, cut - 3):cut], core[cut:]


def unit_name_slip(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A report about one township government (named three times or more) that names another town of the same
    county, once, in the same full form: the name of a report it was copied from."""
    names = []
    for index, line in enumerate(extraction.document.lines):
        for match in TOWN_GOVERNMENT[0].finditer(line.text):
            county, town = _town(match.group(0))
            if county and town:
                names.append((county, town, index, line, match))
    towns = Counter((county, town) for county, town, *_ in names)
    if not towns:
        return []
    (county, own), times = towns.most_common(1)[0]
    if times < MIN_NAMED_TIMES:
        return []
    own_name = next(m.group(0) for c, t, _, _, m in names if (c, t) == (county, own))
    findings = []
    for other_county, town, index, line, match in names:
        if other_county != county or town == own or towns[(other_county, town)] != 1:
            continue
        number = line.line_at(match.start())
        findings.append(rule.finding(
            params, f"报告单位在文中写作“{own_name}”（{times}处），此处却写作“{match.group(0)}”（同{county}另一乡镇，仅此一处），"
            "请核实单位名称。", extraction.outline.section_of(index).path, number, quote(extraction, number),
            expected=own_name, stated=match.group(0)))
    return findings


# A 自评表 row the template offers and the unit left as it was: its label alone (指标2: / 指标2), then nothing
# but the template's ellipsis row (……). Each entry: (pattern, an example it must match, one it must not match).
TEMPLATE_LABEL = (re.compile(r"指标\s{0,3}[0-9０-９一二三四五六七八九十]{1,3}\s{0,3}[:：]?"), "指标2:", "指标2:验收合格率")
TEMPLATE_ELLIPSIS = (re.compile(r"(?:…|\.{3}|。{3}){1,4}"), "……", "……等10项")
MAX_BLANK_CELLS = 12  # the empty cells of the left row before its ellipsis, one per line


def template_rows(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A 自评表 that keeps the template's spare rows (指标2: …… under each group): rows neither filled nor deleted."""
    lines = extraction.document.lines
    texts = [line.text.strip() for line in lines]
    left = []
    for index, text in enumerate(texts):
        if not TEMPLATE_LABEL[0].fullmatch(text):
            continue
        following = (t for t in texts[index + 1:index + 1 + MAX_BLANK_CELLS] if t)
        if TEMPLATE_ELLIPSIS[0].fullmatch(next(following, "")):
            left.append(index)
    if not left:
        return []
    first = lines[left[0]]
    numbers = "、".join(str(lines[i].line) for i in left[:8]) + ("等" if len(left) > 8 else "")
    return [rule.finding(params, f"自评表保留模板中未填写的指标行{len(left)}处（第{numbers}行，如“{texts[left[0]]}”后仅有“……”），"
                                 "应填写指标或删除。", extraction.outline.section_of(left[0]).path, first.line,
                         quote(extraction, first.line), count=len(left))]


RULES = (
    Rule("table.template_rows", "low", "自评表保留未填写的模板行", "a 自评表 keeping the template's spare indicator rows "
         "(指标2: then ……) neither filled nor deleted", check=template_rows),
    Rule("text.placeholder", "low", "模板空白未填写或数值被遮盖", "unfilled template blanks, masked values, empty form fields",
         check=text_placeholder),
    Rule("text.duplicate", "low", "段落重复", "a repeated paragraph", check=text_duplicate),
    Rule("text.unit_name", "low", "单位名称前后不一（同县另一乡镇）", "a township report that names another town of the "
         "same county once, in the full form it uses for its own", check=unit_name_slip),
    Rule("text.artifact", "low", "转换残留", "conversion residue: bookmarks, page numbers, Latin words, markdown",
         check=text_artifact),
)
