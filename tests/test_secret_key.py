"""The desk's secret key without configuration (`make run`): made once per install in <var_dir>/secret_key, mode
0600, shared by every process of the install; the old public development key signs nothing any more. And the second
step of login stands on its own: its marker in the session expires and is bound to the password step just passed."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from admin import create_app
from casework.adapters.db import transaction
from casework.models import User
from casework.settings import ConfigurationError, Settings
from tests.helpers import client_as, csrf

ROOT = Path(__file__).resolve().parent.parent
OLD_PUBLIC_KEY = "dev-only-not-secret"  # what every `make run` install signed its cookies with before


def _env(tmp_path, **more) -> dict[str, str]:
    return {"NETRA_VAR_DIR": str(tmp_path / "var"), **more}


def test_the_key_is_made_once_with_mode_0600_and_reused(tmp_path):
    first = Settings.from_env(_env(tmp_path))
    key_file = tmp_path / "var" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.secret_key == key_file.read_text().strip() and len(first.secret_key) >= 64
    assert Settings.from_env(_env(tmp_path)).secret_key == first.secret_key  # the second start reads it back
    assert Settings.from_env(_env(tmp_path / "other")).secret_key != first.secret_key  # one per install
    assert sorted(p.name for p in (tmp_path / "var").iterdir()) == ["secret_key"]  # no temporary file left
    # an explicit key wins and no file is needed for it
    given = Settings.from_env(_env(tmp_path / "given", NETRA_SECRET_KEY="x" * 40))
    assert given.secret_key == "x" * 40 and not (tmp_path / "given" / "var" / "secret_key").exists()


def test_the_old_public_key_is_gone_from_the_code():
    for path in [*(ROOT / "casework").rglob("*.py"), *(ROOT / "admin").rglob("*.py")]:
        assert OLD_PUBLIC_KEY not in path.read_text(), path


RACER = """
import os, sys, time
os.umask(0)  # the most permissive umask: the file must still never be readable by others
from casework.settings import Settings
start = float(sys.argv[2])
while time.time() < start:
    pass
print(Settings.from_env({"NETRA_VAR_DIR": sys.argv[1]}).secret_key)
"""


def test_processes_racing_to_make_the_key_end_with_the_same_one(tmp_path):
    var = tmp_path / "var"
    start = time.time() + 2.0  # every process spins until the same moment, then all make the key at once
    racers = [subprocess.Popen([sys.executable, "-c", RACER, str(var), str(start)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(12)]
    keys = set()
    for racer in racers:
        out, err = racer.communicate(timeout=60)
        assert racer.returncode == 0, err
        keys.add(out.strip())
    assert len(keys) == 1 and keys == {(var / "secret_key").read_text().strip()}
    assert stat.S_IMODE((var / "secret_key").stat().st_mode) == 0o600
    assert [p.name for p in var.iterdir()] == ["secret_key"]


def test_production_never_makes_a_key(tmp_path):
    settings = Settings.from_env(_env(tmp_path, NETRA_ENV="production",
                                      NETRA_DATABASE_URL=f"sqlite:///{tmp_path / 'netra.db'}"))
    with pytest.raises(ConfigurationError):
        create_app(settings)
    assert not (tmp_path / "var" / "secret_key").exists()


def test_an_unwritable_var_dir_stops_the_desk_with_a_clear_message(tmp_path):
    if os.geteuid() == 0:  # root writes anywhere: stand in for the read-only directory with a file in its place
        (tmp_path / "var").write_text("not a directory")
    else:
        (tmp_path / "var").mkdir(mode=0o500)
    settings = Settings.from_env(_env(tmp_path, NETRA_DATABASE_URL=f"sqlite:///{tmp_path / 'netra.db'}"))
    assert settings.secret_key == ""  # commands that need no key still get their settings
    with pytest.raises(ConfigurationError) as refused:
        create_app(settings)
    assert "tidak tersedia" in str(refused.value) and "has no secret key" in str(refused.value)


@pytest.fixture
def desk_env(demo_engine, tmp_path) -> dict[str, str]:
    return _env(tmp_path, NETRA_DATABASE_URL=demo_engine.url.render_as_string(hide_password=False))


def test_two_desks_of_one_install_accept_each_other_s_cookies(desk_env):
    one = create_app(Settings.from_env(desk_env))
    two = create_app(Settings.from_env(desk_env))  # a second gunicorn worker, or the desk after a restart
    client = client_as(one, "auditor")
    cookie = client.get_cookie("session").value
    other = two.test_client()
    other.set_cookie("session", cookie)
    assert other.get("/").status_code == 200


def _forged(payload: dict, key: str) -> str:
    forger = Flask("forger")
    forger.secret_key = key
    return SecureCookieSessionInterface().get_signing_serializer(forger).dumps(payload)


def test_a_cookie_signed_with_the_old_public_key_is_refused(desk_env, demo_sessions):
    app = create_app(Settings.from_env(desk_env))
    with demo_sessions() as session:
        user_id = session.scalar(select(User.id).where(User.username == "penangan.kaltim"))
    client = app.test_client()
    client.set_cookie("session", _forged({"pending_2fa": user_id}, OLD_PUBLIC_KEY))
    response = client.get("/login/kode")  # before: the second-factor form of this user, without any password
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    client.set_cookie("session", _forged({"_user_id": f"{user_id}:x", "_fresh": True}, OLD_PUBLIC_KEY))
    assert client.get("/").status_code == 302


def _with_totp(demo_sessions, username: str) -> str:
    secret = pyotp.random_base32()
    with transaction(demo_sessions) as session:
        session.scalar(select(User).where(User.username == username)).totp_secret = secret
    return secret


def _password_step(app, username: str):
    client = app.test_client()
    token = csrf(client.get("/login").get_data(as_text=True))
    step = client.post("/login", data={"username": username, "password": "netra-demo", "csrf_token": token})
    assert step.status_code == 302 and step.headers["Location"].endswith("/login/kode")
    return client


def test_the_second_step_expires_and_belongs_to_the_password_step(desk_env, demo_sessions):
    app = create_app(Settings.from_env(desk_env))
    secret = _with_totp(demo_sessions, "penangan.kaltim")

    late = _password_step(app, "penangan.kaltim")
    with late.session_transaction() as data:
        marker = data["pending_2fa"]
        marker["at"] -= 6 * 60  # the password was given six minutes ago: past the five-minute limit
        data["pending_2fa"] = marker
    page = late.get("/login/kode")
    assert page.status_code == 302 and page.headers["Location"].endswith("/login")
    with late.session_transaction() as data:
        assert "pending_2fa" not in data
    assert late.get("/").status_code == 302

    in_time = _password_step(app, "penangan.kaltim")  # within the limit, the right code logs in
    form = in_time.get("/login/kode").get_data(as_text=True)
    done = in_time.post("/login/kode", data={"csrf_token": csrf(form), "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302 and in_time.get("/").status_code == 200

    changed = _password_step(app, "penangan.kaltim")  # the password changes between the two steps
    with transaction(demo_sessions) as session:
        from casework.accounts.passwords import hash_password
        session.scalar(select(User).where(User.username == "penangan.kaltim")).password_hash = hash_password(
            "kata-sandi-lain-2026")
    form = changed.get("/login/kode")
    assert form.status_code == 302 and form.headers["Location"].endswith("/login")

    bare = app.test_client()  # a bare user id (the old marker's shape), even signed with the right key, is nothing
    with demo_sessions() as session:
        user_id = session.scalar(select(User.id).where(User.username == "penangan.kaltim"))
    bare.get("/login")
    with bare.session_transaction() as data:
        data["pending_2fa"] = user_id
    assert bare.get("/login/kode").status_code == 302
