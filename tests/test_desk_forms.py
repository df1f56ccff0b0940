"""Step forms over HTTP (issue 17 items 1 and 4): steps offered only when they can be taken, a step that ends the
case needs its reason and a confirmation, the agency found by code or exact name, an evidence file refused with
the description kept and the file asked for again, and the witness shown only to those who see the reporter."""
import io
import re

from sqlalchemy import select

from casework.models import Case
from casework.road.workflow import available_steps
from tests.builder import Builder, Person
from tests.helpers import client_as, csrf, fingerprint, principal_of
from tests.test_desk import app  # noqa: F401  (the desk fixture, both backends)
from tests.test_desk import intake_form
from tests.helpers import sqlite_only  # noqa: F401  (SQLite only: the forms' rules, not SQL)


def offered(sessions, number, who):
    with sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        return {o.command.name for o in available_steps(case, principal_of(session, who))}


def test_steps_are_offered_only_when_they_can_be_taken(demo_sessions):
    b = Builder(demo_sessions)
    finding = b.laporan(source="temuan")
    finding.step("begin_review", finding.handler)
    assert "request_completion" not in offered(demo_sessions, finding.number, "penangan.kukar")  # a report's only
    case = b.laporan(Person("Satu"), Person("Dua")).to_plenary()
    assert "forward" not in offered(demo_sessions, case.number, "ketua.kukar")
    case.step("decide_plenary", case.head, outcome="other_law", forwarded_to="Gakkumdu", reasoning="Pidana")
    # closed: referred elsewhere, nobody in violation — and a decision in violation is forwarded
    other = b.laporan().to_plenary()
    other.step("decide_plenary", other.head, outcome="violation", reasoning="Terbukti")
    assert "forward" in offered(demo_sessions, other.number, "ketua.kukar")
    study = b.laporan().register().invite()
    study.step("extend_study", study.handler, reason="Butuh saksi ahli")
    assert "extend_study" not in offered(demo_sessions, study.number, "penangan.kukar")  # once only
    forwarded = b.laporan().forward()
    forwarded.recommend(forwarded.nips[0])
    assert "escalate" not in offered(demo_sessions, forwarded.number, "penangan.kukar")  # not late yet


def test_a_step_that_ends_the_case_needs_its_reason_and_a_confirmation(app, demo_engine, demo_sessions):
    case = Builder(demo_sessions).laporan()
    handler = client_as(app, "penangan.kukar")
    page = handler.get(f"/kasus/{case.number}").get_data(as_text=True)
    form = re.search(r'<form[^>]*data-step="withdraw".*?</form>', page, re.S).group(0)
    assert "btn-outline-danger" in form and 'name="confirm"' in form and "Saya yakin" in form
    assert "btn-primary" not in form
    before = fingerprint(demo_engine)
    response = handler.post(f"/kasus/{case.number}/langkah/withdraw", data={
        "csrf_token": csrf(page), "version": case.version(), "reason": "Pelapor mencabut"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "centang pernyataan bahwa Anda yakin" in html
    assert "Pelapor mencabut</textarea>" in html  # kept
    assert re.search(r'id="withdraw-confirm"[^>]*aria-invalid="true"[^>]*aria-describedby="withdraw-confirm-error"',
                     html)
    merge = handler.post(f"/kasus/{case.number}/langkah/merge", data={
        "csrf_token": csrf(page), "version": case.version(), "into": case.number, "confirm": "1"})
    assert merge.status_code == 400 and "Catatan: wajib diisi" in merge.get_data(as_text=True)
    assert fingerprint(demo_engine) == before
    done = handler.post(f"/kasus/{case.number}/langkah/withdraw", data={
        "csrf_token": csrf(page), "version": case.version(), "reason": "Pelapor mencabut", "confirm": "1"})
    assert done.status_code == 302


def test_the_plenary_problem_is_beside_the_person_s_field(app, demo_sessions):
    case = Builder(demo_sessions).laporan(Person("Satu"), Person("Dua")).to_plenary()
    head = client_as(app, "ketua.kukar")
    page = head.get(f"/kasus/{case.number}").get_data(as_text=True)
    first, second = case.nips
    response = head.post(f"/kasus/{case.number}/langkah/decide_plenary", data={
        "csrf_token": csrf(page), "version": case.version(), "reasoning": "Pidana pemilu",
        f"outcomes.{first}.outcome": "other_law", f"outcomes.{second}.outcome": "violation"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'href="#decide_plenary-{first}-to"' in html  # the summary links to the field
    assert re.search(rf'id="decide_plenary-{first}-to"[^>]*aria-invalid="true"', html)
    assert f'id="decide_plenary-{first}-to-error"' in html


def test_the_agency_is_found_by_code_or_exact_name_and_an_unknown_one_is_said(app, demo_sessions):
    handler = client_as(app, "penangan.kukar")
    page = handler.get("/kasus-baru/").get_data(as_text=True)
    assert '<select name="agency0"' not in page and 'list="agency-list"' in page
    with demo_sessions() as session:
        from casework.models import Agency
        name = session.scalar(select(Agency.name).where(Agency.code == "pemkab-6402"))
    unknown = handler.post("/kasus-baru/", data=intake_form(agency0="Dinas Khayalan", csrf_token=csrf(page)))
    html = unknown.get_data(as_text=True)
    assert unknown.status_code == 422 and "instansi &#39;Dinas Khayalan&#39; tidak dikenal" in html
    assert 'id="agency0-error"' in html and 'value="Dinas Khayalan"' in html
    by_name = handler.post("/kasus-baru/", data=intake_form(agency0=name.upper(), csrf_token=csrf(page),
                                                             witness_name="Saksi Bernama"))
    assert by_name.status_code == 302, by_name.get_data(as_text=True)
    number = by_name.headers["Location"].rsplit("/", 1)[-1]
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert case.reported[0].agency.code == "pemkab-6402"
    # the witness is shown to those who see the reporter (casework.access.view.filtered)
    assert "Saksi Bernama (Saksi)" in handler.get(f"/kasus/{number}").get_data(as_text=True)


def test_a_refused_evidence_file_keeps_the_description_and_asks_for_the_file_again(app, demo_sessions):
    case = Builder(demo_sessions).laporan()
    handler = client_as(app, "penangan.kukar")
    token = csrf(handler.get(f"/kasus/{case.number}").get_data(as_text=True))
    response = handler.post(f"/kasus/{case.number}/bukti", data={
        "csrf_token": token, "description": "Tangkapan layar grup", "file": (io.BytesIO(b"MZ"), "bukti.pdf")},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="Tangkapan layar grup"' in html
    assert 'aria-describedby="upload-file-error"' in html and "bukti.pdf belum tersimpan" in html
