"""The public side's intake (issue 20): a laporan filed online without login, information given without reporting,
the abuse checks, a handler's one-click spam, and the receipt code followed on /status — through the desk's own
Flask app over a copy of the demo, with mail read back from the SMTP sink."""
import re
from dataclasses import replace
from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import func, select

from admin import create_app
from casework.mail import outbox
from casework.models import (
    AuditEvent, Case, Deadline, EvidenceFile, InformationItem, LetterRequest, utcnow,
)
from casework.reference.timezones import local_today
from casework.reports.dashboard import dashboard
from casework.access.principal import principal_named
from casework.settings import Settings
from tests.helpers import client_as, csrf, decide, fingerprint, sqlite_only  # noqa: F401

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def settings(demo_engine, tmp_path, mail):
    return replace(Settings.from_env({"NETRA_VAR_DIR": str(tmp_path / "var"), "NETRA_SMTP_PORT": str(mail.port),
                                      "NETRA_MAIL_FROM": "netra@bawaslu.test",
                                      "NETRA_BASE_URL": "https://netra.test"}),
                   secret_key="test-secret", database_url=demo_engine.url.render_as_string(hide_password=False))


@pytest.fixture
def app(settings):
    return create_app(settings)


def report(**changes) -> dict:
    """What a citizen types: an incident in Kutai Kartanegara known yesterday, one civil servant with a NIP."""
    today = local_today("WITA", utcnow())
    form = {"mode": "laporan", "consent": "yes", "regency": "6402", "place": "Balai Desa Loa Ipuh",
            "occurred_on": (today - timedelta(days=2)).isoformat(), "known_on": (today - timedelta(days=1)).isoformat(),
            "violation": "etik.deklarasi", "summary": "Camat memberi sambutan di acara deklarasi",
            "chronology": "Pada acara deklarasi dukungan di balai desa, camat memberi sambutan dan ikut berfoto.",
            "reporter_name": "Wulan Contoh", "reporter_address": "Jl. Mawar 3, Tenggarong",
            "reporter_phone": "081200000099", "reporter_email": "wulan@contoh.test", "confidential": "yes",
            "name0": "Darto Fiktif", "position0": "Camat Tenggarong", "agency0": "pemkab-6402",
            "nip0": "198001012006041001"}
    form.update(changes)
    return form


def written(engine) -> dict:
    """Every table but the rate limiter's count, which each submission adds to by design."""
    return {name: rows for name, rows in fingerprint(engine).items() if name != "rate_limit_hits"}


def post(client, form, files=()):
    data = {**form, "csrf_token": csrf(client.get("/lapor").get_data(as_text=True))}
    if files:
        data["evidence"] = [(BytesIO(content), name) for name, content in files]
    return client.post("/lapor", data=data, content_type="multipart/form-data")


def code_on(page: str) -> str:
    return re.search(r'id="code">([0-9A-Z-]+)<', page).group(1)


def status_of(client, code: str) -> str:
    token = csrf(client.get("/status").get_data(as_text=True))
    return client.post("/status", data={"csrf_token": token, "code": code}).get_data(as_text=True)


def test_a_citizen_files_a_laporan_and_follows_it_by_code(app, demo_sessions, settings, mail):
    client = app.test_client()
    page = client.get("/lapor").get_data(as_text=True)
    assert '<html lang="id">' in page and "Perbawaslu 7/2022" in page and 'name="website"' in page

    response = post(client, report(), files=[("foto kegiatan.png", PNG)])
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    code, number = code_on(page), re.search(r'id="number">([^<]+)<', page).group(1)
    assert "Pemilihan Umum Kabupaten Kutai Kartanegara" in page  # where to complete it in person

    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert (case.channel, case.stage, case.source, case.office.code) == ("online", "received", "laporan",
                                                                             "bawaslu-6402")
        assert case.reporter.confidential and case.reporter.email == "wulan@contoh.test"
        assert case.election.code == "simulasi-pilkada-6402"  # the narrowest election that fits
        assert case.history[0].actor == "publik (daring)"
        due = {d.rule_id: d for d in session.scalars(select(Deadline).where(Deadline.case_id == case.id))}
        completion = due["online.completion"]
        assert completion.status == "open" and completion.explanation["basis"] == "policy"
        assert "Perbawaslu 7/2022 Ps. 10" in completion.explanation["citation"]
        evidence = session.scalars(select(EvidenceFile).where(EvidenceFile.case_id == case.id)).all()
        assert [(e.original_name, e.size) for e in evidence] == [("foto kegiatan.png", len(PNG))]
        assert (settings.evidence_dir / evidence[0].stored_name).read_bytes() == PNG
        receipt = session.scalar(select(LetterRequest).where(LetterRequest.case_id == case.id))
        assert receipt.kind == "receipt" and receipt.status == "open"

    outbox.send_pending(demo_sessions, settings=settings)
    outbox.send_pending(demo_sessions, settings=settings)  # a second sender: nothing goes twice
    sent = mail.wait_for(lambda m: "wulan@contoh.test" in m.rcpt_tos, timeout=10)
    assert len(sent) == 1 and code in sent[0].text and number in sent[0].subject

    shown = status_of(client, code.lower().replace("-", ""))
    assert number in shown and "Wulan" not in shown and "Darto" not in shown


def test_bad_input_is_listed_beside_its_field_and_writes_nothing(app, demo_engine):
    client = app.test_client()
    before = written(demo_engine)
    response = post(client, report(consent="", chronology="", nip0="12345", regency="9999", place="x" * 301,
                                   reporter_email="wulan at contoh"),
                    files=[("bukti.png", b"MZ\x90\x00 not a png")])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("consent", "chronology", "regency", "evidence", "place", "reporter_email"):
        assert f'id="{field}-error"' in page, field
    assert "pilih lagi" in page  # the files are not kept: the reporter is told to pick them again
    assert 'value="Wulan Contoh"' in page  # what was typed stays
    # a valid report but an impossible NIP: the case's own checks, on the NIP's field
    page = post(client, report(nip0="12345")).get_data(as_text=True)
    assert 'id="nip0-error"' in page
    # the same person typed in the second row: the problem stands beside the row it was typed in
    page = post(client, report(name0="", position0="", agency0="", nip0="", name1="Darto Fiktif",
                               position1="Camat", agency1="pemkab-6402", nip1="12345")).get_data(as_text=True)
    assert 'id="nip1-error"' in page and 'id="nip0-error"' not in page
    assert written(demo_engine) == before


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_written(app, demo_engine):
    before = written(demo_engine)
    response = post(app.test_client(), report(website="http://spam.example"))
    assert response.status_code == 200 and 'id="code"' not in response.get_data(as_text=True)
    assert written(demo_engine) == before


def test_submissions_per_address_and_hour_are_limited(settings, demo_sessions, monkeypatch):
    import casework.reports.reporter_status

    frozen = utcnow().replace(minute=1)  # one counting window (an hour) for the whole test, whenever it runs
    monkeypatch.setattr(casework.reports.reporter_status, "utcnow", lambda: frozen)
    client = create_app(replace(settings, online_reports_per_hour=2)).test_client()
    assert [post(client, report(mode="informasi")).status_code for _ in range(3)] == [200, 200, 429]
    with demo_sessions() as session:
        assert session.scalar(select(func.count()).select_from(InformationItem).where(
            InformationItem.channel == "web", InformationItem.sender_name == "Wulan Contoh")) == 2


def test_without_a_nip_it_is_initial_information_that_a_handler_takes_up_keeping_the_code(app, demo_sessions):
    client = app.test_client()
    page = post(client, report(nip0="", agency0="Kecamatan Tenggarong"), files=[("foto.png", PNG)]) \
        .get_data(as_text=True)
    code = code_on(page)
    assert "informasi awal" in page
    assert "Informasi awal" in status_of(client, code)

    with demo_sessions() as session:
        item = session.scalar(select(InformationItem).where(InformationItem.receipt_code == code.replace("-", "")))
        assert (item.channel, item.status, item.office.code) == ("web", "new", "bawaslu-6402")
        item_id = item.id

    other = client_as(app, "penangan.kaltim")  # another office's handler: it is not there for them
    assert other.get(f"/informasi-awal/{item_id}").status_code == 404
    handler = client_as(app, "penangan.kukar")
    assert f"/informasi-awal/{item_id}" in handler.get("/informasi-awal/").get_data(as_text=True)
    form = handler.get(f"/kasus-baru/?information={item_id}&source=laporan").get_data(as_text=True)
    assert 'value="Wulan Contoh"' in form and 'name="information_id"' in form and 'value="Darto Fiktif"' in form
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    fields.update({"csrf_token": csrf(form), "source": "laporan", "election": "simulasi-pilkada-6402",
                   "nip0": "198001012006041001", "agency0": "pemkab-6402", "position0": "Camat Tenggarong",
                   "chronology": "Dari informasi awal.", "violations": "etik.deklarasi"})
    for name in ("occurred_on", "known_on", "received_on", "summary", "place", "regency"):
        fields[name] = re.search(rf'name="{name}"[^>]*value="([^"]*)"', form).group(1) if name != "regency" \
            else "6402"
    response = handler.post("/kasus-baru/", data=fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    number = response.headers["Location"].rsplit("/", 1)[-1]

    with demo_sessions() as session:
        item = session.get(InformationItem, item_id)
        case = session.scalar(select(Case).where(Case.number == number))
        assert item.status == "taken_up" and item.case_id == case.id and item.triaged_by == "penangan.kukar"
        assert case.receipt_code == code.replace("-", "")  # the reporter's code follows the case
        assert [e.original_name for e in session.scalars(select(EvidenceFile).where(
            EvidenceFile.case_id == case.id))] == ["foto.png"]
    assert number in status_of(client, code)
    # a second take-up of the same item is refused and writes nothing
    again = handler.post("/kasus-baru/", data={**fields, "csrf_token": csrf(handler.get("/kasus-baru/")
                                                                              .get_data(as_text=True))})
    assert again.status_code == 422 and "sudah ditelaah" in again.get_data(as_text=True)


def test_a_handler_marks_an_online_report_as_spam_and_it_leaves_every_count(app, demo_sessions):
    with demo_sessions() as session:
        handler = principal_named(session, "penangan.kukar")
        before = {b.key: b.value for b in dashboard(session, handler).by_stage}
    page = post(app.test_client(), report()).get_data(as_text=True)
    number = re.search(r'id="number">([^<]+)<', page).group(1)
    desk = client_as(app, "penangan.kukar")
    page = desk.get(f"/kasus/{number}").get_data(as_text=True)
    assert 'data-step="mark_spam"' in page
    assert 'id="channel-online"' in page and 'id="reporter-confidential"' in page  # the reporter asked for it
    decide(demo_sessions, "mark_spam", number, "penangan.kukar")
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert case.stage == "spam"
        assert {r.status for r in session.scalars(select(LetterRequest).where(LetterRequest.case_id == case.id))} \
            == {"cancelled"}
        assert not session.scalars(select(Deadline).where(Deadline.case_id == case.id,
                                                          Deadline.status == "open")).all()
        assert session.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id,
                                                       AuditEvent.action == "case.mark_spam")) is not None
        after = {b.key: b.value for b in dashboard(session, handler).by_stage}
    assert after == before  # as spam it counts nowhere
    # a report recorded at the desk cannot be marked as spam
    with demo_sessions() as session:
        desk_case = session.scalar(select(Case.number).where(Case.channel == "desk", Case.stage == "received",
                                                             Case.regency_code == "6402").limit(1))
    with pytest.raises(Exception, match="spam|tidak tersedia|not available"):
        decide(demo_sessions, "mark_spam", desk_case, "penangan.kukar")


def test_the_public_files_only_at_the_place_s_bawaslu_and_sees_no_case(demo_sessions):
    from casework.access.policy import Action, decide
    from casework.access.principal import PUBLIC
    from casework.models import Office, Regency

    with demo_sessions() as session:
        kukar, samarinda = session.get(Regency, "6402"), session.get(Regency, "6472")
        office = {o.code: o for o in session.scalars(select(Office))}
        assert decide(PUBLIC, Action.OPEN_CASE, office=office["bawaslu-6402"], regency=kukar)
        for where, regency in (("bawaslu-6472", kukar), ("bawaslu-64", kukar), ("bawaslu-ri", samarinda)):
            refused = decide(PUBLIC, Action.OPEN_CASE, office=office[where], regency=regency)
            assert not refused and refused.code == "access.online_office_of_place", where
        case = session.scalar(select(Case).limit(1))
        assert not decide(PUBLIC, Action.SEE_CASE, case) and decide(PUBLIC, Action.SEE_CASE, case).hidden
        assert not decide(PUBLIC, Action.TRIAGE_INFORMATION)
