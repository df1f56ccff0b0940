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


def render_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import (
        HTML,  # imported here: the rest of casework does not need the native libraries
    )

    html = _env().get_template(f"{context['kind']}.html").render(stylesheet=_stylesheet(), **context)
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf(pdf_variant="pdf/a-3b")


def render_draft(session: Session, case_number: str, kind_code: str, *, base_url: str, recipient: int = 0,
                 on: date | None = None) -> bytes:
    """A preview: marked DRAF, no number consumed, nothing written."""
    kind = get_kind(kind_code)
    case = get_case(session, case_number)
    on = on or local_today(case.office.province.timezone, utcnow())
    context = build_context(session, case, kind, recipient, on, base_url=base_url)
    context["letter"].update(number=format_number(DRAFT_SEQ, kind.classification, context["unit"], on), draft=True)
    return render_pdf(context)


