"""A finding: one thing an auditor should look at, with the evidence for it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

SEVERITIES = ("high", "medium", "low", "info")
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低", "info": "提示"}


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one place in a report: message in Chinese, evidence, the numbers compared."""

    rule: str
    severity: str
    message: str
    section: str
    line: int | None
    evidence: str
    expected: Any = None
    stated: Any = None
    tolerance: Any = None
    values: dict[str, Any] = field(default_factory=dict)
    location: str = ""  # where the line stands in the original file: 第3页 表1第2行 ('' for a text file)

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data."""
        return asdict(self)


def severity_rank(severity: str) -> int:
    """0 for high … 3 for info: sorts the most serious first."""
    return SEVERITIES.index(severity)


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """One row per finding, most serious first."""
    columns = ["severity", "rule", "message", "section", "line", "evidence", "expected", "stated", "tolerance"]
    rows = [{key: getattr(f, key) for key in columns} for f in findings]
    frame = pd.DataFrame(rows, columns=columns).astype({"line": "Int64"})
    if frame.empty:
        return frame
    frame["_rank"] = frame["severity"].map(severity_rank)
    frame["_line"] = frame["line"].fillna(10**9)
    return frame.sort_values(["_rank", "_line"], kind="stable").drop(columns=["_rank", "_line"]).reset_index(drop=True)
