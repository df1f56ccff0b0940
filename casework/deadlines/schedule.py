"""When a deadline owes a notice: reminders at H-n before it, overdue notices after it (pure; rules as data).

Reminder days are per rule (`reminders` in rules/deadlines.toml, at its `reminder_time` in the office's zone);
overdue notices start the morning after the due date and repeat every `overdue_repeat_days` (rules/notices.toml).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from casework.deadlines.engine import Rule, reminder_time
from casework.rules import load
from casework.reference.timezones import zoneinfo


def policy() -> dict[str, Any]:
    return load("notices")


def _local(day: date, zone: str, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=zoneinfo(zone)).astimezone(UTC)


@dataclass(frozen=True)
class Notice:
    kind: str  # reminder / overdue
    at: datetime  # UTC
    days_before: int = 0  # reminder: H-n
    count: int = 0  # overdue: the n-th notice

    @property
    def key_part(self) -> str:
        return f"{self.kind}:{self.at:%Y%m%dT%H%M}"


def stall_of(rule_id: str) -> str:
    """Which institution owes the step a deadline measures."""
    if rule_id.startswith("oversight."):
        return "oversight"
    if rule_id.startswith(("agency.", "escalation.")):
        return "agency"
    if rule_id.startswith("ack."):
        return "addressee"
    return "bawaslu"


def reminders(rule: Rule, due_date: date, zone: str) -> list[Notice]:
    return [Notice("reminder", _local(due_date - timedelta(days=n), zone, reminder_time()), days_before=n)
            for n in sorted(set(rule.reminders), reverse=True)]


def first_overdue(due_date: date, zone: str) -> datetime:
    return _local(due_date + timedelta(days=1), zone, reminder_time())


def owed(rule: Rule, due_date: date, zone: str, now: datetime) -> tuple[Notice | None, datetime]:
    """The latest notice whose moment has come (None if none yet) and the moment of the next one."""
    latest = None
    for notice in reminders(rule, due_date, zone):
        if notice.at > now:
            return latest, notice.at
        latest = notice
    first = first_overdue(due_date, zone)
    if now < first:
        return latest, first
    repeat = timedelta(days=int(policy()["overdue_repeat_days"]))
    count = (now - first) // repeat + 1
    return Notice("overdue", first + (count - 1) * repeat, count=count), first + count * repeat


def first_notice_at(rule: Rule, due_date: date, zone: str, start: datetime) -> datetime:
    """When a deadline started at `start` first owes a notice (reminder moments already past are not owed)."""
    return owed(rule, due_date, zone, start)[1]
