"""Applying a status export from SBT/I'DIS (docs/exchange.md): each row is one person's status — the oversight
body's recommendation or finding, the PPK's decree, BKN's block or its lifting — recorded through the same typed
command as the desk's, as the importing user, so the access module and every rule of the road apply unchanged and
each change is that step's own audit event.

All or nothing: every row runs in one transaction, each in a savepoint so a refused row leaves no trace for the
next; the import commits only when no row is refused and it is not a dry run (the dry run does all the work and
rolls it back, so what it says is what the import will do). A row whose person Netra does not know — or that the
importing user may not see — is listed as unknown and skipped: an export from BKN covers every office's cases. A
status Netra already holds is listed as unchanged, so importing the same file twice changes nothing."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from casework import audit
from casework.access.policy import Action, permits
from casework.access.principal import Principal, principal_named
from casework.adapters.db import transaction
from casework.errors import CaseworkError, Problem, ValidationError
from casework.exchange.statuses import StatusRow, StatusSheet, read_statuses
from casework.i18n.catalog import Text
from casework.i18n.messages import message
from casework.models import Case, ReportedASN
from casework.road.blocking import open_block
from casework.road.inputs import Upload
from casework.road.nip import normalize_nip
from casework.road.stages import TrackStage
from casework.road.track_steps import OversightOutcome, sanction_kinds, sanction_levels
from casework.road.workflow import take
from casework.settings import Settings
from casework.spreadsheets.reader import SheetReport

RECOMMEND = "record_oversight_recommendation"
# a status as an export writes it (casefolded, "_" and "-" read as spaces) -> the step, and the outcome it records
STATUSES: dict[str, tuple[str, str | None]] = {
    "rekomendasi": (RECOMMEND, OversightOutcome.SANCTION_RECOMMENDED.value),
    "rekomendasi sanksi": (RECOMMEND, OversightOutcome.SANCTION_RECOMMENDED.value),
    "recommendation": (RECOMMEND, OversightOutcome.SANCTION_RECOMMENDED.value),
    "tidak terbukti": (RECOMMEND, OversightOutcome.NOT_PROVEN.value),
    "not proven": (RECOMMEND, OversightOutcome.NOT_PROVEN.value),
    "ditolak": (RECOMMEND, OversightOutcome.REJECTED.value),
    "rejected": (RECOMMEND, OversightOutcome.REJECTED.value),
    "dibatalkan": (RECOMMEND, OversightOutcome.CANCELLED.value),
    "cancelled": (RECOMMEND, OversightOutcome.CANCELLED.value),
    "sk": ("record_sanction", None), "keputusan": ("record_sanction", None), "decree": ("record_sanction", None),
    "blokir": ("record_block", None), "block": ("record_block", None),
    "buka blokir": ("record_unblock", None), "unblock": ("record_unblock", None),
}
KNOWN = "rekomendasi, tidak terbukti, ditolak, dibatalkan, sk, blokir, buka blokir"  # as the docs list them
# the step's field -> the sheet's column, where their names differ
COLUMN_OF = {"decree_pdf": "decree_file", "acted_on": "date", "outcome": "status", "note": "reason"}
RESULTS = ("ready", "applied", "unchanged", "unknown", "invalid")


@dataclass
class RowOutcome:
    row: int
    nip: str
    register_number: str
    status: str
    step: str | None = None
    verdict: str | None = None  # the oversight body's outcome a recommendation row records (STATUSES)
    case: str | None = None
    name: str = ""
    result: str = "ready"  # RESULTS
    problems: list[Problem] = field(default_factory=list)  # Problem.field is the sheet's column key

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {"row": self.row, "nip": self.nip, "register_number": self.register_number, "status": self.status,
                "step": self.step, "case": self.case, "name": self.name, "result": self.result,
                "problems": [{"column": p.field, "code": p.code, "message": message(p.code, lang, **p.params)}
                             for p in self.problems]}


@dataclass
class StatusImport(SheetReport):
    RESULTS = RESULTS
    SUMMARY = "exchange"

    file: str
    sha256: str
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the file's own
    ignored_headers: list[str] = field(default_factory=list)
    done: bool = False  # committed

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "dry_run": self.dry_run, "applied": self.done,
                "ok": self.ok, "summary": self.summary(lang), "counts": {r: self.count(r) for r in RESULTS},
                "problems": [{"code": p.code, "message": message(p.code, lang, **p.params)} for p in self.problems],
                "ignored_headers": self.ignored_headers, "rows": [r.as_dict(lang) for r in self.rows]}


class _Abort(Exception):
    """Leaves the import's transaction without committing (a dry run, or a refused row)."""


def import_statuses(factory: sessionmaker[Session], data: bytes, name: str, *, actor: str, settings: Settings,
                    dry_run: bool = False, at: datetime | None = None) -> StatusImport:
    """Read and apply an export as user `actor` (see the module's docstring); the report says what each row did."""
    report = StatusImport(name, hashlib.sha256(data).hexdigest(), dry_run)
    sheet = read_statuses(data, name)
    report.problems, report.ignored_headers = sheet.problems, sheet.ignored_headers
    if sheet.problems:
        return report
    try:
        with transaction(factory) as session:
            audit.lock_chain(session)  # many audited steps, each on its own case: the chain's lock first
            principal = principal_named(session, actor)
            for row in sheet.rows:
                outcome = _outcome(row)
                report.rows.append(outcome)
                if not outcome.problems:
                    _apply(session, principal, sheet, row, outcome, settings, at)
                if outcome.problems:
                    outcome.result = "invalid"
            if not report.ok or dry_run:
                raise _Abort
            applied = [r for r in report.rows if r.result == "applied"]
            if not applied:  # an export Netra already holds: nothing changed, nothing to record
                raise _Abort
            audit.record(session, actor=principal.username, action="exchange.statuses_imported", entity="import",
                         entity_id=report.sha256[:16],
                         after={"file": name, "sha256": report.sha256,
                                "applied": [{"row": r.row, "case": r.case, "nip": r.nip, "step": r.step}
                                            for r in applied],
                                **{r: report.count(r) for r in ("unchanged", "unknown")}}, at=at)
    except _Abort:
        for r in report.rows:
            if r.result == "applied":
                r.result = "ready"  # rolled back: nothing of it was kept
        report.done = report.ok and not dry_run  # an import with nothing to apply is done too
        return report
    report.done = True
    return report


def _outcome(row: StatusRow) -> RowOutcome:
    raw = row.text("status")
    outcome = RowOutcome(row.number, normalize_nip(row.text("nip")), row.text("register_number"), raw)
    for key in ("nip", "register_number", "status"):
        if not row.text(key):
            outcome.problems.append(Problem(key, "required"))
    key = _status_key(raw)
    if raw and key not in STATUSES:
        outcome.problems.append(Problem("status", "exchange.unknown_status", {"value": raw, "known": KNOWN}))
    elif raw:
        outcome.step, outcome.verdict = STATUSES[key]
    return outcome


def _apply(session: Session, principal: Principal, sheet: StatusSheet, row: StatusRow, outcome: RowOutcome,
           settings: Settings, at: datetime | None) -> None:
    # a register number as a spreadsheet may have retyped it: "REG" for "Reg", spaces around the slashes
    register = "".join(outcome.register_number.split()).upper()
    person = session.scalar(select(ReportedASN).join(Case).where(
        func.upper(Case.register_number) == register, ReportedASN.nip == outcome.nip))
    if person is None or not permits(principal, Action.SEE_PERSON, person.case, person):
        outcome.result = "unknown"  # whether someone else's case exists is not told
        return
    case = person.case
    outcome.case, outcome.name = case.number, person.name
    fields, problems = _fields(sheet, row, outcome.step, outcome.verdict)
    if problems:
        outcome.problems += problems
        return
    if _already(person, outcome.step, fields):
        outcome.result = "unchanged"
        return
    acted_on = None if outcome.step == "record_sanction" else row.values.get("date")
    if acted_on is None and outcome.step != "record_sanction":
        outcome.problems.append(Problem("date", "required"))
        return
    try:
        with session.begin_nested():
            take(session, outcome.step, case_number=case.number, principal=principal, expected_version=None,
                 fields=fields, track=person.nip, settings=settings, at=at, acted_on=acted_on)
    except ValidationError as exc:
        outcome.problems += [Problem(COLUMN_OF.get(p.field, p.field), p.code, p.params) for p in exc.problems]
    except CaseworkError as exc:  # refused (not this user's step) or not at this point of the road
        outcome.problems.append(Problem("status", exc.code, exc.params))
    else:
        outcome.result = "applied"


def _status_key(raw: str) -> str:
    return " ".join(raw.replace("_", " ").replace("-", " ").split()).casefold()


def _fields(sheet: StatusSheet, row: StatusRow, step: str, outcome: str | None
            ) -> tuple[dict[str, Any], list[Problem]]:
    """The step's raw input from the row: choices given by code or by label, the decree's PDF from the ZIP."""
    text = row.text
    if step == RECOMMEND:
        return {"outcome": outcome, "sanction": _code(text("sanction"), sanction_kinds()),
                "second_sanction": _code(text("second_sanction"), sanction_kinds()), "reason": text("reason")}, []
    if step == "record_block":
        return {"reference": text("reference"), "note": text("reason")}, []
    if step == "record_unblock":
        return {"reference": text("reference"), "reason": text("reason")}, []
    fields: dict[str, Any] = {key: text(key) for key in ("decree_number", "decree_signer_name",
                                                         "decree_signer_title")}
    fields |= {key: row.values.get(key) for key in ("decree_date", "effective_from", "effective_until")}
    fields["sanction"] = _code(text("sanction"), sanction_kinds())
    fields["sanction_level"] = _code(text("sanction_level"), sanction_levels())
    if file_name := text("decree_file"):
        if file_name not in sheet.files:
            return {}, [Problem("decree_file", "exchange.file_missing", {"name": file_name})]
        fields["decree_pdf"] = Upload(file_name, sheet.files[file_name])
    return {k: v for k, v in fields.items() if v not in ("", None)}, []


def _code(value: str, choices: dict[str, Text]) -> str:
    """A choice's code, given as the code or as its label in either language; anything else as it came, for the
    step to refuse with its own message."""
    wanted = value.strip().casefold()
    for code, label in choices.items():
        if wanted in (code.casefold(), label.pick("id").casefold(), label.pick("en").casefold()):
            return code
    return value.strip()


def _already(person: ReportedASN, step: str, fields: dict[str, Any]) -> bool:
    """Whether Netra already holds this status, so the row changes nothing (an export read twice)."""
    if step == RECOMMEND:
        if fields["outcome"] == OversightOutcome.SANCTION_RECOMMENDED.value:
            return person.track_stage != TrackStage.OVERSIGHT_REVIEW and person.recommended_sanction is not None \
                and person.recommended_sanction == fields["sanction"]
        return person.track_stage == fields["outcome"]
    if step == "record_sanction":
        return any(d.number == fields.get("decree_number") for d in person.decrees)
    if step == "record_block":
        block = open_block(person)
        return block is not None and block.reference == fields["reference"]
    return any(b.unblock_reference == fields["reference"] for b in person.blocks)

