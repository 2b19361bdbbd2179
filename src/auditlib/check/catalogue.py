"""The rule catalogue: every check auditlib makes, collected from the rule families (check/rules/), read top to
bottom. A rule is one object (check/rule.py); adding one touches its family's module and that module's test.
"""

from __future__ import annotations

from auditlib.check.rule import Param, Rule
from auditlib.check.rules import claims, counts, document, money, rescoring, scores, shared, structure, text, writing

FAMILIES = (money, counts, scores, rescoring, claims, structure, text, writing, document)
RULES: tuple[Rule, ...] = tuple(rule for family in FAMILIES for rule in family.RULES)
_BY_ID = {rule.id: rule for rule in RULES}
assert len(_BY_ID) == len(RULES), "a rule id is declared twice"


def rule(rule_id: str) -> Rule:
    """The rule with this id (KeyError for an id no rule has)."""
    return _BY_ID[rule_id]


def _parameters() -> tuple[Param, ...]:
    """Every parameter any rule (or the check tables) reads, each once; one name is one declaration."""
    by_name: dict[str, Param] = {}
    for param in shared.PARAMS + tuple(p for r in RULES for p in r.params):
        assert by_name.setdefault(param.name, param) is param, f"parameter {param.name} is declared twice"
    return tuple(by_name.values())


PARAMETERS: tuple[Param, ...] = _parameters()


def catalogue_rows(params) -> list[dict]:
    """The catalogue as rows: id, severity, kind, Chinese name with the parameters' values (params: a CheckParams),
    English description, the unit of the numbers compared, and the parameters with their values."""
    return [{"id": r.id, "severity": r.severity, "kind": r.kind, "zh": r.title(params), "en": r.en, "unit": r.unit,
             "params": {p.name: getattr(params, p.name) for p in r.params}} for r in RULES]
