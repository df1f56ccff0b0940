"""Running the desk in production (docker/README.md): behind a TLS proxy, with request ids, JSON logs and a health
check. All of it from Netra's settings:

- NETRA_BEHIND_PROXY=N: N proxies in front; X-Forwarded-For/-Proto/-Host/-Prefix from them are trusted (werkzeug
  ProxyFix), so the client's address (rate limits, audit) and https (Secure cookies, redirects) are the real ones.
- NETRA_ENV=production: HSTS on every response (cookies are Secure: admin/__init__.py).
- every request gets an id (the proxy's X-Request-ID when it sends a sane one, else a new one), echoed in the
  response and on every log line written while it runs; with NETRA_LOG_FORMAT=json one access line per request.
- GET /healthz: 200 "ok" when the database answers, 503 otherwise (compose health check, load balancers).
"""
from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Blueprint, Flask, current_app, g, request
from sqlalchemy import text
from werkzeug.middleware.proxy_fix import ProxyFix

from casework.adapters import logs
from casework.settings import Settings

bp = Blueprint("ops", __name__)
access_log = logging.getLogger("netra.desk.access")
HSTS = "max-age=31536000; includeSubDomains"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# an emailed link's token is a credential: its path is logged without it (admin/auth.py's link routes)
_TOKEN_PATH = re.compile(r"^(/login/tautan/|/aktivasi/|/tanggapan/)[^/]+")


def loggable_path(path: str) -> str:
    return _TOKEN_PATH.sub(r"\1…", path)


def init_app(app: Flask, settings: Settings) -> None:
    if settings.behind_proxy > 0:
        n = settings.behind_proxy
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)
    if settings.log_format == "json":
        logs.configure("json")
    json_access = settings.log_format == "json"

    @app.before_request
    def start_request():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()
        g.request_id_token = logs.request_id.set(g.request_id)

    @app.after_request
    def finish_request(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers["X-Request-ID"] = request_id
        if settings.production:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if json_access and request_id:
            path = loggable_path(request.path)
            access_log.info("%s %s %s", request.method, path, response.status_code, extra={
                "method": request.method, "path": path, "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
                "remote_addr": request.remote_addr})
        return response

    @app.teardown_request
    def forget_request_id(_exc):
        token = g.pop("request_id_token", None)
        if token is not None:
            logs.request_id.reset(token)

    app.register_blueprint(bp)


@bp.get("/healthz")
def healthz():
    try:
        with current_app.extensions["netra_sessions"]() as session:
            session.execute(text("select 1"))
    except Exception:  # noqa: BLE001 - any failure means "not healthy"; the reason goes to the log
        logging.getLogger("netra.desk").exception("health check: database unreachable")
        return "database unreachable", 503, {"Cache-Control": "no-store"}
    return "ok", 200, {"Cache-Control": "no-store"}
