"""The oversight body in force on a date (KASN until 3 Sept 2024, BKN from 4 Sept 2024; rules/oversight_bodies.toml)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casework.models import OversightBody


def body_valid_on(session: Session, day: date) -> OversightBody:
    body = session.scalar(
        select(OversightBody)
        .where(OversightBody.valid_from <= day, or_(OversightBody.valid_to.is_(None), OversightBody.valid_to >= day))
        .order_by(OversightBody.valid_from.desc()).limit(1))
    if body is None:
        raise LookupError(f"no oversight body configured for {day.isoformat()}")
    return body
