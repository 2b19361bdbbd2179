"""Every high and medium finding auditlib makes on a folder of real excerpts, with the facts it read, for reading
by hand against the texts (false alarms are found without labels). Excerpts are third-party text: keep them in
a git-ignored folder such as build/wild/, never in the repository.

Usage: python tests/realworld/loud_findings.py FOLDER [--index FOLDER/index.tsv]

The index (optional) is a tab-separated file with a header whose first three columns are file, url and title.
Prints one line per document (kind, year, self-score, execution rate and its source, budget, spending) and one
line per high or medium finding under it, then the counts by severity.
"""

from __future__ import annotations

import argparse
import contextlib
import io
from collections import Counter
from pathlib import Path

from auditlib.errors import AuditlibError
from auditlib.pipeline import audit


def titles(index: Path) -> dict[str, str]:
    if not index.is_file():
        return {}
    rows = [line.split("\t") for line in index.read_text(encoding="utf-8").splitlines()[1:]]
    return {row[0]: row[2] for row in rows if len(row) >= 3}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--index", type=Path)
    args = parser.parse_args(argv)
    named = titles(args.index or args.folder / "index.tsv")
    counts: Counter[str] = Counter()
    for path in sorted(args.folder.glob("*.txt")):
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                made = audit(path)
        except AuditlibError as error:
            print(f"{path.name}: refused: {error}")
            continue
        facts = made.extraction.facts
        print(f"{path.name} kind={facts.kind} year={facts.fiscal_year} score={facts.self_score} "
              f"rate={facts.execution_rate} ({facts.execution_rate_source}) budget={facts.budget_wan} "
              f"spent={facts.spent_wan} | {named.get(path.name, '')[:50]}")
        for finding in made.findings:
            counts[finding.severity] += 1
            if finding.severity in ("high", "medium"):
                print(f"    [{finding.severity}] {finding.rule} line {finding.line} {finding.fingerprint}: "
                      f"{finding.message[:160]}")
    print("findings by severity:", dict(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
