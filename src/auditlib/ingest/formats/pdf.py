"""PDF with a text layer (pdfplumber, on pdfminer.six): pages in order, running headers, footers and page
numbers dropped, lines wrapped by the page width re-joined, ruled tables read as tables. A scanned PDF (no
text layer) is read by OCR when the optional extra is installed (auditlib[ocr]), and marked as OCR."""

from __future__ import annotations

import bisect
import io
import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from auditlib.errors import ReportTooLarge, UnreadableReport, UnsupportedFormat
from auditlib.ingest.document import Block, ReadResult
from auditlib.ingest.formats.grid import row_text
from auditlib.ingest.limits import MAX_OCR_PAGES, MAX_PDF_PAGES
from auditlib.ingest.normalize import PAGE_NUMBER_RE, SENTENCE_END
from auditlib.numbers import chinese_to_int
from auditlib.vocabulary import NUMBERING_STYLES

OPEN_CLAUSE = "，,、"  # a line ending on one of these has not ended its clause
# At the right edge only a full stop ends a paragraph: a colon there (…其中：) is the page width's break, and what
# follows it continues the sentence unless it is numbered or indented.
PARAGRAPH_END = SENTENCE_END.replace("：", "").replace(":", "")
# A line within this share of the page height from its top or bottom edge may be a running header or footer.
MARGIN_SHARE = 0.1
# A margin line set smaller than this share of the text's median character width is a running header or footer.
SMALL_TYPE_SHARE = 0.85
# A line ending this close to the right edge of the text (in character widths) was wrapped, not ended.
WRAP_SLACK_CHARS = 4
# Text read from page images is marked so in every line's location and in the document's encoding.
OCR_MARK = "（OCR识别）"
OCR_ENCODING = "ocr"
OCR_RESOLUTION = 150  # dots per inch of the page images the OCR model reads
OCR_MIN_SCORE = 0.5
MAX_REFERENCE_CHAIN = 32  # an object that is a reference to a reference ... this deep is a cycle


def looks_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def read_pdf(data: bytes, path: str) -> ReadResult:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        _check_reference_chains(data, path)  # before pdfplumber, whose close() walks the pages too
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise ReportTooLarge(f"PDF 页数过多 ({path}): {len(pdf.pages)} pages, over the {MAX_PDF_PAGES} page "
                                     "limit. 请只提供自评报告部分 / give only the self-evaluation report.")
            pages = []
            carried: list[str] = []
            for page in pdf.pages:
                items, carried = _read_page(page, carried)
                pages.append(items)
            if not any(text for page in pages for _, text, _ in page):
                return _blocks(_drop_running_lines(_ocr_pages(pdf, path)), OCR_MARK), OCR_ENCODING
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise _encrypted(path) from error
    except PdfminerException as error:
        if isinstance(error.args[0] if error.args else None, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise _encrypted(path) from error
        raise _damaged(path, error) from error
    except (PSException, ValueError, KeyError, TypeError, IndexError, AttributeError, AssertionError, OSError) as error:
        raise _damaged(path, error) from error
    return _blocks(_drop_running_lines(pages)), "utf-8"


def _check_reference_chains(data: bytes, path: str) -> None:
    """Refuse a PDF whose objects refer to each other in a circle (5 0 obj 6 0 R, 6 0 obj 5 0 R): pdfminer
    follows such a chain for ever. Every object is loaded once (pdfminer caches it), so this is linear."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef

    document = PDFDocument(PDFParser(io.BytesIO(data)))
    for xref in document.xrefs:
        for objid in xref.get_objids():
            try:
                target = document.getobj(objid)
                for _ in range(MAX_REFERENCE_CHAIN):
                    if not isinstance(target, PDFObjRef):
                        break
                    target = document.getobj(target.objid)
                else:
                    raise UnreadableReport(
                        f"PDF 文件已损坏 ({path}): object {objid} refers to itself through a chain of references. "
                        "请重新导出 PDF 或提供 Word 原件 / export the PDF again, or give the Word file.")
            except UnreadableReport:
                raise
            except Exception:  # a missing or damaged object: reading the pages says what is wrong, if it matters
                continue


def _ocr_pages(pdf, path: str) -> list[list[tuple[str, str, object]]]:
    """A scanned PDF's pages read by OCR (RapidOCR with the PP-OCR models its package ships; nothing is
    fetched), in the same shape as text-layer pages."""
    try:
        import numpy
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise UnsupportedFormat(
            f"PDF 没有文字层 ({path}): it is a scanned image. 识别扫描件需要安装 OCR 扩展 / install the OCR extra: "
            "pip install 'auditlib[ocr]'; or give the Word file, or a PDF whose text can be selected.") from None
    if len(pdf.pages) > MAX_OCR_PAGES:
        raise ReportTooLarge(f"扫描版 PDF 页数过多 ({path}): {len(pdf.pages)} pages to read by OCR, over the "
                             f"{MAX_OCR_PAGES} page limit. 请只提供自评报告部分 / give only the self-evaluation report.")
    engine = RapidOCR()
    pages = []
    for page in pdf.pages:
        image = page.to_image(resolution=OCR_RESOLUTION).original.convert("RGB")
        width, height = image.size
        found, _ = engine(numpy.array(image))
        lines = []
        for box, text, score in found or []:
            text = _clean(text)
            if float(score) < OCR_MIN_SCORE or not text:
                continue
            xs, ys = [point[0] for point in box], [point[1] for point in box]
            lines.append((min(ys), min(xs), max(xs), max(ys), text))
        pages.append([("line", text, LineBox(top / height, bottom / height, x0, x1, (x1 - x0) / max(len(text), 1)))
                      for top, x0, x1, bottom, text in sorted(lines)])
    if not any(page for page in pages):
        raise UnsupportedFormat(f"扫描版 PDF 中未识别出文字 ({path}): OCR found no text on its pages. "
                                "请提供 Word 原件或更清晰的扫描件 / give the Word file, or a clearer scan.")
    return pages


def _encrypted(path: str) -> UnreadableReport:
    return UnreadableReport(f"PDF 已加密 ({path}): it needs a password to open. "
                            "请提供未加密的版本 / ask the sender for a copy without a password.")


def _damaged(path: str, error: Exception) -> UnreadableReport:
    return UnreadableReport(f"PDF 文件已损坏或不完整 ({path}): {type(error).__name__}: {error}. "
                            "请重新下载或索取完整文件 / download it again or ask for a complete copy.")


@dataclass(frozen=True)
class LineBox:
    """Where a line of text stands: top and bottom as shares of the page height, left and right ends and the
    width of one character in points (or pixels, for OCR); and, for a line that is a row of a table drawn
    without ruling lines, its cells."""

    top: float
    bottom: float
    x0: float
    x1: float
    char_width: float
    cells: tuple[str, ...] = ()  # a row of a table drawn without ruling lines, its cells told apart by their gaps


def _read_page(page, carried: list[str]) -> tuple[list[tuple[str, str, object]], list[str]]:
    """A page's lines and table rows in reading order: ("line", text, LineBox) or ("row", text, row number); and
    the text of the merged cells that reach its last table's last row (`carried` is the previous page's)."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside(obj) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    lines = [line for line in text_page.extract_text_lines(return_chars=True) if line["text"].strip()]
    cells = _unruled_rows(lines)
    items: list[tuple[float, str, str, object]] = []
    for index, line in enumerate(lines):
        if cells[index] is None:
            continue  # a piece of a wrapped cell, now in its row
        widths = [char["x1"] - char["x0"] for char in line["chars"] if char["text"].strip()]
        char_width = sorted(widths)[len(widths) // 2] if widths else 10.0
        items.append((line["top"], "line", _clean(line["text"]),
                      LineBox(line["top"] / page.height, line["bottom"] / page.height, line["x0"], line["x1"], char_width,
                              tuple(text for _, _, text in cells[index]))))
    reaching: list[str] = []
    for number, table in enumerate(sorted(tables, key=lambda t: t.bbox[1])):
        rows = table.extract()
        filled = _fill_merged(table, rows, carried if number == 0 else [])
        for index, row in enumerate(filled, start=1):
            items.append((table.bbox[1] + index * 1e-3, "row", row_text(row), index))
        if filled:
            reaching = [text if covered is None else "" for text, covered in zip(filled[-1], rows[-1])]
    items.sort(key=lambda item: item[0])
    return [(kind, text, extra) for _, kind, text, extra in items], reaching


# In a table drawn without ruling lines, cells stand apart by at least this share of a character height: the
# padding on both sides of a cell's text; a space between words is a quarter to a third of one.
CELL_GAP_SHARE = 0.6
# A table's row has at least this many cells: two are a label and its value, a line of text as much as a row.
MIN_ROW_CELLS = 3
# A line this close (in character heights) above or below a row, whose pieces fall in the row's empty columns
# or under one of its cells, is a cell the column's width wrapped: its other lines, centred on the row.
WRAP_GAP_SHARE = 0.4
MAX_WRAPPED_PIECES = 2
Segment = tuple[float, float, str]  # left, right, text


def _runs(chars: list[dict]) -> list[list[dict]]:
    """A line's runs of characters, cut where the gap to the next character is a cell's."""
    runs: list[list[dict]] = []
    for char in chars:
        if not char["text"].strip():
            continue
        if runs:
            before = runs[-1][-1]
            height = before.get("size") or (before["bottom"] - before["top"]) or 10.0
            if char["x0"] - before["x1"] < CELL_GAP_SHARE * height:
                runs[-1].append(char)
                continue
        runs.append([char])
    return runs


UNRULED_WORD_GAP = 3.0  # points: pdfplumber's x_tolerance, the gap it writes as a space


def _joined(run: list[dict]) -> str:
    # a space where words stand apart (2.1 万吨, ≥ 90%), as pdfplumber's own line text has; _clean drops it
    # between Chinese characters
    text = run[0]["text"]
    for before, char in zip(run, run[1:]):
        text += (" " if char["x0"] - before["x1"] > UNRULED_WORD_GAP else "") + char["text"]
    return _clean(text)


def _script(char: str) -> str:
    """"cjk" for Chinese characters and their punctuation, "latin" for letters and figures, "" for the rest."""
    if ord(char) >= 0x2E80 or char in "“”‘’":
        return "cjk"
    return "latin" if char.isascii() and char.isalnum() else ""


def _is_row(runs: list[list[dict]]) -> bool:
    """A line of at least three cells, one of its gaps not between a Chinese word and a figure. Justified text
    stretches the spaces between Chinese words and the figures or Latin words written apart in them (经费 18.5
    万元) as wide as a cell's gap, never a gap inside a run of characters or figures; a title set with its
    characters spread (自  评  报  告) is one word, not a row of one-character cells."""
    return (len(runs) >= MIN_ROW_CELLS and any(len(run) > 1 for run in runs)
            and any({_script(before[-1]["text"]), _script(after[0]["text"])} != {"cjk", "latin"}
                    for before, after in zip(runs, runs[1:])))


def _unruled_rows(lines: list[dict]) -> list[list[Segment] | None]:
    """Each line's cells when it is a row of a table drawn without ruling lines ([] when it is not a row,
    None when it is a piece of a wrapped cell, joined to its row). A cell the column's width wrapped to
    several lines is centred on its row: its pieces stand above and below the row's line, in a column the
    row leaves empty (全年执行 / 数 around 年初预算数 全年预算数 … 得分), or under or over one of its cells
    (项目资金（ over 万元） 其中：当年财政拨款 …); each is joined to the nearest row, top to bottom."""
    runs = [_runs(line["chars"]) for line in lines]
    segments = [[(run[0]["x0"], run[-1]["x1"], _joined(run)) for run in line_runs] for line_runs in runs]
    cells: list[list[Segment] | None] = [list(segments[i]) if _is_row(runs[i]) else [] for i in range(len(lines))]
    rows = sorted((i for i, c in enumerate(cells) if c), key=lambda i: lines[i]["top"])
    if not rows:
        return cells
    tops = [lines[row]["top"] for row in rows]
    for index in sorted(range(len(lines)), key=lambda i: lines[i]["top"]):
        pieces = segments[index]
        if cells[index] or not pieces or len(pieces) > MAX_WRAPPED_PIECES:
            continue
        line = lines[index]
        height = line["bottom"] - line["top"]
        choices = []
        below = bisect.bisect_right(tops, line["top"])
        for row in rows[max(below - 1, 0):below + 1]:  # the nearest row above it and below it
            gap = max(lines[row]["top"] - line["bottom"], line["top"] - lines[row]["bottom"])
            placed = _placed(cells[row], pieces, above=line["top"] < lines[row]["top"])
            if gap < WRAP_GAP_SHARE * height and placed is not None:
                merged = len(placed) == len(cells[row])  # every piece went into a cell already there
                choices.append((not merged, gap, row, placed))
        if choices:
            _, _, row, placed = min(choices, key=lambda choice: choice[:2])
            cells[row] = placed
            cells[index] = None
    return cells


def _placed(row: list[Segment], pieces: list[Segment], above: bool) -> list[Segment] | None:
    """The row with the pieces of a wrapped cell put in: each joined to the one cell it stands over or under,
    or a cell of its own in an empty column; None when a piece spans two cells."""
    placed = list(row)
    for left, right, text in pieces:
        over = [i for i, (x0, x1, _) in enumerate(placed) if x0 < right and left < x1]
        if len(over) > 1:
            return None
        if over:
            x0, x1, cell = placed[over[0]]
            placed[over[0]] = (min(x0, left), max(x1, right), text + cell if above else cell + text)
        else:
            placed.append((left, right, text))
            placed.sort()
    return placed


def _clean(text: str) -> str:
    # pdfminer puts a space between characters set a little apart; Chinese text has none between its characters.
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])", "", text).strip()


def _fill_merged(table, rows: list[list[str | None]], carried: list[str]) -> list[list[str]]:
    """pdfplumber gives None where a merged cell covers a grid position: the text of a cell spanning rows stands
    in each row it covers, a cell spanning columns keeps its text in its first column. A table the page broke
    goes on with its merged cells empty at the top of the next page: those take the text of the cell that
    reached the last row before the break (`carried`, when the tables are as wide)."""
    filled: list[list[str]] = []
    carried = carried if rows and len(carried) == len(rows[0]) else []
    for r, row in enumerate(rows):
        cells = []
        for c, cell in enumerate(row):
            if cell is not None and not cell.strip() and r == 0 and carried and carried[c]:
                cells.append(carried[c])
            elif cell is not None:
                cells.append(re.sub(r"\s*\n\s*", "", cell).strip())
            elif r and c < len(filled[-1]) and _spans_down(table, r, c):
                cells.append(filled[-1][c])
            else:
                cells.append("")
        filled.append(cells)
    return filled


def _spans_down(table, r: int, c: int) -> bool:
    """The cell above grid position (r, c) reaches down into row r."""
    for above in range(r - 1, -1, -1):
        box = table.rows[above].cells[c] if c < len(table.rows[above].cells) else None
        if box is not None:
            row_top = next((b[1] for b in table.rows[r].cells if b is not None), None)
            return row_top is not None and box[3] > row_top + 1
    return False


def _signature(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def _drop_running_lines(pages):
    """Drop page numbers, the lines repeated in the top or bottom margin of most pages, and (on any number of
    pages, one too) a margin line set in a smaller type than the text: a running header or footer."""
    counts: Counter[str] = Counter()
    for page in pages:
        seen = {_signature(text) for kind, text, box in page if kind == "line" and _in_margin(box)}
        counts.update(seen)
    repeated = {sig for sig, count in counts.items() if len(pages) >= 2 and count >= max(2, len(pages) // 2)}
    widths = [box.char_width for page in pages for kind, _, box in page if kind == "line"]
    body_width = median(widths) if widths else 0.0
    kept = []
    for page in pages:
        kept.append([(kind, text, box) for kind, text, box in page
                     if not (kind == "line" and _in_margin(box)
                             and (_signature(text) in repeated or PAGE_NUMBER_RE.match(text.replace(" ", ""))
                                  or box.char_width < SMALL_TYPE_SHARE * body_width))])
    return kept


def _in_margin(box: LineBox) -> bool:
    return box.top < MARGIN_SHARE or box.bottom > 1 - MARGIN_SHARE


def _numbering(text: str) -> tuple[str, int] | None:
    """A numbered line's style and number (一、 （二） 3. （4） ①, auditlib.vocabulary's styles), for telling a list
    item or heading from a wrapped line that happens to start with a figure ("2.6 万元、调研考察费…": a decimal,
    never a number)."""
    for style in NUMBERING_STYLES:
        match = style.pattern.match(text) if style.name != "part" else None
        if match:
            value = match.groups()[-2]
            number = ord(value) - 0x245F if style.name == "circled" else int(value) if value.isdigit() \
                else chinese_to_int(value)
            if number:
                return style.name, number
    return None


class _Outline:
    """The numbers seen so far by style: a numbered line continues the outline when its number is the next
    one of its style (or 1, a new list); otherwise it is a wrapped line that starts with a figure."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def is_next(self, text: str) -> bool:
        found = _numbering(text)
        return found is not None and found[1] in (1, self.last.get(found[0], 0) + 1)

    def see(self, text: str) -> None:
        found = _numbering(text)
        if found:
            self.last[found[0]] = found[1]


def _blocks(pages, mark: str = "") -> list[Block]:
    """Join lines the page width wrapped into paragraphs; tables stay a row per line. Each location ends
    with `mark` (OCR text says so).

    The text area is the document's, not one page's (a cover page of centred lines has no full line). A line
    starts a paragraph when the line before it did not run to the right edge, or ended a sentence; when it
    is centred (a cover or title line), or indented (a first line); or when it is the next number of the
    outline. A numbered heading's line is continued only by a line that stops short of the right edge (the
    rest of a long heading), never by the paragraph under it."""
    boxes = [box for page in pages for kind, _, box in page if kind == "line"]
    left = min((box.x0 for box in boxes), default=0.0)
    right = max((box.x1 for box in boxes), default=0.0)
    outline = _Outline()
    blocks: list[Block] = []
    paragraph: list[str] = []
    location = ""
    wrapped = heading = False
    table_count = 0
    for number, page in enumerate(pages, start=1):
        previous_kind = None
        row_number = 0
        for kind, text, box in page:
            if kind == "line" and box.cells:  # a row of a table drawn without ruling lines
                kind, text, box = "row", row_text(list(box.cells)), row_number + 1 if previous_kind == "row" else 1
            if kind == "row":
                if paragraph:
                    blocks.append(Block("".join(paragraph), location))
                    paragraph = []
                if previous_kind != "row" or box == 1:
                    table_count += 1
                row_number = box
                blocks.append(Block(text, f"第{number}页 表{table_count}第{box}行{mark}"))
                wrapped = heading = False
            else:
                slack = WRAP_SLACK_CHARS * box.char_width
                indent, gap = box.x0 - left, right - box.x1
                centred = indent > 2 * box.char_width and abs(indent - gap) < 2 * box.char_width
                reaches_right = gap <= slack
                continues = (wrapped and paragraph and not centred and indent < 1.5 * box.char_width
                             and not outline.is_next(text) and not (heading and reaches_right))
                if not continues and paragraph:
                    blocks.append(Block("".join(paragraph), location))
                    paragraph = []
                if not paragraph:
                    location = f"第{number}页{mark}"
                    # A heading is numbered and has no clause in it; a numbered paragraph of prose has.
                    heading = outline.is_next(text) and not any(mark in text for mark in "，,。；;")
                    outline.see(text)
                else:
                    heading = False
                paragraph.append(text)
                # A line of prose that stops on a comma goes on below even when the layout broke it short of the
                # edge (a word kept whole, CJK line-breaking rules); a heading does not.
                open_clause = text[-1] in OPEN_CLAUSE and not heading
                wrapped = not centred and (reaches_right and text[-1] not in PARAGRAPH_END
                                           or open_clause and text[-1] not in SENTENCE_END)
            previous_kind = kind
    if paragraph:
        blocks.append(Block("".join(paragraph), location))
    return blocks
