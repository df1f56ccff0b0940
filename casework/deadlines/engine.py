"""The deadline engine: due dates from the rules in casework/rules/deadlines.toml (pure; no database).

Counting (domain.md §4): the start event's date is day 0, day 1 is the next counted day, and the deadline is
23:59:59 of the last counted day in the handling office's time zone. Working-day rules skip weekends, national
holidays and cuti bersama; calendar-day rules count every day. Every result explains itself: the rule, its
citation, and each day it skipped with the reason.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

import holidays as holidays_lib

from casework.errors import CaseworkError
from casework.i18n.catalog import translate
from casework.rules import load, province_timezones
from casework.reference.timezones import zoneinfo

END_OF_DAY = time(23, 59, 59)
WEEKEND = {5: "Sabtu", 6: "Minggu"}


@dataclass(frozen=True)
class Rule:
    id: str
    start_event: str
    length: int
    day_kind: str  # working / calendar / hours (counted from the start event's moment)
    basis: str  # statute / policy
    citation: str
    label_id: str  # Bahasa Indonesia, a msgid of the catalog (stored with each deadline, printed in letters)
    reminders: tuple[int, ...]

    def label(self, lang: str = "id") -> str:
        return translate(self.label_id, lang)


@cache
def all_rules() -> dict[str, Rule]:
    data = load("deadlines")
    return {rule_id: Rule(id=rule_id, start_event=spec["start_event"], length=int(spec["length"]),
                          day_kind=spec["day_kind"], basis=spec["basis"], citation=spec["citation"],
                          label_id=spec["label_id"],
                          reminders=tuple(spec.get("reminders", ())))
            for rule_id, spec in data["rules"].items()}


def get_rule(rule_id: str) -> Rule:
    try:
        return all_rules()[rule_id]
    except KeyError:
        raise CaseworkError("deadline.unknown_rule", rule=rule_id, known=", ".join(sorted(all_rules()))) from None


def rule_for(election_kind: str, purpose: str) -> Rule | None:
    """The rule a stage uses under an election kind (e.g. ("pilkada", "decision")), or None if it has none."""
    rule_id = load("deadlines")["regimes"][election_kind].get(purpose)
    return get_rule(rule_id) if rule_id else None


def reminder_time() -> time:
    return time.fromisoformat(load("deadlines")["reminder_time"])


class HolidayCalendar:
    """Non-working days: weekends, plus national holidays and cuti bersama per year (package + corrections).

    For counting, the years seen so far are also kept as two sorted lists — the working days, and the skipped days
    with their reason — so that "the n-th working day after d" is one bisection instead of a walk day by day.
    """

    def __init__(self) -> None:
        self._years: dict[int, dict[date, str]] = {}
        # (first year, last year, working days, skipped days, (skipped day, reason)); replaced whole, never mutated
        self._index: tuple[int, int, list[date], list[date], list[tuple[date, str]]] | None = None

    def _year(self, year: int) -> dict[date, str]:
        if year not in self._years:
            days = dict(holidays_lib.country_holidays("ID", categories=("public", "government"), years=year,
                                                      language="id"))
            corrections = load("holidays")
            for entry in corrections.get("remove", []):
                days.pop(entry["date"], None)
            for entry in corrections.get("add", []):
                if entry["date"].year == year:
                    days[entry["date"]] = entry["name"]
            self._years[year] = days
        return self._years[year]

    def holiday(self, day: date) -> str | None:
        return self._year(day.year).get(day)

    def skip_reason(self, day: date) -> str | None:
        """Why `day` is not a working day, or None if it is one."""
        name = self.holiday(day)
        weekend = WEEKEND.get(day.weekday())
        if name and weekend:
            return f"{name} ({weekend})"
        return name or weekend

    def _covering(self, first: int, last: int) -> tuple[int, int, list[date], list[date], list[tuple[date, str]]]:
        index = self._index
        if index is not None and index[0] <= first and last <= index[1]:
            return index
        if index is not None:
            first, last = min(first, index[0]), max(last, index[1])
        working, skipped_days, skipped = [], [], []
        day, end, one = date(first, 1, 1), date(last, 12, 31), timedelta(days=1)
        while day <= end:
            reason = self.skip_reason(day)
            if reason:
                skipped_days.append(day)
                skipped.append((day, reason))
            else:
                working.append(day)
            day += one
        self._index = index = (first, last, working, skipped_days, skipped)
        return index

    def count_working_days(self, start: date, length: int) -> tuple[date, tuple[tuple[date, str], ...]]:
        """The `length`-th working day after `start` (day 0, counted or not), and every day skipped on the way."""
        if length <= 0:
            return start, ()
        last = start.year
        while True:
            _, _, working, skipped_days, skipped = self._covering(start.year, last)
            i = bisect_right(working, start) + length - 1
            if i < len(working):
                due = working[i]
                return due, tuple(skipped[bisect_right(skipped_days, start):bisect_left(skipped_days, due)])
            last += 1 + length // 200  # the count runs past the years indexed so far


CALENDAR = HolidayCalendar()


@dataclass(frozen=True)
class ComputedDeadline:
    rule: Rule
    start: date
    due_date: date
    due_at: datetime  # aware, in the office's zone
    timezone: str  # WIB / WITA / WIT
    skipped: tuple[tuple[date, str], ...]

    def reminder_moments(self) -> list[datetime]:
        at = reminder_time()
        return [datetime.combine(self.due_date - timedelta(days=n), at, self.due_at.tzinfo)
                for n in sorted(self.rule.reminders, reverse=True)]

    def explanation(self) -> dict[str, Any]:
        return {
            "rule": self.rule.id, "label": self.rule.label_id, "start": self.start.isoformat(),
            "start_event": self.rule.start_event, "length": self.rule.length, "day_kind": self.rule.day_kind,
            "basis": self.rule.basis, "citation": self.rule.citation,
            "skipped": [{"date": d.isoformat(), "reason": reason} for d, reason in self.skipped],
        }

    def as_dict(self) -> dict[str, Any]:
        return {**self.explanation(), "due_date": self.due_date.isoformat(), "due_at": self.due_at.isoformat(),
                "timezone": self.timezone,
                "reminders": [moment.isoformat() for moment in self.reminder_moments()]}


def compute(rule: Rule | str, start: date, timezone: str, calendar: HolidayCalendar = CALENDAR, *,
            start_at: datetime | None = None) -> ComputedDeadline:
    """Due date and moment of `rule` counted from `start` (day 0) in zone `timezone` (WIB/WITA/WIT); an hour rule
    counts from `start_at`, the start event's moment (required for it)."""
    rule = get_rule(rule) if isinstance(rule, str) else rule
    if rule.day_kind == "hours":
        if start_at is None:
            raise ValueError(f"{rule.id} counts hours: it needs the moment its start event happened")
        due_at = (start_at + timedelta(hours=rule.length)).astimezone(zoneinfo(timezone))
        return ComputedDeadline(rule, start, due_at.date(), due_at, timezone, ())
    if rule.day_kind == "calendar":
        due, skipped = start + timedelta(days=rule.length), ()
    else:
        due, skipped = calendar.count_working_days(start, rule.length)
    due_at = datetime.combine(due, END_OF_DAY, zoneinfo(timezone))
    return ComputedDeadline(rule, start, due, due_at, timezone, skipped)


def start_for_due(rule: Rule | str, due: date, calendar: HolidayCalendar = CALENDAR) -> date:
    """The latest counted start day whose deadline under `rule` falls on `due` (a start on a skipped day right
    after it gives the same deadline). Used to place events so that a deadline falls on a chosen day."""
    rule = get_rule(rule) if isinstance(rule, str) else rule
    if rule.day_kind == "hours":
        raise ValueError(f"{rule.id} counts hours from a moment, not days")
    if rule.day_kind == "calendar":
        return due - timedelta(days=rule.length)
    day, counted = due, 0
    while calendar.skip_reason(day):
        day -= timedelta(days=1)
    while counted < rule.length:
        day -= timedelta(days=1)
        if not calendar.skip_reason(day):
            counted += 1
    return day


def timezone_for_province(province_code: str) -> str:
    zone = province_timezones().get(province_code)
    if zone is None:
        raise CaseworkError("deadline.unknown_province", code=province_code)
    return zone
