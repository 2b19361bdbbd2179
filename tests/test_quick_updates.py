"""Quick updates: an unchanged batch remakes nothing, one changed unit runs in the batch's own process with one
kernel for its memo and the index, and `auditlib review` reads the current record instead of auditing again."""

import json

import duckdb
import pytest

from auditlib.batch import run_batch
from auditlib.cli import main
from tests.test_incremental import UNITS, project  # noqa: F401 - the two-unit project fixture

SHARED = ("index.html", "notebooks/portfolio.ipynb", "findings.xlsx", "findings.csv", "summary.json")


def _batch(project):
    result = run_batch(project / "params", project / "outputs", workers=1, root=project, progress=False)
    assert result.ok, [r.error for r in result.failed]
    return {r.unit: r for r in result.results}, result


def _times(out, names):
    return {name: (out / name).stat().st_mtime_ns for name in names}


def _runs(out):
    with duckdb.connect(str(out / "auditlib.duckdb"), read_only=True) as connection:
        return connection.execute("SELECT run_id, units FROM runs ORDER BY finished_at, run_id").fetchall()


def _review_json(capsys, *arguments):
    capsys.readouterr()
    assert main(["review", "--unit", "jiangmen", "--year", "2021", *arguments]) == 0
    return capsys.readouterr().out


@pytest.mark.slow
def test_unchanged_batch_remakes_nothing_one_unit_runs_here_and_review_reads_the_current_record(
        project, monkeypatch, capsys):
    import auditlib.execute
    import auditlib.pipeline
    import auditlib.scheduler

    out = project / "outputs"
    _batch(project)
    shared = _times(out, SHARED)
    memos = _times(out, [f"{name}.html" for name in UNITS])

    # Nothing changed: no worker, no kernel, no index; the run is in the database, every unit said unchanged.
    started = []
    real_start = auditlib.execute.WarmKernel.start
    monkeypatch.setattr(auditlib.execute.WarmKernel, "start",
                        lambda self, *a, **k: started.append(self) or real_start(self, *a, **k))

    def no_workers(*args, **kwargs):
        raise AssertionError("no unit should run in a worker process here")

    monkeypatch.setitem(auditlib.scheduler.BACKENDS, "pool", no_workers)
    capsys.readouterr()
    units, run = _batch(project)
    assert all(result.reused for result in units.values())
    assert "均未变化" in capsys.readouterr().out
    assert not started
    assert _times(out, SHARED) == shared and _times(out, [f"{name}.html" for name in UNITS]) == memos
    runs = _runs(out)
    assert runs[-1] == (run.run_id, 2) and len(runs) == 2
    with duckdb.connect(str(out / "auditlib.duckdb"), read_only=True) as connection:
        rows = connection.execute("SELECT count(*) FROM findings WHERE run_id = ?", [run.run_id]).fetchone()[0]
        before = connection.execute("SELECT count(*) FROM findings WHERE run_id = ?", [runs[0][0]]).fetchone()[0]
    assert rows == before > 0

    # An output that is not as the last batch left it: the shared outputs are remade, no unit is.
    (out / "index.html").write_text("edited by hand", encoding="utf-8")
    units, _ = _batch(project)
    assert all(result.reused for result in units.values())
    assert "jiangmen-2021.html" in (out / "index.html").read_text(encoding="utf-8")
    assert len(started) == 1  # the index's kernel, in this process

    # review lists and decides from the current record: no audit.
    monkeypatch.chdir(project)

    def no_audit(*args, **kwargs):
        raise AssertionError("the record is current: no audit needed")

    monkeypatch.setattr(auditlib.pipeline, "current_audit", no_audit)
    listed = json.loads(_review_json(capsys, "--json"))["findings"]
    record = json.loads((out / "data" / "jiangmen-2021.json").read_text(encoding="utf-8"))
    assert [f["fingerprint"] for f in listed] == [f["fingerprint"] for f in record["findings"]]
    fingerprint = listed[0]["fingerprint"]
    assert "已记录" in _review_json(capsys, "--finding", fingerprint, "--confirm", "--reviewer", "张三")

    # The decision changed one unit: it alone is redone, here (no worker), its memo and the index rewritten.
    index = (out / "index.html").stat().st_mtime_ns
    units, _ = _batch(project)
    assert not units["jiangmen"].reused and units["qionghai"].reused
    assert (out / "index.html").stat().st_mtime_ns != index
    assert len(started) == 2  # one kernel for the unit's memo and the index
    from auditlib.record import CONFIRMED

    made = json.loads((out / "data" / "jiangmen-2021.json").read_text(encoding="utf-8"))
    assert made["reviews"][fingerprint]["status"] == CONFIRMED
    assert "已确认" in _review_json(capsys)  # current again (its key holds the review file): no audit

    # A changed report: the record is no longer current, review audits again.
    report = project / "data" / "raw" / "jiangmen" / "2021" / "jiangmen-2021.txt"
    report.write_bytes(report.read_bytes() + "\n附：本报告经单位负责人审阅。\n".encode("utf-8"))
    with pytest.raises(AssertionError, match="no audit needed"):
        main(["review", "--unit", "jiangmen", "--year", "2021"])


def test_the_last_runs_stamp_holds_while_its_outputs_are_as_it_left_them(tmp_path):
    import os

    from auditlib.incremental import SHARED_OUTPUTS, stamp_run, unchanged_run
    from auditlib.worker import UnitResult

    out = tmp_path / "outputs"
    for relative in [*SHARED_OUTPUTS, "a-2021.html", "notebooks/a-2021.ipynb", "data/a-2021.json"]:
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(relative, encoding="utf-8")
    made = UnitResult("params/a-2021.yaml", "a", 2021, ok=True, key="k")
    stamp = stamp_run(out, "run-1", [made], "notebook-digest")
    reused = UnitResult("params/a-2021.yaml", "a", 2021, ok=True, key="k", reused=True)
    assert unchanged_run(out, stamp, [reused], "notebook-digest") == "run-1"
    assert unchanged_run(out, stamp, [made], "notebook-digest") == ""  # a unit was redone
    assert unchanged_run(out, stamp, [reused], "another index notebook") == ""
    other = UnitResult("params/b-2021.yaml", "b", 2021, ok=True, key="k", reused=True)
    assert unchanged_run(out, stamp, [reused, other], "notebook-digest") == ""  # another selection of units
    assert unchanged_run(out, {}, [reused], "notebook-digest") == ""  # no stamp: an older manifest, or a failure
    assert stamp_run(out, "run-2", [UnitResult("params/a-2021.yaml", "a", 2021, ok=False)], "notebook-digest") == {}
    for relative in ("findings.xlsx", "auditlib.duckdb", "data/a-2021.json"):
        path = out / relative
        before = path.stat()
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1))  # rewritten, same size
        assert unchanged_run(out, stamp, [reused], "notebook-digest") == "", relative
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert unchanged_run(out, stamp, [reused], "notebook-digest") == "run-1"
    (out / "index.html").unlink()
    assert unchanged_run(out, stamp, [reused], "notebook-digest") == ""
