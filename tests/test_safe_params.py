"""A params file may come from someone else, and the output folder may be anything: names are names, paths stay
inside their folders, numbers are numbers, and each problem is one clear message."""

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from auditlib.batch import output_folder
from auditlib.check import CheckParams
from auditlib.cli import main
from auditlib.errors import OutputError, ParamsError
from auditlib.params import load_params
from tests.conftest import ROOT


def _params(tmp_path, text: str):
    path = tmp_path / "u-2021.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("unit", ["../../x", "javascript:alert(1)", "a" * 65, "x/y", "", "a b", "东城区\n", "="])
def test_a_unit_is_a_name_not_a_path(tmp_path, unit):
    path = _params(tmp_path, f"unit: {unit!r}\nyear: 2021\nreport_path: data/a.txt\n")
    with pytest.raises(ParamsError, match="unit 名称无效"):
        load_params(path)


def test_chinese_digits_dash_and_underscore_make_a_name(tmp_path):
    assert load_params(_params(tmp_path, "unit: 东城区-工商联_2\nyear: '2021'\nreport_path: data/a.txt\n")).unit == "东城区-工商联_2"


@pytest.mark.parametrize("year", ["2021.5", "true", "twenty", "99999", "[2021]"])
def test_year_is_an_integer(tmp_path, year):
    with pytest.raises(ParamsError, match="year"):
        load_params(_params(tmp_path, f"unit: u\nyear: {year}\nreport_path: data/a.txt\n"))


@pytest.mark.parametrize("value", ["abc", "-1", ".nan", ".inf", "true", "[1]", "5"])
def test_thresholds_are_numbers_in_range(tmp_path, value):
    # A params file's thresholds are plain numbers; the range is the declaring rule's, checked when they become
    # CheckParams (loading a params file does not load the rules).
    path = _params(tmp_path, f"unit: u\nyear: 2021\nreport_path: data/a.txt\nthresholds:\n  low_execution_rate: {value}\n")
    with pytest.raises(ParamsError, match="low_execution_rate"):
        CheckParams.from_mapping(load_params(path).thresholds)


def test_a_bad_threshold_through_check_is_one_message(tmp_path, capsys, seed_paths):
    path = _params(tmp_path, "unit: u\nyear: 2021\nreport_path: data/a.txt\nthresholds:\n  large_change: lots\n")
    assert main(["check", "--params", str(path), str(seed_paths["qionghai-2021"])]) == 2
    err = capsys.readouterr().err
    assert "large_change" in err and "Traceback" not in err


def test_report_path_must_stay_inside_the_data_folder(tmp_path):
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (root / "data" / "in.txt").write_text("x", encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("x", encoding="utf-8")
    (root / "data" / "link.txt").symlink_to(outside)
    for report in (str(outside), "../secret.txt", "data/../../secret.txt", "data/link.txt"):
        params = load_params(_params(tmp_path, f"unit: u\nyear: 2021\nreport_path: '{report}'\n"))
        with pytest.raises(ParamsError, match="data"):
            params.checked_report(root)
        assert params.checked_report(root, allow_outside_data=True).is_file()
    inside = load_params(_params(tmp_path, "unit: u\nyear: 2021\nreport_path: data/in.txt\n"))
    assert inside.checked_report(root) == (root / "data" / "in.txt").resolve()


def test_batch_outside_a_project_says_where_it_looked(tmp_path):
    result = subprocess.run([sys.executable, "-m", "auditlib", "batch"], capture_output=True, text=True, cwd=tmp_path,
                            timeout=120)
    assert result.returncode == 2
    assert "找不到项目目录" in result.stderr and str(tmp_path.resolve()) in result.stderr
    assert "Traceback" not in result.stderr and not any(tmp_path.iterdir())


def _batch(out, *extra) -> int:
    return main(["batch", "--params-dir", str(ROOT / "params"), "--unit", "qionghai", "--out", str(out), *extra])


def test_out_being_a_file_is_one_message(tmp_path, capsys):
    out = tmp_path / "out"
    out.write_text("not a folder", encoding="utf-8")
    assert _batch(out) == 2
    assert "输出路径是一个文件" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "not a folder"


def test_read_only_out_is_one_message(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    if os.geteuid() == 0:  # root writes into a read-only folder anyway: make the write fail as it would for a user
        import tempfile

        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    else:
        out.chmod(0o555)
    assert _batch(out) == 2
    assert "输出文件夹不可写" in capsys.readouterr().err


def test_a_second_batch_on_a_locked_output_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    with output_folder(out):
        assert _batch(out) == 2
        assert "另一个批处理正在使用此输出文件夹" in capsys.readouterr().err
    with output_folder(out):  # released: the next batch gets it
        pass


def test_a_database_locked_by_another_program_is_one_message(tmp_path):
    import pandas as pd

    from auditlib.store import REPORT_COLUMNS, FINDING_COLUMNS, RunInfo, save_to_duckdb

    db = tmp_path / "auditlib.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, sys, time; c = duckdb.connect({str(db)!r}); "
                               "print('open', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        run = RunInfo("r", "2021-01-01T00:00:00", "2021-01-01T00:00:01", "0", "params")
        with pytest.raises(OutputError, match="无法打开数据库"):
            save_to_duckdb(db, run, pd.DataFrame(columns=REPORT_COLUMNS), pd.DataFrame(columns=FINDING_COLUMNS))
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


@pytest.mark.slow
def test_a_unit_over_its_time_limit_is_reported(tmp_path):
    code = ("from auditlib.worker import make_memo; import sys; "
            f"r = make_memo({str(ROOT / 'params' / 'qionghai-2021.yaml')!r}, {str(tmp_path / 'out')!r}, {str(ROOT)!r}, "
            "unit_timeout=0.5); print(r.ok, r.error_type, r.error)")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.stdout.startswith("False UnitTimeout 超时"), result.stdout + result.stderr
    assert time.monotonic() - started < 60


def _start_batch(out):
    """A batch in its own process, once a kernel runs under one of its workers: (process, its descendants)."""
    batch = subprocess.Popen([sys.executable, "-m", "auditlib", "batch", "--out", str(out), "--workers", "2"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(batch.pid)
    descendants: dict[int, psutil.Process] = {}
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        children = parent.children(recursive=True)
        descendants.update({child.pid: child for child in children})
        if any("ipykernel" in " ".join(_cmdline(child)) for child in children):
            return batch, descendants
        time.sleep(0.2)
    batch.kill()
    batch.communicate()
    pytest.fail("no kernel started")


def _alive(processes) -> list:
    return [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


@pytest.mark.slow
def test_ctrl_c_stops_a_batch_within_seconds_and_leaves_no_kernels(tmp_path):
    out = tmp_path / "out"
    batch, descendants = _start_batch(out)
    batch.send_signal(signal.SIGINT)
    started = time.monotonic()
    _, err = batch.communicate(timeout=30)
    assert time.monotonic() - started < 15
    assert batch.returncode == 130
    assert err.strip().splitlines()[-1].startswith("auditlib: 已中断")
    assert "Traceback" not in err
    time.sleep(1)
    alive = _alive(descendants.values())
    assert not alive, [(p.pid, _cmdline(p)) for p in alive]
    assert not list(out.glob("*.html")) or all(p.stat().st_size > 0 for p in out.glob("*.html"))
    assert not list(out.rglob(".*.tmp"))


@pytest.mark.slow
def test_killing_a_batch_takes_its_workers_and_kernels_and_the_next_run_recovers(tmp_path):
    out = tmp_path / "out"
    batch, descendants = _start_batch(out)
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / "data" / ".half-written.json.x.tmp").write_text("{", encoding="utf-8")  # as a kill mid-write leaves
    batch.kill()
    batch.communicate()
    deadline = time.monotonic() + 20
    while _alive(descendants.values()) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = _alive(descendants.values())
    assert not alive, [(p.pid, _cmdline(p)) for p in alive]
    with output_folder(out):  # the lock died with the batch, and the half-written file is cleared
        assert not list(out.rglob(".*.tmp"))


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []
