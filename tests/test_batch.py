import json
import shutil

import pytest

from auditlib.batch import run_batch
from auditlib.params import load_params
from auditlib.errors import ParamsError
from tests.conftest import ROOT


def test_every_bundled_params_file_loads():
    for path in sorted((ROOT / "params").glob("*.yaml")):
        params = load_params(path)
        assert path.stem == f"{params.unit}-{params.year}"
        assert params.resolved_report(ROOT).is_file()


def test_params_errors_name_the_problem(tmp_path):
    path = tmp_path / "x-2020.yaml"
    path.write_text("unit: x\nyear: twenty\nreport_path: a.txt\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="year"):
        load_params(path)
    path.write_text("unit: x\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="year, report_path"):
        load_params(path)


@pytest.mark.slow
def test_batch_writes_every_unit_and_reports_a_broken_one(tmp_path):
    params_dir = tmp_path / "params"
    shutil.copytree(ROOT / "params", params_dir)
    broken = tmp_path / "broken.txt"
    broken.write_bytes(bytes(range(256)) * 8)
    (params_dir / "broken-2021.yaml").write_text(f"unit: broken\nyear: 2021\nreport_path: {broken}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_batch(params_dir, out, workers=2, root=ROOT, progress=False)
    assert not result.ok
    assert [r.unit for r in result.failed] == ["broken"]
    assert "编码" in result.failed[0].error
    written = sorted(p.name for p in out.glob("*-*.json"))
    assert written == ["bishan-2020.json", "jiangmen-2021.json", "qionghai-2021.json", "wuchang-2018.json",
                       "xinzhou-2019.json"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert len(summary) == 6
    assert not list(out.glob(".*.tmp"))
