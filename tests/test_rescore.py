"""Re-scoring a self-evaluation table under its rule set: the formulas, the rules they make possible, the rule-set
files and how a unit names one."""

from __future__ import annotations

import pytest

from auditlib.check import CheckParams, check
from auditlib.check.rescore import (at_least_score, at_most_linear_score, at_most_ratio_score, execution_score,
                                    rescore)
from auditlib.errors import ParamsError
from auditlib.extract import extract, read_measure
from auditlib.extract.scores import LEVEL_CELLS, LEVEL_WORDS
from auditlib.ingest import parse_bytes
from auditlib.rulesets import RuleSetError, load_rule_set, read_rule_set, rule_set_names
from auditlib.vocabulary import COMPARATORS, DIRECTION_CELLS

PLANTED = "self_evaluation_table_planted_errors"
FUNDS_HEADER = "| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 | 原因 |"
INDICATOR_HEADER = ("| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 年度指标值 | 度量单位 | 实际完成值 | 分值 | 得分 "
                    "| 偏差原因分析及改进措施 |")


def params(name: str = "national") -> CheckParams:
    return CheckParams(rule_set=load_rule_set(name))


def table(*indicator_rows: str, funds: str = "| 年度资金总额 | 100 | 100 | 100 | 10 | 100% | 10 | |",
          after: str = "") -> str:
    return "\n".join(["清河县民政局项目支出绩效自评表", "（2023年度）", FUNDS_HEADER, funds, INDICATOR_HEADER,
                      *indicator_rows, after]) + "\n"


def findings(text: str, rule_set: str = "national"):
    return check(extract(parse_bytes(text.encode("utf-8"))), params(rule_set)).findings


def rules_of(text: str, rule_set: str = "national") -> list[str]:
    return sorted(f.rule for f in findings(text, rule_set))


# --- the planted national table (tests/fixtures/self_evaluation_table_planted_errors.txt) ---


def test_planted_errors_give_exactly_the_planted_findings(fixture_path):
    from auditlib import extract_path

    result = check(extract_path(fixture_path(PLANTED)), params())
    found = [(f.rule, f.line) for f in result.findings]
    assert found == [
        ("score.execution_points", 6),  # 10 points at 85% (the formula gives 8.5)
        ("score.full_but_missed", 8),  # 2700 of ≥3000 人次 scored in full, no reason
        ("score.full_but_missed", 9),  # ≤2% 投诉率 at 2.5% scored in full
        ("weights.not_100", 15),  # weights total 105
        ("rate.low", 6),  # 85% is below 90%: the national rule asks the report to explain it
    ]
    points = result.findings[0]
    assert (points.expected, points.stated) == (8.5, 10.0)
    assert "min(10，执行数170÷预算数200×10)＝8.5" in points.message and "170.00" in points.evidence
    at_most = result.findings[2]
    assert at_most.expected == 11.25 and "（1－(2.5%－2%)÷2%）×15＝11.25" in at_most.message
    rescoring = result.rescoring
    assert (rescoring.claimed_total, rescoring.claimed_grade) == (96.44, "优")
    assert (rescoring.recomputed_total, rescoring.recomputed_grade) == (89.19, "良")
    assert rescoring.not_rescored == [] and len(rescoring.rows) == 8


def test_the_same_table_under_the_sichuan_rule_set_asks_for_the_low_rate_reason(fixture_path):
    from auditlib import extract_path

    result = check(extract_path(fixture_path(PLANTED)), params("sichuan"))
    assert [f.rule for f in result.findings if f.rule.startswith("score.")] == [
        "score.execution_points", "score.full_but_missed", "score.full_but_missed", "score.execution_no_reason"]
    assert (result.rescoring.recomputed_total, result.rescoring.recomputed_grade) == (89.19, "良")


def test_the_same_table_under_the_city_rule_set_gives_its_numbers(fixture_path):
    from auditlib import extract_path

    result = check(extract_path(fixture_path(PLANTED)), params("city_20_80"))
    rows = {row.name: row for row in result.rescoring.rows}
    assert rows["服务投诉率"].recomputed == 12.0  # ≤ as target ÷ achieved: 2 ÷ 2.5 × 15
    assert (result.rescoring.recomputed_total, result.rescoring.recomputed_grade) == (89.94, "优")  # 优 from 80
    assert not any(f.rule == "score.execution_no_reason" for f in result.findings)
    [weight] = [f for f in result.findings if f.rule == "weights.execution_points"]  # the city form gives it 20
    assert (weight.severity, weight.expected, weight.stated) == ("low", 20.0, 10.0)


# --- the formulas, at their edges ---


@pytest.mark.parametrize("achieved, target, expected", [(100, 100, 20), (101, 100, 20), (99, 100, 19.8), (0, 100, 0),
                                                         (5, 0, 20)])
def test_at_least(achieved, target, expected):
    assert at_least_score(achieved, target, 20) == pytest.approx(expected)


@pytest.mark.parametrize("achieved, target, expected", [(30, 30, 10), (29, 30, 10), (33, 30, 9), (60, 30, 0),
                                                         (90, 30, 0), (0, 0, 10), (1, 0, 0)])
def test_at_most_linear_reaches_zero_at_twice_the_target(achieved, target, expected):
    assert at_most_linear_score(achieved, target, 10) == pytest.approx(expected)


@pytest.mark.parametrize("achieved, target, expected", [(30, 30, 10), (40, 30, 7.5), (60, 30, 5)])
def test_at_most_ratio(achieved, target, expected):
    assert at_most_ratio_score(achieved, target, 10) == pytest.approx(expected)


@pytest.mark.parametrize("rate, expected", [(1.0, 10), (1.2, 10), (0.855, 8.55), (0.0, 0)])
def test_execution_points_are_capped_at_the_weight(rate, expected):
    assert execution_score(rate, 10) == pytest.approx(expected)


@pytest.mark.parametrize("score, flagged", [("8.5", False), ("9", False), ("9.5", True), ("10", True), ("8.4", True)])
def test_execution_points_at_the_rounding_edge(score, flagged):
    # 85% stands for 84.5–85.5%; a score written 9 stands for 8.5–9.5, so it may be 8.5 rounded up.
    text = table("| 产出指标 | 数量指标 | 培训人次 | ≥ | 100 | 人次 | 100 | 90 | 90 | |",
                 funds=f"| 年度资金总额 | 100 | 100 | 85 | 10 | 85% | {score} | 已说明 |")
    assert ("score.execution_points" in rules_of(text)) is flagged


def test_a_missed_target_scored_in_full_however_close_the_miss():
    # ≥95%: 94.96% stands for 94.955–94.965%, short of 95% (the formula's 9.996 would round to 10, but full
    # marks say the target was met); 95% or more is met.
    text = table("| 产出指标 | 质量指标 | 合格率 | ≥ | 95% | | 94.96% | 10 | 10 | |")
    assert [r for r in rules_of(text) if r.startswith("score.")] == ["score.full_but_missed", "score.missing_unended"]  # a table alone shows no end: the absent score is a question
    for achieved in ("95%", "95.0%", "96%"):
        text = table(f"| 产出指标 | 质量指标 | 合格率 | ≥ | 95% | | {achieved} | 10 | 10 | |")
        assert [r for r in rules_of(text) if r.startswith("score.")] == ["score.missing_unended"]


def test_an_equal_indicator_with_target_zero_is_full_only_at_zero():
    text = table("| 产出指标 | 质量指标 | 安全事故 | = | 0 | 起 | 1 | 10 | 10 | |")
    [finding] = [f for f in findings(text) if f.rule.startswith("score.") and not f.rule.startswith("score.missing")]  # missing_unended too
    assert finding.rule == "score.full_but_missed" and finding.expected == 0


# --- the rules the table makes possible ---


def test_a_score_above_the_formula_when_partly_deducted():
    text = table("| 产出指标 | 数量指标 | 培训人次 | ≥ | 1000 | 人次 | 800 | 20 | 18 | 部分培训延期 |")
    [finding] = [f for f in findings(text) if f.rule.startswith("score.") and not f.rule.startswith("score.missing")]  # missing_unended too
    assert (finding.rule, finding.severity, finding.expected, finding.stated) == ("score.item_mismatch", "high", 16.0, 18.0)


def test_an_assumed_nature_is_a_question_not_a_contradiction():
    text = table("| 产出指标 | 数量指标 | 培训人次 | | 1000人次 | | 800人次 | 20 | 18 | 部分培训延期 |")
    [finding] = [f for f in findings(text) if f.rule.startswith("score.") and not f.rule.startswith("score.missing")]  # missing_unended too
    assert (finding.rule, finding.severity) == ("score.item_unclear", "medium")


def test_a_deduction_without_a_reason():
    text = table("| 产出指标 | 数量指标 | 培训人次 | ≥ | 1000 | 人次 | 800 | 20 | 16 | |")
    assert [r for r in rules_of(text) if r.startswith("score.")] == ["score.deduct_no_reason", "score.missing_unended"]


def test_a_target_met_but_scored_below_its_weight_with_no_reason():
    text = table("| 产出指标 | 数量指标 | 培训人次 | ≥ | 1000 | 人次 | 1000 | 20 | 18 | |")
    assert [r for r in rules_of(text) if r.startswith("score.")] == ["score.met_below_weight", "score.missing_unended"]
    with_reason = table("| 产出指标 | 数量指标 | 培训人次 | ≥ | 1000 | 人次 | 1000 | 20 | 18 | 培训质量有待提高 |")
    [finding] = [f for f in findings(with_reason) if f.rule.startswith("score.") and not f.rule.startswith("score.missing")]  # missing_unended too
    assert (finding.rule, finding.severity) == ("score.item_below", "low")


def test_qualitative_levels_score_in_bands():
    full = table("| 效益指标 | 社会效益指标 | 服务水平 | 定性 | 明显提升 | | 部分达成 | 10 | 10 | 仍有差距 |")
    [finding] = [f for f in findings(full) if f.rule.startswith("score.") and not f.rule.startswith("score.missing")]  # missing_unended too
    assert finding.rule == "score.item_unclear" and "6～8" in finding.message
    assert [r for r in rules_of(full.replace("| 10 | 10 |", "| 10 | 7.5 |")) if r.startswith("score.")] == ["score.missing_unended"]


def test_rows_that_cannot_be_rescored_are_counted_with_the_reason():
    text = table("| 效益指标 | 社会效益指标 | 营商环境 | | 明显改善 | | 有所改善 | 10 | 9 | 仍需努力 |",
                 "| 产出指标 | 时效指标 | 完成时间 | | 2023年12月底前 | | 12月底前 | 10 | 10 | |",
                 "| 产出指标 | 数量指标 | 宣传次数 | ≥ | | 次 | 5 | 10 | 10 | |")
    result = check(extract(parse_bytes(text.encode())), params())
    skipped = {row.name: row.not_rescored for row in result.rescoring.not_rescored}
    assert skipped == {"营商环境": "定性指标未写明达成程度", "完成时间": "定性指标未写明达成程度", "宣传次数": "未写指标值"}
    assert result.rescoring.summary()["not_rescored"] == 3
    assert "indicator.no_target" in [f.rule for f in result.findings]


def test_over_achievement_and_zero_weight():
    text = table("| 产出指标 | 数量指标 | 培训人次 | ≥ | 100 | 人次 | 120 | 20 | 20 | |",
                 "| 产出指标 | 数量指标 | 宣传次数 | ≥ | 10 | 次 | 11.9 | 0 | 0 | |")
    found = {f.rule: f for f in findings(text)}
    assert found["indicator.over_achieved"].severity == "low" and found["indicator.over_achieved"].stated == 1.2
    assert found["indicator.zero_weight"].line == 7
    text = table("| 产出指标 | 数量指标 | 培训人次 | ≥ | 100 | 人次 | 119 | 20 | 20 | |")
    assert "indicator.over_achieved" not in rules_of(text)


def test_the_narrative_against_its_own_table():
    text = table("| 产出指标 | 数量指标 | 培训人次 | ≥ | 100 | 人次 | 100 | 90 | 88 | 质量一般 |",
                 after="| 总分 | | | | | | | 100 | 98 | |\n评价结论：项目全年预算120万元，执行率95%，自评得分95分，等级为优。")
    found = {f.rule: f for f in findings(text)}
    assert found["claim.vs_table"].severity == "high" and found["claim.vs_table"].stated == "95"
    money = [f for f in findings(text) if f.rule == "claim.vs_table_money"]
    assert {f.values["figure"] for f in money} == {"预算数", "预算执行率"}
    agreeing = text.replace("120万元，执行率95%，自评得分95分", "100万元，执行率100%，自评得分98分")
    assert not [r for r in rules_of(agreeing) if r.startswith("claim.")]


# --- word lists: a case for each entry ---


@pytest.mark.parametrize("word, nature", [(c.word, c.direction) for c in COMPARATORS])
def test_each_comparison_word_is_read(word, nature):
    measure = read_measure(f"{word}95%")
    assert measure.comparison == nature and measure.quantity.value == 0.95


@pytest.mark.parametrize("word, level", LEVEL_WORDS + tuple(LEVEL_CELLS.items()))
def test_each_qualitative_result_word_is_read(word, level):
    assert read_measure(word if word not in ("无",) else "无").level == level if word != "无" else \
        read_measure(word) is None


@pytest.mark.parametrize("cell, nature", DIRECTION_CELLS.items())
def test_each_nature_cell_is_read(cell, nature):
    text = table(f"| 产出指标 | 数量指标 | 培训人次 | {cell} | 100 | 人次 | 100 | 90 | 90 | |")
    [indicator] = extract(parse_bytes(text.encode())).indicators
    assert (indicator.nature, indicator.nature_source) == (nature, "column")


@pytest.mark.parametrize("cell, value, decimals, unit", [
    ("1,500人", 1500, 0, "人"), ("≥95.5%", 0.955, 3, "%"), ("100万元以内", 100, 0, "万元"), ("0起", 0, 0, "起"),
    ("不超过30个工作日", 30, 0, "个工作日")])
def test_values_keep_their_units_and_precision(cell, value, decimals, unit):
    measure = read_measure(cell)
    assert (measure.quantity.value, measure.quantity.decimals, measure.unit) == (value, decimals, unit)


@pytest.mark.parametrize("cell", ["12月底前", "2023年", "5000吨稻谷、500吨成品粮"])
def test_dates_and_lists_are_not_values(cell):
    assert read_measure(cell).quantity is None


def test_a_table_one_cell_per_line_is_rescored(fixture_path):
    from auditlib import extract_path

    rescoring = rescore(extract_path(fixture_path("national_self_evaluation_table")), params())
    assert [row.name for row in rescoring.rows] == ["预算执行率", "受益学生人数", "食品安全事故", "学生营养状况改善",
                                                    "家长满意度"]
    assert (rescoring.claimed_total, rescoring.recomputed_total) == (94.5, 94.48)


# --- rule-set files ---


def test_the_shipped_rule_sets_load():
    assert {"national", "sichuan", "city_20_80"} <= set(rule_set_names())
    national = load_rule_set()
    assert (national.total_points, national.execution_points, national.grade_for(89.99)) == (100, 10, "良")
    assert load_rule_set("city_20_80").grade_for(80) == "优"


@pytest.mark.parametrize("text, words", [
    ("id: [unclosed", "不是有效的 YAML"),
    ("!!python/object/apply:os.system ['echo hi']", "不是有效的 YAML"),
    ("- a list", "应为键值对"),
    ("id: x\n", "缺少"),
    ("[" * 5000 + "]" * 5000, "嵌套过深|不是有效的 YAML"),
    ("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "未知的键 a, b, c"),
    ("x: " + "y" * 70000, "过大"),
])
def test_a_broken_rule_set_file_is_one_clear_error(tmp_path, text, words):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleSetError, match=words):
        read_rule_set(path)


@pytest.mark.parametrize("change, words", [
    (("points: 10", "points: 30"), "应等于总分"),
    (("formula: proportional", "formula: __import__"), "应为 proportional"),
    (("{grade: 良, from: 80}", "{grade: 良, from: 95}"), "递减"),
    (("over_achievement: 1.2", "over_achievement: .nan"), "over_achievement"),
    (("达成: [0.8, 1.0]", "达成: [1.0, 0.8]"), "下限不能高于上限"),
    (("total_points: 100", "total_points: 100\nextra: 1"), "未知的键 extra"),
])
def test_a_wrong_value_names_the_field(tmp_path, change, words):
    from importlib import resources

    text = (resources.files("auditlib.rulesets") / "national.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "mine.yaml"
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(RuleSetError, match=words):
        read_rule_set(path)


def test_a_rule_set_is_named_never_given_as_a_path():
    for name in ("../../etc/passwd", "nowhere"):
        with pytest.raises(RuleSetError):
            load_rule_set(name)


def test_a_project_rule_set_is_found_beside_params(tmp_path):
    from importlib import resources

    text = (resources.files("auditlib.rulesets") / "national.yaml").read_text(encoding="utf-8")
    (tmp_path / "mine.yaml").write_text(text.replace("id: national", "id: mine").replace("{grade: 优, from: 90}",
                                                                                         "{grade: 优, from: 90, above: true}"),
                                        encoding="utf-8")
    mine = load_rule_set("mine", [tmp_path])
    assert mine.id == "mine" and mine.grade_for(90) == "良" and mine.grade_for(90.5) == "优"


def test_params_name_a_rule_set_and_thresholds_override_it(tmp_path):
    from auditlib.params import load_params

    path = tmp_path / "x-2023.yaml"
    path.write_text("unit: x\nyear: 2023\nreport_path: data/x.txt\nrule_set: city_20_80\n", encoding="utf-8")
    assert load_params(path).rule_set == "city_20_80"
    path.write_text("unit: x\nyear: 2023\nreport_path: data/x.txt\n", encoding="utf-8")
    assert load_params(path).rule_set == "national"
    path.write_text("unit: x\nyear: 2023\nreport_path: data/x.txt\nrule_set: ../secret\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="rule_set"):
        load_params(path)
    city = CheckParams.from_mapping({"grade_excellent": 85}, load_rule_set("city_20_80"))
    assert (city.grade_excellent, city.grade_good, city.budget_execution_points) == (85, 70, 20)


def test_cli_refuses_a_broken_rule_set_with_exit_2(tmp_path, fixture_path, capsys):
    from auditlib.cli import main

    path = tmp_path / "broken.yaml"
    path.write_text("grades: [", encoding="utf-8")
    assert main(["check", str(fixture_path(PLANTED)), "--rule-set", str(path)]) == 2
    error = capsys.readouterr().err
    assert "规则集文件不是有效的 YAML" in error and "Traceback" not in error
    assert main(["check", str(fixture_path(PLANTED)), "--rule-set", "sichuan"]) == 0
    assert "score.execution_no_reason" in capsys.readouterr().out


# --- what the record, the memo and the index show ---


def test_record_memo_and_index_show_the_rescoring(fixture_path, tmp_path):
    from auditlib.pipeline import audit
    from auditlib.record import AuditRecord
    from auditlib.render.memo import Memo
    from auditlib.render.portfolio import Portfolio

    memo = Memo(audit(fixture_path(PLANTED), unit="qingyuan", year=2023), tmp_path)
    record = AuditRecord.from_dict(memo.record.to_dict())  # as the store and the index read it
    assert (record.rule_set, record.recomputed_score, record.recomputed_grade) == ("national", 89.19, "良")
    assert (record.claimed_table_score, record.score_excess, record.not_rescored_rows) == (96.44, 7.25, 0)
    recomputed = record.figure("recomputed")
    assert recomputed.flagged and "高出 7.25 分" in recomputed.reviewed
    html = memo.html("rescoring")
    assert "89.19分" in html and "96.44分" in html and "等级 良" in html and "未复核0行" in html
    assert "2700÷3000×20＝18" in html and 'href="#f-2"' in html
    other = AuditRecord.from_dict({**record.to_dict(), "unit": "other", "unit_name": "另一单位", "memo": "other-2023.html",
                                   "claimed_table_score": 90.0, "recomputed_score": 89.0})
    index = Portfolio("总览", [other, record], tmp_path)
    ranking = index.html("rescoring")
    assert ranking.index("清源县民政局") < ranking.index("另一单位")  # 7.25 above its recomputed score before 1
    assert "复核得分" in index.html("table") and "89.19" in index.html("table")


def test_a_table_that_cannot_be_rescored_says_so(fixture_path, tmp_path):
    from auditlib.pipeline import audit
    from auditlib.render.memo import Memo

    memo = Memo(audit(fixture_path("project_report_minimal"), unit="x", year=2022), tmp_path)
    assert "没有可复核的自评表" in memo.html("rescoring") and memo.record.recomputed_score is None


def test_score_items_of_a_table_with_a_nature_column_are_named_by_the_third_level():
    text = table("| 产出指标 | 数量指标 | 培训人次 | ≥ | 100 | 人次 | 100 | 45 | 45 | |",
                 "| | 质量指标 | 合格率 | ≥ | 95% | | 97% | 45 | 45 | |")
    items = extract(parse_bytes(text.encode())).score_items
    assert [item.name for item in items] == ["预算执行率", "培训人次", "合格率"]


def test_an_indicator_table_short_of_the_total_gives_rows_but_no_total():
    # No 总分 row, no budget-execution row, weights 60 of 100: the rows are re-scored, but their sum is part of a
    # score, not a total to grade.
    text = ("2030年度项目支出绩效自评报告\n三、绩效指标完成情况\n"
            "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分\n"
            "产出指标 | 数量指标 | 培训人次 | ≥500人次 | 400人次 | 30 | 30\n"
            "满意度指标 | 服务对象满意度 | 学员满意度 | ≥90% | 95% | 30 | 30\n"
            "六、自评结论\n自评得分96分。\n")
    result = check(extract(parse_bytes(text.encode())))
    rescoring = result.rescoring
    assert [row.recomputed for row in rescoring.rows if row.rescored] == [24, 30]
    assert rescoring.recomputed_total is None and rescoring.recomputed_grade is None
