import pytest

from auditlib.numbers import chinese_to_int, find_amounts, find_percents


@pytest.mark.parametrize("text, expected", [("十二", 12), ("二〇二〇", 2020), ("一百零五", 105), ("二十", 20),
                                            ("三万五千", 35000), ("abc", None)])
def test_chinese_numerals(text, expected):
    assert chinese_to_int(text) == expected


def test_amounts_are_normalised_to_wan_with_their_precision():
    found = {q.raw: (q.value, q.half_width, unit) for q, unit in
             find_amounts("预算 88.50 万元，支出13.99万，奖金489500元，投资1.32亿元，八万元")}
    assert found["88.50 万元"] == (88.5, pytest.approx(0.005), "万元")
    assert found["13.99万"][0] == 13.99
    assert found["489500元"][0] == pytest.approx(48.95)
    assert found["1.32亿元"][0] == 13200
    assert found["八万元"][:2] == (8.0, 0.0)


def test_counts_of_people_are_not_money():
    assert find_amounts("观看人数达10万人以上，覆盖2万余户") == []


def test_percents_are_fractions_with_rounding_width():
    first, second = find_percents("执行率 135.8%，到位率100％")
    assert first.value == pytest.approx(1.358) and first.half_width == pytest.approx(0.0005)
    assert second.value == 1.0 and second.half_width == pytest.approx(0.005)


@pytest.mark.parametrize("text, money", [
    ("防治面积12.6万亩", []), ("种植3万株", []), ("硬化2.5万平方米", []), ("清运1.2万吨", []), ("修复4万米", []),
    ("安排资金50万，用于", [50.0]), ("下达50万用于培训", [50.0]),
])
def test_a_bare_wan_before_a_unit_of_measure_is_no_money(text, money):
    assert [quantity.value for quantity, _ in find_amounts(text)] == money
