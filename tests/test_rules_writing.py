"""The writing rules (auditlib.check.rules.writing): brackets, dates, repeats, punctuation, OCR residue,
unreadable cells, misspellings, item numbers inside a line. Each pattern's own example is checked in
tests/test_real_world_patterns.py; here each rule fires on a sentence and stays quiet on its correction."""

from pathlib import Path

import pytest

from auditlib.check.rules import writing
from tests.rule_cases import assert_covers, fires, run

AMBIGUOUS_CELLS = (Path(__file__).parent / "fixtures" / "self_evaluation_table_cells_ambiguous.txt").read_text(
    encoding="utf-8")
CASES = [
    ("text.unbalanced", "一、概况\n项目（一期建设已按计划顺利完成并通过验收。\n", "一、概况\n项目（一期）建设已按计划顺利完成并通过验收。\n"),
    ("text.date", "一、概况\n截至201912月，项目已完成。\n", "一、概况\n截至2019年12月，项目已完成。\n"),
    ("text.repeated", "一、概况\n民政部门部门整体绩效自评得分96分。\n", "一、概况\n民政部门整体绩效自评得分96分。\n"),
    ("text.punctuation", "一、概况\n大棚建设项目,:建设4座标准化大棚。\n", "一、概况\n大棚建设项目：建设4座标准化大棚。\n"),
    ("text.ocr", "一、资金\n发放补助资金100OOO元。\n", "一、资金\n发放补助资金100000元。\n"),
    ("table.unreadable", AMBIGUOUS_CELLS,
     AMBIGUOUS_CELLS.replace("年度资金总额:1111111111100%", "年度资金总额:11|11|11|100%")),
    ("text.typo", "一、资金\n资金已全部拔付到位。\n", "一、资金\n资金已全部拨付到位。\n"),
    ("section.item_numbering", "一、措施\n1.加强宣传。2.规范管理。4.强化监督。\n", "一、措施\n1.加强宣传。2.规范管理。3.强化监督。\n"),
]


def test_the_cases_cover_every_writing_rule():
    assert_covers(writing, CASES)


@pytest.mark.parametrize("rule, firing, quiet", CASES, ids=[case[0] for case in CASES])
def test_each_rule_fires_and_stays_quiet(rule, firing, quiet):
    whole = rule == "table.unreadable"
    assert fires(rule, firing, whole=whole) and not fires(rule, quiet, whole=whole)


def test_a_form_row_label_after_its_group_name_is_no_repeated_word():
    assert not fires("text.repeated", "一、绩效指标\n数量指标指标1:完成渠道整治数量 3 3 10 10\n")
    assert fires("text.repeated", "一、绩效指标\n数量指标指标完成3项，得10分。\n")


FUND_MANAGEMENT = ("一、资金管理情况\n资金拨付 | 按进度足额拨付到各乡镇，未发现滞留资金的情况。 |\n{row}\n"
                   "使用规范性 | 严格按照批复的用途使用资金，未发现挤占挪用等问题。 |\n")


def test_an_item_left_blank_among_items_described_in_a_form_is_an_empty_field():
    [finding] = [f for f in run(FUND_MANAGEMENT.format(row="监督检查 | | |")).findings if f.rule == "text.placeholder"]
    assert "监督检查" in finding.message and finding.evidence.startswith("监督检查 |")
    described = FUND_MANAGEMENT.format(row="监督检查 | 开展专项检查两次，整改问题全部到位。 |")
    assert not fires("text.placeholder", described)
    assert not fires("text.placeholder", FUND_MANAGEMENT.format(row="其他资金 | | |"))  # a fund's row is often empty
    numbers = "一、资金\n本年拨款 | 12 | 12 |\n上年结转 | | |\n其他 | 3 | 3 |\n"
    assert not fires("text.placeholder", numbers)  # no neighbour is described in words
