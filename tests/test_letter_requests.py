"""Letters owed are rows, claimed once by whoever issues them (desk, Airflow's deliverer, CLI): never a second
number for the same letter, however the issuers interleave. Both backends; real renders, real SMTP sink."""
from __future__ import annotations

import json
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect
from sqlalchemy import select

from admin import create_app
from casework.access.principal import SYSTEM, operator
from casework.adapters.db import make_engine, session_factory, transaction
from casework.cli import cli
from casework.errors import CaseworkError, NotFound, ValidationError
from casework.i18n.dates import indonesian_date
from casework.letters.issue import LetterBusy, correct_letter, issue_letter
from casework.mail import correspondence
from casework.models import AuditEvent, Case, HearingInvitee, Letter, LetterRequest, utcnow
from casework.settings import Settings
from tests.builder import Builder, Person, as_user
from tests.helpers import client_as, csrf, decide, fingerprint, invitation, owed_request
from tests.browser_support import SHOTS, log_in  # Chromium and the desk on loopback: conftest.py

STAND_IN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"  # a letter whose rendering is not the point


@pytest.fixture
def app(demo_engine, netra_settings):
    settings = replace(netra_settings, database_url=demo_engine.url.render_as_string(hide_password=False),
                       secret_key="test-secret")
    return create_app(settings)


def issued(sessions, number: str, kind: str, status: str = "issued") -> list[str]:
    with sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.number == number))
        return list(session.scalars(select(Letter.number).where(Letter.case_id == case_id, Letter.kind == kind,
                                                                Letter.status == status).order_by(Letter.id)))


def flashes(html: str) -> str:
    return " ".join(re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', html, re.S))


def test_a_report_gets_one_receipt_when_the_system_and_a_handler_clicking_three_times_both_issue(
        app, demo_sessions, mail, netra_settings):
    """As tried by a user: one laporan, Airflow's run delivers, the handler clicks "Terbitkan surat" three times."""
    case = Builder(demo_sessions, netra_settings).laporan(Person("Satu"))
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)
    handler = client_as(app, "penangan.kukar")
    said = []
    for _ in range(3):
        page = handler.get(f"/kasus/{case.number}").get_data(as_text=True)
        html = handler.post(f"/kasus/{case.number}/surat/receipt", data={"csrf_token": csrf(page), "recipient": "0"},
                            follow_redirects=True).get_data(as_text=True)
        said.append(flashes(html))
    receipts = issued(demo_sessions, case.number, "receipt")
    assert len(receipts) == 1, receipts
    assert all(f"surat ini sudah diterbitkan: nomor {receipts[0]}" in s for s in said), said


def test_one_hearing_gets_one_set_of_minutes_when_airflow_and_the_handler_both_issue(
        app, demo_sessions, mail, netra_settings):
    case = Builder(demo_sessions, netra_settings).laporan(Person("Satu")).register()
    case.invite()
    case.step("record_clarification", case.handler, minutes="Terlapor hadir")
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)  # netra-system, via Airflow
    handler = client_as(app, "penangan.kukar")
    page = handler.get(f"/kasus/{case.number}").get_data(as_text=True)
    handler.post(f"/kasus/{case.number}/surat/clarification_minutes", data={"csrf_token": csrf(page),
                                                                          "recipient": "0"})
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)  # the run wakes again
    assert len(issued(demo_sessions, case.number, "clarification_minutes")) == 1


def said(client) -> str:
    """The messages flashed to this client (read from its session, as the next page would show them)."""
    with client.session_transaction() as data:
        return " ".join(text for _category, text in data.pop("_flashes", []))


def requests_of(sessions, number: str) -> list[LetterRequest]:
    with sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.number == number))
        return list(session.scalars(select(LetterRequest).where(LetterRequest.case_id == case_id)
                                    .order_by(LetterRequest.id)))


def fake_pdf(context) -> bytes:  # the renderer is test_letters'; here numbers, claims and rows are what is tested
    return b"%PDF-1.4\n% " + context["letter"]["number"].encode() + b"\n%%EOF\n"


def held_render():
    """A renderer that stays in the middle of rendering until released: (render, rendering, release) — `rendering`
    is set once it has started, `release` lets it finish."""
    rendering, release = threading.Event(), threading.Event()

    def render(context):
        rendering.set()
        assert release.wait(60)
        return fake_pdf(context)

    return render, rendering, release


# --- requests are written with the decision ---------------------------------------------------------------------
def test_a_decision_writes_the_letters_it_asks_for_in_its_own_transaction(demo_engine, demo_sessions,
                                                                          netra_settings):
    builder = Builder(demo_sessions, netra_settings)
    case = builder.laporan(Person("Satu"), Person("Dua", agency="pemprov-64"))
    [receipt] = requests_of(demo_sessions, case.number)
    with demo_sessions() as session:
        opened = session.scalars(select(AuditEvent).where(AuditEvent.case_id == receipt.case_id,
                                                          AuditEvent.action == "case.opened")).one()
    assert (receipt.kind, receipt.status, receipt.addressee_key, receipt.addressee_label, receipt.cause,
            receipt.audit_event_id, receipt.requested_by) == (
        "receipt", "open", "reporter", "Sdr. Pelapor Uji", "case.opened", opened.id, "penangan.kukar")
    assert opened.after["letters"] == ["receipt"]  # the audit trail still records what was asked
    assert requests_of(demo_sessions, builder.laporan(Person("Tiga"), source="temuan").number) == []  # no reporter

    case.register()
    before = fingerprint(demo_engine)
    with pytest.raises(CaseworkError) as stale:  # a refused decision leaves nothing owed either
        decide(demo_sessions, "invite_clarification", case.number, "penangan.kukar", version=1,
               **invitation(nips=case.nips))
    assert stale.value.code == "case.stale" and fingerprint(demo_engine) == before
    case.invite()
    invitations = [r for r in requests_of(demo_sessions, case.number) if r.kind == "clarification_invitation"]
    with demo_sessions() as session:
        people = [(p.id, p.name) for p in session.scalar(select(Case).where(Case.number == case.number)).reported]
        invitees = session.scalars(select(HearingInvitee.id).order_by(HearingInvitee.id)).all()[-len(people):]
    assert [(r.reported_asn_id, r.addressee_key, r.addressee_label, r.cause) for r in invitations] == [
        (pid, f"invitee:{iid}:reported", f"Sdr. {name}", "case.invite_clarification")
        for (pid, name), iid in zip(people, invitees, strict=True)]


# --- the interleavings that duplicated letters --------------------------------------------------------------------
def test_the_system_run_issuing_while_the_handler_issues_gives_one_letter(app, demo_engine, demo_sessions, mail,
                                                                         netra_settings):
    """The handler's issue is rendering (claimed, number reserved) when Airflow's run wakes and a second click
    comes: the run leaves the request to them, the page says it is being issued, the click is refused."""
    case = Builder(demo_sessions, netra_settings).laporan(Person("Satu"))
    request = owed_request(demo_sessions, case.number, "receipt")
    slow, rendering, release = held_render()

    handler = as_user(demo_sessions, "penangan.kukar")
    with ThreadPoolExecutor(1) as pool:
        clicked = pool.submit(issue_letter, demo_sessions, request, handler, settings=netra_settings, render=slow)
        assert rendering.wait(60)
        [reserved] = issued(demo_sessions, case.number, "receipt", status="reserved")
        run = correspondence.deliver(demo_sessions, case.number, settings=netra_settings)
        assert run["issued"] == []  # losing the claim is not an error for the run

        client = client_as(app, "penangan.kukar")
        page = client.get(f"/kasus/{case.number}").get_data(as_text=True)
        assert f'data-request="{request}" data-claimed="penangan.kukar"' in page
        assert f"Sedang diterbitkan oleh penangan.kukar, nomor {reserved}" in page
        assert 'data-letter="receipt"' not in page  # no "Terbitkan surat" while it is being issued
        before = fingerprint(demo_engine)
        client.post(f"/kasus/{case.number}/surat/receipt", data={"csrf_token": csrf(page), "request": request})
        assert f"surat ini sedang diterbitkan oleh penangan.kukar: nomor {reserved}" in said(client)
        assert fingerprint(demo_engine) == before
        release.set()
        letter = clicked.result(60)
    assert letter.number == reserved and issued(demo_sessions, case.number, "receipt") == [reserved]
    again = correspondence.deliver(demo_sessions, case.number, settings=netra_settings)  # the run wakes again
    assert again["issued"] == [] and again["queued"] == 1  # the desk's letter is emailed, once
    assert correspondence.deliver(demo_sessions, case.number, settings=netra_settings)["queued"] == 0
    assert [m.key for m in mail.received if m.key.startswith("letter:")] == [f"letter:{letter.id}"]


def test_fifty_issuers_and_the_deliverer_on_one_case_give_one_letter_per_request(demo_sessions, mail,
                                                                                 netra_settings):
    """51 threads at once on one case owing 6 letters: 50 issuers (handler, head, operator, each aimed at a
    request; every 7th render fails) and Airflow's deliverer, twice. Then the run wakes once more. Every request
    has exactly one issued letter, no number twice, and every gap in a series is a recorded void."""
    case = Builder(demo_sessions, netra_settings).laporan(Person("Satu"), Person("Dua", agency="pemprov-64"))
    case.forward()
    owed_ = [r.id for r in requests_of(demo_sessions, case.number)]
    assert len(owed_) == 6  # receipt, 2 invitations, minutes, recommendation, status announcement
    who = [as_user(demo_sessions, "penangan.kukar"), as_user(demo_sessions, "ketua.kukar"), operator("operator")]
    start = threading.Barrier(51)
    failures = []

    def issuer(i: int):
        def render(context):
            if i % 7 == 0:
                failures.append(context["letter"]["number"])
                raise RuntimeError(f"render {i} failed")
            return STAND_IN  # the claims and the numbers are tested here; rendering in test_letter_layout
        start.wait()
        try:
            return issue_letter(demo_sessions, owed_[i % len(owed_)], who[i % 3], settings=netra_settings,
                                render=render).number
        except LetterBusy as exc:
            return exc.code
        except (CaseworkError, NotFound) as exc:
            return exc.code

    def deliverer():
        start.wait()
        return [correspondence.deliver(demo_sessions, case.number, settings=netra_settings) for _ in range(2)]

    with ThreadPoolExecutor(51) as pool:
        runs = pool.submit(deliverer)
        results = list(pool.map(issuer, range(50)))
        runs = runs.result(300)
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)  # the run's next wake
    rows = requests_of(demo_sessions, case.number)
    with demo_sessions() as session:
        letters = session.scalars(select(Letter).where(Letter.case_id == rows[0].case_id)).all()
        from casework.audit import verify_chain
        assert verify_chain(session) is None
    live = [x for x in letters if x.status == "issued"]
    assert sorted(x.request_id for x in live) == sorted(owed_)  # one issued letter per request
    assert all(r.status == "issued" and r.letter_id in {x.id for x in live} for r in rows)
    assert len({x.number for x in letters}) == len(letters)  # no number twice
    for series in {(x.classification, x.year) for x in letters}:
        seqs = sorted(x.seq for x in letters if (x.classification, x.year) == series)
        assert seqs == list(range(1, len(seqs) + 1))  # no gap without a row ...
    assert {x.number for x in letters if x.status != "issued"} == set(failures)  # ... and every gap a void
    assert all(x.status in ("issued", "void") for x in letters)
    # everyone else was told, nobody got a second number: each issuer got a live letter's number, a refusal, or
    # its own failed render (the void above) — whatever else came back is named in the message
    told = Counter(r if r.startswith("letter.") else "number" for r in results)
    numbers = {x.number for x in live}
    odd = [r for r in results if r not in numbers and r not in (
        "letter.already_issued", "letter.being_issued", "letter.issue_failed")]
    assert not odd and told["letter.issue_failed"] <= len(failures), (told, odd)
    assert runs  # the deliverer ran alongside
    keys = [m.key for m in mail.received]
    assert len(keys) == len(set(keys))
    assert {k for k in keys if k.startswith("letter:")} == {
        f"letter:{x.id}" for x in live if x.kind != "clarification_minutes"}


# --- a crashed issuer, a slow one ---------------------------------------------------------------------------------
class Crash(BaseException):
    """The issuer's process dies mid-render (not an Exception: nothing of issue_letter's gets to clean up)."""


def die(context):
    raise Crash


def age_claim(sessions, request_id: int, minutes: int = 11) -> None:
    """Let time pass for a claim (the clock, not the claim, is what the test moves)."""
    with transaction(sessions) as session:
        row = session.get(LetterRequest, request_id)
        row.claimed_at = utcnow() - timedelta(minutes=minutes)


def test_an_abandoned_claim_is_taken_over_and_its_number_voided(app, demo_sessions, netra_settings):
    case = Builder(demo_sessions, netra_settings).laporan(Person("Satu"))
    request = owed_request(demo_sessions, case.number, "receipt")

    with pytest.raises(Crash):
        issue_letter(demo_sessions, request, SYSTEM, settings=netra_settings, render=die)
    [abandoned_number] = issued(demo_sessions, case.number, "receipt", status="reserved")
    handler = as_user(demo_sessions, "penangan.kukar")
    with pytest.raises(LetterBusy) as busy:  # still fresh: it may only be slow
        issue_letter(demo_sessions, request, handler, settings=netra_settings, render=fake_pdf)
    assert busy.value.render("id").startswith(
        f"surat ini sedang diterbitkan oleh netra-system: nomor {abandoned_number}")

    age_claim(demo_sessions, request)
    client = client_as(app, "penangan.kukar")
    page = client.get(f"/kasus/{case.number}").get_data(as_text=True)
    assert f'data-letter="receipt" data-request="{request}"' in page  # offered again, with a warning
    assert f"terhenti; bila Anda menerbitkannya, nomor {abandoned_number} dicatat batal" in page
    client.post(f"/kasus/{case.number}/surat/receipt", data={"csrf_token": csrf(page), "request": request})
    [new_number] = issued(demo_sessions, case.number, "receipt")
    assert f"Surat diterbitkan: {new_number}" in said(client) and new_number != abandoned_number
    with demo_sessions() as session:
        void = session.scalar(select(Letter).where(Letter.number == abandoned_number))
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "letter.voided",
                                                         AuditEvent.entity_id == str(void.id))).one()
        row = session.get(LetterRequest, request)
    assert void.status == "void" and "terhenti" in void.void_reason and "penangan.kukar" in void.void_reason
    assert event.actor == "penangan.kukar" and event.after["taken_over_from"] == "netra-system"
    assert (row.status, row.claimed_by, row.claims) == ("issued", "penangan.kukar", 2)


def test_a_slow_issuer_whose_claim_was_taken_over_writes_nothing(demo_sessions, netra_settings):
    case = Builder(demo_sessions, netra_settings).laporan(Person("Satu"))
    request = owed_request(demo_sessions, case.number, "receipt")
    slow, rendering, release = held_render()

    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(issue_letter, demo_sessions, request, SYSTEM, settings=netra_settings, render=slow)
        assert rendering.wait(60)
        age_claim(demo_sessions, request)  # ten minutes pass
        second = issue_letter(demo_sessions, request, as_user(demo_sessions, "penangan.kukar"),
                              settings=netra_settings, render=fake_pdf)
        release.set()
        with pytest.raises(LetterBusy) as lost:
            first.result(60)
    assert lost.value.code == "letter.claim_taken_over"
    assert issued(demo_sessions, case.number, "receipt") == [second.number]
    with demo_sessions() as session:
        statuses = sorted(session.execute(select(Letter.status, Letter.pdf_path).where(
            Letter.request_id == request)).all(), key=lambda r: r[0])
    assert [s for s, _ in statuses] == ["issued", "void"]
    assert {p.name for p in netra_settings.letters_dir.iterdir()} == {second.pdf_path}  # the slow one's file gone


def test_an_abandoned_correction_puts_the_letter_in_force_back(demo_sessions, netra_settings):
    case = Builder(demo_sessions, netra_settings).laporan(Person("Satu"))
    request = owed_request(demo_sessions, case.number, "receipt")
    first = issue_letter(demo_sessions, request, SYSTEM, settings=netra_settings, render=fake_pdf)

    with pytest.raises(Crash):
        correct_letter(demo_sessions, first.number, as_user(demo_sessions, "penangan.kukar"),
                       reason="Alamat salah", settings=netra_settings, render=die)
    age_claim(demo_sessions, request)
    assert correspondence.deliver(demo_sessions, case.number, settings=netra_settings)["issued"] == []
    row = requests_of(demo_sessions, case.number)[0]
    assert (row.status, row.letter_id) == ("issued", first.id)  # the first letter is still the one in force
    assert issued(demo_sessions, case.number, "receipt") == [first.number]
    assert len(issued(demo_sessions, case.number, "receipt", status="void")) == 1


# --- corrections ------------------------------------------------------------------------------------------------
def test_a_correction_supersedes_the_letter_with_its_reason_and_verification_says_so(
        app, demo_engine, demo_sessions, mail, netra_settings):
    case = Builder(demo_sessions, netra_settings).laporan(Person("Satu"))
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)
    [first] = issued(demo_sessions, case.number, "receipt")
    before = fingerprint(demo_engine)
    with pytest.raises(ValidationError) as empty:
        correct_letter(demo_sessions, first, as_user(demo_sessions, "penangan.kukar"), reason="  ",
                       settings=netra_settings)
    assert "wajib diisi" in empty.value.render("id")
    with pytest.raises(NotFound):  # the head does not see the reporter: the receipt does not exist for them
        correct_letter(demo_sessions, first, as_user(demo_sessions, "ketua.kukar"), reason="x",
                       settings=netra_settings)
    with pytest.raises(NotFound):  # the province supervises; the letters are the handling office's
        correct_letter(demo_sessions, first, as_user(demo_sessions, "penangan.kaltim"), reason="x",
                       settings=netra_settings)
    assert fingerprint(demo_engine) == before

    reason = "Kode status pelapor tercetak keliru"
    second = correct_letter(demo_sessions, first, as_user(demo_sessions, "penangan.kukar"), reason=reason,
                            settings=netra_settings)
    assert issued(demo_sessions, case.number, "receipt") == [second.number]
    with demo_sessions() as session:
        old = session.scalar(select(Letter).where(Letter.number == first))
        row = session.get(LetterRequest, old.request_id)
        events = {e.action: e for e in session.scalars(select(AuditEvent).where(AuditEvent.case_id == old.case_id,
                                                                                AuditEvent.action.like("letter.%")))}
        reporter = session.scalar(select(Case).where(Case.number == case.number)).reporter.name
    assert (old.status, old.superseded_by_id, old.superseded_reason) == ("superseded", second.id, reason)
    assert (row.status, row.letter_id, second.request_id) == ("issued", second.id, old.request_id)
    assert events["letter.superseded"].after == {"status": "superseded", "number": first,
                                                 "superseded_by": second.number, "reason": reason}
    assert events["letter.superseded"].actor == "penangan.kukar"
    with pytest.raises(CaseworkError) as twice:  # the superseded one is no longer in force
        correct_letter(demo_sessions, first, as_user(demo_sessions, "penangan.kukar"), reason="lagi",
                       settings=netra_settings)
    assert twice.value.code == "letter.not_correctable"

    html = app.test_client().get(f"/verifikasi/{old.verify_token}").get_data(as_text=True)
    assert "DIGANTI" in html and "TERCATAT" not in html
    assert f"diganti oleh surat nomor {second.number}" in html and indonesian_date(second.issued_on) in html
    assert reason in html and reporter not in html and "Pelapor Uji" not in html
    assert "TERCATAT" in app.test_client().get(f"/verifikasi/{second.verify_token}").get_data(as_text=True)
    # the corrected letter goes out like any other, once; the first one's email is not sent again
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)
    with demo_sessions() as session:
        first_id = session.scalar(select(Letter.id).where(Letter.number == first))
    assert sorted(m.key for m in mail.received if m.key.startswith("letter:")) == sorted(
        [f"letter:{first_id}", f"letter:{second.id}"])


# --- over HTTP ------------------------------------------------------------------------------------------------
def test_the_case_page_offers_what_is_owed_and_refuses_a_second_click_writing_nothing(app, demo_engine,
                                                                                     demo_sessions, netra_settings):
    case = Builder(demo_sessions, netra_settings).laporan(Person("Satu"), Person("Dua", agency="pemprov-64"))
    case.register()
    case.invite()
    rows = requests_of(demo_sessions, case.number)
    client = client_as(app, "penangan.kukar")
    page = client.get(f"/kasus/{case.number}").get_data(as_text=True)
    offered = re.findall(r'data-letter="([a-z_]+)" data-request="(\d+)"', page)
    assert offered == [(r.kind, str(r.id)) for r in rows]  # receipt and one invitation each: owed, nothing else
    assert "Kepada: Sdr. Satu" in page and "Kepada: Sdr. Dua" in page
    assert f'href="/kasus/{case.number}/surat/draf/clarification_invitation?penerima=1"' in page
    receipt = rows[0].id

    client.post(f"/kasus/{case.number}/surat/receipt", data={"csrf_token": csrf(page), "request": receipt})
    [number] = issued(demo_sessions, case.number, "receipt")
    assert said(client) == f"Surat diterbitkan: {number}"
    page = client.get(f"/kasus/{case.number}").get_data(as_text=True)
    assert 'data-letter="receipt"' not in page
    assert f'data-number="{number}" data-status="issued"' in page and f'data-correct="{number}"' in page

    before = fingerprint(demo_engine)
    client.post(f"/kasus/{case.number}/surat/receipt", data={"csrf_token": csrf(page), "request": receipt})
    message = said(client)
    assert message.startswith(f"surat ini sudah diterbitkan: nomor {number}") and "koreksi" in message
    client.post(f"/kasus/{case.number}/surat/receipt", data={"csrf_token": csrf(page), "recipient": "0"})
    assert said(client).startswith(f"surat ini sudah diterbitkan: nomor {number}")  # the earlier form, too
    with demo_sessions() as session:
        letter_id = session.scalar(select(Letter.id).where(Letter.number == number))
    client.post(f"/kasus/{case.number}/surat/koreksi/{letter_id}", data={"csrf_token": csrf(page), "reason": ""})
    assert "wajib diisi: tuliskan mengapa surat diterbitkan ulang" in said(client)
    assert fingerprint(demo_engine) == before
    # a request of another case, or one the user may not issue: not found
    other = Builder(demo_sessions, netra_settings).laporan(Person("Tiga"))
    other_request = owed_request(demo_sessions, other.number, "receipt")
    head = client_as(app, "ketua.kukar")
    before = fingerprint(demo_engine)
    assert client.post(f"/kasus/{case.number}/surat/receipt",
                       data={"csrf_token": csrf(page), "request": other_request}).status_code == 404
    head_page = head.get(f"/kasus/{case.number}").get_data(as_text=True)
    assert 'data-letter="receipt"' not in head_page and "data-correct" not in head_page
    assert 'data-letter="clarification_invitation"' in head_page  # the head may issue the invitations
    assert head.post(f"/kasus/{case.number}/surat/koreksi/{letter_id}",
                     data={"csrf_token": csrf(head_page), "reason": "x"}).status_code == 404
    assert fingerprint(demo_engine) == before

    client.post(f"/kasus/{case.number}/surat/koreksi/{letter_id}",
                data={"csrf_token": csrf(page), "reason": "Salah ketik alamat pelapor"})
    [new] = issued(demo_sessions, case.number, "receipt")
    assert said(client) == f"Surat diterbitkan ulang: {new} menggantikan {number}"
    page = client.get(f"/kasus/{case.number}").get_data(as_text=True)
    assert f'data-number="{number}" data-status="superseded"' in page and f"oleh {new}" in page
    assert "Salah ketik alamat pelapor" in page
    assert client.get(f"/kasus/{case.number}/surat/berkas/{letter_id}").status_code == 200  # what was sent stays


# --- the command line ---------------------------------------------------------------------------------------------
def test_cli_issues_what_is_owed_lists_it_and_corrects(databases, backend, tmp_path, monkeypatch):
    url = databases.url(backend, demo=True)
    monkeypatch.setenv("NETRA_DATABASE_URL", url)
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path))
    sessions = session_factory(make_engine(url))
    case = Builder(sessions).laporan(Person("Satu"))
    runner = CliRunner()

    owed_json = runner.invoke(cli, ["letter", "owed", case.number, "--json"])
    assert owed_json.exit_code == 0, owed_json.output
    [row] = json.loads(owed_json.output)
    assert {k: row[k] for k in ("kind", "addressee", "status", "cause", "requested_by")} == {
        "kind": "receipt", "addressee": "Sdr. Pelapor Uji", "status": "open", "cause": "case.opened",
        "requested_by": "penangan.kukar"}
    out = tmp_path / "r.pdf"
    first = runner.invoke(cli, ["letter", "render", case.number, "receipt", "--issue", "--out", str(out),
                                "--actor", "penangan.kukar"])
    assert first.exit_code == 0, first.output
    number = re.search(r"Diterbitkan \(issued\): (\S+)", first.output).group(1)
    assert out.read_bytes().startswith(b"%PDF") and issued(sessions, case.number, "receipt") == [number]
    with sessions() as session:
        assert session.scalar(select(Letter.issued_by).where(Letter.number == number)) == "penangan.kukar"

    again = runner.invoke(cli, ["letter", "render", case.number, "receipt", "--issue", "--out", str(out)])
    assert again.exit_code == 1
    assert f"tidak sedang menunggu surat 'receipt' untuk Sdr. Pelapor Uji (surat {number} sudah terbit)" in again.output
    assert f"netra letter correct {number} --reason" in again.output
    never = runner.invoke(cli, ["letter", "render", case.number, "status_announcement", "--issue", "--out", str(out)])
    assert never.exit_code == 1 and "tidak sedang menunggu surat 'status_announcement'" in never.output
    english = runner.invoke(cli, ["--lang", "en", "letter", "render", case.number, "receipt", "--issue", "--out",
                                  str(out)])
    assert f"is not owed a 'receipt' letter to Sdr. Pelapor Uji (letter {number} was issued)" in english.output
    assert issued(sessions, case.number, "receipt") == [number]
    assert json.loads(runner.invoke(cli, ["letter", "owed", case.number, "--json"]).output) == []

    refused = runner.invoke(cli, ["letter", "correct", number, "--reason", "x", "--actor", "ketua.kukar"])
    assert refused.exit_code == 1 and "surat tidak ditemukan" in refused.output  # the head's rules apply
    no_reason = runner.invoke(cli, ["letter", "correct", number, "--actor", "penangan.kukar"])
    assert no_reason.exit_code != 0 and "--reason" in no_reason.output
    corrected = runner.invoke(cli, ["letter", "correct", number, "--reason", "Nama pelapor salah eja",
                                    "--actor", "penangan.kukar", "--out", str(tmp_path / "c.pdf")])
    assert corrected.exit_code == 0, corrected.output
    [new] = issued(sessions, case.number, "receipt")
    assert f"{number} diganti oleh (superseded by) {new}" in corrected.output
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    with sessions() as session:
        old = session.scalar(select(Letter).where(Letter.number == number))
        assert (old.status, old.superseded_reason) == ("superseded", "Nama pelapor salah eja")


# --- in a browser, phone and desktop widths -------------------------------------------------------------------------
def test_the_letters_section_in_chromium_at_390_and_1366_px(browser, live):
    """The handler issues and corrects in Chromium; a letter being issued by the system shows no button; nothing
    overflows a 390 px phone. Screenshots: kasus-surat-{390,1366}.png (see test_browser.SHOTS)."""
    base, sessions = live
    case = Builder(sessions).laporan(Person("Arif Kurniawan"), Person("Sri Wahyuni", agency="pemprov-64"))
    case.register()
    case.invite()
    case.step("record_clarification", case.handler, minutes="Terlapor hadir")
    with pytest.raises(Crash):  # the system's run is rendering the minutes right now
        issue_letter(sessions, owed_request(sessions, case.number, "clarification_minutes"), SYSTEM,
                     settings=Settings.from_env(), render=die)
    page = log_in(browser, base, "penangan.kukar")
    page.goto(f"{base}/kasus/{case.number}")
    page.locator("form[data-letter='receipt'] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Surat diterbitkan")
    number = issued(sessions, case.number, "receipt")[0]
    page.locator(f"details[data-correct='{number}'] summary").click()
    page.fill(f"details[data-correct='{number}'] textarea", "Alamat pelapor tercetak keliru")
    page.locator(f"details[data-correct='{number}'] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text(f"menggantikan {number}")
    expect(page.locator(f"tr[data-number='{number}']")).to_contain_text("diganti")
    expect(page.locator("[data-claimed='netra-system']")).to_contain_text("Sedang diterbitkan oleh netra-system")
    expect(page.locator("form[data-letter='clarification_invitation']")).to_have_count(2)
    for width, height in ((390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.locator("#letters").scroll_into_view_if_needed()
        right = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
            '#letters-table, #letters, [data-letter], [data-owed], details[data-correct]')].map(e => e.getBoundingClientRect().right))""")
        assert right <= width  # the letters section fits a phone: nothing to scroll sideways for
        page.screenshot(path=str(SHOTS / f"kasus-surat-{width}.png"), full_page=True)
    page.close()
