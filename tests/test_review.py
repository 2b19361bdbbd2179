"""Review decisions: stable fingerprints, the reviews/<unit>-<year>.yaml file, its CLI, and where statuses show."""

import json
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from auditlib.pipeline import audit, audit_run

from auditlib.record import AuditRecord
from auditlib.check.findings import Finding, fingerprint, with_fingerprints
from auditlib.cli import main
from auditlib.params import load_params
from auditlib.review import (CONFIRMED, DISMISSED, PENDING, ReviewFileError, load_decisions, parse_decisions,
                             record_decision, review_path)
from tests.conftest import FIXTURES, ROOT, SEEDS

YEARS = (2020, 2021)


def make_project(tmp_path: Path, years=YEARS) -> Path:
    """A project of our own: the notebooks, and unit demo's reports (tests/fixtures/year_over_year_<year>.txt)."""
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(notebook, root / "notebooks")
    (root / "params").mkdir()
    for year in years:
        folder = root / "data" / "raw" / "demo" / str(year)
        folder.mkdir(parents=True)
        shutil.copy(FIXTURES / f"year_over_year_{year}.txt", folder / f"demo-{year}.txt")
        (root / "params" / f"demo-{year}.yaml").write_text(
            f"unit: demo\nyear: {year}\nreport_path: data/raw/demo/{year}/demo-{year}.txt\n", encoding="utf-8")
    return root


def demo_audit(root: Path, year: int = 2021, out: Path | None = None):
    return audit_run(load_params(root / "params" / f"demo-{year}.yaml"), root, out)


def by_rule(findings, rule: str) -> Finding:
    [found] = [f for f in findings if f.rule == rule]
    return found


def edit_report(root: Path, year: int, old: str, new: str, insert_after_line: int | None = None) -> None:
    path = root / "data" / "raw" / "demo" / str(year) / f"demo-{year}.txt"
    lines = path.read_text(encoding="utf-8").replace(old, new).splitlines()
    if insert_after_line is not None:
        lines[insert_after_line:insert_after_line] = ["本报告依据单位自评资料整理。", ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


SATISFACTION_ROW = "满意度指标 | 服务对象满意度 | 老人满意度 | ≥90% | 91% | 20 | 20"


def add_total_row(root: Path) -> None:
    """The table's 合计 row (weights 70): with it the table shows its end, so weights that miss 100 are high."""
    edit_report(root, 2021, SATISFACTION_ROW, SATISFACTION_ROW + "\n合计 | | | | | 70 | 70")


# --- fingerprints ---


def test_a_line_shift_elsewhere_keeps_every_fingerprint(tmp_path):
    """Lines added above every finding move them all; no fingerprint changes."""
    source = SEEDS["xinzhou-2019"].read_text(encoding="utf-8").splitlines()
    shifted = tmp_path / "xinzhou-2019.txt"
    shifted.write_text("\n".join(source[:1] + ["", "", ""] + source[1:]) + "\n", encoding="utf-8")
    before = audit(SEEDS["xinzhou-2019"]).findings
    after = audit(shifted).findings
    assert [(f.rule, f.line + 3) for f in before] == [(f.rule, f.line) for f in after]
    assert [f.fingerprint for f in before] == [f.fingerprint for f in after]
    assert all(len(f.fingerprint) == 16 and int(f.fingerprint, 16) >= 0 for f in before)
    assert len({f.fingerprint for f in before}) == len(before)


def test_a_fingerprint_follows_the_evidence_and_numbers_not_the_line_or_message():
    base = Finding("rate.low", "medium", "执行率85%（第8行）", "二", 8, "预算执行率85%。", 0.9, 0.85)
    assert fingerprint(replace(base, line=40, message="另一种说法", location="第2页", severity="low")) == fingerprint(base)
    assert fingerprint(replace(base, evidence="预算执行率  85%。 ")) == fingerprint(replace(base, evidence="预算执行率 85%。"))
    assert fingerprint(replace(base, stated=0.85000000000001)) == fingerprint(base)  # float noise
    for changed in (replace(base, stated=0.86), replace(base, evidence="预算执行率86%。"), replace(base, section="三"),
                    replace(base, rule="rate.mismatch")):
        assert fingerprint(changed) != fingerprint(base)


def test_two_findings_alike_in_one_report_keep_fingerprints_of_their_own():
    same = Finding("text.placeholder", "low", "未填写", "一", 3, "联系人：XXX", stated="XXX")
    marked = with_fingerprints([same, replace(same, line=9), replace(same, line=20, evidence="电话：XXX")])
    base = fingerprint(same)
    assert [f.fingerprint for f in marked][:2] == [base, f"{base}.2"]
    assert marked[2].fingerprint != base and "." not in marked[2].fingerprint


def test_a_record_written_before_fingerprints_gets_them_on_reading():
    record = audit(SEEDS["qionghai-2021"]).record()
    data = json.loads(json.dumps(record.to_dict(), default=str))
    for finding in data["findings"]:
        del finding["fingerprint"]
    for key in ("reviews", "resolved", "review_file", "targets", "passages", "year_over_year"):
        del data[key]
    assert [f.fingerprint for f in AuditRecord.from_dict(data).findings] == [f.fingerprint for f in record.findings]


# --- the review file ---

GOOD = "0123456789abcdef"


def _entry(**changes) -> str:
    entry = {"fingerprint": GOOD, "decision": "confirmed", "reviewer": "张三", "decided_at": "2026-12-01T10:00:00",
             **changes}
    return "decisions:\n- " + "\n  ".join(f"{key}: {value}" for key, value in entry.items()) + "\n"


@pytest.mark.parametrize("text, message", [
    ("decisions: [\n- fingerprint: x\n", "不是有效的 YAML"),
    ("- a\n- b\n", "应为键值对"),
    ("[" * 50000, "嵌套过深"),
    ("decisions: {a: 1}\n", "应为列表"),
    ("decison: []\n", "未知的键 decison"),
    ("unit: other\ndecisions: []\n", "与文件名不符"),
    ("decisions:\n- just text\n", "应为键值对"),
    (_entry(fingerprint="'../../etc/passwd'"), "fingerprint 无效"),
    (_entry(fingerprint="1234567890123456"), "fingerprint 无效"),  # unquoted digits read as a number
    (_entry(decision="maybe"), "decision 无效"),
    (_entry(reviewer="''"), "缺少 reviewer"),
    (_entry(reviewer="[1, 2]"), "reviewer 应为文字"),
    (_entry(note='"a\\x1bb"'), "控制字符"),
    (_entry(note="x" * 3000), "note 过长"),
    (_entry(secret="1"), "未知的键 secret"),
    # An alias bomb where a note should be: refused as not text, never expanded.
    ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n", "未知的键 a, b, c"),
    # A self-referencing alias: yamlsafe walks the cycle once (not a bomb), and the note is refused as not text.
    ("decisions:\n- &e {fingerprint: 0123456789abcdef, decision: confirmed, reviewer: x, note: &n [*e]}\n",
     "note 应为文字"),
])
def test_a_broken_or_hostile_review_file_gets_one_clear_message(text, message):
    with pytest.raises(ReviewFileError, match=message) as raised:
        parse_decisions(text, "reviews/demo-2021.yaml", "demo", 2021)
    assert "reviews/demo-2021.yaml" in str(raised.value)


def test_review_file_loader_reads_decisions_and_refuses_what_is_not_a_review_file(tmp_path):
    path = review_path(tmp_path, "demo", 2021)
    assert load_decisions(tmp_path, "demo", 2021) == {}  # no file: no decisions
    path.parent.mkdir()
    path.write_text(_entry(decision="已排除", note="误报", decided_at="2026-12-01 10:00:00")
                    + f"- fingerprint: {GOOD}\n  decision: confirm\n  reviewer: 李四\n", encoding="utf-8")
    [decision] = load_decisions(tmp_path, "demo", 2021).values()  # the later entry wins
    assert (decision.decision, decision.reviewer, decision.status) == ("confirmed", "李四", CONFIRMED)
    path.write_text(_entry(decided_at="2026-12-01 10:00:00"), encoding="utf-8")
    assert load_decisions(tmp_path, "demo", 2021)[GOOD].decided_at.startswith("2026-12-01")  # a YAML timestamp
    path.write_bytes("note: 复核".encode("gbk"))
    with pytest.raises(ReviewFileError, match="UTF-8"):
        load_decisions(tmp_path, "demo", 2021)
    path.write_bytes(b"# " + b"x" * (1024 * 1024 + 1))
    with pytest.raises(ReviewFileError, match="过大"):
        load_decisions(tmp_path, "demo", 2021)
    path.unlink()
    path.mkdir()
    with pytest.raises(ReviewFileError, match="不是文件"):
        load_decisions(tmp_path, "demo", 2021)
    with pytest.raises(ReviewFileError, match="unit 名称无效"):
        review_path(tmp_path, "../escape", 2021)


def test_recorded_decisions_are_applied_and_a_changed_finding_is_pending_again(tmp_path):
    """The API round trip without kernels: record, re-audit, edit the report, re-audit."""
    root = make_project(tmp_path, years=(2021,))
    add_total_row(root)
    findings = demo_audit(root).findings
    low, placeholder = by_rule(findings, "rate.low"), by_rule(findings, "text.placeholder")
    record_decision(root, "demo", 2021, low.fingerprint, "confirmed", "张三", "已与单位核实", findings=findings)
    record_decision(root, "demo", 2021, placeholder.fingerprint[:8], "dismissed", "李四", findings=findings)
    text = review_path(root, "demo", 2021).read_text(encoding="utf-8")
    assert text.startswith("# auditlib 复核记录") and "rule: rate.low" in text and "预算执行率85%" in text
    assert not list((root / "reviews").glob("*.tmp"))
    record = demo_audit(root).record()
    statuses = {f.rule: record.review_of(i) for i, f in enumerate(record.findings)}
    assert (statuses["rate.low"].status, statuses["rate.low"].reviewer, statuses["rate.low"].note) == (
        CONFIRMED, "张三", "已与单位核实")
    assert statuses["text.placeholder"].status == DISMISSED
    assert statuses["weights.not_100"].status == PENDING
    assert statuses["claim.vs_table"].status == PENDING  # the table's 合计 70 beside the text's 95
    assert record.review_counts == {PENDING: 2, CONFIRMED: 1, DISMISSED: 1} and record.resolved == []

    edit_report(root, 2021, "联系电话：XXXXXXX", "联系人：XXX", insert_after_line=3)
    record = demo_audit(root).record()
    statuses = {f.rule: (f.line, record.review_of(i).status) for i, f in enumerate(record.findings)}
    assert statuses["rate.low"] == (low.line + 2, CONFIRMED)  # moved, same finding, decision kept
    assert statuses["text.placeholder"][1] == PENDING  # its own words changed: to be reviewed again
    [resolved] = record.resolved
    assert (resolved.fingerprint, resolved.status, resolved.reviewer) == (placeholder.fingerprint, DISMISSED, "李四")
    with pytest.raises(ReviewFileError, match="没有指纹"):
        record_decision(root, "demo", 2021, "ffffffffffffffff", "confirmed", "张三", findings=record.findings)
    with pytest.raises(ReviewFileError, match="复核人"):
        record_decision(root, "demo", 2021, low.fingerprint, "confirmed", " ", findings=record.findings)


def test_memo_workbook_index_and_store_show_status_and_who_decided(tmp_path):
    from openpyxl import load_workbook

    from auditlib.render.memo import Memo
    from auditlib.render.portfolio import Portfolio
    from auditlib.render.workbook import write_findings_sheets
    from auditlib.store import RunInfo, save_to_duckdb, tables_from_records

    root = make_project(tmp_path, years=(2021,))
    add_total_row(root)
    findings = demo_audit(root).findings
    low = by_rule(findings, "rate.low")
    record_decision(root, "demo", 2021, low.fingerprint, "confirmed", "=cmd|' /C calc'!A0",
                    "<script>alert(1)</script>", findings=findings)
    high = by_rule(findings, "weights.not_100")
    record_decision(root, "demo", 2021, high.fingerprint, "dismissed", "李四", findings=findings)
    out = tmp_path / "out"
    memo = Memo(demo_audit(root), out)
    record = memo.record
    html = memo.html("findings")
    assert "已确认" in html and "待复核" in html and low.fingerprint in memo.html("technical")
    assert low.fingerprint not in html  # the machinery's ids stand in the 技术信息 part, not in the findings
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "复核情况：待复核2项，已确认1项，已排除1项" in memo.html("verdict")
    portfolio = Portfolio("总览", [record], out)
    index = portfolio.html("table")
    assert "<th>待复核</th>" in index and 'title="待复核2项，已确认1项，已排除1项" data-sort="2"' in index
    assert "（已排除，李四）" in portfolio.html("priority")

    _, xlsx = write_findings_sheets(out, [record])
    sheet = load_workbook(xlsx)["审核发现"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("规则编号")].value == "rate.low")
    assert row[header.index("复核状态")].value == CONFIRMED
    assert row[header.index("复核人")].value == "'=cmd|' /C calc'!A0"  # never a formula
    assert row[header.index("指纹")].value == low.fingerprint
    units = load_workbook(xlsx)["单位"]
    assert [c.value for c in units[2]][-3:] == [2, 1, 1]

    db = out / "auditlib.duckdb"
    with duckdb.connect(str(db)) as connection:  # a database written before findings had review columns
        connection.execute("CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP,"
                           " auditlib_version VARCHAR, params_dir VARCHAR, units INTEGER, failed INTEGER)")
        connection.execute("CREATE TABLE reports (run_id VARCHAR, unit VARCHAR, year INTEGER, ok BOOLEAN)")
        connection.execute("CREATE TABLE findings (run_id VARCHAR, unit VARCHAR, year INTEGER, rule VARCHAR)")
        connection.execute("INSERT INTO findings VALUES ('old', 'demo', 2019, 'rate.low')")
    save_to_duckdb(db, RunInfo("run-1", "2026-01-01T00:00:00", "2026-01-01T00:01:00", "0.1.0", "params"),
                   *tables_from_records("run-1", [record]))
    with duckdb.connect(str(db), read_only=True) as connection:
        rows = connection.execute("SELECT rule, fingerprint, status, reviewer FROM latest_findings ORDER BY rule").fetchall()
        assert ("rate.low", low.fingerprint, CONFIRMED, "=cmd|' /C calc'!A0") in rows
        assert {status for _, _, status, _ in rows} == {CONFIRMED, DISMISSED, PENDING}
        assert connection.execute("SELECT pending, confirmed, dismissed FROM latest_reports").fetchone() == (2, 1, 1)
        assert connection.execute("SELECT count(*) FROM findings WHERE status IS NULL").fetchone() == (1,)  # the old row


# --- the command ---


def test_review_command_lists_records_and_refuses_bad_input(tmp_path, monkeypatch, capsys):
    root = make_project(tmp_path, years=(2021,))
    monkeypatch.chdir(root)
    assert main(["review", "--unit", "demo", "--year", "2021"]) == 0
    out = capsys.readouterr().out
    low = by_rule(demo_audit(root).findings, "rate.low")
    line = next(line for line in out.splitlines() if line.startswith(low.fingerprint))
    assert PENDING in line and "demo-2021-" in line and "复核情况：待复核3项" in out

    assert main(["review", "--unit", "demo", "--year", "2021", "--finding", low.fingerprint[:7], "--confirm",
                 "--reviewer", "王五", "--note", "属实"]) == 0
    assert f"已记录：{low.fingerprint} 已确认（王五" in capsys.readouterr().out
    assert main(["review", "--unit", "demo", "--year", "2021", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    decided = next(f for f in data["findings"] if f["fingerprint"] == low.fingerprint)
    assert (decided["status"], decided["reviewer"], decided["note"]) == (CONFIRMED, "王五", "属实")

    for argv, message in [
            (["--finding", low.fingerprint, "--confirm"], "复核人"),
            (["--finding", "abcdef0123456789", "--dismiss", "--reviewer", "王五"], "没有指纹"),
            (["--confirm", "--reviewer", "王五"], "--finding"),
            (["--finding", low.fingerprint], "--confirm"),
    ]:
        assert main(["review", "--unit", "demo", "--year", "2021", *argv]) == 2, argv
        assert message in capsys.readouterr().err, argv
    assert main(["review", "--unit", "dmeo", "--year", "2021"]) == 2
    assert "demo" in capsys.readouterr().err

    review_path(root, "demo", 2021).write_text("decisions:\n- fingerprint: [\n", encoding="utf-8")
    assert main(["review", "--unit", "demo", "--year", "2021"]) == 2
    err = capsys.readouterr().err
    assert "复核文件不是有效的 YAML" in err and "Traceback" not in err
    assert main(["review", "--unit", "demo", "--year", "2021", "--finding", low.fingerprint, "--dismiss",
                 "--reviewer", "王五"]) == 2  # a broken file is reported, never overwritten
    assert review_path(root, "demo", 2021).read_text(encoding="utf-8") == "decisions:\n- fingerprint: [\n"


# --- the batch ---


@pytest.mark.slow
def test_a_decision_is_kept_on_the_unchanged_finding_and_the_changed_one_is_pending_again(tmp_path):
    """A batch, a recorded decision, an edited report and a second batch (real kernels)."""
    from openpyxl import load_workbook

    from auditlib.batch import run_batch

    root = make_project(tmp_path)
    out = root / "outputs"
    first = run_batch(root / "params", out, workers=1, root=root, progress=False)
    assert first.ok, [r.error for r in first.failed]
    record = AuditRecord.from_dict(json.loads((out / "data" / "demo-2021.json").read_text(encoding="utf-8")))
    low, placeholder = by_rule(record.findings, "rate.low"), by_rule(record.findings, "text.placeholder")
    record_decision(root, "demo", 2021, low.fingerprint, "confirmed", "张三", "属实", findings=record.findings)
    record_decision(root, "demo", 2021, placeholder.fingerprint, "dismissed", "张三", "已补填", findings=record.findings)
    edit_report(root, 2021, "联系电话：XXXXXXX", "联系电话：XXXX-XXXX", insert_after_line=3)

    second = run_batch(root / "params", out, workers=1, root=root, progress=False)
    assert second.ok, [r.error for r in second.failed]
    record = AuditRecord.from_dict(json.loads((out / "data" / "demo-2021.json").read_text(encoding="utf-8")))
    now = {f.rule: (f, record.review_of(i)) for i, f in enumerate(record.findings)}
    assert now["rate.low"][0].fingerprint == low.fingerprint and now["rate.low"][0].line == low.line + 2
    assert (now["rate.low"][1].status, now["rate.low"][1].reviewer) == (CONFIRMED, "张三")
    assert now["text.placeholder"][0].fingerprint != placeholder.fingerprint
    assert now["text.placeholder"][1].status == PENDING
    assert [d.fingerprint for d in record.resolved] == [placeholder.fingerprint]

    memo = (out / "demo-2021.html").read_text(encoding="utf-8")
    findings = memo[memo.index("memo-findings"): memo.index("memo-outline")]
    assert "已确认" in findings and "张三" in findings and "已解决（不再出现）的复核决定（1项）" in findings
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<th>待复核</th>" in index
    sheet = load_workbook(out / "findings.xlsx")["审核发现"]
    header = [cell.value for cell in sheet[1]]
    statuses = {row[header.index("规则编号")].value: row[header.index("复核状态")].value
                for row in sheet.iter_rows(min_row=2) if row[header.index("年度")].value == 2021}
    assert statuses == {"rate.low": CONFIRMED, "text.placeholder": PENDING, "weights.not_100_unclear": PENDING}
    with duckdb.connect(str(out / "auditlib.duckdb"), read_only=True) as connection:
        assert connection.execute("SELECT status, reviewer FROM latest_findings WHERE year = 2021 AND rule = 'rate.low'"
                                  ).fetchone() == (CONFIRMED, "张三")
        assert connection.execute("SELECT count(*) FROM runs").fetchone() == (2,)
    # Both years ran in one batch: the later year's memo is compared with the earlier one of the same batch.
    assert "与2020年度相比" in memo


@pytest.mark.slow
def test_a_broken_review_file_fails_that_unit_alone(tmp_path):
    from auditlib.batch import run_batch

    root = make_project(tmp_path)
    review_path(root, "demo", 2021).parent.mkdir()
    review_path(root, "demo", 2021).write_text("decisions: [oops\n", encoding="utf-8")
    result = run_batch(root / "params", root / "outputs", workers=1, root=root, progress=False)
    failed = {r.year: r for r in result.failed}
    assert list(failed) == [2021] and "复核文件不是有效的 YAML" in failed[2021].error
    assert (root / "outputs" / "demo-2020.html").is_file()
