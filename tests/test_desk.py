"""The desk over HTTP (Flask's test client, real database on both backends): login, CSRF, scoping on every URL,
whistle-blower protection, decisions through casework."""
import re
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from admin import create_app
from casework.models import Case
from casework.settings import Settings
from tests.helpers import client_as, csrf, fingerprint


@pytest.fixture
def app(demo_engine, tmp_path):
    settings = replace(Settings.from_env(), database_url=demo_engine.url.render_as_string(hide_password=False),
                       var_dir=tmp_path, letters_dir=tmp_path / "letters", evidence_dir=tmp_path / "evidence",
                       secret_key="test-secret")
    return create_app(settings)


def case_number(demo_sessions, **where) -> str:
    with demo_sessions() as session:
        return session.scalar(select(Case.number).filter_by(**where).order_by(Case.id))


def test_pages_need_login_and_forms_need_csrf(app):
    client = app.test_client()
    assert client.get("/").status_code == 302 and "/login" in client.get("/").headers["Location"]
    assert client.get("/kasus-daftar/").status_code == 302
    assert client.post("/login", data={"username": "penangan.kukar", "password": "netra-demo"}).status_code == 400


def test_wrong_password_is_refused_in_indonesian_then_locks(app):
    """The lock is real (the right password is refused once locked) but says nothing of itself: the same text as a
    wrong password or an unknown user (tests/test_signin_links.py shows the same work, and the way out)."""
    client = app.test_client()
    messages = set()
    for _ in range(5):
        token = csrf(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"username": "ketua.kukar", "password": "salah", "csrf_token": token})
        assert response.status_code == 401 and "nama pengguna atau kata sandi salah" in response.get_data(as_text=True)
        messages.add(re.search(r'alert-danger"[^>]*>(.*?)</div>', response.get_data(as_text=True), re.S).group(1))
    token = csrf(client.get("/login").get_data(as_text=True))
    locked = client.post("/login", data={"username": "ketua.kukar", "password": "netra-demo", "csrf_token": token})
    assert locked.status_code == 401 and client.get("/").status_code == 302
    messages.add(re.search(r'alert-danger"[^>]*>(.*?)</div>', locked.get_data(as_text=True), re.S).group(1))
    assert len(messages) == 1


def test_each_user_reaches_only_their_cases_by_url(app, demo_sessions):
    kukar = case_number(demo_sessions, regency_code="6402", stage="study")
    samarinda = case_number(demo_sessions, regency_code="6472", stage="clarification")
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


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the file's limits, not SQL
def test_evidence_upload_limits_and_attachment_download(app, demo_sessions):
    import io
    number = case_number(demo_sessions, regency_code="6402", stage="study")
    handler = client_as(app, "penangan.kukar")
    def upload(client, name, data):
        token = csrf(client.get(f"/kasus/{number}").get_data(as_text=True))
        return client.post(f"/kasus/{number}/bukti", data={"csrf_token": token, "description": "Tangkapan layar",
                                                          "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)

    assert "jenis berkas tidak diterima" in upload(handler, "x.html", b"<script>alert(1)</script>")
    assert "isi berkas bukan pdf" in upload(handler, "bukti.pdf", b"MZ\x90\x00 an executable")
    assert "berkas kosong" in upload(handler, "bukti.pdf", b"")
    page = upload(handler, "bukti.pdf", PDF)
    assert "Bukti tersimpan." in page and "bukti.pdf" in page
    link = re.search(r'href="(/kasus/[^"]+/bukti/\d+)"', page).group(1)
    response = handler.get(link)
    assert response.data == PDF and response.headers["Content-Disposition"] == 'attachment; filename="bukti.pdf"'
    assert response.mimetype == "application/octet-stream"
    assert client_as(app, "penangan.kaltim").get(link).status_code == 200  # the province sees it
    samarinda = client_as(app, "penangan.kukar")
    other = case_number(demo_sessions, regency_code="6472", stage="clarification")
    assert samarinda.get(link.replace(number, other)).status_code == 404  # evidence id under another case
    head = client_as(app, "ketua.kukar")
    assert "hanya penangan" in upload(head, "bukti.pdf", PDF)


def test_letters_from_the_case_page_preview_issue_download(app, demo_sessions):
    number = case_number(demo_sessions, regency_code="6402", stage="received")
    handler = client_as(app, "penangan.kukar")
    page = handler.get(f"/kasus/{number}").get_data(as_text=True)
    assert 'data-letter="receipt"' in page  # the intake asked for a receipt
    preview = handler.get(f"/kasus/{number}/surat/draf/receipt")
    assert preview.mimetype == "application/pdf" and preview.data.startswith(b"%PDF-")
    issued = handler.post(f"/kasus/{number}/surat/receipt", data={"csrf_token": csrf(page), "recipient": "0"},
                          follow_redirects=True).get_data(as_text=True)
    assert "Surat diterbitkan: 1/PP.01.00/K.KI-02/" in issued and 'data-letter="receipt"' not in issued
    link = re.search(r'href="(/kasus/[^"]+/surat/berkas/\d+)"', issued).group(1)
    download = handler.get(link)
    assert download.data.startswith(b"%PDF-") and "attachment" in download.headers["Content-Disposition"]
    # the receipt names the reporter: only the handling office's handlers may read it
    for username in ("auditor", "ketua.kukar", "penangan.kaltim", "bkpsdm.kukar"):
        assert client_as(app, username).get(link).status_code == 404, username
    head = client_as(app, "ketua.kukar")
    assert 'data-letter="receipt"' not in head.get(f"/kasus/{number}").get_data(as_text=True)
    assert head.get(f"/kasus/{number}/surat/draf/receipt").status_code == 404
    assert client_as(app, "auditor").get(f"/kasus/{number}/surat/draf/receipt").status_code == 404


def test_a_letter_not_naming_the_reporter_is_readable_by_all_who_see_the_case(app, demo_sessions):
    with demo_sessions() as session:  # a Kukar case already forwarded: its forward asked for the recommendation
        number = session.scalar(select(Case.number).where(Case.regency_code == "6402", Case.stage == "forwarded")
                                .order_by(Case.id))
    head = client_as(app, "ketua.kukar")
    page = head.get(f"/kasus/{number}").get_data(as_text=True)
    assert 'data-letter="recommendation_to_oversight"' in page
    issued = head.post(f"/kasus/{number}/surat/recommendation_to_oversight",
                       data={"csrf_token": csrf(page), "recipient": "0"}, follow_redirects=True).get_data(as_text=True)
    link = re.search(r'href="(/kasus/[^"]+/surat/berkas/\d+)"', issued).group(1)
    for username in ("auditor", "penangan.kaltim", "pengawas.bkn"):
        assert client_as(app, username).get(link).status_code == 200, username


def intake_form(**changes):
    from datetime import timedelta

    from casework.models import utcnow
    from casework.reference.timezones import local_today
    today = local_today("WITA", utcnow())
    form = {"source": "laporan", "election": "simulasi-pilkada-6402", "regency": "6402", "district": "640201",
            "place": "Balai desa", "occurred_on": (today - timedelta(days=2)).isoformat(),
            "known_on": (today - timedelta(days=1)).isoformat(), "received_on": today.isoformat(),
            "summary": "ASN mengajak memilih di grup WhatsApp", "chronology": "Terlapor mengirim ajakan memilih.",
            "violations": ["etik.interaksi_medsos"], "reporter_name": "Pelapor Uji", "reporter_address": "Tenggarong",
            "nip0": "198503122010011003", "name0": "Terlapor Uji", "position0": "Guru", "agency0": "pemkab-6402",
            "checklist": ["formal.reporter_identity", "material.evidence"]}
    form.update(changes)
    return form


def test_intake_form_records_a_case_or_lists_every_problem(app, demo_sessions):
    from casework.models import AuditEvent
    handler = client_as(app, "penangan.kukar")
    page = handler.get("/kasus-baru/").get_data(as_text=True)
    assert "Syarat formal dan materiel" in page
    with demo_sessions() as session:
        before = session.scalar(select(func.count()).select_from(Case))
    bad = handler.post("/kasus-baru/", data={**intake_form(nip0="123", summary="", known_on="2030-01-01"),
                                             "csrf_token": csrf(page)})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "tidak ada yang disimpan" in html
    assert "NIP harus 18 digit, bukan 3" in html and "Pokok perkara: wajib diisi" in html
    assert 'value="Balai desa"' in html  # the form comes back filled in
    with demo_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == before
    good = handler.post("/kasus-baru/", data={**intake_form(), "csrf_token": csrf(page)}, follow_redirects=True)
    html = good.get_data(as_text=True)
    assert "Kasus baru tercatat: LP-6402-" in html and "Pelapor Uji" in html and "Diterima" in html
    with demo_sessions() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "case.opened")
                               .order_by(AuditEvent.id.desc()))
        assert event.after["checklist"]["formal.reporter_identity"] is True
        assert event.after["checklist"]["formal.within_window"] is False
    # only Bawaslu handlers have the form
    assert client_as(app, "ketua.kukar").get("/kasus-baru/").status_code == 404
    assert client_as(app, "bkpsdm.kukar").get("/kasus-baru/").status_code == 404


def test_case_page_shows_local_times_in_indonesian(app, demo_sessions):
    from casework.i18n.dates import local_moment
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.regency_code == "6402", Case.stage == "study"))
        number, first = case.number, case.history[0].at
    html = client_as(app, "penangan.kukar").get(f"/kasus/{number}").get_data(as_text=True)
    assert local_moment(first, "WITA") in html and " UTC" not in html
    assert re.search(r"\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|"
                     r"Desember) \d{4} 23\.59 WITA", html)


def test_totp_second_factor_enrol_then_required_at_login(app):
    import pyotp
    client = client_as(app, "penangan.kaltim")
    page = client.get("/akun/2fa").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    wrong = client.post("/akun/2fa", data={"csrf_token": csrf(page), "code": "000000"}).get_data(as_text=True)
    assert "kode autentikator salah" in wrong
    page = client.get("/akun/2fa").get_data(as_text=True)
    assert secret in page  # the same secret until confirmed
    done = client.post("/akun/2fa", data={"csrf_token": csrf(page), "code": pyotp.TOTP(secret).now()},
                       follow_redirects=True).get_data(as_text=True)
    assert "Verifikasi dua langkah aktif." in done

    fresh = app.test_client()
    token = csrf(fresh.get("/login").get_data(as_text=True))
    step1 = fresh.post("/login", data={"username": "penangan.kaltim", "password": "netra-demo", "csrf_token": token})
    assert step1.headers["Location"].endswith("/login/kode")
    assert fresh.get("/").status_code == 302  # not logged in before the code
    code_page = fresh.get("/login/kode").get_data(as_text=True)
    refused = fresh.post("/login/kode", data={"csrf_token": csrf(code_page), "code": "123456"})
    assert refused.status_code == 401 and "kode autentikator salah" in refused.get_data(as_text=True)
    ok = fresh.post("/login/kode", data={"csrf_token": csrf(code_page), "code": pyotp.TOTP(secret).now()})
    assert ok.status_code == 302 and fresh.get("/").status_code == 200


def test_logout_needs_csrf_and_ends_the_session(app):
    client = client_as(app, "auditor")
    page = client.get("/").get_data(as_text=True)
    assert client.post("/logout").status_code == 400  # no token: refused
    assert client.post("/logout", data={"csrf_token": csrf(page)}).headers["Location"].endswith("/login")
    assert client.get("/").status_code == 302


def test_search_by_case_number_and_by_name(app, demo_sessions):
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.regency_code == "6402").order_by(Case.id.desc()))
        number, name = case.number, case.reported[0].name
    handler = client_as(app, "penangan.kukar")
    listing = handler.get(f"/kasus-daftar/?search={number}").get_data(as_text=True)
    assert number in listing and "Daftar (1)" in listing
    by_name = handler.get(f"/kasus-daftar/?search={name.split()[0]}").get_data(as_text=True)
    assert number in by_name or "Daftar (" in by_name
    assert "Tidak ada data dalam tabel." in handler.get("/kasus-daftar/?search=LP-6472-2026-0001").get_data(as_text=True)


def test_the_system_administrator_manages_users_and_only_the_administrator(app, demo_sessions):
    """Roles and scope are the administrator's; the password of an account that sees cases is not (it is ignored,
    audited, and the office is told: tests/test_user_admin.py has the rest of the rules)."""
    from casework.audit import verify_chain
    from casework.models import AuditEvent, OutboxMessage, User
    admin = client_as(app, "admin")
    listing = admin.get("/pengguna/").get_data(as_text=True)
    assert "penangan.kukar" in listing and "netra-demo" not in listing
    with demo_sessions() as session:
        user = session.scalar(select(User).where(User.username == "penangan.kaltim"))
        user_id, office_id = user.id, user.office_id
        role_ids = [r.code for r in user.roles]
    form = admin.get(f"/pengguna/edit/?id={user_id}").get_data(as_text=True)
    assert 'name="new_password"' not in form
    saved = admin.post(f"/pengguna/edit/?id={user_id}", data={
        "csrf_token": csrf(form), "username": "penangan.kaltim", "full_name": "Yusuf Pranata (demo)",
        "email": "x@demo.test", "roles": role_ids + ["bawaslu_head"], "office": str(office_id), "is_active": "y",
        "locale": "id", "new_password": "kata-sandi-baru-2026"})
    assert saved.status_code == 302
    fresh = app.test_client()
    token = csrf(fresh.get("/login").get_data(as_text=True))
    assert fresh.post("/login", data={"username": "penangan.kaltim", "password": "kata-sandi-baru-2026",
                                      "csrf_token": token}).status_code == 401
    assert client_as(app, "penangan.kaltim").get("/").status_code == 200  # the owner's own password still works
    with demo_sessions() as session:
        user = session.get(User, user_id)
        assert {r.code for r in user.roles} == {"bawaslu_handler", "bawaslu_head"}
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.changed"))
        assert event.actor == "admin" and event.after["password_changed"] is False
        assert event.after["password_refused"] is True
        assert "kata-sandi" not in str(event.after) and verify_chain(session) is None
        notice = session.scalar(select(OutboxMessage).where(OutboxMessage.purpose == "account.notice"))
        assert notice.recipients == ["kaltim@bawaslu.demo.test"] and "bawaslu_head" not in notice.body
        assert "Ketua/Anggota Bawaslu" in notice.body and "peran" in notice.body
    for username in ("penangan.ri", "auditor"):
        assert client_as(app, username).get("/pengguna/").status_code == 404


def test_a_bkpsdm_officer_sees_no_other_agency_s_employee_in_the_timeline(app, demo_sessions):
    """A case naming employees of two agencies: the BKPSDM officer of one sees only their own employee's track."""
    from datetime import timedelta

    from casework.adapters.db import transaction
    from casework.models import Agency, ReportedASN, StageChange, utcnow

    with transaction(demo_sessions) as session:
        own = session.scalars(select(ReportedASN).join(Agency).where(
            Agency.code == "pemkab-6402", ReportedASN.referred_to_agency_at.is_not(None))).first()
        other_agency = session.scalars(select(Agency).where(Agency.code != "pemkab-6402")).first()
        stranger = ReportedASN(case_id=own.case_id, nip="198001012005011001", name="Pegawai Instansi Lain",
                               position="Staf", agency_id=other_agency.id, track_stage="agency_follow_up",
                               track_since=utcnow(), referred_to_agency_at=utcnow())
        session.add(stranger)
        session.flush()
        session.add(StageChange(case_id=own.case_id, reported_asn_id=stranger.id, from_stage="oversight_review",
                                to_stage="agency_follow_up", at=utcnow() - timedelta(hours=1), actor="pengawas.bkn",
                                reason="Rekomendasi kepada PPK lain"))
        number = session.get(Case, own.case_id).number
    page = client_as(app, "bkpsdm.kukar").get(f"/kasus/{number}").get_data(as_text=True)
    assert own.name in page
    assert "Pegawai Instansi Lain" not in page and "Rekomendasi kepada PPK lain" not in page
    assert "Pegawai Instansi Lain" in client_as(app, "penangan.kukar").get(f"/kasus/{number}").get_data(as_text=True)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the form's parsing, not SQL
def test_an_unexpected_or_missing_field_is_a_clear_400_that_keeps_what_was_typed(app, demo_engine, demo_sessions):
    """Fields a step does not take (`at`, `actor`, `session`: once a 500) and missing ones: a 400 in the user's
    language, the form as typed, nothing written."""
    number = case_number(demo_sessions, regency_code="6402", stage="plenary")
    head = client_as(app, "ketua.kukar")
    page = head.get(f"/kasus/{number}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    before = fingerprint(demo_engine)
    nips = re.findall(r'name="outcomes\.(\d{18})\.outcome"', page)
    assert nips, "the plenary form has one outcome per reported person"
    for extra in ({"at": "2020-01-01"}, {"actor": "root"}, {"session": "x"}):
        response = head.post(f"/kasus/{number}/langkah/decide_plenary", data={
            "csrf_token": csrf(page), "version": version, "reasoning": "Bukti tidak cukup",
            **{f"outcomes.{nip}.outcome": "not_violation" for nip in nips}, **extra})
        html = response.get_data(as_text=True)
        name = next(iter(extra))
        assert response.status_code == 400 and f"isian &#39;{name}&#39; tidak dikenal" in html
        assert "Bukti tidak cukup</textarea>" in html and 'value="not_violation" selected' in html
    missing = head.post(f"/kasus/{number}/langkah/decide_plenary", data={
        "csrf_token": csrf(page), "version": version, "reasoning": "Pidana pemilu",
        **{f"outcomes.{nip}.outcome": "other_law" for nip in nips}})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "isi instansi tujuan penerusan untuk" in html
    assert 'value="other_law" selected' in html and "Pidana pemilu</textarea>" in html
    head.get("/bahasa/en")
    english = head.post(f"/kasus/{number}/langkah/decide_plenary", data={
        "csrf_token": csrf(page), "version": version, "outcome": "violation", "reasoning": "x", "at": "now"})
    assert english.status_code == 400 and "is not a field of this step" in english.get_data(as_text=True)
    assert fingerprint(demo_engine) == before


def test_paging_through_the_list_shows_every_case_once_even_when_they_tie(app, demo_engine, demo_sessions):
    """Cases received on the same day tie on the default sort (and on any column a user sorts by); the pages must
    still be one order, or PostgreSQL shows a case on two pages and another on none (seen in the matrix)."""
    from sqlalchemy import text

    with demo_engine.begin() as conn:
        conn.execute(text("UPDATE cases SET received_on = '2026-11-02'"))
    with demo_sessions() as session:
        every = set(session.scalars(select(Case.number)))
    auditor = client_as(app, "auditor")
    for sort in ("", "&sort=1", "&sort=4&desc=1"):  # the default, stage, received on
        seen: list[str] = []
        for page in range(0, 10):
            html = auditor.get(f"/kasus-daftar/?page={page}{sort}").get_data(as_text=True)
            rows = re.findall(r'<a href="/kasus/([^"]+)">', html)
            if not rows:
                break
            seen += rows
        assert sorted(seen) == sorted(every), sort  # each case once, none missing
