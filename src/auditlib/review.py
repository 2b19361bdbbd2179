"""review: auditors' decisions on findings, kept beside the params in reviews/<unit>-<year>.yaml.

A decision names a finding by its fingerprint (auditlib.check.findings.fingerprint: rule, section, quoted
evidence and numbers, never the line), so it survives a re-run, and an edit elsewhere in the report. Applied to a
run's findings, a finding is 待复核 (no decision), 已确认 or 已排除 (with who decided, when and why); a decision
whose finding no longer appears (the report was corrected, or the finding's own words or numbers changed) is
listed as resolved, 已解决（不再出现）, and the changed finding is 待复核 again.

The file is plain YAML an auditor can read and edit (`record_decision` writes it, atomically and under a lock):

    unit: qingxi
    year: 2030
    decisions:
    - fingerprint: 3f2a9c1b7d4e5f60
      decision: confirmed          # confirmed（已确认）| dismissed（已排除）
      reviewer: 张三
      decided_at: '2026-12-01T10:00:00+08:00'
      note: 已与单位核实
      rule: rate.over_100          # for a human reader: what the finding was about
      quote: 预算执行率为112.4%

A later entry for the same fingerprint overrides an earlier one. A file that cannot be read, or holds an entry
that is not a decision, is an error naming the file and the entry (`ReviewFileError`): in a batch that unit
fails alone, rather than showing findings as undecided that an auditor has decided.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path
from typing import Any, Mapping

from auditlib.errors import AuditlibError
from auditlib.record import (CONFIRMED, DISMISSED, PENDING, RESOLVED, STATUS_ZH, UNDECIDED, Decision, Finding,
                             FindingReview, apply_decisions, review_counts)

__all__ = ["CONFIRMED", "DISMISSED", "PENDING", "RESOLVED", "STATUS_ZH", "UNDECIDED", "Decision", "FindingReview",
           "ReviewFileError", "apply_decisions", "find_finding", "load_decisions", "record_decision", "review_counts"]

REVIEWS_FOLDER = "reviews"
# What a hand-edited file may write for a decision.
DECISION_WORDS = {"confirmed": "confirmed", "confirm": "confirmed", CONFIRMED: "confirmed", "确认": "confirmed",
                  "dismissed": "dismissed", "dismiss": "dismissed", DISMISSED: "dismissed", "排除": "dismissed"}
FINGERPRINT_RE = re.compile(r"[0-9a-f]{16}(?:\.[0-9]{1,4})?")
MAX_FILE_BYTES = 1024 * 1024  # thousands of decisions; a larger file is not a review file
MAX_REVIEWER_CHARS = 64
MAX_NOTE_CHARS = 2000
MAX_QUOTE_CHARS = 300
ENTRY_KEYS = {"fingerprint", "decision", "reviewer", "decided_at", "note", "rule", "quote"}
FILE_KEYS = {"unit", "year", "decisions"}
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
HEADER = ("# auditlib 复核记录：每项为对一条审核发现（以指纹 fingerprint 标识）的复核决定。\n"
          "# decision: confirmed（已确认）或 dismissed（已排除）；同一指纹以最后一项为准。\n"
          "# 可用 `auditlib review` 写入，也可手工编辑（保存为 UTF-8）；rule 与 quote 仅供阅读。\n")


class ReviewFileError(AuditlibError):
    """A reviews/<unit>-<year>.yaml file cannot be read, or an entry in it is not a decision."""


def review_path(project_root: str | Path, unit: str, year: int) -> Path:
    """reviews/<unit>-<year>.yaml in the project (the unit is checked to be a name, not a path)."""
    from auditlib.params import UNIT_NAME_RE

    if not UNIT_NAME_RE.fullmatch(str(unit)):
        raise ReviewFileError(f"unit 名称无效：{str(unit)[:80]!r}。单位名只能包含字母、数字、汉字、- 和 _ / a unit is a "
                              "name, not a path.")
    return Path(project_root) / REVIEWS_FOLDER / f"{unit}-{int(year)}.yaml"


def load_decisions(project_root: str | Path, unit: str, year: int) -> dict[str, Decision]:
    """The decisions in reviews/<unit>-<year>.yaml by fingerprint (none when there is no such file)."""
    path = review_path(project_root, unit, year)
    if not path.exists():
        return {}
    try:
        if not path.is_file():
            raise ReviewFileError(f"复核文件不是文件 ({path}): remove it or make it a YAML file.")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ReviewFileError(f"复核文件过大 ({path}): over {MAX_FILE_BYTES // 1024} KiB; a review file holds "
                                  "one short entry per decision.")
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ReviewFileError(f"复核文件无法读取 ({path}): {error}. 请保存为 UTF-8 的 YAML 文件 / save it as UTF-8 "
                              "YAML.") from None
    return parse_decisions(text, str(path), unit, year)


def parse_decisions(text: str, source: str, unit: str, year: int) -> dict[str, Decision]:
    """The decisions a review file's text holds, by fingerprint (a later entry overrides an earlier one)."""
    import yaml

    from auditlib.yamlsafe import YamlTooLarge, load_yaml

    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        at = f"第{where.line + 1}行：" if where is not None else ""
        raise ReviewFileError(f"复核文件不是有效的 YAML ({source}): {at}{getattr(error, 'problem', None) or error}. "
                              "请改正该行，或删除该文件后用 auditlib review 重新记录。") from None
    except YamlTooLarge as error:
        raise ReviewFileError(f"复核文件过大或过于复杂 ({source}): {error}. 请删除该文件后用 auditlib review 重新记录。") from None
    except RecursionError:  # thousands of nested brackets
        raise ReviewFileError(f"复核文件嵌套过深 ({source}): not a review file.") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ReviewFileError(f"复核文件应为键值对 ({source}): expected keys unit, year, decisions.")
    unknown = sorted(str(key)[:40] for key in data if key not in FILE_KEYS)
    if unknown:
        raise ReviewFileError(f"复核文件有未知的键 {', '.join(unknown)} ({source}): known keys are unit, year, decisions.")
    if "unit" in data and str(data["unit"]) != str(unit) or "year" in data and str(data["year"]) != str(year):
        raise ReviewFileError(f"复核文件所写的单位或年度与文件名不符 ({source}): {str(data.get('unit'))[:40]!r} "
                              f"{str(data.get('year'))[:10]!r}, expected {unit} {year}.")
    entries = data.get("decisions") or []
    if not isinstance(entries, list):
        raise ReviewFileError(f"复核文件的 decisions 应为列表 ({source}): each entry starts with '- fingerprint: …'.")
    decisions: dict[str, Decision] = {}
    for number, entry in enumerate(entries, start=1):
        decision = _decision(entry, f"{source} 第{number}项")
        decisions.pop(decision.fingerprint, None)  # the later entry wins, and stands where it was written
        decisions[decision.fingerprint] = decision
    return decisions


def _text(entry: Mapping[str, Any], key: str, where: str, limit: int, required: bool = False) -> str:
    value = entry.get(key)
    if value is None or value == "":
        if required:
            raise ReviewFileError(f"复核决定缺少 {key} ({where}).")
        return ""
    if isinstance(value, (dt.datetime, dt.date)) and key == "decided_at":
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ReviewFileError(f"复核决定的 {key} 应为文字 ({where}): got a {type(value).__name__}.")
    text = str(value).strip()
    if len(text) > limit:
        raise ReviewFileError(f"复核决定的 {key} 过长 ({where}): at most {limit} characters.")
    if CONTROL_RE.search(text):
        raise ReviewFileError(f"复核决定的 {key} 含控制字符 ({where}).")
    return text


def _decision(entry: Any, where: str) -> Decision:
    if not isinstance(entry, dict):
        raise ReviewFileError(f"复核决定应为键值对 ({where}): fingerprint, decision, reviewer, decided_at, note.")
    unknown = sorted(str(key)[:40] for key in entry if key not in ENTRY_KEYS)
    if unknown:
        raise ReviewFileError(f"复核决定有未知的键 {', '.join(unknown)} ({where}): known keys are "
                              f"{', '.join(sorted(ENTRY_KEYS))}.")
    fingerprint = entry.get("fingerprint")
    if not isinstance(fingerprint, str) or not FINGERPRINT_RE.fullmatch(fingerprint.strip()):
        raise ReviewFileError(f"复核决定的 fingerprint 无效 ({where}): {str(fingerprint)[:40]!r}; a fingerprint is 16 "
                              "hex digits (maybe .2, .3 …) as `auditlib review` lists it, in quotes if all digits.")
    word = entry.get("decision")
    decision = DECISION_WORDS.get(word.strip().lower()) if isinstance(word, str) else None
    if decision is None:
        raise ReviewFileError(f"复核决定的 decision 无效 ({where}): {str(word)[:40]!r}; write confirmed（已确认）or "
                              "dismissed（已排除）.")
    return Decision(fingerprint.strip(), decision, _text(entry, "reviewer", where, MAX_REVIEWER_CHARS, True),
                    _text(entry, "decided_at", where, 40), _text(entry, "note", where, MAX_NOTE_CHARS),
                    _text(entry, "rule", where, 80), _text(entry, "quote", where, MAX_QUOTE_CHARS * 2))


def find_finding(findings: list[Finding], fingerprint: str) -> Finding:
    """The finding a fingerprint (or a unique start of one, at least 6 characters) names."""
    wanted = fingerprint.strip().lower()
    exact = [f for f in findings if f.fingerprint == wanted]
    matches = exact or ([f for f in findings if f.fingerprint.startswith(wanted)] if len(wanted) >= 6 else [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ReviewFileError(f"指纹 {wanted[:40]!r} 对应多条审核发现（{'、'.join(f.fingerprint for f in matches[:5])}）"
                              "：请写出完整指纹 / give the whole fingerprint.")
    raise ReviewFileError(f"本次审核中没有指纹为 {wanted[:40]!r} 的审核发现：请用 auditlib review --unit … --year … 查看"
                          "当前的审核发现及其指纹 / no current finding has this fingerprint.")


def _checked_words(reviewer: str, note: str) -> tuple[str, str]:
    reviewer, note = (reviewer or "").strip(), (note or "").strip()
    if not reviewer:
        raise ReviewFileError("请写明复核人（--reviewer 姓名）/ a decision needs the reviewer's name.")
    for key, value, limit in (("reviewer", reviewer, MAX_REVIEWER_CHARS), ("note", note, MAX_NOTE_CHARS)):
        if len(value) > limit:
            raise ReviewFileError(f"{key} 过长：最多 {limit} 个字符。")
        if CONTROL_RE.search(value):
            raise ReviewFileError(f"{key} 含控制字符。")
    return reviewer, note


@contextlib.contextmanager
def _locked(path: Path):
    """Hold an exclusive lock beside the review file, so two auditors recording at once both keep theirs."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def record_decision(project_root: str | Path, unit: str, year: int, fingerprint: str, decision: str,
                    reviewer: str, note: str = "", *, findings: list[Finding],
                    now: dt.datetime | None = None) -> Decision:
    """Record an auditor's decision (confirmed/dismissed) on the finding with this fingerprint in
    reviews/<unit>-<year>.yaml, replacing an earlier decision on it; the file is rewritten atomically.

    findings are the unit-year's current findings (`memo.record.findings` in the notebook;
    auditlib.pipeline.current_findings audits the unit from params/<unit>-<year>.yaml). The fingerprint must name one of them (a unique start of at
    least 6 characters will do), so a mistyped one is refused rather than kept as a decision on nothing.
    """
    import yaml

    from auditlib.iorw import write_text_atomic

    word = DECISION_WORDS.get(str(decision).strip().lower())
    if word is None:
        raise ReviewFileError(f"decision 应为 confirmed（已确认）或 dismissed（已排除），而不是 {str(decision)[:40]!r}")
    reviewer, note = _checked_words(reviewer, note)
    path = review_path(project_root, unit, year)
    finding = find_finding(findings, fingerprint)
    made = Decision(finding.fingerprint, word, reviewer,
                    (now or dt.datetime.now().astimezone()).isoformat(timespec="seconds"), note, finding.rule,
                    " ".join(finding.evidence.split())[:MAX_QUOTE_CHARS])
    with _locked(path):
        decisions = load_decisions(project_root, unit, year)  # a broken file is reported, never overwritten
        decisions.pop(made.fingerprint, None)
        decisions[made.fingerprint] = made
        body = yaml.safe_dump({"unit": unit, "year": int(year),
                               "decisions": [{k: v for k, v in d.to_dict().items() if v != ""}
                                             for d in decisions.values()]},
                              allow_unicode=True, sort_keys=False, width=1000)
        write_text_atomic(path, HEADER + body)
    return made


def review_file_sha256(project_root: str | Path, unit: str, year: int) -> str:
    """The SHA-256 of reviews/<unit>-<year>.yaml ('' when there is none): a memo made before the file last
    changed shows stale statuses, so whatever reuses an earlier memo must check this too."""
    import hashlib

    path = review_path(project_root, unit, year)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
