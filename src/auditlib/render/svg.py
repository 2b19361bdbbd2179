"""Bar charts as inline SVG whose labels stay text, so the reader's browser fonts draw the Chinese.

Small on purpose: horizontal bars, one or two series, optional reference lines. Every label is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

LABEL_WIDTH = 230
BAR_HEIGHT = 16
ROW_GAP = 10
PLOT_WIDTH = 420
RIGHT_MARGIN = 70
TOP = 34
FONT = "font-family=\"inherit\" font-size=\"12\""


@dataclass(frozen=True)
class Series:
    """One set of bars: a name for the legend, a colour, and a value per row (None: no bar)."""

    name: str
    color: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Reference:
    """A vertical line at a value, e.g. the 90% and 100% execution rates."""

    value: float
    label: str
    color: str = "#c0392b"


def _truncate(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(title: str, labels: list[str], series: list[Series], references: tuple[Reference, ...] = (),
              value_format: str = "{:g}", maximum: float | None = None) -> str:
    """A horizontal bar chart as an <svg> element (with a <title> for screen readers)."""
    values = [v for s in series for v in s.values if v is not None and math.isfinite(v)]
    top_value = max(values + [r.value for r in references] + [maximum or 0] + [1e-9])
    scale = PLOT_WIDTH / (top_value * 1.05)
    band = BAR_HEIGHT * len(series) + ROW_GAP
    height = TOP + band * len(labels) + 34
    width = LABEL_WIDTH + PLOT_WIDTH + RIGHT_MARGIN
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}"><title>{escape(title)}</title>',
             f'<text x="0" y="16" {FONT} font-weight="bold">{escape(title)}</text>']
    legend_x = LABEL_WIDTH
    for item in series:
        parts.append(f'<rect x="{legend_x}" y="22" width="10" height="10" fill="{item.color}"/>'
                     f'<text x="{legend_x + 14}" y="31" {FONT}>{escape(item.name)}</text>')
        legend_x += 24 + 13 * len(item.name)
    for row, label in enumerate(labels):
        y = TOP + 8 + row * band
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT * len(series) / 2 + 4}" text-anchor="end" '
                     f'{FONT}><title>{escape(label)}</title>{escape(_truncate(label))}</text>')
        for index, item in enumerate(series):
            value = item.values[row]
            if value is None or not math.isfinite(value):
                continue
            bar_y = y + index * BAR_HEIGHT
            bar_width = max(0.0, value * scale)
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{bar_width:.1f}" height="{BAR_HEIGHT - 3}" '
                         f'fill="{item.color}"/>'
                         f'<text x="{LABEL_WIDTH + bar_width + 4:.1f}" y="{bar_y + BAR_HEIGHT - 5}" {FONT}>'
                         f'{escape(value_format.format(value))}</text>')
    axis_y = TOP + band * len(labels) + 8
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="{TOP}" x2="{LABEL_WIDTH}" y2="{axis_y}" stroke="#555"/>')
    for reference in references:
        x = LABEL_WIDTH + reference.value * scale
        parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{axis_y}" stroke="{reference.color}" '
                     f'stroke-dasharray="4 3"/><text x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle" {FONT} '
                     f'fill="{reference.color}">{escape(reference.label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
