"""Readers turn a report file into text lines; a new format plugs in with @register.

Each reader returns (text, encoding). Readers are tried in registration order: the first whose
`sniff` accepts the leading bytes wins, so detection is by content, never by file name.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Callable
from xml.etree import ElementTree

from auditlib.errors import UnreadableReport, UnsupportedFormat
from auditlib.ingest.decode import decode_report


@dataclass(frozen=True)
class Reader:
    """A named format: how to recognise its bytes and how to turn them into text."""

    format: str
    sniff: Callable[[bytes], bool]
    read: Callable[[bytes, str], tuple[str, str]]


READERS: list[Reader] = []


def register(format: str, sniff: Callable[[bytes], bool]):
    """Register a reader function `read(data, path) -> (text, encoding)` for a format."""

    def decorator(read):
        READERS.append(Reader(format, sniff, read))
        return read

    return decorator


def reader_for(data: bytes) -> Reader:
    """The first registered reader whose sniff accepts the bytes."""
    for reader in READERS:
        if reader.sniff(data):
            return reader
    raise UnsupportedFormat("no reader accepts this file")  # unreachable: text accepts everything


@register("pdf", lambda data: data.lstrip()[:5] == b"%PDF-")
def read_pdf(data: bytes, path: str) -> tuple[str, str]:
    raise UnsupportedFormat(
        f"PDF 报告暂不支持 ({path}): auditlib cannot read PDF yet. Open it and save it as text (UTF-8), "
        "or give the .docx it was made from."
    )


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(document_xml: bytes) -> str:
    """Paragraphs one per line; a table row's cells on one line, tab-separated, as Word's text export does."""
    root = ElementTree.fromstring(document_xml)
    lines: list[str] = []

    def paragraph_text(paragraph) -> str:
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        return "".join(parts)

    def walk(element) -> None:
        for child in element:
            if child.tag == f"{_W}p":
                lines.append(paragraph_text(child))
            elif child.tag == f"{_W}tbl":
                for row in child.iter(f"{_W}tr"):
                    cells = [" ".join(paragraph_text(p) for p in cell.iter(f"{_W}p")).strip()
                             for cell in row.findall(f"{_W}tc")]
                    lines.append("\t".join(cells))
            else:
                walk(child)

    body = root.find(f"{_W}body")
    walk(body if body is not None else root)
    return "\n".join(lines)


@register("docx", lambda data: data[:2] == b"PK")
def read_docx(data: bytes, path: str) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            document_xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as error:
        raise UnreadableReport(
            f"文件不是有效的 Word (.docx) 文档 ({path}): {error}. Re-save it from Word as .docx or as text."
        ) from error
    try:
        return _docx_text(document_xml), "utf-8"
    except ElementTree.ParseError as error:
        raise UnreadableReport(f"Word 文档内容已损坏 ({path}): {error}.") from error


class _HtmlText(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
              "title", "ul", "ol", "blockquote", "pre"}
    SKIP = {"script", "style", "noscript", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def _looks_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower()


@register("html", _looks_html)
def read_html(data: bytes, path: str) -> tuple[str, str]:
    declared = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:4096])
    try:
        text, encoding = decode_report(data, path)
    except UnreadableReport:
        if not declared:
            raise
        encoding = declared.group(1).decode("ascii").lower()
        text = data.decode(encoding, errors="replace")
    parser = _HtmlText()
    parser.feed(text)
    lines = "\n".join(line.strip(" ") for line in "".join(parser.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", lines).strip("\n"), encoding


@register("text", lambda data: True)
def read_text(data: bytes, path: str) -> tuple[str, str]:
    return decode_report(data, path)
