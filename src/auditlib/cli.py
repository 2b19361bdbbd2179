"""Command line: `auditlib extract|outline|batch`, mirroring the Python API."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from auditlib import __version__
from auditlib.batch import UNIT_TIMEOUT_SECONDS
from auditlib.errors import AuditlibError



def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def command_extract(args: argparse.Namespace) -> int:
    from auditlib import extract_path

    extraction = extract_path(args.path)
    if args.json:
        _print_json(extraction.to_dict())
        return 0
    facts = extraction.facts
    rate = f"{facts.execution_rate:.1%} ({facts.execution_rate_source})" if facts.execution_rate is not None else "-"
    print(f"单位 unit:        {facts.unit_name or '-'}  ({facts.region or '-'})")
    print(f"年度 fiscal year: {facts.fiscal_year or '-'}    类型 kind: {facts.kind or '-'}")
    print(f"项目 project:     {facts.project_name or '-'}")
    print(f"自评 score/grade: {facts.self_score if facts.self_score is not None else '-'} / {facts.grade or '-'}")
    print(f"执行率 execution: {rate}   预算 {facts.budget_wan or '-'} 万元, 支出 {facts.spent_wan or '-'} 万元")
    frame = extraction.frames()["budget_lines"].drop(columns=["quote"])
    if not frame.empty:
        print("\n预算行 budget lines:")
        print(frame.to_string(index=False))
    return 0


def command_check(args: argparse.Namespace) -> int:
    from auditlib import extract_path
    from auditlib.check import CheckParams, check, severity_rank
    from auditlib.params import load_params

    params = CheckParams.from_mapping(load_params(args.params).thresholds) if args.params else CheckParams()
    extraction = extract_path(args.path)
    result = check(extraction, params)
    if args.json:
        data = extraction.to_dict()
        data["findings"] = [finding.to_dict() for finding in result.findings]
        _print_json(data)
    else:
        facts = extraction.facts
        print(f"{facts.unit_name or '-'} {facts.fiscal_year or '-'} {facts.kind or '-'}: "
              + "，".join(f"{severity} {count}" for severity, count in result.counts().items()))
        frame = result.frame()
        if frame.empty:
            print("未发现问题 no findings")
        else:
            print(frame[["severity", "rule", "section", "line", "message"]].to_string(index=False))
    if args.fail_on:
        threshold = severity_rank(args.fail_on)
        if any(severity_rank(f.severity) <= threshold for f in result.findings):
            return 1
    return 0


def command_rules(args: argparse.Namespace) -> int:
    from auditlib.check import catalogue_rows

    rows = catalogue_rows()
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']:<30} {row['severity']:<7} {row['kind']:<6} {row['zh']} — {row['en']}")
    return 0


def command_outline(args: argparse.Namespace) -> int:
    from auditlib import build_outline, read_report

    outline = build_outline(read_report(args.path))
    if args.json:
        _print_json(outline.to_frame().to_dict(orient="records"))
        return 0
    print(outline.root.title)
    for section in outline.sections:
        print(f"{'  ' * (section.level - 1)}{section.path:<12} L{section.line:<5} {section.heading_text}"
              f"  [{section.body_chars} 字]")
    return 0


def command_batch(args: argparse.Namespace) -> int:
    from auditlib.batch import run_batch

    from auditlib.project import find_project_root

    result = run_batch(Path(args.params_dir), Path(args.out), units=args.unit or None, years=args.year or None,
                       workers=args.workers, root=find_project_root(), allow_outside_data=args.allow_outside_data,
                       unit_timeout=args.unit_timeout)
    return 0 if result.ok else 1


def command_memo(args: argparse.Namespace) -> int:
    from auditlib.batch import make_memo
    from auditlib.errors import ParamsError
    from auditlib.project import find_project_root

    root = find_project_root()
    params_dir = Path(args.params_dir) if Path(args.params_dir).is_absolute() else root / args.params_dir
    out = Path(args.out) if Path(args.out).is_absolute() else root / args.out
    from auditlib.params import UNIT_NAME_RE

    if not UNIT_NAME_RE.fullmatch(args.unit):
        raise ParamsError(f"unit 名称无效: {args.unit[:80]!r}. 单位名只能包含字母、数字、汉字、- 和 _ / a unit is a name, "
                          "not a path.")
    params_file = params_dir / f"{args.unit}-{args.year}.yaml"
    if not params_file.is_file():
        raise ParamsError(f"没有 {args.unit} {args.year} 的参数文件: {params_file} (add one like the files in params/: <unit>-<year>.yaml)")
    result = make_memo(params_file, out, root, allow_outside_data=args.allow_outside_data,
                       unit_timeout=args.unit_timeout)
    if not result.ok:
        print(f"auditlib: {result.unit} {result.year} failed ({result.error_type}): {result.error}", file=sys.stderr)
        if result.notebook and Path(result.notebook).is_file():
            print(f"auditlib: the partly executed notebook is kept at {result.notebook}", file=sys.stderr)
        return 1
    print(result.outputs["memo"])
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (kept separate so the docs and tests can inspect it)."""
    parser = argparse.ArgumentParser(prog="auditlib", description="审计 绩效自评报告: read, check and report.")
    parser.add_argument("--version", action="version", version=f"auditlib {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="print the facts of one report")
    extract.add_argument("path", help="the report file: text in any common encoding, .docx, .pdf, .xlsx/.xls or a saved web page")
    extract.add_argument("--json", action="store_true", help="print one JSON object")
    extract.set_defaults(handler=command_extract)

    check = commands.add_parser("check", help="check one report: extract JSON plus findings")
    check.add_argument("path")
    check.add_argument("--json", action="store_true", help="print the extract JSON plus \"findings\"")
    check.add_argument("--params", help="a params/*.yaml whose thresholds to use")
    check.add_argument("--fail-on", choices=["high", "medium", "low", "info"],
                       help="exit 1 when a finding of this severity or worse is raised")
    check.set_defaults(handler=command_check)

    rules = commands.add_parser("rules", help="list the rule catalogue")
    rules.add_argument("--json", action="store_true")
    rules.set_defaults(handler=command_rules)

    outline = commands.add_parser("outline", help="print the numbered section tree of one report")
    outline.add_argument("path")
    outline.add_argument("--json", action="store_true")
    outline.set_defaults(handler=command_outline)

    memo = commands.add_parser("memo", help="the HTML audit memo of one unit and year (papermill + nbconvert)")
    memo.add_argument("--unit", required=True)
    memo.add_argument("--year", required=True, type=int)
    memo.add_argument("--params-dir", default="params")
    memo.add_argument("--out", default="outputs")
    memo.set_defaults(handler=command_memo)

    batch = commands.add_parser("batch", help="memos for every params/*.yaml (or a filtered set), index, sheets, database")
    batch.add_argument("--params-dir", default="params")
    batch.add_argument("--out", default="outputs")
    batch.add_argument("--unit", action="append", help="only this unit (repeatable)")
    batch.add_argument("--year", action="append", type=int, help="only this year (repeatable)")
    batch.add_argument("--workers", type=int, default=None, help="worker processes (default: CPU cores)")
    for command in (memo, batch):
        command.add_argument("--allow-outside-data", action="store_true",
                             help="read reports from anywhere (default: a report_path must lie inside data/)")
        command.add_argument("--unit-timeout", type=float, default=UNIT_TIMEOUT_SECONDS, metavar="SECONDS",
                             help=f"time limit for one unit (default {UNIT_TIMEOUT_SECONDS} s; 0 for none)")
    batch.set_defaults(handler=command_batch)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:  # `auditlib rules | head` closed the pipe; nothing is wrong
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("auditlib: 已中断 interrupted (Ctrl-C); nothing half-written is left behind.", file=sys.stderr)
        return 130
    except AuditlibError as error:
        if args.debug:
            raise
        print(f"auditlib: {error}", file=sys.stderr)
        return 2
