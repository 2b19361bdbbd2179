"""auditlib: read Chinese budget performance self-evaluation reports (绩效自评报告) and audit them."""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import Any

__version__ = "0.1.0"

from auditlib.errors import AuditlibError, ParamsError, ReportNotFound, UnreadableReport, UnsupportedFormat

# The pipeline's entry points load pandas and friends; they are imported on first use, so that
# `auditlib --help` (which imports this package) answers at once.
_LAZY = {"Audit": "auditlib.compose", "AuditRecord": "auditlib.record", "audit": "auditlib.pipeline",
         "Document": "auditlib.ingest", "parse_bytes": "auditlib.ingest", "read_report": "auditlib.ingest",
         "Extraction": "auditlib.extract", "extract": "auditlib.extract",
         "Outline": "auditlib.outline", "build_outline": "auditlib.outline"}

__all__ = ["Audit", "AuditRecord", "AuditlibError", "audit", "Document", "Extraction", "Outline", "ParamsError",
           "ReportNotFound", "UnreadableReport", "UnsupportedFormat", "__version__", "build_outline",
           "extract", "extract_path", "parse_bytes", "read_report"]


class _Package(types.ModuleType):
    """auditlib itself. `auditlib.extract` is the extract function, as it has always been, even once the
    auditlib.extract subpackage is imported (which would otherwise rebind the name to the subpackage)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "extract" and isinstance(value, types.ModuleType):
            value = value.extract
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'auditlib' has no attribute {name!r}")


def extract_path(path):
    """Read, outline and extract the report at path in one call."""
    from auditlib.extract import extract
    from auditlib.ingest import read_report

    return extract(read_report(path))
