"""Pseudonymising the cases whose retention has passed (docs/privacy.md §4; casework/rules/retention.toml).

`due` lists the cases that ended longer ago than the rule's years and still hold identities. `pseudonymise`
replaces them in one case, in the caller's transaction, as one audit event:
- each person gets a pseudonym (Pelapor, Saksi n, Terlapor n, Pihak n);
- a reported person's NIP/NIK becomes a number that identifies no one;
- contact details, positions and villages are emptied;
- the people's names in the case's free text become their pseudonyms;
- evidence files and decree PDFs are deleted once the transaction commits (their sha256 stays in the audit event);
- the case's emails lose their recipients and body.
Stages, dates, violations, agencies, sanctions and every count stay as they were. Letters and the audit trail stay
(docs/privacy.md says why)."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import audit
from casework.adapters.db import when_settled
from casework.models import Case, Hearing, OutboxMessage, StageChange, utcnow
from casework.reference.timezones import local_today
from casework.road.sanctions import decree_dir
from casework.rules import load
from casework.settings import Settings

WITHHELD = "[dipseudonimkan]"


@dataclass(frozen=True)
class Due:
    number: str
    ended_on: date
    stage: str
    people: int
    files: int

    def as_dict(self) -> dict:
        return {"number": self.number, "ended_on": self.ended_on.isoformat(), "stage": self.stage,
                "people": self.people, "files": self.files}


def rule() -> dict:
    return load("retention")["ended_case"]


def due(session: Session, *, today: date | None = None) -> list[Due]:
    """Cases that ended more than the rule's years ago (in their office's zone) and are not pseudonymised yet."""
    spec = rule()
    out = []
    for case in session.scalars(select(Case).where(Case.stage.in_(spec["stages"]), Case.pseudonymised_at.is_(None))
                                .order_by(Case.id)):
        day = today or local_today(case.office.timezone, utcnow())
        ended = local_today(case.office.timezone, case.stage_since)
        if _add_years(ended, spec["years"]) <= day:
            people = len(case.reported) + len(case.witnesses) + (case.reporter is not None)
            files = len(case.evidence) + sum(len([d for d in p.decrees if d.file]) or bool(p.decree_file)
                                             for p in case.reported)
            out.append(Due(case.number, ended, case.stage, people, files))
    return out


def pseudonymise(session: Session, number: str, *, actor: str, settings: Settings,
                 at: datetime | None = None) -> dict:
    """Pseudonymise one case (see the module docstring); what was done, as its audit event records it."""
    at = at or utcnow()
    case = session.scalar(select(Case).where(Case.number == number))
    names: dict[str, str] = {}  # a name as written -> its pseudonym
    if case.reporter is not None:
        names[case.reporter.name] = "Pelapor"
        r = case.reporter
        r.name, r.address, r.phone, r.email = "Pelapor", "", "", ""
    for i, w in enumerate(case.witnesses, 1):
        names[w.name] = f"Saksi {i}"
        w.name, w.address, w.phone = f"Saksi {i}", "", ""
    for i, p in enumerate(case.reported, 1):
        names[p.name] = f"Terlapor {i}"
        p.name, p.nip = f"Terlapor {i}", _unidentifying_number(len(p.nip))
        p.position, p.work_unit, p.village, p.rank = "", "", "", ""
    others = 0
    for hearing in session.scalars(select(Hearing).where(Hearing.case_id == case.id)):
        for invitee in hearing.invitees:
            if invitee.name not in names:
                others += 1
                names[invitee.name] = f"Pihak {others}"
            invitee.name = names[invitee.name]
        hearing.minutes = _replace(hearing.minutes, names) if hearing.minutes else hearing.minutes
    case.summary, case.chronology = _replace(case.summary, names), _replace(case.chronology, names)
    case.plenary_reasoning = _replace(case.plenary_reasoning, names) if case.plenary_reasoning else None
    for change in session.scalars(select(StageChange).where(StageChange.case_id == case.id)):
        change.reason = _replace(change.reason, names)
    for p in case.reported:
        p.finding_reason = _replace(p.finding_reason, names) if p.finding_reason else p.finding_reason
    removed = [{"kind": "evidence", "sha256": e.sha256, "size": e.size} for e in case.evidence]
    paths = [settings.evidence_dir / e.stored_name for e in case.evidence]
    for e in list(case.evidence):
        session.delete(e)
    for p in case.reported:
        stored = {d.file for d in p.decrees if d.file} | ({p.decree_file} if p.decree_file else set())
        removed += [{"kind": "decree", "sha256": d.file_sha256, "size": d.file_size} for d in p.decrees if d.file]
        paths += [decree_dir(settings) / name for name in stored]
        for d in p.decrees:
            d.file = d.file_name = None
        p.decree_file = p.decree_file_name = None
    for message in session.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case.id)):
        message.recipients, message.body, message.subject = [], WITHHELD, _replace(message.subject, names)
    case.pseudonymised_at = at
    _remove_after_commit(session, paths)
    done = {"people": len(names), "files_removed": removed, "rule_years": rule()["years"]}
    audit.record(session, actor=actor, action="case.pseudonymised", entity="case", entity_id=case.id,
                 case_id=case.id, after=done, at=at)
    return done


def _replace(text: str, names: dict[str, str]) -> str:
    """Every name in `text` (whole words, any case), longest first so "Budi Santoso" goes before "Budi"."""
    for name in sorted((n for n in names if n.strip()), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", names[name], text, flags=re.IGNORECASE)
    return text


def _unidentifying_number(length: int) -> str:
    """A NIP/NIK-shaped value no real one can have: it starts with 0 (no NIP's birth year, no NIK's province)."""
    return "0" + "".join(secrets.choice("0123456789") for _ in range(max(length, 8) - 1))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _remove_after_commit(session: Session, paths: list[Path]) -> None:
    """Files go only once the rows that named them are gone for good: after a rollback both stay."""
    def remove() -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    if paths:
        when_settled(session, committed=remove)
