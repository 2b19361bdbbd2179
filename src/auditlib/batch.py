"""batch: run every unit and year in worker processes; one broken report never stops the others."""

from __future__ import annotations

import os
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from auditlib.iorw import write_json_atomic
from auditlib.params import find_params, load_params


@dataclass
class UnitResult:
    """What happened to one unit and year."""

    params_file: str
    unit: str = ""
    year: int | None = None
    ok: bool = False
    error: str = ""
    error_type: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class BatchResult:
    """Every unit's result; ok only when all succeeded."""

    results: list[UnitResult]

    @property
    def ok(self) -> bool:
        """True when every unit succeeded (and there was at least one)."""
        return bool(self.results) and all(result.ok for result in self.results)

    @property
    def failed(self) -> list[UnitResult]:
        """The units that failed."""
        return [result for result in self.results if not result.ok]


def run_unit(params_file: str, out_dir: str, root: str) -> UnitResult:
    """Extract one unit and year and write its facts JSON; errors are caught and reported."""
    from auditlib import extract_path
    from auditlib.check import CheckParams, check

    result = UnitResult(params_file=params_file)
    try:
        params = load_params(params_file)
        result.unit, result.year = params.unit, params.year
        extraction = extract_path(params.resolved_report(Path(root)))
        checked = check(extraction, CheckParams.from_mapping(params.thresholds))
        data = extraction.to_dict()
        data["findings"] = [finding.to_dict() for finding in checked.findings]
        result.facts = data["facts"]
        result.counts = checked.counts()
        path = write_json_atomic(Path(out_dir) / f"{params.unit}-{params.year}.json", data)
        result.outputs["facts"] = str(path)
        result.ok = True
    except Exception as error:  # a batch reports every failure and carries on
        result.error = str(error) or error.__class__.__name__
        result.error_type = error.__class__.__name__
        if not hasattr(error, "__module__") or not error.__class__.__module__.startswith("auditlib"):
            result.error += "\n" + traceback.format_exc(limit=3)
    return result


def run_batch(params_dir: Path, out_dir: Path, units: list[str] | None = None, years: list[int] | None = None,
              workers: int | None = None, root: Path | None = None, progress: bool = True) -> BatchResult:
    """Run every selected params file in parallel, then write a summary; returns every unit's result."""
    from tqdm import tqdm

    root = root or Path.cwd()
    params_files = find_params(params_dir, units, years)
    if not params_files:
        print(f"auditlib: no params files matched in {params_dir}", file=sys.stderr)
        return BatchResult([])
    workers = max(1, min(workers or os.cpu_count() or 1, len(params_files)))
    results: list[UnitResult] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_unit, str(path), str(out_dir), str(root)) for path in params_files]
        for future in tqdm(as_completed(futures), total=len(futures), desc="units", unit="unit",
                           disable=not progress, file=sys.stderr):
            results.append(future.result())
    results.sort(key=lambda r: r.params_file)
    write_json_atomic(out_dir / "summary.json", [asdict(result) for result in results])
    for result in results:
        counts = " ".join(f"{severity}={count}" for severity, count in result.counts.items())
        status = f"ok  {counts}" if result.ok else f"FAILED: {result.error.splitlines()[0] if result.error else ''}"
        print(f"{result.unit or Path(result.params_file).stem:<12} {result.year or '':<6} {status}")
    print(f"outputs in {out_dir.resolve()}")
    return BatchResult(results)
