import pytest

from auditlib import extract_path
from auditlib.ingest import parse_bytes
from auditlib.extract import extract


def test_project_report_meta_money_score_and_grade(fixture_path):
    x = extract_path(fixture_path("project_report_minimal"))
    f = x.facts
    assert (f.unit_name, f.region, f.fiscal_year, f.written_year, f.kind) == ("清河县民政局", "清河县", 2022, 2023, "project")
    assert f.project_name == "社区服务中心运行经费"
    assert (f.self_score, f.grade) == (92, "优")
    assert f.budget_wan == 50 and f.spent_wan == 45.5
    assert f.execution_rate == pytest.approx(0.91) and f.execution_rate_source == "stated"
    assert f.evidence["self_score"].line == 12 and f.evidence["self_score"].section == "三"
    lines = x.frames()["budget_lines"]
    funding = lines[lines["rate_kind"] == "funding"].iloc[0]
    assert (funding["budget_wan"], funding["received_wan"], funding["stated_rate"]) == (50, 50, 1.0)
    spending = lines[lines["rate_kind"] == "execution"].iloc[0]
    assert (spending["spent_wan"], spending["balance_wan"], spending["line"]) == (45.5, 4.5, 10)


def test_breakdowns_keep_parts_signs_and_stated_count(fixture_path):
    x = extract_path(fixture_path("breakdown_parts"))
    totals = {(b.total.value_wan, b.total.measure): ([p.signed_value for p in b.parts], b.stated_count)
              for b in x.breakdowns}
    assert totals[(100.0, "budget")] == ([60.25, 39.75], None)
    assert totals[(10.0, "increase")] == ([-5.0, 15.0], None)
    assert totals[(30.0, "amount")] == ([10.0, 12.0, 8.0], 3)
    parts = x.frames()["breakdowns"]
    assert set(parts[parts["total_wan"] == 100.0]["part_label"]) == {"基本支出", "项目支出"}
    assert x.facts.kind == "department" and x.facts.project_name is None


def test_score_table_rows_levels_and_total(fixture_path):
    x = extract_path(fixture_path("score_table_tab_separated"))
    scores = x.frames()["scores"]
    assert list(scores["level"]) == [1, 2, 2, 1, 2, 0]
    assert list(scores["parent"][1:3]) == ["产出", "产出"]
    assert (x.facts.self_score, x.facts.grade) == (91, "优")


def test_weights_in_prose(fixture_path):
    scores = extract_path(fixture_path("weights_in_prose")).frames()["scores"]
    assert list(zip(scores["name"], scores["weight"])) == [("决策", 15), ("过程", 25), ("产出", 40), ("效益", 20)]


def test_indicator_table_flattened_one_cell_per_line(fixture_path):
    x = extract_path(fixture_path("indicator_table_one_cell_per_line"))
    rows = x.frames()["indicators"].to_dict(orient="records")
    assert [(r["level1"], r["level2"], r["name"], r["planned"], r["achieved"]) for r in rows] == [
        ("产出指标", "数量指标", "培训农民人次", "500人次", "520人次"),
        ("产出指标", "质量指标", "培训合格率", "90%", "95%"),
        ("满意度指标", "服务对象满意度", "受训农民满意度", "90%", "93%"),
    ]
    assert x.facts.self_score == 95


def test_a_document_that_is_not_a_self_evaluation_has_no_kind(fixture_path):
    facts = extract_path(fixture_path("final_accounts_not_self_evaluation")).facts
    assert facts.kind is None and facts.project_name is None and facts.self_score is None


def test_unknown_values_are_none_not_guesses():
    facts = extract(parse_bytes("绩效自评报告\n一、概况\n本单位认真开展工作。\n".encode())).facts
    assert (facts.unit_name, facts.fiscal_year, facts.self_score, facts.grade, facts.execution_rate) == (
        None, None, None, None, None)


def test_request_beside_allocation_is_requested():
    text = "一、资金\n2020年底做了15万元的“建设工作”的预算，2021年初财政局下达了8万元的指标。目前已支付8万元。\n"
    x = extract(parse_bytes(text.encode()))
    line = x.budget_lines[0]
    assert (line.value("requested"), line.value("budget")) == (15, 8)
    assert x.facts.execution_rate == 1.0 and x.facts.execution_rate_source == "computed"


def test_spending_of_lines_that_make_up_the_budget_is_summed():
    text = ("一、投入\n预算安排专项经费 30 万元。\n二、过程\n1、培训费预算 10 万元,实际支出 9.5 万。\n"
            "2、宣传费预算 12 万元和会议费预算 8 万元，实际支出 10 万。\n")
    facts = extract(parse_bytes(text.encode())).facts
    assert facts.spent_wan == 19.5 and facts.execution_rate == pytest.approx(0.65)


DEPARTMENT_FUNDS = ("某区某协会部门整体支出绩效自评报告\n一、部门概况\n本部门负责联络服务工作。\n二、整体支出情况\n"
                    "2021年年初预算数300万元，其中：一般公共服务240万元，社会保障和就业40万元，卫生健康支出20万元。\n"
                    "2021年实际收到财政拨款收入310万元，其中：一般公共服务245万元，社会保障和就业45万元，"
                    "卫生健康支出20万元。\n三、项目支出情况\n1、联络服务工作项目资金60万元，投入资金58.5万元，"
                    "资金到位率97.5%。\n2、宣传培训工作项目资金12万元，投入资金9万元，资金到位率75%。\n{spending}")


def test_a_department_headline_spending_is_never_one_project_or_a_classification_part():
    """Neither a project's 投入资金 (its own budget is not the department's) nor 卫生健康支出 listed as a part of
    the receipts is the department's spending: unstated, it stays unknown; stated, it is the stated total."""
    facts = extract(parse_bytes(DEPARTMENT_FUNDS.format(spending="").encode())).facts
    assert (facts.kind, facts.budget_wan, facts.spent_wan) == ("department", 300, None)
    stated = DEPARTMENT_FUNDS.format(spending="四、全年支出情况\n2021年全年支出总额296万元。\n")
    assert extract(parse_bytes(stated.encode())).facts.spent_wan == 296


def test_json_shape(fixture_path):
    data = extract_path(fixture_path("project_report_minimal")).to_dict()
    assert set(data["source"]) >= {"path", "sha256", "encoding"}
    assert set(data["facts"]) >= {"unit_name", "fiscal_year", "kind", "project_name", "self_score", "grade",
                                  "execution_rate"}
    assert set(data["budget_lines"][0]) >= {"label", "budget_wan", "spent_wan", "stated_rate", "section", "line"}
    assert set(data["sections"][0]) >= {"path", "title", "line", "body_chars"}


def test_national_self_evaluation_table_flattened_with_bars(fixture_path):
    x = extract_path(fixture_path("national_self_evaluation_table"))
    f = x.facts
    assert (f.kind, f.fiscal_year, f.project_name, f.self_score, f.grade) == ("table", 2022, "乡村学校营养餐补助", 94.5, "优")
    assert (f.budget_wan, f.spent_wan, f.execution_rate, f.execution_rate_source) == (118.5, 112.3, 0.9477, "stated")
    [line] = x.frames()["budget_lines"].to_dict(orient="records")
    assert (line["budget_wan"], line["adjusted_budget_wan"], line["spent_wan"]) == (120, 118.5, 112.3)
    scores = x.frames()["scores"]
    assert list(scores["name"]) == ["预算执行率", "受益学生人数", "食品安全事故", "学生营养状况改善", "家长满意度", "总分"]
    assert list(scores["level"]) == [1, 1, 1, 1, 1, 0] and scores["group"].nunique() == 1
    assert len(x.indicators) == 4 and x.indicators[2].achieved == "有所改善"


def test_department_report_with_parts_yuan_amounts_and_chinese_numerals(fixture_path):
    x = extract_path(fixture_path("department_report_parts_yuan_amounts"))
    f = x.facts
    assert (f.unit_name, f.region, f.fiscal_year, f.written_year) == ("北京市东城区卫生健康委员会", "北京市东城区", 2023, 2024)
    assert (f.kind, f.self_score, f.grade) == ("department", 88, "良")
    assert (f.budget_wan, f.spent_wan, f.execution_rate) == (138.0, 129.64, 0.9394)
    three = next(line for line in x.budget_lines if "三公" in line.label)
    assert (three.value("budget"), three.value("spent")) == (8, 7.5)  # 七万五千元
    assert [s.path for s in x.outline.sections if s.level == 1] == ["第一部分", "第二部分"]
    assert x.outline.find("第二部分.三").title == "存在问题和改进措施"


def test_flat_score_table_two_rates_in_one_sentence_and_title_project(fixture_path):
    x = extract_path(fixture_path("project_report_flat_score_table_two_rates"))
    f = x.facts
    assert (f.project_name, f.self_score, f.grade) == ("高标准农田建设", 91, "优")
    # 总投资 is what the project costs in all, not this year's budget: no headline budget is taken from it.
    assert (f.budget_wan, f.spent_wan, f.execution_rate, f.execution_rate_source) == (None, 452.6, 0.905, "stated")
    line = next(line for line in x.budget_lines if line.rates)
    assert set(line.rates) == {"funding", "execution"}
    assert (line.value("received"), line.value("balance")) == (480, 27.4)
    scores = x.frames()["scores"]
    assert list(scores["level"]) == [1, 1, 1, 1, 0] and scores["parent"].isna().all()
    [investment] = [b for b in x.breakdowns if b.total.value_wan == 500]
    assert [p.value_wan for p in investment.parts] == [300, 150, 50]


@pytest.mark.parametrize("sentence, score, grade", [
    ("自评得分：92", 92, None), ("总分92分，等级为良。", 92, "良"), ("综合评分为92.5分。", 92.5, None),
    ("最终得分 95 分，评价等级：优。", 95, "优"), ("经评价，自评等级为“良好”。", None, "良"),
    ("本项目绩效评价得分88分。", 88, None),
    ("经认真自查，本项目自查评分87分。", 87, None),  # a unit that calls its self-evaluation a self-check
    ("项目投入评价结果为优。", None, None),  # a part's result, not the overall grade
    ("总分100分，其中产出50分。", None, None),  # the indicator system, not a score given
])
def test_self_score_and_grade_phrasings(sentence, score, grade):
    facts = extract(parse_bytes(f"清河县民政局项目绩效自评报告\n一、结论\n{sentence}\n".encode())).facts
    assert (facts.self_score, facts.grade) == (score, grade)


@pytest.mark.parametrize("sentence", ["根据拨付通知，给120人发放补贴36.5元每月。", "下达补助资金按每人300元发放。",
                                      "拨付补助300元/人。", "下达生均公用经费1000元。"])
def test_a_standard_per_unit_is_no_sum_of_money(sentence):
    amounts = extract(parse_bytes(f"一、资金\n{sentence}\n".encode())).amounts
    assert [a.measure for a in amounts] == ["amount"]


def test_money_beside_a_standard_keeps_its_measure():
    [budget, standard] = extract(parse_bytes("一、资金\n预算安排资金12万元，按每人300元发放。\n".encode())).amounts
    assert (budget.measure, standard.measure) == ("budget", "amount")


def test_money_set_apart_is_none_of_the_measure_before_it():
    text = "一、资金\n下达第一批补助资金300万元，第二批补助资金200万元于9月下达（不含次年结算资金12万元）。\n"
    measures = {a.value_wan: a.measure for a in extract(parse_bytes(text.encode())).amounts}
    assert measures[12] == "amount" and measures[300] != "amount"


def test_the_reports_own_title_names_its_writer_before_the_pages_publisher_field():
    text = ("发布机构\n清河市文化和旅游局\n公开目录\n自评报告\n"
            "清河市图书馆2022年度项目支出绩效自评报告(2022年公共图书馆文化馆(站)免费开放市级补助经费项目)\n"
            "一、自评结论\n自评得分100分。\n")
    assert extract(parse_bytes(text.encode())).facts.unit_name == "清河市图书馆"


@pytest.mark.parametrize("sentence, unit", [
    ("2020年，纳入南县财政局部门预算编制范围的单位有3个。", "南县财政局"),  # a county of one character, after a verb
    ("发布机构区财政局\n本报告由单位自行编制。", None),  # a field's label glued to the name is no place
    ("主管部门县农业农村局", None),
    ("经批准，设立清河市应急管理局。", "清河市应急管理局"),
    ("按照要求，本县各单位开展自评。", None),  # 本县 is no county
])
def test_a_unit_is_named_without_the_verb_or_field_label_before_it(sentence, unit):
    text = f"2023年度项目支出绩效自评报告\n一、基本情况\n{sentence}\n"
    assert extract(parse_bytes(text.encode())).facts.unit_name == unit


@pytest.mark.parametrize("funds", ["项目全年预算0万元，实际支出0万元。",
                                   "| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
                                   "| 年度资金总额 | 0 | 0 | 0 | 10 |  | 0 |"])
def test_a_budget_of_zero_gives_no_rate(funds):
    extraction = extract(parse_bytes(f"某局2020年度项目支出绩效自评报告\n一、资金\n{funds}\n".encode()))
    assert extraction.facts.budget_wan == 0 and extraction.facts.execution_rate is None


def test_full_width_figures_keep_their_thousands():
    # Figures typed full-width, a full-width comma parting the thousands (１，５７３．４３); a list (１，２，３) is no number.
    from auditlib.ingest.normalize import halfwidth_figures

    assert halfwidth_figures("全年预算数１，５７３．４３万元，执行率９９．０９％") == "全年预算数1,573.43万元，执行率99.09%"
    assert halfwidth_figures("第１，２，３项") == "第1，2，3项"
