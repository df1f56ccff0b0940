"""The REST API (issue 19, item 3): /api/v1, for the systems of institutions and regional offices. Thin: who may see
and do what is the access module's (casework.access), what a step takes is its typed command (casework.road),
the same as the desk and the CLI. This package only speaks HTTP: bearer tokens (casework.accounts.tokens),
a limit per token, idempotency keys on writes (casework.adapters.idempotency), errors as RFC 9457 problem details
in the caller's language, and the OpenAPI 3.1 document built from the commands (openapi.py). docs/api.md is the
guide."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, g, request

from admin.api.problems import problem, problem_for
from casework.accounts.tokens import bearer
from casework.adapters.db import transaction
from casework.errors import CaseworkError
from casework.reports.reporter_status import RateLimiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC = {"api.openapi"}  # what answers without a token: the document that says how to get one


def init_app(app: Flask) -> None:
    from admin import csrf
    from admin.api import cases, openapi, steps, webhooks  # noqa: F401  (their routes on bp)
    csrf.exempt(bp)  # no cookie is read here: a bearer token is not sent by a browser on its own
    app.register_blueprint(bp)


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC:
        return None
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return problem(401, "api.unauthenticated")
    limiter = RateLimiter("api", current_app.config["NETRA_SETTINGS"].api_requests_per_minute)
    with transaction(current_app.extensions["netra_sessions"]) as session:  # one transaction: the token, its count
        found = bearer(session, secret.strip())
        within = found is not None and limiter.hit_in(session, f"token:{found.token_id}",
                                                      secret=current_app.config["SECRET_KEY"])
    if found is None:
        return problem(401, "api.bad_token")
    if not within:
        return problem(429, "api.rate_limited")
    if request.method not in ("GET", "HEAD", "OPTIONS") and not found.can_write:
        return problem(403, "api.read_only")
    g.api = found
    return None


@bp.errorhandler(CaseworkError)
def casework_error(exc: CaseworkError):
    return problem_for(exc)


@bp.after_request
def no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["Vary"] = "Authorization, Accept-Language"
    return response
