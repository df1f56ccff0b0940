"""Languages: Bahasa Indonesia first (the source language of every text), English switchable.

The desk's texts come from the one catalog of Netra, gettext domain `netra` in casework/i18n/locale (its
`en/LC_MESSAGES/netra.po`; README: Languages), shared with the domain's messages and labels. Flask-Admin's own
strings are its `admin` domain, translated to Indonesian in admin/translations/id/LC_MESSAGES/admin.po (Flask-Admin
ships none). The .mo files are compiled from the .po files at start-up when missing or older, so only the .po
files are kept in git.
"""
from __future__ import annotations

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, redirect, request, session
from flask_babel import Babel, gettext

from casework.i18n.catalog import DOMAIN, LANGS, LOCALE_DIR

TRANSLATIONS = Path(__file__).resolve().parent / "translations"  # Flask-Admin's `admin` domain
bp = Blueprint("i18n", __name__)


def compile_catalogs() -> None:
    for po in [*LOCALE_DIR.glob("*/LC_MESSAGES/*.po"), *TRANSLATIONS.glob("*/LC_MESSAGES/*.po")]:
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with open(po, "rb") as fh:
                catalog = read_po(fh)
            # written aside and renamed: several workers may start at once, none may read a half-written file
            partial = mo.with_suffix(f".mo.{os.getpid()}")
            with open(partial, "wb") as fh:
                write_mo(fh, catalog)
            os.replace(partial, mo)


def current_lang() -> str:
    lang = session.get("lang")
    return lang if lang in LANGS else "id"


def init_app(app) -> None:
    compile_catalogs()
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "id")
    app.config["BABEL_DOMAIN"] = DOMAIN
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(LOCALE_DIR)
    Babel(app, locale_selector=current_lang, timezone_selector=lambda: "Asia/Jakarta")
    # a msgid held in data (a rules file's label): `{{ value|translate }}`, escaped like any value — the template
    # function _() marks its result safe, which is right only for a literal written in the template
    app.jinja_env.filters["translate"] = gettext
    app.register_blueprint(bp)


@bp.get("/bahasa/<lang>")
def switch(lang: str):
    if lang in LANGS:
        session["lang"] = lang
    target = request.referrer or "/"
    return redirect(target if target.startswith(request.host_url) else "/")
