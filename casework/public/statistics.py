"""Open statistics (issue 20 item 4): the dashboard's own SQL (sql/reports/) over every case but spam, aggregated,
without personal data, small counts suppressed, with a data dictionary and the moment they were computed.

Suppression (Netra's policy, the usual rule of official statistics): a count of 1 or 2 is shown as "<3" (None
here), so that a case of one or two people in a small regency cannot be singled out; and where a column has exactly
one such cell, the next smallest count is suppressed too, so that it cannot be recovered by subtracting the others
from the total. A rate whose denominator is under 3 is suppressed the same way.

Computed at most every CACHE_SECONDS per process: a public page read by many must not run ten reports per visit.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from casework.access.principal import OPERATOR
from casework.i18n.catalog import N_
from casework.models import utcnow
from casework.reports.dashboard import run
from casework.road.stages import label
from casework.rules import violation_catalogue

THRESHOLD = 3
CACHE_SECONDS = 900
LEVELS = {"pusat": "Instansi pusat", "provinsi": "Pemerintah provinsi", "kabkota": "Pemerintah kabupaten/kota"}
RULES = {"oversight.recommendation": "Rekomendasi KASN/BKN kepada PPK",
         "agency.follow_up": "Tindak lanjut PPK atas rekomendasi"}


@dataclass
class Table:
    name: str
    title: str
    columns: list[tuple[str, str]]  # (column, what it holds): the data dictionary
    rows: list[dict[str, Any]] = field(default_factory=list)
    counts: tuple[str, ...] = ()  # the columns that are counts (suppressed when small)


@dataclass
class Statistics:
    computed_at: datetime
    total_cases: int | None
    tables: list[Table]

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


def suppress(rows: list[dict[str, Any]], column: str) -> None:
    """Counts under THRESHOLD (but not 0) become None; a lone one takes the next smallest with it."""
    small = [r for r in rows if r[column] is not None and 0 < r[column] < THRESHOLD]
    for row in small:
        row[column] = None
    if len(small) == 1:
        rest = sorted((r for r in rows if r[column]), key=lambda r: r[column])
        if rest:
            rest[0][column] = None


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole >= THRESHOLD else None


def compute(session: Session, *, now: datetime | None = None) -> Statistics:
    now = now or utcnow()

    def rows(name: str):
        return run(session, OPERATOR, name, now=now)

    elections = Table("pemilihan", N_("Kasus per pemilihan"),
                      [("pemilihan", "nama pemilihan"), ("jenis", "pemilu atau pilkada"),
                       ("kasus", "kasus tercatat"), ("kasus_berjalan", "kasus yang belum selesai")],
                      [{"pemilihan": r["election"], "jenis": r["kind"], "kasus": r["cases"],
                        "kasus_berjalan": r["open_cases"]} for r in rows("cases_by_election")],
                      ("kasus", "kasus_berjalan"))
    regions = rows("cases_by_region")
    provinces: dict[str, dict[str, Any]] = {}
    for r in regions:
        p = provinces.setdefault(r["province_code"], {"kode": r["province_code"], "provinsi": r["province"],
                                                      "kasus": 0, "kasus_berjalan": 0})
        p["kasus"] += r["cases"]
        p["kasus_berjalan"] += r["open_cases"]
    province = Table("provinsi", N_("Kasus per provinsi"),
                     [("kode", "kode wilayah Kemendagri"), ("provinsi", "nama provinsi"), ("kasus", "kasus tercatat"),
                      ("kasus_berjalan", "kasus yang belum selesai")], list(provinces.values()),
                     ("kasus", "kasus_berjalan"))
    regency = Table("kabupaten_kota", N_("Kasus per kabupaten/kota (tempat kejadian)"),
                    [("kode", "kode wilayah Kemendagri"), ("kabupaten_kota", "nama kabupaten/kota"),
                     ("provinsi", "nama provinsi"), ("kasus", "kasus tercatat"),
                     ("kasus_berjalan", "kasus yang belum selesai")],
                    [{"kode": r["regency_code"], "kabupaten_kota": r["regency"], "provinsi": r["province"],
                      "kasus": r["cases"], "kasus_berjalan": r["open_cases"]} for r in regions],
                    ("kasus", "kasus_berjalan"))
    stage = Table("tahap", N_("Kasus per tahap penanganan"),
                  [("tahap", "kode tahap"), ("nama_tahap", "nama tahap"), ("kasus", "kasus pada tahap itu")],
                  [{"tahap": r["stage"], "nama_tahap": label(r["stage"]), "kasus": r["cases"]}
                   for r in rows("cases_by_stage")], ("kasus",))
    catalogue = violation_catalogue()
    violation = Table("jenis_pelanggaran", N_("Kasus per jenis dugaan pelanggaran"),
                      [("kode", "kode jenis (casework/rules/violations.toml)"), ("jenis", "uraian jenis"),
                       ("kasus", "kasus dengan jenis itu (satu kasus dapat memuat beberapa jenis)")],
                      [{"kode": r["code"], "jenis": catalogue.get(r["code"], {}).get("label_id", r["code"]),
                        "kasus": r["cases"]} for r in rows("cases_by_violation")], ("kasus",))
    levels: dict[str, dict[str, Any]] = {}
    for r in rows("cases_by_agency"):
        row = levels.setdefault(r["level"], {"jenis_instansi": LEVELS.get(r["level"], r["level"]),
                                             "terlapor": 0, "menunggu_ppk": 0, "disanksi": 0})
        row["terlapor"] += r["reported"]
        row["menunggu_ppk"] += r["awaiting_ppk"]
        row["disanksi"] += r["sanctioned"]
    agency = Table("jenis_instansi", N_("Terlapor per jenis instansi"),
                   [("jenis_instansi", "pusat, provinsi, kabupaten/kota"), ("terlapor", "orang terlapor"),
                    ("menunggu_ppk", "menunggu tindak lanjut PPK"), ("disanksi", "dijatuhi sanksi")],
                   list(levels.values()), ("terlapor", "menunggu_ppk", "disanksi"))
    outcomes: dict[str, dict[str, int]] = {rule: {"met": 0, "missed": 0, "overdue": 0, "pending": 0} for rule in RULES}
    for r in rows("recommendation_compliance"):
        outcomes[r["rule_id"]][r["outcome"]] += r["deadlines"]
    follow = Table("tindak_lanjut", N_("Tindak lanjut rekomendasi"),
                   [("tahap", "rekomendasi KASN/BKN atau tindak lanjut PPK"),
                    ("tepat_waktu", "selesai dalam batas waktu"), ("terlambat", "selesai setelah batas waktu"),
                    ("lewat_batas", "belum selesai, batas waktu lewat"),
                    ("berjalan", "belum selesai, belum jatuh tempo"),
                    ("persen_tepat_waktu", "tepat_waktu dibagi yang sudah jatuh tempo atau selesai, dalam persen")],
                   [{"tahap": RULES[rule], "tepat_waktu": o["met"], "terlambat": o["missed"],
                     "lewat_batas": o["overdue"], "berjalan": o["pending"],
                     "persen_tepat_waktu": _rate(o["met"], o["met"] + o["missed"] + o["overdue"])}
                    for rule, o in outcomes.items()], ("tepat_waktu", "terlambat", "lewat_batas", "berjalan"))
    tables = [elections, province, regency, stage, violation, agency, follow]
    total = sum(r["kasus"] for r in province.rows)
    for table in tables:
        for column in table.counts:
            suppress(table.rows, column)
    return Statistics(now, total if total >= THRESHOLD or total == 0 else None, tables)


_cache: dict[str, tuple[float, Statistics]] = {}
_lock = threading.Lock()


def cached(factory: sessionmaker[Session]) -> Statistics:
    key = str(factory.kw.get("bind").url) if factory.kw.get("bind") is not None else "default"  # per database
    with _lock:
        hit = _cache.get(key)
        if hit and time.monotonic() - hit[0] < CACHE_SECONDS:
            return hit[1]
    with factory() as session:
        stats = compute(session)
    with _lock:
        _cache[key] = (time.monotonic(), stats)
    return stats


def clear_cache() -> None:
    with _lock:
        _cache.clear()
