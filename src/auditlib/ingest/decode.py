"""Turn a report's bytes into text, detecting the encoding from the bytes themselves."""

from __future__ import annotations

import codecs
import re

from auditlib.errors import UnreadableReport

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _utf16_without_bom(data: bytes) -> str | None:
    """Name the UTF-16 byte order when every other byte is mostly NUL (ASCII-heavy UTF-16)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0) / (len(data) / 2)
    odd_nuls = data[1::2].count(0) / (len(data) / 2)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _looks_chinese(text: str) -> bool:
    """A plausible decoding of a Chinese report: most non-ASCII characters are CJK or CJK punctuation."""
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return True
    cjk = sum(1 for ch in non_ascii if _CJK.match(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
              or ch in "“”‘’…—·")
    return cjk / len(non_ascii) > 0.8


# The common characters of Chinese: GB2312's first level (lead bytes B0–D7, the 3,755 most used simplified
# characters) and Big5's frequent characters (lead bytes A4–C6, 5,401 traditional ones). A real report, in
# either script, writes nearly all its characters from these; the bytes of another encoding (Shift-JIS,
# EUC-KR) read as GBK or Big5 land mostly outside.
COMMON_RANGES = (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6))
MIN_COMMON_SHARE = 0.85
MIN_CHARACTERS_TO_JUDGE = 12
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")


def _is_common(ch: str) -> bool:
    for codec, low, high in COMMON_RANGES:
        try:
            if low <= ch.encode(codec)[0] <= high:
                return True
        except UnicodeEncodeError:
            pass
    return False


def _common_share(text: str) -> float:
    """The share of the text's CJK characters (at most the first 20,000) that are common Chinese ones."""
    characters = _CJK.findall(text[:200_000])[:20_000]
    if len(characters) < MIN_CHARACTERS_TO_JUDGE:
        return 1.0
    return sum(map(_is_common, characters)) / len(characters)


def _legacy_chinese(data: bytes) -> tuple[str, str] | None:
    """GB18030/GBK text, or Big5 (traditional) text, when its characters are the common ones of that encoding."""
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_chinese(text) and _common_share(text) >= MIN_COMMON_SHARE:
            return text, encoding
    return None


def _not_chinese(data: bytes, where: str) -> UnreadableReport:
    """The message for bytes that decode, but not to Chinese: say what they look like."""
    for encoding, language in (("shift_jis", "日文 Shift-JIS / Japanese"), ("euc-kr", "韩文 EUC-KR / Korean")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "shift_jis" and not _KANA.search(text):
            continue
        return UnreadableReport(
            f"报告不是中文编码的文字{where}: the bytes read as {language} text, and as GBK/GB18030 they give rare "
            "characters (mojibake). 请确认文件，或在原程序中另存为 UTF-8 / check the file, or save it as UTF-8.")
    return UnreadableReport(
        f"无法确定报告的文字编码{where}: read as GBK/GB18030 or Big5 the text is mostly rare characters "
        "(mojibake), so it is in another encoding. 请将报告另存为 UTF-8 文本，或提供 .docx/.pdf 原件 / save it as "
        "UTF-8 text, or give the original file.")


def _utf16_plausible(data: bytes, encoding: str) -> str | None:
    """Decode UTF-16 with no BOM when the text it gives is mostly Chinese (CJK text has few NUL bytes)."""
    if len(data) < 4 or len(data) % 2:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if text.count("\n") and _looks_chinese(text) and len(_CJK.findall(text)) > len(text) * 0.3 else None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def decode_report(data: bytes, path: str = "") -> tuple[str, str]:
    """Return (text, encoding name) for UTF-8 (with or without BOM), UTF-16 or GB18030/GBK bytes."""
    where = f" ({path})" if path else ""
    if not data.strip():
        raise UnreadableReport(f"报告文件为空{where}: the file has no text to read. "
                               "请提供完整的报告 / give the complete report file.")
    bom_before_legacy = False
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            # A UTF-8 mark before GBK bytes: an editor added the mark and kept the old bytes. Read the bytes,
            # and say so in the encoding the memo shows.
            data = data[len(codecs.BOM_UTF8):]
            bom_before_legacy = True
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise UnreadableReport(
                f"UTF-16 文本不完整{where}: the file is cut off or damaged at byte {error.start}. "
                "请重新保存或索取完整文件 / re-save it, or ask for a complete copy.") from error
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        legacy = _legacy_chinese(data)
        if legacy:
            text, encoding = legacy
            return text, (f"{encoding}（文件开头的 UTF-8 标记与内容不符，按 {encoding.upper()} 读取）" if bom_before_legacy
                          else encoding)
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _utf16_plausible(data, encoding)
        if text is not None:
            return text, encoding
    if b"\x00" not in data and _decodes(data, "gb18030"):
        raise _not_chinese(data, where)
    raise UnreadableReport(
        f"无法识别报告的文字编码{where}: the bytes are not UTF-8, UTF-16 or GB18030/GBK text "
        "(is it a binary file under a report's name?). "
        "请将报告另存为 UTF-8 文本，或提供 .docx/.pdf/.xlsx/.html 原件 / save it as UTF-8 text, or give the original file."
    )
