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
