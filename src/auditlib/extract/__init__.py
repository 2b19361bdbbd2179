"""extract: the facts of a report as plain data and pandas tables."""

from __future__ import annotations

import re

from auditlib.extract.amounts import MAX_PLAUSIBLE_RATE, AmountReader, wider_scope
from auditlib.extract.kind import KindDecision, decide_kind
from auditlib.extract.form import read_form_facts
from auditlib.extract.meta import evidence_at, find_fiscal_year, find_project_name, find_unit, find_written_date
from auditlib.extract.model import (Amount, BudgetLine, Breakdown, Evidence, ExecutionRow, Extraction, Indicator,
                                    Measure, Rate, ReportFacts, ScoreItem, amount_key, largest_stated, part_keys)
from auditlib.extract.scores import (execution_rows, find_grade, find_self_score, heading_points, indicator_tables,
                                     money_tables, prose_weights, read_measure, score_tables, sheet_execution_row)
from auditlib.extract.tables import Table, find_tables
from auditlib.ingest import Document
from auditlib.outline import Outline, build_outline

__all__ = ["Amount", "BudgetLine", "Breakdown", "Evidence", "ExecutionRow", "Extraction", "Indicator", "KindDecision",
           "Measure", "Rate", "ReportFacts", "ScoreItem", "decide_kind", "extract", "headline_execution",
           "largest_stated", "read_measure"]


# A rate's label naming the whole of the money (部门整体支出, 总体, 全部资金), not one part of it.
WHOLE_SCOPE = re.compile(r"整体|总体|全部资金|综合")


def _within(a: Amount, b: Amount) -> bool:
    return abs(a.value_wan - b.value_wan) <= a.half_width + b.half_width + 1e-9


def headline_execution(amounts: list[Amount], lines: list[BudgetLine], breakdowns: list[Breakdown],
                       rates: list[Rate]) -> tuple[float | None, str | None, Amount | None, float | None, Evidence | None]:
    """The report's headline execution rate: (rate, stated|computed|mixed|summed|paired, main budget, spent, evidence).

    Stated: an execution rate in the line of the main budget, or the only one a report states.
    Computed: spending stated beside the main budget (mixed: above it, in a sentence naming other money too).
    Summed: the spending of budget lines whose budgets add up to the main budget (the lines are in
    derived_lines). Paired: the one spending figure stated on its own, apart from the budget.
    """
    parts = part_keys(breakdowns)
    lines = [line for line in lines if not line.part]
    budget = largest_stated(amounts, breakdowns, "adjusted_budget", "budget")
    execution_lines = [line for line in lines if "execution" in line.rates]
    for line in execution_lines:
        if budget is not None and line.budget is not None and _within(line.budget, budget):
            rate = line.rates["execution"]
            return rate.value, "stated", budget, line.value("spent"), rate.evidence
    execution_rates = [rate for rate in rates if rate.kind == "execution"]
    # A rate stated with no budget beside it speaks of the main budget, when the report states just one.
    unattached = [line for line in execution_lines if not line.measures & {"budget", "adjusted_budget"}]
    if len({line.rates["execution"].value for line in unattached}) == 1 and len(execution_lines) == len(unattached):
        line = unattached[0]
        rate = line.rates["execution"]
        return rate.value, "stated", budget, line.value("spent"), rate.evidence
    total_line = _total_of(unattached) if len(execution_lines) == len(unattached) else None
    if total_line is not None:
        rate = total_line.rates["execution"]
        return rate.value, "stated", budget, total_line.value("spent"), rate.evidence
    if budget is None:
        # One rate, perhaps told again (a summary, then the funds section), is the report's rate.
        if len({rate.value for rate in execution_rates}) == 1:
            return execution_rates[0].value, "stated", None, None, execution_rates[0].evidence
        # 部门整体支出预算执行率为97.6%，项目支出执行率为95%，基本支出执行率为100%: the one rate named for the whole.
        whole = [rate for rate in execution_rates if WHOLE_SCOPE.search(_clause_before(rate))]
        if whole and len({rate.value for rate in whole}) == 1 and not execution_lines:
            return whole[0].value, "stated", None, None, whole[0].evidence
        return None, None, None, None, None

    # Spending over an initial budget alone (年初预算185万元，支出326万元) is no execution rate where the report
    # states one of its own: that one is reckoned on the budget as adjusted, which the line does not give.
    stated_once = len({rate.value for rate in execution_rates}) == 1
    for line in lines:
        spent = line.amounts.get("spent")
        if line.initial_only and stated_once:
            continue
        if line.budget is not None and spent is not None and _within(line.budget, budget) and not line.several_budgets \
                and budget.value_wan > 0:
            if _peers(line, lines, budget):
                break  # the largest of several projects told side by side is one project's, not the report's
            # Above the budget where the sentence names other money (自筹, 配套, 结转): a question, not overspending.
            source = "mixed" if line.other_money and spent.value_wan > budget.value_wan else "computed"
            return round(spent.value_wan / budget.value_wan, 6), source, budget, spent.value_wan, spent.evidence

    with_spending = [line for line in lines if line.value("spent") is not None and line.budget is not None]
    budgets_total = sum(line.budget.value_wan for line in with_spending)
    tolerance = sum(line.budget.half_width for line in with_spending) + budget.half_width
    if len(with_spending) >= 2 and budget.value_wan > 0 and abs(budgets_total - budget.value_wan) <= tolerance + 1e-9:
        # Derived, not stated: a sum of the lines' spending, shown with the lines it comes from, never the
        # ground of a high finding.
        spent_total = round(sum(line.value("spent") for line in with_spending), 6)
        first = with_spending[0].amounts["spent"].evidence
        return round(spent_total / budget.value_wan, 6), "summed", budget, spent_total, first

    # A rate the report states (one value only) is its headline rather than a ratio of figures read apart.
    if len({rate.value for rate in execution_rates}) == 1:
        return execution_rates[0].value, "stated", budget, None, execution_rates[0].evidence
    in_lines = {id(a) for line in lines if len(line.measures & {"budget", "adjusted_budget"}) for a in line.amounts.values()}
    standalone = [a for a in amounts if a.measure == "spent" and id(a) not in in_lines and amount_key(a) not in parts
                  and not _own_budget_beside(a, amounts, budget)]
    values = {a.value_wan for a in standalone}
    # Spending many times the budget (专项债券资金支付9600万元 against a budget of 260万元) is other money.
    if len(values) == 1 and budget.value_wan and standalone[0].value_wan / budget.value_wan < MAX_PLAUSIBLE_RATE:
        spent = standalone[0]
        # One sentence pairs them for sure; figures from different sentences may speak of different money
        # (省级安排… 。全省共支出…), and a page flattened to one line has many sentences.
        source = "computed" if _one_sentence(budget, spent) and not wider_scope(spent, budget) else "paired"
        return round(spent.value_wan / budget.value_wan, 6), source, budget, spent.value_wan, spent.evidence
    return None, None, budget, None, None


def _own_budget_beside(spent: Amount, amounts: list[Amount], budget: Amount) -> bool:
    """Another budget than the main one told on the spending's line (…；B项目预算9万元，执行8.4万元): the spending is
    that budget's."""
    return any(a.measure in ("budget", "adjusted_budget") and a.evidence.line == spent.evidence.line
               and not _within(a, budget) for a in amounts)


def _peers(line: BudgetLine, lines: list[BudgetLine], budget: Amount) -> list[BudgetLine]:
    """Other projects' budgets and spending told on the line's own source line, none of them its total or a part
    of it (A项目预算36万元，执行14万元；B项目预算9万元，执行8.4万元): the line's money is one project's."""
    return [other for other in lines if other is not line and other.budget is not None
            and other.value("spent") is not None and not _within(other.budget, budget)
            and other.budget.evidence.line == line.budget.evidence.line]


def _clause_before(rate: Rate) -> str:
    """The words of the rate's clause before its figure (…部门整体支出预算执行率为)."""
    quote = rate.evidence.quote
    at = quote.find(rate.raw)
    return re.split(r"[，,；;。：:]", quote[:at])[-1] if at >= 0 else ""


def _total_of(lines: list[BudgetLine]) -> BudgetLine | None:
    """Of rates stated each with its spending and no budget (中央资金完成A，执行率a；…全年执行资金T，执行率t), the
    one whose spending covers all the others' together: the total's."""
    spending = [line for line in lines if line.value("spent") is not None]
    if len(spending) < 2:
        return None
    spending.sort(key=lambda line: line.value("spent"), reverse=True)
    top, others = spending[0], spending[1:]
    if others[0].value("spent") >= top.value("spent"):
        return None
    slack = top.amounts["spent"].half_width + sum(line.amounts["spent"].half_width for line in others)
    return top if top.value("spent") + slack >= sum(line.value("spent") for line in others) else None


def _one_sentence(first: Amount, second: Amount) -> bool:
    """Both amounts stand in one sentence of one source line."""
    if first.evidence.line != second.evidence.line:
        return False
    quote = first.evidence.quote
    start, end = sorted((quote.find(first.raw), quote.find(second.raw)))
    return start >= 0 and not re.search(r"[。！？!?；;]", quote[start:end])


def extract(document: Document, outline: Outline | None = None) -> Extraction:
    """Read the facts of a document: meta, amounts, budget lines, breakdowns, scores and indicators."""
    outline = outline or build_outline(document)
    facts = ReportFacts()
    evidence = facts.evidence

    unit = find_unit(outline)
    if unit:
        facts.unit_name, facts.region = unit.name, unit.region
        evidence["unit_name"] = evidence_at(outline, unit.line)
    written = find_written_date(outline)
    if written:
        facts.written_year = written.year
        evidence["written_year"] = evidence_at(outline, written.line)
    fiscal = find_fiscal_year(outline, written)
    if fiscal:
        facts.fiscal_year = fiscal[0]
        evidence["fiscal_year"] = evidence_at(outline, fiscal[1])
    decision = decide_kind(outline)
    facts.kind, facts.kind_reason = decision.kind, decision.reason
    if decision.lines:
        evidence["kind"] = evidence_at(outline, decision.lines[0])
    if decision.kind in ("project", "table"):
        project = find_project_name(outline, unit)
        if project:
            facts.project_name = project[0]
            evidence["project_name"] = evidence_at(outline, project[1])

    reader = AmountReader(outline).read()
    forms = read_form_facts(outline)
    if forms.tables and facts.kind is None:
        facts.kind, facts.kind_reason = "table", "自评表（绩效指标表头与分值、得分栏）"
    # The forms' rows are read against the form model; the other tables (score tables of other systems) as before.
    form_lines = forms.lines
    # Figures the amounts reader cut out of a funds row whose cells run together, where the form reader split
    # that row by the form's arithmetic, are the form reader's to give.
    reader.budget_lines = [line for line in reader.budget_lines if not any(
        forms.read_here(a.evidence.line, a.raw) for a in line.amounts.values())]
    reader.amounts = [a for a in reader.amounts if not forms.read_here(a.evidence.line, a.raw)]
    reader.rates = [r for r in reader.rates if not forms.read_here(r.evidence.line, r.raw)]
    all_tables = find_tables(document.lines)
    tables = [t for t in all_tables if not any(row.index in form_lines for row in t.rows)]
    table_lines, table_amounts = money_tables(outline, tables)
    reader.budget_lines.extend(table_lines + forms.budget_lines)
    reader.amounts.extend(table_amounts + forms.amounts)
    score_items = forms.score_items + score_tables(outline, tables) + prose_weights(outline) + heading_points(outline)
    indicators = forms.indicators + indicator_tables(outline, tables)

    self_score = find_self_score(outline, score_items)
    if self_score:
        facts.self_score = self_score[0].value
        evidence["self_score"] = self_score[1]
    grade = find_grade(outline, score_items)
    if grade:
        facts.grade = grade[0]
        evidence["grade"] = grade[1]

    # A department's headline figures are the department's: a project's budget is not its budget.
    scoped = [a for a in reader.amounts if decision.kind != "department" or not _one_project(a)]
    rate, source, budget, spent, rate_evidence = headline_execution(
        scoped, reader.budget_lines, reader.breakdowns, reader.rates)
    if source == "summed":
        facts.derived["spent_wan"] = facts.derived["execution_rate"] = derived_lines(reader.budget_lines)
    facts.execution_rate, facts.execution_rate_source = rate, source
    facts.budget_wan = budget.value_wan if budget else None
    facts.execution_spent_wan = spent
    # The spending headline is the total the report states (支出总额 …), else what the headline rate divides;
    # never the spending of an item whose own budget is not the headline budget (one project's 投入资金).
    other_scope = _other_scope_amounts(reader.budget_lines, budget)
    total_spent = largest_stated([a for a in scoped if id(a) not in other_scope], reader.breakdowns, "spent")
    if total_spent is not None and (spent is None or total_spent.value_wan > spent):
        facts.spent_wan = total_spent.value_wan
        evidence["spent_wan"] = total_spent.evidence
    else:
        facts.spent_wan = spent
        if spent is not None and rate_evidence:
            evidence["spent_wan"] = rate_evidence
    if budget:
        evidence["budget_wan"] = budget.evidence
    if rate_evidence:
        evidence["execution_rate"] = rate_evidence

    funds_rows = forms.execution_rows + execution_rows(outline, tables)
    if not funds_rows:
        funds_rows = [row for row in [sheet_execution_row(score_items, reader.rates)] if row]
    return Extraction(document, outline, facts, reader.amounts, reader.rates, reader.budget_lines,
                      reader.breakdowns, score_items, indicators,
                      # A run of cells the form reader split by the form's arithmetic is read, not unreadable.
                      [cell for cell in reader.unread_cells
                       if cell[0].line not in {document.lines[i].line for i in form_lines}],
                      funds_rows,
                      _table_lines(document, all_tables) | {document.lines[i].line for i in form_lines},
                      forms.unread, forms.blank_cells, forms.funds_sources)


def _other_scope_amounts(lines: list[BudgetLine], budget: Amount | None) -> set[int]:
    """The amounts of budget lines whose own budget is not the headline budget: they speak of one item."""
    if budget is None:
        return set()
    return {id(amount) for line in lines if line.budget is not None and not _within(line.budget, budget)
            for amount in line.amounts.values()}


PROJECT_SCOPE = re.compile(r"项目|工程|专项")
UNIT_SCOPE = re.compile(r"部门|单位|整体|全年|年度|总")


def _one_project(amount: Amount) -> bool:
    """An amount named for one project or fund (…项目资金200万元), not for the whole unit."""
    return bool(PROJECT_SCOPE.search(amount.label)) and not UNIT_SCOPE.search(amount.label)


def derived_lines(lines: list[BudgetLine]) -> tuple[int, ...]:
    """The source lines of the spending summed into a derived headline (see headline_execution)."""
    with_spending = [line for line in lines if line.value("spent") is not None and line.budget is not None]
    return tuple(sorted({line.amounts["spent"].evidence.line for line in with_spending}))


def _table_lines(document: Document, tables: list[Table]) -> frozenset[int]:
    """The source lines of every table row (a row written one cell per line covers all its lines)."""
    lines = document.lines
    found = set()
    for table in tables:
        for row in table.rows:
            count = len(row.cells) if row.index < len(lines) and lines[row.index].cell else 1
            found.update(line.line for line in lines[row.index: row.index + count])
    return frozenset(found)
