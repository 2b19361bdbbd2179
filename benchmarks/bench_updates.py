"""Speed of updates on the bundled data (prints figures; asserts nothing): a batch with nothing changed, a batch
after one report changed, after one review decision, and `auditlib check` of one report; then where the time
goes (the interpreter and imports, a kernel start, one audit, one memo written from its record, the index).

    .venv/bin/python benchmarks/bench_updates.py

Runs on a copy of params/, data/ and notebooks/ in a temporary folder, with this checkout's auditlib; every
command runs as a user runs it (a fresh process), so each figure includes starting Python.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
UNIT, YEAR = "qionghai", 2021


def timed(arguments: list[str], cwd: Path) -> tuple[float, str]:
    """Seconds a command takes in a fresh process, and what it printed."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *arguments], cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(arguments)} failed:\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def in_process(code: str, cwd: Path) -> dict[str, float]:
    """Timings a snippet prints as JSON, run in a fresh process."""
    _, out = timed(["-c", code], cwd)
    return json.loads(out.strip().splitlines()[-1])


PARTS = """
import json, time
t = {}
start = time.perf_counter()
import auditlib.cli
t["import auditlib.cli"] = time.perf_counter() - start
start = time.perf_counter()
from auditlib.pipeline import audit
from auditlib.render import Memo
t["import pipeline and render"] = time.perf_counter() - start
start = time.perf_counter()
a = audit("data/raw/%(unit)s/%(year)d/%(unit)s-%(year)d.txt", unit="%(unit)s", year=%(year)d)
t["audit one report (read, extract, check)"] = time.perf_counter() - start
start = time.perf_counter()
record = a.record()
t["compose its record"] = time.perf_counter() - start
start = time.perf_counter()
Memo(record, "bench-out").write("bench-out")
t["write its memo (HTML and Word) from the record"] = time.perf_counter() - start
start = time.perf_counter()
from auditlib.execute import WarmKernel
kernel = WarmKernel(__import__("pathlib").Path(".")).start("import auditlib.render")
t["start a kernel (with the notebook's imports)"] = time.perf_counter() - start
kernel.shutdown()
print(json.dumps(t))
"""

INDEX = """
import json, time
from pathlib import Path
start = time.perf_counter()
from auditlib.batch import _write_index
t0 = time.perf_counter()
_write_index(Path("outputs").resolve(), Path(".").resolve())
print(json.dumps({"import the batch": t0 - start, "the index (kernel, notebook, export)": time.perf_counter() - t0}))
"""


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-updates-") as folder:
        project = Path(folder)
        for name in ("params", "data", "notebooks"):
            shutil.copytree(ROOT / name, project / name)
        batch = ["-m", "auditlib", "batch", "--out", "outputs"]
        rows = [("first batch (5 units)", timed(batch, project)[0])]
        rows.append(("batch, nothing changed", timed(batch, project)[0]))
        report = project / "data" / "raw" / UNIT / str(YEAR) / f"{UNIT}-{YEAR}.txt"
        report.write_bytes(report.read_bytes() + "\n本单位补充说明。\n".encode("utf-8"))
        rows.append(("batch, one report changed", timed(batch, project)[0]))
        record = json.loads((project / "outputs" / "data" / f"{UNIT}-{YEAR}.json").read_text(encoding="utf-8"))
        fingerprint = record["findings"][0]["fingerprint"]
        review, _ = timed(["-m", "auditlib", "review", "--unit", UNIT, "--year", str(YEAR), "--finding", fingerprint,
                           "--confirm", "--reviewer", "张三"], project)
        rows.append(("auditlib review (record one decision)", review))
        rows.append(("batch, after one review decision", timed(batch, project)[0]))
        rows.append(("auditlib check of one report", timed(["-m", "auditlib", "check", str(report)], project)[0]))
        rows.append(("python3 -c pass (the interpreter alone)", timed(["-c", "pass"], project)[0]))
        print(f"{'command':<44}{'seconds':>9}")
        for name, seconds in rows:
            print(f"{name:<44}{seconds:>9.2f}")
        print(f"\nwhere the time goes ({UNIT}-{YEAR}, one fresh process each):")
        parts = {**in_process(PARTS % {"unit": UNIT, "year": YEAR}, project), **in_process(INDEX, project)}
        for name, seconds in parts.items():
            print(f"  {name:<50}{seconds:>7.2f}")


if __name__ == "__main__":
    main()
