"""The demo's IKP scores and ASN headcounts (demo/data/figures.toml), recorded through the same command as an
import (casework.prevention.figures), so loading twice changes nothing."""
from __future__ import annotations

import tomllib
from pathlib import Path

from sqlalchemy.orm import Session

from casework.access.principal import operator
from casework.prevention.figures import CountInput, ScoreInput, record_count, record_score

DATA = Path(__file__).resolve().parent / "data" / "figures.toml"


def load_figures(session: Session) -> int:
    """Record the demo's figures; returns how many were added or changed."""
    with open(DATA, "rb") as fh:
        data = tomllib.load(fh)
    sources, who = data["sources"], operator("netra-demo")
    changed = 0
    for spec in data["ikp"]:
        plan = record_score(session, who, ScoreInput(
            region_code=spec["region"], year=spec["year"], score=spec["score"], source=sources[spec["source"]],
            election=spec.get("election", ""), theme=spec.get("theme", "overall"),
            dimension=spec.get("dimension", ""), band=spec.get("band", ""), source_url=spec.get("url", "")))
        changed += plan.result != "unchanged"
    counts = data["asn_counts"]
    for region, count in counts["regions"].items():
        plan = record_count(session, who, CountInput(region_code=region, year=counts["year"], count=count,
                                                     source=sources[counts["source"]]))
        changed += plan.result != "unchanged"
    return changed
