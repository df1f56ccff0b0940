"""Act dates: the day a step's act happened (a plenary held, a letter sent, a decree signed), apart from the moment
it was recorded. Deadlines count from the act date, the history shows both, and a date is checked against what
it follows: not in the future, not before the act before it, and a warning when it came after its deadline.

Every step takes one (`acted_on`, default: the day it is recorded). A step whose input already names its act's
date (the decree's `decree_date`) uses that field instead. No step of today's road counts hours, so the act is a
date; the hearing's time is the hearing's own field (casework.road.steps).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from casework.errors import Problem
from casework.i18n.dates import Day
from casework.models import Case, ReportedASN, StageChange
from casework.reference.timezones import local_today
from casework.road.stages import LABELS, Stage
from casework.textcheck import EARLIEST

ACTED_ON = "acted_on"  # the name of the act date wherever a step is taken (desk form, CLI option, JSON body)


def act_date(change: StageChange, zone: str) -> date:
    """A history row's act date; rows recorded before act dates existed acted on the day they were recorded."""
    return change.acted_on or local_today(zone, change.at)


def previous_act(case: Case, person: ReportedASN | None, zone: str) -> tuple[date, StageChange | None]:
    """The latest act a new step on the case (or on `person`'s track) follows: the case's own steps, and the
    person's track steps; never earlier than the report's receipt."""
    latest: tuple[date, StageChange | None] = (case.received_on, None)
    for change in case.history:
        if change.reported_asn_id is not None and (person is None or change.reported_asn_id != person.id):
            continue
        day = act_date(change, zone)
        if day >= latest[0]:
            latest = (day, change)
    return latest


def parse_act_date(raw: Any) -> tuple[date | None, list[Problem]]:
    """The act date as typed (a form's text, a CLI option, JSON) or given (a date); None when absent."""
    if raw is None or raw == "":
        return None, []
    if isinstance(raw, datetime):
        return raw.date(), []
    if isinstance(raw, date):
        return raw, []
    try:
        return date.fromisoformat(str(raw).strip()), []
    except ValueError:
        return None, [Problem(ACTED_ON, "case.bad_date", {"value": str(raw)[:32]})]


def check_act_date(case: Case, person: ReportedASN | None, acted_on: date, recorded: datetime, zone: str,
                   field: str = ACTED_ON, *, future: bool = True, criminal: bool = False) -> list[Problem]:
    """Not in the future (in the office's zone; `future=False`: the step's own rules say so, with its other
    problems), not before the act it follows."""
    today = local_today(zone, recorded)
    if future and acted_on > today:
        return [Problem(field, "act.in_future", {"date": Day(acted_on), "today": Day(today)})]
    if acted_on < EARLIEST:
        return [Problem(field, "case.date_too_old", {"value": acted_on.isoformat(), "earliest": EARLIEST.isoformat()})]
    if criminal and person is not None:  # a criminal part runs beside the road: it follows its own acts only
        last = person.criminal_events[-1] if person.criminal_events else None
        before, step = (last.acted_on, last.stage) if last else (case.received_on, Stage.RECEIVED)
    else:
        before, change = previous_act(case, person, zone)
        step = change.to_stage if change else Stage.RECEIVED
    if acted_on < before:
        return [Problem(field, "act.before_previous", {"date": Day(acted_on), "previous": Day(before),
                                                       "step": LABELS[step]})]
    return []
