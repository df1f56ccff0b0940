"""The system administrator runs accounts but cannot read cases: never sysadmin together with a role that sees
cases, never the password of such an account (its owner sets it from an emailed activation link), and every
creation or change of such an account told to its institution's inbox. Over HTTP as the demo `admin`, on both
backends, the emails read back from a real SMTP server; and `netra user create`."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from casework.accounts.users import CASE_ROLES, check_roles
from casework.errors import CaseworkError
from casework.models import AuditEvent, OutboxMessage, Role, User
from tests.helpers import client_as, csrf
from tests.test_signin_links import _login, _send, desk  # noqa: F401  (the desk with its SMTP sink, both backends)
from tests.helpers import sqlite_only  # noqa: F401  (SQLite only: the accounts' rules, not SQL)

ROOT = Path(__file__).resolve().parent.parent


def _form(admin, path: str) -> str:
    return admin.get(path).get_data(as_text=True)


def _create(admin, *, username: str, roles: list[str], email: str = "", full_name: str = "Pengguna Baru", **more):
    data = {"csrf_token": csrf(_form(admin, "/pengguna/new/")), "username": username, "full_name": full_name,
            "email": email, "roles": roles, "is_active": "y", "locale": "id", **more}
    return admin.post("/pengguna/new/", data=data)


def _edit(admin, user_id: int, **fields):
    with_ids = {"csrf_token": csrf(_form(admin, f"/pengguna/edit/?id={user_id}")), "is_active": "y",
                "locale": "id", **fields}
    return admin.post(f"/pengguna/edit/?id={user_id}", data=with_ids)


def _user(demo_sessions, username: str) -> User | None:
    with demo_sessions() as session:
        return session.scalar(select(User).where(User.username == username))


def _flashes(html: str) -> str:
    return " ".join(re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', html, re.S))


def _read(mail, address: str) -> list:
    return [m for m in mail.received if address in m.rcpt_tos]


def test_creating_an_auditor_sends_an_activation_link_and_takes_no_password(desk, demo_sessions, mail):
    admin = client_as(desk, "admin")
    assert "Hanya untuk akun tanpa peran yang melihat kasus" in _form(admin, "/pengguna/new/")
    created = _create(admin, username="auditor.baru", roles=["auditor"], email="auditor.baru@bawaslu.test",
                      full_name="Auditor Baru", new_password="admin-tahu-ini-2026")
    assert created.status_code == 302, _flashes(created.get_data(as_text=True))
    told = _flashes(admin.get(created.headers["Location"]).get_data(as_text=True))
    assert "Kata sandi tidak disimpan" in told and "tautan aktivasi" in told
    # the administrator cannot sign in as the account just made, with the password typed into the form
    assert _login(desk.test_client(), "auditor.baru", "admin-tahu-ini-2026").status_code == 401
    user = _user(demo_sessions, "auditor.baru")
    edit = _form(admin, f"/pengguna/edit/?id={user.id}")
    assert 'name="new_password"' not in edit  # not offered for an account that sees cases...
    changed = _edit(admin, user.id, username="auditor.baru", full_name="Auditor Baru", roles=["auditor"],
                    email="auditor.baru@bawaslu.test", new_password="coba-lagi-2026-x")
    assert changed.status_code == 302
    assert _login(desk.test_client(), "auditor.baru", "coba-lagi-2026-x").status_code == 401  # ...nor accepted

    assert _send(desk, demo_sessions).failed == 0
    activation = _read(mail, "auditor.baru@bawaslu.test")
    assert len(activation) == 1 and activation[0].subject.startswith("[Netra] Aktivasi akun auditor.baru")
    path = re.search(r"http://netra\.test(/aktivasi/[A-Za-z0-9_-]+)", activation[0].text).group(1)
    notices = _read(mail, "ri@bawaslu.demo.test")  # an auditor belongs to no office: Bawaslu RI hears of it
    assert len(notices) == 2  # created, then changed
    notice = notices[0].text
    assert "auditor.baru" in notice and "Auditor (hanya baca)" in notice and '"admin"' in notice
    assert "http" not in notice and "/aktivasi/" not in notice  # a notice, never a link

    owner = desk.test_client()  # the owner sets their own password
    assert "auditor.baru" in owner.get(path).get_data(as_text=True)
    mismatch = owner.post(path, data={"csrf_token": csrf(owner.get(path).get_data(as_text=True)),
                                      "password": "milik-saya-2026", "confirm": "lain-2026-xx"})
    assert mismatch.status_code == 400 and "tidak sama" in mismatch.get_data(as_text=True)
    done = owner.post(path, data={"csrf_token": csrf(owner.get(path).get_data(as_text=True)),
                                  "password": "milik-saya-2026", "confirm": "milik-saya-2026"})
    assert done.status_code == 302 and done.headers["Location"].startswith("/login")
    assert owner.get(path).status_code == 404  # spent
    signed_in = desk.test_client()
    assert _login(signed_in, "auditor.baru", "milik-saya-2026").status_code == 302
    assert signed_in.get("/kasus-daftar/").status_code == 200
    with demo_sessions() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created",
                                                        AuditEvent.entity_id == str(user.id)))
        assert event.actor == "admin" and event.after["roles"] == ["auditor"]
        assert event.after["password_refused"] is True and event.after["activation_link"]
        assert event.after["notice_to"] == ["ri@bawaslu.demo.test"]
        assert "admin-tahu-ini" not in str(event.after)
        assert session.scalar(select(AuditEvent.action).where(AuditEvent.action == "auth.activated"))


def test_an_account_that_gains_a_case_role_loses_the_password_the_administrator_set(desk, demo_sessions, mail):
    from casework.models import Office
    admin = client_as(desk, "admin")
    assert _create(admin, username="staf.baru", roles=[], email="staf.baru@bawaslu.test",
                   new_password="admin-tahu-ini-2026").status_code == 302  # no role at all: allowed
    staff = desk.test_client()
    assert _login(staff, "staf.baru", "admin-tahu-ini-2026").status_code == 302  # the administrator, as staf.baru
    assert staff.get("/").status_code == 200
    with demo_sessions() as session:
        kukar = session.scalar(select(Office.id).where(Office.code == "bawaslu-6402"))
    user = _user(demo_sessions, "staf.baru")
    granted = _edit(admin, user.id, username="staf.baru", full_name="Pengguna Baru", email="staf.baru@bawaslu.test",
                    roles=["bawaslu_handler"], office=str(kukar))
    assert granted.status_code == 302, _flashes(granted.get_data(as_text=True))
    assert staff.get("/kasus-daftar/").status_code == 302  # the session opened with that password is over
    assert _login(desk.test_client(), "staf.baru", "admin-tahu-ini-2026").status_code == 401
    _send(desk, demo_sessions)
    assert len(_read(mail, "staf.baru@bawaslu.test")) == 1  # the activation link, to the owner
    office_notice = _read(mail, "kukar@bawaslu.demo.test")  # the office the account now works for
    assert len(office_notice) == 1 and "Penangan pelanggaran Bawaslu" in office_notice[0].text


def test_sysadmin_is_never_combined_with_a_role_that_sees_cases(desk, demo_sessions):
    admin = client_as(desk, "admin")
    refused = _create(admin, username="dua.peran", roles=["sysadmin", "auditor"], email="dua@bawaslu.test")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "tidak dapat digabung" in _flashes(html)
    assert _user(demo_sessions, "dua.peran") is None
    me = _user(demo_sessions, "admin")
    grab = _edit(admin, me.id, username="admin", full_name=me.full_name, email=me.email,
                 roles=["sysadmin", "bawaslu_head"])
    assert grab.status_code == 200 and "tidak dapat digabung" in _flashes(grab.get_data(as_text=True))
    handler = _user(demo_sessions, "penangan.kukar")
    promote = _edit(admin, handler.id, username="penangan.kukar", full_name=handler.full_name, email=handler.email,
                    roles=["bawaslu_handler", "sysadmin"], office=str(handler.office_id))
    assert "tidak dapat digabung" in _flashes(promote.get_data(as_text=True))
    with demo_sessions() as session:
        roles = {u.username: sorted(r.code for r in u.roles) for u in session.scalars(select(User))}
    assert roles["admin"] == ["sysadmin"] and roles["penangan.kukar"] == ["bawaslu_handler"]
    admin.get("/bahasa/en")
    english = _create(admin, username="dua.peran", roles=["sysadmin", "bkpsdm_officer"], email="d@bawaslu.test")
    assert "cannot be combined" in _flashes(english.get_data(as_text=True))
    for roles in ({"sysadmin", "oversight_officer"}, {"sysadmin", "bawaslu_handler"}):  # the rule is the domain's
        with pytest.raises(CaseworkError):
            check_roles(roles)
    check_roles({"sysadmin"})
    check_roles({"auditor", "bawaslu_handler"})


def test_an_account_that_sees_cases_needs_an_email(desk, demo_sessions):
    admin = client_as(desk, "admin")
    refused = _create(admin, username="tanpa.email", roles=["auditor"], email="")
    assert "wajib memiliki alamat email" in _flashes(refused.get_data(as_text=True))
    assert _user(demo_sessions, "tanpa.email") is None


def test_the_user_list_names_roles_and_offices(desk):
    admin = client_as(desk, "admin")
    listing = _form(admin, "/pengguna/")
    assert "object at 0x" not in listing
    assert "Penangan pelanggaran Bawaslu" in listing and "Administrator sistem" in listing
    assert "Bawaslu Kabupaten Kutai Kartanegara" in listing
    form = _form(admin, "/pengguna/new/")
    assert "object at 0x" not in form and "Auditor (hanya baca)" in form


def test_every_role_is_either_the_administrator_s_or_one_that_sees_cases():
    codes = {r["code"] for r in tomllib.loads((ROOT / "casework" / "rules" / "roles.toml").read_text())["roles"]}
    assert codes == CASE_ROLES | {"sysadmin"}  # a new role must be placed on one side of the rule


# --- `netra user create` ------------------------------------------------------------------------------------------
@pytest.fixture
def netra(monkeypatch, demo_engine, tmp_path):
    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("NETRA_BASE_URL", "https://netra.bawaslu.test")

    def run(*args):
        from casework.cli import cli
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return run


def test_netra_user_create_gives_a_first_administrator_its_activation_link(netra, demo_sessions):
    from casework.accounts.links import use_activation_link
    from casework.accounts.login import login
    result = netra("user", "create", "admin.pusat", "--full-name", "Admin Pusat", "--role", "sysadmin")
    assert result.exit_code == 0, result.output
    url = re.search(r"https://netra\.bawaslu\.test/aktivasi/([A-Za-z0-9_-]+)", result.output)
    assert url and "72 jam" in result.output  # printed: the operator runs this on the server
    use_activation_link(demo_sessions, url.group(1), "kata-sandi-admin-2026", "kata-sandi-admin-2026")
    assert login(demo_sessions, "admin.pusat", "kata-sandi-admin-2026").username == "admin.pusat"
    with demo_sessions() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created").order_by(
            AuditEvent.id.desc()))
        assert event.actor.startswith("cli:") and event.after["roles"] == ["sysadmin"]


def test_netra_user_create_never_prints_the_link_of_an_account_that_sees_cases(netra, demo_sessions):
    result = netra("user", "create", "penangan.balikpapan", "--full-name", "Penangan Balikpapan", "--email",
                   "penangan@balikpapan.bawaslu.test", "--role", "bawaslu_handler", "--office", "bawaslu-6471")
    assert result.exit_code == 0, result.output
    assert "/aktivasi/" not in result.output and "penangan@balikpapan.bawaslu.test" in result.output
    with demo_sessions() as session:
        user = session.scalar(select(User).where(User.username == "penangan.balikpapan"))
        assert user.office.code == "bawaslu-6471" and [r.code for r in user.roles] == ["bawaslu_handler"]
        queued = {m.purpose: m.recipients for m in session.scalars(select(OutboxMessage))}
    assert queued == {"account.activation": ["penangan@balikpapan.bawaslu.test"],
                      "account.notice": ["balikpapan@bawaslu.demo.test"]}


@pytest.mark.parametrize("args, expected", [
    (["--role", "sysadmin", "--role", "auditor", "--email", "x@b.test"], "tidak dapat digabung"),
    (["--role", "auditor"], "wajib memiliki alamat email"),
    (["--role", "penyihir"], "peran 'penyihir' tidak dikenal"),
    (["--role", "bawaslu_handler", "--email", "x@b.test", "--office", "tidak-ada"], "tidak ditemukan"),
    (["--role", "auditor", "--email", "bukan-email"], "tidak valid"),
])
def test_netra_user_create_refuses_what_the_desk_refuses(netra, demo_sessions, args, expected):
    result = netra("user", "create", "coba.coba", "--full-name", "Coba", *args)
    assert result.exit_code == 1 and expected in result.output and "Traceback" not in result.output
    assert _user(demo_sessions, "coba.coba") is None
    taken = netra("user", "create", "auditor", "--full-name", "X", "--role", "sysadmin")
    assert taken.exit_code == 1 and "sudah dipakai" in taken.output


def test_roles_and_organisations_read_as_names(demo_sessions):
    from casework.models import Agency, Office, OversightBody
    with demo_sessions() as session:
        assert str(session.get(Role, "auditor")) == "Auditor (hanya baca)"
        office = session.scalar(select(Office).where(Office.code == "bawaslu-6402"))
        assert str(office) == "Bawaslu Kabupaten Kutai Kartanegara"
        assert "object" not in str(session.scalars(select(Agency)).first())
        assert "object" not in str(session.scalars(select(OversightBody)).first())


def test_netra_user_activate_sends_a_fresh_link_and_the_old_password_works_until_it_is_used(netra, demo_sessions):
    from casework.accounts.login import login
    result = netra("user", "activate", "auditor")
    assert result.exit_code == 0 and "/aktivasi/" not in result.output and "auditor@demo.netra.test" in result.output
    assert login(demo_sessions, "auditor", "netra-demo").username == "auditor"
    printed = netra("user", "activate", "admin")  # the administrator's own: printed for the operator
    assert re.search(r"https://netra\.bawaslu\.test/aktivasi/[A-Za-z0-9_-]+", printed.output)
    assert netra("user", "activate", "tidak.ada").exit_code == 1


def test_a_password_change_ends_every_session_of_the_account(desk, demo_sessions, mail):
    from casework.models import DeskSession
    admin = client_as(desk, "admin")
    made = _create(admin, username="admin.dua", roles=["sysadmin"], new_password="sandi-pertama-2026")
    assert made.status_code == 302
    second = desk.test_client()
    assert _login(second, "admin.dua", "sandi-pertama-2026").status_code == 302 and second.get("/").status_code == 200
    user = _user(demo_sessions, "admin.dua")
    assert _edit(admin, user.id, username="admin.dua", full_name=user.full_name, email="", roles=["sysadmin"],
                 new_password="sandi-kedua-2026").status_code == 302  # a sysadmin-only account: the admin may
    assert second.get("/").status_code == 302
    with demo_sessions() as session:
        assert session.scalar(select(DeskSession.ended_reason).where(DeskSession.user_id == user.id)) == "password"

    # a user who forgot their password: the administrator sends a new activation link; using it ends the sessions
    auditor = client_as(desk, "auditor")
    target = _user(demo_sessions, "auditor")
    assert _edit(admin, target.id, username="auditor", full_name=target.full_name, email=target.email,
                 roles=["auditor"], send_activation="y").status_code == 302
    assert auditor.get("/").status_code == 200  # the old password and session hold until the link is used
    _send(desk, demo_sessions)
    path = re.search(r"http://netra\.test(/aktivasi/[A-Za-z0-9_-]+)",
                     _read(mail, "auditor@demo.netra.test")[0].text).group(1)
    owner = desk.test_client()
    owner.post(path, data={"csrf_token": csrf(owner.get(path).get_data(as_text=True)),
                           "password": "sandi-baru-auditor", "confirm": "sandi-baru-auditor"})
    assert auditor.get("/").status_code == 302
    assert _login(desk.test_client(), "auditor", "netra-demo").status_code == 401
    assert _login(desk.test_client(), "auditor", "sandi-baru-auditor").status_code == 302


def test_a_form_saved_after_a_pause_is_saved(desk, demo_sessions):
    """The session's last_seen_at is written in its own transaction when a while has passed; the request's own
    database session must not start before it (on SQLite, Flask-Admin's save would meet a stale snapshot)."""
    from datetime import timedelta

    from casework.adapters.db import transaction
    from casework.models import DeskSession, utcnow
    admin = client_as(desk, "admin")
    target = _user(demo_sessions, "auditor")
    form = _form(admin, f"/pengguna/edit/?id={target.id}")
    with transaction(demo_sessions) as session:  # the administrator went for coffee
        for row in session.scalars(select(DeskSession)):
            row.last_seen_at = utcnow() - timedelta(minutes=5)
    saved = admin.post(f"/pengguna/edit/?id={target.id}", data={
        "csrf_token": csrf(form), "username": "auditor", "full_name": "Sri Handayani (pindah)", "email": target.email,
        "roles": ["auditor"], "is_active": "y", "locale": "id"})
    assert saved.status_code == 302, _flashes(saved.get_data(as_text=True))
    assert _user(demo_sessions, "auditor").full_name == "Sri Handayani (pindah)"
