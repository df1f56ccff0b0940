"""The reporter's receipt code and the public status page (both databases): codes at intake and for the demo and
existing cases, a status without personal data, one answer for unknown and malformed codes, and a rate limit
shared by every web worker."""
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from admin import create_app
from casework.adapters import migrate
from casework.models import Case, RateLimitHit
from casework.reports.reporter_status import ALPHABET, LENGTH, RateLimiter, display, find_case, normalize
from casework.settings import Settings
from tests.helpers import csrf


@pytest.fixture
def desk_settings(demo_engine, tmp_path):
    return replace(Settings.from_env({"NETRA_VAR_DIR": str(tmp_path / "var")}), secret_key="test-secret",
                   database_url=demo_engine.url.render_as_string(hide_password=False))


@pytest.fixture
def app(desk_settings):
    return create_app(desk_settings)


def look_up(client, code):
    token = csrf(client.get("/status").get_data(as_text=True))
    return client.post("/status", data={"csrf_token": token, "code": code})


def without_token(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def test_reports_get_an_unguessable_typable_code_and_findings_none(demo_sessions):
    with demo_sessions() as session:
        cases = session.scalars(select(Case)).all()
        codes = [c.receipt_code for c in cases if c.source == "laporan"]
        assert codes and all(code and len(code) == LENGTH and set(code) <= set(ALPHABET) for code in codes)
        assert len(set(codes)) == len(codes)
        assert all(c.receipt_code is None for c in cases if c.source == "temuan")
        code = codes[0]
        shown = display(code)
        assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", shown)
        # typed from paper: lower case, spaces, no dashes, O for 0 and I/L for 1 all find the same case
        typed = shown.lower().replace("-", " ").replace("0", "o").replace("1", "l")
        assert normalize(typed) == code and find_case(session, typed).receipt_code == code
        assert normalize("ABCD-EFGH-JKMU") is None and normalize("123") is None  # U is not in the alphabet
        assert find_case(session, "ZZZZ-ZZZZ-ZZZ") is None and find_case(session, None) is None


def test_the_migration_gives_existing_reports_their_codes(demo_engine, demo_sessions):
    migrate.downgrade(demo_engine, "0005")
    migrate.upgrade(demo_engine)
    with demo_sessions() as session:
        reports = session.scalars(select(Case).where(Case.source == "laporan")).all()
        assert reports and all(normalize(c.receipt_code) == c.receipt_code for c in reports)
        assert len({c.receipt_code for c in reports}) == len(reports)
        assert session.scalar(select(func.count()).select_from(Case).where(Case.source == "temuan",
                                                                           Case.receipt_code.is_not(None))) == 0


def personal_data(case: Case) -> list[str]:
    values = [case.summary, case.chronology, case.place, case.reporter.name, case.reporter.address]
    values += [w.name for w in case.witnesses]
    for person in case.reported:
        values += [person.name, person.nip, person.position]
    return [v for v in values if v]


@pytest.mark.parametrize("stage, track", [("received", None), ("study", None), ("forwarded", "agency_follow_up"),
                                          ("closed", "sanctioned"), ("closed", "not_proven")])
@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the page; its SQL: above, both
def test_the_status_page_shows_the_stage_and_no_personal_data(app, demo_sessions, stage, track):
    with demo_sessions() as session:
        cases = session.scalars(select(Case).where(Case.source == "laporan", Case.stage == stage)
                                .order_by(Case.id)).all()
        case = next(c for c in cases if track is None or any(p.track_stage == track for p in c.reported))
        code, number, secrets_ = display(case.receipt_code), case.number, personal_data(case)
        imposed = [p.sanction for p in case.reported if p.sanction]
    client = app.test_client()  # no login
    response = look_up(client, code)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    labels = {"received": "Diterima", "study": "Kajian", "forwarded": "Diteruskan", "closed": "Selesai"}
    assert f"Tahap: <b>{labels[stage]}</b>" in html and number in html and "Diterima</dt>" in html
    for value in secrets_:
        assert value not in html, value
    if stage in ("forwarded", "closed"):
        assert "Pleno: pelanggaran netralitas ASN; diteruskan ke BKN" in html
        assert "Putusan pleno</dt>" in html and "Diteruskan</dt>" in html
    if track == "sanctioned":
        from casework.road.sanctions import sanction_label
        assert f"Terlapor 1: Sanksi dijatuhkan — {sanction_label(imposed[0])}" in html
    if track == "not_proven":
        assert "Terlapor 1: Tidak terbukti" in html and "Bukti tidak cukup" not in html  # the reason stays inside
    if stage == "closed":
        assert "Selesai</dt>" in html


def test_unknown_and_malformed_codes_get_the_same_page(app):
    client = app.test_client()
    answers = [look_up(client, code) for code in ("ZZZZ-ZZZZ-ZZZZ", "0000-0000-0000", "salah", "", "x" * 500)]
    assert {a.status_code for a in answers} == {404}
    pages = {without_token(a.get_data(as_text=True)) for a in answers}
    assert len(pages) == 1 and "Kode tidak ditemukan" in pages.pop()


def test_lookups_are_rate_limited_per_client_across_workers(desk_settings, demo_sessions, monkeypatch):
    import casework.reports.reporter_status
    moment = datetime.now(UTC).replace(second=5)  # a fixed clock: no minute may end half-way through the test
    monkeypatch.setattr(casework.reports.reporter_status, "utcnow", lambda: moment)
    # two app instances on one database stand for two gunicorn workers: the count is shared
    workers = [create_app(desk_settings, NETRA_STATUS_LOOKUPS_PER_MINUTE=3) for _ in range(2)]
    with demo_sessions() as session:
        code = display(session.scalar(select(Case.receipt_code).where(Case.receipt_code.is_not(None)).limit(1)))
    clients = [w.test_client() for w in workers]
    answers = [look_up(clients[i % 2], code if i % 2 else "ZZZZ-ZZZZ-ZZZZ") for i in range(5)]
    assert [a.status_code for a in answers] == [404, 200, 404, 429, 429]
    blocked = answers[-1]
    html = blocked.get_data(as_text=True)
    assert "Terlalu banyak permintaan dari alamat Anda" in html and blocked.headers["Retry-After"] == "60"
    assert code not in html  # even a valid code gets nothing while blocked
    # another client address is counted on its own
    other = clients[0]
    token = csrf(other.get("/status").get_data(as_text=True))
    assert other.post("/status", data={"csrf_token": token, "code": code},
                      environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    with demo_sessions() as session:  # addresses are kept only as keyed hashes
        buckets = session.scalars(select(RateLimitHit.bucket)).all()
        assert buckets and not any("127.0.0.1" in b or "10.1.2.3" in b for b in buckets)


def test_the_limit_window_rolls_over_and_old_windows_are_deleted(demo_sessions):
    limiter = RateLimiter("test", limit=2, window=60)
    start = datetime(2026, 1, 5, 3, 0, 10, tzinfo=UTC)
    hits = [limiter.hit(demo_sessions, "198.51.100.7", secret="s", now=start + timedelta(seconds=s))
            for s in (0, 5, 20)]
    assert hits == [True, True, False]
    assert limiter.hit(demo_sessions, "198.51.100.7", secret="s", now=start + timedelta(seconds=55))  # next minute
    with demo_sessions() as session:
        assert session.scalar(select(func.count()).select_from(RateLimitHit)) == 1


def test_the_code_is_on_the_receipt_letter_and_on_the_desk_for_the_handling_office(app, demo_sessions):
    import io

    import pypdf

    from casework.letters.render import render_draft
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.regency_code == "6402", Case.source == "laporan",
                                                 Case.stage == "received").order_by(Case.id))
        number, code = case.number, display(case.receipt_code)
        pdf = render_draft(session, number, "receipt", base_url="https://netra.bawaslu.test")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    flat = "".join(text.split())  # a long address may wrap
    assert code in text and "https://netra.bawaslu.test/status" in flat  # the site it was given, no environment read

    def page_as(username):
        client = app.test_client()
        token = csrf(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"username": username, "password": "netra-demo", "csrf_token": token})
        return client.get(f"/kasus/{number}").get_data(as_text=True)

    assert f'<code id="receipt-code">{code}</code>' in page_as("penangan.kukar")
    for username in ("ketua.kukar", "penangan.kaltim", "auditor"):
        assert code not in page_as(username), username
