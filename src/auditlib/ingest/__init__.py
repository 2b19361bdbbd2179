"""ingest: read a report file (text, .docx, .pdf, .xlsx/.xls, saved web page) into a normalised Document.

Every file is untrusted: a problem with it (missing, a folder, unreadable, empty, too large, damaged,
encrypted, a zip bomb, bytes that are no text) is an AuditlibError whose message names the file and says
what to do, never a traceback.
"""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from auditlib.errors import AuditlibError, ReportNotFound, UnreadableReport
from auditlib.ingest.document import Artifact, Block, Document, Line, Source
from auditlib.ingest.limits import MAX_REPORT_BYTES, check_size
from auditlib.ingest.normalize import cells_text, normalize_lines, split_lines
from auditlib.ingest.readers import reader_for, reader_order, register

__all__ = ["Artifact", "Block", "Document", "Line", "Source", "cells_text", "read_report", "reader_order", "parse_bytes",
           "register"]


def parse_bytes(data: bytes, path: str = "<memory>") -> Document:
    """Read a report from bytes: pick a reader by content, read it into blocks, split into lines, normalise."""
    check_size(len(data), path)
    if not data.strip():
        raise UnreadableReport(f"报告文件为空 ({path}): the file has no text to read. "
                               "请提供完整的报告 / give the complete report file.")
    reader = reader_for(data)
    try:
        result = reader.read(data, path)
    except AuditlibError:
        raise
    except (Exception, RecursionError) as error:  # a damaged file can trip any parser; say so, do not crash
        raise UnreadableReport(
            f"报告文件无法读取 ({path}): the {reader.format} reader failed ({type(error).__name__}: {error}). "
            "文件可能已损坏；请用原程序重新保存 / the file may be damaged: re-save it from the program that made it."
        ) from error
    blocks, encoding = result[0], result[1]
    format = result[2] if len(result) > 2 else reader.format
    raw_lines: list[str] = []
    locations: list[str] = []
    for block in blocks:
        for line in split_lines(block.text):
            raw_lines.append(line)
            locations.append(block.location)
    if not any(line.strip() for line in raw_lines):
        raise UnreadableReport(f"报告中没有文字 ({path}): the {format} file holds no text. "
                               "请检查是否选错了文件 / check that this is the report.")
    lines, artifacts, script = normalize_lines(raw_lines)
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding,
                    format=format, size=len(data))
    return Document(source=source, lines=lines, raw_lines=raw_lines, artifacts=artifacts, locations=locations,
                    script=script)


def read_report(path: str | Path) -> Document:
    """Read the report at path (never modified) into a Document."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ReportNotFound(f"找不到报告文件: {path}. 请检查路径 / check the path "
                             "(or the report_path in the params file).") from None
    except OSError as error:
        raise UnreadableReport(f"无法访问报告文件 ({path}): {error.strerror}. 请检查路径和权限 / check the path "
                               "and its permissions.") from None
    if stat.S_ISDIR(info.st_mode):
        raise ReportNotFound(f"报告路径是一个文件夹，不是文件 ({path}): give the report file inside it, "
                             "not the folder.")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableReport(f"报告路径不是普通文件 ({path}): give a saved report file.")
    check_size(info.st_size, str(path))
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_REPORT_BYTES + 1)  # the file may grow after stat; never read past the limit
    except PermissionError:
        raise UnreadableReport(f"没有读取报告文件的权限 ({path}): permission denied. "
                               "请让管理员开放读取权限或复制一份 / ask for read access, or copy the file.") from None
    except OSError as error:
        raise UnreadableReport(f"无法读取报告文件 ({path}): {error.strerror}.") from None
    return parse_bytes(data, str(path))
