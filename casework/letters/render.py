"""Rendering a letter: one Jinja2 template per kind (casework/letters/templates) to PDF/A-3b by WeasyPrint;
a draft preview consumes no number and writes nothing."""
from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from casework.letters.context import build_context
from casework.letters.kinds import format_number, get_kind
from casework.models import utcnow
from casework.reference.timezones import local_today
from casework.road.cases import get_case

TEMPLATES = Path(__file__).resolve().parent / "templates"
DRAFT_SEQ = "DRAF"

@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


@cache
def _stylesheet() -> str:
    return (TEMPLATES / "letter.css").read_text(encoding="utf-8")


def verification_qr(verify_url: str) -> dict[str, str]:
    """The verification QR and its address, as an issued letter prints them."""
    import segno

    return {"qr": segno.make(verify_url, error="m").svg_data_uri(scale=4), "verify_url": verify_url}


def render_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import (
        HTML,  # imported here: the rest of casework does not need the native libraries
    )

    return HTML(string=render_html(context), base_url=str(TEMPLATES)).write_pdf(pdf_variant="pdf/a-3b")


def render_html(context: dict[str, Any]) -> str:
    """The letter as HTML, its stylesheet inline (what WeasyPrint lays out)."""
    return _env().get_template(f"{context['kind']}.html").render(stylesheet=_stylesheet(), **context)


# A made-up letter that uses every part of the layout (kop, bold, tables, signature, copies, QR) but no database.
SPECIMEN: dict[str, Any] = {
    "kind": "receipt",
    "office": {"name": "Badan Pengawas Pemilihan Umum Contoh", "short_name": "Bawaslu Contoh", "address": "Jl. Contoh",
               "email": "contoh@bawaslu.invalid", "city": "Contoh", "timezone": "Asia/Jakarta"},
    "letter": {"number": "0/PP.00.00/CONTOH/01/2000", "sifat": "Biasa", "lampiran": "-", "hal": "Contoh",
               "place_date": "Contoh, 1 Januari 2000", "on": "2000-01-01", "draft": True},
    "hearing": None, "to": {"lines": ["Sdr. Contoh"], "di": "Contoh"},
    "case": {"number": "LP-0000-2000-0000", "register_number": "-", "summary": "Contoh", "place": "Contoh",
             "occurred": "1 Januari 2000", "received": "1 Januari 2000", "election": "Contoh", "reported": [],
             "source_label": "laporan"},
    "status": {"code": "CONTOH", "url": "https://contoh.invalid/status"},
    "basis": {"regime": "Contoh", "neutrality": "Contoh"}, "detail": {},
    "signer": {"jabatan": "Ketua", "name": "Contoh", "nip": "0"},
    "tembusan": ["Contoh"], "unit": "CONTOH",
}
_warm = False


def warm_up() -> None:
    """Load what a process's first letter would otherwise load on first use — WeasyPrint and its native libraries,
    the fonts, every letter template, the QR encoder — by rendering a made-up letter into memory: so a desk or
    Airflow worker's first letter is as fast as its next. Nothing is numbered, stored or recorded. Once per
    process; a second call returns at once."""
    global _warm
    if _warm:
        return
    from casework.letters.kinds import letter_kinds

    for code in letter_kinds():
        _env().get_template(f"{code}.html")
    render_pdf({**SPECIMEN, **verification_qr("https://contoh.invalid/verifikasi/contoh")})
    _warm = True


def render_draft(session: Session, case_number: str, kind_code: str, *, base_url: str, recipient: int = 0,
                 on: date | None = None) -> bytes:
    """A preview: marked DRAF, no number consumed, nothing written."""
    kind = get_kind(kind_code)
    case = get_case(session, case_number)
    on = on or local_today(case.office.timezone, utcnow())
    context = build_context(session, case, kind, recipient, on, base_url=base_url)
    context["letter"].update(number=format_number(DRAFT_SEQ, kind.classification, context["unit"], on), draft=True)
    return render_pdf(context)


