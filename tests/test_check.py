"""Every rule on small reports that must trigger it and that must not (rounding on both sides)."""

import pytest

from auditlib import extract, parse_bytes
from auditlib.check import CheckParams, RULES, catalogue_rows, check
from auditlib.check.interval import Interval
from auditlib.errors import ParamsError

HEAD = "清河县民政局2021年度项目支出绩效自评报告\n"


def run(body: str, params: CheckParams | None = None, head: str = HEAD):
    return check(extract(parse_bytes((head + body).encode())), params)


def rules_of(result, rule=None):
    return [f for f in result.findings if rule is None or f.rule == rule]


# --- interval arithmetic ---

def test_interval_arithmetic():
    a, b = Interval.around(3.97, 0.005), Interval.around(5, 0)
    assert (a / b).low == pytest.approx(0.793) and (a / b).high == pytest.approx(0.795)
    assert (a - b).low == pytest.approx(-1.035)
    assert Interval(0, 1).gap(Interval(1.5, 2)) == pytest.approx(0.5)
    assert Interval(0, 1).gap(Interval(0.5, 2)) == 0


# --- rates ---

def test_rate_over_100_stated():
    result = run("一、资金\n项目年初预算数为24.36万元，执行数为33.08万元，项目执行率135.8%。\n")
    [finding] = rules_of(result, "rate.over_100")
    assert finding.severity == "high" and finding.line == 3 and finding.section == "一"
    assert "135.8%" in finding.message and finding.stated == pytest.approx(1.358)
    assert "执行率135.8%" in finding.evidence
    assert not rules_of(result, "rate.mismatch")


def test_rate_over_100_computed_and_not_at_exactly_100():
    assert rules_of(run("一、资金\n预算10万元，实际支出12万元。\n"), "rate.over_100")
    assert not rules_of(run("一、资金\n预算10万元，实际支出10万元。\n"), "rate.over_100")
    assert not rules_of(run("一、资金\n预算资金10万元，实际支出10.00万元，执行率100%。\n"), "rate.over_100")


def test_rate_mismatch_is_rounding_aware():
    # 3.97 stands for 3.965..3.975, so 79.32% of 5 is consistent; 79.6% is not.
    ok = run("一、投入\n1、友好商会项目资金5万元，投入资金3.97万元，资金到位率79.32%。\n")
    assert not rules_of(ok, "rate.mismatch")
    bad = run("一、投入\n1、友好商会项目资金5万元，投入资金3.97万元，资金到位率79.6%。\n")
    [finding] = rules_of(bad, "rate.mismatch")
    assert "79.4%" in finding.message and finding.expected == pytest.approx(0.794)


def test_rate_mismatch_just_inside_and_just_outside_rounding():
    # 44.9/48 = 93.54%; 93.5% (±0.05) overlaps 44.85/48..44.95/48 = 93.44..93.65%; 93.3% does not.
    assert not rules_of(run("一、资金\n预算48万元，实际支出44.9万元，执行率93.5%。\n"), "rate.mismatch")
    assert rules_of(run("一、资金\n预算48万元，实际支出44.9万元，执行率93.3%。\n"), "rate.mismatch")


def test_rate_low_and_threshold_parameter():
    result = run("一、资金\n预算10万元，实际支出7.3万元。\n")
    [finding] = rules_of(result, "rate.low")
    assert finding.severity == "medium" and "73%" in finding.message
    assert not rules_of(run("一、资金\n预算10万元，实际支出9万元。\n"), "rate.low")
    assert not rules_of(run("一、资金\n预算10万元，实际支出7.3万元。\n", CheckParams(low_execution_rate=0.7)), "rate.low")


def test_a_funding_rate_on_received_money_is_not_an_execution_rate():
    result = run("一、资金\n预算资金共计48万，到位48万，资金到位率100%。\n")
    assert not rules_of(result, "rate.low") and not rules_of(result, "rate.mismatch")


# --- totals ---

def test_main_drivers_of_a_change_that_do_not_add_up_are_a_low_question():
    # 主要是 names the main drivers, not necessarily all: a gap is worth a question, not a high finding.
    result = run("一、预算\n支出较去年增加23.74万元，主要是基本支出减少44.99万元，项目支出增加68.71万元。\n")
    assert not rules_of(result, "sum.mismatch")
    [finding] = rules_of(result, "sum.unclear")
    assert finding.severity == "low" and "请核实" in finding.message
    assert finding.stated == 23.74 and finding.expected == pytest.approx(23.72)
    assert finding.tolerance == pytest.approx(0.015)


def test_a_list_worded_as_complete_that_falls_short_is_a_high_mismatch():
    result = run("一、预算\n年初预算30.00万元，分别为办公费12.00万元、会议费8.00万元、培训费7.00万元。\n")
    [finding] = rules_of(result, "sum.mismatch")
    assert finding.severity == "high" and finding.stated == 30 and finding.expected == pytest.approx(27)


def test_parts_above_their_total_are_a_high_mismatch_under_any_wording():
    result = run("一、预算\n年初预算30.00万元，其中办公费22.00万元，会议费9.00万元。\n")
    [finding] = rules_of(result, "sum.mismatch")
    assert finding.expected == pytest.approx(31)


def test_a_qizhong_list_that_names_only_some_parts_is_not_a_mismatch():
    result = run("一、预算\n年初预算30.00万元，其中办公费12.00万元，会议费8.00万元。\n")
    assert not rules_of(result, "sum.mismatch")
    assert [f.severity for f in rules_of(result, "sum.unclear")] == ["low"]


def test_sum_within_rounding_of_a_one_decimal_total_is_consistent():
    # 258.5 stands for 258.45..258.55; the parts add to 258.51.
    text = "一、收入\n实际收到拨款收入258.5万元，其中：一般公共服务224.38万元，教育0万元，社会保障和就业17.85万元，卫生健康支出7.10万元，住房保障9.18万元。\n"
    assert not rules_of(run(text), "sum.mismatch")
    assert not rules_of(run(text.replace("258.5万元", "258.50万元")), "sum.mismatch")  # 4 parts × ±0.005
    assert rules_of(run(text.replace("9.18万元", "9.28万元")), "sum.mismatch")  # 258.61 is beyond 258.55


def test_a_single_smaller_part_is_an_example_not_a_total():
    assert not rules_of(run("一、支出\n支出总额100万元，其中人员经费60万元。\n"), "sum.mismatch")


def test_count_mismatch():
    text = "一、投入\n一级项目文化经费 30 万元分以下 3 个二级项目：演出经费 10 万元、培训经费 20 万元。\n"
    [finding] = rules_of(run(text), "count.mismatch")
    assert (finding.stated, finding.expected) == (3, 2)
    assert not rules_of(run(text), "sum.mismatch")


def test_balance_mismatch():
    assert not rules_of(run("一、资金\n预算资金共计48万元，实际使用44.9万元，节余3.1万元。\n"), "balance.mismatch")
    [finding] = rules_of(run("一、资金\n预算资金共计48万元，实际使用44.9万元，节余3.5万元。\n"), "balance.mismatch")
    assert finding.expected == pytest.approx(3.1)


def test_budget_large_change():
    text = "一、预算\n年初预算数100万元。实际收到拨款收入125万元。\n"
    [finding] = rules_of(run(text), "budget.large_change")
    assert "25%" in finding.message
    assert not rules_of(run(text.replace("125万元", "115万元")), "budget.large_change")
    assert not rules_of(run(text, CheckParams(large_change=0.3)), "budget.large_change")


# --- scores ---

SCORE_TABLE = "三、自评结论\n评价指标\t分值\t得分\t综合评价\n一、产出\t60\t55\t优\n1. 甲\t30\t28\n2. 乙\t30\t27\n二、效益\t40\t36\t优\n1. 丙\t40\t36\n综合绩效\t100\t91\t优\n"


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
    assert rules_of(run("一、概况\n预算10万元。\n"), "score.missing")
    assert not rules_of(run("一、结论\n自评得分92分。\n"), "score.missing")
    not_one = run("一、收支\n收入1200万元。\n", head="清河县财政局2021年部门决算\n")
    assert not rules_of(not_one, "score.missing")
    assert [f.rule for f in not_one.findings] == ["document.not_self_evaluation"]


# --- structure and text ---

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


def test_claim_contradiction_needs_a_top_claim():
    body = "一、管理\n制度执行有效性：执行过程中未严格按照制度执行，执行不到位。\n二、结论\n综合评价结论为{grade}。\n"
    [finding] = rules_of(run(body.format(grade="优")), "claim.contradiction")
    assert finding.line == 3 and "未严格按照制度执行" in finding.message
    assert not rules_of(run(body.format(grade="良")), "claim.contradiction")
    heading_only = run("一、绩效\n（一）项目绩效目标未完成情况及原因分析\n无。\n二、结论\n综合评价结论为优。\n")
    assert not rules_of(heading_only, "claim.contradiction")


# --- the catalogue ---

def test_catalogue_is_complete_and_described():
    ids = {row["id"] for row in catalogue_rows()}
    required = {"rate.over_100", "rate.mismatch", "rate.low", "sum.mismatch", "balance.mismatch", "score.sum_mismatch",
                "weights.not_100", "grade.mismatch", "score.above_cap", "score.missing", "budget.large_change",
                "section.empty", "section.numbering", "section.missing", "text.placeholder", "text.duplicate",
                "text.artifact", "claim.contradiction"}
    assert required <= ids
    for rule in RULES:
        assert rule.severity in ("high", "medium", "low", "info")
        assert rule.zh and rule.en and (rule.check or (rule.table and rule.column and rule.bound))


def test_every_finding_carries_evidence():
    result = run("一、资金\n预算10万元，实际支出12万元。\n")
    for finding in result.findings:
        assert finding.message and finding.severity
        if finding.rule.startswith("rate"):
            assert finding.line == 3 and finding.section == "一" and "12万元" in finding.evidence


def test_unknown_threshold_is_an_error():
    with pytest.raises(ParamsError, match="low_rate"):
        CheckParams.from_mapping({"low_rate": 0.8})
    assert CheckParams.from_mapping({"low_execution_rate": 0.8}).low_execution_rate == 0.8


# --- rounding: one case just inside the tolerance, one just outside, for every numeric rule ---

ROUNDING_EDGES = [
    # rule, consistent text, inconsistent text
    ("balance.mismatch", "预算资金共计48.00万元，实际使用44.90万元，节余3.11万元。",  # 3.10 ± 0.015
     "预算资金共计48.00万元，实际使用44.90万元，节余3.12万元。"),
    ("rate.over_100", "预算资金10万元，实际支出10万元，执行率100%。",  # 100% stands for 99.5%..100.5%
     "预算资金10万元，实际支出10.04万元，执行率100.4%。"),
    ("rate.low", "预算资金10万元，实际支出9万元，执行率90%。",
     "预算资金10万元，实际支出8.94万元，执行率89.4%。"),
    ("budget.large_change", "年初预算数100.00万元。实际收到拨款收入120.00万元。",  # 20% is not more than 20%
     "年初预算数100.00万元。实际收到拨款收入120.02万元。"),
    ("weights.not_100", "指标体系分为产出（33.3分），效益（33.3分），满意度（33.3分）。",  # 99.9 ± 0.15
     "指标体系分为产出（33分），效益（33分），满意度（33分）。"),
    ("grade.mismatch", "自评得分90分，综合评价结论为优。", "自评得分89.9分，综合评价结论为优。"),
    ("sum.mismatch", "支出总额100.00万元，其中：人员经费60.01万元，公用经费40.00万元。",  # 100.01 ± 0.015
     "支出总额100.00万元，其中：人员经费60.02万元，公用经费40.00万元。"),
]


@pytest.mark.parametrize("rule, consistent, inconsistent", ROUNDING_EDGES, ids=[edge[0] for edge in ROUNDING_EDGES])
def test_rounding_edges(rule, consistent, inconsistent):
    assert not rules_of(run(f"一、情况\n{consistent}\n"), rule)
    assert rules_of(run(f"一、情况\n{inconsistent}\n"), rule)


def test_extra_tolerance_parameter_widens_rounding():
    text = "一、情况\n预算资金共计48.00万元，实际使用44.90万元，节余3.15万元。\n"
    assert rules_of(run(text), "balance.mismatch")
    assert not rules_of(run(text, CheckParams(amount_tolerance=0.05)), "balance.mismatch")


def test_a_consistent_national_table_raises_nothing(fixture_path):
    from auditlib import extract_path

    assert check(extract_path(fixture_path("national_self_evaluation_table"))).findings == []


def test_errors_in_a_national_table(fixture_path):
    from auditlib import extract_path

    result = check(extract_path(fixture_path("national_self_evaluation_table_with_errors")))
    # 10 points at 112.30 ÷ 118.50 = 94.77% (the table writes 100%): the formula gives 9.48.
    assert sorted({f.rule for f in result.findings}) == ["rate.mismatch", "score.above_cap", "score.above_weight",
                                                         "score.execution_points", "score.sum_mismatch"]


def test_a_flat_score_table_that_adds_up_raises_no_score_finding(fixture_path):
    from auditlib import extract_path

    result = check(extract_path(fixture_path("project_report_flat_score_table_two_rates")))
    assert [f.rule for f in result.findings] == ["section.missing"]  # it has no 改进措施 part


def test_great_expectations_runs_quietly(capfd):
    run("一、资金\n预算10万元，实际支出12万元。\n")
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_great_expectations_is_imported_lazily():
    import subprocess
    import sys

    code = "import sys, auditlib, auditlib.cli, auditlib.check; print('great_expectations' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_one_figure_per_line_is_read_as_one_statement(fixture_path):
    from auditlib import extract_path

    x = extract_path(fixture_path("key_value_lines_gbk_crlf"))
    assert x.document.source.encoding == "gb18030"
    [line] = x.budget_lines
    assert (line.value("budget"), line.value("spent"), line.rates["execution"].value) == (45, 46.2, 1.0267)
    result = check(x)
    [over] = [f for f in result.findings if f.rule == "rate.over_100"]
    assert over.line == 7 and "102.67%" in over.evidence
    assert any(f.rule == "grade.mismatch" and f.expected == "良" for f in result.findings)
