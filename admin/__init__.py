"""The desk: Flask + Flask-Admin for Bawaslu handlers, oversight officers and BKPSDM officers.

`create_app()` reads Netra's NETRA_* settings, so `flask --app admin run` and gunicorn "admin:create_app()" both
work. Each area is a module with its blueprint or views; every rule comes from casework (scoping, workflow,
deadlines, letters). Bahasa Indonesia is the source language of the desk's own texts; English is a catalog.
"""
from __future__ import annotations

import logging

from flask import Flask, g
from flask_wtf import CSRFProtect
from sqlalchemy.orm import scoped_session

from casework.adapters.db import make_engine, session_factory
from casework.settings import Settings

csrf = CSRFProtect()


def _may(action: str, **context) -> bool:
    """For a template: may the logged-in user do `action` (a casework.access.policy.Action name)? The access
    module answers; a template never decides by roles itself."""
    from admin.desk import principal
    from casework.access.policy import Action, permits

    return g.get("netra_user") is not None and permits(principal(), Action[action], **context)


def create_app(settings: Settings | None = None, **overrides) -> Flask:
    settings = settings or Settings.from_env()
    settings.check()  # no start without a secret key, nor in production with a known or weak one
    secure = settings.production or settings.base_url.startswith("https://")
    app = Flask(__name__, static_url_path="/assets")
    app.config.update(
        SECRET_KEY=settings.secret_key,
        NETRA_SETTINGS=settings,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=secure,
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.config.update(overrides)
    engine = make_engine(settings.database_url, settings=settings)
    app.extensions["netra_sessions"] = session_factory(engine)
    db = scoped_session(session_factory(engine))
    app.extensions["netra_db"] = db

    @app.teardown_appcontext
    def remove_session(_exc):
        db.remove()

    csrf.init_app(app)
    from admin import ops
    ops.init_app(app, settings)  # proxy headers, HSTS, request ids, JSON logs, /healthz
    from admin import auth, i18n, letter_links, status, verify, views
    i18n.init_app(app)
    auth.init_app(app, db)
    app.register_blueprint(verify.bp)
    app.register_blueprint(letter_links.bp)
    app.register_blueprint(status.bp)
    from admin import announcements, online, open_data, whatsapp
    app.register_blueprint(online.bp)
    app.register_blueprint(announcements.bp)
    app.register_blueprint(open_data.bp)
    app.register_blueprint(whatsapp.bp)
    csrf.exempt(whatsapp.bp)  # signed by Meta (X-Hub-Signature-256), no cookie
    app.register_blueprint(auth.bp)
    views.init_admin(app, db)
    from admin import api
    api.init_app(app)  # /api/v1 (docs/api.md): bearer tokens, no cookie, no CSRF token

    from admin import security
    security.init_app(app)  # security headers (CSP without inline script or style), session limits, error pages

    @app.context_processor
    def netra_globals():
        return {"netra_user": g.get("netra_user"), "may": _may}

    from casework.i18n.dates import days_left, format_day, local_moment
    from casework.i18n.messages import field_label
    # dates and days left in the reader's language ("3 Desember 2026" / "3 December 2026"; "hari ini" / "today")
    app.jinja_env.filters["indodate"] = lambda d: format_day(d, i18n.current_lang())
    app.jinja_env.filters["localtime"] = lambda iso, zone: local_moment(iso, zone, i18n.current_lang())
    app.jinja_env.filters["daysleft"] = lambda n: days_left(n, i18n.current_lang())
    app.jinja_env.filters["fieldlabel"] = lambda name: field_label(name, i18n.current_lang())

    if settings.warm_letters:  # each gunicorn worker builds its app after the fork (no preload): each warms itself
        from casework.letters.render import warm_up
        from casework.signing.pades import warm_up as warm_up_signing
        try:
            warm_up()
            warm_up_signing(settings)
        except Exception:  # the desk still starts; the first letter will load what failed here and say why
            logging.getLogger(__name__).exception("letters: warm-up failed")
    return app
