"""A fresh desk worker's first page as fast as its next (issue 23, bench/README.md): what its first request would
otherwise load on first use — the mappers configured, every desk template compiled, both languages' catalogs,
the database pool's first connection, and SQLAlchemy's compiled form of the case page's queries (29 statements,
half of a first case page's extra time) — loaded while the worker starts, before it serves. The case page's reads
are rehearsed on the oldest case as the system, in a transaction rolled back: nothing is written or shown."""
from __future__ import annotations

from flask import Flask
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import configure_mappers


def warm_pages(app: Flask) -> None:
    configure_mappers()
    for name in app.jinja_env.list_templates(filter_func=lambda n: n.endswith(".html")):
        app.jinja_env.get_template(name)
    with app.test_request_context(), app.extensions["netra_sessions"]() as session:
        for lang in ("id", "en"):
            with force_locale(lang):
                gettext("Tugas saya")
        try:
            _rehearse_case_page(session)  # its first query opens the pool's first connection
        finally:
            session.rollback()


def _rehearse_case_page(session) -> None:
    from admin.letters import letters_section
    from casework.access.principal import SYSTEM
    from casework.access.view import filtered
    from casework.models import Case
    from casework.road.commands import available_steps

    case = session.scalars(select(Case).order_by(Case.id).limit(1)).first()
    if case is None:  # a new install: nothing to rehearse on
        return
    filtered(session, SYSTEM, case)
    available_steps(case, SYSTEM)
    letters_section(session, SYSTEM, case)
