import io
import zipfile

import pytest

from auditlib.errors import ReportNotFound, UnreadableReport
from auditlib.ingest import parse_bytes, read_report

TEXT = "一、项目概况\n项目预算48万元，实际支出44.9万元。\n"


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"),
    ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
])
def test_encodings_are_detected_from_bytes(encoding, expected):
    document = parse_bytes(TEXT.encode(encoding), "report.txt")
    assert document.source.encoding == expected
    assert document.lines[0].text == "一、项目概况"
    assert "44.9万元" in document.lines[1].text


def test_crlf_and_cr_line_ends_give_the_same_lines():
    lf = parse_bytes(TEXT.encode())
    for ending in ("\r\n", "\r"):
        other = parse_bytes(TEXT.replace("\n", ending).encode())
        assert [l.text for l in other.lines] == [l.text for l in lf.lines]
        assert [l.source_lines for l in other.lines] == [l.source_lines for l in lf.lines]


def test_sha256_is_of_the_raw_bytes_and_raw_file_is_untouched(tmp_path):
    path = tmp_path / "report.txt"
    data = TEXT.encode("gb18030")
    path.write_bytes(data)
    document = read_report(path)
    assert path.read_bytes() == data
    import hashlib
    assert document.source.sha256 == hashlib.sha256(data).hexdigest()


def test_fullwidth_digits_are_normalised_but_raw_is_kept():
    document = parse_bytes("预算４８．５万元，执行率９０％\n".encode())
    assert document.lines[0].text == "预算48.5万元，执行率90%"
    assert document.raw_line(1) == "预算４８．５万元，执行率９０％"


def test_question_marks_a_page_left_for_lost_characters_are_dropped_where_a_line_opens():
    document = parse_bytes("?????一、项目概况\n??（一）单位基本情况\n问题：是否完成？是。\n".encode())
    assert [line.text for line in document.lines if line.text] == ["一、项目概况", "（一）单位基本情况", "问题：是否完成？是。"]
    assert [(a.kind, a.line) for a in document.artifacts] == [("lost_characters", 1), ("lost_characters", 2)]
    assert document.raw_line(1) == "?????一、项目概况"


def test_page_break_residue_is_repaired_with_a_map_back(fixture_path):
    document = read_report(fixture_path("page_break_residue"))
    kinds = {artifact.kind for artifact in document.artifacts}
    assert {"bookmark", "split_number", "split_paragraph", "page_number", "markdown"} <= kinds
    joined = next(line for line in document.lines if "13.99万" in line.text)
    assert joined.source_lines[:2] == (3, 5)
    assert joined.line_at(joined.text.index("万，主要")) == 5
    assert "企党校" in joined.text and len(joined.source_lines) == 3
    assert not any(line.text == "7" for line in document.lines)
    assert any(line.text == "二、存在问题" for line in document.lines)
    assert document.raw_line(1).startswith("[bookmark: _Toc1]")


def test_a_short_line_ending_a_paragraph_is_not_joined():
    document = parse_bytes("（一）存在问题\n\n支出进度比序时进度慢\n\n（二）改进措施\n".encode())
    assert [line.text for line in document.lines if line.text] == ["（一）存在问题", "支出进度比序时进度慢", "（二）改进措施"]


def test_a_table_of_numbers_is_not_taken_for_page_numbers():
    document = parse_bytes("\t项目总预算\n\n\t48\n\n\t项目当年预算\n".encode())
    assert any(line.text == "48" for line in document.lines)
    assert not document.artifacts


def test_empty_file_is_a_clear_error():
    with pytest.raises(UnreadableReport, match="空"):
        parse_bytes(b"   \n")


def test_binary_garbage_is_a_clear_error():
    with pytest.raises(UnreadableReport, match="编码"):
        parse_bytes(bytes(range(256)) * 4)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ReportNotFound, match="找不到"):
        read_report(tmp_path / "nope.txt")


def test_a_damaged_pdf_is_recognised_and_refused_with_advice():
    with pytest.raises(UnreadableReport, match="PDF 文件已损坏"):
        parse_bytes(b"%PDF-1.7\n...")


def test_broken_docx_is_a_clear_error():
    with pytest.raises(UnreadableReport, match="docx"):
        parse_bytes(b"PK\x03\x04 not really a zip")


def test_saved_web_page_is_read_as_text_without_scripts():
    html = ("<!DOCTYPE html><html><head><meta charset='gbk'><title>t</title><script>var x=1;</script></head>"
            "<body><p>一、项目概况</p><p>预算10万元</p><table><tr><td>分值</td><td>得分</td></tr></table></body></html>")
    document = parse_bytes(html.encode("gbk"), "report.html")
    texts = [line.text for line in document.lines if line.text]
    assert document.source.format == "html"
    assert "一、项目概况" in texts and "预算10万元" in texts
    assert not any("var x" in text for text in texts)


@pytest.fixture
def registry(monkeypatch):
    """The readers registry, restored after the test."""
    from auditlib.ingest import readers

    monkeypatch.setattr(readers, "_plugins", [])
    monkeypatch.setattr(readers, "_replaced", {})
    return readers


def test_a_plugin_reader_replaces_the_built_in_one(registry):
    from auditlib.ingest import Block

    registry.register("text", lambda data: True)(lambda data, path: ([Block("一、插件读出的文字", "第1节")], "plugin"))
    document = parse_bytes(b"anything at all")
    assert document.lines[0].text == "一、插件读出的文字" and document.source.encoding == "plugin"
    assert document.location(1) == "第1节"
    order = [reader.format for reader in registry.reader_order()]
    assert order.count("text") == 1 and order[-1] == "text"


def test_a_plugin_reader_for_a_new_format_is_chosen_before_the_fallback_and_the_zip_readers(registry, tmp_path):
    """A new format (here a zip with its own manifest, as OFD is) is chosen although the text fallback accepts
    everything and the Word reader accepts any zip; built-in formats keep their readers."""
    from auditlib.ingest import Block, read_report

    def looks_ofd(data: bytes) -> bool:
        return data[:2] == b"PK" and b"OFD.xml" in data[:4096]

    @registry.register("ofd", looks_ofd)
    def read_ofd(data: bytes, path: str):
        return [Block("一、项目概况", "第1页"), Block("项目预算48万元。", "第1页")], "utf-8"

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
    path = tmp_path / "report.ofd"
    path.write_bytes(buffer.getvalue())
    document = read_report(path)
    assert document.source.format == "ofd" and document.lines[1].text == "项目预算48万元。"
    assert document.location(2) == "第1页"
    assert [reader.format for reader in registry.reader_order()] == ["ofd", "pdf", "odf", "docx", "xlsx", "xls", "rtf",
                                                                      "office_xml", "mht", "html", "csv", "text"]
    assert parse_bytes("一、概况\n".encode()).source.format == "text"


def test_a_web_page_article_in_a_centred_wrapper_keeps_its_title_and_drops_the_page_furniture():
    body = "".join(f"<p>{i}、本项目资金按照年初预算安排用于开展培训和调研工作，各项支出均按规定审批。</p>" for i in range(1, 9))
    page = ("<!DOCTYPE html><html><head><title>政务公开</title></head><body>"
            "<div class='top'><a href='/'>首页</a> 政府信息公开</div>"
            "<center><div class='w1000' style='width:1000px;margin:0 auto'>"
            "<div class='title'><h2>测试区教育局2023年度项目支出绩效自评报告</h2></div>"
            "<div class='info'>发布时间：2024-03-01</div>"
            f"<div id='zoom'><p>一、项目概况</p>{body}<p>第 8 页 共 8 页</p><p>2023</p></div>"
            "<div>【打印本页】【关闭窗口】</div>"
            "</div></center><div class='bottom'>版权所有 测试区人民政府</div></body></html>")
    texts = [line.text for line in parse_bytes(page.encode(), "page.html").lines if line.text]
    assert texts[0] == "测试区教育局2023年度项目支出绩效自评报告" and texts[1] == "一、项目概况"
    assert texts[-1] == "2023" and len(texts) == 11
    assert not any("第 8 页" in text or "页" == text[-1] or "打印" in text or "版权" in text for text in texts)


# A document-sharing site shows each page of a document as a paragraph numbered 1、 2、 …, cut wherever the page
# ends, here inside an amount. Own wording and figures.
SHARED_PAGE_ONE = ("1、2023年度某县档案馆整体支出绩效自评报告一、部门概况(一)部门职责：负责全县档案的收集、整理、保管和利用，"
                   "指导机关、团体和企事业单位的档案工作，组织档案信息化建设。(二)机构人员：内设综合股、业务股两个股室，"
                   "编制12人，实有11人。(三)主要工作：全年接收进馆档案3200卷，完成馆藏档案数字化扫描18万页，"
                   "接待查档利用群众960人次，开展档案安全检查4次，举办档案法宣传活动2场，"
                   "完成年度档案业务指导和培训工作。(四)部门预算及支出情况：本年度预算支出523.4")
SHARED_PAGE_TWO = "2、8万元,其中人员经费300.18万元,公用经费123.3万元;项目支出100万元。全年支出512.6万元。"


def test_pages_of_a_shared_document_are_joined_where_the_page_cut_them():
    document = parse_bytes(f"{SHARED_PAGE_ONE}\n\n{SHARED_PAGE_TWO}\n".encode())
    page = next(line for line in document.lines if line.text)
    assert "预算支出523.48万元,其中人员经费" in page.text
    assert page.text.startswith("2023年度某县档案馆") and page.source_lines == (1, 3)
    assert page.line_at(page.text.index("人员经费")) == 3
    assert [artifact.kind for artifact in document.artifacts] == ["shared_page"]


@pytest.mark.parametrize("first, second", [
    (SHARED_PAGE_ONE + "万元。", SHARED_PAGE_TWO),  # the first paragraph ends its sentence: items of a list
    (SHARED_PAGE_ONE[:80], SHARED_PAGE_TWO),  # a short first item: a list, not a page
    (SHARED_PAGE_ONE, "3、" + SHARED_PAGE_TWO[2:]),  # not the next page's number
])
def test_numbered_paragraphs_that_are_no_shared_pages_stay_apart(first, second):
    document = parse_bytes(f"{first}\n\n{second}\n".encode())
    assert len([line for line in document.lines if line.text]) == 2
    assert not document.artifacts


def test_an_amount_cut_by_a_shared_page_is_checked_whole(tmp_path):
    from auditlib.pipeline import audit

    path = tmp_path / "shared_pages.txt"
    path.write_text(f"{SHARED_PAGE_ONE}\n\n{SHARED_PAGE_TWO}\n", encoding="utf-8")
    made = audit(path)
    assert not [f.rule for f in made.findings if f.severity in ("high", "medium")]
    assert "text.artifact" in [f.rule for f in made.findings]
    assert 523.48 in [amount.value_wan for amount in made.extraction.amounts]
