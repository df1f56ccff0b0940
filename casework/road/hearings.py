"""Clarification hearings: scheduling, rescheduling and the minutes of the one held (domain.md §3, clarification).

Who is invited is said with short codes, the same on the desk (checkboxes), the CLI (`--invitees`, repeated) and
an API: `reported:<NIP>` for a reported ASN, `reporter`, `witness:<n>` for the case's n-th witness; anyone else is
a line "name; role" of `others`. Each invitee gets their own invitation letter (casework.letters.addressees).
"""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework.errors import CaseworkError, Problem, ValidationError
from casework.i18n.dates import Day, indonesian_day_date
from casework.models import Case, Hearing, HearingInvitee, LetterRequest

NAME_MAX = 200


def hearings_of(session: Session, case: Case) -> list[Hearing]:
    """The case's hearings, first scheduled first."""
    return list(session.scalars(select(Hearing).where(Hearing.case_id == case.id).order_by(Hearing.id)))


def current_hearing(session: Session, case: Case) -> Hearing | None:
    """The schedule in force: the latest hearing still `scheduled` (an earlier one was rescheduled or held)."""
    return next((h for h in reversed(hearings_of(session, case)) if h.status == "scheduled"), None)


def held_hearing(session: Session, case: Case) -> Hearing | None:
    return next((h for h in reversed(hearings_of(session, case)) if h.status == "held"), None)


def when(hearing: Hearing) -> str:
    """"Kamis, 3 Desember 2026, 09.00 WITA, Kantor ...": the schedule as a letter and the timeline say it."""
    return f"{indonesian_day_date(hearing.scheduled_on)}, {clock_text(hearing)}, {hearing.place}"


def clock_text(hearing: Hearing) -> str:
    return f"{hearing.scheduled_time:%H.%M} {hearing.timezone}"


def party_options(case: Case) -> list[tuple[str, str, str]]:
    """(code, name, kind) of each party the case can invite: its reported ASN, its reporter, its witnesses."""
    out = [(f"reported:{p.nip}", p.name, "reported") for p in case.reported]
    if case.reporter is not None:
        out.append(("reporter", case.reporter.name, "reporter"))
    out += [(f"witness:{n}", w.name, "witness") for n, w in enumerate(case.witnesses, start=1)]
    return out


def code_of(invitee: HearingInvitee) -> str:
    """The invitee's code, as the attendance of the minutes names them."""
    match invitee.kind:
        case "reported":
            return f"reported:{invitee.reported_asn.nip}"
        case "reporter":
            return "reporter"
    return f"{invitee.kind}:{invitee.position}"


def invitees_from(case: Case, codes: tuple[str, ...], others: str) -> list[HearingInvitee]:
    """The invitees the codes and the lines of `others` name, or ValidationError listing every unknown one."""
    people = {f"reported:{p.nip}": p for p in case.reported}
    witnesses = {f"witness:{n}": w for n, w in enumerate(case.witnesses, start=1)}
    problems, out = [], []
    for code in codes:
        if code in people:
            p = people[code]
            out.append(HearingInvitee(kind="reported", reported_asn=p, name=p.name, role="", position=1))
        elif code == "reporter" and case.reporter is not None:
            out.append(HearingInvitee(kind="reporter", reporter=case.reporter, name=case.reporter.name,
                                      role="", position=1))
        elif code in witnesses:
            w = witnesses[code]
            out.append(HearingInvitee(kind="witness", witness=w, name=w.name, role="",
                                      position=int(code.split(":")[1])))
        else:
            problems.append(Problem("invitees", "hearing.unknown_invitee", {"value": code[:64]}))
    for n, line in enumerate((x.strip() for x in (others or "").splitlines() if x.strip()), start=1):
        name, _, role = (part.strip() for part in line.partition(";"))
        if len(name) > NAME_MAX or len(role) > NAME_MAX or not name:
            problems.append(Problem("others", "hearing.other_too_long", {"value": line[:64]}))
            continue
        out.append(HearingInvitee(kind="other", name=name, role=role, position=n))
    if not out and not problems:
        problems.append(Problem("invitees", "hearing.no_invitee"))
    if problems:
        raise ValidationError(problems)
    return out


def check_date(field: str, on: date, today: date) -> list[Problem]:
    """A hearing is scheduled on the act's date or later, never in the past."""
    if on < today:
        return [Problem(field, "hearing.date_past", {"date": Day(on), "today": Day(today)})]
    return []


def schedule(session: Session, case: Case, *, on: date, at: time, place: str, invitees: list[HearingInvitee],
             zone: str, actor: str, replaces: Hearing | None = None, reason: str = "") -> Hearing:
    hearing = Hearing(case_id=case.id, scheduled_on=on, scheduled_time=at, timezone=zone, place=place,
                      status="scheduled", replaces_id=replaces.id if replaces else None, reschedule_reason=reason,
                      minutes="", created_by=actor, invitees=invitees)
    session.add(hearing)
    session.flush()
    return hearing


def reschedule(session: Session, case: Case, *, on: date, at: time, place: str, reason: str, actor: str
               ) -> Hearing:
    """Move the schedule in force: it becomes `rescheduled` and a new hearing invites the same people again, each
    with a new letter that says so. Invitations of the old schedule not yet issued are cancelled: a letter naming a
    date that no longer holds must not go out."""
    old = current_hearing(session, case)
    if old is None:
        raise CaseworkError("hearing.none_scheduled")
    if (old.scheduled_on, old.scheduled_time, old.place) == (on, at, place):
        raise CaseworkError("hearing.same_schedule")
    old.status = "rescheduled"
    again = [HearingInvitee(kind=i.kind, reported_asn=i.reported_asn, reporter=i.reporter, witness=i.witness,
                            name=i.name, role=i.role, position=i.position)
             for i in old.invitees]
    _cancel_unissued(session, case, old)
    return schedule(session, case, on=on, at=at, place=place, invitees=again, zone=old.timezone, actor=actor,
                    replaces=old, reason=reason)


def cancel(session: Session, case: Case) -> Hearing | None:
    """The hearing in force is called off (the case was merged into another): `cancelled`, and its invitations not
    yet issued are cancelled with it — nobody is invited to a hearing that will not take place."""
    hearing = current_hearing(session, case)
    if hearing is None:
        return None
    hearing.status = "cancelled"
    _cancel_unissued(session, case, hearing)
    return hearing


def _cancel_unissued(session: Session, case: Case, hearing: Hearing) -> None:
    """The hearing's invitations not yet issued are cancelled: a letter naming a date that no longer holds never
    goes out."""
    session.execute(update(LetterRequest).where(
        LetterRequest.case_id == case.id, LetterRequest.kind == "clarification_invitation",
        LetterRequest.status == "open",
        LetterRequest.addressee_key.in_([f"invitee:{i.id}:{i.kind}" for i in hearing.invitees]))
        .values(status="cancelled").execution_options(synchronize_session=False))


def record_minutes(session: Session, case: Case, *, minutes: str, attended: tuple[str, ...], today: date
                   ) -> Hearing:
    """The minutes of the hearing in force, once its date has come: who came and who did not."""
    hearing = current_hearing(session, case)
    if hearing is None:
        raise CaseworkError("hearing.none_scheduled")
    if today < hearing.scheduled_on:
        raise CaseworkError("hearing.not_yet", date=Day(hearing.scheduled_on), today=Day(today))
    codes = {code_of(i): i for i in hearing.invitees}
    unknown = [Problem("attended", "hearing.not_invited", {"value": c[:64]}) for c in attended if c not in codes]
    if unknown:
        raise ValidationError(unknown)
    for code, invitee in codes.items():
        invitee.attended = code in attended
    hearing.status, hearing.minutes, hearing.minutes_recorded_on = "held", minutes, today
    return hearing
