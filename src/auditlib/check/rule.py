"""What a rule is: one declarative object, in the way pandera declares a check.

A rule says everything about itself in one place: its id, severity, Chinese name (a template whose thresholds
come from its parameters: 预算执行率低于{low_execution_rate}), English description, the parameters it reads
(defaults and valid ranges, declared once: CheckParams and the params-file validation are built from them),
what it computes and compares, its message, and what render needs to show its findings (their unit, the key
figure they flag, whether they belong against a heading of the outline).

Two kinds, one type:
- a table rule names a check table (check/tables.py: shared facts and rounding intervals) and a predicate, a
  function of that table computing the rule's own column (named by the rule id); great-expectations validates
  the column against the rule's bound, and each row it finds unexpected becomes a finding with the row's
  evidence, the rule's message and the numbers it compared;
- a text rule has a check function, (extraction, params, rule) -> findings, that makes its findings with
  `rule.finding(...)` and so never types its own id.

`params` below is a CheckParams (check/params.py). It is not imported here: CheckParams is built from the
parameters the rules declare, so the rules sit below it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

import pandas as pd

from auditlib.record import SEVERITIES, Finding
from auditlib.rulesets import DEFAULT_RULE_SET, RuleSet, load_rule_set

Params = Any  # a CheckParams: its attributes are the parameters the rules declare, and rule_set
FIGURES = ("budget", "received", "spent", "rate", "score", "grade", "recomputed")
UNITS = ("%", "万元", "分", "项", "字", "")


@lru_cache(maxsize=8)
def shipped_rule_set(name: str = DEFAULT_RULE_SET) -> RuleSet:
    """A rule set shipped in the package, read once per process."""
    return load_rule_set(name)


@dataclass(frozen=True)
class Param:
    """One threshold or tolerance a rule reads, settable per run in a params file's `thresholds`."""

    name: str
    default: float | None  # None: the rule set's value (from_rule_set)
    maximum: float  # the largest value a params file may set
    en: str
    unit: str = ""  # how the value reads in a rule's name: % (a fraction shown as percent), 分, 万元 or ''
    minimum: float = 0.0  # the smallest
    from_rule_set: Callable[[RuleSet], float] | None = None

    def __post_init__(self) -> None:
        assert (self.default is None) == (self.from_rule_set is not None), self.name
        assert self.default is None or self.minimum <= self.default <= self.maximum, self.name

    def default_for(self, rule_set: RuleSet) -> float:
        """The value when a params file does not set it."""
        return float(self.from_rule_set(rule_set)) if self.from_rule_set else float(self.default)

    def admits(self, value: Any) -> bool:
        """True for a plain finite number within the declared range."""
        return (not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)
                and self.minimum <= value <= self.maximum)

    def shown(self, value: float) -> str:
        """The value as a rule's name writes it: 90%, 100分."""
        return pct(value) if self.unit == "%" else f"{value:g}{self.unit}"


@dataclass(frozen=True)
class Rule:
    """One check (see the module's docstring for the two kinds)."""

    id: str
    severity: str
    name: str  # Chinese; {parameter} fields are filled with the run's values
    en: str
    params: tuple[Param, ...] = ()  # the parameters its name, predicate, bound or message read
    unit: str = ""  # what its findings' expected, stated and tolerance are measured in
    tolerance_unit: str | None = None  # the tolerance's unit where it differs from unit (None: the same)
    figure: str | None = None  # the key figure its findings flag (FIGURES), if any
    outline: bool = False  # its findings are shown against a heading of the outline
    lists_missing_part: bool = False  # its findings name (in expected) a part the report lacks
    # a table rule
    table: str | None = None
    predicate: Callable[[pd.DataFrame, Params], pd.Series] | None = None  # the rule's column; NaN: not applicable
    bound: str = "max"  # max: the column must not exceed the limit; min: must not fall below it
    limit: Callable[[Params], float] | None = None
    message: Callable[[dict, Params], str] | None = None  # from a row (with the rule's column)
    numbers: Callable[[dict, Params], tuple[Any, Any, Any]] | None = None  # (expected, stated, tolerance)
    # a text rule
    check: Callable[[Any, Params, "Rule"], list[Finding]] | None = None  # (extraction, params, rule)

    def __post_init__(self) -> None:
        assert self.severity in SEVERITIES, self.id
        assert self.figure in FIGURES + (None,), self.id
        assert self.unit in UNITS and self.tolerance_unit in UNITS + (None,), self.id
        assert self.bound in ("max", "min"), self.id
        table_parts = (self.table, self.predicate, self.limit, self.message, self.numbers)
        assert all(table_parts) if self.table else (self.check is not None and not any(table_parts)), self.id

    @property
    def kind(self) -> str:
        """table or text."""
        return "table" if self.table else "text"

    @property
    def column(self) -> str | None:
        """The check-table column a table rule computes and validates: its id."""
        return self.id if self.table else None

    @property
    def zh(self) -> str:
        """The Chinese name with the parameters' defaults (a finding's `name` carries its run's)."""
        return self.title()

    def title(self, params: Params | None = None) -> str:
        """The Chinese name, its parameters filled in (with their defaults when no params are given)."""
        if not self.params:
            return self.name
        rule_set = params.rule_set if params is not None else shipped_rule_set()
        values = {p.name: getattr(params, p.name) if params is not None else p.default_for(rule_set)
                  for p in self.params}
        return self.name.format(**{p.name: p.shown(values[p.name]) for p in self.params})

    def finding(self, params: Params, message: str, section: str, line: int | None, evidence: str, *,
                expected: Any = None, stated: Any = None, tolerance: Any = None, values: dict | None = None,
                **more_values: Any) -> Finding:
        """A finding of this rule: its id, severity, name and unit, with the evidence, the numbers compared and
        what else it read (values)."""
        return Finding(self.id, self.severity, message, section, line, evidence, expected, stated, tolerance,
                       {**(values or {}), **more_values}, name=self.title(params), unit=self.unit,
                       tolerance_unit=self.tolerance_unit)


# --- what predicates and messages share ---

def gap(frame: pd.DataFrame, a: str, b: str) -> pd.Series:
    """How far apart two interval columns (a_low..a_high, b_low..b_high) are, row by row: 0 when some value lies
    in both, NaN when either is missing."""
    apart = pd.concat([frame[f"{b}_low"] - frame[f"{a}_high"], frame[f"{a}_low"] - frame[f"{b}_high"]], axis=1)
    result = apart.max(axis=1).clip(lower=0.0)
    return result.where(apart.notna().all(axis=1))


def where(frame: pd.DataFrame, condition: pd.Series, values: pd.Series | float) -> pd.Series:
    """values on the rows where condition holds, NaN elsewhere (as floats, for great-expectations)."""
    values = values if isinstance(values, pd.Series) else pd.Series(values, index=frame.index)
    return values.astype(float).where(condition.astype(bool))


def flag(frame: pd.DataFrame, condition: pd.Series, applies: pd.Series | None = None) -> pd.Series:
    """1.0 where condition holds, 0.0 where it does not (NaN where the question does not apply)."""
    values = condition.astype(bool).astype(float)
    return values if applies is None else values.where(applies.astype(bool))


def wan(value: float) -> str:
    """An amount in 万元 as a message writes it: 1,234.5."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def pct(value: float) -> str:
    """A fraction as a percentage: 0.905 -> 90.5%."""
    return f"{value * 100:.2f}".rstrip("0").rstrip(".") + "%"


def points(value: float) -> str:
    """A score with at most two decimals: 9.5."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
