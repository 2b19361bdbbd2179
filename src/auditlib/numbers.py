"""Numbers as Chinese reports write them: amounts with units, percentages, Chinese numerals."""

from __future__ import annotations

import re
from dataclasses import dataclass

CHINESE_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3,
                  "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
                  "八": 8, "捌": 8, "九": 9, "玖": 9}
CHINESE_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CHINESE_NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "".join(CHINESE_UNITS)
MAX_NUMERAL_CHARS = 24

# Amount units and their factor to 万元 (the unit every table in auditlib uses).
UNIT_TO_WAN = {"元": 0.0001, "万元": 1.0, "万": 1.0, "亿元": 10000.0, "亿": 10000.0}

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
AMOUNT_RE = re.compile(
    rf"(?<![\d.])(?P<number>{_ARABIC}|(?<![{CHINESE_NUMERAL_CHARS}])[{CHINESE_NUMERAL_CHARS}]+(?:万[{CHINESE_NUMERAL_CHARS}]+(?=元))?"
    rf"(?:点[{CHINESE_NUMERAL_CHARS}]+)?)"
    # A bare 万 is money unless a unit of measure follows it (10.5万亩, 3万株, 2万平方米, 1.2万吨 are no money).
    r"\s*(?P<unit>万元|亿元|万(?!\s*[分余多人户个件次家名亩吨株头只羽套册份台辆张条斤公平立千米尾箱本棵盏座处间块])"
    r"|亿(?![多])|元)"
)
# An amount after the yuan sign (￥7,202,988.00), with no unit after it: yuan.
YUAN_SIGN_RE = re.compile(rf"[￥¥]\s*(?P<number>{_ARABIC})(?![\d.]|\s*(?:万|亿|元))")
PERCENT_RE = re.compile(rf"(?<![\d.])(?P<number>{_ARABIC})\s*[%％]|百分之(?P<chinese>[{CHINESE_NUMERAL_CHARS}点]+)")


@dataclass(frozen=True)
class Quantity:
    """A number as written: its value, the decimals written (its precision) and the raw text."""

    value: float
    decimals: int
    raw: str
    start: int
    end: int
    is_percent: bool = False

    @property
    def half_width(self) -> float:
        """Half the rounding interval the written precision implies.

        A percentage is always rounded (100% stands for 99.5%..100.5%); an amount written as a whole
        number is taken as exact, since budgets are set in whole 万元.
        """
        if self.is_percent or self.decimals != 0:
            return 0.5 * 10 ** -self.decimals
        return 0.0


def chinese_to_int(text: str) -> int | None:
    """Convert a Chinese numeral (十二, 二〇二〇, 一百零五) to an int, or None."""
    if not text or len(text) > MAX_NUMERAL_CHARS:
        return None  # no figure in a report is written with this many numerals
    if any(ch not in CHINESE_DIGITS and ch not in CHINESE_UNITS and ch != "万" for ch in text):
        return None
    if all(ch in CHINESE_DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(CHINESE_DIGITS[ch]) for ch in text))  # digit by digit: 二〇二〇
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[ch]
        elif ch in CHINESE_UNITS:
            section += (1 if digit is None else digit) * CHINESE_UNITS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
    return total + section + (digit or 0)


def _number(text: str) -> tuple[float, int] | None:
    text = text.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        decimals = len(text.split(".")[1]) if "." in text else 0
        return float(text), decimals
    if "点" in text:
        whole, _, frac = text.partition("点")
        whole_value = chinese_to_int(whole)
        frac_digits = [CHINESE_DIGITS.get(ch) for ch in frac]
        if whole_value is None or None in frac_digits:
            return None
        return float(f"{whole_value}.{''.join(map(str, frac_digits))}"), len(frac_digits)
    value = chinese_to_int(text)
    return (float(value), 0) if value is not None else None


def find_amounts(text: str) -> list[tuple[Quantity, str]]:
    """Every amount with a money unit in text (or after the yuan sign), as (quantity in 万元, unit written)."""
    found = []
    matches = sorted([*AMOUNT_RE.finditer(text), *YUAN_SIGN_RE.finditer(text)], key=lambda match: match.start())
    for match in matches:
        parsed = _number(match.group("number"))
        if parsed is None:
            continue
        value, decimals = parsed
        unit = match.groupdict().get("unit") or "元"
        factor = UNIT_TO_WAN[unit]
        # Converting 元 to 万元 shifts the written precision four places.
        decimals_wan = decimals + (4 if factor < 1 else 0) - (4 if factor > 1 else 0)
        found.append((Quantity(round(value * factor, 10), decimals_wan, match.group(0),
                               match.start(), match.end()), unit))
    return found


def find_percents(text: str) -> list[Quantity]:
    """Every percentage in text, as a fraction (150.5% is 1.505) with its written precision."""
    found = []
    for match in PERCENT_RE.finditer(text):
        parsed = _number(match.group("number") or match.group("chinese"))
        if parsed is None:
            continue
        value, decimals = parsed
        found.append(Quantity(round(value / 100, 10), decimals + 2, match.group(0), match.start(), match.end(),
                              is_percent=True))
    return found


# A money row of a 自评表 flattened with its cells run together: 年度资金总额194.9194.9100% is
# 194.9 | 194.9 | 100%. The run is digits and dots ending in %, too long to be one percentage.
RUN_TOGETHER_RE = re.compile(r"(?<![\d.])(?P<run>\d[\d.]{4,40})\s*[%％]")
_CELL_NUMBER = re.compile(r"(?:0|[1-9]\d{0,9})(?:\.\d{1,2})?")
MONEY_COLUMN_WORDS = (r"年初预算", r"全年预算|调整后?预算", r"执行数")
HEADER_REACH = 200
_CELL_RATE = re.compile(r"(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?")


@dataclass(frozen=True)
class RunTogether:
    """Cells run together: the amounts read out of them (in the form's column order) and the rate."""

    raw: str
    start: int
    end: int
    amounts: tuple[Quantity, ...] | None  # None when no single reading satisfies the form's arithmetic
    rate: Quantity | None


def _quantity(text: str, start: int, is_percent: bool = False) -> Quantity:
    decimals = len(text.partition(".")[2])
    value = float(text) / (100 if is_percent else 1)
    return Quantity(round(value, 10), decimals + (2 if is_percent else 0), text, start, start + len(text), is_percent)


def _readings(run: str, cells: int):
    """Every way to cut `run` into `cells` amounts followed by a rate, each a well-formed number."""
    if cells == 0:
        if _CELL_RATE.fullmatch(run):
            yield (run,)
        return
    for cut in range(1, len(run)):
        head = run[:cut]
        if _CELL_NUMBER.fullmatch(head):
            for rest in _readings(run[cut:], cells - 1):
                yield (head,) + rest


def split_run_together(text: str) -> list[RunTogether]:
    """Runs of cells in text, each read as budget | spending | rate (or initial budget | budget | spending |
    rate) only where exactly one reading makes spending ÷ budget equal the rate, within its rounding."""
    found = []
    for match in RUN_TOGETHER_RE.finditer(text):
        run = match.group("run")
        if _CELL_RATE.fullmatch(run):
            continue  # one percentage, however long its decimals
        readings = set()
        # The form's header before the run says how many money columns it has (预算数 | 执行数, or
        # 年初预算数 | 全年预算数 | 全年执行数).
        header = text[max(0, match.start() - HEADER_REACH): match.start()]
        cells = 3 if sum(bool(re.search(word, header)) for word in MONEY_COLUMN_WORDS) >= 3 else 2
        for reading in _readings(run, cells):
            *amounts, rate_text = reading
            budget, spent, rate = float(amounts[-2]), float(amounts[-1]), float(rate_text) / 100
            half = 0.5 * 10 ** -(len(rate_text.partition(".")[2]) + 2)
            # A zero rate fits any tiny ratio: only readings with money spent can be told apart.
            if budget > 0 and spent > 0 and rate > 0 and abs(spent / budget - rate) <= half + 1e-9:
                readings.add(reading)
        start = match.start("run")
        if len(readings) == 1:
            *amounts, rate_text = readings.pop()
            quantities, offset = [], start
            for amount in amounts:
                quantities.append(_quantity(amount, offset))
                offset += len(amount)
            found.append(RunTogether(run, start, match.end(), tuple(quantities),
                                     _quantity(rate_text, offset, is_percent=True)))
        else:
            found.append(RunTogether(run, start, match.end(), None, None))
    return found
