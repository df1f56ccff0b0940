"""The plenary's outcomes, and a decision as plain data (the case page, the CLI, letters) — apart from the step
that records it (casework.road.plenary), so that reading a case needs no command."""
from __future__ import annotations

from typing import Any

from casework.i18n.catalog import N_, translate
from casework.models import Case, ReportedASN
from casework.road.inputs import Labelled
from casework.rules import violation_catalogue


class PlenaryOutcome(Labelled):
    VIOLATION = "violation", N_("Pelanggaran netralitas")  # an ASN's, or a village head's, soldier's, ...
    NOT_VIOLATION = "not_violation", N_("Bukan pelanggaran")
    OTHER_LAW = "other_law", N_("Pelanggaran hukum lain (diteruskan)")


def plenary_outcome(person: ReportedASN, lang: str = "id") -> dict[str, Any]:
    """One person's plenary outcome as plain data (case page, CLI)."""
    catalogue = violation_catalogue()
    return {"plenary_outcome": person.plenary_outcome,
            "plenary_label": PlenaryOutcome(person.plenary_outcome).label(lang) if person.plenary_outcome else None,
            "plenary_violations": [translate(catalogue[c]["label_id"], lang) if c in catalogue else c
                                   for c in person.plenary_violations or []],
            "plenary_referred_to": person.plenary_referred_to}


def plenary_decision(case: Case) -> dict[str, Any] | None:
    """The plenary's decision as plain data: the day it was held, who recorded it, the reasoning (withheld by
    casework.access.view from whoever may not see every reported person: it may speak of any of them)."""
    if not case.plenary_outcome:
        return None
    return {"outcome": case.plenary_outcome, "decided_on": case.plenary_decided_on.isoformat()
            if case.plenary_decided_on else None, "decided_by": case.plenary_decided_by,
            "reasoning": case.plenary_reasoning}
