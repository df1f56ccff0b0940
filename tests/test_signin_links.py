"""A failed login tells nothing about the account, and a locked account still gets in by the trusted path: a
single-use sign-in link emailed to its owner (over HTTP, on both backends, the email read back from a real SMTP
server on loopback)."""
from __future__ import annotations

import re
import threading
from dataclasses import replace
from datetime import timedelta

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from admin import create_app
from casework.adapters.db import transaction
from casework.mail import outbox
from casework.models import AccountLink, AuditEvent, DeskSession, OutboxMessage, User, utcnow
from casework.settings import Settings
from tests.helpers import csrf
from tests.helpers import sqlite_only  # noqa: F401  (SQLite only: the sign-in rules, not SQL)

GENERIC_ID = "Gagal masuk"
SENT_ID = "Bila akun itu ada, aktif dan memiliki alamat email, tautan masuk telah dikirim"


@pytest.fixture
def desk(demo_engine, tmp_path, mail):
    settings = replace(Settings.from_env({"NETRA_VAR_DIR": str(tmp_path / "var")}),
                       database_url=demo_engine.url.render_as_string(hide_password=False),
                       letters_dir=tmp_path / "letters", smtp_port=mail.port, mail_from="netra@bawaslu.test",
                       base_url="http://netra.test")
    return create_app(settings)


def _login(client, username: str, password: str, **kwargs):
    token = csrf(client.get("/login", **kwargs).get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token}, **kwargs)


def _alert(html: str) -> str:
    return re.search(r'class="alert alert-danger"[^>]*>(.*?)</div>', html, re.S).group(1).strip()


def _page_without_tokens(html: str) -> str:
    """The page as another visitor would see it: the CSRF token and the typed username taken out."""
    html = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "csrf", html)
    return re.sub(r'(id="username"[^>]*value=")[^"]*"', r'\1"', html)


@pytest.fixture
def argon2_verifications(monkeypatch) -> list[int]:
    """Counts argon2 verifications, wherever they are asked for (the real verification still runs)."""
    calls: list[int] = []
    real = PasswordHasher.verify

    def counting(self, hash_, password):
        calls.append(1)
        return real(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


def test_every_failed_login_says_the_same_and_costs_one_verification(desk, demo_sessions, argon2_verifications):
    with transaction(demo_sessions) as session:
        session.scalar(select(User).where(User.username == "penangan.ri")).is_active = False
        locked = session.scalar(select(User).where(User.username == "ketua.kukar"))
        locked.failed_logins, locked.locked_until = 9, utcnow() + timedelta(minutes=30)
    cases = {"unknown": ("tidak.ada", "netra-demo"), "inactive": ("penangan.ri", "netra-demo"),
             "wrong password": ("auditor", "salah-sekali"), "locked": ("ketua.kukar", "salah-sekali"),
             "locked, right password": ("ketua.kukar", "netra-demo")}
    answers = {}
    for case, (username, password) in cases.items():
        client = desk.test_client()
        client.get("/login")
        before = len(argon2_verifications)
        response = client.post("/login", data={"username": username, "password": password,
                                               "csrf_token": csrf(client.get("/login").get_data(as_text=True))})
        assert len(argon2_verifications) - before == 1, case  # the same work, whatever the case
        html = response.get_data(as_text=True)
        answers[case] = (response.status_code, _alert(html), _page_without_tokens(html))
        assert client.get("/").status_code == 302, case
    assert len(set(answers.values())) == 1, answers  # the same status, message and page
    status, message, _ = answers["unknown"]
    assert status == 401 and message.startswith(GENERIC_ID) and "tautan masuk" in message
    english = desk.test_client()
    english.get("/bahasa/en")
    assert _alert(_login(english, "tidak.ada", "x").get_data(as_text=True)).startswith("Sign-in failed")
    with demo_sessions() as session:  # the lock is not lengthened by refused attempts, nor lifted by a right one
        assert session.scalar(select(User.failed_logins).where(User.username == "ketua.kukar")) == 9


def _read_link(mail, address: str, path: str) -> str:
    received = mail.wait_for(lambda m: address in m.rcpt_tos and path in m.text, timeout=15)
    assert len(received) == 1, [m.subject for m in mail.received]
    return re.search(r"http://netra\.test(" + re.escape(path) + r"[A-Za-z0-9_-]+)", received[-1].text).group(1)


def _request_link(client, username: str, **kwargs):
    form = client.get("/login/tautan", **kwargs).get_data(as_text=True)
    return client.post("/login/tautan", data={"username": username, "csrf_token": csrf(form)}, **kwargs)


def _send(desk, demo_sessions):
    return outbox.send_pending(demo_sessions, settings=desk.config["NETRA_SETTINGS"])


def _use_link(client, path: str, password: str, code: str = ""):
    form = client.get("/login/tautan").get_data(as_text=True)  # a valid form token, whether the link lives or not
    return client.post(path, data={"password": password, "code": code, "csrf_token": csrf(form)})


def test_a_locked_account_signs_in_with_an_emailed_link(desk, demo_sessions, mail):
    client = desk.test_client()
    for _ in range(5):  # someone guesses: the account locks
        assert _login(client, "penangan.kukar", "tebakan").status_code == 401
    with demo_sessions() as session:
        assert session.scalar(select(User.locked_until).where(User.username == "penangan.kukar")) > utcnow()
    refused = _login(client, "penangan.kukar", "netra-demo")  # the owner, with the right password: refused...
    assert refused.status_code == 401 and _alert(refused.get_data(as_text=True)).startswith(GENERIC_ID)

    login_page = client.get("/login").get_data(as_text=True)  # ...and shown the way out
    assert 'href="/login/tautan"' in login_page and "Akun terkunci atau lupa kata sandi?" in login_page
    asked = _request_link(client, "penangan.kukar")
    assert asked.status_code == 200 and SENT_ID in asked.get_data(as_text=True)
    assert _send(desk, demo_sessions).sent == 1  # the outbox's normal sending path
    path = _read_link(mail, "penangan.kukar@demo.netra.test", "/login/tautan/")
    email = mail.received[-1]
    assert email.subject.startswith("[Netra] Tautan masuk") and "30 menit" in email.text
    with demo_sessions() as session:  # the link went out; the outbox keeps no copy of it
        kept = session.scalar(select(OutboxMessage.body).where(OutboxMessage.purpose == "account.signin_link"))
        assert path.rsplit("/", 1)[-1] not in kept and "dihapus setelah terkirim" in kept

    owner = desk.test_client()
    page = owner.get(path)
    assert page.status_code == 200 and "penangan.kukar" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer" and page.headers["Cache-Control"] == "no-store"
    wrong = _use_link(owner, path, "bukan-ini")
    assert wrong.status_code == 401 and "sisa 2" in wrong.get_data(as_text=True)
    done = _use_link(owner, path, "netra-demo")
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert owner.get("/").status_code == 200  # in, although the account was locked
    with demo_sessions() as session:
        user = session.scalar(select(User).where(User.username == "penangan.kukar"))
        assert (user.failed_logins, user.locked_until) == (0, None)  # the counter starts again
        link = session.scalar(select(AccountLink).where(AccountLink.user_id == user.id))
        assert link.used_at is not None and link.failed_attempts == 1
        assert link.token_sha256 not in path and path.rsplit("/", 1)[1] not in str(link.token_sha256)
        assert session.scalar(select(DeskSession.method).where(DeskSession.user_id == user.id,
                                                               DeskSession.ended_at.is_(None))) == "link"
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "user",
                                                                       AuditEvent.entity_id == str(user.id))))
    assert {"auth.link_requested", "auth.link_failed", "auth.login_link"} <= set(actions)
    assert _login(desk.test_client(), "penangan.kukar", "netra-demo").status_code == 302  # unlocked for good

    again = desk.test_client()  # the link cannot be used twice
    assert again.get(path).status_code == 404
    form = again.get("/login/tautan").get_data(as_text=True)  # a valid form token, posted to the spent link
    reused = again.post(path, data={"password": "netra-demo", "csrf_token": csrf(form)})
    assert reused.status_code == 404 and again.get("/").status_code == 302
    with demo_sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "auth.link_refused")) >= 1


def test_wrong_passwords_kill_the_link_not_the_account(desk, demo_sessions, mail):
    client = desk.test_client()
    _request_link(client, "auditor")
    _send(desk, demo_sessions)
    path = _read_link(mail, "auditor@demo.netra.test", "/login/tautan/")
    for left in (2, 1):
        assert f"sisa {left}" in _use_link(client, path, "salah").get_data(as_text=True)
    dead = _use_link(client, path, "salah")
    assert "tidak berlaku lagi" in dead.get_data(as_text=True)
    assert _use_link(client, path, "netra-demo").status_code == 404  # dead: even the right password
    with demo_sessions() as session:
        user = session.scalar(select(User).where(User.username == "auditor"))
        assert user.failed_logins == 0 and user.locked_until is None  # the account's own count is untouched
    assert _login(desk.test_client(), "auditor", "netra-demo").status_code == 302


def test_an_expired_link_is_refused(desk, demo_sessions, mail):
    client = desk.test_client()
    _request_link(client, "auditor")
    _send(desk, demo_sessions)
    path = _read_link(mail, "auditor@demo.netra.test", "/login/tautan/")
    with transaction(demo_sessions) as session:
        link = session.scalar(select(AccountLink))
        assert link.expires_at - link.created_at == timedelta(minutes=30)
        link.expires_at = utcnow() - timedelta(seconds=1)
    assert client.get(path).status_code == 404
    assert _use_link(client, path, "netra-demo").status_code == 404 and client.get("/").status_code == 302


def test_unknown_inactive_or_mailless_accounts_get_the_same_page_and_no_email(desk, demo_sessions, mail):
    with transaction(demo_sessions) as session:
        session.scalar(select(User).where(User.username == "penangan.ri")).is_active = False
        session.scalar(select(User).where(User.username == "pengawas.bkn")).email = ""
    pages = set()
    for username in ("auditor", "tidak.ada", "penangan.ri", "pengawas.bkn"):
        response = _request_link(desk.test_client(), username)
        assert response.status_code == 200
        pages.add(_page_without_tokens(response.get_data(as_text=True)))
    assert len(pages) == 1 and SENT_ID in pages.pop()
    with demo_sessions() as session:
        queued = session.scalars(select(OutboxMessage)).all()
        refused = session.scalars(select(AuditEvent.after).where(AuditEvent.action == "auth.link_refused")).all()
    assert [m.recipients for m in queued] == [["auditor@demo.netra.test"]]  # the one real, active, mailed account
    assert sorted(r["reason"] for r in refused) == ["inactive", "no_email", "unknown"]
    _send(desk, demo_sessions)
    assert [m.rcpt_tos for m in mail.received] == [["auditor@demo.netra.test"]]


def test_a_double_click_sends_one_email_and_requests_are_limited_per_address(desk, demo_sessions, mail,
                                                                            monkeypatch):
    import casework.reports.reporter_status
    frozen = utcnow().replace(second=1)  # one counting window for the whole test, whenever it runs
    monkeypatch.setattr(casework.reports.reporter_status, "utcnow", lambda: frozen)
    client = desk.test_client()
    first, second = _request_link(client, "auditor"), _request_link(client, "auditor")
    assert first.get_data(as_text=True).count(SENT_ID) == second.get_data(as_text=True).count(SENT_ID) == 1
    with demo_sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        assert session.scalar(select(func.count()).select_from(AccountLink)) == 1  # one live link per 5 minutes
    _send(desk, demo_sessions)
    assert len(mail.wait_for(lambda m: True, timeout=5)) == 1
    answers = [_request_link(client, f"tebakan{n}").status_code for n in range(6)]
    assert 429 in answers  # one address cannot make the desk write to every mailbox
    elsewhere = _request_link(desk.test_client(), "tebakan", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert elsewhere.status_code == 200


def test_two_requests_at_once_queue_one_email(desk, demo_sessions):
    from casework.accounts.links import request_signin_link
    settings = desk.config["NETRA_SETTINGS"]
    barrier = threading.Barrier(2)
    errors = []

    def ask():
        try:
            barrier.wait()
            request_signin_link(demo_sessions, "auditor", base_url=settings.base_url)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with demo_sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        live = session.scalars(select(AccountLink).where(AccountLink.revoked_at.is_(None))).all()
    assert len(live) == 1


def test_a_link_asks_for_the_second_factor_too(desk, demo_sessions, mail):
    secret = pyotp.random_base32()
    with transaction(demo_sessions) as session:
        user = session.scalar(select(User).where(User.username == "penangan.kaltim"))
        user.totp_secret, user.locked_until, user.failed_logins = secret, utcnow() + timedelta(minutes=20), 7
    client = desk.test_client()
    _request_link(client, "penangan.kaltim")
    _send(desk, demo_sessions)
    path = _read_link(mail, "penangan.kaltim@demo.netra.test", "/login/tautan/")
    assert 'name="code"' in client.get(path).get_data(as_text=True)
    no_code = _use_link(client, path, "netra-demo", "000000")
    assert no_code.status_code == 401 and client.get("/").status_code == 302
    assert _use_link(client, path, "netra-demo", pyotp.TOTP(secret).now()).status_code == 302
    assert client.get("/").status_code == 200


def test_one_link_used_twice_at_once_signs_in_once(desk, demo_sessions):
    from casework.accounts.links import SIGNIN, issue, use_signin_link
    from casework.errors import CaseworkError
    with transaction(demo_sessions) as session:
        user = session.scalar(select(User).where(User.username == "auditor"))
        token = issue(session, user, SIGNIN, created_by="auditor", base_url="http://netra.test").token
    barrier, outcomes = threading.Barrier(2), []

    def use():
        barrier.wait()
        try:
            outcomes.append(use_signin_link(demo_sessions, token, "netra-demo").username)
        except CaseworkError as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["auditor", "link.invalid"]
