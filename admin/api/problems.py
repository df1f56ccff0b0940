"""Errors of the API as RFC 9457 problem details (application/problem+json), in the caller's language
(Accept-Language: Bahasa Indonesia unless English is preferred; Content-Language says which). `type` names the
kind of problem by Netra's message code (urn:netra:problem:<code>), the same in both languages, so a client can
act on it; `detail` and each field's `detail` are the desk's own messages."""
from __future__ import annotations

from flask import current_app, g, jsonify, request

from casework.access.policy import Forbidden
from casework.errors import CaseworkError, NotFound, ValidationError
from casework.i18n.catalog import N_, translate
from casework.i18n.messages import field_label, message

MEDIA = "application/problem+json"
TITLES = {
    400: N_("Permintaan tidak valid"), 401: N_("Perlu token API yang berlaku"), 403: N_("Akses ditolak"),
    404: N_("Tidak ditemukan"), 405: N_("Metode tidak diizinkan"), 406: N_("Format tidak tersedia"),
    409: N_("Bertentangan dengan keadaan kasus"), 413: N_("Kiriman terlalu besar"),
    415: N_("Jenis isi tidak didukung"), 422: N_("Isian tidak valid"), 429: N_("Terlalu banyak permintaan"),
    500: N_("Terjadi kesalahan pada sistem"), 503: N_("Layanan sementara tidak tersedia"),
}
# a status for the domain's own refusals: who may not see it, who may not do it, what the input or the case forbids
STATUS_OF_CODE = {"case.stale": 409, "api.idempotency_reused": 422, "api.idempotency_missing": 400,
                  "api.idempotency_bad_key": 400, "api.idempotency_in_flight": 409,
                  "api.not_json": 415, "api.bad_json": 400,
                  "webhook.bad_url": 422, "webhook.not_https": 422, "webhook.bad_events": 422}


def language() -> str:
    return request.accept_languages.best_match(["id", "en"], default="id") if request else "id"


def problem(status: int, code: str, *, detail: str | None = None, errors: list[dict] | None = None,
            headers: dict[str, str] | None = None, **params):
    lang = language()
    body = {"type": f"urn:netra:problem:{code}", "title": translate(TITLES.get(status, TITLES[500]), lang),
            "status": status, "detail": detail if detail is not None else message(code, lang, **params),
            "instance": request.path, "code": code}
    if g.get("request_id"):
        body["request_id"] = g.request_id
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = MEDIA
    response.headers["Content-Language"] = lang
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="netra"'
    if status == 429:
        response.headers["Retry-After"] = "60"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def problem_for(exc: CaseworkError):
    """A domain error as its problem: ValidationError 422 (each field, with a JSON pointer into the request), NotFound
    404 (also for what the caller may not see: nothing says it exists), Forbidden 403, any other refusal of the
    case's rules 409 — the case is as it was."""
    lang = language()
    if isinstance(exc, ValidationError):
        status = getattr(exc, "status", 422)
        pointer = getattr(exc, "pointer_for", None) or (
            lambda p: getattr(exc, "pointer", "/input/") + p.where.replace(".", "/"))
        errors = [{"field": p.where, "code": p.code, "detail": p.render(lang), "label": field_label(p.field, lang),
                   "pointer": pointer(p)} for p in exc.problems]
        return problem(status, exc.code, detail=exc.render(lang).splitlines()[0], errors=errors)
    if isinstance(exc, NotFound):
        return problem(404, exc.code, detail=exc.render(lang))
    if isinstance(exc, Forbidden):
        return problem(403, exc.code, detail=exc.render(lang))
    if current_app and exc.code not in STATUS_OF_CODE:
        current_app.logger.info("api: %s refused: %s", request.path, exc.code)
    return problem(STATUS_OF_CODE.get(exc.code, 409), exc.code, detail=exc.render(lang))
