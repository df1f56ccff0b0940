"""The desk: Flask + Flask-Admin for Bawaslu handlers, oversight officers and BKPSDM officers.

`create_app()` reads Netra's NETRA_* settings, so `flask --app admin run` and gunicorn "admin:create_app()" both
work. Each area is a blueprint in its own module; every rule comes from casework. So far: the public letter
verification page (the desk proper comes with the issue "The desk").
"""
from __future__ import annotations

from flask import Flask

from casework.db import make_engine, session_factory
from casework.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(SECRET_KEY=settings.secret_key, NETRA_SETTINGS=settings)
    app.extensions["netra_sessions"] = session_factory(make_engine(settings.database_url))

    from admin import verify
    app.register_blueprint(verify.bp)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
        return response

    return app
