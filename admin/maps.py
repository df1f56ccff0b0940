"""Choropleth maps drawn on the server as inline SVG, like admin/charts.py: no script, no tiles, no inline style,
nothing fetched from elsewhere. Shapes come from casework.reference.geometry (already projected and simplified),
numbers and classes from casework.reports.map_layers.

An <svg role="img"> with a <title> (role="group" when its regions are links: see choropleth); each region a <path>
with its own <title> (name and value), inside an <a> when it links somewhere (its filtered case list, or a
province's own map); a scale bar in the map's own units; "no data" hatched, never a colour of the scale. The legend
is HTML beside it (readable at any width)."""
from __future__ import annotations

import math
from collections.abc import Callable

from markupsafe import Markup, escape

from casework.reference.geometry import Geometry, Shape
from casework.reports.map_layers import NO_DATA, MapClass, MapLayer

STROKE = "#495057"  # region outlines: 3:1 and more against the page and the lightest fills
INK = "#212529"
HATCH = "#868e96"


def _pattern(pattern_id: str, size: float) -> str:
    """The "no data" fill: grey diagonal hatching on white."""
    return (f'<pattern id="{pattern_id}" width="{size:.1f}" height="{size:.1f}" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="{size:.1f}" height="{size:.1f}" fill="#ffffff"/>'
            f'<line x1="0" y1="0" x2="0" y2="{size:.1f}" stroke="{HATCH}" stroke-width="{size / 3:.1f}"/>'
            f'</pattern>')


def _fill(klass: MapClass, pattern_id: str) -> str:
    return f"url(#{pattern_id})" if klass.color == NO_DATA else klass.color


def _nice_km(limit: float) -> int:
    """The largest 1, 2 or 5 × 10^n km not over `limit`."""
    if limit < 1:
        return 1
    power = 10 ** math.floor(math.log10(limit))
    return max(step * power for step in (1, 2, 5) if step * power <= limit)


def scale_bar(x: float, y: float, width: float, km_per_unit: float, font: float) -> str:
    """A bar of a round number of kilometres, about a fifth of the map's width, with its length written."""
    km = _nice_km(width * km_per_unit / 5)
    length = km / km_per_unit
    tick = font * 0.5
    return (f'<g class="scale-bar" data-km="{km}">'
            f'<path d="M{x:.0f} {y - tick:.0f}V{y:.0f}H{x + length:.0f}V{y - tick:.0f}" fill="none" stroke="{INK}" '
            f'stroke-width="1.5" vector-effect="non-scaling-stroke"/>'
            f'<text x="{x + length + font * 0.4:.0f}" y="{y:.0f}" font-size="{font:.0f}" fill="{INK}">{km} km</text>'
            f'</g>')


def choropleth(shapes: list[Shape], layer: MapLayer, *, title: str, map_id: str, km_per_unit: float,
               href: Callable[[str], str | None], unit: str = "") -> Markup:
    """The map of `shapes`, each filled by its class in `layer` and linked to href(code) (None: no link)."""
    x, y, w, h = Geometry.box_of(shapes)
    pad = max(w, h) * 0.02
    font = max(w, h * 1.2) / 48  # a share of the drawn width: readable on a phone, not shouting on a PC
    bottom = font * 2.2  # room for the scale bar under the land
    box = (x - pad, y - pad, w + 2 * pad, h + 2 * pad + bottom)
    pattern_id = f"{map_id}-nodata"
    body = [f'<defs>{_pattern(pattern_id, max(w, h) / 120)}</defs>']
    for shape in shapes:
        region = layer.regions.get(shape.code)
        if region is None:
            continue
        tip = f"{region.name}: {region.text}" + (f" {unit}" if unit and region.value is not None else "") \
            + (f" — {region.detail}" if region.detail else "")
        path = (f'<path d="{shape.d}" fill="{_fill(region.klass, pattern_id)}" fill-rule="evenodd" '
                f'stroke="{STROKE}" stroke-width="0.6" vector-effect="non-scaling-stroke" '
                f'class="region" data-code="{shape.code}" data-class="{region.klass.key}"/>')
        link = href(shape.code)
        if link:
            body.append(f'<a href="{escape(link)}" data-code="{shape.code}"><title>{escape(tip)}</title>{path}</a>')
        else:
            body.append(f'<g data-code="{shape.code}"><title>{escape(tip)}</title>{path}</g>')
    body.append(scale_bar(box[0] + pad, box[1] + box[3] - font * 0.6, w, km_per_unit, font))
    view = " ".join(f"{v:.0f}" for v in box)
    # role="img" makes its content presentational: links inside it would be hidden from screen readers (axe:
    # nested-interactive). A map of links is a named group; a map without any stays one image.
    role = "group" if any(b.startswith("<a ") for b in body) else "img"
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="netra-map" id="{escape(map_id)}" role="{role}" '
        f'aria-label="{escape(title)}" viewBox="{view}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, Arial, sans-serif">'
        f'<title>{escape(title)}</title>{"".join(body)}</svg>')


def legend(layer: MapLayer, *, map_id: str, heading: str) -> Markup:
    """The classes as a list of swatches with their labels, the unit and what is counted."""
    items = []
    for i, klass in enumerate(layer.classes):
        pattern_id = f"{map_id}-key-{i}"
        defs = f"<defs>{_pattern(pattern_id, 4)}</defs>" if klass.color == NO_DATA else ""
        items.append(f'<li data-class="{escape(klass.key)}"><svg width="18" height="14" aria-hidden="true">{defs}'
                     f'<rect x="0.5" y="0.5" width="17" height="13" fill="{_fill(klass, pattern_id)}" '
                     f'stroke="{STROKE}"/></svg> {escape(klass.label)}</li>')
    return Markup(f'<div class="map-legend" id="{escape(map_id)}-legend"><p class="map-legend-title">'
                  f'{escape(heading)} <span class="map-unit">({escape(layer.unit)})</span></p>'
                  f'<ul>{"".join(items)}</ul><p class="map-note">{escape(layer.note)}</p></div>')
