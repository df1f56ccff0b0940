"""Who a letter goes to and who gets a copy (tembusan), from the case and the letter kind."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.errors import CaseworkError
from casework.letters.kinds import LetterKind
from casework.models import Case, HearingInvitee, OversightBody, ReportedASN
from casework.road.oversight import body_valid_on
from casework.rules import load


@dataclass(frozen=True)
class Addressee:
    lines: tuple[str, ...]
    di: str
    person: ReportedASN | None = None
    # stable across renames and reorderings ("reporter", "reported:<id>", "ppk:<id>", ...): what a letter request
    # (casework.letters.requests) remembers to find its addressee again when the letter is issued
    key: str = ""
    invitee: HearingInvitee | None = None  # a hearing's invitee (an invitation letter): which hearing, who
    # False: still found (an earlier letter's correction, a request of before) but owed no new letter — an invitee
    # of a hearing that was rescheduled or held
    current: bool = True

    @property
    def label(self) -> str:
        return self.lines[0]


def handover_rule() -> dict:
    """SE Menpan-RB 4/2024's handover of KASN's files (rules/oversight_bodies.toml; casework.road.handover)."""
    return load("oversight_bodies")["handover"]


def oversight_body(session: Session, case: Case, on: date, person: ReportedASN | None = None):
    """The track's body; a KASN track handed over under SE Menpan-RB 4/2024 (casework.road.handover) is BKN's
    business from then on, also when KASN's recommendation stays in force."""
    tracked = person.oversight_body if person else next((p.oversight_body for p in case.reported
                                                          if p.oversight_body), None)
    if person is not None and person.oversight_handover is not None and tracked is not None:
        spec = handover_rule()  # read once: a rules file, not a constant
        if tracked.code == spec["from"]:
            return session.scalar(select(OversightBody).where(OversightBody.code == spec["unprocessed_to"]))
    return tracked or body_valid_on(session, on)


def oversight_head(body) -> str:
    spec = next(b for b in load("oversight_bodies")["bodies"] if b["code"] == body.code)
    return spec["head_title"]


def addressees(session: Session, case: Case, kind: LetterKind, on: date) -> list[Addressee]:
    tracks = [p for p in case.reported if p.track_stage] if kind.per_track else list(case.reported)
    r = kind.recipient
    match r:
        case "reporter":
            if case.reporter is None:
                raise CaseworkError("letter.no_recipient", kind=kind.code, why="temuan: tidak ada pelapor")
            return [Addressee((f"Sdr. {case.reporter.name}",), case.reporter.address, key=r)]
        case "reported":
            return [Addressee((f"Sdr. {p.name}", p.position, p.agency.name), p.agency.city or p.agency.name, p,
                              key=f"{r}:{p.id}") for p in case.reported]
        case "oversight":
            people = tracks if kind.per_track else [None]
            return [Addressee((oversight_head(body := oversight_body(session, case, on, p)),), body.city, p,
                              key=f"{r}:{p.id}" if p else r) for p in people]
        case "ppk":
            return [Addressee((p.agency.ppk_title,), p.agency.city or "Tempat", p, key=f"{r}:{p.id}") for p in tracks]
        case "ppk_supervisor":
            return [Addressee((p.agency.ppk_supervisor or "Menteri Dalam Negeri",), "Jakarta", p, key=f"{r}:{p.id}")
                    for p in tracks]
        case "institution":  # one letter per institution the plenary referred someone to
            names = referred_institutions(case)
            if not names:
                raise CaseworkError("letter.no_recipient", kind=kind.code, why="pleno belum meneruskan")
            # one institution (nearly always): the key it always had, so requests asked before still find it
            return [Addressee((f"Pimpinan {name}",), "Tempat", key=institution_key(name, len(names))) for name in names]
        case "invitee":
            return _invitees(session, case)
        case "police":  # one letter per person whose suspected crime was declared (casework.road.criminal)
            people = [p for p in case.reported if p.criminal_stage]
            if not people:
                raise CaseworkError("letter.no_recipient", kind=kind.code, why="belum ada dugaan tindak pidana")
            unit = police_unit(case)
            return [Addressee((unit,), _area(case), p, key=f"{r}:{p.id}") for p in people]
        case "body":  # one letter per person who is not an ASN, to their own institution (its head)
            return [Addressee((p.agency.ppk_title,), p.agency.city or "Tempat", p, key=f"{r}:{p.id}")
                    for p in case.reported if p.track_stage and p.person_kind != "asn"]
        case "none":
            return [Addressee(("Berita acara",), "", key=r)]
    raise ValueError(kind.recipient)


def _area(case: Case) -> str:
    return case.regency.name.removeprefix("Kabupaten ")


def police_unit(case: Case) -> str:
    """The police unit of the handling office's area (rules/criminal.toml [police], Netra's policy)."""
    titles = load("criminal")["police"]
    return titles.get(case.office.kind, titles["bawaslu_kabkota"]).format(
        regency=_area(case), province=case.office.province.name)


def referred_institutions(case: Case) -> list[str]:
    """The institutions the plenary referred someone to, in the order of the people (a case decided before
    per-person outcomes names one, on the case)."""
    names = [p.plenary_referred_to for p in case.reported if p.plenary_outcome == "other_law" and p.plenary_referred_to]
    return list(dict.fromkeys(names)) or ([case.forwarded_to] if case.forwarded_to else [])


def institution_key(name: str, count: int) -> str:
    """A referral letter's addressee key: "institution" when the plenary referred to one, else one per name
    (hashed: an addressee key holds at most 100 characters)."""
    if count == 1:
        return "institution"
    return "institution:" + hashlib.sha256(" ".join(name.lower().split()).encode()).hexdigest()[:16]


def institution_name(case: Case, key: str) -> str:
    """The institution an addressee key names ("" when the key is not a referral letter's)."""
    names = referred_institutions(case)
    return next((name for name in names if institution_key(name, len(names)) == key), "")


def invitee_addressee(invitee: HearingInvitee, current: bool = True) -> Addressee:
    key = f"invitee:{invitee.id}:{invitee.kind}"
    match invitee.kind:
        case "reported":
            p = invitee.reported_asn
            return Addressee((f"Sdr. {p.name}", p.position, p.agency.name), p.agency.city or p.agency.name, p,
                             key, invitee, current)
        case "reporter":
            return Addressee((f"Sdr. {invitee.name}",), invitee.reporter.address or "Tempat", None, key, invitee,
                             current)
        case "witness":
            return Addressee((f"Sdr. {invitee.name}",), invitee.witness.address or "Tempat", None, key, invitee,
                             current)
    lines = (f"Sdr. {invitee.name}", invitee.role) if invitee.role else (f"Sdr. {invitee.name}",)
    return Addressee(lines, "Tempat", None, key, invitee, current)


def _invitees(session: Session, case: Case) -> list[Addressee]:
    """The invitees of the hearing in force first (each owed an invitation), then those of earlier hearings."""
    from casework.road.hearings import hearings_of  # casework.road imports the letters: import when used

    ordered = sorted(hearings_of(session, case), key=lambda h: (h.status != "scheduled", -h.id))
    return [invitee_addressee(i, h.status == "scheduled") for h in ordered for i in h.invitees]


def tembusan(session: Session, case: Case, kind: LetterKind, on: date, person: ReportedASN | None) -> list[str]:
    # an invitation is copied to nobody but its own addressee's PPK; the forward's copies go to the agencies of
    # the people forwarded, not of those the plenary cleared
    people = [person] if person else [] if kind.recipient == "invitee" else [
        p for p in case.reported if kind.code != "recommendation_to_oversight"
        or p.plenary_outcome in (None, "violation") and p.person_kind == "asn"]
    out: list[str] = []
    for token in kind.tembusan:
        if token == "ppk":
            out += [p.agency.ppk_title for p in people]
        elif token == "bkpsdm":
            out += [p.agency.personnel_unit_name for p in people]
        elif token == "oversight":
            out.append(oversight_head(oversight_body(session, case, on, person)))
            if person is not None and person.oversight_handover == "menpanrb":  # the PPK reports there now
                out.append(handover_rule()["processed_report_to"])
        elif token == "parent_office" and case.office.parent:
            out.append(case.office.parent.head_title)
    return list(dict.fromkeys(out))


