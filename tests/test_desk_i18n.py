"""No English leaks into the Indonesian desk, and the English desk is complete: Flask-Admin's own strings in
Indonesian (its 'admin' domain), the desk's texts from Netra's one catalog (tests/test_catalog.py checks the
catalog itself)."""
from pathlib import Path

import flask_admin
from babel.messages.pofile import read_po
from sqlalchemy import select

from casework.i18n.catalog import LOCALE_DIR
from casework.models import Case
from tests.helpers import client_as
from tests.test_desk import app  # noqa: F401  (the desk fixture, both backends)

ROOT = Path(__file__).resolve().parent.parent / "admin" / "translations"


def ids(path: Path) -> dict:
    with open(path, "rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_po(fh) if m.id}


def test_every_flask_admin_string_has_an_indonesian_translation():
    reference = Path(flask_admin.__file__).parent / "translations" / "de" / "LC_MESSAGES" / "admin.po"
    ours = ids(ROOT / "id" / "LC_MESSAGES" / "admin.po")
    missing = [k for k in ids(reference) if not ours.get(k)]
    assert missing == [] and len(ours) == len(ids(reference)) == 116


def test_every_desk_text_has_an_english_translation():
    template = ids(LOCALE_DIR / "netra.pot")
    english = ids(LOCALE_DIR / "en" / "LC_MESSAGES" / "netra.po")
    assert template and [k for k in template if not english.get(k)] == []


# --- the desk's English comes from the one catalog ------------------------------------------------------------------
def test_the_desk_shows_the_catalog_s_texts_in_either_language(app, demo_sessions):
    with demo_sessions() as session:
        number = session.scalar(select(Case.number).filter_by(regency_code="6402", stage="decided").order_by(Case.id))
    head = client_as(app, "ketua.kukar")
    seen = {}
    for lang in ("id", "en"):
        head.get(f"/bahasa/{lang}")
        seen[lang] = (head.get(f"/kasus/{number}").get_data(as_text=True)
                      + head.get("/tidak-ada").get_data(as_text=True))
    # a role name (roles.toml), a stage, two steps, a heading in the context 'heading', an error page
    for id_text, en_text in [("Ketua/Anggota Bawaslu (penandatangan)", "Bawaslu head (signs recommendations)"),
                             (">Diputus pleno<", ">Decided by the plenary<"),
                             (">Koreksi putusan pleno</h3>", ">Correct the plenary decision</h3>"),
                             ("Teruskan rekomendasi", "Forward the recommendation"),
                             (">ASN terlapor<", ">Reported civil servants<"),
                             ("Halaman tidak ditemukan", "Not found"), ("Kembali ke beranda", "Back to the start page")]:
        assert id_text in seen["id"] and en_text not in seen["id"], id_text
        assert en_text in seen["en"] and id_text not in seen["en"], en_text

    handler = client_as(app, "penangan.kukar")
    handler.get("/bahasa/en")
    intake = handler.get("/kasus-baru/").get_data(as_text=True)
    assert "Putting up banners or billboards promoting a prospective candidate" in intake  # violations.toml
    assert "Attending a candidate&#39;s declaration" in intake  # a rules file's text is escaped like any value
    assert "Reporter&#39;s name and address" in intake and "Time and place of the event" in intake  # the checklist


def test_an_empty_choice_is_asked_for_by_its_label_in_either_language(app, demo_sessions):
    """Issue 17: "jenis sanksi '' tidak dikenal" for a recommendation whose sanction was left at "-"."""
    import re

    from casework.models import ReportedASN
    from tests.helpers import csrf

    with demo_sessions() as session:
        rows = session.execute(select(Case.number, ReportedASN.nip).join(ReportedASN.case)
                               .where(ReportedASN.track_stage == "oversight_review").order_by(Case.id)).all()
    officer = client_as(app, "pengawas.bkn")
    for number, nip in rows:
        page = officer.get(f"/kasus/{number}").get_data(as_text=True)
        if 'data-step="record_oversight_recommendation"' in page:
            break
    else:
        raise AssertionError("no recommendation form for pengawas.bkn in the demo")
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    for lang, expected in (("id", "Jenis sanksi: belum dipilih; pilih salah satu."),
                           ("en", "Sanction: not chosen yet; choose one.")):
        officer.get(f"/bahasa/{lang}")
        response = officer.post(f"/kasus/{number}/langkah/record_oversight_recommendation", data={
            "csrf_token": csrf(page), "version": version, "track": nip, "acted_on": "",
            "outcome": "sanction_recommended", "sanction": "", "second_sanction": "", "reason": ""})
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and expected in html, lang
        assert "&#39;&#39;" not in html and "tidak dikenal" not in html
