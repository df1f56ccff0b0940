"""A gunicorn worker warms its pages before it serves (admin/gunicorn_conf.py post_worker_init → admin/warm.py;
issue 23): every desk template compiled, nothing written. Its effect on a fresh worker's first request is measured
in bench/bench_load.py, not timed here."""
from __future__ import annotations

from dataclasses import replace

from admin import create_app, gunicorn_conf
from tests.helpers import fingerprint, sqlite_only  # noqa: F401 — the desk's start, not SQL


def test_a_gunicorn_worker_compiles_every_desk_template_before_it_serves(demo_engine, netra_settings):
    app = create_app(replace(netra_settings, database_url=demo_engine.url.render_as_string(hide_password=False),
                             secret_key="test-secret", warm_letters=False))
    templates = app.jinja_env.list_templates(filter_func=lambda n: n.endswith(".html"))
    before = fingerprint(demo_engine)
    assert len(app.jinja_env.cache) < len(templates)

    class Worker:  # what gunicorn hands the hook: the worker, its application loaded
        wsgi = app

    gunicorn_conf.post_worker_init(Worker())

    assert "netra/login.html" in templates and len(app.jinja_env.cache) >= len(templates)
    assert fingerprint(demo_engine) == before
