"""A finding: one thing an auditor should look at, with the evidence for it."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field, replace
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
    fingerprint: str = ""  # stable across runs (see `fingerprint`); set by `with_fingerprints`

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data."""
        return asdict(self)


FINGERPRINT_CHARS = 16  # hex digits of SHA-256 kept: 64 bits, no collision among a unit's few hundred findings


def _canonical_number(value: Any) -> Any:
    """A compared value written so that the same number always prints the same (1 and 1.0, float noise)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        number = float(value)
        return None if math.isnan(number) else float(f"{number:.10g}")
    if isinstance(value, (list, tuple)):
        return [_canonical_number(item) for item in value]
    return str(value)


def fingerprint(finding: Finding) -> str:
    """What identifies a finding from one run to the next: its rule, section path, quoted evidence (whitespace
    collapsed) and the numbers it compared. Not its line, page or message (they name lines), so an edit
    elsewhere in the report that moves it keeps its fingerprint; a change to its own words or numbers does not."""
    numbers = [_canonical_number(value) for value in (finding.expected, finding.stated, finding.tolerance)]
    key = json.dumps([finding.rule, finding.section, " ".join(finding.evidence.split()), numbers],
                     ensure_ascii=False, default=str)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


def with_fingerprints(findings: list[Finding]) -> list[Finding]:
    """The findings, each with its fingerprint; the second, third … finding with the same content in one report
    gets .2, .3 … appended (in report order), so every finding of a report has a fingerprint of its own."""
    seen: dict[str, int] = {}
    marked = []
    for finding in findings:
        base = fingerprint(finding)
        seen[base] = seen.get(base, 0) + 1
        marked.append(replace(finding, fingerprint=base if seen[base] == 1 else f"{base}.{seen[base]}"))
    return marked


def severity_rank(severity: str) -> int:
    """0 for high … 3 for info: sorts the most serious first."""
    return SEVERITIES.index(severity)


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
