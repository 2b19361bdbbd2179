"""Hostile inputs through a real batch (kernels, workers): each bad unit fails alone with one line, the others
finish, nothing outside the output folder changes, no process of the batch remains, and each unit runs under
a memory limit."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import psutil
import pytest

from tests.conftest import ROOT, SEEDS
from tests.test_hostile_bounds import BILLION_LAUGHS, pdf_reference_cycle, snapshot, whole_sheet_merge

pytestmark = pytest.mark.slow


def _project(folder):
    shutil.copytree(ROOT / "notebooks", folder / "notebooks")
    (folder / "data").mkdir()
    (folder / "params").mkdir()
    reports = {"good": ("good.txt", SEEDS["xinzhou-2019"].read_bytes()),
               "merged": ("merged.xlsx", whole_sheet_merge()),
               "cycle": ("cycle.pdf", pdf_reference_cycle()),
               "japanese": ("japanese.txt", "一、概要\nプロジェクトの予算は48万円で、実行率は93.5%でした。事業は計画通りです。\n"
                            .encode("shift_jis"))}
    for unit, (name, data) in reports.items():
        (folder / "data" / name).write_bytes(data)
        (folder / "params" / f"{unit}-2019.yaml").write_text(
            f"unit: {unit}\nyear: 2019\nreport_path: data/{name}\n", encoding="utf-8")
    (folder / "params" / "bomb-2019.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    return folder


def test_a_batch_with_hostile_units_finishes_the_others_and_leaves_nothing_behind(tmp_path):
    root = _project(tmp_path / "project")
    before = snapshot(root)
    batch = subprocess.Popen([sys.executable, "-m", "auditlib", "batch", "--out", "outputs", "--workers", "2"],
                             cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(batch.pid)
    descendants: dict[int, psutil.Process] = {}
    deadline = time.monotonic() + 600
    while batch.poll() is None and time.monotonic() < deadline:
        try:
            descendants.update({child.pid: child for child in parent.children(recursive=True)})
        except psutil.Error:
            pass
        time.sleep(0.2)
    _, err = batch.communicate(timeout=60)
    assert batch.returncode == 1, err[-3000:]  # some units failed
    assert "Traceback" not in err
    assert descendants, "the batch started no worker"
    time.sleep(1)
    alive = [p for p in descendants.values() if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, [(p.pid, p.name()) for p in alive]

    out = root / "outputs"
    summary = {entry["unit"]: entry for entry in json.loads((out / "summary.json").read_text(encoding="utf-8"))}
    assert summary["good"]["ok"] and summary["merged"]["ok"]
    assert (out / "good-2019.html").is_file() and (out / "merged-2019.html").is_file()
    for unit, words in (("cycle", "PDF"), ("japanese", "Shift-JIS")):
        assert not summary[unit]["ok"] and words in summary[unit]["error"]
        assert "\n" not in summary[unit]["error"]
    assert any(not entry["ok"] and "aliases" in entry["error"] for entry in summary.values())
    after = snapshot(root)
    assert {path: digest for path, digest in after.items() if not path.startswith("outputs")} == before


def test_a_unit_worker_runs_under_a_memory_limit():
    code = ("from auditlib.scheduler import limit_memory\n"
            "limit_memory(400 * 1024 * 1024)\n"
            "try:\n    block = bytearray(1024 * 1024 * 1024)\nexcept MemoryError:\n    print('refused')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "refused", result.stderr
