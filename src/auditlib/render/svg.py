"""Bar charts as inline SVG whose labels stay text, so the reader's browser fonts draw the Chinese.

Small on purpose: horizontal bars, one or more series, optional reference lines. Every label is escaped and
shown whole (wrapped over several lines, never cut); a series with no value draws no legend entry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

LABEL_WIDTH = 230
LABEL_CHARS = 15  # Chinese characters per label line at 12px in LABEL_WIDTH
LINE_HEIGHT = 14
BAR_HEIGHT = 16
ROW_GAP = 10
PLOT_WIDTH = 420
RIGHT_MARGIN = 80
TOP = 34
FONT = "font-family=\"inherit\" font-size=\"12\""


@dataclass(frozen=True)
class Series:
    """One set of bars: a name for the legend, a colour, and a value per row (None: no bar).

    colors, when given, colours each bar on its own (a bar a finding was raised on, say)."""

    name: str
    color: str
    values: tuple[float | None, ...]
    colors: tuple[str | None, ...] = ()

    def color_of(self, row: int) -> str:
        """The colour of one bar."""
        return (self.colors[row] if row < len(self.colors) else None) or self.color


@dataclass(frozen=True)
class Reference:
    """A vertical line at a value, e.g. the 90% and 100% execution rates."""

    value: float
    label: str
    color: str = "#c0392b"


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def wrap(text: str, limit: int = LABEL_CHARS) -> list[str]:
    """A label split into lines of at most `limit` characters, nothing dropped."""
    return [text[start:start + limit] for start in range(0, len(text), limit)] or [""]


def bar_chart(title: str, labels: list[str], series: list[Series], references: tuple[Reference, ...] = (),
              value_format: str = "{:g}", maximum: float | None = None) -> str:
    """A horizontal bar chart as an <svg> element (with a <title> for screen readers)."""
    shown = [item for item in series if any(_finite(v) for v in item.values)]
    values = [v for s in shown for v in s.values if _finite(v)]
    top_value = max(values + [r.value for r in references] + [maximum or 0] + [1e-9])
    scale = PLOT_WIDTH / (top_value * 1.05)
    wrapped = [wrap(label) for label in labels]
    bars = BAR_HEIGHT * max(1, len(shown))
    bands = [max(bars, LINE_HEIGHT * len(lines)) + ROW_GAP for lines in wrapped]
    plot_height = sum(bands)
    height = TOP + plot_height + 34 + LINE_HEIGHT * (len(references) > 1)
    width = LABEL_WIDTH + PLOT_WIDTH + RIGHT_MARGIN
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}"><title>{escape(title)}</title>',
             f'<text x="0" y="16" {FONT} font-weight="bold">{escape(title)}</text>']
    legend_x = LABEL_WIDTH
    for item in shown:
        parts.append(f'<rect x="{legend_x}" y="22" width="10" height="10" fill="{item.color}"/>'
                     f'<text x="{legend_x + 14}" y="31" {FONT}>{escape(item.name)}</text>')
        legend_x += 24 + 13 * len(item.name)
    y = TOP + 8
    for row, lines in enumerate(wrapped):
        band = bands[row] - ROW_GAP
        first_line = y + (band - LINE_HEIGHT * len(lines)) / 2 + LINE_HEIGHT - 3
        spans = "".join(f'<tspan x="{LABEL_WIDTH - 6}" y="{first_line + index * LINE_HEIGHT:.1f}">{escape(text)}</tspan>'
                        for index, text in enumerate(lines))
        parts.append(f'<text text-anchor="end" {FONT}>{spans}</text>')
        bar_top = y + (band - bars) / 2
        for index, item in enumerate(shown):
            value = item.values[row]
            if not _finite(value):
                continue
            bar_y = bar_top + index * BAR_HEIGHT
            bar_width = max(0.0, value * scale)
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{bar_y:.1f}" width="{bar_width:.1f}" height="{BAR_HEIGHT - 3}" '
                         f'fill="{item.color_of(row)}"/>'
                         f'<text x="{LABEL_WIDTH + bar_width + 4:.1f}" y="{bar_y + BAR_HEIGHT - 5:.1f}" {FONT}>'
                         f'{escape(value_format.format(value))}</text>')
        y += bands[row]
    axis_y = TOP + plot_height + 8
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="{TOP}" x2="{LABEL_WIDTH}" y2="{axis_y}" stroke="#555"/>')
    for index, reference in enumerate(references):
        x = LABEL_WIDTH + reference.value * scale
        label_y = axis_y + 14 + LINE_HEIGHT * (index % 2)  # neighbouring lines' labels on two rows, never overlapping
        parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{axis_y}" stroke="{reference.color}" '
                     f'stroke-dasharray="4 3"/><text x="{x:.1f}" y="{label_y}" text-anchor="middle" {FONT} '
                     f'fill="{reference.color}">{escape(reference.label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
