"""What several rules read off an extraction: whether the text is a whole report or part of one (absences are
not judged in an excerpt), and a line's words as the report writes them."""

from __future__ import annotations

import re

from auditlib.extract import Extraction
from auditlib.ingest.normalize import SENTENCE_END

# A headline rate derived from figures the report never puts together (read in different places, or summed from
# several lines) is a question, never a finding's ground.
QUESTIONED_SOURCES = ("paired", "mixed", "summed")


def starts_mid_report(extraction: Extraction) -> bool:
    """The first heading is numbered past the first (（二）…, 三、…): the text starts inside a report."""
    sections = extraction.outline.sections
    return bool(sections) and sections[0].numbering.number > 1


def is_excerpt(extraction: Extraction) -> bool:
    """The text is part of a report: it starts inside one or stops mid-sentence."""
    return extraction.document.ends_mid_sentence or starts_mid_report(extraction)


def cut_mid_sentence(extraction: Extraction) -> bool:
    """The text stops inside a sentence: inside a word or after a comma, or in a sentence of prose that stops at a
    figure with no full stop (…资金执行率为70.33%), which a field or a date on its own line does not."""
    if extraction.document.ends_mid_sentence:
        return True
    last = next((line for line in reversed(extraction.document.lines) if line.text.strip()), None)
    if last is None or last.cell:
        return False
    text = last.text.strip()
    return text[-1] not in SENTENCE_END and any(mark in text for mark in "，,")


def quote(extraction: Extraction, line: int) -> str:
    """The source line as the report writes it (the evidence a finding quotes)."""
    return extraction.document.raw_line(line).strip()


# How a whole report (or form) ends: a closing phrase, a signature date, an attachment. Each entry: (pattern, an
# example it must match, an example it must not match); looked for in the last lines only.
ENDINGS = (
    (r"特此(?:报告|说明)", "特此报告。", "现将有关情况报告如下："),
    (r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$", "2023年3月20日", "2023年3月20日完成验收"),
    (r"^附(?:件|表)\s*\d*\s*[:：、.]?[^。]{0,30}$", "附件：项目支出绩效自评表", "附表中的数据与正文一致。"),
)
# The parts a report closes with: a text whose last part is one of them has reached its end.
CLOSING_PARTS = re.compile(r"建议|改进|措施|下一步|其他需要说明|其他说明")
CUT_MARKERS = re.compile(r"(?:显示|展开|查看|阅读)全文|点击(?:查看|阅读)更多|未完[，,]?待续")
ENDING_LINES = 3  # a form's contact lines and an attachment list may open a page: only its very end counts
_ENDINGS = re.compile("|".join(f"(?:{pattern})" for pattern, _, _ in ENDINGS))


MIN_CLOSING_CHARS = 20  # a closing part with less under it is a heading the excerpt stops at


def visibly_ends(extraction: Extraction) -> bool:
    """The text shows its end: a closing phrase, date or attachment in its last lines, or a closing part last.
    A text that shows none may hold a missing part (or score) further on: its absence is then a question."""
    last_lines = [line.text.strip() for line in extraction.document.lines if line.text.strip()][-ENDING_LINES:]
    if any(CUT_MARKERS.search(text) for text in last_lines):
        return False  # a page that shows only the start of a document (显示全文)
    if any(_ENDINGS.search(text) for text in last_lines):
        return True
    # A closing part last, with something written under it: an excerpt cut right after its heading (…改进措施 then
    # one character) has not shown its end.
    top = [section for section in extraction.outline.sections if section.level == 1]
    return bool(top) and bool(CLOSING_PARTS.search(top[-1].title)) and \
        sum(section.body_chars for section in top[-1].walk()) >= MIN_CLOSING_CHARS
