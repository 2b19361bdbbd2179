"""The writing rules (auditlib.check.rules.writing): brackets, dates, repeats, punctuation, OCR residue,
unreadable cells, misspellings, item numbers inside a line. Each pattern's own example is checked in
tests/test_real_world_patterns.py; here each rule fires on a sentence and stays quiet on its correction."""

from pathlib import Path

import pytest

from auditlib.check.rules import writing
from tests.rule_cases import assert_covers, fires

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
