"""Public verification of a letter by the token in its QR code: identity of the letter only, no personal data;
its certified signatures checked on the stored PDF; and a copy someone received checked against the record
(POST, one PDF, counted per client address like the status lookups)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, request

from admin.public import public_page, within_limit
from casework.errors import NotFound
from casework.i18n.messages import message
from casework.letters.verification import UPLOAD_MAX, compare_copy, stored_check, verification

bp = Blueprint("verify", __name__)
CHECKS_PER_MINUTE = 10


def _page(token: str, status: int = 200, retry_after: bool = False, **extra):
    factory = current_app.extensions["netra_sessions"]
    settings = current_app.config["NETRA_SETTINGS"]
    with factory() as session:
        try:
            data = verification(session, token)
        except NotFound:
            abort(404)
        stored = stored_check(session, token, settings) if data["signatures"] else None
    # indexed: the verification page has never asked search engines to stay away; kept as it was
    return public_page("verify.html", status, indexed=True, retry_after=retry_after, letter=data, stored=stored,
                       token=token, **extra)


@bp.get("/verifikasi/<token>")
def letter(token: str):
    return _page(token)


@bp.post("/verifikasi/<token>")
def check_copy(token: str):
    factory = current_app.extensions["netra_sessions"]
    if not within_limit("verify", current_app.config.get("NETRA_VERIFY_CHECKS_PER_MINUTE", CHECKS_PER_MINUTE)):
        return _page(token, 429, retry_after=True, problem=message("verify.rate_limited"))
    upload = request.files.get("berkas")
    data = upload.read(UPLOAD_MAX + 1) if upload is not None else b""
    if not data:
        return _page(token, 400, problem=message("verify.no_file"))
    if len(data) > UPLOAD_MAX or not data.startswith(b"%PDF-"):
        return _page(token, 400, problem=message("verify.not_a_letter", max_mb=UPLOAD_MAX // (1024 * 1024)))
    with factory() as session:
        try:
            result = compare_copy(session, token, data, current_app.config["NETRA_SETTINGS"])
        except NotFound:
            abort(404)
    return _page(token, copy=result)
