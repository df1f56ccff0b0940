"""Letter kinds (casework/rules/letters.toml) and how a letter number is written."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from casework.errors import CaseworkError
from casework.i18n.catalog import translate
from casework.rules import load


@dataclass(frozen=True)
class LetterKind:
    code: str
    label_id: str  # Bahasa Indonesia, a msgid of the catalog
    hal: str
    classification: str
    sifat: str
    lampiran: str
    recipient: str
    per_track: bool
    tembusan: tuple[str, ...]
    basis: str
    paraf: bool = False  # initialled by the paraf official before it is signed (a signed letter only)
    office_letter: bool = False  # belongs to an office, not a case (casework.letters.office)
    addressees: tuple[str, ...] = ()  # an office letter to fixed addressees ("ministers")
    addressees_di: str = ""
    issuers: tuple[str, ...] = ()  # an office letter only these office kinds issue (empty: any Bawaslu office)

    def label(self, lang: str = "id") -> str:
        return translate(self.label_id, lang)


@cache
def letter_kinds() -> dict[str, LetterKind]:
    data = load("letters")
    return {code: LetterKind(code=code, label_id=spec["label_id"], hal=spec["hal"],
                             classification=spec["classification"], sifat=spec.get("sifat", data["default_sifat"]),
                             lampiran=spec.get("lampiran", "-"), recipient=spec["recipient"],
                             per_track=spec.get("per_track", False), tembusan=tuple(spec.get("tembusan", ())),
                             basis=spec.get("basis", ""), paraf=spec.get("paraf", False),
                             office_letter=spec.get("office_letter", False),
                             addressees=tuple(spec.get("addressees", ())), addressees_di=spec.get("addressees_di", ""),
                             issuers=tuple(spec.get("issuers", ())))
            for code, spec in data["kinds"].items()}


def case_letter_kinds() -> dict[str, LetterKind]:
    """The kinds a case is owed (requested by the road's decisions): every kind but the office letters."""
    return {code: kind for code, kind in letter_kinds().items() if not kind.office_letter}


def get_kind(code: str) -> LetterKind:
    kind = letter_kinds().get(code)
    if kind is None:
        raise CaseworkError("letter.unknown_kind", kind=code, known=", ".join(letter_kinds()))
    return kind


def format_number(seq: int | str, classification: str, unit: str, on: date) -> str:
    """123/PP.01.00/K.KI-02/10/2024"""
    return f"{seq}/{classification}/{unit}/{on.month:02d}/{on.year}"


