"""The count rules (auditlib.check.rules.counts): a stated count against the list the same sentence gives, and
parts told apart by when they came against their total. Fixtures of our own, with invented names."""

import re

import pytest

from auditlib.check.rules import counts
from tests.rule_cases import assert_covers, fires, rules_of, run

CASES = [
    ("count.listed", "一、概况\n本局下设直属单位5个，即林业站、水保站、农机站、种子站。\n",
     "一、概况\n本局下设直属单位4个，即林业站、水保站、农机站、种子站。\n"),
    ("count.parts", "一、概况\n全年实施项目共12个，年初安排7个项目，年中追加6个项目，均已完工。\n",
     "一、概况\n全年实施项目共13个，年初安排7个项目，年中追加6个项目，均已完工。\n"),
    ("count.breakdown", "一、概况\n共安装监控设备1200套，其中：总平台40套；分平台160套，前端点位990台（套）；社区30套。\n",
     "一、概况\n共安装监控设备1220套，其中：总平台40套；分平台160套，前端点位990台（套）；社区30套。\n"),
]


def test_the_cases_cover_every_count_rule():
    assert_covers(counts, CASES)


@pytest.mark.parametrize("rule, firing, quiet", CASES, ids=[case[0] for case in CASES])
def test_each_rule_fires_and_stays_quiet(rule, firing, quiet):
    assert fires(rule, firing) and not fires(rule, quiet)


@pytest.mark.parametrize("pattern, positive, negative",
                         counts.ANNOUNCED_LISTS + (counts.COUNT_TOTAL, counts.COUNT_PART, counts.COUNTED_ITEM, counts.BREAKDOWN_TOTAL,
                                                   counts.BREAKDOWN_PART))
def test_every_pattern_has_a_positive_and_a_negative_example(pattern, positive, negative):
    assert re.search(pattern, positive) and not re.search(pattern, negative)


def test_a_listed_count_names_both_numbers_and_the_ends_of_the_list():
    [finding] = rules_of(run(CASES[0][1]), "count.listed")
    assert (finding.expected, finding.stated, finding.severity) == (4, 5, "medium")
    assert "直属单位5个" in finding.message and "“林业站”至“种子站”" in finding.message


@pytest.mark.parametrize("quiet", [
    "本局下设直属单位5个，包括林业站、水保站、农机站。",  # 包括 often names a few
    "本局下设直属单位5个，即林业站、水保站、农机站等。",  # 等: the list is not complete
    "本局下设直属单位5个，即林业站、水保站、农机站，另有2个正在筹建。",  # the list goes on past a comma
    "本局下设直属单位4个，即林业站、水保站、农机站和种子站。",  # 和 joins the last two
    "本局下设直属单位3个，即林业站、水保站、农机站、林业站。",  # a name written twice is one unit
    "全年建设项目5个，分别为甲村道路项目、（略）建设项目、（略）建设项目、（略）建设项目、乙村水渠项目。",  # masked alike
    "本局下设直属单位4个，即林业站、水保站（含林业检查点、苗圃）、农机站、种子站。",  # an aside is no item
    "本局下设直属单位5个，即林业站、水保站、农机站、种子站",  # no sentence end: the line may be cut
    "本局内设9个机构，分别是：办公室、财务科、督查室、6个大队（一至六大队）。",  # an item counts its own
])
def test_a_list_that_is_not_shown_complete_or_matches_raises_nothing(quiet):
    assert not fires("count.listed", f"一、概况\n{quiet}\n")


def test_parts_fewer_than_their_total_or_in_an_aside_raise_nothing():
    assert not fires("count.parts", "一、概况\n全年实施项目共15个，年初安排7个项目，年中追加6个项目。\n")
    # (含…5个) is inside a part, not another part
    assert not fires("count.parts", "一、概况\n全年实施项目共13个（含续建5个），年初安排7个项目（含结转3个），年中追加6个项目。\n")
    [finding] = rules_of(run("一、概况\n全年实施项目共12个（含续建5个），年初安排7个项目，年中追加6个项目。\n"), "count.parts")
    assert finding.severity == "low" and (finding.expected, finding.stated) == (13, 12) and "7＋6＝13" in finding.message


@pytest.mark.parametrize("opening", ["即", "分别为", "分别为：", "具体是：", "："])
def test_a_listed_count_opened_by_a_word_a_colon_or_both(opening):
    text = f"一、概况\n本局设内设机构3个，分别为办公室、财务股、业务股；所属事业单位4个，{opening}甲中心、乙中心（加挂“丙站”牌子）、丁队。\n"
    [finding] = rules_of(run(text), "count.listed")
    assert (finding.expected, finding.stated) == (3, 4)


@pytest.mark.parametrize("last, fires_listed", [
    ("丙站和丁站", False),  # two names joined: four
    ("丙中心和丁中心", False),
    ("丙所及指挥中心", False),  # 所 ends a body's name
    ("生态环境和农业综合服务中心", True),  # one name with 和 in it: three, not four
])
def test_a_last_item_joined_by_he_is_two_names_only_where_its_head_ends_as_a_name(last, fires_listed):
    text = f"一、概况\n本局下设直属单位4个，分别为：甲站、乙中心、{last}。\n"
    assert fires("count.listed", text) == fires_listed
    # where the join is two names, the count of one less is the error: 3 stated, 4 listed
    assert fires("count.listed", text.replace("4个", "3个")) == (not fires_listed)


@pytest.mark.parametrize("quiet", [
    "共安装设备120套，其中：省级平台30套、市级平台90套；新建80套、改建40套。",  # a second breakdown after the first
    "共安装设备120套，其中：甲平台30套（其中摄像机20台），乙平台60套。",  # fewer: parts may be left unnamed
    "共安装设备120套，其中：甲平台70台，乙平台60台。",  # counted in another thing
])
def test_a_breakdown_that_reaches_its_total_or_counts_otherwise_raises_nothing(quiet):
    assert not fires("count.breakdown", f"一、概况\n{quiet}\n")


def test_a_breakdown_count_names_its_parts_and_both_totals():
    [finding] = rules_of(run(CASES[2][1]), "count.breakdown")
    assert finding.severity == "low" and (finding.expected, finding.stated) == (1220, 1200)
    assert "40＋160＋990＋30＝1220套" in finding.message
