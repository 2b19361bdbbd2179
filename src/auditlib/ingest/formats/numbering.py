"""Word's automatic numbering written out: "一、" "（一）" "1." are not in a numbered paragraph's text, Word
generates them from numbering.xml, so the reader renders them as Word would (python-docx does not)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
MAX_LEVELS = 9


def chinese_counting(number: int, digits: str = _CN_DIGITS, ten: str = "十") -> str:
    """一 … 十, 十一, 二十, 一百零五 (Word's chineseCounting, up to 9999)."""
    if number <= 0 or number > 9999:
        return str(number)
    units = [("千", 1000), ("百", 100), (ten, 10)]
    text, zero = "", False
    for name, value in units:
        count, number = divmod(number, value)
        if count:
            if zero:
                text += digits[0]
            text += ("" if (value == 10 and count == 1 and not text) else digits[count]) + name
            zero = False
        elif text:
            zero = True
    if number:
        text += (digits[0] if zero else "") + digits[number]
    return text


def _roman(number: int) -> str:
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
              (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    text = ""
    for value, letters in values:
        count, number = divmod(number, value)
        text += letters * count
    return text


def _letters(number: int) -> str:
    return chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def format_number(number: int, fmt: str) -> str:
    """A counter in one of Word's number formats (w:numFmt)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "ideographDigital"):
        return chinese_counting(number)
    if fmt == "chineseLegalSimplified":
        return chinese_counting(number, _CN_LEGAL, "拾")
    if fmt in ("ideographTraditional", "ideographZodiac"):
        return _HEAVENLY_STEMS[(number - 1) % 10]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= number <= 20:
        return chr(0x245F + number)
    if fmt == "decimalFullWidth":
        return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt == "upperRoman":
        return _roman(number)
    if fmt == "lowerRoman":
        return _roman(number).lower()
    if fmt == "upperLetter":
        return _letters(number)
    if fmt == "lowerLetter":
        return _letters(number).lower()
    return str(number)


@dataclass(frozen=True)
class Level:
    start: int
    fmt: str
    text: str  # w:lvlText, e.g. "%1、" or "（%2）"
    suffix: str  # after the number: a space for Word's tab or space, nothing for "nothing"


@dataclass
class WordNumbering:
    """The lists of one document and their running counters."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # numId -> ilvl -> Level
    style_numbering: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId -> (numId, ilvl)
    counters: dict[str, list[int]] = field(default_factory=dict)  # numId -> a counter per level

    @classmethod
    def of(cls, document) -> "WordNumbering":
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        if root is not None:
            abstract = {node.get(f"{W}abstractNumId"): _levels(node) for node in root.iterchildren(f"{W}abstractNum")}
            for num in root.iterchildren(f"{W}num"):
                ref = num.find(f"{W}abstractNumId")
                levels = dict(abstract.get(ref.get(f"{W}val") if ref is not None else None, {}))
                for override in num.iterchildren(f"{W}lvlOverride"):
                    ilvl = _int(override.get(f"{W}ilvl"), 0)
                    start = override.find(f"{W}startOverride")
                    lvl = override.find(f"{W}lvl")
                    if lvl is not None:
                        levels[ilvl] = _level(lvl)
                    elif start is not None and ilvl in levels:
                        old = levels[ilvl]
                        levels[ilvl] = Level(_int(start.get(f"{W}val"), 1), old.fmt, old.text, old.suffix)
                numbering.levels[num.get(f"{W}numId")] = levels
        numbering.style_numbering = _style_numbering(document)
        return numbering

    def marker(self, p, document) -> str:
        """The number Word shows before paragraph p ('' when it is not numbered), advancing the counters."""
        num_id, ilvl = self._numbering_of(p)
        levels = self.levels.get(num_id) if num_id else None
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * MAX_LEVELS)
        if counters[ilvl] == 0:
            counters[ilvl] = levels[ilvl].start
        else:
            counters[ilvl] += 1
        for deeper in range(ilvl + 1, MAX_LEVELS):
            counters[deeper] = 0
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return ""

        def number(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            if not 0 <= index < MAX_LEVELS or index not in levels:
                return ""
            value = counters[index] or levels[index].start
            return format_number(value, levels[index].fmt)

        return re.sub(r"%([1-9])", number, level.text) + level.suffix

    def _numbering_of(self, p) -> tuple[str | None, int]:
        pPr = p.find(f"{W}pPr")
        numPr = pPr.find(f"{W}numPr") if pPr is not None else None
        if numPr is not None:
            num_id = numPr.find(f"{W}numId")
            ilvl = numPr.find(f"{W}ilvl")
            value = num_id.get(f"{W}val") if num_id is not None else None
            return (None if value in (None, "0") else value), _int(ilvl.get(f"{W}val") if ilvl is not None else 0, 0)
        style = pPr.find(f"{W}pStyle") if pPr is not None else None
        if style is not None:
            return self.style_numbering.get(style.get(f"{W}val"), (None, 0))
        return None, 0


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _level(lvl) -> Level:
    def val(tag: str, default: str) -> str:
        node = lvl.find(f"{W}{tag}")
        return node.get(f"{W}val", default) if node is not None else default

    suffix = val("suff", "tab")
    return Level(_int(val("start", "1"), 1), val("numFmt", "decimal"), val("lvlText", ""),
                 "" if suffix == "nothing" else " ")


def _levels(abstract) -> dict[int, Level]:
    return {_int(lvl.get(f"{W}ilvl"), 0): _level(lvl) for lvl in abstract.iterchildren(f"{W}lvl")}


def _style_numbering(document) -> dict[str, tuple[str, int]]:
    """Numbering a paragraph style carries (Heading 1 numbered 一、), following each style's basedOn chain."""
    try:
        styles = document.styles.element
    except (KeyError, AttributeError):
        return {}
    own: dict[str, tuple[str | None, int | None]] = {}
    based_on: dict[str, str] = {}
    for style in styles.iterchildren(f"{W}style"):
        style_id = style.get(f"{W}styleId")
        base = style.find(f"{W}basedOn")
        if base is not None:
            based_on[style_id] = base.get(f"{W}val")
        pPr = style.find(f"{W}pPr")
        numPr = pPr.find(f"{W}numPr") if pPr is not None else None
        if numPr is not None:
            num_id, ilvl = numPr.find(f"{W}numId"), numPr.find(f"{W}ilvl")
            own[style_id] = (num_id.get(f"{W}val") if num_id is not None else None,
                             _int(ilvl.get(f"{W}val"), 0) if ilvl is not None else None)
    resolved: dict[str, tuple[str, int]] = {}
    for style_id in set(own) | set(based_on):
        num_id, ilvl, seen, current = None, None, set(), style_id
        while current and current not in seen:
            seen.add(current)
            found = own.get(current)
            if found:
                num_id = num_id or found[0]
                ilvl = ilvl if ilvl is not None else found[1]
            current = based_on.get(current)
        if num_id and num_id != "0":
            resolved[style_id] = (num_id, ilvl or 0)
    return resolved
