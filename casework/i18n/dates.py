"""Dates as the reader writes them: "1 Oktober 2024" and "24 November 2026 09.15 WITA" in Bahasa Indonesia (the
letters, the emails and the Indonesian desk), "1 October 2024" and "24 November 2026 09:15 WITA" in English; and
the days left to a deadline as words ("hari ini", "besok", "terlambat 2 hari")."""
from __future__ import annotations

from datetime import date, datetime

from casework.i18n.catalog import N_, Text

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


def indonesian_date(day: date) -> str:
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def format_day(day: date | str, lang: str = "id") -> str:
    """A date in the reader's language: "3 Desember 2026" / "3 December 2026" (an ISO string is read first)."""
    day = day if isinstance(day, date) else date.fromisoformat(day)
    if isinstance(day, datetime):
        day = day.date()
    months = MONTHS_EN if lang == "en" else MONTHS_ID
    return f"{day.day} {months[day.month - 1]} {day.year}"

DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def indonesian_day_date(day: date) -> str:
    """"Kamis, 3 Oktober 2024"."""
    return f"{DAYS_ID[day.weekday()]}, {indonesian_date(day)}"


def local_moment(moment: datetime | str, zone_label: str, lang: str = "id") -> str:
    """"24 November 2026 09.15 WITA": a moment as people in that zone read it (Indonesian time uses a dot, English
    a colon: "24 November 2026 09:15 WITA")."""
    from casework.reference.timezones import zoneinfo

    moment = moment if isinstance(moment, datetime) else datetime.fromisoformat(moment)
    local = moment.astimezone(zoneinfo(zone_label))
    clock = f"{local:%H:%M}" if lang == "en" else f"{local:%H.%M}"
    return f"{format_day(local.date(), lang)} {clock} {zone_label}"


DUE_TODAY = N_("hari ini")
DUE_TOMORROW = N_("besok")
DAYS_LEFT = N_("{n} hari lagi")
DAYS_OVERDUE = N_("terlambat {n} hari")
DAY_OVERDUE = N_("terlambat 1 hari")


def days_left(n: int | None, lang: str = "id") -> str:
    """Days left to a deadline as words: "hari ini" (0), "besok" (1), "3 hari lagi", "terlambat 2 hari"; "-" for
    none. One helper for every place that shows days left (Tugas saya, the case page, the CLI)."""
    if n is None:
        return "-"
    text: Text
    if n == 0:
        text = DUE_TODAY
    elif n == 1:
        text = DUE_TOMORROW
    elif n == -1:
        text = DAY_OVERDUE
    else:
        text = DAYS_LEFT if n > 0 else DAYS_OVERDUE
    return text.pick(lang).format(n=abs(n))


class Day(Text):
    """A date as a message parameter: the Indonesian text where a plain string is wanted (a letter, an email, the
    audit trail), "3 December 2026" when the message is shown in English (message() picks every Text parameter)."""

    day: date

    def __new__(cls, day: date) -> Day:
        text = super().__new__(cls, indonesian_date(day))
        text.day = day
        return text

    def pick(self, lang: str = "id") -> str:
        return format_day(self.day, lang)

    def __reduce__(self):  # copied or pickled as the date it is
        return Day, (self.day,)
