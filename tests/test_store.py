"""The store: DuckDB history and latest views, and findings.xlsx / findings.csv as a workpaper."""

import csv
import io
import re

import duckdb
import pytest

from auditlib.pipeline import audit

from auditlib.record import AuditRecord
from auditlib.check.findings import Finding
from auditlib.render.memo import Memo
from auditlib.render.workbook import write_findings_sheets
from auditlib.store import RunInfo, save_to_duckdb, tables_from_records


@pytest.fixture(scope="module")
def records(seed_paths, tmp_path_factory):
    out = tmp_path_factory.mktemp("store")
    found = [Memo(audit(seed_paths[name]), out).record for name in ("xinzhou-2019", "bishan-2020", "jiangmen-2021")]
    hostile = Finding("text.placeholder", "low", "=HYPERLINK(\"http://x\",\"点我\")", "", 3, "@SUM(A1)", "+1", "-2")
    found.append(AuditRecord(unit="hostile", year=2022, unit_name="=cmd|' /C calc'!A0", findings=[hostile],
                             counts={"high": 0, "medium": 0, "low": 1, "info": 0}, memo="hostile-2022.html"))
    found.append(AuditRecord.failure("broken", 2021, "无法识别报告的文字编码", "UnreadableReport"))
    return found


def _run(run_id: str, finished: str) -> RunInfo:
    return RunInfo(run_id, "2026-01-01T00:00:00", finished, "0.1.0", "params")


def test_database_keeps_history_and_views_the_latest_run(records, tmp_path):
    db = tmp_path / "auditlib.duckdb"
    reports, findings = tables_from_records("run-1", records)
    save_to_duckdb(db, _run("run-1", "2026-01-01T00:01:00"), reports, findings)
    later_reports, later_findings = tables_from_records("run-2", records[:1])
    save_to_duckdb(db, RunInfo("run-2", "2026-01-02T00:00:00", "2026-01-02T00:01:00", "0.1.0", "params", "memo"),
                   later_reports, later_findings)
    with duckdb.connect(str(db), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM runs").fetchone() == (2,)
        assert connection.execute("SELECT command FROM runs WHERE run_id = 'run-2'").fetchone() == ("memo",)
        assert connection.execute("SELECT count(*) FROM reports WHERE unit = 'xinzhou'").fetchone() == (2,)
        assert connection.execute("SELECT count(*) FROM latest_reports").fetchone() == (len(records),)
        assert connection.execute("SELECT run_id FROM latest_reports WHERE unit = 'xinzhou'").fetchone() == ("run-2",)
        assert connection.execute("SELECT run_id FROM latest_reports WHERE unit = 'bishan'").fetchone() == ("run-1",)
        high = connection.execute("SELECT count(*) FROM latest_findings WHERE severity = 'high'").fetchone()[0]
        assert high == sum(r.counts.get("high", 0) for r in records if r.ok)
        row = connection.execute("SELECT unit_name, recommendation, risk_score, execution_rate FROM latest_reports "
                                 "WHERE unit = 'xinzhou'").fetchone()
        assert row[0] == "武汉市新洲区工商业联合会" and row[1] == "建议退回修改" and row[2] > 0 and row[3] == 1.358
        assert connection.execute("SELECT ok, error FROM reports WHERE unit = 'broken'").fetchone() == (
            False, "无法识别报告的文字编码")


def test_database_written_by_an_older_auditlib_gains_the_new_columns(records, tmp_path):
    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as connection:
        connection.execute("CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP, "
                           "auditlib_version VARCHAR, params_dir VARCHAR, units INTEGER, failed INTEGER)")
        connection.execute("CREATE TABLE reports (run_id VARCHAR, unit VARCHAR, year INTEGER, ok BOOLEAN)")
        connection.execute("CREATE TABLE findings (run_id VARCHAR, unit VARCHAR, year INTEGER, rule VARCHAR)")
    save_to_duckdb(db, _run("run-1", "2026-01-01T00:01:00"), *tables_from_records("run-1", records))
    with duckdb.connect(str(db), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM latest_findings WHERE ref = 'xinzhou-2019-01'").fetchone() == (1,)


@pytest.fixture(scope="module")
def workbook(records, tmp_path_factory):
    from openpyxl import load_workbook

    out = tmp_path_factory.mktemp("sheets")
    csv_path, xlsx_path = write_findings_sheets(out, records, reused={("bishan", 2020)})
    return load_workbook(xlsx_path), csv_path


def _header(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def test_workbook_has_findings_units_and_rules_sheets_with_chinese_headers(workbook):
    book, _ = workbook
    assert book.sheetnames == ["审核发现", "单位", "规则"]
    findings = book["审核发现"]
    assert _header(findings)[:7] == ["底稿编号", "单位", "年度", "级别", "问题类型", "规则编号", "说明"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
        assert all(sheet.column_dimensions[letter].width >= 5 for letter in "ABC")
    assert findings.cell(row=2, column=7).alignment.wrap_text


def test_workbook_rows_name_units_in_chinese_with_severity_colours_refs_and_links(workbook, records):
    book, _ = workbook
    findings = book["审核发现"]
    rows = list(findings.iter_rows(min_row=2))
    first = rows[0]
    assert first[0].value == "xinzhou-2019-01" and first[1].value == "武汉市新洲区工商业联合会"
    assert first[3].value == "高" and first[3].fill.fgColor.rgb.endswith("B3261E")
    link = [cell.value for cell in findings[1]].index("备忘录")
    assert first[link].hyperlink.target == "xinzhou-2019.html#f-1"
    assert all(row[link].hyperlink is not None for row in rows)
    assert len(rows) == sum(len(r.findings) for r in records)
    units = book["单位"]
    names = [row[0].value for row in units.iter_rows(min_row=2)]
    assert "重庆市璧山区工商业联合会" in names and "bishan" not in names
    assert not any(isinstance(cell.value, str) and cell.value in ("None", "nan")
                   for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)


def test_workbook_numbers_are_numbers_and_rates_are_percentages(workbook):
    book, _ = workbook
    findings = book["审核发现"]
    header = _header(findings)
    over = next(row for row in findings.iter_rows(min_row=2) if row[5].value == "rate.over_100")
    expected, stated = over[header.index("应为")], over[header.index("所述")]
    assert (expected.value, stated.value) == (1.0, 1.358)
    assert expected.number_format == stated.number_format == "0.00%"
    units = book["单位"]
    rate = next(row for row in units.iter_rows(min_row=2) if row[1].value == "xinzhou")[_header(units).index("执行率（%）")]
    assert rate.value == 1.358 and rate.number_format == "0.00%" and rate.fill.fgColor.rgb.endswith("FDECEA")


def test_workbook_numbers_carry_their_unit_and_wrapped_rows_are_tall_enough(workbook):
    book, _ = workbook
    findings = book["审核发现"]
    header = _header(findings)
    assert header[header.index("容差") + 1] == "数值单位"
    over = next(row for row in findings.iter_rows(min_row=2) if row[header.index("规则编号")].value == "rate.over_100")
    assert over[header.index("数值单位")].value == "%"
    assert over[header.index("问题类型")].value and over[header.index("问题类型")].value != "rate.over_100"
    for row in findings.iter_rows(min_row=2):
        quote = row[header.index("原文")].value or ""
        width = findings.column_dimensions["K"].width
        needed = sum(2 if ord(c) > 0x2E7F else 1 for c in quote) / width
        height = findings.row_dimensions[row[0].row].height
        assert needed <= 1 or (height or 15) >= 15 * min(needed, 27), (quote[:20], height)
    units = book["单位"]
    assert {"执行率（%）", "自评得分（分）", "得分上限（分）", "预算数（万元）"} <= set(_header(units))


def test_units_the_batch_reused_are_marked_unchanged(workbook):
    book, _ = workbook
    units = book["单位"]
    header = _header(units)
    marks = {row[1].value: row[header.index("本次")].value for row in units.iter_rows(min_row=2)}
    assert marks["bishan"] == "未变" and marks["xinzhou"] == "重新审核"


def test_workbook_and_csv_neutralise_formulas(workbook):
    book, csv_path = workbook
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert "'=HYPERLINK(\"http://x\",\"点我\")" in texts and "'@SUM(A1)" in texts and "'=cmd|' /C calc'!A0" in texts
    assert not any(text.startswith(("=", "+", "-", "@")) for text in texts)
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "底稿编号"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize("name, flagged", [("receipts_on_the_rounding_edge", False),
                                           ("receipts_just_past_the_rounding_edge", True)])
def test_memo_index_and_workbook_agree_on_a_figure_at_the_rounding_edge(fixture_path, tmp_path, name, flagged):
    import json

    from openpyxl import load_workbook

    from auditlib.render.portfolio import portfolio_from_run

    memo = Memo(audit(fixture_path(name), unit="edge", year=2022), tmp_path)
    memo.save()
    (tmp_path / "summary.json").write_text(json.dumps([{"params_file": "edge-2022.yaml", "unit": "edge",
                                                        "year": 2022, "ok": True}]), encoding="utf-8")
    in_memo = 'class="disagree"' in memo.html("figures")
    medium_in_memo = int(re.search(r"sev-medium[^>]*>中</span> (\d+)项", memo.html("verdict")).group(1))
    portfolio = portfolio_from_run(tmp_path)
    cells = re.findall(r'data-sort="([^"]*)"', portfolio.html("table").split("<tbody>")[1])
    medium_in_index = int(cells[7])  # 排名 单位 年度 类型 审核意见 风险分 高 中
    _, xlsx = write_findings_sheets(tmp_path, portfolio.records)
    rows = list(load_workbook(xlsx)["审核发现"].iter_rows(min_row=2))
    in_workbook = any(row[5].value == "budget.large_change" for row in rows)
    assert in_memo is in_workbook is flagged
    assert medium_in_memo == medium_in_index == sum(row[3].value == "中" for row in rows)
