"""Pathological text is read in time linear in its size: no pattern may backtrack without bound.

Each input would take minutes to hours with a pattern that backtracks (nested or adjacent unbounded
quantifiers); the budgets are generous so that a slow machine passes and a super-linear pattern does not.
"""

import time

import pytest

from auditlib.check import check
from auditlib.extract import extract
from auditlib.extract.meta import UNIT_RE
from auditlib.ingest import parse_bytes
from auditlib.numbers import find_amounts

BUDGET_SECONDS = 60  # a pattern that backtracks takes minutes to hours on these; a loaded 2-core machine takes ~25 s

PATHOLOGICAL = {
    "a_very_long_line": "预算资金共计48万元，实际支出44.9万元，执行率93.5%，" * 10000,
    "200000_headings": "".join(f"{'一二三四五六七八九'[i % 9]}、标题\n" for i in range(200_000)),
    "a_long_run_of_digits": "预算" + "1" * 200_000 + "\n" + "1," * 50_000 + "\n",
    "a_long_run_of_chinese_numerals": "预算" + "一二三四五六七八九十百千" * 20_000 + "\n",
    "repeated_bookmark_marks": "[bookmark:" * 50_000 + "\n",
    "repeated_place_names_402_bytes": "附" + "北京市东城区" * 22 + "\n",
    "repeated_place_names_long": "附北京市东城区朝阳县" * 20_000 + "\n",
    "long_runs_of_blanks": "总" + " " * 100_000 + "得分\n分以下" + " " * 100_000 + "\n截至" + " " * 100_000 + "年\n",
    "unclosed_markdown_bold": "**" * 100_000 + "\n",
    "a_long_run_of_label_words_before_an_amount": "预算" + "的" * 100_000 + "x48万元\n",
}


@pytest.fixture(scope="module")
def warm():
    """Pay great-expectations' import once, outside the timed part."""
    check(extract(parse_bytes("测试区教育局项目绩效自评报告\n一、概况\n预算10万元。\n".encode())))


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_text_is_read_and_checked_in_bounded_time(name, warm):
    text = PATHOLOGICAL[name]
    started = time.perf_counter()
    extraction = extract(parse_bytes(text.encode("utf-8"), f"{name}.txt"))
    check(extraction)
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET_SECONDS, f"{name}: {elapsed:.1f}s for {len(text):,} characters"


def test_place_name_pattern_is_linear_where_it_backtracked_exponentially():
    # 402 bytes of place names once hung the unit pattern; 40 times as much must still be instant.
    for repeat in (22, 880):
        text = "附" + "北京市东城区" * repeat
        started = time.perf_counter()
        list(UNIT_RE.finditer(text))
        assert time.perf_counter() - started < 2


def test_place_name_pattern_keeps_reading_units():
    names = [m.group(0) for m in UNIT_RE.finditer("经武汉市武昌区工商业联合会审核，由重庆市璧山区财政局下达。")]
    assert names == ["武汉市武昌区工商业联合会", "重庆市璧山区财政局"]


def test_numeral_runs_still_read_amounts():
    assert [q.value for q, _ in find_amounts("三万五千元，一百二十万元，" + "七" * 5000 + "元")][:2] == [3.5, 120.0]


def test_a_long_sentence_of_breakdowns_is_read_in_bounded_time(warm):
    text = "预算10万元，其中（甲）5万元，" * 4000  # 164 KiB; linear reading takes well under a second
    started = time.perf_counter()
    extract(parse_bytes(text.encode("utf-8")))  # timed in this process: an interpreter's start-up is not the text's
    assert time.perf_counter() - started < BUDGET_SECONDS


@pytest.mark.parametrize("text, names", [
    ("根据市财政局要求，由清河县水利局组织实施。", ["清河县水利局"]),  # a verb opens no place: 根据市 is none
    ("配合省财政厅完成自评。", []),
    ("下达资金1805.45万元吉林省财政厅已全部收回。", []),  # never read from right after a figure
    ("版权所有：清河县人民政府版权所有", []),  # a page's footer, not an office called …版权所
    ("主办：清河县人民政府网站", []),
    ("致北京市各机关各行业协会", []),
    ("项目单位市疾病预防控制中心", []),  # a form's field label run into its value
    ("昌平黎族自治县市场监督管理局", ["昌平黎族自治县市场监督管理局"]),
    ("清河市双桥经济技术开发区建设管理局", ["清河市双桥经济技术开发区建设管理局"]),
    ("清河市人民政府驻北京联络处", ["清河市人民政府驻北京联络处"]),
])
def test_unit_names_are_whole_names_and_never_a_sentences_words(text, names):
    assert [m.group(0) for m in UNIT_RE.finditer(text)] == names


def test_bracketed_breakdowns_never_closed_are_read_in_bounded_time(warm):
    text = "支出10万元，其中甲5万元（含乙1万元" * 6000  # 146 KiB: quadratic reading took minutes
    started = time.perf_counter()
    extract(parse_bytes(text.encode("utf-8")))
    assert time.perf_counter() - started < 10


def test_a_list_of_thousands_of_items_each_with_an_aside_is_read_in_bounded_time(warm):
    text = "支出总额9万元，其中" + "甲项5万元（含乙1万元），" * 4000
    started = time.perf_counter()
    extract(parse_bytes(text.encode("utf-8")))
    assert time.perf_counter() - started < 10


def test_asides_run_on_without_a_comma_are_read_in_bounded_time(warm):
    text = "支出10万元（含乙1万元）丙5万元（含丁1万元）" * 6000  # 170 KiB of one sentence: took half a minute
    started = time.perf_counter()
    extract(parse_bytes(text.encode("utf-8")))
    assert time.perf_counter() - started < 10
