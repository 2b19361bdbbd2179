import json
import subprocess
import sys

import pytest

from auditlib.cli import main
from tests.conftest import ROOT


def test_extract_json_has_the_documented_shape(capsys, seed_paths):
    assert main(["extract", str(seed_paths["xinzhou-2019"]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"]["encoding"] == "utf-8" and len(data["source"]["sha256"]) == 64
    assert data["facts"]["execution_rate"] == 1.358 and data["facts"]["fiscal_year"] == 2019
    line = next(l for l in data["budget_lines"] if l["stated_rate"])
    assert {k: line[k] for k in ("budget_wan", "spent_wan", "section", "line")} == {
        "budget_wan": 24.36, "spent_wan": 33.08, "section": "二（一）3", "line": 88}
    assert data["sections"][0] == {"path": "一", "title": "部门概况", "line": 12, "end_line": 71, "level": 1,
                                   "body_chars": 0}


def test_extract_human_readable(capsys, seed_paths):
    assert main(["extract", str(seed_paths["wuchang-2018"])]) == 0
    out = capsys.readouterr().out
    assert "武汉市武昌区工商业联合会" in out and "93.5%" in out


def test_bad_path_gives_a_clear_error_and_status_2(capsys, tmp_path):
    assert main(["extract", str(tmp_path / "missing.txt")]) == 2
    assert "找不到报告文件" in capsys.readouterr().err


def test_outline_command(capsys, seed_paths):
    assert main(["outline", str(seed_paths["qionghai-2021"])]) == 0
    assert "四（二）" in capsys.readouterr().out


@pytest.mark.slow
def test_module_entry_point_runs_in_a_fresh_process(seed_paths):
    result = subprocess.run([sys.executable, "-m", "auditlib", "extract", "--json", str(seed_paths["bishan-2020"])],
                            capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(result.stdout)["facts"]["kind"] == "department"


def test_help_answers_without_importing_pandas_or_great_expectations():
    code = ("import sys\nfrom auditlib.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'great_expectations', 'duckdb', 'openpyxl') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "usage: auditlib" in result.stdout and result.stdout.strip().endswith("[]")


def test_every_option_has_a_help_line():
    import argparse

    from auditlib.cli import build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in [("auditlib", parser), *subparsers.choices.items()]:
        for action in command._actions:
            if not isinstance(action, argparse._SubParsersAction):
                assert action.help, (name, action.dest)
    assert all(choice.help for choice in subparsers._choices_actions)


def test_a_mistyped_unit_suggests_the_nearest_ones(capsys):
    assert main(["memo", "--unit", "xinzou", "--year", "2019"]) == 2
    assert "xinzhou" in capsys.readouterr().err
    assert main(["batch", "--unit", "nosuch"]) == 2
    assert "nosuch" in capsys.readouterr().err
    assert main(["memo", "--unit", "xinzhou", "--year", "2018"]) == 2
    assert "2019" in capsys.readouterr().err


def test_check_prints_the_verdict_and_findings_in_chinese(capsys, seed_paths):
    assert main(["check", str(seed_paths["xinzhou-2019"])]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith("审核意见：建议退回修改。")
    assert "xinzhou-2019-01 [高] 第88行" in out


def test_run_py_passes_any_auditlib_command_through():
    result = subprocess.run([sys.executable, str(ROOT / "run.py"), "rules", "--json"], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    rules = {rule["id"]: rule for rule in json.loads(result.stdout)}
    assert rules["rate.low"]["params"] == {"low_execution_rate": 0.9} and rules["rate.low"]["zh"] == "预算执行率低于90%"
