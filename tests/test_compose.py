"""The audit record: one place that composes read → extract → check, and decides what is flagged."""

import json

import math

import pytest

from auditlib.compose import recommend

from auditlib.pipeline import audit

from auditlib.record import APPROVE, AuditRecord, EXPLAIN, RETURN
from auditlib.check.findings import Finding
from auditlib.render.memo import Memo


@pytest.fixture(scope="module")
def seed_audits(seed_paths):
    return {name: audit(path) for name, path in seed_paths.items()}


def _finding(severity: str, rule: str = "x.y") -> Finding:
    return Finding(rule, severity, "m", "", 1, "e")


def test_recommendation_follows_the_documented_rule():
    assert recommend([]) == APPROVE
    assert recommend([_finding("low"), _finding("info")]) == APPROVE
    assert recommend([_finding("low"), _finding("medium")]) == EXPLAIN
    assert recommend([_finding("info", "document.not_self_evaluation")]) == EXPLAIN
    assert recommend([_finding("medium"), _finding("high")]) == RETURN


def test_audit_names_the_unit_and_year_from_the_file_and_the_report(seed_paths):
    result = audit(seed_paths["jiangmen-2021"])
    assert (result.unit, result.year) == ("jiangmen", 2021)
    assert result.source.sha256 and result.record().versions["auditlib"]


def test_the_record_round_trips_through_json(seed_audits):
    record = seed_audits["bishan-2020"].record(memo="bishan-2020.html")
    again = AuditRecord.from_dict(json.loads(json.dumps(record.to_dict(), ensure_ascii=False, default=str)))
    assert again == record


def test_verdict_sentence_says_what_to_do(seed_audits):
    record = seed_audits["xinzhou-2019"].record()
    assert record.recommendation == RETURN
    assert record.verdict.startswith("武汉市新洲区工商业联合会2019年度") and record.verdict.endswith("建议退回修改。")


def test_risk_score_adds_findings_score_excess_and_execution(seed_audits):
    jiangmen = seed_audits["jiangmen-2021"]
    risk = jiangmen.record().risk
    # Its headline rate is a sum of lines 19-35 (derived, not stated): the cap it gives is a medium question and
    # adds no score excess; four rate.low and the cap are medium, three findings low.
    assert risk.findings == 3 * 5 + 1 * 3
    report = jiangmen.tables["report"].iloc[0]
    assert math.isnan(report["cap_gap"]) and report["derived_cap_gap"] > 1 and risk.score_excess == 0
    assert risk.execution == pytest.approx(10 * (1 - 0.730056), abs=0.01)
    assert risk.total == pytest.approx(risk.findings + risk.score_excess + risk.execution, abs=0.1)


def test_the_headline_rate_is_flagged_by_exactly_its_findings_in_the_reports_words(seed_audits):
    record = seed_audits["xinzhou-2019"].record()
    rate = record.figure("rate")
    assert rate.flagged and [record.findings[record.index_of(f)].rule for f in rate.findings] == ["rate.over_100"]
    assert rate.label == "执行率" and rate.where.line == 88 and "135" in rate.where.quote
    bishan = seed_audits["bishan-2020"].record()
    assert bishan.figure("received").flagged and bishan.figure("rate").status == "missing"


@pytest.mark.parametrize("name, flagged", [("receipts_on_the_rounding_edge", False),
                                           ("receipts_just_past_the_rounding_edge", True)])
def test_a_figure_on_the_rounding_edge_is_flagged_in_the_memo_only_when_a_finding_says_so(fixture_path, tmp_path,
                                                                                         name, flagged):
    """100.00 and 120.01 万元 may stand for 100.005 and 120.005: a change of 19.999…%, within 20%."""
    result = audit(fixture_path(name))
    findings = [f for f in result.findings if f.rule == "budget.large_change"]
    assert bool(findings) is flagged
    memo = Memo(result, tmp_path)
    received = memo.record.figure("received")
    assert received.flagged is flagged
    figures = memo.html("figures")
    row = next(r for r in figures.split("<tr") if "<td>到位资金</td>" in r)
    assert ('class="disagree"' in row) is flagged and ("⚠" in row) is flagged
    assert (figures.count('class="disagree"') == 1) is flagged  # no other figure carries a flag of its own
    assert figures.count('class="disagree"') <= 1


def test_memo_flags_agree_with_findings_for_every_bundled_unit(seed_audits, tmp_path):
    for name, result in seed_audits.items():
        memo = Memo(result, tmp_path)
        figures = memo.html("figures")
        rows = [r for r in figures.split("<tr")[2:]]
        for figure, row in zip(memo.record.figures, rows):
            assert ('class="disagree"' in row) is figure.flagged, (name, figure.key)
            for fingerprint in figure.findings:  # a figure names its findings by fingerprint, never by position
                assert f'href="#f-{memo.record.index_of(fingerprint) + 1}"' in row


def test_a_rate_is_named_in_the_reports_words_when_they_name_a_rate():
    from auditlib.compose import rate_name

    assert rate_name({"rate_label": "资金到位率", "kind": "execution"}) == "资金到位率"
    assert rate_name({"rate_label": "做到使用完成", "kind": "execution"}) == "预算执行率"  # words, not a rate's name
    assert rate_name({"rate_label": "", "kind": "funding"}) == "资金到位率"


def test_spending_is_checked_only_when_a_rate_was_recomputed_from_it(seed_audits):
    qionghai = seed_audits["qionghai-2021"].record()  # 100% stated; no budget on the spending's line
    assert qionghai.figure("spent").status == "unverified" and qionghai.figure("rate").status == "unverified"
    assert seed_audits["jiangmen-2021"].record().figure("spent").status == "checked"


def test_a_document_that_is_not_a_self_evaluation_is_sent_back_for_one(fixture_path):
    record = audit(fixture_path("final_accounts_not_self_evaluation")).record()
    assert record.recommendation == EXPLAIN
    assert "不是绩效自评报告" in record.verdict and "审核未发现问题" not in record.verdict
