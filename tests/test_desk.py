"""The desk over HTTP (Flask's test client, real database on both backends): login, CSRF, scoping on every URL,
whistle-blower protection, decisions through casework."""
import re
from dataclasses import replace

import pytest
from sqlalchemy import select

from admin import create_app
from casework.models import Case
from casework.settings import Settings


@pytest.fixture
def app(demo_engine, tmp_path):
    settings = replace(Settings.from_env(), database_url=demo_engine.url.render_as_string(hide_password=False),
                       var_dir=tmp_path, letters_dir=tmp_path / "letters", secret_key="test-secret")
    return create_app(settings)


def client_as(app, username):
    client = app.test_client()
    token = csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": "netra-demo", "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def case_number(demo_sessions, **where) -> str:
    with demo_sessions() as session:
        return session.scalar(select(Case.number).filter_by(**where).order_by(Case.id))


def test_pages_need_login_and_forms_need_csrf(app):
    client = app.test_client()
    assert client.get("/").status_code == 302 and "/login" in client.get("/").headers["Location"]
    assert client.get("/kasus-daftar/").status_code == 302
    assert client.post("/login", data={"username": "penangan.kukar", "password": "netra-demo"}).status_code == 400


def test_wrong_password_is_refused_in_indonesian_then_locks(app):
    client = app.test_client()
    for _ in range(5):
        token = csrf(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"username": "ketua.kukar", "password": "salah", "csrf_token": token})
        assert response.status_code == 401 and "nama pengguna atau kata sandi salah" in response.get_data(as_text=True)
    token = csrf(client.get("/login").get_data(as_text=True))
    locked = client.post("/login", data={"username": "ketua.kukar", "password": "netra-demo", "csrf_token": token})
    assert locked.status_code == 401 and "dikunci sementara" in locked.get_data(as_text=True)


def test_each_user_reaches_only_their_cases_by_url(app, demo_sessions):
    kukar = case_number(demo_sessions, regency_code="6402", stage="study")
    samarinda = case_number(demo_sessions, regency_code="6472", stage="study")
    handler = client_as(app, "penangan.kukar")
    assert handler.get(f"/kasus/{kukar}").status_code == 200
    assert handler.get(f"/kasus/{samarinda}").status_code == 404
    listing = handler.get("/kasus-daftar/").get_data(as_text=True)
    assert kukar in listing and samarinda not in listing
    assert client_as(app, "penangan.kaltim").get(f"/kasus/{samarinda}").status_code == 200
    assert client_as(app, "bkpsdm.kukar").get(f"/kasus/{kukar}").status_code == 404  # not referred to the agency
    assert client_as(app, "admin").get(f"/kasus/{kukar}").status_code == 404
    # a step posted to a case out of scope is refused the same way
    other = client_as(app, "penangan.kukar")
    page = other.get(f"/kasus/{kukar}").get_data(as_text=True)
    assert other.post(f"/kasus/{samarinda}/langkah/submit_study",
                      data={"csrf_token": csrf(page), "version": "1", "conclusion": "x"}).status_code == 404


def test_search_by_nip_and_filters_stay_in_scope(app, demo_sessions):
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.regency_code == "6402").order_by(Case.id))
        nip, number = case.reported[0].nip, case.number
    handler = client_as(app, "penangan.kukar")
    found = handler.get(f"/kasus-daftar/?search={nip}").get_data(as_text=True)
    assert number in found
    outsider = client_as(app, "penangan.ri").get(f"/kasus-daftar/?search={nip}").get_data(as_text=True)
    assert number in outsider  # RI sees all
    kaltara = client_as(app, "bkpsdm.kukar").get(f"/kasus-daftar/?search={nip}").get_data(as_text=True)
    assert number not in kaltara or "agency_follow_up" in kaltara


def test_the_reporter_is_shown_only_to_the_handling_office(app, demo_sessions):
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.regency_code == "6402", Case.reporter_id.is_not(None),
                                                 Case.stage == "study"))
        number, reporter = case.number, case.reporter.name
    assert reporter in client_as(app, "penangan.kukar").get(f"/kasus/{number}").get_data(as_text=True)
    for username in ("ketua.kukar", "penangan.kaltim", "auditor"):
        html = client_as(app, username).get(f"/kasus/{number}").get_data(as_text=True)
        assert reporter not in html and "dirahasiakan" in html, username


def test_a_step_is_taken_and_a_stale_form_is_refused(app, demo_sessions):
    number = case_number(demo_sessions, regency_code="6402", stage="received")
    handler = client_as(app, "penangan.kukar")
    page = handler.get(f"/kasus/{number}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    token = csrf(page)
    done = handler.post(f"/kasus/{number}/langkah/begin_review", data={"csrf_token": token, "version": version},
                        follow_redirects=True).get_data(as_text=True)
    assert "Tersimpan: Mulai kajian awal" in done and "Kajian awal" in done
    stale = handler.post(f"/kasus/{number}/langkah/request_completion",
                         data={"csrf_token": token, "version": version, "missing": "KTP"},
                         follow_redirects=True).get_data(as_text=True)
    assert "kasus telah berubah, muat ulang" in stale
    with demo_sessions() as session:
        assert session.scalar(select(Case.stage).where(Case.number == number)) == "initial_review"
    # a role that may not take the step is refused by casework, even if the form is forced
    head = client_as(app, "ketua.kukar")
    page = head.get(f"/kasus/{number}").get_data(as_text=True)
    assert 'data-step="register"' not in page  # not offered...
    with demo_sessions() as session:
        current = session.scalar(select(Case.version).where(Case.number == number))
    forced = head.post(f"/kasus/{number}/langkah/register", data={"csrf_token": csrf(page), "version": current},
                       follow_redirects=True).get_data(as_text=True)  # ...and refused when forced
    assert "tidak berwenang" in forced


def test_language_switch(app):
    client = client_as(app, "penangan.kukar")
    assert "Tugas saya" in client.get("/").get_data(as_text=True)
    client.get("/bahasa/en")
    english = client.get("/").get_data(as_text=True)
    assert "My work" in english and "Days left" in english and "Tugas saya" not in english
    assert "Search" in client.get("/kasus-daftar/").get_data(as_text=True)
    client.get("/bahasa/id")
    assert "Cari" in client.get("/kasus-daftar/").get_data(as_text=True)
