"""history: what changed in a unit's self-evaluation from an earlier year to this one.

Pure: two `YearBasis` in (what a year's audit record keeps for comparing: headline figures, indicator targets,
the long sentences of its 原因/问题/措施 sections), a `YearOverYear` out. Reading earlier years from the store and
the output folder is at the edge (auditlib.store.earlier_basis).

- changes: budget, spending, rate, claimed score and grade, and the recomputed score and grade where the record
  has them;
- indicators dropped (named last year, absent now) and targets lowered (a ≥ target now smaller, a ≤ target now
  larger, in the same unit);
- sentences copied word for word: a sentence of at least MIN_COPIED_CHARS characters in a 原因/问题/措施 section
  this year that stood in such a section the year before (compared as whole normalised sentences, one dict
  look-up each: linear in the two reports).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable

from auditlib.record import (Change, Copied, Passage, Target, TargetChange, YearBasis, YearOverYear, basis_of,
                             passages_from, targets_from)
from auditlib.vocabulary import AT_MOST, ENUMERATION_MARKER, NUMBER_MARKER, direction_in, without_comparators

if TYPE_CHECKING:
    from auditlib.extract import Extraction

__all__ = ["Change", "Copied", "Passage", "Target", "TargetChange", "YearBasis", "YearOverYear", "basis_of",
           "compare", "passages_from", "passages_of", "read_target", "targets_from", "targets_of"]

NARRATIVE_WORDS = ("原因", "问题", "措施", "整改", "改进", "建议")  # headings whose sentences are compared
MIN_COPIED_CHARS = 20  # a shorter sentence (目标基本完成。) is the same by chance, not copied
MAX_PASSAGES = 400  # kept per record: far more than any report's reasons and measures
SENTENCE_END = re.compile(r"[。！？；!?;]")
LEADING_NUMBER = re.compile(rf"{NUMBER_MARKER}|{ENUMERATION_MARKER}")
NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


# --- what a year keeps ---


def _compact(text: str) -> str:
    return "".join(text.split())


def read_target(name: str, planned: str) -> Target:
    """The number, unit and direction of a planned value: ≥95% → 95, %, ≥; 不超过5天 → 5, 天, ≤."""
    text = _compact(planned)
    match = NUMBER.search(text)
    if not match:
        return Target(name, planned)
    before, rest = text[: match.start()], text[match.end():]
    unit = ""
    for char in rest:
        if char.isdigit() or char in "，,。；;、（()）":
            break
        unit += char
        if len(unit) == 6:
            break
    return Target(name, planned, float(match.group(0)), without_comparators(unit), direction_in(before + rest) or "")


def targets_of(indicators: Iterable[Any]) -> list[Target]:
    """The planned value of each indicator with one (the extraction's indicators: name, planned)."""
    return [read_target(_compact(i.name), i.planned) for i in indicators if i.name and i.planned]


def _narrative(section) -> bool:
    while section is not None:
        if any(word in section.title for word in NARRATIVE_WORDS):
            return True
        section = section.parent
    return False


def normalised_sentence(text: str) -> str:
    """A sentence as compared: whitespace and a leading number (一是、（1）、2.) removed."""
    text = _compact(text)
    match = LEADING_NUMBER.match(text)
    return text[match.end():] if match else text


def passages_of(extraction: Extraction) -> list[Passage]:
    """The long sentences of the report's 原因/问题/措施 sections (table cells excluded), in report order."""
    passages, seen = [], set()
    for section in extraction.outline.sections:
        if not _narrative(section):
            continue
        for line in section.body:
            if line.cell or "\t" in line.text:
                continue
            for sentence in SENTENCE_END.split(line.text):
                text = normalised_sentence(sentence)
                if len(text) >= MIN_COPIED_CHARS and text not in seen:
                    seen.add(text)
                    passages.append(Passage(text, section.path, line.line))
                    if len(passages) == MAX_PASSAGES:
                        return passages
    return passages


# --- the comparison ---

FIGURES = (("budget", "预算数", "万元", "budget_wan"), ("spent", "支出数", "万元", "spent_wan"),
           ("rate", "预算执行率", "%", "execution_rate"), ("score", "自评得分", "分", "self_score"),
           ("grade", "评定等级", "", "grade"), ("recomputed_score", "复核得分（按评分规则重算）", "分", "recomputed_score"),
           ("recomputed_grade", "复核等级", "", "recomputed_grade"))


def _loosened(before: Target, after: Target) -> bool:
    if before.value is None or after.value is None or before.unit != after.unit:
        return False
    direction = after.direction or before.direction
    if (before.direction or "") != (after.direction or "") and before.direction and after.direction:
        return False  # ≥ became ≤: a different target, not a lower one
    if direction == AT_MOST:
        return after.value > before.value
    return after.value < before.value


def compare(earlier: YearBasis, current: YearBasis) -> YearOverYear:
    """What changed from the earlier year to the current one."""
    changes = [Change(key, label, unit, getattr(earlier, attr), getattr(current, attr))
               for key, label, unit, attr in FIGURES
               if getattr(earlier, attr) is not None or getattr(current, attr) is not None]
    now = {}
    for target in current.targets or ():
        now.setdefault(target.name, target)
    dropped, lowered, seen = [], [], set()
    for target in earlier.targets or ():
        if target.name in seen:
            continue
        seen.add(target.name)
        later = now.get(target.name)
        if later is None:
            if now:  # no indicator read this year says nothing about which were dropped
                dropped.append(target)
        elif _loosened(target, later):
            lowered.append(TargetChange(target.name, target.planned, later.planned, later.direction or target.direction))
    before = {}
    for passage in earlier.passages or ():
        before.setdefault(passage.text, passage)
    copied = [Copied(p.text, p.section, p.line, before[p.text].section, before[p.text].line)
              for p in current.passages or () if p.text in before]
    return YearOverYear(current.unit, current.year, earlier.year, earlier.source, changes, dropped, lowered, copied,
                        len({t.name for t in earlier.targets or ()}), len(now), earlier.targets is not None,
                        earlier.passages is not None)
