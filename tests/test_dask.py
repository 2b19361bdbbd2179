"""The same batch on a Dask cluster: the same findings as the local process pool's, a failed unit reported."""

import json

import pytest

from auditlib.batch import run_batch
from auditlib.errors import AuditlibError
from tests.test_incremental import UNITS, project  # noqa: F401 - the fixture


def _findings(out, name):
    record = json.loads((out / "data" / f"{name}.json").read_text(encoding="utf-8"))
    return [(f["rule"], f["severity"], f["line"], f["message"], f["expected"], f["stated"]) for f in record["findings"]]


@pytest.mark.slow
def test_a_batch_on_a_local_dask_cluster_finds_what_the_local_pool_finds(project):  # noqa: F811
    (project / "params" / "empty-2021.yaml").write_text(
        "unit: empty\nyear: 2021\nreport_path: data/empty.txt\n", encoding="utf-8")
    (project / "data" / "empty.txt").write_bytes(b"")
    pool = run_batch(project / "params", project / "pool", workers=2, root=project, progress=False)
    dask = run_batch(project / "params", project / "dask", root=project, progress=False, scheduler="local")
    for result in (pool, dask):
        assert [r.unit for r in result.failed] == ["empty"]
        assert "为空" in result.failed[0].error  # reported like a failed unit; the others went on
    assert {r.unit: r.counts for r in dask.results} == {r.unit: r.counts for r in pool.results}
    for name in UNITS:
        assert _findings(project / "dask", name) == _findings(project / "pool", name)
        assert _findings(project / "dask", name)  # the comparison compares something
        assert (project / "dask" / f"{name}.html").is_file()
    assert (project / "dask" / "index.html").is_file() and (project / "dask" / "findings.xlsx").is_file()


@pytest.mark.slow
def test_an_unreachable_scheduler_is_one_clear_error(project, monkeypatch):  # noqa: F811
    from auditlib import scheduler

    monkeypatch.setattr(scheduler, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(AuditlibError, match="无法连接 Dask 调度器"):
        run_batch(project / "params", project / "out", root=project, progress=False, scheduler="tcp://127.0.0.1:9")


GUARD = '''
"""Dask worker preload: the worker may not open anything under the project or the batch's output folder."""
import os
import sys

FORBIDDEN = tuple(os.environ["AUDITLIB_TEST_FORBIDDEN"].split(os.pathsep))


def _guard(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if path.startswith(FORBIDDEN):
            raise PermissionError(f"this worker cannot see {path}")


def dask_setup(worker):
    sys.addaudithook(_guard)
'''


@pytest.mark.slow
def test_dask_workers_that_cannot_see_the_project_get_bytes_and_the_client_writes_every_output(
        project, tmp_path_factory):  # noqa: F811
    """A `dask scheduler` and a `dask worker` started in another folder, the worker refused every file of the
    project and the output folder: the batch still makes every memo, and the client writes them."""
    import os
    import subprocess
    import sys
    import time

    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "guard.py").write_text(GUARD, encoding="utf-8")
    scheduler_file = elsewhere / "scheduler.json"
    dask = str(__import__("pathlib").Path(sys.executable).with_name("dask"))
    env = {**os.environ, "AUDITLIB_TEST_FORBIDDEN": os.pathsep.join([str(project.resolve())])}
    processes = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(scheduler_file)], cwd=elsewhere, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for _ in range(300):
            if scheduler_file.is_file() and scheduler_file.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        processes.append(subprocess.Popen(
            [dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
             "--local-directory", str(elsewhere), "--preload", str(elsewhere / "guard.py")],
            cwd=elsewhere, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        result = run_batch(project / "params", project / "out", root=project, progress=False, scheduler=address)
        assert result.ok, [r.error for r in result.failed]
        for name in UNITS:
            assert (project / "out" / f"{name}.html").is_file()
            assert _findings(project / "out", name)
            assert (project / "out" / "notebooks" / f"{name}.ipynb").is_file()
        assert not list(elsewhere.rglob("*.html"))  # nothing of the batch was written on the worker's side
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def test_files_from_a_worker_are_written_only_inside_the_output_folder(tmp_path):
    from auditlib.iorw import write_files_into

    out = tmp_path / "out"
    out.mkdir()
    write_files_into(out, {"data/a.json": b"{}"})
    assert (out / "data" / "a.json").read_bytes() == b"{}"
    (tmp_path / "victim").mkdir()
    (out / "link").symlink_to(tmp_path / "victim")
    for hostile in ("../escape.html", "/etc/passwd", "link/x.html", ""):
        with pytest.raises(ValueError):
            write_files_into(out, {hostile: b"x"})
    assert not (tmp_path / "escape.html").exists() and not list((tmp_path / "victim").iterdir())


@pytest.mark.slow
def test_a_local_cluster_holds_each_worker_to_the_unit_memory_limit_and_fails_a_unit_once(monkeypatch):
    from auditlib.scheduler import LOCAL, dask_client

    monkeypatch.setenv("AUDITLIB_UNIT_MEMORY_MB", "700")
    with dask_client(LOCAL, workers=1) as client:
        limits = client.run(lambda dask_worker: dask_worker.memory_manager.memory_limit)
        assert list(limits.values()) == [700 * 1024 * 1024]
        assert client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.allowed_failures) == 0
