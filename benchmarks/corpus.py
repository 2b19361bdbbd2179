"""A benchmark corpus: N generated self-evaluation reports with planted inconsistencies whose findings are known.

Every report is written from templates of our own (no real report's text or figures): narrative project reports,
department reports, and the national 自评表 flattened three ways (`|`-separated, tab-separated, one cell per line).
Units, regions, years, amounts (万元 with one or two decimals, or 元 with thousands separators) and heading styles
vary; everything follows from the seed, so the same arguments always give the same bytes.

Each report carries zero, one or two planted errors chosen from PLANTS; the manifest lists for every report the
rule ids it must raise (`expected`) and the ones it must not (`absent`: every high or medium rule not planted).

The corpus is a project folder the batch runs on as it is:

    <out>/data/raw/<unit>/<year>/<unit>-<year>.txt   the reports
    <out>/data/units.csv                              the unit registry (full name, region, province, level)
    <out>/params/<unit>-<year>.yaml                   one params file per unit and year
    <out>/notebooks/                                  the project's notebooks, copied
    <out>/manifest.json                               what every report must (and must not) raise

    python benchmarks/corpus.py [--reports 200] [--seed 10] [--out build/bench/corpus]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "build" / "bench" / "corpus"

KINDS = ("project", "department", "table_pipe", "table_tab", "table_cells")
NARRATIVE = ("project", "department")
# planted error -> (rule ids it must raise, kinds it can be planted in)
PLANTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "rate_over": (("rate.over_100",), KINDS),
    "rate_mismatch": (("rate.mismatch",), KINDS),
    "rate_low": (("rate.low",), KINDS),
    "sum_mismatch": (("sum.mismatch",), NARRATIVE),
    "balance_mismatch": (("balance.mismatch",), ("project",)),
    "score_above_weight": (("score.above_weight",), KINDS),
    "weights_not_100": (("weights.not_100",), KINDS),
    "score_sum_mismatch": (("score.sum_mismatch",), KINDS),
    "grade_mismatch": (("grade.mismatch",), KINDS),
    "section_missing": (("section.missing",), NARRATIVE),
    "score_missing": (("score.missing",), NARRATIVE),
}
# Plants that touch the same figure are never combined.
CONFLICTS = ({"rate_over", "rate_mismatch", "rate_low", "balance_mismatch"},
             {"score_above_weight", "weights_not_100", "score_sum_mismatch", "score_missing"},
             {"grade_mismatch", "score_missing"})
# Rules every report is held to: a high or medium finding of these that was not planted is a failure.
HELD_RULES = ("rate.over_100", "rate.mismatch", "rate.low", "sum.mismatch", "count.mismatch", "balance.mismatch",
              "budget.large_change", "score.sum_mismatch", "weights.not_100", "grade.mismatch", "score.above_cap",
              "score.above_weight", "score.missing", "section.empty", "section.missing", "claim.contradiction")
CLEAN_SHARE = 0.25
SCORE_TABLE_PLANTS = {"score_above_weight", "weights_not_100", "score_sum_mismatch"}  # need a score table

PROVINCES = {  # province -> made-up district and county names of our own
    "江南省": ("云溪", "青岚", "白沙", "石桥"), "河西省": ("松阳", "东岭", "柳塘", "金台"),
    "海东省": ("澄湾", "南屿", "望潮", "礁石"), "中原省": ("平川", "麦岗", "双河", "古渡"),
}
LEVELS = {"区": "district", "县": "county", "市": "county_city"}
AGENCIES = (("教育局", "jy"), ("民政局", "mz"), ("文化和旅游局", "wl"), ("农业农村局", "nn"), ("卫生健康局", "wj"),
            ("科学技术协会", "kx"), ("工商业联合会", "gsl"), ("残疾人联合会", "cl"), ("司法局", "sf"), ("档案馆", "da"))
PROJECTS = (("乡村学校课后服务", "参与学生", "人"), ("社区养老服务补助", "服务老年人", "人次"),
            ("公共文化惠民演出", "开展演出", "场"), ("农技推广培训", "培训农户", "人次"), ("基层卫生人员培训", "培训人员", "人"),
            ("科普进社区活动", "举办活动", "场"), ("小微企业服务平台运行", "服务企业", "家"), ("残疾人康复救助", "救助对象", "人"),
            ("法律援助经费", "办理案件", "件"), ("档案数字化", "数字化档案", "卷"))  # in AGENCIES' order
DEPARTMENT_TARGETS = (("完成年度重点工作任务", "项"), ("组织业务培训", "期"), ("开展督导检查", "次"), ("办理群众来信来访", "件"))
SATISFACTION = ("服务对象满意度", "群众满意度", "受益对象满意度")
CN_NUMBERS = "一二三四五六七八九十"


@dataclass
class Indicator:
    """One row of an indicator table."""

    level1: str
    level2: str
    name: str
    planned: str
    achieved: str
    weight: float
    score: float


@dataclass
class Spec:
    """Everything one report states, before it is written out in a layout."""

    index: int
    unit: str
    full_name: str
    region: str
    province: str
    level: str
    year: int
    kind: str
    plants: list[str]
    project: str
    budget: float  # 万元, as written (to `decimals` places)
    spent: float
    decimals: int
    in_yuan: bool
    rate_text: str  # the written execution rate, without %
    budget_points: float  # the points the execution rate earns (of 10)
    indicators: list[Indicator] = field(default_factory=list)
    total_weight: float = 100.0
    total_score: float = 0.0  # as stated
    grade: str = ""
    style: int = 0  # heading style variant
    score_table: bool = False  # narrative kinds: a score table besides the conclusion


def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _pts(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _grade(score: float) -> str:
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def _choose_plants(rng: random.Random, kind: str) -> list[str]:
    if rng.random() < CLEAN_SHARE:
        return []
    chosen: list[str] = []
    for _ in range(rng.choice((1, 1, 2))):
        options = [name for name, (_, kinds) in PLANTS.items() if kind in kinds and name not in chosen
                   and not any(name in group and group & set(chosen) for group in CONFLICTS)]
        if options:
            chosen.append(rng.choice(options))
    return sorted(chosen)


def make_spec(index: int, rng: random.Random, kind: str | None = None, plants: list[str] | None = None) -> Spec:
    """The figures of report `index`: a unit, a year, amounts and indicators consistent unless planted otherwise."""
    kind = kind or KINDS[index % len(KINDS)]
    plants = _choose_plants(rng, kind) if plants is None else sorted(plants)
    province = rng.choice(sorted(PROVINCES))
    place = rng.choice(PROVINCES[province])
    suffix = rng.choice(sorted(LEVELS))
    agency_index = rng.randrange(len(AGENCIES))
    agency, code = AGENCIES[agency_index]
    region = place + suffix
    project, target, measure = PROJECTS[agency_index]  # each agency its own kind of project
    year = rng.randint(2018, 2023)
    decimals = rng.choice((1, 2))
    budget = round(rng.uniform(30, 900), decimals)
    if "rate_over" in plants:
        ratio = rng.uniform(1.03, 1.15)
    elif "rate_low" in plants:
        ratio = rng.uniform(0.62, 0.86)
    else:
        ratio = rng.uniform(0.915, 0.995)
    spent = round(budget * ratio, decimals)
    if spent == budget:
        spent = round(budget - 10 ** -decimals, decimals)
    rate_decimals = rng.choice((1, 2))
    true_rate = spent / budget * 100
    rate_text = _fmt(_round_half_up(true_rate, rate_decimals), rate_decimals)
    if "rate_mismatch" in plants:  # the stated rate is several points from what the amounts give, still 90–100%
        if true_rate > 95.5:
            wrong = true_rate - rng.uniform(3.5, min(6.0, true_rate - 90.5))
        else:
            wrong = true_rate + rng.uniform(3.5, 4.4)
        rate_text = _fmt(_round_half_up(wrong, rate_decimals), rate_decimals)
    rate = min(float(rate_text), true_rate) / 100
    budget_points = math.floor(min(rate, 1.0) * 100) / 10  # 10 points, in proportion, rounded down to 0.1
    spec = Spec(index, f"{code}{index:05d}", f"{region}{agency}", region, province, LEVELS[suffix], year, kind,
                plants, project, budget, spent, decimals, kind == "department" and rng.random() < 0.4, rate_text,
                budget_points, style=rng.randrange(3),
                score_table=kind in NARRATIVE and (rng.random() < 0.5 or bool(set(plants) & SCORE_TABLE_PLANTS)))
    spec.indicators = _indicators(rng, spec, target, measure)
    _score(rng, spec)
    return spec


def _round_half_up(value: float, decimals: int) -> float:
    return math.floor(value * 10 ** decimals + 0.5) / 10 ** decimals


def _indicators(rng: random.Random, spec: Spec, target: str, measure: str) -> list[Indicator]:
    if spec.kind == "department":
        picks = rng.sample(DEPARTMENT_TARGETS, 2)
        output = [Indicator("产出指标", "数量指标", name, f"{n}{unit}", f"{n + rng.randint(0, 2)}{unit}", 25, 0)
                  for (name, unit), n in zip(picks, (rng.randint(6, 20), rng.randint(10, 40)))]
    else:
        planned = rng.choice((120, 200, 300, 500, 800))
        output = [Indicator("产出指标", "数量指标", f"{target}数量", f"{planned}{measure}",
                            f"{planned + rng.randint(0, planned // 10)}{measure}", 30, 0),
                  Indicator("产出指标", "时效指标", "按期完成率", "100%", "100%", 20, 0)]
    outcome = Indicator("效益指标", "社会效益指标", rng.choice(("服务能力提升", "群众获得感增强", "工作规范化水平提高")),
                        "明显提升", rng.choice(("明显提升", "有所提升")), 30, 0)
    satisfaction = Indicator("满意度指标", "服务对象满意度指标", rng.choice(SATISFACTION), "≥90%",
                             f"{rng.randint(91, 98)}%", 10, 0)
    return [*output, outcome, satisfaction]


def _score(rng: random.Random, spec: Spec) -> None:
    """Indicator scores, the stated total and grade: consistent, then the score plants applied."""
    for item in spec.indicators:
        item.score = item.weight - rng.choice((0, 0, 0, 1, 2, 3, 4, 5, 8, 10)) * item.weight / 30
        item.score = max(round(item.score), 0)
    if "score_above_weight" in spec.plants:
        item = rng.choice(spec.indicators[:-1])
        item.score = item.weight + rng.choice((1, 2, 3))
        # keep the total under the cap the execution rate allows: take the excess back from another row
        other = next(i for i in spec.indicators if i is not item)
        other.score = max(0, other.weight - (item.score - item.weight) - rng.randint(1, 3))
    if "weights_not_100" in spec.plants:
        # a system of 110 or 120 points; the score stays what the 100-point system allowed (under the cap)
        spec.indicators[0].weight += rng.choice((10, 20))
    spec.total_weight = 10 + sum(item.weight for item in spec.indicators)
    total = spec.budget_points + sum(item.score for item in spec.indicators)
    if "score_sum_mismatch" in spec.plants:
        total -= rng.choice((2, 3, 4, 5))
    spec.total_score = round(total, 1)
    spec.grade = _grade(spec.total_score)
    if "grade_mismatch" in spec.plants:
        spec.grade = {"优": "良", "良": "优", "中": "良", "差": "中"}[spec.grade]


# --- writing the reports out ---


def _money(spec: Spec, value: float) -> str:
    if spec.in_yuan:
        return f"{value * 10000:,.2f}元"
    return f"{_fmt(value, spec.decimals)}万元"


def _sub(spec: Spec, number: int, title: str) -> list[str]:
    """A second-level heading in the report's style: none, （一）, or 1."""
    if spec.style == 0:
        return []
    return [f"（{CN_NUMBERS[number]}）{title}" if spec.style == 1 else f"{number + 1}.{title}"]


def _score_table_lines(spec: Spec) -> list[str]:
    """A narrative report's score table, tab-separated: 一级 rows with their 二级 rows under them."""
    lines = ["评价指标\t分值\t得分", f"一、预算执行率\t10\t{_pts(spec.budget_points)}"]
    groups: dict[str, list[Indicator]] = {}
    for item in spec.indicators:
        groups.setdefault(item.level1, []).append(item)
    for number, (level1, items) in enumerate(groups.items(), start=1):
        lines.append(f"{CN_NUMBERS[number]}、{level1}\t{_pts(sum(i.weight for i in items))}\t"
                     f"{_pts(sum(i.score for i in items))}")
        for sub, item in enumerate(items, start=1):
            lines.append(f"{sub}. {item.name}\t{_pts(item.weight)}\t{_pts(item.score)}")
    lines.append(f"合计\t{_pts(spec.total_weight)}\t{_pts(spec.total_score)}")
    return lines


def _conclusion(spec: Spec) -> str:
    if "score_missing" in spec.plants:
        return "经对照绩效目标逐项核查，本单位认为资金使用规范、目标基本实现。"
    grade = spec.grade if spec.style != 1 else {"优": "优秀", "良": "良好", "中": "中", "差": "差"}[spec.grade]
    return _phrase(spec, ("经综合评价，自评得分{score}分，评价等级为{grade}。", "综合评价结论为{grade}，自评得分{score}分。",
                             "根据评价指标体系逐项打分，自评得分{score}分，等级为“{grade}”。")).format(
        score=_pts(spec.total_score), grade=grade)


def _phrase(spec: Spec, phrases: tuple[str, ...]) -> str:
    """One of the phrasings, picked by the report's number and style."""
    return phrases[(spec.index * 7 + spec.style) % len(phrases)]


def _funds_lines(spec: Spec) -> list[str]:
    budget, spent = _money(spec, spec.budget), _money(spec, spec.spent)
    # parts planted wrong add up to more than the total: wrong however complete the list claims to be
    excess = max(1.0, round(spec.budget * 0.05)) if "sum_mismatch" in spec.plants else 0.0
    if spec.kind == "department":
        basic = round(spec.budget * 0.6, spec.decimals)
        project = round(spec.budget - basic + excess, spec.decimals)
        return [*_sub(spec, 0, "预算安排情况"),
                f"{spec.year}年年初预算数为{budget}，其中：基本支出{_money(spec, basic)}，项目支出{_money(spec, project)}。",
                *_sub(spec, 1, "预算执行情况"), f"全年预算{budget}，实际支出{spent}，预算执行率为{spec.rate_text}%。"]
    central = round(spec.budget * 0.5, spec.decimals)
    local = round(spec.budget - central + excess, spec.decimals)
    lines = [*_sub(spec, 0, "资金安排和到位情况"),
             f"{spec.year}年初预算安排项目资金{budget}，其中：上级补助资金{_money(spec, central)}，"
             f"本级财政资金{_money(spec, local)}。",
             f"资金已全部到位，到位资金{budget}，资金到位率100%。", *_sub(spec, 1, "资金使用情况")]
    if spec.spent > spec.budget:
        lines.append(f"截至{spec.year}年12月31日，项目预算{budget}，实际支出{spent}，预算执行率{spec.rate_text}%。")
    else:
        balance = round(spec.budget - spec.spent, spec.decimals)
        if "balance_mismatch" in spec.plants:
            balance = round(balance + max(1.0, round(spec.budget * 0.04)), spec.decimals)
        lines.append(f"截至{spec.year}年12月31日，项目预算{budget}，实际支出{spent}，结余{_money(spec, balance)}，"
                     f"预算执行率{spec.rate_text}%。")
    return lines


def _results_lines(spec: Spec) -> list[str]:
    lines = []
    for number, item in enumerate(spec.indicators):
        lines.append(f"{number + 1}、{item.name}：计划{item.planned}，实际完成{item.achieved}。")
    return lines


def narrative(spec: Spec) -> str:
    """A project or department report in prose, with an optional score table."""
    unit, year = spec.full_name, spec.year
    if spec.kind == "project":
        title = [unit, f"{year}年度项目支出绩效自评报告"] if spec.style else [f"{unit}{year}年度项目支出绩效自评报告"]
        parts = {
            "overview": ("项目基本情况", [f"项目名称：{spec.project}。",
                                          f"本项目由{unit}组织实施，旨在提升{spec.region}基层公共服务水平。"]),
            "funds": ("项目资金投入和使用情况", _funds_lines(spec)),
            "results": ("绩效目标完成情况", _results_lines(spec)),
            "problems": ("存在的问题", ["项目前期调研不够充分，部分活动安排较为集中。"]),
            "measures": ("改进措施", ["下一步将提前做好年度计划，均衡安排工作进度。"]),
            "conclusion": ("自评结论", []),
        }
    else:
        title = [unit, f"{year}年度部门整体支出绩效自评报告"] if spec.style else [f"{unit}{year}年度部门整体支出绩效自评报告"]
        parts = {
            "overview": ("部门基本情况", [f"本单位主要职能是负责{spec.region}相关行业管理和公共服务，内设科室5个，"
                                          f"编制{20 + spec.index % 30}人。"]),
            "funds": ("部门整体支出情况", _funds_lines(spec)),
            "results": ("绩效目标完成情况", _results_lines(spec)),
            "problems": ("存在的问题", ["预算编制精细化程度有待提升，个别项目支出进度前慢后快。"]),
            "measures": ("改进措施", ["进一步加强预算执行监控，按月通报支出进度。"]),
            "conclusion": ("自评结论", []),
        }
    if "section_missing" in spec.plants:
        del parts[("problems", "measures")[spec.index % 2]]
    conclusion = parts["conclusion"][1]
    if spec.score_table and "score_missing" not in spec.plants:
        conclusion.extend(_score_table_lines(spec))
    conclusion.append(_conclusion(spec))
    lines = [*title, ""]
    for number, (heading, body) in enumerate(parts.values()):
        lines.append(f"{CN_NUMBERS[number]}、{heading}")
        lines.extend(body)
    lines += [unit, f"{year + 1}年{3 + spec.index % 4}月{10 + spec.index % 18}日", ""]
    return "\n".join(lines)


def _table_rows(spec: Spec) -> list[list[str]]:
    budget, spent = _fmt(spec.budget, spec.decimals), _fmt(spec.spent, spec.decimals)
    rows = [["项目名称", spec.project, "", "", "", "", ""],
            ["主管部门", spec.full_name, "实施单位", spec.full_name, "", "", ""],
            ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", budget, budget, spent, "10", f"{spec.rate_text}%", _pts(spec.budget_points)],
            ["其中：当年财政拨款", budget, budget, spent, "", "—", ""],
            ["上年结转资金", "", "", "", "", "", ""],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]]
    for item in spec.indicators:
        rows.append([item.level1, item.level2, item.name, item.planned, item.achieved, _pts(item.weight),
                     _pts(item.score)])
    rows.append(["总分", "", "", "", "", _pts(spec.total_weight), _pts(spec.total_score)])
    return rows


def table(spec: Spec) -> str:
    """The national 自评表, flattened with `|`, with tabs, or one cell per line."""
    lines = [f"{spec.year}年度项目支出绩效自评表", f"填报单位：{spec.full_name}"]
    rows = _table_rows(spec)
    if spec.kind == "table_pipe":
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    elif spec.kind == "table_tab":  # flattened by a converter that drops empty cells
        # 合计, not 总分: auditlib reads "总分<TAB>100<TAB>80.3" as a self-score of 100 (see the README part)
        rows[-1][0] = "合计"
        lines += ["\t".join(cell for cell in row if cell) for row in rows if len([c for c in row if c]) > 1]
    else:
        for row in rows:
            lines += [f"\t{cell}" for cell in row if cell] + [""]
    grade = spec.grade
    lines.append(f"评价结论：自评得分{_pts(spec.total_score)}分，等级为{grade}。")
    lines += [f"填报日期：{spec.year + 1}年{2 + spec.index % 3}月{5 + spec.index % 20}日", ""]
    return "\n".join(lines)


def render(spec: Spec) -> str:
    """The report's text."""
    return narrative(spec) if spec.kind in NARRATIVE else table(spec)


def expectations(spec: Spec) -> dict[str, list[str]]:
    """The rule ids the report must raise, and the held rules it must not."""
    expected = sorted({rule for plant in spec.plants for rule in PLANTS[plant][0]})
    return {"expected": expected, "absent": [rule for rule in HELD_RULES if rule not in expected]}


PARAMS_TEMPLATE = """# Generated benchmark report {index}: {kind}
unit: {unit}
year: {year}
report_path: {report_path}
output_dir: outputs
thresholds:
  low_execution_rate: 0.9
  large_change: 0.2
"""


def specs(reports: int, seed: int = 10):
    """The specs of a corpus, one at a time (nothing held)."""
    rng = random.Random(seed)
    for index in range(reports):
        yield make_spec(index, random.Random(rng.getrandbits(64)))


def write_corpus(out: Path, reports: int = 200, seed: int = 10, spec_list=None) -> Path:
    """Write the corpus project folder; returns the manifest's path. Existing reports are overwritten."""
    out = Path(out)
    for folder in ("params", "data/raw"):
        if (out / folder).exists():
            shutil.rmtree(out / folder)
    (out / "params").mkdir(parents=True)
    shutil.copytree(ROOT / "notebooks", out / "notebooks", dirs_exist_ok=True)
    manifest = {"seed": seed, "reports": 0, "plants": {name: list(rules) for name, (rules, _) in PLANTS.items()},
                "held_rules": list(HELD_RULES), "units": {}}
    registry = {}
    for spec in (spec_list if spec_list is not None else specs(reports, seed)):
        relative = Path("data") / "raw" / spec.unit / str(spec.year) / f"{spec.unit}-{spec.year}.txt"
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(render(spec), encoding="utf-8")
        (out / "params" / f"{spec.unit}-{spec.year}.yaml").write_text(PARAMS_TEMPLATE.format(
            index=spec.index, kind=spec.kind, unit=spec.unit, year=spec.year, report_path=relative.as_posix()),
            encoding="utf-8")
        registry[spec.unit] = (spec.full_name, spec.region, spec.province, spec.level)
        manifest["units"][f"{spec.unit}-{spec.year}"] = {"report": relative.as_posix(), "kind": spec.kind,
                                                         "plants": spec.plants, **expectations(spec)}
        manifest["reports"] += 1
    with (out / "data" / "units.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["unit_id", "full_name", "region", "province", "level"])
        writer.writerows([unit, *row] for unit, row in sorted(registry.items()))
    path = out / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def covering_specs(seed: int = 10, every_kind: bool = True) -> list[Spec]:
    """A small corpus: every kind clean, and every plant in every kind it applies to (every_kind) or in one kind
    each, the kinds taken in turn (16 reports)."""
    rng = random.Random(seed)
    chosen = [(kind, []) for kind in KINDS]
    if every_kind:
        chosen += [(kind, [plant]) for plant, (_, kinds) in PLANTS.items() for kind in kinds]
    else:
        chosen += [(kinds[number % len(kinds)], [plant]) for number, (plant, (_, kinds)) in enumerate(PLANTS.items())]
    return [make_spec(index, random.Random(rng.getrandbits(64)), kind, plants)
            for index, (kind, plants) in enumerate(chosen)]


def compare(manifest_entry: dict, rules_found: dict[str, str]) -> dict[str, list[str]]:
    """What a report's findings (rule id -> highest severity) miss of the manifest, and what they raise unplanted.

    missed: planted rule ids not found; unexpected: held rules found that were not planted (high or medium)."""
    missed = [rule for rule in manifest_entry["expected"] if rule not in rules_found]
    unexpected = [rule for rule in manifest_entry["absent"]
                  if rules_found.get(rule) in ("high", "medium")]
    return {"missed": missed, "unexpected": unexpected}


def severities(findings) -> dict[str, str]:
    """Rule id -> its most serious severity among findings (objects or dicts with rule and severity)."""
    order = {"high": 0, "medium": 1, "low": 2, "info": 3}
    found: dict[str, str] = {}
    for finding in findings:
        rule, severity = (finding["rule"], finding["severity"]) if isinstance(finding, dict) else (
            finding.rule, finding.severity)
        if rule not in found or order[severity] < order[found[rule]]:
            found[rule] = severity
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--covering", action="store_true", help="every kind and plant once (small)")
    args = parser.parse_args(argv)
    manifest = write_corpus(args.out, args.reports, args.seed, covering_specs(args.seed) if args.covering else None)
    print(f"{json.loads(manifest.read_text(encoding='utf-8'))['reports']} reports in {args.out}; manifest {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
