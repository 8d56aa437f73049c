"""Charts drawn on the server as inline SVG: nothing to download, readable without
JavaScript, and described for screen readers (``role="img"`` with ``<title>``/``<desc>``;
each page also shows the numbers as a table)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from markupsafe import Markup, escape

# Colour-blind-safe series colours (Okabe-Ito), in order.
SERIES_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")
_ids = itertools.count(1)


def _header(width: int, height: int, title: str, desc: str) -> tuple[str, str]:
    n = next(_ids)
    head = (
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" '
        f'aria-labelledby="chart{n}-t chart{n}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart{n}-t">{escape(title)}</title><desc id="chart{n}-d">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def _scale_ticks(top: int) -> list[int]:
    """Three or four round values from 0 to at least ``top``."""
    top = max(top, 1)
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        step = candidate
        if top / candidate <= 4:
            break
    else:
        while top / step > 4:
            step *= 10
    return list(range(0, top + step, step)) if top % step else list(range(0, top + 1, step))


def grouped_bars(
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    title: str,
    desc: str,
    height: int = 260,
) -> Markup:
    """Vertical bars: one group per label (e.g. a year), one bar per series in each."""
    left, bottom, top_pad = 44, 34, 12
    per_group = max(1, len(series))
    bar = max(4, min(28, 560 // max(1, len(groups) * per_group)))
    gap = max(6, bar // 2)
    width = left + len(groups) * (per_group * bar + gap) + gap + 10
    width = max(width, 320)
    peak = max((v for _, values in series for v in values), default=0)
    ticks = _scale_ticks(peak)
    scale = (height - bottom - top_pad) / ticks[-1]
    base = height - bottom
    head, tail = _header(width, height + (18 if len(series) > 1 else 0), title, desc)
    parts = [head]
    for tick in ticks:
        y = base - tick * scale
        parts.append(
            f'<line x1="{left}" x2="{width - 6}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{tick}</text>'
        )
    for g, label in enumerate(groups):
        x0 = left + gap + g * (per_group * bar + gap)
        for s, (name, values) in enumerate(series):
            value = values[g]
            if value <= 0:
                continue
            h = value * scale
            colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
            parts.append(
                f'<rect class="bar" x="{x0 + s * bar}" y="{base - h:.1f}" width="{bar - 1}" '
                f'height="{h:.1f}" fill="{colour}"><title>{escape(name)}, {escape(label)}: '
                f"{value}</title></rect>"
            )
        centre = x0 + per_group * bar / 2
        parts.append(
            f'<text x="{centre:.1f}" y="{base + 16}" text-anchor="middle" class="tick">'
            f"{escape(label)}</text>"
        )
    if len(series) > 1:
        x = left
        for s, (name, _) in enumerate(series):
            colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
            parts.append(
                f'<rect x="{x}" y="{height + 2}" width="12" height="12" fill="{colour}"/>'
                f'<text x="{x + 16}" y="{height + 12}" class="legend">{escape(name)}</text>'
            )
            x += 24 + 8 * len(name)
    parts.append(tail)
    return Markup("".join(parts))


def stacked_shares(
    rows: Sequence[tuple[str, Sequence[int], bool]],
    kinds: Sequence[tuple[str, str]],
    title: str,
    desc: str,
) -> Markup:
    """Horizontal bars of equal length, each split by the shares of ``kinds`` (name, colour);
    a row whose third value is true has its label in bold (a top category)."""
    label_width, bar_width, row_height = 260, 420, 22
    width = label_width + bar_width + 70
    height = len(rows) * row_height + 30
    head, tail = _header(width, height, title, desc)
    parts = [head]
    for r, (label, counts, strong) in enumerate(rows):
        y = r * row_height + 4
        total = sum(counts)
        css = "tick strong" if strong else "tick"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 14}" text-anchor="end" class="{css}">'
            f"{escape(label)}</text>"
        )
        x = float(label_width)
        for (name, colour), count in zip(kinds, counts, strict=True):
            if count <= 0 or total == 0:
                continue
            w = bar_width * count / total
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_height - 6}" '
                f'fill="{colour}"><title>{escape(label)}: {count} {escape(name)} '
                f"({100 * count / total:.0f}%)</title></rect>"
            )
            x += w
        parts.append(
            f'<text x="{label_width + bar_width + 6}" y="{y + 14}" class="tick">{total}</text>'
        )
    x = label_width
    legend_y = len(rows) * row_height + 12
    for name, colour in kinds:
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="{legend_y + 10}" class="legend">{escape(name)}</text>'
        )
        x += 40 + 8 * len(name)
    parts.append(tail)
    return Markup("".join(parts))
