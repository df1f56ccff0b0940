"""Sanctions (domain.md §5): the kinds and levels of casework/rules/sanctions.toml, the checks on a recorded
sanction decree (SK), and the decree's PDF.

A decree is checked as a whole before anything is written, and every problem is listed: the penalty must belong
to the level chosen, the decree date cannot be in the future, a penalty with a duration needs the day it takes
effect and ends exactly that many months later, nothing takes effect before the decree is signed, and the PDF
must be a PDF. The PDF is stored like evidence (casework/evidence.py): outside the database and the web root
under a random name, sha256 recorded, content checked by its magic bytes, size limited, read back only after its
hash is checked.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from casework.errors import CaseworkError, Problem, ValidationError
from casework.i18n.catalog import translate
from casework.models import ReportedASN
from casework.rules import load
from casework.settings import Settings
from casework.road.inputs import Upload

MAX_DECREE_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
DECREE_SUBDIR = "sk"  # under the evidence directory


@dataclass(frozen=True)
class SanctionLevel:
    code: str
    category: str
    label_id: str  # Bahasa Indonesia, a msgid of the catalog
    basis: str

    def label(self, lang: str = "id") -> str:
        return translate(self.label_id, lang)


@dataclass(frozen=True)
class SanctionKind:
    code: str
    category: str
    level: str
    label_id: str  # Bahasa Indonesia, a msgid of the catalog
    basis: str
    duration_months: int | None = None

    def label(self, lang: str = "id") -> str:
        return translate(self.label_id, lang)

    def ends_on(self, start: date) -> date | None:
        """The last day of a penalty with a duration that takes effect on `start` (None: no duration)."""
        if not self.duration_months:
            return None
        return add_months(start, self.duration_months) - timedelta(days=1)


@cache
def levels() -> dict[str, SanctionLevel]:
    return {spec["code"]: SanctionLevel(spec["code"], spec["category"], spec["label_id"], spec["basis"])
            for spec in load("sanctions")["levels"]}


@cache
def kinds() -> dict[str, SanctionKind]:
    return {spec["code"]: SanctionKind(spec["code"], spec["category"], spec["level"], spec["label_id"],
                                       spec["basis"], spec.get("duration_months"))
            for spec in load("sanctions")["kinds"]}


def sanction_label(code: str | None, lang: str = "id") -> str | None:
    if not code:
        return None
    kind = kinds().get(code)
    return kind.label(lang) if kind else code


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


def store_decree_pdf(session: Session, person: ReportedASN, upload: Upload, settings: Settings) -> None:
    """Write the (already checked) PDF under a random name and link it to the reported ASN. If the transaction
    rolls back, the file is removed again: no stored file without its row."""
    stored = f"{secrets.token_hex(16)}.pdf"
    path = decree_dir(settings) / stored
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as fh:
        fh.write(upload.data)
        fh.flush()
        os.fsync(fh.fileno())
    _remove_on_rollback(session, path)
    person.decree_file = stored
    person.decree_file_name = Path(upload.filename or "sk.pdf").name[:200] or "sk.pdf"
    person.decree_file_size = len(upload.data)
    person.decree_file_sha256 = upload.sha256


def _remove_on_rollback(session: Session, path: Path) -> None:
    settled = False

    def committed(_session) -> None:
        nonlocal settled
        settled = True

    def rolled_back(_session) -> None:
        nonlocal settled
        if not settled:
            path.unlink(missing_ok=True)
            settled = True

    event.listen(session, "after_commit", committed)
    event.listen(session, "after_rollback", rolled_back)


def decree_pdf(person: ReportedASN, settings: Settings) -> bytes:
    """Exactly the stored bytes, checked against the recorded sha256."""
    if not person.decree_file:
        raise CaseworkError("sanction.no_decree_file", name=person.name)
    data = (decree_dir(settings) / person.decree_file).read_bytes()
    if hashlib.sha256(data).hexdigest() != person.decree_file_sha256:
        raise CaseworkError("evidence.tampered", name=person.decree_file_name)
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


def check_decree(data: Any, *, today: date, ppk_title: str) -> Decree:
    """Every problem of a sanction decree at once (ValidationError), or the decree to record. `data` is the step's
    typed input (casework.road.steps.RecordSanction): its fields are well-formed; this checks what they mean."""
    problems: list[Problem] = []
    level, kind = levels()[data.sanction_level], kinds()[data.sanction]
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


def outcome(person: ReportedASN, lang: str = "id") -> dict[str, Any]:
    """One reported ASN's sanction record as plain data (case page, CLI): recommended vs imposed, the decree."""
    return {
        "recommended_sanction": person.recommended_sanction,
        "recommended_label": sanction_label(person.recommended_sanction, lang),
        "sanction": person.sanction,
        "sanction_label": sanction_label(person.sanction, lang),
        "decree_number": person.decree_number,
        "decree_date": person.decree_date.isoformat() if person.decree_date else None,
        "decree_signer": ", ".join(x for x in (person.decree_signer_name, person.decree_signer_title) if x) or None,
        "effective_from": person.effective_from.isoformat() if person.effective_from else None,
        "effective_until": person.effective_until.isoformat() if person.effective_until else None,
        "decree_file": person.decree_file_name if person.decree_file else None,
        "finding_reason": person.finding_reason,
    }
