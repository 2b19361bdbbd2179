"""batch: a memo per unit and year in worker processes, then the index, the sheets and the database.

One broken report never stops the others: its error is listed in the index and its partly executed
notebook is kept. Each worker runs the unit notebook through papermill (a real kernel) and exports it
with nbconvert; the notebook itself saves the unit's facts and findings as JSON for the index.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import sys
import traceback
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from auditlib import __version__
from auditlib.errors import AuditlibError
from auditlib.iorw import write_json_atomic, write_text_atomic
from auditlib.params import find_params, load_params

NOTEBOOKS = Path("notebooks")
UNIT_NOTEBOOK = "unit_audit.ipynb"
PORTFOLIO_NOTEBOOK = "portfolio.ipynb"


@dataclass
class UnitResult:
    """What happened to one unit and year."""

    params_file: str
    unit: str = ""
    year: int | None = None
    ok: bool = False
    error: str = ""
    error_type: str = ""
    notebook: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class BatchResult:
    """Every unit's result and the run's shared outputs; ok only when every unit succeeded."""

    run_id: str
    results: list[UnitResult]
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every unit succeeded (and there was at least one)."""
        return bool(self.results) and all(result.ok for result in self.results)

    @property
    def failed(self) -> list[UnitResult]:
        """The units that failed."""
        return [result for result in self.results if not result.ok]


def make_memo(params_file: str | Path, out_dir: str | Path, root: str | Path) -> UnitResult:
    """Run the unit notebook for one params file and export its memo; errors are caught and reported."""
    from auditlib.audit import AuditRecord, audit_run
    from auditlib.execute import NotebookFailed, run_notebook
    from auditlib.render.export import notebook_to_html
    from auditlib.render.memo import Memo

    root, out_dir = Path(root).resolve(), Path(out_dir).resolve()
    result = UnitResult(params_file=str(params_file))
    try:
        params = load_params(params_file)
        result.unit, result.year = params.unit, params.year
        name = f"{params.unit}-{params.year}"
        executed = out_dir / "notebooks" / f"{name}.ipynb"
        result.notebook = str(executed)
        parameters = {**params.as_notebook_parameters(), "output_dir": str(out_dir), "project_root": str(root)}
        title = f"{name} 审核备忘录"
        try:
            # Audit here, where great-expectations is set up once per worker, not once per kernel.
            memo = Memo(audit_run(params, root), out_dir)
            memo.save()
            parameters["rendered"] = str(memo.write_parts(out_dir / "notebooks" / f"{name}.parts.json"))
            title = memo.title
        except AuditlibError:
            pass  # the notebook meets the same error in a cell, and is kept to show where
        run_notebook(root / NOTEBOOKS / UNIT_NOTEBOOK, executed, parameters, cwd=root)
        memo = write_text_atomic(out_dir / f"{name}.html", notebook_to_html(executed, title))
        record = AuditRecord.from_dict(json.loads((out_dir / "data" / f"{name}.json").read_text(encoding="utf-8")))
        result.counts = record.counts
        result.outputs = {"memo": str(memo), "notebook": str(executed), "data": str(out_dir / "data" / f"{name}.json")}
        result.ok = True
    except NotebookFailed as error:
        result.error, result.error_type = error.evalue or str(error), error.ename or "NotebookFailed"
    except AuditlibError as error:
        result.error, result.error_type = str(error), error.__class__.__name__
    except Exception as error:  # a batch reports every failure and carries on
        result.error = f"{error}\n{traceback.format_exc(limit=4)}"
        result.error_type = error.__class__.__name__
    return result


def _run_units(params_files: list[Path], out_dir: Path, root: Path, workers: int, progress: bool) -> list[UnitResult]:
    from tqdm import tqdm

    results: list[UnitResult] = []
    # spawn: every worker starts clean (kernels and ZeroMQ do not survive fork well).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(make_memo, str(path), str(out_dir), str(root)) for path in params_files]
        for future in tqdm(as_completed(futures), total=len(futures), desc="memos", unit="unit",
                           disable=not progress, file=sys.stderr):
            results.append(future.result())
    return sorted(results, key=lambda r: r.params_file)


def _write_index(out_dir: Path, root: Path, run_id: str) -> Path:
    from auditlib.execute import run_notebook
    from auditlib.render.export import notebook_to_html

    executed = out_dir / "notebooks" / "portfolio.ipynb"
    run_notebook(root / NOTEBOOKS / PORTFOLIO_NOTEBOOK, executed, {"run_dir": str(out_dir)}, cwd=root)
    return write_text_atomic(out_dir / "index.html", notebook_to_html(executed, "绩效自评报告审核总览"))


def record_run(out_dir: Path, run_id: str, started: str, params_dir: Path, results: list[UnitResult],
               command: str = "batch") -> dict[str, str]:
    """Append a run's audit records to the database; a batch also writes the findings workbook and CSV."""
    from auditlib.store import RunInfo, records_of, save_findings_sheets, save_to_duckdb, tables_from_records

    records = records_of(out_dir, [asdict(result) for result in results])
    outputs = {}
    if command == "batch":
        csv_path, xlsx_path = save_findings_sheets(out_dir, records)
        outputs = {"findings_csv": str(csv_path), "findings_xlsx": str(xlsx_path)}
    reports, findings = tables_from_records(run_id, records)
    run = RunInfo(run_id, started, dt.datetime.now().isoformat(timespec="seconds"), __version__, str(params_dir),
                  command)
    outputs["database"] = str(save_to_duckdb(out_dir / "auditlib.duckdb", run, reports, findings))
    return outputs


def run_batch(params_dir: Path, out_dir: Path, units: list[str] | None = None, years: list[int] | None = None,
              workers: int | None = None, root: Path | None = None, progress: bool = True) -> BatchResult:
    """Memos for every selected params file in parallel, then index.html, findings sheets and the database."""
    root = (root or Path.cwd()).resolve()
    params_dir = params_dir if params_dir.is_absolute() else root / params_dir
    out_dir = (out_dir if out_dir.is_absolute() else root / out_dir).resolve()
    started = dt.datetime.now().isoformat(timespec="seconds")
    run_id = f"{dt.datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    params_files = find_params(params_dir, units, years)
    if not params_files:
        print(f"auditlib: {params_dir} 中没有符合条件的参数文件", file=sys.stderr)
        return BatchResult(run_id, [])
    workers = max(1, min(workers or os.cpu_count() or 1, len(params_files)))
    results = _run_units(params_files, out_dir, root, workers, progress)
    write_json_atomic(out_dir / "summary.json", [asdict(result) for result in results])
    outputs = record_run(out_dir, run_id, started, params_dir, results)
    outputs["index"] = str(_write_index(out_dir, root, run_id))
    _print_summary(results, outputs)
    return BatchResult(run_id, results, outputs)


def _print_summary(results: list[UnitResult], outputs: dict[str, str]) -> None:
    from auditlib.check.findings import SEVERITY_ZH

    for result in results:
        counts = " ".join(f"{SEVERITY_ZH[severity]}{count}" for severity, count in result.counts.items())
        status = f"完成  {counts}" if result.ok else f"失败（{result.error_type}）：{result.error.splitlines()[0] if result.error else ''}"
        print(f"{result.unit or Path(result.params_file).stem:<12} {result.year or '':<6} {status}")
    print(f"备忘录与总览：{outputs['index']}")
    print(f"审核发现：{outputs['findings_xlsx']}，{outputs['findings_csv']}；数据库：{outputs['database']}")
