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
