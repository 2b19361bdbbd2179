"""Office files in the formats offices exchange besides .docx/.xlsx: OpenDocument (.odt, .ods, as WPS and
LibreOffice save them), RTF (often published under a .doc name), and Office 2003 XML (an Excel 2003 XML
Spreadsheet, the .xls or .xml finance systems export, and a Word 2003 XML document).

Each is converted by LibreOffice, headless (ingest.formats.libreoffice), to .docx or .xlsx and read by the same
readers as any other; the evidence names the original file and its format.
"""

from __future__ import annotations

import io
import re
import zipfile

from auditlib.ingest.document import ReadResult
from auditlib.ingest.formats.libreoffice import convert
from auditlib.ingest.formats.office import read_docx, read_xlsx

ODF_MIMETYPES = {"application/vnd.oasis.opendocument.text": ("OpenDocument (.odt)", ".odt", "docx", "odt"),
                 "application/vnd.oasis.opendocument.spreadsheet": ("OpenDocument (.ods)", ".ods", "xlsx", "ods")}
OFFICE_XML_HEAD = 4096  # where an Office 2003 XML file names its kind: the processing instruction and root element
SPREADSHEET_ML = re.compile(rb"<(?:ss:)?Workbook\b[^>]{0,2000}urn:schemas-microsoft-com:office:spreadsheet")
WORD_ML = re.compile(rb"<w:wordDocument\b[^>]{0,2000}schemas.microsoft.com/office/word/2003/wordml")


def _odf_mimetype(data: bytes) -> str | None:
    if data[:2] != b"PK":
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "mimetype" not in archive.namelist() or archive.getinfo("mimetype").file_size > 200:
                return None
            return archive.read("mimetype").decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None


def looks_odf(data: bytes) -> bool:
    return _odf_mimetype(data) in ODF_MIMETYPES


def read_odf(data: bytes, path: str) -> ReadResult:
    kind, suffix, target, name = ODF_MIMETYPES[_odf_mimetype(data)]
    return _converted(data, path, kind, suffix, target, name)


def looks_rtf(data: bytes) -> bool:
    return data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf")


def read_rtf(data: bytes, path: str) -> ReadResult:
    return _converted(data, path, "RTF (.rtf)", ".rtf", "docx", "rtf")


def _office_xml_kind(data: bytes) -> str | None:
    head = data[:OFFICE_XML_HEAD]
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None
    if SPREADSHEET_ML.search(head):
        return "sheet"
    if WORD_ML.search(head):
        return "document"
    return None


def looks_office_xml(data: bytes) -> bool:
    return _office_xml_kind(data) is not None


def read_office_xml(data: bytes, path: str) -> ReadResult:
    if _office_xml_kind(data) == "sheet":
        return _converted(data, path, "Excel 2003 XML", ".xml", "xlsx", "xml")
    return _converted(data, path, "Word 2003 XML", ".xml", "docx", "xml")


def _converted(data: bytes, path: str, kind: str, suffix: str, target: str, name: str) -> ReadResult:
    converted = convert(data, path, kind, suffix, target)
    blocks, _ = (read_xlsx if target == "xlsx" else read_docx)(converted, path)
    return blocks, "libreoffice", name
