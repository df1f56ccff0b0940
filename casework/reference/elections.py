"""Elections as data: which elections exist, their periods and stages, which ones an incident falls under, and
adding one (the system administrator's desk page and `netra election add`, checked the same way, audited).

An election's period is the span of its stages (tahapan) under the KPU regulation that sets them
(casework/rules/elections.toml for the real ones, with citations). An incident falls under an election when it
happened in the election's area during its period; intake refuses any other (casework.road.intake).

Overlap: two elections of the same kind and the same area may not run at once — one Pemilu at a time nationally,
one Pilkada at a time per province (governor) and per regency/city (regent, mayor). A governor's and a regent's
Pilkada in the same province are different contests and may overlap, as may Pilkada of different regions. A
re-vote (PSU) is a child of its election (`parent`): same kind, same or narrower area, voting after the parent's;
it may overlap its parent (and its siblings' parent), never another election of its area.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casework import audit, rules
from casework.access.policy import Action, authorize
from casework.access.principal import Principal
from casework.errors import Problem, ValidationError
from casework.i18n.catalog import N_, Text
from casework.models import ELECTION_KINDS, ELECTION_STAGES, Election, ElectionStage, Province, Regency, utcnow
from casework.textcheck import EARLIEST, LATEST, has_control_chars

KIND_LABELS: dict[str, Text] = {"pemilu": N_("Pemilu (nasional)"), "pilkada": N_("Pilkada (per daerah)")}
STAGE_LABELS: dict[str, Text] = {"campaign": N_("Masa kampanye"), "quiet": N_("Masa tenang"),
                                 "counting": N_("Penghitungan dan rekapitulasi suara")}
assert set(STAGE_LABELS) == set(ELECTION_STAGES) and set(KIND_LABELS) == set(ELECTION_KINDS)
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")

Day = date | str | None


@dataclass
class ElectionInput:
    code: str
    kind: str
    name: str
    voting_day: Day
    starts_on: Day
    ends_on: Day
    province: str | None = None  # a governor's Pilkada
    regency: str | None = None  # a regent's or mayor's Pilkada
    stages: dict[str, tuple[Day, Day]] = field(default_factory=dict)  # code -> (first day, last day)
    parent: str | None = None  # the election a re-vote (PSU) repeats
    basis: str = ""  # the regulation that sets the schedule


def list_elections(session: Session) -> list[Election]:
    return list(session.scalars(select(Election).options(selectinload(Election.stages))
                                .order_by(Election.starts_on.desc(), Election.kind, Election.code)))


def elections_for(session: Session, regency_code: str, occurred_on: date) -> list[Election]:
    """The elections an incident on `occurred_on` in `regency_code` falls under: its area, within its period."""
    rows = session.scalars(select(Election).where(Election.starts_on <= occurred_on, Election.ends_on >= occurred_on)
                           .order_by(Election.kind, Election.name))
    return [e for e in rows if e.covers(regency_code)]


def summary(election: Election) -> dict[str, Any]:
    """An election as plain data: `netra election list --json` and the audit trail."""
    return {"code": election.code, "kind": election.kind, "name": election.name,
            "voting_day": election.voting_day.isoformat(), "starts_on": election.starts_on.isoformat(),
            "ends_on": election.ends_on.isoformat(), "province": election.province_code,
            "regency": election.regency_code, "parent": election.parent.code if election.parent else None,
            "basis": election.basis,
            "stages": {s.code: [s.starts_on.isoformat(), s.ends_on.isoformat()] for s in election.stages}}


def add_election(session: Session, data: ElectionInput, *, principal: Principal,
                 at: datetime | None = None) -> Election:
    """Check every field, then add the election and its stages with an audit event — or raise ValidationError
    listing every problem, having written nothing. Only a system administrator (or the server's operator)."""
    authorize(principal, Action.MANAGE_ELECTIONS)
    problems: list[Problem] = []

    def add(field_name: str, message_code: str, /, **params: Any) -> None:
        problems.append(Problem(field_name, message_code, params))

    code = (data.code or "").strip()
    if not CODE.match(code):
        add("code", "election.bad_code")
    elif (taken := session.scalar(select(Election).where(Election.code == code))) is not None:
        add("code", "election.code_taken", code=code, name=taken.name)
    if data.kind not in ELECTION_KINDS:
        add("kind", "bad_choice", value=data.kind, choices=", ".join(ELECTION_KINDS))
    name = (data.name or "").strip()
    if not name:
        add("name", "required")
    elif len(name) > 200:
        add("name", "too_long", max=200)
    elif has_control_chars(name) or has_control_chars(data.basis):
        add("name", "text.control_chars")
    basis = (data.basis or "").strip()
    if len(basis) > 300:
        add("basis", "too_long", max=300)

    voting = _day(add, "voting_day", data.voting_day)
    starts = _day(add, "starts_on", data.starts_on)
    ends = _day(add, "ends_on", data.ends_on)
    if starts and ends and ends < starts:
        add("ends_on", "election.ends_before_start", ends=ends.isoformat(), starts=starts.isoformat())
    elif voting and starts and ends and not starts <= voting <= ends:
        add("voting_day", "election.voting_outside_period", voting=voting.isoformat(), starts=starts.isoformat(),
            ends=ends.isoformat())

    province_code, regency_code = (data.province or "").strip() or None, (data.regency or "").strip() or None
    if data.kind == "pemilu" and (province_code or regency_code):
        add("province", "election.pemilu_national")
    elif data.kind == "pilkada" and bool(province_code) == bool(regency_code):
        add("province", "election.pilkada_area")
    elif province_code and session.get(Province, province_code) is None:
        add("province", "case.unknown_region", code=province_code)
    elif regency_code and session.get(Regency, regency_code) is None:
        add("regency", "case.unknown_region", code=regency_code)

    stages: list[ElectionStage] = []
    for stage_code, (first, last) in data.stages.items():
        if stage_code not in ELECTION_STAGES:
            add("stages", "election.unknown_stage", code=stage_code, choices=", ".join(ELECTION_STAGES))
            continue
        label = STAGE_LABELS[stage_code]
        a, b = _day(add, "stages", first, label), _day(add, "stages", last, label)
        if not (a and b):
            continue
        if b < a:
            add("stages", "election.stage_reversed", stage=label, starts=a.isoformat(), ends=b.isoformat())
        elif starts and ends and starts <= ends and not (starts <= a and b <= ends):
            add("stages", "election.stage_outside_period", stage=label, starts=a.isoformat(), ends=b.isoformat(),
                period_starts=starts.isoformat(), period_ends=ends.isoformat())
        elif stage_code in ("campaign", "quiet") and voting and b >= voting:
            add("stages", "election.stage_after_voting", stage=label, voting=voting.isoformat())
        stages.append(ElectionStage(code=stage_code, starts_on=a, ends_on=b))

    parent = None
    if data.parent:
        parent = session.scalar(select(Election).where(Election.code == data.parent.strip()))
        if parent is None:
            add("parent", "election.unknown_parent", code=data.parent)
        elif parent.kind != data.kind or not _within(parent, province_code, regency_code):
            add("parent", "election.parent_mismatch", parent=parent.name)
        elif voting and voting <= parent.voting_day:
            add("voting_day", "election.psu_before_parent", voting=voting.isoformat(), parent=parent.name,
                parent_voting=parent.voting_day.isoformat())

    if not problems and starts and ends:
        for other in _same_contest(session, data.kind, province_code, regency_code):
            related = parent is not None and other.id in (parent.id, parent.parent_id) \
                or parent is not None and other.parent_id == parent.id
            if not related and other.starts_on <= ends and starts <= other.ends_on:
                add("starts_on", "election.overlaps", starts=starts.isoformat(), ends=ends.isoformat(),
                    other=other.name, other_starts=other.starts_on.isoformat(),
                    other_ends=other.ends_on.isoformat())
    if problems:
        raise ValidationError(problems)

    election = Election(code=code, kind=data.kind, name=name, voting_day=voting, starts_on=starts, ends_on=ends,
                        province_code=province_code, regency_code=regency_code, parent=parent, basis=basis,
                        stages=sorted(stages, key=lambda s: s.starts_on))
    session.add(election)
    session.flush()
    audit.record(session, actor=principal.username, action="election.added", entity="election",
                 entity_id=election.id, after=summary(election), at=at or utcnow())
    return election


def _day(add, field_name: str, value: Day, stage: Text | None = None) -> date | None:
    if value in (None, ""):
        if stage is None:
            add(field_name, "required")
        else:
            add(field_name, "election.stage_dates", stage=stage)
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            add(field_name, "case.bad_date", value=value)
            return None
    if not EARLIEST <= day <= LATEST:
        add(field_name, "case.date_too_old", value=day.isoformat(), earliest=EARLIEST.isoformat())
        return None
    return day


def _within(parent: Election, province_code: str | None, regency_code: str | None) -> bool:
    """A re-vote's area is its parent's, or inside it (a PSU of a Pemilu may be held in one regency)."""
    if parent.regency_code:
        return regency_code == parent.regency_code
    if parent.province_code:
        return (province_code == parent.province_code) or bool(regency_code and parent.covers(regency_code))
    return True


def _same_contest(session: Session, kind: str, province_code: str | None, regency_code: str | None) -> list[Election]:
    """Elections of the same kind and exactly the same area (the ones a new election may not overlap)."""
    query = select(Election).where(Election.kind == kind)
    query = query.where(Election.province_code == province_code if province_code else Election.province_code.is_(None))
    query = query.where(Election.regency_code == regency_code if regency_code else Election.regency_code.is_(None))
    return list(session.scalars(query))


# --- the real elections of the rules file ------------------------------------------------------------------------
def schedule(name: str) -> dict[str, Any]:
    """A schedule of casework/rules/elections.toml (kind, voting_day, starts_on, ends_on, basis, stages)."""
    return rules.load("elections")["schedules"][name]


def schedule_input(name: str, *, code: str, election_name: str, province: str | None = None,
                   regency: str | None = None) -> ElectionInput:
    spec = schedule(name)
    return ElectionInput(code=code, kind=spec["kind"], name=election_name, voting_day=spec["voting_day"],
                         starts_on=spec["starts_on"], ends_on=spec["ends_on"], province=province, regency=regency,
                         basis=spec["basis"],
                         stages={s["code"]: (s["starts_on"], s["ends_on"]) for s in spec.get("stages", [])})


def sync_rule_elections(session: Session) -> None:
    """The rules file's elections: added when missing, their dates corrected when the file changes (a legal fact
    is data). Written directly, not through add_election: it is the rules' own data, like roles."""
    for spec in rules.load("elections")["elections"]:
        sched = schedule(spec["schedule"])
        election = session.scalar(select(Election).where(Election.code == spec["code"])) \
            or Election(code=spec["code"], kind=spec["kind"], name=spec["name"])
        election.voting_day, election.starts_on, election.ends_on = (
            sched["voting_day"], sched["starts_on"], sched["ends_on"])
        election.basis = sched["basis"]
        have = {s.code: s for s in election.stages}
        for stage in sched.get("stages", []):
            row = have.get(stage["code"]) or ElectionStage(code=stage["code"])
            row.starts_on, row.ends_on = stage["starts_on"], stage["ends_on"]
            if row not in election.stages:
                election.stages.append(row)
        session.add(election)
    session.flush()
