"""Size limits for untrusted report files, checked before anything is parsed.

A real self-evaluation report is well under a megabyte of text; a Word or Excel file with pictures a few
megabytes. The limits leave room for that and refuse what would cost minutes and gigabytes to open.
"""

from __future__ import annotations

import io
import zipfile

from auditlib.errors import ReportTooLarge, UnreadableReport

MIB = 1024 * 1024
MAX_REPORT_BYTES = 50 * MIB  # the file itself
MAX_UNPACKED_BYTES = 128 * MIB  # everything inside a .docx/.xlsx together
MAX_PART_BYTES = 32 * MIB  # any one member of a .docx/.xlsx (document.xml, a sheet)
MAX_ZIP_MEMBERS = 5000
MAX_PDF_PAGES = 500
MAX_OCR_PAGES = 60  # a scanned page takes seconds to read
MAX_SHEET_CELLS = 2_000_000  # a sheet's used range, rows × columns
_CHUNK = 1024 * 1024


def check_size(size: int, path: str) -> None:
    """Refuse a file over MAX_REPORT_BYTES."""
    if size > MAX_REPORT_BYTES:
        raise ReportTooLarge(
            f"报告文件过大 ({path}): {size / MIB:.1f} MiB, over the {MAX_REPORT_BYTES // MIB} MiB limit. "
            "请检查是否选错了文件；a self-evaluation report is far smaller: check that this is the right file.")


def check_archive(data: bytes, path: str, kind: str) -> None:
    """Refuse a zip (.docx/.xlsx) that is corrupt or unpacks to too much: by the sizes it declares, then by the
    bytes it actually inflates to (a member may lie about its size), before any XML is parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise ReportTooLarge(f"{kind} 文件内部文件过多 ({path}): {len(members)} parts. "
                                     f"文件可能已损坏或为恶意文件；re-save it from the program that made it.")
            _check_declared(members, path, kind)
            total = 0
            for member in members:
                with archive.open(member) as stream:
                    size = 0
                    while chunk := stream.read(_CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if size > MAX_PART_BYTES or total > MAX_UNPACKED_BYTES:
                            raise _bomb(path, kind, total)
    except ReportTooLarge:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        raise UnreadableReport(
            f"{kind} 文件已损坏或不完整 ({path}): {error}. 请用原程序重新保存 / re-save it from the program that "
            "made it (or ask the sender for a complete copy).") from error


def _check_declared(members: list[zipfile.ZipInfo], path: str, kind: str) -> None:
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED_BYTES or any(member.file_size > MAX_PART_BYTES for member in members):
        raise _bomb(path, kind, total)


def _bomb(path: str, kind: str, size: int) -> ReportTooLarge:
    return ReportTooLarge(
        f"{kind} 文件解压后过大 ({path}): it unpacks to {size / MIB:.0f} MiB or more, over the "
        f"{MAX_UNPACKED_BYTES // MIB} MiB limit ({MAX_PART_BYTES // MIB} MiB for one part). 文件可能是恶意的压缩炸弹；"
        "it may be a zip bomb: do not open it; ask the sender for the report again.")
