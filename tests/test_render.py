"""The memo and index renderers on audit records: no kernel, no browser."""

import json
import re

import pytest

from auditlib.pipeline import audit

from auditlib.record import AuditRecord
from auditlib.render import PARTS, Memo
from auditlib.render.html import css_string
from auditlib.render.portfolio import portfolio_from_run
from auditlib.render.svg import Reference, Series, bar_chart

REGISTRY = {"full_name": "武汉市新洲区工商业联合会", "province": "湖北省", "region": "武汉市新洲区"}


def visible_text(html: str) -> str:
    """What a reader sees: no styles, scripts, tags or attributes."""
    html = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture(scope="module")
def memos(seed_paths, tmp_path_factory):
    out = tmp_path_factory.mktemp("memo")
    return {name: Memo(audit(path, registry=REGISTRY if name == "xinzhou-2019" else None), out)
            for name, path in seed_paths.items()}


@pytest.fixture(scope="module")
def xinzhou_memo(memos):
    return memos["xinzhou-2019"]


def test_memo_has_every_part_in_chinese(xinzhou_memo):
    html = xinzhou_memo.full_html()
    for heading in ("审核备忘录", "结论", "关键数据", "图表", "审核发现", "报告结构", "附录"):
        assert heading in html
    assert all(f"memo-{part}" in html for part in PARTS)
    assert xinzhou_memo.record.sha256 in html


def test_verdict_leads_with_a_sentence_and_a_recommendation(xinzhou_memo):
    verdict = xinzhou_memo.html("verdict")
    assert 'class="verdict-sentence"' in verdict and "审核意见：<strong>建议退回修改</strong>" in verdict
    assert verdict.index("sev-high") < verdict.index("sev-low")
    assert "135.8%" in verdict and 'href="#f-1"' in verdict


def test_key_figures_flag_the_rate_over_100_with_its_line_and_words(xinzhou_memo):
    figures = xinzhou_memo.html("figures")
    row = next(r for r in figures.split("<tr") if "<td>执行率</td>" in r)  # the report's own name for the rate
    assert 'class="disagree"' in row and "135.8%" in row and "第88行" in row and "执行数为 33.08 万元" in row
    assert "执行率或到位率超过100%" in row


def test_a_figure_nothing_can_check_says_so(memos):
    figures = memos["qionghai-2021"].html("figures")
    assert "未能核实" in figures


def test_no_none_nan_or_rule_id_is_visible_in_any_memo(memos):
    for name, memo in memos.items():
        text = visible_text(memo.full_html())
        for word in ("None", "nan", "rate.", "sum.", "score.", "section.", "text.", "execution", "prose"):
            assert word not in text, (name, word)
        unit = memo.record.unit
        assert unit not in text.replace(f"{unit}-{memo.record.year}", "")  # only as the file's own name
        assert unit not in memo.title


def test_findings_show_chinese_rule_names_with_the_id_in_a_tooltip(xinzhou_memo):
    findings = xinzhou_memo.html("findings")
    assert '<span class="rule" title="rate.over_100">执行率或到位率超过100%</span>' in findings
    assert 'id="f-1"' in findings and '<span class="finding-no" title="xinzhou-2019-01">01</span>' in findings
    assert ">高<" in findings and "high" not in visible_text(findings)


def test_appendix_has_chinese_headers_and_blank_empty_cells(memos):
    appendix = memos["wuchang-2018"].html("appendix")
    assert "<th>预算数（万元）</th>" in appendix and "<th>比率类型</th>" in appendix
    assert "budget_wan" not in appendix and "rate_kind" not in appendix
    assert "<td></td>" in appendix or '<td class="num"></td>' in appendix


def test_charts_draw_each_amount_once_and_one_indicator_level_per_chart(memos):
    charts = memos["wuchang-2018"].html("charts")
    budget_chart = charts[: charts.index("</svg>")]
    assert budget_chart.count(">48<") == 1  # 48 万元 budget stated in four sentences, drawn once
    xinzhou = memos["xinzhou-2019"].html("charts")
    assert "一级指标：得分与分值" in xinzhou and "二级指标：得分与分值" in xinzhou
    assert "…" not in xinzhou  # labels wrap, never cut


def test_header_prints_a_running_header_with_unit_and_year(xinzhou_memo):
    header = xinzhou_memo.html("header")
    assert '@top-center { content: "武汉市新洲区工商业联合会 2019年度 审核备忘录"; }' in header
    assert css_string('x";}</style><script>') == '"x\\22 \\3b \\7d \\3c \\2f style\\3e \\3c script\\3e "'
    assert xinzhou_memo.title == "武汉市新洲区工商业联合会 2019年度 绩效自评报告审核备忘录"


def test_outline_marks_empty_and_misnumbered_sections(memos):
    outline = memos["wuchang-2018"].html("outline")
    assert outline.count("⚠ 标题编号跳号、重号或格式不一") == 2 and outline.count("⚠ 标题下无内容") == 1


def test_report_text_is_escaped_everywhere(fixture_path, tmp_path):
    memo = Memo(audit(fixture_path("script_injection"), unit="injected", year=2021), tmp_path)
    html = memo.full_html()
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;" in html


def test_memo_save_writes_the_audit_record(xinzhou_memo):
    path = xinzhou_memo.save()
    record = AuditRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
    assert record.counts["high"] == 1 and record.execution_rate == 1.358
    assert record.findings[0].rule == "rate.over_100" and record.memo == "xinzhou-2019.html"
    assert record.unit_name == "武汉市新洲区工商业联合会"


def test_svg_chart_keeps_text_as_text_and_escapes_it():
    svg = bar_chart("预算<与>支出", ["甲<b>", "乙"], [Series("预算", "#000", (10.0, None)), Series("空", "#111", (None, None))],
                    (Reference(90, "90%"),))
    assert svg.startswith("<svg") and "<text" in svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert svg.count("<rect") == 2  # one legend swatch, one bar: a series with no value has no legend entry


def test_svg_labels_wrap_instead_of_being_cut():
    label = "在外经商璧山籍非公经济人士招商引资推介活动经费工作"
    svg = bar_chart("t", [label], [Series("a", "#000", (1.0,))])
    spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert "".join(spans) == label and len(spans) == 2


@pytest.fixture()
def run_dir(memos, tmp_path):
    """A batch run folder: two audited units and a failure."""
    summary = []
    for name in ("xinzhou-2019", "bishan-2020"):
        memo = Memo(memos[name].record, tmp_path)
        memo.save()
        summary.append({"params_file": f"{name}.yaml", "unit": memo.record.unit, "year": memo.record.year, "ok": True,
                        "outputs": {"memo": str(tmp_path / memo.file_name)}})
    summary.append({"params_file": "broken-2021.yaml", "unit": "broken", "year": 2021, "ok": False,
                    "error": "无法识别报告的文字编码 <x>", "error_type": "UnreadableReport", "notebook": "nb.ipynb"})
    (tmp_path / "summary.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_portfolio_ranks_by_risk_links_memos_and_lists_failures(run_dir):
    portfolio = portfolio_from_run(run_dir)
    table = portfolio.html("table")
    assert 'href="xinzhou-2019.html"' in table and "武汉市新洲区工商业联合会" in table
    assert table.index("重庆市璧山区工商业联合会") < table.index("武汉市新洲区工商业联合会")  # bishan's risk is higher
    assert "处理失败：UnreadableReport" in table and "风险分 = 高风险发现×10" in table
    assert "无法识别报告的文字编码 &lt;x&gt;" in portfolio.html("failures")


def test_portfolio_first_section_reaches_every_high_finding_in_one_click(run_dir):
    priority = portfolio_from_run(run_dir).html("priority")
    for record in portfolio_from_run(run_dir).succeeded:
        for index, _ in record.high_findings:
            assert f'href="{record.memo}#f-{index + 1}"' in priority
    assert "重庆市璧山区工商业联合会" in priority and priority.count('class="unit"') == 2


def test_portfolio_colours_exactly_the_cells_findings_point_at(run_dir):
    portfolio = portfolio_from_run(run_dir)
    rows = portfolio.html("table").split("<tr")[2:]
    for record, row in zip(portfolio.succeeded[::-1], rows):  # ranked: bishan first, xinzhou second
        assert row.count('flagged"') == sum(bool(record.figure(k) and record.figure(k).flagged) for k in ("rate", "score"))
    charts = portfolio.html("charts")
    assert "未列入“执行率（%）”（报告未给出执行率）：重庆市璧山区 2020" in charts


def test_no_none_nan_or_rule_id_is_visible_in_the_index(run_dir):
    portfolio = portfolio_from_run(run_dir)
    text = visible_text("".join(portfolio.html(part) for part in ("header", "priority", "table", "charts")))
    for word in ("None", "nan", "rate.", "sum.", "weights.", "xinzhou", "bishan"):
        assert word not in text, word


def test_the_page_exporter_is_nbconverts_html_exporter_without_its_closing_reparse():
    # The page must be exactly what HTMLExporter gives, but for the tabindex attributes its BeautifulSoup pass adds
    # (that pass costs ~400 MB on a 5,000-unit index; our pages have no <img> for its alt-text fix).
    import nbformat
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    from auditlib.render import export

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("memo.show('verdict')")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<h2>结论</h2><p>建议退回修改</p>"})]
    notebook.cells = [nbformat.v4.new_markdown_cell("# 备忘录"), cell]
    notebook.metadata["title"] = "t"
    ours = export.notebook_to_html(notebook, "t")
    theirs = HTMLExporter(config=export._build_exporter().config, template_name="auditlib",
                          extra_template_basedirs=[str(export._template_dir())])
    theirs.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
    expected, _ = theirs.from_notebook_node(notebook, resources={"auditlib_css": export.page_css() + export.memo_css()})
    soup = BeautifulSoup(ours, "html.parser")
    for element in soup.select(".jp-Notebook div.jp-OutputArea-output, .jp-Notebook div.jp-Cell-inputWrapper"):
        element.attrs["tabindex"] = "0"
    assert "建议退回修改" in ours and "tabindex" not in ours
    assert str(soup) == str(BeautifulSoup(expected.replace('<html lang="en">', '<html lang="zh-CN">', 1), "html.parser"))


def test_a_memo_rebuilt_from_the_stored_record_is_the_same_memo(memos, tmp_path):
    for name, memo in memos.items():
        saved = Memo(memo.record, tmp_path).save()
        rebuilt = Memo.from_json(saved)
        assert rebuilt.page() == memo.page(), name
        assert [part for part in PARTS if rebuilt.html(part) != memo.html(part)] == []


def test_key_figures_say_stated_with_the_line_or_computed_with_the_lines_and_how(memos):
    record = memos["jiangmen-2021"].record
    spent, rate = record.figure("spent"), record.figure("rate")
    assert spent.basis == "computed" and spent.where is None and spent.lines[0] == 19 and spent.lines[-1] == 35
    assert rate.basis == "computed" and rate.how == "的支出数÷预算数"
    figures = memos["jiangmen-2021"].html("figures")
    row = next(r for r in figures.split("<tr") if "支出数</td>" in r)
    assert "计算" in row and "第19–35行所列各项支出合计" in row and "报告所述" not in row
    budget = next(r for r in figures.split("<tr") if "预算数</td>" in r)
    assert "报告所述" in budget and "第9行" in budget


def test_the_memo_holds_no_machinery_and_writes_places_and_amounts_as_an_auditor_does(memos):
    from auditlib.render.html import place

    for name, memo in memos.items():
        text = visible_text("".join(memo.html(part) for part in PARTS if part != "technical"))
        for word in ("auditlib review", "SHA-256", "great-expectations", "pandas", "[bookmark", "减少-", "减少 -"):
            assert word not in text, (name, word)
        assert "SHA-256" in memo.html("technical") and memo.record.sha256 in memo.html("technical")
    assert place("重庆市璧山区", "重庆市") == "重庆市璧山区" and place("江门市", "广东省") == "广东省江门市"


def test_the_word_memo_is_the_records_verdict_figures_and_findings(memos, tmp_path):
    from docx import Document

    memo = memos["xinzhou-2019"]
    paths = memo.write(tmp_path)
    assert paths["memo"].name == "xinzhou-2019.html" and paths["docx"].name == "xinzhou-2019.docx"
    document = Document(str(paths["docx"]))
    text = "\n".join(p.text for p in document.paragraphs)
    record = memo.record
    assert "审核意见书" in text and record.verdict in text and "审核意见：建议退回修改" in text
    assert all(f.message in text for f in record.findings) and "复核状态：待复核" in text
    figures = document.tables[0]
    assert figures.rows[0].cells[0].text == "项目" and any("135.8%" in row.cells[1].text for row in figures.rows)
    assert "[bookmark" not in text
