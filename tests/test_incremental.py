"""Incremental batches: an unchanged unit is not redone, a changed one alone is, --force redoes all."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from auditlib.batch import run_batch
from auditlib.incremental import MANIFEST
from tests.conftest import ROOT

UNITS = ("jiangmen-2021", "qionghai-2021")


@pytest.fixture
def project(tmp_path):
    """A project of two units: notebooks, data and params copied from the bundled ones."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    (tmp_path / "params").mkdir()
    for name in UNITS:
        unit, year = name.split("-")
        report = ROOT / "data" / "raw" / unit / year / f"{name}.txt"
        (tmp_path / "data" / "raw" / unit / year).mkdir(parents=True)
        shutil.copy(report, tmp_path / "data" / "raw" / unit / year)
        shutil.copy(ROOT / "params" / f"{name}.yaml", tmp_path / "params")
    shutil.copy(ROOT / "data" / "units.csv", tmp_path / "data")
    return tmp_path


def _batch(project, **options):
    result = run_batch(project / "params", project / "out", workers=1, root=project, progress=False, **options)
    assert result.ok, [r.error for r in result.failed]
    return {r.unit: r for r in result.results}, result


def _memo_times(project):
    return {name: (project / "out" / f"{name}.html").stat().st_mtime_ns for name in UNITS}


@pytest.mark.slow
def test_unchanged_units_are_reused_a_changed_report_alone_is_redone_and_force_redoes_all(project):
    first, _ = _batch(project)
    assert not any(r.reused for r in first.values())
    manifest = json.loads((project / "out" / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["units"]) == [f"{name}.yaml" for name in UNITS]
    written = _memo_times(project)

    second, run = _batch(project)
    assert all(r.reused for r in second.values())
    assert {u: r.counts for u, r in second.items()} == {u: r.counts for u, r in first.items()}
    assert _memo_times(project) == written  # nothing rewritten
    with duckdb.connect(str(project / "out" / "auditlib.duckdb"), read_only=True) as connection:
        listed = connection.execute("SELECT unit FROM reports WHERE run_id = ? ORDER BY unit", [run.run_id]).fetchall()
    assert listed == [("jiangmen",), ("qionghai",)]  # the store lists the reused units under the new run
    index = (project / "out" / "index.html").read_text(encoding="utf-8")
    assert "jiangmen-2021.html" in index and "qionghai-2021.html" in index

    report = project / "data" / "raw" / "qionghai" / "2021" / "qionghai-2021.txt"
    report.write_bytes(report.read_bytes() + "\n附：本报告经单位负责人审阅。\n".encode("utf-8"))
    third, _ = _batch(project)
    assert not third["qionghai"].reused and third["jiangmen"].reused
    assert third["qionghai"].key != second["qionghai"].key
    assert _memo_times(project)["jiangmen-2021"] == written["jiangmen-2021"]

    fourth, _ = _batch(project, force=True)
    assert not any(r.reused for r in fourth.values())


@pytest.mark.slow
def test_a_changed_params_file_or_a_missing_memo_is_redone(project):
    _batch(project)
    params = project / "params" / "jiangmen-2021.yaml"
    params.write_text(params.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    (project / "out" / "qionghai-2021.html").unlink()
    again, _ = _batch(project)
    assert not again["jiangmen"].reused and not again["qionghai"].reused
    assert (project / "out" / "qionghai-2021.html").is_file()


@pytest.mark.slow
def test_a_failed_unit_is_redone_next_time(project, tmp_path):
    report = project / "data" / "raw" / "qionghai" / "2021" / "qionghai-2021.txt"
    good = report.read_bytes()
    report.write_bytes(b"")
    result = run_batch(project / "params", project / "out", workers=1, root=project, progress=False)
    assert [r.unit for r in result.failed] == ["qionghai"]
    report.write_bytes(good)
    again, _ = _batch(project)
    assert again["jiangmen"].reused and not again["qionghai"].reused


def test_the_batch_command_mirrors_run_batch_options():
    from auditlib.cli import build_parser

    args = build_parser().parse_args(["batch", "--force", "--scheduler", "local", "--max-memos-per-worker", "50"])
    assert (args.force, args.scheduler, args.max_memos_per_worker) == (True, "local", 50)
    defaults = build_parser().parse_args(["batch"])
    assert (defaults.force, defaults.scheduler, defaults.max_memos_per_worker) == (False, None, None)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["batch", "--max-memos-per-worker", "0"])


def test_a_units_years_stay_together_and_in_order_in_shares_and_generations():
    from auditlib.worker import UnitTask
    from auditlib.scheduler import _generations, _shares

    names = ["b-2021", "a-2022", "a-2020", "c-2019", "a-2021", "b-2020"]
    tasks = [UnitTask(f"params/{name}.yaml", "out", ".") for name in names]
    for parts in (_shares(tasks, 2), list(_generations(tasks, 2))):
        stems = [[task.params_file.split("/")[1][:-5] for task in part] for part in parts]
        assert ["a-2020", "a-2021", "a-2022"] in stems  # longer than the size: a share of its own, in year order
        assert sorted(name for part in stems for name in part) == sorted(names)
        assert all(part == sorted(part) for part in stems if len({name[0] for name in part}) == 1)
        for unit in "abc":
            assert sum(any(name.startswith(unit) for name in part) for part in stems) == 1  # never split


def test_the_key_covers_the_review_file_the_projects_rule_set_and_the_year_before(project):
    from auditlib.incremental import notebook_digest, unit_key

    params = project / "params" / "qionghai-2021.yaml"
    notebook = notebook_digest(project / "notebooks" / "unit_audit.ipynb")
    key = unit_key(params, project, notebook, {})
    assert key and key == unit_key(params, project, notebook, {})
    assert unit_key(params, project, notebook, {}, earlier_key="0" * 64) != key
    (project / "reviews").mkdir()
    (project / "reviews" / "qionghai-2021.yaml").write_text("unit: qionghai\nyear: 2021\ndecisions: []\n",
                                                           encoding="utf-8")
    reviewed = unit_key(params, project, notebook, {})
    assert reviewed != key
    (project / "rulesets").mkdir()
    (project / "rulesets" / "national.yaml").write_text("# a project's own copy\n", encoding="utf-8")
    assert unit_key(params, project, notebook, {}) != reviewed


@pytest.mark.slow
def test_an_upgrade_of_auditlib_redoes_every_unit(project, monkeypatch):
    """The key holds a digest of the installed package's code and data, not its version string: an upgrade
    (other code, or another shipped rule set) redoes every unit made by the old one."""
    from auditlib import incremental

    _batch(project)
    assert all(r.reused for r in _batch(project)[0].values())
    monkeypatch.setattr(incremental, "code_digest", lambda: "0" * 64)  # the same version string, other code
    again, _ = _batch(project)
    assert not any(r.reused for r in again.values())


def test_the_code_digest_changes_with_a_shipped_rule_set_or_a_module(tmp_path):
    import auditlib
    from auditlib.incremental import code_digest

    package = tmp_path / "auditlib"
    shutil.copytree(Path(auditlib.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_digest.__wrapped__(package)
    assert before == code_digest.__wrapped__(package)  # stable
    rule_set = package / "rulesets" / "national.yaml"
    rule_set.write_text(rule_set.read_text(encoding="utf-8").replace("90", "85", 1), encoding="utf-8")
    after_rule_set = code_digest.__wrapped__(package)
    assert after_rule_set != before
    (package / "compose.py").write_text((package / "compose.py").read_text(encoding="utf-8") + "\n# changed\n",
                                        encoding="utf-8")
    assert code_digest.__wrapped__(package) not in (before, after_rule_set)
