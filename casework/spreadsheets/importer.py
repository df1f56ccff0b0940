"""Importing a register: every row checked as intake checks a case, then all rows or none; rows already
imported (by their reference) are skipped, so importing a file twice creates nothing new."""
from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from casework import audit
from casework.adapters.db import transaction
from casework.errors import Problem, ValidationError
from casework.models import Case, Office
from casework.access.principal import operator
from casework.road.intake import IntakeInput, ReportedInput, ReporterInput, WitnessInput, open_case
from casework.spreadsheets.columns import BY_KEY, CHUNK
from casework.spreadsheets.reader import (
    FIELD_COLUMNS,
    REPORTED_KEYS,
    WITNESS_KEYS,
    ImportReport,
    RowResult,
    SheetRow,
    read_register,
)
from casework.textcheck import has_control_chars


def _lists(row: SheetRow, keys: tuple[str, ...]) -> int:
    """How many people the row names (the first key's count); a column with another count is a problem."""
    lead = keys[0]
    expected = len(row.values.get(lead) or [])
    for key in keys[1:]:
        items = row.values.get(key) or []
        if items and len(items) != expected:
            row.issues.append((key, None, Problem(key, "import.count_mismatch", {
                "count": len(items), "expected": expected, "other": BY_KEY[lead].header})))
    return expected


def _intake(row: SheetRow) -> IntakeInput:
    v = row.values
    n = _lists(row, REPORTED_KEYS)
    m = _lists(row, WITNESS_KEYS)

    def item(key: str, i: int, default: str = "") -> str:
        items = v.get(key) or []
        return (items[i] if i < len(items) else "") or default

    reporter = None
    if any(v.get(k) for k in ("reporter_name", "reporter_address", "reporter_phone", "reporter_email")):
        reporter = ReporterInput(name=v.get("reporter_name", ""), address=v.get("reporter_address", ""),
                                 phone=v.get("reporter_phone", ""), email=v.get("reporter_email", ""))
    return IntakeInput(
        source=v.get("source", ""), election=v.get("election", ""), office=v.get("office", ""),
        regency=v.get("regency", ""), district=v.get("district") or None, place=v.get("place", ""),
        occurred_on=v.get("occurred_on", ""), known_on=v.get("known_on", ""), received_on=v.get("received_on", ""),
        summary=v.get("summary", ""), chronology=v.get("chronology", ""),
        violations=[code for code in v.get("violations") or [] if code],
        reporter=reporter, found_by=v.get("found_by", ""),
        reported=[ReportedInput(nip=item("nip", i), name=item("asn_name", i), position=item("position", i),
                                agency=item("agency", i), rank=item("rank", i),
                                asn_kind=item("asn_kind", i, "PNS").upper(), work_unit=item("work_unit", i),
                                person_kind=item("person_kind", i, "asn").lower() or "asn",
                                village=item("village", i))
                  for i in range(n)],
        witnesses=[WitnessInput(name=item("witness_name", i), address=item("witness_address", i),
                                phone=item("witness_phone", i)) for i in range(m)],
        external_ref=v.get("ref") or None,
    )


def _column_of(problem: Problem) -> tuple[str | None, int | None]:
    """"reported[1].nip" -> ("nip", 1): the template column and which person in it."""
    name, item = problem.field, None
    if "[" in name:
        head, rest = name.split("[", 1)
        index, tail = rest.split("]", 1)
        name, item = f"{head}.{tail.lstrip('.')}" if tail.strip(".") else head, int(index)
    return FIELD_COLUMNS.get(name), item


class _Abort(Exception):
    """Leaves the import transaction without committing (dry run, or a row with problems)."""


def import_register(factory: sessionmaker[Session], source: str | Path | IO[bytes], *, actor: str,
                    dry_run: bool = False, at: datetime | None = None) -> ImportReport:
    """Import a register: every row through intake.open_case, all in one transaction; commit only when no row has
    a problem and this is not a dry run. A row whose reference is already a case is skipped, so importing the
    same file twice creates nothing new. A dry run does the same work and rolls it back."""
    data = source.read() if hasattr(source, "read") else Path(source).read_bytes()
    buffer = io.BytesIO(data)
    buffer.name = Path(source).name if isinstance(source, str | Path) else getattr(source, "name", "berkas")
    report, rows = read_register(buffer)
    report.dry_run = dry_run
    if report.file_problems:
        return report
    try:
        with transaction(factory) as session:
            audit.lock_chain(session)  # many audited cases, each taking number locks: the chain's lock first
            existing = _existing_refs(session, [r.values.get("ref", "") for r in rows])
            first_row: dict[str, int] = {}
            for row in rows:
                result = RowResult(row.number, row.values.get("ref", ""))
                report.rows.append(result)
                _import_row(session, row, result, existing, first_row, actor, at)
            if not report.ok or dry_run:
                raise _Abort
            imported = [r.number for r in report.rows if r.status == "imported"]
            if imported:
                audit.record(session, actor=actor, action="cases.imported", entity="import",
                             entity_id=hashlib.sha256(data).hexdigest()[:16],
                             after={"sha256": hashlib.sha256(data).hexdigest(), "cases": imported,
                                    "skipped": [r.ref for r in report.rows if r.status == "existing"]})
    except _Abort:
        for r in report.rows:
            if r.status == "imported":
                r.status, r.number = "ready", None  # rolled back: numbers were not kept
        return report
    report.done = True
    return report


def _existing_refs(session: Session, refs: list[str]) -> dict[str, tuple[str, str]]:
    refs = [r for r in dict.fromkeys(refs) if r]
    found = {}
    for start in range(0, len(refs), CHUNK):
        stmt = (select(Case.external_ref, Case.number, Office.code).join(Office, Case.office_id == Office.id)
                .where(Case.external_ref.in_(refs[start:start + CHUNK])))
        found.update({ref: (number, office) for ref, number, office in session.execute(stmt)})
    return found


def _import_row(session: Session, row: SheetRow, result: RowResult, existing: dict[str, tuple[str, str]],
                first_row: dict[str, int], actor: str, at: datetime | None) -> None:
    ref = result.ref
    issues = row.issues
    if not ref:
        issues.append(("ref", None, Problem("ref", "required")))
    elif len(ref) > 100:
        issues.append(("ref", None, Problem("ref", "too_long", {"max": 100})))
    elif has_control_chars(ref):
        issues.append(("ref", None, Problem("ref", "text.control_chars")))
    elif ref.upper().startswith("CONTOH"):
        issues.append(("ref", None, Problem("ref", "import.example_row")))
    elif ref in first_row:
        issues.append(("ref", None, Problem("ref", "import.duplicate_ref", {"ref": ref, "row": first_row[ref]})))
    elif ref in existing:
        number, office = existing[ref]
        if office == row.values.get("office"):
            result.status, result.number = "existing", number
            first_row[ref] = row.number
            return
        issues.append(("ref", None, Problem("ref", "import.ref_other_office",
                                            {"ref": ref, "number": number, "office": office})))
    if ref:
        first_row.setdefault(ref, row.number)
    data = _intake(row)
    result.people = {"reported": len(data.reported), "witness": len(data.witnesses)}
    flagged = {column for column, _item, _problem in issues}
    if "ref" in flagged:
        data.external_ref = None  # a refused reference is never written, even in a transaction rolled back
    try:
        # the command line's operator imports for any office; each row still lies in its office's area
        case = open_case(session, data, principal=operator(actor), at=at)
    except ValidationError as exc:
        for problem in exc.problems:
            column, item = _column_of(problem)
            if column not in flagged:  # a column the sheet already faulted is not faulted twice
                issues.append((column, item, problem))
    else:
        result.number, result.status = case.number, "imported"
    if issues:
        result.status, result.issues = "invalid", issues
