"""The escalation ladder's rungs as users read them (casework/rules/escalation.toml): what the rung is, whose
power it uses — Bawaslu only writes letters; blocking personnel data is BKN's, sanctioning a PPK is Kemendagri's
or Menpan-RB's — and its basis, or "kebijakan Netra, dasar hukum belum ada" for Netra's own practice."""
from __future__ import annotations

from typing import Any

from casework.i18n.catalog import translate
from casework.models import ReportedASN
from casework.rules import basis_on, is_policy, load


def rung(spec: dict[str, Any], lang: str = "id") -> dict[str, Any]:
    ladder = load("escalation")
    return {"code": spec["code"], "label": translate(spec["label_id"], lang), "letter": spec["letter"],
            "power": spec["power"], "power_label": translate(ladder["powers"][spec["power"]]["label_id"], lang),
            "basis": basis_on(spec, None, lang), "policy": is_policy(spec),
            "policy_reason": spec.get("policy_reason")}


def ladder(lang: str = "id") -> list[dict[str, Any]]:
    return [rung(spec, lang) for spec in load("escalation")["steps"]]


def by_code(code: str, lang: str = "id") -> dict[str, Any] | None:
    return next((r for r in ladder(lang) if r["code"] == code), None)


def track_escalation(person: ReportedASN, lang: str = "id") -> dict[str, Any]:
    """The rungs taken on a track and the one the next escalation would take (None: the ladder is exhausted)."""
    steps = ladder(lang)
    taken = [{**(by_code(e.step, lang) or {"code": e.step, "label": e.step}), "at": e.at.isoformat(),
              "actor": e.actor} for e in person.escalations]
    return {"taken": taken,
            "next": steps[person.escalation_step] if person.escalation_step < len(steps) else None}
