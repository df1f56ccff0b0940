"""Sanction tracking (both databases): each kind recorded with its decree PDF, bad decrees refused in Bahasa
Indonesia with nothing changed, a case complete only when every reported ASN has an outcome, and the desk's form,
case page and scoped decree download."""
import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from admin import create_app
from casework.adapters.db import transaction
from casework.errors import ValidationError
from casework.road.intake import IntakeInput, ReportedInput, ReporterInput, open_case
from casework.models import Case
from casework.road.sanctions import MAX_DECREE_BYTES, Upload, decree_dir, decree_pdf, kinds, levels
from casework.settings import Settings
from casework.letters.render import render_draft
from casework.spreadsheets.export import OPERATOR, export_cases
from tests.test_letters import pdf_text
from casework.access.principal import principal_named
from casework.road.workflow import execute
from tests.helpers import invitation, principal_of
from tests.helpers import client_as, csrf, fingerprint
from tests.helpers import sqlite_only  # noqa: F401  (SQLite only: the sanction rules, not SQL)

HANDLER, HEAD, OVERSIGHT, BKPSDM = "penangan.kukar", "ketua.kukar", "pengawas.kasn", "bkpsdm.kukar"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+08:00").astimezone(UTC)


def nip(n: int) -> str:
    return f"198503122010011{n:03d}"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.from_env({"NETRA_VAR_DIR": str(tmp_path / "var")})


def step(sessions, number, name, actor, when, *, track=None, settings=None, **fields):
    with transaction(sessions) as session:
        version = session.scalar(select(Case.version).where(Case.number == number))
        execute(session, name, case_number=number, principal=principal_of(session, actor), expected_version=version,
                at=when, track=track, settings=settings, fields=fields)


def referred_case(sessions, agencies, *, recommend=None, asn_kinds=None) -> str:
    """A Pemilu case naming one ASN per agency (of the ASN kinds given: PNS by default), forwarded, each with a
    recommended sanction (or left at oversight review when `recommend` is False)."""
    asn_kinds = asn_kinds or ["PNS"] * len(agencies)
    data = IntakeInput(source="laporan", election="pemilu-2024", office="bawaslu-6402", regency="6402",
                       place="Tenggarong", occurred_on=date(2024, 3, 1), known_on=date(2024, 3, 1),
                       received_on=date(2024, 3, 4), summary="Uji sanksi", chronology="Kronologi uji",
                       violations=["etik.sosialisasi_medsos"],
                       reported=[ReportedInput(nip=nip(i + 1), name=f"Terlapor Uji {i + 1}", position="Guru",
                                               agency=agency, asn_kind=asn_kinds[i])
                                 for i, agency in enumerate(agencies)],
                       reporter=ReporterInput(name="Pelapor Uji", address="Tenggarong"))
    with transaction(sessions) as session:
        number = open_case(session, data, principal=principal_named(session, HANDLER), at=at("2024-03-04", 9)).number
    for name, actor, fields in [("begin_review", HANDLER, {}), ("register", HANDLER, {}),
                                ("invite_clarification", HANDLER, invitation("2024-03-05")),
                                ("record_clarification", HANDLER, {"minutes": "BA"}),
                                ("submit_study", HANDLER, {"conclusion": "Terbukti"}),
                                ("decide_plenary", HEAD, {"outcome": "violation", "reasoning": "Terbukti"}),
                                ("forward", HEAD, {})]:
        step(sessions, number, name, actor, at("2024-03-05", 11), **fields)
    if recommend is not False:
        for i, _agency in enumerate(agencies):
            step(sessions, number, "record_oversight_recommendation", OVERSIGHT, at("2024-03-11"), track=nip(i + 1),
                 outcome="sanction_recommended", sanction=recommend or "moral.terbuka")
    return number


def decree(kind: str, **changes):
    spec = kinds()[kind]
    fields = {"sanction_level": spec.level, "sanction": kind, "decree_number": "800.1.6.3/12/BKPSDM/2024",
              "decree_date": "2024-04-01", "decree_signer_name": "Drs. Penjabat Uji, M.Si.",
              "decree_pdf": Upload("SK hukuman.pdf", PDF)}
    if spec.duration_months:
        fields["effective_from"] = "2024-04-15"
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def people(sessions, number):
    with sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        return case.stage, {p.nip: p for p in case.reported}


def test_every_sanction_kind_is_recorded_with_its_decree_pdf(demo_sessions, settings):
    codes = list(kinds())
    assert len(codes) == 14 and set(levels()) == {"moral", "light", "medium", "heavy", "dismissal"}
    # each kind on an ASN it may be imposed on: the two PPPK terminations on a PPPK
    number = referred_case(demo_sessions, ["pemkab-6402"] * len(codes),
                           asn_kinds=["PPPK" if kinds()[c].asn_kinds == ("PPPK",) else "PNS" for c in codes])
    for i, code in enumerate(codes):
        assert people(demo_sessions, number)[0] == "forwarded"  # not complete while a track is open
        step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-04-02"), track=nip(i + 1),
             settings=settings, **decree(code))
    stage, by_nip = people(demo_sessions, number)
    assert stage == "closed"  # every reported ASN has an outcome
    for i, code in enumerate(codes):
        person = by_nip[nip(i + 1)]
        spec = kinds()[code]
        assert (person.track_stage, person.recommended_sanction, person.sanction) == \
            ("sanctioned", "moral.terbuka", code)
        assert (person.decree_number, person.decree_date) == ("800.1.6.3/12/BKPSDM/2024", date(2024, 4, 1))
        assert (person.decree_signer_name, person.decree_signer_title) == \
            ("Drs. Penjabat Uji, M.Si.", "Bupati Kutai Kartanegara")  # the agency's PPK when not given
        if spec.duration_months:
            assert person.effective_from == date(2024, 4, 15)
            assert person.effective_until == {6: date(2024, 10, 14), 9: date(2025, 1, 14),
                                              12: date(2025, 4, 14)}[spec.duration_months]
        else:
            assert person.effective_from is None and person.effective_until is None
        assert decree_pdf(person, settings) == PDF and person.decree_file_name == "SK hukuman.pdf"
        assert re.fullmatch(r"[0-9a-f]{32}\.pdf", person.decree_file)
    assert len(list(decree_dir(settings).iterdir())) == len(codes)  # one file each, random names


def test_a_pppk_gets_the_penalties_of_a_pppk_and_a_pns_those_of_a_pns(demo_sessions, settings):
    """rules/sanctions.toml `asn_kinds`: a PPPK's contract is ended where a PNS would be demoted or dismissed (PP
    49/2018 Ps. 53; Netra's policy for the rest). Refused either way, by the oversight body and at the decree."""
    number = referred_case(demo_sessions, ["pemkab-6402", "pemkab-6402"], recommend=False,
                           asn_kinds=["PPPK", "PNS"])
    pppk, pns = nip(1), nip(2)
    for person, wrong in ((pppk, "disiplin.berat.penurunan_jabatan"), (pns, "pppk.pemutusan_tidak_dengan_hormat")):
        with pytest.raises(ValidationError) as refused:
            step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, at("2024-03-11"),
                 track=person, outcome="sanction_recommended", sanction=wrong)
        [problem] = refused.value.problems
        assert (problem.field, problem.code) == ("sanction", "sanction.wrong_asn_kind")
        text = problem.render("id")
        assert "hanya untuk" in text and f"terlapor ini {problem.params['asn_kind']}" in text
    step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, at("2024-03-11"), track=pppk,
         outcome="sanction_recommended", sanction="pppk.berat.pemutusan_dengan_hormat")
    step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, at("2024-03-11"), track=pns,
         outcome="sanction_recommended", sanction="disiplin.berat.penurunan_jabatan")
    with demo_sessions() as session:  # the reminder to the PPK names the PPPK's penalty with its basis
        reminder = " ".join(pdf_text(render_draft(session, number, "ppk_reminder", recipient=0,
                                                  base_url="https://netra.test")).split())
    assert "PPPK: pemutusan hubungan perjanjian kerja dengan hormat" in reminder
    assert "PP 49/2018 Ps. 53 ayat (2) huruf b" in reminder
    with pytest.raises(ValidationError) as refused:  # the PPK cannot end a PNS's (non-existent) contract either
        step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-04-02"), track=pns, settings=settings,
             **decree("pppk.berat.pemutusan_dengan_hormat"))
    assert [p.code for p in refused.value.problems] == ["sanction.wrong_asn_kind"]
    step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-04-02"), track=pppk, settings=settings,
         **decree("pppk.berat.pemutusan_dengan_hormat"))
    stage, by_nip = people(demo_sessions, number)
    assert (by_nip[pppk].track_stage, by_nip[pppk].sanction) == ("sanctioned", "pppk.berat.pemutusan_dengan_hormat")
    assert by_nip[pns].track_stage == "agency_follow_up" and stage == "forwarded"
    assert kinds()["pppk.berat.pemutusan_dengan_hormat"].basis == "PP 49/2018 Ps. 53 ayat (2) huruf b"
    with demo_sessions() as session:  # and the export says which penalty each got
        out = io.BytesIO()
        export_cases(session, out, "xlsx", OPERATOR)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(values_only=True) if number in r)
    assert row[header.index("Sanksi terlapor")].startswith("PPPK: pemutusan hubungan perjanjian kerja dengan hormat")
    assert row[header.index("Jenis ASN terlapor")] == "PPPK; PNS"


BAD = [
    ("future decree date", {"decree_date": "2024-04-03"}, ["case.date_in_future"], "ada di masa depan"),
    ("penalty outside its level", {"sanction_level": "light"}, ["sanction.level_mismatch"],
     "tidak termasuk Hukuman disiplin ringan"),
    ("not a PDF", {"decree_pdf": Upload("sk.pdf", b"MZ\x90\x00 not a pdf")}, ["sanction.not_pdf"],
     "berkas SK harus PDF"),
    ("effect dates reversed", {"effective_from": "2024-05-01", "effective_until": "2024-04-20"},
     ["sanction.dates_reversed"], "lebih awal dari tanggal mulai"),
    ("duration without a start", {"effective_from": None}, ["sanction.start_required"], "isi tanggal mulai"),
    ("wrong duration", {"effective_until": "2024-12-31"}, ["sanction.wrong_duration"], "berakhir 2024-10-14"),
    ("effect before the decree", {"effective_from": "2024-03-30"}, ["sanction.starts_before_decree"],
     "lebih awal dari tanggal SK"),
    ("too large", {"decree_pdf": Upload("sk.pdf", PDF + b"0" * MAX_DECREE_BYTES)}, ["evidence.too_large"],
     "terlalu besar"),
    ("everything at once", {"sanction_level": "moral", "decree_date": "2099-01-01",
                            "decree_pdf": Upload("sk.docx", b"PK\x03\x04")},
     ["sanction.level_mismatch", "case.date_in_future", "sanction.starts_before_decree", "sanction.not_pdf"],
     "4 masalah"),
]


def test_bad_decrees_are_refused_in_indonesian_and_nothing_changes(demo_engine, demo_sessions, settings):
    number = referred_case(demo_sessions, ["pemkab-6402"], recommend="disiplin.sedang.potong_tpk_6")
    before = fingerprint(demo_engine)
    for _name, changes, codes, text in BAD:
        with pytest.raises(ValidationError) as raised:
            step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-04-02"), track=nip(1),
                 settings=settings, **decree("disiplin.sedang.potong_tpk_6", **changes))
        assert raised.value.codes == codes, _name
        assert text in raised.value.render("id"), _name
    # the moral sanction and the light ones have no duration: an end date is refused
    with pytest.raises(ValidationError) as raised:
        step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-04-02"), track=nip(1), settings=settings,
             **decree("moral.tertutup", effective_from="2024-04-01", effective_until="2024-05-01"))
    assert raised.value.codes == ["sanction.no_duration"] and "tidak berjangka waktu" in raised.value.render("id")
    assert fingerprint(demo_engine) == before
    assert not decree_dir(settings).exists() or not any(decree_dir(settings).iterdir())


def test_a_failing_write_leaves_no_decree_file_behind(demo_engine, demo_sessions, settings, monkeypatch):
    from casework import audit
    number = referred_case(demo_sessions, ["pemkab-6402"])
    before = fingerprint(demo_engine)
    monkeypatch.setattr(audit, "record", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("audit down")))
    with pytest.raises(RuntimeError):
        step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-04-02"), track=nip(1), settings=settings,
             **decree("moral.terbuka"))
    assert fingerprint(demo_engine) == before and list(decree_dir(settings).iterdir()) == []


def test_a_case_closes_only_when_every_asn_has_an_outcome(demo_engine, demo_sessions, settings):
    number = referred_case(demo_sessions, ["pemkab-6402", "pemkab-6402", "pemkab-6402"], recommend=False)
    before = fingerprint(demo_engine)
    for fields, code in [({}, "sanction.finding_reason_required"),
                         ({"reason": "   "}, "sanction.finding_reason_required"),
                         ({"reason": "Bukti kurang", "sanction": "moral.terbuka"},
                          "sanction.not_proven_with_sanction")]:
        with pytest.raises(ValidationError) as raised:
            step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, at("2024-03-11"),
                 track=nip(1), outcome="not_proven", **fields)
        assert raised.value.codes == [code]
        if code == "sanction.finding_reason_required":
            assert "Alasan: wajib diisi bila pelanggaran tidak terbukti" in raised.value.render("id")
    assert fingerprint(demo_engine) == before

    step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, at("2024-03-11"), track=nip(1),
         outcome="not_proven", reason="Akun media sosial bukan milik terlapor")
    step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, at("2024-03-11", 11), track=nip(2),
         outcome="sanction_recommended", sanction="moral.tertutup")
    assert people(demo_sessions, number)[0] == "forwarded"  # nip 2 awaits its decree, nip 3 the oversight body
    step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-04-02"), track=nip(2), settings=settings,
         **decree("moral.tertutup"))
    assert people(demo_sessions, number)[0] == "forwarded"
    step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, at("2024-04-03"), track=nip(3),
         outcome="not_proven", reason="Tidak ada unsur keberpihakan")
    stage, by_nip = people(demo_sessions, number)
    assert stage == "closed"
    assert by_nip[nip(1)].finding_reason == "Akun media sosial bukan milik terlapor"
    assert [p.track_stage for p in by_nip.values()] == ["not_proven", "sanctioned", "not_proven"]


# --- the desk ---------------------------------------------------------------------------------------------------------
@pytest.fixture
def app(demo_engine, tmp_path, settings):
    desk = replace(settings, database_url=demo_engine.url.render_as_string(hide_password=False),
                   secret_key="test-secret")
    return create_app(desk)


def test_the_desk_records_a_decree_with_its_pdf_and_shows_it(app, demo_engine, demo_sessions):
    number = referred_case(demo_sessions, ["pemkab-6402", "pemprov-64"], recommend="disiplin.sedang.potong_tpk_9")
    bkpsdm = client_as(app, "bkpsdm.kukar")
    page = bkpsdm.get(f"/kasus/{number}").get_data(as_text=True)
    assert 'data-step="record_sanction"' in page and 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page and 'name="sanction_level"' in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    today = datetime.now(UTC).astimezone().date()
    form = {"csrf_token": csrf(page), "version": version, "track": nip(1), "sanction_level": "medium",
            "sanction": "disiplin.sedang.potong_tpk_6", "decree_number": "800.1.6.3/45/BKPSDM/2024",
            "decree_date": "2024-04-01", "decree_signer_name": "Edi Damansyah (uji)",
            "effective_from": "2024-05-01"}

    def post(data, upload):
        return bkpsdm.post(f"/kasus/{number}/langkah/record_sanction",
                           data={**data, "decree_pdf": (io.BytesIO(upload[1]), upload[0])},
                           content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)

    before = fingerprint(demo_engine)
    refused = post(form, ("sk.pdf", b"<html>bukan pdf</html>"))
    assert "berkas SK harus PDF" in refused and "tidak ada yang disimpan" in refused
    refused = post({**form, "sanction_level": "heavy", "decree_date": (today + timedelta(days=2)).isoformat()},
                   ("sk.pdf", PDF))
    assert "tidak termasuk Hukuman disiplin berat" in refused and "ada di masa depan" in refused
    missing = bkpsdm.post(f"/kasus/{number}/langkah/record_sanction", data=form, content_type="multipart/form-data",
                          follow_redirects=True).get_data(as_text=True)
    assert "Berkas SK (PDF): wajib diisi." in missing
    assert fingerprint(demo_engine) == before

    done = post(form, ("SK Bupati 45.pdf", PDF))
    assert "Tersimpan: Catat keputusan sanksi" in done
    table = re.search(r'<table[^>]*id="sanctions".*?</table>', done, re.S).group(0)
    assert "Terlapor Uji 1" in table and "Terlapor Uji 2" not in table  # only the agency's own employee
    assert "Hukuman disiplin sedang: pemotongan tunjangan kinerja 25% selama 9 bulan" in table  # recommended
    assert "Hukuman disiplin sedang: pemotongan tunjangan kinerja 25% selama 6 bulan" in table  # imposed
    assert "800.1.6.3/45/BKPSDM/2024, 1 April 2024" in table
    assert "Edi Damansyah (uji), Bupati Kutai Kartanegara" in table
    assert "1 Mei 2024 – 31 Oktober 2024" in table
    link = re.search(r'href="(/kasus/[^"]+/sk/\d+)"', table).group(1)
    download = bkpsdm.get(link)
    assert download.data == PDF and download.mimetype == "application/octet-stream"
    assert download.headers["Content-Disposition"] == 'attachment; filename="SK_Bupati_45.pdf"'
    # scoped like evidence: whoever sees that person on the case, nobody else
    assert client_as(app, "penangan.kukar").get(link).status_code == 200
    assert client_as(app, "penangan.kaltim").get(link).status_code == 200
    assert client_as(app, "admin").get(link).status_code == 404
    other_regency = client_as(app, "penangan.ri")
    assert other_regency.get(link).status_code == 200  # RI sees all
    # bkpsdm.kaltim (the demo's Pemprov Kaltim officer) sees the case (its employee), not this person
    province = client_as(app, "bkpsdm.kaltim")
    assert province.get(f"/kasus/{number}").status_code == 200
    assert province.get(link).status_code == 404
    assert client_as(app, "bkpsdm.kukar").get(link.rsplit("/", 1)[0] + "/999999").status_code == 404
