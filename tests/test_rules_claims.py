"""The claim rules (auditlib.check.rules.claims): the narrative against its own table, a claim against an
admission of the same report."""

import pytest

from auditlib.check.rules import claims
from tests.rule_cases import assert_covers, fires, rules_of, run, self_evaluation_table

DISAGREEING = self_evaluation_table(
    "| 产出指标 | 数量指标 | 培训人次 | ≥ | 100 | 人次 | 100 | 90 | 88 | 质量一般 |",
    after="| 总分 | | | | | | | 100 | 98 | |\n评价结论：项目全年预算120万元，执行率95%，自评得分95分，等级为优。")
AGREEING = DISAGREEING.replace("120万元，执行率95%，自评得分95分", "100万元，执行率100%，自评得分98分")
CONTRADICTION = "一、管理\n制度执行有效性：执行过程中未严格按照制度执行，执行不到位。\n二、结论\n综合评价结论为{grade}。\n"
TARGETS = "一、绩效\n本项目{claim}年度绩效目标。\n二、问题\n受疫情影响，部分绩效目标未完成。\n"
CASES = [
    ("claim.vs_table", DISAGREEING, AGREEING, True),
    ("claim.vs_table_money", DISAGREEING, AGREEING, True),
    ("claim.contradiction", TARGETS.format(claim="全面完成了"), TARGETS.format(claim="力争全面完成"), False),
    ("claim.contradiction_unclear", CONTRADICTION.format(grade="优"), CONTRADICTION.format(grade="良"), False),
]


def test_the_cases_cover_every_claim_rule():
    assert_covers(claims, CASES)


@pytest.mark.parametrize("rule, firing, quiet, whole", CASES, ids=[case[0] for case in CASES])
def test_each_rule_fires_and_stays_quiet(rule, firing, quiet, whole):
    assert fires(rule, firing, whole=whole) and not fires(rule, quiet, whole=whole)


def test_the_narrative_against_its_own_table():
    found = {f.rule: f for f in run(DISAGREEING, head="").findings}
    assert found["claim.vs_table"].severity == "high" and found["claim.vs_table"].stated == "95"
    money = rules_of(run(DISAGREEING, head=""), "claim.vs_table_money")
    assert {f.values["figure"] for f in money} == {"预算数", "预算执行率"}


def test_a_top_grade_against_an_admitted_weakness_is_only_a_question():
    body = "一、管理\n制度执行有效性：执行过程中未严格按照制度执行，执行不到位。\n二、结论\n综合评价结论为{grade}。\n"
    top = run(body.format(grade="优"))
    [finding] = rules_of(top, "claim.contradiction_unclear")
    assert finding.line == 3 and "未严格按照制度执行" in finding.message and "请核实" in finding.message
    assert not rules_of(top, "claim.contradiction")
    assert not rules_of(run(body.format(grade="良")), "claim.contradiction_unclear")
    heading_only = run("一、绩效\n（一）项目绩效目标未完成情况及原因分析\n无。\n二、结论\n综合评价结论为优。\n")
    assert not rules_of(heading_only, "claim.contradiction_unclear")


def test_targets_claimed_met_against_a_target_admitted_missed_is_certain():
    [finding] = rules_of(run(TARGETS.format(claim="全面完成了")), "claim.contradiction")
    assert finding.severity == "high" and finding.line == 5 and "第3行" in finding.message


@pytest.mark.parametrize("pattern, kind, positive, negative", claims.CLAIMS + claims.ADMISSIONS)
def test_every_claim_and_admission_has_a_positive_and_a_negative_example(pattern, kind, positive, negative):
    import re

    assert re.search(pattern, positive), positive
    match = re.search(pattern, negative)
    assert not match or claims.NOT_A_STATEMENT.search(negative[max(0, match.start() - 4): match.start()]), negative


def test_every_contradiction_is_rated_by_one_of_the_claim_rules():
    severities = {rule.severity for rule in claims.RULES if rule.check is claims.claim_contradiction}
    assert set(claims.CONTRADICTS.values()) == severities == {"high", "medium"}


def test_the_tables_reason_column_is_no_admission():
    """The 自评表's column 偏差大或目标未完成原因分析 names where a reason goes; a full score beside it is no claim
    contradicted (a family seen in real tables)."""
    table = ("一、自评表\n| 一级指标 | 二级指标 | 三级指标 | 分值 | 得分 | 偏差大或目标未完成原因分析 |\n"
             "| 产出指标 | 数量指标 | 覆盖户数 | 40 | 40 | 无 |\n二、结论\n本项目得分100分，全面完成了年度绩效目标。\n")
    found = run(table).findings
    assert not [f for f in found if f.rule.startswith("claim.contradiction")]
    admitted = table.replace("本项目得分100分", "本项目部分绩效目标未完成，得分100分")
    assert [f for f in run(admitted).findings if f.rule.startswith("claim.contradiction")]


def test_the_reason_columns_title_broken_over_lines_is_no_admission():
    cells = ["总分", "100", "98", "自评等级", "优", "偏差大或", "目标未完成", "原因分析", "|", "无"]
    text = "一、自评表\n" + "\n".join(cells) + "\n二、结论\n本项目全面完成了年度绩效目标。\n"
    assert not [f for f in run(text).findings if f.rule.startswith("claim.contradiction")]
    admitted = text.replace("原因分析", "受工期影响")
    assert [f for f in run(admitted).findings if f.rule.startswith("claim.contradiction")]


def test_a_forms_block_headed_unmet_indicators_is_no_admission_by_itself():
    """The provincial form's 未完成指标 block (指标名称 实际值 偏差率) is the form's own heading: a top grade beside it
    asks nothing, while a written admission still does."""
    form = ("一、自评情况\n综合评价等级：优\n满意度 100% 未完成指标 指标名称 实际值 偏差率 服务覆盖率 97% 3%\n"
            "二、存在问题\n宣传不足。\n")
    assert not rules_of(run(form), "claim.contradiction_unclear")
    admitted = form.replace("宣传不足。", "部分指标未达到预期，宣传不足。")
    assert rules_of(run(admitted), "claim.contradiction_unclear")


def test_a_claim_said_of_some_of_the_items_is_no_claim_about_the_whole():
    pattern, example, counterexample = claims.SOME_ITEMS
    assert pattern.search(example) and not pattern.search(counterexample)
    body = "一、资金\n项目资金预算200万元，预算执行率92.5%。{who}全额支付，其余项目按进度支付。\n"
    assert not rules_of(run(body.format(who="其中，8个项目")), "claim.contradiction_unclear")
    assert rules_of(run(body.format(who="项目资金已")), "claim.contradiction_unclear")
