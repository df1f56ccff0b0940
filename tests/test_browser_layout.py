"""The desk on a phone (390 px) and on an office PC (1366 px): tables become cards on a phone, the case page puts
the next step's forms first on a phone and on the right on a PC, touch targets are at least 44 px, the dashboard's
labels are whole, the login URL is clean. (No page scrolls sideways: checked in the accessibility walk,
tests/test_accessibility.py.) Screenshots at both widths (tests/browser_support.py SHOTS; NETRA_WRITE_DOCS=1
refreshes docs/screenshots, shown in the README)."""

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect
from sqlalchemy import select

from casework.models import Case
from tests.browser_support import SHOTS, open_as

PHONE, PC = 390, 1366
TARGET = 44  # px, WCAG 2.5.5's target size: a thumb on a phone


# No page scrolls sideways at either width: checked on every page in the accessibility walk
# (tests/test_accessibility.py), which loads each page in both languages at both widths anyway.


def _small_targets(page, selector):
    """The visible elements matching `selector` less than 44 px tall or wide, with their size."""
    return page.eval_on_selector_all(selector, f"""els => els.filter(e => e.offsetParent !== null).map(e => {{
        const r = e.getBoundingClientRect();
        return r.width < {TARGET} || r.height < {TARGET} ? `${{e.outerHTML.slice(0, 80)}} ${{r.width}}x${{r.height}}` : null;
    }}).filter(Boolean)""")


def test_on_a_phone_tables_are_cards_steps_come_first_and_targets_are_big(browser, live):
    base, sessions = live
    with sessions() as session:
        number = session.scalar(select(Case.number).where(Case.regency_code == "6402", Case.stage == "plenary")
                                .order_by(Case.id).limit(1))
    # the login URL is clean: no stray "?next=/?" when the home page sends an anonymous visitor to sign in
    phone = open_as(browser, base, None, width=PHONE)
    phone.goto(f"{base}/")
    assert phone.url == f"{base}/login"
    phone.goto(f"{base}/kasus-daftar/?search=Guru")
    assert parse_qs(urlsplit(phone.url).query) == {"next": ["/kasus-daftar/?search=Guru"]}  # kept where it counts
    phone.context.close()

    phone = open_as(browser, base, "ketua.kukar", width=PHONE)
    phone.goto(f"{base}/")
    work = phone.locator("#my-work")
    expect(work.locator("thead")).to_be_hidden()  # each row is a card; each cell says what it is
    cell = work.locator("tbody tr").first.locator("td").nth(3)
    assert cell.get_attribute("data-label") == "Langkah"
    assert phone.evaluate("e => getComputedStyle(e, '::before').content", cell.element_handle()) == '"Langkah"'
    phone.screenshot(path=str(SHOTS / "tugas-saya-390.png"))
    phone.goto(f"{base}/kasus-daftar/")  # Flask-Admin's list, cards as well
    expect(phone.locator(".model-list thead")).to_be_hidden()
    assert phone.locator(".model-list tbody tr").first.locator("td[data-label='Nomor']").count() == 1
    phone.goto(f"{base}/")
    toggler = phone.locator(".navbar-toggler")
    assert _small_targets(phone, ".navbar-toggler, #my-work a") == []
    toggler.click()
    assert _small_targets(phone, "nav a, nav button") == []

    phone.goto(f"{base}/kasus/{number}")
    steps = phone.locator("#steps")
    summary = phone.locator("h2:has-text('Ringkasan')")
    assert steps.bounding_box()["y"] < summary.bounding_box()["y"]  # the next step first, above the record
    # a checkbox is reached through its label, which is the 44 px row
    assert _small_targets(phone, "#steps button, #steps select, #steps input:not([type=hidden]):not([type=checkbox]), "
                                 "#steps .form-check-label, #steps summary, table a") == []
    phone.screenshot(path=str(SHOTS / "kasus-390.png"))

    pc = open_as(browser, base, "ketua.kukar", width=PC)
    pc.goto(f"{base}/")
    expect(pc.locator("#my-work thead")).to_be_visible()  # a table on a PC
    pc.screenshot(path=str(SHOTS / "tugas-saya-1366.png"))
    pc.goto(f"{base}/kasus/{number}")
    steps, summary = pc.locator("#steps").bounding_box(), pc.locator("h2:has-text('Ringkasan')").bounding_box()
    assert steps["x"] > summary["x"] + summary["width"] and steps["y"] < summary["y"] + 200  # the right column
    pc.screenshot(path=str(SHOTS / "kasus-1366.png"))

    # the dashboard's numbers at the end of a bar stay inside the chart ("100% tepat waktu (5 dari 5)", whole)
    pc.goto(f"{base}/dasbor/")
    cut = pc.eval_on_selector_all("svg.netra-chart", """charts => charts.flatMap(svg => {
        const box = svg.viewBox.baseVal;
        return [...svg.querySelectorAll('text')].map(t => t.getBBox())
            .filter(b => b.x + b.width > box.width + 0.5).map(b => svg.id + ' ' + (b.x + b.width));
    })""")
    assert cut == []
    pc.context.close()
    phone.context.close()
