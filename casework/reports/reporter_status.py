"""The reporter's view of their report: a receipt code given at intake, and a public status page by that code.

The code is 12 characters of Crockford's base32 (digits and capitals without I, L, O, U: nothing to confuse when
typed from paper), printed in groups of four, 60 random bits from `secrets`. Typing O for 0 or I/L for 1, lower
case, spaces or dashes does not matter. A code opens only what `public_status` returns: the stage, key dates and
the decision in outline — never a name, NIP, address, the reporter's identity or the chronology.

Guessing is bounded by `RateLimiter`: lookups per client address and minute are counted in the database, so all
web workers share one count (an in-process counter would give each gunicorn worker its own allowance and forget
it on restart). The address is kept only as a keyed hash. With 2^60 codes and a few lookups a minute, guessing a
valid code is hopeless; an unknown code and a malformed one get the same answer.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from casework.i18n.dates import indonesian_date
from casework.adapters.db import transaction
from casework.models import AuditEvent, Case, InformationItem, RateLimitHit, utcnow
from casework.road.acts import act_date
from casework.road.sanctions import sanction_label
from casework.road.stages import Stage, TrackStage, label
from casework.reference.timezones import local_today

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
LENGTH = 12
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})
_DUMMY = "0" * LENGTH


def new_code(session: Session | None = None) -> str:
    """A fresh code (checked against the database when a session is given; a clash is 1 in 2^60 anyway)."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        # one code space for cases and initial information (a code taken up as a laporan keeps working)
        if session is None or not session.scalar(select(exists().where(Case.receipt_code == code))) \
                and not session.scalar(select(exists().where(InformationItem.receipt_code == code))):
            return code


def display(code: str | None) -> str | None:
    """ABCD-EFGH-JKMN: how the code is printed."""
    if not code:
        return None
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalize(raw: str | None) -> str | None:
    """The code as stored, or None when what was typed cannot be a code."""
    text = "".join((raw or "").split()).replace("-", "").upper().translate(_TYPED)
    if len(text) != LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text


def _holder(session: Session, model, raw: str | None):
    """The row of `model` (a case, an inbox item) holding a receipt code. Unknown and malformed codes take the same
    path and both return None."""
    code = normalize(raw)
    row = session.scalar(select(model).where(model.receipt_code == code)) if code else None
    # compare once more in constant time, doing the same work when nothing was found
    matches = hmac.compare_digest((row.receipt_code if row else _DUMMY).encode(), (code or "").encode())
    return row if row is not None and matches else None


def find_case(session: Session, raw: str | None) -> Case | None:
    """The case of a receipt code."""
    return _holder(session, Case, raw)


# --- what the public page shows ------------------------------------------------------------------------------------
PLENARY_SUMMARY = {"violation": "Pleno: pelanggaran netralitas ASN",
                   "not_violation": "Pleno: bukan pelanggaran netralitas ASN",
                   "other_law": "Pleno: pelanggaran hukum lain"}
ENDINGS = {Stage.NOT_REGISTERED: "Laporan tidak diregistrasi.", Stage.WITHDRAWN: "Laporan dicabut.",
           Stage.MERGED: "Laporan digabungkan dengan laporan lain tentang peristiwa yang sama.",
           Stage.SPAM: "Kiriman tidak ditindaklanjuti."}


def public_status(session: Session, case: Case, *, now: datetime | None = None) -> dict[str, Any]:
    """The status of a report without personal data: plain strings in Bahasa Indonesia, ready to show."""
    zone = case.office.timezone

    def day(moment: datetime | None) -> str | None:
        return indonesian_date(local_today(zone, moment)) if moment else None

    def first(stage: str) -> str | None:  # the day the act happened, not the day it was typed in
        change = next((h for h in case.history if h.to_stage == stage and h.reported_asn_id is None), None)
        return indonesian_date(act_date(change, zone)) if change else None

    plenary_at = session.scalar(select(AuditEvent.at).where(AuditEvent.case_id == case.id,
                                                            AuditEvent.action == "case.decide_plenary")
                                .order_by(AuditEvent.id).limit(1))
    # the day the plenary was held (its act date); a case decided before act dates: the day it was recorded
    plenary_day = indonesian_date(case.plenary_decided_on) if case.plenary_decided_on else day(plenary_at)
    ended = case.stage in (Stage.CLOSED, Stage.NOT_REGISTERED, Stage.WITHDRAWN, Stage.MERGED, Stage.SPAM)
    dates = [("Diterima", indonesian_date(case.received_on)), ("Diregistrasi", first(Stage.REGISTERED)),
             ("Putusan pleno", plenary_day), ("Diteruskan", first(Stage.FORWARDED)),
             ("Selesai" if case.stage == Stage.CLOSED else label(case.stage),
              indonesian_date(act_date(case.history[-1], zone)) if ended and case.history else None)]
    bodies = sorted({p.oversight_body.code for p in case.reported if p.oversight_body})
    decision = None
    if case.plenary_outcome:
        decision = PLENARY_SUMMARY[case.plenary_outcome]
        if case.plenary_outcome == "violation" and bodies:
            decision += f"; diteruskan ke {' dan '.join(bodies)}"
        elif case.plenary_outcome == "other_law" and case.forwarded_to:
            decision += f"; diteruskan kepada {case.forwarded_to}"
    elif case.stage in ENDINGS:
        decision = ENDINGS[case.stage]
    outcomes = []
    for n, person in enumerate(case.reported, start=1):
        if not person.track_stage:  # not forwarded: the plenary's outcome for them, once decided
            if person.plenary_outcome and person.plenary_outcome != "violation":
                outcomes.append(f"Terlapor {n}: {PLENARY_SUMMARY[person.plenary_outcome]}")
            continue
        text = label(person.track_stage)
        if person.track_stage == TrackStage.SANCTIONED:
            text += f" — {sanction_label(person.sanction)}"
        elif person.track_stage == TrackStage.AGENCY_FOLLOW_UP and person.recommended_sanction:
            text += f" (rekomendasi: {sanction_label(person.recommended_sanction)})"
        outcomes.append(f"Terlapor {n}: {text}")
    return {"number": case.number, "office": case.office.name, "election": case.election.name,
            "stage": case.stage, "stage_label": label(case.stage),
            "dates": [(name, value) for name, value in dates if value], "decision": decision, "outcomes": outcomes}


# initial information (casework.inbox) followed by its code: what became of it, without a word of its content
INFORMATION_STATUS = {"new": "Diterima sebagai informasi awal; sedang ditelaah.",
                      "taken_up": "Ditindaklanjuti Bawaslu sebagai temuan.",
                      "linked": "Ditindaklanjuti dalam penanganan kasus yang sudah berjalan.",
                      "dismissed": "Ditelaah dan tidak ditindaklanjuti."}


def find_item(session: Session, raw: str | None) -> InformationItem | None:
    """The item of a code (a code whose item became a laporan moved to the case: find_case finds it)."""
    return _holder(session, InformationItem, raw)


def public_information(item: InformationItem) -> dict[str, Any]:
    zone = item.office.timezone if item.office else "WIB"
    return {"number": f"IA-{item.id}", "office": item.office.name if item.office else "Bawaslu",
            "stage": item.status, "stage_label": "Informasi awal", "election": None,
            "dates": [("Diterima", indonesian_date(local_today(zone, item.received_at)))]
            + ([("Ditelaah", indonesian_date(local_today(zone, item.triaged_at)))] if item.triaged_at else []),
            "decision": INFORMATION_STATUS.get(item.status), "outcomes": []}


# --- rate limiting ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RateLimiter:
    """At most `limit` hits per client and `window` seconds, counted in Netra's database (one row per client and
    window; rows of past windows are deleted as new ones are counted)."""

    purpose: str
    limit: int
    window: int = 60

    def bucket(self, client: str, secret: str) -> str:
        digest = hmac.new(secret.encode(), client.encode(), hashlib.sha256).hexdigest()[:40]
        return f"{self.purpose}:{digest}"

    def hit(self, factory: sessionmaker[Session], client: str, *, secret: str, now: datetime | None = None) -> bool:
        """Count one request; False when the client is over the limit for this window."""
        with transaction(factory) as session:
            return self.hit_in(session, client, secret=secret, now=now)

    def hit_in(self, session: Session, client: str, *, secret: str, now: datetime | None = None) -> bool:
        """`hit`, in the caller's transaction (the API counts a request in the one that reads its token)."""
        now = now or utcnow()
        start = datetime.fromtimestamp(int(now.timestamp()) // self.window * self.window, UTC)
        key = self.bucket(client, secret)
        # this purpose's past windows only: limiters with other windows (an hour's) share the table
        session.execute(delete(RateLimitHit).where(RateLimitHit.bucket.startswith(f"{self.purpose}:"),
                                                   RateLimitHit.window_start < start))
        if not _bump(session, key, start):
            try:
                with session.begin_nested():  # another worker may insert the same row at the same time
                    session.add(RateLimitHit(bucket=key, window_start=start, hits=1))
            except IntegrityError:
                _bump(session, key, start)
        hits = session.scalar(select(RateLimitHit.hits).where(RateLimitHit.bucket == key,
                                                              RateLimitHit.window_start == start))
        return hits <= self.limit


def _bump(session: Session, key: str, start: datetime) -> bool:
    result = session.execute(update(RateLimitHit)
                             .where(RateLimitHit.bucket == key, RateLimitHit.window_start == start)
                             .values(hits=RateLimitHit.hits + 1)
                             .execution_options(synchronize_session=False))
    return result.rowcount > 0
