"""What a letter's template sees: plain data built from the case, usable after the session closes."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.errors import CaseworkError
from casework.i18n.dates import indonesian_date, indonesian_day_date
from casework.letters.addressees import addressees, institution_name, oversight_body, tembusan
from casework.letters.kinds import LetterKind
from casework.letters.signers import default_signer
from casework.models import Case, Deadline, Hearing, HearingInvitee, ReportedASN, StageChange
from casework.reports.reporter_status import display as display_receipt_code
from casework.road.outcomes import plenary_outcome
from casework.road.stages import label as stage_label
from casework.road.sanctions import sanction_with_basis
from casework.rules import basis_on, load, violation_basis, violation_catalogue
from casework.reference.timezones import zoneinfo
from casework.road.identifiers import kind_of


# --- what the templates see: plain data, usable after the session closes ---------------------------------------
def _last_reason(case: Case, stage: str) -> str:
    change = _last_change(case, stage)
    return change.reason if change else ""


def _last_change(case: Case, stage: str) -> StageChange | None:
    return next((h for h in reversed(case.history) if h.to_stage == stage), None)


def _deadline(session: Session, case: Case, rule_ids: set[str], person: ReportedASN | None = None) -> Deadline | None:
    stmt = select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id.in_(rule_ids))
    if person is not None:
        stmt = stmt.where(Deadline.reported_asn_id == person.id)
    return session.scalars(stmt.order_by(Deadline.id.desc())).first()


def _length_phrase(deadline: Deadline | None) -> str:
    """"14 hari kerja" — how a letter states a deadline (the rule id and citation notes stay in Netra)."""
    if deadline is None:
        return "-"
    day_kind = deadline.explanation.get("day_kind")
    if day_kind == "hours":
        return f"{deadline.explanation.get('length')} jam"
    kind = "kerja" if day_kind == "working" else "kalender"
    return f"{deadline.explanation.get('length')} hari {kind}"


ROLES = {"reported": "Terlapor", "reporter": "Pelapor", "witness": "Saksi"}


def _criminal(person: ReportedASN, zone: str) -> dict[str, str] | None:
    """The person's criminal part as the forward letter states it: the declaration's moment and the offence."""
    declared = next((e for e in reversed(person.criminal_events) if e.event == "declared"), None)
    if declared is None:
        return None
    at = declared.acted_at.astimezone(zoneinfo(zone)) if declared.acted_at else None
    return {"declared": indonesian_date(declared.acted_on) + (f" pukul {at:%H.%M} {zone}" if at else ""),
            "article": declared.article}


def _hearing(hearing: Hearing | None, invitee: HearingInvitee | None) -> dict[str, Any] | None:
    """The hearing as the invitation (with its invitee) and the minutes (with who came) print it."""
    if hearing is None:
        return None
    previous = hearing.replaces

    def person(i: HearingInvitee) -> dict[str, str]:
        return {"name": i.name, "role": ROLES.get(i.kind) or i.role or "Pihak terkait", "kind": i.kind}

    return {"when": indonesian_day_date(hearing.scheduled_on), "date": indonesian_date(hearing.scheduled_on),
            "time": f"{hearing.scheduled_time:%H.%M} {hearing.timezone}", "place": hearing.place,
            "status": hearing.status, "reason": hearing.reschedule_reason,
            "previous": {"when": indonesian_day_date(previous.scheduled_on),
                         "time": f"{previous.scheduled_time:%H.%M} {previous.timezone}",
                         "place": previous.place} if previous is not None else None,
            "invitee": person(invitee) if invitee is not None else None,
            "attended": [person(i) for i in hearing.invitees if i.attended],
            "absent": [person(i) for i in hearing.invitees if i.attended is False],
            "minutes": hearing.minutes}


def build_context(session: Session, case: Case, kind: LetterKind, recipient: int, on: date, *,
                  base_url: str) -> dict[str, Any]:
    """Everything a letter's template needs; `base_url` is the public site the letter points the reporter to."""
    targets = addressees(session, case, kind, on)
    if not 0 <= recipient < len(targets):
        raise CaseworkError("letter.bad_recipient", index=recipient, count=len(targets))
    to = targets[recipient]
    person = to.person
    office = case.office
    catalogue = violation_catalogue()
    zone = office.timezone
    body = oversight_body(session, case, on, person) if case.stage == "forwarded" or kind.per_track else None
    follow_up = _deadline(session, case, {"agency.follow_up"}, person) if person else None
    completion = _deadline(session, case, {"pemilu.completion", "pilkada.completion"})
    minutes = _last_change(case, "study")
    basis = load("letters")["basis"]
    if to.invitee is not None:  # an invitation: its invitee's hearing
        hearing = to.invitee.hearing
    elif kind.code == "clarification_minutes":  # the minutes: the hearing that was held
        from casework.road.hearings import held_hearing  # casework.road imports the letters: import when used
        hearing = held_hearing(session, case)
    else:
        hearing = None
    heard = _hearing(hearing, to.invitee)
    hal = kind.hal + (" (Penjadwalan Ulang)" if heard and heard["previous"] and to.invitee is not None else "")
    # the minutes are dated by the hearing they record, not by the day they were typed or issued
    dated = hearing.scheduled_on if hearing is not None and kind.code == "clarification_minutes" else on
    signer = default_signer(session, office, on)

    def person_data(p: ReportedASN) -> dict[str, Any]:
        return {"name": p.name, "nip": p.nip, "position": p.position, "rank": p.rank, "agency": p.agency.name,
                "ppk": p.agency.ppk_title,
                # each recommended sanction with the basis in force on the day of the act
                "recommended_sanction": "; ".join(sanction_with_basis(c, case.occurred_on) or c
                                                  for c in p.recommended_sanctions) or "-",
                # the plenary's outcome for this person (letters speak Indonesian)
                "plenary_outcome": p.plenary_outcome, "plenary_label": plenary_outcome(p)["plenary_label"] or "-",
                # the violations the plenary found for this person, each with its basis on the day of the act
                "plenary_violations": [f"{catalogue[c]['label_id']} ({violation_basis(c, case.occurred_on)})"
                                       for c in p.plenary_violations or [] if c in catalogue],
                "referred_to": p.plenary_referred_to, "criminal": _criminal(p, zone),
                # who they are (rules/person_kinds.toml): the identifier's name and the rule they broke
                "kind": p.person_kind, "kind_label": kind_of(p.person_kind).label_id,
                "id_label": kind_of(p.person_kind).id_label, "kind_basis": kind_of(p.person_kind).basis,
                "village": p.village}

    institution = institution_name(case, to.key) if kind.recipient == "institution" else ""

    return {
        "kind": kind.code,
        "office": {"name": office.name, "short_name": office.short_name, "address": office.address,
                   "email": office.email, "city": office.city, "timezone": zone},
        "letter": {"number": None, "sifat": kind.sifat, "lampiran": kind.lampiran, "hal": hal,
                   "place_date": f"{office.city}, {indonesian_date(dated)}", "on": on.isoformat(), "draft": False},
        "hearing": heard,
        "to": {"lines": list(to.lines), "di": to.di},
        "case": {"number": case.number, "register_number": case.register_number or "-", "summary": case.summary,
                 "place": case.place, "occurred": indonesian_date(case.occurred_on),
                 "received": indonesian_date(case.received_on), "election": case.election.name,
                 "source_label": "laporan" if case.source == "laporan" else "temuan", "stage": case.stage,
                 "stage_label": stage_label(case.stage), "forwarded_to": case.forwarded_to or "",
                 "violations": [f"{catalogue[v.code]['label_id']} ({violation_basis(v.code, case.occurred_on)})"
                                for v in case.violations if v.code in catalogue],
                 "reported": [person_data(p) for p in case.reported],
                 # the people the plenary found in violation (the forward's), and those referred to this letter's
                 # institution (a referral letter's)
                 # ... the forward to the oversight body names the ASN among them (the others go to their own
                 # institution: forward_to_body)
                 "in_violation": [person_data(p) for p in case.reported if p.plenary_outcome == "violation"
                                  and p.person_kind == "asn"],
                 "referred": [person_data(p) for p in case.reported if p.plenary_outcome == "other_law"
                              and (p.plenary_referred_to or case.forwarded_to) == institution],
                 "plenary_on": indonesian_date(case.plenary_decided_on) if case.plenary_decided_on else "-",
                 "referred_to": institution},
        "person": person_data(person) if person else None,
        # the reporter's receipt code and where to use it (the receipt letter)
        "status": {"code": display_receipt_code(case.receipt_code),
                   "url": f"{base_url.rstrip('/')}/status"},
        "detail": {
            "missing": _last_reason(case, "awaiting_completion"),
            "due": indonesian_date(completion.due_date) if completion else "-",
            "due_rule": _length_phrase(completion),
            "reason": _last_reason(case, "not_registered"),
            "when": heard["when"] if heard else "-",
            "minutes": heard["minutes"] if heard and heard["minutes"] else minutes.reason if minutes else "-",
            "status_reason": _last_reason(case, case.stage),
            "oversight_name": body.name if body else "",
            "follow_up_due": indonesian_date(follow_up.due_date) if follow_up else "-",
            "follow_up_rule": _length_phrase(follow_up),
            "kind_basis": kind.basis,
        },
        # the ASN law in force on the day of the act (UU 5/2014 before 31 October 2023, UU 20/2023 from then on)
        "basis": {"regime": basis[case.election.kind], "criminal": load("criminal")["letter"][case.election.kind],
                  "neutrality": basis_on({"basis": basis["neutrality"], "bases": basis.get("neutrality_bases", [])},
                                         case.occurred_on)},
        # the default signer (a draft); issuing puts the one chosen (casework.letters.issue)
        "signer": {"jabatan": signer.title, "name": signer.name, "nip": signer.nip},
        "tembusan": tembusan(session, case, kind, on, person),
        "recipient_label": to.label,
        "reported_asn_id": person.id if person else None,
        "unit": office.letter_unit_code,
        "qr": None,
        "verify_url": None,
    }


# --- rendering ------------------------------------------------------------------------------------------------------
