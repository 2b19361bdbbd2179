"""Saved web pages: the article body and its tables, not the site's navigation, scripts or footers (lxml); a page
saved as one file (.mht / .mhtml, a MIME archive: what a browser, Word or Excel saves as a "single file web page")
reads as its pages, in order."""

from __future__ import annotations

import codecs
import re

from auditlib.errors import UnreadableReport
from auditlib.ingest.decode import decode_report
from auditlib.ingest.document import Block, ReadResult
from auditlib.ingest.formats.grid import resolve_spans, row_text

DECLARED_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
# Never part of a report's text: code, forms and the site's furniture.
DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "form",
                "button", "select", "input", "textarea", "nav", "header", "footer", "aside", "head")
# Class or id words of a site's furniture (navigation, breadcrumbs, share bars, footers) on government sites.
FURNITURE = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumb|crumb|sidebar|footer|header|share|toolbar|"
                       r"topbar|banner|copyright|related|pager)(?:$|[\s_-])", re.IGNORECASE)
# Class or id words of the block holding a page's title above its article.
TITLE_MARKS = re.compile(r"(?:^|[\s_-])(?:title|tit|biaoti|bt|headline|subject)(?:$|[\s_-])")
PAGER_WORDS = re.compile(r"共\s{0,3}\d{1,4}\s{0,3}页|第\s{0,3}\d{1,4}\s{0,3}页|上一页|下一页|上一篇|下一篇|首页|尾页|末页|"
                         r"打印本页|打印|关闭窗口|关闭|返回顶部|分享到")
BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main", "title",
              "ul", "ol", "blockquote", "pre", "dd", "dt", "center", "caption", "hr"}


def looks_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower()


# A MIME archive opens with its headers: MIME-Version, and a multipart/related body (the page and its images).
MIME_HEAD = re.compile(rb"^MIME-Version:\s*1\.0", re.IGNORECASE | re.MULTILINE)
MIME_RELATED = re.compile(rb"^Content-Type:\s*multipart/related", re.IGNORECASE | re.MULTILINE)
MIME_HEAD_BYTES = 4096


def looks_mhtml(data: bytes) -> bool:
    head = data[:MIME_HEAD_BYTES]
    return bool(MIME_HEAD.search(head) and MIME_RELATED.search(head))


def read_mhtml(data: bytes, path: str) -> ReadResult:
    """Every web page of the archive (a workbook saved so holds a page per sheet), its blocks in order."""
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    blocks: list[Block] = []
    encoding = "utf-8"
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        page = part.get_payload(decode=True) or b""
        charset = part.get_content_charset()
        if charset:
            try:
                page = page.decode(codecs.lookup(charset).name).encode("utf-8")  # the part's own charset, told apart
            except (LookupError, UnicodeDecodeError):
                pass
        if page.strip():
            page_blocks, encoding = read_html(page, path)
            blocks.extend(page_blocks)
    if not blocks:
        raise UnreadableReport(f"网页存档中没有可读的网页 ({path}): the .mht archive holds no web page with text. "
                               "请在浏览器中打开后另存为网页或文本 / open it in a browser and save it as a web page.")
    return blocks, encoding, "mht"


def _decode(data: bytes, path: str) -> tuple[str, str]:
    declared = DECLARED_CHARSET.search(data[:4096])
    try:
        return decode_report(data, path)
    except UnreadableReport:
        if not declared:
            raise
    name = declared.group(1).decode("ascii", "replace")
    try:
        codec = codecs.lookup(name).name
    except LookupError as error:
        raise UnreadableReport(
            f"网页声明的字符集无法识别 ({path}): charset={name!r} is not a known text encoding, and the page is not "
            "UTF-8, UTF-16 or GBK. 请在浏览器中另存为 UTF-8 网页或文本 / save the page again as UTF-8.") from error
    return data.decode(codec, errors="replace"), codec


def read_html(data: bytes, path: str) -> ReadResult:
    import lxml.html

    text, encoding = _decode(data, path)
    try:
        root = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError) as error:
        raise UnreadableReport(f"网页无法解析 ({path}): {error}. 请另存为文本 / save it as text.") from error
    _drop_furniture(root)
    blocks: list[Block] = []
    walker = _Walker(blocks)
    for element in _article(root):
        walker.walk(element)
        walker.flush()
    return [block for block in blocks if block.text.strip() and not _pager(block.text)], encoding


def _pager(text: str) -> bool:
    """A page's furniture written as text: 第 8 页 共 8 页, 上一页 下一页, 打印本页 | 关闭窗口."""
    return (len(text) <= 60 and PAGER_WORDS.search(text) is not None
            and not PAGER_WORDS.sub("", text).strip(" |/／，,.·-—0123456789【】[]"))


def _drop_furniture(root) -> None:
    for element in list(root.iter(*DROPPED_TAGS)):
        element.drop_tree()
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        marks = f"{element.get('class', '')} {element.get('id', '')}"
        if FURNITURE.search(marks) and element.tag not in ("table", "tr", "td", "th", "body", "html"):
            element.drop_tree()


def _article(root) -> list:
    """The page's article: <article> or <main> when the page has one, else the block with the most text,
    found however deep it sits in wrappers (a centred <center> or <div style="margin:0 auto">), with the
    title the page sets above it (an <h1>-<h3>, or a block whose class or id says title) kept in front."""
    for tag in ("article", "main"):
        found = list(root.iter(tag))
        if found:
            return [max(found, key=_text_length)]
    body = root.find("body")
    body = body if body is not None else root
    best, best_length = body, _text_length(body)
    titles = []
    # The content block holds most of the page's text; descend while one child holds nearly all of it.
    while True:
        children = [child for child in best if isinstance(child.tag, str)]
        if not children:
            return [*titles, best]
        child = max(children, key=_text_length)
        length = _text_length(child)
        if length < 0.8 * best_length or child.tag in ("table", "p"):
            return [*titles, best]
        titles += [sibling for sibling in children[:children.index(child)] if _is_title(sibling)]
        best, best_length = child, length


def _is_title(element) -> bool:
    marks = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return (element.tag in ("h1", "h2", "h3") or TITLE_MARKS.search(marks) is not None) and 0 < _text_length(element) <= 200


def _text_length(element) -> int:
    return len(re.sub(r"\s", "", element.text_content()))


class _Walker:
    """Flatten the body: block elements end lines, a table becomes one tab-separated line per row."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.parts: list[str] = []
        self.tables = 0

    def flush(self) -> None:
        text = re.sub(r"[ \t\r\n\f\v]+", " ", "".join(self.parts)).strip()
        if text:
            self.blocks.append(Block(text))
        self.parts = []

    def walk(self, element) -> None:
        if isinstance(element.tag, str) and element.tag == "table":
            self.flush()
            self.table(element)
        else:
            if element.tag in BLOCK_TAGS:
                self.flush()
            if element.text:
                self.parts.append(element.text)
            for child in element:
                self.walk(child)
                if child.tail:
                    self.parts.append(child.tail)
            if element.tag in BLOCK_TAGS:
                self.flush()

    def table(self, table) -> None:
        self.tables += 1
        number = self.tables
        rows = [row for row in table.iter("tr") if _nearest_table(row) is table]
        grid = resolve_spans([[(_cell_text(cell), _span(cell, "colspan"), _span(cell, "rowspan"))
                       for cell in row if cell.tag in ("td", "th")] for row in rows])
        for index, cells in enumerate(grid, start=1):
            self.blocks.append(Block(row_text(cells), f"表{number}第{index}行"))
        for nested in (t for t in table.iter("table") if t is not table and _nearest_table(t.getparent()) is table):
            self.table(nested)


def _nearest_table(element):
    while element is not None and element.tag != "table":
        element = element.getparent()
    return element


def _cell_text(cell) -> str:
    parts = [cell.text or ""]
    for child in cell:
        if child.tag == "table":
            parts.append(child.tail or "")
            continue  # a nested table is read as a table of its own
        parts.append(" " if child.tag in BLOCK_TAGS else "")
        parts.append(child.text_content())
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _span(cell, name: str) -> int:
    value = (cell.get(name) or "1").strip()
    value = value[:9]  # a span is bounded by the table (grid.resolve_spans); never parse a 10⁵-digit number
    return int(value) if value.isascii() and value.isdigit() and int(value) > 0 else 1
