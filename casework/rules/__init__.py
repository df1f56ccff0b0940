"""Legal rules as data: each file is TOML with its citation. Code reads them through `load()`.

A rule states its legal basis in one of two ways (README.md): `basis = "<citation>"` — optionally with `bases`,
a list of `{from = <date>, basis = "<citation>"}` when the law changed and the basis depends on the date of the
act — or `policy_reason = "<why>"` when the rule is Netra's policy with no legal basis found yet. `basis_on`
resolves either to what a user should read.
"""
from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from casework.i18n.catalog import N_

RULES_DIR = Path(__file__).resolve().parent
# Shown wherever a policy rule's basis would be: never "(to verify)" (issue 16, item 6)
POLICY_LABEL = N_("kebijakan Netra, dasar hukum belum ada")


@cache
def load(name: str) -> dict[str, Any]:
    with open(RULES_DIR / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


def province_timezones() -> dict[str, str]:
    return {str(code): zone for code, zone in load("timezones")["provinces"].items()}


def violation_catalogue() -> dict[str, dict[str, Any]]:
    return {item["code"]: item for item in load("violations")["items"]}


def is_policy(spec: dict[str, Any]) -> bool:
    return "policy_reason" in spec


def basis_on(spec: dict[str, Any], day: date | None, lang: str = "id") -> str:
    """The citation that applies to an act on `day` (the latest `bases` entry in force that day; the plain `basis`
    when there is no list or no day), or the policy label in the user's language for a policy rule."""
    if is_policy(spec):
        return POLICY_LABEL.pick(lang)
    dated = sorted(spec.get("bases", []), key=lambda b: b["from"])
    if dated:
        applicable = [b for b in dated if day is None or b["from"] <= day] or dated[:1]
        return applicable[-1]["basis"] if day is not None else dated[-1]["basis"]
    return spec.get("basis", "")


def violation_basis(code: str, day: date | None, lang: str = "id") -> str:
    """The basis of a catalogue item on the day of the act: its category's (or its own), and for an act that is
    both ethics and discipline, both — "PP 42/2004 Ps. 11 huruf c; PP 94/2021 Ps. 14 huruf i angka 3–4"."""
    item = violation_catalogue()[code]
    categories = load("violations")["categories"]
    own = item if ("basis" in item or "bases" in item or is_policy(item)) else categories[item["category"]]
    parts = [basis_on(own, day, lang)]
    if also := item.get("also"):
        parts.append(basis_on(also if "basis" in also or is_policy(also) else categories[also["category"]], day, lang))
    return "; ".join(parts)
