"""Reference data that the rules files define (roles, oversight bodies, the real elections), synced into the
database idempotently."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import rules
from casework.i18n.catalog import translate
from casework.models import OversightBody, Role
from casework.reference.elections import sync_rule_elections


def sync_reference_data(session: Session) -> None:
    roles = {r.code: r for r in session.scalars(select(Role))}
    for spec in rules.load("roles")["roles"]:
        role = roles.get(spec["code"]) or Role(code=spec["code"])
        # name_en stays a column (its English from the catalog); the desk translates name_id itself
        role.name_id, role.name_en = spec["name_id"], translate(spec["name_id"], "en")
        session.add(role)

    bodies = {b.code: b for b in session.scalars(select(OversightBody))}
    for spec in rules.load("oversight_bodies")["bodies"]:
        body = bodies.get(spec["code"]) or OversightBody(code=spec["code"])
        body.name = spec["name"]
        body.valid_from, body.valid_to = spec["valid_from"], spec.get("valid_to")
        body.basis, body.city, body.address = spec.get("basis", ""), spec.get("city", ""), spec.get("address", "")
        if not body.email:  # the address is the directory's: the administrator's edit outlives every sync
            body.email = spec.get("email", "")
        session.add(body)
    sync_rule_elections(session)
