"""The map's layers (issue 21): one number per province, or per regency of one province, over what a principal may
see — open cases, cases per 10,000 ASN, cases with an overdue deadline, the IKP, prevention coverage — each with
its label, unit, classes and colours. Flask-free: admin/maps.py draws it.

The case layers reuse the dashboard's scoped report (cases_by_region.sql, casework.reports.dashboard.run); the
figures (IKP, ASN counts, prevention work) are region figures, not case content, seen by whoever has a dashboard
(Action.SEE_PREVENTION). Unknown is never zero: a region without an ASN count has no "per 10,000 ASN", a region
without an IKP score no band; both show as "no data", drawn differently from a zero.

Classes: the counts and rates by quantiles of the positive values shown (at most four classes, zero a class of
its own); the IKP by its band (low / medium / high) as the source gives it."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from casework.access.policy import Action, authorize
from casework.access.principal import Principal
from casework.i18n.catalog import N_, Text
from casework.models import PreventionActivity, utcnow
from casework.prevention.figures import latest_asn_counts, latest_ikp
from casework.reference.geometry import geometry
from casework.reports.dashboard import run

ZERO = "#f8f9fa"  # zero: a very light grey, outlined like every region
NO_DATA = "nodata"  # drawn with a hatch pattern (admin/maps.py), never a plain colour
SUPPRESSED = "#adb5bd"  # public map: a count of 1 or 2, shown as "<3", one grey for all of them
SEQUENTIAL = {  # four steps each, light to dark (ColorBrewer Blues, Oranges, Purples)
    "blue": ("#c6dbef", "#6baed6", "#2171b5", "#08306b"),
    "orange": ("#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"),
    "purple": ("#dadaeb", "#9e9ac8", "#6a51a3", "#3f007d"),
}
BANDS = {"low": ("#a1d99b", N_("rendah")), "medium": ("#fd8d3c", N_("sedang")), "high": ("#a50f15", N_("tinggi"))}
PLEDGES = ("pledge", "integrity_pact")


@dataclass(frozen=True)
class LayerKind:
    key: str  # ?lapisan=
    label: Text
    unit: Text
    palette: str = "blue"


LAYERS = {k.key: k for k in (
    LayerKind("kasus", N_("Kasus berjalan"), N_("kasus")),
    LayerKind("per-asn", N_("Kasus per 10.000 ASN"), N_("kasus per 10.000 ASN"), "purple"),
    LayerKind("terlambat", N_("Kasus dengan tenggat terlambat"), N_("kasus"), "orange"),
    LayerKind("ikp", N_("Indeks Kerawanan Pemilu (IKP)"), N_("skor 0–100, menurut tingkatnya")),
    LayerKind("pencegahan", N_("Cakupan pencegahan"), N_("persen ASN penanda tangan ikrar/pakta integritas"),
              "purple"),
)}
DEFAULT_LAYER = "kasus"


@dataclass(frozen=True)
class MapClass:
    key: str
    label: str  # e.g. "3–5", "tinggi", "0"
    color: str  # a fill colour, or NO_DATA
    upper: float | None = None  # a quantile class: the largest value it holds


@dataclass(frozen=True)
class RegionValue:
    code: str
    name: str
    value: float | None  # None: no data (or suppressed on the public map)
    text: str  # the value as shown: "4", "12,5", "<3", "tidak ada data"
    klass: MapClass
    detail: str = ""  # e.g. the IKP's source and year, the activities counted


@dataclass
class MapLayer:
    kind: LayerKind
    label: str
    unit: str
    note: str  # what the numbers are, for the legend
    classes: list[MapClass]
    regions: dict[str, RegionValue] = field(default_factory=dict)


def number(value: float, lang: str) -> str:
    text = str(int(value)) if float(value).is_integer() else f"{value:.1f}"
    return text.replace(".", ",") if lang == "id" else text


def quantile_classes(values: list[float], palette: str, lang: str, *, zero: str = "0") -> list[MapClass]:
    """Zero, then up to four classes over the positive values (upper bounds at their quantiles, no empty class);
    each labelled by the smallest and largest value it holds."""
    positives = sorted(v for v in values if v and v > 0)
    classes = [MapClass("0", zero, ZERO)]
    if not positives:
        return classes
    uppers = sorted({positives[max(0, math.ceil(len(positives) * (i + 1) / 4) - 1)] for i in range(4)})
    steps = SEQUENTIAL[palette]  # fewer classes than four: steps far apart, so that they stay told apart
    colors = {1: (steps[2],), 2: (steps[1], steps[3]), 3: (steps[0], steps[2], steps[3]), 4: steps}[len(uppers)]
    low = 0.0
    for i, upper in enumerate(uppers):
        members = [v for v in positives if low < v <= upper]
        first = number(members[0], lang)
        label = first if members[0] == upper else f"{first}–{number(upper, lang)}"
        classes.append(MapClass(f"q{i + 1}", label, colors[i], upper))
        low = upper
    return classes


def classify(value: float | None, classes: list[MapClass], no_data: MapClass) -> MapClass:
    if value is None:
        return no_data
    if value <= 0:
        return classes[0]
    for klass in classes[1:]:
        if klass.upper is not None and value <= klass.upper:
            return klass
    return classes[-1]


def _in(code: str, region: str) -> bool:
    """A figure's region (province or regency) counts toward `region` (a province: itself and its regencies)."""
    return code == region or (len(region) == 2 and code[:2] == region)


def map_layer(session: Session, principal: Principal, key: str, *, province: str | None = None,
              now: datetime | None = None, lang: str = "id") -> MapLayer:
    """Layer `key` over the provinces (province=None) or over one province's regencies."""
    authorize(principal, Action.SEE_PREVENTION)
    kind = LAYERS[key]
    geo = geometry()
    names = geo.regency_names if province else geo.province_names
    codes = [c for c in names if c[:2] == province] if province else list(names)
    no_data = MapClass("nodata", N_("tidak ada data").pick(lang), NO_DATA)
    values: dict[str, float | None] = {}
    details: dict[str, str] = {}
    note = ""

    if key in ("kasus", "terlambat", "per-asn"):
        column = {"kasus": "open_cases", "terlambat": "overdue_cases", "per-asn": "cases"}[key]
        counts: dict[str, int] = defaultdict(int)
        for r in run(session, principal, "cases_by_region", now=now or utcnow()):
            counts[r["regency_code"] if province else r["province_code"]] += r[column]
        values = {c: counts.get(c, 0) for c in codes}
        note = {"kasus": N_("Kasus yang belum selesai, atas kasus yang dapat Anda lihat, menurut tempat kejadian."),
                "terlambat": N_("Kasus yang memiliki tenggat terbuka yang sudah lewat."),
                "per-asn": N_("Semua kasus dibagi jumlah ASN di wilayah itu (tahun data terbaru), dikali 10.000; "
                              "tanpa jumlah ASN: tidak ada data.")}[key].pick(lang)
        if key == "per-asn":
            asn = latest_asn_counts(session)
            for c in codes:
                row = asn.get(c)
                values[c] = round(10000 * values[c] / row.count, 1) if row and row.count else None
                if row:
                    details[c] = f"{counts.get(c, 0)} / {row.count} ASN ({row.year}, {row.source})"
    elif key == "ikp":
        scores = latest_ikp(session, region_codes=codes)
        classes = [MapClass(band, text.pick(lang), color) for band, (color, text) in BANDS.items()]
        by_band = {k.key: k for k in classes}
        regions = {}
        for c in codes:
            s = scores.get(c)
            klass = by_band.get(s.band, no_data) if s else no_data
            regions[c] = RegionValue(c, names[c], s.score if s else None,
                                     f"{number(s.score, lang)} ({klass.label})" if s else no_data.label, klass,
                                     f"{s.source}, {s.year}" if s else "")
        return MapLayer(kind, kind.label.pick(lang), kind.unit.pick(lang),
                        N_("IKP keseluruhan terbaru tiap wilayah, menurut tingkat yang diberikan sumbernya.")
                        .pick(lang), classes + [no_data], regions)
    else:  # pencegahan
        activities = list(session.scalars(select(PreventionActivity).where(
            PreventionActivity.region_code.startswith(province) if province else true())))
        asn = latest_asn_counts(session)
        signed = {c: sum(a.signatories or 0 for a in activities if a.kind in PLEDGES and _in(a.region_code, c))
                  for c in codes}
        held = {c: sum(1 for a in activities if _in(a.region_code, c)) for c in codes}
        if any(asn.get(c) and asn[c].count and signed[c] for c in codes):
            for c in codes:
                row = asn.get(c)
                values[c] = round(100 * signed[c] / row.count, 1) if row and row.count else None
                details[c] = N_("%(s)s penanda tangan, %(n)s kegiatan").pick(lang) % {"s": signed[c], "n": held[c]}
            note = N_("Penanda tangan ikrar netralitas dan pakta integritas dibagi jumlah ASN wilayah itu, dalam "
                      "persen; tanpa jumlah ASN: tidak ada data.").pick(lang)
            unit = kind.unit.pick(lang)
        else:  # no signatories over a known headcount anywhere on this map: count the activities instead
            values = {c: held[c] for c in codes}
            note = N_("Belum ada jumlah ASN dan penanda tangan ikrar di peta ini: yang dihitung adalah banyaknya "
                      "kegiatan pencegahan (sosialisasi, ikrar, pakta integritas, satgas).").pick(lang)
            unit = N_("kegiatan pencegahan").pick(lang)
        return _finish(kind, names, codes, values, details, note, lang, no_data, unit=unit)
    return _finish(kind, names, codes, values, details, note, lang, no_data)


def _finish(kind, names, codes, values, details, note, lang, no_data, *, unit=None) -> MapLayer:
    classes = quantile_classes([v for v in values.values() if v is not None], kind.palette, lang)
    has_gaps = any(values[c] is None for c in codes)
    regions = {c: RegionValue(c, names[c], values[c], number(values[c], lang) if values[c] is not None
                              else no_data.label, classify(values[c], classes, no_data), details.get(c, ""))
               for c in codes}
    return MapLayer(kind, kind.label.pick(lang), unit or kind.unit.pick(lang), note,
                    classes + ([no_data] if has_gaps else []), regions)


def public_case_layer(rows: list[dict], codes: dict[str, str], *, lang: str = "id",
                      threshold: int = 3) -> MapLayer:
    """The public map: the open statistics' case counts (already suppressed: None = 1 or 2), one region per code
    of `codes` (code -> name; a region absent from the rows has no case). A suppressed count is one grey class,
    "<3", whatever its exact value."""
    kind = LayerKind("kasus", N_("Kasus tercatat"), N_("kasus"))
    counts = {r["kode"]: r["kasus"] for r in rows}
    hidden = MapClass("suppressed", f"<{threshold}", SUPPRESSED)
    classes = quantile_classes([v for v in counts.values() if v], kind.palette, lang)
    regions = {}
    for code, name in codes.items():
        value = counts.get(code, 0)
        if value is None:
            regions[code] = RegionValue(code, name, None, f"<{threshold}", hidden)
        else:
            regions[code] = RegionValue(code, name, value, number(value, lang), classify(value, classes, hidden))
    note = N_("Semua kasus tercatat menurut tempat kejadian; angka 1 atau 2 ditampilkan sebagai \"<3\".").pick(lang)
    return MapLayer(kind, kind.label.pick(lang), kind.unit.pick(lang), note, [classes[0], hidden, *classes[1:]],
                    regions)
