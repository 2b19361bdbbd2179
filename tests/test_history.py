"""Year over year: what changed from the unit's earlier year, read from the store or the output folder."""

import json
from dataclasses import replace

import pytest

from auditlib.history import (MIN_COPIED_CHARS, Passage, Target, YearBasis, compare, normalised_sentence,
                              read_target)
from auditlib.iorw import write_json_atomic
from auditlib.render.memo import Memo
from auditlib.store import RunInfo, earlier_basis, save_to_duckdb, tables_from_records
from tests.test_review import demo_audit, make_project

COPIED = "部分街道养老服务站点人员配备不足，专业护理人员流动性较大，影响了服务质量的进一步提升"


def _store(out, records, run_id="run-1"):
    save_to_duckdb(out / "auditlib.duckdb", RunInfo(run_id, "2026-01-01T00:00:00", "2026-01-01T00:01:00", "0.1.0",
                                                    "params"), *tables_from_records(run_id, records))


def test_a_unit_with_two_years_in_the_store_gets_a_year_over_year_section(tmp_path):
    root = make_project(tmp_path)
    out = tmp_path / "out"
    _store(out, [Memo(demo_audit(root, 2020), out).record])  # the store alone holds 2020 (no data/ record)
    memo = Memo(demo_audit(root, 2021, out), out)
    html = memo.html("history")
    assert "与2020年度相比（2020年度数据取自数据库中该年度最近一次审核）" in html
    budget = html[html.index("预算数"): html.index("支出数")]
    assert "80万元" in budget and "100万元" in budget and "+20万元（+25.0%）" in budget
    assert "−10个百分点" in html and "+3分" in html  # rate 95% → 85%, claimed score 92 → 95
    assert "补助发放及时率" in html  # dropped
    lowered = html[html.index("history-lowered"):]
    assert "≥1200人" in lowered and "≥1000人" in lowered and "目标降低" in lowered
    assert "≤3%" in lowered and "≤5%" in lowered and "上限提高" in lowered
    copied = html[html.index("history-copied"):]
    assert "逐字相同的表述（2句）" in html and COPIED in copied
    assert "受疫情影响" not in copied  # new this year
    assert "复核得分" not in html  # no recomputed score in either record: no row for it
    assert memo.record.year_over_year.earlier_year == 2020


def test_the_output_folder_record_is_preferred_and_later_years_are_ignored(tmp_path):
    root = make_project(tmp_path)
    out = tmp_path / "out"
    earlier = Memo(demo_audit(root, 2020), out)
    _store(out, [replace(earlier.record, budget_wan=1.0)])
    assert earlier_basis(out, "demo", 2021).budget_wan == 1.0
    earlier.save()  # data/demo-2020.json, as a batch writes it
    basis = earlier_basis(out, "demo", 2021)
    assert (basis.year, basis.budget_wan, basis.source) == (2020, 80.0, "输出文件夹")
    assert earlier_basis(out, "demo", 2020) is None  # never itself or a later year
    (out / "data" / "demo-2019.json").write_text("not json", encoding="utf-8")  # not ours: skipped
    write_json_atomic(out / "data" / "demo-x-2019.json", {"unit": "demo-x"})
    assert earlier_basis(out, "demo", 2021).year == 2020
    (out / "auditlib.duckdb").write_bytes(b"not a database")
    assert earlier_basis(out, "demo", 2021).source == "输出文件夹"


def test_no_earlier_year_says_so(tmp_path):
    root = make_project(tmp_path, years=(2021,))
    memo = Memo(demo_audit(root, 2021, tmp_path / "out"), tmp_path / "out")
    assert memo.record.year_over_year is None and "无从比较" in memo.html("history")


def test_a_recomputed_score_is_compared_where_the_records_have_one():
    before = YearBasis("u", 2020, recomputed_score=88.0, recomputed_grade="良")
    after = YearBasis("u", 2021, recomputed_score=79.5, recomputed_grade="中")
    changes = {c.key: c for c in compare(before, after).changes}
    assert changes["recomputed_score"].delta == -8.5 and changes["recomputed_grade"].after == "中"
    assert set(changes) == {"recomputed_score", "recomputed_grade"}


def test_targets_are_read_with_their_direction_and_unit():
    assert read_target("a", "≥ 95 %") == Target("a", "≥ 95 %", 95.0, "%", "≥")
    assert read_target("b", "不超过5个工作日").direction == "≤"
    assert read_target("c", "1500人") == Target("c", "1500人", 1500.0, "人", "")
    assert read_target("d", "明显改善").value is None
    both = compare(YearBasis("u", 1, targets=(read_target("e", "100人"), read_target("f", "≥90%"),
                                              read_target("g", "≥90%"), read_target("h", "明显改善"))),
                   YearBasis("u", 2, targets=(read_target("e", "80人"), read_target("f", "≥80万元"),
                                              read_target("g", "≤80%"), read_target("h", "有所改善"))))
    assert [c.name for c in both.lowered] == ["e"]  # other unit, other direction, words: not compared
    assert both.dropped == []
    none_read = compare(YearBasis("u", 1, targets=(read_target("e", "100人"),)), YearBasis("u", 2))
    assert none_read.dropped == [] and none_read.earlier_targets == 1 and none_read.targets == 0


@pytest.mark.parametrize("before, after, lowered", [
    ("不大于10天", "不大于8天", False),  # a ≤ target made smaller is stricter
    ("不大于8天", "不大于10天", True),
    ("10天以内", "8天以内", False),
    ("不低于95%", "不低于90%", True),
    ("达到100%", "达到100%", False),
])
def test_a_target_is_lowered_only_in_its_own_direction(before, after, lowered):
    change = compare(YearBasis("u", 1, targets=(read_target("t", before),)),
                     YearBasis("u", 2, targets=(read_target("t", after),)))
    assert bool(change.lowered) is lowered


def test_copied_sentences_are_whole_long_sentences_found_in_linear_time():
    assert normalised_sentence("（1） 一是加强 管理") == "一是加强管理"
    assert normalised_sentence("二是加强管理") == "加强管理"
    long = "甲" * MIN_COPIED_CHARS
    many = tuple(Passage(f"{long}{i}", "四", i) for i in range(200_000))
    result = compare(YearBasis("u", 1, passages=many), YearBasis("u", 2, passages=many[::-1]))
    assert len(result.copied) == len(many)  # 200,000 against 200,000: a dict look-up each, not a pairwise scan


def test_a_comparison_survives_the_record_json(tmp_path):
    from auditlib.record import AuditRecord

    root = make_project(tmp_path)
    out = tmp_path / "out"
    Memo(demo_audit(root, 2020), out).save()
    record = Memo(demo_audit(root, 2021, out), out).record
    again = AuditRecord.from_dict(json.loads(json.dumps(record.to_dict(), default=str)))
    assert again.year_over_year == record.year_over_year and again.targets == record.targets


def test_an_earlier_record_from_an_older_auditlib_is_compared_on_its_figures_only(tmp_path):
    root = make_project(tmp_path)
    out = tmp_path / "out"
    data = Memo(demo_audit(root, 2020), out).record.to_dict()
    for key in ("targets", "passages", "reviews", "resolved", "year_over_year"):
        del data[key]
    write_json_atomic(out / "data" / "demo-2020.json", data)
    html = Memo(demo_audit(root, 2021, out), out).html("history")
    assert "+20万元（+25.0%）" in html
    assert html.count("由旧版 auditlib 生成") == 2 and "补助发放及时率" not in html and "逐字相同的表述" not in html
