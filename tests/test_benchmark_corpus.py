"""The benchmark corpus (benchmarks/corpus.py): every planted inconsistency is found, nothing unplanted is raised
high or medium, every kind of report reads, and the same seed writes the same bytes."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys

import pytest

from auditlib.pipeline import audit, load_registry
from auditlib.check import catalogue_rows
from auditlib.params import find_params, load_params
from tests.conftest import ROOT


def _load_corpus_module():
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_module()


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """Every kind clean, and every planted error once (16 reports)."""
    out = tmp_path_factory.mktemp("corpus")
    manifest = json.loads(corpus.write_corpus(out, spec_list=corpus.covering_specs(every_kind=False))
                          .read_text(encoding="utf-8"))
    return out, manifest


def test_the_small_corpus_covers_every_kind_and_every_planted_error(small_corpus):
    _, manifest = small_corpus
    entries = manifest["units"].values()
    assert {entry["kind"] for entry in entries} == set(corpus.KINDS)
    assert {plant for entry in entries for plant in entry["plants"]} == set(corpus.PLANTS)
    assert {entry["kind"] for entry in entries if not entry["plants"]} == set(corpus.KINDS)


def test_every_planted_finding_is_found_and_no_unplanted_one_is_raised(small_corpus):
    out, manifest = small_corpus
    failures = {}
    for name, entry in manifest["units"].items():
        result = audit(out / entry["report"])
        assert result.facts.kind is not None, f"{name} was not read as a self-evaluation"
        found = corpus.severities(result.findings)
        gaps = corpus.compare(entry, found)
        if gaps["missed"] or gaps["unexpected"]:
            failures[name] = {**gaps, "plants": entry["plants"], "found": found}
    assert not failures


def test_the_manifest_names_rules_of_the_catalogue():
    known = {row["id"] for row in catalogue_rows()}
    assert set(corpus.HELD_RULES) <= known
    assert {rule for rules, _ in corpus.PLANTS.values() for rule in rules} <= known


def test_the_corpus_is_a_project_the_batch_reads(small_corpus):
    out, manifest = small_corpus
    params_files = find_params(out / "params")
    assert len(params_files) == manifest["reports"]
    registry = load_registry(out)
    for path in params_files:
        params = load_params(path)
        assert params.checked_report(out).is_file()
        assert registry[params.unit]["full_name"].endswith(("局", "会", "馆"))
    assert (out / "notebooks" / "unit_audit.ipynb").is_file()


def test_the_same_seed_writes_the_same_reports(tmp_path):
    def digest(folder):
        corpus.write_corpus(folder, reports=12, seed=3)
        return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
                for path in sorted(folder.rglob("*")) if path.is_file() and "notebooks" not in path.parts}

    first, second = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert first == second
    assert len([name for name in first if name.endswith(".txt")]) == 12
    corpus.write_corpus(tmp_path / "c", reports=12, seed=4)
    assert hashlib.sha256((tmp_path / "c" / "manifest.json").read_bytes()).hexdigest() != first["manifest.json"]
