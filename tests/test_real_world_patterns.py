"""Layouts and phrasings seen in real published reports, each reproduced by a fixture of our own."""

from __future__ import annotations

import re

import pytest

from auditlib import extract_path
from auditlib.check import check
from auditlib.check.rules.writing import MISSPELLINGS, TRUNCATED_HEADINGS, OCR_DIGITS, MASKED_VALUES, MALFORMED_DATES, MISSING_FIGURE
from auditlib.extract import kind as kind_module
from auditlib.numbers import split_run_together


def audit(fixture_path, name):
    extraction = extract_path(fixture_path(name))
    return extraction, check(extraction)


def rules(result, severity=None):
    return [f.rule for f in result.findings if severity is None or f.severity == severity]


# --- the document gate -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("table", ["SELF_EVALUATION_TITLE", "OTHER_TITLE", "NEWS_TITLE", "NEWS_BODY", "THIRD_PARTY_BODY",
                                   "ANNOUNCEMENT_BODY", "NOTICE_TITLE", "SELF_EVALUATION_BODY", "OTHER_BODY",
                                   "DEPARTMENT_WORDS", "PROJECT_WORDS", "TABLE_TITLE", "TABLE_BODY", "DIGEST_BODY",
                                   "PROJECT_HEADINGS", "DEPARTMENT_HEADINGS", "NEWS_LEAD",
                                   "RESULTS_NOTICE_BODY", "NOTICE_BODY", "REGULATION_BODY", "GLOSSARY_BODY"])
def test_every_phrase_of_the_gate_matches_its_example(table):
    for pattern, example in getattr(kind_module, table):
        assert re.search(pattern, example), (table, pattern, example)


@pytest.mark.parametrize("line, news", [("某某网5月18日电 据财政部消息，近日下达资金", True),
                                        ("新华社北京3月2日电（记者 王某）", True),
                                        ("支付5月18日电费0.3万元，预算执行率95%。", False)])
def test_a_wire_dateline_is_news_and_a_days_electricity_bill_is_not(line, news):
    assert any(re.search(pattern, line) for pattern, _ in kind_module.NEWS_BODY) == news


@pytest.mark.parametrize("name, kind", [
    ("traditional_script_with_pinyin_notes", "project"),
    ("excerpt_starting_mid_report", "project"),
    ("kind_stated_late_only_as_self_evaluation", "department"),
    ("department_report_with_contents_page", "department"),
    ("self_evaluation_table_cells_run_together", "table"),
    ("budget_explanation_with_contents_page", None),
    ("audit_report_not_self_evaluation", None),
    ("final_accounts_not_self_evaluation", None),
    ("self_evaluation_table_tail_only", "table"),
    ("targets_table_tail_without_conclusion", None),
    ("final_accounts_digest_of_project_self_evaluations", None),
    ("project_report_without_the_word_self_evaluation", "project"),
])
def test_the_gate_decides_the_kind_with_a_reason(fixture_path, name, kind):
    extraction = extract_path(fixture_path(name))
    assert extraction.facts.kind == kind
    assert extraction.facts.kind_reason and re.search(r"[\u4e00-\u9fff]", extraction.facts.kind_reason)


@pytest.mark.parametrize("name", ["budget_explanation_with_contents_page", "audit_report_not_self_evaluation",
                                  "final_accounts_not_self_evaluation"])
def test_a_document_that_is_not_a_self_evaluation_gets_one_info_finding_and_nothing_else(fixture_path, name):
    _, result = audit(fixture_path, name)
    assert [(f.rule, f.severity) for f in result.findings] == [("document.not_self_evaluation", "info")]
    assert "不是绩效自评报告" in result.findings[0].message


def test_traditional_script_is_read_as_simplified_and_quoted_as_written(fixture_path):
    extraction, result = audit(fixture_path, "traditional_script_with_pinyin_notes")
    facts = extraction.facts
    assert extraction.document.script == "traditional"
    assert (facts.fiscal_year, facts.self_score, facts.grade, facts.execution_rate) == (2021, 92, "优", 0.95)
    assert (facts.budget_wan, facts.spent_wan) == (80, 76)
    assert "預算執行率" in facts.evidence["execution_rate"].quote  # evidence quotes the source as written
    assert any(f.rule == "text.artifact" and f.values.get("kind") == "pinyin" for f in result.findings)
    # Notes with Latin-1 tone marks (xiàng, jié) go too: the headings read as written, no part seems missing.
    assert [s.heading_text for s in extraction.outline.sections] == [
        "一、项目概况", "二、绩效目标完成情况", "三、存在问题", "四、自评结论"]
    assert not [f for f in result.findings if f.rule == "section.missing"]


def test_an_excerpt_starting_mid_report_is_not_judged_for_parts_before_it(fixture_path):
    extraction, result = audit(fixture_path, "excerpt_starting_mid_report")
    assert (extraction.facts.self_score, extraction.facts.grade) == (88, "良")
    assert "section.missing" not in rules(result) and "score.missing" not in rules(result)
    assert "document.truncated" in rules(result, "info")


def test_a_self_score_written_after_a_comma(fixture_path):
    extraction, _ = audit(fixture_path, "kind_stated_late_only_as_self_evaluation")
    assert extraction.facts.self_score == 90


# --- contents pages ----------------------------------------------------------------------------------------------

def test_a_contents_page_is_neither_headings_nor_empty_sections(fixture_path):
    extraction, result = audit(fixture_path, "department_report_with_contents_page")
    outline = extraction.outline
    assert outline.contents == [2, 3, 4, 5, 6, 7]
    assert [s.path for s in outline.sections] == ["一", "二", "三", "四", "五"]
    assert [s.line for s in outline.sections] == [8, 10, 12, 14, 16]
    assert result.findings == []


def test_contents_entries_with_page_numbers_but_no_title_are_a_contents_page():
    from auditlib import parse_bytes
    from auditlib.outline import build_outline

    text = "某单位2022年度部门整体支出绩效自评报告\n一、部门概况……1\n二、支出情况……2\n三、自评结论……4\n一、部门概况\n正文。\n二、支出情况\n正文。\n三、自评结论\n正文。\n"
    outline = build_outline(parse_bytes(text.encode("utf-8")))
    assert outline.contents == [2, 3, 4] and [s.line for s in outline.sections] == [5, 7, 9]


# --- 自评表 cells run together ------------------------------------------------------------------------------------

def test_money_cells_run_together_are_split_by_the_forms_arithmetic(fixture_path):
    extraction, result = audit(fixture_path, "self_evaluation_table_cells_run_together")
    facts = extraction.facts
    assert (facts.budget_wan, facts.spent_wan, facts.execution_rate) == (36.5, 36.5, 1.0)
    assert not [f for f in result.findings if f.rule.startswith("rate.")]


def test_cells_no_single_reading_fits_are_noted_and_never_guessed(fixture_path):
    extraction, result = audit(fixture_path, "self_evaluation_table_cells_ambiguous")
    assert extraction.facts.execution_rate is None and extraction.facts.budget_wan is None
    [note] = [f for f in result.findings if f.rule == "table.unreadable"]
    assert note.severity == "low" and "1111111111100%" in note.message
    assert not [f for f in result.findings if f.severity == "high"]


@pytest.mark.parametrize("text, amounts, rate", [
    ("年度资金总额:21182118100%", [2118, 2118], 1.0),
    ("资金总额10001000100%20", [1000, 1000], 1.0),
    ("年度资金总额194.9194.9100%", [194.9, 194.9], 1.0),
    ("年初预算数全年预算数全年执行数执行率 年度资金总额:212021182118100%", [2120, 2118, 2118], 1.0),
    ("预算数执行数执行率 合计5040.5081%", [50, 40.5], 0.81),
])
def test_split_run_together(text, amounts, rate):
    [run] = split_run_together(text)
    assert [a.value for a in run.amounts] == pytest.approx(amounts) and run.rate.value == pytest.approx(rate)


def test_a_rate_of_1000_percent_or_more_is_never_read():
    extraction = extract_path_text("一、资金\n年度资金总额执行率为100010001%。\n")
    assert extraction.rates == [] and extraction.facts.execution_rate is None


def extract_path_text(text, title="某县2022年度项目支出绩效自评报告\n"):
    """A report of the given body under a self-evaluation's title (without one, the gate stops it)."""
    from auditlib import parse_bytes
    from auditlib.extract import extract

    return extract(parse_bytes((title + text).encode("utf-8")))


# --- amounts with other roles ------------------------------------------------------------------------------------

def test_investment_cumulative_and_changes_are_not_budget_or_spending(fixture_path):
    extraction, result = audit(fixture_path, "amounts_with_other_roles")
    facts = extraction.facts
    assert facts.budget_wan == 600 and facts.spent_wan == 582  # not 协议总投资 1.5亿元, not 累计支出 9800
    measures = {a.raw: a.measure for a in extraction.amounts}
    assert measures["1.5亿元"] == "investment" and measures["9800.00万元"] == "cumulative"
    assert measures["120.00万元"] == "increase" and measures["35.50万元"] == "decrease"
    assert not [f for f in result.findings if f.severity in ("high", "medium")]


def test_budget_and_spending_from_different_paragraphs_are_paired_and_only_questioned():
    extraction = extract_path_text("一、资金\n下达预算资金100.00万元。\n二、支出\n全年实际支出130.00万元。\n")
    assert extraction.facts.execution_rate_source == "paired"
    result = check(extraction)
    [finding] = [f for f in result.findings if f.rule.startswith("rate.")]
    assert finding.rule == "rate.unclear" and finding.severity == "low" and "请核实" in finding.message


def test_form_instructions_carry_numbers_but_no_facts(fixture_path):
    extraction, result = audit(fixture_path, "form_instructions_with_numbers")
    assert extraction.rates == []
    assert not [f for f in result.findings if f.rule.startswith("rate.")]


def test_a_self_score_above_100_without_a_total_row_is_a_low_question():
    result = check(extract_path_text("一、自评结论\n经自评，自评得分102.5分。\n", title="某县2022年度衔接资金绩效自评报告\n"))
    assert [(f.rule, f.severity) for f in result.findings if f.rule.startswith("score.")] == [("score.above_total", "low")]


# --- writing rules -----------------------------------------------------------------------------------------------

def test_writing_errors_are_each_found_once_with_their_words(fixture_path):
    _, result = audit(fixture_path, "writing_errors")
    found = {(f.rule, f.line) for f in result.findings}
    assert {("text.unbalanced", 3), ("text.date", 4), ("text.typo", 4), ("text.typo", 6), ("section.item_numbering", 8),
            ("text.punctuation", 9), ("text.repeated", 9), ("text.placeholder", 11), ("text.placeholder", 13),
            ("text.date", 15)} <= found
    assert all(f.severity == "low" for f in result.findings if f.rule.startswith(("text.", "section.item")))
    assert "document.truncated" not in rules(result)  # a line ending in a date field is not cut off


def test_masked_values_left_in(fixture_path):
    _, result = audit(fixture_path, "masked_values_left_in")
    found = {f.stated: (f.line, f.values["count"]) for f in result.findings if f.rule == "text.placeholder"}
    # one finding per kind of blank, at its first line, with how many there are
    assert found == {"20xx": (1, 2), "某某": (1, 2), "**县": (3, 1), "XX万元": (3, 1), "%、%、%": (5, 1)}


def test_a_blank_repeated_through_a_report_is_one_finding_with_its_count():
    text = ("一、资金\n下达资金 点击查看>> 万元，其中：甲项 点击查看>> 万元，乙项2.5万元。\n"
            "二、执行\n已拨付 点击查看>> 万元，执行率100%。\n三、问题\n无。\n")
    [finding] = [f for f in check(extract_path_text(text)).findings if f.rule == "text.placeholder"]
    assert finding.values["count"] == 3 and finding.values["lines"] == [3, 5] and "共3处（第3、5行）" in finding.message


def test_ocr_noise_in_figures_is_flagged_and_the_figure_not_used(fixture_path):
    extraction, result = audit(fixture_path, "ocr_noise_in_figures")
    assert {"text.ocr", "text.date"} <= set(rules(result, "low"))
    assert all(a.raw != "100OOO元" for a in extraction.amounts) and extraction.facts.budget_wan is None


@pytest.mark.parametrize("text", [
    "一、概况\n项目（甲）资金到位。\n",
    "一、概况\n职能如下：1)负责规划；2)负责实施。\n",
    "一、概况\n按照《办法》（财预〔2020〕10号)执行。\n",
])
def test_balanced_or_listed_brackets_are_not_unbalanced(text):
    assert "text.unbalanced" not in rules(check(extract_path_text(text)))


def test_a_bracket_left_open_at_an_excerpts_cut_is_not_an_error():
    text = "一、概况\n根据文件要求开展自评，完成情况详见附表（包括资金到位、支出和"
    assert "text.unbalanced" not in rules(check(extract_path_text(text)))


def test_table_cells_run_together_do_not_read_as_repeated_words():
    text = "一、资金\n项目资金年初预算数全年预算数全年执行数执行率得分指标专款专用专款专用\n"
    assert "text.repeated" not in rules(check(extract_path_text(text)))


@pytest.mark.parametrize("pattern, correction, example, counter", MISSPELLINGS, ids=[e[0] for e in MISSPELLINGS])
def test_every_misspelling_has_an_example_that_is_found_and_one_that_is_not(pattern, correction, example, counter):
    [finding] = [f for f in check(extract_path_text(f"一、概况\n{example}。\n")).findings if f.rule == "text.typo"]
    wrong, right = correction
    assert wrong in finding.stated or finding.expected == right
    assert finding.expected != finding.stated and finding.stated in example
    assert not [f for f in check(extract_path_text(f"一、概况\n{counter}。\n")).findings if f.rule == "text.typo"]


@pytest.mark.parametrize("pattern, example", list(MALFORMED_DATES) + [(p, e) for p, e, _ in MASKED_VALUES] + [MISSING_FIGURE, OCR_DIGITS])
def test_every_pattern_matches_its_example(pattern, example):
    assert pattern.search(example)


def test_a_span_of_years_ending_before_it_begins_is_a_date_finding():
    from auditlib.check.rules.writing import YEAR_SPAN
    pattern, wrong, right = YEAR_SPAN
    assert pattern.search(wrong) and pattern.search(right)
    findings = check(extract_path_text(f"一、概况\n依据{wrong}。\n")).findings
    assert [f.rule for f in findings if f.rule == "text.date"] == ["text.date"]


@pytest.mark.parametrize("text", ["2022年3月25日", "单位：万元", "资金（万元）", "100万元", "截至2022年12月", "数十万元",
                                  "《扶贫开发纲要（2011—2020年）》", "二〇一四年十月", "2014年月均支出3万元", "建党100年度表彰",
                                  "评价等级分为优、良、中、差四档", "现将项目资金申报、批复等相关情况说明如下",
                                  "注*：县级配套资金"])
def test_correct_writing_raises_no_writing_finding(text):
    findings = check(extract_path_text(f"一、概况\n{text}。\n")).findings
    assert not [f for f in findings if f.rule in ("text.date", "text.placeholder", "text.ocr", "text.unbalanced")]


# --- where a finding stands, and OCR ------------------------------------------------------------------------------

def test_findings_name_the_page_or_cell_and_ocr_findings_are_never_high():
    from dataclasses import replace

    from auditlib import parse_bytes
    from auditlib.extract import extract

    text = "某县2022年度项目支出绩效自评报告\n一、资金\n年初预算30.00万元，其中办公费22.00万元，会议费9.00万元。\n"
    document = parse_bytes(text.encode("utf-8"))
    document.locations = [f"第1页第{i}行" for i in range(1, len(document.raw_lines) + 1)]
    [finding] = [f for f in check(extract(document)).findings if f.rule == "sum.mismatch"]
    assert (finding.severity, finding.location) == ("high", "第1页第3行")
    scanned = replace(document, source=replace(document.source, encoding="ocr"))
    [finding] = [f for f in check(extract(scanned)).findings if f.rule == "sum.mismatch"]
    assert finding.severity == "medium"


# --- the 自评表: the funds part's points count toward the total --------------------------------------------------

def test_the_funds_parts_points_and_the_indicators_make_the_total(fixture_path):
    extraction, result = audit(fixture_path, "self_evaluation_table_pipes_funds_points_total_row")
    facts = extraction.facts
    assert (facts.kind, facts.self_score, facts.execution_rate, facts.budget_wan, facts.spent_wan) == (
        "table", 97.5, 0.95, 60, 57)
    assert result.findings == []  # 10 (预算执行率) + 90 (indicators) = 总分 100; rows with empty cells stay rows


def test_indicator_weights_that_miss_the_total_are_still_found(fixture_path):
    from auditlib import parse_bytes
    from auditlib.extract import extract

    text = fixture_path("self_evaluation_table_pipes_funds_points_total_row").read_text("utf-8")
    result = check(extract(parse_bytes(text.replace("| 20 | 20 |", "| 15 | 15 |").encode("utf-8"))))
    assert {(f.rule, f.severity) for f in result.findings} == {("score.sum_mismatch", "high")}


def test_a_form_dated_in_the_evaluation_season_evaluates_the_year_before(fixture_path):
    # The only year named is the evaluation date's (and the next budget's preparation): the form evaluates the
    # year before it was written, with the date line as evidence.
    facts = extract_path(fixture_path("evaluation_form_dated_only_by_its_evaluation_date")).facts
    assert (facts.written_year, facts.fiscal_year) == (2031, 2030)
    assert "评价时间" in facts.evidence["fiscal_year"].quote


def test_a_tab_separated_total_row_is_a_weight_and_a_score_not_a_self_score(fixture_path):
    # 总分<TAB>100<TAB>94.5: the same table with tabs for bars reads the same self-score, not the weight 100.
    text = fixture_path("national_self_evaluation_table").read_text(encoding="utf-8")
    from auditlib.ingest import parse_bytes
    from auditlib.extract import extract

    barred = extract(parse_bytes(text.encode("utf-8"))).facts
    tabbed = extract(parse_bytes(text.replace(" | ", "\t").replace("|", "\t").encode("utf-8"))).facts
    assert barred.self_score == tabbed.self_score == 94.5


@pytest.mark.parametrize("text, kind", [
    ("2023年度某区政务服务中心单位决算\n目录\n第一部分 单位概况\n附：项目支出绩效自评表(2023年度).xlsx\n一、主要职责\n负责政务服务。\n", None),
    ("某会计师事务所接受县财政局的委托，对县统计局实施的普查项目支出开展绩效后期评价。\n一、项目概况\n项目资金20万元。\n", None),
    ("省财政厅到我县开展专项资金绩效评价工作\n近日，省财政厅一行到我县开展评价。\n", None),
    # a commissioned evaluation's cover names the firm; a unit's own report names the unit that evaluated
    ("2022年某区全民健身项目财政支出绩效评价\n委托单位：某区财政局 评价机构：某某商务咨询有限公司\n一、项目概况\n项目资金20万元。\n",
     None),
    ("2022年某区全民健身项目绩效自评报告\n评价单位：某区体育局\n一、项目概况\n项目资金20万元。\n", "project"),
    # a targets table approved before the year holds no result
    ("附件3\n2023年度财政项目支出绩效目标审批表\n项目名称 | 安全生产经费 |\n年度目标 | 完成检查 |\n", None),
    ("某中心2023年项目绩效评价工作圆满完成\n近日，项目绩效评价工作顺利结束。\n", None),
    ("2023年度某县图书馆项目支出绩效自评报告\n一、项目概况\n项目资金20万元。\n附件：项目支出绩效自评表\n", "project"),
    # a site's menu above the title names the page's section, not the document
    ("公开目录 | 部门预算 | 发布日期 | 2023-07-07 |\n2022年度项目绩效自评报告\n一、项目基本情况\n项目资金20万元。\n", "project"),
    # a title's head noun comes last: a rectification report after an evaluation, not the evaluation
    ("某县农业局关于2024年某保险项目绩效评价整改情况报告\n一、基本情况\n项目绩效再评价得分80分。\n", None),
    ("某县农业局关于2024年某保险项目整改情况的绩效自评报告\n一、基本情况\n项目自评得分80分。\n", "project"),
    # a news item: one body evaluating another's project, and a firm telling how it worked
    ("首页 > 厅局信息\n省某局对某县2022年度粪污利用项目进行绩效评价\n近日，专家组到某县查看项目。\n", None),
    ("体育赛事绩效评价报告\n一、项目概况\n评价机构通过资料收集、案卷分析、实地调研等方式完成评价工作。\n", None),
    # a notice of a project carrying its targets table deep in the page, with no word of self-evaluation
    ("经研究决定，某补助资金项目由县医保局实施，现将有关情况公示如下：\n一、项目概况\n1、建设内容\n参保率大于95%。\n"
     "2、绩效目标\n部门预算项目支出绩效目标表 |\n项目名称 | 城乡居民医保补助 |\n", None),
    # a targets table approved for the year (批复表), a rectification report (整改情况的报告), a budget's projects
    # and targets for the coming year (项目及绩效目标情况)
    ("项目支出绩效目标批复表\n(2031年度)\n项目名称 | 培训班 |\n年度绩效目标 | 培训200人次 |\n", None),
    ("某区人民政府关于某项目绩效评价发现问题整改情况的报告\n某局：\n我区某项目接受了绩效评价组的复核。\n", None),
    ("某县卫健委2031年项目及绩效目标情况\n(四)项目及绩效目标情况。\n1、某服务项目\n(1)项目概述。提高项目绩效。\n", None),
    # a site's disclosure column above the title (决算公开, 某市财政预算公开_站名) names the page's place, not the
    # document; a report's title above the table it holds (…自评报告 then …自评表) names the document
    ("决算公开\n\n某院本级2030年绩效自评报告—综合事务\n一、项目基本情况\n项目资金20万元。\n", "project"),
    ("某市财政预算公开_某站\n2030年度某中心部门整体支出绩效自评报告\n部门整体支出绩效自评基础数据表\n填报单位:某中心\n",
     "department"),
    # a site's path cut at its end (…管�) is not a paragraph the title below it goes on
    ("您现在的位置:首页 > 专题专栏 > 某市财政预算公开专栏 > 部门预决算和三公经费 > 某市数据资源管理局下属事业单位管\ufffd\n\n"
     "2030年度某中心部门整体支出绩效自评报告\n\n一、部门概况\n某中心为公益一类事业单位。\n", "department"),
    ("某县检察院转移支付2030年度绩效自评报告\n一、基本情况\n1.预算情况\n某县检察院项目支出绩效自评表\n"
     "项目名称 | 政法转移支付资金 |\n", "project"),
    # a document-sharing page names the shared file (《…专项资金绩效自评报告.docx》由会员分享): its title, whatever
    # the notice quoted in its first sentence names (部门整体支出和专项资金绩效评价工作)
    ("《2030年度某专项资金绩效自评报告.docx》由会员分享,可在线阅读。\n1、2030年度某专项资金绩效自评报告为加强管理,"
     "根据县财政局关于开展部门整体支出和专项资金绩效评价工作的通知精神,我单位对专项资金进行了自评,现将评价情况汇报如下:"
     "一、部门概况1、机构情况:内设3个股室。2、主要职能:负责全县普法工作。\n", "project"),
])
def test_look_alikes_on_fresh_pages_are_not_self_evaluations(text, kind):
    from auditlib import parse_bytes
    from auditlib.extract.kind import decide_kind
    from auditlib.outline import build_outline

    assert decide_kind(build_outline(parse_bytes(text.encode("utf-8")))).kind == kind


@pytest.mark.parametrize("text, score", [
    # a form's heading field with its value in the next cell
    ("2024年度部门整体绩效自评表 | | |\n项目名称: | 某区科协整体 | 自评总分: | 96.5 | | |\n", 96.5),
    # a heading and the score under it, a blank line between
    ("某局2023年度项目绩效自评报告\n五、自评结论\n(一)自评得分\n\n92分。\n", 92),
])
def test_self_scores_in_a_field_cell_or_under_their_heading(text, score):
    from auditlib import parse_bytes
    from auditlib.extract import extract

    assert extract(parse_bytes(text.encode("utf-8"))).facts.self_score == score


def test_a_score_field_followed_by_another_figure_cell_is_a_table_row_not_a_field():
    from auditlib import parse_bytes
    from auditlib.extract import extract

    # 自评得分 | 100 | 94: a total row's weight then its score, never the weight as the score
    assert extract(parse_bytes("某项目自评表\n自评得分: | 100 | 94 |\n".encode())).facts.self_score != 100


def test_one_rate_told_again_with_no_budget_read_is_the_reports_rate():
    from auditlib import parse_bytes
    from auditlib.extract import extract

    text = ("某镇2022年度扶贫项目绩效自评报告\n一、绩效目标分解下达情况\n年度资金30.5万元已全部拨付，执行率96%。\n"
            "二、绩效目标完成情况\n项目资金执行率为96%。\n")
    assert extract(parse_bytes(text.encode())).facts.execution_rate == 0.96
    two = text.replace("项目资金执行率为96%", "项目资金执行率为90%")
    assert extract(parse_bytes(two.encode())).facts.execution_rate is None  # two rates: which is the report's?


@pytest.mark.parametrize("pattern, correction, example, counter", TRUNCATED_HEADINGS,
                         ids=[e[2] for e in TRUNCATED_HEADINGS])
def test_a_heading_cut_short_is_found_above_the_texts_end_only(pattern, correction, example, counter):
    def typos(text):
        return [f for f in check(extract_path_text(text)).findings if f.rule == "text.typo"]
    [finding] = typos(f"一、概况\n内容。\n{example}\n内容。\n")
    assert finding.expected.endswith(correction[1]) and finding.stated.endswith(correction[0])
    assert not typos(f"一、概况\n内容。\n{counter}\n内容。\n")
    assert not typos(f"一、概况\n内容。\n{example}\n")  # the excerpt may end inside the heading
