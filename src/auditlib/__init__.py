"""auditlib: read Chinese budget performance self-evaluation reports (绩效自评报告) and audit them."""

from __future__ import annotations

__version__ = "0.1.0"

from auditlib.errors import AuditlibError, ParamsError, ReportNotFound, UnreadableReport, UnsupportedFormat
from auditlib.extract import Extraction, extract
from auditlib.ingest import Document, parse_bytes, read_report
from auditlib.outline import Outline, build_outline

__all__ = ["AuditlibError", "Document", "Extraction", "Outline", "ParamsError", "ReportNotFound",
           "UnreadableReport", "UnsupportedFormat", "__version__", "build_outline", "extract", "extract_path",
           "parse_bytes", "read_report"]


def extract_path(path) -> Extraction:
    """Read, outline and extract the report at path in one call."""
    return extract(read_report(path))
