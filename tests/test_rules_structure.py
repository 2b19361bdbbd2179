"""The outline rules (auditlib.check.rules.structure): empty headings, numbering, required parts."""

import re

import pytest

from auditlib.check import CheckParams, reading
from auditlib.check.rules import structure
from tests.rule_cases import assert_covers, fires, rules_of, run

CASES = [
    ("section.empty", "一、概况\n（一）基本情况\n项目用于培训。\n（二）未完成情况及原因分析。\n二、资金\n内容。\n",
     "一、概况\n（一）基本情况\n项目用于培训。\n（二）未完成情况及原因分析。\n均已完成。\n二、资金\n内容。\n"),
    ("section.numbering", "一、概况\n内容。\n三、资金\n内容。\n", "一、概况\n内容。\n二、资金\n内容。\n"),
    ("section.missing", "一、项目概况\n内容。\n二、资金使用情况\n预算10万元。\n特此报告。\n",
     "一、项目概况\n内容。\n二、资金使用情况\n预算10万元。\n三、绩效目标完成情况\n完成。\n四、存在问题\n宣传不足。\n"
     "五、改进措施\n加强宣传。\n六、自评结论\n自评得分95分。\n"),
    ("section.missing_unended", "一、项目概况\n内容。\n二、资金使用情况\n预算10万元。\n",
     "一、项目概况\n内容。\n二、资金使用情况\n预算10万元。\n特此报告。\n"),
    ("section.marker", "一、概况\n一)资金投入情况\n内容。\n二)绩效情况\n内容。\n",
     "一、概况\n（一）资金投入情况\n内容。\n（二）绩效情况\n内容。\n"),
    ("section.levels_inverted", "1.单位基本情况\n（一）机构设置。本单位下设3个科室，负责日常工作。\n（二）人员情况\n在编12人。\n",
     "一、单位基本情况\n（一）机构设置。本单位下设3个科室，负责日常工作。\n（二）人员情况\n在编12人。\n"),
    ("section.duplicate_title", "一、基本情况\n（一）绩效目标设立情况\n设定5项指标。\n（二）绩效目标设立情况\n收入80万元。\n",
     "一、基本情况\n（一）绩效目标设立情况\n设定5项指标。\n（二）收支情况\n收入80万元。\n"),
    ("section.no_problems", "一、概况\n内容。\n二、存在的问题和原因分析\n无。\n三、改进措施\n加强管理。\n",
     "一、概况\n内容。\n二、存在的问题和原因分析\n宣传不足。\n三、改进措施\n加强管理。\n"),
]


def test_the_cases_cover_every_structure_rule():
    assert_covers(structure, CASES)


@pytest.mark.parametrize("rule, firing, quiet", CASES, ids=[case[0] for case in CASES])
def test_each_rule_fires_and_stays_quiet(rule, firing, quiet):
    assert fires(rule, firing) and not fires(rule, quiet)


def test_render_asks_the_rule_where_its_findings_belong():
    assert {rule.id for rule in structure.RULES if rule.outline} == {"section.empty", "section.numbering",
                                                                     "section.duplicate_title"}
    assert [rule.id for rule in structure.RULES if rule.lists_missing_part] == ["section.missing",
                                                                                "section.missing_unended"]


def test_section_empty_and_lead_in_only():
    result = run("一、概况\n（一）基本情况\n项目用于培训。\n（二）未完成情况及原因分析。\n二、资金\n（一）执行情况分析\n本项目资金:\n（二）管理\n规范。\n")
    empty = {f.section for f in rules_of(result, "section.empty")}
    assert empty == {"一（二）", "二（一）"}


def test_section_numbering_style_duplicate_and_gap():
    result = run("1、 概况\n（一）职能\n内容。\n（二）人员\n内容。\n（二）预算\n内容。\n二、评价\n（1）目的\n内容。\n（二）原则\n内容。\n四、问题\n内容。\n")
    messages = [f.message for f in rules_of(result, "section.numbering")]
    assert any("“1、”" in m and "应写作“一、”" in m for m in messages)
    assert any("编号重复" in m for m in messages)
    assert any("（1）" in m and "应写作“（一）”" in m for m in messages)
    assert any("编号不连续" in m and "三、" in m for m in messages)


def test_well_numbered_report_has_no_numbering_finding():
    result = run("一、概况\n（一）甲\n内容。\n（二）乙\n内容。\n二、资金\n内容。\n三、结论\n自评得分95分。\n")
    assert not rules_of(result, "section.numbering")


def test_a_heading_run_into_its_paragraph_is_no_gap_before_the_next():
    text = ("一、项目概况\n（一）单位基本情况。本局是县政府工作部门，负责全县农业和农村工作的组织领导与综合协调。\n"
            "（二）项目绩效目标。\n完成茶园管护2万亩。\n")
    assert not rules_of(run(text), "section.numbering")
    assert rules_of(run(text.replace("（一）单位", "单位")), "section.numbering")  # no （一） at all: a gap


def test_section_missing_parts_for_the_kind():
    result = run("一、项目概况\n内容。\n二、资金使用情况\n预算10万元。\n2022年3月1日\n")
    missing = {f.expected for f in rules_of(result, "section.missing")}
    assert missing == {"绩效目标完成情况", "存在问题", "改进措施或建议", "自评结论"}


def test_a_text_that_shows_no_end_may_hold_the_missing_parts_further_on():
    result = run("一、项目概况\n内容。\n二、资金使用情况\n预算10万元。\n")
    assert not rules_of(result, "section.missing")
    unended = rules_of(result, "section.missing_unended")
    assert len(unended) == 4 and all(f.severity == "low" and "文本未见结尾" in f.message for f in unended)
    # a page showing only a document's start (显示全文) has not ended, whatever stands before the marker
    cut = run("一、项目概况\n内容。\n二、资金使用情况\n预算10万元。\n特此报告。\n显示全文\n")
    assert rules_of(cut, "section.missing_unended") and not rules_of(cut, "section.missing")


@pytest.mark.parametrize("pattern, positive, negative", reading.ENDINGS + structure.HEADINGS_WITH_CONTENT
                         + (structure.BRACKET_LOST,))
def test_every_ending_and_heading_with_content_has_a_positive_and_a_negative_example(pattern, positive, negative):
    assert re.search(pattern, positive) and not re.search(pattern, negative)


def test_headings_that_carry_content_or_stand_at_the_cut_are_not_empty():
    text = ("一、自评结论\n（一）自评得分95分\n（二）未完成的绩效目标（无）\n二、资金情况\n（一）资金安排\n"
            "本项目年初预算安排资金共计20万元，由县财政全额保障，年中未作调整，资金于三月底前全部到位，具体安排如下：\n"
            "（二）资金使用\n三、存在问题\n")
    # 资金使用 only: the lead-in is long enough to say something itself, and 存在问题 is at the cut
    assert [f.section for f in rules_of(run(text), "section.empty")] == ["二（二）"]


@pytest.mark.parametrize("heading, words, found", [
    ("（三）存在的问题和原因分析", "暂无。", True),
    ("四、存在问题", "未发现明显问题。", True),
    ("（二）存在问题及改进建议", "没有", True),
    ("（三）存在的问题和原因分析", "宣传力度不够，群众知晓率不高。", False),  # problems stated
    ("（一）上年度问题整改情况", "无。", False),  # nothing left to rectify
    ("（一）项目绩效目标未完成情况及原因分析", "无。", False),  # every target met
])
def test_no_problems_only_where_the_problems_part_denies_any(heading, words, found):
    text = f"一、概况\n内容。\n{heading}\n{words}\n五、结论\n自评得分90分。\n"
    findings = rules_of(run(text), "section.no_problems")
    assert bool(findings) is found
    if found:
        assert findings[0].stated == words and findings[0].line == 5 and findings[0].severity == "low"


def test_a_heading_whose_content_is_attached_is_not_empty():
    text = "一、项目概况\n内容完整。\n二、主要绩效（附绩效目标自评表）\n三、存在问题\n无。\n"
    assert not [f for f in run(text).findings if f.rule == "section.empty"]
    assert [f for f in run(text.replace("（附绩效目标自评表）", "")).findings if f.rule == "section.empty"]


def test_items_without_their_opening_bracket_are_one_finding_naming_each():
    result = run("一、概况\n一)资金投入情况\n内容。\n二)绩效目标情况\n内容。\n三)指标完成情况\n内容。\n")
    [finding] = rules_of(result, "section.marker")
    assert finding.values["count"] == 3 and "“一)”、“二)”、“三)”" in finding.message and finding.expected == "（一）"
    # a closing bracket after a numeral inside a sentence is no item
    assert not rules_of(run("一、概况\n完成任务（一期）和二期建设。\n"), "section.marker")


def test_levels_inverted_once_and_never_where_section_numbering_names_the_heading():
    inverted = "1.基本情况\n（一）职能\n内容。\n2.资金情况\n（一）预算\n内容。\n"
    [finding] = rules_of(run(inverted), "section.levels_inverted")
    assert finding.stated == "1." and finding.severity == "low"
    # 1、 among 二、三、: section.numbering says 应写作“一、”; one finding, not two
    mixed = "1、基本情况\n（一）职能\n内容。\n二、资金情况\n内容。\n三、结论\n内容。\n"
    assert rules_of(run(mixed), "section.numbering") and not rules_of(run(mixed), "section.levels_inverted")
    # 1. over （1） is the right order
    assert not rules_of(run("一、概况\n1.基本情况\n（1）职能\n内容。\n"), "section.levels_inverted")


def test_numbered_rows_of_a_table_written_one_cell_per_line_are_no_empty_headings():
    table = ("一、支出情况\n（一）三公经费\n1、公务用车购置和维护经费\n4.15\n6\n3.20\n2、出国经费\n3、公务接待\n1.05\n2\n0.60\n"
             "二、结论\n综上，支出符合规定。\n")
    assert not [f for f in run(table).findings if f.rule == "section.empty"]
    prose = table.replace("4.15\n6\n3.20\n", "车辆按规定使用。\n").replace("1.05\n2\n0.60\n", "接待按标准执行。\n")
    assert [f for f in run(prose).findings if f.rule == "section.empty"]


@pytest.mark.parametrize("title, missing", [("项目实施成效", False), ("项目实施效果", False), ("项目实施进度", True)])
def test_the_results_part_goes_by_several_names(title, missing):
    text = (f"某项目2023年绩效自评报告\n一、项目基本情况\n本项目用于道路养护。\n二、资金使用情况\n全年支出40万元。\n"
            f"三、{title}\n完成道路养护12公里。\n四、存在问题\n进度偏慢。\n五、改进措施\n加强调度。\n六、自评结论\n自评得分92分。\n"
            "2023年3月1日\n")
    found = [f for f in run(text).findings if f.rule == "section.missing" and "绩效目标完成情况" in f.message]
    assert bool(found) == missing


def test_a_contents_list_printed_without_its_title_or_page_numbers_is_no_run_of_empty_sections():
    entries = "一、项目概况\n（一）立项背景\n（二）资金安排\n二、绩效目标\n三、评价结论\n（一）综合评价\n四、存在问题\n五、有关建议\n"
    body = ("报告正文\n一、项目概况\n本项目用于道路养护。\n二、绩效目标\n完成养护12公里。\n三、评价结论\n自评得分92分。\n"
            "四、存在问题\n进度偏慢。\n五、有关建议\n加强调度。\n")
    assert not [f for f in run("某项目绩效评价报告\n" + entries + body).findings if f.rule == "section.empty"]
    # two headings left empty in a report are still empty sections
    gaps = body.replace("进度偏慢。\n", "").replace("加强调度。\n", "")
    assert [f for f in run("某项目绩效评价报告\n" + gaps).findings if f.rule == "section.empty"]


@pytest.mark.parametrize("item, empty", [
    ("(1)本局内设办公室、业务科、财务科等5个科室。", False),  # a sentence with a count: an item, not a heading
    ("(1)本局内设办公室业务科和财务科负责全局的日常管理工作以及对外联络协调工作。", False),  # long: a sentence
    ("(1)机构设置情况。", True),  # a short heading ending with a full stop
    ("(1)机构设置情况", True),
])
def test_a_numbered_sentence_is_an_item_and_not_an_empty_heading(item, empty):
    text = (f"一、部门概况\n1.部门职责\n负责全县档案工作。\n2.部门机构设置\n{item}\n(2)管理事业单位\n"
            "县档案馆(公益一类事业单位)。\n(3)人员编制\n编制12人。\n二、存在问题\n宣传不足。\n")
    found = [f.section for f in run(text).findings if f.rule == "section.empty"]
    assert found == (["一.2（1）"] if empty else [])


def test_two_reports_on_one_page_each_numbered_from_one_are_no_copied_title():
    page = ("一、部门概况\n内容甲。\n二、绩效情况\n内容乙。\n一、部门概况\n内容丙。\n二、绩效情况\n内容丁。\n")
    assert not rules_of(run(page), "section.duplicate_title")


def test_an_excerpt_cut_right_after_its_closing_heading_shows_no_end():
    text = ("一、绩效目标分解下达情况\n下达资金50万元。\n二、绩效目标完成情况分析\n完成改造200户。\n"
            "三、偏离绩效目标的原因和下一步改进措施\n{tail}\n")
    assert rules_of(run(text.format(tail="优")), "section.missing_unended")
    assert not rules_of(run(text.format(tail="优")), "section.missing")
    assert rules_of(run(text.format(tail="资金拨付较慢，下一步将加快支付进度，确保年度目标全部完成。")), "section.missing")
