"""The five bundled reports: every finding an auditor raises by hand, nothing false, no silent drift."""

import json

import pytest

from auditlib import extract, parse_bytes
from auditlib.check import check
from tests.conftest import TESTS

REQUIRED = {
    "xinzhou-2019": [("rate.over_100", 88), ("text.placeholder", 8), ("text.artifact", 174), ("text.artifact", 96)],
    "jiangmen-2021": [("score.above_cap_derived", 73), ("rate.low", 21), ("rate.low", 25), ("rate.low", 29),
                      ("rate.low", 33), ("text.artifact", 57)],
    "bishan-2020": [("weights.not_100", 27), ("sum.unclear", 20), ("section.numbering", 5),
                    ("section.numbering", 19), ("section.numbering", 23), ("score.missing", None),
                    ("budget.large_change", 21), ("rate.low", 33), ("rate.low", 34), ("rate.low", 37),
                    ("rate.low", 38)],
    "wuchang-2018": [("section.numbering", 8), ("section.numbering", 179), ("section.empty", 207),
                     ("score.missing", None), ("claim.contradiction_unclear", 218), ("claim.contradiction_unclear", 225),
                     ("text.artifact", 6), ("text.artifact", 264)],
    "qionghai-2021": [("section.empty", 35), ("score.missing", None), ("text.duplicate", 15), ("text.artifact", 10)],
}
MUST_NOT = {
    "xinzhou-2019": ["score.sum_mismatch", "grade.mismatch", "sum.mismatch"],
    # 9: the headline rate is a sum of lines 19-35, not stated; 35 gives its reason (推迟举办，资金上缴).
    "jiangmen-2021": ["sum.mismatch", "rate.low@9", "rate.low@35"],
    "bishan-2020": ["rate.mismatch", "sum.mismatch@21", "rate.over_100"],
    "wuchang-2018": ["balance.mismatch", "rate.over_100"],
    "qionghai-2021": [],
}


@pytest.fixture(scope="module")
def results(seed_paths):
    return {name: check(extract(parse_bytes(path.read_bytes(), str(path)))) for name, path in seed_paths.items()}


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_required_findings_are_raised(results, name):
    found = {(f.rule, f.line) for f in results[name].findings}
    rules = {f.rule for f in results[name].findings}
    for rule, line in REQUIRED[name]:
        assert (rule, line) in found if line is not None else rule in rules, (name, rule, line)


@pytest.mark.parametrize("name", sorted(MUST_NOT))
def test_false_alarms_are_not_raised(results, name):
    for forbidden in MUST_NOT[name]:
        rule, _, line = forbidden.partition("@")
        hits = [f for f in results[name].findings if f.rule == rule and (not line or f.line == int(line))]
        assert not hits, (name, forbidden, [f.message for f in hits])


def test_jiangmen_score_cap_rests_on_a_derived_rate_and_is_only_a_question(results):
    assert not [f for f in results["jiangmen-2021"].findings if f.rule == "score.above_cap"]
    [finding] = [f for f in results["jiangmen-2021"].findings if f.rule == "score.above_cap_derived"]
    assert finding.severity == "medium" and "之和计算" in finding.message


def test_bishan_sum_mismatch_is_only_the_difference(results):
    [finding] = [f for f in results["bishan-2020"].findings if f.rule == "sum.unclear"]
    assert finding.stated == 23.74 and finding.expected == pytest.approx(23.72)


def test_bishan_rate_low_is_exactly_the_four_lines_under_90(results):
    lines = sorted(f.line for f in results["bishan-2020"].findings if f.rule == "rate.low")
    assert lines == [33, 34, 37, 38]


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_findings_match_the_reviewed_list(results, name):
    """Fails when a seed's findings change: review the change, then update tests/golden/."""
    golden = json.loads((TESTS / "golden" / f"{name}.findings.json").read_text(encoding="utf-8"))
    actual = [[f.rule, f.severity, f.section, f.line] for f in results[name].findings]
    assert actual == golden


def test_findings_carry_evidence_and_chinese_messages(results):
    for name, result in results.items():
        for finding in result.findings:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in finding.message), (name, finding)
            if finding.line is not None and finding.rule != "score.missing":
                assert finding.evidence, (name, finding)


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_fingerprints_do_not_drift(results, name):
    """Auditors' decisions name findings by fingerprint: a finding reviewed once must keep it. New findings may
    come; a fingerprint listed here that changes orphans every decision on it (review, then update the file)."""
    golden = json.loads((TESTS / "golden" / "fingerprints.json").read_text(encoding="utf-8"))[name]
    current = {f.fingerprint: f.rule for f in results[name].findings}
    assert [(rule, fp) for rule, _, fp in golden if current.get(fp) != rule] == []
