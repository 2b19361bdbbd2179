"""Wall time of the main job (every bundled memo, index, sheets, database) and of checks alone."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from auditlib import extract_path
from auditlib.batch import run_batch
from auditlib.check import check

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    reports = sorted((ROOT / "data" / "raw").glob("*/*/*.txt"))
    extractions = [extract_path(path) for path in reports]
    start = time.perf_counter()
    check(extractions[0])
    print(f"first check (imports great-expectations): {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    for extraction in extractions:
        check(extraction)
    print(f"checks of {len(extractions)} reports, warm: {(time.perf_counter() - start) / len(extractions) * 1000:.0f} ms each")
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            result = run_batch(ROOT / "params", Path(out), workers=workers, root=ROOT, progress=False)
            elapsed = time.perf_counter() - start
        print(f"batch of {len(result.results)} units with {workers} worker(s): {elapsed:.1f} s (ok={result.ok})")


if __name__ == "__main__":
    main()
