"""The document rules (auditlib.check.rules.document): not a self-evaluation, cut short, kind undecided."""

import pytest

from auditlib.check.rules import document
from tests.rule_cases import HEAD, assert_covers, fires, run

CASES = [
    ("document.not_self_evaluation", "清河县财政局2021年部门决算\n一、收支\n收入1200万元。\n", HEAD + "一、概况\n内容。\n"),
    ("document.truncated", HEAD + "一、概况\n本项目资金主要用于购买办公设备，以及",
     HEAD + "一、概况\n本项目资金主要用于购买办公设备。\n"),
    ("document.kind_unknown", "清河县民政局2021年度项目情况\n一、概况\n绩效目标已完成。\n", HEAD + "一、概况\n绩效目标已完成。\n"),
]


def test_the_cases_cover_every_document_rule():
    assert_covers(document, CASES)


@pytest.mark.parametrize("rule, firing, quiet", CASES, ids=[case[0] for case in CASES])
def test_each_rule_fires_and_stays_quiet(rule, firing, quiet):
    assert fires(rule, firing, whole=True) and not fires(rule, quiet, whole=True)


def test_a_document_that_is_not_a_self_evaluation_gets_that_finding_only():
    result = run("一、收支\n收入1200万元。\n", head="清河县财政局2021年部门决算\n")
    assert [f.rule for f in result.findings] == ["document.not_self_evaluation"]
