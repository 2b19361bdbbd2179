"""Speed of ingest + outline + extract on the bundled reports (prints figures; asserts nothing)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from auditlib import build_outline, extract, parse_bytes

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 20


def main() -> None:
    reports = sorted((ROOT / "data" / "raw").glob("*/*/*.txt"))
    print(f"{'report':<18}{'KiB':>7}{'ingest ms':>11}{'outline ms':>12}{'extract ms':>12}")
    for path in reports:
        data = path.read_bytes()
        timings = {"ingest": [], "outline": [], "extract": []}
        for _ in range(ROUNDS):
            start = time.perf_counter()
            document = parse_bytes(data, str(path))
            middle = time.perf_counter()
            outline = build_outline(document)
            after_outline = time.perf_counter()
            extract(document, outline)
            end = time.perf_counter()
            timings["ingest"].append(middle - start)
            timings["outline"].append(after_outline - middle)
            timings["extract"].append(end - after_outline)
        medians = {step: statistics.median(values) * 1000 for step, values in timings.items()}
        print(f"{path.stem:<18}{len(data) / 1024:>7.1f}{medians['ingest']:>11.2f}{medians['outline']:>12.2f}"
              f"{medians['extract']:>12.2f}")
    big = b"\n".join(path.read_bytes() for path in reports) * 20
    start = time.perf_counter()
    extract(parse_bytes(big))
    elapsed = time.perf_counter() - start
    print(f"one {len(big) / 1024 / 1024:.1f} MiB report (all five x20): {elapsed:.2f} s")


if __name__ == "__main__":
    main()
