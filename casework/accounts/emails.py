"""The account emails (Bahasa Indonesia, an English line at the end), from casework/accounts/templates/: a
template's first line is the subject."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False, keep_trailing_newline=True,
                       trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)


def render(template: str, **context: Any) -> tuple[str, str]:
    """(subject, body)."""
    text = _env().get_template(template).render(**context)
    subject, _, body = text.partition("\n")
    return subject.strip(), body.lstrip("\n")
