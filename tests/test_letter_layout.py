"""Letters on paper (issue 17, item 6): the signature block is never alone on a page, and a receipt and an
invitation fit on one page with the demo's data. Every letter the demo owes is rendered by the real renderer as it
would be issued (a number and the verification QR), then read back from the PDF."""
from __future__ import annotations

import copy
import io
import re
import shutil
from datetime import date

import pdfplumber
import pytest
from sqlalchemy import select

from casework.adapters.db import make_engine, session_factory
from casework.letters.addressees import addressees
from casework.letters.context import build_context
from casework.letters.kinds import format_number, get_kind, letter_kinds
from casework.letters.render import render_html, render_pdf, verification_qr
from casework.letters.requests import recipient_index
from casework.letters.office import build_office_context
from casework.models import Agency, Case, LetterRequest, Office

ON = date(2026, 12, 1)
VERIFY_URL = "https://netra.bawaslu.example/verifikasi/Q2xhcmlmaWthc2kgTmV0cmEx"  # as long as a real token's


def as_issued(context: dict, seq: int = 1234) -> dict:
    """What issue_letter renders: a number and the verification QR instead of the draft's empty slots."""
    kind = get_kind(context["kind"])
    context["letter"]["number"] = format_number(seq, kind.classification, context["unit"], ON)
    context.update(verification_qr(VERIFY_URL))
    return context


@pytest.fixture(scope="module")
def demo_letters(templates, tmp_path_factory) -> dict[str, list[tuple[str, dict]]]:
    """kind -> [(label, context)]: every letter request the demo holds, and each per-track PPK letter for every
    reported ASN awaiting their PPK (the demo asks for those only when a deadline passes)."""
    path = tmp_path_factory.mktemp("layout") / "demo.db"
    shutil.copyfile(templates[("sqlite", True)], path)
    engine = make_engine(f"sqlite:///{path}")
    out: dict[str, list[tuple[str, dict]]] = {code: [] for code in letter_kinds()}
    with session_factory(engine)() as session:
        for request in session.scalars(select(LetterRequest).order_by(LetterRequest.id)):
            case = session.get(Case, request.case_id)
            kind = get_kind(request.kind)
            index = recipient_index(session, case, request, ON)
            out[kind.code].append((f"{case.number} {kind.code} → {request.addressee_label}",
                                   as_issued(build_context(session, case, kind, index, ON,
                                                           base_url="https://netra.test"))))
        for case in session.scalars(select(Case).order_by(Case.id)):
            for kind in letter_kinds().values():
                if not kind.per_track or kind.recipient == "police" \
                        or not any(p.track_stage == "agency_follow_up" for p in case.reported):
                    continue
                for index, target in enumerate(addressees(session, case, kind, ON)):
                    out[kind.code].append((f"{case.number} {kind.code} #{index}",
                                           as_issued(build_context(session, case, kind, index, ON,
                                                                   base_url="https://netra.test"))))
    with session_factory(engine)() as session:  # the demo refers no one to another institution: a few cases do here
        kind = get_kind("forward_other_institution")
        for case in session.scalars(select(Case).where(Case.stage == "forwarded").order_by(Case.id).limit(3)):
            for person in case.reported:
                person.plenary_outcome, person.plenary_referred_to = "other_law", "Sentra Gakkumdu Kabupaten"
            out[kind.code].append((f"{case.number} {kind.code}", as_issued(build_context(
                session, case, kind, 0, ON, base_url="https://netra.test"))))
        session.rollback()
        # office letters (casework.letters.office): an appeal to Kukar's PPK, and the late PPKs' report with a list
        # long enough to take a second page
        office = session.scalar(select(Office).where(Office.code == "bawaslu-64"))
        agency = session.scalar(select(Agency).where(Agency.code == "pemkab-6402"))
        samples = {
            "neutrality_appeal": {"agency": {"id": agency.id, "name": agency.name, "ppk": agency.ppk_title,
                                             "personnel_unit": agency.personnel_unit_name, "city": agency.city},
                                  "election": "Pemilihan Bupati dan Wakil Bupati Kutai Kartanegara 2024", "note": ""},
            "ppk_follow_up_report": {"note": "", "rows": [
                {"agency": f"Pemerintah Kabupaten Contoh {i}", "ppk": f"Bupati Contoh {i}", "recommended": 9 - i % 5,
                 "overdue": 3 - i % 3, "late": i % 2, "oldest_due": "2024-11-0%d" % (1 + i % 9)} for i in range(14)]},
        }
        for code, payload in samples.items():
            kind = get_kind(code)
            request = LetterRequest(kind=code, payload=payload, addressee_label="-")
            out[code].append((f"{office.code} {code}", as_issued(build_office_context(
                session, office, kind, request, ON, base_url="https://netra.test"))))
    engine.dispose()
    return out


def end_block_alone(data: bytes, signer_name: str) -> list[int]:
    """Pages (1-based) where the signature, the copies (tembusan) or the QR stand without any text above them.

    On each page, the end block starts at the highest of: the signature column's first line (the lines starting
    where the signer's name starts, up to 5 cm above it: the title, or the minutes' place and date), "Tembusan:",
    the QR's caption. A page passes when some word ends above that line (the page number sits below everything)."""
    alone = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            words = page.extract_words()
            tops = []
            for name in page.search(signer_name, regex=False):
                tops += [w["top"] for w in words if abs(w["x0"] - name["x0"]) < 1
                         and name["top"] - 142 < w["top"] <= name["top"]]
            tops += [m["top"] for m in page.search("Tembusan:", regex=False)]
            tops += [m["top"] for m in page.search("Pindai untuk memeriksa", regex=False)]
            if tops and not any(w["bottom"] < min(tops) - 1 for w in words):
                alone.append(number)
    return alone


def pages(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def longest_and_shortest(letters: list[tuple[str, dict]], longest: int) -> list[tuple[str, dict]]:
    """The letters with the most text (the first to outgrow a page) and the one with the least: rendering all of the
    demo's ~240 letters takes minutes; the page break's every position is walked by the test below instead."""
    def size(item):
        return len(re.sub(r"<[^>]+>|\s+", "", render_html(item[1])))
    ordered = sorted(letters, key=size, reverse=True)
    return ordered[:longest] + ordered[-1:] if len(ordered) > longest else ordered


@pytest.mark.parametrize("kind_code", list(letter_kinds()))
def test_the_signature_block_is_never_alone_on_a_page(demo_letters, kind_code):
    """Each kind, for the longest and the shortest of it the demo owes; a receipt and an invitation on one page."""
    letters = demo_letters[kind_code]
    assert letters, f"the demo owes no {kind_code}"
    one_page = kind_code in {"receipt", "clarification_invitation"}
    for label, context in longest_and_shortest(letters, 2 if one_page else 1):
        data = render_pdf(context)
        assert not end_block_alone(data, context["signer"]["name"]), f"{label}: signature block alone"
        if one_page:
            assert pages(data) == 1, f"{label}: {pages(data)} pages"


def _long(context: dict, kind_code: str, n: int) -> dict:
    """The letter with about n more lines where it grows in real life."""
    context = copy.deepcopy(context)
    if kind_code == "receipt":  # a long chronology in the report's summary
        context["case"]["summary"] += " Kronologi: pada pagi hari terlapor hadir di lokasi kampanye dan ikut berfoto" \
                                      " bersama calon." * n
    elif kind_code == "clarification_minutes":  # many invitees at the hearing
        context["hearing"]["attended"] = [{"name": f"Saksi Nomor {i + 1} (fiktif)", "role": "Saksi", "kind": "witness"}
                                          for i in range(n)]
    else:  # a long list of violations found (the forward's, with the copies to four offices)
        person = context["case"]["in_violation"][0]
        context["case"]["in_violation"] = [dict(person, plenary_violations=["Ikut serta sebagai pelaksana dan peserta kampanye (PP 94/2021 Ps. 5 huruf n angka 1)"] * n)]
    return context


@pytest.mark.parametrize("kind_code", ["receipt", "clarification_minutes", "recommendation_to_oversight"])
def test_long_letters_keep_the_signature_with_text(demo_letters, kind_code):
    """The longest demo letter grows until it takes one more page, then a line at a time past that point, so the
    page break walks through the closing, the signature, the QR and the copies."""
    base = longest_and_shortest(demo_letters[kind_code], 1)[0][1]

    def check(n: int) -> int:
        context = _long(base, kind_code, n)
        data = render_pdf(context)
        assert not end_block_alone(data, context["signer"]["name"]), f"{kind_code} +{n}: signature block alone"
        return pages(data)

    start, low = check(0), 0
    while check(low + 16) == start:  # coarse: 16 lines at a time until a page is added
        low += 16
        assert low < 200
    high = low + 16
    while high - low > 1:  # the first count that takes the new page: the end block has just moved to it
        middle = (low + high) // 2
        low, high = (middle, high) if check(middle) == start else (low, middle)
    for more in range(high + 1, high + 5):  # then a line at a time as the body follows it
        check(more)


def test_the_desk_warms_its_letters_at_start_and_leaves_nothing_behind(databases, tmp_path, monkeypatch):
    """create_app renders a made-up letter into memory (issue 17, item 7): no number, no row, no file, no audit.
    NETRA_WARM_LETTERS=0 turns it off."""
    from dataclasses import replace

    from sqlalchemy import text

    from admin import create_app
    from casework.letters import render
    from casework.settings import Settings

    url = databases.url("sqlite", demo=True)
    settings = replace(Settings.from_env(), database_url=url, var_dir=tmp_path, letters_dir=tmp_path / "letters",
                       evidence_dir=tmp_path / "evidence", secret_key="warm-test")
    engine = make_engine(url)
    tables = ["letters", "letter_requests", "audit_events", "number_sequences", "outbox"]

    def counts():
        with engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}

    rendered = []
    real = render.render_pdf
    monkeypatch.setattr(render, "render_pdf", lambda context: rendered.append(context["kind"]) or real(context))
    monkeypatch.setattr(render, "_warm", False)
    before = counts()
    create_app(replace(settings, warm_letters=False))
    assert not render._warm and rendered == []
    assert Settings.from_env({"NETRA_WARM_LETTERS": "0"}).warm_letters is False
    create_app(settings)
    assert render._warm and rendered == ["receipt"]
    assert counts() == before
    assert not (tmp_path / "letters").exists() or not any((tmp_path / "letters").iterdir())
    create_app(settings)  # once per process
    assert rendered == ["receipt"]
    engine.dispose()
