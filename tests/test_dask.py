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
