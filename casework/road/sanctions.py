"""Sanctions (domain.md §5): the kinds and levels of casework/rules/sanctions.toml, the checks on a recorded
sanction decree (SK), and the decree's PDF.

A decree is checked as a whole before anything is written, and every problem is listed: the penalty must belong
to the level chosen, the decree date cannot be in the future, a penalty with a duration needs the day it takes
effect and ends exactly that many months later, nothing takes effect before the decree is signed, and the PDF
must be a PDF. The PDF is stored like evidence (casework/evidence.py): outside the database and the web root
under a random name, sha256 recorded, content checked by its magic bytes, size limited, read back only after its
hash is checked.

One reported ASN can carry a moral sanction and a discipline penalty together (SKB 2022, domain.md §5). A kind
fills one of two slots: `moral` (category ethics) or `penalty` (discipline, or dismissal for party membership).
The oversight body recommends one sanction, or one per slot; the PPK's BKPSDM records one decree per step. A track
with one sanction recommended closes on its decree, whatever penalty the PPK chose (as before); a track with both
recommended stays in follow-up until each slot has its decree, and a second decree for a filled slot is refused.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from casework.adapters.db import when_settled
from casework.errors import CaseworkError, Problem, ValidationError
from casework.i18n.catalog import N_, translate
from casework.models import ReportedASN, SanctionDecree
from casework.rules import basis_on, load
from casework.settings import Settings
from casework.road.inputs import Upload

MAX_DECREE_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
DECREE_SUBDIR = "sk"  # under the evidence directory


# a decree after an objection or appeal (casework.road.appeals): its status as the case page says it
DECREE_STATUS = {"revised": N_("diganti putusan keberatan/banding"), "annulled": N_("dibatalkan")}

MORAL, PENALTY = "moral", "penalty"  # the two slots a reported ASN's sanctions fill


@dataclass(frozen=True)
class SanctionLevel:
    code: str
    category: str
    label_id: str  # Bahasa Indonesia, a msgid of the catalog
    basis: str  # the citation in force today; `basis_on` for the day of an act
    spec: dict[str, Any]

    def label(self, lang: str = "id") -> str:
        return translate(self.label_id, lang)

    def basis_on(self, day: date | None, lang: str = "id") -> str:
        return basis_on(self.spec, day, lang)


@dataclass(frozen=True)
class SanctionKind:
    code: str
    category: str
    level: str
    label_id: str  # Bahasa Indonesia, a msgid of the catalog
    basis: str  # the citation in force today; `basis_on` for the day of an act
    spec: dict[str, Any]
    duration_months: int | None = None

    def label(self, lang: str = "id") -> str:
        return translate(self.label_id, lang)

    def basis_on(self, day: date | None, lang: str = "id") -> str:
        return basis_on(self.spec, day, lang)

    @property
    def slot(self) -> str:
        return MORAL if self.category == "ethics" else PENALTY

    @property
    def asn_kinds(self) -> tuple[str, ...]:
        """Who it may be imposed on (rules/sanctions.toml `asn_kinds`; absent: PNS and PPPK)."""
        return tuple(self.spec.get("asn_kinds", ("PNS", "PPPK")))

    def fits(self, asn_kind: str) -> bool:
        return asn_kind in self.asn_kinds

    def ends_on(self, start: date) -> date | None:
        """The last day of a penalty with a duration that takes effect on `start` (None: no duration)."""
        if not self.duration_months:
            return None
        return add_months(start, self.duration_months) - timedelta(days=1)


@cache
def levels() -> dict[str, SanctionLevel]:
    return {spec["code"]: SanctionLevel(spec["code"], spec["category"], spec["label_id"],
                                        basis_on(spec, date.today()), spec)
            for spec in load("sanctions")["levels"]}


@cache
def kinds() -> dict[str, SanctionKind]:
    return {spec["code"]: SanctionKind(spec["code"], spec["category"], spec["level"], spec["label_id"],
                                       basis_on(spec, date.today()), spec, spec.get("duration_months"))
            for spec in load("sanctions")["kinds"]}


def sanction_label(code: str | None, lang: str = "id") -> str | None:
    if not code:
        return None
    kind = kinds().get(code)
    return kind.label(lang) if kind else code


def sanction_with_basis(code: str | None, act_on: date | None, lang: str = "id") -> str | None:
    """"Pemberhentian tidak dengan hormat (UU 20/2023 Ps. 52 ...)": the label with the basis in force on the day
    of the act (the case's occurred_on) — letters and the desk print this."""
    kind = kinds().get(code or "")
    return f"{kind.label(lang)} ({kind.basis_on(act_on, lang)})" if kind else code


def missing_slots(person: ReportedASN) -> list[str]:
    """The recommended sanctions still without a decree (codes). One recommended: any decree fills it."""
    recommended = person.recommended_sanctions
    if len(recommended) <= 1:
        return [] if person.decrees else recommended
    filled = {kinds()[d.sanction].slot for d in person.decrees if d.sanction in kinds()}
    return [code for code in recommended if kinds()[code].slot not in filled]


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter: 31 Aug + 6 months = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- the decree PDF -----------------------------------------------------------------------------------------------
def pdf_problems(name: str, upload: Any) -> list[Problem]:
    if not isinstance(upload, Upload) or not upload.filename and not upload.data:
        return [Problem(name, "required")]
    if not upload.data:
        return [Problem(name, "evidence.empty")]
    if len(upload.data) > MAX_DECREE_BYTES:
        return [Problem(name, "evidence.too_large", {"max_mb": MAX_DECREE_BYTES // (1024 * 1024)})]
    if not upload.data.startswith(PDF_MAGIC):
        return [Problem(name, "sanction.not_pdf")]
    return []


def decree_dir(settings: Settings) -> Path:
    return settings.evidence_dir / DECREE_SUBDIR


def store_decree(session: Session, person: ReportedASN, decree: Decree, settings: Settings,
                 at: datetime) -> SanctionDecree:
    """Write the (already checked) PDF under a random name and record the decree; the first decree of a track is
    also kept on the person's row, where single-sanction readers have always found it. If the transaction rolls
    back, the file is removed again: no stored file without its row."""
    upload, stored = decree.pdf, None
    if upload is not None:  # a revised penalty recorded from an appeal's decision may come without its PDF
        stored = f"{secrets.token_hex(16)}.pdf"
        path = decree_dir(settings) / stored
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as fh:
            fh.write(upload.data)
            fh.flush()
            os.fsync(fh.fileno())
        _remove_on_rollback(session, path)
    row = SanctionDecree(sanction=decree.kind.code, number=decree.number, signed_on=decree.signed_on,
                         signer_name=decree.signer_name, signer_title=decree.signer_title,
                         effective_from=decree.effective_from, effective_until=decree.effective_until, file=stored,
                         file_name=Path(upload.filename or "sk.pdf").name[:200] or "sk.pdf" if upload else None,
                         file_size=len(upload.data) if upload else None,
                         file_sha256=upload.sha256 if upload else None, recorded_at=at, status="in_force")
    if not person.decrees:
        person.sanction = row.sanction
        person.decree_number, person.decree_date = row.number, row.signed_on
        person.decree_signer_name, person.decree_signer_title = row.signer_name, row.signer_title
        person.effective_from, person.effective_until = row.effective_from, row.effective_until
        person.decree_file, person.decree_file_name = row.file, row.file_name
        person.decree_file_size, person.decree_file_sha256 = row.file_size, row.file_sha256
    person.decrees.append(row)
    return row


def _remove_on_rollback(session: Session, path: Path) -> None:
    when_settled(session, rolled_back=lambda: path.unlink(missing_ok=True))


def decree_pdf(person: ReportedASN, settings: Settings, decree: SanctionDecree | None = None) -> bytes:
    """Exactly the stored bytes (of `decree`, else of the track's first decree), checked against their sha256."""
    name, stored, sha = ((decree.file_name, decree.file, decree.file_sha256) if decree is not None
                         else (person.decree_file_name, person.decree_file, person.decree_file_sha256))
    if not stored:
        raise CaseworkError("sanction.no_decree_file", name=person.name)
    data = (decree_dir(settings) / stored).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha:
        raise CaseworkError("evidence.tampered", name=name)
    return data


# --- checking a decree --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decree:
    kind: SanctionKind
    number: str
    signed_on: date
    signer_name: str
    signer_title: str
    effective_from: date | None
    effective_until: date | None
    pdf: Upload


def wrong_asn_kind(field: str, code: str | None, asn_kind: str) -> list[Problem]:
    """A penalty of one kind of ASN asked for another (a PPPK's contract ended for a PNS, a PNS demotion for a
    PPPK): refused, naming who it is for."""
    kind = kinds().get(code or "")
    if kind is None or kind.fits(asn_kind):
        return []
    return [Problem(field, "sanction.wrong_asn_kind", {"kind": kind.label_id, "asn_kind": asn_kind,
                                                       "allowed": "/".join(kind.asn_kinds)})]


def check_decree(data: Any, *, today: date, ppk_title: str, asn_kind: str = "PNS") -> Decree:
    """Every problem of a sanction decree at once (ValidationError), or the decree to record. `data` is the step's
    typed input (casework.road.steps.RecordSanction): its fields are well-formed; this checks what they mean."""
    level, kind = levels()[data.sanction_level], kinds()[data.sanction]
    problems: list[Problem] = wrong_asn_kind("sanction", kind.code, asn_kind)
    if kind.level != level.code:
        problems.append(Problem("sanction", "sanction.level_mismatch",
                                {"kind": kind.label_id, "level": level.label_id,
                                 "actual": levels()[kind.level].label_id}))
    signed, start, until = data.decree_date, data.effective_from, data.effective_until
    if signed > today:
        problems.append(Problem("decree_date", "case.date_in_future", {"value": signed.isoformat()}))
    if start and start < signed:
        problems.append(Problem("effective_from", "sanction.starts_before_decree",
                                {"start": start.isoformat(), "signed": signed.isoformat()}))
    if start and until and until < start:
        problems.append(Problem("effective_until", "sanction.dates_reversed",
                                {"until": until.isoformat(), "start": start.isoformat()}))
    elif kind.duration_months:
        if start is None:
            problems.append(Problem("effective_from", "sanction.start_required",
                                    {"kind": kind.label_id, "months": kind.duration_months}))
        elif until and until != kind.ends_on(start):
            problems.append(Problem("effective_until", "sanction.wrong_duration",
                                    {"kind": kind.label_id, "months": kind.duration_months,
                                     "expected": kind.ends_on(start).isoformat()}))
    elif until:
        problems.append(Problem("effective_until", "sanction.no_duration", {"kind": kind.label_id}))
    problems += pdf_problems("decree_pdf", data.decree_pdf)
    if problems:
        raise ValidationError(problems)
    return Decree(kind=kind, number=data.decree_number, signed_on=signed, signer_name=data.decree_signer_name,
                  signer_title=data.decree_signer_title or ppk_title, effective_from=start,
                  effective_until=until or (kind.ends_on(start) if start else None), pdf=data.decree_pdf)


def outcome(person: ReportedASN, lang: str = "id", act_on: date | None = None) -> dict[str, Any]:
    """One reported ASN's sanction record as plain data (case page, CLI): recommended vs imposed, the decrees.
    The single-sanction fields are the track's first recommendation and first decree, as they always were;
    `recommended_sanctions` and `decrees` list them all. Bases are those in force on `act_on` (the act's day)."""
    return {
        "recommended_sanction": person.recommended_sanction,
        "recommended_label": sanction_label(person.recommended_sanction, lang),
        "recommended_sanctions": [{"code": c, "label": sanction_label(c, lang),
                                   "basis": kinds()[c].basis_on(act_on, lang) if c in kinds() else None}
                                  for c in person.recommended_sanctions],
        "awaiting_decree": [sanction_label(c, lang) for c in missing_slots(person)]
        if person.track_stage == "agency_follow_up" else [],
        "sanction": person.sanction,
        "sanction_label": sanction_label(person.sanction, lang),
        "decree_number": person.decree_number,
        "decree_date": person.decree_date.isoformat() if person.decree_date else None,
        "decree_signer": ", ".join(x for x in (person.decree_signer_name, person.decree_signer_title) if x) or None,
        "effective_from": person.effective_from.isoformat() if person.effective_from else None,
        "effective_until": person.effective_until.isoformat() if person.effective_until else None,
        "decree_file": person.decree_file_name if person.decree_file else None,
        "decrees": [{"id": d.id, "sanction": d.sanction, "label": sanction_label(d.sanction, lang),
                     "basis": kinds()[d.sanction].basis_on(act_on, lang) if d.sanction in kinds() else None,
                     "number": d.number, "date": d.signed_on.isoformat(),
                     "signer": ", ".join(x for x in (d.signer_name, d.signer_title) if x) or None,
                     "effective_from": d.effective_from.isoformat() if d.effective_from else None,
                     "effective_until": d.effective_until.isoformat() if d.effective_until else None,
                     "file": d.file_name if d.file else None, "status": d.status,
                     "status_label": translate(DECREE_STATUS[d.status], lang) if d.status in DECREE_STATUS else None}
                    for d in person.decrees],
        "finding_reason": person.finding_reason,
    }
