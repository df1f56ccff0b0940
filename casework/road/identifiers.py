"""Who a reported person is and how they are identified (rules/person_kinds.toml; issue 18 item 2): an ASN by NIP
(casework.road.nip), a village head or official and anyone else by NIK, a soldier or police officer by NRP.

NIK (Nomor Induk Kependudukan): 16 digits — province (2), regency (2), district (2), birth date as DDMMYY with 40
added to the day for a woman, and a 4-digit serial. NRP: digits only, 5 to 18 of them (the services differ; Netra's
policy, rules/person_kinds.toml). Problems are message codes, like nip_problems, so all are said at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from casework.i18n.catalog import translate
from casework.road.nip import nip_problems, normalize_nip
from casework.rules import load, province_timezones

ASN = "asn"


@dataclass(frozen=True)
class PersonKind:
    code: str
    label_id: str
    identifier: str  # nip / nik / nrp
    road: str  # oversight (the ASN road) / body (forwarded to the person's own institution)
    basis: str
    needs_village: bool = False

    def label(self, lang: str = "id") -> str:
        return translate(self.label_id, lang)

    @property
    def id_label(self) -> str:
        """How its identifier is printed beside it: NIP, NIK or NRP."""
        return self.identifier.upper()


@cache
def person_kinds() -> dict[str, PersonKind]:
    return {code: PersonKind(code, spec["label_id"], spec["identifier"], spec["road"], spec["basis"],
                             bool(spec.get("needs_village"))) for code, spec in load("person_kinds")["kinds"].items()}


def kind_of(code: str) -> PersonKind:
    """A reported person's kind; an unknown code (a row written before kinds existed has `asn`) reads as ASN."""
    return person_kinds().get(code) or person_kinds()[ASN]


def identifier_problems(kind: str, raw: str, today: date | None = None) -> list[tuple[str, dict[str, Any]]]:
    spec = person_kinds().get(kind)
    if spec is None or spec.identifier == "nip":
        return nip_problems(raw, today)
    value = normalize_nip(raw)
    if not value:
        return [("required", {})]
    if not value.isdigit() or not value.isascii():
        return [(f"{spec.identifier}.digits", {})]
    if spec.identifier == "nrp":
        return [] if 5 <= len(value) <= 18 else [("nrp.length", {"length": len(value)})]
    return nik_problems(value)


def nik_problems(nik: str) -> list[tuple[str, dict[str, Any]]]:
    if len(nik) != 16:
        return [("nik.length", {"length": len(nik)})]
    problems: list[tuple[str, dict[str, Any]]] = []
    if nik[:2] not in province_timezones():
        problems.append(("nik.province", {"value": nik[:2]}))
    day, month = int(nik[6:8]), int(nik[8:10])
    day -= 40 if day > 40 else 0  # a woman's birth day is written plus 40
    try:
        date(2000, month, day)  # a leap year: 29 February is a birth date
    except ValueError:
        problems.append(("nik.birth_date", {"value": nik[6:12]}))
    if nik[12:] == "0000":
        problems.append(("nik.serial", {}))
    return problems
