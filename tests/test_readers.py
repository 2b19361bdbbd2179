"""Word, PDF, Excel and saved web pages read into the same Document as text: same headline facts, and every line
knows the page, table row or paragraph it came from."""

import io

import pytest

from auditlib.check import check
from auditlib.extract import extract
from auditlib.ingest import parse_bytes
from tests import report_formats
from tests.conftest import FIXTURES, SEEDS

HEADLINE = ("unit_name", "region", "fiscal_year", "kind", "project_name", "self_score", "grade", "execution_rate",
            "budget_wan", "spent_wan")
REPORTS = {**{name: path for name, path in SEEDS.items()},
           "national_self_evaluation_table": FIXTURES / "national_self_evaluation_table.txt"}
BUILDERS = {"docx": report_formats.to_docx, "xlsx": report_formats.to_xlsx, "html": report_formats.to_html,
            "pdf": report_formats.to_pdf}


def _headline(extraction) -> dict:
    return {key: getattr(extraction.facts, key) for key in HEADLINE}


@pytest.fixture(scope="module")
def text_versions():
    return {name: extract(parse_bytes(path.read_bytes(), str(path))) for name, path in REPORTS.items()}


@pytest.mark.parametrize("format", sorted(BUILDERS))
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_each_format_yields_the_headline_facts_of_the_text(format, name, text_versions):
    if format == "pdf" and not report_formats.CJK_FONT.is_file():
        pytest.skip(f"no CJK font at {report_formats.CJK_FONT} (apt-get install fonts-wqy-microhei)")
    expected = text_versions[name]
    data = BUILDERS[format](REPORTS[name].read_text(encoding="utf-8"))
    extraction = extract(parse_bytes(data, f"{name}.{format}"))
    assert extraction.document.source.format == format
    assert _headline(extraction) == _headline(expected)
    # The findings that rest on the numbers are the same; the text version's conversion residue
    # (text.artifact) and outline notes may differ.
    numeric = {"execution", "score", "budget", "sum", "table", "rate"}
    def rules(x):
        return sorted(f.rule for f in check(x).findings if f.rule.split(".")[0] in numeric)
    assert rules(extraction) == rules(expected)


def test_docx_renders_automatic_numbering_and_drops_headers_and_footers():
    text = "测试区教育局项目绩效自评报告\n一、项目概况\n（一）项目基本情况\n预算10万元，实际支出9万元。\n二、存在问题\n无。\n"
    document = parse_bytes(report_formats.to_docx(text), "r.docx")
    texts = [line.text for line in document.lines if line.text]
    assert texts[:4] == ["测试区教育局项目绩效自评报告", "一、项目概况", "（一）项目基本情况", "预算10万元，实际支出9万元。"]
    assert "二、存在问题" in texts
    assert not any("页眉" in t or "内部资料" in t for t in texts)
    assert not any("目录" in t for t in texts)  # the table of contents Word generates is left out
    from auditlib.outline import build_outline
    assert [s.path for s in build_outline(document).sections] == ["一", "一（一）", "二"]


def test_docx_merged_cells_are_resolved_in_document_order():
    import docx

    document = docx.Document()
    document.add_paragraph("前言")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = "一级指标", "二级指标", "分值"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "产出指标"
    table.cell(1, 1).text, table.cell(1, 2).text = "数量指标", "20"
    table.cell(2, 1).text, table.cell(2, 2).text = "质量指标", "30"
    document.add_paragraph("后记")
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_bytes(buffer.getvalue(), "t.docx")
    texts = [line.text for line in parsed.lines if line.text]
    assert texts == ["前言", "| 一级指标 | 二级指标 | 分值 |", "| 产出指标 | 数量指标 | 20 |", "| 产出指标 | 质量指标 | 30 |",
                     "后记"]
    row = next(line for line in parsed.lines if "质量指标" in line.text)
    assert parsed.location(row.line) == "表1第3行"


def test_xlsx_merged_cells_and_number_formats():
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "自评表"
    sheet.append(["项目支出绩效自评表"])
    sheet.merge_cells("A1:C1")
    sheet.append(["年初预算数", "全年执行数", "执行率"])
    sheet.append([120, 112.3, 0.9358])
    sheet["A3"].number_format = "0.00"
    sheet["C3"].number_format = "0.00%"
    sheet.append(["产出指标", "数量指标", 20])
    sheet.append([None, "质量指标", 30])
    sheet.merge_cells("A4:A5")
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_bytes(buffer.getvalue(), "t.xlsx")
    texts = [line.text for line in parsed.lines if line.text]
    assert texts == ["自评表", "项目支出绩效自评表", "| 年初预算数 | 全年执行数 | 执行率 |", "| 120.00 | 112.3 | 93.58% |",
                     "| 产出指标 | 数量指标 | 20 |", "| 产出指标 | 质量指标 | 30 |"]
    assert parsed.location(next(l for l in parsed.lines if "质量指标" in l.text).line) == "工作表「自评表」第5行"


def test_html_keeps_the_article_and_its_tables_not_the_site():
    text = "测试区教育局项目绩效自评报告\n一、项目概况\n| 年初预算数 | 全年执行数 |\n| 10 | 9 |\n二、存在问题\n"
    parsed = parse_bytes(report_formats.to_html(text, "gbk"), "t.html")
    texts = [line.text for line in parsed.lines if line.text]
    assert texts == ["测试区教育局项目绩效自评报告", "一、项目概况", "| 年初预算数 | 全年执行数 |", "| 10 | 9 |", "二、存在问题"]
    assert parsed.source.encoding == "gb18030"


def test_html_rowspan_and_colspan():
    page = ("<html><body><table><tr><td rowspan='2'>产出指标</td><td>数量</td><td>20</td></tr>"
            "<tr><td>质量</td><td>30</td></tr><tr><td colspan='2'>合计</td><td>50</td></tr></table></body></html>")
    texts = [line.text for line in parse_bytes(page.encode(), "t.html").lines if line.text]
    assert texts == ["| 产出指标 | 数量 | 20 |", "| 产出指标 | 质量 | 30 |", "| 合计 |  | 50 |"]


@pytest.mark.skipif(not report_formats.CJK_FONT.is_file(), reason="needs fonts-wqy-microhei")
def test_pdf_drops_running_header_and_page_numbers_and_rejoins_wrapped_lines():
    long = "项目资金由各部门申请，主管领导审批，" * 8 + "资金管理符合相关规定。"
    text = "测试区教育局项目绩效自评报告\n一、项目概况\n" + "\n".join([long] * 12) + "\n| 年初预算数 | 全年执行数 |\n| 10 | 9 |\n"
    parsed = parse_bytes(report_formats.to_pdf(text), "t.pdf")
    texts = [line.text for line in parsed.lines if line.text]
    assert not any("内部" in t or t.startswith("-") for t in texts)
    assert texts.count(long) == 12
    row = next(line for line in parsed.lines if line.text == "| 10 | 9 |")
    assert parsed.location(row.line).startswith("第") and "表" in parsed.location(row.line)


@pytest.mark.skipif(not report_formats.CJK_FONT.is_file(), reason="needs fonts-wqy-microhei")
def test_extract_json_names_the_page_and_table_row_of_each_fact(tmp_path, capsys):
    import json

    from auditlib.cli import main

    text = (FIXTURES / "national_self_evaluation_table.txt").read_text(encoding="utf-8")
    path = tmp_path / "table.pdf"
    path.write_bytes(report_formats.to_pdf(text))
    assert main(["extract", "--json", str(path)]) == 0
    evidence = json.loads(capsys.readouterr().out)["evidence"]
    assert evidence["budget_wan"]["location"].startswith("第1页 表")
    assert evidence["unit_name"]["location"] == "第1页"


@pytest.mark.slow
@pytest.mark.skipif(not report_formats.CJK_FONT.is_file(), reason="needs fonts-wqy-microhei")
def test_a_scanned_report_is_read_by_ocr_and_gives_the_headline_facts(text_versions):
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra (auditlib[ocr]) is not installed")
    name = "qionghai-2021"
    scanned = report_formats.to_scanned_pdf(REPORTS[name].read_text(encoding="utf-8"))
    extraction = extract(parse_bytes(scanned, f"{name}-scan.pdf"))
    assert extraction.document.source.encoding == "ocr"
    assert _headline(extraction) == _headline(text_versions[name])
    line = extraction.facts.evidence["budget_wan"].line
    assert extraction.document.location(line).endswith("（OCR识别）")


def test_a_scanned_pdf_without_the_ocr_extra_names_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # as if not installed
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50, style="F")  # a picture, no text
    from auditlib.errors import UnsupportedFormat
    with pytest.raises(UnsupportedFormat, match=r"没有文字层.*auditlib\[ocr\]"):
        parse_bytes(bytes(pdf.output()), "scan.pdf")


# --- a sheet saved as CSV ---

@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_a_sheet_saved_as_csv_reads_as_the_sheet_does(encoding):
    from tests.formgen import LAYOUT_BY_ID, generate, read_back, render

    form = generate(5, "national", ("missed_full", "over_weight"))
    layout = LAYOUT_BY_ID["pipe_empty"]
    data = render(form, layout, "csv").decode("gbk").encode(encoding)
    trip = read_back(form, layout, "csv", data)
    assert trip.ok, (trip.missing, trip.unexpected, trip.detail)
    parsed = parse_bytes(data, "form.csv")
    assert parsed.source.format == "csv"
    row = next(line for line in parsed.lines if line.text.startswith("| 年度资金总额"))
    assert parsed.location(row.line) == f"第{row.line}行"


@pytest.mark.parametrize("text", [
    "某局2023年度绩效自评报告\n项目预算20万元,支出19万元,执行率95%。\n资金到位及时,使用合规,无挪用。\n",
    "甲,乙,丙\n一,二,三\n",  # too few rows to be a sheet
    "第一行,有,逗号\n第二行,有,逗号\n第三行,有,逗号\n",  # even, but neither padded nor wide: sentences
])
def test_prose_with_commas_is_no_csv(text):
    assert parse_bytes(text.encode(), "report.txt").source.format == "text"


def assert_hidden_cells_are_not_read(document):
    rows = {line.text.split(" | ")[0].strip("| "): (line.source_lines[0], line.text) for line in document.lines
            if line.text.startswith("|")}
    assert rows["年度资金总额"][1] == "| 年度资金总额 | 120 | 108 | 0.9 |" and "旧口径" not in document.text
    assert rows["其中：财政拨款"][1].startswith("| 其中：财政拨款 | 100 |")
    assert rows["其中：财政拨款"][0] - rows["年度资金总额"][0] == 2  # the hidden row kept its place


def test_a_sheets_hidden_columns_and_rows_are_not_read_and_rows_keep_their_numbers():
    # A form's helper column and a hidden row are not on the page the unit printed: they are not read, and the
    # rows below keep their sheet numbers. (The same sheet as .xls: tests/test_office_formats.py.)
    assert_hidden_cells_are_not_read(parse_bytes(report_formats.xlsx_with_hidden_helpers(), "form.xlsx"))


# --- a page saved as one file, and text tables drawn in box characters ---

def test_a_page_saved_as_one_file_reads_as_the_page():
    from tests.formgen import LAYOUT_BY_ID, generate, read_back, render

    form = generate(7, "national", ("missed_full",))
    layout = LAYOUT_BY_ID["pipe_empty"]
    data = render(form, layout, "mht")
    assert data.startswith(b"Content-Type: multipart/related") and b"quoted-printable" in data
    trip = read_back(form, layout, "mht", data)
    assert trip.ok, (trip.missing, trip.unexpected, trip.detail)
    assert parse_bytes(data, "form.mht").source.format == "mht"


def test_a_box_drawn_table_reads_a_row_between_rules_and_a_row_per_line_where_ruled_only_under_its_header():
    ruled = ("┌──────┬──────┐\n│预算执行率│96.5% │\n├──────┼──────┤\n│三级指标名称很│20    │\n│长      │      │\n"
             "└──────┴──────┘\n")
    lines = [line.text for line in parse_bytes(ruled.encode()).lines if line.text]
    assert lines == ["| 预算执行率 | 96.5% |", "| 三级指标名称很长 | 20 |"]
    header_only = ("┌────┬────┐\n│指标│分值│\n├────┼────┤\n│甲  │10  │\n│乙  │20  │\n│丙  │30  │\n│丁  │40  │\n"
                   "└────┴────┘\n")
    assert [line.text for line in parse_bytes(header_only.encode()).lines if line.text] == [
        "| 指标 | 分值 |", "| 甲 | 10 |", "| 乙 | 20 |", "| 丙 | 30 |", "| 丁 | 40 |"]
