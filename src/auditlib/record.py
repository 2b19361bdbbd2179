"""record: the audit record of one unit and year, and everything it carries, as plain data.

The bottom layer of auditlib: it imports no other part of it. Every other step produces or reads these types:
check makes `Finding`s, review applies `Decision`s, history compares `YearBasis`es, compose builds the
`AuditRecord`, store keeps it, render exports it (memo, index, workbook, CSV) and the batch carries it between
processes. `AuditRecord.to_dict`/`from_dict` round-trip it through JSON, so a memo can be rebuilt from what the
store holds.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Iterable, Mapping

# --- findings ---

SEVERITIES = ("high", "medium", "low", "info")
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低", "info": "提示"}


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one place in a report: message in Chinese, evidence, the numbers compared."""

    rule: str
    severity: str
    message: str
    section: str
    line: int | None
    evidence: str
    expected: Any = None
    stated: Any = None
    tolerance: Any = None
    values: dict[str, Any] = field(default_factory=dict)
    location: str = ""  # where the line stands in the original file: 第3页 表1第2行 ('' for a text file)
    fingerprint: str = ""  # stable across runs (see `fingerprint`); set by `with_fingerprints`
    name: str = ""  # the rule's Chinese name, its parameters filled in (预算执行率低于90%)
    unit: str = ""  # what expected, stated and tolerance are measured in: %, 万元, 分, 项, 字 or ''
    tolerance_unit: str | None = None  # the tolerance's unit where it differs (a share of a sum: %); None: unit

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data."""
        return asdict(self)


FINGERPRINT_CHARS = 16  # hex digits of SHA-256 kept: 64 bits, no collision among a unit's few hundred findings


def _canonical_number(value: Any) -> Any:
    """A compared value written so that the same number always prints the same (1 and 1.0, float noise)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        number = float(value)
        return None if math.isnan(number) else float(f"{number:.10g}")
    if isinstance(value, (list, tuple)):
        return [_canonical_number(item) for item in value]
    return str(value)


def fingerprint(finding: Finding) -> str:
    """What identifies a finding from one run to the next: its rule, section path, quoted evidence (whitespace
    collapsed) and the numbers it compared. Not its line, page or message (they name lines), so an edit
    elsewhere in the report that moves it keeps its fingerprint; a change to its own words or numbers does not."""
    numbers = [_canonical_number(value) for value in (finding.expected, finding.stated, finding.tolerance)]
    key = json.dumps([finding.rule, finding.section, " ".join(finding.evidence.split()), numbers],
                     ensure_ascii=False, default=str)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


def with_fingerprints(findings: list[Finding]) -> list[Finding]:
    """The findings, each with its fingerprint; the second, third … finding with the same content in one report
    gets .2, .3 … appended (in report order), so every finding of a report has a fingerprint of its own."""
    seen: dict[str, int] = {}
    marked = []
    for finding in findings:
        base = fingerprint(finding)
        seen[base] = seen.get(base, 0) + 1
        marked.append(replace(finding, fingerprint=base if seen[base] == 1 else f"{base}.{seen[base]}"))
    return marked


def severity_rank(severity: str) -> int:
    """0 for high … 3 for info: sorts the most serious first."""
    return SEVERITIES.index(severity)


# --- auditors' decisions (auditlib.review reads and writes the files) ---

PENDING, CONFIRMED, DISMISSED, RESOLVED = "待复核", "已确认", "已排除", "已解决（不再出现）"
STATUS_ZH = {"confirmed": CONFIRMED, "dismissed": DISMISSED}

@dataclass(frozen=True)
class Decision:
    """An auditor's decision on one finding."""

    fingerprint: str
    decision: str  # confirmed | dismissed
    reviewer: str
    decided_at: str
    note: str = ""
    rule: str = ""  # what the finding was about, for a human reader of the file
    quote: str = ""

    @property
    def status(self) -> str:
        """已确认 or 已排除."""
        return STATUS_ZH[self.decision]

    def to_dict(self) -> dict[str, Any]:
        """JSON- and YAML-ready data."""
        return asdict(self)


@dataclass(frozen=True)
class FindingReview:
    """Where one finding stands: 待复核, or the decision an auditor made on it."""

    status: str = PENDING
    reviewer: str = ""
    note: str = ""
    decided_at: str = ""

    @property
    def pending(self) -> bool:
        """True while no auditor has decided on the finding."""
        return self.status == PENDING


UNDECIDED = FindingReview()


def apply_decisions(findings: Iterable[Finding], decisions: Mapping[str, Decision]
                    ) -> tuple[dict[str, FindingReview], list[Decision]]:
    """Each decided finding's review by fingerprint (a finding not in it is 待复核), and the decisions whose
    finding no longer appears (resolved)."""
    current = {finding.fingerprint for finding in findings}
    reviews = {fingerprint: FindingReview(decision.status, decision.reviewer, decision.note, decision.decided_at)
               for fingerprint, decision in decisions.items() if fingerprint in current}
    return reviews, [decision for fingerprint, decision in decisions.items() if fingerprint not in current]


def review_counts(findings: Iterable[Finding], reviews: Mapping[str, FindingReview]) -> dict[str, int]:
    """How many findings are 待复核, 已确认 and 已排除."""
    counts = {PENDING: 0, CONFIRMED: 0, DISMISSED: 0}
    for finding in findings:
        counts[reviews.get(finding.fingerprint, UNDECIDED).status] += 1
    return counts


# --- what a year keeps for comparing with another (auditlib.history compares) ---

@dataclass(frozen=True)
class Target:
    """An indicator and its planned value as the report writes it, with the number and direction read from it."""

    name: str
    planned: str
    value: float | None = None
    unit: str = ""
    direction: str = ""  # ≥, ≤ or '' (a plain number is read as a floor: 完成数量 100 means at least 100)


@dataclass(frozen=True)
class Passage:
    """A long sentence of a 原因/问题/措施 section, normalised (whitespace and leading numbering removed)."""

    text: str
    section: str
    line: int


@dataclass(frozen=True)
class YearBasis:
    """What one year's audit keeps for comparing with another year."""

    unit: str
    year: int
    budget_wan: float | None = None
    spent_wan: float | None = None
    execution_rate: float | None = None
    self_score: float | None = None
    grade: str | None = None
    recomputed_score: float | None = None
    recomputed_grade: str | None = None
    targets: tuple[Target, ...] | None = ()  # None: the record predates them (an older auditlib), not compared
    passages: tuple[Passage, ...] | None = ()
    source: str = ""  # where it was read: 数据库 or 输出文件夹


@dataclass(frozen=True)
class Change:
    """One headline figure in both years."""

    key: str  # budget | spent | rate | score | grade | recomputed_score | recomputed_grade
    label: str
    unit: str  # 万元, %, 分 or ''
    before: float | str | None
    after: float | str | None

    @property
    def delta(self) -> float | None:
        """after − before, for numbers stated in both years."""
        if isinstance(self.before, (int, float)) and isinstance(self.after, (int, float)):
            return self.after - self.before
        return None

    @property
    def changed(self) -> bool:
        """True when the figure differs, or is stated in one year only."""
        delta = self.delta
        return abs(delta) > 1e-9 if delta is not None else self.before != self.after


@dataclass(frozen=True)
class TargetChange:
    """A target set lower (a ≥ target) or higher (a ≤ target) than the year before."""

    name: str
    before: str
    after: str
    direction: str


@dataclass(frozen=True)
class Copied:
    """A sentence this year that stood word for word in the earlier year's report."""

    text: str
    section: str
    line: int
    earlier_section: str
    earlier_line: int


@dataclass
class YearOverYear:
    """What changed from earlier_year to year."""

    unit: str
    year: int
    earlier_year: int
    source: str
    changes: list[Change] = field(default_factory=list)
    dropped: list[Target] = field(default_factory=list)
    lowered: list[TargetChange] = field(default_factory=list)
    copied: list[Copied] = field(default_factory=list)
    earlier_targets: int = 0
    targets: int = 0
    targets_compared: bool = True  # False when the earlier record (made by an older auditlib) kept no targets
    sentences_compared: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "YearOverYear":
        """The comparison written by to_dict."""
        values = dict(data)
        values["changes"] = [Change(**c) for c in values.get("changes") or []]
        values["dropped"] = [Target(**t) for t in values.get("dropped") or []]
        values["lowered"] = [TargetChange(**t) for t in values.get("lowered") or []]
        values["copied"] = [Copied(**c) for c in values.get("copied") or []]
        return cls(**{key: value for key, value in values.items() if key in cls.__dataclass_fields__})


def basis_of(record: AuditRecord, source: str = "") -> YearBasis:
    """What an audit record keeps for comparing (a recomputed score only where the record has one)."""
    return YearBasis(record.unit, int(record.year or 0), record.budget_wan, record.spent_wan, record.execution_rate,
                     record.self_score, record.grade, getattr(record, "recomputed_score", None),
                     getattr(record, "recomputed_grade", None),
                     None if record.targets is None else tuple(record.targets),
                     None if record.passages is None else tuple(record.passages), source)


def targets_from(data: Iterable[Mapping[str, Any]] | None) -> list[Target] | None:
    """Targets from JSON data (None stays None: not kept)."""
    return None if data is None else [Target(**item) for item in data]


def passages_from(data: Iterable[Mapping[str, Any]] | None) -> list[Passage] | None:
    """Passages from JSON data (None stays None: not kept)."""
    return None if data is None else [Passage(**item) for item in data]


# --- the record ---

# The risk score's weights and the recommendations (auditlib.compose documents and applies them).
SEVERITY_WEIGHTS = {"high": 10.0, "medium": 3.0, "low": 1.0, "info": 0.0}
SCORE_EXCESS_WEIGHT = 2.0  # risk points per self-score point above the cap
EXECUTION_WEIGHT = 10.0  # risk points per 100 percentage points away from full execution
APPROVE, EXPLAIN, RETURN = "可予认可", "需补充说明", "建议退回修改"
RECOMMENDATIONS = {
    RETURN: "存在高风险问题：报告自身的数字或文字与其结论相矛盾，应退回单位修改后重新报送。",
    EXPLAIN: "存在中风险问题：应请单位就所列事项补充说明或补充材料。",
    APPROVE: "未发现高、中风险问题；所列文字问题（如有）可由单位自行更正。",
}
DEFAULT_RATE_LABEL = "预算执行率"


def plain_number(value: Any) -> float | None:
    """A plain float, or None for missing and NaN (check tables use NaN for 'not stated')."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


@dataclass(frozen=True)
class Where:
    """Where a figure was read: source line, section path and the words as the report writes them."""

    line: int | None
    section: str
    quote: str


@dataclass(frozen=True)
class Figure:
    """One key figure as the report states it, what the checks made of it, and the findings raised on it.

    status: flagged (a finding stands on it), checked (a check table row covered it, no finding),
    unverified (stated, but nothing in the report lets it be checked: 未能核实) or missing (not stated).
    """

    key: str  # budget | received | spent | rate | score | grade
    label: str  # in the report's own words where it has them (资金到位率 …)
    value: float | str | None
    unit: str  # 万元, %, 分 or ""
    precision: float | None  # the written figure stands for value ± precision
    where: Where | None
    reviewed: str  # what the check found: the recomputed rate, the score cap, the expected grade …
    status: str
    findings: tuple[str, ...] = ()  # the fingerprints of the findings raised on it
    basis: str = ""  # stated (the report writes it, at where.line) | computed (from `lines`, as `how` says) | ''
    lines: tuple[int, ...] = ()  # the source lines a computed figure is computed from
    how: str = ""  # how, in Chinese words that follow its lines (第19–35行 + 所列各项支出合计)

    @property
    def flagged(self) -> bool:
        """True when a finding stands on this figure."""
        return self.status == "flagged"


@dataclass(frozen=True)
class OutlineEntry:
    """One heading of the report's outline, as the memo lists it."""

    heading: str
    line: int
    chars: int  # characters of body text under it
    depth: int  # 1 for a top-level heading


@dataclass(frozen=True)
class ChartSeries:
    """One series of bars."""

    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A bar chart's data: one bar group per label; flagged[i] are the fingerprints of the findings on bar i."""

    key: str  # budget | rates | scores-<level>
    title: str
    labels: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    flagged: tuple[tuple[str, ...], ...] = ()
    references: tuple[tuple[float, str], ...] = ()  # (value, label) lines across the chart
    value_format: str = "{:g}"
    maximum: float | None = None
    note: str = ""  # what was left out, in Chinese


@dataclass(frozen=True)
class RescoredRow:
    """One self-evaluation table row re-scored under the rule set (or why not)."""

    name: str
    kind: str  # execution | indicator
    nature: str | None  # ≥ ≤ = qualitative
    weight: float | None
    claimed: float | None
    recomputed: float | None
    formula: str
    not_rescored: str
    line: int | None
    finding_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Risk:
    """The documented risk score of one unit and year, and its parts."""

    total: float
    findings: float
    score_excess: float
    execution: float


@dataclass
class AuditRecord:
    """The typed summary of one unit and year's audit (or of its failure): what the store, the index and the
    workbook read. Plain data; `to_dict`/`from_dict` round-trip it through JSON."""

    unit: str
    year: int | None
    ok: bool = True
    error: str = ""
    error_type: str = ""
    unit_name: str = ""  # as the report (or the unit registry) writes it
    region: str = ""
    fiscal_year: int | None = None
    kind: str | None = None
    project_name: str | None = None
    self_score: float | None = None
    grade: str | None = None
    score_cap: float | None = None
    execution_rate: float | None = None
    execution_rate_source: str | None = None
    rate_label: str = DEFAULT_RATE_LABEL
    budget_wan: float | None = None
    spent_wan: float | None = None
    source_name: str = ""  # the report's file name, never a folder path
    source_path: str = ""
    sha256: str = ""
    encoding: str = ""
    source_format: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    recommendation: str = ""
    verdict: str = ""
    risk: Risk | None = None
    versions: dict[str, str] = field(default_factory=dict)
    run_date: str = ""
    memo: str = ""  # the memo's file name in the run folder
    notebook: str = ""
    # Auditors' decisions (auditlib.review): each decided finding's review by fingerprint (a finding not in it is
    # 待复核), and the decisions whose finding no longer appears (resolved).
    reviews: dict[str, FindingReview] = field(default_factory=dict)
    resolved: list[Decision] = field(default_factory=list)
    review_file: str = ""  # reviews/<unit>-<year>.yaml, relative to the project
    # What a later year's audit compares with (auditlib.history), and the comparison with an earlier year.
    targets: list[Target] | None = field(default_factory=list)  # None in a record from before they were kept
    passages: list[Passage] | None = field(default_factory=list)
    year_over_year: YearOverYear | None = None
    rule_set: str = ""  # the rule set the table was re-scored by (its id)
    rule_set_name: str = ""
    recomputed_score: float | None = None  # the self-evaluation table's total re-scored under the rule set
    recomputed_grade: str | None = None
    claimed_table_score: float | None = None  # the total the re-scored table claims (its 总分 row)
    rescored_rows: int = 0
    not_rescored_rows: int = 0  # table rows that could not be re-scored (reasons in not_rescored_reasons)
    not_rescored_reasons: list[str] = field(default_factory=list)
    # What the memo shows beyond the figures and findings, so a memo is rebuilt from the record alone.
    province: str = ""  # from the unit registry
    claimed_table_grade: str | None = None
    rule_set_description: str = ""
    rule_set_source: str = ""
    rescored: list[RescoredRow] = field(default_factory=list)
    outline: list[OutlineEntry] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # extracted data for the appendix

    @property
    def score_excess(self) -> float | None:
        """How far the claimed total exceeds the recomputed one (None when the table could not be re-scored)."""
        if self.recomputed_score is None or self.claimed_table_score is None:
            return None
        return round(self.claimed_table_score - self.recomputed_score, 2)

    @property
    def display_name(self) -> str:
        """The unit's name for a reader: never the pinyin id when the report or the registry names it."""
        return self.unit_name or "（未识别单位名称）"

    @property
    def high_findings(self) -> list[tuple[int, Finding]]:
        """(index, finding) of every high finding."""
        return [(index, f) for index, f in enumerate(self.findings) if f.severity == "high"]

    def index_of(self, fingerprint: str) -> int | None:
        """The position of the finding with this fingerprint in the record (its memo row, its workpaper number)."""
        return next((index for index, f in enumerate(self.findings) if f.fingerprint == fingerprint), None)

    def figure(self, key: str) -> Figure | None:
        """The key figure named key, if the record has it."""
        return next((figure for figure in self.figures if figure.key == key), None)

    @staticmethod
    def anchor(index: int) -> str:
        """The id of the index-th finding's row in the memo."""
        return f"f-{index + 1}"

    def finding_link(self, index: int) -> str:
        """A link (relative to the run folder) to the index-th finding's row in the memo; empty with no memo."""
        return f"{self.memo}#{self.anchor(index)}" if self.memo else ""

    def workpaper_ref(self, index: int) -> str:
        """The workpaper reference of the index-th finding: unit-year-number (unit-2019-03)."""
        return f"{self.unit}-{self.year}-{index + 1:02d}"

    def findings_by_id(self, ids: Iterable[str]) -> list[tuple[int, Finding]]:
        """(index, finding) of the findings with these fingerprints, in the record's order."""
        wanted = set(ids)
        return [(index, f) for index, f in enumerate(self.findings) if f.fingerprint in wanted]

    def figure_findings(self, figure: Figure) -> list[tuple[int, Finding]]:
        """(index, finding) of the findings raised on a key figure (by fingerprint)."""
        return self.findings_by_id(figure.findings)

    def review_of(self, index: int) -> FindingReview:
        """Where the index-th finding stands: 待复核, or the decision an auditor made on it."""
        return self.reviews.get(self.findings[index].fingerprint, UNDECIDED)

    @property
    def review_counts(self) -> dict[str, int]:
        """How many findings are 待复核, 已确认 and 已排除."""
        return review_counts(self.findings, self.reviews)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "AuditRecord":
        """The record written by to_dict."""
        values = dict(data)
        findings = [Finding(**f) for f in values.get("findings") or []]
        # A record written before findings had fingerprints gets them now (they depend on the finding alone).
        values["findings"] = findings if all(f.fingerprint for f in findings) else with_fingerprints(findings)
        values["reviews"] = {key: FindingReview(**review) for key, review in (values.get("reviews") or {}).items()}
        values["resolved"] = [Decision(**decision) for decision in values.get("resolved") or []]
        values["targets"] = targets_from(values.get("targets"))
        values["passages"] = passages_from(values.get("passages"))
        values["year_over_year"] = YearOverYear.from_dict(values["year_over_year"]) \
            if values.get("year_over_year") else None
        prints = [f.fingerprint for f in values["findings"]]  # a record of an older auditlib joined by position
        values["figures"] = [Figure(**{**{key: value for key, value in f.items() if key in Figure.__dataclass_fields__},
                                       "where": Where(**f["where"]) if f.get("where") else None,
                                       "findings": tuple(prints[i] if isinstance(i, int) and i < len(prints) else i
                                                         for i in f.get("findings") or ()),
                                       "lines": tuple(f.get("lines") or ())})
                             for f in values.get("figures") or []]
        values["rescored"] = [RescoredRow(**{**row, "finding_ids": tuple(row.get("finding_ids") or ())})
                              for row in values.get("rescored") or []]
        values["outline"] = [OutlineEntry(**entry) for entry in values.get("outline") or []]
        values["charts"] = [Chart(**{**chart, "labels": tuple(chart["labels"]),
                                     "series": tuple(ChartSeries(s["name"], tuple(s["values"])) for s in chart["series"]),
                                     "flagged": tuple(tuple(ids) for ids in chart.get("flagged") or ()),
                                     "references": tuple(tuple(r) for r in chart.get("references") or ())})
                            for chart in values.get("charts") or []]
        values["risk"] = Risk(**values["risk"]) if values.get("risk") else None
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in values.items() if key in known})

    @classmethod
    def failure(cls, unit: str, year: int | None, error: str, error_type: str, notebook: str = "") -> "AuditRecord":
        """The record of a unit whose audit could not be made."""
        return cls(unit=unit, year=year, ok=False, error=error, error_type=error_type, notebook=notebook)
