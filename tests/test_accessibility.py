"""Accessibility and fit: no page scrolls sideways and axe-core (WCAG 2.1 A and AA rules) finds no serious or
critical violation on any desk or public page, in Indonesian and in English, on a phone and on a PC; a step form on
the case page works with the keyboard alone, its focus visible.

One browser context per (language, width), every page visited in it: two tests, shared by the two workers."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from casework.models import Case
from tests.browser_support import AXE_JS, axe_problems, desk_pages, open_as


# each language and each width walked, in two walks (the suite's time budget): Indonesian on a phone, English on a
# PC — a page's layout does not depend on its language, nor its words on the width (test_browser_words,
# test_browser_layout check those at both)
@pytest.mark.parametrize("lang, width", [("id", 390), ("en", 1366)])
def test_every_page_fits_its_width_and_axe_finds_no_serious_violation(browser, live, lang, width):
    """One walk for two checks (a page load is most of the time): no page scrolls sideways
    (document.documentElement.scrollWidth <= the viewport's width: Tugas saya was 570 px wide at 390, the case page
    up to 517, Pemilihan 702), and axe-core's WCAG 2.1 A/AA rules find nothing serious or critical."""
    base, sessions = live
    problems = {}
    for user, paths in desk_pages(sessions).items():
        page = open_as(browser, base, user, width=width, lang=lang, init_script=AXE_JS)
        for path in paths:
            page.goto(base + path)
            found = axe_problems(page)
            if (scroll := page.evaluate("document.documentElement.scrollWidth")) > width:
                found.append(f"{scroll} px wide: scrolls sideways")
            bilingual = path == "/status" or path.startswith("/verifikasi/")  # Indonesian first, English aside
            if page.locator("html").get_attribute("lang") != ("id" if bilingual else lang):
                found.append(f"html lang={page.locator('html').get_attribute('lang')}")
            if found:
                problems[f"{user} {path}"] = found
        page.context.close()
    assert not problems, "\n".join(f"{where}\n  " + "\n  ".join(found) for where, found in problems.items())


def test_a_step_form_works_with_the_keyboard_alone(browser, live):
    base, sessions = live
    with sessions() as session:
        number = session.scalar(select(Case.number).where(Case.regency_code == "6402", Case.stage == "received")
                                .order_by(Case.id).limit(1))
    page = open_as(browser, base, "penangan.kukar", width=390)
    page.goto(f"{base}/kasus/{number}")
    form = page.locator("form[data-step='begin_review']")
    expect(form).to_be_visible()
    button = form.locator("button[type=submit]")
    for _ in range(60):  # Tab through the page until the step's button has the focus
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    else:
        raise AssertionError("the step's button is never reached with Tab")
    # the focus is visible: an outline or a box-shadow ring around the focused button
    ring = button.evaluate("b => { const s = getComputedStyle(b); return [s.outlineStyle, s.boxShadow]; }")
    assert ring[0] != "none" or ring[1] != "none", ring
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Tersimpan")
    expect(page.locator("h1")).to_contain_text("Kajian awal")
    page.context.close()
