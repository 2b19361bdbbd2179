"""Checks of the writing itself: brackets and quotes left open, malformed dates, words and clauses written
twice, doubled punctuation, form fields left empty, masked values and item numbers repeated inside a line.

Each pattern is data with an example it must find (and the tests check every example). Every pattern is
linear: bounded repetitions, no nested quantifiers; a backreference repeats a group of bounded length.
Lines of a flattened table are skipped: cells run together there (专款专用专款专用) without any error.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict

from auditlib.check.rule import Params, Rule
from auditlib.extract import Extraction
from auditlib.extract.tables import reads_like_table
from auditlib.ingest import cells_text
from auditlib.numbers import chinese_to_int
from auditlib.record import Finding


PAIRS = (("（", "）"), ("(", ")"), ("〔", "〕"), ("《", "》"), ("〈", "〉"), ("“", "”"), ("【", "】"), ("[", "]"))
OPENERS = frozenset(opening for opening, _ in PAIRS)
PAIR_CONTEXT = (6, 30)  # characters quoted on the near and the far side: a mark left open, with what follows it
# 1) and a) open a list item; they are not a bracket left open.
LIST_ITEM_CLOSER = re.compile(r"(?:^|[。；;：:，,\s])[\da-zA-Z一二三四五六七八九十]{1,2}[)）]")
SENTENCE_END = "。！？；;!?）)”"

# Dates written without 年 or 月, or that cannot exist.
MALFORMED_DATES = (
    (re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{1,2})\s*月"), "截至201912月"),
    (re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{1,2})(\d{2})\s*日"), "项目建设周期为2021325日至2021418日"),
    (re.compile(r"日期\s*[:：]\s*((?:19|20)\d{2})(\d{2})(\d{0,2})(?![\d年.])"), "填报日期:202511"),
    (re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*([IlOo|])\s*月"), "2021年I月"),
    # A year one digit short (202年1月11日), or written with 月 for 年 (2023月6月): a date, since a month follows.
    (re.compile(r"(?<![\d.．,，])((?:19|20)\d)\s*年\s*(\d{1,2})\s*月"), "资金于202年1月11日到位"),
    (re.compile(r"(?<![\d.．,，])((?:19|20)\d{2})\s*月\s*(\d{1,2})\s*月"), "实施期限为2022年3月—2023月6月"),
    # A year one digit short before 年度 (项目名称：201年度…), or in Chinese numerals (二0四年十月); a month left
    # out between 年 and 日 or the clause's end (2014年月, 2014年月日).
    (re.compile(r"(?<![\d.．,，])((?:19|20)\d)\s*年度"), "项目名称:201年度农田水利建设项目"),
    (re.compile(r"(?<![〇零○0-9一二三四五六七八九])二[〇零○0][〇零○0-9一二三四五六七八九]年[一二三四五六七八九十\d]{1,3}月"),
     "管理处二0四年十月"),
    (re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*月(?=\s*(?:日|$|[，。,;；)）]))"), "报告日期：2014年月"),
)
# A span of years that ends before it begins (纲要(2011—2010年)). (pattern, an example, a span that is right)
YEAR_SPAN = (re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年\s*)?[—–\-－~～至到]\s*((?:19|20)\d{2})\s*年"),
             "《扶贫开发纲要(2011—2010年)》", "《扶贫开发纲要(2011—2020年)》")
DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")

# A word (2 to 6 characters) written twice in a row: 部门部门, 对象对象. Single characters double in good
# Chinese (人人, 年年) and are left alone.
# Not before a digit: a form's row label follows its group's name (数量指标 | 指标1:…, flattened 数量指标指标1:).
# Not from the last character of a body's name: bodies listed without 、 (图书馆文化馆文化站) repeat across their names.
REPEATED_WORD = (re.compile(r"(?![馆站所院局室厅处科队校])([\u4e00-\u9fff]{2,6})\1(?![0-9０-９])"), "民政部门部门整体绩效自评得分96分")
# A clause written twice or more in a row.
REPEATED_CLAUSE = (re.compile(r"([^，,；;。]{6,40}[，,；;])\1"), "及时拨付资金,履行资金保障;及时拨付资金,履行资金保障;")
# A verb with 了 written again a few characters on, with no pause between (完善了本县完善了…): a phrase left twice
# in an edit. Two or three characters before 了, so 为了/除了 alone never count.
REPEATED_VERB = (re.compile(r"([\u4e00-\u9fff]{2,3}了)[\u4e00-\u9fff]{1,8}\1"), "完善了清河县完善了资金管理办法")
# The level of a place written twice before a body of it (衡阳市市财政局: 衡阳市 and 市财政局 run together). Not where
# the doubled character begins a word (市场, 市政, 市级, 市直, 县城, 区域) or ends a place's own name (津市市, 城区区).
REPEATED_LEVEL = (re.compile(r"(?<=[\u4e00-\u9fff]{2})(?<![津沙城矿郊])([市区县])\1(?![场政级直属本委长民容区域城内外])"
                             r"(?=[\u4e00-\u9fff]{1,8}(?:局|委员会|办公室|中心))"),
                  "《衡阳市市财政局关于下达资金的通知》", "受津市市财政局委托；安宁市市场监督管理局")
# A joining word written twice (运价和和收费标准): no word of a report doubles 和, 与, 及, 并 or 或, but 和和美美 (a
# doubled word's first half) does.
REPEATED_JOINER = (re.compile(r"([和与及并或])\1(?!([\u4e00-\u9fff])\2)"), "参与制定运价和和收费标准", "家庭和和美美")
DOUBLED_PUNCTUATION = (re.compile(r"[,，][:：；;]|[:：；;][,，]|[，,]{2}|。{2}|；{2}|、{2}|：{2}"),
                       "大棚建设项目,:建设4座标准化大棚")
# Masked values left in a published text: 20xx年, XX万元, **县, %、%、% (the pattern, an example, what a memo calls
# it).
MASKED_VALUES = (
    (re.compile(r"(?<![A-Za-z])(?:19|20)[xX×]{2}(?![A-Za-z])"), "20xx年度共安排资金", "年份写作“20xx”"),
    (re.compile(r"(?<![A-Za-z])[xX×]{1,3}\s*(?:万元|元|亿元|%|个|人|户|家|项)"), "共安排资金XX万元", "数值写作“XX”"),
    (re.compile(r"[*＊]{2,}\s*(?:省|市|县|区|镇|乡|村|局|单位)"), "**县财政局", "名称被“**”遮盖"),
    # One star for a place's name (涉及*县3个乡镇): a copy with its names masked.
    (re.compile(r"(?<![*＊])[*＊](?:省|市|县|区|镇|乡|村|灌区)(?![*＊])"), "灌区涉及*县3个乡镇", "名称被“*”遮盖"),
    (re.compile(r"(?<![\d.])[%％](?:\s*、\s*[%％])+"), "完成率分别为%、%、%", "百分比缺少数字"),
    # A reprint site's paywall link standing where the figure was.
    (re.compile(r"(?:点击查看|登录查看|付费查看|会员可见)\s*[>》]{0,3}\s*(?:万元|亿元|元|%)"), "安排资金 点击查看>> 万元",
     "数额被转载网站的“查看”链接代替"),
    # A template's own words left in the report: its title's note (报告摘要（参考模板）), the guidance under a
    # heading (包括总体目标和阶段性目标; 说明项目资金申报、批复…等相关情况), or a form's list of choices (=优良中低差).
    (re.compile(r"[（(]\s*参考(?:模板|提纲|格式|范本)\s*[)）]"), "报告摘要（参考模板）", "模板标注“参考模板”未删除"),
    (re.compile(r"包括(?:项目)?总体目标和(?:年度)?[（(]?(?:或)?阶段性[)）]?目标|包括项目背景、主要内容及实施情况"),
     "（二）项目绩效目标。包括总体目标和阶段性目标。", "模板的填写说明未删除"),
    (re.compile(r"(?:^|[。：:\s])说明项目[^。，,]{2,30}等(?:程序的)?相关情况"), "（一）项目资金申报及批复情况。说明项目资金申报、批复等程序的相关情况。",
     "模板的填写说明未删除"),
    (re.compile(r"优良中低差"), "工作人员正常工作=优良中低差", "指标值为模板的选项“优良中低差”"),
    # A prompt of the form left in a filled-in report.
    (re.compile(r"[（(]\s*(?:限|不超过)?\s*\d{2,4}\s*字以内\s*[)）]|[（(]\s*请(?:填写|说明|注明)[^（()）]{0,20}[)）]"),
     "存在问题（200字以内）", "模板填写提示未删除"),
)
# Letters an OCR read for digits, inside a number: 100OOO, 2O21.
OCR_DIGITS = (re.compile(r"(?<![A-Za-z])\d+[OoIl]+\d*(?=\s*(?:万元|元|亿元|%|年|月|日|人|个|吨|公里))"), "补助资金100OOO元")
# A form field with nothing after its colon, among fields that are filled.
FIELD_LABEL = re.compile(r"^[\u4e00-\u9fff（）()]{2,12}\s*[:：]\s*$")
FILLED_FIELD = re.compile(r"^[\u4e00-\u9fff（）()]{2,12}\s*[:：]\s*\S")
# The same in a form's rows: an item's label with every cell after it empty, beside items described in words
# (下达及时性 | | | between 拨付合规性 | 严格按照……。). A group's or a fund's row (其他资金 | | |) is often empty.
ROW_LABEL = re.compile(r"[\u4e00-\u9fff（）()]{2,12}")
GROUP_ROW_LABEL = re.compile(r"(?:资金|指标|合计|小计|总计|其中|金额|预算数|执行数)$")
MIN_DESCRIPTION_CHARS = 12
# A money unit with no figure before it: 其他万元, 资金为万元 (but 单位：万元 and （万元） are headers).
MISSING_FIGURE = (re.compile(r"(?<![\d\s零一二三四五六七八九十百千万亿两几数多余整单位（(:：])(?:万元|亿元)(?![）)])"),
                  "其他万元。")
# Misspellings common in budget reports (the wrong form, the right one, an example). Each is a character
# confused with a look-alike or a sound-alike that no correct sentence of a report uses.
# Common misspellings of report writing, none of them a word in its own right where it matches. Each entry:
# (pattern, the wrong characters and their correction, an example it must find, one it must not).
MISSPELLINGS = (
    (r"拔(?:付|款|入|到位|给)|下拔", ("拔", "拨"), "资金已全部拔付到位", "拔河比赛经费"),
    (r"(?<![制适])宜传", ("宜传", "宣传"), "加强政策宜传", "因地制宜传承技艺"),
    (r"布署", ("布署", "部署"), "按照工作布署", "部署工作"),
    (r"部暑", ("部暑", "部署"), "按照工作部暑", "暑期部署"),
    (r"(?:报|记|对|入|到|挂|做|建|台|总|明细)帐(?![篷幕子])|帐(?:务|户|目|簿|面)", ("帐", "账"), "严格报帐程序", "搭建帐篷"),
    (r"原因是因为", ("原因是因为", "原因是"), "主要原因是因为资金下达较晚", "主要原因是资金下达较晚"),
    # 截止 takes no object (截止到目前 and 截至目前 are right)
    (r"截止目前", ("截止", "截至"), "截止目前已完成", "截止到目前已完成"),
    (r"既定目际", ("目际", "目标"), "完成既定目际", "完成既定目标"),
    (r"绩效自平", ("自平", "自评"), "开展绩效自平工作", "开展绩效自评工作"),
    # 拨付合规 and 支付合同 are two words: only 付合 where no verb of paying stands before it
    (r"(?<![拨支撥交应偿给垫预兑对])付合(?:规定|要求|条件|标准|实际)", ("付合", "符合"), "资金使用付合规定",
     "资金拨付合规、支付合同款"),
    (r"按排", ("按排", "安排"), "按排专项资金50万元", "安排专项资金50万元"),
    (r"即定(?:目标|任务|计划)", ("即定", "既定"), "完成即定目标", "即定即办"),
    (r"峻工", ("峻工", "竣工"), "项目已峻工验收", "项目已竣工验收"),
    (r"积效(?:目标|评价|自评|管理|考核|指标)", ("积效", "绩效"), "开展积效自评", "累积效益明显"),
    (r"贯切", ("贯切", "贯彻"), "认真贯切落实", "认真贯彻落实"),
    (r"再接再励", ("再接再励", "再接再厉"), "我们将再接再励", "我们将再接再厉"),
    (r"一如继往", ("继往", "既往"), "一如继往地支持", "继往开来"),
    (r"以奖带补", ("带补", "代补"), "采取以奖带补方式", "采取以奖代补方式"),
    (r"发辉", ("发辉", "发挥"), "充分发辉资金效益", "充分发挥资金效益"),
    (r"报消|核消", ("消", "销"), "按规定报消", "消防报销"),
    (r"脱贫攻艰", ("攻艰", "攻坚"), "巩固脱贫攻艰成果", "巩固脱贫攻坚成果"),
    (r"迫在眉捷", ("眉捷", "眉睫"), "改造迫在眉捷", "捷报频传"),
    (r"满意渡", ("渡", "度"), "群众满意渡达95%", "摆渡船"),
    (r"合各率", ("合各", "合格"), "验收合各率100%", "合格率100%"),
    (r"(?:社会|经济|生态|综合)效宜", ("效宜", "效益"), "社会效宜明显", "见效宜早"),
    (r"环竟", ("环竟", "环境"), "改善人居环竟", "环境优美"),
    (r"环镜", ("环镜", "环境"), "改善人居环镜", "环境优美"),
    (r"标淮|淮确", ("淮", "准"), "按标淮发放", "淮河流域治理"),
    (r"效果显着|成效显着", ("显着", "显著"), "项目成效显着", "成效显著"),
    (r"一但", ("一但", "一旦"), "一但发现问题", "一旦发现问题"),
    (r"既使", ("既使", "即使"), "既使资金不足", "即使资金不足"),
    (r"竟争", ("竟争", "竞争"), "公开竟争方式", "公开竞争方式"),
    (r"安装调式", ("调式", "调试"), "完成设备安装调式", "完成设备安装调试"),
    # a section named for what it describes (概况), not the verb to summarise (概括为…)
    (r"(?:部门|单位|项目)(?:基本)?概括(?![了为地起成出])", ("概括", "概况"), "一、部门概括", "将项目概括为三个方面"),
    # money kept back (截留) beside its kin 挪用, 挤占; 截流 dams a river
    (r"截流(?=[、，,和及与]?(?:挪用|挤占|滞留|套取|截留))|(?:挪用|挤占|滞留|套取)[、，,和及与]?截流", ("截流", "截留"),
     "不存在截流、挪用项目资金情况", "实施河道截流工程"),
    # spending entered that never took place (虚列支出); 序列 ranks bodies
    (r"序列(?:项目)?支出", ("序列", "虚列"), "不存在序列项目支出情况", "列入党委机构序列"),
)
# Item markers inside one line (a paragraph, or a whole report run together into one line). Each opens an item:
# at the line's start or after a pause, and for 一、 and 1. a word follows (一、二等奖 and 1、2季度 are not
# lists). 1. may also follow a word directly when a report's lines were run together (…情况分析1.项目资金…),
# but never a digit, a letter or a word that numbers a thing (第, 表, 图, 附件). Each entry: (style, pattern,
# an example whose markers it finds, the markers, an example it finds none in).
_CN = "一二三四五六七八九十"
_AFTER = r"(?=\s{0,2}[\u4e00-\u9fff“《])"
INLINE_MARKER_STYLES = (
    ("cn", rf"(?:^|(?<=[。；;：:，,！!？?）)\s]))(?P<m>(?P<n>[{_CN}]{{1,3}})、){_AFTER}(?![{_CN}])",
     "一、概况。二、资金,四、结论", ("一、", "二、", "四、"), "获得一、二等奖"),
    ("cn_paren", rf"(?<![第款条项])(?P<m>[（(](?P<n>[{_CN}]{{1,3}})[)）])",
     "分析(一)资金情况(二)绩效情况", ("(一)", "(二)"), "按第（一）项执行"),
    ("arabic", r"(?<![\dA-Za-z.．第表图件款条项])(?P<m>(?P<n>\d{1,2})[.、．])(?![\d.．])" + _AFTER,
     "情况分析1.到位情况,2.执行情况", ("1.", "2."), "第1、2季度完成1.5万元"),
    # a bracketed number may open an item that starts with a figure: (2)2023年…
    ("arabic_paren", r"(?<![第款条项])(?P<m>[（(](?P<n>\d{1,2})[)）])(?=\s{0,2}[\u4e00-\u9fff“《\d])",
     "效益(1)经济效益(2)2023年新增", ("(1)", "(2)"), "按第(2)款规定"),
    # 1) with its opening bracket dropped, after a pause (not a ratio's 3:1)): the same list as (2), (3) after it.
    ("arabic_paren", r"(?:^|(?<=[。；;：:，,\s]))(?<!\d[:：])(?P<m>(?P<n>\d{1,2})[)）])" + _AFTER,
     "职能:1)宣传;(2)培训", ("1)",), "比例为3:1)等"),
)
_MISSPELLINGS = tuple((re.compile(pattern), correction) for pattern, correction, _, _ in MISSPELLINGS)
# A numbered heading whose last word lost its last character (三、项目实施及管理情, 1.部门职能职): not at the text's
# end, where an excerpt may cut a heading. (pattern, correction, an example it must find, one it must not)
TRUNCATED_HEADINGS = (
    (r"(?:实施|管理|执行|使用|完成|开展|基本|总体|分配|到位|支出|收支|自评|绩效|目标|指标|整改|落实|评价|投入|建设|运行|进展)"
     r"情\s*$", ("情", "情况"), "三、项目实施及管理情", "（三）疫情防控"),
    (r"职能职\s*$", ("职能职", "职能职责"), "1.部门职能职", "1.部门职能职责"),
)
_TRUNCATED_HEADINGS = tuple((re.compile(pattern), correction) for pattern, correction, _, _ in TRUNCATED_HEADINGS)
NUMBERED_HEADING = re.compile(r"\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}\s*[.、．])")
INLINE_MARKERS = tuple((style, re.compile(pattern)) for style, pattern, _, _, _ in INLINE_MARKER_STYLES)
MAX_INLINE_CHARS = 20000  # a run-together report is one line; longer than this is no report's
MAX_HEADING_CHARS = 30  # a numbered heading's length, its number included
MAX_RUNS_PER_LINE = 200  # a whole report has a few dozen lists; more are no lists (a table's cells, say)


def _prose(extraction: Extraction):
    """(index, line) of every line of running text: no table cells, no rows of a flattened table."""
    for index, line in enumerate(extraction.document.lines):
        if line.text and not line.cell and "\t" not in line.text and line.text.count("|") < 2:
            yield index, line


def _at(extraction: Extraction, params: Params, rule: Rule, index: int, line, offset: int, message: str,
        **numbers) -> Finding:
    """A finding of rule at an offset of the index-th line (which may join several source lines)."""
    number = line.line_at(offset)
    return rule.finding(params, message, extraction.outline.section_of(index).path, number,
                        extraction.document.raw_line(number).strip(), **numbers)


def _snippet(text: str, start: int, end: int, margin: int = 12) -> str:
    return text[max(0, start - margin): end + margin]


def _unpaired(text: str) -> tuple[list[int], list[int]]:
    """Positions of brackets left open and of closing brackets never opened, nesting respected: a closing
    bracket of an outer pair closes over an inner one left open, as in (文号〔20226号)."""
    closer_of = {opening: closing for opening, closing in PAIRS}
    opener_of = {closing: opening for opening, closing in PAIRS}
    stack: list[int] = []
    unclosed: list[int] = []
    unopened: list[int] = []
    for position, ch in enumerate(text):
        if ch in closer_of:
            stack.append(position)
        elif ch in opener_of:
            opening = opener_of[ch]
            depth = next((d for d in range(len(stack) - 1, -1, -1) if text[stack[d]] == opening), None)
            if depth is None:
                unopened.append(position)
                continue
            unclosed.extend(stack[depth + 1:])
            del stack[depth:]
    return unclosed + stack, unopened


def unbalanced_brackets(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A bracket or quote opened and not closed (or closed and never opened) within one paragraph."""
    findings = []
    lines = extraction.document.lines
    for index, line in _prose(extraction):
        # Full- and half-width brackets are often mixed, （…) is sloppy but not unbalanced; 1) opens an item.
        text = LIST_ITEM_CLOSER.sub(lambda m: m.group(0)[:-1] + " ", line.text.replace("（", "(").replace("）", ")"))
        # A title inside a title is marked 〈…〉 or <…>, and the two are mixed (<…〉) as （…) is.
        text = text.replace("<", "〈") if "〉" in text else text
        text = text.replace(">", "〉") if "〈" in text else text
        closed_inside, still_open = [], []
        unclosed, unopened = _unpaired(text)
        # A paragraph cut by a page break (or an excerpt's end) goes on elsewhere: what is open at its end
        # may close there, what closes at its start may have opened before.
        ends = text[-1] in SENTENCE_END
        previous = next((lines[i].text for i in range(index - 1, -1, -1) if lines[i].text), "")
        starts = not previous or previous[-1] in SENTENCE_END or len(previous) < 30
        for position in unclosed:
            (closed_inside if any(text[p] in ")〕》”】]" for p in range(position, len(text))) else still_open).append(position)
        problems = closed_inside + (still_open if ends else []) + (unopened if starts else [])
        if not problems:
            continue
        position = min(problems)
        mark = line.text[position]
        # What a mark left open should have closed follows it; what a mark never opened closes comes before it.
        near, far = PAIR_CONTEXT
        before, after = (near, far) if text[position] in OPENERS else (far, near)
        start = max(0, position - before)
        while 0 < start and line.text[start - 1].isdigit() and line.text[start].isdigit():
            start -= 1  # a year or a number is quoted whole
        context = line.text[start: position + 1 + after]
        findings.append(_at(extraction, params, rule, index, line, position,
                            f"“{context}”中的“{mark}”没有与之配对的括号或引号，"
                            "可能缺字或漏写。", stated=mark))
    return findings


def _impossible(year: int, month: int, day: int | None) -> bool:
    if not 1 <= month <= 12:
        return True
    return day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]


# A line naming the document with its year (德钦县某馆2022年度部门整体支出绩效自评报告): the cover's title and the
# body's title are the same words, so two of them naming different years contradict each other.
YEAR_TITLE = re.compile(r"(?P<before>[^。，,；;：:\d]{0,30})(?P<year>20\d\d)\s*年度?"
                        r"(?P<after>[^。，,；;\d]{0,40}(?:自评报告|评价报告|自评表|自评情况报告))")


MAX_LIST_GAP = 3  # titles this close together are a list of links


def title_years(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """Two titles of the document, the same words apart from the year, naming different years. Three or more, or
    two on neighbouring lines, are a list of a site's reports (相关文章), not one report's titles."""
    titles: dict[tuple[str, str], list[tuple[str, int, object]]] = defaultdict(list)
    for index, line in _prose(extraction):
        match = YEAR_TITLE.fullmatch(line.text.strip())
        if match is not None:
            words = (match.group("before").strip(), re.sub(r"\s", "", match.group("after")))
            titles[words].append((match.group("year"), index, line))
    findings = []
    for (earlier, first, _), (year, index, line) in (pair for pair in titles.values() if len(pair) == 2):
        if year != earlier and index - first > MAX_LIST_GAP:
            findings.append(_at(extraction, params, rule, index, line, 0,
                                f"报告标题年度前后不一：第{extraction.document.lines[first].line}行为{earlier}年度，此处为"
                                f"{year}年度（“{line.text.strip()}”），请核实所评年度。", expected=earlier, stated=year))
    return findings


# The state of things at a year's end (截至2023年12月31日，本单位在职人员…): in a report on the year after, the end
# of the year before is the last report's date left in. Not where the clause speaks of that year's money carried
# on (上年结转) or of the years before (累计, 以前年度).
SNAPSHOT = (re.compile(r"(?:截至|截止)(?:到|至)?\s*(20\d\d)\s*年\s*(?:12\s*月\s*31\s*日|年?底|年?末)"),
            "截至2023年12月31日，本单位在职人员30人", "截至2023年6月30日，完成进度50%")
EARLIER_MONEY = re.compile(r"结转|结余|上年|以前年度|累计|历年|此前")


def snapshot_years(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A year-end snapshot (截至…12月31日) dated the end of the year before the one the report evaluates, where
    the report names its year (…年度) elsewhere: a figure kept from the last report."""
    year = extraction.facts.fiscal_year
    text = extraction.document.text
    if year is None or text.count(f"{year}年") < 2:
        return []
    findings = []
    for index, line in _prose(extraction):
        for match in SNAPSHOT[0].finditer(line.text):
            clause = re.split(r"[。；;]", line.text[match.start():])[0]
            if int(match.group(1)) == year - 1 and not EARLIER_MONEY.search(clause):
                findings.append(_at(extraction, params, rule, index, line, match.start(),
                                    f"报告评价{year}年度，此处写“{clause[:40]}”，时点为上一年末，疑沿用上年报告，"
                                    "请核实。", expected=year, stated=int(match.group(1))))
                break
    return findings


def malformed_dates(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A date written without 年 or 月 (201912月, 2021325日, 日期:202511), with a letter for a digit, one
    that cannot exist (2021年13月, 2月30日), or a span of years ending before it begins (2011—2010年)."""
    findings = []
    for index, line in _prose(extraction):
        text = line.text
        for pattern, _ in MALFORMED_DATES:
            for match in pattern.finditer(text):
                findings.append(_at(extraction, params, rule, index, line, match.start(),
                                    f"日期“{match.group(0).strip()}”写法有误（年份位数不对、缺“年”“月”或以字母代替数字），请核实。",
                                    stated=match.group(0).strip()))
        for match in YEAR_SPAN[0].finditer(text):
            if int(match.group(2)) < int(match.group(1)):
                findings.append(_at(extraction, params, rule, index, line, match.start(),
                                    f"年份区间“{match.group(0)}”止于起始年份之前，请核实。", stated=match.group(0)))
        for match in DATE_RE.finditer(text):
            year, month = int(match.group(1)), int(match.group(2))
            day = int(match.group(3)) if match.group(3) else None
            if _impossible(year, month, day):
                findings.append(_at(extraction, params, rule, index, line, match.start(),
                                    f"日期“{match.group(0)}”不存在，请核实。", stated=match.group(0)))
    return findings


def _written_apart(extraction: Extraction, line, match: re.Match) -> bool:
    """The repeat is not in the source line as written: its copies stood apart (a site's menu 无障碍 无障碍, or two
    lines joined), and only reading them as one text put them side by side."""
    document = extraction.document
    written = cells_text(document.raw_line(line.line_at(match.start())), document.script == "traditional")
    return match.group(0) not in written


def repeated_words(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A word or a clause written twice in a row (部门部门; 及时拨付资金,…;及时拨付资金,…;)."""
    findings = []
    for index, line in _prose(extraction):
        if reads_like_table(line.text):
            continue  # cells run together repeat without an error: 专款专用专款专用
        for (pattern, _), what in ((REPEATED_CLAUSE, "语句“{}”连续重复"), (REPEATED_WORD, "词语“{}”连续重复"),
                                   (REPEATED_VERB, "词语“{}”在同一短语中写了两次"),
                                   (REPEATED_LEVEL[:2], "地名后“{}”字重复"), (REPEATED_JOINER[:2], "“{}”字重复")):
            match = pattern.search(line.text)
            if match and not _written_apart(extraction, line, match):
                findings.append(_at(extraction, params, rule, index, line, match.start(),
                                    f"{what.format(match.group(1))}：“{_snippet(line.text, match.start(), match.end())}”。",
                                    stated=match.group(1)))
                break
    return findings


def _each_first_match(extraction: Extraction, params: Params, rule: Rule, pattern: re.Pattern, message) -> list[Finding]:
    """One finding per prose line where `pattern` matches, its message made from the match."""
    findings = []
    for index, line in _prose(extraction):
        match = pattern.search(line.text)
        if match:
            findings.append(_at(extraction, params, rule, index, line, match.start(), message(line.text, match),
                                stated=match.group(0)))
    return findings


def doubled_punctuation(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """Two punctuation marks where one belongs (,: ，， 。。)."""
    return _each_first_match(extraction, params, rule, DOUBLED_PUNCTUATION[0], lambda text, m: (
        f"标点“{m.group(0)}”重复：“{_snippet(text, m.start(), m.end())}”。"))


def empty_fields(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A form field (预算编码：) left empty between fields that are filled in."""
    lines = [(i, line) for i, line in enumerate(extraction.document.lines) if line.text and not line.cell]
    findings = []
    for position, (index, line) in enumerate(lines):
        if not FIELD_LABEL.match(line.text):
            continue
        neighbours = [lines[p][1].text for p in (position - 1, position + 1) if 0 <= p < len(lines)]
        if any(FILLED_FIELD.match(text) for text in neighbours):
            findings.append(_at(extraction, params, rule, index, line, 0,
                                f"栏目“{line.text.strip()}”未填写。", stated=line.text.strip()))
    for position, (index, line) in enumerate(lines):
        label = _empty_row_label(line.text)
        if label is None:
            continue
        neighbours = [lines[p][1].text for p in (position - 1, position + 1) if 0 <= p < len(lines)]
        if any(_described_row(text) for text in neighbours):
            findings.append(_at(extraction, params, rule, index, line, 0,
                                f"表格栏目“{label}”的情况说明未填写（相邻栏目有文字说明）。", stated=label))
    return findings


def _inline_markers(text: str) -> list[tuple[str, int, str, int]]:
    """The item markers of one line, in order: (style, number, marker as written, position). A marker opens an
    item: it stands at the line's start or after a pause (or, run together, after a word), and a word follows."""
    found = []
    for style, pattern in INLINE_MARKERS:
        for match in pattern.finditer(text[:MAX_INLINE_CHARS]):
            written = match.group("n")
            number = int(written) if written.isdigit() else chinese_to_int(written)
            if number:
                found.append((style, number, match.group("m"), match.start("m")))
    return sorted(found, key=lambda marker: marker[3])


def _inline_runs(markers: list[tuple[str, int, str, int]]) -> list[tuple[list, bool]]:
    """The runs of one line's markers: consecutive items of one style under one parent, nested as they come
    (the first style seen is the outer one, so a report that puts 1. above （一） still reads right). Each run
    with whether a marker of another style opened it within the line (its first item should be 1)."""
    runs: list[tuple[list, bool]] = []
    stack: list[list] = []  # open runs, outermost first
    for marker in markers:
        style, number = marker[0], marker[1]
        depth = next((d for d in range(len(stack) - 1, -1, -1) if stack[d][0][0] == style), None)
        # A list starts again at 1 under a new parent item; a 1 a heading's length after its list's lone 1, no
        # parent between them, is the number written twice ((一)部门基本情况(一)基本情况).
        again = (depth is not None and depth == len(stack) - 1 and len(stack[depth]) == 1 and stack[depth][0][1] == 1
                 and marker[3] - stack[depth][0][3] <= MAX_HEADING_CHARS)
        if depth is not None and (number != 1 or again):
            del stack[depth + 1:]
            stack[depth].append(marker)
            continue
        if depth is not None:
            del stack[depth:]  # numbering starts again at 1: a new list in the same place
        run = [marker]
        runs.append((run, bool(stack)))
        stack.append(run)
    return runs


def _columns_side_by_side(run: list) -> bool:
    """A flattened table sets its columns side by side: the numbers of a run go back (1、2、4、3、) or come twice
    over and over (1.1.2.2.3.3.). A list written by hand repeats or skips one."""
    numbers = [marker[1] for marker in run]
    repeats = sum(1 for a, b in zip(numbers, numbers[1:]) if a == b)
    return repeats >= 2 or any(b < a for a, b in zip(numbers, numbers[1:]))


def _sequence(run: list) -> str:
    return "".join(marker[2] for marker in run)


def _row_cells(text: str) -> list[str] | None:
    """The cells of a table row written with | or tabs; None for a line that is no such row."""
    separator = "|" if "|" in text else "\t" if "\t" in text else None
    return [cell.strip() for cell in text.strip().strip("|").split(separator)] if separator else None


def _empty_row_label(text: str) -> str | None:
    """The label of a row whose cells after the label are all empty (下达及时性 | | |)."""
    cells = _row_cells(text)
    if not cells or len(cells) < 2 or any(cells[1:]):
        return None
    label = cells[0]
    return label if ROW_LABEL.fullmatch(label) and not GROUP_ROW_LABEL.search(label) else None


def _described_row(text: str) -> bool:
    """A row whose label is followed by a description in words (拨付合规性 | 严格按照国库集中支付制度……)."""
    cells = _row_cells(text)
    return bool(cells and len(cells) >= 2 and ROW_LABEL.fullmatch(cells[0]) and not GROUP_ROW_LABEL.search(cells[0])
                and len(re.findall(r"[\u4e00-\u9fff]", cells[1])) >= MIN_DESCRIPTION_CHARS)


def _first_item_run_on(text: str, second: tuple[str, int, str, int], markers: list) -> bool:
    """The first item is written before the second where it was not read as a marker, run on after a word (…报告一、
    项目基本情况 … 二、…): the list does start at 1."""
    written = second[2]
    first = written.replace("二", "一", 1) if "二" in written else written.replace("2", "1", 1)
    read = {marker[3] for marker in markers}
    return first != written and any(match.start() not in read
                                    for match in re.finditer(re.escape(first), text[: second[3]]))


def inline_item_numbers(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """Items numbered inside one line (a paragraph, or a whole report run together) that repeat or skip a
    number (1.…2.…4.…; 一、…二、…四、; 4.…4.…), or a list under a heading in the line that starts at 2."""
    findings = []
    for index, line in _prose(extraction):
        markers = _inline_markers(line.text)
        order = {marker[3]: position for position, marker in enumerate(markers)}
        for run, nested in _inline_runs(markers)[:MAX_RUNS_PER_LINE]:
            if _columns_side_by_side(run):
                continue
            problem = None
            if nested and run[0][1] == 2 and len(run) >= 2 and not _first_item_run_on(line.text, run[0], markers):
                before = markers[order[run[0][3]] - 1]
                problem = (run[0], 1, f"“{before[2]}”之后是“{run[0][2]}”，同一列表编号样式不一致" if before[1] == 1
                           else f"该层第一项编号为“{run[0][2]}”，缺少第1项")
            for previous, marker in zip(run, run[1:]):
                if problem:
                    break
                if marker[1] == previous[1]:
                    problem = (marker, previous[1] + 1, f"“{previous[2]}”之后又是“{marker[2]}”，编号重复")
                elif marker[1] == previous[1] + 2:
                    problem = (marker, previous[1] + 1, f"“{previous[2]}”之后是“{marker[2]}”，跳过了一个编号")
            if problem:
                marker, expected, what = problem
                sequence = (before[2] if "样式" in what else "") + _sequence(run)
                findings.append(_at(extraction, params, rule, index, line, marker[3],
                                    f"同一段内的序号依次为“{sequence}”：{what}，请核实。",
                                    expected=expected, stated=marker[1], sequence=sequence))
    return findings


# A paragraph opening with an item number (1. or 1、, a word after it), as a list written one item a paragraph.
PARAGRAPH_ITEM = re.compile(r"\s*(?P<m>(?P<n>\d{1,2})[.、．])(?![\d.．])(?=\s{0,2}[\u4e00-\u9fff“《])")


def paragraph_item_numbers(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A list written one numbered paragraph an item (1.… / 2.… / 3.… / 3.… / 4.…, not headings) whose numbers
    repeat or skip one; blank lines may stand between its items, any other line ends it."""
    headings = {section.index for section in extraction.outline.sections}
    prose = dict(_prose(extraction))
    findings: list[Finding] = []
    run: list[tuple[int, str, int]] = []  # (number, marker, index)

    def close() -> None:
        if len(run) >= 3 and not _columns_side_by_side([("arabic", n, m, i) for n, m, i in run]):
            for (previous, written, _), (number, marker, index) in zip(run, run[1:]):
                if number in (previous, previous + 2):
                    what = "编号重复" if number == previous else "跳过了一个编号"
                    sequence = "".join(m for _, m, _ in run)
                    findings.append(_at(extraction, params, rule, index, prose[index], 0,
                                        f"逐段列出的序号依次为“{sequence}”：“{written}”之后是“{marker}”，{what}，请核实。",
                                        expected=previous + 1, stated=number, sequence=sequence))
                    break
        run.clear()

    for index, line in enumerate(extraction.document.lines):
        if not line.text.strip():
            continue
        match = PARAGRAPH_ITEM.match(line.text) if index in prose and index not in headings else None
        if match is None or int(match.group("n")) == 1:
            close()
        if match is not None:
            run.append((int(match.group("n")), match.group("m"), index))
    close()
    return findings


def misspellings(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A word from the list of common misspellings (拔付 for 拨付, 宜传 for 宣传, 原因是因为), or a heading's last
    word cut short (…管理情)."""
    findings = []
    last = max((index for index, line in enumerate(extraction.document.lines) if line.text.strip()), default=-1)
    for index, line in _prose(extraction):
        heading = index != last and NUMBERED_HEADING.match(line.text)
        for pattern, (wrong, right) in _MISSPELLINGS + (_TRUNCATED_HEADINGS if heading else ()):
            match = pattern.search(line.text)
            if match:
                written = match.group(0)
                fixed = written.replace(wrong, right)
                findings.append(_at(extraction, params, rule, index, line, match.start(),
                                    f"疑似错别字或语病：“{_snippet(line.text, match.start(), match.end())}”中“{written}”"
                                    f"应为“{fixed}”。", expected=fixed, stated=written))
    return findings


def unread_cells(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """Cells of a flattened 自评表 run together so that no single reading fits: said, never guessed."""
    return [rule.finding(params, f"表格单元格数字连写为“{raw}”，无法按“执行数÷预算数＝执行率”唯一拆分，未予采用，请核对原表。",
                     evidence.section, evidence.line, evidence.quote, stated=raw)
            for evidence, raw in extraction.unread_cells] + [
        rule.finding(params, f"自评表此行“{_short(evidence.quote)}”（{why}）无法按表头唯一读出，未予采用，请核对原表。",
                     evidence.section, evidence.line, evidence.quote, stated=evidence.quote)
        for evidence, why in extraction.unread_rows]


MAX_QUOTED_ROW = 60


def _short(text: str) -> str:
    return text if len(text) <= MAX_QUOTED_ROW else text[:MAX_QUOTED_ROW] + "…"


def blank_cells(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A 自评表's funds total row with a column left empty while the rest of the row is filled; or, its empty cells
    dropped, fewer amounts than money columns, where nothing tells which column is empty."""
    findings = []
    for blank in extraction.blank_cells:
        evidence = blank.evidence
        if len(blank.columns) == 1:
            message = f"自评表资金栏“{blank.columns[0]}”未填写（该行其余数字已填：{evidence.quote}），请补填或说明。"
        else:
            message = (f"自评表资金栏{'、'.join(blank.columns)}共{len(blank.columns)}栏，此行只写了{len(blank.written)}个金额"
                       f"（{'、'.join(blank.written)}），有一栏未填写，无法确定是哪一栏，所写执行率无从核验"
                       f"（{evidence.quote}），请补填或说明。")
        findings.append(rule.finding(params, message, evidence.section, evidence.line, evidence.quote,
                                     stated="／".join(blank.columns)))
    return findings


def ocr_digits(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """Letters read for digits inside a number (100OOO元): the copy came through OCR; the figure is not used."""
    return _each_first_match(extraction, params, rule, OCR_DIGITS[0], lambda text, m: (
        f"数字中混有字母“{m.group(0)}”（疑为扫描识别错误），该数值未予采用，请核对原件。"))


RULES = (
    Rule("text.unbalanced", "low", "括号或引号不成对", "a bracket or quote left open or never opened",
         check=unbalanced_brackets),
    Rule("date.title_year", "low", "报告标题年度前后不一", "two titles of the document, the same words apart from the "
         "year, naming different years", check=title_years),
    Rule("date.snapshot_year", "low", "年末时点为上一年度", "a year-end snapshot (截至…12月31日) dated the year "
         "before the one the report evaluates", check=snapshot_years),
    Rule("text.date", "low", "日期写法有误或不存在", "a date without 年/月, with a letter for a digit, or impossible",
         check=malformed_dates),
    Rule("text.repeated", "low", "词语或语句连续重复", "a word or clause written twice in a row", check=repeated_words),
    Rule("text.punctuation", "low", "标点重复", "two punctuation marks where one belongs", check=doubled_punctuation),
    Rule("text.ocr", "low", "数字中混有字母（扫描识别错误）", "letters read for digits inside a number (OCR)",
         check=ocr_digits),
    Rule("table.unreadable", "low", "表格数字连写无法拆分", "table cells run together that no single reading fits",
         check=unread_cells),
    Rule("table.blank_cell", "low", "自评表资金栏留空", "a 自评表's funds total row with a column left empty",
         check=blank_cells),
    Rule("text.typo", "low", "疑似错别字", "a common misspelling (拔付 for 拨付)", check=misspellings),
    Rule("section.item_numbering", "low", "段内序号重复或跳号", "items numbered inside one line that repeat or skip",
         check=inline_item_numbers),
    Rule("section.paragraph_numbering", "low", "逐段序号重复或跳号",
         "a list written one numbered paragraph an item whose numbers repeat or skip one",
         check=paragraph_item_numbers),
)
