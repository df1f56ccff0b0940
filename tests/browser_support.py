"""What every browser test shares: Debian's Chromium driven by Playwright, the desk served on loopback (the
`browser` and `live` fixtures are in conftest.py), logging in, taking a step, screenshots and the axe-core check.

Screenshots land in $TMPDIR/netra-screenshots-<pid>/ to be looked at; NETRA_WRITE_DOCS=1 refreshes
docs/screenshots/ instead — a test run does not rewrite committed files."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import axe_playwright_python
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-default-browser-check"]
PASSWORD = "netra-demo"
WIDTHS = (390, 1366)  # a phone and an office PC

if os.environ.get("NETRA_WRITE_DOCS") == "1":
    SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
else:
    SHOTS = Path(tempfile.gettempdir()) / f"netra-screenshots-{os.getpid()}"
SHOTS.mkdir(parents=True, exist_ok=True)


# axe-core as axe-playwright-python ships it, loaded by the context into every page (an init script) instead of
# being sent over and compiled again for each check (its Axe.run evaluates the 570 kB script every time)
AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"], "preload": False}  # no refetch of every stylesheet for a rule outside WCAG A/AA


def axe_problems(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page (its context loaded AXE_JS)."""
    found = page.evaluate(f"axe.run(document, {json.dumps(WCAG)})")["violations"]
    return [f"{v['id']} ({v['impact']}) {n['target']}: {' '.join(n.get('failureSummary', '').split())[:200]}"
            for v in found if v["impact"] in ("serious", "critical") for n in v["nodes"][:4]]


def log_in(browser, base, username, *, shot=None, width=1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{base}/login")
    if shot:
        page.screenshot(path=str(SHOTS / shot))
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#my-work, p:has-text('Tidak ada kasus')").first).to_be_visible()
    return page


def take(page, step, **fields):
    """Fill a step's form on the case page and submit it; expects it saved."""
    form = page.locator(f"form[data-step='{step}']")
    for name, value in fields.items():
        field = form.locator(f"[name='{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        elif field.get_attribute("type") == "file":
            field.set_input_files(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Tersimpan")


# --- every page a person sees, for the layout and accessibility checks (tests/test_browser_layout.py,
# tests/test_accessibility.py) -------------------------------------------------------------------------------------
CASE_STAGES = ("received", "plenary", "forwarded", "closed")  # the case page at a few stages, Kutai Kartanegara's


def desk_pages(sessions) -> dict[str, list[str]]:
    """user -> the paths they open; None -> the public pages (no login)."""
    from sqlalchemy import select

    from casework.models import Case, InformationItem, Letter, LetterRequest

    with sessions() as session:
        cases = [session.scalar(select(Case.number).where(Case.regency_code == "6402", Case.stage == stage)
                                .order_by(Case.id).limit(1)) for stage in CASE_STAGES]
        token = session.scalar(select(Letter.verify_token).where(Letter.verify_token.is_not(None)).limit(1))
        request = session.scalar(select(LetterRequest.id).where(LetterRequest.status == "open").limit(1))
        item = session.scalar(select(InformationItem.id).where(InformationItem.channel == "whatsapp").limit(1))
    if token is None:  # the demo owes letters but has issued none: issue one (a stand-in PDF, no WeasyPrint)
        from casework.access.principal import SYSTEM
        from casework.letters.issue import issue_letter
        from casework.settings import Settings

        token = issue_letter(sessions, request, SYSTEM, settings=Settings.from_env(),
                             render=lambda context: b"%PDF-1.4\n%%EOF\n").verify_token
    return {
        "penangan.kukar": ["/", "/kasus-daftar/", *[f"/kasus/{n}" for n in cases], "/kasus-baru/", "/dasbor/",
                           "/dasbor/peta", "/dasbor/peta?provinsi=&lapisan=ikp", "/liga-ppk/",
                           "/impor-status/", "/informasi-awal/", f"/informasi-awal/{item}",
                           f"/kasus-baru/?information={item}&source=laporan", "/akun/2fa",
                           "/data-kerawanan/?provinsi=64", "/pencegahan/", "/pencegahan/baru/pledge",
                           "/surat-kantor/imbauan"],
        "admin": ["/pemilihan/", "/pengguna/", "/penanda-tangan/", "/pengguna/new/", "/direktori/instansi/",
                  "/direktori/badan-pengawas/"],
        None: ["/login", "/status", "/lapor", "/pengumuman/", "/pengumuman/bawaslu-6402", "/statistik",
               f"/verifikasi/{token}", "/login/tautan", "/login/tautan/tidak-berlaku",
               "/halaman-yang-tidak-ada"],
    }


def open_as(browser, base, user, *, width, lang="id", init_script=None):
    """A page logged in as `user` (None: anonymous) in `lang`, at `width`, in a context of its own (with a script
    every page of it loads first, e.g. axe-core)."""
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 500 else 768})
    if init_script is not None:
        context.add_init_script(path=init_script)
    page = context.new_page()
    page.goto(f"{base}/bahasa/{lang}")
    if user:
        page.goto(f"{base}/login")
        page.fill("#username", user)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("nav")).to_be_visible()
    return page
