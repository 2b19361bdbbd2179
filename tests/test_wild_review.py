"""The hand review of the wild corpus is well-formed and its precision script reads it."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

REVIEW = Path(__file__).parent / "realworld" / "wild_review.csv"
spec = importlib.util.spec_from_file_location("wild_precision", Path(__file__).parent / "realworld" / "wild_precision.py")
wild_precision = importlib.util.module_from_spec(spec)
spec.loader.exec_module(wild_precision)


def test_the_review_is_well_formed_and_covers_at_least_150_documents():
    rows = wild_precision.read_review(REVIEW)
    assert len({row["address"] for row in rows}) >= 150
    findings = [(row["address"], row["fingerprint"]) for row in rows if row["rule"]]
    assert len(findings) == len(set(findings))  # each finding read once


def test_the_precision_report_names_every_rule_reviewed():
    rows = wild_precision.read_review(REVIEW)
    text = wild_precision.report(rows)
    assert "severity high" in text and "severity medium" in text
    for row in rows:
        if row["rule"]:
            assert row["rule"] in text


@pytest.mark.parametrize("bad", [
    ["http://a.example/1", "rate.low", "medium", "abc", "maybe", "a reason"],
    ["http://a.example/1", "rate.low", "low", "abc", "true", "a reason"],
    ["http://a.example/1", "rate.low", "high", "abc", "true", ""],
    ["http://a.example/1", "", "", "", "true", "no finding"],
    ["not-an-address", "", "", "", "none", "no finding"],
])
def test_malformed_rows_are_refused(tmp_path, bad):
    path = tmp_path / "review.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([wild_precision.COLUMNS, bad])
    with pytest.raises(ValueError):
        wild_precision.read_review(path)


def test_precision_counts_unclear_against_a_rule():
    from collections import Counter

    assert wild_precision.precision(Counter(true=8, false=1, unclear=1)) == (0.8, 8 / 9)


def test_the_loud_findings_script_lists_each_document_and_its_high_and_medium_findings(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("loud_findings", Path(__file__).parent / "realworld" / "loud_findings.py")
    loud_findings = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loud_findings)
    (tmp_path / "a.txt").write_text("某单位2021年度项目支出绩效自评报告\n一、资金\n预算10万元，实际支出12万元。\n",
                                    encoding="utf-8")
    (tmp_path / "index.tsv").write_text("file\turl\ttitle\na.txt\thttps://example.org/a\t某单位自评报告\n",
                                        encoding="utf-8")
    assert loud_findings.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "a.txt kind=project year=2021" in out and "某单位自评报告" in out
    assert "[high] rate.over_100" in out and "findings by severity:" in out
