"""Which certified signatures a letter gets, in which order, and recording them (issue 22).

A letter is signed electronically when its signer has a key (casework.signing: a PKCS#12 installed for that
official, or the remote service's credentials); otherwise it is issued as before, with the QR's record check
only, and says so. A signed letter whose kind takes a paraf (rules/letters.toml) is first initialled by the
office's paraf official on duty — the issuing user when they are one (the drafter), else the first — then signed.
The plan is made before a number is taken, so a missing key refuses the issue with nothing written; the
signatures are made after rendering, outside any transaction; and recorded with the letter when it is issued."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import audit
from casework.errors import CaseworkError
from casework.letters.kinds import LetterKind
from casework.letters.signers import Signer, on_duty
from casework.models import LetterSignature, Office, User
from casework.reference.timezones import zoneinfo
from casework.settings import Settings


@dataclass(frozen=True)
class PlannedSignature:
    role: str  # paraf | ttd
    official_id: int
    name: str
    title: str


@dataclass(frozen=True)
class SignaturePlan:
    office_code: str
    city: str
    timezone: str  # WIB | WITA | WIT | an office abroad's own
    steps: tuple[PlannedSignature, ...]

    def for_template(self) -> dict:
        return {"paraf": any(step.role == "paraf" for step in self.steps)}


def plan_signatures(session: Session, settings: Settings, office: Office, kind: LetterKind, signer: Signer,
                    on: date, username: str | None = None) -> SignaturePlan | None:
    """None: the signer has no key, the letter is not signed electronically. Refused (CaseworkError, nothing
    written) when the signer has one but the paraf official the letter needs does not."""
    from casework.signing.pades import signer_for

    backend = signer_for(settings)
    if signer.id is None or not backend.can_sign(office.code, signer.id):
        return None
    steps = []
    if kind.paraf:
        paraf = _paraf_official(session, office, on, username)
        if paraf is not None:
            if not backend.can_sign(office.code, paraf.id):
                raise CaseworkError("signing.key_missing", official=f"{paraf.name} ({paraf.title})",
                                    office=office.short_name)
            steps.append(PlannedSignature("paraf", paraf.id, paraf.name, paraf.title))
    steps.append(PlannedSignature("ttd", signer.id, signer.name, signer.title))
    return SignaturePlan(office.code, office.city or office.short_name, office.timezone, tuple(steps))


def _paraf_official(session: Session, office: Office, on: date, username: str | None):
    officials = on_duty(session, office, on, signs_as="paraf")
    if username:
        user_id = session.scalar(select(User.id).where(User.username == username))
        mine = next((o for o in officials if user_id is not None and o.user_id == user_id), None)
        if mine is not None:
            return mine
    return officials[0] if officials else None


def sign_letter(pdf: bytes, plan: SignaturePlan, settings: Settings, *, number: str, now: datetime):
    """The rendered letter with every planned signature, in order; and what each signature was made with."""
    from casework.signing.pades import SignatureRequest, signer_for
    from casework.signing.placement import box_for, signature_boxes

    backend, boxes, made = signer_for(settings), signature_boxes(pdf), []
    local = now.astimezone(zoneinfo(plan.timezone))
    when = f"{local:%d-%m-%Y %H:%M} {plan.timezone}"
    for index, step in enumerate(plan.steps):
        if step.role == "paraf":
            stamp = f"Paraf {_initials(step.name)}\n{local:%d-%m-%Y}\n{local:%H:%M} {plan.timezone}"
            reason = f"Paraf naskah dinas {number}"
        else:
            stamp = f"Ditandatangani secara elektronik oleh\n{step.name}\n{when}"
            reason = f"Penandatanganan naskah dinas {number}"
        request = SignatureRequest(role=step.role, office_code=plan.office_code, official_id=step.official_id,
                                   name=step.name, title=step.title, location=plan.city, reason=reason, stamp=stamp,
                                   last=index == len(plan.steps) - 1)
        pdf, signature = backend.sign(pdf, request, box_for(boxes, step.role))
        made.append(signature)
    return pdf, made


def _initials(name: str) -> str:
    """'Rina Kartika Sari (demo)' -> 'RKS': a paraf is initials."""
    words = [w for w in name.replace("(", " ").replace(")", " ").split() if w[:1].isalpha() and w[:1].isupper()]
    return "".join(w[0] for w in words)[:6] or name[:6]


def record_signatures(session: Session, letter_id: int, case_id: int | None, made: list, actor: str) -> None:
    """One row and one audit event per signature, in the transaction that issues the letter."""
    for position, signature in enumerate(made, start=1):
        cert = signature.certificate
        session.add(LetterSignature(letter_id=letter_id, position=position, role=signature.role,
                                    official_id=signature.official_id, name=signature.name, title=signature.title,
                                    cert_subject=cert.subject[:300], cert_issuer=cert.issuer[:300],
                                    cert_serial=cert.serial[:80], cert_sha256=cert.sha256,
                                    signed_at=signature.signed_at, timestamped=signature.timestamped))
        audit.record(session, actor=actor, action="letter.signed", entity="letter", entity_id=letter_id,
                     case_id=case_id, after={"position": position, "role": signature.role, "name": signature.name,
                                             "certificate": cert.sha256, "serial": cert.serial,
                                             "timestamped": signature.timestamped})
