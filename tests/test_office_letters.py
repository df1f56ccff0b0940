"""Office letters (issue 21): an appeal (imbauan) to an agency's PPK, and the report of the PPKs that have not
followed up, addressed to Kemendagri and Menpan-RB with the oversight body in tembusan. Asked for, then issued
once like any letter, and read back from the stored PDF."""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pypdf
import pytest
from sqlalchemy import func, select

from casework.access.policy import Forbidden
from casework.access.principal import principal_named
from casework.adapters.db import transaction
from casework.errors import ValidationError
from casework.letters.issue import LetterBusy, issue_letter, stored_pdf
from casework.letters.office import office_letters, request_appeals, request_late_ppk_report
from casework.letters.verification import verification
from casework.models import Agency, Election, Letter, LetterRequest, Office
from casework.settings import Settings

ROWS = [{"agency": "Pemerintah Kabupaten Kutai Kartanegara", "ppk": "Bupati Kutai Kartanegara", "recommended": 4,
         "overdue": 2, "late": 1, "oldest_due": "2024-11-04"},
        {"agency": "Pemerintah Kota Samarinda", "ppk": "Wali Kota Samarinda", "recommended": 2, "overdue": 1,
         "late": 0, "oldest_due": "2024-12-02"}]


def _settings(tmp_path) -> Settings:
    return Settings.from_env({"NETRA_VAR_DIR": str(tmp_path / "var"), "NETRA_BASE_URL": "https://netra.test"})


def _text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _office(session, code: str) -> Office:
    return session.scalar(select(Office).where(Office.code == code))


def test_the_late_ppk_report_is_issued_once_with_the_ministers_and_the_oversight_body(demo_sessions, tmp_path):
    settings = _settings(tmp_path)
    with transaction(demo_sessions) as session:
        kaltim = principal_named(session, "penangan.kaltim")
        first = request_late_ppk_report(session, kaltim, _office(session, "bawaslu-64"), ROWS).id
        # the same list asked again the same day (a double click) is the same request
        again = request_late_ppk_report(session, kaltim, _office(session, "bawaslu-64"), ROWS).id
    assert again == first
    letter = issue_letter(demo_sessions, first, kaltim, settings=settings, on=date(2026, 12, 2))
    with pytest.raises(LetterBusy) as busy:  # a second issuer is told the number, and writes nothing
        issue_letter(demo_sessions, first, kaltim, settings=settings, on=date(2026, 12, 2))
    assert letter.number in str(busy.value.params)
    with demo_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Letter).where(Letter.request_id == first)) == 1
        stored = session.get(Letter, letter.id)
        assert stored.case_id is None and stored.office_code == "bawaslu-64" and stored.status == "issued"
        text = _text(stored_pdf(session, stored, settings))
        assert verification(session, stored.verify_token)["number"] == letter.number
        listed = office_letters(session, _office(session, "bawaslu-64"))
        assert [(r.id, l.number) for r, l in listed] == [(first, letter.number)]
    assert "1. Menteri Dalam Negeri Republik Indonesia" in text
    assert "2. Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi" in text
    assert "Bupati Kutai Kartanegara (Pemerintah Kabupaten Kutai Kartanegara)" in text
    assert "Wali Kota Samarinda" in text and "4 November 2024" in text
    tembusan = text.split("Tembusan:")[1]
    assert "Kepala Badan Kepegawaian Negara" in tembusan  # the oversight body in force on the letter's date
    assert "Ketua Bawaslu" in tembusan  # and the office above (Bawaslu RI)


def test_an_appeal_goes_to_each_agency_chosen_with_its_personnel_unit_in_tembusan(demo_sessions, tmp_path):
    settings = _settings(tmp_path)
    with transaction(demo_sessions) as session:
        kukar = principal_named(session, "penangan.kukar")
        agency = session.scalar(select(Agency).where(Agency.code == "pemkab-6402"))
        ppk, unit = agency.ppk_title, agency.personnel_unit_name
        [request] = request_appeals(session, kukar, _office(session, "bawaslu-6402"), [agency],
                                    election="Pemilihan Bupati dan Wakil Bupati Kutai Kartanegara 2024")
        request_id = request.id
    letter = issue_letter(demo_sessions, request_id, kukar, settings=settings)
    with demo_sessions() as session:
        text = _text(stored_pdf(session, session.get(Letter, letter.id), settings))
    assert f"Yth. {ppk}" in text and "Imbauan Menjaga Netralitas" in text
    assert "Pemilihan Bupati dan Wakil Bupati Kutai Kartanegara 2024" in text
    assert unit in text.split("Tembusan:")[1]


def test_only_the_offices_handlers_ask_for_and_issue_its_letters(demo_sessions, tmp_path):
    with transaction(demo_sessions) as session:
        kaltim = principal_named(session, "penangan.kaltim")
        request_id = request_late_ppk_report(session, kaltim, _office(session, "bawaslu-64"), ROWS).id
    with demo_sessions() as session:
        before = session.scalar(select(func.count()).select_from(LetterRequest))
        for name in ("penangan.kukar", "bkpsdm.kukar", "pengawas.bkn"):
            with pytest.raises(Forbidden):
                request_late_ppk_report(session, principal_named(session, name), _office(session, "bawaslu-64"),
                                        ROWS)
            session.rollback()
        with pytest.raises(ValidationError):  # nothing to report: no letter is owed
            request_late_ppk_report(session, kaltim, _office(session, "bawaslu-64"), [])
        session.rollback()
        assert session.scalar(select(func.count()).select_from(LetterRequest)) == before
        kukar = principal_named(session, "penangan.kukar")
    with pytest.raises(Forbidden):  # Kukar's handler may not issue the province's letter
        issue_letter(demo_sessions, request_id, kukar, settings=_settings(tmp_path))
    with demo_sessions() as session:
        assert session.get(LetterRequest, request_id).status == "open"
        assert session.scalar(select(func.count()).select_from(Letter).where(Letter.request_id == request_id)) == 0


@pytest.mark.parametrize("backend", ["sqlite"])  # the desk's forms; the claims are tested on both above
def test_the_desk_a_provincial_handler_sends_the_late_ppk_list_from_the_league_table(demo_engine, demo_sessions,
                                                                                    tmp_path):
    from admin import create_app
    from tests.helpers import client_as, csrf

    settings = replace(_settings(tmp_path), secret_key="test-secret",
                       database_url=demo_engine.url.render_as_string(hide_password=False))
    app = create_app(settings)
    kaltim = client_as(app, "penangan.kaltim")
    league = kaltim.get("/liga-ppk/").get_data(as_text=True)
    assert 'id="late-ppk-letter"' in league  # the demo has PPKs past their follow-up deadline
    sent = kaltim.post("/surat-kantor/ppk", data={"csrf_token": csrf(league), "note": ""})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/surat-kantor/")
    again = kaltim.post("/surat-kantor/ppk", data={"csrf_token": csrf(league), "note": ""})  # a second click
    assert again.status_code == 302
    page = kaltim.get("/surat-kantor/").get_data(as_text=True)
    with demo_sessions() as session:
        [letter] = session.scalars(select(Letter).where(Letter.kind == "ppk_follow_up_report")).all()
        request = session.get(LetterRequest, letter.request_id)
    assert letter.number in page and "sudah diterbitkan" in page  # the second click was told, not served twice
    late = [row["agency"] for row in request.payload["rows"]]
    assert late and all(name in _text(kaltim.get(f"/surat-kantor/{letter.id}.pdf").data) for name in late)
    # the office above reads it; another province's office, a BKPSDM and Kukar's office (below) do not
    assert client_as(app, "penangan.ri").get(f"/surat-kantor/{letter.id}.pdf").status_code == 200
    for name in ("penangan.kukar", "bkpsdm.kaltim"):
        assert client_as(app, name).get(f"/surat-kantor/{letter.id}.pdf").status_code == 404
    # the appeal: the form, a refused empty choice (nothing written), then one letter per agency chosen
    kukar = client_as(app, "penangan.kukar")
    form = kukar.get("/surat-kantor/imbauan").get_data(as_text=True)
    with demo_sessions() as session:
        agency = session.scalar(select(Agency).where(Agency.code == "pemkab-6402"))
        election = session.scalar(select(Election).where(Election.regency_code == "6402"))
    assert f'value="{agency.id}"' in form
    refused = kukar.post("/surat-kantor/imbauan", data={"csrf_token": csrf(form), "election": str(election.id)})
    assert refused.status_code == 200 and "instansi" in refused.get_data(as_text=True).lower()
    done = kukar.post("/surat-kantor/imbauan", data={"csrf_token": csrf(form), "election": str(election.id),
                                                    "agency": [str(agency.id)], "note": "Jelang masa tenang."})
    assert done.status_code == 302
    with demo_sessions() as session:
        [appeal] = session.scalars(select(Letter).where(Letter.kind == "neutrality_appeal")).all()
    assert "Jelang masa tenang." in _text(kukar.get(f"/surat-kantor/{appeal.id}.pdf").data)


def test_who_reads_an_office_letter_follows_the_offices_above_it_not_their_codes():
    """Office ancestry decides (kab/kota → provinsi → RI): Bawaslu DKI Jakarta's province code is RI's, an office
    abroad carries a Jakarta regency code, and neither makes them an office above. A Panwaslu speaks for no region."""
    from casework.access.policy import Action, decide
    from casework.access.principal import OfficeRef, Principal, Role

    ri = Office(id=1, code="bawaslu-ri", kind="bawaslu_ri", province_code="31", regency_code=None)
    dki = Office(id=2, code="bawaslu-31", kind="bawaslu_provinsi", province_code="31", parent=ri)
    kaltim = Office(id=3, code="bawaslu-64", kind="bawaslu_provinsi", province_code="64", parent=ri)
    kukar = Office(id=4, code="bawaslu-6402", kind="bawaslu_kabkota", province_code="64", regency_code="6402",
                   parent=kaltim)
    jakpus = Office(id=5, code="bawaslu-3171", kind="bawaslu_kabkota", province_code="31", regency_code="3171",
                    parent=dki)
    abroad = Office(id=6, code="panwaslu-ln", kind="panwaslu_ln", province_code="31", regency_code="3171", parent=ri)

    def handler(office: Office) -> Principal:
        return Principal(f"h-{office.code}", frozenset({Role.BAWASLU_HANDLER}), OfficeRef.of(office))

    def reads(reader: Office, letter_of: Office) -> bool:
        return decide(handler(reader), Action.READ_OFFICE_LETTER, office=letter_of).allowed

    assert reads(ri, kukar) and reads(kaltim, kukar) and reads(kukar, kukar) and reads(dki, jakpus)
    assert not reads(dki, ri) and not reads(kukar, kaltim) and not reads(kaltim, jakpus) and not reads(abroad, jakpus)
    assert decide(handler(jakpus), Action.RECORD_FIGURES, region_code="3171").allowed
    assert not decide(handler(abroad), Action.RECORD_FIGURES, region_code="3171").allowed
    # the report to the ministers is a province's or RI's letter; an appeal any office's
    level = decide(handler(kukar), Action.ISSUE_OFFICE_LETTER, office=kukar, letter_kind="ppk_follow_up_report")
    assert not level.allowed and level.code == "access.office_letter_level"
    assert decide(handler(kaltim), Action.ISSUE_OFFICE_LETTER, office=kaltim, letter_kind="ppk_follow_up_report")
    assert decide(handler(kukar), Action.ISSUE_OFFICE_LETTER, office=kukar, letter_kind="neutrality_appeal")


@pytest.mark.parametrize("backend", ["postgresql"])  # two transactions at once: PostgreSQL's, not SQLite's queue
def test_two_clicks_at_once_ask_for_one_appeal(demo_sessions):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    barrier = Barrier(2)

    def click() -> int:
        with transaction(demo_sessions) as session:
            kukar = principal_named(session, "penangan.kukar")
            agency = session.scalar(select(Agency).where(Agency.code == "pemkab-6402"))
            office = _office(session, "bawaslu-6402")
            barrier.wait()  # both past loading, then both ask
            [request] = request_appeals(session, kukar, office, [agency], election="Pemilihan Bupati 2024")
            return request.id

    with ThreadPoolExecutor(2) as pool:
        ids = [f.result() for f in [pool.submit(click), pool.submit(click)]]
    with demo_sessions() as session:
        rows = session.scalars(select(LetterRequest).where(LetterRequest.kind == "neutrality_appeal")).all()
    assert len(rows) == 1 and ids == [rows[0].id, rows[0].id]
