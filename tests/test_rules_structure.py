"""The outline rules (auditlib.check.rules.structure): empty headings, numbering, required parts."""

import pytest

from auditlib.check import CheckParams
from auditlib.check.rules import structure
from tests.rule_cases import assert_covers, fires, rules_of, run

CASES = [
    ("section.empty", "一、概况\n（一）基本情况\n项目用于培训。\n（二）未完成情况及原因分析。\n二、资金\n内容。\n",
     "一、概况\n（一）基本情况\n项目用于培训。\n（二）未完成情况及原因分析。\n均已完成。\n二、资金\n内容。\n"),
    ("section.numbering", "一、概况\n内容。\n三、资金\n内容。\n", "一、概况\n内容。\n二、资金\n内容。\n"),
    ("section.missing", "一、项目概况\n内容。\n二、资金使用情况\n预算10万元。\n",
     "一、项目概况\n内容。\n二、资金使用情况\n预算10万元。\n三、绩效目标完成情况\n完成。\n四、存在问题\n宣传不足。\n"
     "五、改进措施\n加强宣传。\n六、自评结论\n自评得分95分。\n"),
]


def test_the_cases_cover_every_structure_rule():
    assert_covers(structure, CASES)


@pytest.mark.parametrize("rule, firing, quiet", CASES, ids=[case[0] for case in CASES])
def test_each_rule_fires_and_stays_quiet(rule, firing, quiet):
    assert fires(rule, firing) and not fires(rule, quiet)


def test_render_asks_the_rule_where_its_findings_belong():
    assert {rule.id for rule in structure.RULES if rule.outline} == {"section.empty", "section.numbering"}
    assert [rule.id for rule in structure.RULES if rule.lists_missing_part] == ["section.missing"]


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


def test_section_missing_parts_for_the_kind():
    result = run("一、项目概况\n内容。\n二、资金使用情况\n预算10万元。\n")
    missing = {f.expected for f in rules_of(result, "section.missing")}
    assert missing == {"绩效目标完成情况", "存在问题", "改进措施或建议", "自评结论"}
