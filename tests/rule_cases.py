"""What the rules modules' tests share: a report from a few lines, its findings of one rule, and the check that a
family's cases cover every rule it declares, each with a text it fires on and one it stays quiet on."""

from __future__ import annotations

from auditlib import extract, parse_bytes
from auditlib.check import CheckParams, check
from auditlib.rulesets import load_rule_set

HEAD = "清河县民政局2021年度项目支出绩效自评报告\n"
FUNDS_HEADER = "| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 | 原因 |"
INDICATOR_HEADER = ("| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 年度指标值 | 度量单位 | 实际完成值 | 分值 | 得分 "
                    "| 偏差原因分析及改进措施 |")


def run(body: str, params: CheckParams | None = None, head: str = HEAD):
    """The check result of a report made of head and body."""
    return check(extract(parse_bytes((head + body).encode())), params)


def rules_of(result, rule=None):
    """The findings of one rule (of every rule when None)."""
    return [f for f in result.findings if rule is None or f.rule == rule]


def self_evaluation_table(*indicator_rows: str, funds: str = "| 年度资金总额 | 100 | 100 | 100 | 10 | 100% | 10 | |",
                          after: str = "") -> str:
    """A national self-evaluation table (自评表) with a funds row and indicator rows, as a complete text."""
    return "\n".join(["清河县民政局项目支出绩效自评表", "（2023年度）", FUNDS_HEADER, funds, INDICATOR_HEADER,
                      *indicator_rows, after]) + "\n"


def rule_set(name: str) -> CheckParams:
    return CheckParams(rule_set=load_rule_set(name))


def fires(rule: str, text: str, params: CheckParams | None = None, whole: bool = False) -> bool:
    """True when rule finds something in the text (a body under HEAD, or the whole text when whole)."""
    return bool(rules_of(run(text, params, head="" if whole else HEAD), rule))


def assert_covers(module, cases) -> None:
    """Every rule the module declares has a case, and every case names one of its rules."""
    assert {case[0] for case in cases} == {rule.id for rule in module.RULES}
