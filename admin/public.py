"""What every public page (no login: /status, /verifikasi, /tanggapan) answers with: a page nobody caches, whose
address — a code or a token — never leaves in a Referer, and a count of requests per client address."""
from __future__ import annotations

from flask import Response, current_app, render_template, request

from casework.reports.reporter_status import RateLimiter


def public_page(template: str, status: int = 200, *, indexed: bool = False, retry_after: bool = False,
                **context) -> Response:
    response = current_app.make_response((render_template(template, **context), status))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    if not indexed:
        response.headers["X-Robots-Tag"] = "noindex"
    if retry_after:  # a 429: the limiter counts per minute
        response.headers["Retry-After"] = "60"
    return response


def within_limit(name: str, per_minute: int, *, window: int = 60, key: str | None = None) -> bool:
    """One more request from this client address (or for `key`, e.g. one receipt code) under `name`; False once
    it is over `per_minute` hits per `window` seconds."""
    return RateLimiter(name, per_minute, window).hit(current_app.extensions["netra_sessions"],
                                                     key or request.remote_addr or "unknown",
                                                     secret=current_app.config["SECRET_KEY"])
