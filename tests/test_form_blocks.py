"""The blocks of a 自评表 as forms written by other hands lay them out: the form's head above its funds header, a
block's title down its side with the row labels beside it, headers broken over two rows, a remark ending a row of
figures, the goal fields between the funds and indicator blocks, and scores by another formula in use. Each
fixture is our own form, with our own numbers."""

from __future__ import annotations

import pytest

from auditlib import extract, parse_bytes
from auditlib.check import check
from auditlib.ingest.normalize import normalize_lines


def _read(text: str):
    extraction = extract(parse_bytes(text.encode()))
    return extraction, check(extraction).findings


def _loud(findings) -> set[str]:
    return {f.rule for f in findings if f.severity in ("high", "medium")}


TITLE = "项目支出绩效自评表\n（2030年度）\n"
INDICATORS = ("| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
              "| 绩效指标 | 产出指标 | 数量指标 | 维修道路 | ≥20公里 | 21公里 | 45 | 45 | |\n"
              "| 绩效指标 | 效益指标 | 社会效益指标 | 群众出行改善 | 有效改善 | 有效改善 | 45 | 45 | |\n"
              "| 总分 | | | | | | 100 | 99 | |\n")


SIDE_TITLED_FUNDS = ("| 项目资金（万元） | | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
                     "|{side}| 年度资金总额 | | 75 | 80 | 72 | 10 | 90% | 9 |\n"
                     "|{side}| 其中：当年财政拨款 | | 65 | 70 | 63 | — | 90% | — |\n"
                     "|{side}| 上年结转资金 | | 10 | 10 | 9 | — | 90% | — |\n"
                     "| 年度总体目标 | 预期目标 | | | | 实际完成情况 | | | |\n")


def test_funds_rows_labelled_beside_the_blocks_side_title_merged_empty_or_repeated():
    # The block's title fills the first column (merged: empty below it, or repeated in every row, as a page's
    # table gives it); each row's own label stands in the column after it.
    for side in (" ", " 项目资金（万元） "):
        extraction, findings = _read(TITLE + SIDE_TITLED_FUNDS.format(side=side) + INDICATORS)
        rows = extraction.execution_rows
        assert [row.label for row in rows] == ["年度资金总额"], side
        assert (rows[0].adjusted_budget.value_wan, rows[0].spent.value_wan, rows[0].rate.value) == (80, 72, 0.9)
        assert not _loud(findings), side


def test_the_forms_head_above_its_funds_header_is_no_header_row():
    # 实施单位 names a body, not a 计量单位 column: the head row does not join the funds header below it.
    head = "| 主管部门 | | 某县交通局 | | | 实施单位 | | 某镇政府 |\n"
    extraction, findings = _read(TITLE + head + SIDE_TITLED_FUNDS.format(side=" 项目资金（万元） ") + INDICATORS)
    assert [row.label for row in extraction.execution_rows] == ["年度资金总额"]
    assert not _loud(findings)


def test_a_funds_header_broken_over_two_rows_with_its_empty_tail_dropped():
    # Tabs, narrow columns: 年初 / 全年 over 预算数 / 执行数, the lower row ending at its last title.
    text = (TITLE + "项目资金\t\t年初\t全年\t全年\t分值\t执行率\t得分\n"
            "（万元）\t\t预算数\t预算数\t执行数\n"
            "\t年度资金总额\t30\t40\t36\t10\t90%\t9\n")
    extraction, _ = _read(text)
    [row] = extraction.execution_rows
    assert (row.budget.value_wan, row.adjusted_budget.value_wan, row.spent.value_wan, row.weight, row.score) == \
        (30, 40, 36, 10, 9)


def test_a_row_of_figures_ending_in_a_remark_is_a_row_not_a_paragraph():
    # The department form in columns of spaces, its funds row ending in a sentence: the row's execution weight (20)
    # counts with the indicators' 80 toward 100.
    text = ("某单位2030年度部门整体支出绩效自评表\n"
            "部门预算执行情况（万元）   资金类别   年初预算数   全年预算数   全年执行数   执行率   执行率权重   执行率得分   备注\n"
            "                           合计       300.00       400.00       320.00       80.00%   20           16           部分工程跨年实施，资金结转使用。\n"
            "年度总体目标                          完成全年道路养护任务，保障群众出行安全。\n"
            "指标名称         计量单位   指标性质   年初指标值   调整指标值   全年完成值   得分系数   指标权重   指标得分   是否核心指标\n"
            "养护道路里程     公里       ≥          100          100          105          1.00       40         40         是\n"
            "群众满意度       %          ≥          90           90           95           1.00       40         40         否\n"
            "自评总分                                                                                  100        96\n")
    extraction, findings = _read(text)
    [row] = extraction.execution_rows
    assert (row.adjusted_budget.value_wan, row.spent.value_wan, row.rate.value) == (400, 320, 0.8)
    assert not {"score.sum_mismatch", "weights.not_100"} & _loud(findings)


def test_the_goal_written_as_words_between_the_blocks_keeps_them_one_form():
    # A goal line of prose between the funds and indicator blocks: the execution weight (10) still counts with
    # the indicators' 90 toward the total of 100, so no weights finding.
    text = (TITLE + "项目资金（万元）        年初预算     调整后预算数     预算执行数     预算执行率   权重   得分\n"
            "          年度资金总额  50           50               50             100.00%      10     10\n"
            "年度总体目标完成情况   预期目标         实际完成目标\n"
            "          2030年，完成道路维修20公里，群众出行条件有效改善。\n"
            "一级指标   二级指标   三级指标   年度指标值   实际完成值   分值   得分   未完成原因分析\n"
            "产出指标   数量指标   维修道路   ≥20公里   21公里   45   45   无\n"
            "效益指标   社会效益指标   出行时间缩短   ≥10%   12%   45   45   无\n"
            "总分                                                  100    100\n")
    extraction, findings = _read(text)
    assert extraction.facts.execution_rate == 1.0
    assert not {"score.sum_mismatch", "weights.not_100"} & _loud(findings)


def test_a_reason_column_named_for_what_was_not_completed_and_a_side_title_of_the_indicators():
    # 未完成原因分析 is the reason column, not a second 完成值; 年度绩效指标完成情况 down the side is the block's
    # title: the rows are read as numbers, and the deduction's reason is read.
    text = (TITLE + "年度绩效指标完成情况\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t未完成原因分析\n"
            "年度绩效指标完成情况\t产出指标\t质量指标\t验收合格率\t≥95%\t90%\t50\t47.37\t部分工程返工\n"
            "年度绩效指标完成情况\t效益指标\t社会效益指标\t受益人数\t≥1000人\t1200人\t40\t40\t无\n")
    extraction, findings = _read(text)
    first = extraction.indicators[0]
    assert (first.result.text, first.reason) == ("90%", "部分工程返工")
    assert not _loud(findings)


def _indicator_form(row: str) -> str:
    return (TITLE + "| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
            + row + "\n")


def test_a_score_another_formula_in_use_gives_is_a_low_question_not_an_error():
    # ≤ by target ÷ result (8 ÷ 10 × 20 = 16) where the rule set deducts linearly (15); = in proportion to the
    # result (96% ÷ 100% × 10 = 9.6) where it gives all or nothing.
    for row, formula in (("| 产出指标 | 时效指标 | 办理时限 | ≤ | 8天 | 10天 | 20 | 16 | 材料补正 |", "8÷10×20"),
                         ("| 产出指标 | 质量指标 | 验收合格率 | = | 100% | 96% | 10 | 9.6 | 部分返工 |", "96%÷100%")):
        _, findings = _read(_indicator_form(row))
        [variant] = [f for f in findings if f.rule == "score.item_variant"]
        assert variant.severity == "low" and formula in variant.message
        assert "score.item_mismatch" not in {f.rule for f in findings}
    # a score neither formula gives stays an error
    _, findings = _read(_indicator_form("| 产出指标 | 时效指标 | 办理时限 | ≤ | 8天 | 10天 | 20 | 18 | 材料补正 |"))
    assert "score.item_mismatch" in {f.rule for f in findings}


def test_a_score_that_is_its_rounded_coefficient_times_its_weight_is_right():
    # 43.4 ÷ 50 = 0.868, written 0.87; 0.87 × 15 = 13.05 where 0.868 × 15 = 13.02.
    text = ("某单位部门整体支出绩效自评表\n"
            "指标名称\t计量单位\t指标性质\t年初指标值\t调整指标值\t全年完成值\t得分系数\t指标权重\t指标得分\t是否核心指标\n"
            "走访企业数\t家\t≥\t50\t50\t43.4\t0.87\t15\t13.05\t否\n")
    _, findings = _read(text)
    assert not {"score.item_mismatch", "score.item_unclear", "score.coefficient_mismatch"} & {f.rule for f in findings}


def test_a_rate_written_over_100_beside_amounts_that_give_less_names_the_rate_wrong():
    _, findings = _read(TITLE + "| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
                        "| 年度资金总额 | 80 | 80 | 76 | 10 | 105% | 10 |\n")
    [over] = [f for f in findings if f.rule == "rate.over_100"]
    assert "95%" in over.message and "高于预算" not in over.message


def test_a_form_one_cell_per_paragraph_keeps_its_figures_and_its_cells_apart():
    # A page's table copied cell by cell, a blank line between cells: a lone figure between a label and a
    # figure is a cell, not a page number; a goal cell without a full stop does not swallow the cells after it.
    cells = ["项目资金(万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
             "年度资金总额", "120", "150.5", "140", "10", "93.02", "9",
             "年度总体目标", "通过项目实施改善乡村道路通行条件提升群众出行满意度完成全部维修任务并通过验收",
             "全部完成维修任务", "绩效指标", "一级指标", "二级指标"]
    lines, artifacts, _ = normalize_lines("\n\n".join(cells).split("\n"))
    assert [line.text for line in lines if line.text] == cells
    assert not artifacts


def test_figures_written_apart_in_a_run_together_row_are_never_cut_inside():
    # Cells run together but figures a space apart (…规范规范 12 12 无): 12 is one figure, never 1 and 2 read as a
    # target, a result, a weight and a score above it. The row stays unread (low), nothing is guessed.
    text = (TITLE + "项目名称某培训项目\n项目资金（万元）年初预算数全年预算数全年执行数分值执行率得分\n"
            "年度资金总额 20 20 20 10 100% 10\n年度总体目标预期目标实际完成情况\n完成企业培训。完成。\n"
            "绩效指标一级指标二级指标三级指标指标性质指标值度量单位实际完成值分值得分偏差原因分析及改进措施\n"
            "产出指标数量指标培训企业 ≥ 40 家 44 30 30 无\n"
            "质量指标培训组织规范性定性规范规范 12 12 无\n"
            "效益指标社会效益指标企业满意度 ≥ 90 % 95 48 48 无\n"
            "总分 100 100\n")
    extraction, findings = _read(text)
    assert [i.name for i in extraction.indicators] == ["培训企业", "企业满意度"]
    assert "培训组织规范性" not in "".join(i.name for i in extraction.indicators)
    assert not {"score.above_weight", "score.item_mismatch"} & {f.rule for f in findings}
    assert "table.unreadable" in {f.rule for f in findings if f.severity == "low"}


SHARE_FORM = ("某省省级财政项目支出绩效自评表\n"
              "项目资金（万元）\t资金来源\t年初预算数\t全年预算数\t全年执行数\t执行率\t单项指标得分\t权重占比\t折算得分\n"
              "合计\t50\t50\t45\t90%\t90\t10%\t9\n"
              "一级指标\t二级指标\t三级指标\t目标值\t实际完成值\t单项指标得分\t权重占比\t折算得分\t偏差原因及改进措施\n"
              "产出指标\t数量指标\t培训人次\t不少于500人次\t520人次\t100\t{share}%\t{share}\t\n"
              "效益指标\t社会效益指标\t群众满意度\t不低于90%\t95%\t100\t50%\t50\t\n"
              "综合得分\t100%\t{total}\t\n")


def test_weights_written_as_shares_of_the_total_are_points():
    # 权重占比 40% is 40 points of 100: the rows are read (their reason cell left empty and dropped), and a share
    # lowered to 37% leaves the weights 3 short of the total.
    extraction, findings = _read(SHARE_FORM.format(share=40, total=99))
    assert [(i.weight, i.score) for i in extraction.indicators] == [(40, 40), (50, 50)]
    assert not _loud(findings)
    _, findings = _read(SHARE_FORM.format(share=37, total=96))
    assert "score.sum_mismatch" in _loud(findings)


def test_a_rate_typed_full_width_and_a_unit_of_working_days_are_read():
    # ６５．４２％ is 65.42%; 个工作日 is a unit cell like 工作日.
    text = (TITLE + "| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
            "| 年度资金总额 | 100 | 100 | 65.42 | 10 | ６５．４２％ | 6.54 |\n"
            "| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
            "| 产出指标 | 时效指标 | 办结时限 | ≤ | 15 | 个工作日 | 12 | 90 | 90 | — |\n")
    extraction, _ = _read(text)
    assert extraction.facts.execution_rate == 0.6542
    assert [(i.name, i.weight) for i in extraction.indicators] == [("办结时限", 90)]


def test_a_funds_blocks_only_row_with_its_label_left_empty_is_the_total():
    # The department form's execution block, its side title merged over the row and its 合计 cell left empty.
    text = ("某单位2030年度部门整体支出绩效自评表\n"
            "部门预算执行情况\t\t年初\t全年\t全年\t执行率\t执行率\t执行率\t备注\n"
            "（万元）\t\t预算数\t预算数\t执行数\t\t权重\t得分\n"
            "\t\t300.00\t320.00\t304.00\t95.00%\t10\t9.50\n")
    extraction, _ = _read(text)
    [row] = extraction.execution_rows
    assert (row.adjusted_budget.value_wan, row.spent.value_wan, row.rate.value, row.score) == (320, 304, 0.95, 9.5)


def test_a_table_split_across_pages_with_its_header_repeated_is_one_table():
    # A page break repeats the header (and a 续表 line) inside the indicator block; the goal's row above the header,
    # whose cells are sentences (…已完成，取得…。), names no column.
    head = ("| 年度总体目标 | 完成道路养护，改善出行条件。 | | 全年养护道路21公里，任务已完成，取得较好效果。 |\n")
    header = "| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析 | 改进措施 |\n"
    text = (TITLE + SIDE_TITLED_FUNDS.format(side=" ").split("| 年度总体目标")[0] + head + header
            + "| 绩效指标 | 产出指标 | 数量指标 | 维修道路 | ≥20公里 | 21公里 | 45 | 45 | — | — |\n"
            + "续表\n" + header
            + "| 绩效指标 | 效益指标 | 社会效益指标 | 群众出行改善 | 有效改善 | 有效改善 | 45 | 45 | — | — |\n"
            + "| 总分 | | | | | | 100 | 99 | | |\n")
    extraction, findings = _read(text)
    assert [i.name for i in extraction.indicators] == ["维修道路", "群众出行改善"]
    assert extraction.facts.self_score == 99
    assert not _loud(findings)


@pytest.mark.parametrize("unit_title,head", [("资金情况（元）", ""), ("项目资金", "填报单位：某县教育局    金额单位：元\n"),
                                             ("", "预算资金（单位：元）\n")])
def test_a_form_in_yuan_gives_its_amounts_in_wan(unit_title, head):
    text = (TITLE + head + f"| {unit_title} | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
            "| 年度资金总额 | 1,200,000.00 | 1,250,000.00 | 1,125,000.00 | 10 | 90.00% | 9 |\n" + INDICATORS)
    extraction, findings = _read(text)
    facts = extraction.facts
    assert (facts.budget_wan, facts.spent_wan, facts.execution_rate) == (125, 112.5, 0.9)
    assert "amount.huge_wan" not in {f.rule for f in findings}


def test_escapes_a_page_shows_as_text_are_read_as_the_marks_they_stand_for():
    # A page that escaped its marks twice shows &gt;=95% where the form has ≥95%: the target is at least 95%.
    text = (TITLE + SIDE_TITLED_FUNDS.format(side=" ")
            + INDICATORS.replace("≥20公里 | 21公里", "&gt;=95% | 96%"))
    extraction, findings = _read(text)
    [indicator] = [i for i in extraction.indicators if i.name == "维修道路"]
    assert indicator.nature == "≥"
    assert not _loud(findings)


@pytest.mark.parametrize("score,rule,severity", [("3", "score.item_variant", "low"),
                                                 ("6", "score.full_but_missed", "high")])
def test_a_target_of_zero_missed_has_no_formula_for_its_deduction(score, rule, severity):
    # 0起 → 1起: no ratio scores it; a deduction short of the whole weight is the rule set's to choose, full marks
    # still say the target was met.
    text = TITLE + SIDE_TITLED_FUNDS.format(side=" ") + INDICATORS.replace(
        "| 绩效指标 | 产出指标 | 数量指标 | 维修道路 | ≥20公里 | 21公里 | 45 | 45 | |",
        "| 绩效指标 | 产出指标 | 数量指标 | 维修道路 | ≥20公里 | 21公里 | 39 | 39 | |\n"
        f"| 绩效指标 | 产出指标 | 质量指标 | 安全事故 | =0起 | 1起 | 6 | {score} | 一处路段施工发生事故，已整改 |")
    _, findings = _read(text)
    assert {(f.rule, f.severity) for f in findings if "安全事故" in f.message} == {(rule, severity)}


DEPARTMENT_TASKS = ("部门整体支出绩效自评表\n"
                    "| 预算执行情况（万元） | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
                    "| | 年度资金总额 | 300 | 320 | 304 | 10 | 95.00% | 9.5 |\n"
                    "| | 其中：基本支出 | 200 | 220 | 221 | / | / | / |\n"
                    "| | 项目支出 | 100 | 100 | 83 | / | / | / |\n"
                    "| 年度主要任务 | 任务名称 | 主要内容 | 预算数（万元） | 执行数（万元） |\n"
                    "| | 保障机构运转 | 按计划保障日常运转 | 220 | 221 |\n"
                    "| | 开展业务培训 | 组织全系统业务培训 | 100 | 83 |\n"
                    "| 年度绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析 |\n"
                    "| | 产出指标 | 数量指标 | 培训人次 | ≥500人次 | 520人次 | 45 | 45 | |\n"
                    "| | 满意度指标 | 服务对象满意度指标 | 参训人员满意度 | ≥90% | 93% | 45 | 45 | |\n"
                    "| 总分 | | | | | | 100 | {total} | |\n")


def test_the_department_forms_task_block_is_read_for_no_fact_and_keeps_the_form_whole():
    # 年度主要任务 rows (a task's budget and spending) are neither funds rows nor unreadable; the form stays one,
    # so its 总分 is checked against every row; a source row below 90% under a total at 95% asks nothing.
    extraction, findings = _read(DEPARTMENT_TASKS.format(total="99.5"))
    assert [row.label for row in extraction.execution_rows] == ["年度资金总额"]
    assert not [f for f in findings if f.rule in ("table.unreadable", "rate.low") or f.severity == "high"
                and f.rule != "rate.over_100"]
    _, findings = _read(DEPARTMENT_TASKS.format(total="97.5"))
    assert ("score.sum_mismatch", "high") in {(f.rule, f.severity) for f in findings}


def test_a_whole_score_beside_scores_to_the_hundredth_is_exact():
    # The form writes 3.54 where a score is not whole: its 10 for an execution of 97.87% is 10, not 9.79 rounded.
    funds = ("| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
             "| 年度资金总额 | 100 | 130.44 | 127.66 | 10 | 97.87% | {score} |\n")
    rows = INDICATORS.replace("≥20公里 | 21公里 | 45 | 45 |", "≤200元 | 210元 | 45 | 42.75 | 单价上涨 |")
    for score, flagged in (("10", True), ("9.79", False)):
        _, findings = _read(TITLE + funds.format(score=score) + rows.replace("| 100 | 99 |", "| 100 | 97.54 |"
                                                                              if score == "9.79" else "| 100 | 97.75 |"))
        assert ("score.execution_points" in {f.rule for f in findings}) == flagged, score


@pytest.mark.parametrize("source", ["| | 其中：当年财政拨款 | 65 | 70 | 63 |",
                                    "| 项目资金（万元） | 其中：当年财政拨款 | 65 | 70 | 63 |"])
def test_a_source_row_with_its_empty_tail_dropped_keeps_its_cells_in_place(source):
    # A sheet's row drops its empty tail; it keeps its empty cells before the figures, or repeats the block's side
    # title in its first cell. Read in place, the block is whole, so its indicators' weights are judged (10 + 50 + 45).
    funds = ("| 项目资金（万元） | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
             "| 项目资金（万元） | 年度资金总额 | 75 | 80 | 72 | 10 | 90% | 9 |\n" + source + "\n")
    extraction, _ = _read(TITLE + funds + INDICATORS)
    [source_line] = [line for line in extraction.budget_lines if line.part]
    assert {m: a.value_wan for m, a in source_line.amounts.items()} == {"budget": 65, "adjusted_budget": 70, "spent": 63}
    extraction, findings = _read(TITLE + funds + INDICATORS.replace("| 45 | 45 | |\n| 绩效指标 | 效益", "| 50 | 50 | |\n| 绩效指标 | 效益"))
    assert not [f for f in findings if f.rule == "table.unreadable"]
    assert ("score.sum_mismatch", "high") in {(f.rule, f.severity) for f in findings}


def test_a_side_title_written_beside_the_one_row_it_is_centred_on_is_not_a_cell_of_that_row():
    # A table printed without ruling lines, or a page's text: each block's title down its side stands in the
    # row at its middle only, as a cell before the row's own (项目资金（万元） | 其中：当年财政拨款 | …).
    text = (TITLE + "| 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
            "| 年度资金总额 | 75 | 80 | 72 | 10 | 90% | 9 |\n"
            "| 项目资金（万元） | 其中：当年财政拨款 | 65 | 70 | 63 | — | 90% | — |\n"
            "| 上年结转资金 | 10 | 10 | 9 | — | 90% | — |\n"
            "| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
            "| 产出指标 | 数量指标 | 维修道路 | ≥20公里 | 21公里 | 30 | 30 |\n"
            "| 绩效指标 | 产出指标 | 质量指标 | 验收合格率 | 100% | 100% | 30 | 30 |\n"
            "| 效益指标 | 社会效益指标 | 群众出行改善 | 有效改善 | 有效改善 | 30 | 25 |\n"
            "| 总分 | 100 | 95 |\n")
    extraction, findings = _read(text)
    assert [row.label for row in extraction.execution_rows] == ["年度资金总额"]
    assert [(i.level1, i.name) for i in extraction.indicators] == [
        ("产出指标", "维修道路"), ("产出指标", "验收合格率"), ("效益指标", "群众出行改善")]
    assert not extraction.unread_rows
    # every row read, the form whole: its scores' sum (30 + 30 + 25 + 9 = 94, not 95) is checked, and is high
    assert [(f.rule, f.severity) for f in findings if f.severity != "low"] == [("score.sum_mismatch", "high")]


TRANSFER_FORM = ("中央对地方转移支付区域绩效目标自评表\n（2030年度）\n"
                 "| 转移支付名称 | 农村道路养护补助 | | | | | |\n"
                 "| 地方主管部门 | 某省交通运输厅 | | 资金使用单位 | 某县交通运输局 | | |\n"
                 "| 资金情况（万元） | | | | 预算数（A） | 执行数（B） | 执行率 |\n"
                 "| | 合计 | | | 500.00 | 450.00 | 92.00% |\n"
                 "| | 其中：中央补助 | | | 400.00 | 360.00 | 90.00% |\n"
                 "| | 地方资金 | | | 100.00 | 90.00 | 90.00% |\n"
                 "| 年度绩效指标 | 绩效指标 | | | 完成情况 | | 未完成原因分析 |\n"
                 "|---|---|---|---|---|---|---|\n"
                 "| | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 全年实际完成值 | |\n"
                 "| | 产出指标 | 数量指标 | 养护道路里程 | ≥300公里 | 310公里 | — |\n"
                 "| | | 质量指标 | 养护验收合格率 | ≥95% | 91% | {reason} |\n"
                 "| | 效益指标 | 社会效益指标 | 群众出行条件 | 有效改善 | 有效改善 | — |\n"
                 "填报人：王某　　填报日期：2031年3月1日\n")


@pytest.mark.parametrize("reason, missed_no_reason", [("—", True), ("雨季施工受阻，部分路段返工", False)])
def test_the_transfer_forms_funds_by_source_and_unscored_indicators_are_read(reason, missed_no_reason):
    # The head's 资金使用单位 names a body, not a unit column; 预算数（A） is the rate's base; 完成情况 titles its two
    # columns over the markdown rule; a form that scores nothing still asks why a target was missed.
    extraction, findings = _read(TRANSFER_FORM.format(reason=reason))
    total = extraction.budget_lines[0]
    assert (total.label, total.value("adjusted_budget"), total.value("spent")) == ("合计", 500, 450)
    assert [i.name for i in extraction.indicators] == ["养护道路里程", "养护验收合格率", "群众出行条件"]
    # 450 ÷ 500 is 90%, not the 92% written: a certain mismatch, the rate's base being lettered (A)
    assert ("rate.mismatch", "high") in {(f.rule, f.severity) for f in findings}
    missed = [f for f in findings if f.rule == "indicator.missed_no_reason"]
    assert [("养护验收合格率" in f.message, f.severity) for f in missed] == ([(True, "medium")] if missed_no_reason else [])


SCORING_SHEET = ("项目支出绩效评价指标体系评分表\n"
                 "| 项目总预算（万元） | 200.00 | 实际支出（万元） | 170.00 |\n"
                 "| 一级指标 | 二级指标 | 三级指标 | 指标解释 | 评分标准 | 分值 | 得分 | 扣分原因 |\n"
                 "| 决策（20分） | 项目立项 | 立项依据充分性 | 是否符合规划。 | 充分得满分，否则酌情扣分。 | 20 | 20 | |\n"
                 "| 过程（30分） | 资金管理 | 预算执行率 | 支出÷预算。 | 得分=执行率×分值。 | 5 | 4.25 | 执行率85% |\n"
                 "| 过程（30分） | 组织实施 | 制度执行有效性 | 是否按制度执行。 | 执行到位得满分。 | 25 | 25 | |\n"
                 "| 产出（50分） | 产出数量 | 维修道路里程 | 完成值÷目标值。 | 按比例计分。 | 50 | 50 | |\n"
                 "| 合计 | | | | | 100 | 99.25 | |\n")


def test_a_scoring_sheets_rows_are_named_by_their_third_level_and_scored_by_its_own_execution_points():
    # 评分标准 is how points are given, not the score column; the sheet gives budget execution 5 points, so an
    # 85% rate caps the score at 99.25, not at the national form's 98.5.
    extraction, findings = _read(SCORING_SHEET)
    items = [(item.name, item.weight, item.score) for item in extraction.score_items if item.level == 1]
    assert items[:2] == [("立项依据充分性", 20, 20), ("预算执行率", 5, 4.25)]
    assert not [f for f in findings if f.rule == "score.above_cap"]
    over = SCORING_SHEET.replace("| 5 | 4.25 |", "| 5 | 5 |").replace("99.25", "100")
    [cap] = [f for f in _read(over)[1] if f.rule == "score.above_cap"]
    assert "预算执行指标5分最多得4.25分" in cap.message


def test_a_total_parted_both_by_source_and_by_kind_of_spending_is_two_lists_each_whole():
    text = (TITLE + "| 预算执行情况（万元） | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
            "| | 年度资金总额 | 100 | 120 | 108 | 10 | 90% | 9 |\n"
            "| | 按收入性质分：财政拨款 | 90 | 110 | 99 | — | 90% | — |\n"
            "| | 其他资金 | 10 | 10 | 9 | — | 90% | — |\n"
            "| | 按支出性质分：基本支出 | 60 | 70 | 63 | — | 90% | — |\n"
            "| | 项目支出 | 40 | 50 | 45 | — | 90% | — |\n" + INDICATORS)
    extraction, findings = _read(text)
    assert not [f for f in findings if f.rule.startswith("sum.")]
    # a part that does not add up in one of the lists is still found
    wrong = text.replace("| 项目支出 | 40 | 50 | 45 |", "| 项目支出 | 40 | 50 | 55 |")
    assert "sum.funds_sources" in {f.rule for f in _read(wrong)[1]}


def test_a_scoring_sheet_that_writes_each_levels_points_beside_it_scores_rows_by_their_own():
    # 一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | … | 分值 | 得分: the row's weight is the one before its score
    text = ("项目支出绩效评价指标体系评分表\n"
            "| 一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 评分标准 | 分值 | 得分 | 扣分原因 |\n"
            "| 决策 | 20 | 项目立项 | 20 | 立项依据充分性 | 充分得满分。 | 20 | 20 | |\n"
            "| 产出 | 80 | 产出数量 | 50 | 维修道路里程 | 按比例计分。 | 50 | 50 | |\n"
            "| 产出 | 80 | 产出质量 | 30 | 验收合格率 | 按比例计分。 | 30 | 30 | |\n"
            "| 合计 | | | | | | 100 | 100 | |\n")
    extraction, findings = _read(text)
    assert [(item.name, item.weight, item.score) for item in extraction.score_items if item.level == 1] == [
        ("立项依据充分性", 20, 20), ("维修道路里程", 50, 50), ("验收合格率", 30, 30)]
    assert not _loud(findings)


COMPARATOR_COLUMN_FORM = ("项目支出绩效自评表\n"
                          "| 绩效指标 | | | 年度指标值 | | | 实际完成值 | 自评 | | 偏差原因分析 |\n"
                          "|---|---|---|---|---|---|---|---|---|---|\n"
                          "| 一级指标 | 二级指标 | 三级指标 | 指标值符号 | 指标值 | 计量单位 | | 权重（%） | 自评分 | |\n"
                          "| 产出指标 | 数量指标 | 新建候车亭 | ≥ | 12 | 座 | 12 | 40 | 40.00 | |\n"
                          "| | 成本指标 | 每座建设成本 | ≤ | 3.5 | 万元 | 3.2 | 30 | {score} | |\n"
                          "| 满意度指标 | 服务对象满意度指标 | 乘客满意度 | ≥ | 90 | % | 93 | 30 | 30.00 | |\n"
                          "| 总分 | | | | | | | 100 | {total} | |\n"
                          "|---|---|---|---|---|---|---|---|---|---|\n")


def test_a_comparator_in_its_own_column_and_a_score_titled_self_scored_are_read():
    # 指标值符号 is the direction (not a second target column); 自评分 is the score; the second markdown rule
    # repeats nothing
    extraction, findings = _read(COMPARATOR_COLUMN_FORM.format(score="30.00", total="100.00"))
    assert [(i.name, i.nature, i.weight, i.score) for i in extraction.indicators] == [
        ("新建候车亭", "≥", 40, 40), ("每座建设成本", "≤", 30, 30), ("乘客满意度", "≥", 30, 30)]
    assert not [f for f in findings if f.rule in ("text.duplicate", "table.unreadable")] and not _loud(findings)
    over = _read(COMPARATOR_COLUMN_FORM.format(score="33.00", total="103.00"))[1]
    assert "score.above_weight" in _loud(over)


def test_a_scoring_sheets_header_in_two_rows_names_its_columns_in_the_lower():
    # 评分 over 分值 | 得分: the lower row says which column is the weight and which the score
    text = ("项目支出绩效评价指标体系评分表\n"
            "| 一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 评分标准 | 评分 | | 评分说明 |\n"
            "| 一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 评分标准 | 分值 | 得分 | 评分说明 |\n"
            "| 决策 | 40 | 项目立项 | 40 | 立项依据充分性 | 充分得满分。 | 40 | 38 | 依据欠完整 |\n"
            "| 产出 | 60 | 产出数量 | 60 | 维修道路里程 | 按比例计分。 | 60 | 60 | |\n"
            "| 合计 | | | | | | 100 | 98 | |\n")
    extraction, findings = _read(text)
    assert [(item.name, item.weight, item.score) for item in extraction.score_items if item.level == 1] == [
        ("立项依据充分性", 40, 38), ("维修道路里程", 60, 60)]
    assert not _loud(findings)


# A township's form: no funds block and no 一级 column; budget execution is a row of its indicators, the money in
# the head after the yuan sign; the name column titled 绩效指标 (or 评价指标).
INDICATOR_ROW_EXECUTION = ("某镇2030年度项目支出绩效自评表\n"
                           "| 项目资金 | 预算数 | ￥1,200,000.00 | 实际支出 | ￥1,104,000.00 |\n"
                           "| 二级指标 | {name_title} | 分值 | 年度指标值 | 实际完成值 | 得分 | 扣分原因 |\n"
                           "| 预算执行 | 预算执行率 | 10 | 90%以上 | {rate} | {points} | 部分工程款下年结算 |\n"
                           "| 数量指标 | 维修道路 | 50 | ≥20公里 | 21公里 | 50 |\n"
                           "| 满意度指标 | 群众满意度 | 40 | ≥90% | 93% | 40 |\n"
                           "| 自评总分 | | 100 | | | {total} |\n")


@pytest.mark.parametrize("name_title, rate", [("绩效指标", "92%"), ("评价指标", "92"), ("指标", "0.92")])
def test_budget_execution_as_a_row_of_the_indicators_is_the_rate_and_scored_as_a_funds_row(name_title, rate):
    extraction, findings = _read(INDICATOR_ROW_EXECUTION.format(name_title=name_title, rate=rate, points="9.2",
                                                                 total="99.2"))
    facts = extraction.facts
    assert (facts.budget_wan, facts.spent_wan, facts.execution_rate, facts.self_score) == (120, 110.4, 0.92, 99.2)
    assert [(row.weight, row.score, row.rate.value) for row in extraction.execution_rows] == [(10, 9.2, 0.92)]
    assert [i.name for i in extraction.indicators] == ["维修道路", "群众满意度"]  # its 90%以上 is no target missed
    assert not _loud(findings)
    full = _read(INDICATOR_ROW_EXECUTION.format(name_title=name_title, rate=rate, points="10", total="100"))[1]
    assert "score.execution_points" in _loud(full)


def test_a_rate_column_titled_in_percent_holds_bare_rates_that_may_be_wrong():
    # 执行率（%） | 95.96 beside 233.46 and 223.40 (95.69%): the bare figure is the rate its title says, and wrong
    text = ("某省财政专项资金绩效自评表\n| 资金情况（万元） | 资金来源 | 年初安排 | 调整后预算 | 实际支出 | 结余 | 执行率（%） |\n"
            "| 资金情况（万元） | 合计 | 188.11 | 233.46 | 223.40 | 10.06 | 95.96 |\n"
            "| 资金情况（万元） | 省级资金 | 118.51 | 147.08 | 145.88 | 1.20 | 99.18 |\n")
    extraction, findings = _read(text)
    assert (extraction.facts.budget_wan, extraction.facts.execution_rate) == (233.46, 0.9596)
    assert "rate.mismatch" in _loud(findings)


def test_a_table_pasted_one_cell_per_line_its_rows_parted_by_blank_lines():
    # As WPS copies a table to plain text: each cell on a line, a blank line after each row
    rows = [["二级指标", "指标名称", "分值", "指标值", "实际完成值", "得分", "扣分原因"],
            ["数量指标", "维修道路", "60", "≥20公里", "18公里", "54", "雨季停工"],
            ["满意度指标", "群众满意度", "40", "≥90%", "93%", "40"], ["总分", "100", "94"]]
    text = "某镇2030年度项目支出绩效自评表\n\n" + "\n\n".join("\n".join(row) for row in rows) + "\n\n填报人：某某\n"
    extraction, findings = _read(text)
    assert [(i.name, i.weight, i.score) for i in extraction.indicators] == [("维修道路", 60, 54), ("群众满意度", 40, 40)]
    assert extraction.facts.self_score == 94 and not _loud(findings)
    # prose in short lines between blank lines, with no header, stays prose
    prose = _read("一、项目概况\n\n项目名称\n乡村道路维修\n\n二、资金情况\n预算20万元，支出19万元。\n")[0]
    assert not prose.indicators and prose.facts.budget_wan == 20


def test_scores_a_sheet_writes_with_trailing_zeros_are_read_to_the_hundredth():
    # 9.8700 (a number format's zeros): 98.67% × 10 = 9.867 is 9.87 at the hundredth, not a gap of 0.003
    text = ("某镇2030年度项目支出绩效自评表\n| 二级指标 | 指标名称 | 分值 | 年度指标值 | 实际完成值 | 得分 | 扣分原因 |\n"
            "| 预算执行 | 预算执行率 | 10 | ≥95% | 98.67% | 9.8700 | 尾款未付 |\n"
            "| 数量指标 | 维修道路 | 90 | ≥20公里 | 21公里 | 90.0000 |\n| 自评总分 | | 100 | | | 99.8700 |\n")
    assert not _loud(_read(text)[1])
