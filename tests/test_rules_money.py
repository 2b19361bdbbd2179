"""The money rules (auditlib.check.rules.money): rates, totals and their parts, balances, budget changes."""

import re

import pytest

from auditlib.check import CheckParams
from auditlib.check.rules import money
from auditlib.extract.amounts import LIST_ENDS
from tests.rule_cases import assert_covers, fires, rules_of, run, self_evaluation_table

# A department form whose only budget column is the initial one, spending above it.
INITIAL_ONLY_FORM = ("部门整体支出绩效自评表\n资金(万元) | 资金来源 | 年初预算数(A) | 全年执行数(B) | 分值 | 得分 | 得分计算方法 | ||\n"
                     "年度资金总额: | 800 | 860 | 10 | 10 | 执行率×分值 | ||\n")
CASES = [
    # rule, a text it fires on, a text it stays quiet on
    ("rate.over_100", "一、资金\n预算10万元，实际支出12万元。\n", "一、资金\n预算10万元，实际支出10万元。\n"),
    ("rate.mismatch", "一、资金\n预算48万元，实际支出44.9万元，执行率93.3%。\n",
     "一、资金\n预算48万元，实际支出44.9万元，执行率93.5%。\n"),
    ("rate.mismatch_unclear", "一、投入\n项目资金5万元，投入资金3.97万元，资金到位率79.6%。\n",
     "一、投入\n项目资金5万元，投入资金3.97万元，资金到位率79.32%。\n"),
    ("rate.apart", "一、资金\n项目预算200万元。\n全年实际支出150万元。\n预算执行率85%。\n",
     "一、资金\n项目预算200万元。\n全年实际支出150万元。\n预算执行率75%。\n"),
    ("rate.unclear", "一、资金\n下达预算资金100.00万元。\n二、支出\n全年实际支出130.00万元。\n",
     "一、资金\n下达预算资金100.00万元。\n二、支出\n全年实际支出95.00万元。\n"),
    ("rate.low", "一、资金\n预算10万元，实际支出7.3万元。\n", "一、资金\n预算10万元，实际支出9万元。\n"),
    ("rate.zero_budget", "项目支出绩效自评表\n项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额: 0 0 0 10 0% 0\n",
     "项目支出绩效自评表\n项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额: 40 40 40 10 100% 10\n"),
    ("rate.over_initial", INITIAL_ONLY_FORM, INITIAL_ONLY_FORM.replace("| 860 |", "| 780 |")),
    # a part of the form's total spent above its own budget, the total within its own: a question, not an overspend
    ("rate.part_over_100", self_evaluation_table(funds="| 年度资金总额 | 100 | 100 | 96 | 10 | 96% | 9.6 | |\n"
                                                       "| 其中：基本支出 | 60 | 60 | 50 | | | | |\n"
                                                       "| 项目支出 | 40 | 40 | 46 | | | | |"),
     self_evaluation_table(funds="| 年度资金总额 | 100 | 100 | 96 | 10 | 96% | 9.6 | |\n"
                                 "| 其中：基本支出 | 60 | 60 | 58 | | | | |\n"
                                 "| 项目支出 | 40 | 40 | 38 | | | | |")),
    ("rate.low_funding", "一、资金\n项目预算100万元，实际到位80万元，资金到位率80%。\n",
     "一、资金\n项目预算100万元，实际到位95万元，资金到位率95%。\n"),
    ("sum.mismatch", "一、预算\n年初预算30.00万元，其中办公费22.00万元，会议费9.00万元。\n",
     "一、预算\n年初预算30.00万元，其中办公费21.00万元，会议费9.00万元。\n"),
    ("sum.funds_sources", self_evaluation_table(funds="| 年度资金总额 | 100 | 100 | 100 | 10 | 100% | 10 | |\n"
                                                      "| 其中：当年财政拨款 | 80 | 80 | 80 | — | 100% | — | |\n"
                                                      "| 上年结转资金 | 30 | 30 | 30 | — | 100% | — | |"),
     self_evaluation_table(funds="| 年度资金总额 | 100 | 100 | 100 | 10 | 100% | 10 | |\n"
                                 "| 其中：当年财政拨款 | 70 | 70 | 70 | — | 100% | — | |\n"
                                 "| 上年结转资金 | 30 | 30 | 30 | — | 100% | — | |")),
    ("sum.unclear", "一、预算\n支出较去年增加23.74万元，主要是基本支出减少44.99万元，项目支出增加68.71万元。\n",
     "一、预算\n支出较去年增加23.74万元，主要是基本支出减少44.99万元，项目支出增加68.73万元。\n"),
    ("count.mismatch", "一、投入\n一级项目文化经费 30 万元分以下 3 个二级项目：演出经费 10 万元、培训经费 20 万元。\n",
     "一、投入\n一级项目文化经费 30 万元分以下 2 个二级项目：演出经费 10 万元、培训经费 20 万元。\n"),
    ("balance.mismatch", "一、资金\n预算资金共计48万元，实际使用44.9万元，节余3.5万元。\n",
     "一、资金\n预算资金共计48万元，实际使用44.9万元，节余3.1万元。\n"),
    ("balance.apart", "一、资金\n预算收入50万元。其他资金来源6万元。\n支出53万元，结余结转0万元。\n",
     "一、资金\n预算收入50万元。其他资金来源6万元。\n支出53万元，结余结转3万元。\n"),
    # a form's 万元 column filled in 元, its cells run together
    ("amount.huge_wan", "项目支出绩效自评表\n项目资金(万元) 年初预算数全年预算数全年执行数分值执行率得分\n"
     "年度资金总额86000000.0086000000.0086000000.0010100.0%10\n",
     "项目支出绩效自评表\n项目资金(万元) 年初预算数全年预算数全年执行数分值执行率得分\n"
     "年度资金总额8600.008600.008600.0010100.0%10\n"),
    ("amount.small_yuan", "一、资金\n慰问经费项目市级资金配套4.8元，全部到位并使用完毕，执行率100%。\n",
     "一、资金\n慰问经费项目市级资金配套4.8万元，全部到位并使用完毕，执行率100%。\n"),
    ("budget.large_change", "一、预算\n年初预算数100万元。实际收到拨款收入125万元。\n",
     "一、预算\n年初预算数100万元。实际收到拨款收入115万元。\n"),
    ("budget.large_change_apart", "一、预算\n年初预算数100万元。\n二、收入\n实际收到拨款收入125万元。\n",
     "一、预算\n年初预算数100万元。\n二、收入\n实际收到拨款收入115万元。\n"),
]


def test_the_cases_cover_every_money_rule():
    assert_covers(money, CASES)


@pytest.mark.parametrize("rule, firing, quiet", CASES, ids=[case[0] for case in CASES])
def test_each_rule_fires_and_stays_quiet(rule, firing, quiet):
    assert fires(rule, firing) and not fires(rule, quiet)


def test_a_funding_rate_beside_no_amount_is_never_called_an_execution_rate():
    # 资金到位率 beside spending and no receipts is the execution rate under another name (rate.low fires on it);
    # beside neither it is a funding rate, and rate.low is about execution.
    assert fires("rate.low", "一、投入\n项目资金5万元，投入资金3.97万元，资金到位率79.32%。\n")
    assert not fires("rate.low", "一、资金\n项目预算100万元，资金到位率85%。\n")


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
    # 3.97 stands for 3.965..3.975, so 79.32% of 5 is consistent; 79.6% is not. A 到位率 set against spending
    # (投入资金) may measure other money: the mismatch is a question, and the rate keeps its name.
    ok = run("一、投入\n1、友好商会项目资金5万元，投入资金3.97万元，资金到位率79.32%。\n")
    assert not rules_of(ok, "rate.mismatch") and not rules_of(ok, "rate.mismatch_unclear")
    bad = run("一、投入\n1、友好商会项目资金5万元，投入资金3.97万元，资金到位率79.6%。\n")
    assert not rules_of(bad, "rate.mismatch")
    [finding] = rules_of(bad, "rate.mismatch_unclear")
    assert finding.severity == "low" and "79.4%" in finding.message and finding.expected == pytest.approx(0.794)
    assert "资金到位率可能指拨付或到位" in finding.message


def test_a_rate_apart_from_its_amounts_names_all_three_and_their_lines():
    result = run("一、资金\n项目预算200万元。\n全年实际支出150万元。\n预算执行率85%。\n")
    [finding] = rules_of(result, "rate.apart")
    assert finding.severity == "low" and finding.line == 5 and finding.expected == pytest.approx(0.75)
    assert all(words in finding.message for words in ("第3行", "第4行", "第5行", "请核实"))
    assert not rules_of(result, "rate.mismatch")


def test_budget_change_across_sections_is_a_question_within_one_a_finding():
    apart = run("一、预算\n年初预算数100万元。\n二、收入\n实际收到拨款收入125万元。\n")
    assert not rules_of(apart, "budget.large_change") and rules_of(apart, "budget.large_change_apart")
    together = run("一、预算\n年初预算数100万元。实际收到拨款收入125万元。\n")
    assert rules_of(together, "budget.large_change") and not rules_of(together, "budget.large_change_apart")


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


def test_a_low_funding_rate_is_a_low_question_with_its_amounts_and_its_threshold():
    text = "一、资金\n项目预算100万元，实际到位80万元，资金到位率80%。\n"
    [finding] = rules_of(run(text), "rate.low_funding")
    assert (finding.severity, finding.name, finding.expected, finding.stated) == ("low", "资金到位率低于90%", 0.9, 0.8)
    assert "到位资金80万元/预算100万元" in finding.message and not rules_of(run(text), "rate.low")
    assert not rules_of(run(text, CheckParams(low_funding_rate=0.8)), "rate.low_funding")
    # an execution rate is rate.low's, never this rule's; 到位率 rounded to 89.96% may be 90%
    assert not fires("rate.low_funding", "一、资金\n预算10万元，实际支出7.3万元。\n")
    assert not fires("rate.low_funding", "一、资金\n项目预算100万元，实际到位89.96万元，资金到位率90%。\n")


def test_paid_and_unpaid_in_one_sentence_are_the_base_of_its_rate():
    # 支付A，未支B，支付率R: R is A ÷ (A + B); one statement, so a mismatch beyond rounding is certain.
    [finding] = rules_of(run("一、资金\n专项资金支付460万元，未支40万元，支付率90%。\n"), "rate.mismatch")
    assert finding.severity == "high" and "未支出40" in finding.message and finding.expected == pytest.approx(0.92)
    assert not rules_of(run("一、资金\n专项资金支付460万元，未支40万元，支付率92%。\n"), "rate.mismatch")
    # with a budget in the sentence the budget is the base, whatever is said unpaid
    assert not rules_of(run("一、资金\n预算500万元，支付460万元，未支付30万元，支付率92%。\n"), "rate.mismatch")
    # a 结余 or 结转 may be one share of what was left: it makes no base
    assert not rules_of(run("一、资金\n专项资金支出460万元，结余40万元，执行率85%。\n"), "rate.mismatch")
    # spending and a balance without a stated rate make no rate of their own
    assert not rules_of(run("一、资金\n地方投入80万元，结转资金5万元。\n"), "rate.low")


def test_a_balance_apart_is_quiet_when_the_other_funds_account_for_it():
    quiet = run("一、资金\n预算收入50万元。其他资金来源6万元。\n支出53万元，结余结转3万元。\n")
    assert not rules_of(quiet, "balance.apart") and not rules_of(quiet, "balance.mismatch")
    [finding] = rules_of(run("一、资金\n预算收入50万元。其他资金来源6万元。\n支出53万元，结余结转0万元。\n"),
                         "balance.apart")
    assert finding.severity == "low" and "50＋6－53＝3" in finding.message and "请核实" in finding.message


@pytest.mark.parametrize("text", ["一、资金\n按生均50元安排补助资金，共计80万元。\n",
                                  "一、资金\n补助资金标准80元/人，共发放12万元。\n",
                                  "一、资金\n办公用品采购单价60元，共计0.6万元。\n",
                                  "一、资金\n专项资金利息收入3.2元，已上缴财政。\n",
                                  "| 成本指标 | 人均基本公共卫生服务补助 | 不高于90元 | 85元 | 5 | 5 |\n",
                                  "| 成本指标 | 每生每天补助标准 | ≤5元 | 5元 | 5 | 5 |\n"])
def test_a_standard_per_head_or_a_price_in_yuan_is_rightly_small(text):
    assert not fires("amount.small_yuan", text)


def test_money_not_yet_allocated_is_no_balance_of_spending():
    text = "一、资金\n预算100万元，到位90万元，未到位10万元，实际支出85万元，结余5万元。\n"
    assert not fires("balance.mismatch", text)
    assert fires("balance.mismatch", "一、资金\n预算100万元，实际支出85万元，未支付12万元。\n")


@pytest.mark.parametrize("text", [
    # the list's total said again at its end is no part of it
    "一、资金\n本年共投入资金12万元。其中场地改造6000元，采购设备18套，合计12万元。\n",
    # what became of the total (已支出…) is no part of it, even in the total's own measure
    "一、资金\n全年收到专项支出资金300万元，其中：道路养护补助资金300万元，已支出215.4万元，支付率71.8%。\n",
    # the same total told twice, by source and by use, each whole
    "一、资金\n共下达补助资金500万元，其中中央资金300万元，省级资金200万元，用于直补资金120万元，项目资金380万元。\n",
    # a part that heads its own list (第一批…，分别支持…) mixes levels: a question at most
    "一、资金\n共获得专项资金900万元，其中第一批资金500万元，分别支持甲项目200万元、乙项目300万元；第二批资金400万元，"
    "分别支持丙项目150万元、丁项目250万元。\n",
    # a part's own list (包含) is no part of the total
    "一、支出\n全年总支出900万元，其中基本支出600万元，包含工资福利支出400万元，商品和服务支出150万元。\n",
    # a form's funds row flattened with spaces: the columns repeat the total
    "一、资金\n年度资金总额: 86.5万元 86.5万元 86.5万元 10 100% 10 其中:当年财政拨款 86.5万元 86.5万元 86.5万元\n",
])
def test_what_is_no_part_of_a_list_makes_no_sum_mismatch(text):
    assert not [f for f in run(text).findings if f.rule.startswith("sum.") and f.severity in ("high", "medium")]


def test_parts_that_exceed_their_total_are_still_found_beside_a_restated_total():
    text = "一、资金\n本年共投入资金12万元。其中场地改造8万元，采购设备6万元，合计12万元。\n"
    [finding] = rules_of(run(text), "sum.mismatch")
    assert (finding.expected, finding.stated) == (14, 12) or {finding.expected, finding.stated} == {14, 12}


@pytest.mark.parametrize("pattern, example, counterexample", LIST_ENDS)
def test_list_end_patterns(pattern, example, counterexample):
    assert re.match(pattern, example) and not re.match(pattern, counterexample)


def test_parts_past_a_whole_first_list_are_a_question_not_a_high():
    text = "一、资金\n共下达补助资金500万元，其中中央资金300万元，省级资金200万元，另有配套40万元。\n"
    assert not rules_of(run(text), "sum.mismatch")


def test_spending_beside_several_budgets_of_one_sentence_makes_no_computed_rate():
    """中央下达A，省级安排B，年初预算合计A+B，年中调减C，执行D: which budget D answers to is not certain."""
    several = "一、资金\n年初中央下达资金100万元，省级安排资金20万元，年初预算合计120万元，年中调减15万元，实际支出105万元。\n"
    assert not [f for f in run(several).findings if f.rule.startswith("rate.")]
    assert fires("rate.over_100", "一、资金\n中央下达资金100万元，实际支出105万元。\n")
    # an initial allocation alone (年初…) may have grown during the year: a question
    assert fires("rate.over_initial", "一、资金\n年初中央下达资金100万元，实际支出105万元。\n")



def test_spending_above_the_initial_budget_alone_is_a_question_and_above_the_adjusted_one_is_not():
    assert not rules_of(run(INITIAL_ONLY_FORM), "rate.over_100")
    assert rules_of(run(INITIAL_ONLY_FORM.replace("年初预算数(A)", "全年预算数(A)")), "rate.over_100")


def test_a_funds_total_row_left_at_0_above_its_sources_is_told_the_rate_its_sources_give():
    # The total row 0 | 0 | 0 with its rate and score 0, the sources filled in: the unit lost its execution points
    # to a blank total; the finding names what the sources give.
    form = self_evaluation_table(funds="| 年度资金总额 | 0 | 0 | 0 | 10 | 0% | 0 | |\n"
                                       "| 其中：当年财政拨款 | 60 | 58.5 | 58.5 | — | — | — | |")
    [finding] = rules_of(run(form), "rate.zero_budget")
    assert "全年执行数58.5万元/全年预算数58.5万元=100%" in finding.message
    alone = "项目支出绩效自评表\n项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额: 0 0 0 10 0% 0\n"
    [finding] = rules_of(run(alone), "rate.zero_budget")
    assert "各资金来源" not in finding.message


def test_a_rate_in_a_sentence_of_several_spending_figures_is_read_against_the_one_it_fits():
    fits = "一、资金\n项目预算300万元，支出250万元，实际支出195万元，执行率65%。\n"
    result = run(fits)
    assert not rules_of(result, "rate.mismatch") and not rules_of(result, "rate.mismatch_unclear")
    [low] = rules_of(result, "rate.low")
    assert "支出195万元/预算300万元" in low.message
    # two spending figures and neither gives the rate: a question, never a high finding
    neither = run("一、资金\n项目预算300万元，支出250万元，实际支出210万元，执行率65%。\n")
    assert not rules_of(neither, "rate.mismatch")
    [question] = rules_of(neither, "rate.mismatch_unclear")
    assert question.severity == "low" and "同句另列有同类金额" in question.message


def test_a_balance_in_a_sentence_of_several_spending_figures_is_read_against_the_one_it_fits():
    assert not [f for f in run("一、资金\n预算100万元，支出90万元，实际支出80万元，结余20万元。\n").findings
                if f.rule.startswith("balance.")]
    neither = run("一、资金\n预算100万元，支出90万元，实际支出80万元，结余15万元。\n")
    assert not rules_of(neither, "balance.mismatch") and rules_of(neither, "balance.apart")
    assert rules_of(run("一、资金\n预算100万元，实际支出80万元，结余15万元。\n"), "balance.mismatch")


@pytest.mark.parametrize("paid, fires_unclear", [
    ("已拨付8万元", True),  # 8 ÷ 40 = 20%, not 25%
    ("已拨付10万元", False),  # 10 ÷ 40 = 25%: what was paid on is the spending
    ("资金到位40万元", False),  # money come in says nothing of a rate of spending
])
def test_a_rate_beside_its_budget_and_money_paid_on_is_a_low_question(paid, fires_unclear):
    result = run(f"一、资金情况\n财政下达项目资金40万元，目前{paid}，预算执行率为25%。\n")
    findings = rules_of(result, "rate.mismatch_unclear")
    assert bool(findings) == fires_unclear
    assert not rules_of(result, "rate.mismatch")
    if findings:
        assert "拨付资金8万元÷预算40万元" in findings[0].message and findings[0].severity == "low"
