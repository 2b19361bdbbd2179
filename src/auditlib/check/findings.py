"""Findings as a table (the `Finding` type itself is record data: auditlib.record)."""

from __future__ import annotations

import pandas as pd

from auditlib.record import (FINGERPRINT_CHARS, SEVERITIES, SEVERITY_ZH, Finding, fingerprint, severity_rank,
                             with_fingerprints)

__all__ = ["FINGERPRINT_CHARS", "SEVERITIES", "SEVERITY_ZH", "Finding", "findings_frame", "fingerprint",
           "severity_rank", "with_fingerprints"]

def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """One row per finding, most serious first."""
    columns = ["severity", "rule", "message", "section", "line", "evidence", "expected", "stated", "tolerance",
               "fingerprint"]
    rows = [{key: getattr(f, key) for key in columns} for f in findings]
    frame = pd.DataFrame(rows, columns=columns).astype({"line": "Int64"})
    if frame.empty:
        return frame
    frame["_rank"] = frame["severity"].map(severity_rank)
    frame["_line"] = frame["line"].fillna(10**9)
    return frame.sort_values(["_rank", "_line"], kind="stable").drop(columns=["_rank", "_line"]).reset_index(drop=True)
