"""The public side in Chromium at phone width (issue 20): a citizen reports from a phone without knowing the NIP
and gets a code; a handler on a phone triages it from the inbox into a laporan, which the code then follows."""
from datetime import timedelta

from playwright.sync_api import expect

from casework.models import utcnow
from casework.reference.timezones import local_today
from tests.browser_support import AXE_JS, SHOTS, axe_problems, open_as

PHONE = 390


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE


def test_a_citizen_reports_from_a_phone_and_a_handler_takes_it_up(browser, live, tmp_path):
    base, _sessions = live
    today = local_today("WITA", utcnow())
    photo = tmp_path / "foto-apel.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)

    citizen = open_as(browser, base, None, width=PHONE, init_script=AXE_JS)
    citizen.goto(f"{base}/lapor")
    no_sideways_scroll(citizen)
    citizen.click("button[type=submit]")  # nothing filled in: every problem beside its field, nothing saved
    expect(citizen.locator("#problems")).to_be_visible()
    expect(citizen.locator("#consent-error")).to_be_visible()
    assert not axe_problems(citizen)  # the form with its problems shown (the walk checks it empty)
    citizen.select_option("#regency", "6402")
    citizen.fill("#place", "Halaman Kantor Dinas Pendidikan, Tenggarong")
    citizen.fill("#occurred_on", (today - timedelta(days=1)).isoformat())
    citizen.fill("#known_on", today.isoformat())
    citizen.select_option("#violation", "etik.deklarasi")
    citizen.fill("#summary", "Kepala dinas mengajak guru hadir deklarasi")
    citizen.fill("#chronology", "Saat apel pagi, kepala dinas mengajak para guru menghadiri deklarasi pasangan calon.")
    citizen.fill("#name0", "Hendra Fiktif")
    citizen.fill("#position0", "Kepala Dinas Pendidikan")
    citizen.fill("#agency0", "Dinas Pendidikan Kutai Kartanegara")  # no NIP: it becomes initial information
    citizen.set_input_files("#evidence", str(photo))
    citizen.fill("#reporter_name", "Maya Contoh")
    citizen.fill("#reporter_address", "Jl. Melati 7, Tenggarong")
    citizen.fill("#reporter_phone", "081200000123")
    citizen.check("#consent")
    citizen.screenshot(path=str(SHOTS / "lapor-390.png"), full_page=True)
    citizen.click("button[type=submit]")
    expect(citizen.locator("h1")).to_contain_text("Informasi Anda diterima")
    code = citizen.locator("#code").inner_text()
    no_sideways_scroll(citizen)
    assert not axe_problems(citizen)
    citizen.screenshot(path=str(SHOTS / "lapor-diterima-390.png"), full_page=True)

    handler = open_as(browser, base, "penangan.kukar", width=PHONE)
    handler.goto(f"{base}/informasi-awal/")
    no_sideways_scroll(handler)
    handler.locator("#inbox a", has_text="#").first.click()  # the newest first: the citizen's
    expect(handler.locator("#item-body")).to_contain_text("kepala dinas mengajak")
    no_sideways_scroll(handler)
    handler.click("#take-up-laporan")
    expect(handler.locator("#from-information")).to_be_visible()
    expect(handler.locator("#reporter_name")).to_have_value("Maya Contoh")
    expect(handler.locator("#name0")).to_have_value("Hendra Fiktif")
    handler.select_option("#election", "simulasi-pilkada-6402")
    handler.fill("#nip0", "197805052005011002")  # learned when the reporter came in person
    handler.fill("#agency0", "pemkab-6402")
    handler.screenshot(path=str(SHOTS / "informasi-awal-jadikan-laporan-390.png"), full_page=True)
    handler.click("#intake button[type=submit]")
    expect(handler.locator(".alert-success").first).to_contain_text("Kasus baru tercatat")
    expect(handler.locator("#evidence")).to_contain_text("foto-apel.png")  # the item's file, now evidence
    number = handler.locator("h1").inner_text().split()[1]

    citizen.goto(f"{base}/status")
    citizen.fill("#code", code)
    citizen.click("button[type=submit]")
    expect(citizen.locator("#report")).to_contain_text(number)
    citizen.context.close()
    handler.context.close()
