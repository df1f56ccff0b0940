"""Acknowledgement by link (issue 19, item 1), on both databases: a letter to the oversight body reaches its
addressee with a link of its own (never the copies' or the office's); the link opens that letter without an
account, every use audited; a bad answer is refused whole and changes nothing; a good one is recorded once, as the
addressee, tells the office, and starts the addressee's deadline again from the day received; the handler sees
it on the case page, and can revoke and reissue the link, after which the old one says so; a forged link is
unknown, and too many uses from one address are refused."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from casework.access.policy import Action, permits
from casework.access.principal import principal_named
from casework.letters.issue import issue_letter, stored_pdf
from casework.letters.links import open_link
from casework.mail.correspondence import queue_letter_emails
from casework.models import AuditEvent, Case, Deadline, Letter, LetterLink, LetterRequest, OutboxMessage, utcnow
from casework.reference.timezones import local_today
from tests.helpers import client_as, csrf
from tests.test_desk import app  # noqa: F401  (the desk fixture, both backends)
from tests.helpers import sqlite_only  # noqa: F401  (SQLite only: the links' rules, not SQL)


def _forward_with_running_deadline(session) -> tuple[int, str]:
    """An open forward to the oversight body in Kukar whose case already counts the body's deadline from an
    earlier day: (request id, case number)."""
    rows = session.execute(
        select(LetterRequest.id, Case.number).join(Case, Case.id == LetterRequest.case_id)
        .join(Deadline, Deadline.case_id == Case.id)
        .where(LetterRequest.kind == "recommendation_to_oversight", LetterRequest.status == "open",
               Case.regency_code == "6402", Deadline.rule_id == "oversight.recommendation",
               Deadline.status == "open")
        .order_by(Deadline.starts_on, LetterRequest.id)).first()
    assert rows is not None, "the demo has no forward owed with the body's deadline running"
    return rows


def _issued_and_sent(app=None, *, sessions=None, settings=None):
    """The forward issued by Kukar's handler and its emails queued — on the desk `app`'s database and settings, or
    on the `sessions` and `settings` given: (sessions, settings, letter, case number, handler)."""
    settings = settings or app.config["NETRA_SETTINGS"]
    sessions = sessions or app.extensions["netra_sessions"]
    with sessions() as session:
        request_id, number = _forward_with_running_deadline(session)
        handler = principal_named(session, "penangan.kukar")
    letter = issue_letter(sessions, request_id, handler, settings=settings)
    queue_letter_emails(sessions, number, settings=settings)
    return sessions, settings, letter, number, handler


def test_an_addressee_without_an_account_opens_and_acknowledges_a_letter_by_its_link(app):
    sessions, settings, letter, number, _ = _issued_and_sent(app)
    with sessions() as session:
        email = session.scalar(select(OutboxMessage).where(OutboxMessage.purpose == "letter.link"))
        case = session.scalar(select(Case).where(Case.number == number))
        office_inbox = case.office.email
        deadline = session.scalar(select(Deadline).where(Deadline.case_id == case.id, Deadline.status == "open",
                                                         Deadline.rule_id == "oversight.recommendation"))
        old_start, today = deadline.starts_on, local_today(case.office.timezone, utcnow())
    assert office_inbox not in email.recipients and len(email.recipients) == 1  # the addressee's only
    token = re.search(r"/tanggapan/([\w-]+)", email.body).group(1)
    url = f"/tanggapan/{token}"

    visitor = app.test_client()
    page = visitor.get(url)
    assert page.status_code == 200 and letter.number in page.get_data(as_text=True)
    assert "/kasus" not in page.get_data(as_text=True)  # nothing of the desk is linked from it
    with sessions() as session:
        assert visitor.get(f"{url}/surat.pdf").data == stored_pdf(session, session.get(Letter, letter.id), settings)

    form = {"csrf_token": csrf(page.get_data(as_text=True)), "name": "", "position": "Direktur",
            "received_on": (today + timedelta(days=1)).isoformat()}
    refused = visitor.post(url, data=form)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Nama penerima: wajib diisi" in body and "masa depan" in body
    malformed = visitor.post(url, data={**form, "received_on": "31-02-2026"})
    assert malformed.status_code == 400 and "Tanggal surat diterima: wajib diisi" in malformed.get_data(as_text=True)
    with sessions() as session:
        assert session.scalar(select(LetterLink.acknowledged_at)) is None

    form.update(name="Dra. Siti Rahmawati (fiktif)", received_on=today.isoformat())
    done = visitor.post(url, data=form)
    assert done.status_code == 200 and "Terima kasih" in done.get_data(as_text=True)
    again = visitor.post(url, data=form)
    assert again.status_code == 400 and "sudah dikonfirmasi" in again.get_data(as_text=True)
    with sessions() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "letter.acknowledged"))
        assert event.actor == "tautan: Kepala Badan Kepegawaian Negara" and event.after["received_on"] == str(today)
        uses = [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like("letter_link.%"))
                                                   .order_by(AuditEvent.id))]
        assert uses[:3] == ["letter_link.created", "letter_link.opened", "letter_link.downloaded"]
        restarted = session.scalars(select(Deadline).where(Deadline.case_id == case.id,
                                                           Deadline.rule_id == "oversight.recommendation")
                                    .order_by(Deadline.id)).all()
        if old_start < today:  # counted again from the day received; the earlier count kept as history
            assert [(d.status, d.starts_on) for d in restarted[-2:]] == [("superseded", old_start),
                                                                          ("open", today)]
        told = session.scalar(select(OutboxMessage).where(OutboxMessage.purpose == "letter.acknowledged"))
        assert told.recipients == [office_inbox] and "Dra. Siti Rahmawati (fiktif)" in told.body

    desk = client_as(app, "penangan.kukar")
    page = desk.get(f"/kasus/{number}").get_data(as_text=True)
    row = page.split(f'data-link="{letter.number}"')[1][:600]
    assert "Dra. Siti Rahmawati (fiktif)" in row
    # a confirmed letter is never asked again: no reissued link, no second confirmation restarting deadlines
    desk.post(f"/kasus/{number}/surat/tautan/{letter.id}", data={"csrf_token": csrf(page)})
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(LetterLink)) == 1


def test_a_link_is_revoked_and_reissued_and_nothing_else_is_reachable_through_it(app):
    sessions, _, letter, number, handler = _issued_and_sent(app)
    with sessions() as session:
        token = re.search(r"/tanggapan/([\w-]+)", session.scalar(
            select(OutboxMessage.body).where(OutboxMessage.purpose == "letter.link"))).group(1)
        _, _, holder = open_link(session, token)
        other = session.scalar(select(Letter).where(Letter.id != letter.id, Letter.case_id.is_not(None)))
        case = session.get(Case, letter.case_id)
        mine = session.get(Letter, letter.id)
        # the link's principal reads its letter, nothing else; nobody else acknowledges for the addressee
        assert permits(holder, Action.READ_LETTER, case, letter=mine)
        assert not permits(holder, Action.SEE_CASE, case) and not permits(holder, Action.READ_EVIDENCE, case)
        assert other is None or not permits(holder, Action.READ_LETTER, session.get(Case, other.case_id),
                                            letter=other)
        assert not permits(handler, Action.ACKNOWLEDGE_LETTER, case, letter=mine)

    desk = client_as(app, "penangan.kukar")
    page = desk.get(f"/kasus/{number}").get_data(as_text=True)
    # the oversight body has an address: its link is in its own email only, not on the handler's page
    assert f"/tanggapan/{token}" not in page
    from admin.ops import loggable_path
    assert token not in loggable_path(f"/tanggapan/{token}")  # nor in the access log
    desk.post(f"/kasus/{number}/surat/tautan/{letter.id}", data={"csrf_token": csrf(page)})
    gone = app.test_client().get(f"/tanggapan/{token}")
    assert gone.status_code == 410 and "dicabut" in gone.get_data(as_text=True)
    with sessions() as session:
        links = session.scalars(select(LetterLink).order_by(LetterLink.id)).all()
        assert [link.revoked_by for link in links] == ["penangan.kukar", None]
        fresh = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "letter.link")).all()
        assert len(fresh) == 2 and token not in fresh[-1].body
    assert app.test_client().get("/tanggapan/bukan-tautan-sungguhan").status_code == 404
    # the command line says the same and reissues too (the same secret key makes the same link)
    import json

    from click.testing import CliRunner

    from casework.cli import cli
    settings = app.config["NETRA_SETTINGS"]
    env = {"NETRA_DATABASE_URL": settings.database_url, "NETRA_SECRET_KEY": settings.secret_key,
           "NETRA_VAR_DIR": str(settings.var_dir), "NETRA_LETTERS_DIR": str(settings.letters_dir)}
    shown = json.loads(CliRunner().invoke(cli, ["letter", "link", letter.number, "--json"], env=env).output)
    assert shown["live"] and shown["url"].endswith(re.search(r"/tanggapan/[\w-]+", fresh[-1].body).group(0))
    again = CliRunner().invoke(cli, ["letter", "link", letter.number, "--reissue", "--actor", "penangan.kukar"],
                               env=env)
    assert again.exit_code == 0 and "belum dibuka" in again.output
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(LetterLink)) == 3


def test_too_many_uses_from_one_address_are_refused(app, monkeypatch):
    import casework.reports.reporter_status
    from casework.models import utcnow

    frozen = utcnow().replace(second=1)  # one counting window for the whole test, whenever it runs
    monkeypatch.setattr(casework.reports.reporter_status, "utcnow", lambda: frozen)
    client = app.test_client()
    answers = [client.get(f"/tanggapan/x{i}").status_code for i in range(31)]
    assert answers[:30] == [404] * 30 and answers[30] == 429


def test_a_ppk_without_an_account_records_its_decree_through_the_link_of_a_reminder(app):
    """The issue's "done when": a PPK who never had an account acknowledges a letter and records a decree from
    the link in its email, checked by the desk's own step, and the office sees it on the case."""
    from casework.adapters.db import transaction
    from casework.letters.requests import request_letters
    from casework.models import ReportedASN
    from tests.builder import PDF, Builder, Person

    settings = app.config["NETRA_SETTINGS"]
    sessions = app.extensions["netra_sessions"]
    built = Builder(sessions, settings).laporan(Person("Budi Santoso (fiktif)")).forward()
    nip = built.nips[0]
    built.recommend(nip)
    with transaction(sessions) as session:  # the PPK's follow-up is late: the office's reminder to the PPK
        case = session.scalar(select(Case).where(Case.number == built.number))
        person = session.scalar(select(ReportedASN).where(ReportedASN.nip == nip))
        request_id = request_letters(session, case, ["ppk_reminder"], actor="penangan.kukar", cause="test",
                                     person=person)[0].id
        ppk_email = person.agency.ppk_email
        handler = principal_named(session, "penangan.kukar")
    issue_letter(sessions, request_id, handler, settings=settings)
    queue_letter_emails(sessions, built.number, settings=settings)
    with sessions() as session:
        email = session.scalar(select(OutboxMessage).where(OutboxMessage.purpose == "letter.link"))
    assert email.recipients == [ppk_email]
    url = "/tanggapan/" + re.search(r"/tanggapan/([\w-]+)", email.body).group(1)
    ppk = app.test_client()
    page = ppk.get(url).get_data(as_text=True)
    assert 'id="step-record_sanction"' in page
    acknowledged = ppk.post(url, data={"csrf_token": csrf(page), "name": "Ir. Bambang (fiktif)",
                                       "position": "Bupati", "received_on": local_today("WITA", utcnow()).isoformat()})
    assert acknowledged.status_code == 200 and 'id="acknowledged"' in acknowledged.get_data(as_text=True)
    today = local_today("WITA", utcnow()).isoformat()
    form = {"csrf_token": csrf(page), "sanction_level": "moral", "sanction": "moral.terbuka",
            "decree_number": "", "decree_date": today, "decree_signer_name": "Bupati Kutai Kartanegara (uji)"}
    refused = ppk.post(f"{url}/tindak-lanjut/record_sanction", data=form, content_type="multipart/form-data")
    assert refused.status_code == 400 and "wajib diisi" in refused.get_data(as_text=True)
    with sessions() as session:
        assert session.scalar(select(ReportedASN.track_stage).where(ReportedASN.nip == nip)) == "agency_follow_up"
    form.update(decree_number="800/123/BKPSDM/2026", decree_pdf=(__import__("io").BytesIO(PDF), "sk.pdf"))
    done = ppk.post(f"{url}/tindak-lanjut/record_sanction", data=form, content_type="multipart/form-data")
    assert done.status_code == 200 and 'id="recorded"' in done.get_data(as_text=True)
    with sessions() as session:
        person = session.scalar(select(ReportedASN).where(ReportedASN.nip == nip))
        assert person.track_stage == "sanctioned" and person.decree_number == "800/123/BKPSDM/2026"
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "case.record_sanction",
                                                        AuditEvent.case_id == person.case_id))
        assert event.actor.startswith("tautan: ")
    # the link grants that step on that person, nothing else: another step is unknown to it
    other = ppk.post(f"{url}/tindak-lanjut/record_oversight_recommendation", data={"csrf_token": csrf(page)})
    assert other.status_code == 404
    desk = client_as(app, "penangan.kukar")
    assert "800/123/BKPSDM/2026" in desk.get(f"/kasus/{built.number}").get_data(as_text=True)


def test_the_addressee_confirms_receipt_on_a_phone(browser, live, tmp_path):
    """In Chromium at 390 px: the link's page fits the phone, the letter downloads, the receipt is confirmed."""
    from dataclasses import replace as replaced

    from playwright.sync_api import expect

    from casework.settings import Settings

    base, sessions = live
    with sessions() as session:
        url = str(session.get_bind().url.render_as_string(hide_password=False))
    # the live desk's own settings (tests/conftest.py `live`): the same secret key makes the same link
    settings = replaced(Settings.from_env(), database_url=url, var_dir=tmp_path, letters_dir=tmp_path / "letters",
                        secret_key="browser-test", base_url=base)
    _issued_and_sent(sessions=sessions, settings=settings)
    with sessions() as session:
        link = re.search(r"https?://\S+/tanggapan/[\w-]+", session.scalar(
            select(OutboxMessage.body).where(OutboxMessage.purpose == "letter.link"))).group(0)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(link)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_download() as download:
        page.click("#download")
    assert download.value.suggested_filename.endswith(".pdf")
    page.fill("#name", "Dra. Siti Rahmawati (fiktif)")
    page.fill("#position", "Direktur Pengawasan Netralitas ASN")
    page.click("form[action$='{}'] button[type=submit]".format(link.rsplit("/", 1)[1]))
    expect(page.locator("#confirmed")).to_be_visible()
    expect(page.locator("#acknowledged")).to_contain_text("Dra. Siti Rahmawati (fiktif)")
    page.context.close()


def test_no_confirmation_is_a_reminder_with_the_link_then_a_notice_up_the_line(app):
    """rules/deadlines.toml "ack.receipt": on its due day the addressee is reminded with the link; past it, the
    office, its handlers and the office one level up hear of it; a confirmation stops the wait."""
    from casework.deadlines.notices import sweep

    sessions, settings, letter, number, _ = _issued_and_sent(app)
    with sessions() as session:
        waiting = session.scalar(select(Deadline).where(Deadline.letter_id == letter.id))
        assert waiting.rule_id == "ack.receipt" and waiting.status == "open"
        case = session.scalar(select(Case).where(Case.number == number))
        addressee = session.scalar(select(OutboxMessage).where(OutboxMessage.purpose == "letter.link")).recipients
        parent, zone = case.office.parent.email, case.office.timezone
        due_at = waiting.due_at
    sweep(sessions, settings=settings, now=due_at - timedelta(hours=3))  # the due day's morning
    with sessions() as session:
        reminder = session.scalar(select(OutboxMessage).where(OutboxMessage.dedup_key.like(f"notice:{waiting.id}:%")))
        assert set(addressee) <= set(reminder.recipients) and "/tanggapan/" in reminder.body
        assert parent not in reminder.recipients
    sweep(sessions, settings=settings, now=due_at + timedelta(days=1))
    with sessions() as session:
        notices = session.scalars(select(OutboxMessage).where(OutboxMessage.dedup_key.like(f"notice:{waiting.id}:%"))
                                  .order_by(OutboxMessage.id)).all()
        assert len(notices) == 2 and parent in notices[1].recipients and "/tanggapan/" not in notices[1].body
        token = re.search(r"/tanggapan/([\w-]+)", notices[0].body).group(1)
    client = app.test_client()
    page = client.get(f"/tanggapan/{token}").get_data(as_text=True)
    today = local_today(zone, utcnow()).isoformat()
    client.post(f"/tanggapan/{token}", data={"csrf_token": csrf(page), "name": "Petugas (fiktif)",
                                              "position": "Sekretaris", "received_on": today})
    with sessions() as session:
        assert session.get(Deadline, waiting.id).status in ("met", "missed")


def test_the_link_reaches_the_addressee_by_smtp_and_leaves_no_copy_in_the_outbox(demo_sessions, netra_settings,
                                                                                 mail):
    """Sent for real to the SMTP sink on loopback: the addressee's mail carries the link; once sent, the outbox
    keeps no usable copy of it (a database reader finds the sha256 and a blanked body)."""
    from casework.mail import outbox

    _, _, _, number, _ = _issued_and_sent(sessions=demo_sessions, settings=netra_settings)
    with demo_sessions() as session:
        addressee = session.scalar(select(OutboxMessage.recipients).where(OutboxMessage.purpose == "letter.link"))
        case_id = session.scalar(select(Case.id).where(Case.number == number))
    outbox.send_pending(demo_sessions, settings=netra_settings, case_id=case_id)
    got = mail.wait_for(lambda m: addressee[0] in m.rcpt_tos and "/tanggapan/" in m.text, timeout=15)
    token = re.search(r"/tanggapan/([\w-]+)", got[0].text).group(1)
    with demo_sessions() as session:
        kept = session.scalar(select(OutboxMessage).where(OutboxMessage.purpose == "letter.link"))
        assert kept.status == "sent" and token not in kept.body
        assert open_link(session, token)[1].number  # the link itself still opens
