"""Round trips of generated 自评表: which (layout × format × variant) combinations read back to the same rows, the
same facts and exactly the planted findings (prints the matrix; asserts nothing).

    PYTHONPATH=src python benchmarks/bench_form.py [--seeds N] [--formats text,docx,...]

Each cell of the matrix is "passed/tried" over N seeds (each seed a different random form with random planted
errors). The generator is tests/formgen.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from formgen import FORMATS, LAYOUTS, VARIANTS, generate, read_back  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    formats = args.formats.split(",")
    start = time.perf_counter()
    results: dict[tuple[str, str, str], list[bool]] = {}
    failures = []
    for variant in VARIANTS:
        for seed in range(args.seeds):
            form = generate(1000 + seed, variant.id)
            for layout in LAYOUTS:
                for fmt in formats:
                    trip = read_back(form, layout, fmt)
                    results.setdefault((layout.id, fmt, variant.id), []).append(trip.ok)
                    if not trip.ok:
                        failures.append((variant.id, seed, layout.id, fmt, trip.missing, trip.unexpected, trip.detail))
    width = max(len(layout.id) for layout in LAYOUTS) + 2
    for variant in VARIANTS:
        print(f"\n{variant.id}: {variant.name}")
        print(f"{'layout':<{width}}" + "".join(f"{fmt:>9}" for fmt in formats))
        for layout in LAYOUTS:
            cells = []
            for fmt in formats:
                oks = results[(layout.id, fmt, variant.id)]
                cells.append(f"{sum(oks)}/{len(oks)}")
            print(f"{layout.id:<{width}}" + "".join(f"{cell:>9}" for cell in cells))
    combos = [all(oks) for oks in results.values()]
    print(f"\ncombinations that round-trip: {sum(combos)} of {len(combos)} "
          f"({len(LAYOUTS)} layouts × {len(formats)} formats × {len(VARIANTS)} variants, {args.seeds} seed(s) each); "
          f"{time.perf_counter() - start:.0f} s")
    for failure in failures[:10]:
        print("FAILED", *failure)


if __name__ == "__main__":
    main()
