"""Public verification of a letter by the token in its QR code: identity of the letter only, no personal data."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from casework.errors import NotFound
from casework.letters.issue import verification

bp = Blueprint("verify", __name__)


@bp.get("/verifikasi/<token>")
def letter(token: str):
    with current_app.extensions["netra_sessions"]() as session:
        try:
            data = verification(session, token)
        except NotFound:
            abort(404)
    return render_template("verify.html", letter=data)
