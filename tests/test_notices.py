"""Reminders before a deadline, overdue notices after it, system escalation of PPKs, and the daily digest."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from casework.adapters.db import transaction
from casework.deadlines import notices
from casework.deadlines.engine import get_rule
from casework.deadlines.schedule import owed, reminders
from casework.mail import correspondence, outbox
from casework.models import AuditEvent, Case, Deadline, LetterRequest, Office, OutboxMessage, ReportedASN
from tests.builder import Builder, Person


def test_reminders_fall_at_eight_in_the_morning_local_time_h3_h1_h0():
    rule = get_rule("pemilu.decision")  # reminders = [3, 1, 0]
    moments = reminders(rule, date(2026, 12, 10), "WITA")
    assert [(n.days_before, n.at) for n in moments] == [
        (3, datetime(2026, 12, 7, 0, 0, tzinfo=UTC)),  # 08:00 WITA = 00:00 UTC
        (1, datetime(2026, 12, 9, 0, 0, tzinfo=UTC)),
        (0, datetime(2026, 12, 10, 0, 0, tzinfo=UTC))]
    assert reminders(rule, date(2026, 12, 10), "WIT")[0].at == datetime(2026, 12, 6, 23, 0, tzinfo=UTC)


def test_after_the_deadline_notices_repeat_every_two_days_and_only_the_latest_is_owed():
    rule = get_rule("pemilu.decision")
    first = datetime(2026, 12, 11, 0, 0, tzinfo=UTC)  # the morning after 10 December, 08:00 WITA
    assert owed(rule, date(2026, 12, 10), "WITA", first - timedelta(minutes=1))[1] == first
    notice, following = owed(rule, date(2026, 12, 10), "WITA", first + timedelta(days=5))
    assert (notice.kind, notice.count, notice.at) == ("overdue", 3, first + timedelta(days=4))
    assert following == first + timedelta(days=6)


def _open_deadline(session, rule_prefix: str, **case_filter) -> Deadline:
    stmt = (select(Deadline).join(Case, Case.id == Deadline.case_id)
            .where(Deadline.status == "open", Deadline.rule_id.like(f"{rule_prefix}%"))
            .filter_by(**case_filter).order_by(Deadline.id))
    return session.scalars(stmt).first()


def _keys(session, case_id: int) -> list[str]:
    return list(session.scalars(select(OutboxMessage.dedup_key).where(OutboxMessage.case_id == case_id)
                                .order_by(OutboxMessage.id)))


def test_sweep_queues_each_reminder_once_with_what_the_handler_needs(demo_sessions, mail, netra_settings):
    with transaction(demo_sessions) as session:
        deadline = session.scalars(select(Deadline).join(Case).join(Office)
                                   .where(Deadline.status == "open", Deadline.rule_id == "pemilu.decision",
                                          Office.code == "bawaslu-6402")).first()
        h3 = reminders(get_rule(deadline.rule_id), deadline.due_date, deadline.timezone)[0].at
        deadline.next_notice_at = h3  # move the clock: the reminder is due now
        deadline_id, case_id, number = deadline.id, deadline.case_id, session.get(Case, deadline.case_id).number

    now = h3 + timedelta(minutes=1)
    notices.sweep(demo_sessions, now=now, settings=netra_settings)
    notices.sweep(demo_sessions, now=now, settings=netra_settings)  # a re-run queues nothing twice
    with demo_sessions() as session:
        assert _keys(session, case_id).count(f"notice:{deadline_id}:reminder:{h3:%Y%m%dT%H%M}") == 1
        assert session.get(Deadline, deadline_id).next_notice_at > now
    outbox.send_pending(demo_sessions, settings=netra_settings)
    [got] = [m for m in mail.received if m.key.startswith(f"notice:{deadline_id}:")]
    assert got.subject.startswith("[Netra] Pengingat H-3: Putusan pleno")
    assert number in got.subject
    assert "kukar@bawaslu.demo.test" in got.rcpt_tos
    assert "penangan.kukar@demo.netra.test" in got.rcpt_tos
    text = got.text
    assert f"Nomor kasus : {number}" in text
    assert "pukul 23.59 WITA" in text  # the due moment in the region's zone
    assert "UU 7/2017 Ps. 454 ayat (7)" in text and "(batas hukum)" in text  # the legal basis
    assert f"https://netra.test/kasus/{number}" in text


def test_a_sweep_that_was_down_sends_only_the_latest_overdue_notice_to_the_level_above(demo_sessions, mail,
                                                                                         netra_settings):
    with transaction(demo_sessions) as session:
        deadline = session.scalars(select(Deadline).join(Case).join(Office)
                                   .where(Deadline.status == "open", Deadline.rule_id.like("%.decision"),
                                          Office.code == "bawaslu-6402")).first()
        deadline.next_notice_at = deadline.due_at - timedelta(days=5)
        deadline_id, case_id, due_date = deadline.id, deadline.case_id, deadline.due_date
    now = datetime.combine(due_date + timedelta(days=4), datetime.min.time(), tzinfo=UTC) + timedelta(hours=1)
    notices.sweep(demo_sessions, now=now, settings=netra_settings)
    with demo_sessions() as session:
        mine = [k for k in _keys(session, case_id) if k.startswith(f"notice:{deadline_id}:")]
    assert len(mine) == 1 and ":overdue:" in mine[0]
    outbox.send_pending(demo_sessions, settings=netra_settings)
    [got] = [m for m in mail.received if m.key == mine[0]]
    assert got.subject.startswith("[Netra] TERLAMBAT (pemberitahuan ke-2)")
    assert "kaltim@bawaslu.demo.test" in got.rcpt_tos  # kab/kota -> provinsi
    assert "TERLAMPAUI" in got.text


def test_a_ppk_past_the_follow_up_deadline_is_escalated_by_the_system_with_its_letter(demo_sessions, mail,
                                                                                       netra_settings):
    # its own case, built through the commands (a demo row picked by stage could carry earlier escalations)
    case = Builder(demo_sessions, netra_settings).laporan(Person("Satu")).forward()
    case.recommend(case.nips[0])
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)  # what the forward owed
    mail.received.clear()
    with transaction(demo_sessions) as session:
        deadline = session.scalars(select(Deadline).join(Case).where(
            Case.number == case.number, Deadline.status == "open", Deadline.rule_id == "agency.follow_up")).one()
        deadline.next_notice_at = deadline.due_at
        person_id, case_id, deadline_id = deadline.reported_asn_id, deadline.case_id, deadline.id
        number = session.get(Case, case_id).number
        agency_email = session.get(ReportedASN, person_id).agency.personnel_unit_email
    now = max(datetime.now(UTC), deadline.due_at) + timedelta(days=1, hours=10)
    result = notices.sweep(demo_sessions, now=now, settings=netra_settings)
    assert result.escalated >= 1  # this case's PPK, and any demo case already past its own follow-up
    with demo_sessions() as session:
        person = session.get(ReportedASN, person_id)
        assert person.escalation_step == 1 and person.escalations[-1].step == "reminder"
        assert person.escalations[-1].actor == "netra-system"
        assert session.get(Deadline, deadline_id).status == "missed"
        repeat = session.scalars(select(Deadline).where(Deadline.reported_asn_id == person_id,
                                                        Deadline.rule_id == "escalation.repeat",
                                                        Deadline.status == "open")).one()
        assert repeat.next_notice_at is not None
        event = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id,
                                                         AuditEvent.action == "case.escalate")).one()
        assert event.after["letters"] == ["ppk_reminder"]
        reminders_owed = session.scalars(select(LetterRequest).where(LetterRequest.case_id == case_id,
                                                                     LetterRequest.kind == "ppk_reminder")).all()
        # written with the escalation, for the escalated person only, by Netra itself
        assert [(r.reported_asn_id, r.status, r.requested_by, r.cause) for r in reminders_owed] == [
            (person_id, "open", "netra-system", "case.escalate")]
        assert reminders_owed[0].audit_event_id == event.id
    correspondence.deliver(demo_sessions, number, settings=netra_settings)
    letters = [m for m in mail.received if m.key.startswith("letter:") and "Pengingat" in m.subject]
    assert len(letters) == 1
    assert agency_email in letters[0].rcpt_tos
    [(name, pdf)] = letters[0].attachments.items()
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    overdue = [m for m in mail.received if m.key.startswith(f"notice:{deadline_id}:overdue")]
    assert len(overdue) == 1 and agency_email in overdue[0].rcpt_tos


def test_each_office_gets_one_digest_a_day_after_its_digest_time(demo_sessions, mail, netra_settings):
    now = datetime.now(UTC).replace(hour=1, minute=0)  # 09:00 WITA, 08:00 WIB: past 07:00 everywhere
    first = notices.queue_digests(demo_sessions, now=now, settings=netra_settings)
    assert first >= 6  # the demo's six regencies each have open cases
    assert notices.queue_digests(demo_sessions, now=now + timedelta(hours=2), settings=netra_settings) == 0
    outbox.send_pending(demo_sessions, settings=netra_settings)
    [kukar] = [m for m in mail.received if m.key.startswith("digest:bawaslu-6402:")]
    assert kukar.subject.startswith("[Netra] Ringkasan harian Bawaslu Kabupaten Kutai Kartanegara")
    for section in ("JATUH TEMPO HARI INI", "TERLAMBAT", "MENUNGGU DI LEMBAGA LAIN"):
        assert section in kukar.text
    assert "LP-6402-" in kukar.text


def test_a_digest_is_not_sent_before_the_office_digest_time(demo_sessions, netra_settings):
    early = datetime.now(UTC).replace(hour=21, minute=0) - timedelta(days=1)  # 05:00 WITA
    with demo_sessions() as session:
        kukar = session.scalar(select(Office).where(Office.code == "bawaslu-6402"))
        assert notices.digest_due(kukar, early) is None
