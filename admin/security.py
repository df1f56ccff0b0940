"""The desk's web hardening, in one place (docs/security.md):

- security headers on every response: a Content-Security-Policy that allows no inline script or style at all (the
  templates carry none: Netra's look is in admin/static/netra.css, the dashboard's heat colours are classes), no
  framing, no MIME sniffing, a same-origin referrer, no camera/microphone/location; HSTS on https requests (and,
  from admin/ops.py, always in production);
- sessions: a fresh session at login (auth.login_page clears it; Flask-Login's "strong" protection drops a
  session replayed from another address or browser), a session that ends after NETRA_SESSION_HOURS (default 12,
  Settings.session_hours) however it is replayed, and one bound to the password (a changed password logs every
  session out: auth);
- a per-address limit on login attempts (NETRA_LOGIN_ATTEMPTS_PER_MINUTE, default 20,
  Settings.login_attempts_per_minute), counted in the database like the public status page's, beside the
  per-account lockout of casework.accounts;
- redirects only to this site's own paths, written relative (never from the Host header), and, with
  NETRA_TRUSTED_HOSTS, a 400 for any Host header not listed;
- errors as plain pages in Bahasa Indonesia (English if chosen): no stack trace, no exception text; the request
  id is shown so an operator can find the logged trace.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit

from flask import Flask, current_app, g, render_template, request, session
from flask_login import current_user, logout_user
from sqlalchemy.exc import DBAPIError, OperationalError, TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from casework.errors import CaseworkError, NotFound
from casework.i18n.catalog import N_, translate
from casework.i18n.messages import message
from casework.reports.reporter_status import RateLimiter
from casework.settings import Settings
from casework.textcheck import has_control_chars

log = logging.getLogger("netra.desk")

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"

# status -> (title, explanation): msgids of the catalog (English in casework/i18n/locale/en/LC_MESSAGES/netra.po)
PAGES: dict[int, tuple[str, str]] = {
    400: (N_("Permintaan tidak valid"),
          N_("Formulir kedaluwarsa atau tidak lengkap. Muat ulang halaman, lalu coba lagi.")),
    403: (N_("Akses ditolak"), N_("Anda tidak berwenang membuka halaman ini.")),
    404: (N_("Halaman tidak ditemukan"), N_("Halaman atau kasus ini tidak ada, atau tidak dapat Anda lihat.")),
    405: (N_("Metode tidak diizinkan"), N_("Halaman ini tidak dapat dibuka dengan cara itu.")),
    413: (N_("Kiriman terlalu besar"), N_("Berkas melebihi 20 MB atau isian teks terlalu panjang; tidak ada yang "
                                          "disimpan. Perkecil berkas atau isiannya, lalu kirim kembali.")),
    429: (N_("Terlalu banyak percobaan"), N_("Terlalu banyak permintaan dari alamat Anda. Tunggu satu menit, lalu "
                                             "coba lagi.")),
    500: (N_("Terjadi kesalahan pada sistem"), N_("Permintaan Anda tidak dapat diselesaikan; tidak ada perubahan "
                                                  "yang disimpan sebagian. Coba lagi; bila berulang, hubungi "
                                                  "administrator dengan kode permintaan di bawah.")),
    503: (N_("Layanan sementara tidak tersedia"), N_("Basis data sedang tidak dapat dihubungi; tidak ada perubahan "
                                                     "yang disimpan sebagian. Coba lagi dalam beberapa saat.")),
}


def init_app(app: Flask) -> None:
    # Host names the desk answers (NETRA_TRUSTED_HOSTS): any other Host header is refused with 400 by Flask itself
    app.config["TRUSTED_HOSTS"] = list(_settings(app).trusted_hosts) or None
    app.after_request(security_headers)
    app.after_request(same_site_redirects)
    app.before_request(refuse_control_characters)
    app.before_request(expire_old_sessions)
    app.register_error_handler(HTTPException, http_error)  # 500 included: an unhandled exception arrives as one
    app.register_error_handler(CaseworkError, casework_error)


def security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


# --- input no page may take ------------------------------------------------------------------------------------------
def refuse_control_characters():
    """Control characters (a NUL above all: PostgreSQL cannot store one) in any query or form value or uploaded
    file's name: refused before any view runs, so no path of the desk can trip over them. Intake, decisions and the
    import also refuse them field by field (casework.textcheck) for callers other than the desk."""
    values = [*request.args.values(), *request.args.keys()]
    if request.method in ("POST", "PUT", "PATCH"):
        values += [*request.form.values(), *request.form.keys(), *(f.filename or "" for f in request.files.values())]
    if any(has_control_chars(value) for value in values):
        lang = _lang()
        lead, nothing_saved = N_("Sebuah isian").pick(lang), N_("Tidak ada yang disimpan.").pick(lang)
        return error_page(400, explanation=f"{lead} {message('text.control_chars', lang)} {nothing_saved}")
    return None


def _settings(app: Flask | None = None) -> Settings:
    """Read once at start-up (casework.settings) and handed to the app; never the environment behind them."""
    return (app or current_app).config["NETRA_SETTINGS"]


# --- redirects ------------------------------------------------------------------------------------------------------
def same_site_redirects(response):
    """Every redirect of the desk goes to a path of this site, written as a relative path: so no view (Flask-Admin's
    `url=` parameter, a `next`, a referrer) can send a visitor elsewhere, and no Location is ever built from the
    request's Host header (werkzeug's trailing-slash redirects are absolute URLs on whatever Host was sent)."""
    if 300 <= response.status_code < 400 and "Location" in response.headers:
        response.headers["Location"] = same_site_location(response.headers["Location"])
    return response


def same_site_location(location: str) -> str:
    """Path, query and fragment of a location on this site; "/" for anything off-site, scheme-relative, with a
    backslash or white space (browsers read "\\" as "//" and drop tabs), a scheme other than http(s), or malformed."""
    if not location or "\\" in location or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in location):
        return "/"
    try:
        parts = urlsplit(location)
    except ValueError:
        return "/"
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() not in ("http", "https") or parts.netloc.lower() not in _own_hosts():
            return "/"
        path = parts.path or "/"
    else:
        path = urljoin(request.path, parts.path) if parts.path else request.path
    if not path.startswith("/") or path.startswith("//"):
        return "/"
    return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def _own_hosts() -> set[str]:
    """The names this site's absolute URLs carry: the request's own (werkzeug builds its redirects on it; what is
    kept of them is only the path) and NETRA_BASE_URL's."""
    hosts = {urlsplit(_settings().base_url).netloc.lower()}
    try:
        hosts.add(request.host.lower())
    except Exception:  # noqa: BLE001 - an untrusted Host: nothing of it is ours
        pass
    return hosts


# --- sessions -------------------------------------------------------------------------------------------------------
def start_session() -> None:
    """Called at login, after the session was cleared: when it began, so it can end by itself."""
    session["login_at"] = int(datetime.now(UTC).timestamp())


def expire_old_sessions():
    if not current_user.is_authenticated:
        return None
    started = session.get("login_at")
    limit = timedelta(hours=_settings().session_hours)
    if not isinstance(started, int) or datetime.now(UTC) - datetime.fromtimestamp(started, UTC) > limit:
        logout_user()
        session.clear()
        from flask import redirect, url_for

        from admin.desk import login_url
        return redirect(login_url() if request.method == "GET" else url_for("auth.login_page"))
    return None


# --- login rate limit -----------------------------------------------------------------------------------------------
LINK_REQUESTS_PER_MINUTE = 5  # sign-in link requests per client address: nobody needs more, and each may send mail


def link_request_allowed() -> bool:
    """Count one request for a sign-in link from this client address; False past the limit."""
    return RateLimiter("signin_link", LINK_REQUESTS_PER_MINUTE).hit(
        current_app.extensions["netra_sessions"], request.remote_addr or "unknown",
        secret=current_app.config["SECRET_KEY"])


def login_allowed() -> bool:
    """Count one login attempt (password or second-factor code) from this client address; False past the limit."""
    limiter = RateLimiter("login", _settings().login_attempts_per_minute)
    return limiter.hit(current_app.extensions["netra_sessions"], request.remote_addr or "unknown",
                       secret=current_app.config["SECRET_KEY"])


# --- error pages ----------------------------------------------------------------------------------------------------
def _lang() -> str:
    try:
        from admin.i18n import current_lang
        return current_lang()
    except Exception:  # noqa: BLE001 - no session at all: the default language
        return "id"


# what an error outside the API's own views (no route, a control character, a body too large, a crash) says to the
# API: its problem code (admin/api/problems.py answers in JSON, never with this module's HTML page)
API_CODES = {400: "api.bad_request", 404: "api.not_found", 405: "api.method", 413: "api.too_large",
             429: "api.rate_limited", 500: "api.server_error", 503: "api.unavailable"}


def error_page(status: int, detail: str | None = None, *, explanation: str | None = None):
    if request.path.startswith("/api/"):
        from admin.api.problems import problem
        code = "api.control_chars" if explanation and status == 400 else API_CODES.get(
            status, "api.server_error" if status >= 500 else "api.bad_request")
        return problem(status, code)
    texts = PAGES.get(status) or PAGES[500 if status >= 500 else 400]
    title, standard = (translate(text, _lang()) for text in texts)
    explanation = explanation or standard
    try:
        html = render_template("error.html", status=status, title=title, explanation=explanation, detail=detail,
                               request_id=g.get("request_id"), lang=_lang())
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        log.exception("error page could not be rendered")
        html = f"<!DOCTYPE html><title>{status}</title><p>{title}. {explanation}</p>"
    response = current_app.make_response((html, status))
    response.headers["Cache-Control"] = "no-store"
    if status == 429:
        response.headers["Retry-After"] = "60"
    return response


def http_error(exc: HTTPException):
    if exc.code is None or exc.code < 400:
        return exc  # redirects and the like go through as they are
    if isinstance(exc, InternalServerError):  # Flask has logged the traceback already
        return unexpected_error(exc.original_exception)
    response = error_page(exc.code)
    if exc.code == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def casework_error(exc: CaseworkError):
    """A domain error no view caught (e.g. a stored file that no longer matches its hash): its own message."""
    if isinstance(exc, NotFound):
        return error_page(404)
    log.warning("unhandled casework error on %s %s: %s", request.method, request.path, exc.code)
    return error_page(500, exc.render(_lang()))


def unexpected_error(exc: BaseException | None):
    """The 500 page (503 when the database is unreachable); never the exception's text."""
    if isinstance(exc, (OperationalError, PoolTimeout)) or (isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return error_page(503)
    return error_page(500)
