"""What a case event owes whom: everyone concerned is told, by email through the outbox, in the step's transaction.

A step (casework.road.workflow.take) hands its new history rows here; each row that concerns another institution
or the reporter owes them a notice (Indonesian only: casework/mail/templates/notice_*.txt) with the case number,
what happened, what is now due from them (and by when, from the deadline engine) and a link — to the case on the
desk, or to the public status page for the reporter:

    forward (case -> forwarded)              the oversight body's inbox and its oversight officers
    oversight recommendation (track -> PPK)  the agency's BKPSDM inbox and BKPSDM officers, and the PPK
    decree recorded (record_sanction)        the handling Bawaslu office's inbox and its handlers
    KASN track passed to BKN (handover)      BKN's inbox and its oversight officers
    registered; closed                       the reporter, if they gave an email (a step that already sends the
                                             reporter a status letter — the forward, a plenary that closes — is
                                             not doubled by a notice)

A missed deadline tells the handling office through the overdue notices (casework.deadlines.notices).

Addresses come from the organisations directory (offices, oversight bodies, agencies with their BKPSDM and PPK),
kept by the system administrator. One email per recipient and event: the outbox key names the history row and the
address, so a retried step, a re-run task or a second sender never sends it twice. An institution without an
address gets nothing and is a task on the case page (`missing_addresses`), until the directory has it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.deadlines.notices import _users, case_url, render
from casework.i18n.dates import indonesian_date, local_moment
from casework.letters.addressees import handover_rule
from casework.mail import outbox
from casework.models import Case, Deadline, OversightBody, ReportedASN, StageChange
from casework.reports.reporter_status import public_status
from casework.road.sanctions import missing_slots, sanction_label
from casework.road.stages import TERMINAL_STAGES, Stage, TrackStage, label


@dataclass(frozen=True)
class Institution:
    """One addressee of a notice: an institution of the directory (its inbox may be missing) and its desk users."""

    kind: str  # oversight / bkpsdm / ppk / office / reporter
    name: str  # as the task and the salutation name it: "BKPSDM Kabupaten Kutai Kartanegara"
    inbox: str  # the directory's address; "" when missing
    people: tuple[str, ...] = ()  # its users' addresses (officers, handlers)
    directory: str = ""  # where the administrator fills the address: "agencies" / "oversight_bodies" / "offices"

    @property
    def addresses(self) -> list[str]:
        return [a for a in dict.fromkeys((self.inbox, *self.people)) if a]


@dataclass
class Notice:
    event: str  # the history row's id: names the event in the outbox key
    template: str
    to: Institution
    context: dict[str, Any] = field(default_factory=dict)


# --- who --------------------------------------------------------------------------------------------------------
def oversight_of(session: Session, body: OversightBody) -> Institution:
    return Institution("oversight", body.name, body.email,
                       tuple(_users(session, "oversight_officer", oversight_body_id=body.id)), "oversight_bodies")


def bkpsdm_of(session: Session, person: ReportedASN) -> Institution:
    agency = person.agency
    return Institution("bkpsdm", agency.personnel_unit_name, agency.personnel_unit_email,
                       tuple(_users(session, "bkpsdm_officer", agency_id=agency.id)), "agencies")


def ppk_of(person: ReportedASN) -> Institution:
    return Institution("ppk", person.agency.ppk_title, person.agency.ppk_email, (), "agencies")


def office_of(session: Session, case: Case) -> Institution:
    return Institution("office", case.office.short_name, case.office.email,
                       tuple(_users(session, "bawaslu_handler", office_id=case.office_id)), "offices")


HANDOVER = "handover_kasn"  # not a step: casework.road.handover's move of a KASN track, told like one


# --- what each event owes ---------------------------------------------------------------------------------------
def _due(session: Session, case: Case, person: ReportedASN | None, rule_id: str) -> dict[str, str] | None:
    """The open deadline the event started (from the deadline engine), as the email prints it."""
    stmt = select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == rule_id,
                                  Deadline.status == "open")
    if person is not None:
        stmt = stmt.where(Deadline.reported_asn_id == person.id)
    deadline = session.scalars(stmt.order_by(Deadline.id.desc())).first()
    if deadline is None:
        return None
    return {"when": local_moment(deadline.due_at, deadline.timezone),
            "label": deadline.explanation.get("label", rule_id),
            "basis": "batas hukum" if deadline.basis == "statute" else "target kebijakan"}


def owed(session: Session, case: Case, command: str, changes: list[StageChange],
         letters: list[str] | tuple[str, ...] = ()) -> list[Notice]:
    """The notices a step's history rows owe (see the module's table)."""
    notices: list[Notice] = []
    by_id = {p.id: p for p in case.reported}
    for change in changes:
        event = str(change.id)
        person = by_id.get(change.reported_asn_id) if change.reported_asn_id else None
        if person is None and change.to_stage == Stage.FORWARDED:
            people = [p for p in case.reported if p.track_stage == TrackStage.OVERSIGHT_REVIEW and p.oversight_body]
            for body in {p.oversight_body.id: p.oversight_body for p in people}.values():
                mine = [p for p in people if p.oversight_body_id == body.id]
                notices.append(Notice(event, "notice_forwarded.txt", oversight_of(session, body), {
                    "people": mine, "body": body,
                    "due": _due(session, case, mine[0], "oversight.recommendation")}))
        elif person is not None and command == "record_oversight_recommendation" \
                and change.to_stage == TrackStage.AGENCY_FOLLOW_UP:
            context = {"person": person, "due": _due(session, case, person, "agency.follow_up"),
                       "sanctions": [sanction_label(c) for c in person.recommended_sanctions]}
            notices += [Notice(event, "notice_recommendation.txt", to, context)
                        for to in (bkpsdm_of(session, person), ppk_of(person))]
        elif person is not None and command == HANDOVER and person.oversight_handover == "bkn":
            notices.append(Notice(event, "notice_handover.txt", oversight_of(session, person.oversight_body), {
                "person": person, "body": person.oversight_body, "basis": handover_rule()["basis"],
                "due": _due(session, case, person, "oversight.recommendation")}))
        elif person is not None and command == "record_sanction":
            decree = person.decrees[-1] if person.decrees else None
            notices.append(Notice(event, "notice_decree.txt", office_of(session, case), {
                "person": person, "decree": decree, "sanction": sanction_label(decree.sanction) if decree else "",
                "decree_date": indonesian_date(decree.signed_on) if decree else "",
                "complete": change.to_stage == TrackStage.SANCTIONED,
                "waiting": [sanction_label(c) for c in missing_slots(person)]}))
        elif person is None and change.to_stage in (Stage.REGISTERED, Stage.CLOSED) \
                and "status_announcement" not in letters and case.reporter and case.reporter.email:
            notices.append(Notice(event, "notice_reporter.txt",
                                  Institution("reporter", f"Sdr. {case.reporter.name}", case.reporter.email),
                                  {"stage": label(change.to_stage), "stage_code": change.to_stage,
                                   "public": public_status(session, case)}))
    return notices


def queue_owed(session: Session, case: Case, command: str, changes: list[StageChange], *, base_url: str,
               letters: list[str] | tuple[str, ...] = ()) -> int:
    """Queue every notice the step owes, one email per recipient; the number queued (0 when queued before)."""
    queued = 0
    base = base_url.rstrip("/")
    for notice in owed(session, case, command, changes, letters):
        subject, body = render(notice.template, case=case, office=case.office, to=notice.to,
                               url=f"{base}/kasus/{case.number}", status_url=f"{base}/status",
                               **notice.context)
        for address in notice.to.addresses:
            digest = hashlib.sha256(address.lower().encode()).hexdigest()[:16]
            queued += outbox.queue(session, dedup_key=f"notify:{notice.event}:{notice.to.kind}:{digest}",
                                   purpose=f"notice.{notice.template.removeprefix('notice_').removesuffix('.txt')}",
                                   recipients=[address], subject=subject, body=body, case_id=case.id) is not None
    return queued


# --- what is missing: a task on the case page --------------------------------------------------------------------
def missing_addresses(session: Session, case: Case) -> list[Institution]:
    """The institutions the case, as it stands, owes a notice or a letter and the directory has no address for:
    the oversight body while it examines, the BKPSDM and the PPK while the PPK must act, the handling office while
    the case is open. Computed from the directory each time: it goes away once the administrator fills it in."""
    if case.stage in TERMINAL_STAGES:
        return []
    wanted: list[Institution] = [office_of(session, case)]
    for person in case.reported:
        if person.track_stage == TrackStage.OVERSIGHT_REVIEW and person.oversight_body:
            wanted.append(oversight_of(session, person.oversight_body))
        elif person.track_stage == TrackStage.AGENCY_FOLLOW_UP:
            wanted += [bkpsdm_of(session, person), ppk_of(person)]
    seen: dict[tuple[str, str], Institution] = {}
    for institution in wanted:
        if not institution.inbox:
            seen.setdefault((institution.kind, institution.name), institution)
    return list(seen.values())


__all__ = ["Institution", "Notice", "case_url", "missing_addresses", "owed", "queue_owed"]
