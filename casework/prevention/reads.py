"""The register of prevention work, read (casework.prevention.register writes it): the list, one activity and its
document for whoever sees the register (Action.SEE_PREVENTION), and the pledges and pacts that cover a reported
person — of their agency, agency-wide or of their own work unit — placed against the incident's date."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from casework.access.policy import Action, authorize
from casework.access.principal import Principal
from casework.errors import CaseworkError, NotFound
from casework.models import PreventionActivity, ReportedASN
from casework.prevention.register import SIGNED
from casework.settings import Settings


def get_activity(session: Session, principal: Principal, activity_id: int) -> PreventionActivity:
    authorize(principal, Action.SEE_PREVENTION)
    activity = session.get(PreventionActivity, activity_id)
    if activity is None:
        raise NotFound("prevention.not_found", id=activity_id)
    return activity


def activities(session: Session, principal: Principal, *, region_code: str | None = None, kind: str | None = None,
               agency_id: int | None = None) -> list[PreventionActivity]:
    """The register, newest first; a province's code takes in its regencies."""
    authorize(principal, Action.SEE_PREVENTION)
    query = select(PreventionActivity).options(selectinload(PreventionActivity.agency),
                                               selectinload(PreventionActivity.office))
    if region_code:
        column = PreventionActivity.region_code
        query = query.where(column.startswith(region_code, autoescape=True) if len(region_code) == 2
                            else column == region_code)
    if kind:
        query = query.where(PreventionActivity.kind == kind)
    if agency_id is not None:
        query = query.where(PreventionActivity.agency_id == agency_id)
    return list(session.scalars(query.order_by(PreventionActivity.held_on.desc(), PreventionActivity.id.desc())))


def document_bytes(session: Session, principal: Principal, activity_id: int,
                   settings: Settings) -> tuple[bytes, str]:
    """The stored document's bytes and name, for whoever sees the register, after its hash is checked."""
    activity = get_activity(session, principal, activity_id)
    if not activity.document_file:
        raise NotFound("prevention.no_document", id=activity_id)
    data = (settings.evidence_dir / activity.document_file).read_bytes()
    if hashlib.sha256(data).hexdigest() != activity.document_sha256:
        raise CaseworkError("evidence.tampered", name=activity.document_name)
    return data, activity.document_name or "dokumen.pdf"


# --- pledges beside a reported person -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Pledge:
    """A pledge or pact that covers a reported person: of their agency, agency-wide or of their own work unit."""

    activity_id: int
    kind: str
    agency: str
    unit: str  # "": the whole agency
    held_on: date
    signatories: int | None
    share: float | None  # 0–1, where the unit's ASN were counted
    when: str  # "before" / "same_day" / "after" the incident; "" when the incident's date is not known

    def as_dict(self) -> dict[str, Any]:
        return {"activity_id": self.activity_id, "kind": self.kind, "agency": self.agency, "unit": self.unit,
                "held_on": self.held_on.isoformat(), "signatories": self.signatories,
                "share": round(self.share, 4) if self.share is not None else None, "when": self.when}


def pledges_for(session: Session, person: ReportedASN) -> list[Pledge]:
    """The pledges and pacts of a reported ASN's agency that cover them, oldest first, each placed against the
    incident (`case.occurred_on`)."""
    return pledges_of(session, [person]).get(person.id, [])


def pledges_of(session: Session, people: list[ReportedASN]) -> dict[int, list[Pledge]]:
    """`pledges_for` of several people of one case at once (one query): {person id: pledges}."""
    agencies = {p.agency_id for p in people if p.agency_id is not None}
    if not agencies:
        return {}
    rows = session.scalars(select(PreventionActivity).options(selectinload(PreventionActivity.agency))
                           .where(PreventionActivity.kind.in_(SIGNED), PreventionActivity.agency_id.in_(agencies))
                           .order_by(PreventionActivity.held_on, PreventionActivity.id)).all()
    out: dict[int, list[Pledge]] = {}
    for person in people:
        unit = (person.work_unit or "").strip().casefold()
        occurred = person.case.occurred_on if person.case is not None else None
        out[person.id] = [Pledge(a.id, a.kind, a.agency.name, a.unit, a.held_on, a.signatories, a.share,
                                 _when(a.held_on, occurred))
                          for a in rows if a.agency_id == person.agency_id
                          and (not a.unit.strip() or a.unit.strip().casefold() == unit)]
    return out


def _when(signed: date, occurred: date | None) -> str:
    if occurred is None:
        return ""
    return "before" if signed < occurred else "same_day" if signed == occurred else "after"
