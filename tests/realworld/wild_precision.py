"""Precision of auditlib's high and medium findings on the wild corpus, from the hand review in wild_review.csv.

Each row of the CSV is one finding read against its document (verdict true, false or unclear), or one document
with no high or medium finding (rule empty, verdict none). Precision is true / (true + false + unclear): an
unclear verdict counts against the rule; the figure without unclear verdicts is printed beside it.

Usage: python tests/realworld/wild_precision.py [tests/realworld/wild_review.csv]
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

COLUMNS = ["address", "rule", "severity", "fingerprint", "verdict", "reason"]
VERDICTS = {"true", "false", "unclear"}
SEVERITIES = {"high", "medium"}
DEFAULT = Path(__file__).with_name("wild_review.csv")


def read_review(path: Path) -> list[dict[str, str]]:
    """The review rows; raises ValueError on a malformed row."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"columns {reader.fieldnames}, expected {COLUMNS}")
        rows = list(reader)
    for number, row in enumerate(rows, start=2):
        if not row["address"].startswith(("http://", "https://")):
            raise ValueError(f"line {number}: address is not a web address")
        if row["rule"]:
            if row["severity"] not in SEVERITIES or row["verdict"] not in VERDICTS or not row["fingerprint"]:
                raise ValueError(f"line {number}: a finding needs severity high/medium, a fingerprint and a verdict")
            if not row["reason"].strip():
                raise ValueError(f"line {number}: a verdict needs a reason")
        elif row["verdict"] != "none" or row["severity"] or row["fingerprint"]:
            raise ValueError(f"line {number}: a document without findings has verdict none and nothing else")
    return rows


def precision(counts: Counter) -> tuple[float | None, float | None]:
    """(strict: unclear counts against, lenient: unclear left out), None when nothing was judged."""
    judged = counts["true"] + counts["false"] + counts["unclear"]
    decided = counts["true"] + counts["false"]
    return (counts["true"] / judged if judged else None, counts["true"] / decided if decided else None)


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{value:6.1%}"


def report(rows: list[dict[str, str]]) -> str:
    by_severity: dict[str, Counter] = defaultdict(Counter)
    by_rule: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for row in rows:
        if row["rule"]:
            by_severity[row["severity"]][row["verdict"]] += 1
            by_rule[(row["rule"], row["severity"])][row["verdict"]] += 1
    lines = [f"documents read: {len({row['address'] for row in rows})}; findings read: "
             f"{sum(sum(c.values()) for c in by_severity.values())}",
             f"{'':34} {'n':>4} {'true':>5} {'false':>5} {'uncl.':>5} {'prec.':>7} {'w/o uncl.':>9}"]
    for label, counts in [(f"severity {s}", by_severity[s]) for s in ("high", "medium")] + \
            [(f"{rule} ({severity})", counts) for (rule, severity), counts in sorted(by_rule.items())]:
        strict, lenient = precision(counts)
        lines.append(f"{label:34} {sum(counts.values()):>4} {counts['true']:>5} {counts['false']:>5} "
                     f"{counts['unclear']:>5} {_pct(strict):>7} {_pct(lenient):>9}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    print(report(read_review(Path(argv[1]) if len(argv) > 1 else DEFAULT)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
