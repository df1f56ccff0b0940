"""Number series that never repeat: one atomic upsert per number, safe under concurrent writers."""
from __future__ import annotations

from datetime import date

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from casework.models import NumberSequence, Office

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def next_value(session: Session, series: str) -> int:
    """Increment and return the series counter in the caller's transaction (a row lock on PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(NumberSequence).values(series=series, last_value=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[NumberSequence.series],
        set_={"last_value": NumberSequence.last_value + 1},
    ).returning(NumberSequence.last_value)
    return session.execute(stmt).scalar_one()


def office_region_tag(office: Office) -> str:
    """RI for Bawaslu RI, the province code for a provinsi office, the regency code below that."""
    if office.kind == "bawaslu_ri":
        return "RI"
    if office.kind == "bawaslu_provinsi":
        return office.province_code
    return office.regency_code or office.province_code


def next_case_number(session: Session, office: Office, source: str, received_on: date) -> str:
    """LP-6402-2024-0007: source (LP laporan / TM temuan), handling office's region, year, sequence per office-year."""
    seq = next_value(session, f"case:{office.code}:{received_on.year}")
    prefix = "LP" if source == "laporan" else "TM"
    return f"{prefix}-{office_region_tag(office)}-{received_on.year}-{seq:04d}"


def next_register_number(session: Session, office: Office, source: str, registered_on: date) -> str:
    """Bawaslu's register number, e.g. 001/Reg/LP/PB/Kab/64.02/X/2024 (sequence per office and year)."""
    seq = next_value(session, f"register:{office.code}:{registered_on.year}")
    level = {"bawaslu_ri": "RI", "bawaslu_provinsi": "Prov"}.get(office.kind)
    if level is None:
        level = "Kota" if office.regency and office.regency.is_city else "Kab"
    area = office.regency.dotted_code if office.regency else office.province_code
    kind = "LP" if source == "laporan" else "TM"
    return f"{seq:03d}/Reg/{kind}/PB/{level}/{area}/{ROMAN_MONTHS[registered_on.month - 1]}/{registered_on.year}"
