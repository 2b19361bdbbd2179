"""The re-scoring rules (auditlib.check.rules.rescoring): each 自评表 row's claimed score against the rule set's,
and what the rule set asks of a row. The formulas themselves are tested in tests/test_rescore.py."""

import pytest

from auditlib.check.rules import rescoring
from tests.rule_cases import assert_covers, fires, rule_set, self_evaluation_table

ROW = "| 产出指标 | 数量指标 | 培训人次 | ≥ | {target} | 人次 | {achieved} | {weight} | {score} | {reason} |"


def row(target="1000", achieved="1000", weight="20", score="20", reason="") -> str:
    return ROW.format(target=target, achieved=achieved, weight=weight, score=score, reason=reason)


def funds(spent="100", weight="10", rate="100%", score="10", reason="") -> str:
    return f"| 年度资金总额 | 100 | 100 | {spent} | {weight} | {rate} | {score} | {reason} |"


LONG_REASON = "原因" * 60


def department_form(score: str) -> str:
    """The department form (得分系数 × 指标权重 = 指标得分), tab-separated."""
    return ("部门整体支出绩效自评表\n"
            "指标名称\t计量单位\t指标性质\t年初指标值\t调整指标值\t全年完成值\t得分系数\t指标权重\t指标得分\t是否核心指标\n"
            f"人均经费\t万元\t≤\t2\t\t2.2\t0.90\t20\t{score}\t否\n")
def unscored_form(reason: str) -> str:
    """The transfer payment's form: indicators with a reason column and no points."""
    return ("区域绩效目标自评表\n| 一级指标 | 二级指标 | 三级指标 | 指标值 | 全年实际完成值 | 未完成原因分析 |\n"
            f"| 产出指标 | 数量指标 | 培训人次 | ≥1000人次 | 800人次 | {reason} |\n")


CASES = [
    # rule, fires on, quiet on, rule set
    ("score.execution_points", self_evaluation_table(row(), funds=funds("85", rate="85%", score="10", reason="已说明")),
     self_evaluation_table(row(), funds=funds("85", rate="85%", score="8.5", reason="已说明")), "national"),
    ("weights.execution_points", self_evaluation_table(row(), funds=funds(weight="20", score="20")),
     self_evaluation_table(row()), "national"),
    ("score.full_but_missed", self_evaluation_table("| 产出指标 | 质量指标 | 合格率 | ≥ | 95% | | 94.96% | 10 | 10 | |"),
     self_evaluation_table("| 产出指标 | 质量指标 | 合格率 | ≥ | 95% | | 95% | 10 | 10 | |"), "national"),
    ("score.item_mismatch", self_evaluation_table(row(achieved="800", score="18", reason="部分培训延期")),
     self_evaluation_table(row(achieved="800", score="16", reason="部分培训延期")), "national"),
    ("score.item_unclear", self_evaluation_table("| 产出指标 | 数量指标 | 培训人次 | | 1000人次 | | 800人次 | 20 | 18 | 部分培训延期 |"),
     self_evaluation_table("| 产出指标 | 数量指标 | 培训人次 | | 1000人次 | | 800人次 | 20 | 16 | 部分培训延期 |"), "national"),
    # ≤ scored target ÷ result (10 ÷ 12.5 × 20 = 16), where the national rule deducts linearly (15): which formula?
    ("score.item_variant", self_evaluation_table("| 产出指标 | 时效指标 | 办结时限 | ≤ | 10天 | 天 | 12.5天 | 20 | 16 | 时限延长 |"),
     self_evaluation_table("| 产出指标 | 时效指标 | 办结时限 | ≤ | 10天 | 天 | 12.5天 | 20 | 15 | 时限延长 |"), "national"),
    ("score.coefficient_mismatch", department_form("17"), department_form("18"), "national"),
    ("score.deduct_no_reason", self_evaluation_table(row(achieved="800", score="16")),
     self_evaluation_table(row(achieved="800", score="16", reason="部分培训延期")), "national"),
    ("score.met_below_weight", self_evaluation_table(row(score="18")), self_evaluation_table(row()), "national"),
    ("score.item_below", self_evaluation_table(row(score="18", reason="培训质量有待提高")),
     self_evaluation_table(row(reason="培训质量有待提高")), "national"),
    ("score.execution_no_reason", self_evaluation_table(row(), funds=funds("85", rate="85%", score="8.5")),
     self_evaluation_table(row(), funds=funds("85", rate="85%", score="8.5", reason="项目延期")), "sichuan"),
    ("score.reason_too_long", self_evaluation_table(row(score="18", reason=LONG_REASON)),
     self_evaluation_table(row(score="18", reason="培训质量有待提高")), "sichuan"),
    ("indicator.over_achieved", self_evaluation_table(row(target="100", achieved="120")),
     self_evaluation_table(row(target="100", achieved="119")), "national"),
    ("indicator.zero_weight", self_evaluation_table(row(weight="0", score="0")), self_evaluation_table(row()), "national"),
    ("indicator.no_target", self_evaluation_table(row(target="")), self_evaluation_table(row()), "national"),
    ("indicator.missed_no_reason", unscored_form(""), unscored_form("部分培训延至下年"), "national"),
]


def test_the_cases_cover_every_rescoring_rule():
    assert_covers(rescoring, CASES)


@pytest.mark.parametrize("rule, firing, quiet, rules", CASES, ids=[case[0] for case in CASES])
def test_each_rule_fires_and_stays_quiet(rule, firing, quiet, rules):
    params = rule_set(rules)
    assert fires(rule, firing, params, whole=True) and not fires(rule, quiet, params, whole=True)


def test_the_key_figure_of_the_serious_rescoring_rules_is_the_recomputed_score():
    flagged = {rule.id for rule in rescoring.RULES if rule.figure == "recomputed"}
    assert flagged == {rule.id for rule in rescoring.RULES if rule.severity in ("high", "medium")}


def scoring_sheet(criteria: str, score: str) -> str:
    """An older scoring sheet (决策 / 过程 / 产出 / 效益): budget execution is one of its items, the rate in the head."""
    return ("某县农业农村局项目支出绩效评价指标体系评分表\n项目基本情况：项目预算40万元，实际支出32万元，预算执行率80%，"
            "原因是部分工程延至次年结算。\n"
            "| 一级指标 | 二级指标 | 三级指标 | 评分标准 | 分值 | 得分 |\n"
            "| 决策 | 项目立项 | 立项依据充分性 | 依据充分得满分 | 20 | 20 |\n"
            f"| 过程 | 资金管理 | 预算执行率 | {criteria} | 5 | {score} |\n"
            "| 产出 | 产出数量 | 完成养护里程 | 完成值达到目标值得满分 | 75 | 75 |\n"
            f"| 合计 | | | | 100 | {95 + float(score):g} |\n")


@pytest.mark.parametrize("criteria, score, fires_", [
    ("得分=预算执行率×分值，最高不超过分值", "5", True),
    ("得分=预算执行率×分值，最高不超过分值", "4", False),
    ("按预算执行率比例计分", "4.8", True),
    # a step rule beside the formula, or no formula at all: the sheet's own rule is not the proportional one
    ("得分=预算执行率×分值，执行率低于60%不得分，每降低1个百分点扣0.2分", "5", False),
    ("执行率达到95%以上得满分", "5", False),
])
def test_a_scoring_sheets_execution_item_is_rescored_where_its_row_writes_the_proportional_formula(criteria, score,
                                                                                                 fires_):
    from auditlib import extract, parse_bytes
    from auditlib.check import check

    result = check(extract(parse_bytes(scoring_sheet(criteria, score).encode())))
    found = [f for f in result.findings if f.rule == "score.execution_points"]
    assert bool(found) == fires_
    if fires_:
        assert found[0].severity == "high" and "按本表评分标准应得" in found[0].message
        assert "min(5，执行率80%×5)＝4" in found[0].message
    # the sheet's own 5 points are its own (no low "other than the rule set's"), and its total moves by the item alone
    assert not [f for f in result.findings if f.rule == "weights.execution_points"]
    if fires_:
        assert result.rescoring.recomputed_total == 99


def test_execution_points_scored_by_the_written_rate_rounded_are_right():
    # 340.99 ÷ 400 = 85.2475%, written 85.25%; 85.25% × 10 = 8.525, written 8.53 (8.52 by the amounts)
    form = self_evaluation_table(row(), funds="| 年度资金总额 | 400 | 400 | 340.99 | 10 | 85.25% | 8.53 | 已说明 |")
    assert not fires("score.execution_points", form, rule_set("national"), whole=True)
    assert fires("score.execution_points", form.replace("| 8.53 |", "| 8.6 |"), rule_set("national"), whole=True)
