"""Acknowledgement by link (issue 19, item 1), on both databases: a letter to the oversight body reaches its
addressee with a link of its own (never the copies' or the office's); the link opens that letter without an
account, every use audited; a bad answer is refused whole and changes nothing; a good one is recorded once, as the
addressee, tells the office, and starts the addressee's deadline again from the day received; the handler sees
it on the case page, and can revoke and reissue the link, after which the old one says so; a forged link is
unknown, and too many uses from one address are refused."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from casework.access.policy import Action, permits
from casework.access.principal import principal_named
from casework.letters.issue import issue_letter, stored_pdf
from casework.letters.links import open_link
from casework.mail.correspondence import queue_letter_emails
from casework.models import AuditEvent, Case, Deadline, Letter, LetterLink, LetterRequest, OutboxMessage, utcnow
from casework.reference.timezones import local_today
from tests.helpers import client_as, csrf
from tests.test_desk import app  # noqa: F401  (the desk fixture, both backends)


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


def _issued_and_sent(app):
    """The forward issued by Kukar's handler and its emails queued: (sessions, settings, letter, case number,
    handler)."""
    settings = app.config["NETRA_SETTINGS"]
    sessions = app.extensions["netra_sessions"]
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
    row = desk.get(f"/kasus/{number}").get_data(as_text=True).split(f'data-link="{letter.number}"')[1][:600]
    assert "Dra. Siti Rahmawati (fiktif)" in row


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
    assert f"/tanggapan/{token}" in page  # the handler can pass it on by hand
    desk.post(f"/kasus/{number}/surat/tautan/{letter.id}", data={"csrf_token": csrf(page)})
    gone = app.test_client().get(f"/tanggapan/{token}")
    assert gone.status_code == 410 and "dicabut" in gone.get_data(as_text=True)
    with sessions() as session:
        links = session.scalars(select(LetterLink).order_by(LetterLink.id)).all()
        assert [link.revoked_by for link in links] == ["penangan.kukar", None]
        fresh = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "letter.link")).all()
        assert len(fresh) == 2 and token not in fresh[-1].body
    assert app.test_client().get("/tanggapan/bukan-tautan-sungguhan").status_code == 404


def test_too_many_uses_from_one_address_are_refused(app):
    client = app.test_client()
    answers = [client.get(f"/tanggapan/x{i}").status_code for i in range(31)]
    assert answers[:30] == [404] * 30 and answers[30] == 429
