"""Public announcements per office (casework.public.announcements): /pengumuman lists the offices, /pengumuman/<code>
an office's announcements, /pengumuman/<code>/feed.atom the same as an Atom feed for readers and other sites.
No login, no personal data; pages may be cached for five minutes and indexed (they are meant to be found)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import select

from admin.i18n import current_lang
from admin.public import public_page
from casework.models import Office
from casework.public.announcements import KINDS, announcements, announcing_offices

bp = Blueprint("announcements", __name__)
MAX_AGE = 300


def _office(session, code: str) -> Office:
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None or office not in announcing_offices(session):
        abort(404)
    return office


def _cached(response):
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@bp.get("/pengumuman/")
def offices():
    with current_app.extensions["netra_sessions"]() as session:
        return _cached(public_page("public/announcement_offices.html", indexed=True, lang=current_lang(),
                                   offices=announcing_offices(session)))


@bp.get("/pengumuman/<code>")
def office_page(code: str):
    with current_app.extensions["netra_sessions"]() as session:
        office = _office(session, code)
        return _cached(public_page("public/announcements.html", indexed=True, lang=current_lang(), office=office,
                                   items=announcements(session, office), kinds=KINDS))


@bp.get("/pengumuman/<code>/feed.atom")
def feed(code: str):
    with current_app.extensions["netra_sessions"]() as session:
        office = _office(session, code)
        items = announcements(session, office, limit=50)
        body = render_template(  # a .xml template: autoescaped like the pages
            "public/announcements_feed.xml", office=office, items=items, kinds=KINDS,
            base=current_app.config["NETRA_SETTINGS"].base_url.rstrip("/"), updated=max((a.recorded_at for a in items), default=None))
    response = current_app.make_response((body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}))
    return _cached(response)
