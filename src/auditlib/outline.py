"""outline: the numbered section tree of a report (一、 › （一） › 1、 › （1） › ①).

A numbered line is a heading or a numbered paragraph (list item). It is a list item when it reads like
one (long, a sentence after its title, or ending like a list entry with ；), and otherwise by its run:
the consecutive siblings of one numbering style are headings when one of them, before the last, is
followed by content of its own. A heading written in a deeper style but followed by a （一）-style child
(a Word list turned "一、" into "1、") acts at the level above that child, so the tree stays right and the
mis-numbering can be reported.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator

import pandas as pd

from auditlib.ingest import Document, Line
from auditlib.numbers import chinese_to_int
from auditlib.vocabulary import CN_NUMERALS, NUMBERING_STYLES

# Each numbering style's canonical rank (the level it marks in a well-formed report) and pattern.
STYLES = {style.name: (style.rank, style.pattern) for style in NUMBERING_STYLES}
MAX_TITLE_CHARS = 50
ITEM_ENDINGS = "；;，,、"
TRAILING_PUNCTUATION = "。.：:；;，,、 "


@dataclass(frozen=True)
class Numbering:
    """A numbered line: its style, number, the marker as written and the text after it."""

    style: str
    number: int
    marker: str
    rest: str
    full_width: bool

    @property
    def rank(self) -> int:
        """The level this style marks in a well-formed report (1 for 一、)."""
        return STYLES[self.style][0]

    @property
    def label(self) -> str:
        """The number in its canonical written form: 第一部分, 一, （一）, 1, （1）, ①."""
        if self.style == "part":
            return f"第{_cn(self.number)}部分"
        if self.style == "cn":
            return _cn(self.number)
        if self.style == "cn_paren":
            return f"（{_cn(self.number)}）"
        if self.style == "arabic_paren":
            return f"（{self.number}）"
        if self.style == "circled":
            return chr(0x245F + self.number)
        return str(self.number)


def _cn(number: int) -> str:
    if number <= 10:
        return CN_NUMERALS[number - 1]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else _cn(tens)) + "十" + ("" if not ones else _cn(ones))


def parse_numbering(text: str) -> Numbering | None:
    """The numbering at the start of a line, if any (一、 （一） (一) 1、 1. （1） ①)."""
    for style, (_, pattern) in STYLES.items():
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groups()
        if style == "circled":
            number = ord(groups[0]) - 0x245F
        elif style == "part":
            number = int(groups[0]) if groups[0].isdigit() else chinese_to_int(groups[0])
        elif style in ("cn", "cn_paren"):
            number = chinese_to_int(groups[-2])
        else:
            number = int(groups[-2])
        if not number:
            continue
        marker = text[: match.start(len(groups))].strip()
        return Numbering(style, number, marker, groups[-1].strip(), full_width=not marker.startswith("("))
    return None


@dataclass
class Section:
    """A heading and what stands under it until the next heading."""

    numbering: Numbering | None
    title: str
    line: int
    index: int  # position of the heading in Document.lines (-1 for the root)
    level: int = 0
    parent: "Section | None" = field(default=None, repr=False)
    children: list["Section"] = field(default_factory=list, repr=False)
    body: list[Line] = field(default_factory=list, repr=False)
    end_line: int = 0
    effective_rank: int = 0

    @property
    def labels(self) -> tuple[str, ...]:
        """The numbering labels from the top of the tree down to this section."""
        if self.parent is None or self.numbering is None:
            return ()
        return self.parent.labels + (self.numbering.label,)

    @property
    def path(self) -> str:
        """The section path as an auditor cites it, e.g. 二（一）1（2）."""
        parts: list[str] = []
        for label in self.labels:
            if parts and not parts[-1].endswith("）") and not label.startswith("（"):
                parts.append(".")
            parts.append(label)
        return "".join(parts)

    @property
    def body_text(self) -> str:
        """The text directly under this heading, children excluded."""
        return "\n".join(line.text for line in self.body if line.text)

    @property
    def body_chars(self) -> int:
        """Characters of text directly under this heading (whitespace excluded)."""
        return sum(len(re.sub(r"\s", "", line.text)) for line in self.body)

    @property
    def heading_text(self) -> str:
        """The heading line as it reads after normalisation."""
        return f"{self.numbering.marker}{self.numbering.rest}" if self.numbering else self.title

    def walk(self) -> Iterator["Section"]:
        """This section and every section under it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Outline:
    """The section tree of a document."""

    root: Section
    document: Document
    contents: list[int] = field(default_factory=list)  # source lines of a contents page (目录), not headings

    @cached_property
    def sections(self) -> list[Section]:
        """Every heading section in document order (the root preamble excluded)."""
        return [section for section in self.root.walk() if section is not self.root]

    @cached_property
    def _starts(self) -> list[int]:
        return [section.index for section in self.sections]

    def section_of(self, index: int) -> Section:
        """The innermost section containing the line at Document.lines[index]."""
        position = bisect.bisect_right(self._starts, index) - 1
        return self.sections[position] if position >= 0 else self.root

    def find(self, path: str) -> Section | None:
        """The section with this path, if any."""
        return next((section for section in self.sections if section.path == path), None)

    def to_frame(self) -> pd.DataFrame:
        """One row per section: path, level, title, style, number, line span, body size."""
        rows = [{
            "path": section.path, "level": section.level, "title": section.title,
            "style": section.numbering.style, "number": section.numbering.number,
            "marker": section.numbering.marker, "line": section.line, "end_line": section.end_line,
            "body_chars": section.body_chars, "children": len(section.children),
        } for section in self.sections]
        return pd.DataFrame(rows, columns=["path", "level", "title", "style", "number", "marker", "line",
                                           "end_line", "body_chars", "children"])


@dataclass
class _Candidate:
    index: int
    numbering: Numbering
    definite_item: bool
    has_content: bool = False
    parents_first_child: bool = False
    heading: bool = False


def _is_candidate_line(line: Line) -> bool:
    return bool(line.text) and not line.cell and "\t" not in line.text


def _reads_like_item(numbering: Numbering) -> bool:
    rest = numbering.rest
    title = rest.rstrip(TRAILING_PUNCTUATION)
    if numbering.style in ("part", "cn"):
        return len(title) > MAX_TITLE_CHARS
    inner = rest[:-1]
    sentence_inside = any(mark in inner for mark in "。；;") or bool(re.search(r"[：:].{6,}", rest))
    return len(title) > MAX_TITLE_CHARS or sentence_inside or rest.endswith(tuple(ITEM_ENDINGS))


CONTENTS_TITLE = re.compile(r"^目\s*录$|^目\s*次$|^contents$", re.IGNORECASE)
# An entry of a contents page ends with its page number: 第一部分 部门概况……3, 一、基本情况 5.
CONTENTS_ENTRY = re.compile(r"(?:[.…·\s_-]{2,}|\s)\d{1,3}$")
MIN_CONTENTS_RUN = 3


def contents_lines(lines: list[Line]) -> set[int]:
    """Indices of the lines of a contents page (目录): after its title, the short lines up to the first one
    that has a body of its own; without a title, a run of three or more entries ending in page numbers."""
    found: set[int] = set()
    texts = [(i, line.text) for i, line in enumerate(lines) if line.text]
    position = 0
    while position < len(texts):
        index, text = texts[position]
        if CONTENTS_TITLE.match(text.replace(" ", "")):
            found.add(index)
            position += 1
            entries: set[str] = set()
            while position < len(texts):
                index, text = texts[position]
                following = texts[position + 1][1] if position + 1 < len(texts) else ""
                entry = CONTENTS_ENTRY.sub("", text).strip()
                body_follows = len(following) > MAX_TITLE_CHARS or not (
                    parse_numbering(following) or CONTENTS_ENTRY.search(following))
                # The body begins with the first entry again, or with a heading that has text under it.
                if len(text) > MAX_TITLE_CHARS or entry in entries or (not CONTENTS_ENTRY.search(text) and body_follows):
                    break
                entries.add(entry)
                found.add(index)
                position += 1
            continue
        run = []
        while position < len(texts) and len(texts[position][1]) <= MAX_TITLE_CHARS and CONTENTS_ENTRY.search(texts[position][1]):
            run.append(texts[position][0])
            position += 1
        if len(run) >= MIN_CONTENTS_RUN:
            found.update(run)
        position += 0 if run else 1
    return found | _bare_contents(texts)


# A contents page printed without its title or page numbers: a long run of headings with no line of text between
# them, over two parts or more (一、… 二、…). No filled-in report leaves that many headings empty in a row.
MIN_BARE_CONTENTS_RUN = 6
MIN_BARE_CONTENTS_PARTS = 2


def _bare_contents(texts: list[tuple[int, str]]) -> set[int]:
    found: set[int] = set()
    run: list[tuple[int, str]] = []
    for index, text in [*texts, (-1, "")]:
        numbering = parse_numbering(text) if text and len(text) <= MAX_TITLE_CHARS and "。" not in text else None
        if numbering and numbering.rest:
            run.append((index, numbering.style))
            continue
        entries = run[:-1]  # the run's last heading has the text after it: the body's first heading
        if len(entries) >= MIN_BARE_CONTENTS_RUN and sum(style == "cn" for _, style in entries) >= MIN_BARE_CONTENTS_PARTS:
            found.update(i for i, _ in entries)
        run = []
    return found


def _candidates(lines: list[Line], contents: set[int]) -> list[_Candidate]:
    found = []
    for index, line in enumerate(lines):
        if not _is_candidate_line(line) or index in contents:
            continue
        numbering = parse_numbering(line.text)
        if numbering and numbering.rest:
            found.append(_Candidate(index, numbering, _reads_like_item(numbering)))
    by_index = {candidate.index: candidate for candidate in found}
    for candidate in found:
        following = next((i for i in range(candidate.index + 1, len(lines)) if lines[i].text), None)
        if following is None:
            continue
        after = by_index.get(following)
        if after is None:
            candidate.has_content = True
        else:
            is_child = after.numbering.style != candidate.numbering.style and (
                after.numbering.number == 1 or after.numbering.rank > candidate.numbering.rank)
            candidate.has_content = is_child
            # A deeper style followed by a first （一）-style child is a heading acting one level up.
            candidate.parents_first_child = (after.numbering.number == 1
                                             and 2 <= after.numbering.rank < candidate.numbering.rank)
    return found


def _runs(candidates: list[_Candidate]) -> list[list[_Candidate]]:
    """Group candidates into runs of consecutive siblings of one style."""
    open_runs: dict[str, list[_Candidate]] = {}
    runs: list[list[_Candidate]] = []
    for candidate in candidates:
        style, rank = candidate.numbering.style, candidate.numbering.rank
        for other in list(open_runs):
            if STYLES[other][0] > rank:
                del open_runs[other]
        run = open_runs.get(style)
        if run is None or candidate.numbering.number != run[-1].numbering.number + 1:
            run = []
            runs.append(run)
            open_runs[style] = run
        run.append(candidate)
    return runs


def _classify(candidates: list[_Candidate]) -> None:
    for run in _runs(candidates):
        maybes = [c for c in run if not c.definite_item]
        if len(maybes) * 2 < len(run):
            continue  # a run of numbered paragraphs; its short members are list items too
        is_heading_run = any(c.has_content for c in run[:-1]) or (len(run) == 1 and run[0].has_content)
        for candidate in maybes:
            candidate.heading = is_heading_run or candidate.parents_first_child


def build_outline(document: Document) -> Outline:
    """Build the section tree of a document."""
    lines = document.lines
    contents = contents_lines(lines)
    candidates = _candidates(lines, contents)
    _classify(candidates)
    headings = [c for c in candidates if c.heading]

    preamble = [line.text for index, line in enumerate(lines[: headings[0].index if headings else len(lines)])
                if line.text and index not in contents]
    title_lines = []
    for text in preamble:
        if len(text) > MAX_TITLE_CHARS:
            break
        title_lines.append(text)
    root = Section(None, " ".join(title_lines[:4]), 1, -1, level=0, effective_rank=0)
    sections = []
    for position, candidate in enumerate(headings):
        numbering = candidate.numbering
        rank = numbering.rank
        following = headings[position + 1] if position + 1 < len(headings) else None
        if following and following.numbering.number == 1 and 2 <= following.numbering.rank < rank and rank > 0:
            rank = following.numbering.rank - 1
        sections.append(Section(numbering, numbering.rest.rstrip(TRAILING_PUNCTUATION),
                                lines[candidate.index].line, candidate.index, effective_rank=rank))

    stack = [root]
    for section in sections:
        while len(stack) > 1 and stack[-1].effective_rank >= section.effective_rank:
            stack.pop()
        section.parent = stack[-1]
        section.level = len(stack)
        stack[-1].children.append(section)
        stack.append(section)

    starts = [s.index for s in sections] + [len(lines)]
    root.body = lines[: starts[0]]
    root.end_line = lines[-1].source_lines[-1] if lines else 0
    for section, end in zip(sections, starts[1:]):
        section.body = lines[section.index + 1: end]
    for position, section in enumerate(sections):
        # A section ends where the next heading at its level or above begins.
        following = next((other for other in sections[position + 1:] if other.level <= section.level), None)
        end = following.index if following else len(lines)
        section.end_line = lines[end - 1].source_lines[-1]
    return Outline(root, document, sorted(lines[index].line for index in contents))
