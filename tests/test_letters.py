"""Formal letters rendered by WeasyPrint and read back from the PDF; numbers that never repeat; verification."""
import hashlib
import io
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date

import pdfplumber
import pypdf
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from admin import create_app
from casework.cli import cli
from casework.i18n.dates import indonesian_date
from casework.adapters.db import transaction
from casework.errors import CaseworkError
from casework.letters.addressees import addressees
from casework.access.principal import SYSTEM, operator
from casework.letters.issue import LetterBusy, issue_letter, stored_pdf, void_letter
from casework.letters.requests import request_letters
from casework.letters.kinds import case_letter_kinds, get_kind, letter_kinds
from casework.letters.render import DRAFT_SEQ, render_draft
from casework.models import Case, Letter, LetterRequest, utcnow
from casework.settings import Settings
from casework.reference.timezones import local_today
from casework.road.hearings import held_hearing
from tests.helpers import owed_request

A4 = (595.28, 841.89)

STAND_IN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"  # a letter whose rendering is not the point


def case_for(session, kind_code: str) -> Case:
    """A demo case where a letter of this kind makes sense."""
    kind = get_kind(kind_code)
    wanted_stage = {"receipt": "received", "completion_notice": "awaiting_completion",
                    "non_registration_notice": "not_registered", "clarification_invitation": "clarification",
                    "clarification_minutes": "study", "status_announcement": "forwarded",
                    "recommendation_to_oversight": "forwarded", "forward_other_institution": "forwarded"}
    for case in session.scalars(select(Case).order_by(Case.id)):
        if kind.recipient == "police":  # the demo's case with a criminal part beside the road
            if any(p.criminal_stage for p in case.reported):
                return case
            continue
        if kind.recipient == "body":  # the demo's case forwarding a village head and a soldier
            if any(p.track_stage and p.person_kind != "asn" for p in case.reported):
                return case
            continue
        if kind.per_track:
            if any(p.track_stage == "agency_follow_up" for p in case.reported):
                return case
            continue
        if case.stage != wanted_stage[kind_code] or (kind.recipient == "reporter" and case.reporter is None):
            continue
        if kind_code == "forward_other_institution":
            case.forwarded_to = "Sentra Gakkumdu Kabupaten"  # not flushed: the demo has no such plenary outcome
        return case
    raise AssertionError(kind_code)


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


def fonts_embedded(data: bytes) -> dict[str, bool]:
    out = {}
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"].get_object()
            out[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the layout is WeasyPrint's, not the database's
@pytest.mark.parametrize("kind_code", list(case_letter_kinds()))
def test_every_kind_renders_with_the_official_layout(demo_sessions, kind_code):
    kind = get_kind(kind_code)
    with demo_sessions() as session:
        case = case_for(session, kind_code)
        on = date(2024, 10, 1)
        data = render_draft(session, case.number, kind_code, on=on, base_url="https://netra.test")
        to = addressees(session, case, kind, on)[0]
        office = case.office
        held = held_hearing(session, case)
    text = pdf_text(data)
    flat = re.sub(r"\s+", " ", text)
    assert f"{DRAFT_SEQ}/{kind.classification}/{office.letter_unit_code}/10/2024" in flat
    assert kind.hal.lower() in flat.lower()  # the minutes print their title in capitals
    # the minutes are dated by the hearing they record; every other letter by its issue date
    dated = indonesian_date(held.scheduled_on) if kind_code == "clarification_minutes" else "1 Oktober 2024"
    assert f"{office.city}, {dated}" in flat
    if kind.recipient != "none":
        assert f"Yth. {to.lines[0]}" in flat
        assert "Dengan hormat," in flat
    assert f"{office.head_title}," in flat and office.head_name in flat  # signature block
    assert "DRAF" in text
    reader = pypdf.PdfReader(io.BytesIO(data))
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width, 2), round(height, 2)) == A4
    fonts = fonts_embedded(data)
    assert fonts and all(fonts.values()), fonts
    assert any("Liberation" in name for name in fonts)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]*3", xmp) and re.search(r"pdfaid:conformance[^A-Z]*B", xmp)  # PDF/A-3b


def test_issued_letter_is_numbered_stored_hashed_and_verifiable(demo_engine, demo_sessions, tmp_path):
    settings = replace(Settings.from_env(), letters_dir=tmp_path / "letters", base_url="http://netra.test",
                       database_url=demo_engine.url.render_as_string(hide_password=False))
    with demo_sessions() as session:
        case = case_for(session, "recommendation_to_oversight")
        number, office, asn = case.number, case.office, case.reported[0]
        zone = office.timezone
    request = owed_request(demo_sessions, number, "recommendation_to_oversight")
    first = issue_letter(demo_sessions, request, operator("ketua.x"), settings=settings)
    with pytest.raises(LetterBusy) as again:  # the same request a second time: its number, no new one
        issue_letter(demo_sessions, request, operator("ketua.x"), settings=settings)
    assert f"sudah diterbitkan: nomor {first.number}" in again.value.render("id")
    today = local_today(zone, utcnow())
    assert first.number == f"1/PP.03.00/{office.letter_unit_code}/{today.month:02d}/{today.year}"
    assert first.status == "issued" and first.issued_by == "ketua.x"
    with demo_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Letter)) == 1
        letter = session.get(Letter, first.id)
        data = stored_pdf(session, letter, settings)
        row = session.get(LetterRequest, request)
        assert (row.status, row.letter_id, letter.request_id) == ("issued", first.id, request)
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    text = re.sub(r"\s+", " ", pdf_text(data))
    assert first.number in text and indonesian_date(today) in text and "DRAF" not in text
    # printed beside the QR code (the line may wrap inside the URL)
    assert f"http://netra.test/verifikasi/{letter.verify_token}" in re.sub(r"\s", "", text)
    assert "bukan tanda tangan elektronik tersertifikasi" in text

    app = create_app(settings)
    page = app.test_client().get(f"/verifikasi/{letter.verify_token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert first.number in html and letter.sha256 in html and "Penerusan Pelanggaran Netralitas" in html
    assert office.name in html and "TERCATAT" in html
    assert asn.name not in html and asn.nip not in html  # never the parties' personal data
    with transaction(demo_sessions) as session:
        void_letter(session, first.number, actor="ketua.x", reason="Salah alamat")
    html = app.test_client().get(f"/verifikasi/{letter.verify_token}").get_data(as_text=True)
    assert "DIBATALKAN" in html and "Salah alamat" in html
    assert app.test_client().get("/verifikasi/not-a-token").status_code == 404
    with demo_sessions() as session:  # voided, the case is owed that letter again
        assert session.get(LetterRequest, request).status == "open"


def test_a_failed_render_voids_the_number_and_reopens_the_request(demo_sessions, tmp_path):
    settings = replace(Settings.from_env(), letters_dir=tmp_path)
    with demo_sessions() as session:
        number = case_for(session, "recommendation_to_oversight").number
    request = owed_request(demo_sessions, number, "recommendation_to_oversight")

    def broken(context):
        raise RuntimeError("printer on fire")

    with pytest.raises(CaseworkError) as raised:
        issue_letter(demo_sessions, request, SYSTEM, settings=settings, render=broken)
    assert raised.value.code == "letter.issue_failed" and "batal" in raised.value.render("id")
    with demo_sessions() as session:
        row = session.get(LetterRequest, request)
        assert (row.status, row.letter_id) == ("open", None)  # owed again, for whoever issues next
    after = issue_letter(demo_sessions, request, SYSTEM, settings=settings)
    with demo_sessions() as session:
        rows = session.execute(select(Letter.seq, Letter.status, Letter.void_reason, Letter.request_id)
                               .order_by(Letter.seq)).all()
    assert [(seq, status, req) for seq, status, _, req in rows] == [(1, "void", request), (2, "issued", request)]
    assert "printer on fire" in rows[0][2] and after.seq == 2


def test_a_changed_file_is_detected(demo_sessions, tmp_path):
    settings = replace(Settings.from_env(), letters_dir=tmp_path)
    with demo_sessions() as session:
        number = case_for(session, "status_announcement").number
    letter = issue_letter(demo_sessions, owed_request(demo_sessions, number, "status_announcement"), SYSTEM,
                          settings=settings)
    path = tmp_path / letter.pdf_path
    path.write_bytes(path.read_bytes() + b"%tampered")
    with demo_sessions() as session, pytest.raises(CaseworkError) as raised:
        stored_pdf(session, session.get(Letter, letter.id), settings)
    assert raised.value.code == "letter.tampered"


def test_fifty_concurrent_issuers_get_unique_numbers_with_only_recorded_gaps(demo_sessions, tmp_path):
    """50 writers at once on one series, each answering its own request; every 7th render fails. Numbers 1..50
    are all recorded, none twice, and the only ones not issued are exactly the recorded voids."""
    settings = replace(Settings.from_env(), letters_dir=tmp_path)
    with transaction(demo_sessions) as session:  # 50 requests of one kind on one case, as 50 decisions would
        case = case_for(session, "status_announcement")
        requests = [request_letters(session, case, ["status_announcement"], actor="t", cause=f"test.{i}")[0]
                    for i in range(50)]
        assert {r.case_id for r in requests} == {case.id}
    ids = [r.id for r in requests]

    def issue(i):
        def render(context):
            if i % 7 == 0:
                raise RuntimeError(f"render {i} failed")
            return STAND_IN  # the claims and the numbers are tested here; rendering in test_letter_layout
        try:
            return issue_letter(demo_sessions, ids[i - 1], operator(f"user{i}"), settings=settings,
                                render=render).seq
        except CaseworkError:
            return None

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(issue, range(1, 51)))
    with demo_sessions() as session:
        rows = session.execute(select(Letter.seq, Letter.status, Letter.number)
                               .where(Letter.kind == "status_announcement")).all()
    seqs = sorted(seq for seq, _, _ in rows)
    assert seqs == list(range(1, 51))
    assert len({n for _, _, n in rows}) == 50
    voids = sorted(seq for seq, status, _ in rows if status == "void")
    issued = sorted(seq for seq, status, _ in rows if status == "issued")
    assert len(voids) == 7 and sorted(s for s in results if s) == issued
    assert sorted(issued + voids) == list(range(1, 51))
    with demo_sessions() as session:  # 100 audit events (reserved, then issued or voided) at once: one chain
        from casework.audit import verify_chain
        assert verify_chain(session) is None
        assert session.scalar(select(func.count()).select_from(LetterRequest).where(
            LetterRequest.id.in_(ids), LetterRequest.status == "open")) == 7  # the failed ones: owed again


def test_cli_kinds_draft_and_issue(databases, backend, tmp_path, monkeypatch):
    url = databases.url(backend, demo=True)
    monkeypatch.setenv("NETRA_DATABASE_URL", url)
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path))
    runner = CliRunner()
    kinds = runner.invoke(cli, ["letter", "kinds", "--json"])
    assert kinds.exit_code == 0 and len(__import__("json").loads(kinds.output)) == len(letter_kinds())
    from casework.adapters.db import make_engine, session_factory
    with session_factory(make_engine(url))() as session:
        number = case_for(session, "receipt").number
    draft = runner.invoke(cli, ["letter", "render", number, "receipt", "--out", str(tmp_path / "d.pdf")])
    assert draft.exit_code == 0 and "DRAF" in pdf_text((tmp_path / "d.pdf").read_bytes())
    issued = runner.invoke(cli, ["letter", "render", number, "receipt", "--out", str(tmp_path / "i.pdf"),
                                 "--issue"])
    assert issued.exit_code == 0 and "1/PP.01.00/" in issued.output
    assert (tmp_path / "i.pdf").read_bytes() == next((tmp_path / "letters").glob("*.pdf")).read_bytes()
    bad = runner.invoke(cli, ["letter", "render", number, "nope", "--out", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 1 and "jenis surat 'nope' tidak dikenal" in bad.output


def test_a_page_renders_to_png_with_pdftoppm(demo_sessions, tmp_path):
    with demo_sessions() as session:
        data = render_draft(session, case_for(session, "ppk_warning").number, "ppk_warning",
                            base_url="https://netra.test")
    (tmp_path / "letter.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(tmp_path / "letter.pdf"),
                    str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png")).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_a_pilkada_letter_cites_the_pilkada_law_as_last_amended(demo_sessions):
    """UU 1/2015 was last amended by UU 6/2020, not UU 10/2016 (issue 16's review of the rules)."""
    from casework.models import Election

    with demo_sessions() as session:
        case = session.scalars(select(Case).join(Election).where(
            Election.kind == "pilkada", Case.stage == "clarification").order_by(Case.id)).first()
        assert case is not None, "the demo has a Pilkada case in clarification"
        data = render_draft(session, case.number, "clarification_invitation", base_url="https://netra.test")
    # the words as read, without the DRAF watermark's letters and with words broken at a hyphen joined again
    text = " ".join(w for w in pdf_text(data).split() if w not in {"D", "R", "A", "F"}).replace("- ", "-")
    assert "Undang-Undang Nomor 1 Tahun 2015 sebagaimana telah beberapa kali diubah, terakhir dengan " \
           "Undang-Undang Nomor 6 Tahun 2020" in text
    assert "Nomor 10 Tahun 2016" not in text
