"""A PDF is read as a document, not as lines: each line placed on the page where a word processor puts it."""

import pytest

from auditlib.ingest import parse_bytes
from tests import report_formats

pytestmark = pytest.mark.skipif(not report_formats.CJK_FONT.is_file(), reason="needs fonts-wqy-microhei")

LEFT, SIZE, CHARS = 57.0, 10.5, 40  # a text area 40 Chinese characters wide
FULL = "本项目资金按照年初预算安排用于开展培训和调研工作各项支出均按规定审批并及时支付资金使用总额"[:CHARS]


def _pdf(lines: list[tuple[str, str, float]]) -> bytes:
    """A one-page PDF: each (text, where, size) with where 'left', 'indent', 'centre' or 'footer'."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("cjk", fname=str(report_formats.CJK_FONT))
    pdf.add_page()
    y = 40.0
    for text, where, size in lines:
        pdf.set_font("cjk", size=size)
        width = pdf.get_string_width(text)
        x = {"left": LEFT, "indent": LEFT + 2 * SIZE}.get(where, LEFT + (CHARS * SIZE - width) / 2)
        if where == "footer":  # at the bottom of the page
            y = 810.0
        pdf.text(x=x, y=y, text=text)
        y += size * 1.8 if y > 60 else 60
    return bytes(pdf.output())


def _texts(lines) -> list[str]:
    return [line.text for line in parse_bytes(_pdf(lines), "t.pdf").lines if line.text]


def test_a_wrapped_line_that_starts_with_an_amount_continues_its_sentence():
    texts = _texts([("绩效自评材料（内部）", "centre", 8), ("一、项目概况", "left", SIZE),
                    (FULL[:-6] + "其中会议费用", "left", SIZE), ("2.6万元、调研考察费3.1万元。", "left", SIZE),
                    ("2.项目实施情况", "left", SIZE)])
    assert texts == ["一、项目概况", FULL[:-6] + "其中会议费用2.6万元、调研考察费3.1万元。", "2.项目实施情况"]


def test_a_heading_at_the_right_margin_is_not_joined_to_the_paragraph_under_it():
    heading = "（一）" + FULL[3:]
    texts = _texts([("一、项目概况", "left", SIZE), (heading, "left", SIZE), (FULL, "left", SIZE),
                    ("完成。", "left", SIZE)])
    assert texts == ["一、项目概况", heading, FULL + "完成。"]


def test_an_indented_first_line_starts_a_paragraph():
    texts = _texts([("一、项目概况", "left", SIZE), (FULL, "left", SIZE), (FULL[:CHARS - 2], "indent", SIZE),
                    ("完成。", "left", SIZE)])
    assert texts == ["一、项目概况", FULL, FULL[:CHARS - 2] + "完成。"]


def test_centred_cover_lines_stay_separate_and_a_one_page_running_header_and_footer_are_dropped():
    texts = _texts([("内部资料 注意保存", "centre", 8), ("测试区教育局", "centre", 16),
                    ("2023年度项目支出绩效自评报告", "centre", 16), ("二〇二四年三月", "centre", 14),
                    ("一、项目概况", "left", SIZE), (FULL[:20] + "。", "left", SIZE), ("第 1 页 共 1 页", "footer", 8)])
    assert texts == ["测试区教育局", "2023年度项目支出绩效自评报告", "二〇二四年三月", "一、项目概况", FULL[:20] + "。"]


def _placed_pdf(pieces: list[tuple[float, float, str]], size: float = 8.0) -> bytes:
    """A one-page PDF of texts set where a table without ruling lines puts its cells: (x, baseline, text)."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4", orientation="L")
    pdf.add_font("cjk", fname=str(report_formats.CJK_FONT))
    pdf.add_page()
    pdf.set_font("cjk", size=size)
    for x, y, text in pieces:
        pdf.text(x=x, y=y, text=text)
    return bytes(pdf.output())


def _row(y: float, *cells: tuple[float, str]) -> list[tuple[float, float, str]]:
    return [(x, y, text) for x, text in cells]


def test_a_table_drawn_without_ruling_lines_is_read_as_rows_its_wrapped_cells_joined():
    # Columns 60 points apart; the 全年执行数 title wrapped in two lines centred on the header's line, the block's
    # side title 项目资金（万元） wrapped over its first two rows.
    pieces = [(60, 80, "项目支出绩效自评表"),
              *_row(120, (140, "年初预算数"), (260, "分值"), (320, "执行率"), (380, "得分")),
              (200, 116, "全年执行"), (204, 125, "数"),
              *_row(140, (80, "年度资金总额"), (140, "120.00"), (200, "96.00"), (260, "10"), (320, "80.00%"),
                    (380, "8.00")),
              (20, 145, "项目资金（"),
              *_row(152, (20, "万元）"), (80, "财政拨款"), (140, "120.00"), (200, "96.00"), (260, "—")),
              *_row(180, (20, "总分"), (260, "100"), (380, "88.5"))]
    texts = [line.text for line in parse_bytes(_placed_pdf(pieces), "t.pdf").lines if line.text]
    assert texts == ["项目支出绩效自评表", "| 年初预算数 | 全年执行数 | 分值 | 执行率 | 得分 |",
                     "| 年度资金总额 | 120.00 | 96.00 | 10 | 80.00% | 8.00 |",
                     "| 项目资金（万元） | 财政拨款 | 120.00 | 96.00 | — |", "| 总分 | 100 | 88.5 |"]


def test_justified_text_whose_spaces_stretch_around_figures_and_a_spread_title_stay_text():
    # Justification widens the spaces written around figures (经费 18.5 万元) as much as a cell's gap; a title
    # set with its characters spread apart is one word.
    pieces = [(200, 60, "自"), (240, 60, "评"), (280, 60, "报"), (320, 60, "告"),
              *_row(100, (60, "其中培训经费"), (150, "18.5"), (190, "万元、会议费"), (280, "6.2"),
                    (320, "万元、资料印刷费"), (430, "3"), (460, "万元。"))]
    texts = [line.text for line in parse_bytes(_placed_pdf(pieces), "t.pdf").lines if line.text]
    assert texts == ["自评报告", "其中培训经费 18.5 万元、会议费 6.2 万元、资料印刷费 3 万元。"]


def _ruled_pages(pages: list[list[list[str | None]]]) -> bytes:
    """A PDF of one ruled table broken over pages: each page a list of rows, None where the cell above reaches
    into the row (merged: no rule between them, its text written once, in its first row)."""
    from fpdf import FPDF

    width, height, left, top = 90.0, 20.0, 40.0, 60.0
    pdf = FPDF(unit="pt", format="A4", orientation="L")
    pdf.add_font("cjk", fname=str(report_formats.CJK_FONT))
    pdf.set_font("cjk", size=9)
    for rows in pages:
        pdf.add_page()
        columns = len(rows[0])
        for r, row in enumerate(rows):
            y = top + r * height
            for c, cell in enumerate(row):
                x = left + c * width
                if cell is not None:
                    pdf.line(x, y, x + width, y)
                    pdf.text(x=x + 4, y=y + 13, text=cell)
                pdf.line(x, y, x, y + height)
            pdf.line(left + columns * width, y, left + columns * width, y + height)
        pdf.line(left, top + len(rows) * height, left + len(rows[0]) * width, top + len(rows) * height)
    return bytes(pdf.output())


def test_a_merged_cell_the_page_breaks_goes_on_with_its_text_on_the_next_page():
    # Word and LibreOffice write a merged cell's text once: where the page breaks it, the next page's part of
    # the cell is empty, though it is still 产出指标's.
    header = ["一级指标", "二级指标", "三级指标", "分值", "得分"]
    first = [header, ["产出指标", "数量指标", "培训人次", "20", "20"], [None, "质量指标", "合格率", "20", "18"]]
    second = [["", "时效指标", "完成时间", "20", "20"], [None, "成本指标", "人均成本", "10", "10"],
              ["效益指标", "社会效益指标", "受益人数", "30", "30"]]
    texts = [line.text for line in parse_bytes(_ruled_pages([first, second]), "t.pdf").lines if line.text]
    assert texts[3:] == ["| 产出指标 | 时效指标 | 完成时间 | 20 | 20 |", "| 产出指标 | 成本指标 | 人均成本 | 10 | 10 |",
                         "| 效益指标 | 社会效益指标 | 受益人数 | 30 | 30 |"]
