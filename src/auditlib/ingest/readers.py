"""The readers registry: which reader turns a file's bytes into blocks of text, in an explicit order.

Detection is by content, never by file name. Readers are tried in this order, the first whose `sniff`
accepts the bytes wins:
  1. readers registered by plugins for a new format (`register`), in registration order: a plugin's
     format is often a zip or XML underneath, which a built-in reader would otherwise claim;
  2. the built-in readers, most specific signature first: PDF, OpenDocument (.odt, .ods), Word (.docx), Excel
     (.xlsx), OLE2 files (.xls by xlrd; .doc, .wps, .et through LibreOffice), RTF, Office 2003 XML (an Excel
     2003 XML Spreadsheet, a Word 2003 XML document), single-file web pages (.mht), saved web pages, a sheet
     saved as CSV (rows of comma-separated fields, all of one width);
  3. the fallback, plain text in any common Chinese encoding, which accepts everything.
A plugin that registers a built-in format's name (or "text") replaces that reader in its place.
The format modules know nothing of this registry (no import cycle): it imports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from auditlib.ingest.document import ReadResult
from auditlib.ingest.formats import delimited, html, interchange, office, pdf, text

__all__ = ["Reader", "ReadResult", "register", "reader_for", "reader_order"]


@dataclass(frozen=True)
class Reader:
    """A named format: how to recognise its bytes and how to turn them into blocks of text."""

    format: str
    sniff: Callable[[bytes], bool]
    read: Callable[[bytes, str], ReadResult]


BUILTIN: tuple[Reader, ...] = (
    Reader("pdf", pdf.looks_pdf, pdf.read_pdf),
    Reader("odf", interchange.looks_odf, interchange.read_odf),  # a zip, as .docx is: its mimetype tells them apart
    Reader("docx", office.looks_docx, office.read_docx),
    Reader("xlsx", office.looks_xlsx, office.read_xlsx),
    Reader("xls", office.looks_ole, office.read_ole),
    Reader("rtf", interchange.looks_rtf, interchange.read_rtf),
    Reader("office_xml", interchange.looks_office_xml, interchange.read_office_xml),
    Reader("mht", html.looks_mhtml, html.read_mhtml),
    Reader("html", html.looks_html, html.read_html),
    Reader("csv", delimited.looks_csv, delimited.read_csv),
)
FALLBACK = Reader("text", lambda data: True, text.read_text)

_plugins: list[Reader] = []
_replaced: dict[str, Reader] = {}  # a built-in format (or "text") -> the plugin reader that replaces it


def register(format: str, sniff: Callable[[bytes], bool]):
    """Decorator: register `read(data, path) -> (blocks, encoding)` for a format (see the module's order)."""

    def decorator(read):
        reader = Reader(format, sniff, read)
        if format in {builtin.format for builtin in BUILTIN} | {FALLBACK.format}:
            _replaced[format] = reader
        else:
            _plugins[:] = [known for known in _plugins if known.format != format] + [reader]
        return read

    return decorator


def reader_order() -> list[Reader]:
    """Every reader in the order they are tried, the fallback last."""
    return [*_plugins, *(_replaced.get(reader.format, reader) for reader in BUILTIN),
            _replaced.get(FALLBACK.format, FALLBACK)]


def reader_for(data: bytes) -> Reader:
    """The first reader whose sniff accepts the bytes (the fallback accepts everything)."""
    return next((reader for reader in reader_order() if reader.sniff(data)), FALLBACK)
