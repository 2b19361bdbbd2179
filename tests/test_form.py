"""The 自评表 model and reader (auditlib.extract.form): word lists, directions, layouts, round trips."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from auditlib.check import check
from auditlib.extract import extract
from auditlib.extract.form import (COLUMN_WORDS, LEVEL1_NAMES, LEVEL2_NAMES, TOTAL_WORDS, UNIT_WORDS, VARIANTS,
                                   column_role, direction, nature_cell, read_forms)
from auditlib.extract.scores import read_measure
from auditlib.ingest import parse_bytes
from auditlib.ingest.formats.libreoffice import find_soffice
from tests.formgen import (FORMATS, LAYOUT_BY_ID, LAYOUTS, LIBREOFFICE_FORMATS, PLANTS, generate, read_back, render,
                           to_text)

# --- the model's word lists, a case each ---


@pytest.mark.parametrize("role,word", [(role, word) for role, words in COLUMN_WORDS for word in words])
def test_every_header_word_names_its_column(role, word):
    assert column_role(word) == role
    assert column_role(f" {word}（万元）") == role  # spaces and a bracketed note do not change it


@pytest.mark.parametrize("cell,role", [
    ("年初预算数（A）", "budget"), ("全年执行数（B）", "spent"), ("执行率（B/A）", "rate"), ("分 值", "weight"),
    ("偏差原因分析及改进措施", "reason"), ("指标得分", "score"), ("单项指标得分", "item_score"), ("权重占比", "weight"),
    ("全年完成值", "achieved"), ("调整指标值", "adjusted_planned"), ("年初指标值", "planned"), ("执行率得分", "rate_score"),
    ("执行率权重", "rate_weight"), ("是否核心指标", "core"), ("计量单位", "unit"), ("说明", "reason"), ("序号", None),
])
def test_header_cells_as_forms_write_them(cell, role):
    assert column_role(cell) == role


@pytest.mark.parametrize("name", sorted(LEVEL1_NAMES))
def test_level1_names_are_indicator_groups(name):
    assert name.endswith(("指标", "效能", "决策", "管理", "绩效"))


@pytest.mark.parametrize("name", sorted(LEVEL2_NAMES))
def test_level2_names_are_indicators(name):
    assert name.endswith("指标")


@pytest.mark.parametrize("unit", sorted(UNIT_WORDS))
def test_unit_words_are_short_and_numberless(unit):
    assert len(unit) <= 5 and not any(ch.isdigit() for ch in unit)


@pytest.mark.parametrize("word", TOTAL_WORDS)
def test_total_words_close_a_form(word):
    text = ("| 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n| 培训人次 | 500人次 | 520人次 | 90 | 90 |\n"
            f"| {word} | 90 | 90 |\n")
    [table] = read_forms(parse_bytes(text.encode()).lines)
    assert table.total is not None and table.total.cells["score"] == "90"


@pytest.mark.parametrize("cell,nature", [("≥", "≥"), ("正向", "≥"), ("正向指标", "≥"), ("≤", "≤"), ("反向指标", "≤"),
                                         ("=", "="), ("定性", "qualitative"), ("培训", None)])
def test_nature_cells(cell, nature):
    assert nature_cell(cell) == nature


# --- direction: stated, worded, or assumed from kind and unit (and said so) ---


@pytest.mark.parametrize("nature,target,level2,unit,want,source,note", [
    ("≤", "12", "时效指标", "月", "≤", "column", None),
    ("", "不低于95%", "质量指标", "", "≥", "wording", None),
    ("", "3.5万元以内", "成本指标", "", "≤", "wording", None),
    ("", "不超过10天", "时效指标", "", "≤", "wording", None),
    ("", "覆盖率达到100%", "质量指标", "", "≥", "wording", None),
    ("", "1000人次以上", "数量指标", "", "≥", "wording", None),
    ("", "3.5", "成本指标", "万元", "≤", "default", "指标性质未写明，按成本指标视为≤"),
    ("", "12", "时效指标", "个月", "≤", "default", "指标性质未写明，按时效指标（时限）视为≤"),
    ("", "5家", "社会效益指标", "", "≥", "default", "指标性质未写明，按效益指标视为≥"),
    ("", "90%", "服务对象满意度指标", "", "≥", "default", "指标性质未写明，按满意度指标视为≥"),
    ("", "4.5万元", None, "", "≤", "default", "指标性质未写明，按成本指标视为≤"),
    ("", "0起", "质量指标", "", "=", "default", "指标性质未写明，指标值为0，视为＝"),
])
def test_direction(nature, target, level2, unit, want, source, note):
    assert direction(nature, read_measure(target, unit), level2, unit) == (want, source, note)


@pytest.mark.parametrize("name,target,want", [
    ("人均公共卫生服务补助标准", "84元", None),  # a paid standard: above it is no overspend, below it no saving
    ("学生资助标准", "2000元", None),
    ("人均补助标准", "≤84元", "≤"),  # written, it is taken
    ("人均培训成本", "84元", "≤"),
])
def test_a_paid_standard_has_no_assumed_direction(name, target, want):
    nature, _, note = direction("", read_measure(target, ""), "成本指标", "", name)
    assert nature == want
    assert (note is not None and "未重新计分" in note) == (want is None)


# --- the layouts of the issue, as a new user met them ---

NATIONAL_PIPE = """项目支出绩效自评表
| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
| 年度资金总额 | 60 | 60 | 57 | 10 | 95% | 9.5 |
| | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 年度指标值 | 度量单位 | 实际完成值 | 分值 | 得分 |
| | 产出指标 | 时效指标 | 完成时限 | ≤ | 12 | 月 | 14 | 20 | 20 |
| | | 数量指标 | 举办活动 | ≥ | 6 | 场 | 6 | 30 | 30 |
| | 效益指标 | 社会效益指标 | 服务企业 | | 5 | 家 | 4 | 20 | 22 |
| | 满意度指标 | 服务对象满意度指标 | 满意度 | ≥ | 90 | % | 85 | 10 | 10 |
| 总分 | 100 | 97 |
填表人：李四
"""


def _rules(text: str, fmt: str = "txt"):
    extraction = extract(parse_bytes(text.encode() if isinstance(text, str) else text, f"t.{fmt}"))
    return extraction, {(f.rule, f.severity) for f in check(extraction).findings}, check(extraction).findings


def test_pipe_rows_with_an_empty_merged_column_are_a_form_and_rescored():
    extraction, rules, findings = _rules(NATIONAL_PIPE)
    assert extraction.facts.kind == "table" and extraction.facts.self_score == 97
    assert [i.name for i in extraction.indicators] == ["完成时限", "举办活动", "服务企业", "满意度"]
    missed = {f.message.split("”")[0].lstrip("“") for f in findings if f.rule == "score.full_but_missed"}
    assert missed == {"完成时限", "满意度"}
    above = [f for f in findings if f.rule == "score.above_weight"]
    assert len(above) == 1 and "“服务企业”得分22超过其分值20" in above[0].message  # the row's own name


def test_tab_rows_with_empty_merged_cells_read_every_row():
    text = NATIONAL_PIPE.replace(" | ", "\t").replace("| ", "").replace(" |", "").replace("|", "")
    extraction, rules, findings = _rules(text)
    assert len(extraction.indicators) == 4 and extraction.facts.self_score == 97
    assert not any(f.rule == "weights.not_100" for f in findings)


def test_a_target_without_comparator_is_rescored_by_its_kind_and_says_so():
    text = NATIONAL_PIPE.replace("| 20 | 22 |", "| 20 | 20 |")
    _, _, findings = _rules(text)
    unclear = [f for f in findings if f.rule == "score.item_unclear" and "服务企业" in f.message]
    assert unclear and "指标性质未写明，按效益指标视为≥" in unclear[0].message


DEPARTMENT = """部门整体支出绩效自评表
部门预算执行情况\t年初预算数\t调整预算数\t执行数\t执行率\t执行率权重\t执行率得分
年度资金总额\t1200\t1250\t1180\t94.4%\t10\t9.44
指标名称\t计量单位\t指标性质\t年初指标值\t调整指标值\t全年完成值\t得分系数\t指标权重\t指标得分\t是否核心指标
培训会员\t人次\t≥\t800\t\t820\t1.00\t30\t30\t是
办结时限\t天\t≤\t15\t\t15\t1.00\t20\t20\t否
人均经费\t万元\t≤\t2\t\t2.2\t0.90\t20\t17\t否
会员满意度\t%\t≥\t90\t\t92\t1.00\t20\t20\t是
自评总分\t96.44
"""


def test_the_department_form_reads_rows_total_and_coefficient():
    extraction, rules, findings = _rules(DEPARTMENT)
    assert extraction.facts.self_score == 96.44
    assert abs(extraction.facts.execution_rate - 0.944) < 1e-9
    assert [i.name for i in extraction.indicators] == ["培训会员", "办结时限", "人均经费", "会员满意度"]
    coefficient = [f for f in findings if f.rule == "score.coefficient_mismatch"]
    assert len(coefficient) == 1 and "人均经费" in coefficient[0].message and coefficient[0].severity == "high"


def test_a_row_no_single_reading_fits_is_low_and_not_guessed():
    text = NATIONAL_PIPE.replace("| | | 数量指标 | 举办活动 | ≥ | 6 | 场 | 6 | 30 | 30 |", "举办活动  6  6  30")
    extraction, rules, findings = _rules(text)
    assert "举办活动" not in [i.name for i in extraction.indicators]
    unreadable = [f for f in findings if f.rule == "table.unreadable"]
    assert unreadable and all(f.severity == "low" for f in unreadable)
    # The table is not whole: no sum or weights finding is judged on it.
    assert not any(f.rule in ("score.sum_mismatch", "weights.not_100") for f in findings)


@pytest.mark.parametrize("layout", ["pipe_empty", "spaces", "cell_per_line"])
def test_a_form_cut_off_by_the_text_gets_no_total_grade_or_weights_finding(layout):
    form = generate(7, "national", ("weights_sum",))
    text = to_text(form, LAYOUT_BY_ID[layout], cut_after=3)
    extraction = extract(parse_bytes(text.encode()))
    findings = check(extraction).findings
    assert [i.name for i in extraction.indicators] == [r.name for r in form.rows[:3]]
    assert extraction.facts.self_score is None and extraction.facts.grade is None
    assert not any(f.rule in ("score.sum_mismatch", "weights.not_100", "grade.mismatch") for f in findings)


# --- round trips: generated forms in every layout and format ---

variants = st.sampled_from([variant.id for variant in VARIANTS])
# Cells run together are read only where the arithmetic fixes the cut: there a row may be left unread (a low
# table.unreadable, never a wrong number); tests/test_form_flat.py holds that layout's own property.
layouts = st.sampled_from([layout.id for layout in LAYOUTS if layout.separator != "none"])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), variant=variants, layout=layouts)
def test_text_round_trip_gives_the_same_rows_and_facts(seed, variant, layout):
    form = generate(seed, variant)
    extraction = extract(parse_bytes(to_text(form, LAYOUT_BY_ID[layout]).encode()))
    assert [(i.name, i.weight, i.score, i.nature) for i in extraction.indicators] == \
        [(r.name, r.weight, r.score, r.direction) for r in form.rows]
    assert extraction.facts.self_score == form.total_score
    assert abs(extraction.facts.execution_rate - form.rate) < 1e-4
    assert not extraction.unread_rows


def _planted(seed: int, variant: str, plants: list[str]):
    """A generated form with the planted errors drawn; a coefficient error only on forms that have coefficients."""
    if "coefficient" in plants and variant in ("national", "province_a"):
        plants.remove("coefficient")
    return generate(seed, variant, tuple(plants))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), variant=variants, layout=layouts,
       plants=st.lists(st.sampled_from(PLANTS), max_size=3, unique=True))
# a budget of 100: the 其中 row's spending 87.67 is not a bare rate of 87.67% (it gives itself on 100)
@example(seed=121938, variant="department", layout="pipe_dropped", plants=["execution_off"])
def test_text_round_trip_finds_exactly_the_planted_errors(seed, variant, layout, plants):
    form = _planted(seed, variant, plants)
    trip = read_back(form, LAYOUT_BY_ID[layout], "text")
    assert trip.ok, (trip.missing, trip.unexpected, trip.detail)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), variant=variants, layout=layouts,
       plants=st.lists(st.sampled_from(PLANTS), max_size=2, unique=True))
def test_a_form_written_in_traditional_script_reads_back_the_same(seed, variant, layout, plants):
    """Mirror sites publish forms in traditional script (項目支出績效自評表): the cells are read as the lines are."""
    import opencc

    form = _planted(seed, variant, plants)
    traditional = opencc.OpenCC("s2t").convert(to_text(form, LAYOUT_BY_ID[layout]))
    assert "績效" in traditional or "自評" in traditional
    trip = read_back(form, LAYOUT_BY_ID[layout], "text", traditional.encode("utf-8"))
    assert trip.ok, (trip.missing, trip.unexpected, trip.detail)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", [pytest.param(fmt, marks=pytest.mark.skipif(
    fmt in LIBREOFFICE_FORMATS and find_soffice() is None, reason="LibreOffice is not installed"))
    for fmt in FORMATS if fmt != "text"])
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), variant=variants, layout=layouts)
def test_file_formats_round_trip_with_merged_cells(fmt, seed, variant, layout):
    form = generate(seed, variant)
    trip = read_back(form, LAYOUT_BY_ID[layout], fmt, render(form, LAYOUT_BY_ID[layout], fmt))
    assert trip.ok, (trip.missing, trip.unexpected, trip.detail)


def test_one_answer_in_every_format_for_one_form():
    form = generate(3, "national", ("missed_full", "over_weight"))
    layout = LAYOUT_BY_ID["pipe_empty"]
    answers = {fmt: read_back(form, layout, fmt) for fmt in ("text", "html")}
    assert all(trip.ok for trip in answers.values()), {f: (t.missing, t.unexpected) for f, t in answers.items()}


@pytest.mark.parametrize("text,score", [
    ("经评价，本项目自评分为96分，等级为优。", 96),
    ("| 三级指标 | 分值 |\n总分 100 94.5\n", 94.5),  # a total row with no form header to read it by
    ("……总分10097.5注：1.一级指标分值统一设置", 97.5),  # the same, cells run together
    ("部门整体绩效自评表主管部门财政处自评总分（分）97.6部门联系人", 97.6),
])
def test_self_score_phrasings_and_bare_total_rows(text, score):
    assert extract(parse_bytes(text.encode())).facts.self_score == score


@pytest.mark.parametrize("text,raised", [
    ("评价指标体系设置产出指标（50分）、效益指标（30分）、满意度指标（10分），预算执行率另计。", False),  # 90 + 10
    ("部门整体支出绩效评价得分表 一级指标 二级指标 三级指标 得分 部门决策(25分) 目标任务(15分) 相关性(5分)", False),
    ("本次评价指标体系分为投入（20分）、过程（20分）、产出（30分）。", True),
])
def test_weights_listed_in_a_line_are_judged_only_as_a_whole_system(text, raised):
    report = f"某项目支出绩效自评报告\n一、评价工作开展情况\n{text}\n"
    findings = check(extract(parse_bytes(report.encode()))).findings
    assert any(f.rule == "weights.not_100" for f in findings) == raised


TITLED_WEIGHT = ("一、项目支出绩效自评表\n"
                 "预算执行情况（万元）（20分） | 预算数(A) | 执行数(B) | 执行率(B/A) | 得分（20分*执行率）\n"
                 "年度资金总额 | 8 | {spent} | {rate} | {score}\n")


def test_a_funds_block_whose_titles_give_its_weight_is_rescored_against_that_weight():
    """预算执行情况（20分）, 得分（20分*执行率）: the form's own weight, not the national 10, is the one to apply."""
    from tests.rule_cases import HEAD, run

    in_full = TITLED_WEIGHT.format(spent=8, rate="100%", score=20)
    assert not [f for f in run(in_full).findings if f.rule == "score.execution_points"]
    [row] = extract(parse_bytes((HEAD + in_full).encode())).execution_rows
    assert (row.weight, row.score) == (20, 20)
    [finding] = [f for f in run(TITLED_WEIGHT.format(spent=6, rate="75%", score=20)).findings
                 if f.rule == "score.execution_points"]
    assert finding.expected == 15


def test_a_funds_block_one_space_apart_is_read_when_its_titles_name_every_column():
    text = ("一、项目支出绩效自评表\n资金来源 年初预算数 全年预算数 全年执行数 分值权重 执行率 得分\n"
            "年度资金总额 6.40 5.00 4.50 10 90.00% 9\n其中:当年财政拨款 6.40 5.00 4.50 - - -\n")
    from tests.rule_cases import HEAD

    [row] = extract(parse_bytes((HEAD + text).encode())).execution_rows
    assert (row.adjusted_budget.value_wan, row.spent.value_wan, row.rate.value, row.weight, row.score) == (
        5, 4.5, 0.9, 10, 9)
    # a sentence one space apart is no row
    prose = "一、概况\n本年 共 完成 项目 5 个 12 处 8 次\n"
    assert not extract(parse_bytes((HEAD + prose).encode())).execution_rows
