"""Public status of a report by its receipt code: no login, no personal data (casework.reports.reporter_status).

GET /status shows the form; POST /status looks the code up. The code travels in the POST body, not the URL, so it
stays out of access logs, history and referrers. Lookups are counted per client address in the database (shared
by every gunicorn worker); over the limit the answer is 429 in Bahasa Indonesia. An unknown code and a malformed
one get the very same page.
"""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from casework.i18n.messages import message
from casework.reports.reporter_status import RateLimiter, find_case, public_status

bp = Blueprint("status", __name__)
LOOKUPS_PER_MINUTE = 10


def _limiter() -> RateLimiter:
    return RateLimiter("status", current_app.config.get("NETRA_STATUS_LOOKUPS_PER_MINUTE", LOOKUPS_PER_MINUTE))


def _page(status: int = 200, **context):
    response = current_app.make_response((render_template("status.html", **context), status))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/status")
def form():
    return _page()


@bp.post("/status")
def lookup():
    factory = current_app.extensions["netra_sessions"]
    client = request.remote_addr or "unknown"
    if not _limiter().hit(factory, client, secret=current_app.config["SECRET_KEY"]):
        response = _page(429, problem=message("status.rate_limited"))
        response.headers["Retry-After"] = "60"
        return response
    with factory() as session:
        case = find_case(session, request.form.get("code"))
        if case is None:
            return _page(404, problem=message("status.not_found"))
        return _page(report=public_status(session, case))
