"""Property-based tests: number and amount parsing, Word's numbering, and the outline of any shuffle of headings."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditlib.check import check
from auditlib.extract import extract
from auditlib.ingest import parse_bytes
from auditlib.ingest.formats.numbering import chinese_counting
from auditlib.numbers import chinese_to_int, find_amounts, find_percents
from auditlib.outline import build_outline

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@FAST
@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numerals_round_trip(number):
    assert chinese_to_int(chinese_counting(number)) == number


@FAST
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=2),
       st.sampled_from([("元", 0.0001), ("万元", 1.0), ("亿元", 10000.0)]), st.booleans(), st.booleans())
def test_amounts_in_any_unit_and_digit_style(whole, decimals, unit, separators, full_width):
    name, factor = unit
    written = f"{whole:,}" if separators else str(whole)
    if decimals:
        written += "." + "5" * decimals
    text = f"项目预算{written}{name}，"
    if full_width:
        text = parse_bytes(text.translate(FULL_WIDTH).encode()).lines[0].text  # as ingest normalises it
    found = find_amounts(text)
    assert len(found) == 1
    quantity, unit_written = found[0]
    assert unit_written == name
    expected = (whole + (float("0." + "5" * decimals) if decimals else 0)) * factor
    assert abs(quantity.value - expected) <= 1e-6 * max(1.0, expected)


@FAST
@given(st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False))
def test_percentages_are_fractions_with_their_precision(value):
    found = find_percents(f"执行率{value}%")
    assert len(found) == 1 and abs(found[0].value - float(value) / 100) < 1e-9


HEADINGS = ["一、项目概况", "二、绩效目标", "（一）总体目标", "（二）年度目标", "1.数量指标", "2.质量指标", "（1）培训",
            "①人次", "第一部分 概述", "三、存在问题", "预算10万元，实际支出9.5万元，执行率95%。", "自评得分90分，评价等级为优。",
            "| 年初预算数 | 全年执行数 | 执行率 |", "| 10 | 9.5 | 95% |", ""]


@FAST
@given(st.lists(st.sampled_from(HEADINGS), min_size=0, max_size=40))
def test_any_shuffle_of_headings_gives_a_tree_and_findings(lines):
    document = parse_bytes(("测试区教育局项目绩效自评报告\n" + "\n".join(lines) + "\n").encode())
    outline = build_outline(document)
    for section in outline.sections:
        assert section.parent is not None and section in section.parent.children
        assert section.level == section.parent.level + 1
    result = check(extract(document, outline))
    assert all(finding.rule for finding in result.findings)
