"""Families of narrative reports seen in real published ones (issue 16), each reproduced by a fixture of our own
with our own numbers: amounts and rates apart, parts exceeding totals, lists under a subtotal, derived figures,
headline scope, reasons for low spending, rates named as written, claims against admissions, and kinds."""

from __future__ import annotations

import re

import pytest

from auditlib import extract_path
from auditlib.check import check, tables
from auditlib.extract import amounts, extract, kind as kind_module
from auditlib.ingest import parse_bytes


def audit(fixture_path, name):
    extraction = extract_path(fixture_path(name))
    return extraction, check(extraction)


def found(result, rule, severity=None):
    return [f for f in result.findings if f.rule == rule and (severity is None or f.severity == severity)]


# --- amounts and a rate stated apart ----------------------------------------------------------------------------

def test_a_rate_apart_from_its_budget_and_spending_is_a_low_question_naming_all_three(fixture_path):
    extraction, result = audit(fixture_path, "rate_stated_apart_from_its_amounts")
    [finding] = found(result, "rate.apart", "low")
    assert all(figure in finding.message for figure in ("85%", "150万元", "200万元", "75%", "请核实"))
    assert not found(result, "rate.mismatch")  # three sentences: never certain
    assert extraction.facts.execution_rate == 0.85 and extraction.facts.execution_rate_source == "stated"


RATE_WITH_ITS_BUDGET = ("某县林业局2023年度造林补助资金绩效自评报告\n一、基本情况\n2023年造林补助资金预算80万元，预算执行率97.50%。\n"
                        "二、绩效目标实现情况\n（一）资金使用情况：该项目实际支出{spent}。\n（二）产出：完成造林1200亩。\n")


def test_a_rate_told_with_its_budget_is_set_against_the_one_spending_the_report_tells_elsewhere():
    result = check(extract(parse_bytes(RATE_WITH_ITS_BUDGET.format(spent="68万元，结余12万元").encode("utf-8"))))
    [finding] = found(result, "rate.apart", "low")
    assert all(figure in finding.message for figure in ("97.5%", "68万元", "80万元", "85%", "文中另行所列"))
    # two spending figures in the report: which one the rate is of is not known
    result = check(extract(parse_bytes(RATE_WITH_ITS_BUDGET.format(
        spent="68万元。\n（二）管理情况：年内共支出76万元").encode("utf-8"))))
    assert not found(result, "rate.apart")


# --- parts and totals -------------------------------------------------------------------------------------------

def test_parts_exceeding_their_total_are_high_even_when_the_list_opens_the_next_sentence(fixture_path):
    _, result = audit(fixture_path, "parts_exceeding_their_total")
    highs = {f.stated: f for f in found(result, "sum.mismatch", "high")}
    assert set(highs) == {200, 86.5}
    assert highs[200].expected == 220 and highs[86.5].expected == pytest.approx(93.3)


def test_a_list_under_a_subtotal_is_never_paired_with_one_of_its_items(fixture_path):
    extraction, result = audit(fixture_path, "parts_exceeding_their_total")
    # 省级资金转移支付86.5万元，为…: 转移支付 is a fund, not a payment, and its items are parts, not a budget.
    assert not [a for a in extraction.amounts if a.value_wan == 86.5 and a.measure == "spent"]
    assert not found(result, "rate.over_100")


def test_a_hidden_or_cut_item_leaves_the_sum_a_question(fixture_path):
    _, result = audit(fixture_path, "parts_exceeding_their_total")
    [unclear] = [f for f in found(result, "sum.unclear") if f.stated == 58]
    # 调减 counts against the total (36 - 4), and is written as the report writes it
    assert unclear.severity == "low" and unclear.expected == 32 and "调减4万元" in unclear.message


@pytest.mark.parametrize("word, example", amounts.NOT_MEASURE_WORDS)
def test_every_word_that_only_looks_like_a_measure_has_its_example(word, example):
    assert word in example


# --- derived figures and headline scope -------------------------------------------------------------------------

def test_a_department_headline_leaves_out_one_projects_budget(fixture_path):
    extraction, result = audit(fixture_path, "department_headline_is_the_departments")
    facts = extraction.facts
    assert facts.kind == "department" and facts.budget_wan is None and facts.execution_rate is None
    assert not [f for f in result.findings if f.rule.startswith("rate.") and f.severity in ("high", "medium")]


def test_a_headline_summed_from_lines_is_derived_and_only_questions_the_cap():
    from auditlib import parse_bytes
    from auditlib.extract import extract

    text = ("某县2021年度会务经费项目支出绩效自评报告\n一、投入\n会务经费预算40万元，分以下2个二级项目：年会20万元、培训20万元。\n"
            "二、过程\n1、年会预算20万元，实际支出10万元，由于疫情影响年会推迟。\n2、培训预算20万元，实际支出12万元，培训延期一次。\n"
            "三、结论\n自评得分99分。\n2022年3月1日\n")
    extraction = extract(parse_bytes(text.encode("utf-8")))
    facts = extraction.facts
    assert facts.execution_rate_source == "summed" and facts.execution_rate == pytest.approx(0.55)
    assert facts.derived["spent_wan"] == (5, 6) and facts.evidence["spent_wan"].line == 5
    result = check(extraction)
    assert not [f for f in result.findings if f.severity == "high"]
    assert not found(result, "score.above_cap")
    [cap] = found(result, "score.above_cap_derived")
    assert cap.severity == "medium" and "第5、6行" in cap.message


# --- reasons and names ------------------------------------------------------------------------------------------

def test_a_reason_on_the_rates_line_or_the_next_silences_rate_low(fixture_path):
    _, result = audit(fixture_path, "low_rate_reason_on_the_same_or_next_line")
    # 1: 主要用于 is no reason; 2: reason on its line; 3: reason on the next line.
    assert [f.line for f in found(result, "rate.low")] == [5]


@pytest.mark.parametrize("pattern, positive, negative", tables.REASONS + (tables.SLOW_MONEY,))
def test_every_reason_has_a_positive_and_a_negative_example(pattern, positive, negative):
    assert re.search(pattern, positive) and not re.search(pattern, negative)


@pytest.mark.parametrize("problems, loud", [
    ("资金拨付进度缓慢，影响项目建设进度。", False),  # the report's own account of its problems names the slow money
    ("宣传力度不够，群众知晓率不高。", True),  # problems of other things: the low rate is still unexplained
])
def test_slow_money_named_among_the_reports_problems_answers_rate_low(problems, loud):
    text = ("某县2023年度果蔬补助项目绩效自评报告\n一、自评结论\n（一）预算执行：财政下达项目资金60万元，已拨付12万元，"
            f"预算执行率为20%。\n（二）存在的问题和原因分析\n{problems}\n（三）改进措施\n加强督导。\n")
    result = check(extract(parse_bytes(text.encode("utf-8"))))
    assert bool(found(result, "rate.low")) == loud


def test_a_funding_rate_keeps_its_name(fixture_path):
    _, result = audit(fixture_path, "funding_rate_keeps_its_name")
    for finding in result.findings:
        assert "资金到位率" not in finding.message or "预算执行率" not in finding.message
    assert not [f for f in found(result, "rate.low") if "到位率" in (f.evidence or "") and "预算执行率" in f.message]


# --- claims and admissions --------------------------------------------------------------------------------------

def test_targets_claimed_met_against_a_target_admitted_missed_is_high(fixture_path):
    _, result = audit(fixture_path, "claim_targets_met_against_target_missed")
    [finding] = found(result, "claim.contradiction")
    assert finding.severity == "high" and finding.line == 8 and "第7行" in finding.message


@pytest.mark.parametrize("name, line", [("claim_fully_spent_against_unspent", 6),
                                        ("claim_no_problem_against_low_rate", 5)])
def test_other_claims_against_admissions_or_figures_are_medium_questions(fixture_path, name, line):
    _, result = audit(fixture_path, name)
    assert not found(result, "claim.contradiction")
    [finding] = found(result, "claim.contradiction_unclear")
    assert finding.severity == "medium" and finding.line == line and "请核实" in finding.message


def test_intentions_negations_and_empty_headings_are_neither_claims_nor_admissions(fixture_path):
    _, result = audit(fixture_path, "claim_intentions_and_negations_are_not_claims")
    assert not found(result, "claim.contradiction") and not found(result, "claim.contradiction_unclear")


# --- kinds ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, kind", [
    ("target_table_is_not_a_self_evaluation", None),
    ("news_item_about_an_evaluation", None),
    ("allocation_notice_with_targets", None),
    ("department_headline_is_the_departments", "department"),
    ("rate_stated_apart_from_its_amounts", "project"),
])
def test_kinds(fixture_path, name, kind):
    extraction, result = audit(fixture_path, name)
    assert extraction.facts.kind == kind
    if kind is None:
        assert [(f.rule, f.severity) for f in result.findings] == [("document.not_self_evaluation", "info")]


def test_a_title_naming_the_whole_unit_is_a_department_even_with_projects():
    from auditlib import parse_bytes
    from auditlib.extract import extract

    text = "某局2023年度部门整体和项目支出绩效自评报告\n一、项目概况\n本局项目资金共5个项目。\n"
    assert extract(parse_bytes(text.encode("utf-8"))).facts.kind == "department"
    assert kind_module.WHOLE_UNIT_EVALUATION.search("2017年部门整体支出绩效评价得分表")


# --- rates per fund and a total, paid and unpaid, balances apart, disbursement claims (issue 16, money) ----------

def test_per_fund_rates_are_their_own_statements_and_the_totals_rate_is_the_headline(fixture_path):
    extraction, result = audit(fixture_path, "rates_per_fund_and_a_total_apart")
    assert extraction.facts.execution_rate == pytest.approx(0.913)
    lines = {line.rates["execution"].raw: line.value("spent") for line in extraction.budget_lines
             if "execution" in line.rates}
    assert lines["83.33%"] == 300 and lines["100%"] == 150 and lines["96%"] == 120
    # the total's rate against the money put in (共投入资金) of its subsection: a low question; a fund's rate is
    # never divided by the subsection's budget
    [apart] = found(result, "rate.apart", "low")
    assert apart.line == 7 and "投入资金630万元" in apart.message and "90.48%" in apart.message


def test_a_rate_of_paid_against_paid_and_unpaid_is_checked_in_its_sentence(fixture_path):
    _, result = audit(fixture_path, "rate_of_paid_and_unpaid")
    [finding] = found(result, "rate.mismatch", "high")
    assert finding.line == 6 and finding.expected == pytest.approx(0.92)


def test_a_balance_stated_apart_is_a_low_question_naming_every_reading(fixture_path):
    _, result = audit(fixture_path, "balance_apart_with_other_funds")
    [finding] = found(result, "balance.apart", "low")
    assert finding.line == 7 and "80＋12－86＝6" in finding.message and "80－86＝-6" in finding.message
    assert not found(result, "balance.mismatch")


def test_all_disbursed_against_a_disbursement_rate_below_full_is_a_medium_question(fixture_path):
    _, result = audit(fixture_path, "claim_fully_disbursed_against_partial")
    [finding] = found(result, "claim.contradiction_unclear", "medium")
    assert finding.line == 6 and "全部拨付" in finding.message and "1380万元" in finding.message


def test_no_problem_against_a_low_rate_from_an_allocation_and_its_spending(fixture_path):
    extraction, result = audit(fixture_path, "claim_no_problem_against_low_rate_from_an_allocation")
    assert extraction.facts.budget_wan == 160  # 按生均800元安排，共计160万元: 共计 takes 安排's measure
    [finding] = found(result, "claim.contradiction_unclear", "medium")
    assert "暂无问题" in finding.message and "64÷160" in finding.message


def test_a_report_date_field_in_the_title_block_is_not_the_fiscal_year(fixture_path):
    # 报告日期：2024年06月18日 is when it was written; 2023年度部门整体支出 is what it evaluates.
    extraction = extract_path(fixture_path("fiscal_year_beside_a_report_date_field"))
    assert extraction.facts.fiscal_year == 2023 and extraction.facts.written_year == 2024


# --- stated rates and scores written other ways -----------------------------------------------------------------

@pytest.mark.parametrize("text, rate", [
    ("二、预算执行情况\n本年安排资金合计40万元，已于本年度支出40万元，预算完成率100%。\n", 1.0),
    ("二、预算执行情况\n本年安排资金合计40万元，任务完成率95%。\n", None),  # a target's rate, not money
    ("二、预算执行情况\n全年预算数(A) 全年执行数(B) 预算执行率(B/A×100%)\n", None),  # a formula states no rate
    # a bare 完成率 opening the sentence after one of money speaks of that money
    ("二、预算执行情况\n部门预算总额500万元，其中：基本支出420万元，项目支出80万元。完成率均达到100%。\n", 1.0),
    ("二、预算执行情况\n部门预算总额500万元。各项指标完成率均达到100%。\n", None),  # an indicator's, named
    ("二、预算执行情况\n全年举办培训3期。完成率100%。\n", None),  # after no money
    ("二、预算执行情况\n部门预算总额500万元。\n完成率100%。\n", None),  # another paragraph
    # several rates, one named for the whole: the whole's is the report's
    ("二、预算执行情况\n部门整体支出预算执行率为97.6%，项目支出执行率为95%，基本支出执行率为100%。\n", 0.976),
    ("二、预算执行情况\n项目支出执行率为95%，基本支出执行率为100%。\n", None),
])
def test_a_rate_is_read_only_where_it_names_the_money(text, rate):
    extraction = extract(parse_bytes(("某单位2023年项目支出绩效自评报告\n" + text).encode()))
    assert extraction.facts.execution_rate == rate


@pytest.mark.parametrize("text, score", [
    ("项目按实施方案开展绩效评分95分，自评为优。", 95),
    ("按照要求开展绩效自评，自评得分\n88.5 分，存在的问题是进度偏慢。", 88.5),  # a page's line wrap
    ("绩效评分\n100 分，其中产出指标50分。", None),  # the indicator system's points, not a score given
    ("项目自评得分96.5分，其中预算执行得分10分。", 96.5),  # points scored broken down: a score given
    ("指标体系总分100分，其中产出指标得分上限50分。", None),
])
def test_a_self_score_is_read_across_phrasings_and_line_wraps(text, score):
    extraction = extract(parse_bytes(("某单位2023年项目支出绩效自评报告\n" + text).encode()))
    assert extraction.facts.self_score == score


@pytest.mark.parametrize("written, loud", [("57.89%", False), ("57.9%", False), ("57.87%", True)])
def test_a_rate_cut_off_after_its_last_digit_is_no_mismatch(written, loud):
    # 1157.97 ÷ 2000 = 57.8985%: written 57.89% (cut off) or 57.9% (rounded) is right; 57.87% is not
    text = f"某单位2023年项目支出绩效自评报告\n二、预算执行情况\n全年预算2000万元，实际支出1157.97万元，预算执行率{written}。\n"
    findings = check(extract(parse_bytes(text.encode()))).findings
    assert any(f.rule == "rate.mismatch" for f in findings) == loud


@pytest.mark.parametrize("cells, score", [
    (["总分(100分)", "|", "93", "|", "自评等级", "|", "优"], 93),  # the weight in the title, then the score
    (["总分", "100", "", "91.5"], 91.5),  # the weight, then the score
    (["总分", "91.5"], None),  # one figure and no weight: weight or score? not guessed
])
def test_a_total_row_written_one_cell_per_line(cells, score):
    text = "某单位2023年项目支出绩效自评表\n三级指标\n分值\n得分\n" + "\n".join(cells) + "\n"
    extraction = extract(parse_bytes(text.encode()))
    assert extraction.facts.self_score == score
    if score is not None:
        assert "总分" in extraction.facts.evidence["self_score"].quote


def test_one_named_items_money_beside_the_total_received_is_no_budget_change():
    text = ("某局2023年专项资金项目自评报告\n一、基本情况\n2023年共收到各类专项资金900万元，实施项目12个，具体情况是:\n"
            "1.公共文化服务及文化保护项目资金300万元，实施项目5个。\n2.旅游推广专项资金200万元，实施项目4个。\n")
    findings = check(extract(parse_bytes(text.encode()))).findings
    assert not [f for f in findings if f.rule == "budget.large_change"]


def test_a_numbered_items_money_in_flattened_text_beside_a_forms_total_is_no_budget_change():
    # the whole page on one line: 1.年度重点项目补助资金 is one item of a list, the form's 全年预算数 the whole
    text = ("某厅关于2022年度专项资金绩效自评的报告 一、下达情况(一)区内分解下达预算情况1.年度重点项目补助资金500万元:完成12项"
            "保护工作,绩效目标自评表资金情况(万元)全年预算数(A)全年执行数(B)预算执行率(B/A)年度资金总额:12001200100%其中")
    findings = check(extract(parse_bytes(text.encode()))).findings
    assert not [f for f in findings if f.rule == "budget.large_change"]
    assert [f for f in findings if f.rule == "budget.large_change_apart"]


def test_figures_of_a_form_flattened_into_a_sentence_pair_no_budget_with_spending():
    flattened = ("某项目绩效自评表 项目资金(万元)年初预算数全年执行数年度资金总额 44万元 三级指标 年度指标值 实际完成值 分值 得分 "
                 "成本指标 项目成本 44万元 10 44 40 9.1 年底初步预算资金40万元,完成投放")
    # prose run together on one line, with words a table's titles also use (项目资金, 完成, 评价, 预算), is prose
    narrative = "某项目2023年绩效自评价报告一、基本情况(一)项目资金及评价目标完成情况全年预算资金40万元，实际支出44万元。\n"
    for text, loud in ((flattened, False), (narrative, True)):
        extraction = extract(parse_bytes(text.encode()))
        assert (extraction.facts.execution_rate is not None) == loud
        assert any(f.rule == "rate.over_100" for f in check(extraction).findings) == loud


def test_a_list_of_items_whose_names_hold_measure_words_is_no_budget_against_spending():
    text = ("某局2023年部门整体支出绩效自评报告\n一、预算情况\n年初预算项目6个，经费300万元，具体包括:用于审计服务费8万元、"
            "宣传工作预算经费6万元、规划编制12万元、监测设备支出补助40万元、污染治理补助资金60万元、运行维护支出20万元。\n")
    extraction = extract(parse_bytes(text.encode()))
    assert not [line for line in extraction.budget_lines if {"budget", "spent"} <= set(line.amounts)]
    assert not [f for f in check(extraction).findings if f.rule == "rate.low"]


def test_money_due_is_not_money_paid():
    text = ("某县2024年度贴息资金项目支出绩效自评报告\n一、自评情况\n2024年，该项目预算共安排300万元；2024年应支付贴息资金"
            "250万元，实际支付195万元，执行率65%。\n")
    extraction = extract(parse_bytes(text.encode()))
    assert [a.value_wan for a in extraction.amounts if a.measure == "spent"] == [195]
    assert not [f for f in check(extraction).findings if f.rule == "rate.mismatch"]


@pytest.mark.parametrize("carried, balance", [
    ("2023年结转40万元", False),  # carried in from the year before the one the sentence speaks of
    ("上年结转40万元", False),
    ("结余40万元", True),  # what the year left
])
def test_money_carried_in_from_an_earlier_year_is_no_balance(carried, balance):
    text = ("某县2024年度补助资金项目支出绩效自评报告\n一、自评情况\n2024年，该项目预算共安排100万元，其中：中央100万元"
            f"（{carried}，2024年下达60万元）；实际支付90万元，执行率90%。\n")
    extraction = extract(parse_bytes(text.encode()))
    assert any(a.measure == "balance" for a in extraction.amounts) == balance
    if not balance:
        assert not [f for f in check(extraction).findings if f.rule.startswith("balance.")]


def test_one_levels_budget_against_a_whole_areas_spending_is_a_question_not_a_rate():
    text = ("某省2022年度救助补助资金绩效自评报告\n一、项目基本情况\n2022年，省级统筹安排救助补助资金5000万元，其中，中央资金"
            "3000万元、省级资金2000万元，全省救助资金共支出8200万元。\n")
    extraction = extract(parse_bytes(text.encode()))
    rules = {f.rule for f in check(extraction).findings}
    assert "rate.over_100" not in rules and "rate.unclear" in rules
    same_scope = text.replace("全省救助资金共支出8200万元", "省级救助资金共支出8200万元")
    assert "rate.over_100" in {f.rule for f in check(extract(parse_bytes(same_scope.encode()))).findings}


@pytest.mark.parametrize("opening, kind", [
    ("区财政局委托第三方机构对我单位负责的2021年市级补助资金项目开展了重点绩效评价，绩效评价报告（摘要）如下：", None),
    ("我单位委托第三方机构协助开展2021年市级补助资金项目绩效自评，现将自评情况报告如下：", "project"),
])
def test_a_unit_publishing_an_evaluation_commissioned_of_its_money_is_no_self_evaluation(opening, kind):
    text = f"某区农业农村委员会2021年度项目资金绩效评价结果\n{opening}\n一、基本情况\n项目预算100万元，实际支出96万元。\n"
    assert extract(parse_bytes(text.encode())).facts.kind == kind


@pytest.mark.parametrize("sentence", [
    "项目财政预算100万元，单位自筹20万元，实际支出115万元。",  # self-raised money spent too
    "项目年初预算100万元，年中追加30万元，全年支出125万元。",  # money added during the year
    "项目预算100万元，上年结转资金15万元，本年支出110万元。",  # money carried in
    "下达中央资金80万元，省级配套20万元，全年共支出98万元，执行率98%。",  # the rate is of all the money
])
def test_money_besides_the_budget_named_with_it_is_no_overspending_and_no_wrong_rate(sentence):
    text = f"某县2023年度项目支出绩效自评报告\n一、项目资金情况\n{sentence}\n"
    findings = check(extract(parse_bytes(text.encode()))).findings
    assert not [f for f in findings if f.severity == "high"]
    alone = "某县2023年度项目支出绩效自评报告\n一、项目资金情况\n项目预算100万元，实际支出115万元。\n"
    assert [f.rule for f in check(extract(parse_bytes(alone.encode()))).findings if f.severity == "high"] == ["rate.over_100"]


def test_a_low_rate_of_all_the_money_named_is_told_against_all_of_it():
    text = ("某县2023年度项目支出绩效自评报告\n一、项目资金情况\n下达中央资金80万元，省级配套20万元，全年共支出60万元，"
            "执行率60%。\n二、绩效目标完成情况\n完成年度目标。\n")
    [low] = [f for f in check(extract(parse_bytes(text.encode()))).findings if f.rule == "rate.low"]
    assert "支出60万元/预算100万元" in low.message


def test_every_word_of_other_money_names_it_in_its_example():
    for word, example in amounts.OTHER_MONEY_WORDS:
        assert amounts.OTHER_MONEY.search(example) and word in example


@pytest.mark.parametrize("sentence", [
    "项目财政预算100万元，单位自筹20万元，实际支出115万元。",
    "2023年部门预算收入1000万元，其中财政拨款900万元，事业收入100万元；全年支出1080万元。",  # revenue, not all money
    "中央补助资金下达150万元，项目完成后支付160万元（含地方配套10万元）。",  # the spending says it holds other money
])
def test_spending_above_a_budget_beside_other_money_is_a_question_naming_it(sentence):
    text = f"某县2023年度项目支出绩效自评报告\n一、项目资金情况\n{sentence}\n"
    findings = check(extract(parse_bytes(text.encode()))).findings
    assert not [f for f in findings if f.rule == "rate.over_100"]
    [question] = [f for f in findings if f.rule == "rate.unclear"]
    assert question.severity == "low" and "同句另列有预算以外的资金" in question.message


def test_a_low_rate_beside_other_money_stays_low():
    text = "某县2023年度项目支出绩效自评报告\n一、项目资金情况\n项目预算100万元（含省级配套20万元），实际支出60万元。\n"
    assert [f.rule for f in check(extract(parse_bytes(text.encode()))).findings if f.severity == "medium"] == ["rate.low"]


@pytest.mark.parametrize("sentence, total, parts", [
    # an aside splitting the list's last item: the item stays a part, the aside's figure is none
    ("全年支出150万元，其中：人员经费80万元，公用经费50万元，项目支出30万元（含专项20万元）。", 150, [80, 50, 30]),
    # an aside in the middle: the list goes on after it
    ("全年支出160万元，其中：人员经费80万元，公用经费50万元（含会议费10万元），项目支出30万元。", 160, [80, 50, 30]),
])
def test_an_aside_splitting_one_item_leaves_the_list_whole(sentence, total, parts):
    extraction = extract(parse_bytes(f"某县2023年度项目支出绩效自评报告\n一、资金\n{sentence}\n".encode()))
    outer = next(b for b in extraction.breakdowns if b.total.value_wan == total)
    assert [p.value_wan for p in outer.parts] == parts
    inner = [b for b in extraction.breakdowns if b.marker.startswith(("（", "("))]
    assert inner and all(len(b.parts) == 1 for b in inner)  # the aside's list ends at its own bracket


@pytest.mark.parametrize("title, kind", [
    ("某院配合省厅完成2017年度专项转移支付绩效目标自评工作", None),  # a headline about the work: news
    ("某县农业农村局关于2017年度专项转移支付绩效目标自评工作的报告", "project"),  # the report of it
])
def test_a_headline_about_the_work_of_self_evaluation_is_news_not_a_report(title, kind):
    text = f"{title}\n一、基本情况\n项目预算100万元，实际支出96万元，执行率96%。\n二、绩效目标完成情况\n全部完成。\n"
    assert extract(parse_bytes(text.encode())).facts.kind == kind


@pytest.mark.parametrize("bands", ["综合评分90分以上为优，80-90分为良", "综合评分90分（含）以上为优秀", "自评得分90分及以上为优"])
def test_a_grades_band_is_no_self_score(bands):
    text = f"某县2023年度项目支出绩效自评报告\n一、自评结论\n按照评分标准，{bands}。本项目自评得分88分，等级为优。\n"
    extraction = extract(parse_bytes(text.encode()))
    assert extraction.facts.self_score == 88
    assert "grade.mismatch" in {f.rule for f in check(extraction).findings}


def test_spending_held_down_below_its_budget_is_a_saving_not_a_delay():
    pattern, positive, negative = tables.SAVINGS
    assert re.search(pattern, positive) and not re.search(pattern, negative)
    for label, low in (("三公经费", False), ("会议费", False), ("项目经费", True)):
        text = f"某县2023年度部门整体支出绩效自评报告\n一、资金\n{label}预算10万元，实际支出8.5万元。\n"
        assert ("rate.low" in {f.rule for f in check(extract(parse_bytes(text.encode()))).findings}) == low


def test_spending_above_an_initial_budget_in_prose_asks_whether_money_was_added():
    text = "某县2023年度项目支出绩效自评报告\n一、资金\n项目年初预算100万元，实际支出130万元。\n"
    rules = {f.rule: f.severity for f in check(extract(parse_bytes(text.encode()))).findings}
    assert rules.get("rate.over_initial") == "low" and "rate.over_100" not in rules
    adjusted = "某县2023年度项目支出绩效自评报告\n一、资金\n年初预算1000万元，年中调整为1250万元，全年支出1230万元，预算执行率98.4%。\n"
    assert not [f for f in check(extract(parse_bytes(adjusted.encode()))).findings if f.rule.startswith("rate.")]


def test_a_revenue_total_and_its_composition_are_no_budget_change():
    # 其构成为 lists the parts of the total before it: one source of the revenue is no money received against it
    text = ("某县文联2023年部门整体支出绩效自评报告\n一、部门整体支出概况\n2023年预算收入决算数为80.00万元，其构成为一般公共预算"
            "拨款收入50.00万元，其他收入30.00万元。全年支出决算数为78.60万元。\n")
    extraction = extract(parse_bytes(text.encode()))
    assert [part.value_wan for b in extraction.breakdowns for part in b.parts] == [50, 30]
    assert not [f for f in check(extraction).findings if f.rule.startswith("budget.large_change")]


def test_money_passed_on_to_others_is_not_money_received():
    text = ("某县2022年度生态补偿资金项目支出绩效自评报告\n一、资金情况\n项目预算金额500万元，截至年底已拨付至项目单位资金"
            "300万元，资金使用率60%。\n")
    extraction = extract(parse_bytes(text.encode()))
    assert not [a for a in extraction.amounts if a.measure == "received"]
    assert not [f for f in check(extraction).findings if f.rule.startswith("budget.large_change")]


def test_a_self_evaluation_citing_the_finance_bureaus_notice_is_still_one():
    text = ("某县水利局2022年度项目支出绩效自评报告\n根据《县财政局关于对2022年度项目支出开展绩效评价工作的通知》要求，"
            "我局对农村饮水安全项目进行了绩效自评。\n一、项目概况\n项目预算80万元，实际支出80万元。\n")
    assert extract(parse_bytes(text.encode())).facts.kind == "project"


def test_a_grand_total_told_with_its_measure_ends_the_list_before_it():
    # 总计支出 after items whose list (包括…) holds no figure is the whole again, not a part of the last item
    text = ("某县民政局2024年度福彩公益金项目支出绩效自评报告\n一、资金投入情况\n三所敬老院改造，其中甲院改造支出12.5万元、"
            "乙院改造支出8.2万元、丙院改造支出9.3万元，包括餐厅吊顶、院内道路硬化、更换床头柜，总计支出30万元；"
            "救助站消防改造6.4万元；重阳节活动3.1万元。\n")
    findings = check(extract(parse_bytes(text.encode()))).findings
    assert not [f for f in findings if f.rule == "sum.mismatch"]


@pytest.mark.parametrize("budget, severity", [("年初预算资金240万元", "low"), ("调整后预算资金240万元", "high")])
def test_a_rate_beside_an_initial_budget_alone_is_only_a_question(budget, severity):
    # 到位率100% beside an initial budget exceeded: the rate may be reckoned on an adjusted budget not given
    text = (f"某福利院2023年度部门整体支出绩效自评报告\n一、资金情况\n2023年{budget}，实际到位资金300万元，资金到位率100%。\n")
    findings = [f for f in check(extract(parse_bytes(text.encode()))).findings if f.rule.startswith("rate.mismatch")]
    assert [f.severity for f in findings] == [severity]


@pytest.mark.parametrize("sentence", [
    # what the year began with is money carried in, and the year's end follows from it too
    "年初结转结余12万元，本年预算收入100万元，本年支出105万元，年末结转结余7万元。",
    "上年结余20万元，本年预算100万元，支出100万元，结余20万元。",
])
def test_a_balance_carried_in_counts_toward_the_balance_at_the_years_end(sentence):
    text = f"某中心2023年度部门整体支出绩效自评报告\n一、资金情况\n{sentence}\n"
    findings = check(extract(parse_bytes(text.encode()))).findings
    assert not [f for f in findings if f.rule.startswith("balance.") and f.severity != "low"]


@pytest.mark.parametrize("parts, spent, loud", [
    ("中央资金60万元，省级资金40万元，县级自筹20万元", 120, False),  # the rate is of all the money, 自筹 included
    ("中央资金60万元，省级资金40万元", 120, True),  # no other money: spending above the budget at 100% is wrong
])
def test_a_stated_rate_is_read_against_other_money_named_as_a_part_of_the_budget(parts, spent, loud):
    text = (f"某县2023年度项目支出绩效自评报告\n一、资金情况\n项目预算100万元，其中{parts}，实际支出{spent}万元，"
            "执行率100%。\n")
    findings = check(extract(parse_bytes(text.encode()))).findings
    assert bool([f for f in findings if f.rule == "rate.mismatch"]) == loud


@pytest.mark.parametrize("balance, loud", [(12, False), (15, True)])
def test_what_a_balance_says_it_holds_counts_toward_it(balance, loud):
    # 结余12万元（含利息2万元）: the remainder of the budget and the interest the balance names
    text = (f"某县2023年度项目支出绩效自评报告\n一、资金情况\n项目资金100万元，支出90万元，结余{balance}万元（含利息2万元）。\n")
    findings = [f for f in check(extract(parse_bytes(text.encode()))).findings if f.rule == "balance.mismatch"]
    assert bool(findings) == loud
    if loud:
        assert "100＋2－90＝12万元" in findings[0].message


@pytest.mark.parametrize("rate, loud", [("100%", False), ("90%", True)])
def test_an_execution_rate_may_be_reckoned_on_the_money_received(rate, loud):
    # 执行率100% = 支出80 ÷ 到位80, not ÷ 预算100: a reckoning reports use, no mismatch; a rate neither gives is one
    text = (f"某县2023年度项目支出绩效自评报告\n一、资金情况\n项目批复预算100万元，实际到位80万元，到位率80%，"
            f"实际支出80万元，执行率{rate}。\n")
    findings = check(extract(parse_bytes(text.encode()))).findings
    assert bool([f for f in findings if f.rule == "rate.mismatch"]) == loud


def test_a_notice_asking_for_the_work_is_no_self_evaluation():
    text = ("关于开展2023年度项目支出绩效自评工作的通知\n各预算单位：现就开展绩效自评工作通知如下：一、自评范围。"
            "二、自评内容。自评得分90分以上为优。\n")
    assert extract(parse_bytes(text.encode())).facts.kind is None
    report = text.replace("关于开展2023年度项目支出绩效自评工作的通知", "某县水利局2023年度项目支出绩效自评报告")
    assert extract(parse_bytes(report.encode())).facts.kind == "project"


# --- points written in headings (一、投入（分值18分，自评得18分）) ---------------------------------------------------

SCORED_HEADINGS = ("某区2023年度救助资金绩效自评报告\n对照评分表进行了自评，自评得分95分。\n一、投入（分值{top}分，自评得{top}分）\n"
                   "（一）项目立项（分值10分，自评得10分）\n按规定立项。\n（二）资金落实（分值10分，自评得10分）\n资金到位。\n"
                   "二、过程（分值30分，自评得29分）\n（一）项目管理（分值20分，自评得20分）\n{tail}")


@pytest.mark.parametrize("top, tail, loud", [
    (18, "管理规范。\n", True),  # 10 + 10 is not 18, and the next top heading shows both parts were read
    (20, "管理规范。\n", False),
    # the text stops inside 二、过程: its second part may be after the cut; 投入 adds up
    (20, "管理规范，财务", False),
])
def test_points_in_headings_are_summed_where_every_part_was_read(top, tail, loud):
    result = check(extract(parse_bytes(SCORED_HEADINGS.format(top=top, tail=tail).encode("utf-8"))))
    findings = found(result, "score.sum_in_headings")
    assert bool(findings) == loud and not found(result, "score.sum_mismatch") and not found(result, "weights.not_100")
    if loud:
        assert {f.severity for f in findings} == {"medium"} and {f.stated for f in findings} == {18}
        assert "项目立项10＋资金落实10" in findings[0].message


def test_a_heading_with_a_part_that_carries_no_points_is_not_summed():
    text = ("某区2023年度救助资金绩效自评报告\n一、投入（14分）\n（一）项目立项（8分）\n按规定立项。\n（二）资金落实\n资金到位。\n"
            "二、过程（30分）\n管理规范。\n")
    assert not found(check(extract(parse_bytes(text.encode("utf-8")))), "score.sum_in_headings")


# --- a headline rate stated beside spending over an initial budget alone -----------------------------------------

INITIAL_BUDGET_AND_STATED_RATE = (
    "某中心2021年度部门整体支出绩效自评报告\n一、部门概况\n本中心为全额拨款事业单位。\n二、部门整体支出情况\n"
    "年初预算数150万元，年末支出合计210万元，支出比年初预算多60万元，主要是年中追加人员经费。\n"
    "本年度收入合计210万元，支出合计210万元，预算执行率为100%\n")


def test_a_rate_the_report_states_is_the_headline_not_spending_over_its_initial_budget():
    extraction = extract(parse_bytes(INITIAL_BUDGET_AND_STATED_RATE.encode("utf-8")))
    assert (extraction.facts.execution_rate, extraction.facts.execution_rate_source) == (1.0, "stated")
    # without a rate of its own, spending over the initial budget is what the report gives (a question, not a fact)
    without = INITIAL_BUDGET_AND_STATED_RATE.replace("，预算执行率为100%", "。")
    assert extract(parse_bytes(without.encode("utf-8"))).facts.execution_rate == 1.4


@pytest.mark.parametrize("text, kind", [
    # the title names a project's evaluation; the body mentions the unit's whole evaluation in passing
    ("某县党校2023年度项目支出绩效单位自评报告\n一、基本情况\n（一）项目概况\n结合整体支出绩效自评清单，梳理预算项目。\n"
     "本次自评项目资金共计12万元。\n", "project"),
    # the end of the unit's own report comes first, a project's report is attached below it
    ("根据部门整体支出绩效评价指标体系，本局整体绩效自评分92分。\n附件2\n某县2020年度水库移民扶持资金项目绩效评价报告\n"
     "一、项目概况\n下达资金300万元。\n", "department"),
])
def test_a_project_title_decides_over_a_whole_unit_evaluation_named_below_it(text, kind):
    assert extract(parse_bytes(text.encode("utf-8"))).facts.kind == kind


@pytest.mark.parametrize("text, kind", [
    # a final accounts document whose contents list its accounts' explanation, a self-evaluation table appended
    ("目录 第一部分单位概况……1 第二部分2022年度部门决算情况说明……2 第三部分名词解释……5\n一、基本职能\n"
     "本单位机构设置为……，基本支出80万元。\n附件：项目支出绩效自评表\n", None),
    # a monitoring report on the year's targets
    ("某局2023年度绩效目标监控报告\n一、部门概况\n执行率为60%。\n", None),
    # the transfer payment's self-evaluation template, one of its headings naming the overall target
    ("根据通知，我单位开展了补助资金2023年度绩效自评工作。\n一、基本情况\n（一）转移支付概况。\n下达资金50万元。\n"
     "（二）整体绩效目标情况。\n完成改造200户。\n", "project"),
])
def test_accounts_contents_monitoring_reports_and_the_transfer_payment_template(text, kind):
    assert re.search(kind_module.ACCOUNTS_CONTENTS[0], kind_module.ACCOUNTS_CONTENTS[1])
    assert extract(parse_bytes(text.encode("utf-8"))).facts.kind == kind


def test_a_figure_written_below_zero_is_a_change_not_a_budget():
    text = ("某局2021年度部门整体支出绩效自评报告\n一、部门概况\n年初预算收入1400万元，年内调整预算-1010万元，决算收入390万元。\n")
    found = {a.raw: a.measure for a in extract(parse_bytes(text.encode("utf-8"))).amounts}
    assert found["1010万元"] == "decrease" and found["1400万元"] == "budget"


def test_fees_for_budget_work_and_money_still_due_are_neither_budget_nor_spending():
    text = ("某县公安局2023年度监控平台项目绩效自评报告\n一、项目概况\n项目已支付施工费300.5万元，待支付前期费：预算审核费2.1万元、"
            "设计费20万元、预算编制费1.5万元，合计23.6万元。\n二、绩效目标完成情况\n项目已按期完成。\n")
    extraction = extract(parse_bytes(text.encode("utf-8")))
    result = check(extraction)
    assert extraction.facts.budget_wan is None
    assert not [a for a in extraction.amounts if a.measure in ("budget", "spent") and a.value_wan in (2.1, 1.5, 23.6)]
    assert not found(result, "rate.over_100")


def test_projects_told_side_by_side_give_no_headline_rate_of_the_largest():
    text = ("某区2022年度教育补助和培训项目绩效自评报告\n一、基本情况\n项目自评得分96分。教育补助项目全年预算数为36万元，执行数为14万元；"
            "技能培训项目全年预算数9万元，执行数为8.4万元。\n二、绩效目标完成情况\n完成培训280人。\n")
    extraction = extract(parse_bytes(text.encode("utf-8")))
    assert extraction.facts.execution_rate is None
    assert not found(check(extraction), "score.above_cap")
    # one project alone still has its rate
    alone = text.replace("技能培训项目全年预算数9万元，执行数为8.4万元。", "")
    assert extract(parse_bytes(alone.encode("utf-8"))).facts.execution_rate == pytest.approx(14 / 36, abs=1e-6)


@pytest.mark.parametrize("reason, loud", [
    ("一是部分经营主体不符合补助条件，据实补贴后资金结余，未能全部执行。", False),  # the form's reason field, in its own words
    ("无", True),  # the field filled with nothing to say
])
def test_a_forms_filled_reason_field_answers_its_low_rate(reason, loud):
    assert re.search(tables.FORM_REASON_FIELD[0], tables.FORM_REASON_FIELD[1])
    assert not re.search(tables.FORM_REASON_FIELD[0], tables.FORM_REASON_FIELD[2])
    text = ("项目支出绩效自评表\n项目名称 | 经营主体扶持项目 |\n预算执行情况(万元)(20分) | 预算数(A) | 执行数(B) | 执行率(B/A) | 得分 |\n"
            "年度财政资金总额 | 500 | 60 | 12% | 2.4 |\n一级指标 | 二级指标 | 三级指标 | 年初目标值 | 实际完成值 | 得分 |\n"
            "产出指标 | 数量指标 | 扶持经营主体(个) | 10 | 4 | 8 |\n总分 | 60.4 |\n偏差大或目标未完成原因分析 |\n"
            f"{reason} |\n改进措施及结果应用方案 |\n加强管理。 |\n")
    result = check(extract(parse_bytes(text.encode("utf-8"))))
    assert bool(found(result, "rate.low")) == loud


@pytest.mark.parametrize("text, kind", [
    # final accounts: a contents line right after the title, or a title ending in 决算
    ("某乡2021年度部门决算目录第一部分某乡概况一、主要职能二、部门基本情况第二部分2021年度部门整体支出绩效自评情况\n"
     "一、主要职能\n落实国家政策。\n", None),
    ("2020年度某州法律援助中心决算\n一、部门基本情况\n八、部门整体支出绩效评价情况\n本单位开展了整体支出绩效评价。\n", None),
    # news: a meeting, a finance body's headline, a lead opening with its day or with 近日
    ("2021年基层文化服务绩效评价工作答疑会议\n会议由市文化馆馆长主持，第三方专家解答了绩效评价问题。\n", None),
    ("某省财政厅创新实施四项机制提升绩效自评质效\n今年，省财政厅进一步加强项目绩效自评管理。\n", None),
    ("财政部近日发布通知，启动中央部门项目支出绩效自评工作。\n通知要求各部门对项目支出开展绩效自评。\n", None),
    ("4月17日，省考评组到某区开展项目绩效考评。\n考评组查阅了项目资金使用资料，开展满意度测评。\n", None),
    # the finance bureau's contract with a firm told among the steps; an evaluation before the spending
    ("防汛抗旱项目支出绩效评价报告\n1、前期准备。下发通知，单位自评。财政委托第三方中介机构独立评价，成立绩效评价小组。\n", None),
    ("某经费项目前评价报告\n一、项目概况\n项目拟申请资金40万元。\n", None),
    ("我局组织开展了2022年重点项目绩效评价工作，现将评价情况通报如下：\n共评价项目9个，项目名称及得分见附表。\n", None),
    ("项目名称: | 道路养护经费 | 项目编号: |\n对应一级项目 | 城市维护 | 项目功能科目 | 其他支出 |\n"
     "年度绩效目标 | 完成道路养护120公里 |\n", None),
    # a project named for paying people, a project's overall performance, a whole-unit notice named in 《》
    ("某县公安局2022年度辅警人员经费绩效自评工作报告\n一、项目概况\n辅警人员经费预算300万元。\n", "project"),
    ("某县融媒体中心2022年度项目整体绩效自评报告\n一、项目概况\n年初项目预算90万元。\n", "project"),
    ("2022年度某省应急专项资金绩效自评报告\n按照《关于开展2022年度部门整体支出绩效自评和专项资金评价工作的通知》要求，"
     "我厅对专项资金开展了自评。\n一、专项资金基本情况\n", "project"),
    # a score given item by item (自评得2分); a unit's report known by its headings alone
    ("一、投入(14分)\n（1）项目立项(2分)：程序完整，执行规范。自评得2分。\n（2）绩效目标(3分)：目标明确。\n", "project"),
    ("一、部门概况\n（一）单位基本情况\n本单位编制11个。\n（二）部门整体支出情况\n全年支出105万元。\n", "department"),
])
def test_kinds_from_a_fresh_set_final_accounts_news_third_parties_and_scopes(text, kind):
    assert extract(parse_bytes(text.encode("utf-8"))).facts.kind == kind


def test_amounts_after_an_amount_and_zhong_are_its_parts_not_spending_against_the_budget():
    text = ("某省2016年专项扶贫资金绩效自评报告\n一、基本情况\n2016年省级专项扶贫资金5200万元，由我办管理的资金共计4250万元，"
            "4250万元中，省级项目支出为140万元，对市县转移支付4110万元。\n二、自评情况\n完成目标任务。\n")
    extraction = extract(parse_bytes(text.encode("utf-8")))
    assert extraction.facts.execution_rate is None
    assert not found(check(extraction), "rate.low")


@pytest.mark.parametrize("after, loud", [
    ("", False),  # the text ends on the rate: its reason may be on the next line, which is not shown
    ("\n截至2024年4月1日，现", False),  # the cut's remnant after it
    ("\n二、绩效目标完成情况\n完成改造200户，群众满意度95%。\n三、存在问题\n宣传不够。\n", True),  # the next lines shown, no reason
])
def test_a_low_rate_on_the_last_line_of_a_cut_text_is_not_asked_for_its_reason(after, loud):
    text = ("某县2023年度改造补助资金绩效自评报告\n一、资金情况\n下达资金800万元，截至2023年12月31日，"
            f"项目资金共支出560万元，资金执行率为70%{after}")
    result = check(extract(parse_bytes(text.encode("utf-8"))))
    assert bool(found(result, "rate.low")) == loud


def test_the_reports_score_is_not_a_parts_score_named_before_it():
    from auditlib.extract import scores
    assert re.search(scores.PART_SCORE[0], scores.PART_SCORE[1]) and not re.search(scores.PART_SCORE[0], scores.PART_SCORE[2])
    text = ("某项目绩效自评报告\n一、自评结论\n依据评价指标体系，产出指标自评得分45分、效益指标自评得分28分、满意度指标自评得分9分、"
            "预算资金执行率自评得分10分，综合得分92分。\n")
    assert extract(parse_bytes(text.encode("utf-8"))).facts.self_score == 92
    alone = "某单位预算绩效管理自评得分95分。\n"
    assert extract(parse_bytes(alone.encode("utf-8"))).facts.self_score == 95


@pytest.mark.parametrize("text", [
    # rules open with their general provisions; a notice issuing them says 印发给你们
    "某学院预算绩效管理办法（试行）\n第一章 总 则\n第一条 根据有关规定，结合学校实际，制定本办法。\n第二条 学校开展绩效自评。\n",
    "各乡镇人民政府，县级预算部门：\n我局制定了《县级绩效评价管理办法》，现印发给你们，请认真贯彻执行。\n附件：县级绩效评价管理办法\n",
    # a ministry's notice run together with its title: 现将具体事项通知如下
    "两部启动某计划绩效评价工作某网站关于某计划绩效评价工作的通知各省教育厅:\n"
    "为做好项目绩效自评和评价工作，两部决定启动绩效评价。现将具体事项通知如下。\n一、评价对象\n",
    # a disclosure's glossary of budget terms
    "2.部门绩效评价结果。\n本部门对2019年部门整体支出开展了绩效自评。\n第三部分 名词解释\n"
    "1.财政拨款收入:指单位从同级财政部门取得的财政预算资金。\n",
    # a firm's cover and report number; a unit that hired a firm; the finance bureau's sealed cover and its visit
    "某街道2018年度小区整新项目绩效评价报告 评价机构 : 某社会组织培育中心 项目名称:小区整新 委托单位:某街道办事处\n"
    "一、项目基本情况\n项目预算120万元。\n",
    "某中心2020年度农机补贴专项资金项目绩效评价报告\n某财正咨字〔2022〕第9号\n为规范资金管理，开展项目绩效评价。\n",
    "美丽乡村建设项目绩效自评报告\n为加强专项资金管理，我局委托了某会计师事务所，于9月5日至9月25日，"
    "对本区美丽乡村项目专项资金的使用管理情况进行了评价。\n",
    "某殡葬管理中心公墓建设项目绩效评价报告 评价类型: 完成结果评价 组织方式: 财政部门 主管部门 "
    "组织 单位(盖章): 某市财政局\n一、项目基本情况\n",
    "某县村级活动场所专项资金绩效评价报告\n县财政局于2015年5月8日—13日对县委组织部“村级活动场所建设项目”开展了绩效评价，"
    "具体评价情况如下：\n一、项目概况\n",
    # a second evaluation of money already self-evaluated; a visit of several days told as news
    "某乡2023年产业项目绩效再评价报告\n一、基本情况\n二、绩效自评情况\n（一）绩效自评结论\n",
    "2024年11月25日-29日，专家组来省开展产业集群项目绩效评价。\n专家组深入基地调研，听取了项目绩效自评情况汇报。\n",
])
def test_rules_notices_glossaries_firms_and_second_evaluations_are_not_self_evaluations(text):
    extraction = extract(parse_bytes(text.encode("utf-8")))
    assert extraction.facts.kind is None, extraction.facts.kind_reason


@pytest.mark.parametrize("text", [
    "一、绩效目标分解下达情况\n2020年10月30日，中央下达我区专项资金预算4631万元。\n二、绩效目标完成情况\n全面完成。\n",
    "某局2022年度项目支出绩效自评报告\n我局委托某会计师事务所对项目资金进行了审计，结论为合规。\n一、项目概况\n",
    "某局2022年度项目支出绩效自评报告\n根据《县级绩效管理办法》第一条，开展项目绩效自评。\n一、项目概况\n",
])
def test_a_report_naming_a_dated_decision_an_audit_firm_or_a_rule_stays_a_self_evaluation(text):
    assert extract(parse_bytes(text.encode("utf-8"))).facts.kind == "project"


def test_a_sum_on_a_page_that_dropped_its_decimal_points_is_a_question_not_a_finding():
    text = ("某区2023年度免费开放专项资金绩效自评报告\n一、资金情况\n"
            "全区乡镇文化站免费开放资金标准为每站每年5万元（其中中央和省级补助43万元，本级配套07万元），按时拨付到位。\n")
    result = check(extract(parse_bytes(text.encode("utf-8"))))
    assert not found(result, "sum.mismatch") and found(result, "sum.unclear")
    assert re.search(tables.LOST_DECIMAL_POINT[0], tables.LOST_DECIMAL_POINT[1])
    assert not re.search(tables.LOST_DECIMAL_POINT[0], tables.LOST_DECIMAL_POINT[2])
    assert found(check(extract(parse_bytes(text.replace("07万元", "7万元").encode("utf-8")))), "sum.mismatch")



def test_a_numbered_item_named_for_its_project_is_a_part_not_the_reports_budget():
    assert re.fullmatch(amounts.NUMBERED_ITEM_NAME[0], amounts.NUMBERED_ITEM_NAME[1])
    assert not re.fullmatch(amounts.NUMBERED_ITEM_NAME[0], amounts.NUMBERED_ITEM_NAME[2])
    text = ("某委2017年协作经费专项资金绩效评价报告\n一、资金安排情况\n2017年协作经费实际到位资金520万元，补助情况:"
            "(1)援外经费40万元。(2)对口支援项目资金及培训基地经费310万元。(3)移民安置经费170万元。\n")
    extraction = extract(parse_bytes(text.encode("utf-8")))
    assert extraction.facts.budget_wan is None
    assert not found(check(extraction), "budget.large_change")
    # the item's own budget where no project names it stays the budget
    plain = text.replace("(2)对口支援项目资金及培训基地经费310万元。", "项目资金310万元。")
    assert extract(parse_bytes(plain.encode("utf-8"))).facts.budget_wan == 310


def test_spending_told_apart_many_times_the_budget_is_other_money_not_a_rate():
    text = ("某局2021年度站房扩建经费项目支出绩效自评报告\n一、项目资金情况\n年初预算260万元。\n二、实施情况\n"
            "站房规模扩大，增加投资由地方承担，已申请专项债券资金支付9600万元。\n")
    facts = extract(parse_bytes(text.encode("utf-8"))).facts
    assert facts.budget_wan == 260 and facts.execution_rate is None
    near = text.replace("9600万元", "240万元")
    assert extract(parse_bytes(near.encode("utf-8"))).facts.execution_rate is not None


def test_a_date_field_run_into_a_line_says_when_the_report_was_written_not_the_year_it_evaluates():
    text = ("省级财政专项资金绩效自评报告\n1、专项资金名称:妇女创业贷款贴息 填报日期:2019年6月-8-一、基本情况(一)资金额度:"
            "专项资金由省妇联主管，2018年预算额度900万元，其中本级200万元，对下级支付700万元。\n")
    assert extract(parse_bytes(text.encode("utf-8"))).facts.fiscal_year == 2018


def test_the_same_rate_of_the_same_figures_written_twice_is_one_question_named_by_its_item():
    text = ("某县文化馆2019年度项目支出绩效自评报告\n一、项目概况\n2019年度项目总预算40万元，实际支出32万元，预算执行率80%。\n"
            "二、资金管理\n项目预算40万元，实际支出32万元，预算执行率80%。\n")
    low = [f for f in check(extract(parse_bytes(text.encode()))).findings if f.rule == "rate.low"]
    assert len(low) == 1 and low[0].message.startswith("“项目”预算执行率80%")
