"""The maps' boundaries (casework/reference/geo/shapes.json, made by devtools/geo_simplify.py; provenance and
licences in casework/reference/geo/README.md): each province's and regency's outline as SVG path data, already
projected and simplified, keyed by Kemendagri code — and the regions of the code list that have no outline, which
a map lists as such instead of leaving out.

Coordinates are whole units of a plate carrée grid (`grid_degrees` a unit, y down); a map sets its viewBox to the
box of what it draws. Loaded once per process."""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GEO_DIR = Path(__file__).resolve().parent / "geo"
WILAYAH_DIR = Path(__file__).resolve().parent / "wilayah"


@dataclass(frozen=True)
class Shape:
    code: str  # Kemendagri code without dots: "64", "6402"
    name: str
    box: tuple[int, int, int, int]  # x, y, width, height in grid units
    d: str  # SVG path data


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True)
class Geometry:
    km_per_unit: float
    provinces: dict[str, Shape]
    regencies: dict[str, Shape]
    province_names: dict[str, str]  # the whole code list, with or without a shape
    regency_names: dict[str, str]

    def province_shapes(self) -> list[Shape]:
        return [self.provinces[c] for c in sorted(self.provinces)]

    def regency_shapes(self, province_code: str) -> list[Shape]:
        """The shapes of a province's regencies and cities, by code."""
        return [s for c, s in sorted(self.regencies.items()) if c[:2] == province_code]

    def without_geometry(self, province_code: str | None = None) -> list[Region]:
        """Regions of the code list with no shape: provinces and regencies (all, or one province's regencies)."""
        missing = [] if province_code else [Region(c, n) for c, n in self.province_names.items()
                                            if c not in self.provinces]
        return missing + [Region(c, n) for c, n in self.regency_names.items()
                          if c not in self.regencies and (province_code is None or c[:2] == province_code)]

    @staticmethod
    def box_of(shapes: list[Shape]) -> tuple[int, int, int, int]:
        x0 = min(s.box[0] for s in shapes)
        y0 = min(s.box[1] for s in shapes)
        x1 = max(s.box[0] + s.box[2] for s in shapes)
        y1 = max(s.box[1] + s.box[3] for s in shapes)
        return x0, y0, x1 - x0, y1 - y0


def _names(file: str) -> dict[str, str]:
    with open(WILAYAH_DIR / file, newline="", encoding="utf-8") as fh:
        return {row["id"]: row["name"].strip() for row in csv.DictReader(fh)}


@cache
def geometry() -> Geometry:
    data = json.loads((GEO_DIR / "shapes.json").read_text(encoding="utf-8"))

    def shapes(level: str) -> dict[str, Shape]:
        return {code: Shape(code, s["name"], tuple(s["box"]), s["d"]) for code, s in data[level].items()}

    return Geometry(data["km_per_unit"], shapes("provinces"), shapes("regencies"), _names("provinces.csv"),
                    _names("regencies.csv"))
