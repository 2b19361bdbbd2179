"""The memo and index renderers on plain data: no kernel, no browser."""

import json

import pandas as pd
import pytest

from auditlib import extract_path
from auditlib.render import PARTS, build_memo
from auditlib.render.portfolio import portfolio_from_run
from auditlib.render.svg import Reference, Series, bar_chart
from auditlib.store import RunInfo, save_findings_sheets, save_to_duckdb, tables_from_units


@pytest.fixture(scope="module")
def xinzhou_memo(seed_paths, tmp_path_factory):
    return build_memo("xinzhou", 2019, extract_path(seed_paths["xinzhou-2019"]),
                      registry={"full_name": "武汉市新洲区工商业联合会", "province": "湖北省", "region": "武汉市新洲区"},
                      output_dir=tmp_path_factory.mktemp("memo"))


def test_memo_has_every_part_in_chinese(xinzhou_memo):
    html = xinzhou_memo.full_html()
    for heading in ("审核备忘录", "结论", "关键数据", "图表", "审核发现", "报告结构", "附录"):
        assert heading in html
    assert all(f"memo-{part}" in html for part in PARTS)
    assert xinzhou_memo.extraction.document.source.sha256 in html


def test_verdict_names_the_most_serious_finding_first(xinzhou_memo):
    verdict = xinzhou_memo.html("verdict")
    assert verdict.index("sev-high") < verdict.index("sev-low")
    assert "135.8%" in verdict


def test_key_figures_flag_the_rate_over_100(xinzhou_memo):
    figures = xinzhou_memo.html("figures")
    row = next(r for r in figures.split("<tr") if "预算执行率" in r)
    assert 'class="disagree"' in row and "135.8%" in row


def test_outline_marks_empty_and_misnumbered_sections(seed_paths, tmp_path):
    memo = build_memo("wuchang", 2018, extract_path(seed_paths["wuchang-2018"]), output_dir=tmp_path)
    outline = memo.html("outline")
    assert outline.count("⚠ 编号问题") == 2 and outline.count("⚠ 无内容") == 1


def test_report_text_is_escaped_everywhere(fixture_path, tmp_path):
    memo = build_memo("injected", 2021, extract_path(fixture_path("script_injection")), output_dir=tmp_path)
    html = memo.full_html()
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;" in html


def test_memo_save_writes_the_summary_json(xinzhou_memo):
    path = xinzhou_memo.save()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["counts"]["high"] == 1 and data["facts"]["execution_rate"] == 1.358
    assert data["findings"][0]["rule"] == "rate.over_100"


def test_svg_chart_keeps_text_as_text_and_escapes_it():
    svg = bar_chart("预算<与>支出", ["甲<b>", "乙"], [Series("预算", "#000", (10.0, None))], (Reference(90, "90%"),))
    assert svg.startswith("<svg") and "<text" in svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert svg.count("<rect") == 2  # one legend swatch, one bar: a missing value draws none


def _fake_run(tmp_path):
    (tmp_path / "data").mkdir()
    summary = [
        {"params_file": "a.yaml", "unit": "xinzhou", "year": 2019, "ok": True, "error": "", "error_type": "",
         "notebook": "", "outputs": {"memo": str(tmp_path / "xinzhou-2019.html")}, "counts": {"high": 1}},
        {"params_file": "b.yaml", "unit": "broken", "year": 2021, "ok": False, "error": "无法识别报告的文字编码 <x>",
         "error_type": "UnreadableReport", "notebook": "nb.ipynb", "outputs": {}, "counts": {}},
    ]
    (tmp_path / "summary.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "data" / "xinzhou-2019.json").write_text(json.dumps({
        "unit": "xinzhou", "year": 2019, "registry": {"full_name": "武汉市新洲区工商业联合会", "region": "武汉市新洲区"},
        "facts": {"kind": "department", "execution_rate": 1.358, "self_score": 93.0}, "source": {"path": "x.txt"},
        "counts": {"high": 1, "medium": 0, "low": 4, "info": 0},
        "findings": [{"rule": "rate.over_100", "severity": "high", "message": "m", "section": "二", "line": 88,
                      "evidence": "e", "expected": 1.0, "stated": 1.358, "tolerance": 0.0}]}, ensure_ascii=False),
        encoding="utf-8")
    return summary


def test_portfolio_lists_units_links_memos_and_failures(tmp_path):
    _fake_run(tmp_path)
    portfolio = portfolio_from_run(tmp_path)
    table = portfolio.html("table")
    assert 'href="xinzhou-2019.html"' in table and "武汉市新洲区工商业联合会" in table
    assert "失败：UnreadableReport" in table
    failures = portfolio.html("failures")
    assert "无法识别报告的文字编码 &lt;x&gt;" in failures
    assert "135.8%，超过100%" in portfolio.html("outliers")


def test_store_appends_runs_to_duckdb_and_writes_sheets(tmp_path):
    import duckdb

    summary = _fake_run(tmp_path)
    units = [dict(summary[0], **json.loads((tmp_path / "data" / "xinzhou-2019.json").read_text(encoding="utf-8"))),
             summary[1]]
    reports, findings = tables_from_units("run-1", units)
    db = tmp_path / "auditlib.duckdb"
    for run_id in ("run-1", "run-2"):
        save_to_duckdb(db, RunInfo(run_id, "2026-01-01T00:00:00", "2026-01-01T00:01:00", "0.1.0", "params"),
                       reports.assign(run_id=run_id), findings.assign(run_id=run_id))
    with duckdb.connect(str(db), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM runs").fetchone() == (2,)
        assert connection.execute("SELECT count(*) FROM findings WHERE rule = 'rate.over_100'").fetchone() == (2,)
        assert connection.execute("SELECT failed FROM runs WHERE run_id = 'run-1'").fetchone() == (1,)
    csv_path, xlsx_path = save_findings_sheets(tmp_path, reports, findings)
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese headers
    sheet = pd.read_excel(xlsx_path, sheet_name="findings")
    assert list(sheet.columns[:4]) == ["单位", "年度", "规则", "级别"] and len(sheet) == 1
