"""Report meta: the unit, its region, the fiscal year evaluated, the report kind, the project name."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from auditlib.extract.model import Evidence
from auditlib.ingest import Line
from auditlib.numbers import chinese_to_int
from auditlib.outline import Outline

# Characters that never stand in a place name; they keep "2021年初市财政局" from reading as a place "年初市".
_NOT_PLACE = "年月日的了在和与及是为对把被向从于将各本全该每我其等中上下内外前后由按之共以做到已经这那"
_PLACE = rf"[^\W\d_A-Za-z{_NOT_PLACE}]"
# Atomic and at most six levels (省 市 区 县 …): a region is read one way, never re-split, so matching stays linear.
# A region never opens with a verb or a preposition (根据市…, 配合省…), nor with a field's label glued to the name
# (发布机构区财政局, 主管部门县农业农村局): those are the sentence's or the page's, not the place's.
# The name then starts right after such a word (纳入南县财政局…, 设立清河市应急管理局).
GLUED_BEFORE_NAME = ("申报", "报送", "纳入", "支付", "听取", "加强", "设立", "批准", "承担", "近期", "地址", "所属", "主管",
                     "发布", "人员", "部门", "填报人", "填报单位", "受", "称", "题")
_NOT_REGION_START = (r"(?!根据|依据|据|按照|配合|关于|通过|经过|为了|会同|组织|协调|督促|指导|名称|项目|单位|机构|填报|"
                     + "|".join(GLUED_BEFORE_NAME) + ")")
REGION_SUFFIX = "省|自治区|自治州|自治县|自治旗|地区|经济技术开发区|高新技术产业开发区|经济开发区|开发区|市|区|县|旗|盟"
# Counties named by one character (南县, 单县, 歙县): any other place takes two or more, so that 本县, 全县 and a verb's
# last character (纳入南县 read as 纳入南 + 县) are no place.
ONE_CHARACTER_COUNTIES = "南沙赵盂祁滑浚蠡泾歙黟萧费单曹莒冠莘沛丰易磁雄献魏唐涉眉乾礼岷漳杞睢息淇温郏叶泸珙兴代绛隰寿泗蒲澧宾凤勉佳文康成徽环"
REGION_RE = (rf"(?>{_NOT_REGION_START}(?:(?:{_PLACE}{{2,5}}?(?:{REGION_SUFFIX})|[{ONE_CHARACTER_COUNTIES}]县)"
             rf"(?:{_PLACE}{{2,5}}?(?:{REGION_SUFFIX})){{0,5}}))")
# Not 各机关各行业协会 (a list of bodies), 网站 (a web site), 版权所有 (a page's footer).
ORG_RE = (r"(?:工商联|(?!各|[^\W\d_]{0,10}网站)[^\W\d_]{0,10}?(?:工商业联合会|联合会|委员会|总工会|局|办公室|中心|学校|小学|中学|大学|学院|"
          r"医院|协会|研究院|馆|站|所(?!有)|厅|联络处|办事处))")
# A name starts a phrase: at a line start, after punctuation, or after a particle (是, 由, 对 …), so
# "贯彻执行重庆市…" does not read as a place called 执行重庆市; never right after a figure (1805.45万元吉林省…).
_NAME_START = (r"(?:(?<![^\W_])|(?<=[的在由对和与及是为向了据经即附])|"
               + "|".join(f"(?<={word})" for word in GLUED_BEFORE_NAME) + ")")
UNIT_RE = re.compile(rf"{_NAME_START}(?P<region>{REGION_RE})(?P<org>{ORG_RE})")
# Short and full names of one kind of organisation, so 东城区工商联 and 北京市东城区工商业联合会 match.
ORG_ALIASES = {"工商联": "工商业联合会"}
TITLE_YEAR_RE = re.compile(r"(\d{4})\s*年度?")
REPORT_TITLE = re.compile(r"(?:自评|评价)报告|自评表|评价结果")
TITLE_SCAN, MAX_TITLE_CHARS = 20, 100
YEAR_RE = re.compile(r"(?:(?P<before>截至|截止|至)\s*)?(?P<year>(?:19|20)\d{2})\s*年(?P<after>度|初|底|末|\s*\d{1,2}\s*月)?")
# The field that dates a report (填报日期, 评价时间): when it was written, not the year it evaluates.
DATE_FIELD = r"(?:评价|上报|报告|填报|编制|报送|自评|完成)(?:时间|日期)"
# The same field inside a line (a form's header run together: …填报日期:2017年6月-8-一、基本情况…).
DATE_FIELD_BEFORE = re.compile(rf"{DATE_FIELD}\s*[:：]?\s*$")
# A date line of the title block or signature, alone or as a field (评价时间：2014年5月15日): when it was written.
DATE_LINE_RE = re.compile(
    rf"^(?:{DATE_FIELD}[:：]?)?"
    r"(?P<year>(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<month>[\d一二三四五六七八九十]{1,2})\s*月"
    r"(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?$"
)
# A self-evaluation is written after the year it evaluates, most in its first half; one dated up to September
# that names no earlier year evaluates the year before.
LAST_MONTH_OF_EVALUATION_SEASON = 9
PROJECT_NAME_RE = re.compile(r"项目名称\s*[:：]\s*(?P<name>[^\s，。；]{2,40})")
TITLE_PROJECT_RE = re.compile(r"^(?:\d{4}\s*年度?)?(?P<name>.{2,40}?)项目(?:支出)?(?:绩效)?(?:自评|评价)报告$")
QUOTED_PROJECT_RE = re.compile(r"“(?P<name>[^”]{4,30})”\s*(?:项目|经费)")


@dataclass(frozen=True)
class UnitMention:
    """A unit name found in the text, split into its region and organisation."""

    name: str
    region: str
    org: str
    line: int

    @property
    def org_kind(self) -> str:
        """The organisation with aliases folded (工商联 and 工商业联合会 are one kind)."""
        return ORG_ALIASES.get(self.org, self.org)

    @property
    def place(self) -> str:
        """The most local place of the region (东城区 of 北京市东城区)."""
        parts = re.findall(r".+?(?:自治区|自治州|地区|省|市|区|县|旗|盟)", self.region)
        return parts[-1] if parts else self.region


def unit_mentions(lines: list[Line]) -> list[UnitMention]:
    """Every region-qualified organisation name in the lines."""
    found = []
    for line in lines:
        for match in UNIT_RE.finditer(line.text):
            found.append(UnitMention(match.group(0), match.group("region"), match.group("org"), line.line))
    return found


def _fullest(mentions: list[UnitMention]) -> UnitMention:
    return max(mentions, key=lambda m: (len(m.region), m.org == m.org_kind, len(m.name)))


def find_unit(outline: Outline) -> UnitMention | None:
    """The unit that wrote the report: named in the title or signature, else the unit the body talks about."""
    lines = [line for line in outline.document.lines if line.text]
    if not lines:
        return None
    all_mentions = unit_mentions(lines)
    if not all_mentions:
        return None
    title_lines = [line for line in outline.root.body if line.text and len(line.text) <= 50][:8]
    # The document's own title (…自评报告, however long) names its writer before a page's publisher field does.
    own_title = [line for line in outline.root.body[:TITLE_SCAN]
                 if line.text and len(line.text) <= MAX_TITLE_CHARS and REPORT_TITLE.search(line.text)][:2]
    signature = [line for line in lines[-6:] if len(line.text) <= 40]
    text = outline.document.text

    def same_unit(mention: UnitMention) -> list[UnitMention]:
        return [m for m in all_mentions if m.org_kind == mention.org_kind and mention.place in m.region]

    for block in (unit_mentions(own_title), unit_mentions(title_lines), unit_mentions(signature)):
        if block:
            return _fullest(same_unit(block[0]) or block)
    title_text = " ".join(line.text for line in title_lines)
    kinds = Counter(m.org_kind for m in all_mentions)
    for kind in kinds:
        if kind in title_text or any(alias in title_text for alias, full in ORG_ALIASES.items() if full == kind):
            kinds[kind] += 100
    best_kind = kinds.most_common(1)[0][0]
    candidates = [m for m in all_mentions if m.org_kind == best_kind]
    # In the order first named, so that a tie goes to the first, the same on every run.
    best_place = max(dict.fromkeys(m.place for m in candidates), key=lambda place: text.count(place.rstrip("市区县")))
    return _fullest([m for m in candidates if m.place == best_place])


def _year_value(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_to_int(text)


@dataclass(frozen=True)
class WrittenDate:
    """When the report was written, from a date line: its year, month (None when unreadable) and line."""

    year: int
    month: int | None
    line: int


def find_written_date(outline: Outline) -> WrittenDate | None:
    """The date the report was written, from a date line in its title block or signature."""
    lines = [line for line in outline.document.lines if line.text]
    for line in outline.root.body + lines[-6:]:
        match = DATE_LINE_RE.match(line.text.replace(" ", ""))
        if match:
            year = _year_value(match.group("year"))
            if year:
                return WrittenDate(year, _year_value(match.group("month")), line.line)
    return None


def _in_evaluation_season(written: WrittenDate | None) -> bool:
    return bool(written and written.month and written.month <= LAST_MONTH_OF_EVALUATION_SEASON)


def find_fiscal_year(outline: Outline, written: WrittenDate | None) -> tuple[int, int] | None:
    """The fiscal year evaluated: stated in the title, else the year the text reports on most, else the year
    before a report dated in the evaluation season: (year, line)."""
    for line in outline.root.body:
        # 报告日期：2019年06月18日 says when the report was written, not the year it evaluates.
        if line.text and len(line.text) <= 50 and ("报告" in line.text or "自评" in line.text) \
                and not DATE_LINE_RE.match(line.text.replace(" ", "")):
            match = TITLE_YEAR_RE.search(line.text)
            if match:
                return int(match.group(1)), line.line
    weights: Counter[int] = Counter()
    first_line: dict[int, int] = {}
    written_year = written.year if written else None
    for line in outline.document.lines:
        if DATE_LINE_RE.match(line.text.replace(" ", "")):
            continue  # when it was written, not what it evaluates
        for match in YEAR_RE.finditer(line.text):
            year = int(match.group("year"))
            after = (match.group("after") or "").strip()
            if written_year and year > written_year or \
                    DATE_FIELD_BEFORE.search(line.text, max(0, match.start() - 12), match.start()):
                continue
            if year == written_year and after != "度" and _in_evaluation_season(written):
                continue  # this year's plans or budget preparation, written while evaluating the last one
            weight = 3 if after == "度" or (match.group("before") and "12" in after) else 1
            weights[year] += weight
            first_line.setdefault(year, line.line)
    if not weights:
        if written and _in_evaluation_season(written):
            return written.year - 1, written.line
        return None
    year = max(weights, key=lambda y: (weights[y], y))
    return year, first_line[year]


def clean_project_name(name: str, unit: UnitMention | None) -> str:
    """Strip the year, the unit and 项目 from a project title: 2018年东城区工商联会员服务经费 → 会员服务经费."""
    name = re.sub(r"^\s*\d{4}\s*年度?", "", name.strip("“”\"' "))
    prefixes = []
    if unit:
        prefixes = [unit.name, unit.region + unit.org, unit.place + unit.org, unit.org, unit.org_kind]
        prefixes += [alias for alias, full in ORG_ALIASES.items() if full == unit.org_kind]
    changed = True
    while changed:
        changed = False
        match = re.match(REGION_RE, name)
        if match and len(match.group(0)) < len(name) - 2:
            name, changed = name[match.end():], True
        for prefix in sorted(set(prefixes), key=len, reverse=True):
            if prefix and name.startswith(prefix) and len(name) > len(prefix) + 1:
                name, changed = name[len(prefix):], True
    name = re.sub(r"(?:项目)?(?:绩效自评报告|自评报告|绩效报告)?$", "", name)
    return re.sub(r"项目$", "", name) or name


def find_project_name(outline: Outline, unit: UnitMention | None) -> tuple[str, int] | None:
    """The project evaluated, from 项目名称, a title ending in 项目, or a quoted “…”项目."""
    lines = [line for line in outline.document.lines if line.text]
    for index, line in enumerate(lines):
        match = PROJECT_NAME_RE.search(line.text)
        if match:
            return clean_project_name(match.group("name"), unit), line.line
        if line.text == "项目名称" and index + 1 < len(lines):
            return clean_project_name(lines[index + 1].text, unit), lines[index + 1].line
    for line in outline.root.body:
        if line.text and len(line.text) <= 40 and re.search(r"项目$", line.text):
            return clean_project_name(line.text, unit), line.line
        match = TITLE_PROJECT_RE.match(line.text)
        if match and len(clean_project_name(match.group("name"), unit)) >= 2:
            return clean_project_name(match.group("name"), unit), line.line
    for line in lines:
        match = QUOTED_PROJECT_RE.search(line.text)
        if match:
            return clean_project_name(match.group("name"), unit), line.line
    return None


def evidence_at(outline: Outline, line_number: int) -> Evidence:
    """Evidence for a source line: its section path and the line as written."""
    document = outline.document
    index = next((i for i, line in enumerate(document.lines) if line_number in line.source_lines), 0)
    return Evidence(line_number, outline.section_of(index).path, document.raw_line(line_number).strip())
