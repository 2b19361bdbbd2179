"""Speed of what review decisions and year-over-year add to a unit's audit (prints figures; asserts nothing):
fingerprints, applying decisions, reading a review file, the 原因/问题/措施 sentences and the comparison."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from auditlib import extract, parse_bytes
from auditlib.check import check
from auditlib.check.findings import with_fingerprints
from auditlib.history import Passage, YearBasis, compare, passages_of
from auditlib.review import Decision, apply_decisions, parse_decisions

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 20


def _median_ms(action) -> float:
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def main() -> None:
    print(f"{'report':<18}{'findings':>9}{'fingerprint ms':>16}{'apply ms':>10}{'sentences':>11}{'sentences ms':>14}")
    for path in sorted((ROOT / "data" / "raw").glob("*/*/*.txt")):
        extraction = extract(parse_bytes(path.read_bytes(), str(path)))
        findings = check(extraction).findings
        decisions = {f.fingerprint: Decision(f.fingerprint, "confirmed", "张三", "2026-12-01") for f in findings}
        print(f"{path.stem:<18}{len(findings):>9}{_median_ms(lambda: with_fingerprints(findings)):>16.3f}"
              f"{_median_ms(lambda: apply_decisions(findings, decisions)):>10.3f}"
              f"{len(passages_of(extraction)):>11}{_median_ms(lambda: passages_of(extraction)):>14.3f}")
    entries = "".join(f"- fingerprint: '{i:016x}'\n  decision: confirmed\n  reviewer: 张三\n  note: 已核实\n"
                      for i in range(2000))
    start = time.perf_counter()
    parse_decisions(f"unit: u\nyear: 2021\ndecisions:\n{entries}", "bench", "u", 2021)
    print(f"a review file of 2,000 decisions ({len(entries) / 1024:.0f} KiB): {time.perf_counter() - start:.2f} s")
    for count in (10_000, 100_000):
        passages = tuple(Passage(f"{'某项原因说明文字' * 3}{i}", "四", i) for i in range(count))
        earlier, later = YearBasis("u", 2020, passages=passages), YearBasis("u", 2021, passages=passages[::-1])
        start = time.perf_counter()
        compare(earlier, later)
        print(f"compare {count:,} sentences with {count:,}: {(time.perf_counter() - start) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
