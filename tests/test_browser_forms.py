"""Forms as people use them, in Chromium (issue 17 items 1 and 4): after an error every value is kept, each
problem is beside its field (aria-describedby, aria-invalid) and listed at the top; a file sent is asked for again
by name; the agency is typed or picked by name or code, never preselected; the decree form starts from the
recommended sanction and filters penalties by level; a step that ends the case is an outlined danger button that
needs its reason and a ticked "Saya yakin"; the witness shows on the case page."""
from playwright.sync_api import expect

from tests.browser_support import SHOTS, log_in
from tests.builder import Builder, Person

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def shoot(page, name):
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def described_error(page, field, text):
    """The field is marked invalid and names, in its aria-describedby, an element that says `text`."""
    expect(field).to_have_attribute("aria-invalid", "true")
    ids = field.get_attribute("aria-describedby").split()
    assert any(text in page.locator(f"#{i}").inner_text() for i in ids), (ids, text)


def test_forms_keep_every_value_say_each_problem_beside_its_field_and_start_safely(browser, live, tmp_path):
    base, sessions = live
    b = Builder(sessions)
    handler = log_in(browser, base, "penangan.kukar")

    # intake: no agency preselected; an unknown one is said beside it, everything typed is kept
    handler.goto(f"{base}/kasus-baru/")
    agency = handler.locator("#agency0")
    expect(agency).to_have_value("")
    expect(agency).to_have_attribute("list", "agency-list")
    received = handler.input_value("#received_on")
    handler.select_option("#election", "simulasi-pilkada-6402")
    for field, value in {"#place": "Balai Desa", "#occurred_on": received, "#known_on": received,
                         "#summary": "Ajakan memilih di grup warga", "#chronology": "Poster paslon di grup warga.",
                         "#reporter_name": "Pelapor Uji", "#reporter_address": "Jl. Uji 2", "#nip0": "198503122010011004",
                         "#name0": "Terlapor Uji", "#position0": "Guru", "#agency0": "Dinas Yang Tidak Ada",
                         "#witness_name": "Saksi Uji Satu"}.items():
        handler.fill(field, value)
    handler.check("#v-etik\\.interaksi_medsos")
    handler.click("#intake button[type=submit]")
    expect(handler.locator("#problems")).to_contain_text("Dinas Yang Tidak Ada")
    described_error(handler, agency, "tidak dikenal")
    expect(handler.locator("#summary")).to_have_value("Ajakan memilih di grup warga")
    expect(handler.locator("#witness_name")).to_have_value("Saksi Uji Satu")
    expect(handler.locator("#election")).to_have_value("simulasi-pilkada-6402")
    shoot(handler, "form-kasus-baru-galat")
    handler.fill("#agency0", "pemkab-6402")
    handler.click("#intake button[type=submit]")
    expect(handler.locator(".alert-success")).to_contain_text("Kasus baru tercatat")
    # the witness is on the case page, for those who see the reporter
    expect(handler.locator("#witnesses")).to_contain_text("Saksi Uji Satu (Saksi)")
    # withdrawing ends the case: an outlined danger button, a required reason and a required "Saya yakin"
    withdraw = handler.locator("form[data-step='withdraw']")
    expect(withdraw.locator("button[type=submit]")).to_have_class("btn btn-outline-danger btn-sm")
    expect(withdraw.locator("[name='confirm']")).to_have_attribute("required", "")
    expect(withdraw.locator("[name='reason']")).to_have_attribute("required", "")
    expect(handler.locator("form[data-step='begin_review'] button")).to_have_class("btn btn-primary btn-sm")

    # the plenary: a person referred elsewhere without saying to whom — the choice and the reasoning stay
    two = b.laporan(Person("Terlapor Pertama"), Person("Terlapor Kedua")).to_plenary()
    head = log_in(browser, base, "ketua.kukar")
    head.goto(f"{base}/kasus/{two.number}")
    expect(head.locator("form[data-step='forward']")).to_have_count(0)  # nothing to forward before a decision
    plenary = head.locator("form[data-step='decide_plenary']")
    first, second = two.nips
    plenary.locator(f"[name='outcomes.{first}.outcome']").select_option("other_law")
    plenary.locator(f"[name='outcomes.{second}.outcome']").select_option("not_violation")
    plenary.locator("[name='reasoning']").fill("Pidana pemilu, bukan netralitas.")
    plenary.locator("button[type=submit]").click()
    plenary = head.locator("form[data-step='decide_plenary']")
    expect(plenary.locator("[data-problems]")).to_be_visible()
    expect(plenary.locator(f"[name='outcomes.{first}.outcome']")).to_have_value("other_law")
    expect(plenary.locator(f"[name='outcomes.{second}.outcome']")).to_have_value("not_violation")
    expect(plenary.locator("[name='reasoning']")).to_have_value("Pidana pemilu, bukan netralitas.")
    described_error(head, plenary.locator(f"[name='outcomes.{first}.to']"), "instansi tujuan")
    shoot(head, "form-pleno-galat")

    # the oversight body: a finding of not proven without its reason — the outcome stays, the error by the reason
    forwarded = b.laporan(Person("Terlapor Ketiga")).forward()
    nip = forwarded.nips[0]
    oversight = log_in(browser, base, "pengawas.bkn")
    oversight.goto(f"{base}/kasus/{forwarded.number}")
    form = oversight.locator("form[data-step='record_oversight_recommendation']")
    expect(form.locator("[name='outcome']")).to_have_value("")  # nothing chosen for the officer
    form.locator("[name='outcome']").select_option("not_proven")
    form.locator("button[type=submit]").click()
    form = oversight.locator("form[data-step='record_oversight_recommendation']")
    expect(form.locator("[name='outcome']")).to_have_value("not_proven")
    described_error(oversight, form.locator("[name='reason']"), "")

    # the decree: starts from the recommendation, penalties of the level only; after an error all is kept and the
    # PDF is asked for again by its name
    forwarded.recommend(nip, "disiplin.sedang.potong_tpk_6")
    bkpsdm = log_in(browser, base, "bkpsdm.kukar")
    bkpsdm.goto(f"{base}/kasus/{forwarded.number}")
    decree = bkpsdm.locator("form[data-step='record_sanction']")
    expect(decree.locator("[name='sanction_level']")).to_have_value("medium")
    expect(decree.locator("[name='sanction']")).to_have_value("disiplin.sedang.potong_tpk_6")
    offered = "s => Array.from(s.options).filter(o => !o.hidden && o.value).map(o => o.value)"
    assert "moral.terbuka" not in decree.locator("[name='sanction']").evaluate(offered)
    decree.locator("[name='sanction_level']").select_option("moral")
    assert decree.locator("[name='sanction']").evaluate(offered) == ["moral.tertutup", "moral.terbuka"]
    expect(decree.locator("[name='sanction'] option[value='disiplin.sedang.potong_tpk_6']")).to_be_disabled()
    decree.locator("[name='sanction']").select_option("moral.terbuka")
    pdf = tmp_path / "sk-uji.pdf"
    pdf.write_bytes(PDF)
    decree.locator("[name='decree_pdf']").set_input_files(str(pdf))
    decree.locator("[name='decree_date']").fill("2099-01-01")  # in the future: refused
    decree.locator("[name='decree_signer_name']").fill("Bupati (uji)")
    decree.locator("button[type=submit]").click()
    decree = bkpsdm.locator("form[data-step='record_sanction']")
    expect(decree.locator("[data-problems]")).to_be_visible()
    expect(decree.locator("[name='sanction_level']")).to_have_value("moral")
    expect(decree.locator("[name='sanction']")).to_have_value("moral.terbuka")
    expect(decree.locator("[name='decree_signer_name']")).to_have_value("Bupati (uji)")
    described_error(bkpsdm, decree.locator("[name='decree_number']"), "wajib")
    described_error(bkpsdm, decree.locator("[name='decree_pdf']"), "sk-uji.pdf")
    shoot(bkpsdm, "form-sk-galat")
