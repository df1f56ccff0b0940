"""The roads of issue 18, once each in Chromium, as their users take them on the desk: a village head entered at
intake with NIK and village; a suspected crime declared by the head and forwarded to the police by the handler; a
village head's bupati's answer recorded; an objection upheld by the BKPSDM; a withdrawn report taken up as a
finding; BKN rejecting a forward and recording its block; a BKPSDM saying its employee left the service. Each ends
on the case page that shows it."""
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from casework.models import Agency, Case, ReportedASN, SanctionAppeal, utcnow
from casework.reference.timezones import zoneinfo
from tests.browser_support import log_in, take
from tests.builder import Builder, Person

NIK = "6402014207880002"  # Kutai Kartanegara, a woman born 2 July 1988


def demo_case(sessions, **where) -> tuple[str, str]:
    """A demo case with a person matching `where` (column=value): its number and that person's identifier."""
    with sessions() as session:
        person = session.scalars(select(ReportedASN).filter_by(**where).order_by(ReportedASN.id)).first()
        return session.get(Case, person.case_id).number, person.nip


def test_the_new_roads_once_in_the_browser(browser, live):
    base, sessions = live
    handler = log_in(browser, base, "penangan.kukar")

    # a village head, entered at intake: the kind, the village and a NIK instead of a NIP
    handler.goto(f"{base}/kasus-baru/")
    received = handler.input_value("#received_on")
    handler.select_option("#election", "simulasi-pilkada-6402")
    for field, value in {"#place": "Balai Desa Loa Ipuh", "#occurred_on": received, "#known_on": received,
                         "#summary": "Kepala desa mengajak warga memilih", "#chronology": "Ajakan di balai desa.",
                         "#reporter_name": "Pelapor Uji", "#reporter_address": "Jl. Uji 3", "#nip0": NIK,
                         "#name0": "Kades Uji", "#position0": "Kepala Desa", "#agency0": "pemkab-6402",
                         "#village0": "Desa Loa Ipuh"}.items():
        handler.fill(field, value)
    handler.select_option("#person_kind0", "village_head")
    handler.check("#v-etik\\.interaksi_medsos")
    handler.click("#intake button[type=submit]")
    expect(handler.locator(".alert-success")).to_contain_text("Kasus baru tercatat")
    expect(handler.locator("#reported")).to_contain_text("Kepala desa Desa Loa Ipuh")
    expect(handler.locator("#reported")).to_contain_text(f"NIK {NIK}")

    # a suspected crime: declared by the head last night, forwarded by the handler now — within 1 x 24 hours
    case = Builder(sessions).laporan(Person("Terlapor Pidana")).register()
    now = utcnow().astimezone(zoneinfo("WITA"))
    head = log_in(browser, base, "ketua.kukar")
    head.goto(f"{base}/kasus/{case.number}")
    take(head, "declare_crime", track=case.nips[0], acted_on=(now.date() - timedelta(days=1)).isoformat(),
         declared_time="23:00", article="UU 7/2017 Ps. 494", reasoning="Sentra Gakkumdu: ikut berkampanye")
    expect(head.locator("#criminal")).to_contain_text("Dugaan tindak pidana")
    handler.goto(f"{base}/kasus/{case.number}")
    take(handler, "forward_to_police", track=case.nips[0], acted_on=now.date().isoformat(),
         sent_time=(now - timedelta(minutes=1)).strftime("%H:%M"))
    expect(handler.locator("#criminal")).to_contain_text("Penyidikan Kepolisian")

    # the bupati answers for the demo's village head: recorded by the handler, shown with the sanctions
    number, nik = demo_case(sessions, person_kind="village_head", track_stage="body_follow_up")
    handler.goto(f"{base}/kasus/{number}")
    take(handler, "record_body_outcome", track=nik, outcome="sanctioned", answer_reference="141/9/DPMD/2026",
         action="Teguran tertulis")
    expect(handler.locator("#sanctions")).to_contain_text("Teguran tertulis")

    # an objection awaiting its decision: upheld, as the BKPSDM records it
    with sessions() as session:
        appeal = session.scalars(select(ReportedASN).where(
            ReportedASN.appeals.any(SanctionAppeal.outcome.is_(None)))).first()
        number, nip = session.get(Case, appeal.case_id).number, appeal.nip
    bkpsdm = log_in(browser, base, "bkpsdm.kukar")
    bkpsdm.goto(f"{base}/kasus/{number}")
    take(bkpsdm, "record_appeal_decision", track=nip, outcome="upheld", decision_number="800/KBR/9/2026")
    expect(bkpsdm.locator("#appeals")).to_contain_text("Dikuatkan")

    # a withdrawn report taken up as a finding
    with sessions() as session:
        number = session.scalar(select(Case.number).where(Case.stage.in_(["withdrawn", "not_registered"]),
                                                          Case.source == "laporan", Case.regency_code == "6402")
                                .order_by(Case.id))
    handler.goto(f"{base}/kasus/{number}")
    take(handler, "take_up_as_finding", found_by="Panwaslu Kecamatan Tenggarong")
    expect(handler.locator("#timeline")).to_contain_text("Dijadikan temuan")

    # the other ends of an ASN's track: BKN rejects a forward, a BKPSDM says its employee left the service, and BKN's
    # block of a late PPK's employee is recorded — each by whoever the access rules give it to
    number, nip = demo_case(sessions, track_stage="oversight_review", person_kind="asn")
    bkn = log_in(browser, base, "pengawas.bkn")
    bkn.goto(f"{base}/kasus/{number}")
    take(bkn, "record_oversight_recommendation", track=nip, outcome="rejected",
         reason="Terlapor tenaga honorer, bukan ASN")
    expect(bkn.locator("#reported")).to_contain_text("Ditolak")
    with sessions() as session:
        late = session.scalars(select(ReportedASN).where(ReportedASN.escalation_step > 0,
                                                         ReportedASN.track_stage == "agency_follow_up")).first()
        number, nip = session.get(Case, late.case_id).number, late.nip
    bkn.goto(f"{base}/kasus/{number}")
    take(bkn, "record_block", track=nip, reference="B-77/SIASN/XII/2026")
    expect(bkn.locator("#blocks")).to_contain_text("masih diblokir")
    with sessions() as session:
        waiting = session.scalars(select(ReportedASN).join(Agency).where(
            ReportedASN.escalation_step == 0, ReportedASN.track_stage == "agency_follow_up",
            Agency.code == "pemkab-6402")).first()
        number, nip = session.get(Case, waiting.case_id).number, waiting.nip
    bkpsdm.goto(f"{base}/kasus/{number}")
    take(bkpsdm, "record_left_service", track=nip, left_reason="retired")
    expect(bkpsdm.locator("#reported")).to_contain_text("Tidak lagi ASN")
