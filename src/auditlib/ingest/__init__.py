"""ingest: read a report file (text, .docx, saved web page) into a normalised Document."""

from __future__ import annotations

import hashlib
from pathlib import Path

from auditlib.errors import ReportNotFound
from auditlib.ingest.document import Artifact, Document, Line, Source
from auditlib.ingest.normalize import normalize_lines, split_lines
from auditlib.ingest.readers import READERS, register, reader_for

__all__ = ["Artifact", "Document", "Line", "Source", "READERS", "read_report", "parse_bytes", "register"]


def parse_bytes(data: bytes, path: str = "<memory>") -> Document:
    """Read a report from bytes: pick a reader by content, decode, normalise."""
    reader = reader_for(data)
    text, encoding = reader.read(data, path)
    raw_lines = split_lines(text)
    lines, artifacts, script = normalize_lines(raw_lines)
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding,
                    format=reader.format, size=len(data))
    return Document(source=source, lines=lines, raw_lines=raw_lines, artifacts=artifacts, script=script)


def read_report(path: str | Path) -> Document:
    """Read the report at path (never modified) into a Document."""
    path = Path(path)
    if not path.is_file():
        raise ReportNotFound(f"找不到报告文件: {path}. Check the path (or the report_path in the params file).")
    return parse_bytes(path.read_bytes(), str(path))
