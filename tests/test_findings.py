"""The access findings of issue #15, each tried over HTTP as the user who found it: refused with a clear message (or
"not found" where saying more would tell), and nothing written. The whole grid is tests/test_authorization_matrix.py;
these are the findings one by one, as they were reported."""
from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from casework.models import Case, Letter, LetterRequest
from tests.builder import PDF, Builder, Person
from tests.helpers import client_as, csrf, fingerprint
from tests.test_desk import app  # noqa: F401  (the desk fixture, both backends)


def shared(sessions, settings):
    """A Kukar case forwarded to BKN whose reported ASN belong to Pemkab Kukar and Pemprov Kaltim, both referred."""
    case = Builder(sessions, settings).laporan(Person("Hendra Gunawan"), Person("Sri Wahyuni", agency="pemprov-64"))
    case.forward().recommend(case.nips[0]).recommend(case.nips[1])
    return case


def version(sessions, number) -> str:
    with sessions() as session:
        return str(session.scalar(select(Case.version).where(Case.number == number)))


def test_a_bkpsdm_cannot_record_a_decree_for_another_agency_s_employee(app, demo_engine, demo_sessions):
    case = shared(demo_sessions, app.config["NETRA_SETTINGS"])
    kukar = client_as(app, "bkpsdm.kukar")
    page = kukar.get(f"/kasus/{case.number}").get_data(as_text=True)
    assert case.nips[0] in page and case.nips[1] not in page  # the form offers only their own employee
    before = fingerprint(demo_engine)
    forced = kukar.post(f"/kasus/{case.number}/langkah/record_sanction", data={
        "csrf_token": csrf(page), "version": version(demo_sessions, case.number), "track": case.nips[1],
        "sanction_level": "moral", "sanction": "moral.terbuka", "decree_number": "800/X/KUKAR",
        "decree_date": "2026-01-05", "decree_signer_name": "Bupati", "decree_pdf": (io.BytesIO(PDF), "sk.pdf")},
        content_type="multipart/form-data")
    assert forced.status_code == 404 and fingerprint(demo_engine) == before
    province = client_as(app, "bkpsdm.kaltim").get(f"/kasus/{case.number}").get_data(as_text=True)
    assert "800/X/KUKAR" not in province and 'data-step="record_sanction"' in province  # still theirs to record


def test_a_bkpsdm_cannot_download_letters_that_name_another_agency_s_employee(app, demo_sessions):
    from casework.access.principal import SYSTEM
    from casework.letters.issue import issue_letter
    settings = app.config["NETRA_SETTINGS"]
    case = shared(demo_sessions, settings)
    fake = lambda context: b"%PDF-1.4\n%%EOF\n"  # noqa: E731
    with demo_sessions() as session:  # what the forward and the two invitations asked for
        owed = session.scalars(select(LetterRequest.id).join(Case).where(
            Case.number == case.number, LetterRequest.status == "open",
            LetterRequest.kind.in_(["recommendation_to_oversight", "clarification_invitation"]))).all()
    for request_id in owed:
        issue_letter(demo_sessions, request_id, SYSTEM, settings=settings, render=fake)
    with demo_sessions() as session:
        letters = session.scalars(select(Letter).join(Case).where(Case.number == case.number)).all()
        people = {p.id: p.nip for p in session.scalar(select(Case).where(Case.number == case.number)).reported}
    kukar = client_as(app, "bkpsdm.kukar")
    got = {(x.kind, people.get(x.reported_asn_id)): kukar.get(f"/kasus/{case.number}/surat/berkas/{x.id}").status_code
           for x in letters}
    assert got == {("recommendation_to_oversight", None): 404,  # names both employees
                   ("clarification_invitation", case.nips[0]): 200,  # to their own employee
                   ("clarification_invitation", case.nips[1]): 404}  # to the other agency's


def test_a_bkpsdm_search_does_not_tell_whether_another_agency_s_employee_is_on_a_case(app, demo_sessions):
    case = Builder(demo_sessions, app.config["NETRA_SETTINGS"]).laporan(
        Person("Hendra Gunawan"), Person("Sri Wahyuni", agency="pemprov-64", nip="199001012015032001"))
    case.forward().recommend(case.nips[0]).recommend(case.nips[1])
    other = case.nips[1]
    kukar = client_as(app, "bkpsdm.kukar")

    def found(term) -> bool:
        return f'<a href="/kasus/{case.number}">' in kukar.get(f"/kasus-daftar/?search={term}").get_data(as_text=True)

    # the ~50 requests that spelled the other agency's employee's NIP out, digit by digit, learn nothing now
    assert not any(found(other[:length]) for length in range(4, 19))
    assert not found("Sri Wahyuni") and not found("Wahyuni")
    assert found(case.nips[0]) and found("Hendra Gunawan")  # their own employee is found as before


def test_a_same_named_person_of_another_agency_stays_out_of_view(app, demo_sessions):
    b = Builder(demo_sessions, app.config["NETRA_SETTINGS"])
    case = b.laporan(Person("Budi Santoso", agency="pemprov-64"), Person("Budi Santoso")).forward()
    case.not_proven(case.nips[0], "Akun bukan milik terlapor").recommend(case.nips[1])
    page = client_as(app, "bkpsdm.kukar").get(f"/kasus/{case.number}").get_data(as_text=True)
    assert "Akun bukan milik terlapor" not in page and case.nips[0] not in page and case.nips[1] in page
    timeline = page.split('id="timeline"')[1].split("</ul>")[0]
    assert "Tidak terbukti" not in timeline  # the other Budi's track, which a name match used to let through


def test_a_merge_into_another_office_s_case_is_refused_and_says_nothing_about_it(app, demo_engine, demo_sessions):
    settings = app.config["NETRA_SETTINGS"]
    mine = Builder(demo_sessions, settings).laporan(Person("Satu"))
    theirs = Builder(demo_sessions, settings, "bawaslu-6472").laporan(Person("Dua", agency="pemkot-6472"))
    handler = client_as(app, "penangan.kukar")
    page = handler.get(f"/kasus/{mine.number}").get_data(as_text=True)
    before = fingerprint(demo_engine)
    said = []
    for target in (theirs.number, "LP-6402-2099-9999"):
        response = handler.post(f"/kasus/{mine.number}/langkah/merge", data={
            "csrf_token": csrf(page), "version": version(demo_sessions, mine.number), "into": target,
            "note": "Peristiwa yang sama", "confirm": "1"})
        assert response.status_code == 400
        said.append(re.search(r'data-problems="merge">(.*?)</div>', response.get_data(as_text=True), re.S)
                    .group(1).replace(target, "X"))
    assert said[0] == said[1] and "tidak ditemukan di antara kasus yang ditangani kantor Anda" in said[0]
    assert fingerprint(demo_engine) == before


def test_intake_is_refused_outside_the_office_s_area(app, demo_engine, demo_sessions):
    handler = client_as(app, "penangan.kukar")
    form = handler.get("/kasus-baru/").get_data(as_text=True)
    assert 'value="6371"' not in form  # Kota Banjarmasin is not offered...
    with demo_sessions() as session:
        count = session.scalar(select(func.count()).select_from(Case))
    before = fingerprint(demo_engine)
    forced = handler.post("/kasus-baru/", data={
        "csrf_token": csrf(form), "source": "temuan", "found_by": "Panwaslu", "election": "simulasi-pemilu",
        "regency": "6371", "place": "Banjarmasin", "occurred_on": "2026-11-20", "known_on": "2026-11-20",
        "received_on": "2026-11-21", "summary": "Uji", "chronology": "Uji", "violations": "etik.sosialisasi_medsos",
        "nip0": "198503122010011003", "name0": "Uji", "position0": "Guru", "agency0": "pemkot-6371"})
    html = forced.get_data(as_text=True)
    assert forced.status_code == 422 and "Kota Banjarmasin berada di luar wilayah" in html  # ...nor accepted
    assert fingerprint(demo_engine) == before
    with demo_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == count


def test_a_case_closed_by_another_agency_s_decree_does_not_name_that_agency_s_officer(app, demo_sessions):
    case = shared(demo_sessions, app.config["NETRA_SETTINGS"])
    case.sanction(case.nips[0]).sanction(case.nips[1])  # the province's decree is the last: it closes the case
    page = client_as(app, "bkpsdm.kukar").get(f"/kasus/{case.number}").get_data(as_text=True)
    timeline = page.split('id="timeline"')[1].split("</ul>")[0]
    assert "Selesai" in timeline and "netra-system" in timeline and "bkpsdm.kaltim" not in timeline
