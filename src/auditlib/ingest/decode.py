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


def _utf16_plausible(data: bytes, encoding: str) -> str | None:
    """Decode UTF-16 with no BOM when the text it gives is mostly Chinese (CJK text has few NUL bytes)."""
    if len(data) < 4 or len(data) % 2:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if text.count("\n") and _looks_chinese(text) and len(_CJK.findall(text)) > len(text) * 0.3 else None


def decode_report(data: bytes, path: str = "") -> tuple[str, str]:
    """Return (text, encoding name) for UTF-8 (with or without BOM), UTF-16 or GB18030/GBK bytes."""
    where = f" ({path})" if path else ""
    if not data.strip():
        raise UnreadableReport(f"报告文件为空{where}: the file has no text to read. "
                               "请提供完整的报告 / give the complete report file.")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            # A UTF-8 mark before GBK bytes: an editor added the mark and kept the old bytes. Read the bytes.
            data = data[len(codecs.BOM_UTF8):]
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
        try:
            text = data.decode("gb18030")
            if _looks_chinese(text):
                return text, "gb18030"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _utf16_plausible(data, encoding)
        if text is not None:
            return text, encoding
    raise UnreadableReport(
        f"无法识别报告的文字编码{where}: the bytes are not UTF-8, UTF-16 or GB18030/GBK text "
        "(is it a binary file under a report's name?). "
        "请将报告另存为 UTF-8 文本，或提供 .docx/.pdf/.xlsx/.html 原件 / save it as UTF-8 text, or give the original file."
    )
