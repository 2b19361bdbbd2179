"""The score rules (auditlib.check.rules.scores): sums, totals, grades, the cap, the overall score."""

import pytest

from auditlib.check import CheckParams
from auditlib.check.rules import scores
from auditlib import extract, parse_bytes
from tests.rule_cases import HEAD, assert_covers, fires, rules_of, run

SCORE_TABLE = "三、自评结论\n评价指标\t分值\t得分\t综合评价\n一、产出\t60\t55\t优\n1. 甲\t30\t28\n2. 乙\t30\t27\n二、效益\t40\t36\t优\n1. 丙\t40\t36\n综合绩效\t100\t91\t优\n"

# Spending stated line by line and never summed: the headline rate (22 ÷ 40 = 55%, cap 95.5) is derived.
SUMMED = ("一、投入\n会务经费预算40万元，分以下2个二级项目：年会20万元、培训20万元。\n二、过程\n"
          "1、年会预算20万元，实际支出10万元。\n2、培训预算20万元，实际支出12万元。\n三、结论\n自评得分{score}分。\n"
          "2022年3月1日\n")
CASES = [
    ("score.sum_mismatch", SCORE_TABLE.replace("2. 乙\t30\t27", "2. 乙\t35\t26"), SCORE_TABLE),
    ("score.sum_in_headings", "一、投入（分值18分）\n（一）立项（分值10分）\n已立项。\n（二）资金（分值10分）\n已到位。\n二、过程（分值30分）\n",
     "一、投入（分值20分）\n（一）立项（分值10分）\n已立项。\n（二）资金（分值10分）\n已到位。\n二、过程（分值30分）\n"),
    ("weights.not_100_unclear", "一、评价方法\n本项目设投入（7分），过程（24分），产出（57分），效益（10分）四个一级指标。\n",
     "一、评价方法\n本项目设投入（10分），过程（20分），产出（50分），效益（20分）四个一级指标。\n"),
    ("weights.not_100", "一、评价方法\n整个指标体系分为投入（7分），过程（24分），产出（57分），效益（10分）。\n",
     "一、评价方法\n指标体系分为投入（10分），过程（20分），产出（50分），效益（20分）。\n"),
    ("grade.mismatch", "三、结论\n自评得分85分，综合评价结论为优。\n", "三、结论\n自评得分90分，综合评价结论为优。\n"),
    ("score.above_cap", "一、资金\n预算安排专项经费 88.50 万元，实际支出 64.61 万元。\n二、结论\n自评得分 98.5 分。\n",
     "一、资金\n预算安排专项经费 88.50 万元，实际支出 64.61 万元。\n二、结论\n自评得分 97 分。\n"),
    ("score.above_total", "一、自评结论\n经自评，自评得分102.5分。\n", "一、自评结论\n经自评，自评得分99.5分。\n"),
    ("score.above_weight", SCORE_TABLE.replace("1. 甲\t30\t28", "1. 甲\t30\t31").replace("一、产出\t60\t55", "一、产出\t60\t58")
     .replace("综合绩效\t100\t91", "综合绩效\t100\t94"), SCORE_TABLE),
    ("score.above_cap_derived", SUMMED.format(score=99), SUMMED.format(score=95)),
    ("score.missing", "一、概况\n预算10万元。\n2022年3月1日\n", "一、结论\n自评得分92分。\n2022年3月1日\n"),
    ("score.missing_unended", "一、概况\n预算10万元。\n", "一、概况\n预算10万元。\n2022年3月1日\n"),
    ("score.missing_attached", "一、概况\n预算10万元。\n2022年3月1日\n附件2\n",
     "一、概况\n预算10万元。\n2022年3月1日\n"),
]


def test_the_cases_cover_every_score_rule():
    assert_covers(scores, CASES)


@pytest.mark.parametrize("rule, firing, quiet", CASES, ids=[case[0] for case in CASES])
def test_each_rule_fires_and_stays_quiet(rule, firing, quiet):
    assert fires(rule, firing) and not fires(rule, quiet)


def test_a_consistent_score_table_raises_nothing():
    result = run(SCORE_TABLE, head="清河县档案馆部门整体支出绩效自评报告\n")
    assert not [f for f in result.findings if f.rule.startswith(("score", "grade", "weights"))]


def test_score_sum_mismatch_for_weights_and_scores():
    result = run(SCORE_TABLE.replace("2. 乙\t30\t27", "2. 乙\t35\t26"))
    messages = [f.message for f in rules_of(result, "score.sum_mismatch")]
    assert any("分值60与下级指标分值合计65" in m for m in messages)
    assert any("得分55与下级指标得分合计54" in m for m in messages)


def test_score_above_weight():
    [finding] = rules_of(run(SCORE_TABLE.replace("1. 甲\t30\t28", "1. 甲\t30\t31").replace("一、产出\t60\t55", "一、产出\t60\t58")
                             .replace("综合绩效\t100\t91", "综合绩效\t100\t94")), "score.above_weight")
    assert finding.stated == 31 and finding.expected == 30


def test_weights_not_100_in_prose_and_table():
    [finding] = rules_of(run("一、评价方法\n整个指标体系分为投入（7分），过程（24分），产出（57分），效益（10分）。\n"), "weights.not_100")
    assert finding.stated == 98
    assert not rules_of(run("一、评价方法\n指标体系分为投入（10分），过程（20分），产出（50分），效益（20分）。\n"), "weights.not_100")
    assert rules_of(run(SCORE_TABLE.replace("综合绩效\t100\t91", "综合绩效\t110\t91")), "weights.not_100")


def test_weights_of_a_table_are_high_only_with_its_total_row():
    """A table without its total row may have lost rows to a page break or the excerpt's end: a question, not high."""
    short = SCORE_TABLE.replace("1. 丙\t40\t36", "1. 丙\t30\t27").replace("二、效益\t40\t36", "二、效益\t30\t27")
    without_total = short.replace("综合绩效\t100\t91\t优\n", "")
    assert not rules_of(run(without_total), "weights.not_100")
    [question] = rules_of(run(without_total), "weights.not_100_unclear")
    assert (question.severity, question.stated) == ("low", 90)
    with_total = short.replace("综合绩效\t100\t91", "综合绩效\t90\t82")
    [finding] = rules_of(run(with_total), "weights.not_100")
    assert (finding.severity, finding.stated) == ("high", 90)


def test_grade_mismatch():
    assert rules_of(run("三、结论\n自评得分85分，综合评价结论为优。\n"), "grade.mismatch")
    assert not rules_of(run("三、结论\n自评得分90分，综合评价结论为优。\n"), "grade.mismatch")
    assert rules_of(run("三、结论\n自评得分89.9分，综合评价结论为优。\n"), "grade.mismatch")


def test_score_above_cap_from_execution_rate():
    body = "一、资金\n预算安排专项经费 88.50 万元，实际支出 64.61 万元。\n二、结论\n自评得分 98.5 分。\n"
    [finding] = rules_of(run(body), "score.above_cap")
    # 64.61/88.50 = 73.01%, read as at most 73.06%: the cap is 100 - 10 × (1 - 0.7306) = 97.31.
    assert finding.expected == pytest.approx(97.31, abs=0.01) and finding.stated == 98.5
    assert not rules_of(run(body.replace("98.5", "97")), "score.above_cap")
    assert not rules_of(run(body, CheckParams(budget_execution_points=5)), "score.above_cap")


def test_score_missing_only_for_self_evaluations():
    assert rules_of(run("一、概况\n预算10万元。\n特此报告。\n"), "score.missing")
    assert not rules_of(run("一、结论\n自评得分92分。\n"), "score.missing")
    not_one = run("一、收支\n收入1200万元。\n", head="清河县财政局2021年部门决算\n")
    assert not rules_of(not_one, "score.missing")
    assert [f.rule for f in not_one.findings] == ["document.not_self_evaluation"]


def test_a_grade_column_filled_on_its_first_row_alone_is_the_tables_grade():
    # A merged 评价等级 cell flattens to its first row: the 优 is the whole table's (86 + the rest), not 运行成本's.
    table = ("二、评价结论\n一级指标 | 分值 | 扣分 | 得分 | 评价等级\n运行成本 | 10 | 3 | 7 | 优\n"
             "管理效率 | 40 | 1 | 39 |\n履职效能 | 50 | 2 | 48 |\n合计 | 100 | 6 | 94 |\n")
    assert not rules_of(run(table), "grade.mismatch")
    assert extract(parse_bytes((HEAD + table).encode())).facts.grade == "优"
    assert rules_of(run(table.replace("管理效率 | 40 | 1 | 39 |", "管理效率 | 40 | 1 | 39 | 良")), "grade.mismatch")
