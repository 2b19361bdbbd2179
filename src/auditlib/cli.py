"""Command line: `auditlib extract|outline|check|rules|memo|batch|review`, mirroring the Python API.

Nothing heavy (pandas, great-expectations) is imported until a command needs it: `auditlib --help` is instant.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import sys
from pathlib import Path

from auditlib import __version__
from auditlib.worker import UNIT_TIMEOUT_SECONDS
from auditlib.errors import AuditlibError, ParamsError, one_line
from auditlib.scheduler import MAX_MEMOS_PER_WORKER
from auditlib.vocabulary import KINDS

SEVERITY_CHOICES = ["high", "medium", "low", "info"]


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _wan(value: float | None) -> str:
    return "未载明" if value is None else f"{value:g} 万元"


def command_extract(args: argparse.Namespace) -> int:
    from auditlib import extract_path

    extraction = extract_path(args.path)
    if args.json:
        _print_json(extraction.to_dict())
        return 0
    facts = extraction.facts
    rate = f"{facts.execution_rate:.1%}（{'报告所述' if facts.execution_rate_source == 'stated' else '按金额计算'}）" \
        if facts.execution_rate is not None else "未载明"
    print(f"单位：{facts.unit_name or '未识别'}（{facts.region or '地区未识别'}）")
    print(f"年度：{facts.fiscal_year or '未识别'}    类型：{KINDS.get(facts.kind, KINDS[None]).short}")
    print(f"项目：{facts.project_name or '—'}")
    print(f"自评得分/等级：{facts.self_score if facts.self_score is not None else '未载明'} / {facts.grade or '未载明'}")
    print(f"执行率：{rate}   预算 {_wan(facts.budget_wan)}，支出 {_wan(facts.spent_wan)}")
    frame = extraction.frames()["budget_lines"]
    if not frame.empty:
        import html

        import pandas as pd

        from auditlib.render.memo import APPENDIX

        shown = pd.DataFrame({header: [html.unescape(fmt(value)) for value in frame[column]]
                              for column, (header, fmt) in APPENDIX["budget_lines"][1].items()
                              if frame[column].notna().any()})
        print("\n预算行：")
        print(shown.to_string(index=False))
    return 0


def command_check(args: argparse.Namespace) -> int:
    from auditlib.pipeline import audit
    from auditlib.check import severity_rank
    from auditlib.check.findings import SEVERITY_ZH
    from auditlib.params import load_params

    from auditlib.rulesets import read_rule_set

    params = load_params(args.params) if args.params else None
    rule_set = args.rule_set or (params.rule_set if params else None)
    if rule_set and rule_set.endswith((".yaml", ".yml")):
        rule_set = read_rule_set(rule_set)  # a file of one's own, named on the command line
    root = Path(args.params).resolve().parent.parent if args.params else Path.cwd()
    result = audit(args.path, params.thresholds if params else None, rule_set=rule_set, root=root)
    record = result.record()
    if args.json:
        data = result.extraction.to_dict()
        data["findings"] = [finding.to_dict() for finding in result.findings]
        if result.result.rescoring is not None:
            from auditlib.check.rescore import as_dict

            data["rescoring"] = as_dict(result.result.rescoring)
        data["recommendation"], data["verdict"] = record.recommendation, record.verdict
        _print_json(data)
    else:
        print(record.verdict)
        print("，".join(f"{SEVERITY_ZH[severity]} {count}项" for severity, count in record.counts.items()))
        if not result.findings:
            print("未发现问题。")
        for index, finding in enumerate(result.findings):
            where = f"第{finding.line}行" if finding.line else ""
            print(f"{record.workpaper_ref(index)} [{SEVERITY_ZH[finding.severity]}] {where} {finding.message}"
                  f"  ({finding.rule})")
    if args.fail_on:
        threshold = severity_rank(args.fail_on)
        if any(severity_rank(f.severity) <= threshold for f in result.findings):
            return 1
    return 0


def command_rules(args: argparse.Namespace) -> int:
    from auditlib.check import catalogue_rows
    from auditlib.check.findings import SEVERITY_ZH

    rows = catalogue_rows()
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']:<30} {SEVERITY_ZH[row['severity']]:<4} {'表格核对' if row['kind'] == 'table' else '文字检查'}"
                  f"  {row['zh']}")
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


def _known_units(params_dir: Path) -> dict[str, set[int]]:
    from auditlib.params import find_params

    units: dict[str, set[int]] = {}
    for path in find_params(params_dir):
        unit, _, year = path.stem.rpartition("-")
        units.setdefault(unit, set()).update({int(year)} if year.isdigit() else set())
    return units


def check_units(params_dir: Path, units: list[str] | None, years: list[int] | None = None) -> None:
    """Raise ParamsError, naming the nearest known units, when a requested unit (or year) has no params file."""
    import difflib

    known = _known_units(params_dir)
    for unit in units or []:
        if unit not in known:
            near = difflib.get_close_matches(unit, sorted(known), n=3, cutoff=0.5)
            hint = f"；是否要找：{'、'.join(near)}" if near else f"；已有的单位：{'、'.join(sorted(known)) or '无'}"
            raise ParamsError(f"{params_dir} 中没有单位 {unit!r} 的参数文件{hint}")
    for year in years or []:
        if not any(year in known[unit] for unit in (units or known)):
            have = sorted({y for unit in (units or known) for y in known.get(unit, ())})
            raise ParamsError(f"{params_dir} 中没有 {year} 年度的参数文件；已有年度：{'、'.join(map(str, have)) or '无'}")


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"应为正整数 (a whole number of at least 1): {text!r}")
    return int(text)


def _folder(path: str, root: Path) -> Path:
    return Path(path) if Path(path).is_absolute() else root / path


def command_batch(args: argparse.Namespace) -> int:
    from auditlib.batch import run_batch
    from auditlib.iorw import confine_writes
    from auditlib.project import check_output_folder, find_project_root

    root = find_project_root()
    params_dir = _folder(args.params_dir, root)
    check_units(params_dir, args.unit, args.year)
    check_output_folder(_folder(args.out, root), root)
    with confine_writes(_folder(args.out, root)):
        result = run_batch(Path(args.params_dir), Path(args.out), units=args.unit or None, years=args.year or None,
                           workers=args.workers, root=root, allow_outside_data=args.allow_outside_data,
                           unit_timeout=args.unit_timeout, force=args.force, scheduler=args.scheduler,
                           max_memos_per_worker=args.max_memos_per_worker)
    return 0 if result.ok else 1


def command_memo(args: argparse.Namespace) -> int:
    import datetime as dt
    import uuid

    from auditlib.batch import output_folder, record_run
    from auditlib.execute import shutdown_warm_kernel, start_warm_kernel
    from auditlib.iorw import confine_writes
    from auditlib.worker import make_memo
    from auditlib.params import UNIT_NAME_RE
    from auditlib.project import check_output_folder, find_project_root

    root = find_project_root()
    if not UNIT_NAME_RE.fullmatch(args.unit):
        raise ParamsError(f"unit 名称无效：{args.unit[:80]!r}。单位名只能包含字母、数字、汉字、- 和 _ / a unit is a name, "
                          "not a path.")
    params_dir, out = _folder(args.params_dir, root), _folder(args.out, root)
    params_file = params_dir / f"{args.unit}-{args.year}.yaml"
    if not params_file.is_file():
        check_units(params_dir, [args.unit], [args.year])
        raise ParamsError(f"没有 {args.unit} {args.year} 年度的参数文件：{params_file}（参照 params/ 中的文件新增 "
                          "<单位>-<年度>.yaml）")
    check_units(params_dir, [args.unit], [args.year])  # also refuses two files for one unit and year
    check_output_folder(out, root)
    started = dt.datetime.now().isoformat(timespec="seconds")
    with confine_writes(out), output_folder(out.resolve()):
        start_warm_kernel(root)  # it starts while the unit is audited
        try:
            result = make_memo(params_file, out, root, allow_outside_data=args.allow_outside_data,
                               unit_timeout=args.unit_timeout, warm=True)
        finally:
            shutdown_warm_kernel()
        run_id = f"{dt.datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
        record_run(out.resolve(), run_id, started, params_dir, [result], command="memo")
    if not result.ok:
        print(f"auditlib: {result.unit} {result.year} 处理失败（{result.error_type}）：{one_line(result.error)}", file=sys.stderr)
        if result.notebook and Path(result.notebook).is_file():
            print(f"auditlib: 已执行部分的笔记本保存在 {result.notebook}", file=sys.stderr)
        return 1
    print(result.outputs["memo"])
    return 0


def command_review(args: argparse.Namespace) -> int:
    from auditlib.batch import current_record
    from auditlib.pipeline import current_audit
    from auditlib.project import find_project_root
    from auditlib.record import SEVERITY_ZH
    from auditlib.review import RESOLVED, find_finding, record_decision

    root = find_project_root()
    params_dir = _folder(args.params_dir, root)
    if not (params_dir / f"{args.unit}-{args.year}.yaml").is_file():
        check_units(params_dir, [args.unit], [args.year])
    decision = "confirmed" if args.confirm else "dismissed" if args.dismiss else None
    if bool(args.finding) != bool(decision):
        raise ParamsError("记录复核决定需同时给出 --finding 指纹 和 --confirm 或 --dismiss（以及 --reviewer 姓名）；"
                          "只列出审核发现时不要给这些选项。")
    # The record the last batch made is the audit of now when its inputs are unchanged (its key): no need to
    # audit again (great-expectations alone takes seconds to load).
    record = current_record(params_dir / f"{args.unit}-{args.year}.yaml", _folder(args.out, root), root,
                            args.allow_outside_data)
    if record is None:
        record = current_audit(root, args.unit, args.year, params_dir=params_dir,
                               allow_outside_data=args.allow_outside_data).record()
    if decision:
        finding = find_finding(record.findings, args.finding)
        made = record_decision(root, args.unit, args.year, finding.fingerprint, decision, args.reviewer or "",
                               args.note or "", findings=record.findings)
        print(f"已记录：{made.fingerprint} {made.status}（{made.reviewer}，{made.decided_at}）"
              f" → reviews/{args.unit}-{args.year}.yaml")
        return 0
    if args.json:
        _print_json({"findings": [{**f.to_dict(), "ref": record.workpaper_ref(i), **vars(record.review_of(i))}
                                  for i, f in enumerate(record.findings)],
                     "resolved": [d.to_dict() for d in record.resolved]})
        return 0
    print(record.verdict)
    print("复核情况：" + "，".join(f"{status}{count}项" for status, count in record.review_counts.items()))
    for index, finding in enumerate(record.findings):
        review = record.review_of(index)
        who = f"（{review.reviewer}）" if review.reviewer else ""
        where = f"第{finding.line}行 " if finding.line else ""
        print(f"{finding.fingerprint:<19} {review.status}{who:<8} {record.workpaper_ref(index)} "
              f"[{SEVERITY_ZH[finding.severity]}] {where}{finding.message}")
    for made in record.resolved:
        print(f"{made.fingerprint:<19} {RESOLVED}：原{made.status}（{made.reviewer}）{made.rule} “{made.quote[:40]}”")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (kept separate so the docs and tests can inspect it)."""
    parser = argparse.ArgumentParser(prog="auditlib", description="审核绩效自评报告：读取、检查并生成审核备忘录。")
    parser.add_argument("--version", action="version", version=f"auditlib {__version__}",
                        help="显示 auditlib 版本并退出")
    parser.add_argument("--debug", action="store_true", help="出错时显示完整的 traceback / show the full traceback")
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")

    extract = commands.add_parser("extract", help="显示一份报告提取出的关键数据")
    extract.add_argument("path", help="报告文件（任意常见编码的 .txt，或 .docx、带文字层的 .pdf、.xlsx/.xls、网页 .html）")
    extract.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    extract.set_defaults(handler=command_extract)

    check = commands.add_parser("check", help="审核一份报告：审核结论和每项审核发现")
    check.add_argument("path", help="报告文件（任意常见编码的 .txt，或 .docx、带文字层的 .pdf、.xlsx/.xls、网页 .html）")
    check.add_argument("--json", action="store_true",
                       help="输出 JSON：提取结果及 findings、recommendation、verdict")
    check.add_argument("--params", help="使用该参数文件（params/*.yaml）中的阈值和规则集")
    check.add_argument("--rule-set", help="按该规则集复核评分：名称（national、sichuan、city_20_80 或项目 rulesets/ 中的文件名）"
                                          "或 .yaml 文件路径；默认为参数文件所指定的，否则 national")
    check.add_argument("--fail-on", choices=SEVERITY_CHOICES,
                       help="有该级别或更高级别的审核发现时以状态 1 退出（high 高、medium 中、low 低、info 提示）")
    check.set_defaults(handler=command_check)

    rules = commands.add_parser("rules", help="列出全部审核规则")
    rules.add_argument("--json", action="store_true", help="以 JSON 列表输出")
    rules.set_defaults(handler=command_rules)

    outline = commands.add_parser("outline", help="显示一份报告的标题层级结构")
    outline.add_argument("path", help="报告文件（任意常见编码的 .txt，或 .docx、带文字层的 .pdf、.xlsx/.xls、网页 .html）")
    outline.add_argument("--json", action="store_true", help="以 JSON 列表输出各部分")
    outline.set_defaults(handler=command_outline)

    memo = commands.add_parser("memo", help="生成一个单位一个年度的审核备忘录（HTML），并记入数据库")
    memo.add_argument("--unit", required=True, help="单位编号，同 params/<单位>-<年度>.yaml")
    memo.add_argument("--year", required=True, type=int, help="年度，同 params/<单位>-<年度>.yaml")
    memo.add_argument("--params-dir", default="params", help="参数文件所在目录（默认 params）")
    memo.add_argument("--out", default="outputs", help="输出目录（默认 outputs）")
    memo.set_defaults(handler=command_memo)

    batch = commands.add_parser("batch", help="批量生成全部（或所选）单位的备忘录、总览、审核底稿和数据库")
    batch.add_argument("--params-dir", default="params", help="参数文件所在目录（默认 params）")
    batch.add_argument("--out", default="outputs", help="输出目录（默认 outputs）")
    batch.add_argument("--unit", action="append", help="只处理该单位（可重复）")
    batch.add_argument("--year", action="append", type=int, help="只处理该年度（可重复）")
    batch.add_argument("--workers", type=int, default=None, help="并行进程数（默认：CPU 核数）")
    batch.add_argument("--force", action="store_true",
                       help="全部重新处理（默认：报告、参数文件、规则集、复核文件、上一年度、笔记本和 auditlib 版本均未变的单位沿用上次结果）")
    batch.add_argument("--scheduler", metavar="ADDRESS",
                       help="在 Dask 集群上运行：调度器地址（如 tcp://10.0.0.5:8786），或 local 启动本机集群"
                            "（默认：本机进程池）")
    batch.add_argument("--max-memos-per-worker", type=_positive_int, default=None, metavar="N",
                       help=f"每个工作进程处理 N 份备忘录后重启，使内存保持平稳（默认 {MAX_MEMOS_PER_WORKER}）")
    review = commands.add_parser("review", help="列出一个单位一个年度的审核发现及其指纹和复核状态，或记录复核决定")
    review.add_argument("--unit", required=True, help="单位编号，同 params/<单位>-<年度>.yaml")
    review.add_argument("--year", required=True, type=int, help="年度，同 params/<单位>-<年度>.yaml")
    review.add_argument("--finding", metavar="FINGERPRINT",
                        help="要记录决定的审核发现的指纹（列表中第一栏；可只写前 6 位以上，须唯一）")
    choice = review.add_mutually_exclusive_group()
    choice.add_argument("--confirm", action="store_true", help="确认该审核发现（已确认）")
    choice.add_argument("--dismiss", action="store_true", help="排除该审核发现（已排除，如误报）")
    review.add_argument("--reviewer", help="复核人姓名（记录决定时必填）")
    review.add_argument("--note", help="复核说明，如核实情况或排除理由")
    review.add_argument("--params-dir", default="params", help="参数文件所在目录（默认 params）")
    review.add_argument("--out", default="outputs",
                        help="批处理输出目录（默认 outputs）：其中的审核记录未过期时直接使用，不再重新审核")
    review.add_argument("--json", action="store_true", help="以 JSON 输出审核发现及其复核状态")
    review.add_argument("--allow-outside-data", action="store_true",
                        help="允许读取 data/ 以外的报告（默认：report_path 须位于项目的 data/ 内）")
    review.set_defaults(handler=command_review)

    for command in (memo, batch):
        command.add_argument("--allow-outside-data", action="store_true",
                             help="允许读取 data/ 以外的报告（默认：report_path 须位于项目的 data/ 内）")
        command.add_argument("--unit-timeout", type=float, default=UNIT_TIMEOUT_SECONDS, metavar="SECONDS",
                             help=f"每个单位的时限，秒（默认 {UNIT_TIMEOUT_SECONDS:g}；0 为不限）")
    batch.set_defaults(handler=command_batch)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    # At exit, the interpreter's last collections walk every object the command's libraries made (seconds
    # after a check, on a busy machine); frozen, they are freed with the process. Only the command line does
    # this: a program calling auditlib goes on living.
    if argv is None:
        atexit.register(gc.freeze)
    from auditlib.execute import skip_iri_format_checker

    skip_iri_format_checker()  # ~2 s that no command needs (great-expectations loads jsonschema)
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
        print(f"auditlib: {one_line(str(error))}", file=sys.stderr)
        return 2
    except MemoryError:  # under a memory limit (ulimit -v, a batch's per-unit limit): say so, no traceback
        if args.debug:
            raise
        print("auditlib: 内存不足 out of memory: the input needs more memory than this process may use. "
              "请检查输入文件是否异常 / check that the input is a real report.", file=sys.stderr)
        return 2

