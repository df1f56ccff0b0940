"""The outbox sends each email exactly once: queued once per key, claimed by one sender, retried when SMTP is down."""
from __future__ import annotations

import json
import threading

from sqlalchemy import func, select

from casework.mail import outbox
from casework.adapters.db import transaction
from casework.models import OutboxMessage
from devtools.mailsink import MailSink


def _queue(sessions, key="notice:1:reminder:20261123T0000", to=("a@bawaslu.test",)):
    with transaction(sessions) as session:
        return outbox.queue(session, dedup_key=key, purpose="reminder", recipients=list(to),
                            subject="[Netra] Pengingat", body="Batas waktu jatuh hari ini.")


def test_queueing_the_same_key_twice_adds_nothing(sessions):
    assert _queue(sessions) is not None
    assert _queue(sessions) is None
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_an_email_without_any_recipient_is_not_queued(sessions):
    assert _queue(sessions, to=("", "  ")) is None


def test_sent_once_and_never_again(sessions, mail, netra_settings):
    _queue(sessions)
    assert outbox.send_pending(sessions, settings=netra_settings).sent == 1
    assert outbox.send_pending(sessions, settings=netra_settings).sent == 0  # a retried task
    assert len(mail.received) == 1
    got = mail.received[0]
    assert got.rcpt_tos == ["a@bawaslu.test"]
    assert got.subject == "[Netra] Pengingat"
    assert "hari ini" in got.text
    assert got.message["Message-ID"] == outbox.message_id("notice:1:reminder:20261123T0000", "netra@bawaslu.test")
    with sessions() as session:
        row = session.scalar(select(OutboxMessage))
        assert (row.status, row.attempts) == ("sent", 1)


def test_smtp_down_leaves_it_failed_then_it_goes_out_once_smtp_is_back(sessions, netra_settings):
    _queue(sessions)
    result = outbox.send_pending(sessions, settings=netra_settings.__class__(
        **{**netra_settings.__dict__, "smtp_port": MailSink().port}))  # nobody listens there
    assert (result.sent, result.failed) == (0, 1)
    with sessions() as session:
        row = session.scalar(select(OutboxMessage))
        assert row.status == "failed" and "Connection" in row.last_error
    assert outbox.send_pending(sessions, settings=netra_settings).sent == 1
    assert outbox.send_pending(sessions, settings=netra_settings).sent == 0


def test_concurrent_senders_send_each_email_once(sessions, mail, netra_settings):
    for n in range(20):
        _queue(sessions, key=f"notice:{n}:reminder:x")
    results = []

    def sender():
        results.append(outbox.send_pending(sessions, settings=netra_settings))

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.sent for r in results) == 20
    assert sorted(m.key for m in mail.received) == sorted(f"notice:{n}:reminder:x" for n in range(20))


def test_a_claimed_row_is_never_resent_automatically(sessions, mail, netra_settings):
    """A sender that died after claiming: the server may have the email already, so a person decides."""
    _queue(sessions)
    with transaction(sessions) as session:
        session.scalar(select(OutboxMessage)).status = "sending"
    assert outbox.send_pending(sessions, settings=netra_settings).sent == 0
    assert mail.received == []
    with sessions() as session:
        assert [m.dedup_key for m in outbox.stuck(session)] == ["notice:1:reminder:20261123T0000"]


def test_a_person_answers_for_a_stuck_row_once_and_it_is_audited(engine, sessions, mail, netra_settings,
                                                                  monkeypatch):
    """`netra mail resolve`: the server had it (sent, never again) or not (back in the queue, sent once)."""
    from click.testing import CliRunner

    from casework.cli import cli
    from casework.models import AuditEvent

    monkeypatch.setenv("NETRA_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_MAIL_FROM", netra_settings.mail_from)
    went, lost = _queue(sessions, key="k:went").id, _queue(sessions, key="k:lost").id
    with transaction(sessions) as session:
        for row in session.scalars(select(OutboxMessage)):
            row.status = "sending"
    listed = CliRunner().invoke(cli, ["mail", "list", "--stuck", "--json"])
    assert [(r["key"], r["message_id"]) for r in json.loads(listed.output)] == [
        (key, outbox.message_id(key, netra_settings.mail_from)) for key in ("k:lost", "k:went")]

    refused = CliRunner().invoke(cli, ["mail", "resolve", str(went)])
    assert refused.exit_code == 1 and "--sent" in refused.output and "--resend" in refused.output
    assert CliRunner().invoke(cli, ["mail", "resolve", str(went), "--sent"]).exit_code == 0
    again = CliRunner().invoke(cli, ["mail", "resolve", str(went), "--resend"])  # answered already: refused
    assert again.exit_code == 1 and "bukan 'sending'" in again.output
    assert CliRunner().invoke(cli, ["mail", "resolve", "999", "--sent"]).exit_code == 1
    resent = CliRunner().invoke(cli, ["mail", "resolve", str(lost), "--resend"])
    assert resent.exit_code == 0 and "dikembalikan ke antrean" in resent.output

    assert outbox.send_pending(sessions, settings=netra_settings).sent == 1
    assert [m.key for m in mail.received] == ["k:lost"]  # the one the server had is never sent again
    with sessions() as session:
        assert dict(session.execute(select(OutboxMessage.dedup_key, OutboxMessage.status)).all()) == {
            "k:went": "sent", "k:lost": "sent"}
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "mail.resolved")
                                 .order_by(AuditEvent.id)).all()
        assert [(e.entity_id, e.after["status"]) for e in events] == [(str(went), "sent"), (str(lost), "pending")]
        assert all(e.actor.startswith("cli") for e in events)
