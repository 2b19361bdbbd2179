"""The check as a whole: interval arithmetic, the catalogue, evidence, parameters, rounding on both sides of
every numeric rule, whole fixtures. Each rule's own cases are in tests/test_rules_<family>.py."""

import pytest

from auditlib.check import CheckParams, RULES, catalogue_rows, check
from auditlib.check.interval import Interval
from auditlib.errors import ParamsError
from tests.rule_cases import rules_of, run


# --- interval arithmetic ---

def test_interval_arithmetic():
    a, b = Interval.around(3.97, 0.005), Interval.around(5, 0)
    assert (a / b).low == pytest.approx(0.793) and (a / b).high == pytest.approx(0.795)
    assert (a - b).low == pytest.approx(-1.035)
    assert Interval(0, 1).gap(Interval(1.5, 2)) == pytest.approx(0.5)
    assert Interval(0, 1).gap(Interval(0.5, 2)) == 0


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
    # it has no 改进措施 part (and shows no end: no date, attachment or closing part), its 存在的问题 reads 无。
    assert sorted(f.rule for f in result.findings) == ["section.missing_unended", "section.no_problems"]


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


# --- a rule is one object ---

def test_a_rule_is_found_by_id_and_names_its_findings_with_the_runs_thresholds():
    from auditlib.check import rule

    [finding] = rules_of(run("一、资金\n预算10万元，实际支出7.3万元。\n", CheckParams(low_execution_rate=0.8)), "rate.low")
    assert (finding.name, finding.unit) == ("预算执行率低于80%", "%")
    assert rule("rate.low").title() == "预算执行率低于90%" and rule("weights.not_100").title() == "指标权重合计不等于100分"
    with pytest.raises(KeyError):
        rule("no.such_rule")


def test_every_threshold_is_declared_once_and_check_params_and_params_files_follow_the_declaration(tmp_path):
    from dataclasses import fields

    from auditlib.check.catalogue import PARAMETERS
    from auditlib.params import load_params

    names = [param.name for param in PARAMETERS]
    assert len(names) == len(set(names)) and set(names) == {f.name for f in fields(CheckParams)} - {"rule_set"}
    for param in PARAMETERS:
        path = tmp_path / f"{param.name}.yaml"
        path.write_text(f"unit: u\nyear: 2021\nreport_path: data/a.txt\nthresholds:\n  {param.name}: {param.maximum * 2 + 1}\n",
                        encoding="utf-8")
        with pytest.raises(ParamsError, match=param.name):
            CheckParams.from_mapping(load_params(path).thresholds)
        path.write_text(f"unit: u\nyear: 2021\nreport_path: data/a.txt\nthresholds:\n  {param.name}: {param.maximum}\n",
                        encoding="utf-8")
        assert getattr(CheckParams.from_mapping(load_params(path).thresholds), param.name) == param.maximum


@pytest.mark.parametrize("value", ["lots", True, -1, 5, float("nan")])
def test_a_threshold_outside_its_declaration_is_one_params_error(value):
    with pytest.raises(ParamsError, match="low_execution_rate.*0 到 2"):
        CheckParams.from_mapping({"low_execution_rate": value})
