"""Production settings: the desk refuses a known secret key, sends Secure cookies and HSTS, trusts proxy headers
only when told, logs JSON lines with the request id, answers /healthz; PostgreSQL pools sized from NETRA_DB_*."""
from __future__ import annotations

import importlib
import json
import logging
import logging.config
import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from flask import request
from sqlalchemy import text

from admin import create_app
from casework.adapters import logs
from casework.adapters.db import make_engine
from casework.settings import ConfigurationError, Settings

ROOT = Path(__file__).resolve().parent.parent
KEY = "k" * 24 + "-production-test-key"


@pytest.fixture(autouse=True)
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _settings(tmp_path, **env) -> Settings:
    return Settings.from_env({"NETRA_VAR_DIR": str(tmp_path / "var"),
                              "NETRA_DATABASE_URL": f"sqlite:///{tmp_path / 'netra.db'}", **env})


def _example_secret_key() -> str:
    lines = (ROOT / "docker" / "env.example").read_text().splitlines()
    return next(line.split("=", 1)[1] for line in lines if line.startswith("NETRA_SECRET_KEY="))


@pytest.mark.parametrize("key", [None, "dev-only-not-secret", "", "too-short-but-not-default", "example"])
def test_production_refuses_a_known_or_weak_secret_key(tmp_path, key):
    env = {"NETRA_ENV": "production"}
    if key == "example":
        key = _example_secret_key()  # the committed docker/env.example must never start a desk
    if key is not None:
        env["NETRA_SECRET_KEY"] = key
    with pytest.raises(ConfigurationError) as refused:
        create_app(_settings(tmp_path, **env))
    message = str(refused.value)
    assert "NETRA_SECRET_KEY" in message and "wajib" in message and "required" in message  # both languages


def test_development_makes_its_own_key_and_keeps_plain_cookies(tmp_path):
    app = create_app(_settings(tmp_path))
    assert app.config["SECRET_KEY"] == (tmp_path / "var" / "secret_key").read_text().strip()
    assert not app.config["SESSION_COOKIE_SECURE"] and not app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/login")
    assert "Strict-Transport-Security" not in response.headers


def test_production_cookies_are_secure_and_hsts_is_sent(tmp_path):
    app = create_app(_settings(tmp_path, NETRA_ENV="production", NETRA_SECRET_KEY=KEY))
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    response = app.test_client().get("/login", base_url="https://netra.test")
    assert response.status_code == 200
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _probe(app):
    app.add_url_rule("/_probe", "probe", lambda: f"{request.scheme} {request.remote_addr} {request.host}")
    return app.test_client()


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "netra.go.id"}


def test_proxy_headers_are_trusted_only_behind_a_proxy(tmp_path):
    behind = _probe(create_app(_settings(tmp_path, NETRA_ENV="production", NETRA_SECRET_KEY=KEY,
                                         NETRA_BEHIND_PROXY="1")))
    assert behind.get("/_probe", headers=FORWARDED).text == "https 203.0.113.7 netra.go.id"
    direct = _probe(create_app(_settings(tmp_path, NETRA_ENV="production", NETRA_SECRET_KEY=KEY)))
    assert direct.get("/_probe", headers=FORWARDED).text == "http 127.0.0.1 localhost"


def test_production_logs_are_json_lines_with_the_request_id(tmp_path, capsys):
    app = create_app(_settings(tmp_path, NETRA_ENV="production", NETRA_SECRET_KEY=KEY))
    app.add_url_rule("/_log", "log", lambda: logging.getLogger("casework.probe").warning("inside %s", "it") or "ok")
    client = app.test_client()
    capsys.readouterr()
    response = client.get("/_log", headers={"X-Request-ID": "proxy-req-0001"})
    generated = client.get("/login", headers={"X-Request-ID": "bad id!"}).headers["X-Request-ID"]
    assert response.headers["X-Request-ID"] == "proxy-req-0001" and len(generated) == 32
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    inside = next(line for line in lines if line["logger"] == "casework.probe")
    assert inside["message"] == "inside it" and inside["level"] == "WARNING"
    assert inside["request_id"] == "proxy-req-0001"
    assert datetime.fromisoformat(inside["timestamp"].replace("Z", "+00:00")).tzinfo is not None
    access = [line for line in lines if line["logger"] == "netra.desk.access"]
    assert [(a["request_id"], a["path"], a["status"]) for a in access] == [
        ("proxy-req-0001", "/_log", 200), (generated, "/login", 200)]
    assert {"timestamp", "level", "logger", "message", "request_id", "duration_ms"} <= set(access[0])
    assert logs.request_id.get() is None  # nothing leaks out of the request


def test_json_formatter_keeps_exceptions_on_one_line():
    try:
        raise ValueError("rusak")
    except ValueError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "gagal", (), __import__(
            "sys").exc_info())
    line = logs.JsonFormatter().format(record)
    assert "\n" not in line and "ValueError: rusak" in json.loads(line)["exc_info"]


def test_gunicorn_logs_json_in_production(monkeypatch):
    monkeypatch.setenv("NETRA_ENV", "production")
    conf = importlib.reload(importlib.import_module("admin.gunicorn_conf"))
    try:
        assert conf.accesslog is None and not hasattr(conf, "preload_app")
        logging.config.dictConfig(conf.logconfig_dict)
        handler = logging.getLogger("gunicorn.error").handlers[0]
        assert isinstance(handler.formatter, logs.JsonFormatter)
    finally:
        monkeypatch.delenv("NETRA_ENV")
        importlib.reload(conf)
        for name in ("gunicorn.error", "gunicorn.access"):
            logging.getLogger(name).handlers.clear()
            logging.getLogger(name).propagate = True


def test_healthz_answers_for_the_database(tmp_path):
    client = create_app(_settings(tmp_path)).test_client()
    assert (client.get("/healthz").status_code, client.get("/healthz").text) == (200, "ok")
    broken = create_app(replace(_settings(tmp_path), database_url="postgresql+psycopg://x@127.0.0.1:1/none"))
    assert broken.test_client().get("/healthz").status_code == 503


def test_postgresql_pool_is_sized_from_the_settings(pg_server):
    settings = Settings.from_env({"NETRA_DB_POOL_SIZE": "3", "NETRA_DB_MAX_OVERFLOW": "4",
                                  "NETRA_DB_POOL_RECYCLE": "900", "NETRA_DB_POOL_TIMEOUT": "7",
                                  "NETRA_VAR_DIR": os.environ["NETRA_VAR_DIR"]})  # its secret key: not the checkout's
    engine = make_engine(pg_server.url(), settings=settings)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select 1")).scalar() == 1
        pool = engine.pool
        assert (pool.size(), pool._max_overflow, pool._recycle, pool._timeout, pool._pre_ping) == (3, 4, 900, 7, True)
    finally:
        engine.dispose()
    defaults = make_engine(pg_server.url(), settings=Settings.from_env({"NETRA_VAR_DIR": os.environ["NETRA_VAR_DIR"]}))
    assert (defaults.pool.size(), defaults.pool._max_overflow, defaults.pool._recycle) == (5, 10, 1800)
    defaults.dispose()


def test_the_access_log_never_holds_a_link_s_token(engine, tmp_path, capsys):
    url = engine.url.render_as_string(hide_password=False)
    app = create_app(_settings(tmp_path, NETRA_ENV="production", NETRA_SECRET_KEY=KEY, NETRA_DATABASE_URL=url))
    client = app.test_client()
    capsys.readouterr()
    token = "Zq7-secret-token-of-an-emailed-link_0123456789abcdef"
    for path in (f"/login/tautan/{token}", f"/aktivasi/{token}"):
        assert client.get(path, base_url="https://netra.test").status_code == 404  # unknown: refused
    out = capsys.readouterr().out
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    paths = [line["path"] for line in lines if line["logger"] == "netra.desk.access"]
    assert paths == ["/login/tautan/…", "/aktivasi/…"] and token not in out
