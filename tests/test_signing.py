"""Letters signed for real (issue 22): every letter kind signed with PAdES signatures — a paraf, then the signer —
validated by pyHanko and independently by poppler's pdfsig against a throw-away CA; a byte changed after signing
caught by both; issuing records each signature and refuses, with nothing written, a letter whose paraf official
has no key; the verification page checks the stored PDF and tells a tampered copy from the original; the remote
signer speaks BSrE's API shape to a loopback service."""
from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy import func, select

from casework.access.principal import principal_named
from casework.errors import CaseworkError
from casework.letters.issue import issue_letter, stored_pdf
from casework.letters.kinds import letter_kinds
from casework.letters.render import render_html, render_pdf
from casework.letters.signatures import PlannedSignature, SignaturePlan, sign_letter
from casework.models import AuditEvent, Case, Letter, LetterRequest, LetterSignature, Office, SigningOfficial, utcnow
from casework.settings import Settings
from casework.signing.check import check_pdf
from casework.signing.placement import SIZES
from tests.helpers import client_as, csrf
from tests.signing_support import flip_signed_byte, install_keys, nss_trusting, pdfsig, start_bsre, start_tsa
from tests.test_desk import app  # noqa: F401  (the desk fixture)
from tests.test_letter_layout import demo_letters  # noqa: F401  (every letter kind, as the demo owes it)

OFFICE = "bawaslu-x"
PARAF, HEAD = (OFFICE, 1, "Rina Anggraeni (demo)"), (OFFICE, 2, "Hendra Saputro (demo)")


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """Settings whose signing directory holds a throw-away CA, its CRL and two officials' keys; a TSA on
    loopback; an NSS store trusting the CA for pdfsig."""
    folder = tmp_path_factory.mktemp("signing")
    settings = Settings.from_env({"NETRA_VAR_DIR": str(folder / "var")})
    ca = install_keys(settings, [PARAF, HEAD])
    tsa = start_tsa(ca)
    yield {"settings": replace(settings, tsa_url=tsa.url), "plain": settings, "ca": ca, "tsa": tsa,
           "nss": nss_trusting(folder / "nss", ca), "folder": folder}
    tsa.stop()


def plan(paraf: bool) -> SignaturePlan:
    steps = ((PlannedSignature("paraf", PARAF[1], PARAF[2], "Koordinator Divisi"),) if paraf else ()) + (
        PlannedSignature("ttd", HEAD[1], HEAD[2], "Ketua"),)
    return SignaturePlan(OFFICE, "Tenggarong", "WITA", steps)


def test_the_boxes_the_layout_leaves_are_the_sizes_the_signer_draws_in(demo_letters):
    from weasyprint import HTML

    from casework.letters.render import TEMPLATES

    context = {**demo_letters["recommendation_to_oversight"][0][1], "signature": {"paraf": True}}
    anchors = {}
    for page in HTML(string=render_html(context), base_url=str(TEMPLATES)).render().pages:
        anchors.update(page.anchors)
    for role, (width, height) in SIZES.items():
        x1, y1, x2, y2 = anchors[f"netra-sig-{role}"]  # CSS px: 0.75 pt each
        assert (round((x2 - x1) * 0.75, 1), round((y2 - y1) * 0.75, 1)) == (round(width, 1), round(height, 1))


def test_every_letter_kind_is_signed_and_both_validators_accept_it_and_catch_a_changed_byte(demo_letters, pki,
                                                                                             tmp_path):
    settings, tsa_before = pki["settings"], pki["tsa"].requests
    for code, kind in letter_kinds().items():
        assert demo_letters[code], f"the demo owes no {code}"
        context = {**demo_letters[code][0][1], "signature": {"paraf": kind.paraf}}
        pdf, made = sign_letter(render_pdf(context), plan(kind.paraf), settings, number="1/X/2026", now=utcnow())
        assert [m.role for m in made] == (["paraf", "ttd"] if kind.paraf else ["ttd"]), code
        assert all(m.timestamped and m.certificate.issuer.startswith("Netra Demo Root CA") for m in made)

        finding = check_pdf(pdf, settings)
        assert finding.valid, (code, [s.problem for s in finding.signatures])
        assert [s.signer for s in finding.signatures] == [m.name for m in made]
        assert all(s.timestamp is not None for s in finding.signatures), code
        path = tmp_path / f"{code}.pdf"
        path.write_bytes(pdf)
        independent = pdfsig(path, pki["nss"])
        signatures = [s for s in independent if s.kind == "ETSI.CAdES.detached"]
        assert [(s.signer, s.valid, s.trusted) for s in signatures] == [(m.name, True, True) for m in made], code
        assert [s.signer for s in independent if s not in signatures] == ["Netra Test TSA"]  # B-LTA's timestamp

        _still_pdf_a(pdf, len(made))

        tampered = flip_signed_byte(pdf)
        assert not any(s.intact for s in check_pdf(tampered, settings).signatures), code
        path.write_bytes(tampered)
        assert not any(s.valid for s in pdfsig(path, pki["nss"])), code
    # each signature timestamped, and the last one's document timestamp (PAdES B-LTA)
    assert pki["tsa"].requests > tsa_before + len(letter_kinds())


def _still_pdf_a(pdf: bytes, signatures: int) -> None:
    """What PDF/A-3b asks of the signed file that the signature could break: the XMP identification kept, every
    font embedded (the stamp's too), each signature widget printable; and long-term validation data present."""
    reader = PdfFileReader(io.BytesIO(pdf))
    assert b"<pdfaid:part>3</pdfaid:part>" in reader.root["/Metadata"].data.replace(b'pdfaid:part="3"',
                                                                                   b"<pdfaid:part>3</pdfaid:part>")
    assert "/DSS" in reader.root and reader.root["/DSS"]["/Certs"]
    widgets = [sig.sig_field for sig in reader.embedded_regular_signatures]
    assert len(widgets) == signatures and all(int(w["/F"]) & 0b100 for w in widgets)
    for sig in reader.embedded_regular_signatures:
        fonts = sig.sig_field["/AP"]["/N"]["/Resources"]["/Font"]
        for font in fonts.values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"], "the stamp's font is not embedded"


def _kukar(session) -> tuple[Office, SigningOfficial, SigningOfficial]:
    office = session.scalar(select(Office).where(Office.code == "bawaslu-6402"))
    head = session.scalar(select(SigningOfficial).where(SigningOfficial.name == "Hendra Saputro (demo)"))
    paraf = session.scalar(select(SigningOfficial).where(SigningOfficial.signs_as == "paraf",
                                                         SigningOfficial.office_id == office.id))
    return office, head, paraf


def _open_request(session, kind: str) -> int:
    return session.scalar(select(LetterRequest.id).join(Case, Case.id == LetterRequest.case_id)
                          .join(Office, Office.id == Case.office_id)
                          .where(Office.code == "bawaslu-6402", LetterRequest.kind == kind,
                                 LetterRequest.status == "open").order_by(LetterRequest.id))


def test_issuing_signs_in_order_records_each_signature_and_refuses_a_missing_paraf_key(demo_sessions,
                                                                                      netra_settings):
    with demo_sessions() as session:
        office, head, paraf = _kukar(session)
        handler = principal_named(session, "penangan.kukar")
        forward, receipt = _open_request(session, "recommendation_to_oversight"), _open_request(session, "receipt")
    install_keys(netra_settings, [(office.code, head.id, head.name)])
    letters_before = _count(demo_sessions, Letter)
    with pytest.raises(CaseworkError) as refused:  # the forward takes a paraf, and its official has no key
        issue_letter(demo_sessions, forward, handler, settings=netra_settings)
    assert refused.value.code == "signing.key_missing" and paraf.name in refused.value.render("id")
    assert _count(demo_sessions, Letter) == letters_before  # no number taken, nothing written
    with demo_sessions() as session:
        assert session.get(LetterRequest, forward).status == "open"

    install_keys(netra_settings, [(office.code, paraf.id, paraf.name)])
    letter = issue_letter(demo_sessions, forward, handler, settings=netra_settings)
    plain = issue_letter(demo_sessions, receipt, handler, settings=netra_settings)  # a receipt: no paraf
    with demo_sessions() as session:
        rows = session.scalars(select(LetterSignature).where(LetterSignature.letter_id == letter.id)
                               .order_by(LetterSignature.position)).all()
        assert [(r.role, r.official_id, r.name) for r in rows] == [("paraf", paraf.id, paraf.name),
                                                                     ("ttd", head.id, head.name)]
        assert all(r.cert_issuer.startswith("Netra Demo Root CA") and len(r.cert_sha256) == 64 for r in rows)
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "letter.signed",
                                                          AuditEvent.entity_id == str(letter.id))).all()
        assert [e.after["role"] for e in events] == ["paraf", "ttd"]
        assert [r.role for r in session.scalars(select(LetterSignature)
                                                .where(LetterSignature.letter_id == plain.id))] == ["ttd"]
        finding = check_pdf(stored_pdf(session, session.get(Letter, letter.id), netra_settings), netra_settings)
    assert finding.valid and [s.signer for s in finding.signatures] == [paraf.name, head.name]


def _count(sessions, model) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the file's hash, not SQL
def test_the_verification_page_checks_the_stored_letter_and_tells_a_tampered_copy_from_the_original(app):
    settings = app.config["NETRA_SETTINGS"]
    sessions = app.extensions["netra_sessions"]
    with sessions() as session:
        office, head, paraf = _kukar(session)
        handler = principal_named(session, "penangan.kukar")
        request_id = _open_request(session, "recommendation_to_oversight")
        unsigned = _open_request(session, "receipt")
    first = issue_letter(sessions, unsigned, handler, settings=settings)  # before any key: not signed
    install_keys(settings, [(office.code, head.id, head.name), (office.code, paraf.id, paraf.name)])
    letter = issue_letter(sessions, request_id, handler, settings=settings)
    with sessions() as session:
        original = stored_pdf(session, session.get(Letter, letter.id), settings)
    desk = client_as(app, "penangan.kukar")  # the case page marks the signed letter and says who signed
    with sessions() as session:
        number = session.get(Case, letter.case_id).number
    row = desk.get(f"/kasus/{number}").get_data(as_text=True).split(f'data-number="{letter.number}"')[1][:900]
    assert "data-signed" in row and f"{paraf.name} → {head.name}" in row

    client = app.test_client()
    url = f"/verifikasi/{letter.verify_token}"
    page = client.get(url).get_data(as_text=True)
    assert "SAH — tanda tangan pada berkas yang tersimpan utuh" in page and paraf.name in page and "WITA" in page
    assert "tidak ditandatangani secara elektronik" in client.get(f"/verifikasi/{first.verify_token}").get_data(
        as_text=True)

    def check(data: bytes, name: str = "surat.pdf"):
        form = {"csrf_token": csrf(client.get(url).get_data(as_text=True)), "berkas": (io.BytesIO(data), name)}
        return client.post(url, data=form, content_type="multipart/form-data")

    assert "SAMA — berkas Anda persis" in check(original).get_data(as_text=True)
    altered = check(flip_signed_byte(original))
    assert altered.status_code == 200 and "DIUBAH — isi berkas tidak lagi sama" in altered.get_data(as_text=True)
    with sessions() as session:
        other = stored_pdf(session, session.get(Letter, first.id), settings)
        second_forward = session.scalar(select(LetterRequest.id).where(
            LetterRequest.kind == "recommendation_to_oversight", LetterRequest.status == "open",
            LetterRequest.id != request_id).join(Case, Case.id == LetterRequest.case_id)
            .where(Case.office_id == office.id).order_by(LetterRequest.id))
    assert "BERBEDA — berkas Anda tidak sama" in check(other).get_data(as_text=True)
    # another genuine letter by the same two officials is not this one: same certificates, other signatures
    another = issue_letter(sessions, second_forward, handler, settings=settings)
    with sessions() as session:
        theirs = stored_pdf(session, session.get(Letter, another.id), settings)
    assert "TANDA TANGAN LAIN" in check(theirs).get_data(as_text=True)
    not_pdf = check(b"GIF89a not a letter", "foto.gif")
    assert not_pdf.status_code == 400 and "bukan PDF" in not_pdf.get_data(as_text=True)
    broken = check(b"%PDF-1.7\n" + b"\x00" * 300)
    assert broken.status_code == 200 and "BERBEDA" in broken.get_data(as_text=True)
    assert client.post(url, data={"csrf_token": csrf(client.get(url).get_data(as_text=True))}).status_code == 400
    assert client.get("/verifikasi/no-such-token").status_code == 404


def test_the_remote_signer_speaks_bsre_shape_and_says_what_the_service_refused(pki, demo_letters):
    from casework.signing.remote import RemoteSigner

    service = start_bsre(pki["plain"], {"6402010101010001": ("rahasia", *HEAD)})
    try:
        settings = replace(pki["plain"], signing_backend="bsre", bsre_url=service.url)
        credentials = settings.signing_path / OFFICE / f"{HEAD[1]}.bsre.json"
        assert not RemoteSigner(settings).can_sign(OFFICE, HEAD[1])
        credentials.write_text(json.dumps({"nik": "6402010101010001", "passphrase": "rahasia"}))
        assert RemoteSigner(settings).can_sign(OFFICE, HEAD[1])
        pdf = render_pdf({**demo_letters["receipt"][0][1], "signature": {"paraf": False}})
        signed, made = sign_letter(pdf, plan(False), settings, number="2/X/2026", now=utcnow())
        assert check_pdf(signed, settings).valid and made[0].certificate.subject == HEAD[2]
        sent = service.received[-1]
        assert sent["nik"] == "6402010101010001" and sent["signatureProperties"][0]["page"] == 1
        assert sent["signatureProperties"][0]["tampilan"] == "VISIBLE"

        credentials.write_text(json.dumps({"nik": "6402010101010001", "passphrase": "salah"}))
        with pytest.raises(CaseworkError) as refused:
            sign_letter(pdf, plan(False), settings, number="3/X/2026", now=utcnow())
        assert "HTTP 401: Passphrase anda salah" in refused.value.render("id")
    finally:
        service.stop()


def test_the_cli_installs_a_key_only_when_it_opens_and_checks_any_pdf(pki, tmp_path, monkeypatch, databases):
    from casework.cli import cli
    from casework.signing.pki import DemoCA

    monkeypatch.setenv("NETRA_DATABASE_URL", databases.url("sqlite", demo=True))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path / "var"))
    runner = CliRunner()
    ca = DemoCA.open_or_make(tmp_path / "var" / "signing")
    p12, passphrase = ca.pkcs12_for("Hendra Saputro (demo)", "Bawaslu Kabupaten Kutai Kartanegara")
    (tmp_path / "k.p12").write_bytes(p12)
    (tmp_path / "wrong").write_text("bukan-frasa-sandinya\n")
    (tmp_path / "right").write_bytes(passphrase + b"\n")
    status = json.loads(runner.invoke(cli, ["signing", "status", "--json"]).output)
    head = next(o for o in status["officials"] if o["name"] == "Hendra Saputro (demo)")
    assert head["has_key"] is False and head["signs_as"] == "ttd"
    refused = runner.invoke(cli, ["signing", "install", str(head["official_id"]), str(tmp_path / "k.p12"),
                                  "--passphrase-file", str(tmp_path / "wrong")])
    assert refused.exit_code == 1 and "PKCS#12" in refused.output
    assert not (tmp_path / "var" / "signing" / "bawaslu-6402").exists()
    done = runner.invoke(cli, ["signing", "install", str(head["official_id"]), str(tmp_path / "k.p12"),
                               "--passphrase-file", str(tmp_path / "right")])
    assert done.exit_code == 0, done.output
    assert "Hendra Saputro (demo)" in done.output
    status = json.loads(runner.invoke(cli, ["signing", "status", "--json"]).output)
    assert next(o for o in status["officials"] if o["name"] == "Hendra Saputro (demo)")["has_key"] is True

    letter = tmp_path / "signed.pdf"
    pdf, _ = sign_letter(render_pdf({**_specimen(), "signature": {"paraf": False}}), plan(False), pki["plain"],
                         number="4/X/2026", now=utcnow())
    letter.write_bytes(pdf)
    monkeypatch.setenv("NETRA_VAR_DIR", str(pki["folder"] / "var"))  # the CA that signed it is trusted there
    good = runner.invoke(cli, ["signing", "check", str(letter), "--json"])
    assert good.exit_code == 0 and json.loads(good.output)["valid"] is True
    letter.write_bytes(flip_signed_byte(pdf))
    bad = runner.invoke(cli, ["signing", "check", str(letter)])
    assert bad.exit_code == 1 and "TIDAK SAH" in bad.output


def _specimen() -> dict:
    from casework.letters.render import SPECIMEN, verification_qr

    return {**SPECIMEN, **verification_qr("https://contoh.invalid/verifikasi/x")}
