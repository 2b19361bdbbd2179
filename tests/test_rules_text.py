"""The text rules (auditlib.check.rules.text): blanks left in, repeated paragraphs, conversion residue."""

import pytest

from auditlib.check import CheckParams
from auditlib.check.rules import text
from tests.rule_cases import assert_covers, fires, rules_of, run

PARAGRAPH = "2020年底，工商联按照工作计划做了15万元的预算，2021年初财政局下达了8万元的指标。"
CASES = [
    ("text.placeholder", "部门（单位）名称： _____（盖章）_____\n一、概况\n内容。\n", "一、概况\n内容完整。\n"),
    ("text.duplicate", f"一、资金\n（一）申报\n{PARAGRAPH}\n（二）安排\n{PARAGRAPH}\n", f"一、资金\n{PARAGRAPH}\n"),
    ("text.artifact", "[bookmark: _Toc1]一、概况\n内容。\n", "一、概况\n内容。\n"),
    ("table.template_rows", "一、绩效指标\n数量指标 指标1:新建蓄水池 4个 4个 10 10\n指标2:\n……\n",
     "一、绩效指标\n数量指标 指标1:新建蓄水池 4个 4个 10 10\n指标2:维修渠道 3公里 3公里 10 10\n……\n"),
]


def test_the_cases_cover_every_text_rule():
    assert_covers(text, CASES)


@pytest.mark.parametrize("rule, firing, quiet", CASES, ids=[case[0] for case in CASES])
def test_each_rule_fires_and_stays_quiet(rule, firing, quiet):
    assert fires(rule, firing) and not fires(rule, quiet)


def test_text_placeholder():
    assert rules_of(run("部门（单位）名称： _____（盖章）_____\n一、概况\n内容。\n"), "text.placeholder")
    assert not rules_of(run("一、概况\n内容完整。\n"), "text.placeholder")


def test_text_duplicate_across_sections_only():
    paragraph = "2020年底，工商联按照工作计划做了15万元的预算，2021年初财政局下达了8万元的指标。"
    result = run(f"一、资金\n（一）申报\n{paragraph}另行使用。\n（二）安排\n{paragraph}\n")
    [finding] = rules_of(result, "text.duplicate")
    assert finding.section == "一（二）" and finding.values["first_line"] == 4
    same_section = run(f"一、资金\n{paragraph}\n{paragraph}\n")
    assert not rules_of(same_section, "text.duplicate")


def test_text_artifacts():
    result = run("[bookmark: _Toc1]一、概况\n在企业 and 商协会中开展活动，提升 PPP 项目和 GDP 水平。\n\n7\n\n二、**问题**\n内容。\n")
    kinds = {f.values.get("kind") for f in rules_of(result, "text.artifact")}
    assert kinds == {"bookmark", "latin_word", "page_number", "markdown"}
    words = [f.values["word"] for f in rules_of(result, "text.artifact") if f.values.get("kind") == "latin_word"]
    assert words == ["and"]


@pytest.mark.parametrize("pattern, example, counterexample", [text.TEMPLATE_LABEL, text.TEMPLATE_ELLIPSIS])
def test_template_row_patterns(pattern, example, counterexample):
    assert pattern.fullmatch(example) and not pattern.fullmatch(counterexample)


def test_template_rows_left_one_cell_per_line_are_counted_once_each():
    cells = "一、绩效指标\n质量指标\n指标1:验收合格率\n100%\n100%\n10\n10\n指标2\n\n\u00a0\n\u00a0\n……\n时效指标\n指标2\n……\n"
    [finding] = rules_of(run(cells), "table.template_rows")
    assert (finding.severity, finding.values["count"]) == ("low", 2)
