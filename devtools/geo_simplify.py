"""Make casework/reference/geo/shapes.json — the maps' boundaries, ready for SVG — from the upstream GeoJSON
(see casework/reference/geo/README.md for where it comes from):

    .venv/bin/python -m devtools.geo_simplify [--source ../shared/data/geo] [--out casework/reference/geo/shapes.json]

What it does, in pure Python (no GIS library):
1. gives every polygon its Kemendagri code: provinces and regencies by normalised name against
   casework/reference/wilayah/*.csv, the spelling variants from casework/reference/geo/names.toml; it stops if a
   polygon matches nothing, two polygons match one code, or a table entry no longer fits the code list;
2. projects lon/lat to a plate carrée grid of GRID degrees (Indonesia straddles the equator: at 11° S a degree
   of longitude is 2 % shorter than at 0°, well below what a choropleth shows), y pointing down;
3. simplifies each ring with Douglas-Peucker at a tolerance of about one screen pixel of the map it is drawn on
   (the national map for provinces, its province's map for a regency), drops islands smaller than two pixels
   (but keeps a region's largest ring, so every region is drawn), and rounds to whole grid units;
4. writes each region as SVG path data (absolute start, then relative integer steps) with its bounding box.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import tomllib
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WILAYAH = ROOT / "casework" / "reference" / "wilayah"
GEO = ROOT / "casework" / "reference" / "geo"
GRID = 0.001  # degrees per unit (about 111 m)
ORIGIN = (94.5, 6.5)  # lon, lat of unit (0, 0): north-west of Sabang
KM_PER_UNIT = round(GRID * 111.32, 5)  # along the equator
SCREEN_PX = 900  # the width a map is drawn for; the tolerance is its extent / SCREEN_PX


def normalise(name: str) -> tuple[str, str]:
    """("kota" | "kab", the name without "Kabupaten"/"Kota", lower-case, letters and digits only)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().strip().lower()
    kind = "kota" if text.startswith("kota ") else "kab"
    text = re.sub(r"^(kabupaten|kab\.|kota)\s+", "", text)
    return kind, re.sub(r"[^a-z0-9]", "", text)


def _read(name: str) -> list[dict[str, str]]:
    with open(WILAYAH / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _rings(geometry: dict) -> list[list[tuple[float, float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [[(float(x), float(y)) for x, y, *_ in ring] for polygon in polygons for ring in polygon]


def match(provinces_geo: dict, regencies_geo: dict, names: dict) -> tuple[dict, dict]:
    """{province code: rings}, {regency code: rings}, every feature placed exactly once."""
    provinces = {r["id"]: r["name"] for r in _read("provinces.csv")}
    regencies = {r["id"]: r for r in _read("regencies.csv")}
    problems = []
    province_by_name = {normalise(name)[1]: code for code, name in provinces.items()}
    for alias, entry in names.get("provinces", {}).items():
        if provinces.get(entry["code"]) != entry["kemendagri"]:
            problems.append(f"names.toml: province {entry['code']} is not {entry['kemendagri']!r}")
        province_by_name[normalise(alias)[1]] = entry["code"]
    regency_by_key = {(r["province_id"], *normalise(r["name"])): code for code, r in regencies.items()}
    variants = names.get("regencies", {})
    for alias, entry in variants.items():
        if regencies.get(entry["code"], {}).get("name", "").strip() != entry["kemendagri"]:
            problems.append(f"names.toml: regency {entry['code']} is not {entry['kemendagri']!r}")

    def place(kind: str, name: str, code: str | None, store: dict) -> None:
        if code is None:
            problems.append(f"{kind} {name!r}: no Kemendagri code")
        elif code in store:
            problems.append(f"{kind} {name!r}: code {code} already has a polygon")
        else:
            store[code] = rings

    by_province: dict[str, list] = {}
    for feature in provinces_geo["features"]:
        name = feature["properties"]["PROVINSI"]
        rings = _rings(feature["geometry"])
        place("province", name, province_by_name.get(normalise(name)[1]), by_province)
    by_regency: dict[str, list] = {}
    for feature in regencies_geo["features"]:
        props = feature["properties"]
        label = f"{props['WADMPR']} / {props['WADMKK'].strip()}"
        rings = _rings(feature["geometry"])
        province = province_by_name.get(normalise(props["WADMPR"])[1])
        code = variants[label]["code"] if label in variants \
            else regency_by_key.get((province, *normalise(props["WADMKK"])))
        place("regency", label, code, by_regency)
    if problems:
        raise SystemExit("\n".join(problems))
    return by_province, by_regency


def project(ring):
    return [((lon - ORIGIN[0]) / GRID, (ORIGIN[1] - lat) / GRID) for lon, lat in ring]


def douglas_peucker(points, tolerance: float):
    """The points of an open polyline kept by Douglas-Peucker (iterative: rings have thousands of points)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        far, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            dist = abs(dy * (px - ax) - dx * (py - ay)) / length if length else math.hypot(px - ax, py - ay)
            if dist > far:
                far, index = dist, i
        if index is not None and far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring, tolerance: float):
    """A closed ring simplified and rounded to whole units; None when less than a triangle remains. Split at the
    point farthest from the start, so that both halves are open polylines (Douglas-Peucker needs two ends)."""
    if ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) < 3:
        return None
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2)
    half = douglas_peucker(ring[:far + 1], tolerance) + douglas_peucker(ring[far:] + [ring[0]], tolerance)[1:-1]
    out = []
    for x, y in half:
        point = (round(x), round(y))
        if not out or out[-1] != point:
            out.append(point)
    while len(out) > 1 and out[-1] == out[0]:
        out.pop()
    return out if len(out) >= 3 else None


def _extent(points) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def shape(rings, tolerance: float) -> dict:
    """{"box": [x, y, w, h], "d": path data} of one region's rings, simplified for `tolerance` units a pixel."""
    projected = [project(r) for r in rings]
    sizes = [max(e[2] - e[0], e[3] - e[1]) for e in map(_extent, projected)]
    largest = sizes.index(max(sizes))
    kept = []
    for i, ring in enumerate(projected):
        if i != largest and sizes[i] < 2 * tolerance:  # an islet under two pixels: not visible on this map
            continue
        simple = simplify_ring(ring, tolerance) or (simplify_ring(ring, 0) if i == largest else None)
        if simple:
            kept.append(simple)
    parts = []
    for ring in kept:
        steps = [f"M{ring[0][0]} {ring[0][1]}l"]
        numbers = []
        for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
            numbers += [x1 - x0, y1 - y0]
        steps.append(re.sub(r" -", "-", " ".join(map(str, numbers))))
        parts.append("".join(steps) + "z")
    x0, y0, x1, y1 = _extent([p for ring in kept for p in ring])
    return {"box": [x0, y0, x1 - x0, y1 - y0], "d": "".join(parts)}


def build(source: Path) -> dict:
    names = tomllib.loads((GEO / "names.toml").read_text(encoding="utf-8"))
    provinces_geo = json.loads((source / "provinces.geojson").read_text(encoding="utf-8"))
    regencies_geo = json.loads((source / "regencies.geojson").read_text(encoding="utf-8"))
    by_province, by_regency = match(provinces_geo, regencies_geo, names)
    province_names = {r["id"]: r["name"] for r in _read("provinces.csv")}
    regency_names = {r["id"]: r["name"].strip() for r in _read("regencies.csv")}
    everything = [p for rings in by_province.values() for ring in rings for p in project(ring)]
    x0, y0, x1, y1 = _extent(everything)
    national = max(x1 - x0, y1 - y0) / SCREEN_PX
    out = {"about": "Generated by devtools/geo_simplify.py from casework/reference/geo/README.md's sources; "
                    "do not edit by hand.",
           "grid_degrees": GRID, "origin": list(ORIGIN), "km_per_unit": KM_PER_UNIT,
           "provinces": {}, "regencies": {}}
    for code in sorted(by_province):
        out["provinces"][code] = {"name": province_names[code], **shape(by_province[code], national)}
    for province in sorted(by_province):
        codes = sorted(c for c in by_regency if c[:2] == province)
        points = [p for c in codes for ring in by_regency[c] for p in project(ring)]
        if not points:
            continue
        e = _extent(points)
        tolerance = max(1.0, max(e[2] - e[0], e[3] - e[1]) / SCREEN_PX)
        for code in codes:
            out["regencies"][code] = {"name": regency_names[code], **shape(by_regency[code], tolerance)}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data" / "geo",
                        help="folder with provinces.geojson and regencies.geojson")
    parser.add_argument("--out", type=Path, default=GEO / "shapes.json")
    args = parser.parse_args(argv)
    data = build(args.source)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # one region a line: small diffs when a boundary changes
    text = re.sub(r',"(\d{2,4})":\{', lambda m: ',\n"' + m.group(1) + '":{', text)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{args.out}: {len(data['provinces'])} provinces, {len(data['regencies'])} regencies, "
          f"{args.out.stat().st_size // 1024} KiB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
