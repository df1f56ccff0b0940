"""Public status of a report by its receipt code: no login, no personal data (casework.reports.reporter_status).

GET /status shows the form; POST /status looks the code up. The code travels in the POST body, not the URL, so it
stays out of access logs, history and referrers. Lookups are counted per client address in the database (shared
by every gunicorn worker), and per code and hour whoever asks; over a limit the answer is 429 in Bahasa Indonesia.
An unknown code and a malformed one get the very same page. A code of initial information (casework.inbox) shows
what became of it.
"""
from __future__ import annotations

from flask import Blueprint, current_app, request

from admin.public import public_page, within_limit
from casework.i18n.messages import message
from casework.reports.reporter_status import find_case, find_item, normalize, public_information, public_status

bp = Blueprint("status", __name__)
LOOKUPS_PER_MINUTE = 10
LOOKUPS_PER_CODE_HOUR = 30  # Netra's policy: a reporter checks a few times a day; a guesser is stopped


def _page(status: int = 200, **context):
    return public_page("status.html", status, **context)


@bp.get("/status")
def form():
    return _page()


@bp.post("/status")
def lookup():
    if not within_limit("status", current_app.config.get("NETRA_STATUS_LOOKUPS_PER_MINUTE", LOOKUPS_PER_MINUTE)):
        return public_page("status.html", 429, retry_after=True, problem=message("status.rate_limited"))
    code = normalize(request.form.get("code"))
    # and per code, whoever asks (a code tried from many addresses): NETRA_STATUS_LOOKUPS_PER_CODE_HOUR
    if code and not within_limit("status-code", current_app.config.get("NETRA_STATUS_LOOKUPS_PER_CODE_HOUR",
                                                                       LOOKUPS_PER_CODE_HOUR), window=3600, key=code):
        return public_page("status.html", 429, retry_after=True, problem=message("status.rate_limited"))
    with current_app.extensions["netra_sessions"]() as session:
        case = find_case(session, request.form.get("code"))
        if case is not None:
            return _page(report=public_status(session, case))
        item = find_item(session, request.form.get("code"))
        if item is not None:
            return _page(report=public_information(item))
        return _page(404, problem=message("status.not_found"))
