"""The signer of a letter (issue 16, item 5): one of the issuing office's signing officials on duty — chosen on the
desk's issue form or with --signer, else the issuer if they sign, else the head on duty — recorded on the letter,
printed under the signature and shown on its verification page; another office's official is refused."""
import io
from datetime import timedelta

import pypdf
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from casework.access.principal import SYSTEM, principal_named
from casework.adapters.db import transaction
from casework.cli import cli
from casework.errors import CaseworkError
from casework.letters.issue import issue_letter, stored_pdf
from casework.models import Case, Letter, LetterRequest, Office, SigningOfficial, utcnow
from casework.reference.timezones import local_today
from tests.builder import Builder, Person
from tests.helpers import client_as, csrf
from tests.test_desk import app  # noqa: F401  (the desk fixture)
from tests.helpers import sqlite_only  # noqa: F401  (SQLite only: the signer's rules, not SQL)

HEAD, ACTING = "Hendra Saputro (demo)", "Sulastri Handayani (fiktif)"


def signed_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def receipt(demo_sessions, netra_settings):
    """A new report's receipt, owed: (case number, request id)."""
    case = Builder(demo_sessions, netra_settings).laporan(Person("Budi Hartono"))
    with demo_sessions() as session:
        return case.number, session.scalar(select(LetterRequest.id).join(Case, Case.id == LetterRequest.case_id)
                                           .where(Case.number == case.number, LetterRequest.kind == "receipt"))


def issue(sessions, settings, request_id, who, **kw) -> tuple[Letter, str]:
    with sessions() as session:
        principal = who if who is SYSTEM else principal_named(session, who)
    letter = issue_letter(sessions, request_id, principal, settings=settings, **kw)
    with sessions() as session:
        return letter, signed_text(stored_pdf(session, letter, settings))


@pytest.fixture
def invitation_owed(demo_sessions, netra_settings):
    """A reported ASN's clarification invitation, owed (the head may issue it, unlike a letter to the reporter)."""
    case = Builder(demo_sessions, netra_settings).laporan(Person("Budi Hartono")).register().invite()
    with demo_sessions() as session:
        return session.scalar(select(LetterRequest.id).join(Case, Case.id == LetterRequest.case_id)
                              .where(Case.number == case.number, LetterRequest.kind == "clarification_invitation"))


@pytest.mark.parametrize("who", [SYSTEM, "ketua.kukar", "penangan.kukar"])
def test_the_default_signer_is_the_head_on_duty(demo_sessions, netra_settings, invitation_owed, who):
    letter, text = issue(demo_sessions, netra_settings, invitation_owed, who)
    assert (letter.signer_name, letter.signer_title) == (HEAD, "Ketua Bawaslu Kabupaten Kutai Kartanegara")
    assert f"Ketua Bawaslu Kabupaten Kutai Kartanegara, {HEAD}" in text and ACTING not in text


def test_the_issuer_who_signs_is_the_default_over_the_head(demo_sessions, netra_settings, receipt):
    """An acting official with a desk login who issues signs it themself (they decided)."""
    with transaction(demo_sessions) as session:
        acting = session.scalar(select(SigningOfficial).where(SigningOfficial.name == ACTING))
        acting.user_id = principal_named(session, "penangan.kukar").user_id
    letter, text = issue(demo_sessions, netra_settings, receipt[1], "penangan.kukar")
    assert letter.signer_name == ACTING and f"Plh. Ketua Bawaslu Kabupaten Kutai Kartanegara, {ACTING}" in text


def test_a_chosen_signer_is_recorded_printed_and_verified(app, demo_sessions, netra_settings, receipt):  # noqa: F811
    number, request_id = receipt
    handler = client_as(app, "penangan.kukar")
    page = handler.get(f"/kasus/{number}").get_data(as_text=True)
    with demo_sessions() as session:
        acting = session.scalar(select(SigningOfficial.id).where(SigningOfficial.name == ACTING))
    assert f'<option value="{acting}">{ACTING} — Plh. Ketua' in page  # offered; the head preselected
    response = handler.post(f"/kasus/{number}/surat/receipt", data={"csrf_token": csrf(page), "request": request_id,
                                                                     "signer": str(acting)})
    assert response.status_code == 302
    with demo_sessions() as session:
        letter = session.scalar(select(Letter).where(Letter.request_id == request_id, Letter.status == "issued"))
        assert (letter.signer_id, letter.signer_name) == (acting, ACTING)
        text = signed_text(stored_pdf(session, letter, app.config["NETRA_SETTINGS"]))
    assert f"Plh. Ketua Bawaslu Kabupaten Kutai Kartanegara, {ACTING}" in text
    verified = app.test_client().get(f"/verifikasi/{letter.verify_token}").get_data(as_text=True)
    assert f"{ACTING}, Plh. Ketua Bawaslu Kabupaten Kutai Kartanegara" in verified


def test_another_offices_official_or_one_off_duty_is_refused(demo_sessions, netra_settings, receipt, demo_engine):
    from tests.helpers import fingerprint

    with transaction(demo_sessions) as session:
        samarinda = session.scalar(select(SigningOfficial.id).join(Office).where(Office.code == "bawaslu-6472"))
        acting = session.scalar(select(SigningOfficial).where(SigningOfficial.name == ACTING))
        acting.valid_until = local_today("WITA", utcnow()) - timedelta(days=1)  # their term as Plh. is over
    before = fingerprint(demo_engine)
    for chosen in (samarinda, ACTING, "Siapa Saja"):
        with pytest.raises(CaseworkError) as refused:
            issue(demo_sessions, netra_settings, receipt[1], "penangan.kukar", signer=chosen)
        assert refused.value.code == "signer.unknown"
    assert fingerprint(demo_engine) == before  # no number taken, the request still open


def test_the_cli_issues_with_a_signer(demo_sessions, demo_engine, netra_settings, receipt, monkeypatch, tmp_path):
    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path))
    refused = CliRunner().invoke(cli, ["letter", "render", receipt[0], "receipt", "--out", str(tmp_path / "r.pdf"),
                                       "--issue", "--actor", "penangan.kukar", "--signer", "Siapa Saja"])
    assert refused.exit_code != 0 and "bukan pejabat penanda tangan" in refused.output
    result = CliRunner().invoke(cli, ["letter", "render", receipt[0], "receipt", "--out", str(tmp_path / "r.pdf"),
                                      "--issue", "--actor", "penangan.kukar", "--signer", ACTING.upper()])
    assert result.exit_code == 0, result.output
    assert f"Penanda tangan (signer): {ACTING}, Plh. Ketua" in result.output
    assert ACTING in signed_text((tmp_path / "r.pdf").read_bytes())
    with demo_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Letter).where(Letter.signer_name == ACTING)) == 1


def test_the_administrator_keeps_the_signing_officials(app, demo_sessions, netra_settings, receipt):
    """A new Plh. is added on the desk (Administrasi → Pejabat penanda tangan), audited, and can then sign; a bad NIP
    or a term that ends before it starts is refused with nothing saved; nobody else reaches the page."""
    admin = client_as(app, "admin")
    form = admin.get("/penanda-tangan/new/").get_data(as_text=True)
    with demo_sessions() as session:
        office_id = session.scalar(select(Office.id).where(Office.code == "bawaslu-6402"))
        before = session.scalar(select(func.count()).select_from(SigningOfficial))
    today = local_today("WITA", utcnow())
    fields = {"csrf_token": csrf(form), "office": str(office_id), "name": "Rahmat Hidayat (fiktif)",
              "title": "Plh. Ketua Bawaslu Kabupaten Kutai Kartanegara", "nip": "198503122010011003",
              "acting": "y", "valid_from": (today - timedelta(days=1)).isoformat(), "valid_until": ""}
    for bad in ({"nip": "198503122010011000"}, {"valid_until": (today - timedelta(days=3)).isoformat()}):
        refused = admin.post("/penanda-tangan/new/", data={**fields, **bad}).get_data(as_text=True)
        assert "NIP" in refused or "Akhir menjabat lebih awal" in refused
    with demo_sessions() as session:
        assert session.scalar(select(func.count()).select_from(SigningOfficial)) == before
    admin.post("/penanda-tangan/new/", data=fields)
    with demo_sessions() as session:
        added = session.scalar(select(SigningOfficial).where(SigningOfficial.name == "Rahmat Hidayat (fiktif)"))
        assert added is not None and added.nip == "198503122010011003" and added.acting
        from casework.models import AuditEvent
        assert session.scalar(select(AuditEvent.action).where(AuditEvent.entity == "signing_official")
                              .order_by(AuditEvent.id.desc())) == "signer.changed"
    assert "Rahmat Hidayat (fiktif)" in admin.get("/penanda-tangan/").get_data(as_text=True)
    assert client_as(app, "ketua.kukar").get("/penanda-tangan/").status_code == 404
    letter, text = issue(demo_sessions, netra_settings, receipt[1], "penangan.kukar", signer=added.id)
    assert letter.signer_name == "Rahmat Hidayat (fiktif)" and "Rahmat Hidayat (fiktif)" in text
