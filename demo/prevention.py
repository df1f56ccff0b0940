"""The demo's register of prevention work (demo/data/prevention.toml), recorded through the same command as the
desk's form (casework.prevention.register), dated relative to the day the demo is loaded; an activity already
there (same kind and title) is left as it is, so loading twice changes nothing."""
from __future__ import annotations

import tomllib
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.access.principal import operator
from casework.models import PreventionActivity
from casework.prevention.register import ActivityInput, record_activity
from casework.road.inputs import Upload
from casework.settings import Settings

DATA = Path(__file__).resolve().parent / "data" / "prevention.toml"


def load_prevention(session: Session, settings: Settings, today: date) -> int:
    """Record the demo's activities not there yet; how many were added."""
    from demo.loader import demo_decree_pdf  # the demo's stand-in PDF (demo.loader imports this module)

    with open(DATA, "rb") as fh:
        specs = tomllib.load(fh)["activities"]
    who, added = operator("demo-loader"), 0
    for n, spec in enumerate(specs, start=1):
        if session.scalar(select(PreventionActivity.id).where(PreventionActivity.kind == spec["kind"],
                                                              PreventionActivity.title == spec["title"])):
            continue
        held_on = today - timedelta(days=spec["days_ago"])
        document = None
        if "document" in spec:
            number = f"{n}/{spec['kind'].upper()}/{held_on.year}"
            pdf = demo_decree_pdf(number, title=spec.get("document_title", "DOKUMEN"))
            document = Upload(spec["document"], pdf)
        record_activity(session, ActivityInput(
            kind=spec["kind"], title=spec["title"], region=spec.get("region", ""), held_on=held_on,
            agency=spec.get("agency", ""), unit=spec.get("unit", ""), participants=spec.get("participants", ""),
            signatories=spec.get("signatories", ""), unit_asn=spec.get("unit_asn", ""),
            sk_number=spec.get("sk_number", ""), notes=spec.get("notes", ""), document=document),
            principal=who, settings=settings)
        added += 1
    return added
