from auditlib.ingest import parse_bytes, read_report
from auditlib.outline import build_outline, parse_numbering


def outline_of(path):
    return build_outline(read_report(path))


def test_numbering_styles_full_and_half_width():
    cases = {"一、概况": ("cn", 1), "（二）资金": ("cn_paren", 2), "(三) 管理": ("cn_paren", 3), "4、产出": ("arabic", 4),
             "5. 效益": ("arabic", 5), "（6）满意度": ("arabic_paren", 6), "(7)成本": ("arabic_paren", 7), "⑧时效": ("circled", 8),
             "十二、其他": ("cn", 12)}
    for text, (style, number) in cases.items():
        numbering = parse_numbering(text)
        assert (numbering.style, numbering.number) == (style, number), text
    assert parse_numbering("（一）").full_width and not parse_numbering("(一)").full_width
    assert parse_numbering("1.1.项目立项规范性") is None
    assert parse_numbering("3.97万元用于培训") is None


def test_section_tree_has_paths_titles_and_line_spans(fixture_path):
    outline = outline_of(fixture_path("project_report_minimal"))
    paths = [(s.path, s.title, s.line) for s in outline.sections]
    assert paths == [("一", "项目基本情况", 4), ("二", "项目资金使用情况", 6), ("二（一）", "资金到位情况", 7),
                     ("二（二）", "资金使用情况", 9), ("三", "自评结论", 11)]
    assert outline.find("二").end_line == 10
    assert outline.find("二（二）").body_chars > 20
    assert outline.root.title.startswith("2022年度项目支出绩效自评报告")


def test_numbered_paragraphs_are_not_headings(fixture_path):
    outline = outline_of(fixture_path("numbered_items_not_headings"))
    assert [s.path for s in outline.sections] == ["一", "一（一）", "一（二）", "二"]
    assert "预算编制不够细化" in outline.find("一（一）").body_text
    assert "完善制度" in outline.find("二").body_text


def test_heading_in_deeper_style_acts_one_level_up(fixture_path):
    outline = outline_of(fixture_path("heading_written_in_deeper_style"))
    top = [s for s in outline.sections if s.level == 1]
    assert [(s.numbering.style, s.numbering.number) for s in top] == [("arabic", 1), ("arabic", 2), ("cn", 3)]
    assert [s.path for s in outline.sections if s.level == 2] == ["1（一）", "1（二）", "2（一）"]


def test_empty_heading_keeps_its_place_among_siblings(fixture_path):
    outline = outline_of(fixture_path("empty_section_and_duplicate_number"))
    empty = outline.sections[2]
    assert empty.path == "一（二）" and empty.body_chars == 0
    assert [s.numbering.number for s in outline.find("二").children] == [1, 1]


def test_section_of_a_line():
    document = parse_bytes("前言\n一、甲\n正文甲\n二、乙\n正文乙\n".encode())
    outline = build_outline(document)
    assert outline.section_of(0) is outline.root
    assert outline.section_of(2).path == "一"
    assert outline.section_of(4).path == "二"


def test_outline_frame_has_one_row_per_section(fixture_path):
    frame = outline_of(fixture_path("project_report_minimal")).to_frame()
    assert list(frame["path"]) == ["一", "二", "二（一）", "二（二）", "三"]
    assert {"level", "title", "line", "end_line", "body_chars"} <= set(frame.columns)
