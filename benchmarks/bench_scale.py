"""Scale benchmark (issue 10): a generated corpus through extract+check, the batch and the naive notebook loop.

    python benchmarks/bench_scale.py [--reports 200] [--naive 10] [--workers 1,2] [--json build/bench/results.json]

One run measures, on the same generated corpus (benchmarks/corpus.py):
  (a) extract+check in this process after a warm-up, reports/s (auditlib.pipeline.audit);
  (b) `auditlib batch` with 1 and 2 workers, each into its own output folder: memos/min and s/memo;
  (c) the naive way: per report a `papermill` CLI run of notebooks/unit_audit.ipynb with the parameters the batch
      passes (the kernel audits the report itself), then a `jupyter nbconvert --to html` CLI run; s/memo and the
      ratio naive/batch;
  (d) when the batch takes --force (incremental runs): a second run with nothing changed, then one with one report's
      bytes changed, and how many memos each redid (memo files rewritten; the summary's own fields if it has them);
  (e) peak RSS per process: the main process, each worker, each kernel (psutil samples the process tree);
  (f) whether the planted findings were all found (the batch's records against the manifest), and unplanted highs.
It prints a table and writes JSON. These are figures, not assertions; the load average is printed beside them,
since a shared machine slows every figure down.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402  (benchmarks/corpus.py)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BENCH = ROOT / "build" / "bench"
MB = 1024 * 1024
# Reports audited together in one process: a great-expectations pass costs about the same for 1 or 64 reports.
IN_PROCESS_SHARE = 64
ONE_AT_A_TIME_REPORTS = 40  # the one-report-at-a-time figure, for comparison
WARMUP_REPORTS = 5
SUMMARY_REUSED_FIELDS = ("reused", "cached", "skipped", "unchanged", "up_to_date")


# --- memory: peak RSS of each process in a tree ---


class TreeSampler:
    """Samples the RSS of a process and every process under it in a thread; keeps the peak of each role
    (main, worker, kernel, other) and of the whole tree. A spike shorter than the interval can be missed, and a
    process sampled in the instant between its fork and its exec counts under its parent's role."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval = pid, interval
        self.peaks: dict[str, int] = {}
        self.tree_peak = 0
        self._roles: dict[tuple[int, float], str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _role(self, process) -> str:
        """The process's role, read afresh at every sample: just after a fork, a kernel or worker still shows its
        parent's command line, so a role read once could stick to the wrong process."""
        if process.pid == self.pid:
            role = "main"
        else:
            command = " ".join(process.cmdline())
            if "ipykernel" in command:
                role = "kernel"
            elif "spawn_main" in command or "forkserver" in command or "distributed" in command:
                role = "worker"  # (a worker's -W options may name multiprocessing.resource_tracker too)
            else:
                role = "other"  # the resource tracker, a shell
        self._roles[(process.pid, process.create_time())] = role
        return role

    def sample(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        total = 0
        for process in tree:
            try:
                rss, role = process.memory_info().rss, self._role(process)
            except psutil.Error:
                continue
            total += rss
            self.peaks[role] = max(self.peaks.get(role, 0), rss)
        self.tree_peak = max(self.tree_peak, total)

    def _run(self) -> None:
        self.sample()
        while not self._stop.wait(self.interval):
            self.sample()

    def report(self) -> dict:
        """Peak RSS in MB by role, the whole tree's peak, and how many processes of each role were seen."""
        return {"peak_rss_mb": {role: round(rss / MB, 1) for role, rss in sorted(self.peaks.items())},
                "tree_peak_rss_mb": round(self.tree_peak / MB, 1), "processes": dict(Counter(self._roles.values()))}


def _run_sampled(command: list[str], cwd: Path, quiet_stderr: bool = False) -> tuple[float, int, dict]:
    """Run a command (its stdout dropped; stderr, where progress bars go, kept unless quiet_stderr), sampling its
    process tree; (seconds, exit status, memory report)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL if quiet_stderr else None)
    with TreeSampler(process.pid) as sampler:
        status = process.wait()
    return time.perf_counter() - start, status, sampler.report()


def _load() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _tool(name: str) -> str:
    """A console script of this Python's environment (papermill, jupyter, auditlib), else from PATH."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)


# --- (a) extract+check in one process ---


def measure_in_process(corpus_dir: Path, manifest: dict, limit: int | None) -> dict:
    """Extract+check as a batch worker does it: reports audited in shares (auditlib.pipeline.audit_runs), the
    table rules validated in one great-expectations pass per share; and, for comparison, one report at a time
    (auditlib.pipeline.audit) on the first reports."""
    from tqdm import tqdm

    from auditlib.pipeline import audit, audit_runs
    from auditlib.params import load_params

    names = list(manifest["units"])[:limit] if limit else list(manifest["units"])
    warm = names[:WARMUP_REPORTS]
    start = time.perf_counter()
    audit_runs([load_params(corpus_dir / "params" / f"{name}.yaml") for name in warm], corpus_dir)
    warmup = time.perf_counter() - start
    tally = FindingsTally()
    with TreeSampler(os.getpid()) as sampler:
        start = time.perf_counter()
        with tqdm(total=len(names), desc="extract+check", unit="report", file=sys.stderr) as bar:
            for first in range(0, len(names), IN_PROCESS_SHARE):
                share = names[first:first + IN_PROCESS_SHARE]
                audits = audit_runs([load_params(corpus_dir / "params" / f"{name}.yaml") for name in share],
                                    corpus_dir)
                for name, result in zip(share, audits):
                    found = None if isinstance(result, Exception) else corpus.severities(result.findings)
                    tally.add(name, manifest["units"][name], found)
                del audits  # nothing held: a 5,000-report run keeps only the tally
                bar.update(len(share))
        elapsed = time.perf_counter() - start
    single = names[:ONE_AT_A_TIME_REPORTS]
    start = time.perf_counter()
    for name in single:
        audit(corpus_dir / manifest["units"][name]["report"])
    single_elapsed = time.perf_counter() - start
    return {"reports": len(names), "share": IN_PROCESS_SHARE, "warmup_reports": len(warm), "warmup_s": round(warmup, 2),
            "seconds": round(elapsed, 2), "reports_per_s": round(len(names) / elapsed, 1),
            "ms_per_report": round(elapsed / len(names) * 1000, 1),
            "one_at_a_time": {"reports": len(single), "reports_per_s": round(len(single) / single_elapsed, 1)},
            "peak_rss_mb": sampler.report()["peak_rss_mb"].get("main"),
            "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "findings": tally.report()}


# --- (f) findings against the manifest ---


class FindingsTally:
    """Planted rule ids found and missed, unplanted high and medium findings, counted report by report."""

    def __init__(self) -> None:
        self.planted = self.found = self.reports = self.failed = 0
        self.unexpected = Counter()
        self.examples: list[dict] = []

    def add(self, name: str, entry: dict, rules_found: dict[str, str] | None) -> None:
        self.reports += 1
        if rules_found is None:
            self.failed += 1
            self._example(name, "failed", [])
            return
        gaps = corpus.compare(entry, rules_found)
        self.planted += len(entry["expected"])
        self.found += len(entry["expected"]) - len(gaps["missed"])
        for rule in gaps["unexpected"]:
            self.unexpected[rules_found[rule]] += 1
        if gaps["missed"]:
            self._example(name, "missed", gaps["missed"])
        if gaps["unexpected"]:
            self._example(name, "unexpected", gaps["unexpected"])

    def _example(self, name: str, what: str, rules: list[str]) -> None:
        if len(self.examples) < 20:
            self.examples.append({"unit": name, what: rules})

    def report(self) -> dict:
        return {"reports": self.reports, "failed_reports": self.failed, "planted": self.planted, "found": self.found,
                "all_found": self.found == self.planted and not self.failed,
                "unexpected_high": self.unexpected["high"], "unexpected_medium": self.unexpected["medium"],
                "examples": self.examples}


def batch_findings(out: Path, manifest: dict) -> dict:
    """The batch's per-unit records (data/<unit>-<year>.json) against the manifest, one at a time; where a batch
    writes no per-unit records, its findings.csv (every finding with its workpaper number, severity and rule)."""
    tally = FindingsTally()
    from_sheet = None if (out / "data").is_dir() else _sheet_severities(out / "findings.csv")
    for name, entry in manifest["units"].items():
        if from_sheet is not None:
            tally.add(name, entry, from_sheet.get(name, {}))
            continue
        try:
            record = json.loads((out / "data" / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            tally.add(name, entry, None)
            continue
        tally.add(name, entry, corpus.severities(record.get("findings") or []) if record.get("ok", True) else None)
    return {"source": "findings.csv" if from_sheet is not None else "records", **tally.report()}


SEVERITY_FROM_ZH = {"高": "high", "中": "medium", "低": "low", "提示": "info"}


def _sheet_severities(path: Path) -> dict[str, dict[str, str]] | None:
    """unit-year -> rule -> severity, read from a findings.csv (its workpaper number is unit-year-NN)."""
    import csv

    if not path.is_file():
        return None
    found: dict[str, list[dict]] = {}
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            name = row["底稿编号"].rsplit("-", 1)[0]
            found.setdefault(name, []).append({"rule": row["规则编号"],
                                               "severity": SEVERITY_FROM_ZH.get(row["级别"], "info")})
    return {name: corpus.severities(findings) for name, findings in found.items()}


# --- (b), (d) the batch ---


def batch_features() -> dict[str, bool]:
    """What this auditlib's `batch` command accepts (incremental --force, --scheduler), read from its help."""
    try:
        text = subprocess.run([_tool("auditlib"), "batch", "--help"], capture_output=True, text=True,
                              timeout=120).stdout
    except (OSError, subprocess.SubprocessError):
        text = ""
    return {"force": "--force" in text, "scheduler": "--scheduler" in text}


def run_batch_cli(corpus_dir: Path, out: Path, workers: int, force: bool) -> dict:
    command = [_tool("auditlib"), "batch", "--params-dir", "params", "--out", str(out), "--workers", str(workers)]
    if force:
        command.append("--force")
    seconds, status, memory = _run_sampled(command, corpus_dir)
    summary = _summary(out)
    memos = len(summary) if summary is not None else 0
    ok = sum(1 for unit in summary or [] if unit.get("ok"))
    return {"workers": workers, "seconds": round(seconds, 2), "exit_status": status, "memos": memos, "ok": ok,
            "memos_per_min": round(memos / seconds * 60, 1) if seconds else None,
            "s_per_memo": round(seconds / memos, 3) if memos else None, **memory}


def _summary(out: Path) -> list[dict] | None:
    try:
        data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    units = data.get("units", data.get("results")) if isinstance(data, dict) else data
    return units if isinstance(units, list) else None


def _memo_times(out: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in out.glob("*.html") if path.name != "index.html"}


def _rerun(corpus_dir: Path, out: Path, workers: int) -> dict:
    before = _memo_times(out)
    run = run_batch_cli(corpus_dir, out, workers, force=False)
    after = _memo_times(out)
    run["redone"] = sum(1 for name, stamp in after.items() if before.get(name) != stamp)
    reused = [unit for unit in _summary(out) or [] if any(unit.get(key) for key in SUMMARY_REUSED_FIELDS)]
    run["reused_in_summary"] = len(reused) if reused else None
    return run


def measure_incremental(corpus_dir: Path, out: Path, workers: int, first_seconds: float, manifest: dict) -> dict:
    unchanged = _rerun(corpus_dir, out, workers)
    unchanged["ratio_to_first"] = round(unchanged["seconds"] / first_seconds, 3)
    name = next(iter(manifest["units"]))
    report = corpus_dir / manifest["units"][name]["report"]
    report.write_bytes(report.read_bytes() + "\n".encode("utf-8"))  # new bytes, same findings
    changed = _rerun(corpus_dir, out, workers)
    changed["changed_unit"] = name
    changed["ratio_to_first"] = round(changed["seconds"] / first_seconds, 3)
    return {"available": True, "workers": workers, "unchanged": unchanged, "one_changed": changed}


# --- (c) the naive loop ---


def measure_naive(corpus_dir: Path, out: Path, manifest: dict, count: int) -> dict:
    from tqdm import tqdm

    from auditlib.params import load_params

    if out.exists():
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    papermill_s = nbconvert_s = 0.0
    peaks: dict[str, float] = {}
    failures = []
    names = list(manifest["units"])[:count]
    for name in tqdm(names, desc="naive papermill+nbconvert", unit="memo", file=sys.stderr):
        params = load_params(corpus_dir / "params" / f"{name}.yaml")
        # what the batch passes, with no pre-rendered memo: the kernel audits the report itself
        parameters = {**params.as_notebook_parameters(), "output_dir": str(out), "project_root": str(corpus_dir),
                      "rendered": ""}
        executed = out / "notebooks" / f"{name}.ipynb"
        seconds, status, memory = _run_sampled(
            [_tool("papermill"), "notebooks/unit_audit.ipynb", str(executed), "-y", json.dumps(parameters),
             "--cwd", str(corpus_dir), "--no-progress-bar", "--no-log-output"], corpus_dir, quiet_stderr=True)
        papermill_s += seconds
        _merge_peaks(peaks, memory)
        seconds_html, status_html, memory = _run_sampled(
            [_tool("jupyter"), "nbconvert", "--to", "html", "--no-input", "--output-dir", str(out), str(executed)],
            corpus_dir, quiet_stderr=True)
        nbconvert_s += seconds_html
        _merge_peaks(peaks, memory)
        if status or status_html or not (out / f"{name}.html").is_file():
            failures.append(name)
    total = papermill_s + nbconvert_s
    return {"memos": len(names), "failed": failures, "seconds": round(total, 2),
            "papermill_s_per_memo": round(papermill_s / len(names), 3),
            "nbconvert_s_per_memo": round(nbconvert_s / len(names), 3), "s_per_memo": round(total / len(names), 3),
            "peak_rss_mb": peaks}


def _merge_peaks(peaks: dict[str, float], memory: dict) -> None:
    for role, value in memory["peak_rss_mb"].items():
        peaks[role] = max(peaks.get(role, 0.0), value)


# --- the run ---


def _print_table(results: dict) -> None:
    rows = []
    inproc = results.get("extract_check")
    if inproc:
        rows.append((f"extract+check, one process, shares of {inproc['share']}", f"{inproc['reports_per_s']} reports/s",
                     f"{inproc['ms_per_report']} ms/report", f"main {inproc['peak_rss_mb']} MB"))
        single = inproc["one_at_a_time"]
        rows.append((f"extract+check, one report at a time ({single['reports']})", f"{single['reports_per_s']} reports/s",
                     "", ""))
    for run in results["batch"]:
        rows.append((f"batch, {run['workers']} worker(s), {run['memos']} memos", f"{run['memos_per_min']} memos/min",
                     f"{run['s_per_memo']} s/memo", _peaks_text(run)))
    naive = results.get("naive")
    if naive:
        rows.append((f"naive papermill+nbconvert, {naive['memos']} memos", f"{naive['s_per_memo']} s/memo",
                     f"papermill {naive['papermill_s_per_memo']} + nbconvert {naive['nbconvert_s_per_memo']}",
                     " ".join(f"{role} {mb} MB" for role, mb in naive["peak_rss_mb"].items())))
        for workers, ratio in naive.get("ratio_to_batch", {}).items():
            rows.append((f"naive / batch ({workers} worker(s))", f"{ratio}x", "", ""))
    incremental = results["incremental"]
    if incremental.get("available"):
        for key, label in (("unchanged", "second batch, nothing changed"), ("one_changed", "batch, one report changed")):
            run = incremental[key]
            rows.append((label, f"{run['seconds']} s", f"{run['ratio_to_first']} of the first run",
                         f"redone {run['redone']}"))
    else:
        rows.append(("incremental", "not available", incremental.get("reason", ""), ""))
    for source, found in results["findings"].items():
        rows.append((f"planted findings ({source})", f"{found['found']}/{found['planted']} found",
                     f"unexpected high {found['unexpected_high']}, medium {found['unexpected_medium']}",
                     f"failed reports {found['failed_reports']}"))
    machine = results["machine"]
    rows.append(("machine", f"{machine['cpus']} CPUs", f"load {machine['load_start']} -> {machine['load_end']}", ""))
    widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


def _peaks_text(run: dict) -> str:
    return " ".join(f"{role} {mb} MB" for role, mb in run["peak_rss_mb"].items() if role != "other")


def run(args: argparse.Namespace) -> dict:
    import auditlib

    bench = args.bench_dir
    corpus_dir = bench / "corpus"
    results: dict = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                 "python": platform.python_version(), "auditlib": auditlib.__version__,
                                 "auditlib_path": str(Path(auditlib.__file__).parent),
                                 "load_start": _load(), "uptime_start": _uptime()}}
    print(f"generating {args.reports} reports in {corpus_dir} …", file=sys.stderr)
    start = time.perf_counter()
    manifest_path = corpus.write_corpus(corpus_dir, args.reports, args.seed)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    kinds = Counter(entry["kind"] for entry in manifest["units"].values())
    plants = Counter(plant for entry in manifest["units"].values() for plant in entry["plants"])
    results["corpus"] = {"path": str(corpus_dir), "reports": manifest["reports"], "seed": args.seed,
                         "generated_s": round(time.perf_counter() - start, 2), "kinds": dict(kinds),
                         "plants": dict(plants),
                         "clean_reports": sum(1 for entry in manifest["units"].values() if not entry["plants"])}

    results["extract_check"] = None if args.skip_in_process else {
        "load_before": _load(), **measure_in_process(corpus_dir, manifest, args.in_process_limit), "load_after": _load()}
    features = batch_features()
    results["batch_features"] = features
    results["batch"] = []
    for workers in args.workers:
        out = bench / f"out-w{workers}"
        if out.exists():
            shutil.rmtree(out)
        print(f"batch with {workers} worker(s) …", file=sys.stderr)
        results["batch"].append({"load_before": _load(), **run_batch_cli(corpus_dir, out, workers, features["force"]),
                                 "load_after": _load()})
    last = args.workers[-1]
    results["findings"] = {"batch": batch_findings(bench / f"out-w{last}", manifest)}
    if results["extract_check"]:
        results["findings"]["in_process"] = results["extract_check"]["findings"]

    if args.naive:
        naive = {"load_before": _load(), **measure_naive(corpus_dir, bench / "out-naive", manifest, args.naive),
                 "load_after": _load()}
        naive["ratio_to_batch"] = {str(run_["workers"]): round(naive["s_per_memo"] / run_["s_per_memo"], 1)
                                   for run_ in results["batch"] if run_["s_per_memo"]}
        results["naive"] = naive
    else:
        results["naive"] = None

    if features["force"]:
        first = results["batch"][-1]
        results["incremental"] = measure_incremental(corpus_dir, bench / f"out-w{last}", last, first["seconds"],
                                                     manifest)
    else:
        results["incremental"] = {"available": False,
                                  "reason": "this auditlib's batch has no --force (no incremental runs)"}
    peaks = [mb for run_ in results["batch"] for mb in run_["peak_rss_mb"].values()]
    peaks += list((results["naive"] or {}).get("peak_rss_mb", {}).values())
    if results["extract_check"]:
        peaks.append(results["extract_check"]["peak_rss_mb"] or 0)
    results["peak_rss_per_process_mb"] = max(peaks) if peaks else None
    results["machine"].update(load_end=_load(), uptime_end=_uptime())
    return results


def _workers(text: str) -> list[int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if not values or any(value < 1 for value in values):
        raise argparse.ArgumentTypeError("workers: a comma-separated list of positive numbers, e.g. 1,2")
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200, help="reports in the corpus (default 200)")
    parser.add_argument("--naive", type=int, default=10, help="reports run the naive way (default 10; 0 skips)")
    parser.add_argument("--workers", type=_workers, default=[1, 2], help="batch runs' worker counts (default 1,2)")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH,
                        help="folder for the corpus and the runs' outputs (default build/bench)")
    parser.add_argument("--json", type=Path, default=None, help="results file (default <bench-dir>/results.json)")
    parser.add_argument("--in-process-limit", type=int, default=None,
                        help="measure extract+check on the first N reports only (default all)")
    parser.add_argument("--skip-in-process", action="store_true", help="skip the extract+check measurement")
    args = parser.parse_args(argv)
    if args.reports < 1:
        parser.error("--reports must be at least 1")
    args.bench_dir = args.bench_dir.resolve()
    results = run(args)
    path = (args.json or args.bench_dir / "results.json").resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print()
    _print_table(results)
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
