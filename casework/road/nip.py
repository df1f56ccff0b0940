"""NIP (Nomor Induk Pegawai) of an ASN: 18 digits =
birth date (yyyymmdd) + CPNS appointment month (yyyymm) + sex (1 male, 2 female) + serial (3 digits).

`nip_problems` lists every way a NIP is wrong, as message codes (casework.i18n.messages), so the user can fix all at once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

EARLIEST_BIRTH_YEAR = 1940
MIN_APPOINTMENT_AGE = 18


@dataclass(frozen=True)
class NipInfo:
    birth_date: date
    appointed: tuple[int, int]  # (year, month) of CPNS appointment (TMT CPNS)
    sex: str  # "L" / "P"
    serial: int


def normalize_nip(raw: str) -> str:
    """People write NIPs in groups ("19850312 201001 1 003"); keep the digits' positions, drop the spaces."""
    return re.sub(r"[\s.]", "", raw or "")


def nip_problems(raw: str, today: date | None = None) -> list[tuple[str, dict[str, Any]]]:
    today = today or date.today()
    nip = normalize_nip(raw)
    if not nip:
        return [("required", {})]
    if not nip.isdigit() or not nip.isascii():
        return [("nip.digits", {})]
    if len(nip) != 18:
        return [("nip.length", {"length": len(nip)})]

    problems: list[tuple[str, dict[str, Any]]] = []
    birth = _date_or_none(nip[0:4], nip[4:6], nip[6:8])
    latest_birth_year = today.year - MIN_APPOINTMENT_AGE
    if birth is None:
        problems.append(("nip.birth_date", {"value": nip[0:8]}))
    elif not EARLIEST_BIRTH_YEAR <= birth.year <= latest_birth_year:
        problems.append(("nip.birth_year", {"year": birth.year, "low": EARLIEST_BIRTH_YEAR,
                                            "high": latest_birth_year}))

    year, month = int(nip[8:12]), int(nip[12:14])
    if not (1 <= month <= 12 and year >= EARLIEST_BIRTH_YEAR + MIN_APPOINTMENT_AGE):
        problems.append(("nip.appointment", {"value": nip[8:14]}))
    else:
        appointed = f"{year:04d}-{month:02d}"
        if (year, month) > (today.year, today.month):
            problems.append(("nip.appointment_future", {"appointed": appointed}))
        elif birth is not None and (year, month) < (birth.year + MIN_APPOINTMENT_AGE, birth.month):
            problems.append(("nip.appointment_age", {"appointed": appointed, "born": birth.isoformat()}))

    if nip[14] not in "12":
        problems.append(("nip.sex", {"value": nip[14]}))
    if nip[15:18] == "000":
        problems.append(("nip.serial", {}))
    return problems


def parse_nip(raw: str, today: date | None = None) -> NipInfo:
    """Parse a NIP known to be valid; raises ValueError listing the problem codes otherwise."""
    problems = nip_problems(raw, today)
    if problems:
        raise ValueError(", ".join(code for code, _ in problems))
    nip = normalize_nip(raw)
    return NipInfo(
        birth_date=date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8])),
        appointed=(int(nip[8:12]), int(nip[12:14])),
        sex="L" if nip[14] == "1" else "P",
        serial=int(nip[15:18]),
    )


def _date_or_none(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
