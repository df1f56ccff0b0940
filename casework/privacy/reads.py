"""The access log (docs/privacy.md §3): the desk and the API note here every read of a reporter's identity, an
evidence file, a decree or a letter that names a protected person; `reads` lists them for one case or one person.

The rows are written in the caller's transaction, the one that served the data; they are not audit events (every
audit event takes the hash chain's lock, and a page view must not wait for the slowest write)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casework.access.principal import Principal
from casework.errors import NotFound
from casework.models import Case, PersonalDataRead, ReportedASN, utcnow
from casework.road.nip import normalize_nip

KINDS = ("reporter", "evidence", "decree", "letter")


def note_read(session: Session, principal: Principal, case: Case | int, kind: str, *,
              person: ReportedASN | None = None, item: str = "", channel: str = "desk",
              at: datetime | None = None) -> None:
    assert kind in KINDS, kind
    session.add(PersonalDataRead(at=at or utcnow(), actor=principal.username,
                                 case_id=case if isinstance(case, int) else case.id, kind=kind,
                                 reported_asn_id=person.id if person is not None else None, item=item[:200],
                                 channel=channel))


def reads(session: Session, *, case_number: str | None = None, nip: str | None = None) -> list[dict[str, Any]]:
    """Every read of one case's personal data (`case_number`), or of one reported person's (`nip`: their decrees,
    and the reporter, evidence and letters of every case they are on), oldest first."""
    stmt = select(PersonalDataRead, Case.number).join(Case, Case.id == PersonalDataRead.case_id)
    if case_number is not None:
        if session.scalar(select(Case.id).where(Case.number == case_number)) is None:
            raise NotFound("case.not_found", number=case_number)
        stmt = stmt.where(Case.number == case_number)
    if nip is not None:
        people = select(ReportedASN.id).where(ReportedASN.nip == normalize_nip(nip))
        cases = select(ReportedASN.case_id).where(ReportedASN.nip == normalize_nip(nip))
        stmt = stmt.where(or_(PersonalDataRead.reported_asn_id.in_(people),
                              PersonalDataRead.reported_asn_id.is_(None) & PersonalDataRead.case_id.in_(cases)))
    rows = session.execute(stmt.order_by(PersonalDataRead.id)).all()
    return [{"at": r.at.isoformat().replace("+00:00", "Z"), "actor": r.actor, "case": number, "kind": r.kind,
             "item": r.item, "channel": r.channel} for r, number in rows]
