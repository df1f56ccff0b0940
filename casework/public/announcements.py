"""What an office announces to the public (issue 20 item 3): the status of each laporan (registered or not), the
clarification schedule, and the plenary's outcome — read from the record as it stands, per office, newest first.

Perbawaslu 7/2022 has the supervisor announce a laporan's status and the outcome of its handling; Netra already
writes the status letter to the reporter (letter kind `status_announcement`). The public page carries less than
that letter, never more: the case and register numbers, the violation types, dates, the hearing's place and time,
the outcome — and no name at all (each reported person is "Terlapor n", as on /status), no reporter, no
chronology or free text a handler typed. Spam is never announced.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casework.i18n.catalog import N_
from casework.i18n.dates import indonesian_date
from casework.models import Case, Hearing, Office, StageChange
from casework.reports.reporter_status import PLENARY_SUMMARY
from casework.road.acts import act_date
from casework.road.stages import Stage, label
from casework.rules import violation_catalogue

KINDS = {"status": N_("Status laporan"), "clarification": N_("Jadwal klarifikasi"), "plenary": N_("Putusan pleno")}


@dataclass(frozen=True)
class Announcement:
    key: str  # stable across requests: a feed entry's id
    kind: str  # KINDS
    number: str
    day: date  # the act's date, or the hearing's
    recorded_at: datetime  # when it was recorded: the feed's "updated"
    title: str
    lines: list[str] = field(default_factory=list)


def _violations(case: Case) -> str:
    catalogue = violation_catalogue()
    return "; ".join(catalogue[v.code]["label_id"] if v.code in catalogue else v.code for v in case.violations)


def _status(session: Session, office: Office, limit: int) -> list[Announcement]:
    rows = session.execute(
        select(StageChange, Case).join(Case, Case.id == StageChange.case_id)
        .where(Case.office_id == office.id, Case.source == "laporan", Case.stage != Stage.SPAM,
               StageChange.reported_asn_id.is_(None),
               StageChange.to_stage.in_((Stage.REGISTERED, Stage.NOT_REGISTERED)))
        .options(selectinload(Case.violations)).order_by(StageChange.at.desc()).limit(limit)).all()
    out = []
    for change, case in rows:
        day = act_date(change, office.timezone)
        lines = [f"Tanggal: {indonesian_date(day)}", f"Dugaan pelanggaran: {_violations(case)}"]
        if change.to_stage == Stage.REGISTERED and case.register_number:
            lines.insert(0, f"Nomor register: {case.register_number}")
        else:  # "Tidak diregistrasi: <the reason's fixed label>. <the handler's note, not published>"
            lines.insert(0, f"Keterangan: {(change.reason or '').split('. ')[0]}")
        out.append(Announcement(f"status-{change.id}", "status", case.number, day, change.at,
                                f"Laporan {case.number}: {label(change.to_stage)}", lines))
    return out


def _clarifications(session: Session, office: Office, limit: int) -> list[Announcement]:
    rows = session.execute(
        select(Hearing, Case).join(Case, Case.id == Hearing.case_id)
        .where(Case.office_id == office.id, Case.stage != Stage.SPAM, Hearing.status.in_(("scheduled", "held")))
        .options(selectinload(Hearing.invitees)).order_by(Hearing.scheduled_on.desc(), Hearing.id.desc())
        .limit(limit)).all()
    out = []
    for hearing, case in rows:
        parties: dict[str, int] = {}
        for invitee in hearing.invitees:
            parties[invitee.kind] = parties.get(invitee.kind, 0) + 1
        names = {"reported": "terlapor", "reporter": "pelapor", "witness": "saksi", "other": "pihak lain"}
        invited = ", ".join(f"{n} {names.get(k, k)}" for k, n in sorted(parties.items()))
        moment = datetime.combine(hearing.scheduled_on, hearing.scheduled_time or time(0))
        out.append(Announcement(
            f"clarification-{hearing.id}", "clarification", case.number, hearing.scheduled_on, hearing.created_at,
            f"Klarifikasi {case.register_number or case.number}: {indonesian_date(hearing.scheduled_on)}",
            [f"Waktu: {indonesian_date(hearing.scheduled_on)}, pukul {moment:%H.%M} {hearing.timezone}",
             f"Tempat: {hearing.place}", f"Yang diundang: {invited or '-'}",
             "Klarifikasi telah dilaksanakan." if hearing.status == "held" else "Terjadwal."]))
    return out


def _plenaries(session: Session, office: Office, limit: int) -> list[Announcement]:
    cases = session.scalars(
        select(Case).where(Case.office_id == office.id, Case.plenary_outcome.is_not(None),
                           Case.stage != Stage.SPAM)
        .options(selectinload(Case.reported), selectinload(Case.violations))
        .order_by(Case.plenary_decided_on.desc(), Case.id.desc()).limit(limit)).all()
    out = []
    for case in cases:
        day = case.plenary_decided_on or case.updated_at.date()
        lines = [f"Tanggal pleno: {indonesian_date(day)}", PLENARY_SUMMARY[case.plenary_outcome],
                 f"Dugaan pelanggaran: {_violations(case)}"]
        for n, person in enumerate(case.reported, start=1):
            if person.plenary_outcome:
                lines.append(f"Terlapor {n}: {PLENARY_SUMMARY.get(person.plenary_outcome, person.plenary_outcome)}"
                             .replace("Pleno: ", ""))
        recorded = next((h.at for h in case.history if h.to_stage in (Stage.DECIDED, Stage.CLOSED)
                         and h.reported_asn_id is None), case.updated_at)
        out.append(Announcement(f"plenary-{case.id}", "plenary", case.number, day, recorded,
                                f"Putusan pleno {case.register_number or case.number}", lines))
    return out


def announcements(session: Session, office: Office, *, limit: int = 100) -> list[Announcement]:
    """The office's announcements, newest first (by the day they concern)."""
    found = _status(session, office, limit) + _clarifications(session, office, limit) + \
        _plenaries(session, office, limit)
    return sorted(found, key=lambda a: (a.day, a.recorded_at), reverse=True)[:limit]


def announcing_offices(session: Session) -> list[Office]:
    """Offices that handle cases (Bawaslu RI, provinsi, kabupaten/kota), by name."""
    return list(session.scalars(select(Office).where(Office.kind.in_(
        ("bawaslu_ri", "bawaslu_provinsi", "bawaslu_kabkota"))).order_by(Office.kind, Office.name)))
