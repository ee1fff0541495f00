"""Charts of the dashboards, computed here and drawn as inline SVG by the templates.

No JavaScript and no chart library: the geometry is worked out in Python (so that it can
be tested and printed), and ``templates/reports/charts/*.html`` writes it as SVG with a
title and a description for screen readers. Each chart sits next to the table of its
figures, which is what a reader who cannot see it (or prints in black and white) reads.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reports.tables import number_text

# Pixels between the centres of two labels of the time axis, so that "06/2023" never touch.
MIN_LABEL_GAP = 56
# Average advance of a character of the 14px sans-serif the stylesheet uses, to wrap labels.
CHAR_WIDTH = 7.4


def wrap(text: str, width: float, *, max_lines: int = 2) -> tuple[str, ...]:
    """``text`` in lines of at most ``width`` pixels, the last one shortened with an ellipsis."""
    limit = max(int(width // CHAR_WIDTH), 4)
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= limit or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])]
    return tuple(line if len(line) <= limit else line[: limit - 1] + "…" for line in lines)


# --------------------------------------------------------------------------- bars


@dataclass(frozen=True)
class Bar:
    label_lines: tuple[str, ...]
    label: str
    value: int
    value_text: str
    href: str
    y: float
    width: float
    label_y: float  # baseline of the first line of the label
    value_x: float
    value_y: float


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one per category, the value written at the end of each."""

    title: str
    description: str
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[Bar, ...]
    axis_x: int

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def bar_chart(
    *,
    title: str,
    description: str,
    items: Sequence[tuple[str, int, str]],
    width: int = 560,
    label_width: int = 190,
) -> BarChart:
    """Bars for ``items`` (label, value, link), the longest as wide as the chart allows.

    No scale is drawn: each bar carries its value, so the bars only compare.
    """
    row_height, bar_height, top, value_room = 40, 22, 8, 56
    plot = width - label_width - value_room
    top_value = max((value for _, value, _ in items), default=0) or 1
    bars = []
    for index, (label, value, href) in enumerate(items):
        y = top + index * row_height
        bar_width = round(plot * value / top_value, 1) if value else 0
        lines = wrap(label, label_width - 12)
        first_baseline = y + bar_height / 2 + 5 - (len(lines) - 1) * 8
        bars.append(
            Bar(
                label_lines=lines,
                label=label,
                value=value,
                value_text=number_text(value),
                href=href,
                y=y,
                width=bar_width,
                label_y=round(first_baseline, 1),
                value_x=label_width + bar_width + 6,
                value_y=y + bar_height / 2 + 5,
            )
        )
    return BarChart(
        title=title,
        description=description,
        width=width,
        height=top * 2 + len(items) * row_height - (row_height - bar_height),
        label_width=label_width,
        bar_height=bar_height,
        bars=tuple(bars),
        axis_x=label_width,
    )


# --------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    tooltip: str

    @property
    def corner(self) -> tuple[float, float]:
        """Top-left corner of a square marker of side 8 centred on the point."""
        return round(self.x - 4, 1), round(self.y - 4, 1)


@dataclass(frozen=True)
class Series:
    index: int  # picks the colour, dash and marker of the series
    label: str
    path: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    label_at: float  # where its label is written, across the axis


@dataclass(frozen=True)
class LineChart:
    """Shares (0–100%) over time, one line per series, on a fixed 0–100% scale."""

    title: str
    description: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    series: tuple[Series, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def line_chart(
    *,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], Sequence[str]]],
    width: int = 640,
    height: int = 280,
) -> LineChart:
    """Lines of ``series`` (label, shares between 0 and 1 or None for no figure, tooltips)
    over the points labelled ``x_labels``, evenly spaced.

    A point without a figure breaks its line rather than drawing it down to zero.
    """
    left, right, top, bottom = 52, width - 36, 14, height - 40
    count = len(x_labels)
    step = (right - left) / (count - 1) if count > 1 else 0

    def x_of(index: int) -> float:
        return round(left + index * step if count > 1 else (left + right) / 2, 1)

    def y_of(share: float) -> float:
        return round(bottom - (bottom - top) * share, 1)

    drawn = []
    for series_index, (label, shares, tooltips) in enumerate(series):
        points, segments, pen_down = [], [], False
        for index, share in enumerate(shares):
            if share is None:
                pen_down = False
                continue
            point = Point(x=x_of(index), y=y_of(share), tooltip=tooltips[index])
            points.append(point)
            segments.append(f"{'L' if pen_down else 'M'}{point.x} {point.y}")
            pen_down = True
        drawn.append(
            Series(index=series_index, label=label, path=" ".join(segments), points=tuple(points))
        )
    # At most about eight labels along the axis, and the last point (the day asked about)
    # always labelled: instead of the label before it when the two would touch.
    every = max(1, math.ceil(count / 8))
    shown = [index for index in range(count) if index % every == 0]
    if count and shown[-1] != count - 1:
        if (count - 1 - shown[-1]) * step < MIN_LABEL_GAP and len(shown) > 1:
            shown.pop()
        shown.append(count - 1)
    x_ticks = tuple(
        Tick(position=x_of(index), label=x_labels[index], label_at=bottom + 22) for index in shown
    )
    y_ticks = tuple(
        Tick(position=y_of(share), label=f"{round(share * 100)}%", label_at=y_of(share) + 4)
        for share in (0, 0.25, 0.5, 0.75, 1)
    )
    return LineChart(
        title=title,
        description=description,
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        series=tuple(drawn),
        x_ticks=x_ticks,
        y_ticks=y_ticks,
    )
