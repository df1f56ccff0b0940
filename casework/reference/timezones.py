"""WIB / WITA / WIT: the zone names people use, and their IANA zones (from rules/timezones.toml)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from casework.rules import load


def zoneinfo(label: str) -> ZoneInfo:
    return ZoneInfo(load("timezones")["zones"][label]["iana"])


def local_today(label: str, now: datetime) -> date:
    return now.astimezone(zoneinfo(label)).date()
