"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, nothing to download (offices may be offline,
and the CSP allows no inline scripts). Horizontal bars, each with its label above it (labels can be long:
violation types, agency names) and its number at its end; the overdue part of a bar in the warning colour.
Every chart is an <svg role="img"> with a <title>, and each bar carries its own <title> for a tooltip."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

BAR = "#2f6fad"  # counts
WARN = "#d9480f"  # overdue, everywhere on the dashboard
MET = "#2b8a3e"
MISSED = "#a61e4d"
PENDING = "#adb5bd"
INK = "#212529"
MUTED = "#6c757d"

WIDTH = 640
LABEL_H = 16  # the label line above a bar
BAR_H = 16
GAP = 10
ROW_H = LABEL_H + BAR_H + GAP
CHAR_W = 7.2  # rough width of a 13px character, to leave room for the text at a bar's end
VALUE_CHAR_W = 8.4  # the same in the bold number at a bar's end ("100% tepat waktu (5 dari 5)" must fit whole)
LABEL_CHARS = int(WIDTH / 8) - 2  # longer labels are shortened (the full label stays in the tooltip); 8 px a
# character with room to spare: wide letters (m, w, capitals) must not push a label past the chart's edge


@dataclass(frozen=True)
class Segment:
    value: float
    color: str
    name: str  # for the tooltip and the legend


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"


def _svg(title: str, height: int, body: list[str], chart_id: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="netra-chart" id="{escape(chart_id)}" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, '
        f'\'Helvetica Neue\', Arial, sans-serif" font-size="13">'
        f'<title>{escape(title)}</title>{"".join(body)}</svg>')


def stacked_bars(rows: Sequence[tuple[str, Sequence[Segment], str]], *, title: str, chart_id: str,
                 empty: str, scale: float | None = None) -> Markup:
    """One bar per row: (label, segments, text shown at the bar's end). Bars share one scale (the largest total,
    or `scale`), so their lengths compare."""
    if not rows:
        return _svg(title, 24, [f'<text x="0" y="16" fill="{MUTED}">{escape(empty)}</text>'], chart_id)
    top = scale or max((sum(s.value for s in segs) for _l, segs, _t in rows), default=0) or 1
    room = WIDTH - min(WIDTH / 2, 12 + VALUE_CHAR_W * max(len(t) for _l, _s, t in rows))
    body = []
    for i, (label, segments, value_text) in enumerate(rows):
        y = i * ROW_H
        tip = f"{label}: {value_text}"
        body.append(f'<g class="bar"><title>{escape(tip)}</title>'
                    f'<text x="0" y="{y + 12}" fill="{INK}">{escape(_shorten(label))}</text>')
        x = 0.0
        for seg in segments:
            w = room * seg.value / top
            if w > 0:
                body.append(f'<rect x="{x:.1f}" y="{y + LABEL_H}" width="{max(w, 2):.1f}" height="{BAR_H}" '
                            f'fill="{seg.color}" data-part="{escape(seg.name)}"/>')
            x += w
        body.append(f'<text x="{x + 6:.1f}" y="{y + LABEL_H + 12}" fill="{INK}" font-weight="600" '
                    f'class="value">{escape(value_text)}</text></g>')
    return _svg(title, len(rows) * ROW_H, body, chart_id)


def bar_chart(bars, *, title: str, chart_id: str, empty: str, overdue_word: str = "", color: str = BAR,
              fmt: Callable[[float], str] = _num) -> Markup:
    """Bars from objects with .label, .value and .overdue. With `overdue_word`, the overdue part is drawn in the
    warning colour at the bar's end and written after the number ("9 · 2 terlambat"); without, each bar is one
    colour (`color`: WARN for charts that count only overdue things)."""
    rows = []
    for bar in bars:
        late = getattr(bar, "overdue", 0) or 0
        text = fmt(bar.value)
        if late and overdue_word:
            text += f" · {late} {overdue_word}"
        segments = [Segment(bar.value - late, color, "count"), Segment(late, WARN, "overdue")] if overdue_word \
            else [Segment(bar.value, color, "count")]
        rows.append((bar.label, segments, text))
    return stacked_bars(rows, title=title, chart_id=chart_id, empty=empty)


def legend(items: Sequence[tuple[str, str]]) -> Markup:
    """A colour key under a chart: (colour, name) pairs, as small inline SVG swatches."""
    parts = [f'<span class="mr-3 text-nowrap"><svg width="12" height="12" aria-hidden="true">'
             f'<rect width="12" height="12" fill="{color}"/></svg> {escape(name)}</span>' for color, name in items]
    return Markup(f'<div class="small text-muted chart-legend">{"".join(parts)}</div>')


HEAT_STEPS = 9


def heat(value: int, top: int, kind: str) -> str:
    """The class of a heat-table cell ("heat-bar-1" … "heat-bar-9", "heat-warn-…"): the larger the value against the
    largest, the stronger the colour. Classes, not inline styles: the desk's CSP allows no inline style; their
    colours come from heat_css (served at /dasbor/heat.css)."""
    if not value or not top:
        return ""
    return f"heat-{kind}-{max(1, min(HEAT_STEPS, round(HEAT_STEPS * value / top)))}"


def heat_css() -> str:
    """One rule per heat class: from a pale tint to a mid tint, dark ink throughout."""
    rules = []
    for kind, rgb in (("bar", BAR_RGB), ("warn", WARN_RGB)):
        for step in range(1, HEAT_STEPS + 1):
            # up to a mid tint: dark ink on it keeps a 4.5:1 contrast (white ink on the full colour would not)
            alpha = 0.10 + 0.50 * step / HEAT_STEPS
            rules.append(f".heat-{kind}-{step} {{ background-color: rgba({rgb[0]}, {rgb[1]}, {rgb[2]}, {alpha:.2f}); "
                         f"color: {INK}; }}")
    return "\n".join(rules) + "\n"


BAR_RGB = (47, 111, 173)
WARN_RGB = (217, 72, 15)
