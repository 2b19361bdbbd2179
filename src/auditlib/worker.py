"""worker: one unit and year's memo, as a batch worker (a pool process or a Dask worker) makes it.

A `UnitTask` says what to do (picklable, it crosses process boundaries); `run_unit` / `run_units` do it and
return a `UnitResult` each, never raising: a unit's error is its result, so one broken report never stops the
others. A worker audits a share of units together (one great-expectations pass per table for all of them),
then runs the unit notebook for each through papermill in the kernel it keeps warm (reset between units) and
exports it with its one nbconvert exporter.
"""

from __future__ import annotations

import contextlib
import json
import signal
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditlib.errors import AuditlibError
from auditlib.params import load_params

NOTEBOOKS = Path("notebooks")
UNIT_NOTEBOOK = "unit_audit.ipynb"
PORTFOLIO_NOTEBOOK = "portfolio.ipynb"
UNIT_TIMEOUT_SECONDS = 600  # one unit's read, check, notebook and memo; a real report takes seconds
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
    # A worker that does not see the output folder returns what it made here, by path relative to the output
    # folder, for the batch to write (auditlib.batch); empty once written.
    produced: dict[str, bytes] = field(default_factory=dict, repr=False)


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
    # The unit's inputs as bytes (`pack`), for a worker that does not see the project or the output folder (a
    # Dask worker on another machine): it then works in a private folder and returns what it made as bytes.
    files: tuple[tuple[str, bytes], ...] = ()


def run_unit(task: UnitTask, audit=None, after: UnitResult | None = None) -> UnitResult:
    """A worker's entry: one unit's memo in this process's warm kernel (from `audit` when already made).
    after: the result of the unit's year before, which a Dask task waits for (its record is then written)."""
    from auditlib.execute import skip_iri_format_checker

    skip_iri_format_checker()
    if task.files:
        return _run_packed(task, after)
    result = make_memo(task.params_file, task.out_dir, task.root, task.allow_outside_data, task.unit_timeout,
                       warm=True, max_memos_per_kernel=task.max_memos_per_kernel, audit=audit)
    result.key = task.key
    return result


# --- a unit for a worker that sees neither the project nor the output folder ---

PACKED_PARAMS = "params"
PACKED_REPORTS = "data/raw"
RECORDS = "data"  # an output folder's records: <out>/data/<unit>-<year>.json


def pack(task: UnitTask) -> UnitTask:
    """The task with every file its memo is made from as bytes, by path relative to a project folder: the
    params (its report_path pointing at the packed report), the report, the unit notebook, the unit registry,
    the unit's review file and project rule set if any, and the record of its most recent earlier year that the
    output folder holds (the year before is compared with it). Read here, on the machine that has them; a file
    that cannot be read leaves the task as it was, and the worker meets the same error and reports it."""
    import yaml

    root, out_dir = Path(task.root), Path(task.out_dir)
    try:
        params = load_params(task.params_file)
        report = params.checked_report(root.resolve(), task.allow_outside_data)
        name = f"{params.unit}-{params.year}"
        packed_report = f"{PACKED_REPORTS}/{params.unit}/{params.year}/{report.name}"
        data = {"unit": params.unit, "year": params.year, "report_path": packed_report,
                "thresholds": dict(params.thresholds), "rule_set": params.rule_set}
        files = {f"{PACKED_PARAMS}/{name}.yaml": yaml.safe_dump(data, allow_unicode=True).encode("utf-8"),
                 packed_report: report.read_bytes(),
                 f"{NOTEBOOKS}/{UNIT_NOTEBOOK}": (root / NOTEBOOKS / UNIT_NOTEBOOK).read_bytes()}
        for optional in ("data/units.csv", f"reviews/{name}.yaml", f"rulesets/{params.rule_set}.yaml"):
            if (root / optional).is_file():
                files[optional] = (root / optional).read_bytes()
        earlier = sorted((path for path in (out_dir / RECORDS).glob(f"{params.unit}-*.json")
                          if path.stem.rpartition("-")[2].isdigit() and int(path.stem.rpartition("-")[2]) < params.year),
                         key=lambda path: int(path.stem.rpartition("-")[2]))
        if earlier:
            files[f"outputs/{RECORDS}/{earlier[-1].name}"] = earlier[-1].read_bytes()
    except (AuditlibError, OSError):
        return task
    return UnitTask(f"{PACKED_PARAMS}/{name}.yaml", task.out_dir, "", False, task.unit_timeout, task.key,
                    task.max_memos_per_kernel, tuple(files.items()))


def _run_packed(task: UnitTask, after: UnitResult | None) -> UnitResult:
    """Unpack the task's files into a private project folder, make the memo there, and return what it made as
    bytes (UnitResult.produced, by path relative to the output folder); outputs name the batch's folder."""
    import shutil
    import tempfile

    private = Path(tempfile.mkdtemp(prefix="auditlib-unit-"))
    try:
        for relative, data in task.files:
            path = private / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        out = private / "outputs"
        (out / RECORDS).mkdir(parents=True, exist_ok=True)
        for relative, data in (after.produced.items() if after is not None else ()):
            if relative.startswith(f"{RECORDS}/") and relative.endswith(".json"):  # the year before, made just now
                (out / relative).write_bytes(data)
        before = {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()}
        result = make_memo(private / task.params_file, out, private, False, task.unit_timeout, warm=True,
                           max_memos_per_kernel=task.max_memos_per_kernel)
        result.params_file, result.key = task.params_file, task.key
        made = [path for path in out.rglob("*") if path.is_file() and before.get(path) != path.stat().st_mtime_ns
                and not path.name.startswith(".")]
        result.produced = {path.relative_to(out).as_posix(): path.read_bytes() for path in made}
        result.outputs = {kind: str(Path(task.out_dir) / Path(path).relative_to(out))
                          for kind, path in result.outputs.items()}
        if result.notebook:
            result.notebook = str(Path(task.out_dir) / Path(result.notebook).relative_to(out))
        return result
    finally:
        shutil.rmtree(private, ignore_errors=True)


def run_units(tasks: list[UnitTask]) -> list[UnitResult]:
    """A worker's entry for a share of units: their audits made together (one great-expectations pass per
    table for all of them), then each unit's memo. The worker's kernel starts meanwhile (unless it runs)."""
    from auditlib.execute import start_warm_kernel

    if tasks and not tasks[0].files:  # a packed task's project is a private folder, made when it runs
        start_warm_kernel(Path(tasks[0].root).resolve(), tasks[0].max_memos_per_kernel)
    audits = _audits_together(tasks)
    return [run_unit(task, audits.get(task.params_file)) for task in tasks]


def _audits_together(tasks: list[UnitTask]) -> dict[str, Any]:
    """The tasks' audits by params file, made together; a unit missing here (its params or report could not
    be read, or the joint audit failed or ran out of time) makes its own audit and meets its own error."""
    from auditlib.compose import Audit
    from auditlib.pipeline import audit_runs

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
    from auditlib.pipeline import audit_run, compare_with_earlier
    from auditlib.execute import NotebookFailed, execute_notebook, warm_kernel
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
        try:
            # Audit here, where great-expectations is set up once per worker, not once per kernel.
            if audit is None:
                audit = audit_run(params, root, out_dir)  # earlier years: this folder's records
            else:
                compare_with_earlier(audit, out_dir)  # made with the worker's share, before its earlier years' memos
            memo = Memo(audit, out_dir)
            memo.save()
            parameters["rendered"] = str(memo.write_parts(out_dir / "notebooks" / f"{name}.parts.json"))
        except UnitTimeout:
            raise
        except AuditlibError:
            pass  # the notebook meets the same error in a cell, and is kept to show where
        memo, docx = out_dir / f"{name}.html", out_dir / f"{name}.docx"
        for stale in (memo, docx):  # the notebook writes them anew; a unit that fails keeps no old memo
            stale.unlink(missing_ok=True)
        kernel = warm_kernel(root, max_memos_per_kernel) if warm else None
        # A cell's time limit as well: where no alarm can be set (a Dask worker's thread) it is the only one.
        execute_notebook(root / NOTEBOOKS / UNIT_NOTEBOOK, executed, parameters, cwd=root, kernel=kernel,
                         timeout=unit_timeout if warm and unit_timeout else None)
        # The notebook's last cell saved the memo (HTML and Word), exactly as it does when run by hand.
        if not (memo.is_file() and docx.is_file()):
            raise AuditlibError(f"备忘录未写出 (the unit notebook did not save {memo.name} and {docx.name}): "
                                f"its last cell should call memo.write().")
        data = json.loads((out_dir / "data" / f"{name}.json").read_text(encoding="utf-8"))
        result.counts = data["counts"]
        result.outputs = {"memo": str(memo), "docx": str(docx), "notebook": str(executed),
                          "data": str(out_dir / "data" / f"{name}.json")}
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
