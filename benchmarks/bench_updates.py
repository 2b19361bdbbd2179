"""Quick updates (issue 17): how long an auditor waits after a small change, and where the time goes.

On a copy of the bundled project in a temporary folder, after a first batch:

1. the unchanged batch (`auditlib batch`, nothing changed);
2. one changed unit (one report edited, then `auditlib batch`);
3. one review decision (`auditlib review ... --confirm`, then `auditlib batch`);
4. `auditlib check` of one report.

Each command runs in a fresh interpreter, as a user runs it, through this file's `--profile` mode: it times
every import (grouped by the package first imported for it, its dependencies included) and the named steps
(kernel start, papermill, nbconvert, great-expectations, DuckDB, the workbook, the index notebook), each time
counted once, in the innermost step or import it was spent in. Steps in the batch's background thread (the index
kernel started while the units run) are listed apart: they overlap the main thread. What runs in pool worker
processes shows as "units: in worker processes"; a unit run in the batch's own process shows in its steps.

    PYTHONPATH=src python benchmarks/bench_updates.py

The machine the figures come from matters (a loaded machine doubles them): compare figures of one run, before
and after a change, not with figures taken elsewhere.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("notebooks", "params", "data", "rulesets")
CHANGED_UNIT = ("qionghai", 2021)
REVIEWED_UNIT = ("jiangmen", 2021)
CHECKED_REPORT = "data/raw/bishan/2020/bishan-2020.txt"

# --- the profiler (runs inside the measured interpreter) ---

# Steps worth naming: (module, attribute path, label). A step inside another is counted in the inner one.
STEPS = [
    ("auditlib.batch", "_plan", "plan: unit keys and manifest"),
    ("auditlib.batch", "_run_units", "units: in worker processes, or the rest here"),
    ("auditlib.batch", "_write_index", "index notebook"),
    ("auditlib.batch", "record_run", "database and workbook"),
    ("auditlib.store", "RunWriter.__enter__", "DuckDB"),
    ("auditlib.store", "RunWriter.append", "DuckDB"),
    ("auditlib.store", "RunWriter.__exit__", "DuckDB"),
    ("auditlib.store", "tables_from_records", "DuckDB"),
    ("auditlib.render.workbook", "FindingsWorkbook.add", "workbook"),
    ("auditlib.render.workbook", "FindingsWorkbook.save", "workbook"),
    ("auditlib.render.workbook", "FindingsCsv.add", "workbook"),
    ("auditlib.execute", "WarmKernel.start", "kernel start"),
    ("auditlib.execute", "execute_notebook", "papermill (notebook run)"),
    ("auditlib.render.export", "_build_exporter", "nbconvert exporter set-up"),
    ("auditlib.render.export", "notebook_to_html", "nbconvert export"),
    ("auditlib.check.gx", "GxRunner.__init__", "great-expectations context"),
    ("auditlib.check.gx", "GxRunner.validate", "great-expectations validation"),
    ("auditlib.ingest", "read_report", "read and extract"),
    ("auditlib.extract", "extract", "read and extract"),
]
GROUPS = {"index notebook": "index: "}  # steps inside these are labelled as theirs
BACKGROUND = "(background) "


class Profile:
    """Exclusive wall time by step or import group, per thread."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.local = threading.local()
        self.lock = threading.Lock()

    def _stack(self) -> list[list]:
        if not hasattr(self.local, "stack"):
            self.local.stack = []
        return self.local.stack

    def enter(self, label: str) -> None:
        stack = self._stack()
        now = time.perf_counter()
        if stack:
            self._add(stack[-1][0], now - stack[-1][1])
        prefix = next((GROUPS[frame[2]] for frame in reversed(stack) if frame[2] in GROUPS), "")
        if threading.current_thread() is not threading.main_thread():
            prefix = BACKGROUND + prefix
        stack.append([prefix + label if not label.startswith("import ") else
                      (BACKGROUND if prefix.startswith(BACKGROUND) else "") + label, now, label])

    def leave(self) -> None:
        stack = self._stack()
        now = time.perf_counter()
        label, start, _ = stack.pop()
        self._add(label, now - start)
        if stack:
            stack[-1][1] = now

    def _add(self, label: str, seconds: float) -> None:
        with self.lock:
            self.times[label] = self.times.get(label, 0.0) + seconds

    def import_group(self, name: str) -> str:
        """The group an import is counted in: the outermost third-party import in progress, else its own package."""
        for frame in self._stack():
            if frame[2].startswith("import ") and frame[2] != "import auditlib":
                return frame[2]
        top = name.partition(".")[0]
        return "import auditlib" if top == "auditlib" else f"import {top}"


def _install(profile: Profile) -> None:
    """Time every import, and the named steps as their modules load."""
    import importlib

    bootstrap = sys.modules["_frozen_importlib"]
    find_and_load = bootstrap._find_and_load
    wrapped: set[str] = set()

    def timed_find_and_load(name, import_):
        profile.enter(profile.import_group(name))
        try:
            module = find_and_load(name, import_)
        finally:
            profile.leave()
        if name in STEP_MODULES and name not in wrapped:
            wrapped.add(name)
            _wrap_steps(profile, module, name)
        return module

    bootstrap._find_and_load = timed_find_and_load
    importlib._bootstrap._find_and_load = timed_find_and_load


STEP_MODULES = {module for module, _, _ in STEPS}


def _wrap_steps(profile: Profile, module, name: str) -> None:
    for step_module, path, label in STEPS:
        if step_module != name:
            continue
        owner = module
        *parents, attribute = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        original = getattr(owner, attribute)

        def timed(*args, __original=original, __label=label, **kwargs):
            profile.enter(__label)
            try:
                return __original(*args, **kwargs)
            finally:
                profile.leave()

        functools.update_wrapper(timed, original)
        setattr(owner, attribute, timed)


def profile_command(report: Path, arguments: list[str]) -> int:
    """Run `auditlib <arguments>` in this interpreter with the profiler on; write the times to report."""
    started = time.perf_counter()
    profile = Profile()
    _install(profile)
    status = 1
    try:
        profile.enter("auditlib (other work)")
        try:
            from auditlib.cli import main

            sys.argv = ["auditlib", *arguments]  # as the command line calls it (main() with no arguments)
            with open(os.devnull, "w") as quiet, _redirect(quiet):
                status = main()
        finally:
            profile.leave()
    finally:
        report.write_text(json.dumps({"status": status, "times": profile.times,
                                      "in_process": time.perf_counter() - started}), encoding="utf-8")
    return status


class _redirect:
    def __init__(self, stream) -> None:
        self.stream = stream

    def __enter__(self):
        self.saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self.stream

    def __exit__(self, *exc) -> None:
        sys.stdout, sys.stderr = self.saved


# --- the scenarios (the parent process) ---


def _run(project: Path, arguments: list[str]) -> dict:
    """One command in a fresh interpreter, profiled; its wall time as the user sees it, and its breakdown."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        report = Path(handle.name)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH", "")]))}
    used = _children_cpu()
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--profile", str(report), "--",
                                *arguments], cwd=project, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    cpu = _children_cpu() - used
    data = json.loads(report.read_text(encoding="utf-8")) if report.stat().st_size else {"times": {}, "status": None}
    report.unlink()
    if completed.returncode != 0:
        print(f"  ! `auditlib {' '.join(arguments)}` exited {completed.returncode}: {completed.stderr[-500:]}")
    data["wall"], data["cpu"] = wall, cpu
    data["interpreter"] = wall - data.get("in_process", wall)
    return data


def _children_cpu() -> float:
    """CPU seconds (user and system) of the processes this one has waited for, and of theirs (kernels)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _copy_project(into: Path) -> Path:
    project = into / "project"
    for part in PROJECT_PARTS:
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, project / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return project


def _first_pending_finding(project: Path, unit: str, year: int) -> str:
    listing = subprocess.run([sys.executable, "-m", "auditlib", "review", "--unit", unit, "--year", str(year),
                              "--json"], cwd=project, capture_output=True, text=True, check=True)
    findings = json.loads(listing.stdout)["findings"]
    return next(f["fingerprint"] for f in findings if f["status"] != "已确认")


def _table(name: str, data: dict, min_share: float = 0.02) -> None:
    wall = data["wall"]
    print(f"\n{name}: {wall:.2f} s wall, {data['cpu']:.2f} s CPU (all its processes, kernels included)")
    rows = [("python start and exit", data["interpreter"])]
    foreground = {label: seconds for label, seconds in data["times"].items() if not label.startswith(BACKGROUND)}
    background = {label: seconds for label, seconds in data["times"].items() if label.startswith(BACKGROUND)}
    rows += sorted(foreground.items(), key=lambda item: -item[1])
    small = sum(seconds for _, seconds in rows if seconds < wall * min_share)
    for label, seconds in rows:
        if seconds >= wall * min_share:
            print(f"  {label:<44}{seconds:>7.2f} s {seconds / wall:>5.0%}")
    if small:
        print(f"  {'(the rest, each under ' + format(min_share, '.0%') + ')':<44}{small:>7.2f} s {small / wall:>5.0%}")
    shown = [(label, seconds) for label, seconds in sorted(background.items(), key=lambda item: -item[1])
             if seconds >= wall * min_share]
    for label, seconds in shown:
        print(f"  {label:<44}{seconds:>7.2f} s  (overlaps the above)")


def main() -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"auditlib quick updates, bundled project; {os.cpu_count()} CPUs, load average {load:.1f} at start")
    with tempfile.TemporaryDirectory(prefix="auditlib-bench-") as folder:
        project = _copy_project(Path(folder))
        figures = {"first batch (context: every unit made)": _run(project, ["batch"])}
        figures["1. unchanged batch"] = _run(project, ["batch"])
        unit, year = CHANGED_UNIT
        report = project / "data" / "raw" / unit / str(year) / f"{unit}-{year}.txt"
        report.write_bytes(report.read_bytes() + "\n附：本报告经单位负责人审阅。\n".encode("utf-8"))
        figures["2. one changed report, batch"] = _run(project, ["batch"])
        unit, year = REVIEWED_UNIT
        fingerprint = _first_pending_finding(project, unit, year)
        figures["3a. one review decision (auditlib review)"] = _run(
            project, ["review", "--unit", unit, "--year", str(year), "--finding", fingerprint, "--confirm",
                      "--reviewer", "张三"])
        figures["3b. then the batch"] = _run(project, ["batch"])
        figures["4. auditlib check of one report"] = _run(project, ["check", CHECKED_REPORT])
    for name, data in figures.items():
        _table(name, data)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nload average {load:.1f} at the end")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--profile":
        separator = sys.argv.index("--")
        raise SystemExit(profile_command(Path(sys.argv[2]), sys.argv[separator + 1:]))
    main()
