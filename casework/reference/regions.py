"""Kemendagri region codes: loading from the bundled CSVs (casework/reference/wilayah) and counting."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from casework.models import District, Province, Regency
from casework.rules import province_timezones

WILAYAH_DIR = Path(__file__).resolve().parent / "wilayah"


def _read(name: str) -> list[dict[str, str]]:
    with open(WILAYAH_DIR / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_regions(session: Session) -> dict[str, int]:
    """Insert missing regions and refresh names/time zones of existing ones. Returns rows inserted per level."""
    zones = province_timezones()
    provinces = []
    for row in _read("provinces.csv"):
        if row["id"] not in zones:
            raise ValueError(f"province {row['id']} ({row['name']}) has no time zone in rules/timezones.toml")
        provinces.append({"code": row["id"], "name": row["name"], "timezone": zones[row["id"]]})
    regencies = [{"code": r["id"], "dotted_code": r["code"], "province_code": r["province_id"], "name": r["name"]}
                 for r in _read("regencies.csv")]
    districts = [{"code": r["id"], "dotted_code": r["code"], "regency_code": r["regency_id"], "name": r["name"]}
                 for r in _read("districts.csv")]

    inserted = {}
    for model, rows, fields in (
        (Province, provinces, ("name", "timezone")),
        (Regency, regencies, ("name", "dotted_code")),
        (District, districts, ("name", "dotted_code")),
    ):
        existing = {code: tuple(rest) for code, *rest in session.execute(
            select(model.code, *(getattr(model, f) for f in fields)))}
        new = [row for row in rows if row["code"] not in existing]
        changed = [row for row in rows
                   if row["code"] in existing and existing[row["code"]] != tuple(row[f] for f in fields)]
        if new:
            session.execute(insert(model), new)
        for row in changed:
            session.execute(update(model).where(model.code == row["code"]).values({f: row[f] for f in fields}))
        inserted[model.__tablename__] = len(new)
    return inserted


def region_stats(session: Session) -> dict[str, int]:
    return {
        "provinces": session.scalar(select(func.count()).select_from(Province)),
        "regencies": session.scalar(select(func.count()).select_from(Regency)),
        "districts": session.scalar(select(func.count()).select_from(District)),
    }


def timezone_of_province(session: Session, province_code: str) -> str:
    zone = session.scalar(select(Province.timezone).where(Province.code == province_code))
    if zone is None:
        raise LookupError(province_code)
    return zone
