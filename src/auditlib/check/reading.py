"""What several rules read off an extraction: whether the text is a whole report or part of one (absences are
not judged in an excerpt), and a line's words as the report writes them."""

from __future__ import annotations

from auditlib.extract import Extraction


def starts_mid_report(extraction: Extraction) -> bool:
    """The first heading is numbered past the first (（二）…, 三、…): the text starts inside a report."""
    sections = extraction.outline.sections
    return bool(sections) and sections[0].numbering.number > 1


def is_excerpt(extraction: Extraction) -> bool:
    """The text is part of a report: it starts inside one or stops mid-sentence."""
    return extraction.document.ends_mid_sentence or starts_mid_report(extraction)


def quote(extraction: Extraction, line: int) -> str:
    """The source line as the report writes it (the evidence a finding quotes)."""
    return extraction.document.raw_line(line).strip()
