"""Repair what conversion from Word leaves in a report, keeping a map back to the source lines."""

from __future__ import annotations

import re

from auditlib.ingest.document import Artifact, Line

# No "[" inside: a run of unclosed "[bookmark:" is scanned once, not once per mark.
BOOKMARK_RE = re.compile(r"\[bookmark:[^\][]*\]")
MARKDOWN_BOLD_RE = re.compile(r"\*\*([^*]+)\*\*")
MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+")
PAGE_NUMBER_RE = re.compile(r"^(?:[-—–]\s*)?\d{1,3}(?:\s*[-—–])?$|^第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?$")
NUMBERING_START_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|[①-⑳]|第[一二三四五六七八九十]+[部章节])"
)
UNIT_START_RE = re.compile(r"^(?:万元|万|亿元|亿|元|%|％)")
SENTENCE_END = "。！？；：:;!?…”」』）)"
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９％", "0123456789%")
BLANKS = str.maketrans({"\u3000": " ", "\xa0": " ", "\u200b": "", "\ufeff": ""})
# A prose line this long that stops mid-sentence was cut by a page break, not ended.
MIN_CUT_PARAGRAPH = 40
MAX_BLANKS_IN_BREAK = 2


def split_lines(text: str) -> list[str]:
    """Split on every line end seen in the wild (LF, CRLF, CR), and nothing else."""
    return re.split(r"\r\n|\r|\n", text)


def _clean(raw: str, number: int, artifacts: list[Artifact]) -> str:
    for mark in BOOKMARK_RE.findall(raw):
        artifacts.append(Artifact("bookmark", number, mark))
    text = BOOKMARK_RE.sub("", raw)
    bold = MARKDOWN_BOLD_RE.search(text)
    if bold or MARKDOWN_HEADING_RE.match(text.strip()):
        artifacts.append(Artifact("markdown", number, bold.group(0) if bold else raw.strip()[:20]))
        text = MARKDOWN_HEADING_RE.sub("", MARKDOWN_BOLD_RE.sub(r"\1", text.strip()))
    text = text.translate(FULLWIDTH_DIGITS).translate(BLANKS)
    text = re.sub(r"(?<=\d)．(?=\d)", ".", text)
    return text.strip()


def _is_prose(line: Line | None) -> bool:
    return line is not None and not line.cell and len(line.text) > 3 and not PAGE_NUMBER_RE.match(line.text)


def normalize_lines(raw_lines: list[str]) -> tuple[list[Line], list[Artifact]]:
    """Return logical lines and the artifacts removed: bookmarks, page numbers, page-break splits."""
    artifacts: list[Artifact] = []
    lines = [
        Line(_clean(raw, number, artifacts), (number,), raw, cell=raw.startswith("\t"))
        for number, raw in enumerate(raw_lines, start=1)
    ]
    lines = _drop_page_numbers(lines, artifacts)
    return _join_page_breaks(lines, artifacts), artifacts


def _neighbour(lines: list[Line], index: int, step: int) -> Line | None:
    index += step
    while 0 <= index < len(lines):
        if lines[index].text:
            return lines[index]
        index += step
    return None


def _drop_page_numbers(lines: list[Line], artifacts: list[Artifact]) -> list[Line]:
    kept = []
    for index, line in enumerate(lines):
        blank_around = all(
            not (0 <= index + step < len(lines)) or not lines[index + step].text for step in (-1, 1)
        )
        if (line.text and not line.cell and PAGE_NUMBER_RE.match(line.text) and blank_around
                and _is_prose(_neighbour(lines, index, -1)) and _is_prose(_neighbour(lines, index, 1))):
            artifacts.append(Artifact("page_number", line.line, line.raw.strip()))
            continue
        kept.append(line)
    return kept


def _continues(previous: Line, following: Line) -> str | None:
    """Name the kind of page-break split between two lines, or None when they are separate."""
    if previous.cell or following.cell or not previous.text or not following.text:
        return None
    if re.search(r"\d$", previous.text) and UNIT_START_RE.match(following.text):
        return "split_number"
    if previous.text[-1] in SENTENCE_END or NUMBERING_START_RE.match(following.text):
        return None
    if len(previous.text) >= MIN_CUT_PARAGRAPH or (len(previous.text) >= MIN_CUT_PARAGRAPH // 2 and _unclosed(previous.text)):
        return "split_paragraph"
    return None


def _unclosed(text: str) -> bool:
    return any(text.count(opening) > text.count(closing) for opening, closing in ("“”", "（）", "《》", "()"))


def _join_page_breaks(lines: list[Line], artifacts: list[Artifact]) -> list[Line]:
    result: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        after = index + 1
        while after < len(lines) and not lines[after].text and after - index - 1 < MAX_BLANKS_IN_BREAK:
            after += 1
        if line.text and after < len(lines) and after > index + 1 and (kind := _continues(line, lines[after])):
            following = lines[after]
            artifacts.append(Artifact(kind, following.line, following.raw.strip()[:20]))
            offsets = line.offsets + tuple(len(line.text) + start for start in following.offsets)
            lines[after] = Line(line.text + following.text, line.source_lines + following.source_lines,
                                line.raw + "\n" + following.raw, offsets=offsets)
            index = after
            continue
        result.append(line)
        index += 1
    return result
