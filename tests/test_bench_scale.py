"""bench_scale end to end on a tiny corpus: real batches, a real naive papermill + nbconvert run, valid JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_bench_scale_runs_end_to_end_and_writes_its_figures(tmp_path):
    results_path = tmp_path / "results.json"
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_scale.py"), "--reports", "3", "--naive", "1",
         "--bench-dir", str(tmp_path / "bench"), "--json", str(results_path)],
        capture_output=True, text=True, timeout=900)
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = json.loads(results_path.read_text(encoding="utf-8"))
    assert {"machine", "corpus", "extract_check", "batch", "naive", "incremental", "findings",
            "peak_rss_per_process_mb"} <= set(results)
    assert results["corpus"]["reports"] == 3
    assert results["extract_check"]["reports"] == 3 and results["extract_check"]["reports_per_s"] > 0
    assert [run["workers"] for run in results["batch"]] == [1, 2]
    for run in results["batch"]:
        assert run["memos"] == run["ok"] == 3 and run["s_per_memo"] > 0
        assert run["peak_rss_mb"]["main"] > 0 and run["peak_rss_mb"]["worker"] > 0
    assert results["naive"]["memos"] == 1 and results["naive"]["failed"] == []
    assert set(results["naive"]["ratio_to_batch"]) == {"1", "2"}
    manifest = json.loads((tmp_path / "bench" / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    first = next(iter(manifest["units"]))
    assert "<html" in (tmp_path / "bench" / "out-naive" / f"{first}.html").read_text(encoding="utf-8")
    for found in results["findings"].values():
        assert found["all_found"] and found["unexpected_high"] == 0 and found["unexpected_medium"] == 0
    incremental = results["incremental"]
    if incremental["available"]:
        assert incremental["unchanged"]["redone"] == 0 and incremental["one_changed"]["redone"] == 1
    else:
        assert "--force" in incremental["reason"]
    assert "planted findings" in completed.stdout and "s/memo" in completed.stdout
