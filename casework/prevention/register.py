"""The register of prevention work (issue 21): socialisation events, neutrality pledges (ikrar netralitas),
integrity pacts (pakta integritas) and neutrality task forces, recorded by Bawaslu's handlers in their office's area
(Action.RECORD_PREVENTION), seen by whoever has a dashboard (Action.SEE_PREVENTION).

Each kind takes its own fields (FIELDS); a form is checked whole before anything is written, every problem listed
(ValidationError). A pledge's or pact's signed document is a PDF checked and kept like evidence (casework.road.evidence:
outside the database under a random name, its sha256 recorded, read back only after its hash is checked).

An edit carries the version the user read; a stale one is refused. A mistaken entry is deleted, not withdrawn: the
register records no legal act, so nothing needs to stay visible once it is known to be wrong, and every other reader
of the table (the map's coverage layer) can count rows as they are. The audit trail keeps the deleted row whole
(with its document's sha256); the document's file goes once the deletion is committed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import audit
from casework.access.policy import Action, authorize, decide
from casework.access.principal import Principal
from casework.adapters.db import when_settled
from casework.errors import CaseworkError, NotFound, Problem, ValidationError
from casework.i18n.catalog import N_, Text
from casework.models import Agency, Office, PreventionActivity, Province, Regency, utcnow
from casework.models.prevention import PREVENTION_KINDS
from casework.reference.timezones import local_today
from casework.road.evidence import check_file, keep_file
from casework.road.inputs import Upload
from casework.settings import Settings
from casework.textcheck import EARLIEST, has_control_chars

KIND_LABELS: dict[str, Text] = {"socialisation": N_("Sosialisasi netralitas"), "pledge": N_("Ikrar netralitas"),
                                "integrity_pact": N_("Pakta integritas"), "task_force": N_("Satgas netralitas")}
assert set(KIND_LABELS) == set(PREVENTION_KINDS)
SIGNED = ("pledge", "integrity_pact")  # the kinds with signatories and a signed document
# the fields of each kind, and which of them are required
FIELDS: dict[str, tuple[str, ...]] = {
    "socialisation": ("title", "region", "held_on", "participants", "agency", "notes"),
    "pledge": ("agency", "unit", "region", "held_on", "signatories", "unit_asn", "document", "title", "notes"),
    "integrity_pact": ("agency", "unit", "region", "held_on", "signatories", "unit_asn", "document", "title",
                       "notes"),
    "task_force": ("agency", "sk_number", "region", "held_on", "title", "notes"),
}
REQUIRED: dict[str, frozenset[str]] = {
    "socialisation": frozenset({"title", "held_on", "participants"}),
    "pledge": frozenset({"agency", "held_on", "signatories"}),
    "integrity_pact": frozenset({"agency", "held_on", "signatories"}),
    "task_force": frozenset({"agency", "sk_number", "held_on"}),
}  # and a region: typed, or the agency's own
LIMITS = {"title": 300, "unit": 200, "sk_number": 200, "notes": 5000}  # the columns' sizes (notes: the desk's)
MAX_COUNT = 10_000_000  # more people than any agency employs: a typing error


@dataclass(frozen=True)
class ActivityInput:
    """One activity as a form, the CLI or a loader gives it: text as typed, the document as uploaded."""

    kind: str
    title: str = ""
    region: str = ""  # a province (2 digits) or regency (4); empty: the agency's own region
    held_on: date | str = ""
    participants: int | str = ""
    agency: str = ""  # the agency's code
    unit: str = ""  # the work unit; empty: the whole agency
    signatories: int | str = ""
    unit_asn: int | str = ""
    sk_number: str = ""
    notes: str = ""
    document: Upload | None = None


@dataclass(frozen=True)
class Checked:
    values: dict[str, Any]
    agency: Agency | None
    document: Upload | None


# --- the commands -------------------------------------------------------------------------------------------------
def record_activity(session: Session, data: ActivityInput, *, principal: Principal, settings: Settings,
                    at: datetime | None = None) -> PreventionActivity:
    """Check, then record one activity with an audit event; ValidationError (nothing written) otherwise."""
    authorize(principal, Action.RECORD_PREVENTION)
    at = at or utcnow()
    checked = _check(session, data, principal, at)
    office = _office_for(session, principal, checked.values["region_code"])
    activity = PreventionActivity(kind=data.kind, office=office, recorded_by=principal.username,
                                  recorded_at=at, version=1, **checked.values)
    session.add(activity)
    _keep_document(session, activity, checked.document, settings)
    session.flush()
    audit.record(session, actor=principal.username, action="prevention.recorded", entity="prevention_activity",
                 entity_id=activity.id, after=summary(activity), at=at)
    return activity


def edit_activity(session: Session, activity_id: int, data: ActivityInput, *, version: int | None,
                  principal: Principal, settings: Settings, at: datetime | None = None) -> PreventionActivity:
    """Change an activity as read at `version` (its kind stays); the document is kept unless a new one comes."""
    activity = _for_change(session, activity_id, version, principal)
    at = at or utcnow()
    if data.kind != activity.kind:
        raise ValidationError([Problem("kind", "prevention.kind_fixed", {"kind": KIND_LABELS[activity.kind]})])
    checked = _check(session, data, principal, at)
    before = summary(activity)
    for name, value in checked.values.items():
        setattr(activity, name, value)
    if checked.document is not None:
        _drop_file_when_committed(session, activity.document_file, settings)
        _keep_document(session, activity, checked.document, settings)
    activity.version += 1
    session.flush()
    audit.record(session, actor=principal.username, action="prevention.edited", entity="prevention_activity",
                 entity_id=activity.id, before=before, after=summary(activity), at=at)
    return activity


def delete_activity(session: Session, activity_id: int, *, version: int | None, principal: Principal,
                    settings: Settings, at: datetime | None = None) -> None:
    activity = _for_change(session, activity_id, version, principal)
    before = summary(activity)
    _drop_file_when_committed(session, activity.document_file, settings)
    session.delete(activity)
    audit.record(session, actor=principal.username, action="prevention.deleted", entity="prevention_activity",
                 entity_id=activity_id, before=before, at=at or utcnow())


def _for_change(session: Session, activity_id: int, version: int | None, principal: Principal) -> PreventionActivity:
    authorize(principal, Action.RECORD_PREVENTION)
    # locked until commit on PostgreSQL (SQLite's writers queue at BEGIN IMMEDIATE): two edits of one version
    # cannot both pass the check below
    activity = session.get(PreventionActivity, activity_id, with_for_update=True)
    if activity is None:
        raise NotFound("prevention.not_found", id=activity_id)
    authorize(principal, Action.RECORD_PREVENTION, region_code=activity.region_code)
    if version != activity.version:
        raise CaseworkError("prevention.stale", expected=version if version is not None else "-",
                            current=activity.version)
    return activity


# --- checking a form ----------------------------------------------------------------------------------------------
def _check(session: Session, data: ActivityInput, principal: Principal, at: datetime) -> Checked:
    if data.kind not in FIELDS:
        raise ValidationError([Problem("kind", "bad_choice", {"value": str(data.kind)[:64],
                                                              "choices": ", ".join(PREVENTION_KINDS)})])
    problems: list[Problem] = []

    def add(name: str, message_code: str, /, **params: Any) -> None:
        problems.append(Problem(name, message_code, params))

    fields, required = FIELDS[data.kind], REQUIRED[data.kind]
    raw = {name: getattr(data, name) for name in ActivityInput.__dataclass_fields__ if name != "kind"}
    for name, value in raw.items():
        given = value is not None and value != "" and not (isinstance(value, Upload) and not value.data
                                                           and not value.filename)
        if given and name not in fields:
            add(name, "prevention.not_for_kind", kind=KIND_LABELS[data.kind])
        elif not given and name in required:
            add(name, "required")
    text = {name: raw[name].strip() if isinstance(raw[name], str) else "" for name in LIMITS}
    for name, limit in LIMITS.items():
        if len(text[name]) > limit:
            add(name, "too_long", max=limit)
        elif has_control_chars(text[name]):
            add(name, "text.control_chars")

    agency = None
    if data.agency and "agency" in fields:
        agency = session.scalar(select(Agency).where(Agency.code == str(data.agency).strip()))
        if agency is None:
            add("agency", "prevention.unknown_agency", code=str(data.agency).strip()[:64])
    region = str(data.region or "").strip() or (agency.regency_code or agency.province_code or "" if agency else "")
    province = _region(session, region) if region else None
    if region and province is None:
        add("region", "case.unknown_region", code=region[:8])
    elif province is not None:
        decision = decide(principal, Action.RECORD_PREVENTION, region_code=region)
        if not decision:
            add("region", decision.code, **decision.params)
        elif agency is not None and not _agency_fits(agency, region):
            add("agency", "prevention.agency_region", agency=agency.name, region=region,
                area=agency.regency_code or agency.province_code)
    elif not region:
        add("region", "required")

    held_on = _day(add, data.held_on) if data.held_on not in (None, "") else None
    today = local_today(province.timezone if province else "WIB", at)
    if held_on and held_on > today:
        add("held_on", "case.date_in_future", value=held_on.isoformat())

    counts = {name: _count(add, name, getattr(data, name)) if name in fields else None
              for name in ("participants", "signatories", "unit_asn")}
    if counts["signatories"] and counts["unit_asn"] and counts["signatories"] > counts["unit_asn"]:
        add("signatories", "prevention.more_than_asn", signatories=counts["signatories"], asn=counts["unit_asn"])

    document = data.document if data.document is not None and data.document.data else None
    if document is not None and "document" in fields:
        try:
            _, ext = check_file(document.filename or "dokumen.pdf", document.data)
            if ext != "pdf":
                add("document", "prevention.document_pdf")
        except CaseworkError as exc:
            add("document", exc.code, **exc.params)
    if problems:
        raise ValidationError(problems)
    title = text["title"] or _default_title(data.kind, agency, text["unit"])
    values = {"title": title[:300], "region_code": region, "agency": agency,
              "unit": text["unit"], "held_on": held_on, "participants": counts["participants"],
              "signatories": counts["signatories"], "unit_asn": counts["unit_asn"], "reference": text["sk_number"],
              "notes": text["notes"]}
    return Checked(values, agency, document)


def _region(session: Session, code: str) -> Province | None:
    """The province a region code names or lies in; None for an unknown code."""
    if len(code) == 2 and code.isdigit():
        return session.get(Province, code)
    if len(code) == 4 and code.isdigit():
        regency = session.get(Regency, code)
        return regency.province if regency else None
    return None


def _agency_fits(agency: Agency, region: str) -> bool:
    """An agency's work can take place in its own area: a regency's government in the regency (or at its
    province's level), a province's anywhere in the province, a central one anywhere."""
    if agency.regency_code:
        return region in (agency.regency_code, agency.regency_code[:2])
    if agency.province_code:
        return region[:2] == agency.province_code
    return True


def _day(add, value: date | str) -> date | None:
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            add("held_on", "case.bad_date", value=str(value)[:32])
            return None
    if value < EARLIEST:
        add("held_on", "case.date_too_old", value=value.isoformat(), earliest=EARLIEST.isoformat())
        return None
    return value


def _count(add, name: str, value: int | str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip().replace(".", ""))  # 1.250 as Indonesians write a thousand
    except ValueError:
        add(name, "prevention.bad_count", value=str(value)[:32])
        return None
    if not 1 <= number <= MAX_COUNT:
        add(name, "prevention.bad_count", value=str(value)[:32])
        return None
    return number


def _default_title(kind: str, agency: Agency | None, unit: str) -> str:
    where = ", ".join(x for x in (unit, agency.name if agency else "") if x)
    return f"{KIND_LABELS[kind]} {where}".strip()


def _office_for(session: Session, principal: Principal, region: str) -> Office:
    """The recording office: the handler's own; for the server's operator, the Bawaslu office of the region (the
    regency's, else the province's, else Bawaslu RI)."""
    if principal.office_id is not None:
        return session.get(Office, principal.office_id)
    for kind, column, code in (("bawaslu_kabkota", Office.regency_code, region),
                               ("bawaslu_provinsi", Office.province_code, region[:2]),
                               ("bawaslu_ri", None, None)):
        query = select(Office).where(Office.kind == kind)
        office = session.scalar(query.where(column == code) if column is not None else query)
        if office is not None and (len(region) == 4 or kind != "bawaslu_kabkota"):
            return office
    raise CaseworkError("prevention.no_office", region=region)


# --- the document -------------------------------------------------------------------------------------------------
def _keep_document(session: Session, activity: PreventionActivity, document: Upload | None,
                   settings: Settings) -> None:
    if document is None:
        return
    stored = keep_file(document.data, "pdf", settings)
    path = settings.evidence_dir / stored
    when_settled(session, rolled_back=lambda: path.unlink(missing_ok=True))  # no file without its row
    name = (document.filename or "dokumen.pdf").replace("\\", "/").rsplit("/", 1)[-1][:200] or "dokumen.pdf"
    activity.document_file, activity.document_name = stored, name
    activity.document_size, activity.document_sha256 = len(document.data), document.sha256


def _drop_file_when_committed(session: Session, stored: str | None, settings: Settings) -> None:
    if stored:
        path = settings.evidence_dir / stored
        when_settled(session, committed=lambda: path.unlink(missing_ok=True))


def summary(activity: PreventionActivity) -> dict[str, Any]:
    """An activity as plain data: `netra prevention list --json` and the audit trail."""
    share = activity.share
    return {"id": activity.id, "kind": activity.kind, "title": activity.title, "region": activity.region_code,
            "agency": activity.agency.code if activity.agency else None, "unit": activity.unit,
            "held_on": activity.held_on.isoformat() if activity.held_on else None,
            "participants": activity.participants, "signatories": activity.signatories,
            "unit_asn": activity.unit_asn, "share": round(share, 4) if share is not None else None,
            "sk_number": activity.reference, "notes": activity.notes,
            "office": activity.office.code if activity.office else None,
            "document": {"name": activity.document_name, "size": activity.document_size,
                         "sha256": activity.document_sha256} if activity.document_file else None,
            "recorded_by": activity.recorded_by, "version": activity.version}
