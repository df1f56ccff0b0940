"""The map page in Chromium on a phone (390 px): it fits without sideways scrolling, Kutai Kartanegara on the map
is a link a thumb can follow to Kukar's case list, and axe-core finds no serious WCAG 2.1 A/AA violation."""
import re

from playwright.sync_api import expect

from tests.browser_support import AXE_JS, SHOTS, axe_problems, open_as


def test_the_map_on_a_phone_fits_and_kukar_opens_its_case_list(browser, live):
    base, _sessions = live
    page = open_as(browser, base, "penangan.kaltim", width=390, init_script=AXE_JS)
    page.goto(f"{base}/dasbor/peta")
    expect(page.locator("h1")).to_contain_text("Kalimantan Timur")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    kukar = page.locator('#peta a[data-code="6402"]')
    box = kukar.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box  # Kukar is big enough to tap
    page.screenshot(path=str(SHOTS / "peta-390.png"), full_page=True)
    assert axe_problems(page) == []
    kukar.click()
    expect(page).to_have_url(re.compile(r"/kasus-daftar/\?flt0_\d+=6402"))
    regencies = page.locator("td.col-regency\\.name, td:has-text('Kutai Kartanegara')")
    expect(regencies.first).to_be_visible()
    shown = set(page.locator("table tbody td").all_inner_texts())
    assert "Kabupaten Kutai Kartanegara" in shown and "Kota Samarinda" not in shown
    page.context.close()
