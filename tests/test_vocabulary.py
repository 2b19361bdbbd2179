"""auditlib.vocabulary: every entry read as it says, with the example it carries."""

import re

import pytest

from auditlib.outline import parse_numbering
from auditlib.vocabulary import (AT_LEAST, AT_MOST, COMPARATORS, KINDS, MEASURES, NUMBER_MARKER, NUMBERING_STYLES,
                                 direction_in, without_comparators)


@pytest.mark.parametrize("comparator", COMPARATORS, ids=[c.word for c in COMPARATORS])
def test_each_comparator_reads_its_example_in_its_direction(comparator):
    assert comparator.word in comparator.example
    assert direction_in(comparator.example) == comparator.direction
    assert comparator.word not in without_comparators(comparator.example)


def test_a_word_is_listed_before_every_word_it_contains():
    words = [c.word for c in COMPARATORS]
    for index, word in enumerate(words):
        assert not [later for later in words[index + 1:] if word in later and word != later], word


@pytest.mark.parametrize("text, direction", [("不大于10天", AT_MOST), ("不低于95%", AT_LEAST), ("低于2%", AT_MOST),
                                             ("10天以内", AT_MOST), ("达到100%", AT_LEAST), ("100%", None)])
def test_the_first_comparator_decides(text, direction):
    assert direction_in(text) == direction


@pytest.mark.parametrize("style", NUMBERING_STYLES, ids=[s.name for s in NUMBERING_STYLES])
def test_each_numbering_style_reads_its_example(style):
    numbering = parse_numbering(style.example)
    assert numbering is not None and numbering.style == style.name and numbering.number == 1
    assert re.match(NUMBER_MARKER, style.example)


@pytest.mark.parametrize("text", ["2021年度预算", "3.5万元", "项目概况"])
def test_a_figure_or_a_word_is_not_a_number_marker(text):
    assert parse_numbering(text) is None


def test_every_kind_and_measure_has_its_names():
    assert set(KINDS) == {"project", "department", "table", "unknown", None}
    assert all(kind.name and kind.short for kind in KINDS.values())
    assert KINDS["project"].name == "项目支出绩效自评报告" and MEASURES["spent"] == "支出"


def test_the_rows_a_table_scores_are_named_once():
    from auditlib.check.rescore import EXECUTION, INDICATOR
    from auditlib.vocabulary import FUNDS_ROW, INDICATOR_ROW, TABLE_ROWS

    assert (EXECUTION, INDICATOR) == (FUNDS_ROW, INDICATOR_ROW) and set(TABLE_ROWS) == {FUNDS_ROW, INDICATOR_ROW}


def test_each_phrasing_of_a_proportional_execution_item_reads_its_example_and_not_its_counterexample():
    from auditlib.vocabulary import PROPORTIONAL_EXECUTION, STEP_EXECUTION

    for phrasing in PROPORTIONAL_EXECUTION:
        assert phrasing.pattern.search(phrasing.example), phrasing.example
        assert not any(p.pattern.search(phrasing.counterexample) for p in PROPORTIONAL_EXECUTION), phrasing.counterexample
    assert STEP_EXECUTION.pattern.search(STEP_EXECUTION.example)
    assert not STEP_EXECUTION.pattern.search(STEP_EXECUTION.counterexample)
