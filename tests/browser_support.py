"""What every browser test shares: Debian's Chromium driven by Playwright, the desk served on loopback (the
`browser` and `live` fixtures are in conftest.py), logging in, taking a step, screenshots and the axe-core check.

Screenshots land in $TMPDIR/netra-screenshots-<pid>/ to be looked at; NETRA_WRITE_DOCS=1 refreshes
docs/screenshots/ instead — a test run does not rewrite committed files."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

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
