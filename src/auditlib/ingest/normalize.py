"""Repair what conversion from Word leaves in a report, keeping a map back to the source lines."""

from __future__ import annotations

import re
from functools import lru_cache

from auditlib.ingest.document import Artifact, Line
from auditlib.vocabulary import NUMBER_MARKER

# No "[" inside: a run of unclosed "[bookmark:" is scanned once, not once per mark.
BOOKMARK_RE = re.compile(r"\[bookmark:[^\][]*\]")
MARKDOWN_BOLD_RE = re.compile(r"\*\*([^*]+)\*\*")
MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+")
PAGE_NUMBER_RE = re.compile(r"^(?:[-—–]\s*)?\d{1,3}(?:\s*[-—–])?$|^第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?$")
NUMBERING_START_RE = re.compile(rf"^(?:{NUMBER_MARKER})")
UNIT_START_RE = re.compile(r"^(?:万元|万|亿元|亿|元|%|％)")
BREADCRUMB_RE = re.compile(r"[>＞»]\s*[^\s>＞»]+\s*[>＞»]")
FIGURE_LINE_RE = re.compile(r"^[\d.,，%％\s]+$")
SENTENCE_END = "。！？；：:;!?…”」』）)"
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９％", "0123456789%")
FULLWIDTH_POINT_RE = re.compile(r"(?<=\d)．(?=\d)")  # ６５．４２: a decimal point only between digits (1．概况 lists)


# １，４１６．３１: a full-width comma between full-width digits, three digits before the next, parts thousands.
FULLWIDTH_THOUSANDS_RE = re.compile(r"(?<=[０-９])，(?=[０-９]{3}(?![０-９]))")


def halfwidth_figures(text: str) -> str:
    """Figures typed full-width (１，４１６．３１　６５．４２％) as 1,416.31 and 65.42%."""
    return FULLWIDTH_POINT_RE.sub(".", FULLWIDTH_THOUSANDS_RE.sub(",", text).translate(FULLWIDTH_DIGITS))
# A page that escaped its marks twice shows the escapes as text (&gt;=95%, 3&lt;5): the marks they stand for.
LITERAL_ENTITIES_RE = re.compile(r"&(gt|lt|ge|le|amp|nbsp|quot);")
LITERAL_ENTITIES = {"gt": ">", "lt": "<", "ge": "≥", "le": "≤", "amp": "&", "nbsp": " ", "quot": '"'}


def literal_entities(text: str) -> str:
    """Escapes a page shows as text (&gt;=95%) as the marks they stand for (>=95%)."""
    return LITERAL_ENTITIES_RE.sub(lambda m: LITERAL_ENTITIES[m.group(1)], text) if "&" in text else text


BLANKS = str.maketrans({"\u3000": " ", "\xa0": " ", "\u200b": "", "\ufeff": ""})
SPACED_CHINESE_RE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
# Document-sharing sites annotate characters with their pinyin: 績(jī)效. The tone mark tells it from a (b).
# Tone marks are in Latin-1 (à á è é ì í ò ó ù ú ü) and Latin Extended (ā ǎ ē ě ī ǐ ō ǒ ū ǔ ǖ ǘ ǚ ǜ).
# Characters a page lost in a wrong encoding, shown as question marks where a line opens (?????一、项目概况).
LOST_OPENING_RE = re.compile(r"^[?\ufffd]+(?=[^?\ufffd\s]|$)")
PINYIN_NOTE_RE = re.compile(r"(?<=[\u4e00-\u9fff])\(([a-z\u00e0-\u00fc\u0101-\u01dc]{1,7})\)")
TONE_MARKS = set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ")
# A text counts as written in traditional script when this share of its Chinese characters differ after
# conversion to simplified; a handful of variants in a simplified text (乾, 著) do not make it so.
TRADITIONAL_SHARE = 0.01
MIN_TRADITIONAL_CHARS = 3
# A prose line this long that stops mid-sentence was cut by a page break, not ended.
MIN_CUT_PARAGRAPH = 40
MAX_BLANKS_IN_BREAK = 2
# Document-sharing sites show a document's pages as paragraphs numbered 1、 2、 3、…, each page cut wherever it
# ends (…预算支出910.4 | 2、7万元，其中…): the number opens a page, not an item, and the text runs on across it.
SHARED_PAGE_RE = re.compile(r"^(\d{1,3})、")
MIN_SHARED_PAGE = 200


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
    text = literal_entities(halfwidth_figures(text)).translate(BLANKS)
    # 绩 效 指 标: a single space between two Chinese characters is layout, never meaning.
    text = SPACED_CHINESE_RE.sub("", text)
    lost = LOST_OPENING_RE.match(text.strip())
    if lost:
        artifacts.append(Artifact("lost_characters", number, raw.strip()[:20]))
        text = text.strip()[lost.end():]
    text, first_note = _without_pinyin(text)
    if first_note:
        artifacts.append(Artifact("pinyin", number, first_note))
    return text.strip()


def _without_pinyin(text: str) -> tuple[str, str | None]:
    """The text without the pinyin notes a document-sharing site put after its characters, and the first note."""
    notes = [m for m in PINYIN_NOTE_RE.finditer(text) if TONE_MARKS & set(m.group(1))]
    if not notes:
        return text, None
    kept, position = [], 0
    for note in notes:
        kept.append(text[position: note.start()])
        position = note.end()
    return "".join(kept) + text[position:], notes[0].group(0)


def cells_text(raw: str, traditional: bool) -> str:
    """A source line as written, for reading its cells (its spaces part them): figures typed full-width made
    half-width and pinyin notes dropped and, in a text written in traditional script, the script converted, as
    the normalised lines are."""
    text, _ = _without_pinyin(literal_entities(halfwidth_figures(raw)))
    return _to_simplified()(text) if traditional else text


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc  # a maintained converter (OpenCC's dictionaries); imported only for the first report

    return opencc.OpenCC("t2s").convert


def to_simplified(lines: list[Line]) -> tuple[list[Line], str]:
    """Lines in simplified script, and the script the text was written in (simplified | traditional).

    Only the normalised text is converted: evidence still quotes the raw line as written.
    """
    convert = _to_simplified()
    converted = [convert(line.text) if line.text else line.text for line in lines]
    chinese = sum(1 for line in lines for ch in line.text if "\u4e00" <= ch <= "\u9fff")
    changed = sum(1 for line, text in zip(lines, converted) for a, b in zip(line.text, text) if a != b)
    if changed < max(MIN_TRADITIONAL_CHARS, TRADITIONAL_SHARE * chinese):
        return lines, "simplified"
    return [Line(text, line.source_lines, line.raw, line.cell, line.offsets) if text != line.text else line
            for line, text in zip(lines, converted)], "traditional"


def _is_prose(line: Line | None) -> bool:
    """Words on a line: not a cell, not a page number, not a figure (a table written one cell per paragraph puts
    its figures, 264 among them, on lines of their own)."""
    return line is not None and not line.cell and len(line.text) > 3 and not PAGE_NUMBER_RE.match(line.text) \
        and not FIGURE_LINE_RE.match(line.text)


def normalize_lines(raw_lines: list[str]) -> tuple[list[Line], list[Artifact], str]:
    """Return logical lines in simplified script, the artifacts removed (bookmarks, pinyin notes, page
    numbers, page-break splits) and the script the text was written in."""
    artifacts: list[Artifact] = []
    lines = [
        Line(_clean(raw, number, artifacts), (number,), raw, cell=raw.startswith("\t"))
        for number, raw in enumerate(raw_lines, start=1)
    ]
    lines, script = to_simplified(lines)
    lines = box_rows(lines)
    lines = _drop_page_numbers(lines, artifacts)
    return _join_page_breaks(lines, artifacts), artifacts, script


# A table drawn with box characters (┌─┬─┐ │a│b│ ├─┼─┤), as text exports and some sites print forms: its rules
# and its rows. A cell that wraps goes on, in its own column, on the lines down to the next rule.
BOX_VERTICALS = "│┃║"
BOX_RULE_RE = re.compile(r"^[\s─━═┄┈┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬╒╕╘╛╞╡╤╧╪╓╖╙╜╟╢╥╨╫┍┑┕┙┝┥┯┷┿┎┒┖┚┠┨┰┸╂│┃║]*[─━═┄┈][\s─━═┄┈┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬╒╕╘╛╞╡╤╧╪╓╖╙╜╟╢╥╨╫┍┑┕┙┝┥┯┷┿┎┒┖┚┠┨┰┸╂│┃║]*$")
BOX_SPLIT_RE = re.compile(f"[{BOX_VERTICALS}]")


def _box_row(text: str) -> bool:
    return len(text) > 1 and text[0] in BOX_VERTICALS and text[-1] in BOX_VERTICALS


def box_rows(lines: list[Line]) -> list[Line]:
    """A box-drawn table's rows as "| a | b |" lines (each from the text lines between two rules, a wrapped cell's
    pieces joined in their column), its rules dropped; every other line as it was."""
    result: list[Line] = []
    index = 0
    while index < len(lines):
        if not (BOX_RULE_RE.match(lines[index].text) or _box_row(lines[index].text)):
            result.append(lines[index])
            index += 1
            continue
        end = index
        while end < len(lines) and (BOX_RULE_RE.match(lines[end].text) or _box_row(lines[end].text)):
            end += 1
        result.extend(_box_table(lines[index:end]))
        index = end
    return result


def _box_table(block: list[Line]) -> list[Line]:
    groups: list[list[Line]] = [[]]
    for line in block:
        if BOX_RULE_RE.match(line.text):
            groups.append([])
        else:
            groups[-1].append(line)
    rows: list[list[Line]] = []
    for group in groups:
        if len(group) > 1 and not any(_goes_on(group[0], line) for line in group[1:]):
            rows += [[line] for line in group]  # no rule between rows (one under the header): a row per line
        elif group:
            rows.append(group)
    return [_box_line(row) for row in rows]


def _box_cells(line: Line) -> list[str]:
    return [cell.strip() for cell in BOX_SPLIT_RE.split(line.text)[1:-1]]


def _goes_on(first: Line, line: Line) -> bool:
    """line carries on first's cells (a wrapped cell): it leaves empty a column first fills."""
    return any(first_cell and not cell for first_cell, cell in zip(_box_cells(first), _box_cells(line)))


def _box_line(group: list[Line]) -> Line:
    pieces = [_box_cells(line) for line in group]
    if len({len(cells) for cells in pieces}) != 1:
        pieces = [[cell for row in pieces for cell in row]]  # the lines do not part alike: their cells in order
    cells = ["".join(column) for column in zip(*pieces)]
    text = "| " + " | ".join(cell.replace("|", "｜") for cell in cells) + " |"
    # its cells as read are what the row's cells are read from (the box lines quote it as evidence)
    return Line(text, tuple(line.line for line in group), text, False, (0,) + (len(text),) * (len(group) - 1))


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
    if previous.text.startswith("|") and previous.text.endswith("|"):
        return None  # a table's row (| a | b |) ends where it ends
    if re.search(r"\d$", previous.text) and UNIT_START_RE.match(following.text):
        return "split_number"
    if _shared_page_marker(previous, following):
        return "shared_page"
    if previous.text[-1] in SENTENCE_END or NUMBERING_START_RE.match(following.text):
        return None
    if BREADCRUMB_RE.search(previous.text):
        return None  # a site's path (首页 > 专栏 > …), cut at its end: the page's title follows, not its rest
    # The rest of a paragraph a page break cut ends its sentence or runs on; a short fragment with no full stop
    # (a form's next cell, one per paragraph: 绩效指标, 500) starts something else.
    rest_of_paragraph = following.text[-1] in SENTENCE_END or len(following.text) >= MIN_CUT_PARAGRAPH // 2
    if rest_of_paragraph and (len(previous.text) >= MIN_CUT_PARAGRAPH
                              or (len(previous.text) >= MIN_CUT_PARAGRAPH // 2 and _unclosed(previous.text))):
        return "split_paragraph"
    return None


def _shared_page_marker(previous: Line, following: Line) -> bool:
    """`following` opens with a page number (2、) and goes on with a shared document's page that `previous` ends
    mid-sentence, the page before numbered one less."""
    page = SHARED_PAGE_RE.match(following.text)
    last_page = previous.raw.rsplit("\n", 1)[-1].strip()
    return bool(page and previous.text[-1] not in SENTENCE_END and len(last_page) >= MIN_SHARED_PAGE
                and last_page.startswith(f"{int(page.group(1)) - 1}、"))


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
            marker = SHARED_PAGE_RE.match(following.text).group(0) if kind == "shared_page" else ""
            # The first page's number (1、) goes with the second's: neither is an item of the report.
            first_page = SHARED_PAGE_RE.match(line.text) if marker and len(line.source_lines) == 1 else None
            first = len(first_page.group(0)) if first_page else 0
            text = line.text[first:] + following.text[len(marker):]
            offsets = (tuple(max(0, start - first) for start in line.offsets)
                       + tuple(len(line.text) - first + max(0, start - len(marker)) for start in following.offsets))
            lines[after] = Line(text, line.source_lines + following.source_lines,
                                line.raw + "\n" + following.raw, offsets=offsets)
            index = after
            continue
        result.append(line)
        index += 1
    return result
