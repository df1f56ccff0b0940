"""Dates as Indonesians write them: "1 Oktober 2024"."""
from __future__ import annotations

from datetime import date, datetime

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")


def indonesian_date(day: date) -> str:
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"

DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def indonesian_day_date(day: date) -> str:
    """"Kamis, 3 Oktober 2024"."""
    return f"{DAYS_ID[day.weekday()]}, {indonesian_date(day)}"


def local_moment(moment: datetime, zone_label: str) -> str:
    """"24 November 2026 09.15 WITA": a moment as people in that zone read it (Indonesian time uses a dot)."""
    from casework.reference.timezones import zoneinfo

    local = moment.astimezone(zoneinfo(zone_label))
    return f"{indonesian_date(local.date())} {local:%H.%M} {zone_label}"
