"""Languages: Bahasa Indonesia first (the source language of the desk's texts), English switchable.

Catalogs live in admin/translations: `en/LC_MESSAGES/messages.po` (the desk's texts in English) and
`id/LC_MESSAGES/admin.po` (Flask-Admin's own strings in Indonesian; Flask-Admin ships none). The .mo files are
compiled from the .po files at start-up when missing or older, so only the .po files are kept in git.
"""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, redirect, request, session
from flask_babel import Babel

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGS = ("id", "en")
bp = Blueprint("i18n", __name__)


def compile_catalogs() -> None:
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with open(po, "rb") as fh:
                catalog = read_po(fh)
            with open(mo, "wb") as fh:
                write_mo(fh, catalog)


def current_lang() -> str:
    lang = session.get("lang")
    return lang if lang in LANGS else "id"


def init_app(app) -> None:
    compile_catalogs()
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "id")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=current_lang, timezone_selector=lambda: "Asia/Jakarta")
    app.register_blueprint(bp)


@bp.get("/bahasa/<lang>")
def switch(lang: str):
    if lang in LANGS:
        session["lang"] = lang
    target = request.referrer or "/"
    return redirect(target if target.startswith(request.host_url) else "/")
