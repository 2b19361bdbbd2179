"""The batch: every unit's memo, the index, the sheets and the database; a broken report is reported."""

import hashlib
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from auditlib.cli import main
from auditlib.errors import ParamsError
from auditlib.params import load_params
from tests.conftest import RAW, ROOT

BUNDLED = ["bishan-2020", "jiangmen-2021", "qionghai-2021", "wuchang-2018", "xinzhou-2019"]


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
def test_a_broken_report_does_not_stop_the_others(batch_run):
    result, out = batch_run
    assert not result.ok
    failed = {Path(r.params_file).stem: r for r in result.failed}
    assert sorted(failed) == ["bomb-2021", "broken-2021", "empty-2021", "escape-2021", "folder-2021", "locked-2021"]
    assert "加密" in failed["locked-2021"].error and "为空" in failed["empty-2021"].error
    assert "文件夹" in failed["folder-2021"].error
    assert failed["broken-2021"].error_type == "UnreadableReport" and "编码" in failed["broken-2021"].error
    assert failed["bomb-2021"].error_type == "ReportTooLarge" and "解压后过大" in failed["bomb-2021"].error
    assert failed["escape-2021"].error_type == "ParamsError" and "unit 名称无效" in failed["escape-2021"].error
    assert not list(out.parent.parent.glob("escape*")) and not list(out.parent.glob("escape*"))
    assert (out / "notebooks" / "broken-2021.ipynb").is_file()  # kept, partly executed
    for name in BUNDLED + ["injected-2021"]:
        assert (out / f"{name}.html").is_file(), name
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "broken" in index and "UnreadableReport" in index and "无法识别报告的文字编码" in index
    assert not list(out.rglob(".*.tmp"))


@pytest.mark.slow
def test_xinzhou_memo_leads_with_the_135_8_percent_rate(batch_run):
    _, out = batch_run
    html = (out / "xinzhou-2019.html").read_text(encoding="utf-8")
    verdict = html[html.index("memo-verdict"): html.index("memo-figures")]
    assert "sev-high" in verdict and "135.8%" in verdict


@pytest.mark.slow
def test_findings_sheets_and_database(batch_run):
    result, out = batch_run
    sheet = pd.read_excel(out / "findings.xlsx", sheet_name="审核发现")
    assert set(sheet["单位"]) >= {"武汉市新洲区工商业联合会", "江门市工商业联合会", "重庆市璧山区工商业联合会",
                                 "武汉市武昌区工商业联合会", "琼海市工商业联合会"}
    assert len(pd.read_csv(out / "findings.csv", encoding="utf-8-sig")) == len(sheet)
    with duckdb.connect(str(out / "auditlib.duckdb"), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM runs WHERE run_id = ?", [result.run_id]).fetchone() == (1,)
        rate = connection.execute("SELECT execution_rate FROM latest_reports WHERE unit = 'xinzhou'").fetchone()
        assert rate == (1.358,)
        failed = connection.execute("SELECT ok, error FROM reports WHERE unit = 'broken'").fetchone()
        assert failed[0] is False and "编码" in failed[1]
        high = connection.execute("SELECT count(*) FROM latest_findings WHERE severity = 'high'").fetchone()[0]
        assert high == sum(r.counts.get("high", 0) for r in result.results if r.ok)


@pytest.mark.slow
def test_memo_and_index_and_workbook_agree_on_every_flag(batch_run):
    """Every figure flagged in a memo is coloured in the index and the workbook, and nothing else is."""
    from openpyxl import load_workbook

    from auditlib.store import load_run

    _, out = batch_run
    records = {record.unit: record for record in load_run(out) if record.ok}
    index = (out / "index.html").read_text(encoding="utf-8")
    units = load_workbook(out / "findings.xlsx")["单位"]
    header = [cell.value for cell in units[1]]
    for unit, record in records.items():
        memo = (out / record.memo).read_text(encoding="utf-8")
        figures = memo[memo.index("memo-figures"): memo.index("memo-charts")]
        assert figures.count('class="disagree"') == sum(f.flagged for f in record.figures), unit
        row = index[index.index(f'<a href="{record.memo}">{record.display_name}</a>'):]
        row = row[: row.index("</tr>")]
        sheet_row = next(r for r in units.iter_rows(min_row=2) if r[1].value == unit)
        for key, column in (("rate", "执行率（%）"), ("score", "自评得分（分）")):
            flagged = bool(record.figure(key) and record.figure(key).flagged)
            cell = sheet_row[header.index(column)]
            assert (cell.fill.fgColor.rgb or "").endswith("FDECEA") is flagged, (unit, key)
        assert row.count('flagged"') == sum(bool(record.figure(k) and record.figure(k).flagged) for k in ("rate", "score"))


@pytest.mark.slow
def test_memo_command_records_its_run(tmp_path):
    out = tmp_path / "out"
    assert main(["memo", "--unit", "qionghai", "--year", "2021", "--out", str(out)]) == 0
    with duckdb.connect(str(out / "auditlib.duckdb"), read_only=True) as connection:
        assert connection.execute("SELECT command, units FROM runs").fetchall() == [("memo", 1)]
        assert connection.execute("SELECT recommendation FROM latest_reports").fetchone() == ("需补充说明",)


@pytest.mark.slow
def test_raw_inputs_are_never_modified(batch_run):
    digests = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in RAW.rglob("*.txt")}
    seeds = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in (ROOT.parent / "shared" / "seeds").glob("*.txt")}
    for path, digest in digests.items():
        if path.name in seeds:
            assert seeds[path.name] == digest, path


@pytest.mark.slow
def test_cli_batch_exit_status_says_something_failed(tmp_path, batch_run):
    _, out = batch_run
    params = tmp_path / "params"
    params.mkdir()
    (params / "broken-2021.yaml").write_text(f"unit: broken\nyear: 2021\nreport_path: {out.parent / 'broken.txt'}\n",
                                             encoding="utf-8")
    assert main(["batch", "--params-dir", str(params), "--out", str(tmp_path / "out"), "--workers", "1",
                 "--allow-outside-data"]) == 1
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary[0]["ok"] is False
