"""batch: a memo per unit and year in worker processes, then the index, the sheets and the database.

One broken report never stops the others: its error is listed in the index and its partly executed
notebook is kept. Each worker audits its units (one great-expectations context per worker), runs the unit
notebook through papermill in a kernel it keeps warm (reset between units) and exports it with the worker's
one nbconvert exporter.

Runs are incremental: a unit and year whose inputs (auditlib.incremental.unit_key) are unchanged since its
last successful run in the same output folder is not redone unless force=True; its earlier memo and record
are listed again. Where the units run is a backend (auditlib.scheduler): a local process pool by default, or
a Dask cluster.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import sys
import tempfile
import time
import traceback
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from auditlib import __version__
from auditlib.errors import AuditlibError, OutputError, ParamsError
from auditlib.iorw import write_json_atomic, write_text_atomic
from auditlib.params import find_params, load_params

NOTEBOOKS = Path("notebooks")
UNIT_NOTEBOOK = "unit_audit.ipynb"
PORTFOLIO_NOTEBOOK = "portfolio.ipynb"
UNIT_TIMEOUT_SECONDS = 600  # one unit's read, check, notebook and memo; a real report takes seconds
LOCK_FILE = ".auditlib.lock"


class UnitTimeout(AuditlibError):
    """One unit took longer than the batch's per-unit time limit."""


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
    key: str = ""  # what the unit's inputs hash to (auditlib.incremental.unit_key); empty when unreadable
    reused: bool = False  # True: inputs unchanged since the last run, its memo and record were kept


@dataclass(frozen=True)
class UnitTask:
    """One unit and year to do: what a worker (a pool process or a Dask worker) needs, picklable."""

    params_file: str
    out_dir: str
    root: str
    allow_outside_data: bool = False
    unit_timeout: float | None = UNIT_TIMEOUT_SECONDS
    key: str = ""
    max_memos_per_kernel: int | None = None


def run_unit(task: UnitTask, audit=None, after: UnitResult | None = None) -> UnitResult:
    """A worker's entry: one unit's memo in this process's warm kernel (from `audit` when already made).
    after: the result of the unit's year before, which a Dask task waits for (its record is then written)."""
    from auditlib.execute import skip_iri_format_checker

    skip_iri_format_checker()
    result = make_memo(task.params_file, task.out_dir, task.root, task.allow_outside_data, task.unit_timeout,
                       warm=True, max_memos_per_kernel=task.max_memos_per_kernel, audit=audit)
    result.key = task.key
    return result


def run_units(tasks: list[UnitTask]) -> list[UnitResult]:
    """A worker's entry for a share of units: their audits made together (one great-expectations pass per
    table for all of them), then each unit's memo."""
    audits = _audits_together(tasks)
    return [run_unit(task, audits.get(task.params_file)) for task in tasks]


def _audits_together(tasks: list[UnitTask]) -> dict[str, Any]:
    """The tasks' audits by params file, made together; a unit missing here (its params or report could not
    be read, or the joint audit failed or ran out of time) makes its own audit and meets its own error."""
    from auditlib.audit import Audit, audit_runs

    runs = {}
    for task in tasks:
        try:
            params = load_params(task.params_file)
            params.checked_report(Path(task.root).resolve(), task.allow_outside_data)
        except AuditlibError:
            continue
        runs[task.params_file] = params
    if len(runs) < 2:
        return {}
    limit = tasks[0].unit_timeout
    try:
        with _time_limit(limit * len(runs) if limit else None):
            audits = audit_runs(list(runs.values()), tasks[0].root)
    except Exception:  # noqa: BLE001 - each unit then audits alone, under its own limit, with its own message
        return {}
    return {params_file: audit for params_file, audit in zip(runs, audits) if isinstance(audit, Audit)}


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


def _timeout_error(seconds: float) -> UnitTimeout:
    return UnitTimeout(f"超时：单位处理超过 {seconds:g} 秒 (the per-unit time limit); the report may be too large "
                       "or damaged. Give a smaller report or raise --unit-timeout.")


@contextlib.contextmanager
def _time_limit(seconds: float | None):
    """Raise UnitTimeout in this (main) thread after `seconds`; no limit for None or outside the main thread."""
    if not seconds or seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise _timeout_error(seconds)

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def make_memo(params_file: str | Path, out_dir: str | Path, root: str | Path, allow_outside_data: bool = False,
              unit_timeout: float | None = UNIT_TIMEOUT_SECONDS, warm: bool = False,
              max_memos_per_kernel: int | None = None, audit=None) -> UnitResult:
    """Run the unit notebook for one params file and export its memo; errors are caught and reported.
    warm: run it in this process's warm kernel (started on first use) instead of a kernel of its own.
    audit: the unit's Audit when the worker already made it (with others'); else it is made here."""
    result = UnitResult(params_file=str(params_file))
    started = time.monotonic()
    try:
        with _time_limit(unit_timeout):
            _make_memo(result, Path(params_file), Path(out_dir), Path(root), allow_outside_data, warm,
                       unit_timeout, max_memos_per_kernel, audit)
    except AuditlibError as error:  # UnitTimeout, raised between the steps' own handlers
        result.ok, result.error, result.error_type = False, str(error), error.__class__.__name__
    if unit_timeout and not result.ok and time.monotonic() - started >= unit_timeout:
        # The limit struck inside a library that wrapped it in an error of its own: name the real cause.
        timeout = _timeout_error(unit_timeout)
        result.error, result.error_type = str(timeout), timeout.__class__.__name__
    return result


def _make_memo(result: UnitResult, params_file: Path, out_dir: Path, root: Path, allow_outside_data: bool,
               warm: bool, unit_timeout: float | None, max_memos_per_kernel: int | None, audit=None) -> None:
    from auditlib.audit import audit_run
    from auditlib.execute import NotebookFailed, execute_notebook, warm_kernel
    from auditlib.render.export import notebook_to_html
    from auditlib.render.memo import Memo

    root, out_dir = root.resolve(), out_dir.resolve()
    try:
        params = load_params(params_file)
        result.unit, result.year = params.unit, params.year
        params.checked_report(root, allow_outside_data)  # before anything reads it
        name = f"{params.unit}-{params.year}"
        executed = out_dir / "notebooks" / f"{name}.ipynb"
        result.notebook = str(executed)
        parameters = {**params.as_notebook_parameters(), "output_dir": str(out_dir), "project_root": str(root)}
        title = f"{name} 审核备忘录"
        try:
            # Audit here, where great-expectations is set up once per worker, not once per kernel.
            if audit is None:
                audit = audit_run(params, root, out_dir)  # earlier years: this folder's records
            else:
                audit.compare_with_earlier(out_dir)  # made with the worker's share, before its earlier years' memos
            memo = Memo(audit, out_dir)
            memo.save()
            parameters["rendered"] = str(memo.write_parts(out_dir / "notebooks" / f"{name}.parts.json"))
            title = memo.title
        except UnitTimeout:
            raise
        except AuditlibError:
            pass  # the notebook meets the same error in a cell, and is kept to show where
        kernel = warm_kernel(root, max_memos_per_kernel) if warm else None
        # A cell's time limit as well: where no alarm can be set (a Dask worker's thread) it is the only one.
        notebook = execute_notebook(root / NOTEBOOKS / UNIT_NOTEBOOK, executed, parameters, cwd=root, kernel=kernel,
                                    timeout=unit_timeout if warm and unit_timeout else None)
        memo = write_text_atomic(out_dir / f"{name}.html", notebook_to_html(notebook, title))
        data = json.loads((out_dir / "data" / f"{name}.json").read_text(encoding="utf-8"))
        result.counts = data["counts"]
        result.outputs = {"memo": str(memo), "notebook": str(executed), "data": str(out_dir / "data" / f"{name}.json")}
        result.ok = True
    except UnitTimeout:
        raise
    except NotebookFailed as error:
        result.error, result.error_type = error.evalue or str(error), error.ename or "NotebookFailed"
    except AuditlibError as error:
        result.error, result.error_type = str(error), error.__class__.__name__
    except Exception as error:  # a batch reports every failure and carries on
        result.error = f"{error}\n{traceback.format_exc(limit=4)}"
        result.error_type = error.__class__.__name__


def by_unit(tasks: list[UnitTask]) -> list[list[UnitTask]]:
    """The tasks grouped by unit (params/<unit>-<year>.yaml), each group in year order: a unit's years run one
    after another, so each year's memo is compared with the year before it, made in the same batch."""
    groups: dict[str, list[UnitTask]] = {}
    for task in tasks:
        stem = Path(task.params_file).stem
        unit, _, year = stem.rpartition("-")
        groups.setdefault(unit if year.isdigit() else stem, []).append(task)
    return [sorted(group, key=lambda task: Path(task.params_file).stem) for group in groups.values()]


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


def _start_index_kernel(root: Path, cancelled):
    """Start the index kernel and load what the index needs here; stop early once cancelled is set."""
    import asyncio

    from auditlib.execute import WarmKernel
    from auditlib.render.export import exporter

    kernel = None
    try:
        kernel = WarmKernel(root).start(INDEX_PRELOAD)
        if not cancelled.is_set():
            import papermill  # noqa: F401 - loaded here, not when the index is due
        if not cancelled.is_set():
            exporter()
        return kernel
    finally:
        if cancelled.is_set() and kernel is not None:
            kernel.shutdown()
        policy = asyncio.get_event_loop_policy()  # the event loop jupyter_client made for this short-lived thread
        with contextlib.suppress(RuntimeError):
            policy.get_event_loop().close()
            policy.set_event_loop(None)


@contextlib.contextmanager
def _index_kernel(root: Path):
    """A kernel for the index notebook, started (with its imports, and papermill and nbconvert here) in the
    background while the units run; a function that waits for it, None when it did not start (the index then
    starts a kernel of its own). On an error (Ctrl-C) the start is cut short and the kernel stopped."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    cancelled = threading.Event()
    with ThreadPoolExecutor(1, thread_name_prefix="auditlib-index-kernel") as starter:
        starting = starter.submit(_start_index_kernel, root, cancelled)

        def ready():
            with contextlib.suppress(AuditlibError):
                return starting.result()
            return None

        try:
            yield ready
        except BaseException:
            cancelled.set()
            raise
        finally:
            with contextlib.suppress(Exception):
                kernel = starting.result()
                if kernel is not None:
                    kernel.shutdown()


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
    from auditlib.store import RunInfo, RunWriter, chunks, findings_sheets, iter_records, tables_from_records

    run = RunInfo(run_id, started, dt.datetime.now().isoformat(timespec="seconds"), __version__, str(params_dir),
                  command)
    database = out_dir / "auditlib.duckdb"
    with contextlib.ExitStack() as outputs_open:
        add_to_sheets = outputs_open.enter_context(findings_sheets(out_dir)) if command == "batch" else None
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
    from auditlib.incremental import load_manifest, save_manifest

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
    with output_folder(out_dir), _index_kernel(root) as index_kernel:
        manifest = load_manifest(out_dir)
        tasks, results = _plan(params_files, out_dir, root, manifest, force, allow_outside_data, unit_timeout,
                               max_memos_per_worker)
        results += _run_units(tasks, workers, progress, scheduler, max_memos_per_worker)
        results.sort(key=lambda r: r.params_file)
        save_manifest(out_dir, manifest, results)
        write_json_atomic(out_dir / "summary.json", [asdict(result) for result in results])
        outputs = record_run(out_dir, run_id, started, params_dir, results)
        outputs["index"] = str(_write_index(out_dir, root, index_kernel()))
    _print_summary(results, outputs)
    return BatchResult(run_id, results, outputs)


def _plan(params_files: list[Path], out_dir: Path, root: Path, manifest: dict, force: bool,
          allow_outside_data: bool, unit_timeout: float | None,
          max_memos_per_worker: int | None) -> tuple[list[UnitTask], list[UnitResult]]:
    """The units to do, and the results of the units unchanged since their last run (unless force)."""
    from auditlib.audit import load_registry
    from auditlib.incremental import notebook_digest, reusable, unit_key
    from auditlib.scheduler import MAX_MEMOS_PER_WORKER

    notebook = notebook_digest(root / NOTEBOOKS / UNIT_NOTEBOOK)
    registry = load_registry(root)
    tasks, reused = [], []
    for group in by_unit([UnitTask(str(path), str(out_dir), str(root)) for path in params_files]):
        earlier_key = ""  # a year is redone when the year before it changed: its memo compares with that one
        for path in (Path(task.params_file) for task in group):
            key = earlier_key = unit_key(path, root, notebook, registry, allow_outside_data, earlier_key)
            earlier = None if force else reusable(manifest.get(path.name), key, out_dir)
            if earlier is not None:
                reused.append(earlier)
            else:
                # A long-lived (Dask) worker replaces its kernel as often as the pool replaces its workers.
                tasks.append(UnitTask(str(path), str(out_dir), str(root), allow_outside_data, unit_timeout, key,
                                      max_memos_per_worker or MAX_MEMOS_PER_WORKER))
    return tasks, reused


def _run_units(tasks: list[UnitTask], workers: int | None, progress: bool, scheduler: str | None,
               max_memos_per_worker: int | None) -> list[UnitResult]:
    """Run the tasks on the backend the scheduler selects, with a progress bar."""
    from tqdm import tqdm

    from auditlib.scheduler import MAX_MEMOS_PER_WORKER, backend_for

    if not tasks:
        return []
    name, backend = backend_for(scheduler)
    if name == "pool":
        workers = max(1, min(workers or os.cpu_count() or 1, len(tasks)))
    results = backend(tasks, workers=workers, scheduler=scheduler,
                      max_memos_per_worker=max_memos_per_worker or MAX_MEMOS_PER_WORKER)
    return list(tqdm(results, total=len(tasks), desc="memos", unit="unit", disable=not progress, file=sys.stderr))


def _print_summary(results: list[UnitResult], outputs: dict[str, str]) -> None:
    from auditlib.check.findings import SEVERITY_ZH

    for result in results:
        counts = " ".join(f"{SEVERITY_ZH[severity]}{count}" for severity, count in result.counts.items())
        status = f"完成  {counts}" if result.ok else f"失败（{result.error_type}）：{result.error.splitlines()[0] if result.error else ''}"
        print(f"{result.unit or Path(result.params_file).stem:<12} {result.year or '':<6} {status}")
    print(f"备忘录与总览：{outputs['index']}")
    print(f"审核发现：{outputs['findings_xlsx']}，{outputs['findings_csv']}；数据库：{outputs['database']}")
