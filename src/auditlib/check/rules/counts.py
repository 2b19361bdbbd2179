"""Counts stated in the text against what the same sentence lists: 直属单位5个，即甲、乙、丙、丁 names four;
项目共12个…年初安排7个…年中追加6个 adds up to thirteen.

Only where the sentence itself shows the list is complete: an enumeration opened by 即 / 分别是 / a colon right
after the count, its items separated by 、 and closed by the sentence's end, with no 等 (and no 包括, which
often names a few); or parts told apart by when they came (年初 / 年中追加), which cannot overlap. Bracketed
asides are dropped first: (含…3个) is inside a part, not a part. Every pattern is linear and bounded.
"""

from __future__ import annotations

import re

from auditlib.check.rule import Params, Rule
from auditlib.extract import Extraction
from auditlib.numbers import chinese_to_int
from auditlib.record import Finding

MAX_SENTENCE_CHARS = 600  # a sentence longer than this is run-together text, not one statement
MAX_ITEM_CHARS = 30  # a listed name longer than this is a clause: the list is something else
MIN_LISTED = 3  # two 、 at least: a list, not a pair joined in passing
COUNTERS = "个家所项座处条类"
ASIDE = re.compile(r"[（(][^（()）]{0,60}[)）]")
SENTENCE = re.compile(r"[^。；;！!？?]{1,600}")
# A count followed by the list it announces. Each entry: (pattern, an example it must match, one it must not).
ANNOUNCED_LISTS = (
    (re.compile(rf"(?P<n>\d{{1,3}}|[一二三四五六七八九十两]{{1,3}})\s*(?P<c>[{COUNTERS}])(?P<noun>[\u4e00-\u9fff]{{0,6}}?)"
                r"\s*[，,]?\s*(?:(?:即|分别(?:是|为)|具体(?:是|为))\s*[：:]?|[：:])\s*(?P<list>[^，,。；;：:]{1,400})"),
     "下设直属单位4个，分别为：甲站、乙站、丙所。", "下设直属单位4个，包括甲站、乙站、丙所等。"),
)
# Parts told apart by when they came, and the total they make. (pattern, example, counter-example)
COUNT_TOTAL = (re.compile(rf"(?:共|合计|总计|共计)\s*(?:实施|安排|有|计)?\s*(?P<n>\d{{1,3}})\s*(?P<c>[{COUNTERS}])"),
               "全年实施项目共12个", "全年实施项目12个以上")
COUNT_PART = (re.compile(rf"(?P<phase>年初|年中|年内追加|追加|新增)[^，,。；;\d]{{0,10}}?(?P<n>\d{{1,3}})\s*(?P<c>[{COUNTERS}])"),
              "年初安排预算7个项目", "年初预算700万元")
EARLY, LATE = ("年初",), ("年中", "年内追加", "追加", "新增")
NOT_EXHAUSTIVE = re.compile(r"等|包括|其中|以及其他|之一")
# An item that carries its own count (…、医务室、6个大队) stands for that many of the things counted.
COUNTED_ITEM = (re.compile(rf"^(?P<n>\d{{1,3}}|[一二三四五六七八九十两]{{1,3}})\s*[{COUNTERS}]"), "6个大队", "六安站")


def _number(written: str) -> int:
    return int(written) if written.isdigit() else (chinese_to_int(written) or 0)


def _sentences(extraction: Extraction, closed: bool = False):
    """(index, line, sentence without asides, its offset in the line) of every line of running text; when closed,
    only sentences that end with their mark (a line cut short may list more on the next page)."""
    for index, line in enumerate(extraction.document.lines):
        if not line.text or line.cell or "\t" in line.text or line.text.count("|") >= 2:
            continue
        for match in SENTENCE.finditer(line.text):
            if not closed or match.end() < len(line.text):
                yield index, line, ASIDE.sub("", match.group(0)), match.start()


def _finding(extraction, params, rule, index, line, offset, message, expected, stated) -> Finding:
    number = line.line_at(offset)
    return rule.finding(params, message, extraction.outline.section_of(index).path, number,
                        extraction.document.raw_line(number).strip(), expected=expected, stated=stated)


UNIT_ENDINGS = frozenset("站所队科股室局院心部处办厂场馆园校会社组")  # the last character of a body's name


def _joins_two(items: list[str]) -> bool:
    """A last item joined by 和/及/与 may be two names (农机站和种子站, 车辆管理所及指挥中心) or one (生态环境和农业
    综合服务中心): two where the words before the join end as a body's name does (所) or as another listed name
    does; two is the count taken with one where unsure."""
    joiner = re.search(r"[和及与]", items[-1])
    if joiner is None:
        return False
    head = items[-1][:joiner.start()]
    return not head or head[-1] in UNIT_ENDINGS or head[-1] in {item[-1] for item in items[:-1] if item}


def _items_counted(item: str) -> int:
    own = COUNTED_ITEM[0].match(item)
    return max(_number(own.group("n")), 1) if own else 1


def listed_count(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A count announcing a list (…10个，即甲、乙、…) whose items, separated by 、, number otherwise."""
    findings = []
    for index, line, sentence, offset in _sentences(extraction, closed=True):
        for pattern, _, _ in ANNOUNCED_LISTS:
            for match in pattern.finditer(sentence):
                stated, listed = _number(match.group("n")), match.group("list").strip()
                end = match.end("list")
                if end < len(sentence) and sentence[end] in "，,：:":
                    continue  # the list goes on past a comma (or opens a clause): its end is not shown
                # A name listed twice may be one item written twice (a duplicate, not another unit), or items whose
                # names are masked alike ((略)建设项目、(略)建设项目): either count may be the one meant.
                written = [item.strip() for item in listed.split("、")]
                items = list(dict.fromkeys(written))
                if len(items) < MIN_LISTED or NOT_EXHAUSTIVE.search(listed) or \
                        any(not item or len(item) > MAX_ITEM_CHARS for item in items):
                    continue
                joined = _joins_two(items)
                counted = sum(_items_counted(item) for item in items)
                # A last item joined by 和 after a body's name (…委员会和办公室) is two: the count takes both.
                if stated in {len(items) + joined, len(written) + joined, counted + joined} or stated < 2:
                    continue
                counter = match.group("c")
                # The thing counted is named just before the count (直属单位10个) or just after it (10个单位).
                before = re.split(r"[^\u4e00-\u9fff]", sentence[max(0, match.start() - 8): match.start()])[-1]
                stated_as = f"{before}{match.group('n')}{counter}{match.group('noun')}"
                findings.append(_finding(
                    extraction, params, rule, index, line, offset + match.start(),
                    f"文中称“{stated_as}”，其后以“、”列出的却是{len(items) + joined}{counter}"
                    f"（“{items[0]}”至“{items[-1]}”），请核实。", len(items) + joined, stated))
    return findings


def parts_count(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A total count (共12个) whose parts in the same sentence, told apart by when they came (年初7个, 年中追加6个),
    add up to more than it."""
    findings = []
    for index, line, sentence, offset in _sentences(extraction):
        total = COUNT_TOTAL[0].search(sentence)
        if not total:
            continue
        parts = [m for m in COUNT_PART[0].finditer(sentence, total.end()) if m.group("c") == total.group("c")]
        early = [m for m in parts if m.group("phase") in EARLY]
        late = [m for m in parts if m.group("phase") in LATE]
        if len(early) != 1 or len(late) != 1:
            continue  # one part of each: more would be a breakdown of a part
        stated, summed = int(total.group("n")), int(early[0].group("n")) + int(late[0].group("n"))
        if summed <= stated:
            continue  # fewer may leave parts unnamed (结转, 续建): only parts exceeding their total are sure
        counter = total.group("c")
        findings.append(_finding(
            extraction, params, rule, index, line, offset + total.start(),
            f"文中称“{total.group(0)}”，而同句所列{early[0].group(0)}与{late[0].group(0)}合计"
            f"{early[0].group('n')}＋{late[0].group('n')}＝{summed}{counter}，多于所称总数{stated}{counter}，请核实。",
            summed, stated))
    return findings


# A total count and its 其中 right after it, each part counted in the same thing (16954套，其中：总平台558套；…).
# Parts in another counter may say the total's in an aside (14666台(套)). (pattern, example, counter-example)
BREAKDOWN_COUNTERS = "个家所项座处条类套台块件辆户间部批"
BREAKDOWN_TOTAL = (re.compile(rf"(?:共|合计|总计|共计)[^，,。；;\d]{{0,12}}?(?P<n>\d{{1,7}})\s*(?P<c>[{BREAKDOWN_COUNTERS}])"
                              r"\s*(?:[（(][^（()）]{0,12}[)）]\s*)?(?:[，,；;]\s*)?其中\s*[：:，,]?"),
                   "共安装设备120套，其中：甲平台30套", "共安装设备120套，主要用于甲平台")
BREAKDOWN_PART = (re.compile(rf"(?P<n>\d{{1,7}})\s*(?P<c>[{BREAKDOWN_COUNTERS}])(?:\s*[（(](?P<aside>[^（()）]{{0,12}})[)）])?"),
                  "前端补点设备96台（套）", "补点设备费96万元")
FULL_SENTENCE = re.compile(r"[^。！!？?]{1,600}")


def breakdown_count(extraction: Extraction, params: Params, rule: Rule) -> list[Finding]:
    """A total count (共120套) whose parts listed after 其中 in the same sentence, each counted in the same thing,
    add up to more than it. Parts that first reach the total exactly and go on are a second breakdown (其中省级5个、
    市级7个；新建8个、续建4个), not an error."""
    findings = []
    for index, line in enumerate(extraction.document.lines):
        if not line.text or line.cell or "\t" in line.text or line.text.count("|") >= 2:
            continue
        for sentence in FULL_SENTENCE.finditer(line.text):
            total = BREAKDOWN_TOTAL[0].search(sentence.group(0))
            if not total:
                continue
            rest = sentence.group(0)[total.end():]
            rest = rest[:rest.find("其中")] if "其中" in rest else rest  # a part's own breakdown is not a part
            counter, stated = total.group("c"), int(total.group("n"))
            parts = [int(m.group("n")) for m in BREAKDOWN_PART[0].finditer(rest)
                     if m.group("c") == counter or counter in (m.group("aside") or "")]
            running = [sum(parts[:k + 1]) for k in range(len(parts))]
            if len(parts) < 2 or running[-1] <= stated or stated in running:
                continue
            findings.append(_finding(
                extraction, params, rule, index, line, sentence.start() + total.start(),
                f"文中称“{total.group(0).rstrip('，,：:其中 ')}”，其后“其中”所列各项合计"
                f"{'＋'.join(map(str, parts))}＝{running[-1]}{counter}，多于所称总数{stated}{counter}，请核实。",
                running[-1], stated))
    return findings


RULES = (
    Rule("count.listed", "medium", "所称个数与列举个数不符", "a stated count followed (即 / 分别是 / a colon) by a complete "
         "list separated by 、 that names another number", unit="项", check=listed_count),
    Rule("count.parts", "low", "分项个数之和超过所称总数（请核实）", "parts of a stated total count, told apart by when "
         "they came (年初 / 年中追加), that add up to more than the total", unit="项", check=parts_count),
    Rule("count.breakdown", "low", "“其中”所列分项个数之和超过总数（请核实）", "a total count whose parts listed after "
         "其中 in the same sentence, counted in the same thing, add up to more than it", unit="项", check=breakdown_count),
)
