"""Plain text in any common Chinese encoding: the reader of last resort."""

from __future__ import annotations

from auditlib.ingest.decode import decode_report
from auditlib.ingest.document import Block, ReadResult


def read_text(data: bytes, path: str) -> ReadResult:
    text, encoding = decode_report(data, path)
    return [Block(text)], encoding
