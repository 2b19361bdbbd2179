"""The plain data that ingest hands to the rest of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field


CUT_PARAGRAPH_CHARS = 30


@dataclass(frozen=True)
class Source:
    """Where a report came from and how its bytes were read."""

    path: str
    sha256: str
    encoding: str
    format: str
    size: int


@dataclass(frozen=True)
class Block:
    """What a reader yields: a piece of text and where in the file it came from (page, table row, cell)."""

    text: str
    location: str = ""  # e.g. 第3页, 表1第2行, 工作表「自评表」第5行; empty for plain text (the line says it)


# What a reader returns: the file's blocks of text and the encoding (or "utf-8" for a binary format), and
# optionally the format when one reader reads several (an OLE2 file is a .doc or an .xls).
ReadResult = tuple[list[Block], str] | tuple[list[Block], str, str]


@dataclass(frozen=True)
class Line:
    """One logical line of normalised text, with the source lines it was made from."""

    text: str
    source_lines: tuple[int, ...]
    raw: str
    cell: bool = False  # the source line began with a tab: a cell of a flattened table
    offsets: tuple[int, ...] = (0,)  # where each source line's text starts within `text`

    @property
    def line(self) -> int:
        """The 1-based source line number where this logical line starts."""
        return self.source_lines[0]

    def line_at(self, offset: int) -> int:
        """The source line number holding the character at `offset` of `text`."""
        number = self.source_lines[0]
        for source_line, start in zip(self.source_lines, self.offsets):
            if offset >= start:
                number = source_line
        return number


@dataclass(frozen=True)
class Artifact:
    """Residue of a conversion that normalisation removed or repaired (kept as evidence)."""

    # bookmark | pinyin | page_number | split_number | split_paragraph | shared_page | markdown | lost_characters
    kind: str
    line: int
    text: str


@dataclass
class Document:
    """A report read and normalised: logical lines plus everything needed to quote the source."""

    source: Source
    lines: list[Line]
    raw_lines: list[str]
    artifacts: list[Artifact] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)  # per raw line: page, table row or cell it came from
    script: str = "simplified"  # the script the report was written in; lines are always simplified

    @property
    def text(self) -> str:
        """The normalised text, one logical line per line."""
        return "\n".join(line.text for line in self.lines)

    @property
    def ends_mid_sentence(self) -> bool:
        """The text stops inside a paragraph of prose: an excerpt or a file cut short, whose missing parts
        cannot be judged."""
        last = next((line for line in reversed(self.lines) if line.text), None)
        if not last or last.cell or "\t" in last.text or last.text.count("|") >= 2:
            return False
        # Cut inside a word or after a comma; a line ending in a figure is a field (填报日期：2023…) or a date.
        end = last.text[-1]
        cut = "\u4e00" <= end <= "\u9fff" or end in "，,、“（("
        return cut and (len(last.text) > CUT_PARAGRAPH_CHARS or any(mark in last.text for mark in "，,、"))

    def raw_line(self, number: int) -> str:
        """The source line as written (1-based), for quoting evidence."""
        return self.raw_lines[number - 1] if 0 < number <= len(self.raw_lines) else ""

    def location(self, number: int) -> str:
        """Where the source line (1-based) stands in the original file: its page, table row or cell ('' for text)."""
        return self.locations[number - 1] if 0 < number <= len(self.locations) else ""
