"""batch: a memo per unit and year in worker processes, then the index, the sheets and the database.

One broken report never stops the others: its error is listed in the index and its partly executed
notebook is kept. Each worker audits its units (one great-expectations context per worker), runs the unit
notebook through papermill in a kernel it keeps warm (reset between units) and exports it with the worker's
one nbconvert exporter.

Runs are incremental: a unit and year whose inputs (auditlib.incremental.unit_key) are unchanged since its
last successful run in the same output folder is not redone unless force=True; its earlier memo and record
are listed again. Where the units run is a backend (auditlib.scheduler): a local process pool by default, or
a Dask cluster.

Small updates are quick:
- nothing changed (every unit reused, and every output as the last batch left it: incremental.unchanged_run):
  no kernel, no index, no workbook; the run is still appended to the database (the last run's rows copied
  under the new run id, store.record_unchanged_run), so its history lists every batch; summary.json, the
  index and the workbook stay those of the last batch that changed something;
- one unit to do (a changed report, a review decision) runs in this process, not in a pool worker, in one
  warm kernel started in the background while the unit is audited, and the index runs in that same kernel.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from auditlib import __version__
from auditlib.errors import OutputError, ParamsError, one_line
from auditlib.iorw import write_files_into, write_json_atomic, write_text_atomic
from auditlib.params import find_params
from auditlib.worker import NOTEBOOKS, PORTFOLIO_NOTEBOOK, UNIT_NOTEBOOK, UNIT_TIMEOUT_SECONDS, UnitResult, UnitTask, by_unit

LOCK_FILE = ".auditlib.lock"


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


@contextlib.contextmanager
def output_folder(out_dir: Path):
    """The output folder, created, checked writable and locked for this batch (one clear message for each
    problem); the lock is released when the batch ends, also when it is killed."""
    import fcntl

    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"输出路径是一个文件，不是文件夹 (--out {out_dir}): choose a folder for the outputs.")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
        lock = open(out_dir / LOCK_FILE, "a+")
    except OSError as error:
        raise OutputError(f"输出文件夹不可写 (--out {out_dir}): {error.strerror or error}. 请选择可写的文件夹 / "
                          "choose a folder you can write to.") from None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        raise OutputError(f"另一个批处理正在使用此输出文件夹 (--out {out_dir}): another auditlib batch is writing "
                          "there. 请等待其结束或换一个 --out / wait for it to finish, or use another --out.") from None
    for stale in out_dir.rglob(".*.tmp"):  # half-written by a batch that was killed; ours alone now
        stale.unlink(missing_ok=True)
    try:
        yield out_dir
    finally:
        lock.close()  # closing releases the lock


INDEX_PRELOAD = "import auditlib.render.portfolio"
# A batch that does one unit (or none) does it in this process, and its one kernel runs the index too.
IN_PROCESS_UNITS = 1


def _warm_up_index() -> None:
    """What the index needs in this process (papermill and the nbconvert exporter), loaded while units run."""
    import papermill  # noqa: F401 - loaded here, not when the index is due

    from auditlib.render.export import exporter

    exporter()


@contextlib.contextmanager
def _index_kernel(root: Path):
    """A kernel for the index notebook, started (with its imports, and papermill and nbconvert here) in the
    background while the units run in worker processes; a function that waits for it, None when it did not
    start (the index then starts a kernel of its own). On an error (Ctrl-C) the start is cut short and the
    kernel stopped; it is stopped when the batch ends."""
    from auditlib.execute import KernelStart

    starting = KernelStart(root, INDEX_PRELOAD, warm_up=_warm_up_index)
    try:
        yield starting.result
    finally:
        starting.cancel()


@contextlib.contextmanager
def _one_kernel(root: Path):
    """This thread's warm kernel, started now in the background (it overlaps the unit's audit) and preloaded
    for the unit notebook and the index both: the unit runs here, then the index in the same kernel. A
    function that returns it; stopped when the batch ends."""
    from auditlib.execute import UNIT_PRELOAD, shutdown_warm_kernel, start_warm_kernel, warm_kernel

    start_warm_kernel(root, preload=f"{UNIT_PRELOAD}, {INDEX_PRELOAD.removeprefix('import ')}")
    try:
        yield lambda: warm_kernel(root)
    finally:
        shutdown_warm_kernel()


def _write_index(out_dir: Path, root: Path, kernel=None) -> Path:
    from auditlib.execute import execute_notebook
    from auditlib.render.export import notebook_to_html

    executed = out_dir / "notebooks" / "portfolio.ipynb"
    notebook = execute_notebook(root / NOTEBOOKS / PORTFOLIO_NOTEBOOK, executed, {"run_dir": str(out_dir)}, cwd=root,
                                kernel=kernel)
    return write_text_atomic(out_dir / "index.html", notebook_to_html(notebook, "绩效自评报告审核总览"))


RECORD_CHUNK = 500  # records read, written to the sheets and appended to the database at a time


def record_run(out_dir: Path, run_id: str, started: str, params_dir: Path, results: list[UnitResult],
               command: str = "batch") -> dict[str, str]:
    """Append a run's audit records to the database; a batch also writes the findings workbook and CSV. The
    records stream from disk in chunks into both, so a large run is never held in memory."""
    from auditlib.render.workbook import findings_sheets
    from auditlib.store import RunInfo, RunWriter, chunks, iter_records, tables_from_records

    run = RunInfo(run_id, started, dt.datetime.now().isoformat(timespec="seconds"), __version__, str(params_dir),
                  command)
    database = out_dir / "auditlib.duckdb"
    with contextlib.ExitStack() as outputs_open:
        reused = {(result.unit, result.year) for result in results if result.reused}
        add_to_sheets = outputs_open.enter_context(findings_sheets(out_dir, reused)) if command == "batch" else None
        database_run = outputs_open.enter_context(RunWriter(database, run))
        for chunk in chunks(iter_records(out_dir, (asdict(result) for result in results)), RECORD_CHUNK):
            if add_to_sheets:
                for record in chunk:
                    add_to_sheets(record)
            database_run.append(*tables_from_records(run_id, chunk))
    outputs = {"findings_csv": str(out_dir / "findings.csv"), "findings_xlsx": str(out_dir / "findings.xlsx")} \
        if command == "batch" else {}
    outputs["database"] = str(database)
    return outputs


def run_batch(params_dir: Path, out_dir: Path, units: list[str] | None = None, years: list[int] | None = None,
              workers: int | None = None, root: Path | None = None, progress: bool = True,
              allow_outside_data: bool = False, unit_timeout: float | None = UNIT_TIMEOUT_SECONDS,
              force: bool = False, scheduler: str | None = None,
              max_memos_per_worker: int | None = None) -> BatchResult:
    """Memos for every selected params file in parallel, then index.html, findings sheets and the database.

    Units unchanged since their last successful run into out_dir are reused (UnitResult.reused) unless force.
    scheduler: None runs the units in a local process pool of `workers`; "local" on a Dask LocalCluster (of
    `workers`, default 2); any other value is a Dask scheduler address (tcp://host:8786). Workers are replaced
    after max_memos_per_worker memos (default auditlib.scheduler.MAX_MEMOS_PER_WORKER).
    """
    from auditlib.execute import skip_iri_format_checker
    from auditlib.incremental import notebook_digest, read_manifest, save_manifest, stamp_run, unchanged_run

    skip_iri_format_checker()
    root = (root or Path.cwd()).resolve()
    params_dir = params_dir if params_dir.is_absolute() else root / params_dir
    out_dir = (out_dir if out_dir.is_absolute() else root / out_dir).resolve()
    started = dt.datetime.now().isoformat(timespec="seconds")
    run_id = f"{dt.datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    if not params_dir.is_dir():
        raise ParamsError(f"参数文件夹不存在 (--params-dir {params_dir}): give the folder holding the "
                          "<unit>-<year>.yaml files.")
    params_files = find_params(params_dir, units, years)
    if not params_files:
        print(f"auditlib: {params_dir} 中没有符合条件的参数文件", file=sys.stderr)
        return BatchResult(run_id, [])
    with output_folder(out_dir):
        manifest, last_run = read_manifest(out_dir)
        index_notebook = notebook_digest(root / NOTEBOOKS / PORTFOLIO_NOTEBOOK)
        tasks, results = _plan(params_files, out_dir, root, manifest, force, allow_outside_data, unit_timeout,
                               max_memos_per_worker)
        results.sort(key=lambda r: r.params_file)
        earlier_run = "" if tasks else unchanged_run(out_dir, last_run, results, index_notebook)
        if earlier_run and _record_unchanged_run(out_dir, run_id, started, params_dir, results, earlier_run):
            save_manifest(out_dir, manifest, results, stamp_run(out_dir, run_id, results, index_notebook))
            _print_summary(results, _shared_outputs(out_dir))
            return BatchResult(run_id, results, _shared_outputs(out_dir))
        in_process = scheduler is None and len(tasks) <= IN_PROCESS_UNITS
        with _one_kernel(root) if in_process else _index_kernel(root) as index_kernel:
            results += _run_units(tasks, workers, progress, scheduler, max_memos_per_worker, in_process)
            results.sort(key=lambda r: r.params_file)
            save_manifest(out_dir, manifest, results)
            write_json_atomic(out_dir / "summary.json", [asdict(result) for result in results])
            outputs = record_run(out_dir, run_id, started, params_dir, results)
            outputs["index"] = str(_write_index(out_dir, root, index_kernel()))
        save_manifest(out_dir, manifest, results, stamp_run(out_dir, run_id, results, index_notebook))
    _print_summary(results, outputs)
    return BatchResult(run_id, results, outputs)


def _shared_outputs(out_dir: Path) -> dict[str, str]:
    return {"index": str(out_dir / "index.html"), "findings_csv": str(out_dir / "findings.csv"),
            "findings_xlsx": str(out_dir / "findings.xlsx"), "database": str(out_dir / "auditlib.duckdb")}


def _record_unchanged_run(out_dir: Path, run_id: str, started: str, params_dir: Path, results: list[UnitResult],
                          earlier_run: str) -> bool:
    """Record a batch that remade nothing in the database: the earlier run's rows under this run's id (the
    index, workbook and CSV already show these records and are left as they are)."""
    from auditlib.store import DATABASE, RunInfo, record_unchanged_run

    run = RunInfo(run_id, started, dt.datetime.now().isoformat(timespec="seconds"), __version__, str(params_dir))
    return record_unchanged_run(out_dir / DATABASE, run, earlier_run, len(results))


def _plan(params_files: list[Path], out_dir: Path, root: Path, manifest: dict, force: bool,
          allow_outside_data: bool, unit_timeout: float | None,
          max_memos_per_worker: int | None) -> tuple[list[UnitTask], list[UnitResult]]:
    """The units to do, and the results of the units unchanged since their last run (unless force)."""
    from auditlib.pipeline import load_registry
    from auditlib.incremental import notebook_digest, reusable
    from auditlib.scheduler import MAX_MEMOS_PER_WORKER

    notebook = notebook_digest(root / NOTEBOOKS / UNIT_NOTEBOOK)
    registry = load_registry(root)
    tasks, reused = [], []
    for group in by_unit([UnitTask(str(path), str(out_dir), str(root)) for path in params_files]):
        paths = [Path(task.params_file) for task in group]
        for path, key in zip(paths, _unit_keys(paths, root, notebook, registry, allow_outside_data)):
            earlier = None if force else reusable(manifest.get(path.name), key, out_dir)
            if earlier is not None:
                reused.append(earlier)
            else:
                # A long-lived (Dask) worker replaces its kernel as often as the pool replaces its workers.
                tasks.append(UnitTask(str(path), str(out_dir), str(root), allow_outside_data, unit_timeout, key,
                                      max_memos_per_worker or MAX_MEMOS_PER_WORKER))
    return tasks, reused


def _unit_keys(paths: list[Path], root: Path, notebook: str, registry: dict, allow_outside_data: bool) -> list[str]:
    """The keys of one unit's years (params files in year order): each year's key holds the key of the year
    before it, as its memo compares with that year."""
    from auditlib.incremental import unit_key

    keys, earlier_key = [], ""
    for path in paths:
        earlier_key = unit_key(path, root, notebook, registry, allow_outside_data, earlier_key)
        keys.append(earlier_key)
    return keys


def current_record(params_file: Path, out_dir: Path, root: Path, allow_outside_data: bool = False):
    """The AuditRecord of a params file's unit and year in out_dir when it is current: the last batch made it
    from exactly the inputs it has now (the test a batch reuses a unit by, its earlier years taken from the
    params files beside it); else None. Its findings are then the ones an audit would give now."""
    from auditlib.incremental import load_manifest, notebook_digest, reusable
    from auditlib.pipeline import load_registry
    from auditlib.record import AuditRecord

    root, out_dir = root.resolve(), out_dir.resolve()
    entry = load_manifest(out_dir).get(params_file.name)
    if entry is None or not params_file.is_file():
        return None
    unit = params_file.stem.rpartition("-")[0]  # <unit>-<year>.yaml: the unit's years up to this one
    groups = by_unit([UnitTask(str(path), str(out_dir), str(root)) for path in find_params(params_file.parent)
                      if path.stem.rpartition("-")[0] == unit and path.stem <= params_file.stem])
    if len(groups) != 1:
        return None
    paths = [Path(task.params_file) for task in groups[0]]
    keys = _unit_keys(paths, root, notebook_digest(root / NOTEBOOKS / UNIT_NOTEBOOK), load_registry(root),
                      allow_outside_data)
    result = reusable(entry, keys[-1], out_dir) if paths[-1].name == params_file.name else None
    if result is None:
        return None
    try:
        return AuditRecord.from_dict(json.loads(Path(result.outputs["data"]).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _run_units(tasks: list[UnitTask], workers: int | None, progress: bool, scheduler: str | None,
               max_memos_per_worker: int | None, in_process: bool = False) -> list[UnitResult]:
    """Run the tasks on the backend the scheduler selects (or here, in_process), with a progress bar."""
    from tqdm import tqdm

    from auditlib.scheduler import MAX_MEMOS_PER_WORKER, backend_for

    if not tasks:
        return []
    if in_process:  # no worker process to start, nor a second kernel: what one unit costs is its own work
        from auditlib.scheduler import memory_limited
        from auditlib.worker import run_units

        with memory_limited():
            results = iter(run_units(tasks))
    else:
        name, backend = backend_for(scheduler)
        if name == "pool":
            workers = max(1, min(workers or os.cpu_count() or 1, len(tasks)))
        results = backend(tasks, workers=workers, scheduler=scheduler,
                          max_memos_per_worker=max_memos_per_worker or MAX_MEMOS_PER_WORKER)
    out_dir = Path(tasks[0].out_dir)
    done = []
    for result in tqdm(results, total=len(tasks), desc="memos", unit="unit", disable=not progress, file=sys.stderr):
        if result.produced:  # made by a worker that does not see the output folder: written here
            try:
                write_files_into(out_dir, result.produced)
            except (OSError, ValueError) as error:
                result.ok, result.error_type = False, "OutputError"
                result.error = f"无法写入输出文件 (could not write what the worker made): {error}"
            result.produced = {}
        done.append(result)
    return done


def _print_summary(results: list[UnitResult], outputs: dict[str, str]) -> None:
    from auditlib.record import SEVERITY_ZH

    for result in results:
        counts = " ".join(f"{SEVERITY_ZH[severity]}{count}" for severity, count in result.counts.items())
        done = "未变（沿用上次结果）" if result.reused else "完成"
        status = f"{done}  {counts}" if result.ok else f"失败（{result.error_type}）：{one_line(result.error.splitlines()[0]) if result.error else ''}"
        print(f"{result.unit or Path(result.params_file).stem:<12} {result.year or '':<6} {status}")
    if results and all(result.reused for result in results):
        print(f"全部 {len(results)} 个单位均未变化，沿用上次的备忘录 / every unit unchanged since the last run: nothing was redone.")
    print(f"备忘录与总览：{outputs['index']}")
    print(f"审核发现：{outputs['findings_xlsx']}，{outputs['findings_csv']}；数据库：{outputs['database']}")
