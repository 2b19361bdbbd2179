"""The writing rules (auditlib.check.rules.writing): brackets, dates, repeats, punctuation, OCR residue,
unreadable cells, misspellings, item numbers inside a line. Each pattern's own example is checked in
tests/test_real_world_patterns.py; here each rule fires on a sentence and stays quiet on its correction."""

import re
from pathlib import Path

import pytest

from auditlib.check.rules import writing
from tests.rule_cases import assert_covers, fires, rules_of, run

AMBIGUOUS_CELLS = (Path(__file__).parent / "fixtures" / "self_evaluation_table_cells_ambiguous.txt").read_text(
    encoding="utf-8")
# A funds total row whose 执行率 cell is empty, the rest filled (one space apart, as a page prints it).
BLANK_RATE_FORM = ("项目支出绩效自评表\n项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n"
                   "年度资金总额: 36 36 36 10 10\n")
CASES = [
    ("text.unbalanced", "一、概况\n项目（一期建设已按计划顺利完成并通过验收。\n", "一、概况\n项目（一期）建设已按计划顺利完成并通过验收。\n"),
    ("text.date", "一、概况\n截至201912月，项目已完成。\n", "一、概况\n截至2019年12月，项目已完成。\n"),
    ("text.repeated", "一、概况\n民政部门部门整体绩效自评得分96分。\n", "一、概况\n民政部门整体绩效自评得分96分。\n"),
    ("text.punctuation", "一、概况\n大棚建设项目,:建设4座标准化大棚。\n", "一、概况\n大棚建设项目：建设4座标准化大棚。\n"),
    ("text.ocr", "一、资金\n发放补助资金100OOO元。\n", "一、资金\n发放补助资金100000元。\n"),
    ("table.unreadable", AMBIGUOUS_CELLS,
     AMBIGUOUS_CELLS.replace("年度资金总额:1111111111100%", "年度资金总额:11|11|11|100%")),
    ("table.blank_cell", BLANK_RATE_FORM, BLANK_RATE_FORM.replace("36 36 36 10 10", "36 36 36 10 100% 10")),
    ("text.typo", "一、资金\n资金已全部拔付到位。\n", "一、资金\n资金已全部拨付到位。\n"),
    ("section.item_numbering", "一、措施\n1.加强宣传。2.规范管理。4.强化监督。\n", "一、措施\n1.加强宣传。2.规范管理。3.强化监督。\n"),
    # the cover's title and the body's title of one report, the years apart
    ("date.title_year", "某县图书馆2022年度部门整体支出绩效自评报告\n编制单位：某县图书馆\n一、基本情况\n略。\n"
     "某县图书馆2023年度部门整体支出绩效自评报告\n二、绩效情况\n良好。\n",
     "某县图书馆2022年度部门整体支出绩效自评报告\n编制单位：某县图书馆\n一、基本情况\n略。\n"
     "某县图书馆2022年度部门整体支出绩效自评报告\n二、绩效情况\n良好。\n"),
    ("date.snapshot_year", "一、部门概况\n截至2020年12月31日，本单位在职人员30人。\n二、2021年支出\n支出80万元。\n",
     "一、部门概况\n截至2021年12月31日，本单位在职人员30人。\n二、2021年支出\n支出80万元。\n"),
    # one item a paragraph, blank lines between: 3. twice
    ("section.paragraph_numbering", "一、单位职责\n1.负责全县妇幼保健工作；\n\n2.承担技术指导；\n\n3.负责质量检查；\n\n"
     "3.负责托幼机构卫生保健；\n\n4.完成交办的其他任务。\n",
     "一、单位职责\n1.负责全县妇幼保健工作；\n\n2.承担技术指导；\n\n3.负责质量检查；\n\n"
     "4.负责托幼机构卫生保健；\n\n5.完成交办的其他任务。\n"),
]


def test_the_cases_cover_every_writing_rule():
    assert_covers(writing, CASES)


@pytest.mark.parametrize("rule, firing, quiet", CASES, ids=[case[0] for case in CASES])
def test_each_rule_fires_and_stays_quiet(rule, firing, quiet):
    whole = rule in ("table.unreadable", "table.blank_cell")
    assert fires(rule, firing, whole=whole) and not fires(rule, quiet, whole=whole)


# --- item numbers inside a line (a paragraph, or a whole report run together) -------------------------------------

def item_numbering(text):
    return rules_of(run(text), "section.item_numbering")


@pytest.mark.parametrize("style, pattern, example, markers, negative", writing.INLINE_MARKER_STYLES)
def test_every_inline_marker_style_finds_its_markers_and_none_in_its_counter_example(style, pattern, example, markers,
                                                                                     negative):
    assert [m.group("m") for m in re.finditer(pattern, example)] == list(markers)
    assert not re.search(pattern, negative)


def test_a_report_run_together_into_one_line_is_read_level_by_level():
    text = ("一、资金下达情况,县财政下达专项资金30万元,二、绩效目标完成情况(一)资金投入1.到位情况,资金全部到位,"
            "2.执行情况,已支出28万元,(二)绩效指标完成情况,培训费3万元,2.效益指标完成情况,群众受益,3.满意度指标,"
            "满意度96%,四、结果应用情况,按规定公开。\n")
    found = {(f.expected, f.stated, f.values["sequence"]) for f in item_numbering(text)}
    # 一、二、四、 skips 三、; under （二） the list starts at 2.; under （一） 1. 2. is right
    assert found == {(3, 4, "一、二、四、"), (1, 2, "2.3.")}


def test_a_number_written_twice_shows_the_whole_sequence():
    [finding] = item_numbering("一、工作内容\n1.巡查河道。2.清理垃圾。3.维护设施。3.宣传教育。4.信息报送。\n")
    assert finding.values["sequence"] == "1.2.3.3.4." and "编号重复" in finding.message and finding.expected == 4


def test_a_first_heading_number_written_twice_is_a_repeat_but_a_list_far_on_starting_again_is_not():
    [finding] = item_numbering("一、基本情况(一)单位基本情况(一)基本情况。本单位为行政单位。(二)机构设置。\n")
    assert finding.values["sequence"] == "(一)(一)(二)" and "编号重复" in finding.message
    # a file's number, then a form's options far on, each a list of its own
    assert not item_numbering("一、附件\n1、某县项目绩效目标自评表项目名称道路维修项目实施单位某县交通局项目属性"
                              "1、常年性2、延续性3、一次性\n")


def test_lists_that_restart_or_nest_in_another_style_are_not_gaps():
    quiet = ("（一）职责:1)组织宣传;(2)开展培训;(3)指导基层。（二）工作:1.完成巡查,2.完成维护,(1)春季,(2)秋季,3.完成报送。"
             "一是加强管理,二是规范程序。第1、2季度完成1.5万元。\n")
    assert not item_numbering("一、概况\n" + quiet)


def test_a_list_that_changes_style_after_its_first_item_is_named_as_such():
    [finding] = item_numbering("一、完成情况\n（一）目标完成情况 1.完成巡查12次。(2)完成培训3期。(3)完成报送。\n")
    assert "编号样式不一致" in finding.message and finding.values["sequence"] == "1.(2)(3)"


# --- dates and phrases written twice ------------------------------------------------------------------------------

@pytest.mark.parametrize("wrong", ["资金于202年3月5日全部到位", "实施期限为2022年3月—2023月6月"])
def test_a_year_a_digit_short_or_written_with_month_is_a_malformed_date(wrong):
    assert fires("text.date", f"一、概况\n{wrong}。\n")


@pytest.mark.parametrize("right", ["资金于2022年3月5日全部到位", "实施期限为2022年3月—2023年6月", "全年共202人次，1月完成"])
def test_correct_dates_and_counts_near_months_are_not_malformed(right):
    assert not fires("text.date", f"一、概况\n{right}。\n")


def test_a_verb_written_twice_within_a_phrase_is_a_repeat():
    pattern, example = writing.REPEATED_VERB
    assert pattern.search(example)
    assert fires("text.repeated", "一、概况\n我局建立了清河县建立了护林员管理制度。\n")
    assert not fires("text.repeated", "一、概况\n我局建立了管理制度，完善了考核办法，建立了台账。\n")


def test_a_form_row_label_after_its_group_name_is_no_repeated_word():
    assert not fires("text.repeated", "一、绩效指标\n数量指标指标1:完成渠道整治数量 3 3 10 10\n")
    assert not fires("text.repeated", "一、概况\n关于公共图书馆文化馆文化站免费开放专项资金到位使用情况的报告。\n")
    assert not fires("text.repeated", "关怀版 无障碍 无障碍\n一、概况\n内容。\n")  # a site's menu, apart as written
    assert fires("text.repeated", "關於繼續深化深化全民健身的報告\n一、概況\n內容。\n")  # converted script, as written
    assert fires("text.repeated", "一、绩效指标\n数量指标指标完成3项，得10分。\n")


FUND_MANAGEMENT = ("一、资金管理情况\n资金拨付 | 按进度足额拨付到各乡镇，未发现滞留资金的情况。 |\n{row}\n"
                   "使用规范性 | 严格按照批复的用途使用资金，未发现挤占挪用等问题。 |\n")


def test_an_item_left_blank_among_items_described_in_a_form_is_an_empty_field():
    [finding] = [f for f in run(FUND_MANAGEMENT.format(row="监督检查 | | |")).findings if f.rule == "text.placeholder"]
    assert "监督检查" in finding.message and finding.evidence.startswith("监督检查 |")
    described = FUND_MANAGEMENT.format(row="监督检查 | 开展专项检查两次，整改问题全部到位。 |")
    assert not fires("text.placeholder", described)
    assert not fires("text.placeholder", FUND_MANAGEMENT.format(row="其他资金 | | |"))  # a fund's row is often empty
    numbers = "一、资金\n本年拨款 | 12 | 12 |\n上年结转 | | |\n其他 | 3 | 3 |\n"
    assert not fires("text.placeholder", numbers)  # no neighbour is described in words


def test_columns_of_a_flattened_table_set_side_by_side_are_no_list():
    # target and result columns run together (1.…1.…2.…2.…), or a form's options out of order (1、2、4、3、)
    assert not item_numbering("一、目标\n预期目标 实际完成 1.培训农户 1.培训农户120人 2.建设基地 2.建成基地2个 "
                              "3.发放补助 3.发放补助50户\n")
    assert not item_numbering("一、项目\n项目属性 1、常年性 2、延续性 4、新增性 项目资金 3、一次性 执行率\n")


@pytest.mark.parametrize("text", [
    "一、职责\n1.甲项工作；\n2.乙项工作；\n说明文字一段。\n2.另一列表的第二项；\n3.第三项。\n",  # a paragraph ends the list
    "一、职责\n1.甲项工作；\n2.乙项工作；\n1.新列表第一项；\n2.第二项；\n3.第三项。\n",  # numbering starts again
    "一、职责\n1.甲项工作；\n2.乙项工作；\n2.丙项工作；\n3.丁项工作；\n3.戊项工作。\n",  # columns side by side
])
def test_numbered_paragraphs_that_start_again_or_are_broken_off_are_no_repeat(text):
    assert not rules_of(run(text), "section.paragraph_numbering")


def test_a_list_of_a_sites_reports_by_year_is_no_title_in_two_years():
    links = "\n".join(f"某县图书馆{year}年度部门整体支出绩效自评报告" for year in (2021, 2022, 2023))
    assert not rules_of(run(f"一、基本情况\n略。\n相关文章\n{links}\n"), "date.title_year")
    pair = "某县图书馆2021年度部门整体支出绩效自评报告\n某县图书馆2022年度部门整体支出绩效自评报告"
    assert not rules_of(run(f"一、基本情况\n略。\n相关文章\n{pair}\n"), "date.title_year")


def test_a_places_level_written_twice_before_its_body_is_a_repeat():
    pattern, example, counter = writing.REPEATED_LEVEL
    assert pattern.search(example) and not pattern.search(counter)
    assert fires("text.repeated", "一、概况\n根据《某州市市教育局关于下达经费的通知》执行。\n")
    for right in ("根据某市市场监督管理局的要求执行。", "由某县县委办公室牵头。", "受津市市财政局委托开展。"):
        assert not fires("text.repeated", f"一、概况\n{right}\n")


def test_a_joining_word_written_twice_is_a_repeat():
    pattern, example, counter = writing.REPEATED_JOINER
    assert pattern.search(example) and not pattern.search(counter)
    assert fires("text.repeated", "一、职能\n负责拟定行业运价和和收费标准。\n")
    for right in ("营造家庭和和美美的氛围。", "资金预算时对对象摸底不够准确。", "负责拟定行业运价和收费标准。"):
        assert not fires("text.repeated", f"一、概况\n{right}\n")


def test_a_year_end_snapshot_of_the_year_before_the_one_evaluated_is_a_question():
    pattern, example, counter = writing.SNAPSHOT
    assert pattern.search(example) and not pattern.search(counter)
    report = "一、部门概况\n{line}\n二、2021年预算执行情况\n支出80万元。\n"  # the head names 2021年度
    assert fires("date.snapshot_year", report.format(line="截至2020年12月31日，本单位在职人员30人。"))
    for right in ("截至2021年12月31日，本单位在职人员30人。", "截至2020年底上年结转资金5万元，已于本年使用。",
                  "截至2020年6月30日，完成进度50%。"):
        assert not fires("date.snapshot_year", report.format(line=right))
