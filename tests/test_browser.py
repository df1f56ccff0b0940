"""The desk in a real browser (tests/browser_support.py: Chromium, the app on loopback, screenshots).

A case walks from the intake form to a recorded sanction across four users (handler, head, oversight officer,
BKPSDM officer), with evidence uploaded on the way; a handler of another regency gets 404 for its URL; the language
switches.
"""

from playwright.sync_api import expect
from sqlalchemy import select

from casework.models import Case, utcnow
from casework.reference.timezones import local_today
from demo.loader import demo_case_plan
from tests.browser_support import SHOTS, log_in, take

DEMO_CASES = len(demo_case_plan())


def test_each_role_logs_in_and_sees_its_desk(browser, live):
    base, _ = live
    for username, name in [("penangan.kukar", "Rina Anggraeni"), ("ketua.kukar", "Hendra Saputro"),
                           ("pengawas.bkn", "Maria Simanjuntak"), ("bkpsdm.kukar", "Agus Wicaksana"),
                           ("auditor", "Sri Handayani"), ("admin", "Administrator Netra")]:
        page = log_in(browser, base, username, shot="login.png" if username == "penangan.kukar" else None)
        expect(page.locator("nav")).to_contain_text(name)
        if username == "penangan.kukar":
            page.screenshot(path=str(SHOTS / "tugas-saya.png"), full_page=True)
            page.goto(f"{base}/kasus-daftar/")
            page.screenshot(path=str(SHOTS / "daftar-kasus.png"), full_page=True)
        page.close()


def test_a_case_from_intake_to_sanction_across_four_users(browser, live, tmp_path):
    base, sessions = live
    handler = log_in(browser, base, "penangan.kukar")
    handler.goto(f"{base}/kasus-baru/")
    received = handler.input_value("#received_on")  # pre-filled with today's date in WITA
    handler.select_option("#election", "simulasi-pilkada-6402")
    handler.fill("#place", "Balai Desa Loa Kulu")
    handler.fill("#occurred_on", received)
    handler.fill("#known_on", received)
    handler.fill("#summary", "ASN membagikan ajakan memilih di grup WhatsApp warga")
    handler.fill("#chronology", "Terlapor mengirim poster pasangan calon dengan ajakan memilih ke grup warga.")
    handler.check("#v-etik\\.interaksi_medsos")
    handler.fill("#reporter_name", "Pelapor Fiktif")
    handler.fill("#reporter_address", "Jl. Contoh No. 1, Tenggarong")
    handler.fill("#nip0", "198503122010011003")
    handler.fill("#name0", "Terlapor Fiktif")
    handler.fill("#position0", "Guru SD Negeri")
    handler.fill("#agency0", "pemkab-6402")  # typed or picked from the list by name or code: none preselected
    handler.check("#c-formal\\.reporter_identity")
    handler.screenshot(path=str(SHOTS / "kasus-baru.png"), full_page=True)
    handler.click("#intake button[type=submit]")
    expect(handler.locator(".alert-success")).to_contain_text("Kasus baru tercatat")
    number = handler.locator("h1").inner_text().split()[1]
    nip = "198503122010011003"

    evidence = tmp_path / "tangkapan-layar.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    handler.set_input_files("#upload input[type=file]", str(evidence))
    handler.click("#upload button[type=submit]")
    expect(handler.locator("#evidence")).to_contain_text("tangkapan-layar.png")

    take(handler, "begin_review")
    take(handler, "register")
    # the reported ASN are ticked by default; the hearing today (WITA), so its minutes may follow at once
    take(handler, "invite_clarification", hearing_date=local_today("WITA", utcnow()).isoformat(),
         hearing_time="09:00", hearing_place="Kantor Bawaslu Kabupaten Kutai Kartanegara")
    take(handler, "record_clarification", minutes="Terlapor mengakui mengunggah ajakan memilih.")
    take(handler, "submit_study", conclusion="Unsur pelanggaran netralitas terpenuhi.")
    expect(handler.locator("h1")).to_contain_text("Pleno")
    handler.screenshot(path=str(SHOTS / "kasus.png"), full_page=True)

    head = log_in(browser, base, "ketua.kukar")
    head.goto(f"{base}/kasus/{number}")
    # the plenary decides per reported person, on the day it was held (today, pre-filled)
    expect(head.locator("form[data-step='decide_plenary'] [name='acted_on']")).to_have_value(received)
    take(head, "decide_plenary", **{f"outcomes.{nip}.outcome": "violation"},
         reasoning="Terbukti melanggar netralitas ASN.")
    expect(head.locator("h1")).to_contain_text("Diputus pleno")
    expect(head.locator(f"#plenary [data-nip='{nip}']")).to_contain_text("Pelanggaran netralitas")
    expect(head.locator("form[data-step='decide_plenary']")).to_have_count(0)  # not offered again
    for width in (390, 1366):
        head.set_viewport_size({"width": width, "height": 900})
        head.screenshot(path=str(SHOTS / f"kasus-pleno-{width}.png"), full_page=True)
    take(head, "forward")
    expect(head.locator("h1")).to_contain_text("Diteruskan")

    oversight = log_in(browser, base, "pengawas.bkn")
    oversight.goto(f"{base}/kasus/{number}")
    take(oversight, "record_oversight_recommendation", track=nip, outcome="sanction_recommended",
         sanction="moral.terbuka")

    bkpsdm = log_in(browser, base, "bkpsdm.kukar")
    bkpsdm.goto(f"{base}/")
    expect(bkpsdm.locator("#my-work")).to_contain_text(number)  # referred: now on the agency's desk
    bkpsdm.goto(f"{base}/kasus/{number}")
    expect(bkpsdm.locator("#reporter")).not_to_contain_text("Pelapor Fiktif")  # whistle-blower protection
    decree = tmp_path / "sk-77.pdf"
    decree.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    take(bkpsdm, "record_sanction", track=nip, sanction_level="moral", sanction="moral.terbuka",
         decree_number="800.1.6.3/77/BKPSDM/2026", decree_date=received, decree_signer_name="Bupati (fiktif)",
         decree_pdf=str(decree))
    expect(bkpsdm.locator("h1")).to_contain_text("Selesai")
    expect(bkpsdm.locator("#sanctions")).to_contain_text("800.1.6.3/77/BKPSDM/2026")
    with sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert case.stage == "closed" and case.reported[0].decree_number == "800.1.6.3/77/BKPSDM/2026"
        assert [e.original_name for e in case.evidence] == ["tangkapan-layar.png"]
        # the decree closes the track, and the case closes by itself with it (recorded as Netra's)
        assert [h.actor for h in case.history][-4:] == ["ketua.kukar", "pengawas.bkn", "bkpsdm.kukar", "netra-system"]


def test_another_regency_gets_404_and_language_switches(browser, live):
    base, sessions = live
    with sessions() as session:
        samarinda = session.scalar(select(Case.number).where(Case.regency_code == "6472").order_by(Case.id))
    page = log_in(browser, base, "penangan.kukar")
    response = page.goto(f"{base}/kasus/{samarinda}")
    assert response.status == 404
    page.goto(f"{base}/")
    page.click("a:text-is('EN')")
    expect(page.locator("h1")).to_have_text("My work")
    page.click("a:text-is('ID')")
    expect(page.locator("h1")).to_have_text("Tugas saya")


def test_the_dashboard_draws_its_charts_without_script(browser, live):
    base, _ = live
    page = log_in(browser, base, "penangan.ri")
    page.goto(f"{base}/dasbor/")
    expect(page.locator("h1")).to_have_text("Dasbor")
    chart = page.locator("svg#chart-stage")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 300 and chart.locator("rect").count() >= 12
    expect(page.locator("#heat-table")).to_contain_text("Kota Samarinda")
    expect(page.locator("[data-total='cases']")).to_have_text(str(DEMO_CASES))
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)


def test_an_administrator_adds_an_election_and_the_ladder_says_whose_power(browser, live):
    """Issue 16 in the browser: the system administrator adds Pemilu 2029 on the desk (a second time it is refused,
    nothing saved); the handler's escalation form names each rung's power and basis."""
    base, sessions = live
    admin = log_in(browser, base, "admin")
    admin.goto(f"{base}/pemilihan/")
    expect(admin.locator("#elections")).to_contain_text("pemilu-2024")
    for name, value in [("code", "pemilu-2029"), ("name", "Pemilu 2029"), ("starts_on", "2027-06-14"),
                        ("voting_day", "2029-02-14"), ("ends_on", "2029-10-20"), ("basis", "PKPU (uji)")]:
        admin.fill(f"#{name}", value)
    admin.select_option("#kind", "pemilu")
    admin.click("#election-form button[type=submit]")
    expect(admin.locator(".alert-success")).to_contain_text("Pemilu 2029")
    expect(admin.locator("#elections")).to_contain_text("pemilu-2029")
    for width in (390, 1366):
        admin.set_viewport_size({"width": width, "height": 900})
        admin.screenshot(path=str(SHOTS / f"pemilihan-{width}.png"), full_page=True)
    admin.fill("#code", "pemilu-2029-lagi")
    admin.fill("#name", "Pemilu 2029 (ganda)")
    for name, value in [("starts_on", "2027-06-14"), ("voting_day", "2029-02-14"), ("ends_on", "2029-10-20")]:
        admin.fill(f"#{name}", value)
    admin.click("#election-form button[type=submit]")
    expect(admin.locator("#problems")).to_be_visible()  # overlaps Pemilu 2029: refused, nothing saved
    admin.goto(f"{base}/pemilihan/")
    expect(admin.locator("#elections")).not_to_contain_text("pemilu-2029-lagi")

    with sessions() as session:
        numbers = session.scalars(select(Case.number).where(Case.regency_code == "6402", Case.stage == "forwarded")
                                  .order_by(Case.id)).all()
    handler = log_in(browser, base, "penangan.kukar")
    for number in numbers:
        handler.goto(f"{base}/kasus/{number}")
        if handler.locator("form[data-step='escalate']").count():
            break
    else:
        raise AssertionError("no Kukar case owes an escalation in the demo")
    rungs = handler.locator("form[data-step='escalate'] [data-next-rungs] li").first
    expect(rungs).to_contain_text("Kewenangan")
    expect(rungs).to_contain_text("Dasar")
    handler.screenshot(path=str(SHOTS / "eskalasi.png"), full_page=True)
