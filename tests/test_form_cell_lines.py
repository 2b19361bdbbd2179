"""A 自评表 written one cell per line, as a web page's table copied as text gives it: merged cells and empty cells
dropped (or kept as blank lines), so rows of different lengths follow one another with nothing between them. The
header's cells give the columns and the rows are cut by the model. Each fixture is our own form, our own numbers."""

from __future__ import annotations

import pytest

from auditlib import extract, parse_bytes
from auditlib.check import check


def _read(text: str):
    extraction = extract(parse_bytes(text.encode()))
    return extraction, check(extraction).findings


def _loud(findings) -> dict[str, str]:
    return {f.rule: f.severity for f in findings if f.severity in ("high", "medium")}


def _lines(rows: list[list[str]], blanks: bool) -> str:
    """One cell a line; an empty cell a blank line (blanks) or dropped."""
    out = []
    for row in rows:
        out.extend(cell for cell in row if cell or blanks)
        out.append("")
    return "\n".join(out) + "\n"


NATIONAL = [
    ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["年度资金总额", "50", "60", "57", "10", "95.00%", "9.50"],
    ["其中：当年财政拨款", "50", "60", "57", "—", "95.00%", "—"],
    ["上年结转资金", "—", "—", "—"],
    ["年度总体目标", "预期目标", "实际完成情况"],
    ["2031年，完成农村道路养护任务，群众出行条件明显改善，养护质量稳步提升，资金使用规范高效。",
     "全年养护道路42公里，群众出行条件改善，养护质量达到要求，资金使用规范，年度目标基本完成。"],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值", "得分",
     "偏差原因分析及改进措施"],
    ["产出指标", "数量指标", "养护道路里程", "≥", "40", "公里", "42", "30", "30", "无"],
    ["", "", "新建错车道", "≥", "12", "处", "12", "10", "12", ""],  # scored above its weight
    ["", "质量指标", "养护路段合格率", "≥", "95", "%", "93", "20", "20", ""],  # missed, scored in full
    ["效益指标", "社会效益指标", "群众出行条件", "定性", "明显改善", "", "明显改善", "20", "20", "无"],
    ["满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥", "90", "%", "94", "10", "10", "无"],
    ["总分", "100", "101.50"],
]


@pytest.mark.parametrize("blanks", [False, True], ids=["empty cells dropped", "empty cells as blank lines"])
def test_a_national_form_one_cell_per_line_is_read_row_by_row(blanks):
    extraction, findings = _read("项目支出绩效自评表\n（2031年度）\n" + _lines(NATIONAL, blanks))
    facts = extraction.facts
    assert (facts.self_score, facts.execution_rate, facts.budget_wan, facts.spent_wan) == (101.5, 0.95, 60, 57)
    assert [i.name for i in extraction.indicators] == ["养护道路里程", "新建错车道", "养护路段合格率", "群众出行条件",
                                                      "沿线群众满意度"]
    assert extraction.indicators[2].level2 == "质量指标" and extraction.indicators[2].level1 == "产出指标"
    loud = _loud(findings)
    # the planted errors; the funds block and the indicators are one form across its goal fields (weights 100)
    assert loud.get("score.above_weight") == "high" and loud.get("score.full_but_missed") == "high"
    assert "score.sum_mismatch" not in loud and "weights.not_100" not in loud


DEPARTMENT = [
    ["部门预算执行情况（万元）"],
    ["年初预算数", "全年预算数", "全年执行数", "执行率", "执行率权重", "执行率得分", "备注"],
    ["80", "80", "76", "95.00%", "10", "9.50"],  # no label: the side title above stands for it
    ["年度绩效指标完成情况"],
    ["指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数", "指标权重", "指标得分",
     "是否核心指标"],
    ["产出指标"],  # a group's name on a line of its own
    ["开展培训", "期", "≥", "6", "6", "6", "1.00", "40", "40.00", "是"],
    ["公用经费控制率", "%", "≤", "100", "100", "110", "0.80", "20", "17.00", "否"],  # 0.8 × 20 = 16, not 17
    ["满意度指标"],
    ["服务对象满意度", "%", "≥", "90", "90", "96", "1.00", "30", "30.00", "是"],
    ["自评总分", "100", "96.50"],
]


def test_a_department_form_one_cell_per_line_with_its_unlabelled_funds_row():
    extraction, findings = _read("2031年度部门整体支出绩效自评表\n" + _lines(DEPARTMENT, blanks=False))
    facts = extraction.facts
    assert (facts.self_score, facts.execution_rate, facts.budget_wan, facts.spent_wan) == (96.5, 0.95, 80, 76)
    assert [i.name for i in extraction.indicators] == ["开展培训", "公用经费控制率", "服务对象满意度"]
    assert "score.coefficient_mismatch" in _loud(findings)


SHARES = [
    ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "执行率", "单项指标得分", "权重占比", "折算得分"],
    ["合计", "30", "40", "38", "95.00%", "95", "20%", "19.0"],
    ["一级指标", "二级指标", "三级指标", "目标值", "实际完成值", "单项指标得分", "权重占比", "折算得分", "偏差原因"],
    ["产出指标", "数量指标", "发放补贴户数", "≥500户", "520户", "100", "40%", "40.0", "/"],
    ["效益指标", "社会效益指标", "困难户生活改善", "有效改善", "有效改善", "100", "30%", "30.0", "/"],
    ["满意度指标", "服务对象满意度指标", "受助户满意度", "≥90%", "92%", "100", "10%", "12.0", "/"],  # 12 of 10
    ["综合得分", "100%", "101.0"],
]


def test_a_form_of_shares_one_cell_per_line_reads_its_shares_as_points():
    extraction, findings = _read("项目支出绩效自评表\n" + _lines(SHARES, blanks=False))
    assert extraction.facts.self_score == 101.0
    assert [(i.name, i.weight, i.score) for i in extraction.indicators] == [
        ("发放补贴户数", 40, 40), ("困难户生活改善", 30, 30), ("受助户满意度", 10, 12)]
    assert _loud(findings).get("score.above_weight") == "high"


def test_rows_the_cut_cannot_read_leave_the_form_unread_and_quiet():
    # A template's unfilled row (指标2 / ……) and a stray figure after a reason: no cut reads every figure, so no
    # row is taken from the cells (and nothing is said on a guess).
    rows = NATIONAL[:7] + [["产出指标", "数量指标", "养护道路里程", "≥", "40", "公里", "42", "30", "27", "材料涨价"],
                           ["0"], ["指标2"], ["……"],
                           ["", "质量指标", "养护路段合格率", "≥", "95", "%", "93", "20", "20", ""]]
    extraction, findings = _read("项目支出绩效自评表\n" + _lines(rows, blanks=False))
    assert extraction.indicators == []
    assert not {rule for rule in _loud(findings) if rule.startswith(("score.", "weights."))}
