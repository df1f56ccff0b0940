"""Letters a step asks for are issued once per addressee and emailed once, with the PDF attached."""
from __future__ import annotations

from sqlalchemy import func, select

from casework.mail import correspondence
from casework.letters.requests import owed
from casework.models import Case, Letter, LetterRequest, OutboxMessage, ReportedASN
from casework.road.stages import Stage
from tests.helpers import decide, invitation


def _registered_case_with_two_asn(sessions) -> str:
    with sessions() as session:
        two = (select(ReportedASN.case_id).group_by(ReportedASN.case_id).having(func.count() == 2))
        number = session.scalars(select(Case.number).where(Case.stage == Stage.INITIAL_REVIEW, Case.id.in_(two))
                                 .order_by(Case.id)).first()
    decide(sessions, "register", number, "penangan.kukar")
    return number


def test_each_reported_asn_gets_its_own_invitation_once(demo_sessions, mail, netra_settings):
    number = _registered_case_with_two_asn(demo_sessions)
    with demo_sessions() as session:
        nips = [p.nip for p in session.scalar(select(Case).where(Case.number == number)).reported]
    decide(demo_sessions, "invite_clarification", number, "penangan.kukar", **invitation(nips=nips))
    first = correspondence.deliver(demo_sessions, number, settings=netra_settings)
    again = correspondence.deliver(demo_sessions, number, settings=netra_settings)  # a retried task
    assert again["issued"] == [] and again["queued"] == 0 and again["sent"] == 0
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        invitations = session.scalars(select(Letter).where(Letter.case_id == case.id,
                                                           Letter.kind == "clarification_invitation")).all()
        assert sorted(letter.reported_asn_id for letter in invitations) == sorted(p.id for p in case.reported)
        assert owed(session, case) == []  # every request the invitation wrote is answered
        answered = session.scalars(select(LetterRequest).where(LetterRequest.case_id == case.id,
                                                               LetterRequest.kind == "clarification_invitation"))
        assert sorted(r.letter_id for r in answered) == sorted(letter.id for letter in invitations)
        queued = session.scalar(select(func.count()).select_from(OutboxMessage)
                                .where(OutboxMessage.case_id == case.id, OutboxMessage.purpose.like("letter.%")))
    sent = [m for m in mail.received if "Undangan Klarifikasi" in m.subject]
    assert len(sent) == 2 == len({m.key for m in sent})
    assert all(m.attachments and next(iter(m.attachments.values())).startswith(b"%PDF") for m in sent)
    assert first["sent"] == queued
